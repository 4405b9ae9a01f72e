"""Kernel benchmark: correctness of every backend/dtype on the GPU against a float64 reference, then
speed and peak memory of our ``chunked`` backend against fla's ``chunk_gated_delta_product`` (bf16), and of
``chunked`` (per ``--fp32-precisions``) and ``recurrent`` in fp32 against fla's fp32 path
(``fused_recurrent_delta_rule`` on the interleaved stream).

Run on a CUDA machine (fla-core installed for the fla columns)::

    python benchmarks/kernels.py          # check + bench, writes benchmarks/results/kernels_h200.json
    python benchmarks/kernels.py --quick  # smaller bench for smoke runs
    python benchmarks/kernels.py --skip-check --n-h 2
    python benchmarks/kernels.py --skip-check --fp32-only --gated 0 1 --fp32-gated --fp32-precisions tf32x3

Not a timed test: it prints tables and writes JSON (atomically: temp file + rename).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kernels import deltaproduct
from kernels.fla_backend import fla_available

_SAVE = {}


def write_json(path, obj):
    """Write ``obj`` to ``path`` as JSON atomically: a temporary file in the same folder, then a rename."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(obj, fh, indent=1)
    os.replace(tmp, out)


def run_record(script, args, gpu=None):
    """The header of a results file: device, torch and Triton versions, the command line, the start time (UTC).

    ``gpu`` names the device where it is not the CUDA device (a CPU smoke run)."""
    import triton

    return {
        "gpu": gpu or torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "triton": triton.__version__,
        "command": f"PYTHONPATH=. python3 benchmarks/{script} " + " ".join(args),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        # the chunked backend's switches set when the run started (kernels/README.md's table): part of the command
        "env": {k: v for k, v in sorted(os.environ.items()) if k.startswith("DELTAPROOF_")},
    }


def save_partial():
    """Write what has been measured so far (atomically), so a run cut short still leaves results."""
    if _SAVE:
        write_json(_SAVE["path"], _SAVE["result"])


DT = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}


def make_inputs(B, T, H, K, V, n, dtype, gated, seed=0, device="cuda", h0=True):
    gen = torch.Generator(device="cpu").manual_seed(seed)
    q = torch.randn(B, T, H, K, generator=gen)
    k = torch.nn.functional.normalize(torch.randn(B, T * n, H, K, generator=gen), dim=-1)
    v = torch.randn(B, T * n, H, V, generator=gen)
    beta = torch.rand(B, T * n, H, generator=gen) * 2
    g = -torch.rand(B, T, H, generator=gen) * 0.1 if gated else None
    s0 = torch.randn(B, H, K, V, generator=gen) if h0 else None

    def cast(x):
        return None if x is None else x.to(device=device, dtype=dtype).contiguous()

    return dict(
        q=cast(q),
        k=cast(k),
        v=cast(v),
        beta=cast(beta),
        g=None if g is None else g.to(device).contiguous(),
        initial_state=None if s0 is None else s0.to(device).contiguous(),
    )


def setting_env(text):
    """The environment assignments of a setting ``A=x+B=y`` (the benchmark scripts' way to name a combination of
    switches), refused with a message unless every item is ``NAME=value``.

    Examples
    --------
    >>> setting_env("DELTAPROOF_CHUNKED_OUT=parallel+DELTAPROOF_CHUNKED_LAUNCH=wy_warps=8,scan_bv=32")
    {'DELTAPROOF_CHUNKED_OUT': 'parallel', 'DELTAPROOF_CHUNKED_LAUNCH': 'wy_warps=8,scan_bv=32'}
    """
    pairs = [item.partition("=") for item in text.split("+")]
    if any(not sep or not name for name, sep, _ in pairs):
        raise SystemExit(f"setting {text!r}: expected VAR=x+VAR2=y")
    return {name: val for name, _, val in pairs}


def apply_setting(settings, setting):
    """Make the environment ``setting``'s (``A=x+B=y``; None: no switch set) after unsetting every variable that any
    of ``settings`` names, so each setting of a comparison runs alone whatever ran before it.

    Examples
    --------
    >>> import os
    >>> apply_setting(["DELTAPROOF_EXAMPLE_A=1", "DELTAPROOF_EXAMPLE_B=2"], "DELTAPROOF_EXAMPLE_A=1")
    >>> os.environ["DELTAPROOF_EXAMPLE_A"], "DELTAPROOF_EXAMPLE_B" in os.environ
    ('1', False)
    >>> apply_setting(["DELTAPROOF_EXAMPLE_A=1"], None)
    >>> "DELTAPROOF_EXAMPLE_A" in os.environ
    False
    """
    for name in {name for s in settings for name in setting_env(s)}:
        os.environ.pop(name, None)
    if setting is not None:
        os.environ.update(setting_env(setting))


