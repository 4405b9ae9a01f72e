"""Tests for theory.minimal: min n_h over faithful orthogonal representations.

Expected values are derived by hand (see theory/README_characters.md) or by
independent bounds, never by the code under test.
"""

from __future__ import annotations

import copy
import json
import math
from functools import reduce

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics.group_constructs import DirectProduct
from sympy.combinatorics.named_groups import CyclicGroup

from theory.characters import Cyc, catalog_groups, character_table
from theory.minimal import (
    CertificateError,
    check_min_nh_certificate,
    min_nh_certificate,
    min_nh_faithful,
)

CAT = catalog_groups()

# (min_n_h, dim) derived by hand:
# Z2: the sign rep, codim 1.  Z_m, m >= 3: a planar rotation by 2 pi/m (codim 2); n_h = 1 impossible
#   because rank(M - I) <= 1 for finite-order M forces an involution.
# S3 = D3 in O(2); S4, A4, A5 are rotation groups in SO(3): a rotation has codim 2, and 2 is a lower
#   bound since they contain elements of order 3.  None embeds in O(2) (non-abelian groups in O(2)
#   are dihedral), so dim 3.
# S5: the standard 4-dim rep (5-cycle has codim 4); the bound 4 for S5 ([CKDA]) is checked by search.
# Q8: every faithful rep contains the 2-dim quaternionic irrep = H = R^4, on which -1 acts as -I (codim 4).
# Dihedral D_n: O(2), reflections codim 1, rotations codim 2.
# Z2^k: k independent signs are needed, and some element is -1 on all of them: (k, k).
# Z4xZ2: rotation + sign, element (a, b): 2 + 1 = 3.  Z3xZ3: two rotations, some element moves both: 4.
# A5xZ2 = icosahedral group with -I: codim 3 in dim 3.
# Q16, SL(2,3): unique minimal normal subgroup {+-1} so a faithful irrep is needed; all of them are
#   2-dim complex/quaternionic (4 real dims) with -1 -> -I: (4, 4).
KNOWN = {
    "Z1": (0, 0),
    "Z2": (1, 1),
    "Z3": (2, 2),
    "Z4": (2, 2),
    "Z7": (2, 2),
    "Z12": (2, 2),
    "S3": (2, 2),
    "S4": (2, 3),
    "A4": (2, 3),
    "A5": (2, 3),
    "S5": (4, 4),
    "Q8": (4, 4),
    "Q16": (4, 4),
    "SL(2,3)": (4, 4),
    "D4": (2, 2),
    "D5": (2, 2),
    "D8": (2, 2),
    "Z2xZ2": (2, 2),
    "Z2xZ2xZ2": (3, 3),
    "Z4xZ2": (3, 3),
    "Z3xZ3": (4, 4),
    "A5xZ2": (3, 3),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_values(name):
    res = min_nh_faithful(character_table(CAT[name]))
    assert (res.min_n_h, res.dim) == KNOWN[name]
    assert res.codim[res.witness_class] == res.min_n_h == max(res.codim, default=0)
    assert res.dim == sum(res.degrees)


def test_rationality_flags():
    # A5's 3-dim reps have values (1 +- sqrt 5)/2; S4's cube rotations are rational;
    # Z5 rotation by 2 pi/5 has trace 2 cos(2 pi/5) irrational; Z4/Z6 rotations are rational.
    assert min_nh_faithful(character_table(CAT["A5"])).rational is False
    assert min_nh_faithful(character_table(CAT["S4"])).rational is True
    assert min_nh_faithful(character_table(CAT["Z5"])).rational is False
    assert min_nh_faithful(character_table(CAT["Z6"])).rational is True


def _perm_bound(t):
    # the defining permutation representation is faithful with codim(g) = n - #cycles(g)
    best = 0
    for rep in t.representatives:
        seen, cycles = set(), 0
        for i in range(len(rep)):
            if i not in seen:
                cycles += 1
                j = i
                while j not in seen:
                    seen.add(j)
                    j = rep[j]
        best = max(best, len(rep) - cycles)
    return best


@pytest.mark.parametrize("name", sorted(CAT))
def test_catalog_bounds_and_certificate(name):
    t = character_table(CAT[name])
    res = min_nh_faithful(t)
    # upper bound: the permutation representation; lower bounds from the rank facts
    assert res.min_n_h <= _perm_bound(t)
    if max(t.orders) >= 3:
        assert res.min_n_h >= 2
    if t.order > 1:
        assert res.min_n_h >= 1
    cert = json.loads(json.dumps(min_nh_certificate(t)))
    rep = check_min_nh_certificate(cert)
    assert (rep.min_n_h, rep.dim) == (res.min_n_h, res.dim)


def test_codim_vector_by_explicit_rotation_matrices_s4():
    # S4 acting on {+-e1, +-e2, +-e3} is not what we need; use the cube rotation group:
    # S4 = rotations of the cube; a rotation of order 2,3,4 has codim 2 and the identity 0.
    res = min_nh_faithful(character_table(CAT["S4"]))
    t = character_table(CAT["S4"])
    for k, o in enumerate(t.orders):
        assert res.codim[k] == (0 if o == 1 else 2)


# ---------------------------------------------------------------------------
# hypothesis: abelian groups
# ---------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(2, 6), min_size=1, max_size=3).filter(lambda ms: math.prod(ms) <= 48))
def test_abelian_products(ms):
    G = DirectProduct(*[CyclicGroup(m) for m in ms]) if len(ms) > 1 else CyclicGroup(ms[0])
    res = min_nh_faithful(character_table(G))
    exponent = reduce(lambda a, b: a * b // math.gcd(a, b), ms)
    # n_h = 1 means every element is a single reflection; two distinct commuting reflections
    # multiply to codim 2, so only Z2 itself has n_h = 1 (not every group of exponent 2).
    assert (res.min_n_h == 1) == (math.prod(ms) == 2)
    if exponent <= 2:
        # elementary abelian 2-group of rank k: k independent signs, all -1 at one element
        assert (res.min_n_h, res.dim) == (len(ms), len(ms))
    else:
        assert res.min_n_h >= 2
    # a faithful rep from one character per cyclic factor has codim <= sum of dims
    assert res.min_n_h <= sum(1 if m == 2 else 2 for m in ms)


@pytest.mark.parametrize("a, b", [((2, 3), (6,)), ((3, 4), (12,)), ((2, 5), (10,))])
def test_isomorphism_invariance(a, b):
    def grp(ms):
        return DirectProduct(*[CyclicGroup(m) for m in ms]) if len(ms) > 1 else CyclicGroup(ms[0])

    ra, rb = min_nh_faithful(character_table(grp(a))), min_nh_faithful(character_table(grp(b)))
    assert (ra.min_n_h, ra.dim) == (rb.min_n_h, rb.dim) == (2, 2)


# ---------------------------------------------------------------------------
# tampering must be detected
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cert_s4():
    return min_nh_certificate(character_table(CAT["S4"]))


@pytest.fixture(scope="module")
def cert_z5():
    return min_nh_certificate(character_table(CAT["Z5"]))


def _tampered(cert, fn):
    c = copy.deepcopy(cert)
    fn(c)
    return c


TAMPERS = {
    "character_value": lambda c: c["table"]["characters"][-1][1].__setitem__(
        0, c["table"]["characters"][-1][1][0] + 1
    ),
    "swap_character_values": lambda c: c["table"]["characters"][3].reverse(),
    "class_size": lambda c: c["table"]["classes"]["sizes"].__setitem__(
        1, c["table"]["classes"]["sizes"][1] + 1
    ),
    "move_class_sizes": lambda c: c["table"]["classes"].__setitem__(
        "sizes",
        [s + (1 if k == 1 else -1 if k == 2 else 0) for k, s in enumerate(c["table"]["classes"]["sizes"])],
    ),
    "element_order": lambda c: c["table"]["classes"]["element_orders"].__setitem__(
        2, c["table"]["classes"]["element_orders"][2] + 1
    ),
    "power_map": lambda c: c["table"]["classes"]["power_maps"][-1].__setitem__(1, 0),
    "indicator": lambda c: c["table"]["indicators"].__setitem__(-1, -1),
    "claimed_min": lambda c: c["result"].__setitem__("min_n_h", c["result"]["min_n_h"] - 1),
    "claimed_min_up": lambda c: c["result"].__setitem__("min_n_h", c["result"]["min_n_h"] + 1),
    "claimed_dim": lambda c: c["result"].__setitem__("dim", c["result"]["dim"] + 1),
    "claimed_codim": lambda c: c["result"]["codim"].__setitem__(1, c["result"]["codim"][1] + 1),
    "claimed_subset": lambda c: c["result"].__setitem__("subset", []),
    "witness": lambda c: c["result"].__setitem__("witness_class", 0),
    "rational_flag": lambda c: c["result"].__setitem__("rational", not c["result"]["rational"]),
    "real_irrep_codim": lambda c: c["table"]["real_irreps"][-1]["codim"].__setitem__(
        1, c["table"]["real_irreps"][-1]["codim"][1] + 1
    ),
    "order": lambda c: c["table"].__setitem__("order", 25),
    "generator": lambda c: c["table"]["generators"].pop(),
    "representative": lambda c: c["table"]["classes"]["representatives"].__setitem__(
        1, c["table"]["classes"]["representatives"][0]
    ),
    "malformed": lambda c: c["table"].pop("characters"),
}


@pytest.mark.parametrize("what", sorted(TAMPERS))
@pytest.mark.parametrize("which", ["s4", "z5"])
def test_tampered_certificate_fails(cert_s4, cert_z5, what, which):
    cert = cert_s4 if which == "s4" else cert_z5
    check_min_nh_certificate(cert)  # the untouched one passes
    with pytest.raises(CertificateError):
        check_min_nh_certificate(_tampered(cert, TAMPERS[what]))


def test_swapped_entries_are_rejected():
    # swapping the values of the trivial and the sign character on one class
    cert = min_nh_certificate(character_table(CAT["S3"]))
    c = copy.deepcopy(cert)
    chars = c["table"]["characters"]
    k = 1
    chars[0][k], chars[1][k] = chars[1][k], chars[0][k]
    with pytest.raises(CertificateError):
        check_min_nh_certificate(c)


def test_checker_uses_sympy_free_json():
    cert = min_nh_certificate(character_table(CAT["Q8"]))
    text = json.dumps(cert)
    assert "quaternionic" in text
    assert isinstance(json.loads(text)["table"]["characters"][0][0][0], int)
    assert sympy.Integer(check_min_nh_certificate(json.loads(text)).min_n_h) == 4


def test_unitary_change_of_basis_needs_class_algebra_test():
    # In Z4, replacing the two non-real characters chi, conj(chi) by ((1+i) chi + (1-i) conj chi)/2 and
    # ((1-i) chi + (1+i) conj chi)/2 gives the (integral, orthonormal) character table of Z2 x Z2 on
    # Z4's classes: orthogonality and degrees still hold, only the class-algebra test can reject it.
    cert = min_nh_certificate(character_table(CAT["Z4"]))
    c = copy.deepcopy(cert)
    chars = [[Cyc.from_json({"n": 4, "c": v}) for v in row] for row in c["table"]["characters"]]
    nonreal = [a for a, row in enumerate(chars) if not all(v.is_real() for v in row)]
    assert len(nonreal) == 2
    a, b = nonreal
    i = Cyc.zeta(4)
    p, q = (1 + i) / 2, (1 - i) / 2
    new_a = [p * x + q * y for x, y in zip(chars[a], chars[b])]
    new_b = [q * x + p * y for x, y in zip(chars[a], chars[b])]
    assert all(v.is_rational() for v in new_a + new_b)
    c["table"]["characters"][a] = [list(v.embed(4).c) for v in new_a]
    c["table"]["characters"][b] = [list(v.embed(4).c) for v in new_b]
    with pytest.raises(CertificateError, match="central character"):
        check_min_nh_certificate(c)
