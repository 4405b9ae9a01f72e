"""The recurrent backend's backward on the GPU: gradients against float64, then fp32 forward+backward time next to
fla's fp32 path and the chunked backend at fp32 accuracy.

Why: the recurrent backend was forward-only; fp32 training at fp32 accuracy ran through ``chunked`` with
``precision="tf32x3"`` (or the slower ``ieee``). fla's only fp32 path is ``fused_recurrent_delta_rule`` on the
interleaved stream of T * n_h rows (kernels/README.md §4); its backward is the comparison.

Run from the repository root on the GPU, fla-core installed::

    PYTHONPATH=. python3 benchmarks/recurrent_bwd_gpu.py OUT.json [--n-h 1 2 3 4] [--gated 0 1] \
        [--no-check] [--no-time] [--chunked tf32x3 ieee] [--ieee-n-h 2] [--profile] [--cross-check] \
        [SETTING ...]

Check (per n_h and gate): B=1 T=256 H=2 K=V=128 with an initial state and a final-state cotangent (neither with
``--no-state``); every output
and gradient of ``recurrent`` (fp32 and bf16 inputs) and, ungated, of fla's fused recurrent kernel (fp32; o, dq,
dk, dv, dbeta, dh0 mapped back from the interleaved stream) against a float64 run of the reference, largest error
over largest magnitude. Time: B=8 T=4096 H=16 K=V=128 fp32 (or ``--dtype bf16``), no initial state (as ``benchmarks/kernels.py``), the
loss ``sum(o * do)``; median of ``triton.testing.do_bench`` (rep 100 ms), fla timed first; peak memory of one
forward+backward (``torch.cuda.max_memory_allocated`` minus what was allocated before). ``chunked`` runs the
precisions of ``--chunked`` (``ieee`` only at the n_h of ``--ieee-n-h``: ~0.3 s per call). Each SETTING
(``A=x+B=y``) re-times ours under those switches. The JSON is rewritten atomically after every row. On a CPU:
``TRITON_INTERPRET=1 ... --smoke`` (tiny shapes, host timing, no fla) tests the script.
"""

import argparse
import importlib.util
import json
import os
import sys
import time

import torch

sys.path.insert(0, ".")

_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

T0 = time.time()


def _interleave(inp, n, gated, grad):
    """fla's view of the inputs: q on each token's last row, the gate on its first, as leaves."""
    B, T, H, K = inp["q"].shape
    qi = torch.zeros(B, T, n, H, K, device=inp["q"].device, dtype=inp["q"].dtype)
    qi[:, :, n - 1] = inp["q"].detach()
    out = {
        "q": qi.reshape(B, T * n, H, K),
        "k": inp["k"].detach().clone(),
        "v": inp["v"].detach().clone(),
        "beta": inp["beta"].detach().clone(),
        "initial_state": None if inp["initial_state"] is None else inp["initial_state"].detach().clone(),
    }
    if gated:
        gi = torch.zeros(B, T, n, H, device=inp["q"].device)
        gi[:, :, 0] = inp["g"].detach()
        out["g"] = gi.reshape(B, T * n, H)
    return {key: (None if x is None else x.requires_grad_(grad)) for key, x in out.items()}


def fla_call(inp, n, gated, grad, do=None, dht=None):
    """fla's fused recurrent kernel on the interleaved stream; with ``grad`` also its backward. Returns the
    outputs and gradients mapped back to our layout."""
    B, T, H, K = inp["q"].shape
    x = _interleave(inp, n, gated, grad)
    kw = {"scale": K**-0.5, "initial_state": x["initial_state"], "output_final_state": dht is not None}
    if gated:
        from fla.ops.gated_delta_rule import fused_recurrent_gated_delta_rule as fr

        o, ht = fr(x["q"], x["k"], x["v"], g=x["g"], beta=x["beta"], **kw)
    else:
        from fla.ops.delta_rule import fused_recurrent_delta_rule as fr

        o, ht = fr(x["q"], x["k"], x["v"], x["beta"], **kw)
    o = o.view(B, T, n, H, -1)[:, :, n - 1]
    res = {"o": o, "ht": ht}
    if grad:
        loss = (o.double() * do).sum()
        if dht is not None:
            loss = loss + (ht.double() * dht).sum()
        loss.backward()
        res["dq"] = x["q"].grad.view(B, T, n, H, K)[:, :, n - 1]
        for key in ("k", "v", "beta", "initial_state"):
            if x[key] is not None:
                res["d" + key] = x[key].grad
    return res


