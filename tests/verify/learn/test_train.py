"""Training: resumability, the paper's metric, the sweep's reports and the CLI's errors (CPU, tiny models)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from automata import group, sample_words
from theory.errors import InvalidInput
from verify.cli import main
from verify.learn.model import WordProblemModel, letter_transitions
from verify.learn.sweep import plan, write_reports
from verify.learn.train import TrainConfig, cumulative_accuracy, train

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def tiny(**kw) -> TrainConfig:
    base = dict(group="S3", n_h=2, steps=6, batch=4, train_length=8, test_length=16, eval_size=8, val_size=4,
                d_model=8, heads=1, head_dim=4, dtype="float32", device="cpu", ckpt_every=2, eval_every=3,
                log_every=1)
    base.update(kw)
    return TrainConfig(**base)


def _weights(path):
    return torch.load(os.path.join(path, "model.pt"), map_location="cpu")


def test_resumed_run_equals_uninterrupted_run(tmp_path):
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    ra = train(tiny(), a, progress=False)
    part = train(tiny(), b, progress=False, stop_after=3)
    assert part == {"finished": False, "steps_done": 3}
    ck = torch.load(os.path.join(b, "checkpoint.pt"), map_location="cpu", weights_only=False)
    assert ck["step"] == 3
    rb = train(tiny(), b, progress=False)
    assert rb["steps_done"] == ra["steps_done"] == 6
    assert rb["val"] == ra["val"]
    wa, wb = _weights(a), _weights(b)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    # a finished run is returned as is, not retrained
    assert train(tiny(), b, progress=False)["curve"] == rb["curve"]


def _endless_cli_run(out):
    """A `deltaproof train` command line for a tiny CPU run that does not end by itself (checkpoint every 7 steps)."""
    return [sys.executable, "-m", "verify", "train", "--group", "Z3", "--nh", "2", "--steps", "100000", "--batch", "4",
            "--train-length", "8", "--test-length", "8", "--eval-size", "4", "--d-model", "8", "--heads", "1",
            "--head-dim", "2", "--dtype", "float32", "--device", "cpu", "--ckpt-every", "7", "--eval-every", "1000",
            "--out", out, "--no-progress"]


def test_killed_process_loses_at_most_one_checkpoint_interval(tmp_path):
    out = str(tmp_path / "run")
    cmd = _endless_cli_run(out)
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ck = os.path.join(out, "checkpoint.pt")
    t0 = time.time()
    while time.time() - t0 < 120:
        if os.path.exists(ck):
            step = torch.load(ck, map_location="cpu", weights_only=False)["step"]
            if step >= 14:
                break
        time.sleep(0.2)
    p.send_signal(signal.SIGKILL)
    p.wait()
    state = torch.load(ck, map_location="cpu", weights_only=False)  # loads: never half-written
    assert state["step"] % 7 == 0 and state["step"] >= 14
    assert not os.path.exists(os.path.join(out, "result.json"))


def test_sigint_pauses_after_the_step_and_resumes_to_the_same_weights(tmp_path, monkeypatch):
    """SIGINT mid-step: the step finishes, the checkpoint is written, nothing is lost, resuming matches."""
    import verify.learn.train as tr

    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    ra = train(tiny(), a, progress=False)
    real = tr.sample_words

    def sample_then_signal(G, length, batch, seed):
        out = real(G, length, batch, seed=seed)
        if len(calls) == 2:  # the 3rd call: step 3's words, before its forward pass
            os.kill(os.getpid(), signal.SIGINT)
        calls.append(1)
        return out

    calls = []
    monkeypatch.setattr(tr, "sample_words", sample_then_signal)
    part = train(tiny(), b, progress=False)
    assert part == {"finished": False, "steps_done": 3, "signal": "SIGINT"}
    assert torch.load(os.path.join(b, "checkpoint.pt"), map_location="cpu", weights_only=False)["step"] == 3
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored
    monkeypatch.setattr(tr, "sample_words", real)
    rb = train(tiny(), b, progress=False)
    assert rb["steps_done"] == 6 and rb["val"] == ra["val"]
    wa, wb = _weights(a), _weights(b)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)


def test_init_from_starts_at_the_parent_weights(tmp_path):
    parent = str(tmp_path / "parent")
    train(tiny(), parent, progress=False)
    pt = os.path.join(parent, "model.pt")
    # lr ~ 0: one AdamW step moves each weight by ~1e-12, so the child ends where it started
    child = train(tiny(steps=1, lr=1e-12, init_from=pt), str(tmp_path / "child"), progress=False)
    assert child["config"]["init_from"] == pt and "--init-from " + pt in child["command"]
    wp, wc = _weights(parent), _weights(str(tmp_path / "child"))
    assert all(torch.allclose(wp[k], wc[k], atol=1e-9) for k in wp)
    scratch = train(tiny(steps=1, lr=1e-12), str(tmp_path / "scratch"), progress=False)
    assert "init_from" not in scratch["config"]  # identity of runs without it is unchanged
    ws = _weights(str(tmp_path / "scratch"))
    assert not all(torch.allclose(wp[k], ws[k], atol=1e-3) for k in wp)
    # the report says where a continued run started
    write_reports([child, scratch], str(tmp_path))
    md = open(tmp_path / "learning.md").read()
    assert md.count("continued from") == 1 and f"continued from `{pt}`" in md
    assert json.load(open(tmp_path / "learning.json"))["runs"][0]["init_from"] == pt


def test_init_from_refuses_a_missing_or_mismatched_file(tmp_path):
    with pytest.raises(InvalidInput, match="init_from: expected the path of a model.pt"):
        train(tiny(init_from=str(tmp_path / "nope.pt")), str(tmp_path / "r"), progress=False)
    parent = str(tmp_path / "parent")
    train(tiny(), parent, progress=False)
    with pytest.raises(InvalidInput, match="init_from: .* is not the model.pt of a run"):
        train(tiny(n_h=3, init_from=os.path.join(parent, "model.pt")), str(tmp_path / "r2"), progress=False)


def test_cli_sigint_pauses_with_exit_130_and_keeps_every_step(tmp_path):
    out = str(tmp_path / "run")
    cmd = _endless_cli_run(out)
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ck = os.path.join(out, "checkpoint.pt")
    t0 = time.time()
    while not os.path.exists(ck) and time.time() - t0 < 120:
        time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=60)
    assert p.returncode == 130, stderr
    assert stdout.startswith("paused by SIGINT after ") and "Traceback" not in stderr
    done = int(stdout.split(" after ")[1].split("/")[0])
    assert torch.load(ck, map_location="cpu", weights_only=False)["step"] == done >= 7


def test_other_config_refused(tmp_path):
    out = str(tmp_path / "r")
    train(tiny(), out, progress=False, stop_after=2)
    with pytest.raises(InvalidInput, match="different configuration"):
        train(tiny(lr=2e-3), out, progress=False)
    train(tiny(lr=2e-3), out, progress=False, fresh=True)


class _AlwaysZero(torch.nn.Module):
    """Predicts class 0 everywhere."""

    def __init__(self, n):
        super().__init__()
        self.emb = torch.nn.Embedding(n, 1)
        self.n = n

    def forward(self, x):
        out = torch.zeros(*x.shape, self.n)
        out[..., 0] = 1.0
        return out


def test_cumulative_accuracy_is_the_papers_metric():
    G = group("Z2")
    acc = cumulative_accuracy(_AlwaysZero(2), G, 6, 400, seed=7)
    x, _ = sample_words(G, 6, 400, seed=np.random.default_rng(7))
    # by hand: the prefix parities are all 0 up to L iff the first L letters are all 0
    expect = [float((x[:, :L] == 0).all(axis=1).mean()) for L in range(1, 7)]
    assert np.allclose(acc, expect)
    assert acc[0] > 0.3 and acc[-1] < 0.1  # non-trivial: ~1/2 and ~1/64


def test_parity_is_learned_with_one_householder():
    """Z2 with n_h = 1 and beta in [0, 2] (a reflection solves it): learned to 100% at the training length."""
    cfg = TrainConfig(group="Z2", n_h=1, steps=200, batch=32, train_length=16, test_length=32, eval_size=64,
                      val_size=64, d_model=32, heads=2, head_dim=8, dtype="float32", device="cpu", lr=3e-3,
                      eval_every=25, ckpt_every=1000)
    import tempfile

    r = train(cfg, tempfile.mkdtemp(), progress=False)
    assert r["stopped"] == "early_stop" and r["accuracy_at"]["16"] >= 0.95


def test_letter_transitions_match_the_kernel():
    """A(x) from letter_transitions reproduces the model's recurrence for a one-token word with zero writes."""
    torch.manual_seed(0)
    m = WordProblemModel(6, 6, 2, d_model=8, heads=2, head_dim=3)
    A, betas = letter_transitions(m)
    assert A.shape == (6, 2, 3, 3) and betas.shape == (6, 2, 2)
    assert np.all((betas >= 0) & (betas <= 2))
    # product of two reflections-like factors: det = prod(1 - beta_j)
    assert np.allclose(np.linalg.det(A), np.prod(1 - betas, axis=-1))
    from kernels import deltaproduct

    ids = torch.arange(6)
    with torch.no_grad():
        k, beta = m._keys_betas(m.norm1(m.emb(ids)))
    S0 = torch.randn(6, 2, 3, 1, dtype=torch.float64)
    _, S = deltaproduct(torch.zeros(6, 1, 2, 3, dtype=torch.float64), k.reshape(6, 2, 2, 3).double(),
                        torch.zeros(6, 2, 2, 1, dtype=torch.float64), beta.reshape(6, 2, 2).double(),
                        num_householder=2, initial_state=S0, output_final_state=True, backend="reference")
    assert np.allclose(S.numpy()[..., 0], np.einsum("xhij,xhj->xhi", A, S0.numpy()[..., 0]))


