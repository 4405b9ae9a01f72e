"""DFA parsing, running, minimisation, equivalence and transition monoids, against brute-force oracles.

The oracles here simulate the raw integer table directly (numpy over all words up to a length bound, or plain
Python composition of tuples) and never call the DFA methods under test.
"""

import doctest
import itertools
import json
import pathlib

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import automata.dfa as dfa_mod
from automata.dfa import DFA, MonoidTooLarge, classify, random_dfa, transition_monoid
from theory.errors import InvalidInput

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "dfa"


# ----------------------------------------------------------------------------------------------------------
# strategies and oracles
# ----------------------------------------------------------------------------------------------------------

@st.composite
def random_dfas(draw, max_states=6, max_letters=3):
    """Random complete DFAs with 1..max_states states and 1..max_letters letters."""
    n = draw(st.integers(1, max_states))
    k = draw(st.integers(1, max_letters))
    table = draw(st.lists(st.lists(st.integers(0, n - 1), min_size=k, max_size=k), min_size=n, max_size=n))
    start = draw(st.integers(0, n - 1))
    accept = draw(st.sets(st.integers(0, n - 1)))
    return DFA.from_table(table, start, sorted(accept))


def all_words_acceptance(d: DFA, max_len: int, letter_perm=None) -> np.ndarray:
    """Acceptance bits of all words of length 0..max_len, in shortlex order (raw table simulation)."""
    table = np.array(d.delta)
    if letter_perm is not None:
        table = table[:, letter_perm]
    acc = np.zeros(d.n_states, dtype=bool)
    acc[list(d.accept)] = True
    states = np.array([d.start])
    out = [acc[states]]
    for _ in range(max_len):
        states = table[states].reshape(-1)  # word w then letter a, a fastest: shortlex
        out.append(acc[states])
    return np.concatenate(out)


def shortlex_word(index: int, k: int) -> tuple[int, ...]:
    length, count = 0, 1
    while index >= count:
        index -= count
        length += 1
        count *= k
    digits = []
    for _ in range(length):
        index, r = divmod(index, k)
        digits.append(r)
    return tuple(reversed(digits))


def simulate(table, start, word):
    q = start
    for a in word:
        q = int(table[q][a])
    return q


def brute_monoid(d: DFA):
    """Maps induced by words, by length levels until a level adds nothing: {map: length of shortest word}."""
    n, k = d.n_states, d.n_letters
    letters = [tuple(int(d.delta[q, a]) for q in range(n)) for a in range(k)]
    found = {tuple(range(n)): 0}
    level, length = [tuple(range(n))], 0
    while level:
        length += 1
        nxt = []
        for f in level:
            for g in letters:
                h = tuple(g[f[q]] for q in range(n))
                if h not in found:
                    found[h] = length
                    nxt.append(h)
        level = nxt
    return found


def compose(f, g):
    """First f, then g."""
    return tuple(g[x] for x in f)


# ----------------------------------------------------------------------------------------------------------
# construction, JSON
# ----------------------------------------------------------------------------------------------------------

def test_doctests():
    import automata.dfa

    res = doctest.testmod(automata.dfa)
    assert res.failed == 0 and res.attempted > 10


@pytest.mark.parametrize("name", ["parity", "flip_flop", "even_pairs"])
def test_example_files_round_trip(name, tmp_path):
    path = EXAMPLES / f"{name}.json"
    d = DFA.from_json(path)
    assert DFA.from_json(str(path)) == d
    assert DFA.from_json(d.to_json()) == d
    assert DFA.from_json(json.loads(json.dumps(d.to_json()))) == d
    out = tmp_path / "x.json"
    d.write_json(out)
    assert DFA.from_json(out) == d
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]  # no temp file left behind
    raw = json.loads(path.read_text())
    assert d.to_json()["delta"] == raw["delta"] and d.to_json()["states"] == raw["states"]


