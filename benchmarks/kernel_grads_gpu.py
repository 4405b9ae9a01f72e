"""GPU diagnostic: chunked forward AND gradients against the float64 reference, one shape per process.

Run from the repository root on the GPU:
``PYTHONPATH=. python3 benchmarks/kernel_grads_gpu.py K V n_h dtype [gated]``. Prints one JSON line with the
maximum forward error and the maximum relative error of each gradient (relative to that gradient's max magnitude),
for random unit keys, beta uniform in [0, 2] and a random initial state. Used to find the small-head bug
(results and diagnosis in benchmarks/results/kernel_grads_h200.json) and to check the learning model's shape
(K = V = 32); it was fixed (benchmarks/results/kernel_grads_h200.json) and whether the learning model's shape (K = V = 32) is safe.
"""

import json
import sys

import torch

sys.path.insert(0, ".")
from kernels import deltaproduct  # noqa: E402

K, V, n_h = (int(x) for x in sys.argv[1:4])
dtype = getattr(torch, sys.argv[4])
gated = len(sys.argv) > 5 and sys.argv[5] == "gated"
B, T, H = 2, 200, 4
gen = torch.Generator().manual_seed(0)
q = torch.randn(B, T, H, K, generator=gen, dtype=torch.float64)
k = torch.nn.functional.normalize(torch.randn(B, T * n_h, H, K, generator=gen, dtype=torch.float64), dim=-1)
v = torch.randn(B, T * n_h, H, V, generator=gen, dtype=torch.float64)
beta = 2 * torch.rand(B, T * n_h, H, generator=gen, dtype=torch.float64)
gl = -0.1 * torch.rand(B, T, H, generator=gen, dtype=torch.float64) if gated else None
h0 = torch.randn(B, H, K, V, generator=gen, dtype=torch.float64)
do = torch.randn(B, T, H, V, generator=gen, dtype=torch.float64)
out = {"K": K, "V": V, "n_h": n_h, "dtype": sys.argv[4], "gated": gated, "B": B, "T": T, "H": H}


def run(backend, cast):
    leaves = [x.to(cast).cuda().requires_grad_(True) for x in (q, k, v, beta, h0)]
    g = gl.to(cast).cuda().requires_grad_(True) if gated else None
    o, _ = deltaproduct(*leaves[:4], num_householder=n_h, g=g, initial_state=leaves[4], backend=backend)
    o.backward(do.to(o.dtype).cuda())
    grads = [x.grad for x in leaves] + ([g.grad] if gated else [])
    return o, grads


try:
    ref_o, ref_g = run("reference", torch.float64)
    o, gr = run("chunked", dtype)
    torch.cuda.synchronize()
    out["fwd_rel"] = float((o.double() - ref_o).abs().max() / ref_o.abs().max())
    names = ["dq", "dk", "dv", "dbeta", "dh0"] + (["dg"] if gated else [])
    for name, a, b in zip(names, gr, ref_g):
        out[name + "_rel"] = None if a is None else float((a.double() - b).abs().max() / b.abs().max())
    out["finite"] = bool(torch.isfinite(o).all()) and all(a is None or bool(torch.isfinite(a).all()) for a in gr)
except Exception as exc:
    out["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
print(json.dumps(out), flush=True)
