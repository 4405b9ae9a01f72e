"""fp32 forward time of the chunked backend at the benchmark shape under several settings of its switches.

Run from the repository root on the GPU::

    PYTHONPATH=. python3 benchmarks/fp32_fwd_time_gpu.py OUT.json [n_h] [SETTING ...] [--profile] [--fla] [--gated]

Each SETTING is ``A=x+B=y`` (environment switches of the chunked backend, every variable any setting names unset
before each is applied); without settings, ``DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3`` and ``...=ieee`` (session 6's
comparison). B=8, T=4096, H=16, K=V=128, fp32, ungated, no_grad; median of ``triton.testing.do_bench`` (rep 100 ms),
with each setting's forward relative to the first setting's (not against float64: that is the grads check,
``benchmarks/grads_set_gpu.py --shapes fp32``). ``--profile`` adds each setting's device time per kernel
launch (torch.profiler; the split WY kernel's two launches apart); ``--fla`` times fla's fp32 path on the same inputs first (``fused_recurrent_delta_rule`` on the
interleaved stream, as in ``benchmarks/kernels.py``'s fp32 rows), so the ratios are side by side in one process;
``--gated`` times gated inputs; ``--precision`` is deltaproduct's (``ieee`` unless told). (On a CPU,
``TRITON_INTERPRET=1 ... --smoke`` runs a tiny shape with one host-timed call per setting, to test the script.) The JSON is rewritten atomically after each row.
"""

import argparse
import importlib.util
import json
import os
import sys

import torch

sys.path.insert(0, ".")

_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def main(out, n, settings, profile=False, fla=False, gated=False, precision="ieee", smoke=False):
    small, bench_shape = (1, 40, 1, 16, 16), (8, 4096, 16, 128, 128)
    shape = dict(zip("BTHKV", small if smoke else bench_shape))
    device = "cpu" if smoke else "cuda"
    inp = bench.make_inputs(*shape.values(), n, torch.float32, gated, device=device)
    res = {
        **bench.run_record(
            "fp32_fwd_time_gpu.py", ["OUT.json", *sys.argv[2:]], gpu="cpu (smoke)" if smoke else None
        ),
        "env": {k: v for k, v in os.environ.items() if k.startswith("DELTAPROOF_")},
        "n_h": n,
        "gated": gated,
        "precision": precision,
        "shape": shape,
        "rows": [],
    }
    fla_ms = None
    if fla:
        f = bench.fla_fused_recurrent_fn(inp, n, gated)
        with torch.no_grad():
            fla_ms = bench.time_ms(f, smoke)
            res["fla_fused_recurrent_fwd_ms"] = round(fla_ms, 3)
            if profile:
                res["fla_fused_recurrent_kernels_us"] = bench.profile_launches(f)
        print(json.dumps({"fla_fused_recurrent_fwd_ms": res["fla_fused_recurrent_fwd_ms"]}), flush=True)
        bench.write_json(out, res)
    first = None
    for setting in settings:
        bench.apply_setting(settings, setting)

        def f():
            with torch.no_grad():
                return bench.run_inputs(inp, n, "chunked", precision=precision)[0]

        # a setting that fails (a bad switch value, a compile or launch error) is recorded, the others still run
        try:
            o = f()
            ms = bench.time_ms(f, smoke)
        except Exception as exc:  # noqa: BLE001 (any failure is this setting's result)
            res["rows"].append({"setting": setting, "error": f"{type(exc).__name__}: {str(exc)[:300]}"})
            print(json.dumps(res["rows"][-1]), flush=True)
            bench.write_json(out, res)
            continue
        first = o if first is None else first
        row = {"setting": setting, "fwd_ms": round(ms, 3), "rel_diff_vs_first": bench.rel(o, first)}
        if fla_ms is not None:
            row["speedup_vs_fla"] = round(fla_ms / ms, 3)
        if profile:
            row["kernels_us"] = bench.profile_launches(f)
        res["rows"].append(row)
        print(json.dumps(row), flush=True)
        bench.write_json(out, res)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("n_h", nargs="?", type=int, default=2)
    ap.add_argument("settings", nargs="*")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--fla", action="store_true")
    ap.add_argument("--gated", action="store_true")
    ap.add_argument(
        "--precision", default="ieee", choices=["ieee", "tf32", "tf32x3"], help="deltaproduct's precision"
    )
    ap.add_argument(
        "--smoke", action="store_true", help="CPU test run: a tiny shape, one host-timed call each"
    )
    a = ap.parse_intermixed_args()
    if a.smoke and (a.fla or a.profile):
        raise SystemExit("--smoke: without --fla and --profile (they need the GPU)")
    chosen = a.settings or ["DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3", "DELTAPROOF_CHUNKED_FP32_DOTS=ieee"]
    main(
        a.out,
        a.n_h,
        chosen,
        profile=a.profile,
        fla=a.fla,
        gated=a.gated,
        precision=a.precision,
        smoke=a.smoke,
    )
