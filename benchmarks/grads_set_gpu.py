"""Gradients against float64 over a set of shapes, in parallel processes, under each value of an env switch.

Run from the repository root on the GPU::

    PYTHONPATH=. python3 benchmarks/grads_set_gpu.py OUT.json --shapes full [--env VAR=a,b] [--jobs 6]

Each job is one ``benchmarks/kernel_grads_gpu.py K V n_h dtype [gated]`` process (its own CUDA context, so an
illegal memory access in one shape cannot poison the others) with ``VAR`` set to one value; the JSON lines they
print are collected, with the value and, for a job that printed nothing, the tail of its stderr, into ``OUT.json``
(GPU, torch and triton versions, the command). ``--dry-run`` lists the jobs without running them (works on a CPU).
Shape sets: ``full`` is the 17-shape set of benchmarks/results/kernel_grads_h200.json (K from 3 to 256, V down to
1, n_h 1-4, gated and not, bf16 and fp16); ``fp32`` the K >= 128 fp32 shapes of the fp32 experiments, ``fp32_k128``
those at K = 128.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

SHAPES = {
    "full": ["5 1 4 bfloat16", "5 1 4 float16", "3 1 2 bfloat16", "16 16 2 bfloat16", "32 32 1 bfloat16",
             "32 32 2 bfloat16", "32 32 3 bfloat16", "32 32 4 bfloat16", "32 32 2 bfloat16 gated",
             "64 64 3 bfloat16", "128 128 2 bfloat16", "128 128 3 bfloat16", "128 128 4 bfloat16",
             "128 128 2 bfloat16 gated", "128 128 4 float16 gated", "100 100 1 float16", "256 256 2 bfloat16"],
    "fp32": ["128 128 1 float32", "128 128 2 float32", "128 128 4 float32", "128 128 2 float32 gated",
             "256 256 2 float32"],
}
# the fp32 set without K = 256, whose fused fp32 backward takes ~10 minutes to compile (session 12)
SHAPES["fp32_k128"] = [s for s in SHAPES["fp32"] if not s.startswith("256")]


def _job(shape: str, var: str | None, value: str | None, timeout: float) -> dict:
    env = dict(os.environ)
    if var:
        env[var] = value
    cmd = [sys.executable, os.path.join("benchmarks", "kernel_grads_gpu.py"), *shape.split()]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
        row = json.loads(lines[-1]) if lines else {"shape": shape, "rc": p.returncode,
                                                   "stderr_tail": p.stderr[-300:]}
    except subprocess.TimeoutExpired:
        row = {"shape": shape, "error": f"timeout after {timeout} s"}
    if var:
        row[var] = value
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--shapes", choices=sorted(SHAPES), default="full")
    ap.add_argument("--env", default=None, help="VAR=value1,value2: run every shape under each value")
    ap.add_argument("--jobs", type=int, default=6)
    ap.add_argument("--timeout", type=float, default=150.0, help="seconds per job")
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    var, values = None, [None]
    if a.env:
        var, sep, vals = a.env.partition("=")
        if not sep or not var or not vals:
            ap.error(f"--env: expected VAR=value1,value2, got {a.env!r}")
        values = vals.split(",")
    jobs = [(shape, var, v) for v in values for shape in SHAPES[a.shapes]]
    if a.dry_run:
        for shape, var_, v in jobs:
            print(json.dumps({"shape": shape, **({var_: v} if var_ else {})}))
        return 0
    import torch
    import triton

    t0 = time.perf_counter()
    with ThreadPoolExecutor(a.jobs) as pool:
        rows = list(pool.map(lambda j: _job(*j, a.timeout), jobs))
    res = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "command": "PYTHONPATH=. python3 benchmarks/grads_set_gpu.py OUT.json " + " ".join(sys.argv[2:]),
           "seconds": round(time.perf_counter() - t0, 1), "grads_vs_float64": rows}
    with open(a.out + ".tmp", "w") as f:
        json.dump(res, f, indent=1)
    os.replace(a.out + ".tmp", a.out)
    for r in rows:
        errs = {k: round(v, 4) for k, v in r.items() if k.endswith("_rel") and isinstance(v, float)}
        print(r.get(var) if var else "", r.get("K"), r.get("V"), r.get("n_h"), r.get("dtype"), r.get("gated"), errs,
              r.get("finite"), str(r.get("error", r.get("stderr_tail", "")))[:100])
    return 0


if __name__ == "__main__":
    sys.exit(main())
