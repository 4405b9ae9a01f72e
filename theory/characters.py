"""Exact complex and real character tables of finite permutation groups.

The project computes these tables itself: GAP is used only as a test oracle.

Method
------
Conjugacy classes come from enumerating the group (breadth-first closure
over the generators, elements stored as permutation tuples) followed by
orbits of the conjugation action of the generators.  Element orders and
power maps are read off the representatives.

The complex character table is computed by the **Dixon–Schneider**
method, chosen over Burnside's complex-eigenvector method because every
step is exact integer arithmetic modulo a prime and the final values are
lifted to ``Z[zeta_e]`` with a closed formula, so no floating point or
algebraic-number eigen-solving is needed:

1. Choose the smallest prime ``p`` with ``p = 1 (mod e)`` (``e`` = exponent)
   and ``p > 2 sqrt(|G|)``.  Then ``p`` does not divide ``|G|`` (every prime
   factor of ``|G|`` divides ``e < p``), ``F_p`` contains the ``e``-th roots
   of unity, and the class algebra ``Z(F_p G)`` is split semisimple.
2. Class-multiplication matrices ``(M_j)_{ik} = #{x in C_j : x^{-1} z_k in C_i}``
   (``z_k`` the representative of ``C_k``) satisfy ``M_j w = omega_j w`` for
   the central character ``w = (omega(K_k))_k`` of each irreducible.  Their
   common eigenspaces over ``F_p`` are split one matrix at a time (lazily
   computed) until all are one-dimensional.
3. ``chi(1)^2 = |G| / sum_k omega_k omega_{k'} / |C_k|`` (``k'`` the inverse
   class) determines ``chi(1)`` since ``chi(1) <= sqrt|G| < p/2``; then
   ``chi(g_k) = omega_k chi(1) / |C_k|`` modulo ``p``.
4. With ``z`` a primitive ``e``-th root of unity in ``F_p`` and ``o = |g|``,
   the eigenvalue multiplicities ``m_l = (1/o) sum_j chi(g^j) z^{-jle/o}``
   lie in ``[0, chi(1)]`` so they are recovered exactly, and
   ``chi(g) = sum_l m_l zeta_e^{l e/o}``.  Reduction modulo ``p`` is a ring
   map ``Z[zeta_e] -> F_p`` sending ``zeta_e`` to *some* primitive root, so the
   lift yields a Galois conjugate of each irreducible; the set of lifts is
   still exactly ``Irr(G)``.

Every row is checked afterwards (``<chi, chi> = 1``, ``sum chi(1)^2 = |G|``).

Cost is about ``r |G|`` permutation products for the class matrices plus
``O(r^4)`` field operations for the splitting (``r`` = number of classes), so
``max_order`` and ``max_classes`` guard it: too-large inputs raise
:class:`GroupTooLarge` immediately, never hang.

Exact cyclotomic numbers are :class:`Cyc`: integer coefficient vectors on
``1, zeta_n, ..., zeta_n^{phi(n)-1}`` (the power basis, an integral basis of
``Z[zeta_n]``) with a common positive denominator.  They are JSON-friendly
and support ``+ - *``, ``conj``, Galois action, equality across different
``n`` and conversion to sympy.

Examples
--------
>>> from sympy.combinatorics.named_groups import SymmetricGroup
>>> t = character_table(SymmetricGroup(3))
>>> sorted(int(row[0].to_rational()) for row in t.characters)
[1, 1, 2]
>>> t.indicators
[1, 1, 1]
"""

from __future__ import annotations

from automata.groups import perm_order
from theory.errors import GroupTooLarge as _GroupTooLarge

import cmath
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "DEFAULT_MAX_CLASSES",
    "DEFAULT_MAX_ORDER",
    "DEFAULT_MAX_WORK",
    "CharacterTable",
    "Cyc",
    "GroupTooLarge",
    "RealIrrep",
    "catalog_groups",
    "character_table",
    "dicyclic_group",
    "group_elements",
    "sl23_group",
]

#: Default limit on |G|: enumeration plus class matrices stay within a few seconds.
DEFAULT_MAX_ORDER = 20000
#: Default limit on the number of conjugacy classes (eigenspace splitting is O(r^4)).
DEFAULT_MAX_CLASSES = 120
#: Default limit on permutation-entry operations (|G| * degree * (#generators or #classes)).
DEFAULT_MAX_WORK = 30_000_000


class GroupTooLarge(_GroupTooLarge):
    """Raised when a group exceeds a size limit of the exact method.

    The message names the offending argument and its limit. A subclass of
    :class:`theory.errors.GroupTooLarge`, so callers can catch either.
    """


# ---------------------------------------------------------------------------
# exact cyclotomic numbers
# ---------------------------------------------------------------------------


@functools.cache
def _cyclotomic_poly(n: int) -> tuple[int, ...]:
    """Coefficients (low to high) of the n-th cyclotomic polynomial (monic)."""
    # x^n - 1 = prod_{d | n} Phi_d(x): divide out the proper divisors exactly.
    num = [-1] + [0] * (n - 1) + [1]
    for d in range(1, n):
        if n % d == 0:
            num = _poly_exact_div(num, list(_cyclotomic_poly(d)))
    return tuple(num)