def test_plan_and_reports(tmp_path):
    cfgs = plan(["S3", "S4"], [1, 2], [2.0], contrast=[("S3", 1.0)], steps=5)
    assert [(c.group, c.n_h, c.beta_max) for c in cfgs] == [
        ("S3", 1, 2.0), ("S3", 2, 2.0), ("S4", 1, 2.0), ("S4", 2, 2.0), ("S3", 1, 1.0), ("S3", 2, 1.0)]
    runs = [{"group": "S3", "n_h": 2, "beta_max": 2.0, "train_length": 128,
             "accuracy_at": {"128": 1.0, "256": 0.99, "512": 0.95}, "seed": 0, "command": "c --batch 64", "gpu": "g",
             "torch": "t", "triton": "tr", "curve": [1.0] * 400 + [0.95] * 112, "mechanism": {"verdict": "found"},
             "final_loss": 1.05},
            {"group": "S3", "n_h": 1, "beta_max": 2.0, "train_length": 128,
             "accuracy_at": {"128": 0.0, "256": 0.0, "512": 0.0}, "seed": 0, "command": "c", "gpu": "g",
             "torch": "t", "triton": "tr", "curve": [0.0] * 512, "mechanism": {"verdict": "not found"}}]
    write_reports(runs, str(tmp_path))
    d = json.loads((tmp_path / "learning.json").read_text())
    need = {"group", "n_h", "beta_max", "train_length", "accuracy_at", "seed", "command", "gpu", "torch", "triton"}
    assert all(need <= set(r) for r in d["runs"])
    md = (tmp_path / "learning.md").read_text()
    assert "| S3 | 2 | 2 | 2 | 1.0 | 0.99 | 0.95 | yes |" in md  # theory min n_h for S3 is 2
    assert "| 64 | 0 | - | found (full-space criterion only) |" in md  # batch read back from the command, seed, Tm
    # final loss 1.05 is nearest the S3 -> Z2 plateau, (127/128) ln 3 = 1.090; no loss, no plateau row
    assert d["runs"][0]["plateau"]["quotient_order"] == 2 and "plateau" not in d["runs"][1]
    assert "| S3 | 2 | 2 | 64 | 0 | 1.0500 | 2 | 1.090 | 0.000, 1.090, 1.778 |" in md
    assert "| S3 | 2 | 1 | 2 | 0.0 | 0.0 | 0.0 | no |" in md
    assert (tmp_path / "learning.png").stat().st_size > 1000


