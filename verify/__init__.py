"""Verification layer: the CLI, tables, lowering to floats and comparisons against exact runs."""
