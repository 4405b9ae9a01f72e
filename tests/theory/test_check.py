"""The checker: valid certificates pass, every single-number tampering fails, hand-written files get verdicts."""

import copy
import json

import pytest
from _tamper import numeric_leaves, undetected

from automata import group
from theory.checker import check, check_file
from theory.errors import InvalidInput
from theory.prover import prove

SKIP = ("hypotheses", "statement", "update")

@pytest.mark.parametrize("spec,n_h,kw", [("S3", 2, {}), ("Z2", 1, {}), ("Z4", 2, {}), ("Q8", 4, {}),
                                         ("S3", 1, {}), ("Z2", 4, {"beta_max": 1})])
def test_any_number_changed_fails(spec, n_h, kw):
    cert = json.loads(json.dumps(prove(group(spec), n_h, **kw).certificate))
    assert check(cert).valid
    leaves = list(numeric_leaves(cert, SKIP))
    if cert.get("theorem", "").startswith("[GZ] Prop. 1.3"):
        # that refutation holds for every n_h, so a different n_h is still a true certificate
        leaves.remove(("n_h",))
    assert len(leaves) > 5
    assert undetected(cert, lambda c: check(c).valid, leaves=leaves) == []


def test_algebraic_certificate_tampering():
    cert = json.loads(json.dumps(prove(group("A5"), 2).certificate))
    assert check(cert).valid
    bad = copy.deepcopy(cert)
    s = bad["construction"]["letters"][7]["steps"][0]["u"]
    s[0] = s[0] + " + 1"
    assert not check(bad).valid
    bad = copy.deepcopy(cert)
    bad["reachable"][5]["state"][1][0] = bad["reachable"][5]["state"][1][0] + " + sqrt(5)"
    assert not check(bad).valid
    bad = copy.deepcopy(cert)
    bad["reachable"].pop()
    assert not check(bad).valid


def test_garbage_is_invalid_not_an_exception():
    for obj in [None, [], {}, {"kind": "deltaproof.certificate", "version": 1, "claim": "proved",
                               "method": "exhaustive-exact-simulation", "group": {"degree": "x"}}]:
        rep = check(obj)
        assert not rep.valid and rep.verdict == "invalid"


def test_hand_written_construction_file(tmp_path):
    # Z3 by a hand-written rotation: R(120) = H(u2) H(u1), u1 = (0,1), u2 = (-sqrt3/2, 1/2) (angle 60 degrees apart)
    d = {
        "kind": "deltaproof.construction", "field": ["sqrt(3)"], "n_h": 2, "initial_state": [["1"], ["0"]],
        "letters": [{"name": "1", "element": [1, 2, 0], "steps": [
            {"u": ["0", "1"], "beta": "2", "v": ["0"]}, {"u": ["-sqrt(3)/2", "1/2"], "beta": "2", "v": ["0"]}]}],
        "decoder": {"kind": "argmax", "classes": [
            {"label": 0, "element": [0, 1, 2], "vector": [["1"], ["0"]]},
            {"label": 1, "element": [1, 2, 0], "vector": [["-1/2"], ["sqrt(3)/2"]]},
            {"label": 2, "element": [2, 0, 1], "vector": [["-1/2"], ["-sqrt(3)/2"]]}]},
    }
    p = tmp_path / "z3.json"
    p.write_text(json.dumps(d))
    rep = check_file(p)
    assert rep.valid and rep.verdict == "proved", rep.message
    # swap the decoder's two rotation classes: then the very first letter is a counterexample, word [0]
    d["decoder"]["classes"][1]["element"], d["decoder"]["classes"][2]["element"] = [2, 0, 1], [1, 2, 0]
    p.write_text(json.dumps(d))
    rep = check_file(p)
    assert not rep.valid and rep.counterexample == [0]


def test_shortest_counterexample_is_shortest():
    """A Z4 'rotation' by 90 degrees mislabelled only on the element 2 = x*x: the counterexample has length 2."""
    d = {
        "kind": "deltaproof.construction", "n_h": 2, "initial_state": [["1"], ["0"]],
        "letters": [{"name": "x", "element": [1, 2, 3, 0], "steps": [
            {"u": ["1", "0"], "beta": "2", "v": ["0"]}, {"u": ["1", "-1"], "beta": "2", "v": ["0"]}]}],
        "decoder": {"kind": "argmax", "classes": [
            {"label": 0, "element": [0, 1, 2, 3], "vector": [["1"], ["0"]]},
            # by hand: A = H(1,-1) H(1,0) maps (1,0) -> (0,-1) -> (-1,0) -> (0,1) -> (1,0); the last two are
            # deliberately given each other's elements, so x*x is the first word decoded wrongly
            {"label": 1, "element": [1, 2, 3, 0], "vector": [["0"], ["-1"]]},
            {"label": 2, "element": [3, 0, 1, 2], "vector": [["-1"], ["0"]]},
            {"label": 3, "element": [2, 3, 0, 1], "vector": [["0"], ["1"]]}]},
    }
    rep = check(d)
    assert not rep.valid and rep.counterexample == [0, 0]


def test_check_file_errors(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        check_file(tmp_path / "nope.json")
    p = tmp_path / "bad.json"
    p.write_text("{not json")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        check_file(p)


@pytest.mark.parametrize("spec,n_h", [("Q8", 3), ("S3", 1), ("Z4", 1)])
def test_refutation_tampering_fails(spec, n_h):
    cert = json.loads(json.dumps(prove(group(spec), n_h).certificate))
    assert cert["claim"] == "refuted" and check(cert).valid
    assert undetected(cert, lambda c: check(c).valid, SKIP)[:5] == []
