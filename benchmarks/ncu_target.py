"""A fixed workload for Nsight Compute at the benchmark shape, run twice: the chunked bf16 forward (no autograd), or
with ``--backend recurrent`` the recurrent fp32 forward+backward without an initial state.

Why: the chunked gated forward's overhead over the ungated one (kernels/README.md §4-6) survived every change aimed
at where it was assumed to sit (prefix sums, stored gates, output placement, pipelining, warps); the recurrent
backward's two kernels took 5-7x the forward's time (§7, session 18). ncu's per-instruction warp-stall sampling on
the H200 says where the time goes instead. The first run compiles and warms up; ncu skips its launches
(``--launch-skip``) and profiles the second's. See ``benchmarks/gpu_session11.sh`` and ``gpu_session18e.sh``.

Run from the repository root on the GPU, under ncu::

    ncu ... python3 benchmarks/ncu_target.py [--backend chunked|recurrent] [--n-h 2] [--gated 0|1] [--runs 2]

(``--gated`` defaults to 1 for ``chunked`` and 0 for ``recurrent``.) On a CPU (``TRITON_INTERPRET=1 ...
--smoke``): a tiny shape, to check that the script runs.
"""

import argparse
import importlib.util
import os
import sys

import torch

sys.path.insert(0, ".")

_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=("chunked", "recurrent"), default="chunked")
    ap.add_argument("--n-h", type=int, default=2)
    ap.add_argument("--gated", type=int, choices=(0, 1), default=None)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    gated = bool(a.gated if a.gated is not None else a.backend == "chunked")
    device = "cpu" if a.smoke else "cuda"
    B, T, H, K, V = (1, 40, 1, 16, 16) if a.smoke else (8, 4096, 16, 128, 128)
    if a.backend == "chunked":
        x = bench.make_inputs(B, T, H, K, V, a.n_h, torch.bfloat16, gated, device=device)
        for _ in range(a.runs):
            with torch.no_grad():
                o, ht = bench.run_inputs(x, a.n_h, "chunked", output_final_state=True)
            if device == "cuda":
                torch.cuda.synchronize()
        print("ok", tuple(o.shape), float(o.float().abs().mean()), float(ht.float().abs().mean()))
        return
    x = bench.make_inputs(B, T, H, K, V, a.n_h, torch.float32, gated, device=device, h0=False)
    do = torch.randn(B, T, H, V, device=device)
    for _ in range(a.runs):
        xs = {key: (None if t is None else t.detach().requires_grad_()) for key, t in x.items()}
        o, _ = bench.run_inputs(xs, a.n_h, "recurrent")
        o.backward(do)
    if device == "cuda":
        torch.cuda.synchronize()
    print("ran", a.runs, "forward+backward calls")


if __name__ == "__main__":
    main()
