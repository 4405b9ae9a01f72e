"""Exact generalised-Householder factorisation of orthogonal matrices (constructive Cartan-Dieudonne).

A factor is an exact direction ``u`` (not normalised) and ``beta``; its matrix is
``G(u, beta) = I - (beta / u.u) u u^T``. An orthogonal ``Q`` is written as exactly ``r = rank(Q - I)`` reflections
(``beta = 2``), the fewest possible: every reflection changes the fixed space by one dimension, so no product of
fewer than ``rank(Q - I)`` of them equals ``Q``.

Algorithm (see theory/README.md for the proof): while ``M != I``, pick a basis vector ``e_i`` that ``M`` moves and
set ``u = M e_i - e_i``. The reflection ``H_u`` swaps ``M e_i`` and ``e_i`` (they have equal norms) and fixes every
vector fixed by ``M`` (such vectors are orthogonal to ``u``), so ``H_u M`` fixes ``Fix(M) + span(e_i)``: the rank of
``M - I`` drops by exactly one. The directions stay in the field of ``Q``; rational directions are scaled to
coprime integers, so permutation and signed-permutation matrices get integer keys such as ``e_i - e_j``.

The factors are returned in the order the recurrence applies them: step 1 first, so
``Q = G_r ... G_2 G_1`` (step 1 rightmost), matching ``A(x) = H_{n_h} ... H_1`` of DESIGN.md.

Examples
--------
>>> from theory.exact import ExactField
>>> F = ExactField()
>>> P = F.mat([[0, 0, 1], [1, 0, 0], [0, 1, 0]])   # a 3-cycle
>>> fs = factor_orthogonal(P, F)
>>> [(F.vec_to_json(f.u), F.to_str(f.beta)) for f in fs]
[(['0', '1', '-1'], '2'), (['1', '-1', '0'], '2')]
>>> product_of_factors(fs, F, 3) == P
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce

from theory.errors import InvalidInput, NotOrthogonal
from theory.exact import ExactField, Mat, Vec

__all__ = ["Factor", "canonical_direction", "factor_matrix", "factor_orthogonal", "product_of_factors", "reflection_length"]


@dataclass(frozen=True)
class Factor:
    """One generalised Householder factor ``I - (beta / u.u) u u^T`` with exact ``u`` and ``beta``."""

    u: Vec
    beta: object


def factor_matrix(f: Factor, F: ExactField) -> Mat:
    """The exact matrix of one factor."""
    n = len(f.u)
    if f.beta == F.zero:
        return F.identity(n)
    c = f.beta / F.dot(f.u, f.u)
    return tuple(tuple((F.one if i == j else F.zero) - c * f.u[i] * f.u[j] for j in range(n)) for i in range(n))


def product_of_factors(factors, F: ExactField, n: int) -> Mat:
    """``G_r ... G_1`` for factors listed in application order (step 1 first)."""
    return reduce(lambda acc, f: F.matmul(factor_matrix(f, F), acc), factors, F.identity(n))


def _reflect(M: Mat, u: Vec, F: ExactField) -> Mat:
    """``H_u M`` without forming ``H_u``: ``M - u (2 u^T M / u.u)``."""
    c = (F.one + F.one) / F.dot(u, u)
    w = [c * F.dot(u, col) for col in zip(*M)]  # w_j = c * (u . M[:, j])
    return tuple(tuple(M[i][j] - u[i] * w[j] for j in range(len(w))) for i in range(len(M)))


def canonical_direction(u: Vec, F: ExactField) -> Vec:
    """The canonical representative of the line through ``u`` (a factor only depends on that line).

    Rational directions become coprime integers whose first nonzero entry is positive (``e_i - e_j``,
    ``e_i``); irrational ones are scaled so that their first nonzero entry is 1. Certificates store
    directions in this form, which makes every number in them meaningful.
    """
    if not all(F.is_rational(x) for x in u):
        first = next(x for x in u if x != F.zero)
        return tuple(x / first for x in u)
    fr = [F.to_fraction(x) for x in u]
    den = reduce(lambda a, b: a * b // math.gcd(a, b), (x.denominator for x in fr), 1)
    ints = [int(x * den) for x in fr]
    g = reduce(math.gcd, (abs(i) for i in ints), 0) or 1
    sgn = 1 if next(i for i in ints if i) > 0 else -1
    return tuple(F.parse(sgn * i // g) for i in ints)


def _complexity(u: Vec, F: ExactField) -> tuple:
    nnz = sum(1 for x in u if x != F.zero)
    rational = all(F.is_rational(x) for x in u)
    return (not rational, nnz)


def factor_orthogonal(Q: Mat, F: ExactField, *, check: bool = True) -> list[Factor]:
    """Write an exactly orthogonal ``Q`` as ``rank(Q - I)`` reflections (``beta = 2``).

    Parameters
    ----------
    Q : tuple of tuples
        Square matrix with entries in ``F``.
    F : ExactField
    check : bool
        Verify ``Q^T Q = I`` first (raises :class:`NotOrthogonal`) and the product afterwards.

    Returns
    -------
    list of Factor
        In application order (step 1 first). Empty for ``Q = I``.
    """
    n = len(Q)
    if n == 0 or any(len(r) != n for r in Q):
        raise InvalidInput(f"Q: expected a square matrix, got shape {[len(r) for r in Q]}")
    if check and not F.is_orthogonal(Q):
        raise NotOrthogonal("Q: matrix is not orthogonal (Q^T Q != I exactly); only orthogonal matrices factor into reflections")
    two = F.one + F.one
    M, found = Q, []
    ident = F.identity(n)
    while M != ident:
        best = None
        for i in range(n):
            col = tuple(M[r][i] for r in range(n))
            u = tuple(col[r] - (F.one if r == i else F.zero) for r in range(n))
            if any(x != F.zero for x in u):
                u = canonical_direction(u, F)
                key = _complexity(u, F)
                if best is None or key < best[0]:
                    best = (key, u)
        u = best[1]
        found.append(Factor(u, two))
        M = _reflect(M, u, F)
    factors = found[::-1]  # Q = H_{u1} H_{u2} ... H_{uk}: u_k acts first
    if check and product_of_factors(factors, F, n) != Q:  # pragma: no cover - guarded by the proof above
        raise AssertionError("factor_orthogonal: product does not reproduce Q")
    return factors


def reflection_length(Q: Mat, F: ExactField) -> int:
    """``rank(Q - I)``: the number of reflections an orthogonal ``Q`` needs (Cartan-Dieudonne)."""
    n = len(Q)
    return F.rank(tuple(tuple(Q[i][j] - (F.one if i == j else F.zero) for j in range(n)) for i in range(n)))
