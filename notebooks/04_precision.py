# %% [markdown]
# # 04 — Precision: tracking horizons per format
# For a proved construction, lower it to a float format (`verify.lower`), predict when argmax decoding fails
# (`verify.predict`), and measure it with seeded random words through the CPU reference kernel
# (`verify.horizon`, every operation rounded to the format).

# %%
FAST = True
LENGTH, BATCH = (200, 4) if FAST else (2000, 16)
CASES = [("S3", 2), ("Z5", 2), ("A5", 2)] if FAST else [("S3", 2), ("Z5", 2), ("A4", 2), ("S4", 2), ("A5", 2), ("S5", 4)]
FORMATS = ["bf16", "fp16", "fp32"]

# %%
import matplotlib.pyplot as plt
import numpy as np

from verify.horizon import horizon

rows = []
for spec, n_h in CASES:
    for fmt in FORMATS:
        h = horizon(spec, n_h, fmt, keys="unit", length=LENGTH, batch=BATCH, seed=0, prove_format=False)
        m = h["measured"]
        rows.append((spec, n_h, fmt, h["predicted"]["typical"], m["first_failure_min"], m["fraction_tracked"],
                     m["error_curve"]))
        print(f"{spec} n_h={n_h} {fmt}: predicted typical {h['predicted']['typical']}, measured first failure "
              f"{m['first_failure_min']} (None = none up to {LENGTH}), tracked {m['fraction_tracked']:.2f}")

# %% [markdown]
# ## Error growth: max relative state error vs length

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for spec, n_h, fmt, _, _, _, curve in rows:
    err = np.maximum(np.array(curve["max_rel_error"]), 1e-9)
    ax.loglog(curve["t"], err, marker="o", ms=3, label=f"{spec} n_h={n_h} {fmt}")
ax.set_xlabel("sequence length t (tokens)")
ax.set_ylabel("max relative error |S_t - D_g| / |h0|")
ax.set_title(f"Unit keys, CPU reference, {BATCH} words, seed 0 (error 0 drawn at 1e-9)")
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
fig.savefig("04_error_vs_length.png", dpi=100)

# %% [markdown]
# ## The bf16 unit key: |k|^2 = 0.9997864 for k = (e_i - e_j)/sqrt 2

# %%
from verify.formats import round_to

k = float(round_to(np.sqrt(0.5), "bf16"))
print("rd(1/sqrt 2) =", k, "|k|^2 =", 2 * k * k, "contraction per reflection =", 1 - abs(1 - 4 * k * k))
