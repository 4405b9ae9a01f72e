"""Registers, spills, shared memory and occupancy of every chunked-backend kernel, compiled for the H200 (sm_90)
on a machine without a GPU.

Why this exists: the device time of a session is 30 minutes, and most of the chunked kernels are latency-bound
(kernels/README.md §5), where register pressure and spills decide how many programs share an SM. Triton compiles
for a stated target without a driver, and the CUDA tools shipped in the Triton wheel (``cuobjdump``) read the
resource usage (``ptxas -v``, ``cuobjdump``). So a kernel change can be checked for spills before it costs device time.

How: the host code of ``kernels.chunked`` runs with the GPU launch configuration (not the interpreter's) on
small CPU tensors whose per-program geometry is the benchmark shape's (K, V, n_h, dtype, gated, the switches in the
environment), with every kernel replaced by a recorder. Each recorded launch is then bound and specialised the way
Triton's JIT does it (its own binder, with a CUDA backend for sm_90 in place of the absent driver) and compiled.
Nothing runs. Caveats: the compiler here is this machine's Triton (3.7.1 in CI), not the H200's (3.6.0), so counts
can differ by version; occupancy is the register / shared-memory / thread bound only, which is an upper bound on
what the H200 achieves.

The versions do differ where it matters: the gated W/U launch of the WY kernel (n_h 2, bf16, K = V = 128) gets 148
registers from 3.7.1 but 171 from 3.6.0, and the H200's Nsight Compute read 172 (2 programs per SM instead of 3:
kernels/README.md §5, session 11); ungated, 3.6.0 gives 152, as the H200 does. To compile with the H200's version,
put Triton 3.6.0 first on the path (a side folder, git-ignored; its CUDA tools come with it)::

    python -m pip install --no-deps --target .triton36 triton==3.6.0
    PYTHONPATH=.triton36:. python benchmarks/resources_sm90.py OUT.json ...

Run from the repository root (no TRITON_INTERPRET)::

    PYTHONPATH=. python benchmarks/resources_sm90.py OUT.json [--n-h 2] [--dtype bf16] [--gated] [--K 128 --V 128]
        [--phase fwd|bwd|both] [--env VAR=value ...]

Prints one line per kernel launch (name, the varying constexprs, warps, stages, registers per thread, spill
stores/loads in bytes, shared memory, programs per SM by each bound, static SASS counts of barriers, shuffles, exps,
local loads/stores, tensor-core ops, fp32 multiplies and 16-bit conversions) and adds them to OUT.json under ``--label``
(default: made from the arguments), rewriting the file atomically.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import torch

sys.path.insert(0, ".")

SM90 = {"regs": 65536, "smem": 232448, "threads": 2048, "blocks": 32}  # per SM, H100/H200 (sm_90)


class _Recorder:
    """Stands in for a JIT kernel: ``kernel[grid](*args, **kwargs)`` records the call instead of launching."""

    def __init__(self, fn, calls):
        self.fn, self.calls = fn, calls

    def __getitem__(self, grid):
        def launch(*args, **kwargs):
            self.calls.append((self.fn, grid, args, kwargs))

        return launch


def _tool(name):
    import triton

    path = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin", name)
    if not os.path.exists(path):
        raise SystemExit(f"{name} not found at {path}: this Triton wheel has no CUDA tools")
    return path


def compile_sm90(fn, args, kwargs):
    """Compile one recorded launch for sm_90 the way the JIT would; returns the CompiledKernel."""
    import triton
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource, make_backend
    from triton.runtime.jit import create_function_from_signature

    target = GPUTarget("cuda", 90, 32)
    backend = make_backend(target)
    binder = create_function_from_signature(fn.signature, fn.params, backend)
    bound, specialization, options = binder(*args, **kwargs)
    options, signature, constexprs, attrs = fn._pack_args(backend, kwargs, bound, specialization, options)
    return triton.compile(
        ASTSource(fn, signature, constexprs, attrs), target=target, options=options.__dict__
    )


def ptxas_v(ptx_path, options=()) -> dict:
    """``ptxas -v`` for sm_90a (the assembler Triton itself runs) on one PTX file, with extra ``options``: the
    registers, stack frame and spill bytes per thread it reports."""
    info = subprocess.run(
        [_tool("ptxas"), "-v", *options, "--gpu-name", "sm_90a", ptx_path, "-o", ptx_path + ".o"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return {
        "registers": int(re.search(r"Used (\d+) registers", info).group(1)),
        "stack_frame_bytes": int(re.search(r"(\d+) bytes stack frame", info).group(1)),
        "spill_store_bytes": int(re.search(r"(\d+) bytes spill stores", info).group(1)),
        "spill_load_bytes": int(re.search(r"(\d+) bytes spill loads", info).group(1)),
    }


def load_bench():
    """The module of ``benchmarks/kernels.py``, the GPU scripts' shared helpers (its name would shadow the kernels
    package, so it is loaded from its file)."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels.py")
    spec = importlib.util.spec_from_file_location("kernels_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cuobjdump(ck, flag: str) -> str:
    """The output of the Triton wheel's ``cuobjdump FLAG`` on a compiled kernel's cubin (``-sass`` for the
    instructions, ``--dump-resource-usage`` for the register count)."""
    with tempfile.TemporaryDirectory() as d:
        cubin = os.path.join(d, "k.cubin")
        with open(cubin, "wb") as f:
            f.write(ck.asm["cubin"])
        return subprocess.run(
            [_tool("cuobjdump"), flag, cubin], capture_output=True, text=True, check=True
        ).stdout


def resource_usage(ck) -> dict:
    """Registers, stack frame and spill bytes per thread: ``ptxas -v`` on the kernel's PTX for sm_90a (the
    assembler Triton itself runs), cross-checked against the register count that ``cuobjdump`` reads from
    Triton's own cubin."""
    with tempfile.TemporaryDirectory() as d:
        ptx = os.path.join(d, "k.ptx")
        with open(ptx, "w") as f:
            f.write(ck.asm["ptx"])
        # the launch's own ptxas options (DELTAPROOF_CHUNKED_PTXAS_OPT), so that -v reports what Triton built
        out = ptxas_v(ptx, (getattr(ck.metadata, "ptx_options", None) or "").split())
    dump = cuobjdump(ck, "--dump-resource-usage")
    out["registers_in_triton_cubin"] = int(re.search(r"REG:(\d+)", dump).group(1))
    out["sass"] = sass_counts(cuobjdump(ck, "-sass"))
    return out


# SASS opcode classes worth counting in latency-bound loops: barriers and shuffles (cross-thread exchanges),
# special-function ops (exp), local memory (spills), tensor-core ops, fp32 multiplies and conversions to 16 bits
_SASS_CLASSES = ("BAR", "SHFL", "MUFU", "LDL", "STL", "HMMA", "HGMMA", "FMUL", "FFMA", "F2FP", "LDG", "STG")


def _sass_ops(sass: str):
    """(address, opcode, branch target or None) of every SASS instruction line."""
    out = []
    for line in sass.splitlines():
        m = re.match(r"\s+/\*([0-9a-f]+)\*/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_]*)([^;]*);", line)
        if m:
            target = re.match(r"\.?\w*\s+0x([0-9a-f]+)", m.group(3)) if m.group(2) == "BRA" else None
            out.append((int(m.group(1), 16), m.group(2), int(target.group(1), 16) if target else None))
    return out


def _classes(ops) -> dict:
    counts = collections.Counter(op for _, op, _ in ops)
    return {"total": len(ops), **{k: counts[k] for k in _SASS_CLASSES}}


def sass_counts(sass: str) -> dict:
    """Static counts of a kernel's SASS instructions, in total and by opcode class (``_SASS_CLASSES``), for the whole
    kernel and for its largest loop (the span of the backward branch that jumps furthest back: the chunk loop of a
    scan, the substitution loop of the WY inverse); ``loop`` is None for a kernel without a loop.

    Examples
    --------
    >>> text = chr(10).join([
    ...     "        /*0010*/                   BAR.SYNC.DEFER_BLOCKING 0x0 ;  /* 0x0 */",
    ...     "        /*0020*/              @!P0 STL.64 [R1], R2 ;  /* 0x0 */",
    ...     "        /*0030*/               @P0 BRA 0x10 ;  /* 0x0 */",
    ... ])
    >>> c = sass_counts(text)
    >>> (c["total"], c["BAR"], c["STL"], c["loop"]["total"])
    (3, 1, 1, 3)
    """
    ops = _sass_ops(sass)
    out = _classes(ops)
    loops = [
        (addr - target, target, addr) for addr, op, target in ops if target is not None and target <= addr
    ]
    if loops:
        _, lo, hi = max(loops)
        out["loop"] = _classes([x for x in ops if lo <= x[0] <= hi])
    else:
        out["loop"] = None
    return out


def _commit() -> str:
    """The checkout's commit, with ``+dirty`` when kernels/ has uncommitted changes (the code that was compiled)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "kernels"], check=False, capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.strip() else "")


def occupancy(regs, shared, warps):
    threads = 32 * warps
    # registers are allocated per warp in units of 256 (8 per thread, rounded up)
    regs_per_warp = ((max(regs, 1) * 32 + 255) // 256) * 256
    by_regs = SM90["regs"] // (regs_per_warp * warps)
    by_smem = SM90["smem"] // shared if shared else SM90["blocks"]
    by_threads = SM90["threads"] // threads
    return {
        "by_regs": by_regs,
        "by_shared": by_smem,
        "by_threads": by_threads,
        "programs_per_sm": min(by_regs, by_smem, by_threads, SM90["blocks"]),
    }


def _cpu_inputs(T, n_h, dtype, gated, K, V):
    """One sequence and head of CPU inputs (the compiled code depends on K, V, n_h, dtype and the switches, not on
    the values or T): its Dims and q, k, v, beta, g (or None), h0."""
    from kernels._validate import Dims

    B, H = 1, 1
    dims = Dims(B=B, T=T, H=H, K=K, V=V, n_h=n_h, N=B, offsets=(0, T), scale=K**-0.5)
    gen = torch.Generator().manual_seed(0)
    q = torch.randn(B, T, H, K, generator=gen).to(dtype)
    k = torch.randn(B, T * n_h, H, K, generator=gen).to(dtype)
    v = torch.randn(B, T * n_h, H, V, generator=gen).to(dtype)
    beta = torch.rand(B, T * n_h, H, generator=gen).to(dtype)
    g = -torch.rand(B, T, H, generator=gen) if gated else None
    h0 = torch.randn(B, H, K, V, generator=gen)
    return dims, q, k, v, beta, g, h0


def record_launches(n_h, dtype, gated, K, V, phase, precision="ieee"):
    from kernels import chunked

    # one sequence of 4+ chunks
    dims, q, k, v, beta, g, h0 = _cpu_inputs(256, n_h, dtype, gated, K, V)
    B, T, H = dims.B, dims.T, dims.H
    calls = []
    names = [n for n in dir(chunked) if n.startswith("_") and n.endswith("_kernel")]
    saved_fns = {n: getattr(chunked, n) for n in names}
    try:
        for n in names:
            setattr(chunked, n, _Recorder(saved_fns[n], calls))
        cfg = chunked._Config(dims, dtype, torch.device("cpu"), precision)
        _, _, saved = chunked._forward(q, k, v, beta, g, h0, dims, cfg, True, phase != "fwd")
        nfwd = len(calls)
        if phase != "fwd":
            gen = torch.Generator().manual_seed(1)  # values do not reach the compiled code
            do = torch.randn(B, T, H, V, generator=gen).to(dtype)
            dht = torch.randn(B, H, K, V, generator=gen)
            chunked._backward(q, k, v, beta, g, saved, do, dht, True, dims, cfg)
    finally:
        for n, fn in saved_fns.items():
            setattr(chunked, n, fn)
    if phase == "bwd":
        calls = calls[nfwd:]
    return calls, cfg


def record_recurrent(n_h, dtype, gated, K, V, phase="fwd", h0=True):
    """The recurrent backend's launches (``kernels.recurrent``, under its ``DELTAPROOF_RECURRENT_*`` switches),
    recorded on CPU tensors of the benchmark's per-program geometry. ``phase``: ``fwd`` the forward without saves
    (inference), ``both`` the forward that saves for a backward and the backward's two passes, ``bwd`` those two
    passes only; ``h0``: with an initial state (and, for the backward, a final-state cotangent)."""
    from kernels import recurrent

    dims, q, k, v, beta, g, state = _cpu_inputs(64, n_h, dtype, gated, K, V)
    state = state if h0 else None
    grads = phase != "fwd"
    xs = [None if x is None else x.requires_grad_(grads) for x in (q, k, v, beta, g, state)]
    calls = []
    saved = {
        n: getattr(recurrent, n)
        for n in dir(recurrent)
        if n.startswith("_recurrent_") and n.endswith("_kernel")
    }
    saved_check = recurrent.check_triton_device
    try:
        for n, f in saved.items():
            setattr(recurrent, n, _Recorder(f, calls))
        recurrent.check_triton_device = lambda *_: None  # CPU tensors, compiled for sm_90, never launched
        with torch.set_grad_enabled(grads):
            o, ht = recurrent.deltaproduct_recurrent(
                *xs[:4], dims=dims, g=xs[4], initial_state=xs[5], output_final_state=h0
            )
        nfwd = len(calls)
        if grads:  # the values are never computed (nothing launches); the backward's launches are recorded
            outs = [o, ht] if h0 else [o]
            torch.autograd.backward(outs, [torch.zeros_like(x) for x in outs])
    finally:
        for n, f in saved.items():
            setattr(recurrent, n, f)
        recurrent.check_triton_device = saved_check
    return calls[nfwd:] if phase == "bwd" else calls


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--n-h", type=int, default=2)
    ap.add_argument("--dtype", choices=("bf16", "fp16", "fp32"), default="bf16")
    ap.add_argument("--precision", default="ieee")
    ap.add_argument("--gated", action="store_true")
    ap.add_argument("--K", type=int, default=128)
    ap.add_argument("--V", type=int, default=128)
    ap.add_argument(
        "--phase",
        choices=("fwd", "bwd", "both"),
        default="both",
        help="fwd: the forward without saves (inference: what kernels/README §4's forward column times); "
        "both: the forward with the saves for a backward, then the backward; bwd: the backward's launches only",
    )
    ap.add_argument("--env", nargs="*", default=[], help="VAR=value switches of the chunked backend")
    ap.add_argument(
        "--no-h0", action="store_true", help="recurrent: without an initial state or a final-state cotangent"
    )
    ap.add_argument(
        "--backend",
        choices=("chunked", "recurrent"),
        default="chunked",
        help="recurrent: the recurrent backend's launches (--precision does not apply)",
    )
    ap.add_argument("--label", default=None, help="key of this run in OUT.json (default: from the arguments)")
    a = ap.parse_args()
    if os.environ.get("TRITON_INTERPRET"):
        raise SystemExit("unset TRITON_INTERPRET: this compiles the GPU code path")
    for item in a.env:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--env: expected VAR=value, got {item!r}")
        os.environ[name] = value
    import triton

    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[a.dtype]
    if a.backend == "recurrent":
        calls = record_recurrent(a.n_h, dtype, a.gated, a.K, a.V, a.phase, not a.no_h0)
        launch = {}
    else:
        calls, cfg = record_launches(a.n_h, dtype, a.gated, a.K, a.V, a.phase, a.precision)
        launch = cfg.launch
    rows = []
    for fn, _grid, args, kwargs in calls:
        t0 = time.time()
        ck = compile_sm90(fn, args, kwargs)
        use = resource_usage(ck)
        warps, stages = ck.metadata.num_warps, ck.metadata.num_stages
        shared = ck.metadata.shared
        varying = {k: v for k, v in kwargs.items() if k in ("PHASE", "HAS_G", "SPLIT", "KBLOCKS")}
        row = {
            "kernel": fn.__name__,
            **varying,
            "BV": kwargs.get("BV"),
            "num_warps": warps,
            "num_stages": stages,
            **use,
            "shared_bytes": shared,
            **occupancy(use["registers"], shared, warps),
            "compile_s": round(time.time() - t0, 1),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    label = a.label or (
        f"{a.dtype}{'' if a.dtype != 'fp32' else ' ' + a.precision} n_h {a.n_h} K {a.K} V {a.V}"
        f" {'gated' if a.gated else 'ungated'} {a.phase}" + (" " + " ".join(a.env) if a.env else "")
    )
    if a.backend == "recurrent":
        label = a.label or (
            f"recurrent {a.dtype} n_h {a.n_h} K {a.K} V {a.V}{' gated' if a.gated else ''} {a.phase}"
            + (" no h0" if a.no_h0 else "")
            + (" " + " ".join(a.env) if a.env else "")
        )
    run = {
        "command": "PYTHONPATH=. python benchmarks/resources_sm90.py OUT.json " + " ".join(sys.argv[2:]),
        "commit": _commit(),
        "call": {
            "n_h": a.n_h,
            "dtype": a.dtype,
            "gated": a.gated,
            "K": a.K,
            "V": a.V,
            "phase": a.phase,
            "env": a.env,
            "precision": a.precision,
            "launch": launch,
            "backend": a.backend,
            "h0": not a.no_h0,
        },
        "rows": rows,
    }
    # one file holds several runs, keyed by label; an existing file is extended, and rewritten atomically
    res = {}
    if os.path.exists(a.out):
        with open(a.out) as f:
            res = json.load(f)
    res.update(
        target="sm_90 (H100/H200), compiled on a CPU machine",
        triton=triton.__version__,
        torch=torch.__version__,
        note="registers, stack frame and spill bytes per thread from ptxas -v (sm_90a) on Triton's PTX; "
        "shared_bytes from Triton's metadata; programs_per_sm = min of the register, shared-memory, thread and "
        "32-block bounds of an sm_90 SM (an upper bound). This Triton may allocate differently from the H200's.",
    )
    res.setdefault("runs", {})[label] = run
    load_bench().write_json(a.out, res)


if __name__ == "__main__":
    main()
