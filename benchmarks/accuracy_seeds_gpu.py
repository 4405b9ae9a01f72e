"""bf16 accuracy of ``chunked`` next to fla's, over several seeds (issue 4: "accuracy against float64 on the same
inputs no worse than fla's in bf16").

One seed gives one largest-element error per tensor, and in session 8 those moved by ~10% between our own settings
that differ by one rounding (kernels/README.md §4), so a single-seed comparison cannot separate "no worse" from
noise. This script repeats it over seeds and reports, per n_h and tensor, both backends' errors against a float64
run of the reference on the same inputs, under two metrics: the largest-element one of ``benchmarks/kernels.py``
(max |x - ref| / max |ref|) and the norm-wise one (||x - ref||_2 / ||ref||_2), which averages over every element
and is far less noisy. The summary gives, per n_h and tensor, the geometric mean over seeds of ours / fla's error
and the number of seeds where ours is at or below fla's.

Run from the repository root on the GPU, fla-core installed::

    PYTHONPATH=. python3 benchmarks/accuracy_seeds_gpu.py OUT.json [--seeds 8] [--n-h 1 2 3 4] [--gated]
        [--forward-only] [--variant VAR=value ...]

Shape B=1, T=512, H=2, K=V=128 (the default geometry of the benchmark shape: K tiles of 128), bf16, initial state,
gradients of q, k, v, beta (and g with ``--gated``; fla's gated backward refuses on Triton < 3.7.1 on Hopper, and
that is recorded as its error). ``--forward-only``: outputs and final states only, computed without autograd (the
inference path; the same forward arithmetic), so the gated forward can be compared with fla's, whose gated
backward refuses. ``--variant VAR=value`` (repeatable) also runs ``chunked`` with that switch set, recorded and
summarised (against fla) as backend ``chunked VAR=value``. (On a CPU: ``TRITON_INTERPRET=1 ... --smoke OUT.json``: one tiny shape, two seeds,
ours only.) The JSON is rewritten atomically after every (n_h, seed).
"""

import argparse
import importlib.util
import math
import os
import sys
from unittest import mock

import torch

sys.path.insert(0, ".")

_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def norm_rel(a, r):
    """||a - r||_2 / ||r||_2 in float64."""
    return float((a.double() - r.double()).norm() / r.double().norm().clamp_min(1e-300))


def errors(got, ref):
    return {
        key: {"max": bench.rel(got[key], ref[key]), "norm": norm_rel(got[key], ref[key])}
        for key in ref
        if ref[key] is not None and got.get(key) is not None
    }


def summarize(rows, ours="chunked"):
    """Per (n_h, tensor, metric): geometric mean of ours / fla over the seeds where both ran, and how many seeds
    had ours at or below fla. ``ours`` names the backend column (``chunked`` or a ``--variant`` one)."""
    out = {}
    for n in sorted({r["n_h"] for r in rows}):
        pairs = [
            r
            for r in rows
            if r["n_h"] == n and isinstance(r.get(ours), dict) and isinstance(r.get("fla"), dict)
        ]
        if not pairs:
            continue
        per = {}
        for key in pairs[0][ours]:
            for metric in ("max", "norm"):
                ratios = [
                    r[ours][key][metric] / r["fla"][key][metric]
                    for r in pairs
                    if key in r["fla"] and r["fla"][key][metric] > 0
                ]
                if ratios:
                    per[f"{key}.{metric}"] = {
                        "geomean_ours_over_fla": round(math.exp(sum(map(math.log, ratios)) / len(ratios)), 4),
                        "seeds_ours_at_or_below": sum(x <= 1.0 for x in ratios),
                        "seeds": len(ratios),
                    }
        out[str(n)] = per
    return out


def run_forward(inp, n, backend, dtype):
    """Output and final state without autograd (the inference path), inputs cast as in ``run_with_grads``."""
    with torch.no_grad():
        o, ht = bench.run_inputs(bench.cast_inputs(inp, dtype), n, backend, output_final_state=True)
    return {"o": o, "ht": ht}


