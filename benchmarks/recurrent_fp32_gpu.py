"""fp32 forward time of the recurrent backend next to fla's fp32 path, under several forms and launches.

Why: fla's only fp32 path is its fused recurrent kernel (``fused_recurrent_delta_rule`` on the interleaved stream
of T * n_h rows; kernels/README.md §4), which does every step in full fp32 (no tf32) on the CUDA cores. Our chunked
backend at fp32 accuracy (``ieee``, ``tf32x3``) is 0.10-1.72x its speed, short of issue 4's 3x. The recurrent
backend does the same full-fp32 arithmetic; ``DELTAPROOF_RECURRENT_FORM=rows`` issues each row's loads one row
ahead so that global-memory latency leaves the state's dependency chain, and ``DELTAPROOF_RECURRENT_LAUNCH`` sets
its V block and warps (fla's kernel runs V blocks of 8 with 1 warp). This script measures whether that helps.

Run from the repository root on the GPU, fla-core installed::

    PYTHONPATH=. python3 benchmarks/recurrent_fp32_gpu.py OUT.json [SETTING ...] [--gated] [--n-h 1 2 3 4] \
        [--dtype fp32|bf16|fp16] [--kv 128]

Each SETTING is ``A=x+B=y`` (environment switches, every variable any setting names unset before each is
applied; ``default`` for none). B=8, T=4096, H=16, K=V=128 (``--kv``), fp32 (``--dtype``), initial state, no grad; median of
``triton.testing.do_bench`` (rep 100 ms); fla's kernel timed first in each n_h. Accuracy: each setting's output and
final state on a slice (B=1, T=256, H=2, same K, V, n_h) against the float64 reference on the GPU (largest error
over largest magnitude), and its full-shape output against the first setting's. The JSON is rewritten atomically
after each row. ``--dtype bf16``/``fp16`` run the inputs in that dtype (fla not timed: its fp32 path is the
comparison); ``--kv`` sets K = V of both shapes; ``--no-h0`` passes no initial state. (On a CPU: ``TRITON_INTERPRET=1 ... --smoke``: a tiny shape, one host-timed call per setting, no
fla, to test the script.)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("settings", nargs="*", default=["default"])
    ap.add_argument("--n-h", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--gated", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--dtype", choices=["fp32", "bf16", "fp16"], default="fp32")
    ap.add_argument("--kv", type=int, default=128, help="K = V of the timed and the accuracy shape")
    ap.add_argument("--no-h0", dest="h0", action="store_false", help="no initial state (as benchmarks/kernels.py)")
    a = ap.parse_args()
    settings = a.settings or ["default"]
    named = [s for s in settings if s != "default"]  # the settings that set switches
    device = "cpu" if a.smoke else "cuda"
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[a.dtype]
    kv = 16 if a.smoke else a.kv
    full = (1, 40, 2, kv, kv) if a.smoke else (8, 4096, 16, kv, kv)
    part = (1, 12, 1, kv, kv) if a.smoke else (1, 256, 2, kv, kv)
    use_fla = not a.smoke and a.dtype == "fp32" and bench.fla_available()
    res = {
        **bench.run_record(
            "recurrent_fp32_gpu.py", ["OUT.json", *sys.argv[2:]], gpu="cpu (smoke)" if a.smoke else None
        ),
        "shape": dict(zip("BTHKV", full)),
        "accuracy_shape": dict(zip("BTHKV", part)),
        "gated": a.gated,
        "dtype": a.dtype,
        "initial_state": a.h0,
        "settings": settings,
        "timing": "host-timed single call (smoke)" if a.smoke else "do_bench median ms, rep 100",
        "rows": [],
    }
    for n in a.n_h:
        inp = bench.make_inputs(*full, n, dtype, a.gated, device=device, h0=a.h0)
        small = bench.make_inputs(*part, n, dtype, a.gated, seed=1, device=device, h0=a.h0)
        ref = bench.run_inputs(
            bench.cast_inputs(small, torch.float64), n, "reference", output_final_state=True
        )
        row = {"n_h": n}
        if use_fla:
            f = bench.fla_fused_recurrent_fn(inp, n, a.gated)
            row["fla_fused_recurrent_fwd_ms"] = round(bench.time_ms(f, warmup=10), 3)
        first = None
        for setting in settings:
            bench.apply_setting(named, None if setting == "default" else setting)
            try:
                with torch.no_grad():
                    o, ht = bench.run_inputs(small, n, "recurrent", output_final_state=True)
                    entry = {"err_o": bench.rel(o, ref[0]), "err_state": bench.rel(ht, ref[1])}

                    def run(inp=inp, n=n):
                        return bench.run_inputs(inp, n, "recurrent")

                    out = run()[0]
                    entry["diff_vs_first"] = 0.0 if first is None else bench.rel(out, first)
                    first = out if first is None else first
                    entry["fwd_ms"] = round(bench.time_ms(run, a.smoke, warmup=10), 3)
                if "fla_fused_recurrent_fwd_ms" in row:
                    entry["speedup_vs_fla"] = round(row["fla_fused_recurrent_fwd_ms"] / entry["fwd_ms"], 3)
            except Exception as exc:  # noqa: BLE001 - a setting that fails is a result, recorded
                entry = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
            row[setting] = entry
            print(json.dumps({"n_h": n, "setting": setting, **entry}), flush=True)
            res["rows"] = [r for r in res["rows"] if r["n_h"] != n] + [row]
            bench.write_json(a.out, res)
    bench.apply_setting(named, None)


if __name__ == "__main__":
    main()