def test_example_languages_by_hand():
    par = DFA.from_json(EXAMPLES / "parity.json")
    assert [par.accepts(w) for w in ["", "1", "11", "0110", "0111"]] == [False, True, False, False, True]
    ff = DFA.from_json(EXAMPLES / "flip_flop.json")
    assert ff.accepts(["write1", "ignore", "ignore"]) and not ff.accepts(["write1", "write0", "ignore"])
    assert not ff.accepts([])
    ep = DFA.from_json(EXAMPLES / "even_pairs.json")
    for w in ["", "a", "b", "ab", "ba", "aba", "abba", "abab", "bbbab", "aabbbaa"]:
        pairs = sum(w[i] != w[i + 1] for i in range(len(w) - 1))
        assert ep.accepts(w) == (pairs % 2 == 0), w


@given(random_dfas())
def test_json_round_trip_random(d):
    obj = json.loads(json.dumps(d.to_json()))
    assert DFA.from_json(obj) == d
    assert hash(DFA.from_json(obj)) == hash(d)


def _valid():
    return {"alphabet": ["a", "b"], "states": ["q0", "q1"], "start": "q0", "accept": ["q1"],
            "delta": {"q0": {"a": "q1", "b": "q0"}, "q1": {"a": "q0", "b": "q1"}}}


def _mut(fn):
    obj = _valid()
    fn(obj)
    return obj


@pytest.mark.parametrize("obj,field", [
    (_mut(lambda o: o.pop("start")), "missing"),
    (_mut(lambda o: o.pop("delta")), "missing"),
    (_mut(lambda o: o.update(accepts=[])), "unknown key"),
    (_mut(lambda o: o.update(states=["q0", "q0"])), "states"),
    (_mut(lambda o: o.update(states=["q0", 1])), "states"),
    (_mut(lambda o: o.update(states=[])), "states"),
    (_mut(lambda o: o.update(states="q0 q1")), "states"),
    (_mut(lambda o: o.update(alphabet=["a", "a"])), "alphabet"),
    (_mut(lambda o: o.update(alphabet=["a", ""])), "alphabet"),
    (_mut(lambda o: o.update(alphabet=[["a"], "b"])), "alphabet"),
    (_mut(lambda o: o.update(start="q9")), "start"),
    (_mut(lambda o: o.update(start=0)), "start"),
    (_mut(lambda o: o.update(accept="q1")), "accept"),
    (_mut(lambda o: o.update(accept=["q1", "q1"])), "accept"),
    (_mut(lambda o: o.update(accept=["zz"])), "accept"),
    (_mut(lambda o: o["delta"].pop("q1")), "delta"),
    (_mut(lambda o: o["delta"]["q0"].pop("b")), "delta['q0']"),
    (_mut(lambda o: o["delta"]["q0"].update(c="q0")), "delta['q0']"),
    (_mut(lambda o: o["delta"].update(q7={"a": "q0", "b": "q0"})), "delta"),
    (_mut(lambda o: o["delta"]["q1"].update(a="q5")), "delta['q1']['a']"),
    (_mut(lambda o: o["delta"]["q1"].update(a=None)), "delta['q1']['a']"),
    (_mut(lambda o: o["delta"].update(q1=["q0", "q1"])), "delta['q1']"),
    (_mut(lambda o: o.update(delta=[])), "delta"),
    ([1, 2], "dfa"),
    (None, "dfa"),
])
def test_from_json_rejects(obj, field):
    with pytest.raises(InvalidInput) as exc:
        DFA.from_json(obj)
    assert field in str(exc.value)


def test_from_json_metadata_allowed_and_file_errors(tmp_path):
    assert DFA.from_json({**_valid(), "name": "x", "description": "y"}) == DFA.from_json(_valid())
    with pytest.raises(InvalidInput, match="path"):
        DFA.from_json(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InvalidInput, match="path"):
        DFA.from_json(bad)
    with pytest.raises(InvalidInput, match="path"):
        DFA.from_json(tmp_path)  # a directory


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=4),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=4),
    max_leaves=20,
)


@given(_json)
def test_fuzz_random_json_only_invalid_input(obj):
    with pytest.raises(InvalidInput):
        DFA.from_json(obj)


