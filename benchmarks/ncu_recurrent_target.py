"""A fixed workload for Nsight Compute: the recurrent backend's fp32 forward+backward at the benchmark shape, twice.

Why: its two backward kernels take 5-7x the forward's time (kernels/README.md §7) with the forward's loop shape and
~7 GB of memory traffic at n_h 1; ncu's warp-stall sampling says where that time goes. The first run compiles and
warms up; ncu skips its launches (``--launch-skip``). See ``benchmarks/gpu_session18e.sh``.

Run from the repository root on the GPU, under ncu::

    ncu ... python3 benchmarks/ncu_recurrent_target.py [--n-h 1] [--gated 0|1] [--runs 2]

On a CPU (``TRITON_INTERPRET=1 ... --smoke``): a tiny shape, to check that the script runs.
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
    ap.add_argument("--n-h", type=int, default=1)
    ap.add_argument("--gated", type=int, choices=(0, 1), default=0)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    device = "cpu" if a.smoke else "cuda"
    shape = (1, 40, 1, 16, 16) if a.smoke else (8, 4096, 16, 128, 128)
    x = bench.make_inputs(*shape, a.n_h, torch.float32, bool(a.gated), device=device, h0=False)
    do = torch.randn(*shape[:3], shape[4], device=device)
    for _ in range(a.runs):
        xs = {key: (None if t is None else t.detach().requires_grad_()) for key, t in x.items()}
        o, _ = bench.run_inputs(xs, a.n_h, "recurrent")
        o.backward(do)
    if device == "cuda":
        torch.cuda.synchronize()
    print("ran", a.runs, "forward+backward calls")


if __name__ == "__main__":
    main()
