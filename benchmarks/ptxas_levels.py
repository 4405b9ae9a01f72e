"""Assemble each chunked kernel's PTX at several ptxas optimisation levels: registers, spills, assembly time.

Why: at its default level ptxas (CUDA 12.8, shipped with Triton 3.6 and 3.7.1) gives the fp32 `ieee` kernels 32
registers per thread and tens of KB of spills, and takes minutes on the largest of them; at ``--opt-level 1`` the
same PTX gets 255 registers (kernels/README.md §6, ``DELTAPROOF_CHUNKED_PTXAS_OPT``). ``resources_sm90.py``
measures one level per run, through Triton's whole compile; this script compiles each launch to PTX once (Triton's
pipeline stopped before its own ptxas call) and runs this machine's ptxas on that PTX at every level asked for, so
the levels are compared on identical PTX and the assembly time is ptxas's alone. Nothing runs on a GPU.

Run from the repository root (no TRITON_INTERPRET)::

    PYTHONPATH=. python benchmarks/ptxas_levels.py OUT.json [--K 128] [--n-h 2] [--dtype fp32] [--precision ieee]
        [--gated] [--phase fwd|bwd|both] [--levels default 1]

Adds one entry to OUT.json (rewritten atomically) with one row per launch and level.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

import torch

sys.path.insert(0, ".")


def _load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", os.path.join("benchmarks", f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _PTX(Exception):
    """Carries the PTX out of Triton's compile, in place of its cubin stage."""


def kernel_ptx(rs, fn, args, kwargs):
    """The PTX Triton makes for one recorded launch, without assembling it (a fresh cache dir is needed for a
    compile to reach the cubin stage; a cached kernel returns its stored PTX)."""
    from triton.backends.nvidia import compiler as nvc

    def stop(self, src, metadata, opt, capability):
        raise _PTX(src)

    saved = nvc.CUDABackend.make_cubin
    nvc.CUDABackend.make_cubin = stop
    try:
        return rs.compile_sm90(fn, args, kwargs).asm["ptx"]
    except Exception as exc:  # Triton may wrap the stage's exception: find ours in the chain
        e = exc
        while e is not None and not isinstance(e, _PTX):
            e = e.__cause__ or e.__context__
        if e is None:
            raise
        return e.args[0]
    finally:
        nvc.CUDABackend.make_cubin = saved


def assemble(rs, ptx_path, level):
    """``resources_sm90.ptxas_v`` at one level, with ptxas's wall time."""
    t0 = time.time()
    out = rs.ptxas_v(ptx_path, [] if level == "default" else ["--opt-level", level])
    return {**out, "ptxas_s": round(time.time() - t0, 1)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--K", type=int, default=128)
    ap.add_argument("--n-h", type=int, default=2)
    ap.add_argument("--dtype", choices=("bf16", "fp16", "fp32"), default="fp32")
    ap.add_argument("--precision", default="ieee")
    ap.add_argument("--gated", action="store_true")
    ap.add_argument("--phase", choices=("fwd", "bwd", "both"), default="both")
    ap.add_argument("--levels", nargs="+", default=["default", "1"], choices=("default", "0", "1", "2", "3"))
    a = ap.parse_args(argv)
    import triton

    rs, bench = _load("resources_sm90"), _load("kernels")
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[a.dtype]
    calls, _ = rs.record_launches(a.n_h, dtype, a.gated, a.K, a.K, a.phase, a.precision)
    label = f"{a.dtype} {a.precision} K {a.K} n_h {a.n_h} {'gated' if a.gated else 'ungated'} {a.phase}"
    entry = {
        "command": "PYTHONPATH=. python benchmarks/ptxas_levels.py "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "triton": triton.__version__,
        "ptxas": subprocess.run([rs._tool("ptxas"), "--version"], capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1],
        "rows": [],
    }
    saved_cache = os.environ.get("TRITON_CACHE_DIR")
    with tempfile.TemporaryDirectory() as d:
        # fresh: a cached kernel would skip the stage that hands out the PTX
        os.environ["TRITON_CACHE_DIR"] = d
        for i, (fn, _grid, args, kwargs) in enumerate(calls):
            path = os.path.join(d, f"k{i}.ptx")
            with open(path, "w") as fh:
                fh.write(kernel_ptx(rs, fn, args, kwargs))
            for level in a.levels:
                row = {
                    "kernel": fn.fn.__name__,
                    "PHASE": kwargs.get("PHASE"),
                    "num_warps": kwargs.get("num_warps"),
                }
                row.update(level=level, **assemble(rs, path, level))
                entry["rows"].append(row)
                print(json.dumps(row), flush=True)
    if saved_cache is None:
        os.environ.pop("TRITON_CACHE_DIR", None)
    else:
        os.environ["TRITON_CACHE_DIR"] = saved_cache
    res = {}
    if os.path.exists(a.out):
        with open(a.out) as fh:
            res = json.load(fh)
    res[label] = entry
    bench.write_json(a.out, res)


if __name__ == "__main__":
    main()