@given(st.data())
def test_fuzz_mutated_documents(data):
    """Replace one node of a valid document by random JSON: either it still parses or InvalidInput."""
    obj = _valid()
    paths = [(), ("alphabet",), ("states",), ("start",), ("accept",), ("delta",), ("delta", "q0"),
             ("delta", "q0", "a"), ("delta", "q1", "b")]
    path = data.draw(st.sampled_from(paths))
    value = data.draw(_json | st.sampled_from(["q0", "q1", "a", "b", ["q0"], ["a", "b"]]))
    if not path:
        obj = value
    else:
        node = obj
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    try:
        d = DFA.from_json(obj)
    except InvalidInput:
        return
    assert DFA.from_json(d.to_json()) == d


@given(st.binary(max_size=40) | st.text(max_size=40).map(str.encode))
def test_fuzz_file_contents(tmp_path_factory, content):
    p = tmp_path_factory.mktemp("fuzz") / "f.json"
    p.write_bytes(content)
    with pytest.raises(InvalidInput):
        DFA.from_json(p)


@given(st.text(max_size=20))
def test_fuzz_path_strings(s):
    try:
        DFA.from_json(s)
    except InvalidInput:
        pass


def test_from_table_validation_and_readonly():
    d = DFA.from_table([[1, 0], [0, 1]], 0, [1])
    assert d.states == ("q0", "q1") and d.alphabet == ("0", "1")
    with pytest.raises(ValueError):
        d.delta[0, 0] = 1
    with pytest.raises(AttributeError):
        d.start = 1
    for bad, field in [
        ({"delta": [[0, 1]], "start": 0, "accept": []}, "delta"),
        ({"delta": [1, 0], "start": 0, "accept": []}, "delta"),
        ({"delta": [[0.0]], "start": 0, "accept": []}, "delta"),
        ({"delta": [[0]], "start": 1, "accept": []}, "start"),
        ({"delta": [[0]], "start": True, "accept": []}, "start"),
        ({"delta": [[0]], "start": 0, "accept": [3]}, "accept"),
        ({"delta": [[0]], "start": 0, "accept": None}, "accept"),
        ({"delta": [[0]], "start": 0, "accept": [], "states": ["a", "b"]}, "delta"),
        ({"delta": [[0]], "start": 0, "accept": [], "alphabet": [1]}, "alphabet"),
        ({"delta": [[0], [0]], "start": 0, "accept": [], "states": ["s", "s"]}, "states"),
    ]:
        with pytest.raises(InvalidInput, match=field):
            DFA.from_table(**bad)


def test_empty_alphabet():
    d = DFA.from_json({"alphabet": [], "states": ["s"], "start": "s", "accept": ["s"], "delta": {"s": {}}})
    assert d.accepts([]) and d.minimize().n_states == 1
    assert transition_monoid(d).order == 1 and classify(d) == "group"


# ----------------------------------------------------------------------------------------------------------
# running
# ----------------------------------------------------------------------------------------------------------

@given(random_dfas(), st.lists(st.integers(0, 2), max_size=12))
def test_run_trace_accepts_against_simulation(d, raw):
    word = [a % d.n_letters for a in raw]
    table = d.delta.tolist()
    expect = [simulate(table, d.start, word[:t + 1]) for t in range(len(word))]
    assert d.trace(word).tolist() == expect
    assert d.trace(np.array(word, dtype=np.int64)).tolist() == expect
    assert d.trace([d.alphabet[a] for a in word]).tolist() == expect
    final = expect[-1] if word else d.start
    assert d.run(word) == final and d.accepts(word) == (final in d.accept)
    if word:
        assert d.trace_batch(np.array([word, word])).tolist() == [expect, expect]


def test_word_errors():
    d = DFA.from_table([[1, 0], [0, 1]], 0, [1], alphabet=["a", "b"])
    for bad in [["c"], [2], [-1], [1.0], np.array([[0]]), np.array([5]), 3]:
        with pytest.raises(InvalidInput, match="word"):
            d.run(bad)
    with pytest.raises(InvalidInput, match="inputs"):
        d.trace_batch(np.array([0, 1]))
    with pytest.raises(InvalidInput, match="state"):
        d.run("ab", state=7)
    assert d.run("a", state="q1") == 0


