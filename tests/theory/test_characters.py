"""Tests for theory.characters: cyclotomic arithmetic, classes, character tables.

Expected values come from hand derivations, explicit matrices or GAP, never
from the code under test.
"""

from __future__ import annotations

import cmath
import json
import shutil
import subprocess
import time
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation
from sympy.combinatorics.named_groups import AlternatingGroup, CyclicGroup, DihedralGroup, SymmetricGroup

from theory.characters import (
    Cyc,
    GroupTooLarge,
    catalog_groups,
    character_table,
    dicyclic_group,
    sl23_group,
)

# ---------------------------------------------------------------------------
# cyclotomic numbers
# ---------------------------------------------------------------------------

cyc_vectors = st.integers(min_value=1, max_value=24).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(-5, 5), min_size=n, max_size=n),
        st.integers(1, 4),
    )
)


def _num(n, c, den):
    return sum(x * cmath.exp(2j * cmath.pi * k / n) for k, x in enumerate(c)) / den


@settings(max_examples=60, deadline=None)
@given(cyc_vectors, cyc_vectors)
def test_cyc_arithmetic_matches_complex_numbers(a, b):
    x, y = Cyc(a[0], a[1], a[2]), Cyc(b[0], b[1], b[2])
    nx, ny = _num(*a), _num(*b)
    assert abs(complex(x) - nx) < 1e-9
    assert abs(complex(x + y) - (nx + ny)) < 1e-8
    assert abs(complex(x * y) - nx * ny) < 1e-7
    assert abs(complex(x.conj()) - nx.conjugate()) < 1e-9
    assert abs(complex(x - y) - (nx - ny)) < 1e-8
    # exact equality agrees with numerical equality across different n
    assert (x == y) == (abs(nx - ny) < 1e-9)
    if x == y:
        assert hash(x) == hash(y)


@settings(max_examples=30, deadline=None)
@given(cyc_vectors, st.integers(1, 4))
def test_cyc_embedding_json_and_hash(a, mult):
    x = Cyc(a[0], a[1], a[2])
    big = x.embed(a[0] * mult)
    assert big == x and hash(big) == hash(x)
    assert Cyc.from_json(json.loads(json.dumps(x.to_json()))) == x


def test_cyc_known_identities():
    # 1 + zeta_5 + ... + zeta_5^4 = 0; zeta_8 + zeta_8^7 = sqrt 2; (zeta_3 - zeta_3^2)^2 = -3
    assert sum((Cyc.zeta(5, k) for k in range(5)), Cyc.rational(0)) == 0
    s2 = Cyc.zeta(8) + Cyc.zeta(8, 7)
    assert s2 * s2 == 2 and not s2.is_rational() and s2.is_real()
    d = Cyc.zeta(3) - Cyc.zeta(3, 2)
    assert d * d == -3
    assert sympy.simplify(s2.to_sympy() - sympy.sqrt(2)) == 0
    assert (Cyc.zeta(4) * Cyc.zeta(6)).to_sympy().equals(sympy.exp(sympy.I * sympy.pi * Fraction(5, 6)))
    assert Cyc([1, 2][0] + 5, [3]) == Cyc(1, [3]) == Cyc.rational(3, 7)
    assert Cyc.rational(Fraction(1, 2), 4).to_rational() == Fraction(1, 2)


# ---------------------------------------------------------------------------
# helpers for independent checks
# ---------------------------------------------------------------------------


def _elements(G):
    return [tuple(p.array_form) for p in G.generate()]


def _compose(a, b):
    return tuple(b[i] for i in a)


def _fixed_points(p):
    return sum(1 for i, x in enumerate(p) if i == x)


def _order(p):
    e = tuple(range(len(p)))
    o, y = 1, p
    while y != e:
        y = _compose(y, p)
        o += 1
    return o


# ---------------------------------------------------------------------------
# classes and tables against hand-derived facts
# ---------------------------------------------------------------------------


