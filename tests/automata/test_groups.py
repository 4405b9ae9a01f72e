import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, strategies as st

from automata import group, parse_perm, sample_words, write_word_csv
from theory.errors import GroupTooLarge, InvalidGroupSpec, InvalidInput


def test_s3_worked_example():
    """The multiplication convention on a hand-computed example (see automata/groups.py)."""
    G = group("S3")
    assert G.elements == tuple(itertools.permutations(range(3)))
    # a = (0,2,1), b = (1,0,2); "a then b": 0->0->1, 1->2->2, 2->1->0  => (1,2,0) = id 3
    assert G.mul(1, 2) == 3
    assert G.element(3) == (1, 2, 0)
    # b then a: 0->1->2, 1->0->0, 2->2->1 => (2,0,1) = id 4
    assert G.mul(2, 1) == 4
    assert G.inv(3) == 4 and G.mul(3, 4) == 0


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_sn_ids_follow_itertools(n):
    assert group(f"S{n}").elements == tuple(itertools.permutations(range(n)))


@pytest.mark.parametrize("spec,order", [
    ("S5", 120), ("A5", 60), ("A4", 12), ("Z12", 12), ("Z1", 1), ("D6", 12), ("D2", 4), ("D1", 2), ("Q8", 8),
    ("Q16", 16), ("Dic3", 12), ("A4xZ5", 60), ("Z2xZ2xZ2", 8), ("perm:(0 1 2)(3 4),(0 1)", 12),
    ("SL(2,3)", 24), ("S3xS3", 36),
])
def test_orders(spec, order):
    assert group(spec).order == order


def test_group_axioms_and_structure():
    Q = group("Q8")
    orders = sorted(Q.element_order(g) for g in range(8))
    assert orders == [1, 2, 4, 4, 4, 4, 4, 4]  # quaternion, not D4 (which has five involutions)
    D = group("D4")
    assert sorted(D.element_order(g) for g in range(8)) == [1, 2, 2, 2, 2, 2, 4, 4]
    Z = group("Z6")
    assert all(Z.mul(a, b) == (a + b) % 6 for a in range(6) for b in range(6))


def test_product_ids_are_mixed_radix():
    G, A, B = group("S3xZ3"), group("S3"), group("Z3")
    for a, b in itertools.product(range(6), range(3)):
        for c, d in itertools.product(range(6), range(3)):
            assert G.mul(a * 3 + b, c * 3 + d) == A.mul(a, c) * 3 + B.mul(b, d)


@given(st.sampled_from(["S4", "A5", "D5", "Q8", "A4xZ5", "Z3xZ3", "perm:(0 1 2 3 4 5 6),(0 1)(2 3)"]),
       st.data())
def test_associativity_and_inverses(spec, data):
    G = group(spec)
    a, b, c = (data.draw(st.integers(0, G.order - 1)) for _ in range(3))
    assert G.mul(G.mul(a, b), c) == G.mul(a, G.mul(b, c))
    assert G.mul(a, G.inv(a)) == G.identity
    assert G.mul(G.identity, a) == a


def test_sample_words_prefix_products():
    G = group("S4")
    x, y = sample_words(G, 50, 7, seed=3)
    assert x.shape == y.shape == (7, 50)
    for bi in range(7):
        acc = G.identity
        for t in range(50):
            acc = G.mul(acc, int(x[bi, t]))
            assert y[bi, t] == acc
    x2, _ = sample_words(G, 50, 7, seed=3)
    assert np.array_equal(x, x2)
    xg, _ = sample_words(G, 20, 3, letters="generators", seed=0)
    assert set(np.unique(xg)) <= set(G.generators)


def test_csv_export(tmp_path):
    G = group("Z5")
    x, y = sample_words(G, 4, 3, seed=1)
    p = tmp_path / "d.csv"
    write_word_csv(p, x, y)
    lines = p.read_text().splitlines()
    assert lines[0] == "input,target" and len(lines) == 4
    inp, tgt = lines[1].split(",")
    assert [int(t) for t in inp.split()] == list(x[0]) and [int(t) for t in tgt.split()] == list(y[0])
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".tmp")]


def test_cayley_graph():
    G = group("S3")
    g = G.cayley_graph("generators")
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 12
    assert nx.is_strongly_connected(g)
    assert all(G.mul(u, d["letter"]) == v for u, v, d in g.edges(data=True))


@pytest.mark.parametrize("bad", ["S", "X5", "S0", "Sx", "xS3", "S3xx", "perm:", "perm:(0 1", "perm:(0 0)",
                                 "perm:(0 1)(1 2)", "perm:(a b)", "perm:(-1 2)", "", "Q12", "Dic1"])
def test_bad_specs(bad):
    with pytest.raises(InvalidGroupSpec) as exc:
        group(bad)
    assert "group" in str(exc.value)


def test_bad_spec_types_and_sizes():
    with pytest.raises(InvalidGroupSpec):
        group(5)
    with pytest.raises(GroupTooLarge):
        group("S13")
    with pytest.raises(InvalidInput):
        sample_words(group("S3"), 0, 1, seed=0)
    with pytest.raises(InvalidInput):
        group("S3").letters("some")


@given(st.text(max_size=30))
def test_spec_parser_fuzz(text):
    """Any string either parses to a group or raises InvalidGroupSpec/GroupTooLarge; never anything else."""
    try:
        G = group(text)
    except (InvalidGroupSpec, GroupTooLarge):
        return
    assert G.order >= 1


@given(st.lists(st.permutations(list(range(5))), min_size=1, max_size=3))
def test_perm_spec_roundtrip(perms):
    from sympy.combinatorics import Permutation

    spec = "perm:" + ",".join("".join("(" + " ".join(map(str, c)) + ")" for c in Permutation(p).cyclic_form) or "()"
                              for p in perms)
    G = group(spec)
    from sympy.combinatorics import PermutationGroup

    assert G.order == PermutationGroup([Permutation(p) for p in perms]).order()
    assert math.factorial(5) % G.order == 0


def test_parse_perm():
    assert parse_perm("(0 1 2)(3 4)").array_form == [1, 2, 0, 4, 3]
    assert parse_perm("()").array_form == [0]
