"""Offline attribution of the gated forward scan's extra instructions: compile variants with one gated piece
removed each and read the sm_90 SASS counts (``benchmarks/resources_sm90.py``). Nothing runs; no GPU needed.

Why: the gated forward costs 23-29% more than the ungated one on the H200 and the changes aimed at single pieces
(stored gates, output placement, pipelining) did not find where (kernels/README.md §6). Removing a piece makes the
kernel compute something else, so these variants are for counting only: each is compiled in a temporary copy of
``kernels/`` (the working tree is never modified) and the per-iteration (loop) counts of ``_fwd_scan_kernel`` are
recorded next to the unmodified one's and the ungated one's.

Run from the repository root (no TRITON_INTERPRET; about a minute per variant)::

    python benchmarks/ablate_scan_sm90.py OUT.json [--n-h 2]
"""

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, ".")

# benchmarks/kernels.py's run record and atomic JSON writer (its module name would shadow the kernels package)
_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _scan_edit(src, old, new):
    """``src`` with ``old`` replaced by ``new`` inside ``_fwd_scan_kernel`` only (exactly once)."""
    i = src.index("def _fwd_scan_kernel(")
    j = src.index("@triton.jit", i)
    body = src[i:j]
    if body.count(old) != 1:
        raise SystemExit(f"ablation edit no longer matches the scan kernel: {old!r}")
    return src[:i] + body.replace(old, new) + src[j:]


# name -> (old, new) inside the scan; None: unmodified
VARIANTS = {
    "gated": None,
    "no_score_exp": (
        "P = _output_scores(Qc, Kc, G, Gq, r, tq, nrow, ntok, scale, N_H, DT, EMU, PREC, HAS_G)",
        "P = _output_scores(Qc, Kc, G, Gq, r, tq, nrow, ntok, scale, N_H, DT, EMU, PREC, False)",
    ),
    "no_token_cumsum": (
        "Gq = _tok_gates(g, tok0, ntok, h, H, tq, HAS_G)",
        "Gq = _tok_gates(g, tok0, ntok, h, H, tq, False)",
    ),
    "no_row_cumsum": (
        "G = _row_gates(g, tok0, nrow, h, H, r, N_H, HAS_G)",
        "G = _row_gates(g, tok0, nrow, h, H, r, N_H, False)",
    ),
    "no_glast_reduction": ('Glast = tl.max(tl.where(r == nrow - 1, G, float("-inf")), 0)', "Glast = 0.0"),
    "no_state_decay": ("S = S * tl.exp(Glast)", "S = S"),
    "no_value_decay": ("Dd = rd(D * tl.exp(Glast - G)[:, None], DT, EMU)", "Dd = Dr"),
}


def _scan_counts(workdir, out_json, n_h, gated, label):
    """Compile in ``workdir`` (its own ``kernels/``) and return the forward scan's resource row."""
    cmd = [sys.executable, "benchmarks/resources_sm90.py", out_json, "--n-h", str(n_h), "--phase", "fwd"]
    cmd += ["--gated"] if gated else []
    cmd += ["--label", label]
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env["PYTHONPATH"] = "."
    p = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=env, check=False)
    for line in p.stdout.splitlines():
        if '"_fwd_scan_kernel"' in line:
            return json.loads(line[line.index("{") :])
    raise SystemExit(f"{label}: no scan row; stderr tail: {p.stderr[-600:]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--n-h", type=int, default=2)
    a = ap.parse_args()
    with open(os.path.join("kernels", "chunked.py")) as f:
        src = f.read()
    res = {
        **bench.run_record(
            "ablate_scan_sm90.py", ["OUT.json", *sys.argv[2:]], gpu="none (offline sm_90 compile)"
        ),
        "n_h": a.n_h,
        "shape": "bf16, K = V = 128, forward without saves (inference), the launch configuration of the GPU",
        "note": "variants compute something else: counts only. loop = the chunk loop's static SASS counts",
        "rows": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree("kernels", os.path.join(tmp, "kernels"))
        os.makedirs(os.path.join(tmp, "benchmarks"))
        shutil.copy(os.path.join("benchmarks", "resources_sm90.py"), os.path.join(tmp, "benchmarks"))
        scratch = os.path.join(tmp, "resources.json")
        runs = [("ungated", None, False)] + [(name, edit, True) for name, edit in VARIANTS.items()]
        for name, edit, gated in runs:
            patched = src if edit is None else _scan_edit(src, *edit)
            with open(os.path.join(tmp, "kernels", "chunked.py"), "w") as f:
                f.write(patched)
            row = _scan_counts(tmp, scratch, a.n_h, gated, name)
            res["rows"][name] = {
                "registers": row["registers"],
                "spill_store_bytes": row["spill_store_bytes"],
                "sass_total": row["sass"]["total"],
                "loop": row["sass"]["loop"],
            }
            bench.write_json(a.out, res)
            print(name, res["rows"][name]["loop"], row["spill_store_bytes"], flush=True)


if __name__ == "__main__":
    main()
