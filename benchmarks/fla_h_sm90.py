"""fla's state-only chunk scan next to ours, compiled for the H200 (sm_90) on a machine without a GPU.

Why this exists: fla's forward splits the sequential part in two, a state-only scan
(``chunk_gated_delta_product_fwd_kernel_h_blockdim64``) and a parallel output kernel, and on the H200 its scan
takes 383 / 548 µs (gated, n_h 2 / 3; kernels/README.md §6, session 13) where ours without the output
(``DELTAPROOF_CHUNKED_OUT=parallel``) took 654 µs at n_h 2 (session 9). Both do the same two products per
chunk step; this compiles both, at the launch settings fla autotunes over and at ours, with the same tools as
``resources_sm90.py`` (registers, spills, shared memory, programs per SM, static SASS counts of the loop), so
the difference can be read before device time is spent. Nothing runs. fla-core must be installed (it is a test
dependency); its Triton JIT functions are compiled directly, past its autotuner.

Run from the repository root (no TRITON_INTERPRET; for the H200's compiler put Triton 3.6.0 first on the path,
as ``resources_sm90.py`` explains)::

    PYTHONPATH=.triton36:. python benchmarks/fla_h_sm90.py OUT.json

Writes one row per (kernel, n_h, gated, launch) to OUT.json (atomically) and prints them.
"""

import json
import os
import sys
import time
from unittest import mock

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ".")
import resources_sm90 as R  # noqa: E402

# fla's autotuning space for this kernel (fla-core 0.6.0: BV 32/64, warps 2/4 on Hopper, stages 2-4)
FLA_LAUNCHES = [(bv, w, s) for w in (2, 4) for s in (2, 3, 4) for bv in (32, 64)]
# ours: the default geometry and the state-only scan's candidates of benchmarks/gpu_session14a.sh
OUR_LAUNCHES = ["", "scan_bv=32,scan_stages=2", "scan_bv=32,scan_warps=2,scan_stages=2", "scan_stages=2"]


def _fla_rows(n_h, gated):
    from fla.ops.gated_delta_product import chunk_deltaproduct_h as fla_h

    fn = fla_h.chunk_gated_delta_product_fwd_kernel_h_blockdim64
    while not (hasattr(fn, "signature") and hasattr(fn, "params")):  # past heuristics and autotune
        fn = fn.fn
    B, T, H, K, V = 1, 256, 16, 128, 128
    L = T * n_h
    bf = torch.bfloat16
    k, w = torch.empty(B, L, H, K, dtype=bf), torch.empty(B, L, H, K, dtype=bf)
    v, v_new = torch.empty(B, L, H, V, dtype=bf), torch.empty(B, L, H, V, dtype=bf)
    g = torch.empty(B, L, H, dtype=torch.float32) if gated else None
    h = torch.empty(B, L // 64, H, K, V, dtype=bf)
    for bv, warps, stages in FLA_LAUNCHES:
        kw = dict(
            num_householder=n_h,
            H=H,
            K=K,
            V=V,
            BT=64,
            BV=bv,
            USE_G=gated,
            USE_INITIAL_STATE=False,
            STORE_FINAL_STATE=False,
            SAVE_NEW_VALUE=True,
            IS_VARLEN=False,
            num_warps=warps,
            num_stages=stages,
        )
        yield (
            {"kernel": "fla h", "launch": f"BV={bv},warps={warps},stages={stages}"},
            fn,
            (k, v, w, v_new, g, h, None, None, None, None, L),
            kw,
        )


def _our_rows(n_h, gated):
    for launch in OUR_LAUNCHES:
        # the scan without the output, as fla's h kernel; the caller's environment is restored after recording
        env = {"DELTAPROOF_CHUNKED_OUT": "parallel", "DELTAPROOF_CHUNKED_LAUNCH": launch}
        with mock.patch.dict(os.environ, env):
            calls, _ = R.record_launches(n_h, torch.bfloat16, gated, 128, 128, "fwd")
        for fn, _grid, args, kwargs in calls:
            if fn.__name__ == "_fwd_scan_kernel":
                yield {"kernel": "ours state-only scan", "launch": launch or "default"}, fn, args, kwargs


def main(out):
    if os.environ.get("TRITON_INTERPRET"):
        raise SystemExit("unset TRITON_INTERPRET: this compiles the GPU code path")
    import triton

    bench = R.load_bench()
    res = {
        "command": "PYTHONPATH=.triton36:. python benchmarks/fla_h_sm90.py OUT.json",
        "commit": R._commit(),
        "triton": triton.__version__,
        "note": "bf16, K = V = 128, BT = 64; fla's h kernel saves v_new and the chunk states as in its "
        "forward; ours runs as under DELTAPROOF_CHUNKED_OUT=parallel without grad (saves S0 and D)",
        "rows": [],
    }
    for n_h in (2, 3):
        for gated in (False, True):
            for gen in (_fla_rows(n_h, gated), _our_rows(n_h, gated)):
                for head, fn, args, kw in gen:
                    row = {**head, "n_h": n_h, "gated": gated}
                    t0 = time.time()
                    try:
                        ck = R.compile_sm90(fn, args, kw)
                        use = R.resource_usage(ck)
                        sc = R.sass_counts(R.cuobjdump(ck, "-sass"))
                        row.update(
                            registers=use["registers"],
                            spill_store_bytes=use["spill_store_bytes"],
                            shared_bytes=ck.metadata.shared,
                            programs_per_sm=R.occupancy(
                                use["registers"], ck.metadata.shared, ck.metadata.num_warps
                            )["programs_per_sm"],
                            loop=sc["loop"],
                        )
                    except triton.runtime.errors.OutOfResources as exc:  # a launch that does not fit is a row
                        row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
                    row["compile_s"] = round(time.time() - t0, 1)
                    res["rows"].append(row)
                    print(json.dumps(row), flush=True)
                    bench.write_json(out, res)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
