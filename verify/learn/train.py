"""Training one-layer DeltaProduct models on group word problems: seeded, checkpointed, resumable.

Protocol (THEORY.md §3.1, with the deviations stated): each token is a uniformly random group element, the target at
position t is the prefix product (``automata.sample_words``); training length 128, evaluation on fresh words of
length 512; AdamW (betas 0.9/0.999, weight decay 1e-6), cosine learning-rate decay per step, cross-entropy on every
position; early stop once the validation sequence accuracy (fresh words of the training length) reaches 0.99.
Deviations from the paper's code: fresh words every step instead of a fixed 100k-word file (no epochs), fp32 master
weights with a bf16 recurrence, and a fixed step budget sized to the GPU time available (see ``learn-sweep``).

Metric (the paper's): the cumulative sequence accuracy at length L is the fraction of test words whose first L
predictions are all correct.

Resumability: a checkpoint (model, optimiser, scheduler, step, logs) is written atomically every ``ckpt_every``
steps and when the run stops; training data for step s comes from ``default_rng([seed, s])``, so a resumed run sees
the same words as an uninterrupted one, and a killed run loses at most one checkpoint interval. SIGINT or SIGTERM
(Ctrl-C, ``timeout``) loses nothing: the current step finishes, the checkpoint is written, and the run stays
unfinished, to be resumed by the same command (a second signal interrupts at once).

Continuing from another run's weights: ``init_from`` (``--init-from``) names a ``model.pt`` whose weights replace
the seeded initialisation when the run starts (the optimiser and the schedule start fresh). It is part of the run's
identity, and the result records it, so the words a model has seen are the parent's plus this run's.

Examples
--------
>>> import tempfile
>>> cfg = TrainConfig(group="Z2", n_h=1, steps=3, batch=4, train_length=8, test_length=16, eval_size=8,
...                   val_size=4, d_model=8, heads=1, head_dim=2, dtype="float32", device="cpu")
>>> r = train(cfg, tempfile.mkdtemp(), progress=False)
>>> r["steps_done"], sorted(r["accuracy_at"], key=int), r["accuracy_at"]["512"]  # 512 > test_length here
(3, ['8', '16', '128', '256', '512'], None)
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import math
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
import torch

from automata import group as make_group
from automata import sample_words
from automata.atomic import write_atomic
from theory.errors import InvalidInput

from .model import WordProblemModel

__all__ = ["TrainConfig", "build_model", "command_line", "cumulative_accuracy", "load_run", "train"]

_DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}


@dataclass
class TrainConfig:
    """Everything that determines a run (the checkpoint refuses to resume under a different one)."""

    group: str
    n_h: int
    beta_max: float = 2.0
    steps: int = 2000
    batch: int = 512
    lr: float = 1e-3
    weight_decay: float = 1e-6
    seed: int = 0
    train_length: int = 128
    test_length: int = 512
    eval_size: int = 1000
    val_size: int = 256
    eval_every: int = 250
    ckpt_every: int = 250
    log_every: int = 25
    d_model: int = 128
    heads: int = 8
    head_dim: int = 32
    dtype: str = "bfloat16"
    backend: str = "auto"
    device: str = "auto"
    early_stop: float = 0.99
    #: wall-clock cap in seconds (not part of the run's identity; a capped run says so in its result)
    time_budget: float | None = None
    #: a ``model.pt`` (state dict) to start from instead of the seeded initialisation (None: start from scratch)
    init_from: str | None = None

    def validate(self) -> None:
        for name in (
            "n_h",
            "steps",
            "batch",
            "train_length",
            "test_length",
            "eval_size",
            "val_size",
            "eval_every",
            "ckpt_every",
            "log_every",
            "d_model",
            "heads",
            "head_dim",
        ):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise InvalidInput(f"{name}: expected an integer >= 1, got {v!r}")
        if not (isinstance(self.beta_max, (int, float)) and 0 < self.beta_max <= 2):
            raise InvalidInput(f"beta_max: expected a number in (0, 2], got {self.beta_max!r}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise InvalidInput(f"lr: expected a positive number, got {self.lr!r}")
        if self.dtype not in _DTYPES:
            raise InvalidInput(f"dtype: expected one of {sorted(_DTYPES)}, got {self.dtype!r}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise InvalidInput(f"device: expected 'auto', 'cpu' or 'cuda', got {self.device!r}")
        if self.device == "cuda" and not torch.cuda.is_available():
            raise InvalidInput("device: 'cuda' requested but torch.cuda.is_available() is False")
        if self.time_budget is not None and not self.time_budget > 0:
            raise InvalidInput(
                f"time_budget: expected a positive number of seconds, got {self.time_budget!r}"
            )
        if self.init_from is not None and not (
            isinstance(self.init_from, str) and os.path.isfile(self.init_from)
        ):
            raise InvalidInput(f"init_from: expected the path of a model.pt file, got {self.init_from!r}")

    def identity(self) -> dict:
        d = dataclasses.asdict(self)
        d.pop("time_budget")
        if d["init_from"] is None:  # runs from before the field existed keep their identity
            d.pop("init_from")
        return d


def command_line(cfg: TrainConfig, out: str) -> str:
    """The ``deltaproof train`` command that reproduces ``cfg`` (every field given explicitly)."""
    parts = [
        "deltaproof",
        "train",
        "--group",
        cfg.group,
        "--nh",
        str(cfg.n_h),
        "--beta-max",
        f"{cfg.beta_max:g}",
    ]
    for f in (
        "steps",
        "batch",
        "lr",
        "seed",
        "train_length",
        "test_length",
        "eval_size",
        "eval_every",
        "ckpt_every",
        "d_model",
        "heads",
        "head_dim",
        "dtype",
        "backend",
        "device",
    ):
        parts += ["--" + f.replace("_", "-"), str(getattr(cfg, f))]
    if cfg.init_from is not None:
        parts += ["--init-from", cfg.init_from]
    return " ".join(parts + ["--out", out])


def _device(cfg: TrainConfig) -> torch.device:
    if cfg.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(cfg.device)


@torch.no_grad()
def cumulative_accuracy(
    model: WordProblemModel, G, length: int, n: int, seed, *, chunk: int = 250
) -> np.ndarray:
    """``acc[L-1]`` = fraction of ``n`` fresh words (seeded) whose first ``L`` predictions are all correct."""
    was = model.training
    model.eval()
    device = model.emb.weight.device
    x, y = sample_words(G, length, n, seed=np.random.default_rng(seed))
    first_wrong = []
    for a in range(0, n, chunk):
        xb = torch.as_tensor(x[a : a + chunk], device=device)
        yb = torch.as_tensor(y[a : a + chunk], device=device)
        wrong = model(xb).argmax(-1) != yb  # [b, T]
        # index of the first wrong prediction, or `length` if none
        fw = torch.where(wrong.any(1), wrong.float().argmax(1), torch.full_like(yb[:, 0], length))
        first_wrong.append(fw.cpu().numpy())
    model.train(was)
    fw = np.concatenate(first_wrong)
    return np.array([(fw >= L).mean() for L in range(1, length + 1)])


def build_model(cfg: TrainConfig, *, backend: str | None = None) -> WordProblemModel:
    """The (untrained) model a configuration describes; ``backend`` overrides ``cfg.backend``."""
    n = make_group(cfg.group).order
    return WordProblemModel(
        n,
        n,
        cfg.n_h,
        d_model=cfg.d_model,
        heads=cfg.heads,
        head_dim=cfg.head_dim,
        beta_max=cfg.beta_max,
        backend=backend or cfg.backend,
        dtype=_DTYPES[cfg.dtype],
    )


def load_run(run_dir: str, *, backend: str = "reference") -> tuple[dict, WordProblemModel]:
    """A finished run's ``result.json`` and its trained model (weights from ``model.pt``, on the CPU, fp32
    recurrence through ``backend``)."""
    with open(os.path.join(run_dir, "result.json")) as f:
        result = json.load(f)
    cfg = TrainConfig(**{**result["config"], "dtype": "float32", "device": "cpu"})
    model = build_model(cfg, backend=backend)
    model.load_state_dict(torch.load(os.path.join(run_dir, "model.pt"), map_location="cpu"))
    return result, model


def _load_init(model: WordProblemModel, path: str) -> None:
    try:
        sd = torch.load(path, map_location="cpu")
        model.load_state_dict(sd)
    except (RuntimeError, KeyError, TypeError, AttributeError, EOFError, OSError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(
            f"init_from: {path!r} is not the model.pt of a run with this group, n_h and model size ({msg})"
        ) from None


@contextlib.contextmanager
def _deferred_signals():
    """SIGINT/SIGTERM set a flag (checked between steps) instead of killing the step; a second one interrupts.

    Signal handlers can only be installed from the main thread; elsewhere signals keep their usual effect.
    """
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return

    def handler(signum, frame):
        if caught:
            raise KeyboardInterrupt
        caught.append(signum)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield caught
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _save_checkpoint(path: str, model, opt, sched, state: dict) -> None:
    buf = io.BytesIO()
    torch.save(
        {"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), **state}, buf
    )
    write_atomic(path, buf.getvalue())


def _environment() -> dict:
    import triton

    from kernels.chunked import tm_form

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    # chunked_tm: how the 16-bit chunked kernel rounds Tm (kernels.chunked.tm_form), which changes bf16 accuracy
    return {"gpu": gpu, "torch": torch.__version__, "triton": triton.__version__, "chunked_tm": tm_form()}


def train(
    cfg: TrainConfig, out: str, *, progress: bool = True, fresh: bool = False, stop_after: int | None = None
) -> dict:
    """Train (or resume) one run; writes ``out/checkpoint.pt``, ``out/log.json`` and ``out/result.json``.

    ``stop_after`` ends the session after that many steps of this call without finishing the run (a simulated
    interruption, for tests); the checkpoint is written and the returned dict has ``"finished": False``.
    A finished run in ``out`` is returned as is unless ``fresh``.
    """
    cfg.validate()
    G = make_group(cfg.group)
    os.makedirs(out, exist_ok=True)
    ckpt_path, log_path, res_path = (
        os.path.join(out, f) for f in ("checkpoint.pt", "log.json", "result.json")
    )
    if fresh:
        for p in (ckpt_path, log_path, res_path):
            if os.path.exists(p):
                os.unlink(p)
    if os.path.exists(res_path):
        with open(res_path) as f:
            done = json.load(f)
        if done.get("config") == cfg.identity():
            return done
        raise InvalidInput(
            f"out: {out!r} holds a finished run with a different configuration; use --fresh or another --out"
        )
    device = _device(cfg)
    torch.manual_seed(cfg.seed)
    model = build_model(cfg).to(device)
    if cfg.init_from is not None and not os.path.exists(ckpt_path):
        _load_init(model, cfg.init_from)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, betas=(0.9, 0.999), weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, cfg.steps) / cfg.steps))
    )
    state = {"step": 0, "log": [], "val": [], "train_seconds": 0.0, "config": cfg.identity(), "stopped": None}
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device, weights_only=False)
        if ck["config"] != cfg.identity():
            raise InvalidInput(
                f"out: {out!r} holds a checkpoint of a different configuration; use --fresh or another --out"
            )
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        state = {k: ck[k] for k in state}
    t_start = time.perf_counter()
    model.train()
    with _deferred_signals() as caught:
        paused = _train_loop(
            cfg,
            G,
            model,
            opt,
            sched,
            state,
            device,
            (ckpt_path, log_path),
            t_start,
            progress=progress,
            stop_after=stop_after,
            caught=caught,
        )
    if paused is not None:
        return paused
    if progress:
        sys.stderr.write("\n")
    state["train_seconds"] += time.perf_counter() - t_start
    curve = cumulative_accuracy(model, G, cfg.test_length, cfg.eval_size, [cfg.seed, 10**9 + 1])
    marks = sorted({128, 256, 512, cfg.train_length, cfg.test_length})
    try:
        from .mechanism import analyze_model

        mechanism = analyze_model(
            cfg.group, model, accuracy=float(curve[min(cfg.train_length, cfg.test_length) - 1])
        )
    except Exception as exc:  # noqa: BLE001  (a finished run must not be lost to the report; recorded instead)
        mechanism = {"error": f"{type(exc).__name__}: {exc}"}
    result = {
        "group": G.spec,
        "n_h": cfg.n_h,
        "beta_max": cfg.beta_max,
        "train_length": cfg.train_length,
        "accuracy_at": {
            str(L): (round(float(curve[L - 1]), 4) if L <= cfg.test_length else None) for L in marks
        },
        "seed": cfg.seed,
        "command": command_line(cfg, out),
        **_environment(),
        "finished": True,
        "steps_done": state["step"],
        "steps": cfg.steps,
        "stopped": state["stopped"] or "steps",
        "train_seconds": round(state["train_seconds"], 1),
        "final_loss": state["log"][-1]["loss"] if state["log"] else None,
        "curve": [round(float(c), 4) for c in curve],
        "val": state["val"],
        "mechanism": mechanism,
        "config": cfg.identity(),
    }
    _save_checkpoint(ckpt_path, model, opt, sched, state)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)  # the weights alone (small): enough to recompute the mechanism report
    write_atomic(os.path.join(out, "model.pt"), buf.getvalue())
    write_atomic(log_path, json.dumps({"log": state["log"], "val": state["val"]}, indent=1))
    write_atomic(res_path, json.dumps(result, indent=1))
    return result


def _train_loop(cfg, G, model, opt, sched, state, device, paths, t_start, *, progress, stop_after, caught):
    """Steps until the run stops (returns None; ``state["stopped"]`` says why, None = all steps done) or is paused
    by ``stop_after`` or a signal (returns the unfinished run's summary, after writing the checkpoint)."""
    ckpt_path, log_path = paths
    step0, budget_hit = state["step"], False
    while state["step"] < cfg.steps and state["stopped"] is None:
        s = state["step"]
        x, y = sample_words(G, cfg.train_length, cfg.batch, seed=np.random.default_rng([cfg.seed, s]))
        xb, yb = torch.as_tensor(x, device=device), torch.as_tensor(y, device=device)
        logits = model(xb)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), yb.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        state["step"] = s + 1
        if state["step"] % cfg.log_every == 0 or state["step"] == cfg.steps:
            loss_v = float(loss.detach())  # synchronises with the GPU: only at log steps
            if not math.isfinite(loss_v):
                state["stopped"] = f"non-finite loss by step {state['step']}"
                break
            acc = float((logits.argmax(-1) == yb).float().mean())
            state["log"].append(
                {
                    "step": state["step"],
                    "loss": round(loss_v, 5),
                    "token_acc": round(acc, 5),
                    "lr": sched.get_last_lr()[0],
                }
            )
            if progress:
                _bar(cfg, state["step"], loss_v, acc)
        if state["step"] % cfg.eval_every == 0 or state["step"] == cfg.steps:
            v = float(cumulative_accuracy(model, G, cfg.train_length, cfg.val_size, [cfg.seed, 10**9])[-1])
            state["val"].append({"step": state["step"], "seq_acc": v})
            if v >= cfg.early_stop:
                state["stopped"] = "early_stop"
        elapsed = state["train_seconds"] + time.perf_counter() - t_start
        if cfg.time_budget is not None and elapsed > cfg.time_budget:
            budget_hit = True
        interrupted = bool(caught) or (stop_after is not None and state["step"] - step0 >= stop_after)
        if state["step"] % cfg.ckpt_every == 0 or budget_hit or interrupted:
            _save_checkpoint(
                ckpt_path,
                model,
                opt,
                sched,
                {**state, "train_seconds": state["train_seconds"] + time.perf_counter() - t_start},
            )
            write_atomic(log_path, json.dumps({"log": state["log"], "val": state["val"]}, indent=1))
        if budget_hit:
            state["stopped"] = "time_budget"
        if interrupted and not budget_hit and state["stopped"] is None and state["step"] < cfg.steps:
            if progress:
                sys.stderr.write("\n")
            paused = {"finished": False, "steps_done": state["step"]}
            if caught:
                paused["signal"] = signal.Signals(caught[0]).name
            return paused
    return None


def _bar(cfg: TrainConfig, step: int, loss: float, acc: float) -> None:
    width = 30
    fill = int(width * step / cfg.steps)
    sys.stderr.write(
        f"\rtrain {cfg.group} n_h={cfg.n_h} beta<={cfg.beta_max:g} [{'#' * fill}{'.' * (width - fill)}]"
        f" {step}/{cfg.steps} loss {loss:.4f} token acc {acc:.3f}"
    )
    sys.stderr.flush()