def _poly_exact_div(a: list[int], b: list[int]) -> list[int]:
    """Quotient of integer polynomial a by monic b (exact division)."""
    a = list(a)
    db = len(b) - 1
    q = [0] * (len(a) - db)
    for i in range(len(a) - 1, db - 1, -1):
        c = a[i]
        if c:
            q[i - db] = c
            for j in range(db + 1):
                a[i - db + j] -= c * b[j]
    assert not any(a), "inexact cyclotomic division"
    return q


@functools.cache
def _phi(n: int) -> int:
    return len(_cyclotomic_poly(n)) - 1


def _reduce_mod_phi(a: list[int], n: int) -> list[int]:
    """Reduce an integer polynomial in zeta_n modulo Phi_n (in place-safe copy)."""
    poly = _cyclotomic_poly(n)
    d = len(poly) - 1
    a = list(a)
    for i in range(len(a) - 1, d - 1, -1):
        c = a[i]
        if c:
            base = i - d
            for j in range(d):
                a[base + j] -= c * poly[j]
            a[i] = 0
    if len(a) < d:
        a += [0] * (d - len(a))
    return a[:d]


@functools.cache
def _mobius(n: int) -> int:
    m, res, q = n, 1, 2
    while q * q <= m:
        if m % q == 0:
            m //= q
            if m % q == 0:
                return 0
            res = -res
        q += 1
    if m > 1:
        res = -res
    return res