def time_ms(fn, smoke=False, warmup=5, rep=100):
    """Median ms of ``triton.testing.do_bench(fn)``; with ``smoke``, one call timed on the host (CPU test runs of
    the GPU scripts)."""
    if smoke:
        t0 = time.perf_counter()
        fn()
        return (time.perf_counter() - t0) * 1e3
    import triton.testing

    return float(triton.testing.do_bench(fn, warmup=warmup, rep=rep, return_mode="median"))


def rel(a, r):
    return float((a.double() - r.double()).abs().max() / r.double().abs().max().clamp_min(1e-30))


def run_inputs(x, n, backend, **kw):
    """``deltaproduct`` on an inputs dict of :func:`make_inputs` (q, k, v, beta, g, initial_state; None is absent)."""
    return deltaproduct(
        x["q"],
        x["k"],
        x["v"],
        x["beta"],
        num_householder=n,
        g=x["g"],
        initial_state=x["initial_state"],
        backend=backend,
        **kw,
    )


def cast_inputs(inp, dtype):
    """An inputs dict of :func:`make_inputs` detached and cast for a run in ``dtype``: q, k, v, beta to ``dtype``;
    the gates and the initial state keep their (fp32) type except in a float64 run."""
    keep = torch.float64 if dtype == torch.float64 else None
    return {
        key: (
            None
            if x is None
            else x.detach().to(dtype if key not in ("g", "initial_state") else (keep or x.dtype))
        )
        for key, x in inp.items()
    }


def run_with_grads(inp, n, backend, dtype, do, dht, **kw):
    """Outputs and input gradients of ``sum(o * do) + sum(ht * dht)``; with ``dht`` None no final state is asked
    for, so nothing flows back from one (the kernels' no-final-state path)."""
    xs = {key: None if x is None else x.requires_grad_() for key, x in cast_inputs(inp, dtype).items()}
    o, ht = run_inputs(xs, n, backend, output_final_state=dht is not None, **kw)
    loss = (o.double() * do).sum()
    if dht is not None:
        loss = loss + (ht.double() * dht).sum()
    loss.backward()
    out = {"o": o, "ht": ht} if dht is not None else {"o": o}
    for key, x in xs.items():
        if x is not None:
            out["d" + key] = x.grad
    return out


T0 = time.time()


def check(args):
    """Relative max error of each backend against the float64 reference, on the GPU."""
    rows = []
    _SAVE["result"]["check"] = dict(rows=rows)
    B, T, H, K, V = (2, 300, 4, 64, 64) if args.check_shape == "small" else (1, 512, 2, 128, 128)
    for n in args.check_n_h or args.n_h:
        for gated in args.gated:
            inp = make_inputs(B, T, H, K, V, n, torch.float32, gated)
            gen = torch.Generator(device="cpu").manual_seed(1)
            do = torch.randn(B, T, H, V, generator=gen, dtype=torch.float64).cuda()
            dht = torch.randn(B, H, K, V, generator=gen, dtype=torch.float64).cuda()
            ref = run_with_grads(inp, n, "reference", torch.float64, do, dht)
            for dname, dtype in DT.items():
                if dname not in args.check_dtypes:
                    continue
                cases = [("chunked", {})] + ([("recurrent", {})] if args.check_recurrent else [])
                if dname == "fp32" and args.check_tf32:
                    cases.append(("chunked", {"precision": "tf32"}))
                if dname != "fp32" and fla_available() and args.fla:
                    cases.append(("fla", {}))
                for backend, kw in cases:
                    label = backend + ("-tf32" if kw else "")
                    try:
                        if backend == "recurrent":
                            with torch.no_grad():
                                xi = {
                                    kk: (
                                        None
                                        if x is None
                                        else (x.to(dtype) if kk not in ("g", "initial_state") else x)
                                    )
                                    for kk, x in inp.items()
                                }
                                o, ht = run_inputs(xi, n, "recurrent", output_final_state=True)
                            res = {"o": o, "ht": ht}
                        else:
                            res = run_with_grads(inp, n, backend, dtype, do, dht, **kw)
                        errs = {key: rel(res[key], ref[key]) for key in res if res[key] is not None}
                    except Exception as exc:  # report, do not hide
                        errs = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
                    row = dict(n_h=n, gated=gated, dtype=dname, backend=label, **errs)
                    row["elapsed_s"] = round(time.time() - T0, 1)
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                    save_partial()
    return dict(
        shape=dict(B=B, T=T, H=H, K=K, V=V),
        metric="max|x-ref| / max|ref| per tensor, ref = float64",
        rows=rows,
    )


