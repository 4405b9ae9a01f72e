"""Rebuild reports/learning.{json,md,png} from the H200 learning runs, recomputing mechanisms where weights exist.

CPU only: ``python benchmarks/learning_report.py``. Inputs (committed):

* ``benchmarks/results/learning_sweep1_h200.json``: the 20-run sweep of ``benchmarks/gpu_learning.sh``, as the sweep
  wrote it on the H200 (only these summaries came back from the device: its weights did not), mechanism from the
  full-space criterion of that day;
* ``reports/learning_runs/<run>/{result.json,model.pt,log.json}``: the four longer runs of
  ``benchmarks/gpu_session2.sh`` (sweep 2) and the three of ``benchmarks/gpu_session3.sh`` (sweep 3: A5 n_h=2 at
  the paper's batch of 2048, seeds 1 and 2; S4 n_h=1, whose sweep-1 weights were lost); their mechanism is
  recomputed here from ``model.pt`` with :func:`verify.learn.mechanism.analyze_model` (full-space and subspace
  criteria, dynamics check); sweep 4 (``benchmarks/gpu_learning_next.sh``, session 4): A5 n_h=2 and S5 n_h=4, seed 3,
  each alone on the GPU at batch 2048; sweep 5 (``benchmarks/gpu_session5.sh``, session 5): the S5 run of sweep 4
  continued from its weights with ``--init-from`` and ``DELTAPROOF_CHUNKED_TM=split``. Sweep 3's S5 runs were killed before writing weights:
  ``benchmarks/results/learning_session3_killed_s5_h200.json`` keeps their training logs.
"""

from __future__ import annotations

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


# runs of benchmarks/gpu_session3.sh and (sweep 4) of benchmarks/gpu_learning_next.sh, one group alone per device
# call; every other run under reports/learning_runs/ is from gpu_session2.sh
SWEEP3 = {"A5_nh2_beta2_seed1", "A5_nh2_beta2_seed2", "S4_nh1_beta2_seed0"}
SWEEP4 = {"A5_nh2_beta2_seed3", "S5_nh4_beta2_seed3"}
# session 5 (benchmarks/gpu_session5.sh): sweep 4's S5 run continued from its weights (--init-from), Tm split
SWEEP5 = {"S5_nh4_beta2_seed3_cont"}


def main() -> int:
    from verify.learn.sweep import write_reports

    with open(os.path.join(ROOT, "benchmarks", "results", "learning_sweep1_h200.json")) as f:
        runs = [dict(r, sweep=1, chunked_tm="single", mechanism_source="computed on the H200 at the end of training "
                     "(full-space criterion only; weights not retrieved)") for r in json.load(f)["runs"]]
    run_dir = os.path.join(ROOT, "reports", "learning_runs")
    runs += _recomputed(run_dir, sweep=lambda name: 5 if name in SWEEP5 else 4 if name in SWEEP4 else 3 if name in SWEEP3 else 2)
    write_reports(runs, os.path.join(ROOT, "reports"))
    # the CPU runs of benchmarks/learning_cpu.sh (S3, reduced model), same treatment, their own report
    cpu = _recomputed(os.path.join(ROOT, "reports", "learning_cpu", "runs"), sweep="cpu")
    write_reports(cpu, os.path.join(ROOT, "reports", "learning_cpu"))
    print("written reports/learning.{json,md,png} and reports/learning_cpu/learning.{json,md,png}")
    return 0


def _recomputed(run_dir: str, sweep) -> list[dict]:
    """Each run's result.json with its mechanism recomputed from model.pt (:func:`analyze_model`)."""
    from verify.learn.mechanism import analyze_model
    from verify.learn.train import load_run

    runs = []
    for name in sorted(os.listdir(run_dir)):
        r, model = load_run(os.path.join(run_dir, name))
        c = r["config"]
        acc = r["curve"][c["train_length"] - 1]
        r["mechanism"] = analyze_model(c["group"], model, accuracy=acc)
        r["sweep"] = sweep(name) if callable(sweep) else sweep
        r["mechanism_source"] = "recomputed on the CPU from model.pt by benchmarks/learning_report.py"
        if "chunked_tm" not in r and r.get("gpu"):
            # results from before train.py recorded it: sweep 5's script exported DELTAPROOF_CHUNKED_TM=split, every
            # earlier GPU run trained with the then default, single
            r["chunked_tm"] = "split" if name in SWEEP5 else "single"
        runs.append(r)
        m = r["mechanism"]
        print(f"{name}: acc@{c['test_length']} {r['accuracy_at'][str(c['test_length'])]}, mechanism {m['verdict']} "
              f"({m.get('criterion')}, faithful at subspace_tol {m.get('faithful_at_subspace_tol')}): "
              f"{m.get('reason', '')[:200]}")
    return runs


if __name__ == "__main__":
    sys.exit(main())