def test_quotient_plateaus_follow_the_normal_subgroups():
    # normal subgroup orders from the classification (S4: 1, V4, A4, S4; A5 simple; S5: 1, A5, S5; D4 and Q8:
    # centre of order 2 and three subgroups of order 4), and the loss formula (T - 1)/T ln |N|
    from verify.learn.mechanism import quotient_plateaus

    expect = {"S4": [1, 4, 12, 24], "A5": [1, 60], "S5": [1, 60, 120], "D4": [1, 2, 4, 8], "Q8": [1, 2, 4, 8]}
    for g, orders in expect.items():
        got = quotient_plateaus(g, 64)
        assert [p["normal_order"] for p in got] == orders
        assert all(p["quotient_order"] * p["normal_order"] == orders[-1] for p in got)
        assert all(abs(p["loss"] - 63 / 64 * np.log(p["normal_order"])) < 1e-12 for p in got)
    with pytest.raises(InvalidInput, match="length"):
        quotient_plateaus("S3", 0)


@pytest.mark.parametrize("argv, word", [
    (["train", "--group", "S9x", "--nh", "2"], "group"),
    (["train", "--group", "S3", "--nh", "2", "--beta-max", "3"], "beta_max"),
    (["train", "--group", "S3", "--nh", "0"], "--nh"),
    (["train", "--group", "S3", "--nh", "2", "--dtype", "float64"], "dtype"),
    (["learn-sweep", "--contrast", "S3"], "--contrast"),
    (["learn-sweep", "--nh", "1,x"], "nh"),
    (["learn-sweep", "--beta-maxes", "2.5"], "beta"),
])
def test_cli_bad_input(argv, word, capsys, tmp_path):
    assert main(argv + (["--out", str(tmp_path / "o")] if argv[0] == "train" else ["--out", str(tmp_path)])) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and word in err


