"""Explicit exact orthogonal realisations with reflection factorisations.

For a set ``S`` of real irreducibles (e.g. the optimum of
:func:`theory.minimal.min_nh_faithful`) build ``W = (+)_{psi in S} W_psi``
inside a permutation module ``R^N`` and, for every group element ``g``,
reflection vectors ``u_1..u_r`` in ``W`` with ``r = codim_W(g)`` and
``P(g) w = H_{u_1} ... H_{u_r} w`` for all ``w`` in ``W``, where
``H_u = I - 2 u u^T / (u^T u)``.  The reflections act as the identity on
``W^perp``.

Construction
------------
For each ``psi`` pick a cyclic subgroup ``H = <h>`` (``h`` a class
representative, the identity included) with ``dim Fix_psi(h) = dim_R End(psi)``,
i.e. 1 (real type), 2 (complex type) or 4 (quaternionic type).  By Frobenius
reciprocity the ``psi``-isotypic part of the permutation module ``R[H\\G]``
(right cosets, ``G`` acting by right multiplication) is then one copy of
``psi``.  It is the image of the central idempotent
``E = (chi(1)/|G|) sum_g psi_C(g) P(g)`` (``psi_C`` = the distinct complex
constituents of ``psi``; real-valued, so no inverse is needed), with
entries in the real cyclotomic field ``Q(psi)``.  Permutation matrices are
orthogonal and ``W`` is invariant, so ``P(g)|_W`` is orthogonal.
Cartan–Dieudonné, constructively: while ``Q != I`` on ``W``, take a basis
vector ``x`` with ``Qx != x``, ``u = Qx - x``, and replace ``Q`` by
``H_u Q``; ``H_u`` swaps ``Qx`` and ``x`` and fixes ``Fix(Q)`` (``u`` is
orthogonal to it), so the fixed space grows by one each step and exactly
``codim_W(g)`` reflections are used.

Only the coset action ``c -> c g`` is used, which is an anti-homomorphism
in sympy's product convention; characters of ``psi`` are real, so the
character and the codim of ``P(g)|_W`` are those of ``psi(g)``.

Examples
--------
>>> from sympy.combinatorics.named_groups import SymmetricGroup
>>> from theory.characters import character_table
>>> from theory.minimal import min_nh_faithful
>>> t = character_table(SymmetricGroup(4))
>>> real = realize(t, min_nh_faithful(t).subset)
>>> real.ambient_dim, real.dim          # S4 on the 6 faces of the cube
(6, 3)
>>> g = t.representatives[-1]
>>> len(real.reflections(g)), real.verify_element(g)
(2, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from theory.characters import CharacterTable, Cyc, RealIrrep

__all__ = ["NoMultiplicityOneModule", "Realization", "realize"]


class NoMultiplicityOneModule(ValueError):
    """No cyclic subgroup gives a permutation module containing ``psi`` exactly once."""


def _mul(a: tuple, b: tuple) -> tuple:
    return tuple(b[i] for i in a)


def _dot(u: Sequence[Cyc], v: Sequence[Cyc], n: int) -> Cyc:
    # all vectors are real, so the real inner product needs no conjugation
    acc = Cyc.rational(0, n)
    for a, b in zip(u, v):
        if not a.is_zero() and not b.is_zero():
            acc = acc + a * b
    return acc


def _reflect(u: Sequence[Cyc], uu: Cyc, v: Sequence[Cyc], n: int) -> list[Cyc]:
    f = _dot(u, v, n)
    if f.is_zero():
        return list(v)
    c = (f + f) / uu
    return [b - c * a for a, b in zip(u, v)]


@dataclass
class _Block:
    irrep: int
    offset: int
    cosets: int
    coset_reps: list
    coset_of: dict


@dataclass
class Realization:
    """An exact orthogonal realisation ``W`` of a set of real irreducibles.

    Attributes
    ----------
    ambient_dim : int
        ``N``; the group acts on ``R^N`` by the block permutation matrices ``P(g)``.
    basis : list of list of Cyc
        A basis of ``W`` (real cyclotomic entries), ``len(basis) = dim``.
    subset : tuple of int
        The real irreps realised (indices into ``table.real_irreps``).
    field_order : int
        Entries lie in ``Q(zeta_field_order)`` (1 when all chosen irreps are rational).
    """

    table: CharacterTable
    subset: tuple[int, ...]
    ambient_dim: int
    basis: list[list[Cyc]]
    blocks: list[_Block] = field(repr=False)
    field_order: int = 1

    @property
    def dim(self) -> int:
        return len(self.basis)

    def permutation(self, g: Sequence[int]) -> list[int]:
        """``P(g)`` as the coordinate map ``e_c -> e_{perm[c]}``."""
        g = tuple(g)
        perm = [0] * self.ambient_dim
        for b in self.blocks:
            for c, x in enumerate(b.coset_reps):
                perm[b.offset + c] = b.offset + b.coset_of[_mul(x, g)]
        return perm

    def apply(self, g: Sequence[int], v: Sequence[Cyc]) -> list[Cyc]:
        """``P(g) v``."""
        perm = self.permutation(g)
        out = [None] * self.ambient_dim
        for c, x in enumerate(v):
            out[perm[c]] = x
        return out

    def codim(self, g: Sequence[int]) -> int:
        """``codim_W(g)`` from the characters (sum over the realised irreps)."""
        k = self.table.class_of[tuple(g)]
        return sum(self.table.real_irreps[i].codim[k] for i in self.subset)

    def reflections(self, g: Sequence[int]) -> list[list[Cyc]]:
        """Vectors ``u_1..u_r`` in ``W`` with ``P(g) w = H_{u_1}...H_{u_r} w`` on ``W``."""
        e = self.field_order
        # images of the basis under the current Q = H_{u_k}...H_{u_1} P(g)
        images = [self.apply(g, w) for w in self.basis]
        us: list[list[Cyc]] = []
        while True:
            j = next((j for j, (w, q) in enumerate(zip(self.basis, images)) if q != w), None)
            if j is None:
                return us
            u = [a - b for a, b in zip(images[j], self.basis[j])]
            uu = _dot(u, u, e)
            images = [_reflect(u, uu, q, e) for q in images]
            us.append(u)
            if len(us) > self.dim:
                raise RuntimeError("reflection factorisation did not terminate (internal error)")

    def verify_element(self, g: Sequence[int]) -> bool:
        """Exactly check ``P(g) w = H_{u_1}...H_{u_r} w`` on the basis and ``r = codim_W(g)``."""
        e = self.field_order
        us = self.reflections(g)
        if len(us) != self.codim(g):
            return False
        for w in self.basis:
            v = list(w)
            for u in reversed(us):  # rightmost factor H_{u_r} acts first
                v = _reflect(u, _dot(u, u, e), v, e)
            if v != self.apply(g, w):
                return False
        return True

    def verify(self) -> bool:
        """Check invariance of ``W``, orthogonality is automatic (permutations), and
        :meth:`verify_element` for every group element."""
        return all(self.verify_element(g) for g in self.table.elements)


def _cyclic_subgroup(h: tuple) -> list[tuple]:
    ident = tuple(range(len(h)))
    out, y = [ident], h
    while y != ident:
        out.append(y)
        y = _mul(y, h)
    return out


def _needed_fix(psi: RealIrrep) -> int:
    return {"real": 1, "complex": 2, "quaternionic": 4}[psi.kind]


def _block_for(table: CharacterTable, i: int, offset: int, e: int) -> tuple[_Block, list[list[Cyc]]]:
    psi = table.real_irreps[i]
    need = _needed_fix(psi)
    cands = [k for k in range(table.num_classes) if psi.dim_fix[k] == need]
    if not cands:
        raise NoMultiplicityOneModule(f"no cyclic subgroup H with dim Fix_psi(H) = {need} for real irrep {i}")
    k = max(cands, key=lambda k: (table.orders[k], -k))  # largest H: smallest module
    H = _cyclic_subgroup(table.representatives[k])
    coset_of: dict = {}
    reps: list = []
    for x in table.elements:
        if x not in coset_of:
            c = len(reps)
            reps.append(x)
            for h in H:
                coset_of[_mul(h, x)] = c
    n = len(reps)
    chi1 = table.characters[psi.constituents[0]][0].to_rational()
    # psi_C: the distinct complex constituents; their sum is real
    psic = [
        sum((table.characters[c][kk] for c in psi.constituents), Cyc.rational(0, table.exponent))
        for kk in range(table.num_classes)
    ]
    if e == 1:  # rational characters: compute in Q, much cheaper than Q(zeta_exponent)
        psic = [Cyc.rational(v.to_rational()) for v in psic]
    scale = chi1 / table.order
    # column c of E: scale * sum_g psi_C(g) e_{c.g}
    cols = []
    for c in range(n):
        col = [Cyc.rational(0, e) for _ in range(n)]
        for g in table.elements:
            d = coset_of[_mul(reps[c], g)]
            col[d] = col[d] + psic[table.class_of[g]]
        cols.append([x * scale for x in col])
    basis = _independent(cols, psi.degree, e)
    if len(basis) != psi.degree:
        raise RuntimeError("isotypic component has the wrong dimension (internal error)")
    full = []
    for v in basis:
        w = [Cyc.rational(0, e)] * offset + v
        full.append(w)
    return _Block(i, offset, n, reps, coset_of), full


def _independent(vectors: list[list[Cyc]], want: int, e: int) -> list[list[Cyc]]:
    """Greedy maximal linearly independent subset (exact elimination over Q(zeta_e))."""
    chosen: list[list[Cyc]] = []
    echelon: list[tuple[int, list[Cyc]]] = []  # (pivot, reduced vector with pivot entry 1)
    for v in vectors:
        r = list(v)
        for piv, row in echelon:
            f = r[piv]
            if not f.is_zero():
                r = [a - f * b for a, b in zip(r, row)]
        piv = next((j for j, x in enumerate(r) if not x.is_zero()), None)
        if piv is None:
            continue
        inv = r[piv].inverse()
        echelon.append((piv, [x * inv for x in r]))
        chosen.append(v)
        if len(chosen) == want:
            break
    return chosen


def realize(table: CharacterTable, subset: Sequence[int]) -> Realization:
    """Realise the real irreps ``subset`` inside a sum of permutation modules.

    Parameters
    ----------
    table : CharacterTable
    subset : sequence of int
        Indices into ``table.real_irreps`` (e.g. ``min_nh_faithful(table).subset``).

    Raises
    ------
    NoMultiplicityOneModule
        If some irrep has no cyclic subgroup giving a multiplicity-one module.
    """
    blocks, basis = [], []
    offset = 0
    # the field of the realisation: Q when every chosen irrep is rational-valued
    e = 1 if all(table.real_irreps[i].rational for i in subset) else table.exponent
    for i in subset:
        blk, vecs = _block_for(table, i, offset, e)
        blocks.append(blk)
        basis.extend(vecs)
        offset += blk.cosets
    basis = [v + [Cyc.rational(0, e)] * (offset - len(v)) for v in basis]
    return Realization(
        table=table, subset=tuple(subset), ambient_dim=offset, basis=basis, blocks=blocks, field_order=e
    )
