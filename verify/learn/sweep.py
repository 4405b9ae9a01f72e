"""``deltaproof learn-sweep``: groups x n_h x beta range, each run a resumable ``deltaproof train`` process.

Each run is its own process (``python -m verify train ... --json``): runs share nothing, several can share one GPU
(the models are small, so one run does not fill an H200), and a crash or a CUDA fault in one run cannot take the
others down. A run whose ``result.json`` exists is not repeated; an interrupted run resumes from its checkpoint.
The sweep then writes ``learning.json`` (``{"runs": [...]}``), ``learning.md`` (the table next to the theory's
minimal n_h) and ``learning.png`` (cumulative sequence accuracy against length, one panel per group).

Examples
--------
>>> cfgs = plan(["S3", "A5"], [1, 2], [2.0], contrast=[("S3", 1.0)], steps=10)
>>> [(c.group, c.n_h, c.beta_max) for c in cfgs]
[('S3', 1, 2.0), ('S3', 2, 2.0), ('A5', 1, 2.0), ('A5', 2, 2.0), ('S3', 1, 1.0), ('S3', 2, 1.0)]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from numbers import Real

from automata.atomic import write_atomic

from .mechanism import quotient_plateaus
from .train import TrainConfig, command_line

__all__ = ["plan", "run_name", "run_sweep", "write_reports"]

# The exact-arithmetic minimal n_h for one layer with all letters (deltaproof table): S3 and S4 and A5 need 2, S5 4.
_THEORY_HINT = "deltaproof table"


def plan(groups: Sequence[str], n_hs: Sequence[int], beta_maxes: Sequence[float], *,
         contrast: Sequence[tuple[str, float]] = (), **overrides) -> list[TrainConfig]:
    """The runs of a sweep: every group x n_h x beta_max, then each ``(group, beta_max)`` contrast x n_h."""
    cfgs = [TrainConfig(group=g, n_h=n, beta_max=float(b), **overrides) for b in beta_maxes for g in groups
            for n in n_hs]
    cfgs += [TrainConfig(group=g, n_h=n, beta_max=float(b), **overrides) for g, b in contrast for n in n_hs
             if (g, float(b)) not in {(c.group, c.beta_max) for c in cfgs}]
    for c in cfgs:
        c.validate()
    return cfgs


def run_name(cfg: TrainConfig) -> str:
    return f"{cfg.group}_nh{cfg.n_h}_beta{cfg.beta_max:g}_seed{cfg.seed}"


def _argv(cfg: TrainConfig, out: str) -> list[str]:
    return [sys.executable, "-m", "verify", *command_line(cfg, out).split()[1:], "--json", "--no-progress"] + (
        ["--time-budget", str(cfg.time_budget)] if cfg.time_budget else [])


def run_sweep(cfgs: Sequence[TrainConfig], runs_dir: str, out: str, *, jobs: int = 1,
              progress: bool = True) -> dict:
    """Run every configuration (``jobs`` at a time), then write the reports under ``out``."""
    if jobs < 1:
        raise ValueError(f"jobs: expected an integer >= 1, got {jobs}")
    pending = list(cfgs)
    running: list[tuple[subprocess.Popen, TrainConfig, str, float]] = []
    results: dict[str, dict] = {}
    done = 0
    while pending or running:
        while pending and len(running) < jobs:
            cfg = pending.pop(0)
            d = os.path.join(runs_dir, run_name(cfg))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "stderr.txt"), "w") as log:  # the child keeps its own descriptor
                p = subprocess.Popen(_argv(cfg, d), stdout=subprocess.PIPE, stderr=log, text=True)
            running.append((p, cfg, d, time.perf_counter()))
        time.sleep(0.5)
        for item in list(running):
            p, cfg, d, t0 = item
            if p.poll() is None:
                continue
            running.remove(item)
            stdout = p.stdout.read() if p.stdout else ""
            name = run_name(cfg)
            try:
                results[name] = json.loads(stdout.strip().splitlines()[-1])
            except (json.JSONDecodeError, IndexError):
                with open(os.path.join(d, "stderr.txt")) as f:
                    err = f.read().strip().splitlines()
                results[name] = {"group": cfg.group, "n_h": cfg.n_h, "beta_max": cfg.beta_max, "seed": cfg.seed,
                                 "error": f"exit {p.returncode}: {err[-1] if err else 'no output'}"[:400],
                                 "command": command_line(cfg, d)}
            done += 1
            if progress:
                r = results[name]
                acc = (r.get("accuracy_at") or {}).get(str(cfg.test_length))
                sys.stderr.write(f"[{done}/{len(cfgs)}] {name}: acc@{cfg.test_length} {acc} "
                                 f"({r.get('stopped', r.get('error', ''))}, {time.perf_counter() - t0:.0f} s)\n")
                sys.stderr.flush()
    ordered = [results[run_name(c)] for c in cfgs]
    write_reports(ordered, out)
    return {"runs": ordered}


def write_reports(runs: Sequence[dict], out: str) -> None:
    """``learning.json``, ``learning.md`` and ``learning.png`` under ``out`` (each written atomically)."""
    from automata import group as make_group
    from theory.characters import character_table
    from theory.errors import GroupTooLarge, InvalidInput
    from theory.minimal import min_nh_faithful

    keep = ("group", "n_h", "beta_max", "train_length", "accuracy_at", "seed", "command", "gpu", "torch", "triton",
            "steps_done", "steps", "stopped", "train_seconds", "final_loss", "curve", "error", "chunked_tm")
    slim = []
    for r in runs:
        s = {k: r[k] for k in keep if k in r}
        m = r.get("mechanism") or {}
        s["mechanism"] = {k: m[k] for k in ("verdict", "reason", "criterion", "faithful_at_subspace_tol",
                                             "representation_heads", "faithful",
                                             "decomposition", "nh_needed_by_learned", "min_nh_theory", "error")
                          if k in m}
        dyn = m.get("dynamics") or {}
        s["mechanism"].update({k: dyn[k] for k in ("decode_accuracy", "centroid_accuracy") if k in dyn})
        for k in ("sweep", "mechanism_source"):
            if k in r:
                s[k] = r[k]
        batch = (r.get("config") or {}).get("batch") or r.get("batch")
        if batch is None:  # summaries written before the config was kept: the command line has it
            hit = re.search(r"--batch (\d+)", r.get("command") or "")
            batch = int(hit.group(1)) if hit else None
        s["batch"] = batch
        init = (r.get("config") or {}).get("init_from")
        if init:  # continued from another run's weights: its steps come on top of these
            s["init_from"] = init
        if isinstance(r.get("final_loss"), Real) and "group" in r:
            # which quotient G/N the run's final loss matches (mechanism.quotient_plateaus)
            plateaus = quotient_plateaus(r["group"], int(r.get("train_length", 128)))
            best = min(plateaus, key=lambda p: abs(p["loss"] - r["final_loss"]))
            s["plateau"] = {"quotient_order": best["quotient_order"], "normal_order": best["normal_order"],
                            "loss": round(best["loss"], 4), "all": [round(p["loss"], 4) for p in plateaus]}
        slim.append(s)
    write_atomic(os.path.join(out, "learning.json"), json.dumps({"runs": slim}, indent=1) + "\n")
    theory = {}
    for g in sorted({r["group"] for r in slim}):
        try:
            theory[g] = min_nh_faithful(character_table(make_group(g).perm_group)).min_n_h
        except (GroupTooLarge, InvalidInput):  # outside the character-table machinery: the column says so
            theory[g] = None
    lines = ["# Learning: one-layer DeltaProduct on word problems", "",
             ("Sequence accuracy (all of the first L predictions correct) on fresh words; trained on length "
              f"{slim[0].get('train_length', 128) if slim else 128}. 'theory' = minimal n_h of an exact one-layer "
              f"construction ({_THEORY_HINT}). 'Tm': how the bf16 chunked kernel rounded Tm in training and in "
              "this evaluation (kernels.chunked.tm_form; '-': not recorded). Commands and versions per run in "
              "learning.json."), ""]
    # accuracy columns: every length at which some run was evaluated (128/256/512 for the paper's protocol)
    cols = sorted({int(k) for r in slim for k, v in (r.get("accuracy_at") or {}).items() if v is not None},
                  key=int) or [128, 256, 512]
    top = str(cols[-1])
    lines += ["| group | beta_max | n_h | theory min n_h | " + " | ".join(f"acc@{c}" for c in cols)
              + f" | >= 0.9 at {top} | steps | batch | seed | Tm | mechanism |", "|---" * (len(cols) + 10) + "|"]
    for r in slim:
        a = r.get("accuracy_at") or {}
        last = a.get(top)
        m = r["mechanism"]
        mech = m.get("verdict", m.get("error", ""))
        if "criterion" not in m and "verdict" in m:
            mech += " (full-space criterion only)"
        elif not m.get("criterion") and m.get("faithful_at_subspace_tol") is not None:
            mech += f" (faithful representation at subspace_tol {m['faithful_at_subspace_tol']:g})"
        elif m.get("criterion"):
            mech += f" ({m['criterion']}: " + " + ".join(
                f"{d['name']}" + (f"^{d['multiplicity']}" if d.get("multiplicity", 1) != 1 else "")
                for d in m.get("decomposition", [])) + ")"
        lines.append(f"| {r['group']} | {r['beta_max']:g} | {r['n_h']} | {theory.get(r['group'])} | "
                     + " | ".join(str(a.get(str(c))) for c in cols)
                     + f" | {'yes' if last is not None and last >= 0.9 else 'no'} | "
                     f"{r.get('steps_done')}/{r.get('steps')} ({r.get('stopped', r.get('error', ''))})"
                     + (f", continued from `{r['init_from']}`" if r.get("init_from") else "") + " | "
                     f"{r.get('batch')} | {r.get('seed')} | {r.get('chunked_tm', '-')} | {mech} |")
    lines += ["", "## Final training loss against the quotient plateaus", "",
              ("A model that tracks only the image of the prefix in a quotient G/N (and knows position 1, the letter "
               "itself) has loss (T - 1)/T ln |N| (verify.learn.mechanism.quotient_plateaus): |G/N| = 1 is 'learned "
               "nothing', |G/N| = |G| the exact solution."), "",
              ("| group | beta_max | n_h | batch | seed | final loss | nearest plateau: order of G/N | its loss | "
               "all plateaus |"),
              "|---|---|---|---|---|---|---|---|---|"]
    for r in slim:
        p = r.get("plateau")
        if p:
            lines.append(f"| {r['group']} | {r['beta_max']:g} | {r['n_h']} | {r.get('batch')} | {r.get('seed')} | "
                         f"{r['final_loss']:.4f} | {p['quotient_order']} | {p['loss']:.3f} | "
                         + ", ".join(f"{x:.3f}" for x in p["all"]) + " |")
    write_atomic(os.path.join(out, "learning.md"), "\n".join(lines) + "\n")
    _plot(slim, os.path.join(out, "learning.png"))


def _plot(runs: Sequence[dict], path: str) -> None:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = list(dict.fromkeys(r["group"] for r in runs))
    fig, axes = plt.subplots(1, max(len(groups), 1), figsize=(4.2 * max(len(groups), 1), 3.4), squeeze=False)
    for ax, g in zip(axes[0], groups):
        for r in runs:
            if r["group"] != g or not r.get("curve"):
                continue
            ls = "-" if r["beta_max"] == 2 else ":"
            ax.plot(range(1, len(r["curve"]) + 1), r["curve"], ls, label=f"n_h={r['n_h']} beta<={r['beta_max']:g} ({r.get('steps_done')} steps)")
        ax.axvline(runs[0].get("train_length", 128), color="grey", ls="--", lw=0.8)
        ax.set_title(g)
        ax.set_xlabel("length L")
        ax.set_ylim(-0.02, 1.02)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    axes[0][0].set_ylabel("sequence accuracy")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    write_atomic(path, buf.getvalue())
