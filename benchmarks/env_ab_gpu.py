"""GPU A/B timing of the chunked backend under the values of one environment switch (kernels/README.md's table).

Run from the repository root on the GPU::

    PYTHONPATH=. python3 benchmarks/env_ab_gpu.py OUT.json VARIABLE value1,value2[,...] [fwd | fwdonly] [--gated-only | --ungated-only] [--n-h 1 2 4]

A value may also set several switches at once: ``A=x+B=y`` sets ``A`` and ``B`` (full names) and leaves VARIABLE
unset, so ``DELTAPROOF_CHUNKED_OUT scan,parallel,DELTAPROOF_CHUNKED_OUT=parallel+DELTAPROOF_CHUNKED_STATES=16bit``
compares three settings; every variable any value names is unset before each value is applied. Values that
contain commas themselves (``DELTAPROOF_CHUNKED_LAUNCH=a=1,b=2``) are separated by semicolons instead: the list
is split on ``;`` when it contains one.

At the benchmark shape (B=8, T=4096, H=16, K=V=128, bf16), n_h 1..4 (or ``--n-h``), ungated and gated: forward+backward (and the
forward with ``fwd``) median times from ``triton.testing.do_bench``, the values alternated in one process over two
rounds (so clock and thermal drift hit every value alike; ``fwdonly``: the forward alone, no autograd, and its
profile per launch, :func:`kernels_bench.profile_launches`); and the device time per kernel (torch.profiler) at
n_h = 2, ungated (``profile_n_h2``) and gated (``profile_n_h2_gated``), for each value, right after that row (none
when ``--n-h`` leaves 2 out). Results are rewritten atomically after each measurement. Timing only: the
accuracy of each value is checked separately (``benchmarks/kernel_grads_gpu.py`` under the same variable).
"""

import importlib.util
import json
import os
import sys

import torch
import triton

sys.path.insert(0, ".")

# benchmarks/kernels.py's inputs and profiler (its module name would shadow the kernels package: file import)
_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _settings(var, value):
    """The assignments one value stands for: ``{var: value}``, or the ``A=x+B=y`` pairs."""
    if "=" not in value:
        return {var: value}
    return bench.setting_env(value)


def _apply(var, values, value):
    for name in {name for v in values for name in _settings(var, v)}:
        os.environ.pop(name, None)
    os.environ.update(_settings(var, value))


def main(out, var, values, with_fwd, n_hs=(1, 2, 3, 4), gateds=(False, True), with_bwd=True):
    res = {
        **bench.run_record("env_ab_gpu.py", ["OUT.json", *sys.argv[2:]]),
        "variable": var,
        "values": values,
        "shape": "B=8 T=4096 H=16 K=V=128 bf16, initial state, gradients of q, k, v, beta (and g)",
        "timing": "do_bench median ms (rep 200), values alternated, two rounds",
        "rows": [],
        "profile_n_h2": {},
    }
    for gated in gateds:
        for n in n_hs:
            inp = bench.make_inputs(8, 4096, 16, 128, 128, n, torch.bfloat16, gated)
            leaves = {
                key: (x.requires_grad_(key != "initial_state") if x is not None else None)
                for key, x in inp.items()
            }
            do = torch.randn_like(inp["q"])

            def fwd(n=n, leaves=leaves):
                return bench.run_inputs(leaves, n, "chunked")[0]

            def fwd_bwd(n=n, fwd=fwd, do=do):
                fwd(n).backward(do)

            grads = [x for key, x in leaves.items() if x is not None and key != "initial_state"]
            failed = (
                set()
            )  # values whose launch failed (e.g. out of shared memory): recorded once, then skipped
            for rnd in range(2):
                for val in values:
                    if val in failed:
                        continue
                    _apply(var, values, val)
                    row = {"n_h": n, "gated": gated, var: val, "round": rnd}
                    try:
                        if with_fwd:
                            with torch.no_grad():
                                row["fwd_ms"] = round(
                                    float(
                                        triton.testing.do_bench(fwd, warmup=25, rep=200, return_mode="median")
                                    ),
                                    4,
                                )
                        if with_bwd:
                            row["fwd_bwd_ms"] = round(
                                float(
                                    triton.testing.do_bench(
                                        fwd_bwd, warmup=25, rep=200, return_mode="median", grad_to_none=grads
                                    )
                                ),
                                4,
                            )
                    except (
                        triton.runtime.errors.OutOfResources
                    ) as exc:  # a setting that does not fit is a result
                        row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
                        failed.add(val)
                    res["rows"].append(row)
                    print(json.dumps(row), flush=True)
                    bench.write_json(out, res)
            if n == 2:  # profiled as soon as it is timed, so a time limit cannot lose it
                key = "profile_n_h2_gated" if gated else "profile_n_h2"
                res.setdefault(key, {})
                for val in values:
                    if val in failed:
                        continue
                    _apply(var, values, val)
                    if with_bwd:
                        res[key][val] = bench.profile_kernels(fwd_bwd, iters=5, top=12)
                    else:
                        with torch.no_grad():
                            res[key][val] = bench.profile_launches(fwd)
                    print(key, val, json.dumps(res[key][val]), flush=True)
                    bench.write_json(out, res)


if __name__ == "__main__":
    argv = sys.argv[1:]
    gateds = (False, True)
    for flag, only in (("--gated-only", True), ("--ungated-only", False)):  # half the time for one form
        if flag in argv:
            argv.remove(flag)
            gateds = (only,)
    n_hs = (1, 2, 3, 4)
    if "--n-h" in argv:
        i = argv.index("--n-h")
        n_hs = tuple(int(x) for x in argv[i + 1 :])
        argv = argv[:i]
    main(
        argv[0],
        argv[1],
        argv[2].split(";" if ";" in argv[2] else ","),
        len(argv) > 3 and argv[3] in ("fwd", "fwdonly"),
        n_hs,
        gateds,
        with_bwd=not (len(argv) > 3 and argv[3] == "fwdonly"),
    )
