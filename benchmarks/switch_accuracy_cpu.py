"""bf16 accuracy of two values of one chunked-backend switch, on the CPU (Triton's interpreter).

Runs the chunked backend in bf16 under the interpreter (which rounds every dot operand to bf16 as the GPU does, in
fp32 arithmetic) under values A and B of an environment switch (kernels/README.md's table), on the same inputs,
against a float64 run of the reference, and reports per tensor the norm-wise error ||x - ref|| / ||ref||: the
geometric mean over seeds of B / A and in how many seeds B is at or below A. Only the switch differs between the two
runs, so this isolates its effect on our own errors; it says nothing about fla's (that comparison needs the GPU:
accuracy_seeds_gpu.py). Session 9 used it for DELTAPROOF_CHUNKED_DS_SCALE (at commit a95be0e, as ds_scale_cpu.py)
and DELTAPROOF_CHUNKED_TM (kernels/README.md §6).

Run from the repository root::

    TRITON_INTERPRET=1 PYTHONPATH=. python benchmarks/switch_accuracy_cpu.py OUT.json VARIABLE A B [--seeds 8]
        [--T 128] [--K 32]

Shape B=1, T, H=2, K=V, n_h 1 and 2, ungated and gated, initial state: the inputs of benchmarks/kernels.py's
make_inputs (unit keys, beta in [0, 2], g in (-0.1, 0]) in bf16, the reference run on the same numbers in float64.
The JSON is rewritten atomically after every run.
"""

import argparse
import importlib.util
import math
import os
import statistics
import subprocess
import sys
import time

import torch

sys.path.insert(0, ".")


def _load(name, path):  # sibling scripts (benchmarks/ is not a package; kernels.py would shadow `kernels`)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bench = _load("kernels_bench", os.path.join("benchmarks", "kernels.py"))
acc = _load("accuracy_seeds", os.path.join("benchmarks", "accuracy_seeds_gpu.py"))


def cotangents(x, n):
    """Fixed random cotangents for the output [1, T, H, V] and the final state [1, H, K, V]."""
    gen = torch.Generator().manual_seed(99)
    B, T, H, K = x["q"].shape
    V = x["v"].shape[-1]
    return (
        torch.randn(B, T, H, V, generator=gen, dtype=torch.float64),
        torch.randn(B, H, K, V, generator=gen, dtype=torch.float64),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("variable")
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--T", type=int, default=128)
    ap.add_argument("--K", type=int, default=32)
    a = ap.parse_args()
    if os.environ.get("TRITON_INTERPRET") != "1":
        raise SystemExit("run under TRITON_INTERPRET=1 (the CPU interpreter)")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True
    ).stdout.strip()
    res = {
        "command": "TRITON_INTERPRET=1 PYTHONPATH=. python benchmarks/switch_accuracy_cpu.py OUT.json "
        + " ".join(sys.argv[2:]),
        "commit": commit,
        "variable": a.variable,
        "values": {"a": a.a, "b": a.b},
        "torch": torch.__version__,
        "shape": {"B": 1, "T": a.T, "H": 2, "K": a.K, "V": a.K},
        "metric": "norm-wise ||x - ref|| / ||ref||, ref = float64 reference on the same (bf16-representable) inputs",
        "rows": [],
        "summary": {},
    }
    t0 = time.time()
    for gated in (False, True):
        for n in (1, 2):
            ratios = {}
            for seed in range(a.seeds):
                # bf16 inputs; the float64 reference runs on the same (bf16-representable) numbers
                x = bench.make_inputs(1, a.T, 2, a.K, a.K, n, torch.bfloat16, gated, 500 + seed, device="cpu")
                do, dht = cotangents(x, n)
                ref = bench.run_with_grads(x, n, "reference", torch.float64, do, dht)
                errs = {}
                for value in (a.a, a.b):
                    os.environ[a.variable] = value
                    got = bench.run_with_grads(x, n, "chunked", torch.bfloat16, do, dht)
                    errs[value] = {k: acc.norm_rel(got[k], ref[k]) for k in ref}
                del os.environ[a.variable]
                res["rows"].append({"n_h": n, "gated": gated, "seed": 500 + seed, "errors": errs})
                for k in ref:
                    ratios.setdefault(k, []).append(errs[a.b][k] / errs[a.a][k])
                bench.write_json(a.out, res)
            key = f"n_h {n} {'gated' if gated else 'ungated'}"
            res["summary"][key] = {
                k: {
                    "geomean_b_over_a": round(math.exp(statistics.mean(math.log(r) for r in v)), 4),
                    "seeds_b_at_or_below": sum(r <= 1.0 for r in v),
                    "seeds": len(v),
                }
                for k, v in ratios.items()
            }
            bench.write_json(a.out, res)
            print(
                key,
                {
                    k: (v["geomean_b_over_a"], v["seeds_b_at_or_below"])
                    for k, v in res["summary"][key].items()
                },
                flush=True,
            )
    res["seconds"] = round(time.time() - t0, 1)
    bench.write_json(a.out, res)


if __name__ == "__main__":
    main()
