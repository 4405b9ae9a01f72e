"""The claims registry: shape, a few verdicts derived independently from THEORY.md §6, atomic report, JSON shape."""

import json
import os

import pytest

from verify import claims as C

# expectations from THEORY.md §6 (not from the code under test): exact constructions that must be proved
EXPECTED = {"1": "confirmed-exact", "4": "confirmed-exact", "10": "confirmed-exact", "12": "confirmed-exact",
            "16a": "confirmed-exact", "19": "not-checkable", "17": "not-checkable", "26": "not-checkable"}


def test_registry_shape():
    ids = [c.id for c in C.CLAIMS]
    assert len(ids) >= 20 and len(set(ids)) == len(ids)
    for c in C.CLAIMS:
        assert c.statement.strip() and c.source.strip()
        assert c.hypotheses and all(isinstance(h, str) and h.strip() for h in c.hypotheses)
        assert callable(c.evidence_fn)
    # every numbered claim 1..26 of THEORY.md §6 is covered (possibly split into a/b)
    covered = {int("".join(ch for ch in i if ch.isdigit())) for i in ids}
    assert covered == set(range(1, 27))


@pytest.mark.parametrize("cid", sorted(EXPECTED))
def test_expected_verdicts(cid):
    verdict, ev = C.CLAIMS_BY_ID[cid].evidence()
    assert verdict == EXPECTED[cid], ev
    assert ev["summary"]


def test_claim_24_thresholds_match_ln2_multiples():
    # bf16 rounds sigmoid to 1 once exp(-x) < 2^-9 (x > 9 ln 2 = 6.238), fp32's 1 + exp(-x) once exp(-x) <= 2^-24
    verdict, ev = C.CLAIMS_BY_ID["24"].evidence()
    t = ev["thresholds"]
    assert abs(t["fp32"]["x in dtype, sigmoid in dtype"] - 24 * 0.6931471805599453) < 0.01
    assert 9 * 0.6931471805599453 <= t["bf16"]["x in dtype, sigmoid in dtype"] <= 6.25 + 1e-9
    assert verdict == "confirmed-empirical"


def test_claim_14_dihedral_two_layers_is_a_real_proof():
    from theory.dfa_checker import check_dfa_certificate
    from theory.multilayer import certificate_for, finalize

    mc, dfa = C.dm_two_layer_construction(3)
    mc2, rep = finalize(mc, dfa, 1)
    assert rep.ok and mc2.n_layers == 2
    cert = certificate_for(mc2, dfa, rep, 1, ["test"])
    assert check_dfa_certificate(json.loads(json.dumps(cert))).valid
    # tampering with the readout (swap the states of two contexts) must be caught by the independent checker
    bad = json.loads(json.dumps(cert))
    table = bad["construction"]["readout"]["table"]
    table[0]["state"], table[1]["state"] = table[1]["state"], table[0]["state"]
    assert not check_dfa_certificate(bad).valid


def test_failing_evidence_becomes_not_checkable(monkeypatch):
    def boom():
        raise RuntimeError("x")
    fake = C.Claim("99", "s", "src", ("h",), boom)
    monkeypatch.setattr(C, "CLAIMS", [fake])
    rows = C.run_claims()
    assert rows[0]["verdict"] == "not-checkable" and "RuntimeError" in rows[0]["evidence"]["summary"]


def _rows():
    return [{"id": "1", "statement": "s | t", "source": "[GZ]", "hypotheses": ["h"], "verdict": "confirmed-exact",
             "evidence": {"summary": "ok"}, "seconds": 0.1}]


def test_report_written_atomically(tmp_path, monkeypatch):
    path = tmp_path / "sub" / "claims.md"
    replaced = []
    real = os.replace

    def spy(src, dst):
        replaced.append((src, dst))
        assert os.path.dirname(os.path.abspath(src)) == os.path.dirname(os.path.abspath(dst))
        return real(src, dst)

    monkeypatch.setattr(C.os, "replace", spy)
    C.write_report(_rows(), str(path))
    assert replaced and str(replaced[0][1]) == str(path)
    text = path.read_text()
    assert "| 1 | confirmed-exact |" in text and "## Claim 1" in text
    assert [p.name for p in path.parent.iterdir()] == ["claims.md"]  # no temp file left


def test_main_claims_json_shape(tmp_path, monkeypatch, capsys):
    fake = [C.CLAIMS_BY_ID["1"], C.CLAIMS_BY_ID["19"]]
    monkeypatch.setattr(C, "CLAIMS", fake)
    rc = C.main_claims(True, path=str(tmp_path / "claims.md"))
    assert rc == 0
    out = json.loads(capsys.readouterr().out)  # exactly one JSON object
    assert list(out) == ["claims"] and len(out["claims"]) == 2
    for row in out["claims"]:
        assert {"id", "statement", "source", "hypotheses", "verdict", "evidence"} <= set(row)
        assert row["verdict"] in ("confirmed-exact", "confirmed-empirical", "refuted", "not-checkable")
    assert (tmp_path / "claims.md").exists()
