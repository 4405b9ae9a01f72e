"""Minimal number of Householder factors for a faithful orthogonal representation.

A one-layer DeltaProduct with ``n_h`` reflections per token tracks a finite
group ``G`` exactly when ``G`` has a faithful real orthogonal representation
``rho`` with ``rank(rho(g) - I) <= n_h`` for every ``g`` (Cartan–Dieudonné:
an orthogonal ``Q`` is a product of exactly ``rank(Q - I)`` reflections and
no fewer).  Writing ``rho`` as a sum of real irreducibles ``psi`` (codim is
additive), the optimum is::

    min_n_h(G) = min over faithful sets S of real irreps of
                 max_g sum_{psi in S} codim_psi(g)

Using a real irrep twice never helps (the kernel is unchanged while codim
and dimension only grow), and a faithful set that is not inclusion-minimal
is dominated by a minimal one, so the search runs over inclusion-minimal
faithful subsets: a depth-first search that adds irreps in index order only
when they strictly shrink the common kernel, stops growing once the kernel
is trivial, and prunes by the best ``(n_h, dim)`` found.

:func:`check_min_nh_certificate` re-verifies a certificate from its JSON
alone with its own code (closure, classes, power maps, character-table
axioms, class-algebra homomorphism test, indicators, fixed-space
dimensions, exhaustive subset search); it shares only :class:`Cyc` with the
producer.

Examples
--------
>>> from sympy.combinatorics.named_groups import SymmetricGroup
>>> from theory.characters import character_table
>>> res = min_nh_faithful(character_table(SymmetricGroup(4)))
>>> res.min_n_h, res.dim, res.rational
(2, 3, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import gcd as _gcd

from theory.characters import CharacterTable, Cyc

__all__ = [
    "CHECKER_MAX_IRREPS",
    "CertificateError",
    "CheckReport",
    "MinNhResult",
    "check_min_nh_certificate",
    "min_nh_certificate",
    "min_nh_faithful",
]

#: The checker enumerates all 2^m subsets of nontrivial real irreps; refuse beyond this m.
CHECKER_MAX_IRREPS = 22


@dataclass(frozen=True)
class MinNhResult:
    """Optimal faithful orthogonal representation for DeltaProduct tracking.

    Attributes
    ----------
    min_n_h : int
        Least ``max_g codim Fix(rho(g))`` over faithful real representations.
    dim : int
        Least total dimension among representations attaining ``min_n_h``.
    subset : tuple of int
        Indices into ``table.real_irreps`` of an optimal representation
        (ties broken towards rational-valued, then lexicographically).
    degrees, kinds : tuple
        Degree and Frobenius–Schur kind of each chosen real irrep.
    rational : bool
        Whether every chosen real irrep has rational character values.
    codim : tuple of int
        ``codim Fix(rho(g_k))`` per class ``k`` of the chosen representation.
    witness_class : int
        A class where the maximum codim is attained.
    """

    min_n_h: int
    dim: int
    subset: tuple[int, ...]
    degrees: tuple[int, ...]
    kinds: tuple[str, ...]
    rational: bool
    codim: tuple[int, ...]
    witness_class: int

    def to_json(self) -> dict:
        return {
            "min_n_h": self.min_n_h,
            "dim": self.dim,
            "subset": list(self.subset),
            "degrees": list(self.degrees),
            "kinds": list(self.kinds),
            "rational": self.rational,
            "codim": list(self.codim),
            "witness_class": self.witness_class,
        }


def min_nh_faithful(table: CharacterTable) -> MinNhResult:
    """Exact minimum ``n_h`` over faithful real orthogonal representations.

    Parameters
    ----------
    table : CharacterTable
        From :func:`theory.characters.character_table`.

    Returns
    -------
    MinNhResult

    Examples
    --------
    >>> from sympy.combinatorics.named_groups import CyclicGroup
    >>> from theory.characters import character_table
    >>> r = min_nh_faithful(character_table(CyclicGroup(5)))
    >>> r.min_n_h, r.dim, r.kinds
    (2, 2, ('complex',))
    """
    irreps = table.real_irreps
    r = table.num_classes
    masks = [sum(1 << k for k in psi.kernel) for psi in irreps]
    full = (1 << r) - 1
    # the trivial irrep (kernel = G) can never shrink a kernel
    cand = sorted((i for i in range(len(irreps)) if masks[i] != full), key=lambda i: (irreps[i].degree, i))
    best: list = []  # [(nh, dim, not rational, sorted subset), codim]

    def consider(chosen: list[int], codim: list[int], dim: int) -> None:
        nh = max(codim) if codim else 0
        key = (nh, dim, not all(irreps[i].rational for i in chosen), tuple(sorted(chosen)))
        if not best or key < best[0]:
            best[:] = [key, list(codim)]

    def dfs(start: int, ker: int, codim: list[int], dim: int, chosen: list[int]) -> None:
        if ker == 1:  # only the identity class (class 0) remains: faithful
            consider(chosen, codim, dim)
            return
        for idx in range(start, len(cand)):
            i = cand[idx]
            new_ker = ker & masks[i]
            if new_ker == ker:  # would not be inclusion-minimal
                continue
            psi = irreps[i]
            new_codim = [a + b for a, b in zip(codim, psi.codim)]
            nh, nd = max(new_codim), dim + psi.degree
            # codim and dim only grow along a branch
            if best and (nh, nd) > best[0][:2]:
                continue
            chosen.append(i)
            dfs(idx + 1, new_ker, new_codim, nd, chosen)
            chosen.pop()

    dfs(0, full, [0] * r, 0, [])
    (nh, dim, _, subset), codim = best
    return MinNhResult(
        min_n_h=nh,
        dim=dim,
        subset=subset,
        degrees=tuple(irreps[i].degree for i in subset),
        kinds=tuple(irreps[i].kind for i in subset),
        rational=all(irreps[i].rational for i in subset),
        codim=tuple(codim),
        witness_class=codim.index(nh) if codim else 0,
    )


def min_nh_certificate(table: CharacterTable) -> dict:
    """JSON certificate: the character table plus the optimum.

    Format ``{"format": "deltaproof.min_nh_certificate/1", "table": <table.to_json()>,
    "result": <MinNhResult.to_json()> + {"witness_element": [...]}}``.

    Examples
    --------
    >>> from sympy.combinatorics.named_groups import SymmetricGroup
    >>> from theory.characters import character_table
    >>> cert = min_nh_certificate(character_table(SymmetricGroup(3)))
    >>> check_min_nh_certificate(cert).min_n_h
    2
    """
    res = min_nh_faithful(table)
    out = res.to_json()
    out["witness_element"] = list(table.representatives[res.witness_class])
    return {"format": "deltaproof.min_nh_certificate/1", "table": table.to_json(), "result": out}


# ---------------------------------------------------------------------------
# independent checker (shares only Cyc with the producer)
# ---------------------------------------------------------------------------


class CertificateError(ValueError):
    """A certificate failed verification; the message says which check."""


@dataclass
class CheckReport:
    """Summary of a successful certificate check."""

    order: int
    num_classes: int
    min_n_h: int
    dim: int
    subsets_examined: int
    checks: list[str] = field(default_factory=list)


def _fail(msg: str):
    raise CertificateError(msg)


def _c_compose(a: tuple, b: tuple) -> tuple:
    # apply a, then b (same convention as sympy's a*b); own code on purpose
    return tuple(b[x] for x in a)


def _c_inverse(a: tuple) -> tuple:
    res = list(a)
    for i, x in enumerate(a):
        res[x] = i
    return tuple(res)


def check_min_nh_certificate(cert: dict) -> CheckReport:
    """Re-verify a :func:`min_nh_certificate` from its JSON alone.

    Raises
    ------
    CertificateError
        On any inconsistency (malformed input included).

    Examples
    --------
    >>> from sympy.combinatorics.named_groups import CyclicGroup
    >>> from theory.characters import character_table
    >>> cert = min_nh_certificate(character_table(CyclicGroup(2)))
    >>> check_min_nh_certificate(cert).min_n_h
    1
    >>> cert["result"]["min_n_h"] = 0
    >>> check_min_nh_certificate(cert)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    theory.minimal.CertificateError: claimed min_n_h 0 != recomputed 1
    """
    try:
        return _check(cert)
    except CertificateError:
        raise
    except (KeyError, TypeError, IndexError, ValueError, AttributeError, ZeroDivisionError) as exc:
        raise CertificateError(f"malformed certificate: {type(exc).__name__}: {exc}") from exc


def _check(cert: dict) -> CheckReport:
    checks: list[str] = []
    if cert.get("format") != "deltaproof.min_nh_certificate/1":
        _fail("unknown certificate format")
    t = cert["table"]
    res = cert["result"]
    n = int(t["degree"])
    gens = [tuple(int(x) for x in g) for g in t["generators"]]
    for g in gens:
        if sorted(g) != list(range(n)):
            _fail(f"generator {list(g)} is not a permutation of {n} points")
    ident = tuple(range(n))

    # 1. group closure
    elems = {ident}
    frontier = [ident]
    while frontier:
        nxt = []
        for x in frontier:
            for g in gens:
                y = _c_compose(x, g)
                if y not in elems:
                    elems.add(y)
                    nxt.append(y)
        frontier = nxt
    order = len(elems)
    if order != int(t["order"]):
        _fail(f"claimed |G| = {t['order']} but generators give {order}")
    checks.append(f"closure: |G| = {order}")

    # 2. classes, sizes, element orders, power maps
    cl = t["classes"]
    reps = [tuple(int(x) for x in rep) for rep in cl["representatives"]]
    r = len(reps)
    cls_of: dict = {}
    sizes = []
    gpairs = [(g, _c_inverse(g)) for g in gens]
    for k, rep in enumerate(reps):
        if rep not in elems:
            _fail(f"class representative {k} is not in G")
        if rep in cls_of:
            _fail(f"representatives {cls_of[rep]} and {k} are conjugate")
        orbit = [rep]
        cls_of[rep] = k
        for y in orbit:
            for g, gi in gpairs:
                z = _c_compose(_c_compose(g, y), gi)
                if z not in cls_of:
                    cls_of[z] = k
                    orbit.append(z)
                elif cls_of[z] != k:
                    _fail(f"representatives {cls_of[z]} and {k} are conjugate")
        sizes.append(len(orbit))
    if sum(sizes) != order:
        _fail("class representatives miss some conjugacy class")
    if list(sizes) != [int(s) for s in cl["sizes"]]:
        _fail(f"class sizes {cl['sizes']} != recomputed {sizes}")
    orders = []
    powmaps = []
    for rep in reps:
        pm = [cls_of[ident]]
        y = rep
        while y != ident:
            pm.append(cls_of[y])
            y = _c_compose(y, rep)
        orders.append(len(pm))
        powmaps.append(pm)
    if orders != [int(o) for o in cl["element_orders"]]:
        _fail("element orders differ from recomputed ones")
    if powmaps != [[int(x) for x in pm] for pm in cl["power_maps"]]:
        _fail("power maps differ from recomputed ones")
    exponent = 1
    for o in orders:
        exponent = exponent * o // _gcd(exponent, o)
    if int(t["exponent"]) != exponent:
        _fail(f"claimed exponent {t['exponent']} != recomputed {exponent}")
    # the table was computed modulo this prime (Dixon-Schneider): it must be a prime = 1 mod the exponent
    p = int(t["method"]["prime"])
    if p < 2 or (p - 1) % exponent or any(p % q == 0 for q in range(2, int(p**0.5) + 1)):
        _fail(f"method.prime {p} is not a prime congruent to 1 modulo the exponent {exponent}")
    one = cls_of[ident]
    checks.append(f"classes: {r} classes, sizes, orders and power maps recomputed")

    # 3. character table
    e = int(t["cyclotomic_order"])
    chars = [[Cyc.from_json({"n": e, "c": v}) for v in row] for row in t["characters"]]
    if len(chars) != r or any(len(row) != r for row in chars):
        _fail(f"character table is not {r} x {r}")
    degs = []
    for row in chars:
        d = row[one]
        if not d.is_rational() or d.to_rational().denominator != 1 or d.to_rational() <= 0:
            _fail("a character degree is not a positive integer")
        degs.append(int(d.to_rational()))
    if sum(d * d for d in degs) != order:
        _fail(f"sum of squared degrees {sum(d * d for d in degs)} != |G| = {order}")
    conjs = [[v.conj() for v in row] for row in chars]
    for a in range(r):
        for b in range(a, r):
            s = Cyc.rational(0, e)
            for k in range(r):
                s = s + chars[a][k] * conjs[b][k] * sizes[k]
            if s != Cyc.rational(order if a == b else 0, e):
                _fail(f"row orthogonality fails for characters {a}, {b}")
    for k in range(r):
        for l in range(k, r):
            s = Cyc.rational(0, e)
            for a in range(r):
                s = s + chars[a][k] * conjs[a][l]
            if s != Cyc.rational(order // sizes[k] if k == l else 0, e):
                _fail(f"column orthogonality fails for classes {k}, {l}")
    checks.append("orthogonality: rows and columns; sum chi(1)^2 = |G|")
    # Class-algebra test: each row must give an algebra homomorphism
    # omega_k = |C_k| chi_k / chi(1) of the class algebra.  Together with
    # <chi, chi> = 1 and chi(1) > 0 this proves chi is irreducible.
    struct = [[[0] * r for _ in range(r)] for _ in range(r)]  # struct[j][i][k]
    for k, z in enumerate(reps):
        for x in elems:
            struct[cls_of[x]][cls_of[_c_compose(_c_inverse(x), z)]][k] += 1
    for a, row in enumerate(chars):
        scaled = [row[k] * sizes[k] for k in range(r)]
        for j in range(r):
            for i in range(j, r):
                rhs = Cyc.rational(0, e)
                for k in range(r):
                    c = struct[j][i][k]
                    if c:
                        rhs = rhs + scaled[k] * c
                if scaled[j] * scaled[i] != rhs * degs[a]:
                    _fail(f"character {a} is not a central character at classes {j}, {i}")
    checks.append("class-algebra homomorphism test: every row is an irreducible character")

    # 4. Frobenius–Schur indicators
    inds = []
    for row in chars:
        s = Cyc.rational(0, e)
        for k in range(r):
            s = s + row[powmaps[k][2 % orders[k]]] * sizes[k]
        v = s / order
        if not v.is_rational() or v.to_rational() not in (-1, 0, 1):
            _fail("indicator is not in {-1, 0, 1}")
        inds.append(int(v.to_rational()))
    if inds != [int(x) for x in t["indicators"]]:
        _fail(f"indicators {t['indicators']} != recomputed {inds}")
    checks.append("Frobenius-Schur indicators recomputed")

    # 5. real irreducibles, dim Fix, codim, kernels
    real = []
    for a, row in enumerate(chars):
        if inds[a] == 1:
            kind, cons, vals = "real", [a], list(row)
        elif inds[a] == -1:
            kind, cons, vals = "quaternionic", [a], [v + v for v in row]
        else:
            b = next((b for b in range(r) if all(x == y for x, y in zip(chars[b], conjs[a]))), None)
            if b is None:
                _fail(f"conjugate of character {a} missing")
            if b < a:
                continue
            kind, cons, vals = "complex", [a, b], [x + y for x, y in zip(row, chars[b])]
        deg = int(vals[one].to_rational())
        fix = []
        for k in range(r):
            s = Cyc.rational(0, e)
            for j in range(orders[k]):
                s = s + vals[powmaps[k][j]]
            q = (s / orders[k]).to_rational()
            if q.denominator != 1:
                _fail("non-integral fixed-space dimension")
            fix.append(int(q))
        real.append(
            {
                "kind": kind,
                "constituents": cons,
                "degree": deg,
                "rational": all(v.is_rational() for v in vals),
                "dim_fix": fix,
                "codim": [deg - f for f in fix],
                "kernel": [k for k in range(r) if vals[k] == vals[one]],
            }
        )
    if real != t["real_irreps"]:
        _fail("real irreducible data (kinds, degrees, dim Fix, codim or kernels) differ from recomputed")
    checks.append(f"{len(real)} real irreducibles with dim Fix / codim / kernels recomputed")

    # 6. exhaustive search over all subsets of non-trivial real irreps
    nontriv = [i for i, psi in enumerate(real) if len(psi["kernel"]) < r]
    if len(nontriv) > CHECKER_MAX_IRREPS:
        _fail(f"{len(nontriv)} real irreps exceed the exhaustive checker's limit {CHECKER_MAX_IRREPS}")
    kmask = {i: sum(1 << k for k in real[i]["kernel"]) for i in nontriv}
    best = [None]
    count = [0]

    def rec(pos: int, ker: int, cod: list[int], dim: int) -> None:
        if pos == len(nontriv):
            count[0] += 1
            if ker == 1 << one:
                key = (max(cod) if cod else 0, dim)
                if best[0] is None or key < best[0]:
                    best[0] = key
            return
        rec(pos + 1, ker, cod, dim)
        i = nontriv[pos]
        rec(pos + 1, ker & kmask[i], [x + y for x, y in zip(cod, real[i]["codim"])], dim + real[i]["degree"])

    rec(0, (1 << r) - 1, [0] * r, 0)
    if best[0] is None:
        _fail("no faithful representation exists (impossible for a finite group)")
    nh, dim = best[0]
    if int(res["min_n_h"]) != nh:
        _fail(f"claimed min_n_h {res['min_n_h']} != recomputed {nh}")
    if int(res["dim"]) != dim:
        _fail(f"claimed dim {res['dim']} != recomputed {dim}")
    sub = [int(i) for i in res["subset"]]
    if len(set(sub)) != len(sub) or any(not 0 <= i < len(real) for i in sub):
        _fail("claimed subset is not a set of real irrep indices")
    ker = (1 << r) - 1
    cod = [0] * r
    for i in sub:
        ker &= sum(1 << k for k in real[i]["kernel"])
        cod = [x + y for x, y in zip(cod, real[i]["codim"])]
    if ker != 1 << one:
        _fail("claimed subset is not faithful")
    if cod != [int(x) for x in res["codim"]]:
        _fail("claimed codim vector differs from recomputed")
    if (max(cod) if cod else 0, sum(real[i]["degree"] for i in sub)) != (nh, dim):
        _fail("claimed subset does not attain (min_n_h, dim)")
    w = int(res["witness_class"])
    if cod[w] != nh:
        _fail("witness class does not attain the maximum codim")
    if "witness_element" in res and cls_of.get(tuple(int(x) for x in res["witness_element"])) != w:
        _fail("witness element is not in the witness class")
    if bool(res["rational"]) != all(real[i]["rational"] for i in sub):
        _fail("rational flag differs from recomputed")
    if [real[i]["degree"] for i in sub] != [
        int(x) for x in res.get("degrees", [real[i]["degree"] for i in sub])
    ]:
        _fail("claimed degrees differ")
    checks.append(f"exhaustive search over {count[0]} subsets: min_n_h = {nh}, dim = {dim}")
    return CheckReport(
        order=order, num_classes=r, min_n_h=nh, dim=dim, subsets_examined=count[0], checks=checks
    )
