"""DFA certificates: valid ones pass the independent checker, every single-number tampering fails."""

import copy
import json

import pytest
from _tamper import numeric_leaves, undetected

from automata.dfa import DFA, random_dfa
from automata.tasks import task
from theory.dfa_checker import check_dfa_certificate
from theory.multilayer import prove_dfa


def _small_cascade():
    # a 3-state DFA whose letter 'a' is neither a permutation nor constant: needs a cascade
    return DFA.from_table([[1, 0], [1, 2], [2, 0]], 0, [2])


@pytest.mark.parametrize("make,n_h,layers", [
    (lambda: task("parity").dfa, 1, 1),
    (lambda: task("flip_flop").dfa, 1, 1),
    (lambda: task("flip_flop").dfa, 2, 1),
    (_small_cascade, 3, None),
    (lambda: task("mod5").dfa, 1, 1),          # refutation (Thm 2)
    (lambda: task("parity").dfa, 2, None),    # refutation with beta_max 1 below
])
def test_any_number_changed_fails(make, n_h, layers):
    kw = {"beta_max": 1} if (n_h, layers) == (2, None) else {}
    res = prove_dfa(make(), n_h, layers, **kw)
    assert res.verdict in ("proved", "refuted")
    cert = json.loads(json.dumps(res.certificate))
    assert check_dfa_certificate(cert).valid
    leaves = list(numeric_leaves(cert, ("hypotheses", "statement", "update", "meta", "note")))
    if cert.get("theorem", "").startswith("[GZ] Prop. 1.3"):
        leaves.remove(("n_h",))  # that refutation holds for every n_h
    assert len(leaves) > 3
    assert undetected(cert, lambda c: check_dfa_certificate(c).valid, leaves=leaves) == []


def test_structural_tampering_fails():
    cert = json.loads(json.dumps(prove_dfa(_small_cascade(), 3).certificate))
    bad = copy.deepcopy(cert)
    bad["reachable"].pop()
    assert not check_dfa_certificate(bad).valid
    bad = copy.deepcopy(cert)
    bad["construction"]["layers"][0]["table"].pop()
    rep = check_dfa_certificate(bad)
    assert not rep.valid and rep.verdict in ("counterexample", "invalid")
    bad = copy.deepcopy(cert)
    q = bad["dfa"]["states"][1]
    bad["dfa"]["delta"][q][bad["dfa"]["alphabet"][0]] = bad["dfa"]["states"][0]
    assert not check_dfa_certificate(bad).valid


def test_algebraic_certificates_check():
    for n_h, layers in ((2, 1), (1, 2)):
        cert = json.loads(json.dumps(prove_dfa(task("mod5").dfa, n_h, layers).certificate))
        assert check_dfa_certificate(cert).valid
        bad = copy.deepcopy(cert)
        s = bad["construction"]["layers"][-1]["table"][0]["steps"][0]["u"]
        s[1] = s[1] + " + 1"
        assert not check_dfa_certificate(bad).valid


def test_garbage_is_invalid_not_an_exception():
    for obj in (None, [], {}, {"kind": "deltaproof.certificate", "version": 1, "claim": "proved-dfa",
                               "method": "exhaustive-exact-simulation", "dfa": {"alphabet": 3}}):
        rep = check_dfa_certificate(obj)
        assert not rep.valid and rep.verdict == "invalid"


def test_random_cascade_certificates_check():
    for seed in range(4):
        res = prove_dfa(random_dfa(4, 2, seed), 7)
        assert res.verdict == "proved"
        assert check_dfa_certificate(json.loads(json.dumps(res.certificate))).valid