def bench_one(fn, rep_ms):
    import triton.testing

    torch.cuda.synchronize()
    return float(triton.testing.do_bench(fn, warmup=25, rep=rep_ms, return_mode="median"))


def _profiled(fn, iters):
    """A ``torch.profiler`` record of the device activity of ``iters`` calls of ``fn``, after one warm-up call."""
    from torch.profiler import ProfilerActivity, profile

    fn()
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(iters):
            fn()
        torch.cuda.synchronize()
    return prof


def profile_kernels(fn, iters=5, top=12):
    """Device time per call of each kernel (microseconds, the ``top`` largest), from ``torch.profiler``."""
    prof = _profiled(fn, iters)
    times = {}
    for evt in prof.key_averages():
        t = getattr(evt, "device_time_total", None)
        t = getattr(evt, "cuda_time_total", 0.0) if t is None else t
        if t > 0:
            times[evt.key] = round(t / iters, 1)
    return dict(sorted(times.items(), key=lambda kv: -kv[1])[:top])


def fla_fused_recurrent_fn(inp, n, gated):
    """fla's only fp32 path on the inputs of :func:`make_inputs` (fp32): ``fused_recurrent_delta_rule`` (gated:
    ``fused_recurrent_gated_delta_rule``) on the interleaved stream of ``T * n`` rows, q nonzero only on each
    token's last row, the gate only on its first. Returns a no-argument function that runs it."""
    B, T, H, K = inp["q"].shape
    qi = torch.zeros(B, T, n, H, K, device=inp["q"].device)
    qi[:, :, n - 1] = inp["q"]
    qi = qi.reshape(B, T * n, H, K)
    if gated:
        from fla.ops.gated_delta_rule import fused_recurrent_gated_delta_rule as fr

        gi = torch.zeros(B, T, n, H, device=inp["q"].device)
        gi[:, :, 0] = inp["g"]
        gi = gi.reshape(B, T * n, H)
        return lambda: fr(qi, inp["k"], inp["v"], g=gi, beta=inp["beta"], scale=K**-0.5)
    from fla.ops.delta_rule import fused_recurrent_delta_rule as fr

    return lambda: fr(qi, inp["k"], inp["v"], inp["beta"], scale=K**-0.5)


def launch_times(launches, iters):
    """Per-launch mean times from ``launches``, a start-ordered list of ``(name, microseconds)`` covering ``iters``
    calls that each launched the same sequence; a name launched more than once per call gets ``name#1``,
    ``name#2``, ... in launch order. None if the list does not split into ``iters`` equal sequences.

    Examples
    --------
    >>> launch_times([("wy", 3.0), ("scan", 5.0), ("wy", 1.0), ("wy", 5.0), ("scan", 7.0), ("wy", 2.0)], 2)
    {'wy#1': 4.0, 'scan': 6.0, 'wy#2': 1.5}
    >>> launch_times([("a", 1.0), ("b", 1.0), ("b", 1.0), ("a", 1.0)], 2) is None
    True
    """
    from collections import Counter

    per = len(launches) // iters if iters > 0 else 0
    names = [name for name, _ in launches[:per]]
    if (
        per == 0
        or len(launches) % iters
        or any([name for name, _ in launches[j * per : (j + 1) * per]] != names for j in range(iters))
    ):
        return None
    counts, seen, out = Counter(names), Counter(), {}
    for i, name in enumerate(names):
        seen[name] += 1
        key = name if counts[name] == 1 else f"{name}#{seen[name]}"
        out[key] = round(sum(launches[j * per + i][1] for j in range(iters)) / iters, 1)
    return out


def profile_launches(fn, iters=5):
    """Device time of each kernel launch of one call of ``fn`` in launch order (microseconds, mean over ``iters``
    calls), from ``torch.profiler``: :func:`launch_times` of its device events, so a kernel launched more than once
    per call (the split WY kernel's two phases) gets one key per launch, where :func:`profile_kernels` sums them.
    Falls back to :func:`profile_kernels` (with a ``"_fallback"`` key saying why) if the calls did not launch the
    same sequence."""
    from torch.autograd import DeviceType

    prof = _profiled(fn, iters)
    evts = sorted(
        (e for e in prof.events() if e.device_type == DeviceType.CUDA), key=lambda e: e.time_range.start
    )
    out = launch_times([(e.name, e.time_range.elapsed_us()) for e in evts], iters)
    if out is None:
        return {"_fallback": f"{len(evts)} device events over {iters} calls", **profile_kernels(fn, iters)}
    return out


