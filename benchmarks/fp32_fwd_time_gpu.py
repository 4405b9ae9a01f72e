"""fp32 forward time of the chunked backend at the benchmark shape under several settings of its switches.

Run from the repository root on the GPU::

    PYTHONPATH=. python3 benchmarks/fp32_fwd_time_gpu.py OUT.json [n_h] [SETTING ...]

Each SETTING is ``A=x+B=y`` (environment switches of the chunked backend, every variable any setting names unset
before each is applied); without settings, ``DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3`` and ``...=ieee`` (session 6's
comparison). B=8, T=4096, H=16, K=V=128, fp32, ungated, no_grad; median of ``triton.testing.do_bench`` (rep 100 ms),
with each setting's forward relative to the first setting's (not against float64: that is the grads check,
``benchmarks/grads_set_gpu.py --shapes fp32``). The JSON is rewritten atomically after each row.
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


def main(out, n, settings):
    inp = bench.make_inputs(8, 4096, 16, 128, 128, n, torch.float32, False)
    res = {
        **bench.run_record("fp32_fwd_time_gpu.py", ["OUT.json", *sys.argv[2:]]),
        "env": {k: v for k, v in os.environ.items() if k.startswith("DELTAPROOF_")},
        "n_h": n,
        "rows": [],
    }
    names = {name for s in settings for name in bench.setting_env(s)}
    first = None
    for setting in settings:
        for name in names:
            os.environ.pop(name, None)
        os.environ.update(bench.setting_env(setting))

        def f():
            with torch.no_grad():
                return bench.run_inputs(inp, n, "chunked")[0]

        o = f()
        ms = float(triton.testing.do_bench(f, warmup=5, rep=100, return_mode="median"))
        first = o if first is None else first
        res["rows"].append(
            {"setting": setting, "fwd_ms": round(ms, 3), "rel_diff_vs_first": bench.rel(o, first)}
        )
        print(json.dumps(res["rows"][-1]), flush=True)
        bench.write_json(out, res)


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    n_h = int(args[1]) if len(args) > 1 else 2
    chosen = args[2:] or ["DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3", "DELTAPROOF_CHUNKED_FP32_DOTS=ieee"]
    main(args[0], n_h, chosen)
