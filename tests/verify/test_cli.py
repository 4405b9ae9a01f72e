"""The CLI contract: --json prints one object, exit codes 0/1/2, one line on stderr for bad input."""

import json
import subprocess
import sys

import pytest

from verify.cli import main


def run(args, capsys):
    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, err


def test_prove_json(capsys, tmp_path):
    cert = tmp_path / "c.json"
    rc, out, err = run(["prove", "S3", "--nh", "2", "--json", "--out", str(cert)], capsys)
    assert rc == 0 and err == ""
    d = json.loads(out)
    for key in ("group", "order", "n_h", "layers", "letters", "verdict", "representation", "dim", "min_n_h",
                "hypotheses", "certificate"):
        assert key in d
    assert d["verdict"] == "proved"
    rc, out, _ = run(["check", str(cert), "--json"], capsys)
    assert rc == 0 and json.loads(out)["valid"] is True


def test_check_invalid_exit_1(capsys, tmp_path):
    cert = tmp_path / "c.json"
    run(["prove", "Z4", "--nh", "2", "--out", str(cert)], capsys)
    d = json.loads(cert.read_text())
    d["reachable"][1]["state"][0][0] = "7"
    cert.write_text(json.dumps(d))
    rc, out, _ = run(["check", str(cert)], capsys)
    assert rc == 1 and out.startswith("INVALID")


@pytest.mark.parametrize("args", [
    ["prove", "S0", "--nh", "2"], ["prove", "Foo", "--nh", "2"], ["prove", "perm:(0 1", "--nh", "1"],
    ["prove", "S3", "--nh", "0"], ["prove", "S3", "--nh", "x"], ["prove", "S3"], ["prove", "S3", "--nh", "2", "--beta-max", "3"],
    ["prove", "S3", "--nh", "2", "--beta-max", "abc"], ["prove", "S3", "--nh", "2", "--rep", "icosahedral"],
    ["check", "/nonexistent/file.json"], ["frobnicate"], [],
])
def test_bad_input_one_line_exit_2(args, capsys):
    rc, out, err = run(args, capsys)
    assert rc == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_module_entry_point_no_traceback():
    p = subprocess.run([sys.executable, "-m", "verify", "prove", "Q7", "--nh", "2"], capture_output=True, text=True)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_table_json_subset(capsys):
    rc, out, _ = run(["table", "--groups", "S3", "A5", "Q8", "--json"], capsys)
    rows = json.loads(out)["rows"]
    assert [r["group"] for r in rows] == ["S3", "A5", "Q8"]
    for r in rows:
        assert set(r) >= {"group", "order", "min_n_h", "dim", "proved", "rational"}
    by = {r["group"]: r for r in rows}
    assert by["A5"]["min_n_h"] == 2 and by["A5"]["dim"] == 3 and by["A5"]["rational"] is False
    assert by["Q8"]["min_n_h"] == 4 and by["Q8"]["proved"]


def test_horizon_json_shape(capsys):
    rc, out, _ = run(["horizon", "S4", "--nh", "2", "--format", "bf16", "--keys", "integer", "--length", "50",
                      "--batch", "4", "--json"], capsys)
    assert rc == 0
    d = json.loads(out)
    for key in ("group", "n_h", "format", "backend", "keys", "exact_in_format", "certificate", "predicted", "measured"):
        assert key in d
    assert d["exact_in_format"] is True and d["certificate"]["verdict"] == "proved"
    m = d["measured"]
    assert m["first_failure_min"] is None and m["fraction_tracked"] == 1.0 and m["length"] == 50


@pytest.mark.parametrize("args", [
    ["horizon", "S4", "--nh", "2", "--format", "fp8"], ["horizon", "S4", "--nh", "2", "--format", "bf16", "--backend", "x"],
    ["horizon", "S4", "--nh", "2", "--format", "bf16", "--length", "0"],
    ["horizon", "S4", "--nh", "2", "--format", "bf16", "--keys", "round"],
])
def test_horizon_bad_input(args, capsys):
    rc, out, err = run(args, capsys)
    assert rc == 2 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("task_name,n_h,layers", [("parity", 1, None), ("mod5", 2, 1), ("mod5", 1, 2),
                                                  ("flip_flop", 1, None)])
def test_prove_task_and_check(capsys, tmp_path, task_name, n_h, layers):
    cert = tmp_path / "c.json"
    args = ["prove", "--task", task_name, "--nh", str(n_h), "--json", "--out", str(cert)]
    if layers:
        args += ["--layers", str(layers)]
    rc, out, _ = run(args, capsys)
    assert rc == 0 and json.loads(out)["verdict"] == "proved"
    rc, out, _ = run(["check", str(cert), "--json"], capsys)
    assert rc == 0 and json.loads(out)["valid"] is True


def test_prove_dfa_file_and_refutation(capsys, tmp_path):
    import pathlib

    ex = pathlib.Path(__file__).resolve().parents[2] / "examples" / "dfa" / "parity.json"
    rc, out, _ = run(["prove", "--dfa", str(ex), "--nh", "4", "--beta-max", "1", "--json"], capsys)
    assert rc == 0 and json.loads(out)["verdict"] == "refuted"
    rc, _, err = run(["prove", "S3", "--task", "parity", "--nh", "1"], capsys)
    assert rc == 2 and len(err.strip().splitlines()) == 1
