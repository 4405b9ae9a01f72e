"""GPU A/B timing of the chunked backend under the values of one environment switch (kernels/README.md's table).

Run from the repository root on the GPU::

    PYTHONPATH=. python3 benchmarks/env_ab_gpu.py OUT.json VARIABLE value1,value2[,...] [fwd]

At the benchmark shape (B=8, T=4096, H=16, K=V=128, bf16), n_h 1..4, ungated and gated: forward+backward (and the
forward with ``fwd``) median times from ``triton.testing.do_bench``, the values alternated in one process over two
rounds (so clock and thermal drift hit every value alike); then the device time per kernel (torch.profiler) at
n_h = 2, ungated, for each value. Results are rewritten atomically after each measurement. Timing only: the
accuracy of each value is checked separately (``benchmarks/kernel_grads_gpu.py`` under the same variable).
"""

import importlib.util
import json
import os
import sys
import time

import torch
import triton

sys.path.insert(0, ".")
from kernels import deltaproduct

# benchmarks/kernels.py's inputs and profiler (its module name would shadow the kernels package: file import)
_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _write(path, obj):
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(path + ".tmp", path)


def main(out, var, values, with_fwd):
    res = {
        "gpu": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "triton": triton.__version__,
        "command": "PYTHONPATH=. python3 benchmarks/env_ab_gpu.py OUT.json " + " ".join(sys.argv[2:]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "variable": var,
        "values": values,
        "shape": "B=8 T=4096 H=16 K=V=128 bf16, initial state, gradients of q, k, v, beta (and g)",
        "timing": "do_bench median ms (rep 200), values alternated, two rounds",
        "rows": [],
        "profile_n_h2": {},
    }
    calls = {}
    for gated in (False, True):
        for n in (1, 2, 3, 4):
            inp = bench.make_inputs(8, 4096, 16, 128, 128, n, torch.bfloat16, gated)
            leaves = {
                key: (x.requires_grad_(key != "initial_state") if x is not None else None)
                for key, x in inp.items()
            }
            do = torch.randn_like(inp["q"])

            def fwd(n=n, leaves=leaves):
                return deltaproduct(
                    leaves["q"],
                    leaves["k"],
                    leaves["v"],
                    leaves["beta"],
                    num_householder=n,
                    g=leaves["g"],
                    initial_state=leaves["initial_state"],
                    backend="chunked",
                )[0]

            def fwd_bwd(n=n, fwd=fwd, do=do):
                fwd(n).backward(do)

            grads = [x for key, x in leaves.items() if x is not None and key != "initial_state"]
            calls[(gated, n)] = fwd_bwd
            for rnd in range(2):
                for val in values:
                    os.environ[var] = val
                    row = {"n_h": n, "gated": gated, var: val, "round": rnd}
                    if with_fwd:
                        with torch.no_grad():
                            row["fwd_ms"] = round(
                                float(triton.testing.do_bench(fwd, warmup=25, rep=200, return_mode="median")),
                                4,
                            )
                    row["fwd_bwd_ms"] = round(
                        float(
                            triton.testing.do_bench(
                                fwd_bwd, warmup=25, rep=200, return_mode="median", grad_to_none=grads
                            )
                        ),
                        4,
                    )
                    res["rows"].append(row)
                    print(json.dumps(row), flush=True)
                    _write(out, res)
            if n != 2 or gated:
                del calls[(gated, n)]
    for val in values:
        os.environ[var] = val
        res["profile_n_h2"][val] = bench.profile_kernels(calls[(False, 2)], iters=5, top=12)
        print(val, json.dumps(res["profile_n_h2"][val]), flush=True)
        _write(out, res)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3].split(","), len(sys.argv) > 4 and sys.argv[4] == "fwd")
