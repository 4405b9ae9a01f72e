# %% [markdown]
# # 01 — A tour of deltaproof
# The DeltaProduct recurrence on a tiny example, one exact construction, one proof and its certificate.

# %%
FAST = True  # keep the run under ~30 s on a 2-core CPU

# %% [markdown]
# ## The recurrence, by hand
# For each token and step j = 1..n_h: `S <- S - beta k (k^T S) + beta k v^T` (unit keys), so the token's
# transition is `A(x) = G_{n_h} ... G_1` with `G_j = I - beta_j k_j k_j^T` (step 1 rightmost).

# %%
import numpy as np
import torch

from kernels import deltaproduct

k1 = np.array([1.0, 0.0])                      # step 1: reflect x
k2 = np.array([np.cos(np.pi / 3), np.sin(np.pi / 3)])  # step 2: reflect along 60 degrees
A = (np.eye(2) - 2 * np.outer(k2, k2)) @ (np.eye(2) - 2 * np.outer(k1, k1))
print("A = G2 G1 =\n", A.round(4), "\nrotation by", np.degrees(np.arctan2(A[1, 0], A[0, 0])).round(2), "degrees")

T = 3
k = torch.tensor(np.stack([k1, k2] * T), dtype=torch.float64)[None, :, None, :]  # [B, T*n_h, H, K]
beta = torch.full((1, 2 * T, 1), 2.0, dtype=torch.float64)
v = torch.zeros(1, 2 * T, 1, 1, dtype=torch.float64)
q = torch.eye(2, dtype=torch.float64)[None, None].expand(1, T, 2, 2)
# two heads read the two state coordinates (q = e_1, e_2); both heads share keys
o, S = deltaproduct(q.contiguous(), k.expand(1, 2 * T, 2, 2).contiguous(), v.expand(1, 2 * T, 2, 1).contiguous(),
                    beta.expand(1, 2 * T, 2).contiguous(), num_householder=2, scale=1.0,
                    initial_state=torch.tensor([1.0, 0.0], dtype=torch.float64)[None, None, :, None].expand(1, 2, 2, 1).contiguous(),
                    output_final_state=True, backend="reference")
print("states after each token:\n", o[0, :, :, 0].numpy().round(4))

# %% [markdown]
# ## One exact construction and its proof: Z3 by 120-degree rotations

# %%
import json

import theory
from automata import group

r = theory.prove(group("Z3"), n_h=2, rep="rotation2d")
print(r.verdict, r.representation, "d =", r.dim)
print(json.dumps(r.construction.to_json())[:400], "...")

# %% [markdown]
# The certificate is plain JSON; `theory.check` re-verifies it from the JSON alone.

# %%
cert = json.loads(json.dumps(r.certificate))
print(sorted(cert))
rep = theory.check(cert)
print(rep.valid, rep.verdict, rep.message)

# %% [markdown]
# Tampering with any number makes the checker fail:

# %%
bad = json.loads(json.dumps(cert))
bad["construction"]["letters"][1]["steps"][0]["beta"] = "1"
print(theory.check(bad).valid, "-", theory.check(bad).message[:120])
