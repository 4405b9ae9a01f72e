"""GPU check that an ungated call gives bitwise what a gated call with g = 0 gives (kernels/README.md §6).

Without g the chunked kernels skip every gate factor, each an exact multiplication by exp(0) = 1 in the
interpreter. On the GPU ``tl.exp`` is the hardware's approximate exponential, so this checks that it returns exactly
1 at 0 there too, through outputs and gradients. Run from the repository root::

    PYTHONPATH=. python3 benchmarks/gate_zero_gpu.py OUT.json

(On a CPU: ``TRITON_INTERPRET=1 ... --smoke OUT.json``, one tiny shape.) For bf16 and fp16 (fp32 `ieee` kernels
at K = 128 take minutes to compile on the H200; the CPU test covers fp32) and n_h 1-4 at
B=2, T=256, H=4, K=V=128 (``--smoke``: fp32 and bf16, n_h 2, B=1 T=40 H=1 K=V=16): output, final state and the
gradients of q, k, v, beta and the initial state of both calls; per tensor whether they are bitwise equal and the
largest difference relative to the largest magnitude, and how many elements differ. The JSON is rewritten
atomically after every case.
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


def main(out, smoke):
    device = "cpu" if smoke else "cuda"
    shape = (1, 40, 1, 16, 16) if smoke else (2, 256, 4, 128, 128)
    cases = (
        [(d, 2) for d in ("fp32", "bf16")]
        if smoke
        else [(d, n) for d in ("bf16", "fp16") for n in (1, 2, 3, 4)]
    )
    rows = []
    for dname, n in cases:
        inp = bench.make_inputs(*shape, n, torch.float32, True, device=device)
        gen = torch.Generator(device="cpu").manual_seed(3)
        do = torch.randn(*shape[:3], shape[4], generator=gen, dtype=torch.float64).to(device)
        dht = torch.randn(shape[0], shape[2], shape[3], shape[4], generator=gen, dtype=torch.float64).to(
            device
        )
        zero = bench.run_with_grads(
            dict(inp, g=torch.zeros_like(inp["g"])), n, "chunked", bench.DT[dname], do, dht
        )
        none = bench.run_with_grads(dict(inp, g=None), n, "chunked", bench.DT[dname], do, dht)
        row = {"dtype": dname, "n_h": n}
        for key, a in none.items():
            row[key] = {
                "equal": bool(torch.equal(a, zero[key])),
                "rel_diff": bench.rel(a, zero[key]),
                "elements_differing": int((a != zero[key]).sum()),
                "elements": a.numel(),
            }
        rows.append(row)
        print(json.dumps(row), flush=True)
        # rewritten after every case: the compiles are slow, and a run cut short keeps what it measured
        res = {
            **bench.run_record("gate_zero_gpu.py", sys.argv[1:], gpu="cpu (smoke)" if smoke else None),
            "shape": dict(zip("BTHKV", shape)),
            "all_equal": all(v["equal"] for r in rows for v in r.values() if isinstance(v, dict)),
            "cases_done": f"{len(rows)} of {len(cases)}",
            "rows": rows,
        }
        bench.write_json(out, res)
    print("all bitwise equal:", res["all_equal"])


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--smoke"]
    if len(args) != 1:
        raise SystemExit(__doc__)
    main(args[0], "--smoke" in sys.argv)
