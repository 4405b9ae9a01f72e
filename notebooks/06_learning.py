# %% [markdown]
# # 06 — What trained models learn
# One-layer DeltaProduct models trained on group word problems (`verify.learn`): a tiny training run on the CPU,
# then the S4 and S5 models trained on the H200 (weights committed in `reports/learning_runs/`), read against the theory:
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

# %% [markdown]
# ## The S5 model with n_h = 4 (sweep 5: sweep 4's run continued from its weights)
# One head carries, on a 4-dim invariant subspace, a faithful representation of S5. Which one? The multiplicities
# of the real irreducibles in its character say: `real:4#2`, whose character is -2 on transpositions, i.e. the
# standard representation (which has +2 there) tensored with the sign.

# %%
run5 = os.path.join(ROOT, "reports", "learning_runs", "S5_nh4_beta2_seed3_cont")
res5, model5 = load_run(run5)
print("sequence accuracy as trained (bf16 chunked kernel, Tm split):", res5["accuracy_at"])
m5 = analyze_model("S5", model5, accuracy=res5["curve"][127], words=WORDS, length=LENGTH)
print(m5["verdict"], "-", m5["reason"][:160], "...")
heads = m5["subspace_summary"]["heads"]
names = [ir["name"] for ir in m5["irreps"]]
for h in heads:
    sub = m5["subspace"][h]
    print("head", h, "subspace dim", sub["dim"], "group-law residual", round(sub["hom_residual"], 3),
          "multiplicities", {n: round(float(x), 3) for n, x in zip(names, sub["multiplicities"]) if abs(x) > 0.05})
classes = [f"ord {c['order']} x{c['size']}" for c in m5["classes"]]
for ir in m5["irreps"]:
    if ir["degree"] == 4:
        print(ir["name"], dict(zip(classes, ir["character"])))

# %% [markdown]
# Reading the character (4, -2, 0, 1, 0, -1, 1): a transposition (order 2, 10 of them) acts with eigenvalues
# (1, -1, -1, -1), a rotoreflection of rank 3 (three reflections, where the standard representation needs one);
# a 5-cycle (order 5, 24) has trace -1 = the sum of the four primitive fifth roots of unity, so no fixed vector:
# rank(A - I) = 4, four reflections. Hence n_h = 4, the theory's minimum for S5, is what this representation needs:

# %%
print("n_h needed by the learned representation:", m5["nh_needed_by_learned"], "| theory minimum:",
      m5["min_nh_theory"])
