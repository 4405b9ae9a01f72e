"""Task samplers against direct reimplementations (numpy cumulative sums, loops, Python eval, sympy)."""

import doctest
import itertools
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sympy.combinatorics import Permutation

from automata.dfa import classify, transition_monoid
from automata.groups import group
from automata.tasks import TASKS, mod_arith, sn_limited, task
from theory.errors import InvalidInput


def test_doctests():
    import automata.tasks

    res = doctest.testmod(automata.tasks)
    assert res.failed == 0 and res.attempted > 5


@pytest.mark.parametrize("name", sorted(TASKS) + ["mod2", "mod7", "s4_limit_3", "s3_limit_2"])
def test_every_task_samples(name):
    T = task(name)
    assert T.name == name and T.description
    x, y = T.sample(17, 6, seed=3)
    assert x.shape == y.shape == (6, 17) and x.dtype == y.dtype == np.int64
    assert ((0 <= x) & (x < T.dfa.n_letters)).all() and ((0 <= y) & (y < T.n_labels)).all()
    x2, y2 = T.sample(17, 6, seed=np.random.default_rng(3))
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    x3, _ = T.sample(17, 6, seed=4)
    assert not np.array_equal(x, x3)
    # labels = output of the state after each prefix, by direct simulation
    for b in range(2):
        q, labels = T.dfa.start, []
        for a in x[b]:
            q = int(T.dfa.delta[q, a])
            labels.append(int(T.output[q]))
        assert labels == y[b].tolist()


def test_unknown_and_bad_arguments():
    with pytest.raises(InvalidInput, match="available: .*parity.*s<n>_limit_<l>"):
        task("sorting")
    for name, field in [("mod1", "m"), ("mod0", "m"), ("s3_limit_4", "l"), ("s9_limit_2", "n")]:
        with pytest.raises(InvalidInput, match=field):
            task(name)
    with pytest.raises(InvalidInput, match="name"):
        task(5)
    T = task("parity")
    for kw, field in [({"length": 0, "batch": 1, "seed": 0}, "length"), ({"length": 3, "batch": 0, "seed": 0}, "batch"),
                      ({"length": 3, "batch": 1, "seed": 0.5}, "seed")]:
        with pytest.raises(InvalidInput, match=field):
            T.sample(**kw)


def test_parity_and_mod_counting():
    x, y = task("parity").sample(50, 8, seed=0)
    assert np.array_equal(y, np.cumsum(x, axis=1) % 2)
    for m in (3, 5, 7):
        x, y = task(f"mod{m}").sample(50, 8, seed=m)
        assert np.array_equal(y, np.cumsum(x, axis=1) % m)
        T = task(f"mod{m}")
        assert np.array_equal(T.dfa.trace_batch(x) == 0, np.isin(T.dfa.trace_batch(x), list(T.dfa.accept)))


def test_flip_flop():
    T = task("flip_flop")
    assert T.dfa.alphabet == ("write0", "write1", "ignore")
    x, y = T.sample(40, 8, seed=1)
    for row, lab in zip(x, y):
        bit, expect = 0, []
        for a in row:
            if a < 2:
                bit = int(a)
            expect.append(bit)
        assert lab.tolist() == expect


def test_even_pairs():
    T = task("even_pairs")
    x, y = T.sample(30, 16, seed=2)
    pairs = np.cumsum(np.concatenate([np.zeros((16, 1), int), x[:, 1:] != x[:, :-1]], axis=1), axis=1)
    assert np.array_equal(y, (pairs % 2 == 0).astype(int))
    assert np.array_equal(y, (x == x[:, :1]).astype(int))  # first letter == last letter


def test_cycle_navigation():
    T = task("cycle_navigation")
    step = np.array([1, -1, 0])
    x, y = T.sample(60, 8, seed=5)
    assert np.array_equal(y, np.cumsum(step[x], axis=1) % 5)


def _expr(T, row):
    return "".join(T.dfa.alphabet[a] for a in row)