def test_state_graph():
    d = DFA.from_json(EXAMPLES / "flip_flop.json")
    g = d.state_graph()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == 2 and g.number_of_edges() == 6
    assert g.nodes[0] == {"name": "bit0", "accept": False, "start": True}
    assert g.has_edge(0, 1, key="write1") and g.edges[1, 1, "ignore"]["letter_index"] == 2
    assert sorted(d for _, d in g.out_degree()) == [3, 3]


# ----------------------------------------------------------------------------------------------------------
# reachability, minimisation, equivalence
# ----------------------------------------------------------------------------------------------------------

def test_reachable_and_trim():
    # q2 unreachable
    d = DFA.from_table([[1, 0], [1, 1], [0, 2]], 0, [2, 1])
    assert set(d.reachable()) == {0, 1} and d.reachable()[0] == 0
    t = d.trim()
    assert t.states == ("q0", "q1") and t.accept == frozenset({1}) and t.is_equivalent(d)


@given(random_dfas())
def test_minimize_against_brute_force(d):
    n = d.n_states
    # oracle: Myhill-Nerode classes of reachable states, told apart by words of length <= n - 1
    table = d.delta.tolist()
    reach = {d.start}
    frontier = [d.start]
    while frontier:
        frontier = [r for q in frontier for r in table[q] if r not in reach and not reach.add(r)]
    words = [w for L in range(n) for w in itertools.product(range(d.n_letters), repeat=L)]
    sigs = {tuple(simulate(table, q, w) in d.accept for w in words) for q in reach}
    m = d.minimize()
    assert m.n_states == len(sigs)
    assert m.is_minimal() and m.minimize() == m
    assert m.start == 0 and m.alphabet == d.alphabet
    L = n + m.n_states
    assert np.array_equal(all_words_acceptance(d, L), all_words_acceptance(m, L))


@given(random_dfas(max_letters=2), random_dfas(max_letters=2))
def test_equivalence_and_counterexample_against_brute_force(a, b):
    if a.n_letters != b.n_letters:
        with pytest.raises(InvalidInput, match="other"):
            a.is_equivalent(b)
        return
    L = a.n_states + b.n_states  # a difference shows up on a word of length <= n + m - 2
    diff = np.flatnonzero(all_words_acceptance(a, L) != all_words_acceptance(b, L))
    ce = a.counterexample(b)
    assert (ce is None) == (len(diff) == 0) == a.is_equivalent(b)
    # equivalent DFAs minimise to the same canonical table (names may differ)
    ma, mb = a.minimize(), b.minimize()
    same = (ma.n_states == mb.n_states and np.array_equal(ma.delta, mb.delta) and ma.accept == mb.accept)
    assert same == (len(diff) == 0)
    if ce is not None:
        first = shortlex_word(int(diff[0]), a.n_letters)
        assert len(ce) == len(first)  # a shortest counterexample
        w = [a.alphabet.index(x) for x in ce]
        assert (simulate(a.delta.tolist(), a.start, w) in a.accept) != (simulate(b.delta.tolist(), b.start, w)
                                                                         in b.accept)