def check_rows(args, device):
    shape = (1, 12, 1, 16, 16) if args.smoke else (1, 256, 2, 128, 128)
    rows = []
    for n in args.n_h:
        for gated in args.gated:
            state = not args.no_state
            inp = bench.make_inputs(*shape, n, torch.float32, bool(gated), seed=3, device=device, h0=state)
            gen = torch.Generator().manual_seed(5)
            do = torch.randn(*shape[:3], shape[4], generator=gen, dtype=torch.float64).to(device)
            dht = torch.randn(1, shape[2], shape[3], shape[4], generator=gen, dtype=torch.float64).to(device)
            dht = dht if state else None
            ref = bench.run_with_grads(inp, n, "reference", torch.float64, do, dht)
            row = {"n_h": n, "gated": bool(gated), "shape": dict(zip("BTHKV", shape)), "state": state}
            for dtype in (torch.float32, torch.bfloat16):
                got = bench.run_with_grads(inp, n, "recurrent", dtype, do, dht)
                name = "recurrent_" + ("fp32" if dtype == torch.float32 else "bf16")
                row[name] = {key: bench.rel(got[key], ref[key]) for key in ref}
                row[name]["finite"] = all(
                    bool(torch.isfinite(t).all()) for t in got.values() if t is not None
                )
            if not gated and args.fla and state:
                try:
                    got = fla_call(inp, n, False, True, do, dht)
                    row["fla_fp32"] = {key: bench.rel(got[key], ref[key]) for key in got}
                except Exception as exc:  # noqa: BLE001 - recorded
                    row["fla_fp32"] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


