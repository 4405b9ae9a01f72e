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

Shape B=1, T, H=2, K=V, n_h 1 and 2, ungated and gated (g in (-0.5, 0]), initial state, unit keys, beta in [0, 2].
The JSON is rewritten atomically after every run.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import torch

sys.path.insert(0, ".")

from kernels import deltaproduct

FIELDS = ("q", "k", "v", "beta", "g", "initial_state")


def inputs(T, K, n, gated, seed):
    gen = torch.Generator().manual_seed(seed)
    H = 2
    x = {
        "q": torch.randn(1, T, H, K, generator=gen, dtype=torch.float64),
        "k": torch.nn.functional.normalize(
            torch.randn(1, T * n, H, K, generator=gen, dtype=torch.float64), dim=-1
        ),
        "v": torch.randn(1, T * n, H, K, generator=gen, dtype=torch.float64),
        "beta": torch.rand(1, T * n, H, generator=gen, dtype=torch.float64) * 2,
        "g": -torch.rand(1, T, H, generator=gen, dtype=torch.float64) * 0.5 if gated else None,
        "initial_state": torch.randn(1, H, K, K, generator=gen, dtype=torch.float64),
    }
    # the bf16 run and the float64 reference see the same numbers: q, k, v, beta rounded to bf16 first
    for key in ("q", "k", "v", "beta"):
        x[key] = x[key].to(torch.bfloat16).double()
    return x


def run(x, n, backend, dtype):
    xs = {}
    for key in FIELDS:
        t = x[key]
        if t is not None:
            t = t.to(
                dtype
                if key in ("q", "k", "v", "beta")
                else torch.float32
                if dtype != torch.float64
                else dtype
            )
            t = t.detach().clone().requires_grad_(True)
        xs[key] = t
    o, S = deltaproduct(
        xs["q"],
        xs["k"],
        xs["v"],
        xs["beta"],
        num_householder=n,
        g=xs["g"],
        initial_state=xs["initial_state"],
        output_final_state=True,
        backend=backend,
    )
    gen = torch.Generator().manual_seed(99)
    do = torch.randn(o.shape, generator=gen, dtype=torch.float64)
    dS = torch.randn(S.shape, generator=gen, dtype=torch.float64)
    ((o.double() * do).sum() + (S.double() * dS).sum()).backward()
    out = {"o": o.detach(), "S": S.detach()}
    out.update({"d" + key: xs[key].grad for key in FIELDS if xs[key] is not None})
    return out


def norm_rel(a, r):
    return float((a.double() - r.double()).norm() / r.double().norm().clamp_min(1e-300))


def write(path, res):
    with open(path + ".tmp", "w") as f:
        json.dump(res, f, indent=1)
    os.replace(path + ".tmp", path)


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
                x = inputs(a.T, a.K, n, gated, 500 + seed)
                ref = run(x, n, "reference", torch.float64)
                errs = {}
                for value in (a.a, a.b):
                    os.environ[a.variable] = value
                    got = run(x, n, "chunked", torch.bfloat16)
                    errs[value] = {k: norm_rel(got[k], ref[k]) for k in ref}
                del os.environ[a.variable]
                res["rows"].append({"n_h": n, "gated": gated, "seed": 500 + seed, "errors": errs})
                for k in ref:
                    ratios.setdefault(k, []).append(errs[a.b][k] / errs[a.a][k])
                write(a.out, res)
            key = f"n_h {n} {'gated' if gated else 'ungated'}"
            res["summary"][key] = {
                k: {
                    "geomean_b_over_a": round(math.exp(statistics.mean(math.log(r) for r in v)), 4),
                    "seeds_b_at_or_below": sum(r <= 1.0 for r in v),
                    "seeds": len(v),
                }
                for k, v in ratios.items()
            }
            write(a.out, res)
            print(
                key,
                {
                    k: (v["geomean_b_over_a"], v["seeds_b_at_or_below"])
                    for k, v in res["summary"][key].items()
                },
                flush=True,
            )
    res["seconds"] = round(time.time() - t0, 1)
    write(a.out, res)


if __name__ == "__main__":
    main()
