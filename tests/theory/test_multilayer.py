"""MultiLayerConstruction: validation with typed errors, exact run, JSON round trip, prove_dfa contract."""

import json

import pytest

from automata.tasks import task
from theory.construction import Step
from theory.errors import InvalidInput
from theory.exact import ExactField
from theory.multilayer import Layer, MultiLayerConstruction, prove_dfa, verify_multilayer


def _flip_flop_mc():
    return prove_dfa(task("flip_flop").dfa, 1).construction


def test_run_matches_dfa():
    res = prove_dfa(task("mod5").dfa, 1, layers=2)
    d = res.dfa
    w = [1, 1, 0, 1, 1, 1, 1, 0, 1]
    assert res.construction.run(w) == [d.states[q] for q in d.trace(w)]


def test_json_round_trip_exact():
    for n_h, layers in ((1, 2), (2, 1)):
        mc = prove_dfa(task("mod5").dfa, n_h, layers).construction
        data = json.loads(json.dumps(mc.to_json()))
        back = MultiLayerConstruction.from_json(data)
        assert back.to_json() == data
        assert verify_multilayer(back, task("mod5").dfa.minimize()).ok


def test_validation_errors_name_the_field():
    F = ExactField()
    S = ((F.one,),)
    bad_beta = Step((F.one,), F.parse(3), (F.zero,))
    with pytest.raises(InvalidInput, match="beta"):
        MultiLayerConstruction(F, ("a",), [Layer(1, (), S, [S], {(0, ()): (bad_beta,)})], (0,), {(0,): "q0"})
    with pytest.raises(InvalidInput, match="n_h"):
        MultiLayerConstruction(F, ("a",), [Layer(0, (), S, [S], {})], (0,), {(0,): "q0"})
    with pytest.raises(InvalidInput, match="reads"):
        MultiLayerConstruction(F, ("a",), [Layer(1, (1,), S, [S], {})], (0,), {(0,): "q0"})
    with pytest.raises(InvalidInput, match="exact"):
        MultiLayerConstruction(F, ("a",), [Layer(1, (), ((0.5,),), [S], {})], (0,), {(0,): "q0"})
    with pytest.raises(InvalidInput, match="steps > n_h"):
        st = Step((F.one,), F.one, (F.zero,))
        MultiLayerConstruction(F, ("a",), [Layer(1, (), S, [S], {(0, ()): (st, st)})], (0,), {(0,): "q0"})
    data = _flip_flop_mc().to_json()
    data["layers"][0]["table"][0]["steps"][0]["beta"] = 0.5
    with pytest.raises(Exception):
        MultiLayerConstruction.from_json(data)


def test_prove_dfa_arguments():
    d = task("parity").dfa
    with pytest.raises(InvalidInput):
        prove_dfa(d, 0)
    with pytest.raises(InvalidInput):
        prove_dfa(d, 1, layers=0)
    with pytest.raises(InvalidInput):
        prove_dfa(d, 1, beta_max=3)
    with pytest.raises(InvalidInput):
        prove_dfa("parity", 1)
    out = prove_dfa(d, 1).to_json()
    assert out["verdict"] == "proved" and out["certificate"]["claim"] == "proved-dfa"


def test_mod_arith_too_few_steps_is_unknown_honestly():
    r = prove_dfa(task("mod_arith").dfa, 1)
    assert r.verdict == "unknown" and r.certificate["claim"] == "unknown"
    assert "not a proof of impossibility" in r.hypotheses[0]