def test_learn_sweep_end_to_end(tmp_path, capsys):
    """The sweep runs each configuration as a `deltaproof train` process and collects it; the recorded command
    reproduces the run (here: returns the finished run without retraining)."""
    args = ["--nh", "1", "--contrast=", "--steps", "3", "--batch", "4", "--train-length", "8", "--test-length", "8",
            "--eval-size", "4", "--d-model", "8", "--heads", "1", "--head-dim", "2", "--device", "cpu",
            "--no-progress"]
    runs = str(tmp_path / "runs")
    assert main(["learn-sweep", "--groups", "Z2,Z3", *args, "--jobs", "2", "--runs-dir", runs,
                 "--out", str(tmp_path)]) == 0
    d = json.loads((tmp_path / "learning.json").read_text())
    assert [(r["group"], r["n_h"], r["steps_done"]) for r in d["runs"]] == [("Z2", 1, 3), ("Z3", 1, 3)]
    assert not any("error" in r for r in d["runs"])
    cmd = d["runs"][0]["command"].split()
    assert cmd[:2] == ["deltaproof", "train"] and "--dtype" in cmd and cmd[cmd.index("--dtype") + 1] == "float32"
    capsys.readouterr()
    assert main(cmd[1:] + ["--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["curve"] == json.loads((tmp_path / "runs" / "Z2_nh1_beta2_seed0" / "result.json").read_text())["curve"]
