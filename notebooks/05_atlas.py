# %% [markdown]
# # 05 — A small atlas
# Groups x n_h x formats: each cell proved, refuted, measured (with prediction) or unknown (`verify.atlas`).
# Written to a temporary folder here (the committed atlas is `reports/atlas.md`).

# %%
FAST = True
GROUPS = ("Z2", "Z3", "S3") if FAST else ("Z2", "Z3", "Z5", "S3", "D4", "Q8", "A4", "S4")
N_HS = (1, 2) if FAST else (1, 2, 3)
FORMATS = ("exact", "fp32", "bf16")
LENGTH = 64 if FAST else 512

# %%
import os
import tempfile

from verify.atlas import run_atlas

out = tempfile.mkdtemp(prefix="atlas-nb-")
res = run_atlas(GROUPS, N_HS, FORMATS, length=LENGTH, batch=4, seed=0, out=out, workers=1, progress=False)
print(sorted(os.listdir(out)))

# %%
print(open(os.path.join(out, "atlas.md")).read()[:3000])

# %% [markdown]
# ## Plots written by the atlas

# %%
from IPython.display import Image, display

for f in sorted(os.listdir(out)):
    if f.endswith(".png"):
        print(f)
        display(Image(filename=os.path.join(out, f)))
