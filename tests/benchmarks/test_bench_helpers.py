"""Helpers of benchmarks/kernels.py that the GPU scripts share (loaded as a file: its module name would shadow the
kernels package, which is also why pytest's doctest collection cannot import it)."""

import doctest

import pytest


@pytest.fixture(scope="module")
def bench(load_script):
    return load_script("kernels")


def test_setting_env_examples_and_refusals(bench):
    """The docstring example (a launch value with '=' and ',' inside one item) holds; an item without '=' or with
    an empty name is refused with the expected form."""
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(bench.setting_env, globs={"setting_env": bench.setting_env}):
        runner.run(test)
    assert runner.tries >= 1 and runner.failures == 0
    assert bench.setting_env("A=1") == {"A": "1"}
    assert bench.setting_env("A=+B=x=y") == {"A": "", "B": "x=y"}
    for bad in ("A", "A=1+B", "=1", "A=1+=2"):
        with pytest.raises(SystemExit, match="expected VAR=x"):
            bench.setting_env(bad)


def test_launch_times_keys_repeated_launches_by_order(bench):
    """profile_launches' grouping: the docstring examples hold; each repeated launch keeps its own mean in launch
    order (not summed, not swapped); calls that launched different sequences, a count that does not split into the
    calls, and no launches give None (the caller then falls back to the summed profile)."""
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(bench.launch_times, globs={"launch_times": bench.launch_times}):
        runner.run(test)
    assert runner.tries >= 2 and runner.failures == 0
    calls = [("inv", 10.0), ("wu", 4.0), ("scan", 7.0), ("inv", 10.0)] * 3
    assert bench.launch_times(calls, 3) == {"inv#1": 10.0, "wu": 4.0, "scan": 7.0, "inv#2": 10.0}
    times = [("k", 1.0), ("k", 9.0), ("k", 3.0), ("k", 11.0)]
    assert bench.launch_times(times, 2) == {"k#1": 2.0, "k#2": 10.0}
    assert bench.launch_times(times[:3], 2) is None
    assert bench.launch_times([], 2) is None
    assert bench.launch_times([("a", 1.0), ("b", 2.0), ("a", 1.0), ("c", 2.0)], 2) is None


def test_ptxas_levels_assembles_each_launch_at_each_level(tmp_path):
    """benchmarks/ptxas_levels.py at a small fp32 forward, in a process without the interpreter (it compiles for
    sm_90): one row per launch and level (the WY kernel and the forward scan, default and level 1), each with a
    register count ptxas can report (24-255) and spill bytes, and the entry written under its label."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env["PYTHONPATH"] = str(root)
    out = tmp_path / "levels.json"
    subprocess.run(
        [sys.executable, "benchmarks/ptxas_levels.py", str(out), "--K", "16", "--phase", "fwd"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    entry = json.loads(out.read_text())["fp32 ieee K 16 n_h 2 ungated fwd"]
    rows = [(r["kernel"], r["level"]) for r in entry["rows"]]
    assert rows == [
        ("_wy_fwd_kernel", "default"),
        ("_wy_fwd_kernel", "1"),
        ("_fwd_scan_kernel", "default"),
        ("_fwd_scan_kernel", "1"),
    ]
    for r in entry["rows"]:
        assert 24 <= r["registers"] <= 255 and r["spill_store_bytes"] >= 0 and r["ptxas_s"] >= 0


def test_sass_identity_reads_instruction_lines(load_script):
    """The listing parser keeps instruction lines only, without addresses or encodings (its docstring example),
    and addresses of five hex digits too (kernels past 64 K bytes of code)."""
    mod = load_script("sass_identity")
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(mod.instructions, globs={"instructions": mod.instructions}):
        runner.run(test)
    assert runner.tries >= 1 and runner.failures == 0
    assert mod.instructions("  /*1a0f0*/  BRA 0x1a0f0 ;  /* 0xe2400000 */") == ["BRA 0x1a0f0 ;"]


def test_sass_identity_tells_same_code_from_different(tmp_path):
    """benchmarks/sass_identity.py at a small gated bf16 forward (K = V = 16), in a process without the
    interpreter: a switch value against itself compiles every launch to the same instructions; the decay placement
    (keys against values, a forward-scan change only) leaves the WY kernel's instructions as they were and changes
    the scan's; bad side items are refused."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env["PYTHONPATH"] = str(root)
    out = tmp_path / "sass.json"

    def run(label, a, b, check=True):
        cmd = [sys.executable, "benchmarks/sass_identity.py", str(out), "--K", "16", "--V", "16", "--gated"]
        cmd += ["--n-h", "1", "--label", label, "--a", *a, "--b", *b]
        return subprocess.run(
            cmd, cwd=root, env=env, check=check, capture_output=True, text=True, timeout=600
        )

    keys, values = "DELTAPROOF_CHUNKED_DECAY=keys", "DELTAPROOF_CHUNKED_DECAY=values"
    run("same", [keys], [keys])
    run("decay", [keys], [values])
    runs = json.loads(out.read_text())["runs"]
    same = {(r["kernel"], r["identical"]) for r in runs["same"]["rows"]}
    assert same == {("_wy_fwd_kernel", True), ("_fwd_scan_kernel", True)}
    decay = {r["kernel"]: r for r in runs["decay"]["rows"]}
    assert decay["_wy_fwd_kernel"]["identical"] and decay["_wy_fwd_kernel"]["first_difference"] is None
    assert not decay["_fwd_scan_kernel"]["identical"]
    bad = run("bad", ["precision"], [keys], check=False)
    assert bad.returncode != 0 and "expected precision=... or VAR=value" in bad.stderr