def _variant(text):
    name, sep, value = text.partition("=")
    if not sep or not name.startswith("DELTAPROOF_"):
        raise argparse.ArgumentTypeError(f"--variant {text!r}: expected DELTAPROOF_...=value")
    return name, value


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--n-h", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--gated", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--forward-only", action="store_true")
    ap.add_argument("--variant", type=_variant, action="append", default=[])
    a = ap.parse_args()
    device = "cpu" if a.smoke else "cuda"
    shape = (1, 40, 1, 16, 16) if a.smoke else (1, 512, 2, 128, 128)
    seeds = 2 if a.smoke else a.seeds
    n_hs = [2] if a.smoke else a.n_h
    use_fla = not a.smoke and bench.fla_available()
    res = {
        **bench.run_record(
            "accuracy_seeds_gpu.py", ["OUT.json", *sys.argv[2:]], gpu="cpu (smoke)" if a.smoke else None
        ),
        "shape": dict(zip("BTHKV", shape)),
        "dtype": "bf16",
        "gated": a.gated,
        "forward_only": a.forward_only,
        "variants": [f"{name}={value}" for name, value in a.variant],
        "metrics": "max: max|x-ref| / max|ref|; norm: ||x-ref||_2 / ||ref||_2; ref = float64 reference, same inputs",
        "fla": use_fla,
        "rows": [],
    }
    B, T, H, K, V = shape
    for n in n_hs:
        for seed in range(seeds):
            inp = bench.make_inputs(B, T, H, K, V, n, torch.float32, a.gated, seed=100 + seed, device=device)
            gen = torch.Generator(device="cpu").manual_seed(200 + seed)
            do = torch.randn(B, T, H, V, generator=gen, dtype=torch.float64).to(device)
            dht = torch.randn(B, H, K, V, generator=gen, dtype=torch.float64).to(device)
            if a.forward_only:
                ref = run_forward(inp, n, "reference", torch.float64)
            else:
                ref = bench.run_with_grads(inp, n, "reference", torch.float64, do, dht)
            row = {"n_h": n, "seed": 100 + seed}
            runs = [("chunked", "chunked", None)] + [
                ("chunked", f"chunked {v}={x}", (v, x)) for v, x in a.variant
            ]
            runs += [("fla", "fla", None)] if use_fla else []
            for backend, column, env in runs:
                try:
                    with mock.patch.dict(os.environ, dict([env] if env else [])):  # restored on exit
                        if a.forward_only:
                            got = run_forward(inp, n, backend, torch.bfloat16)
                        else:
                            got = bench.run_with_grads(inp, n, backend, torch.bfloat16, do, dht)
                    row[column] = errors(got, ref)
                except Exception as exc:  # noqa: BLE001 - recorded, not hidden (fla refuses gated bwd on Triton 3.6)
                    row[column] = f"{type(exc).__name__}: {str(exc)[:200]}"
            res["rows"].append(row)
            res["summary"] = summarize(res["rows"])
            for _, column, env in runs[1 : 1 + len(a.variant)]:
                res.setdefault("summary_variants", {})[column] = summarize(res["rows"], column)
            bench.write_json(a.out, res)
            print(
                n,
                100 + seed,
                {b: row[b] if isinstance(row[b], str) else "ok" for b in row if b not in ("n_h", "seed")},
            )
    for column, summary in [("chunked", res.get("summary", {}))] + list(
        res.get("summary_variants", {}).items()
    ):
        for n, per in summary.items():
            print(
                f"{column} n_h {n}:",
                {
                    k: (v["geomean_ours_over_fla"], f"{v['seeds_ours_at_or_below']}/{v['seeds']}")
                    for k, v in per.items()
                    if k.endswith(".norm")
                },
            )


if __name__ == "__main__":
    main()