def test_equivalence_letter_order_and_blowup():
    a = DFA.from_table([[1, 0], [0, 1]], 0, [1], alphabet=["x", "y"])
    b = DFA.from_table([[0, 1], [1, 0]], 0, [1], alphabet=["y", "x"])
    assert a.is_equivalent(b)
    # "the 3rd letter from the end is 1": minimal DFA has 2^3 states; a redundant copy has more
    n = 8
    table = [[(2 * q) % n, (2 * q + 1) % n] for q in range(n)]
    acc = [q for q in range(n) if q & 4]
    d = DFA.from_table(table, 0, acc)
    doubled = DFA.from_table([[r + n * (q // n) for r in table[q % n]] for q in range(2 * n)], 0,
                             acc + [q + n for q in acc])
    assert d.minimize().n_states == 8 and doubled.minimize().n_states == 8
    assert d.minimize() == doubled.minimize()


def test_random_dfa_seeded():
    a, b = random_dfa(5, 3, seed=7), random_dfa(5, 3, seed=np.random.default_rng(7))
    assert a == b and a != random_dfa(5, 3, seed=8)
    with pytest.raises(InvalidInput, match="n_states"):
        random_dfa(0, 2, seed=0)
    with pytest.raises(InvalidInput, match="accept_prob"):
        random_dfa(2, 2, seed=0, accept_prob=2)


# ----------------------------------------------------------------------------------------------------------
# transition monoid
# ----------------------------------------------------------------------------------------------------------

@given(random_dfas(max_states=4, max_letters=3))
def test_monoid_against_brute_force(d):
    M = transition_monoid(d)
    found = brute_monoid(d)
    assert set(M.elements) == set(found) and M.order == len(found)
    assert M.elements[0] == tuple(range(d.n_states)) and M.words[0] == ()
    table = d.delta.tolist()
    for i, f in enumerate(M.elements):
        assert tuple(simulate(table, q, M.words[i]) for q in range(d.n_states)) == f
        assert len(M.words[i]) == found[f]  # shortest
        assert M.index(f) == i
    idx = {f: i for i, f in enumerate(M.elements)}
    E = M.elements
    for i in range(M.order):
        for j in range(M.order):
            assert M.table[i, j] == idx[compose(E[i], E[j])]
    assert all(M.right[i, a] == idx[compose(E[i], E[M.letters[a]])]
               for i in range(M.order) for a in range(d.n_letters))


def _powers(M, i):
    seq, p = [], i
    for _ in range(M.order + 2):
        seq.append(p)
        p = M.mul(p, i)
    return seq  # seq[k] = m^(k+1)


@given(random_dfas(max_states=4, max_letters=2))
def test_structure_against_brute_force(d):
    M = transition_monoid(d)
    E = M.elements
    for i in range(M.order):
        seq = _powers(M, i)
        k = next(k for k in range(1, len(seq) + 1) if seq[k - 1] in seq[k:])
        p = seq[k:].index(seq[k - 1]) + 1
        assert M.index_period(i) == (k, p)
    aperiodic = all(any(_powers(M, i)[w] == _powers(M, i)[w + 1] for w in range(M.order + 1))
                    for i in range(M.order))
    assert M.is_aperiodic() == aperiodic
    assert M.is_group() == all(len(set(f)) == len(f) for f in E)
    assert set(M.idempotents()) == {i for i in range(M.order) if M.mul(i, i) == i}
    # maximal subgroups = H-classes of idempotents via Green's relations on the table
    T = np.asarray(M.table)
    right_ideal = [frozenset(T[i].tolist()) for i in range(M.order)]
    left_ideal = [frozenset(T[:, i].tolist()) for i in range(M.order)]
    subgroups = M.maximal_subgroups()
    assert [g.idempotent for g in subgroups] == list(M.idempotents())
    for g in subgroups:
        e = g.idempotent
        H = {m for m in range(M.order) if right_ideal[m] == right_ideal[e] and left_ideal[m] == left_ideal[e]}
        assert set(g.elements) == H and g.order == len(H)
        assert all(M.mul(a, b) in H for a in H for b in H)  # closed: a group with identity e
        assert g.rank == len(set(E[e]))


def test_known_monoids():
    # parity: Z2
    M = transition_monoid(DFA.from_json(EXAMPLES / "parity.json"))
    assert M.order == 2 and M.is_group() and not M.is_aperiodic()
    assert [(g.order, g.description) for g in M.maximal_subgroups()] == [(2, "Z2")]
    # flip-flop by hand: identity (ignore), constant 0 (write0), constant 1 (write1)
    ff = DFA.from_json(EXAMPLES / "flip_flop.json")
    M = transition_monoid(ff)
    assert set(M.elements) == {(0, 1), (0, 0), (1, 1)}
    assert M.is_aperiodic() and not M.is_group() and classify(ff) == "aperiodic"
    assert M.mul(M.index((0, 0)), M.index((1, 1))) == M.index((1, 1))  # write0 then write1 = write1
    assert all(g.order == 1 for g in M.maximal_subgroups()) and len(M.maximal_subgroups()) == 3
    # even pairs by hand (states start, aa, ab, ba, bb): {1, a, b, ab, ba}; aba = a, bab = b
    ep = DFA.from_json(EXAMPLES / "even_pairs.json")
    M = transition_monoid(ep)
    a, b = (1, 1, 1, 3, 3), (4, 2, 2, 4, 4)
    assert set(M.elements) == {(0, 1, 2, 3, 4), a, b, compose(a, b), compose(b, a)}
    assert compose(compose(a, b), a) == a and classify(ep) == "aperiodic"


def test_permutation_reset_contains_the_group():
    # 3 states: letter 0 = the 3-cycle, letter 1 = reset to state 0
    d = DFA.from_table([[1, 0], [2, 0], [0, 0]], 0, [0])
    M = transition_monoid(d)
    assert M.order == 3 + 3 and classify(d) == "neither"
    groups = {g.idempotent: g for g in M.maximal_subgroups()}
    assert groups[0].order == 3 and groups[0].description == "Z3" and groups[0].rank == 3
    assert sorted(g.order for g in groups.values()) == [1, 1, 1, 3]
    # with a transposition as well: the full S3 sits above the resets
    d2 = DFA.from_table([[1, 1, 0], [2, 0, 0], [0, 2, 0]], 0, [0])
    M2 = transition_monoid(d2)
    g0 = M2.maximal_subgroups()[0]
    assert g0.idempotent == 0 and g0.order == 6 and g0.description == "S3"


def test_rank_two_subgroup_inside_transformations():
    # letter 0 swaps states 0,1 and sends 2 to 0; the group {0<->1 swap on image {0,1}} appears at rank 2
    d = DFA.from_table([[1], [0], [0]], 0, [0])
    M = transition_monoid(d)
    sub = [g for g in M.maximal_subgroups() if g.rank == 2]
    assert len(sub) == 1 and sub[0].order == 2 and sub[0].description == "Z2"
    assert not M.is_group()
    # state 2 is unreachable, so the language is parity-like: its syntactic monoid is Z2
    assert classify(d) == "group"


def test_size_guard_and_table_limit(monkeypatch):
    # the full transformation monoid T_4 (256 elements): a cycle, a transposition and a rank-3 map
    d = DFA.from_table([[1, 1, 1], [2, 0, 1], [3, 2, 2], [0, 3, 3]], 0, [0])
    assert transition_monoid(d).order == 4 ** 4
    with pytest.raises(MonoidTooLarge, match="limit"):
        transition_monoid(d, limit=100)
    with pytest.raises(InvalidInput):
        classify(d, limit=10)
    monkeypatch.setattr(dfa_mod, "MAX_TABLE_SIZE", 100)
    M = transition_monoid(d)
    with pytest.raises(MonoidTooLarge, match="table"):
        _ = M.table
    f, g = M.elements[7], M.elements[200]
    assert M.mul(7, 200) == M.index(compose(f, g))  # multiplies without the table


@given(random_dfas(max_states=5, max_letters=2))
def test_classify_is_a_language_invariant(d):
    m = d.minimize()
    assert classify(d) == classify(m)
    M = transition_monoid(m)
    c = classify(d)
    assert c == ("group" if M.is_group() else "aperiodic" if M.is_aperiodic() else "neither")


def test_describe_names_small_groups():
    from automata.groups import group

    for spec, name in [("S3", "S3"), ("S4", "S4"), ("A4", "A4"), ("A5", "A5"), ("Z6", "Z6"), ("D4", "D4"),
                       ("Q8", "Q8"), ("Z2xZ2", "Z2xZ2"), ("Z2xZ6", "Z2xZ2xZ3"), ("S3xZ3", "order 18")]:
        E = np.array(group(spec).elements)
        assert dfa_mod._describe(E, np.arange(E.shape[1])) == name, spec