def test_classes_of_s4_are_cycle_types():
    t = character_table(SymmetricGroup(4))
    # cycle types 1^4, 2 1^2, 2^2, 3 1, 4 with sizes 1, 6, 3, 8, 6
    assert sorted(t.class_sizes) == [1, 3, 6, 6, 8]
    assert sorted(zip(t.orders, t.class_sizes)) == [(1, 1), (2, 3), (2, 6), (3, 8), (4, 6)]
    assert t.representatives[0] == (0, 1, 2, 3)
    # representatives are pairwise non-conjugate and power maps are right
    elems = _elements(SymmetricGroup(4))
    for k, rep in enumerate(t.representatives):
        conj = {_compose(_compose(tuple(sympy_inv(g)), rep), g) for g in elems}
        assert len(conj) == t.class_sizes[k]
        y = tuple(range(4))
        for j in range(t.orders[k]):
            assert y in t.elements and t.class_of[y] == t.power_maps[k][j]
            y = _compose(y, rep)


def sympy_inv(g):
    out = [0] * len(g)
    for i, x in enumerate(g):
        out[x] = i
    return out


def test_s3_table_by_hand():
    t = character_table(SymmetricGroup(3))
    # classes: identity, transpositions (3), 3-cycles (2)
    idx = {(o, s): k for k, (o, s) in enumerate(zip(t.orders, t.class_sizes))}
    cols = [idx[(1, 1)], idx[(2, 3)], idx[(3, 2)]]
    rows = sorted(tuple(int(row[k].to_rational()) for k in cols) for row in t.characters)
    assert rows == [(1, -1, 1), (1, 1, 1), (2, 0, -1)]


def test_z3_values_are_cube_roots():
    t = character_table(CyclicGroup(3))
    w = Cyc.zeta(3)
    gen = t.representatives.index((1, 2, 0))
    sq = t.power_maps[gen][2]
    got = {(r[0], r[gen], r[sq]) for r in t.characters}
    one = Cyc.rational(1)
    assert got == {(one, one, one), (one, w, w * w), (one, w * w, w)}


@pytest.mark.parametrize(
    "group, degrees, indicators",
    [
        # Q8: four linear real characters and one quaternionic 2-dim
        (dicyclic_group(2), [1, 1, 1, 1, 2], {1: 4, -1: 1}),
        # Q16: 4 linear (real, via D4/Z2 = Z2^2), 2-dim real (via D8 quotient) and two quaternionic
        (dicyclic_group(4), [1, 1, 1, 1, 2, 2, 2], {1: 5, -1: 2}),
        # Dic12 = Z3 : Z4: linear chars through Z4 (2 real, 2 complex), 2-dim real (S3) and 2-dim quaternionic
        (dicyclic_group(3), [1, 1, 1, 1, 2, 2], {1: 3, 0: 2, -1: 1}),
        # SL(2,3): 1, w, w^2 (via Z3), 2 (quaternionic), 2w, 2w^2 (complex), 3 (real)
        (sl23_group(), [1, 1, 1, 2, 2, 2, 3], {1: 2, 0: 4, -1: 1}),
        # A4: 1, w, w^2, 3
        (AlternatingGroup(4), [1, 1, 1, 3], {1: 2, 0: 2}),
        # D4 = dihedral of order 8: everything real
        (DihedralGroup(4), [1, 1, 1, 1, 2], {1: 5}),
        # A5: degrees 1,3,3,4,5 all real
        (AlternatingGroup(5), [1, 3, 3, 4, 5], {1: 5}),
    ],
    ids=["Q8", "Q16", "Dic12", "SL23", "A4", "D4", "A5"],
)
def test_degrees_and_indicators_known(group, degrees, indicators):
    t = character_table(group)
    assert sorted(t.degrees()) == degrees
    counts = {}
    for nu in t.indicators:
        counts[nu] = counts.get(nu, 0) + 1
    assert counts == indicators


def test_real_irreps_of_z4_and_q8():
    t = character_table(CyclicGroup(4))
    kinds = sorted((p.kind, p.degree) for p in t.real_irreps)
    assert kinds == [("complex", 2), ("real", 1), ("real", 1)]
    rot = next(p for p in t.real_irreps if p.kind == "complex")
    # a quarter turn in the plane fixes nothing; the half turn is -I
    assert set(rot.codim) == {0, 2} and rot.kernel == (0,)
    q = character_table(dicyclic_group(2))
    h = next(p for p in q.real_irreps if p.kind == "quaternionic")
    assert h.degree == 4 and h.codim == (0, 4, 4, 4, 4) and h.kernel == (0,)


