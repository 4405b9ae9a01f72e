"""GPU diagnostic: chunked and recurrent backends against the float64 reference on small state-tracking shapes.

Run from the repository root on the GPU: ``PYTHONPATH=. python3 benchmarks/kernel_shapes_gpu.py K V n_h dtype backend``
(one configuration per process, so an illegal memory access cannot poison the next configuration). Prints one
JSON line.
"""

import json
import sys

import torch

sys.path.insert(0, ".")
from kernels import deltaproduct  # noqa: E402

K, V, n_h = (int(x) for x in sys.argv[1:4])
dtype = getattr(torch, sys.argv[4])
backend = sys.argv[5]
B, T, H = 2, 200, 2
g = torch.Generator().manual_seed(0)
q = torch.randn(B, T, H, K, generator=g, dtype=torch.float64)
k = torch.nn.functional.normalize(torch.randn(B, T * n_h, H, K, generator=g, dtype=torch.float64), dim=-1)
v = torch.randn(B, T * n_h, H, V, generator=g, dtype=torch.float64)
beta = 2 * torch.rand(B, T * n_h, H, generator=g, dtype=torch.float64)
h0 = torch.randn(B, H, K, V, generator=g, dtype=torch.float64)
args = [x.to(dtype).cuda() for x in (q, k, v, beta)]
ref, _ = deltaproduct(*[x.double() for x in args], num_householder=n_h, initial_state=h0.cuda(), backend="reference")
out = {"K": K, "V": V, "n_h": n_h, "dtype": sys.argv[4], "backend": backend}
try:
    o, _ = deltaproduct(*args, num_householder=n_h, initial_state=h0.to(dtype).cuda(), backend=backend)
    torch.cuda.synchronize()
    err = (o.double() - ref).abs()
    bad_t = (err.amax(dim=(0, 2, 3)) > 0.05 * ref.abs().max()).nonzero()
    out.update(max_err=float(err.max()), ref_max=float(ref.abs().max()),
               first_bad_t=int(bad_t[0]) if len(bad_t) else None)
except Exception as exc:
    out["error"] = f"{type(exc).__name__}: {str(exc)[:160]}"
print(json.dumps(out))
