"""Exact theory of DeltaProduct: numbers, representations, Householder factorisation, constructions, proofs.

The public entry points are loaded lazily so that ``automata`` can import :mod:`theory.errors` without a cycle.

>>> import theory
>>> from automata import group
>>> theory.prove(group("S3"), n_h=2).verdict
'proved'
"""

from importlib import import_module

__all__ = ["prove", "check", "prove_dfa", "ExactField", "Construction", "Certificate"]

_LAZY = {
    "prove": ("theory.prover", "prove"),
    "check": ("theory.checker", "check"),
    "ExactField": ("theory.exact", "ExactField"),
    "Construction": ("theory.construction", "Construction"),
    "Certificate": ("theory.prover", "Certificate"),
    "prove_dfa": ("theory.multilayer", "prove_dfa"),
}


def __getattr__(name):
    if name in _LAZY:
        mod, attr = _LAZY[name]
        return getattr(import_module(mod), attr)
    raise AttributeError(f"module 'theory' has no attribute {name!r}")