class Cyc:
    """Exact element of the cyclotomic field Q(zeta_n).

    Stored as ``(sum_k c[k] zeta_n^k) / den`` for ``k < phi(n)``, with integer
    ``c``, ``den > 0`` and ``gcd(c, den) = 1``.  ``zeta_n = exp(2 pi i / n)``.

    Parameters
    ----------
    n : int
        Order of the root of unity (any positive integer; need not be the
        conductor).
    coeffs : sequence of int or Fraction
        Coefficients on ``zeta_n^0, zeta_n^1, ...``; any length, exponents are
        taken modulo ``n`` and the result is reduced modulo ``Phi_n``.
    den : int, optional
        Common denominator.

    Examples
    --------
    >>> w = Cyc.zeta(3)
    >>> w * w * w == Cyc.rational(1)
    True
    >>> w + w.conj() == Cyc.rational(-1)
    True
    >>> Cyc.zeta(4) * Cyc.zeta(4) == Cyc.rational(-1, n=12)
    True
    """

    __slots__ = ("c", "den", "n")

    def __init__(self, n: int, coeffs: Sequence[int | Fraction] = (), den: int = 1):
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        folded = [Fraction(0)] * n
        for k, v in enumerate(coeffs):
            folded[k % n] += Fraction(v)
        # clear fractions: value = sum (v*L) zeta^k / (den*L)
        lcm = 1
        for v in folded:
            lcm = lcm * v.denominator // math.gcd(lcm, v.denominator)
        ints = [int(v * lcm) for v in folded]
        self._set(n, _reduce_mod_phi(ints, n), den * lcm)

    def _set(self, n: int, c: list[int], den: int) -> None:
        if den == 0:
            raise ZeroDivisionError("zero denominator")
        if den < 0:
            c, den = [-x for x in c], -den
        g = den
        for x in c:
            if g == 1:
                break
            g = math.gcd(g, x)
        if g > 1:
            c, den = [x // g for x in c], den // g
        self.n, self.c, self.den = n, tuple(c), den

    @classmethod
    def _raw(cls, n: int, c: Sequence[int], den: int = 1) -> Cyc:
        """Build from an already reduced length-phi(n) integer vector."""
        obj = object.__new__(cls)
        obj._set(n, list(c), den)
        return obj

    # -- constructors -----------------------------------------------------
    @classmethod
    def rational(cls, q: int | Fraction, n: int = 1) -> Cyc:
        """The rational number ``q`` as an element of Q(zeta_n)."""
        q = Fraction(q)
        return cls._raw(n, [q.numerator] + [0] * (_phi(n) - 1), q.denominator)

    @classmethod
    def zeta(cls, n: int, k: int = 1) -> Cyc:
        """``zeta_n^k`` with ``zeta_n = exp(2 pi i/n)``."""
        v = [0] * n
        v[k % n] = 1
        return cls(n, v)

    # -- field embedding ----------------------------------------------------
    def embed(self, m: int) -> Cyc:
        """The same number written in Q(zeta_m); requires ``n | m``."""
        if m == self.n:
            return self
        if m % self.n:
            raise ValueError(f"cannot embed Q(zeta_{self.n}) into Q(zeta_{m})")
        s = m // self.n
        v = [0] * m
        for k, x in enumerate(self.c):
            v[k * s] = x
        return Cyc._raw(m, _reduce_mod_phi(v, m), self.den)

    def _common(self, other: Cyc | int | Fraction) -> tuple[Cyc, Cyc]:
        if not isinstance(other, Cyc):
            other = Cyc.rational(other, self.n)
        if other.n == self.n:
            return self, other
        m = self.n * other.n // math.gcd(self.n, other.n)
        return self.embed(m), other.embed(m)

    # -- arithmetic ---------------------------------------------------------
    def __add__(self, other):
        if not isinstance(other, (Cyc, int, Fraction)):
            return NotImplemented
        a, b = self._common(other)
        den = a.den * b.den // math.gcd(a.den, b.den)
        fa, fb = den // a.den, den // b.den
        return Cyc._raw(a.n, [x * fa + y * fb for x, y in zip(a.c, b.c)], den)

    __radd__ = __add__

    def __neg__(self):
        return Cyc._raw(self.n, [-x for x in self.c], self.den)

    def __sub__(self, other):
        if not isinstance(other, (Cyc, int, Fraction)):
            return NotImplemented
        return self + (-(other if isinstance(other, Cyc) else Cyc.rational(other, self.n)))

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, (int, Fraction)):
            q = Fraction(other)
            return Cyc._raw(self.n, [x * q.numerator for x in self.c], self.den * q.denominator)
        if not isinstance(other, Cyc):
            return NotImplemented
        a, b = self._common(other)
        d = len(a.c)
        prod = [0] * (2 * d - 1) if d else []
        for i, x in enumerate(a.c):
            if x:
                for j, y in enumerate(b.c):
                    if y:
                        prod[i + j] += x * y
        return Cyc._raw(a.n, _reduce_mod_phi(prod, a.n), a.den * b.den)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, (int, Fraction)):
            q = Fraction(other)
            if q == 0:
                raise ZeroDivisionError("division by zero")
            return self * (1 / q)
        if isinstance(other, Cyc):
            if other.is_rational():
                return self / other.to_rational()
            return self * other.inverse()
        return NotImplemented

    def inverse(self) -> Cyc:
        """Multiplicative inverse: product of the other Galois conjugates over the norm.

        Examples
        --------
        >>> x = Cyc.zeta(5) + 2
        >>> x * x.inverse() == 1
        True
        """
        if self.is_zero():
            raise ZeroDivisionError("inverse of 0")
        if self.is_rational():
            return Cyc.rational(1 / self.to_rational(), self.n)
        others = Cyc.rational(1, self.n)
        for a in range(2, self.n):
            if math.gcd(a, self.n) == 1:
                others = others * self.galois(a)
        norm = (others * self).to_rational()  # N(x) is rational
        return others / norm

    def galois(self, a: int) -> Cyc:
        """Image under the automorphism ``zeta_n -> zeta_n^a`` (``gcd(a, n) = 1``)."""
        if math.gcd(a, self.n) != 1:
            raise ValueError(f"{a} is not a unit modulo {self.n}")
        v = [0] * self.n
        for k, x in enumerate(self.c):
            v[(k * a) % self.n] += x
        return Cyc._raw(self.n, _reduce_mod_phi(v, self.n), self.den)

    def conj(self) -> Cyc:
        """Complex conjugate."""
        return self.galois(-1)

    # -- predicates / conversions ----------------------------------------------
    def is_rational(self) -> bool:
        return not any(self.c[1:])

    def is_real(self) -> bool:
        return self == self.conj()

    def is_zero(self) -> bool:
        return not any(self.c)

    def to_rational(self) -> Fraction:
        """The value as a Fraction; raises ValueError if it is not rational."""
        if not self.is_rational():
            raise ValueError(f"{self!r} is not rational")
        return Fraction(self.c[0] if self.c else 0, self.den)

    def __eq__(self, other):
        if isinstance(other, (int, Fraction)):
            other = Cyc.rational(other, self.n)
        if not isinstance(other, Cyc):
            return NotImplemented
        a, b = self._common(other)
        return a.den == b.den and a.c == b.c

    def __hash__(self):
        # The normalised trace Tr/[Q(zeta_n):Q] does not depend on n, so equal
        # numbers written over different n hash equally.
        t = Fraction(0)
        n = self.n
        for k, x in enumerate(self.c):
            if x:
                m = n // math.gcd(k, n)
                t += Fraction(x * _mobius(m), _phi(m))
        return hash(t / self.den)

    def __complex__(self):
        s = sum(x * cmath.exp(2j * cmath.pi * k / self.n) for k, x in enumerate(self.c))
        return complex(s) / self.den

    def to_sympy(self):
        """Exact sympy expression ``sum c_k (cos(2 pi k/n) + i sin(2 pi k/n)) / den``.

        Examples
        --------
        >>> (Cyc.zeta(8) + Cyc.zeta(8, 7)).to_sympy()
        sqrt(2)
        """
        import sympy

        expr = sympy.Integer(0)
        for k, x in enumerate(self.c):
            if x:
                ang = 2 * sympy.pi * sympy.Rational(k, self.n)
                # cos + i sin lets sympy evaluate angles with known radicals (n = 3, 4, 5, 8, 12, ...)
                expr += sympy.Integer(x) * (sympy.cos(ang) + sympy.I * sympy.sin(ang))
        return sympy.expand(expr / sympy.Integer(self.den))

    def to_json(self) -> dict:
        """``{"n": n, "c": [...], "den": den}`` (plain ints)."""
        return {"n": self.n, "c": list(self.c), "den": self.den}

    @classmethod
    def from_json(cls, d: dict) -> Cyc:
        n = int(d["n"])
        c = [int(x) for x in d["c"]]
        if len(c) != _phi(n):
            raise ValueError(f"coefficient vector of Q(zeta_{n}) must have length {_phi(n)}")
        return cls._raw(n, c, int(d.get("den", 1)))

    def __repr__(self):
        terms = []
        for k, x in enumerate(self.c):
            if x:
                terms.append(f"{x}" if k == 0 else f"{x}*z{self.n}^{k}")
        s = " + ".join(terms) if terms else "0"
        return f"Cyc({s}{'' if self.den == 1 else f' / {self.den}'})"

    def sort_key(self) -> tuple:
        return (self.n, self.den, self.c)


