# %% [markdown]
# # 02 — Prove or refute
# Pick a group and n_h: get a construction (proved) or a refutation (eigenvalue theorem or character theory),
# then inspect and re-check the certificate.

# %%
FAST = True
GROUP, N_H = "S4", 2

# %%
import json

import theory
from automata import group

G = group(GROUP)
cases = [(GROUP, N_H), ("S3", 1), ("S5", 3), ("Z2", 4)] + ([] if FAST else [("A5", 2), ("S5", 4)])
for spec, n_h in cases:
    kw = {"beta_max": 1} if spec == "Z2" else {}
    r = theory.prove(group(spec), n_h, **kw)
    chk = theory.check(json.loads(json.dumps(r.certificate)))
    print(f"{spec:>3} n_h={n_h} {kw or ''}: {r.verdict:8s} rep={r.representation} dim={r.dim} "
          f"method={r.certificate.get('method')} check={chk.valid}")

# %% [markdown]
# ## Inspect a proof

# %%
r = theory.prove(G, N_H)
print("hypotheses:")
for h in r.hypotheses:
    print(" -", h)
print("reachable states in the certificate:", len(r.certificate.get("reachable", [])))

# %% [markdown]
# ## Inspect a refutation (character theory for S5, n_h = 3)

# %%
r = theory.prove(group("S5"), 3)
print(r.certificate["method"], "| minimal n_h =", r.min_n_h)
for h in r.hypotheses:
    print(" -", h)

# %% [markdown]
# ## Minimal n_h for a few groups

# %%
import matplotlib.pyplot as plt

specs = ["Z2", "Z3", "Z6", "S3", "D4", "Q8", "A4", "S4", "A5", "S5"] if FAST else \
    ["Z2", "Z3", "Z6", "Z12", "S3", "D4", "D6", "Q8", "A4", "S4", "A5", "S5", "S6"]
mins = []
for s in specs:
    Gs = group(s)
    m = next(n for n in range(1, 8) if theory.prove(Gs, n).verdict == "proved")
    mins.append(m)
fig, ax = plt.subplots(figsize=(7, 3))
ax.bar(specs, mins, color="tab:blue", label="smallest proved n_h (one layer, all letters)")
ax.set_xlabel("group")
ax.set_ylabel("n_h (Householder steps per token)")
ax.set_title("Minimal n_h found by theory.prove")
ax.legend(loc="upper left")
fig.tight_layout()
fig.savefig("02_min_nh.png", dpi=100)
print(dict(zip(specs, mins)))
