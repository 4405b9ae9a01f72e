# %% [markdown]
# # 06 — What trained models learn
# One-layer DeltaProduct models trained on group word problems (`verify.learn`): a tiny training run on the CPU,
# then the S4 models trained on the H200 (weights committed in `reports/learning_runs/`), read against the theory:
# is the map letter -> transition a faithful orthogonal representation, on which subspace, with which irreducibles?

# %%
FAST = True
WORDS, LENGTH = (16, 64) if FAST else (64, 256)

# %%
import os
import tempfile

import numpy as np

import verify
from automata import group
from verify.learn.mechanism import analyze_model
from verify.learn.model import letter_writes
from verify.learn.train import TrainConfig, load_run, train

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(verify.__file__)))

# %% [markdown]
# ## A run you can do on a laptop: parity (Z2) with one reflection per token
# Early-stops once 99% of validation words are right at the training length; checkpointed and resumable.

# %%
cfg = TrainConfig(group="Z2", n_h=1, steps=200, batch=32, train_length=16, test_length=32, eval_size=64,
                  val_size=64, d_model=32, heads=2, head_dim=8, dtype="float32", device="cpu", lr=3e-3,
                  eval_every=25)
r = train(cfg, tempfile.mkdtemp(prefix="z2-"), progress=False)
print(r["stopped"], r["steps_done"], "steps; sequence accuracy", r["accuracy_at"]["16"], "at 16,",
      r["accuracy_at"]["32"], "at 32")

# %% [markdown]
# ## The S4 model with n_h = 2 trained on the H200
# `analyze_model` computes each letter's affine update `S <- A(x) S + B(x)` from the weights, looks for invariant
# subspaces on which `A(a*b) = A(b) A(a)` holds, decomposes their characters over the real irreducibles of S4, and
# checks the result against the dynamics the model actually visits.

# %%
run = os.path.join(ROOT, "reports", "learning_runs", "S4_nh2_beta2_seed0")
res, model = load_run(run)  # result.json and the trained weights, recurrence on the CPU reference
G = group(res["config"]["group"])
print("sequence accuracy (H200 evaluation):", res["accuracy_at"])
m = analyze_model("S4", model, accuracy=res["curve"][127], words=WORDS, length=LENGTH)
print(m["verdict"], "-", m["reason"])

# %% [markdown]
# Per head: the full-space group-law residual (large everywhere: most of each 32-dim head is not a representation)
# and what the subspace search found.

# %%
for h, head in enumerate(m["heads"]):
    sub = m["subspace"][h]
    print(h, "full-space residual", round(head["hom_residual"], 3), "| invariant subspace: dim", sub.get("dim"),
          "nontrivial dim", sub.get("nontrivial_dim"), "residual", sub.get("hom_residual"),
          "representation" if sub.get("is_representation") else "")

# %% [markdown]
# The eigenvalue angles of the transitions of head 6 on its subspace are those of cube rotations: a 4-cycle
# rotates by a quarter turn. Here, the angles of the full 32x32 transition of a 4-cycle letter (1 = trivial part).

# %%
A, B, betas = letter_writes(model)
four_cycle = next(x for x in range(G.order) if G.element_order(x) == 4)
ang = np.angle(np.linalg.eigvals(A[four_cycle, 6])) / (2 * np.pi)
print("letter", four_cycle, "angles / 2pi (rounded):", sorted({float(a) for a in np.round(ang, 3)}))
print("betas of head 6 (first letters):", np.round(betas[:6, 6], 3).tolist())