# ---------------------------------------------------------------------------
# permutation groups
# ---------------------------------------------------------------------------

Perm = tuple  # array form: image of i is p[i]


def _mul(a: Perm, b: Perm) -> Perm:
    """Product ``a*b`` in sympy's convention: apply ``a`` first, then ``b``."""
    return tuple(b[i] for i in a)


def _inv(a: Perm) -> Perm:
    out = [0] * len(a)
    for i, x in enumerate(a):
        out[x] = i
    return tuple(out)


def group_elements(
    gens: Sequence[Sequence[int]], degree: int, max_order: int = DEFAULT_MAX_ORDER
) -> list[Perm]:
    """All elements of ``<gens>`` as array-form tuples (identity first).

    Raises :class:`GroupTooLarge` as soon as more than ``max_order`` elements
    are found.

    Examples
    --------
    >>> len(group_elements([[1, 2, 0], [1, 0, 2]], 3))
    6
    """
    ident = tuple(range(degree))
    gens = [tuple(g) for g in gens]
    seen = {ident}
    order = [ident]
    i = 0
    while i < len(order):
        x = order[i]
        i += 1
        for g in gens:
            y = _mul(x, g)
            if y not in seen:
                seen.add(y)
                order.append(y)
                if len(order) > max_order:
                    raise GroupTooLarge(f"group order exceeds max_order={max_order}")
    return order


def _perm_pow(p: Perm, k: int) -> Perm:
    res = tuple(range(len(p)))
    base = p
    while k:
        if k & 1:
            res = _mul(res, base)
        base = _mul(base, base)
        k >>= 1
    return res


# ---------------------------------------------------------------------------
# linear algebra modulo p
# ---------------------------------------------------------------------------


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


def _choose_prime(e: int, order: int) -> int:
    """Smallest prime p = 1 mod e with p > 2 sqrt(order)."""
    p = e + 1
    while not (_is_prime(p) and p * p > 4 * order):
        p += e
    return p