def time_rows(args, device, res, out):
    shape = (1, 40, 2, 16, 16) if args.smoke else (8, 4096, 16, 128, 128)
    named = [s for s in args.settings if s != "default"]
    rows = res["time"]
    for n in args.n_h:
        for gated in args.gated:
            dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[args.dtype]
            inp = bench.make_inputs(*shape, n, dtype, bool(gated), device=device, h0=False)
            do = torch.randn(*shape[:3], shape[4], device=device, dtype=dtype)
            row = {"n_h": n, "gated": bool(gated), "dtype": args.dtype}

            def ours(backend, grad, kw, inp=inp, n=n, do=do):
                xs = {key: (None if x is None else x.detach().requires_grad_(grad)) for key, x in inp.items()}
                with torch.set_grad_enabled(grad):
                    o, _ = bench.run_inputs(xs, n, backend, **kw)
                    if grad:
                        o.backward(do)

            def timed(name, fn, row=row):
                try:
                    row[name + "_ms"] = round(bench.time_ms(fn, args.smoke, warmup=5), 3)
                    if not args.smoke:
                        row[name + "_peak_MiB"] = round(bench.peak_mem(fn), 1)
                except Exception as exc:  # noqa: BLE001 - a run that fails is a result, recorded
                    row[name + "_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"

            if args.fla:
                dof = do.double()
                timed("fla_fwd", lambda inp=inp, n=n, g=gated: fla_call(inp, n, bool(g), False))
                timed("fla_fwdbwd", lambda inp=inp, n=n, g=gated, d=dof: fla_call(inp, n, bool(g), True, d))
            for setting in args.settings:
                bench.apply_setting(named, None if setting == "default" else setting)
                tag = "" if setting == "default" else f"[{setting}]"
                timed(f"recurrent{tag}_fwd", lambda: ours("recurrent", False, {}))
                timed(f"recurrent{tag}_fwdbwd", lambda: ours("recurrent", True, {}))
            bench.apply_setting(named, None)
            if (
                args.cross_check
            ):  # the full shape (index arithmetic past 2^31) against chunked tf32x3's gradients
                dof = do.double()
                got = {}
                for backend, kw in (("recurrent", {}), ("chunked", {"precision": "tf32x3"})):
                    xs = {key: (None if x is None else x.detach().requires_grad_()) for key, x in inp.items()}
                    o, _ = bench.run_inputs(xs, n, backend, **kw)
                    (o.double() * dof).sum().backward()
                    got[backend] = {
                        "o": o.detach(),
                        **{"d" + k: x.grad for k, x in xs.items() if x is not None},
                    }
                    del xs, o
                row["full_shape_rel_diff_vs_chunked_tf32x3"] = {
                    key: bench.rel(t, got["chunked"][key]) for key, t in got["recurrent"].items()
                }
                del got
            if args.profile and not args.smoke:  # where the time goes, kernel by kernel (torch.profiler)
                row["recurrent_fwdbwd_kernels_us"] = bench.profile_kernels(
                    lambda: ours("recurrent", True, {})
                )
            for prec in args.chunked:
                if prec == "ieee" and n not in args.ieee_n_h:
                    continue
                timed(f"chunked_{prec}_fwdbwd", lambda p=prec: ours("chunked", True, {"precision": p}))
            for key in ("fwd", "fwdbwd"):
                if f"fla_{key}_ms" in row and f"recurrent_{key}_ms" in row:
                    row[f"speedup_{key}_vs_fla"] = round(row[f"fla_{key}_ms"] / row[f"recurrent_{key}_ms"], 3)
            for prec in args.chunked:
                if f"chunked_{prec}_fwdbwd_ms" in row and "recurrent_fwdbwd_ms" in row:
                    row[f"speedup_fwdbwd_vs_chunked_{prec}"] = round(
                        row[f"chunked_{prec}_fwdbwd_ms"] / row["recurrent_fwdbwd_ms"], 3
                    )
            row["elapsed_s"] = round(time.time() - T0, 1)
            print(json.dumps(row), flush=True)
            rows.append(row)
            bench.write_json(out, res)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("settings", nargs="*", default=["default"])
    ap.add_argument("--n-h", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--gated", type=int, nargs="+", default=[0, 1], choices=[0, 1])
    ap.add_argument("--no-check", dest="check", action="store_false")
    ap.add_argument("--no-time", dest="time", action="store_false")
    ap.add_argument("--chunked", nargs="*", default=["tf32x3"], choices=["ieee", "tf32", "tf32x3"])
    ap.add_argument("--ieee-n-h", type=int, nargs="*", default=[2])
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument(
        "--dtype",
        choices=["fp32", "bf16"],
        default="fp32",
        help="the timed inputs' dtype (fla's fused recurrent kernel takes the same; chunked: fp32 only)",
    )
    ap.add_argument(
        "--no-state", action="store_true", help="check without an initial state or a final-state cotangent"
    )
    ap.add_argument(
        "--profile", action="store_true", help="per-kernel device times of ours (default settings)"
    )
    ap.add_argument(
        "--cross-check",
        action="store_true",
        help="outputs and gradients at the timed shape against chunked tf32x3",
    )
    a = ap.parse_args()
    a.settings = a.settings or ["default"]
    if a.dtype != "fp32":
        a.chunked = []  # precision= applies to fp32 inputs only
    if "default" not in a.settings:
        a.settings = ["default", *a.settings]
    device = "cpu" if a.smoke else "cuda"
    a.fla = not a.smoke and bench.fla_available()
    res = {
        **bench.run_record(
            "recurrent_bwd_gpu.py", ["OUT.json", *sys.argv[2:]], gpu="cpu (smoke)" if a.smoke else None
        ),
        "fla_timed": a.fla,
        "timing": "host-timed single call (smoke)" if a.smoke else "do_bench median ms, rep 100",
        "check": [],
        "time": [],
    }
    if a.check:
        res["check"] = check_rows(a, device)
        bench.write_json(a.out, res)
    if a.time:
        time_rows(a, device, res, a.out)
    bench.write_json(a.out, res)


if __name__ == "__main__":
    main()
