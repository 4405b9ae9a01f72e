"""Reference-backend horizons of the unit-key constructions, on the CPU, in two rounding semantics.

``python benchmarks/horizons_reference_cpu.py`` writes ``benchmarks/results/horizons_reference_cpu.json``
(atomically, after each configuration): S5 (n_h 4), S4, A5, Z5 (n_h 2) with unit keys in bf16 and fp16, 16 seeded
words each, (i) rounding after every operation (``round_each_op``, length 3000) and (ii) an fp32 state with inputs
in the format (length 12000: the recurrent kernel's semantics without the chunked kernel's 16-bit intermediates),
next to the predictions. The chunked and fla rows are in horizons_h200.json. About 4 minutes on 2 cores.
"""

from __future__ import annotations

import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from verify.atomic import write_json_atomic  # noqa: E402
from verify.horizon import horizon  # noqa: E402

CONFIGS = [(g, n, f) for f in ("bf16", "fp16") for g, n in (("S5", 4), ("S4", 2), ("A5", 2), ("Z5", 2))]


def main() -> int:
    import torch

    out = os.path.join("benchmarks", "results", "horizons_reference_cpu.json")
    env = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs", "torch": torch.__version__,
           "command": "python benchmarks/horizons_reference_cpu.py"}
    results = []
    for round_each_op, length in ((True, 3000), (False, 12000)):
        for g, n_h, fmt in CONFIGS:
            t0 = time.perf_counter()
            r = horizon(g, n_h, fmt, backend="reference", keys="unit", length=length, batch=16, device="cpu",
                        seed=0, prove_format=False, round_each_op=round_each_op)
            r["wall_s"] = round(time.perf_counter() - t0, 1)
            results.append(r)
            m, p = r["measured"], r["predicted"]
            print(g, n_h, fmt, "round_each_op" if round_each_op else "fp32 state", "pred", p["worst"],
                  p["typical"], "measured", m["first_failure_min"], m["first_failure_median"],
                  m["fraction_tracked"], flush=True)
            write_json_atomic(out, {"environment": env, "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