def _primitive_root_of_unity(e: int, p: int) -> int:
    """An element of multiplicative order exactly e in F_p (e | p-1)."""
    q = p - 1
    factors = {f for f in range(2, q + 1) if q % f == 0 and _is_prime(f)}
    for g in range(2, p):
        if all(pow(g, q // f, p) != 1 for f in factors):
            return pow(g, q // e, p)
    return 1  # p = 2, e = 1


def _rref(rows: list[list[int]], p: int) -> tuple[list[list[int]], list[int]]:
    """Reduced row echelon form of a list of vectors modulo p; returns (rows, pivots)."""
    rows = [[x % p for x in r] for r in rows]
    pivots: list[int] = []
    out: list[list[int]] = []
    ncols = len(rows[0]) if rows else 0
    r = 0
    for col in range(ncols):
        piv = next((i for i in range(r, len(rows)) if rows[i][col]), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        inv = pow(rows[r][col], p - 2, p)
        rows[r] = [(x * inv) % p for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col]:
                f = rows[i][col]
                ri = rows[i]
                rr = rows[r]
                rows[i] = [(a - f * b) % p for a, b in zip(ri, rr)]
        pivots.append(col)
        r += 1
        if r == len(rows):
            break
    out = rows[:r]
    return out, pivots


def _nullspace(a: list[list[int]], p: int) -> list[list[int]]:
    """Basis of {x : a x = 0} modulo p."""
    n = len(a[0])
    rr, piv = _rref(a, p)
    free = [c for c in range(n) if c not in piv]
    basis = []
    for f in free:
        v = [0] * n
        v[f] = 1
        for row, pc in zip(rr, piv):
            v[pc] = (-row[f]) % p
        basis.append(v)
    return basis


def _charpoly(a: list[list[int]], p: int) -> list[int]:
    """Characteristic polynomial (low to high, monic) of a square matrix mod p.

    Reduction to Hessenberg form by similarity, then the standard recurrence.
    """
    n = len(a)
    h = [[x % p for x in row] for row in a]
    for m in range(1, n - 1):
        i = next((i for i in range(m, n) if h[i][m - 1]), None)
        if i is None:
            continue
        if i != m:
            h[i], h[m] = h[m], h[i]
            for row in h:
                row[i], row[m] = row[m], row[i]
        inv = pow(h[m][m - 1], p - 2, p)
        for i in range(m + 1, n):
            u = h[i][m - 1] * inv % p
            if u:
                hm, hi = h[m], h[i]
                for j in range(n):
                    hi[j] = (hi[j] - u * hm[j]) % p
                for row in h:
                    row[m] = (row[m] + u * row[i]) % p
    polys: list[list[int]] = [[1]]
    for m in range(1, n + 1):
        prev = polys[m - 1]
        cur = [0] + prev  # x * p_{m-1}
        hmm = h[m - 1][m - 1]
        for k, c in enumerate(prev):
            cur[k] = (cur[k] - hmm * c) % p
        t = 1
        for i in range(m - 1, 0, -1):
            t = t * h[i][i - 1] % p
            coef = h[i - 1][m - 1] * t % p
            if coef:
                for k, c in enumerate(polys[i - 1]):
                    cur[k] = (cur[k] - coef * c) % p
        polys.append(cur)
    return polys[n]


def _roots_mod_p(f: list[int], p: int) -> list[int]:
    """Distinct roots in F_p of a polynomial (low to high), by deflation."""
    roots = []
    f = list(f)
    for a in range(p):
        if len(f) <= 1:
            break
        # synthetic division by (x - a)
        while len(f) > 1:
            q = [0] * (len(f) - 1)
            acc = 0
            for k in range(len(f) - 1, 0, -1):
                acc = (acc * a + f[k]) % p
                q[k - 1] = acc
            rem = (acc * a + f[0]) % p
            if rem:
                break
            if not roots or roots[-1] != a:
                roots.append(a)
            f = q
    return roots


# ---------------------------------------------------------------------------
# the character table
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RealIrrep:
    """A real irreducible character ``psi`` built from complex irreducibles.

    Attributes
    ----------
    kind : {"real", "complex", "quaternionic"}
        Frobenius–Schur type: ``psi = chi`` (nu = 1), ``chi + conj(chi)``
        (nu = 0), ``2 chi`` (nu = -1).
    constituents : tuple of int
        Indices of the complex irreducibles (``(i,)`` or ``(i, j)`` with
        ``chi_j = conj(chi_i)``).
    degree : int
        ``psi(1)``, the real dimension.
    values : tuple of Cyc
        ``psi`` on each class (real numbers).
    rational : bool
        Whether every value of ``psi`` is rational.
    dim_fix, codim : tuple of int
        ``dim Fix psi(g)`` and ``psi(1) - dim Fix psi(g)`` per class.
    kernel : tuple of int
        Classes with ``psi(g) = psi(1)``.
    """

    kind: str
    constituents: tuple[int, ...]
    degree: int
    values: tuple[Cyc, ...]
    rational: bool
    dim_fix: tuple[int, ...]
    codim: tuple[int, ...]
    kernel: tuple[int, ...]

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "constituents": list(self.constituents),
            "degree": self.degree,
            "rational": self.rational,
            "dim_fix": list(self.dim_fix),
            "codim": list(self.codim),
            "kernel": list(self.kernel),
        }


@dataclass
class CharacterTable:
    """Conjugacy classes, complex and real irreducible characters of a group.

    Class 0 is the identity class.  ``characters[i][k]`` is ``chi_i(g_k)`` as a
    :class:`Cyc` over ``Q(zeta_e)``, ``e = exponent``.  ``power_maps[k][j]`` is
    the class of ``g_k^j`` for ``0 <= j < orders[k]``.
    """

    degree: int
    generators: list[tuple[int, ...]]
    order: int
    exponent: int
    representatives: list[tuple[int, ...]]
    class_sizes: list[int]
    orders: list[int]
    power_maps: list[list[int]]
    inverse_class: list[int]
    characters: list[list[Cyc]]
    indicators: list[int]
    real_irreps: list[RealIrrep]
    prime: int
    elements: list[tuple[int, ...]] = field(repr=False, default_factory=list)
    class_of: dict = field(repr=False, default_factory=dict)

    @property
    def num_classes(self) -> int:
        return len(self.representatives)

    def degrees(self) -> list[int]:
        return [int(row[0].to_rational()) for row in self.characters]

    def inner_product(self, a: Sequence[Cyc], b: Sequence[Cyc]) -> Cyc:
        """``(1/|G|) sum_g a(g) conj(b(g))`` for class functions given per class."""
        s = _cyc_sum(((x * y.conj()) * size for size, x, y in zip(self.class_sizes, a, b)), self.exponent)
        return s / self.order

    def to_json(self) -> dict:
        """Plain-JSON description (see ``theory/README_characters.md``)."""
        e = self.exponent
        return {
            "format": "deltaproof.character_table/1",
            "degree": self.degree,
            "generators": [list(g) for g in self.generators],
            "order": self.order,
            "exponent": e,
            "classes": {
                "representatives": [list(r) for r in self.representatives],
                "sizes": list(self.class_sizes),
                "element_orders": list(self.orders),
                "power_maps": [list(pm) for pm in self.power_maps],
            },
            "cyclotomic_order": e,
            "value_basis": f"integer coefficients on zeta_{e}^k, k < phi({e}), zeta_n = exp(2 pi i/n)",
            "characters": [[list(v.embed(e).c) for v in row] for row in self.characters],
            "indicators": list(self.indicators),
            "real_irreps": [psi.to_json() for psi in self.real_irreps],
            "method": {"name": "Dixon-Schneider", "prime": self.prime},
        }


def _classes(elements: list[Perm], gens: list[Perm]) -> tuple[list[list[Perm]], dict]:
    """Conjugacy classes as orbits of conjugation by the generators."""
    ginv = [(g, _inv(g)) for g in gens]
    class_of: dict = {}
    classes: list[list[Perm]] = []
    for x in elements:
        if x in class_of:
            continue
        idx = len(classes)
        orbit = [x]
        class_of[x] = idx
        i = 0
        while i < len(orbit):
            y = orbit[i]
            i += 1
            for g, gi in ginv:
                z = _mul(_mul(gi, y), g)
                if z not in class_of:
                    class_of[z] = idx
                    orbit.append(z)
        classes.append(orbit)
    return classes, class_of


def character_table(
    G,
    *,
    max_order: int = DEFAULT_MAX_ORDER,
    max_classes: int = DEFAULT_MAX_CLASSES,
    max_work: int = DEFAULT_MAX_WORK,
) -> CharacterTable:
    """Exact character table of a permutation group by Dixon–Schneider.

    Parameters
    ----------
    G : sympy.combinatorics.PermutationGroup
        The group (its generators are used as given).
    max_order : int
        Refuse groups with more elements (:class:`GroupTooLarge`).
    max_classes : int
        Refuse groups with more conjugacy classes (:class:`GroupTooLarge`).
    max_work : int
        Refuse when ``|G| * degree * #generators`` (enumeration) or
        ``|G| * degree * #classes`` (class matrices) exceeds it, e.g. regular
        representations of large groups (:class:`GroupTooLarge`).

    Returns
    -------
    CharacterTable

    Examples
    --------
    >>> from sympy.combinatorics.named_groups import CyclicGroup
    >>> t = character_table(CyclicGroup(4))
    >>> t.num_classes, t.indicators.count(0)
    (4, 2)
    """
    degree = G.degree
    gens = [tuple(g.array_form) + tuple(range(len(g.array_form), degree)) for g in G.generators]
    if not gens:
        gens = [tuple(range(degree))]
    # sympy's Schreier–Sims order is cheap and lets us refuse before enumerating.
    order = int(G.order())
    if order > max_order:
        raise GroupTooLarge(f"|G| = {order} exceeds max_order={max_order}")
    if order * degree * len(gens) > max_work:
        raise GroupTooLarge(
            f"|G|*degree*#generators = {order * degree * len(gens)} exceeds max_work={max_work}"
        )
    elements = group_elements(gens, degree, max_order)
    classes, class_of = _classes(elements, gens)
    r = len(classes)
    if r > max_classes:
        raise GroupTooLarge(f"G has {r} conjugacy classes, exceeding max_classes={max_classes}")
    if order * degree * r > max_work:
        raise GroupTooLarge(f"|G|*degree*#classes = {order * degree * r} exceeds max_work={max_work}")

    # canonical order: identity first, then (element order, class size, least representative)
    info = []
    for cl in classes:
        rep = min(cl)
        info.append((perm_order(rep), len(cl), rep, cl))
    info.sort(key=lambda t: (t[0], t[1], t[2]))
    reps = [t[2] for t in info]
    sizes = [t[1] for t in info]
    orders = [t[0] for t in info]
    cls_members = [t[3] for t in info]
    class_of = {x: k for k, cl in enumerate(cls_members) for x in cl}
    exponent = 1
    for o in orders:
        exponent = exponent * o // math.gcd(exponent, o)
    power_maps = []
    for rep, o in zip(reps, orders):
        pm = []
        y = tuple(range(degree))
        for _ in range(o):
            pm.append(class_of[y])
            y = _mul(y, rep)
        power_maps.append(pm)
    inverse_class = [pm[-1] if len(pm) > 1 else pm[0] for pm in power_maps]

    chars_modp, p = _dixon_schneider(order, reps, sizes, cls_members, class_of, inverse_class)
    characters = _lift(chars_modp, p, exponent, orders, power_maps)
    # deterministic order: degree, trivial character first, then coefficient vectors
    characters.sort(
        key=lambda row: (
            int(row[0].to_rational()),
            any(v != row[0] for v in row),
            [v.sort_key() for v in row],
        )
    )
    tbl = CharacterTable(
        degree=degree,
        generators=gens,
        order=order,
        exponent=exponent,
        representatives=reps,
        class_sizes=sizes,
        orders=orders,
        power_maps=power_maps,
        inverse_class=inverse_class,
        characters=characters,
        indicators=[],
        real_irreps=[],
        prime=p,
        elements=elements,
        class_of=class_of,
    )
    _self_check(tbl)
    tbl.indicators = [_indicator(tbl, row) for row in characters]
    tbl.real_irreps = _real_irreps(tbl)
    return tbl


def _dixon_schneider(order, reps, sizes, cls_members, class_of, inverse_class):
    r = len(reps)
    e = 1
    for rep in reps:
        o = perm_order(rep)
        e = e * o // math.gcd(e, o)
    p = _choose_prime(e, order)
    rep_inv_needed = reps  # z_k

    def class_matrix(j: int) -> list[list[tuple[int, int]]]:
        # (M_j)_{ik} = #{x in C_j : x^{-1} z_k in C_i}, stored sparsely by column k
        cols: list[dict[int, int]] = [{} for _ in range(r)]
        for x in cls_members[j]:
            xi = _inv(x)
            for k, z in enumerate(rep_inv_needed):
                i = class_of[_mul(xi, z)]
                cols[k][i] = cols[k].get(i, 0) + 1
        return [list(c.items()) for c in cols]

    def apply(cols, b: list[int]) -> list[int]:
        img = [0] * r
        for c, bc in enumerate(b):
            if bc:
                for i, cnt in cols[c]:
                    img[i] += cnt * bc
        return [x % p for x in img]

    # spaces: list of RREF bases (rows) of column vectors in F_p^r
    spaces = [[[1 if i == j else 0 for j in range(r)] for i in range(r)]]
    # try larger classes first: they usually separate more characters
    for j in sorted(range(1, r), key=lambda j: -sizes[j]):
        if all(len(s) == 1 for s in spaces):
            break
        mj = class_matrix(j)
        new_spaces = []
        for basis in spaces:
            if len(basis) == 1:
                new_spaces.append(basis)
                continue
            basis, piv = _rref(basis, p)
            k = len(basis)
            # restricted matrix A with M (b_1..b_k) = (b_1..b_k) A
            images = [apply(mj, b) for b in basis]
            a = [[images[col][piv[row]] for col in range(k)] for row in range(k)]
            for lam in _roots_mod_p(_charpoly(a, p), p):
                shifted = [[(a[i][jj] - (lam if i == jj else 0)) % p for jj in range(k)] for i in range(k)]
                coords = _nullspace(shifted, p)
                vecs = [[sum(cv * b[c] for cv, b in zip(co, basis)) % p for c in range(r)] for co in coords]
                new_spaces.append(_rref(vecs, p)[0])
        spaces = new_spaces
    if len(spaces) != r or any(len(s) != 1 for s in spaces):
        raise RuntimeError("Dixon-Schneider splitting failed (internal error)")

    chars = []
    for (w,) in spaces:
        inv0 = pow(w[0], p - 2, p)
        omega = [x * inv0 % p for x in w]
        s = sum(omega[k] * omega[inverse_class[k]] * pow(sizes[k], p - 2, p) for k in range(r)) % p
        d2 = order * pow(s, p - 2, p) % p
        d = next((d for d in range(1, math.isqrt(order) + 1) if d * d % p == d2), None)
        if d is None:
            raise RuntimeError("no integer degree found (internal error)")
        chars.append([omega[k] * d * pow(sizes[k], p - 2, p) % p for k in range(r)])
    return chars, p


def _lift(chars_modp, p, e, orders, power_maps) -> list[list[Cyc]]:
    z = _primitive_root_of_unity(e, p)
    out = []
    for theta in chars_modp:
        deg = theta[0]
        row: list[Cyc | None] = [None] * len(orders)
        for k, o in enumerate(orders):
            if row[k] is not None:
                continue
            zo = pow(z, e // o, p)
            # table of zo^{-t}, t < o, so the inverse DFT needs no pow() calls
            zinv = pow(zo, p - 2, p) if o > 1 else 1
            zt = [1] * o
            for t in range(1, o):
                zt[t] = zt[t - 1] * zinv % p
            inv_o = pow(o, p - 2, p)
            a = [theta[power_maps[k][j]] for j in range(o)]
            vec = [0] * e
            step = e // o
            for l in range(o):
                s = 0
                t = 0
                for j in range(o):
                    s += a[j] * zt[t]
                    t += l
                    if t >= o:
                        t -= o
                m = s * inv_o % p
                if m > deg:
                    raise RuntimeError("eigenvalue multiplicity out of range (internal error)")
                vec[l * step] = m
            val = Cyc._raw(e, _reduce_mod_phi(vec, e))
            row[k] = val
            # chi(g^a) = sigma_a(chi(g)) for a prime to |g|: fill the rational class
            for a in range(2, o):
                if math.gcd(a, o) == 1:
                    kk = power_maps[k][a]
                    if row[kk] is None:
                        row[kk] = val.galois(_unit_lift(a, o, e))
        out.append(row)
    return out


def _unit_lift(a: int, o: int, e: int) -> int:
    """A unit modulo e congruent to a modulo o (o | e, gcd(a, o) = 1)."""
    b = a
    while math.gcd(b, e) != 1:
        b += o
    return b


def _cyc_sum(values: Iterable[Cyc], n: int) -> Cyc:
    """Sum of many Cyc over Q(zeta_n) with integer coefficients, done on raw vectors."""
    acc = [0] * _phi(n)
    rest = Cyc.rational(0, n)
    for v in values:
        if v.n == n and v.den == 1:
            for i, x in enumerate(v.c):
                acc[i] += x
        else:
            rest = rest + v
    return Cyc._raw(n, acc) + rest


def _self_check(tbl: CharacterTable) -> None:
    degs = tbl.degrees()
    if sum(d * d for d in degs) != tbl.order:
        raise RuntimeError("sum of squared degrees differs from |G| (internal error)")
    for row in tbl.characters:
        if tbl.inner_product(row, row) != 1:
            raise RuntimeError("character of norm != 1 (internal error)")


def _indicator(tbl: CharacterTable, row: Sequence[Cyc]) -> int:
    s = _cyc_sum(
        (row[tbl.power_maps[k][2 % tbl.orders[k]]] * size for k, size in enumerate(tbl.class_sizes)),
        tbl.exponent,
    )
    v = (s / tbl.order).to_rational()
    if v.denominator != 1 or v not in (-1, 0, 1):
        raise RuntimeError(f"bad Frobenius-Schur indicator {v} (internal error)")
    return int(v)


def _dim_fix(tbl: CharacterTable, values: Sequence[Cyc]) -> list[int]:
    out = []
    for k, o in enumerate(tbl.orders):
        s = _cyc_sum((values[tbl.power_maps[k][j]] for j in range(o)), tbl.exponent)
        v = (s / o).to_rational()
        if v.denominator != 1 or v < 0:
            raise RuntimeError("non-integral fixed-space dimension (internal error)")
        out.append(int(v))
    return out


def _real_irreps(tbl: CharacterTable) -> list[RealIrrep]:
    chars = tbl.characters
    conj_index = {}
    for i, row in enumerate(chars):
        cr = [v.conj() for v in row]
        conj_index[i] = next(j for j, other in enumerate(chars) if other == cr)
    out = []
    for i, row in enumerate(chars):
        nu = tbl.indicators[i]
        if nu == 1:
            kind, cons, vals = "real", (i,), list(row)
        elif nu == -1:
            kind, cons, vals = "quaternionic", (i,), [v * 2 for v in row]
        else:
            j = conj_index[i]
            if j < i:
                continue
            kind, cons, vals = "complex", (i, j), [a + b for a, b in zip(row, chars[j])]
        deg = int(vals[0].to_rational())
        dim_fix = _dim_fix(tbl, vals)
        out.append(
            RealIrrep(
                kind=kind,
                constituents=cons,
                degree=deg,
                values=tuple(vals),
                rational=all(v.is_rational() for v in vals),
                dim_fix=tuple(dim_fix),
                codim=tuple(deg - f for f in dim_fix),
                kernel=tuple(k for k, v in enumerate(vals) if v == vals[0]),
            )
        )
    return out


# ---------------------------------------------------------------------------
# group data (test and benchmark catalog)
# ---------------------------------------------------------------------------


def dicyclic_group(n: int):
    """Dicyclic group Dic_n of order 4n as its right regular permutation group.

    ``<a, x | a^{2n} = 1, x^2 = a^n, x a x^{-1} = a^{-1}>``; ``Dic_2 = Q8``,
    ``Dic_4 = Q16`` (generalized quaternion), ``Dic_3`` = "Dic12".

    Examples
    --------
    >>> dicyclic_group(2).order()
    8
    """
    from sympy.combinatorics import Permutation, PermutationGroup

    m = 2 * n
    elems = [(k, j) for j in range(2) for k in range(m)]
    index = {g: i for i, g in enumerate(elems)}

    def mult(g, h):
        (k, j), (l, jj) = g, h
        if j == 0:
            return ((k + l) % m, jj)
        # a^k x a^l x^jj = a^{k-l} x^{1+jj}, and x^2 = a^n
        return ((k - l + n) % m, 0) if jj == 1 else ((k - l) % m, 1)

    # right multiplication h -> h g is a homomorphism in sympy's convention
    gens = [Permutation([index[mult(h, g)] for h in elems]) for g in [(1, 0), (0, 1)]]
    return PermutationGroup(gens)


def sl23_group():
    """SL(2, 3) acting on the 8 nonzero vectors of F_3^2 (order 24).

    Examples
    --------
    >>> sl23_group().order()
    24
    """
    from sympy.combinatorics import Permutation, PermutationGroup

    vecs = [(a, b) for a in range(3) for b in range(3) if (a, b) != (0, 0)]
    index = {v: i for i, v in enumerate(vecs)}

    def perm(mat):
        (p, q), (r, s) = mat
        return Permutation([index[((p * a + q * b) % 3, (r * a + s * b) % 3)] for a, b in vecs])

    return PermutationGroup([perm(((1, 1), (0, 1))), perm(((1, 0), (1, 1)))])


def catalog_groups() -> dict:
    """The benchmark catalog: name -> sympy PermutationGroup.

    Z_m (m <= 12), Z2xZ2, Z2xZ2xZ2, Z4xZ2, Z3xZ3, S3..S6, A4..A6,
    D4..D8 (dihedral of order 2n), Q8, Q16, SL(2,3), Dic12, A4xZ5, S3xZ3,
    S3xS3, A5xZ2.
    """
    from sympy.combinatorics.group_constructs import DirectProduct
    from sympy.combinatorics.named_groups import AlternatingGroup, CyclicGroup, DihedralGroup, SymmetricGroup

    cat = {}
    for m in range(1, 13):
        cat[f"Z{m}"] = CyclicGroup(m)
    cat["Z2xZ2"] = DirectProduct(CyclicGroup(2), CyclicGroup(2))
    cat["Z2xZ2xZ2"] = DirectProduct(CyclicGroup(2), CyclicGroup(2), CyclicGroup(2))
    cat["Z4xZ2"] = DirectProduct(CyclicGroup(4), CyclicGroup(2))
    cat["Z3xZ3"] = DirectProduct(CyclicGroup(3), CyclicGroup(3))
    for n in range(3, 7):
        cat[f"S{n}"] = SymmetricGroup(n)
    for n in range(4, 7):
        cat[f"A{n}"] = AlternatingGroup(n)
    for n in range(4, 9):
        cat[f"D{n}"] = DihedralGroup(n)
    cat["Q8"] = dicyclic_group(2)
    cat["Q16"] = dicyclic_group(4)
    cat["SL(2,3)"] = sl23_group()
    cat["Dic12"] = dicyclic_group(3)
    cat["A4xZ5"] = DirectProduct(AlternatingGroup(4), CyclicGroup(5))
    cat["S3xZ3"] = DirectProduct(SymmetricGroup(3), CyclicGroup(3))
    cat["S3xS3"] = DirectProduct(SymmetricGroup(3), SymmetricGroup(3))
    cat["A5xZ2"] = DirectProduct(AlternatingGroup(5), CyclicGroup(2))
    return cat
