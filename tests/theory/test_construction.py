import pytest
from hypothesis import given, settings, strategies as st

from automata import group
from theory.construction import Construction, Letter, Step, from_representation
from theory.errors import ExactnessError, InvalidInput
from theory.exact import ExactField
from theory.reps import permutation


def _tiny(beta="2", n_h=1, u=("1", "-1"), v=("0",)):
    return {
        "n_h": n_h, "initial_state": [["1"], ["2"]],
        "letters": [{"name": "swap", "element": [1, 0], "steps": [{"u": list(u), "beta": beta, "v": list(v)}]}],
        "decoder": {"kind": "argmax", "classes": [{"label": 0, "element": [0, 1], "vector": [["1"], ["2"]]},
                                                  {"label": 1, "element": [1, 0], "vector": [["2"], ["1"]]}]},
    }


def test_roundtrip_and_semantics():
    c = Construction.from_json(_tiny())
    S = c.apply(c.initial_state, 0)
    F = c.field
    assert S == ((F.parse(2),), (F.parse(1),))
    assert c.decode(S) == 1
    c2 = Construction.from_json(c.to_json())
    assert c2.apply(c2.initial_state, 0) == S


def test_write_term_matches_recurrence():
    """Independent hand computation: u = (1,0), beta = 1, v = 5 on S = (3, 4): S - u(u.S) + u v = (5, 4)."""
    F = ExactField()
    c = Construction(F, 1, [Letter("w", (Step((F.one, F.zero), F.one, (F.parse(5),)),))],
                     ((F.parse(3),), (F.parse(4),)), [(0, None, ((F.one,), (F.zero,)))])
    assert c.apply(c.initial_state, 0) == ((F.parse(5),), (F.parse(4),))


def test_transition_matrix_order_step1_rightmost():
    G = group("S3")
    c = from_representation(permutation(G), n_h=2)
    rho = permutation(G)
    for x in range(6):
        assert c.transition_matrix(x) == rho.matrices[x]


@pytest.mark.parametrize("beta", ["3", "-1", "5/2"])
def test_beta_outside_range(beta):
    with pytest.raises(InvalidInput, match="outside \\[0, 2\\]"):
        Construction.from_json(_tiny(beta=beta))


def test_float_refused_and_shapes():
    d = _tiny()
    d["letters"][0]["steps"][0]["beta"] = 2.0
    with pytest.raises(ExactnessError):
        Construction.from_json(d)
    with pytest.raises(InvalidInput, match="u has length"):
        Construction.from_json(_tiny(u=("1", "0", "0")))
    with pytest.raises(InvalidInput, match="n_h"):
        Construction.from_json(_tiny(n_h=0))
    with pytest.raises(InvalidInput, match="u = 0"):
        Construction.from_json(_tiny(u=("0", "0")))


def test_too_many_steps():
    G = group("S4")
    with pytest.raises(InvalidInput, match="needs 3 reflections"):
        from_representation(permutation(G), n_h=2)


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("letters"), lambda d: d.update(letters=[]), lambda d: d.update(initial_state="x"),
    lambda d: d.update(decoder={"kind": "argmax"}), lambda d: d["letters"][0].update(steps=[{"beta": "1"}]),
    lambda d: d.update(field=[1]), lambda d: d.update(n_h="2"),
])
def test_malformed_files(mutate):
    d = _tiny()
    mutate(d)
    with pytest.raises(InvalidInput):
        Construction.from_json(d)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=True) | st.text(max_size=6)
    | st.sampled_from(["1/2", "sqrt(2)", "0", "1", "-1", "2"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["n_h", "initial_state", "letters", "decoder", "steps", "u", "beta", "v", "field",
                         "classes", "vector", "element", "kind", "label"]), inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=200)
@given(_json)
def test_construction_parser_fuzz(obj):
    """Any JSON value either parses or raises a typed input error; nothing else escapes."""
    try:
        Construction.from_json(obj)
    except (InvalidInput, ExactnessError):
        pass


@settings(max_examples=200)
@given(_json)
def test_checker_never_raises(obj):
    from theory.checker import check

    rep = check(obj)
    assert rep.valid in (True, False)
