"""GPU check that alternative kernel forms give the same numbers as the default form, on the same inputs.

Run from the repository root on the GPU::

    PYTHONPATH=. python3 benchmarks/forms_equal_gpu.py OUT.json SETTING [SETTING ...]

(On a CPU, ``TRITON_INTERPRET=1 ... --smoke OUT.json SETTING`` runs two tiny shapes, to test the script.)
``--summary FILE...`` prints one line per row: ``bitwise equal``, the error, or the differing outputs.

Each SETTING is ``A=x+B=y`` (environment switches of the chunked backend). For every shape of a small set (bf16,
fp16 and fp32; gated and not; n_h 1-4), the chunked forward (no grad), and the forward and backward (gradients of
q, k, v, beta, g and the initial state) run under the defaults and under each setting; the JSON records, per output,
whether it is bitwise equal to the default's and the largest absolute difference relative to the default's largest
magnitude. Forms that do the same dots on the same operands (``DELTAPROOF_CHUNKED_OUT=parallel``,
``DELTAPROOF_CHUNKED_DD_LOCAL=parallel``) are expected to be equal or to differ at accumulation-order level only.
"""

import importlib.util
import json
import os
import sys

import torch

sys.path.insert(0, ".")

_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

SHAPES = [  # (B, T, H, K, V, n_h, dtype, gated)
    (1, 512, 2, 128, 128, 1, torch.bfloat16, False),
    (1, 512, 2, 128, 128, 2, torch.bfloat16, True),
    (1, 512, 2, 128, 128, 3, torch.bfloat16, False),
    (1, 512, 2, 128, 128, 4, torch.bfloat16, True),
    (2, 200, 4, 32, 32, 2, torch.bfloat16, True),
    (2, 200, 4, 64, 64, 3, torch.float16, True),
    (2, 200, 4, 100, 100, 1, torch.float16, False),
    (1, 256, 2, 128, 128, 2, torch.float32, True),
]
SMOKE = [(1, 70, 2, 16, 16, 2, torch.bfloat16, True), (1, 40, 1, 16, 16, 3, torch.float32, False)]
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def _run(inp, n, do):
    leaves = {
        key: (x.detach().clone().requires_grad_(True) if x is not None else None) for key, x in inp.items()
    }

    with torch.no_grad():
        o_ng, _ = bench.run_inputs(inp, n, "chunked")
    o, ht = bench.run_inputs(leaves, n, "chunked", output_final_state=True)
    (o.float() * do).sum().backward()
    out = {"o_no_grad": o_ng, "o": o, "final_state": ht}
    out.update({"d" + key: x.grad for key, x in leaves.items() if x is not None})
    return out


def main(path, settings, shapes):
    names = {name for s in settings for name in bench.setting_env(s)}
    res = {
        **bench.run_record(
            "forms_equal_gpu.py",
            ["OUT.json", *settings],
            gpu=None if DEVICE == "cuda" else "cpu (interpreter)",
        ),
        "rows": [],
    }
    for B, T, H, K, V, n, dtype, gated in shapes:
        inp = bench.make_inputs(B, T, H, K, V, n, dtype, gated, device=DEVICE)
        do = torch.randn(B, T, H, V, device=DEVICE)
        for name in names:
            os.environ.pop(name, None)
        base = _run(inp, n, do)
        for s in settings:
            os.environ.update(bench.setting_env(s))
            row = {
                "shape": [B, T, H, K, V],
                "n_h": n,
                "dtype": str(dtype).split(".")[-1],
                "gated": gated,
                "setting": s,
            }
            try:
                got = _run(inp, n, do)
                if DEVICE == "cuda":
                    torch.cuda.synchronize()
                for key, ref in base.items():
                    a = got[key]
                    scale = ref.double().abs().max().item() or 1.0
                    row[key] = {
                        "equal": bool(torch.equal(a, ref)),
                        "rel_diff": (a.double() - ref.double()).abs().max().item() / scale,
                        "finite": bool(torch.isfinite(a).all()),
                    }
            except Exception as exc:  # a launch failure is a result here, not a crash of the whole check
                row["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
            for name in names:
                os.environ.pop(name, None)
            res["rows"].append(row)
            print(json.dumps(row), flush=True)
            bench.write_json(path, res)


def summary(path):
    """One line per row of a results file: shape, n_h, dtype, gated, then ``bitwise equal``, the launch error, or
    the relative difference of each output that differs."""
    with open(path) as f:
        rows = json.load(f)["rows"]
    for r in rows:
        bad = {k: f"{v['rel_diff']:.1e}" for k, v in r.items() if isinstance(v, dict) and not v["equal"]}
        print(r["shape"], r["n_h"], r["dtype"], r["gated"], r.get("error", "") or bad or "bitwise equal")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--summary"]:
        for f in args[1:]:
            summary(f)
        raise SystemExit(0)
    smoke = "--smoke" in args
    args = [a for a in args if a != "--smoke"]
    if len(args) < 2:
        raise SystemExit(__doc__)
    main(args[0], args[1:], SMOKE if smoke else SHAPES)
