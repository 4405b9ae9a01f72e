"""GPU horizons: the same constructions as the atlas, through the Triton kernels at long lengths.

Run on the H200 from the repository root: ``PYTHONPATH=. python3 benchmarks/horizons_gpu.py [OUT.json]``.
Each configuration is independent; results are rewritten atomically after each one (a killed run keeps what it
finished), with GPU name, torch, triton and fla versions, and the exact arguments. Exact-in-format proofs are CPU
work and are not repeated here (see reports/atlas.md).
"""

from __future__ import annotations

import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from verify.atomic import write_json_atomic  # noqa: E402
from kernels.chunked import tm_form  # noqa: E402
from verify.horizon import horizon  # noqa: E402

L = 100_000
CONFIGS = [
    # (group, n_h, format, backend, keys, length, batch)
    ("S5", 4, "bf16", "chunked", "integer", L, 32), ("S5", 4, "fp16", "chunked", "integer", L, 32),
    ("S4", 2, "bf16", "chunked", "integer", L, 32), ("S4", 2, "fp16", "chunked", "integer", L, 32),
    ("S5", 4, "bf16", "chunked", "unit", L, 32), ("S4", 2, "bf16", "chunked", "unit", L, 32),
    ("A5", 2, "bf16", "chunked", "unit", L, 32), ("Z5", 2, "bf16", "chunked", "unit", L, 32),
    ("A5", 2, "fp16", "chunked", "unit", L, 32), ("Z5", 2, "fp16", "chunked", "unit", L, 32),
    ("S5", 4, "fp16", "chunked", "unit", L, 32), ("S4", 2, "fp16", "chunked", "unit", L, 32),
    ("S5", 4, "bf16", "fla", "unit", L, 32), ("A5", 2, "bf16", "fla", "unit", L, 32),
    ("Z5", 2, "bf16", "fla", "unit", L, 32), ("S4", 2, "bf16", "fla", "unit", L, 32),
    ("A5", 2, "bf16", "reference", "unit", 3000, 16), ("Z5", 2, "bf16", "reference", "unit", 3000, 16),
    ("A5", 2, "fp32", "chunked", "unit", L, 32), ("S5", 4, "bf16", "recurrent", "integer", L, 32),
    # 20-23: fla in fp16 (not yet measured: START=20 runs only these)
    ("S5", 4, "fp16", "fla", "unit", L, 32), ("A5", 2, "fp16", "fla", "unit", L, 32),
    ("Z5", 2, "fp16", "fla", "unit", L, 32), ("S4", 2, "fp16", "fla", "unit", L, 32),
]


def main() -> int:
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join("benchmarks", "results", "horizons_h200.json")
    deadline = float(os.environ.get("DEADLINE_S", "280"))
    import torch
    import triton

    try:
        import fla

        fla_version = getattr(fla, "__version__", "unknown")
    except ImportError:
        fla_version = None
    env = {"gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None, "torch": torch.__version__,
           "triton": triton.__version__, "fla": fla_version,
           "command": f"START={os.environ.get('START', '0')} STOP={os.environ.get('STOP', len(CONFIGS))} "
                      "PYTHONPATH=. python3 benchmarks/horizons_gpu.py",
           "chunked_tm": tm_form()}
    results, t_start = [], time.perf_counter()
    start = int(os.environ.get("START", "0"))  # resume a list cut by the deadline: skip the first START configs
    stop = int(os.environ.get("STOP", len(CONFIGS)))  # ... and run only up to STOP (exclusive)
    for g, n_h, fmt, backend, keys, length, batch in CONFIGS[start:stop]:
        if time.perf_counter() - t_start > deadline:
            results.append({"group": g, "n_h": n_h, "format": fmt, "backend": backend, "skipped": "deadline"})
            continue
        t0 = time.perf_counter()
        try:
            r = horizon(g, n_h, fmt, backend=backend, keys=keys, length=length, batch=batch, device="cuda",
                        seed=0, prove_format=False)
        except Exception as exc:  # a failing configuration is a result, recorded with its error
            r = {"group": g, "n_h": n_h, "format": fmt, "backend": backend, "keys": keys,
                 "error": f"{type(exc).__name__}: {exc}"[:500], "trace": traceback.format_exc()[-800:]}
        r["wall_s"] = round(time.perf_counter() - t0, 2)
        results.append(r)
        m = r.get("measured") or {}
        print(f"{g} n_h={n_h} {fmt} {backend} {keys}: first failure min {m.get('first_failure_min')} "
              f"median {m.get('first_failure_median')} tracked {m.get('fraction_tracked')} "
              f"pred {r.get('predicted', {}).get('typical')} {r.get('error', '')[:120]} ({r['wall_s']} s)", flush=True)
        write_json_atomic(out_path, {"environment": env, "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
