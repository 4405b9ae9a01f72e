"""Primitives of the independent checkers (theory/checker.py, theory/dfa_checker.py).

They are shared by the two checkers and deliberately NOT by the provers: a bug in the producers' code paths
(theory/construction.py, theory/search.py) cannot make a checker agree with a wrong certificate. Only exact
arithmetic (:class:`theory.exact.ExactField`) is shared with the producers.

>>> from theory.exact import ExactField
>>> F = ExactField()
>>> S = ((F.parse(3),), (F.parse(4),))
>>> apply_step(F, S, (F.one, F.zero), F.one, (F.parse(5),))[0] == ((F.parse(5),), (F.parse(4),))
True
"""

from __future__ import annotations

import math

from theory.exact import ExactField

__all__ = ["is_canonical", "apply_step", "norm2", "equal_norm_lookup", "argmax"]


def is_canonical(F: ExactField, u) -> bool:
    """A direction is stored once per line: coprime integers with the first nonzero entry positive when rational,
    otherwise first nonzero entry 1 (the rule of theory.householder.canonical_direction, re-implemented)."""
    first = next(x for x in u if x != F.zero)
    if all(F.is_rational(x) for x in u):
        fr = [F.to_fraction(x) for x in u]
        if any(x.denominator != 1 for x in fr) or next(x for x in fr if x != 0) < 0:
            return False
        g = 0
        for x in fr:
            g = math.gcd(g, abs(int(x)))
        return g == 1
    return first == F.one


def apply_step(F: ExactField, S: tuple, u, beta, v) -> tuple[tuple, bool]:
    """``S - c u (u^T S) + c u v^T`` with ``c = beta/(u.u)``, and whether it changed ``S``."""
    if beta == F.zero:
        return S, False
    uu = F.zero
    for x in u:
        uu += x * x
    c = beta / uu
    cols = len(S[0])
    coef, changed = [], False
    for j in range(cols):
        acc = F.zero
        for i in range(len(S)):
            acc += u[i] * S[i][j]
        d = acc - v[j]
        changed = changed or d != F.zero
        coef.append(c * d)
    return tuple(tuple(S[i][j] - u[i] * coef[j] for j in range(cols)) for i in range(len(S))), changed


def norm2(F: ExactField, M) -> object:
    acc = F.zero
    for r in M:
        for x in r:
            acc += x * x
    return acc


def equal_norm_lookup(F: ExactField, vecs: list):
    """``({vector: index}, common norm^2)`` when all vectors are distinct with one norm, else ``None``."""
    norms = {norm2(F, D) for D in vecs}
    if len(norms) == 1 and len(set(vecs)) == len(vecs):
        return {D: k for k, D in enumerate(vecs)}, norms.pop()
    return None


def argmax(F: ExactField, vecs: list, S, lookup=None):
    """Index of the unique largest ``<D, S>``, or ``None`` on a tie (exact).

    Cauchy-Schwarz shortcut: when all vectors are distinct with one norm (``lookup``), a state equal to one of them
    has that vector as its unique argmax; anything else goes through the exact comparison.
    """
    if lookup is not None and S in lookup[0] and norm2(F, S) == lookup[1]:
        return lookup[0][S]
    scores = []
    for D in vecs:
        acc = F.zero
        for a, b in zip(D, S):
            for x, y in zip(a, b):
                acc += x * y
        scores.append(acc)
    best = 0
    for k in range(1, len(scores)):
        if F.sign(scores[k] - scores[best]) > 0:
            best = k
    if any(k != best and scores[k] == scores[best] for k in range(len(scores))):
        return None
    return best
