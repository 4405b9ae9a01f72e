"""fla's fp32 path (its fused recurrent delta-rule kernel) next to our recurrent kernel, compiled for the H200 (sm_90)
on a machine without a GPU.

Why this exists: issue 4 compares our fp32 forward with fla's only fp32 path, ``fused_recurrent_delta_rule`` on the
interleaved stream of T * n_h rows (kernels/README.md §4). Our ``recurrent`` backend does the same full-fp32
arithmetic; this compiles fla's kernel at the launch fla uses (V blocks of 8, 1 warp, 1 stage, fla-core 0.6.0) and
ours under its forms and launches (``DELTAPROOF_RECURRENT_FORM``, ``DELTAPROOF_RECURRENT_LAUNCH``), with the tools
of ``resources_sm90.py``: registers, spills, programs per SM and static SASS counts of the loop, per row (one step)
of the stream. Nothing runs, so this says nothing about time; it says whether a form is lean enough to be worth
device time. fla's loop covers one row; ours covers a token (``tokens``: n_h rows) or one row (``rows``).

Run from the repository root (no TRITON_INTERPRET; Triton 3.6.0 first on the path for the H200's compiler)::

    PYTHONPATH=.triton36:. python benchmarks/fla_recurrent_sm90.py OUT.json [--n-h 2]
"""

import argparse
import json
import os
import sys
import time
from unittest import mock

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ".")
import resources_sm90 as R

# (form, launch, update): DELTAPROOF_RECURRENT_FORM, _LAUNCH and _UPDATE
OURS = [
    ("tokens", "", "two"),
    ("tokens", "bv=8,warps=1", "two"),
    ("rows", "", "two"),
    ("rows", "bv=8,warps=1", "two"),
    ("rows", "bv=16,warps=1", "two"),
    ("rows", "bv=32,warps=2", "two"),
    ("ahead", "", "two"),
    ("ahead", "bv=8,warps=1", "two"),
    ("ahead", "bv=16,warps=1", "two"),
    ("ahead", "bv=16,warps=1", "one"),
    ("ahead", "bv=32,warps=1", "one"),
    ("ahead", "bv=32,warps=2", "one"),
    ("ahead2", "bv=16,warps=1", "one"),
    ("ahead2", "bv=32,warps=1", "one"),
]


def _fla_call(n_h):
    from fla.ops.delta_rule import fused_recurrent as fr

    fn = fr.fused_recurrent_delta_rule_fwd_kernel
    while not (hasattr(fn, "signature") and hasattr(fn, "params")):  # past heuristics
        fn = fn.fn
    B, T, H, K, V = 1, 64 * n_h, 1, 128, 128
    f = torch.float32
    q, k = torch.empty(B, T, H, K, dtype=f), torch.empty(B, T, H, K, dtype=f)
    v, u = torch.empty(B, T, H, V, dtype=f), torch.empty(B, T, H, V, dtype=f)
    beta, o = torch.empty(B, T, H, dtype=f), torch.empty(1, B, T, H, V, dtype=f)
    kw = {
        "B": B,
        "H": H,
        "K": K,
        "V": V,
        "BK": 128,
        "BV": 8,
        "USE_INITIAL_STATE": False,
        "STORE_FINAL_STATE": False,
        "IS_BETA_HEADWISE": False,
        "IS_VARLEN": False,
        "num_warps": 1,
        "num_stages": 1,
    }
    return fn, (q, k, v, u, beta, o, None, None, None, K**-0.5, T), kw


def _row(head, fn, args, kw):
    t0 = time.time()
    ck = R.compile_sm90(fn, args, kw)
    use = R.resource_usage(ck)
    return {
        **head,
        "registers": use["registers"],
        "spill_store_bytes": use["spill_store_bytes"],
        "shared_bytes": ck.metadata.shared,
        "programs_per_sm": R.occupancy(use["registers"], ck.metadata.shared, ck.metadata.num_warps)[
            "programs_per_sm"
        ],
        "loop": use["sass"]["loop"],
        "compile_s": round(time.time() - t0, 1),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--n-h", type=int, default=2)
    a = ap.parse_args()
    if os.environ.get("TRITON_INTERPRET"):
        raise SystemExit("unset TRITON_INTERPRET: this compiles the GPU code path")
    import triton

    bench = R.load_bench()
    res = {
        "command": "PYTHONPATH=.triton36:. python benchmarks/fla_recurrent_sm90.py OUT.json "
        + " ".join(sys.argv[2:]),
        "commit": R._commit(),
        "triton": triton.__version__,
        "note": f"fp32, K = V = 128, n_h {a.n_h}, ungated; fla's loop body is one row, ours one token (tokens) "
        "or one row (rows)",
        "rows": [],
    }
    fn, args, kw = _fla_call(a.n_h)
    rows = [
        _row(
            {"kernel": "fla fused_recurrent_delta_rule_fwd_kernel", "launch": "BV=8,warps=1,stages=1"},
            fn,
            args,
            kw,
        )
    ]
    for form, launch, update in OURS:
        env = {
            "DELTAPROOF_RECURRENT_FORM": form,
            "DELTAPROOF_RECURRENT_LAUNCH": launch,
            "DELTAPROOF_RECURRENT_UPDATE": update,
        }
        with mock.patch.dict(os.environ, env):
            calls = R.record_recurrent(a.n_h, torch.float32, False, 128, 128)
        for fn, _grid, args, kw in calls:
            rows.append(
                _row(
                    {"kernel": f"ours recurrent {form}", "launch": launch or "default", "update": update},
                    fn,
                    args,
                    kw,
                )
            )
    for row in rows:
        row["n_h"] = a.n_h
        res["rows"].append(row)
        print(json.dumps(row), flush=True)
    bench.write_json(a.out, res)


if __name__ == "__main__":
    main()
