"""Typed errors shared by theory/ and automata/.

Misuse (bad arguments, malformed files) raises :class:`InvalidInput`, a ``ValueError``; a float where an exact
value is required raises :class:`ExactnessError`, a ``TypeError``. A construction that fails its check is *not*
an exception: provers and checkers return a verdict with a counterexample.
"""

from __future__ import annotations

__all__ = ["InvalidInput", "ExactnessError", "NotOrthogonal", "InvalidGroupSpec", "GroupTooLarge"]


class InvalidInput(ValueError):
    """An argument or file does not have the expected form; the message names the argument."""


class ExactnessError(TypeError):
    """A float (or another inexact number) was given where an exact value is required."""


class NotOrthogonal(InvalidInput):
    """A matrix required to be orthogonal (Q^T Q = I exactly) is not."""


class InvalidGroupSpec(InvalidInput):
    """A group specification string such as ``'S5'`` or ``'perm:(0 1 2),(0 1)'`` cannot be parsed."""


class GroupTooLarge(InvalidInput):
    """The group exceeds the size a method supports; the message names the limit."""
