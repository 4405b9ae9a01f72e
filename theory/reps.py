"""Exact orthogonal representations of finite groups.

Convention: a representation satisfies ``rho(a * b) = rho(b) rho(a)`` where ``a * b`` is "a, then b" (see
:mod:`automata.groups`). Then the left-multiplying recurrence ``h_t = rho(x_t) h_{t-1}`` gives
``h_t = rho(acc_t) h_0`` with ``acc_t = x_1 * ... * x_t``. Matrices are exact (see :mod:`theory.exact`) and
exactly orthogonal; :meth:`Representation.validate` checks this and the group law on every (element, generator)
pair, which implies the law for all pairs.

Built-in representations (``builtin_representations(G)`` lists those that apply to a group):

==================  =============================================  =====================================
name                groups                                         field
==================  =============================================  =====================================
``permutation``     every group (its defining action)              QQ (integer keys ``e_i - e_j``)
``standard``        S_n, A_n, n <= 7: sum-zero subspace, dim n-1   QQ(sqrt(k(k+1))) (Helmert basis)
``signed-standard`` S_n: sgn(g) times the sum-zero part, in R^n    QQ (state in the sum-zero subspace)
``character``       any group: real irreps chosen by character       QQ (rational realisations only)
                    theory, inside a permutation module R^N
``sign``            Z2: the scalar -1                              QQ
``rotation2d``      Z_m: rotation by 2 pi k / m                    QQ(cos 2pi/m, sin 2pi/m)
``dihedral2d``      D_m, S3: rotations and reflections of the m-gon  QQ(cos 2pi/m, sin 2pi/m)
``tetrahedral``     A4: rotations of the tetrahedron (signed perms)  QQ
``octahedral``      S4: rotations of the cube (signed perms)       QQ
``icosahedral``     A5: rotations of the icosahedron               QQ(sqrt 5)
``quaternion``      Q8, Q_{2^k}, Dic_n: left multiplication on H   QQ(cos pi/n, sin pi/n)
``direct-sum``      products G x H: sum of the factors' reps       join of the fields
==================  =============================================  =====================================

The geometric ones are built from matrix generators; the isomorphism with the abstract group is found by a small
search over generator images (orders must match; the map must extend consistently along a breadth-first
traversal and be injective), so no hand-written correspondence can be wrong silently.

Examples
--------
>>> from automata import group
>>> rho = icosahedral(group("A5"))
>>> rho.dim, rho.field.name, rho.max_reflection_length()
(3, 'QQ<sqrt(5)>', 2)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import sympy

from automata.groups import Group
from automata.groups import group as make_group
from theory.errors import InvalidInput, NotOrthogonal
from theory.exact import ExactField, Mat
from theory.householder import reflection_length

__all__ = [
    "BUILTIN",
    "Representation",
    "builtin_representations",
    "dihedral2d",
    "direct_sum",
    "from_characters",
    "from_generator_images",
    "icosahedral",
    "octahedral",
    "permutation",
    "quaternion",
    "rotation2d",
    "sign",
    "signed_standard",
    "standard",
    "tetrahedral",
]


@dataclass(eq=False)
class Representation:
    """An exact orthogonal representation: one matrix per element id.

    Attributes
    ----------
    name : str
    group : Group
    field : ExactField
    matrices : list of Mat
        ``matrices[g]`` is ``rho(g)``, indexed by element id.
    """

    name: str
    group: Group
    field: ExactField
    matrices: list
    notes: str = ""
    _lengths: dict = field(default_factory=dict, repr=False)

    @property
    def dim(self) -> int:
        return len(self.matrices[0])

    @cached_property
    def is_rational(self) -> bool:
        F = self.field
        return F.is_rational_field or all(F.is_rational(x) for M in self.matrices for r in M for x in r)

    def reflection_length(self, g: int) -> int:
        """``rank(rho(g) - I)``: reflections needed for element ``g``."""
        if g not in self._lengths:
            self._lengths[g] = reflection_length(self.matrices[g], self.field)
        return self._lengths[g]

    def max_reflection_length(self, letters: Sequence[int] | None = None) -> int:
        ls = range(self.group.order) if letters is None else letters
        return max((self.reflection_length(g) for g in ls), default=0)

    def is_faithful(self) -> bool:
        return len(set(self.matrices)) == self.group.order

    def validate(self) -> Representation:
        """Check orthogonality of every matrix and ``rho(a*s) = rho(s) rho(a)`` for all a and generators s."""
        F, G = self.field, self.group
        if len(self.matrices) != G.order:
            raise InvalidInput(f"matrices: expected {G.order} matrices, got {len(self.matrices)}")
        for g, M in enumerate(self.matrices):
            if not F.is_orthogonal(M):
                raise NotOrthogonal(f"matrices[{g}]: rho({G.cycle_notation(g)}) is not orthogonal")
        for a in range(G.order):
            for s in G.generators:
                if self.matrices[G.mul(a, s)] != F.matmul(self.matrices[s], self.matrices[a]):
                    raise InvalidInput(f"matrices: rho(a*s) != rho(s) rho(a) for a={a}, s={s}; not a representation")
        return self


# ----------------------------------------------------------------------------------------------------------
# generic builders
# ----------------------------------------------------------------------------------------------------------

def from_generator_images(G: Group, name: str, F: ExactField, matrix_gens: Sequence[Mat], notes: str = "") -> Representation:
    """Find a faithful representation of ``G`` inside the matrix group generated by ``matrix_gens``.

    The matrix group is closed by breadth-first search; then generator images are searched among matrices of
    the right orders until the map extends consistently to an injective map on all of ``G``.
    Raises :class:`InvalidInput` when the matrix group is not isomorphic to ``G``.
    """
    n = len(matrix_gens[0])
    ident = F.identity(n)
    mats, index = [ident], {ident: 0}
    frontier = [ident]
    while frontier:
        nxt = []
        for A in frontier:
            for Bm in matrix_gens:
                C = F.matmul(Bm, A)
                if C not in index:
                    index[C] = len(mats)
                    mats.append(C)
                    nxt.append(C)
                    if len(mats) > G.order:
                        raise InvalidInput(f"{name}: matrix group is larger than {G.spec} (order {G.order})")
        frontier = nxt
    if len(mats) != G.order:
        raise InvalidInput(f"{name}: matrix group has order {len(mats)}, {G.spec} has order {G.order}")

    # "a, then b" on matrices is B @ A; tabulate it by index.
    tab = [[index[F.matmul(B, A)] for B in mats] for A in mats]

    def morder(i):
        k, j = 1, i
        while j != 0:
            j, k = tab[j][i], k + 1
        return k

    mord = [morder(i) for i in range(len(mats))]
    gens = G.generators
    cands = [[i for i in range(len(mats)) if mord[i] == G.element_order(s)] for s in gens]
    order_bfs = _bfs_order(G, gens)
    for choice in itertools.product(*cands):
        img = {G.identity: 0}
        ok = True
        for a, s_pos, b in order_bfs:
            im = tab[img[a]][choice[s_pos]]
            if b in img:
                if img[b] != im:
                    ok = False
                    break
            else:
                img[b] = im
        if ok and len(set(img.values())) == G.order:
            rep = Representation(name, G, F, [mats[img[g]] for g in range(G.order)], notes)
            return rep
    raise InvalidInput(f"{name}: no isomorphism from {G.spec} onto the matrix group was found")


def _bfs_order(G: Group, gens) -> list[tuple[int, int, int]]:
    """(a, generator position, a*s) for every element a reached breadth first and every generator s."""
    seen, out, queue = {G.identity}, [], [G.identity]
    while queue:
        nxt = []
        for a in queue:
            for k, s in enumerate(gens):
                b = G.mul(a, s)
                out.append((a, k, b))
                if b not in seen:
                    seen.add(b)
                    nxt.append(b)
        queue = nxt
    return out


def _perm_matrix(p: Sequence[int], F: ExactField) -> Mat:
    n = len(p)
    rows = [[F.zero] * n for _ in range(n)]
    for i, pi in enumerate(p):
        rows[pi][i] = F.one  # P e_i = e_{p(i)}
    return tuple(tuple(r) for r in rows)


# ----------------------------------------------------------------------------------------------------------
# built-in representations
# ----------------------------------------------------------------------------------------------------------

def permutation(G: Group) -> Representation:
    """The defining permutation representation ``P(p) e_i = e_{p(i)}`` (rational; reflections along e_i - e_j)."""
    F = ExactField()
    return Representation("permutation", G, F, [_perm_matrix(e, F) for e in G.elements],
                          f"defining action on {G.degree} points")


def standard(G: Group) -> Representation:
    """The sum-zero subspace of the permutation representation, in the orthonormal Helmert basis (dim n-1).

    Only for groups acting on n <= 7 points whose action is the natural one of S_n or A_n.
    """
    n = G.degree
    if n < 2 or n > 7:
        raise InvalidInput(f"standard: needs 2 <= degree <= 7, got {n}")
    gens = [f"sqrt({k * (k + 1)})" for k in range(1, n)]
    F = ExactField(gens)
    # Helmert basis: b_k = (1, ..., 1, -k, 0, ..., 0) / sqrt(k(k+1)), k = 1..n-1 (k ones).
    basis = []
    for k in range(1, n):
        norm = F.parse(f"sqrt({k * (k + 1)})")
        basis.append(tuple([F.one / norm] * k + [F.parse(-k) / norm] + [F.zero] * (n - k - 1)))
    mats = []
    for e in G.elements:
        # (B^T P B)_{ab} = b_a . P b_b, with (P b)_{p(i)} = b_i
        imgs = []
        for b in basis:
            pb = [F.zero] * n
            for i, pi in enumerate(e):
                pb[pi] = b[i]
            imgs.append(pb)
        mats.append(tuple(tuple(F.dot(basis[a], imgs[c]) for c in range(n - 1)) for a in range(n - 1)))
    return Representation("standard", G, F, mats, "sum-zero subspace, Helmert orthonormal basis")


def _projector_extension(F: ExactField, perms: Sequence[Sequence[int]], signs: Sequence[int], proj: Mat) -> list:
    """``M(g) = s(g) P(g) Pi + (I - Pi)``: orthogonal on R^N when ``Pi`` is the orthogonal projector onto a
    subspace W invariant under every ``P(g)``; ``M(g)`` acts as ``s(g) P(g)`` on W and as the identity on W^perp,
    so ``rank(M(g) - I)`` is the codimension of the fixed space of ``g`` on W alone."""
    N = len(proj)
    ident = F.identity(N)
    out = []
    for p, sg in zip(perms, signs):
        # (P Pi)[i][j] = Pi[p^{-1}(i)][j], because (P x)_{p(k)} = x_k
        inv = [0] * N
        for k, pk in enumerate(p):
            inv[pk] = k
        c = F.parse(sg)
        out.append(tuple(tuple(c * proj[inv[i]][j] + ident[i][j] - proj[i][j] for j in range(N)) for i in range(N)))
    return out


def signed_standard(G: Group) -> Representation:
    """S_n acting on the sum-zero subspace of R^n by ``g -> sgn(g) P(g)``, embedded in R^n (identity on 1).

    The sign twist lowers the reflection count of some groups: for S6 every element needs at most 4 reflections
    (versus 5 for the 6-cycle in the plain permutation representation), matching the character-theory minimum.
    Rational, so its keys are exact in every floating-point format that holds the entries.
    """
    n = G.degree
    if n < 3 or G.order != math.factorial(n):
        raise InvalidInput(f"signed-standard: needs a symmetric group S_n, n >= 3, got {G.spec}")
    F = ExactField()
    third = F.one / F.parse(n)
    proj = tuple(tuple((F.one if i == j else F.zero) - third for j in range(n)) for i in range(n))
    signs = [_perm_sign(e) for e in G.elements]
    return Representation("signed-standard", G, F, _projector_extension(F, G.elements, signs, proj),
                          "sgn(g) P(g) on the sum-zero subspace, identity on (1, ..., 1)")


def _perm_sign(p: Sequence[int]) -> int:
    seen, s = set(), 1
    for i in range(len(p)):
        if i in seen:
            continue
        j, k = i, 0
        while j not in seen:
            seen.add(j)
            j = p[j]
            k += 1
        s *= -1 if k % 2 == 0 else 1
    return s


def from_characters(G: Group, table=None, subset=None, max_ambient: int = 48) -> Representation:
    """A representation built from character data: the real irreducibles that attain the minimal ``n_h``
    (:func:`theory.minimal.min_nh_faithful`), realised inside a permutation module ``R^N`` by
    :func:`theory.realize.realize` and extended by the identity on the complement of their span.

    Only rational realisations are converted (entries in QQ); :class:`InvalidInput` otherwise, or when the
    ambient dimension exceeds ``max_ambient``.
    """
    from theory.characters import character_table
    from theory.minimal import min_nh_faithful
    from theory.realize import realize

    table = character_table(G.perm_group) if table is None else table
    subset = min_nh_faithful(table).subset if subset is None else subset
    real = realize(table, subset)
    if real.ambient_dim > max_ambient:
        raise InvalidInput(f"character: ambient dimension {real.ambient_dim} exceeds {max_ambient}")
    if real.field_order != 1:
        raise InvalidInput("character: only rational realisations are supported (irrational character values)")
    F = ExactField()
    B = [[F.parse(x.to_rational()) for x in v] for v in real.basis]
    proj = _orthogonal_projector(F, B)
    perms = [real.permutation(g) for g in G.elements]
    mats = _projector_extension(F, perms, [1] * len(perms), proj)
    rep = Representation("character", G, F, mats, f"real irreps {list(subset)} in a permutation module of dim "
                         f"{real.ambient_dim}; state space of dim {real.dim}")
    rep.validate()  # independent of the realisation's own checks
    return rep


def _orthogonal_projector(F: ExactField, B: list) -> Mat:
    """``B^T (B B^T)^{-1} B`` for a basis given as rows ``B`` (exact Gauss-Jordan on the Gram matrix)."""
    k, N = len(B), len(B[0])
    gram = [[F.dot(B[i], B[j]) for j in range(k)] + [F.one if i == j else F.zero for j in range(k)] for i in range(k)]
    for c in range(k):
        piv = next(r for r in range(c, k) if gram[r][c] != F.zero)
        gram[c], gram[piv] = gram[piv], gram[c]
        inv = F.one / gram[c][c]
        gram[c] = [x * inv for x in gram[c]]
        for r in range(k):
            if r != c and gram[r][c] != F.zero:
                f = gram[r][c]
                gram[r] = [a - f * b for a, b in zip(gram[r], gram[c])]
    ginv = [row[k:] for row in gram]
    C = [[sum((ginv[i][j] * B[j][col] for j in range(k)), F.zero) for col in range(N)] for i in range(k)]
    return tuple(tuple(sum((B[i][r] * C[i][c] for i in range(k)), F.zero) for c in range(N)) for r in range(N))


def sign(G: Group) -> Representation:
    """Z2 as the scalar -1 ([GZ] Thm 3 with m = 2)."""
    if G.order != 2:
        raise InvalidInput(f"sign: only for groups of order 2, got {G.spec}")
    F = ExactField()
    return Representation("sign", G, F, [((F.one,),), ((-F.one,),)], "scalar -1")


def _rot(F: ExactField, c, s) -> Mat:
    return ((c, -s), (s, c))


def _cos_sin_field(num: int, den: int) -> tuple[ExactField, object, object]:
    """Field containing cos and sin of 2 pi num / den, and those elements."""
    ang = 2 * sympy.pi * sympy.Rational(num, den)
    c, s = sympy.cos(ang), sympy.sin(ang)
    gens = [g for g in (c, s) if not g.is_rational]
    F = ExactField(gens)
    return F, F.parse(c), F.parse(s)


def rotation2d(G: Group) -> Representation:
    """Z_m (m >= 2) as rotations of the plane by 2 pi k / m ([GZ] C.3)."""
    m = G.order
    if not (G.is_abelian() and len(G.generators) == 1 and G.element_order(G.generators[0]) == m and m >= 2):
        raise InvalidInput(f"rotation2d: needs a cyclic group of order >= 2 given by one generator, got {G.spec}")
    F, c, s = _cos_sin_field(1, m)
    return from_generator_images(G, "rotation2d", F, [_rot(F, c, s)], f"rotation by 2pi/{m}")


def dihedral2d(G: Group) -> Representation:
    """D_m (order 2m, m >= 3) as symmetries of the regular m-gon: rotations and reflections."""
    m = G.order // 2
    if m < 3:
        raise InvalidInput(f"dihedral2d: needs a dihedral group of order >= 6, got {G.spec}")
    F, c, s = _cos_sin_field(1, m)
    refl = ((F.one, F.zero), (F.zero, -F.one))
    return from_generator_images(G, "dihedral2d", F, [_rot(F, c, s), refl], f"symmetries of the {m}-gon")


def tetrahedral(G: Group) -> Representation:
    """A4 as rotations of the tetrahedron: R(e_z, pi) and the 3-cycle of axes (signed permutation matrices)."""
    F = ExactField()
    half = F.mat([[-1, 0, 0], [0, -1, 0], [0, 0, 1]])
    cyc = F.mat([[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    return from_generator_images(G, "tetrahedral", F, [half, cyc], "rotations of the tetrahedron, signed permutations")


def octahedral(G: Group) -> Representation:
    """S4 as rotations of the cube: R(e_z, pi/2) and the 3-cycle of axes (signed permutation matrices)."""
    F = ExactField()
    quarter = F.mat([[0, -1, 0], [1, 0, 0], [0, 0, 1]])
    cyc = F.mat([[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    return from_generator_images(G, "octahedral", F, [quarter, cyc], "rotations of the cube, signed permutations")


def _rodrigues(axis, angle) -> list[list[sympy.Expr]]:
    """Exact rotation matrix about ``axis`` by ``angle`` as sympy expressions."""
    a = sympy.Matrix(axis)
    u = a / sympy.sqrt(a.dot(a))
    c, s = sympy.cos(angle), sympy.sin(angle)
    K = sympy.Matrix([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    R = c * sympy.eye(3) + s * K + (1 - c) * (u * u.T)
    return [[sympy.radsimp(sympy.nsimplify(sympy.simplify(R[i, j]), [sympy.sqrt(5)])) for j in range(3)] for i in range(3)]


def icosahedral(G: Group) -> Representation:
    """A5 as rotations of the icosahedron, entries in QQ(sqrt 5) (THEORY.md §4.3)."""
    F = ExactField(["sqrt(5)"])
    phi = (1 + sympy.sqrt(5)) / 2
    R5 = _rodrigues([0, 1, phi], 2 * sympy.pi / 5)
    R3 = _rodrigues([1, 1, 1], 2 * sympy.pi / 3)
    return from_generator_images(G, "icosahedral", F, [F.mat(R5), F.mat(R3)], "rotations of the icosahedron")


def quaternion(G: Group) -> Representation:
    """Dicyclic groups Dic_n (Q8 = Dic_2, Q_{2^k} = Dic_{2^(k-2)}) as left multiplication on the quaternions R^4.

    ``a -> L(cos(pi/n) + sin(pi/n) i)``, ``x -> L(j)`` in the basis (1, i, j, k); every non-identity element
    moves every nonzero vector, so each needs 4 reflections.
    """
    if G.order % 4 or G.order < 8:
        raise InvalidInput(f"quaternion: needs a dicyclic group of order 4n >= 8, got {G.spec}")
    n = G.order // 4
    F, c, s = _cos_sin_field(1, 2 * n)

    def left(q):  # matrix of x -> q x in the basis (1, i, j, k), q = (w, x, y, z)
        w, x, y, z = q
        return ((w, -x, -y, -z), (x, w, -z, y), (y, z, w, -x), (z, -y, x, w))

    a = left((c, s, F.zero, F.zero))
    j = left((F.zero, F.zero, F.one, F.zero))
    return from_generator_images(G, "quaternion", F, [a, j], "left multiplication by unit quaternions")


def direct_sum(G: Group, parts: Sequence[tuple[Group, Representation]], name: str | None = None) -> Representation:
    """For ``G = G_1 x ... x G_r`` (a product spec), the block-diagonal sum of factor representations."""
    if len(parts) != len(G.factors):
        raise InvalidInput(f"parts: {G.spec} has {len(G.factors)} factors, got {len(parts)} representations")
    F = ExactField()
    for _, r in parts:
        F = F.join(r.field)
    sizes = [H.order for H, _ in parts]
    dims = [r.dim for _, r in parts]
    conv = [[tuple(tuple(F.parse(r.field.to_sympy(x)) if r.field != F else x for x in row) for row in M)
             for M in r.matrices] for _, r in parts]
    mats = []
    total = sum(dims)
    for gid in range(G.order):
        ids, rem = [], gid
        for size in reversed(sizes):
            ids.append(rem % size)
            rem //= size
        ids.reverse()
        rows = []
        off = 0
        for k, (d, i) in enumerate(zip(dims, ids)):
            for row in conv[k][i]:
                rows.append(tuple([F.zero] * off + list(row) + [F.zero] * (total - off - d)))
            off += d
        mats.append(tuple(rows))
    nm = name or "direct-sum(" + ", ".join(r.name for _, r in parts) + ")"
    return Representation(nm, G, F, mats, "block diagonal over the factors")


# ----------------------------------------------------------------------------------------------------------
# registry
# ----------------------------------------------------------------------------------------------------------

def _atom_kind(spec: str) -> tuple[str, int] | None:
    import re

    m = re.fullmatch(r"(S|A|Z|D|Q|Dic)(\d+)", spec)
    return (m.group(1), int(m.group(2))) if m else None


def _atom_builders(spec: str) -> list[tuple[str, Callable[[Group], Representation]]]:
    kind = _atom_kind(spec)
    out: list[tuple[str, Callable]] = []
    if kind is None:
        return [("permutation", permutation)]
    k, n = kind
    if k == "Z" and n == 2:
        out.append(("sign", sign))
    if k == "Z" and n >= 3:
        out.append(("rotation2d", rotation2d))
    if k == "D" and n >= 3:
        out.append(("dihedral2d", dihedral2d))
    if k == "S" and n == 3:
        out.append(("dihedral2d", dihedral2d))
    if k == "S" and n == 4:
        out.append(("octahedral", octahedral))
    if k == "A" and n == 4:
        out.append(("tetrahedral", tetrahedral))
    if k == "A" and n == 5:
        out.append(("icosahedral", icosahedral))
    if k in ("Q", "Dic"):
        out.append(("quaternion", quaternion))
    out.append(("permutation", permutation))
    if k == "S" and n >= 3:
        out.append(("signed-standard", signed_standard))
    if k in "SA" and 3 <= n <= 7:
        out.append(("standard", standard))
    return out


BUILTIN = ("permutation", "standard", "signed-standard", "character", "sign", "rotation2d", "dihedral2d", "tetrahedral", "octahedral",
           "icosahedral", "quaternion", "direct-sum")


def builtin_representations(G: Group) -> list[tuple[str, Callable[[], Representation]]]:
    """Names and zero-argument builders of the built-in representations that apply to ``G``.

    For a product ``G_1 x ... x G_r`` the candidates are the direct sums of each factor's best candidate
    (fewest reflections, then rational, then smallest dimension), and the defining permutation action.
    """
    if not G.factors:
        return [(nm, (lambda b=b: b(G))) for nm, b in _atom_builders(G.spec)]

    def best_sum():
        parts = []
        for f in G.factors:
            H = make_group(f)
            reps = [b(H) for _, b in _atom_builders(f)]
            reps.sort(key=lambda r: (r.max_reflection_length(), not r.is_rational, r.dim))
            parts.append((H, reps[0]))
        return direct_sum(G, parts)

    return [("direct-sum", best_sum), ("permutation", lambda: permutation(G))]