# ---------------------------------------------------------------------------
# brute force over explicit representations
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["S4", "A5", "D6", "Q8", "SL(2,3)", "S3xZ3", "Z3xZ3", "A4xZ5"])
def test_permutation_character_decomposes(name):
    G = catalog_groups()[name]
    t = character_table(G)
    perm_char = [Cyc.rational(_fixed_points(rep)) for rep in t.representatives]
    total = [Cyc.rational(0) for _ in perm_char]
    for row in t.characters:
        m = t.inner_product(perm_char, row)
        assert m.is_rational() and m.to_rational().denominator == 1 and m.to_rational() >= 0
        total = [a + b * int(m.to_rational()) for a, b in zip(total, row)]
    assert total == perm_char
    # the number of orbits equals the multiplicity of the trivial character
    triv = next(row for row in t.characters if all(v == 1 for v in row))
    orbits = len({min(_orbit(t.generators, i)) for i in range(t.degree)})
    assert t.inner_product(perm_char, triv) == orbits


def _orbit(gens, i):
    seen, todo = {i}, [i]
    while todo:
        x = todo.pop()
        for g in gens:
            if g[x] not in seen:
                seen.add(g[x])
                todo.append(g[x])
    return seen


def _rank(m):
    return sympy.Matrix(m).rank()


def test_s3_codim_by_matrix_rank():
    # permutation matrices of S3: codim of the 2-dim irrep = rank(P - I) (the trivial part adds 0)
    t = character_table(SymmetricGroup(3))
    psi = next(p for p in t.real_irreps if p.degree == 2)
    for k, rep in enumerate(t.representatives):
        P = sympy.zeros(3, 3)
        for i, x in enumerate(rep):
            P[x, i] = 1
        assert psi.codim[k] == _rank(P - sympy.eye(3))


def test_d4_codim_by_square_symmetries():
    # D4 acting on the square's vertices (1,0),(0,1),(-1,0),(0,-1)
    t = character_table(DihedralGroup(4))
    psi = next(p for p in t.real_irreps if p.degree == 2)
    verts = [(1, 0), (0, 1), (-1, 0), (0, -1)]
    for k, rep in enumerate(t.representatives):
        M = sympy.Matrix([[verts[rep[0]][0], verts[rep[1]][0]], [verts[rep[0]][1], verts[rep[1]][1]]])
        assert psi.codim[k] == _rank(M - sympy.eye(2))
        assert psi.values[k] == int(M.trace())


def test_q8_codim_by_quaternion_matrices():
    # left multiplication by unit quaternions on R^4; class of g determined by order and value on it
    t = character_table(dicyclic_group(2))
    psi = next(p for p in t.real_irreps if p.kind == "quaternionic")

    def L(a, b, c, d):  # left multiplication by a + bi + cj + dk
        return sympy.Matrix([[a, -b, -c, -d], [b, a, -d, c], [c, d, a, -b], [d, -c, b, a]])

    mats = {1: [L(1, 0, 0, 0)], 2: [L(-1, 0, 0, 0)], 4: [L(0, 1, 0, 0), L(0, 0, 1, 0), L(0, 0, 0, 1)]}
    for k, o in enumerate(t.orders):
        for M in mats[o]:
            assert psi.codim[k] == _rank(M - sympy.eye(4))
            assert psi.values[k] == int(M.trace())


# ---------------------------------------------------------------------------
# table axioms on the whole catalog (cheap, exact)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(catalog_groups()))
def test_catalog_orthogonality_and_json(name):
    G = catalog_groups()[name]
    t = character_table(G)
    assert t.order == G.order() == sum(t.class_sizes)
    assert len(t.characters) == t.num_classes
    for a, ra in enumerate(t.characters):
        for b, rb in enumerate(t.characters):
            assert t.inner_product(ra, rb) == (1 if a == b else 0)
    # dim Fix from the real character equals the multiplicity of the trivial character of <g>
    for psi in t.real_irreps:
        assert psi.degree == sum(t.characters[i][0].to_rational() for i in psi.constituents) * (
            2 if psi.kind == "quaternionic" else 1
        )
        assert all(0 <= c <= psi.degree for c in psi.codim)
    doc = json.loads(json.dumps(t.to_json()))
    assert doc["order"] == t.order and len(doc["characters"]) == t.num_classes


