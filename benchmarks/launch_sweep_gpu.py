"""GPU sweep of the chunked backend's launch geometry (``DELTAPROOF_CHUNKED_LAUNCH``: warps, stages, V blocks).

Run from the repository root on the GPU, one phase and n_h per process (so a launch that faults cannot take the
other measurements with it)::

    PYTHONPATH=. python3 benchmarks/launch_sweep_gpu.py OUT.json fwd|bwd N_H [SETTING ...] [--dtype fp32 --precision tf32x3]

``--summary FILE...`` prints one line per result file. (On a CPU, ``TRITON_INTERPRET=1 ... --smoke`` runs a tiny shape with one timed call per setting, to test the script.)

Each SETTING is a ``DELTAPROOF_CHUNKED_LAUNCH`` value (``key=value,key=value``; the empty string is the defaults,
always measured first). At the benchmark shape (B=8, T=4096, H=16, K=V=128, ungated, initial state; bf16 unless
``--dtype`` says otherwise, ``--precision`` for fp32's dots):

- ``fwd``: the forward without autograd (inputs that do not require grad, as in kernels/README.md §4's table);
- ``bwd``: forward+backward with gradients of q, k, v, beta.

For every setting: the largest difference from the defaults' output (and gradients, ``bwd``), relative to the
defaults' largest magnitude, and whether it is bitwise equal; then median ``triton.testing.do_bench`` times with the
settings alternated over two rounds. A setting that fails to compile or launch is recorded with its error. The
JSON is rewritten atomically after each measurement.
"""

import importlib.util
import json
import os
import statistics
import sys
import time

import torch
import triton

sys.path.insert(0, ".")

_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

VAR = "DELTAPROOF_CHUNKED_LAUNCH"


def _timer(fn):
    """One timed call (ms), the --smoke stand-in for do_bench."""
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3


def main(out, phase, n, settings, dtype="bf16", precision="ieee", smoke=False):
    settings = [""] + [s for s in settings if s]
    res = {
        **bench.run_record(
            "launch_sweep_gpu.py", ["OUT.json", *sys.argv[2:]], gpu="cpu (smoke)" if smoke else None
        ),
        "phase": phase,
        "n_h": n,
        "shape": f"B=8 T=4096 H=16 K=V=128 {dtype}, ungated, initial state",
        "dtype": dtype,
        "precision": precision,
        "timing": "do_bench median ms (rep 150), settings alternated, two rounds",
        "check": {},
        "rows": [],
    }
    shape, device = ((1, 40, 1, 16, 16), "cpu") if smoke else ((8, 4096, 16, 128, 128), "cuda")
    inp = bench.make_inputs(*shape, n, bench.DT[dtype], False, device=device)
    sync = (lambda: None) if smoke else torch.cuda.synchronize
    if phase == "bwd":
        inp = {k: (x.requires_grad_(k != "initial_state") if x is not None else None) for k, x in inp.items()}
    do = torch.randn_like(inp["q"])
    grads = [x for k, x in inp.items() if x is not None and k != "initial_state"]

    def run():
        return bench.run_inputs(inp, n, "chunked", precision=precision)[0]

    def fwd_bwd():
        run().backward(do)

    def values():
        if phase == "fwd":
            with torch.no_grad():
                return {"o": run()}
        for x in grads:
            x.grad = None
        o = run()
        o.backward(do)
        return {
            "o": o.detach(),
            **{f"d{k}": x.grad.clone() for k, x in inp.items() if x is not None and x.grad is not None},
        }

    ok = []
    base = None
    for s in settings:
        os.environ[VAR] = s
        try:
            got = values()
            sync()
        except Exception as exc:  # a compile or launch failure of this setting is a result, not a crash
            res["check"][s] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
            print(json.dumps({s: res["check"][s]}), flush=True)
            bench.write_json(out, res)
            if not s:
                raise
            continue
        if base is None:
            base = got
        row = {
            key: {"rel_diff": bench.rel(got[key], base[key]), "equal": bool(torch.equal(got[key], base[key]))}
            for key in base
        }
        row["finite"] = all(bool(torch.isfinite(v).all()) for v in got.values())
        res["check"][s] = row
        print(json.dumps({s: row}), flush=True)
        bench.write_json(out, res)
        if row["finite"]:
            ok.append(s)
        del got
    for rnd in range(2):
        for s in ok:
            os.environ[VAR] = s
            if smoke:
                ms = _timer(run if phase == "fwd" else fwd_bwd)
            elif phase == "fwd":
                with torch.no_grad():
                    ms = triton.testing.do_bench(run, warmup=25, rep=150, return_mode="median")
            else:
                ms = triton.testing.do_bench(
                    fwd_bwd, warmup=25, rep=150, return_mode="median", grad_to_none=grads
                )
            row = {"setting": s, "round": rnd, "ms": round(float(ms), 4)}
            res["rows"].append(row)
            print(json.dumps(row), flush=True)
            bench.write_json(out, res)
    os.environ.pop(VAR, None)


def summary(paths):
    """One line per result file: the defaults' mean time, each setting's mean time over it, and which settings
    gave bitwise the defaults' values (``--summary FILE...``, used by the benchmarks/gpu_session*.sh scripts)."""
    for path in sorted(paths):
        with open(path) as fh:
            d = json.load(fh)
        times = {}
        for r in d["rows"]:
            times.setdefault(r["setting"], []).append(r["ms"])
        base = statistics.mean(times.get("", [float("nan")]))
        ratios = {s: round(statistics.mean(v) / base, 3) for s, v in times.items() if s}
        same = {
            s: all(v["equal"] for v in c.values() if isinstance(v, dict))
            for s, c in d["check"].items()
            if s and "error" not in c
        }
        failed = [s for s, c in d["check"].items() if "error" in c or not c.get("finite", True)]
        print(os.path.basename(path), f"default {base:.3f}", ratios, "bitwise:", same, "failed:", failed)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--summary"]:
        summary(sys.argv[2:])
        raise SystemExit(0)
    argv, opts = [a for a in sys.argv[1:] if a != "--smoke"], {"smoke": "--smoke" in sys.argv}
    for flag, choices in (("--dtype", ("bf16", "fp16", "fp32")), ("--precision", ("ieee", "tf32", "tf32x3"))):
        if flag in argv:
            i = argv.index(flag)
            if i + 1 >= len(argv) or argv[i + 1] not in choices:
                raise SystemExit(f"{flag}: expected one of {choices}")
            opts[flag[2:]] = argv[i + 1]
            del argv[i : i + 2]
    if len(argv) < 3 or argv[1] not in ("fwd", "bwd"):
        raise SystemExit(__doc__)
    main(argv[0], argv[1], int(argv[2]), argv[3:], **opts)
