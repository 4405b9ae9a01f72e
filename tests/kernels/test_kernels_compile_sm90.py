"""The recurrent backend's GPU code compiles for the H200 (sm_90), on this machine, without a GPU.

Why: the interpreter runs the kernels' Python, not Triton's compiler, so it accepts code that the GPU path rejects.
Session 19 found one on the H200: without an initial state, pass 2 of the backward (then V-blocked, now
``DELTAPROOF_RECURRENT_BWD_PASS2=vblocks``) loaded its K-major state tile through a dummy pointer (q's), which in a
bf16 call gave the loop-carried state a bf16 type, and Triton refused to compile ("Loop-carried variable S has
initial type bf16 but is re-assigned to fp32"); every interpreter test passed.
Here ``benchmarks/resources_sm90.py`` records the launches of a forward and backward on CPU tensors (nothing runs)
and compiles each for sm_90 with this machine's Triton and its ptxas, in a subprocess without TRITON_INTERPRET.
fp32 at K = V = 128 (the benchmark's per-program geometry) must also compile without register spills: the default
blocks (``kernels.recurrent.recurrent_bwd_default_blocks``, kernels/README.md §7) were chosen for that.
"""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNELS = ["_recurrent_fwd_kernel", "_recurrent_bwd_rev_kernel", "_recurrent_bwd_fwd_kernel"]


def _ptxas_available():
    import triton

    return os.path.exists(
        os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin", "ptxas")
    )


@pytest.mark.skipif(not _ptxas_available(), reason="this Triton wheel has no CUDA tools (ptxas)")
@pytest.mark.parametrize(
    "dtype, h0, gated, env",
    [
        ("fp32", True, False, []),
        ("fp32", False, True, []),
        ("bf16", False, False, ["DELTAPROOF_RECURRENT_BWD_PASS2=vblocks"]),  # the session-19 compile error
        ("bf16", True, True, ["DELTAPROOF_RECURRENT_BWD_PASS2=vblocks"]),
    ],
)
def test_recurrent_kernels_compile_for_sm90(dtype, h0, gated, env, tmp_path):
    out = tmp_path / "r.json"
    cmd = [
        sys.executable,
        "benchmarks/resources_sm90.py",
        str(out),
        "--backend",
        "recurrent",
        "--dtype",
        dtype,
        "--n-h",
        "2",
        "--phase",
        "both",
        "--label",
        "t",
        *([] if h0 else ["--no-h0"]),
        *(["--gated"] if gated else []),
        *(["--env", *env] if env else []),
    ]
    environ = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    environ["PYTHONPATH"] = ROOT
    proc = subprocess.run(
        cmd, check=False, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads(out.read_text())["runs"]["t"]["rows"]
    assert [r["kernel"] for r in rows] == KERNELS
    assert rows[2]["KBLOCKS"] == (not env)  # pass 2's form: K blocks unless vblocks was asked for
    for r in rows:
        assert r["registers"] > 0 and r["sass"]["total"] > 0, r
        if dtype == "fp32":
            assert r["spill_store_bytes"] == 0, r