def peak_mem(fn):
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    fn()
    torch.cuda.synchronize()
    return (torch.cuda.max_memory_allocated() - base) / 2**20


def bench(args):
    B, T, H, K, V = (8, 4096, 16, 128, 128) if not args.quick else (4, 2048, 16, 128, 128)
    rows = []
    _SAVE["result"]["bench"] = dict(rows=rows)
    for n in args.n_h:
        for gated in args.gated:
            inp = make_inputs(B, T, H, K, V, n, torch.bfloat16, gated, h0=False)
            do = torch.randn(B, T, H, V, device="cuda", dtype=torch.bfloat16)
            row = dict(n_h=n, gated=gated, dtype="bf16")
            ref = None
            if args.bench_check:  # forward error at the benchmark shape, against a float64 loop on the GPU
                with torch.no_grad():
                    x64 = {kk: (None if x is None else x.double()) for kk, x in inp.items()}
                    ref = run_inputs(x64, n, "reference")[0]
                    if not args.fp32_only:
                        o16 = run_inputs(inp, n, "chunked")[0]
                        row["chunked_fwd_relerr_vs_fp64"] = rel(o16, ref)

            def call(backend, grad, inp=inp, n=n, do=do):
                xs = {kk: (None if x is None else x.detach().requires_grad_(grad)) for kk, x in inp.items()}
                o, _ = run_inputs(xs, n, backend)
                if grad:
                    o.backward(do)
                return o

            for backend in ("chunked", "fla"):
                if args.fp32_only or (backend == "fla" and (not fla_available() or not args.fla)):
                    continue
                for grad in (False, True):
                    key = f"{backend}_{'fwdbwd' if grad else 'fwd'}"
                    try:
                        if not grad:
                            with torch.no_grad():
                                row[key + "_ms"] = bench_one(lambda: call(backend, False), args.rep)
                                row[key + "_peak_MiB"] = peak_mem(lambda: call(backend, False))
                        else:
                            row[key + "_ms"] = bench_one(lambda: call(backend, True), args.rep)
                            row[key + "_peak_MiB"] = peak_mem(lambda: call(backend, True))
                        if args.profile:  # where the time goes, kernel by kernel (README §4)
                            with torch.set_grad_enabled(grad):
                                row[key + "_kernels_us"] = profile_kernels(lambda: call(backend, grad))
                    except Exception as exc:
                        row[key + "_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            for key in ("fwd", "fwdbwd"):
                if f"chunked_{key}_ms" in row and f"fla_{key}_ms" in row:
                    row[f"speedup_{key}"] = row[f"fla_{key}_ms"] / row[f"chunked_{key}_ms"]
            row["elapsed_s"] = round(time.time() - T0, 1)
            if not args.fp32_only:
                print(json.dumps(row), flush=True)
                rows.append(row)
                save_partial()
            if not args.fp32 or (gated and not args.fp32_gated):
                continue
            # fp32: chunked (ieee, tf32, tf32x3) and recurrent vs fla's fused recurrent delta rule on the interleaved
            # stream (its only fp32 path)
            inp32 = {kk: (None if x is None else x.float()) for kk, x in inp.items()}
            r32 = dict(n_h=n, gated=gated, dtype="fp32")
            ours = [
                (f"chunked_{prec}", {"backend": "chunked", "precision": prec})
                for prec in args.fp32_precisions
            ]
            if args.fp32_recurrent:
                ours.append(("recurrent", {"backend": "recurrent"}))
            for name, kw in ours:
                try:
                    with torch.no_grad():
                        r32[f"{name}_fwd_ms"] = bench_one(
                            lambda kw=kw, x=inp32, n=n: run_inputs(x, n, **kw), args.rep
                        )
                        r32[f"{name}_fwd_peak_MiB"] = peak_mem(
                            lambda kw=kw, x=inp32, n=n: run_inputs(x, n, **kw)
                        )
                        if ref is not None:
                            r32[f"{name}_fwd_relerr_vs_fp64"] = rel(run_inputs(inp32, n, **kw)[0], ref)
                except Exception as exc:
                    r32[f"{name}_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            if fla_available() and args.fla:
                try:
                    f = fla_fused_recurrent_fn(inp32, n, gated)
                    with torch.no_grad():
                        r32["fla_fused_recurrent_fwd_ms"] = bench_one(f, args.rep)
                        r32["fla_fused_recurrent_fwd_peak_MiB"] = peak_mem(f)
                    for name, _ in ours:
                        if f"{name}_fwd_ms" in r32:
                            # speedup_ieee, speedup_tf32, speedup_tf32x3, speedup_recurrent
                            key = "speedup_" + name.removeprefix("chunked_")
                            r32[key] = r32["fla_fused_recurrent_fwd_ms"] / r32[f"{name}_fwd_ms"]
                except Exception as exc:
                    r32["fla_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            r32["elapsed_s"] = round(time.time() - T0, 1)
            print(json.dumps(r32), flush=True)
            rows.append(r32)
            save_partial()
    return dict(
        shape=dict(B=B, T=T, H=H, K=K, V=V),
        timing="triton.testing.do_bench median (ms)",
        peak="torch.cuda.max_memory_allocated during one call minus allocated before (MiB)",
        rows=rows,
    )


def require_fla(wanted: bool) -> None:
    """Stop with one line on stderr (exit 2) when ``--require-fla`` is given and fla's chunked DeltaProduct does not
    import: on the H200 fla-core comes from the git-ignored ``.whl`` folder (``make wheels``), and a script run
    without it would otherwise time our kernels alone and leave the ratio column empty (session 16, call 1).

    >>> require_fla(False)  # not asked for: nothing to check
    """
    if wanted and not fla_available():
        print(
            "benchmarks/kernels.py: --require-fla: fla.ops.gated_delta_product does not import "
            "(expected fla-core==0.6.0; on the GPU machine install it from .whl, which `make wheels` fills)",
            file=sys.stderr,
        )
        sys.exit(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-h", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--skip-check", action="store_true")
    ap.add_argument("--skip-bench", action="store_true")
    ap.add_argument("--check-n-h", type=int, nargs="+", default=None, help="n_h values of the check")
    ap.add_argument("--check-dtypes", nargs="+", default=list(DT), choices=list(DT))
    ap.add_argument(
        "--check-shape",
        choices=["small", "bench-slice"],
        default="small",
        help="small: B2 T300 H4 K=V=64; bench-slice: B1 T512 H2 K=V=128 (same kernels as the bench)",
    )
    ap.add_argument("--gated", type=lambda x: x == "1", nargs="+", default=[False, True], help="0 and/or 1")
    ap.add_argument("--no-fla", dest="fla", action="store_false", help="skip fla's ops")
    ap.add_argument(
        "--require-fla",
        action="store_true",
        help="exit 2 unless fla's kernels import (so the ratios are there)",
    )
    ap.add_argument("--no-fp32", dest="fp32", action="store_false", help="skip the fp32 speed rows")
    ap.add_argument("--no-recurrent-check", dest="check_recurrent", action="store_false")
    ap.add_argument("--no-tf32-check", dest="check_tf32", action="store_false")
    ap.add_argument("--fp32-gated", action="store_true", help="also time fp32 for gated runs")
    ap.add_argument("--fp32-only", action="store_true", help="skip the bf16 rows (fp32 rows only)")
    ap.add_argument(
        "--no-fp32-recurrent",
        dest="fp32_recurrent",
        action="store_false",
        help="leave the recurrent backend out of the fp32 rows",
    )
    ap.add_argument(
        "--fp32-precisions",
        nargs="+",
        default=["ieee", "tf32", "tf32x3"],
        choices=["ieee", "tf32", "tf32x3"],
        help="the chunked backend's fp32 dot precisions the fp32 rows time",
    )
    ap.add_argument("--bench-check", action="store_true", help="forward error vs float64 at the bench shape")
    ap.add_argument("--rep", type=int, default=100, help="do_bench rep (ms)")
    ap.add_argument(
        "--profile", action="store_true", help="also record device time per kernel (torch.profiler)"
    )
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "kernels_h200.json"))
    args = ap.parse_args()
    require_fla(args.require_fla)
    if not torch.cuda.is_available():
        sys.exit("benchmarks/kernels.py needs a CUDA device")
    import triton

    try:
        import fla

        fla_version = getattr(fla, "__version__", "unknown")
    except Exception:
        fla_version = None
    result = dict(
        gpu=torch.cuda.get_device_name(),
        torch=torch.__version__,
        triton=triton.__version__,
        fla=fla_version,
        python=platform.python_version(),
        command=" ".join(sys.argv),
        started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        # chunked backward form (kernels.chunked._Config.bwd): unset = split for bf16/fp16, fused for fp32
        chunked_backward=os.environ.get("DELTAPROOF_CHUNKED_BWD", "default"),
    )
    _SAVE.update(path=args.out, result=result)
    if not args.skip_check:
        result["check"] = check(args)
        save_partial()
    if not args.skip_bench:
        result["bench"] = bench(args)
    result["finished"] = True
    save_partial()
    print("wrote", args.out)


if __name__ == "__main__":
    main()