def test_mod_arith_against_eval():
    T = task("mod_arith")
    x, y = T.sample(21, 64, seed=6)
    for row, lab in zip(x, y):
        s = _expr(T, row)
        for t in range(len(s)):
            prefix = s[:t + 1] if t % 2 == 0 else s[:t]  # after an operator: the value before it
            assert lab[t] == eval(prefix) % 5, (s, t)
    assert T.n_labels == 6 and (y < 5).all()


@given(st.lists(st.sampled_from(list("01234+-*")), min_size=1, max_size=12))
def test_mod_arith_language_and_dead_state(chars):
    T = mod_arith()
    s = "".join(chars)
    well_formed = re.fullmatch(r"[0-4]([-+*][0-4])*", s) is not None
    assert T.dfa.accepts(chars) == (well_formed and eval(s) % 5 == 0)
    prefix_ok = re.fullmatch(r"[0-4]([-+*][0-4])*[-+*]?", s) is not None
    label = T.output[T.dfa.run(chars)]
    assert (label == 5) == (not prefix_ok)


def test_mod_arith_other_modulus():
    T = mod_arith(7)
    x, y = T.sample(9, 16, seed=0)
    for row, lab in zip(x, y):
        s = _expr(T, row)
        assert lab[-1] == eval(s) % 7  # odd length: ends with a digit


def test_s5_swaps_against_group_and_sympy():
    T = task("s5_swaps")
    letters = [tuple(p) for p in itertools.permutations(range(5)) if sum(p[i] != i for i in range(5)) <= 2]
    assert T.dfa.n_letters == 11 and T.dfa.n_states == 120
    assert T.dfa.alphabet[0] == "()" and all(re.fullmatch(r"\(\d \d\)", a) for a in T.dfa.alphabet[1:])
    G = group("S5")
    ids = [G.id_of(p) for p in letters]
    x, y = T.sample(30, 8, seed=9)
    for row, lab in zip(x, y):
        acc, exp_g, exp_s = G.identity, [], Permutation(4)
        for a in row:
            acc = G.mul(acc, ids[a])
            exp_g.append(acc)
            exp_s = exp_s * Permutation(list(letters[a]))  # sympy: p*q = p, then q
        assert lab.tolist() == exp_g
        assert G.element(int(lab[-1])) == tuple(exp_s.array_form)


@pytest.mark.parametrize("n,l,count", [(5, 3, 1 + 10 + 20), (4, 2, 7), (4, 4, 24), (3, 0, 1), (5, 5, 120)])
def test_sn_limited_letters(n, l, count):
    T = sn_limited(n, l)
    assert T.dfa.n_letters == count and T.dfa.n_states == len(list(itertools.permutations(range(n))))
    G = group(f"S{n}")
    for a, name in enumerate(T.dfa.alphabet):
        p = tuple(Permutation(_cycles(name), size=n).array_form) if name != "()" else tuple(range(n))
        assert sum(p[i] != i for i in range(n)) <= l
        assert all(int(T.dfa.delta[g, a]) == G.mul(g, G.id_of(p)) for g in range(0, G.order, 7))


def _cycles(name):
    return [list(map(int, c.split())) for c in re.findall(r"\(([^()]*)\)", name)]


@pytest.mark.parametrize("name,kind,order,groups", [
    ("parity", "group", 2, {"Z2"}),
    ("mod3", "group", 3, {"Z3"}),
    ("mod5", "group", 5, {"Z5"}),
    ("cycle_navigation", "group", 5, {"Z5"}),
    ("flip_flop", "aperiodic", 3, {"trivial"}),
    ("even_pairs", "aperiodic", 5, {"trivial"}),
    ("s5_swaps", "group", 120, {"S5"}),
    ("s4_limit_3", "group", 24, {"S4"}),
])
def test_task_monoids(name, kind, order, groups):
    T = task(name)
    M = transition_monoid(T.dfa.minimize())
    assert classify(T.dfa) == kind and M.order == order
    assert {g.description for g in M.maximal_subgroups()} == groups


def test_mod_arith_monoid_is_neither():
    # precedence needs memory of the pending product (not a group) and multiplication by 2 cycles (not aperiodic)
    T = task("mod_arith")
    M = transition_monoid(T.dfa.minimize())
    assert classify(T.dfa) == "neither"
    assert {"Z4", "Z5"} <= {g.description for g in M.maximal_subgroups()}