def test_fp32_fwd_time_smoke_records_each_setting(tmp_path):
    """benchmarks/fp32_fwd_time_gpu.py --smoke under the interpreter: one row per setting in order, the first's
    output as the reference of the rest (0 for a setting that changes nothing, here the default WY_GRAM and its
    explicit value), a bad switch value recorded as that row's error while the next setting still runs, and
    --smoke refused with the GPU-only flags."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, TRITON_INTERPRET="1", PYTHONPATH=str(root))
    out = tmp_path / "fp32.json"
    var = "DELTAPROOF_CHUNKED_WY_GRAM"
    cmd = [sys.executable, "benchmarks/fp32_fwd_time_gpu.py", str(out), "2", "--smoke", "--gated"]
    cmd += [f"{var}=once", f"{var}=twice", f"{var}=blocks"]
    subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True, timeout=600)
    doc = json.loads(out.read_text())
    assert doc["gpu"] == "cpu (smoke)" and doc["gated"] and doc["shape"]["K"] == 16
    rows = doc["rows"]
    assert [r["setting"] for r in rows] == [f"{var}=once", f"{var}=twice", f"{var}=blocks"]
    assert rows[0]["rel_diff_vs_first"] == 0.0 and rows[0]["fwd_ms"] > 0
    assert "error" in rows[1] and var in rows[1]["error"]
    assert 0.0 <= rows[2]["rel_diff_vs_first"] < 1e-5  # blocks: the same products, gated rounding apart
    bad = subprocess.run(cmd[:5] + ["--fla"], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert bad.returncode != 0 and "--smoke: without --fla" in bad.stderr


def test_require_fla_stops_with_one_line_when_fla_is_missing(bench, monkeypatch, capsys):
    """--require-fla: nothing happens when fla imports or when not asked; when asked and fla's chunked DeltaProduct
    does not import, exit status 2 and one line on stderr naming the flag and how to get the wheel."""
    bench.require_fla(False)
    monkeypatch.setattr(bench, "fla_available", lambda: True)
    bench.require_fla(True)
    monkeypatch.setattr(bench, "fla_available", lambda: False)
    bench.require_fla(False)
    assert capsys.readouterr().err == ""
    with pytest.raises(SystemExit) as exc:
        bench.require_fla(True)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--require-fla" in err and "make wheels" in err


def test_recurrent_fp32_smoke_records_each_setting(tmp_path):
    """benchmarks/recurrent_fp32_gpu.py --smoke under the interpreter: per n_h one row with an entry per setting,
    each with its error against the float64 reference on the slice (fp32 level: below 1e-5) and its output against
    the first setting's (0 here: rows does the tokens form's operations), and a bad switch value recorded as that
    setting's error while the next still runs; the switches are unset afterwards."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, TRITON_INTERPRET="1", PYTHONPATH=str(root))
    out = tmp_path / "rec.json"
    rows = "DELTAPROOF_RECURRENT_FORM=rows+DELTAPROOF_RECURRENT_LAUNCH=bv=8,warps=1"
    bad = "DELTAPROOF_RECURRENT_FORM=steps"
    cmd = [sys.executable, "benchmarks/recurrent_fp32_gpu.py", str(out), "default", bad, rows]
    cmd += ["--smoke", "--gated", "--n-h", "1", "3"]
    subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True, timeout=600)
    doc = json.loads(out.read_text())
    assert doc["gpu"] == "cpu (smoke)" and doc["gated"] and doc["settings"] == ["default", bad, rows]
    assert [r["n_h"] for r in doc["rows"]] == [1, 3]
    for r in doc["rows"]:
        for setting in ("default", rows):
            assert r[setting]["err_o"] < 1e-5 and r[setting]["err_state"] < 1e-5 and r[setting]["fwd_ms"] > 0
        assert r["default"]["diff_vs_first"] == 0.0 and r[rows]["diff_vs_first"] == 0.0
        assert "DELTAPROOF_RECURRENT_FORM" in r[bad]["error"]


def test_apply_setting_example(bench):
    """apply_setting's docstring example (each setting of a comparison alone; None unsets them all) holds."""
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(
        bench.apply_setting, globs={"apply_setting": bench.apply_setting}
    ):
        runner.run(test)
    assert runner.tries >= 4 and runner.failures == 0