# ---------------------------------------------------------------------------
# limits
# ---------------------------------------------------------------------------


def test_group_too_large_is_fast_and_typed():
    t0 = time.time()
    with pytest.raises(GroupTooLarge, match="max_order"):
        character_table(SymmetricGroup(9))
    with pytest.raises(GroupTooLarge, match="max_order=100"):
        character_table(SymmetricGroup(5), max_order=100)
    assert time.time() - t0 < 5


def test_group_too_large_classes():
    with pytest.raises(GroupTooLarge, match="max_classes=6"):
        character_table(SymmetricGroup(5), max_classes=6)
    with pytest.raises(GroupTooLarge, match="max_work"):
        character_table(CyclicGroup(100), max_work=1000)
    assert issubclass(GroupTooLarge, ValueError)


def test_s6_within_seconds():
    t0 = time.time()
    t = character_table(SymmetricGroup(6))
    assert time.time() - t0 < 5
    assert sorted(t.degrees()) == [1, 1, 5, 5, 5, 5, 9, 9, 10, 10, 16]


# ---------------------------------------------------------------------------
# GAP oracle
# ---------------------------------------------------------------------------

GAP_GROUPS = [
    "S4",
    "A5",
    "S5",
    "D8",
    "Q16",
    "SL(2,3)",
    "Dic12",
    "A4xZ5",
    "Z12",
    "Z3xZ3",
    "S3xS3",
    "A5xZ2",
    "A6",
]


def _gap_perm(p):
    cycles = Permutation(list(p)).cyclic_form
    return "".join("(" + ",".join(str(i + 1) for i in c) + ")" for c in cycles) or "()"


@pytest.fixture(scope="module")
def gap_output():
    tables = {name: character_table(catalog_groups()[name]) for name in GAP_GROUPS}
    lines = ["SizeScreen([4096, 1000]);;"]
    for name, t in tables.items():
        gens = ", ".join(_gap_perm(g) for g in t.generators)
        reps = ", ".join(_gap_perm(r) for r in t.representatives)
        e = t.exponent
        lines += [
            f"G := Group([{gens}], ());; reps := [{reps}];;",
            f'Print("GROUP {name}\\n");',
            'Print("SIZES ", List(reps, g -> Size(ConjugacyClass(G, g))), "\\n");',
            'Print("NCLASSES ", Length(ConjugacyClasses(G)), "\\n");',
            'Print("IND ", Indicator(CharacterTable(G), 2), "\\n");',
            f'for chi in Irr(G) do Print("ROW ", List(reps, g -> CoeffsCyc(g^chi, {e})), "\\n"); od;',
        ]
    proc = subprocess.run(
        ["gap", "-q", "-b"],
        input="\n".join(lines) + "\nQUIT;\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = {}
    cur = None
    for line in proc.stdout.replace("\\\n", "").splitlines():
        if line.startswith("GROUP "):
            cur = out.setdefault(line[6:], {"rows": []})
        elif line.startswith(("SIZES ", "NCLASSES ", "IND ")):
            key, _, val = line.partition(" ")
            cur[key] = json.loads(val)
        elif line.startswith("ROW "):
            cur["rows"].append(json.loads(line[4:]))
    return tables, out


@pytest.mark.gap
@pytest.mark.skipif(shutil.which("gap") is None, reason="GAP not installed (gap not on PATH)")
@pytest.mark.parametrize("name", GAP_GROUPS)
def test_against_gap(gap_output, name):
    tables, out = gap_output
    t, g = tables[name], out[name]
    e = t.exponent
    # class sizes of OUR representatives computed by GAP; representatives cover all classes
    assert g["SIZES"] == t.class_sizes
    assert g["NCLASSES"] == t.num_classes
    gap_rows = [tuple(Cyc(e, v) for v in row) for row in g["rows"]]
    ours = [tuple(row) for row in t.characters]
    key = lambda row: [v.sort_key() for v in row]
    assert sorted(gap_rows, key=key) == sorted(ours, key=key)
    gap_ind = sorted(zip(map(key, gap_rows), g["IND"]))
    our_ind = sorted(zip(map(key, ours), t.indicators))
    assert gap_ind == our_ind
