"""Whether two settings of the chunked backend compile each launch to the same machine code for the H200 (sm_90).

Run from the repository root, without ``TRITON_INTERPRET`` (nothing runs, no GPU needed)::

    PYTHONPATH=. python benchmarks/sass_identity.py OUT.json --dtype fp32 --n-h 2 \\
        --a precision=tf32x3 --b precision=tf32 DELTAPROOF_CHUNKED_WY_MERGE=blocks

Each side is a list of ``precision=...`` (deltaproduct's fp32 dot mode, ``ieee`` unless given) and ``VAR=value``
switches. Both sides' launches are recorded as :mod:`benchmarks.resources_sm90` records them (one sequence of four
chunks, K and V as given), compiled for sm_90 and disassembled with the ``cuobjdump`` of the Triton wheel; launch i
of one side is compared with launch i of the other, instruction by instruction with the addresses stripped. Why:
a launch that compiles to the same instructions as one timed on the GPU takes that launch's time and values, so a
setting can be judged from the GPU figures of another without device time (session 12: fp32 ``tf32`` with the
blocks merge compiles its inverse launch to the instructions of the ``tf32x3`` one). The JSON (one entry per run,
keyed by ``--label``) is rewritten atomically.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys

import torch

sys.path.insert(0, ".")
_spec = importlib.util.spec_from_file_location(
    "resources_sm90", os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources_sm90.py")
)
res = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(res)

# an instruction line of cuobjdump -sass: "        /*0a30*/  FFMA R4, R5, R6, R4 ;  /* 0x... */"
_ADDR = re.compile(r"/\*[0-9a-f]{4,}\*/")


def instructions(sass: str) -> list[str]:
    """The instruction lines of a ``cuobjdump -sass`` listing, addresses and encodings stripped.

    Examples
    --------
    >>> instructions("  /*0000*/  MOV R1, c[0x0][0x28] ;  /* 0x000a */\\n  /*10a0*/  EXIT ;\\n  .headerflags")
    ['MOV R1, c[0x0][0x28] ;', 'EXIT ;']
    """
    out = []
    for line in sass.splitlines():
        m = _ADDR.search(line)
        if m:
            out.append(re.sub(r"/\*\s*0x[0-9a-f]+\s*\*/", "", line[m.end() :]).strip())
    return out


def side(items: list[str]) -> tuple[str, dict]:
    """``precision=...`` and ``VAR=value`` items of one side: the precision and the switches."""
    precision, env = "ieee", {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise SystemExit(f"--a/--b: expected precision=... or VAR=value, got {item!r}")
        if name == "precision":
            precision = value
        else:
            env[name] = value
    return precision, env


def launches_sass(dtype, n_h, gated, K, V, phase, precision, env) -> list[tuple[str, object, list[str]]]:
    """(kernel name, PHASE, instructions) of every launch of one setting, compiled for sm_90."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        calls, _cfg = res.record_launches(n_h, dtype, gated, K, V, phase, precision)
        out = []
        for fn, _grid, args, kwargs in calls:
            sass = res.cuobjdump(res.compile_sm90(fn, args, kwargs), "-sass")
            out.append((fn.__name__, kwargs.get("PHASE"), instructions(sass)))
        return out
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def compare(a, b) -> list[dict]:
    """Launch-by-launch rows: kernel, phase, instruction counts, identical or not (and the first differing index)."""
    if [(n, p) for n, p, _ in a] != [(n, p) for n, p, _ in b]:
        raise SystemExit(
            f"the two settings launch different kernels: {[n for n, _, _ in a]} / {[n for n, _, _ in b]}"
        )
    rows = []
    for (name, phase, ia), (_, _, ib) in zip(a, b):
        first = next((i for i, (x, y) in enumerate(zip(ia, ib)) if x != y), None)
        if first is None and len(ia) != len(ib):
            first = min(len(ia), len(ib))
        rows.append(
            {
                "kernel": name,
                "PHASE": phase,
                "instructions_a": len(ia),
                "instructions_b": len(ib),
                "identical": first is None,
                "first_difference": first,
            }
        )
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--a", nargs="+", required=True, help="precision=... and VAR=value items of setting a")
    ap.add_argument("--b", nargs="+", required=True, help="precision=... and VAR=value items of setting b")
    ap.add_argument("--n-h", type=int, default=2)
    ap.add_argument("--dtype", choices=("bf16", "fp16", "fp32"), default="bf16")
    ap.add_argument("--gated", action="store_true")
    ap.add_argument("--K", type=int, default=128)
    ap.add_argument("--V", type=int, default=128)
    ap.add_argument("--phase", choices=("fwd", "bwd", "both"), default="fwd")
    ap.add_argument("--label", default=None)
    a = ap.parse_args()
    if os.environ.get("TRITON_INTERPRET"):
        raise SystemExit("unset TRITON_INTERPRET: this compiles the GPU code path")
    import triton

    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[a.dtype]
    args = (dtype, a.n_h, a.gated, a.K, a.V, a.phase)
    rows = compare(launches_sass(*args, *side(a.a)), launches_sass(*args, *side(a.b)))
    for row in rows:
        print(json.dumps(row), flush=True)
    label = a.label or f"{' '.join(a.a)} | {' '.join(a.b)} ({a.dtype} n_h {a.n_h} K {a.K} {a.phase})"
    doc = {}
    if os.path.exists(a.out):
        with open(a.out) as f:
            doc = json.load(f)
    doc.update(target="sm_90 (H100/H200), compiled on a CPU machine", triton=triton.__version__)
    doc.setdefault("runs", {})[label] = {
        "command": "PYTHONPATH=. python benchmarks/sass_identity.py OUT.json " + " ".join(sys.argv[2:]),
        "commit": res._commit(),
        "rows": rows,
    }
    res.load_bench().write_json(a.out, doc)


if __name__ == "__main__":
    main()
