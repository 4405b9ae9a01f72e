"""fp32 forward time of the chunked backend at the benchmark shape under each value of DELTAPROOF_CHUNKED_FP32_DOTS.

Run from the repository root on the GPU: ``PYTHONPATH=. python3 benchmarks/fp32_fwd_time_gpu.py OUT.json [n_h]``.
B=8, T=4096, H=16, K=V=128, fp32, ungated, no_grad; median of ``triton.testing.do_bench`` (rep 100 ms), with the
forward's relative error against the same call in the other mode (not against float64: that is the grads check).
"""

import importlib.util
import json
import os
import sys

import torch
import triton

sys.path.insert(0, ".")

_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

n = int(sys.argv[2]) if len(sys.argv) > 2 else 2
inp = bench.make_inputs(8, 4096, 16, 128, 128, n, torch.float32, False)
res = {
    **bench.run_record("fp32_fwd_time_gpu.py", ["OUT.json", *sys.argv[2:]]),
    "env": {k: v for k, v in os.environ.items() if k.startswith("DELTAPROOF_")},
    "n_h": n,
    "rows": [],
}
outs = {}
for mode in ("tf32x3", "ieee"):
    os.environ["DELTAPROOF_CHUNKED_FP32_DOTS"] = mode

    def f():
        with torch.no_grad():
            return bench.run_inputs(inp, n, "chunked")[0]

    outs[mode] = f()
    ms = float(triton.testing.do_bench(f, warmup=5, rep=100, return_mode="median"))
    res["rows"].append({"FP32_DOTS": mode, "fwd_ms": round(ms, 3)})
    print(json.dumps(res["rows"][-1]), flush=True)
    bench.write_json(sys.argv[1], res)  # atomically: before, this write was in place
res["rel_diff_tf32x3_vs_ieee"] = bench.rel(outs["tf32x3"], outs["ieee"])
print(res["rel_diff_tf32x3_vs_ieee"])
bench.write_json(sys.argv[1], res)
