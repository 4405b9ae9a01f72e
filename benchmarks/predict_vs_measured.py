"""Predicted horizons (both rounding semantics) next to the horizons measured on the H200.

CPU only: ``python benchmarks/predict_vs_measured.py [RESULTS.json ...]`` (default: horizons_h200.json and
horizons_reference_cpu.json). Re-lowers each
measured configuration, predicts with the ``sequential`` model (state rounded after every operation) and with the
model of the backend that was measured (``verify.predict.SEMANTICS``), and writes
``benchmarks/results/predict_vs_measured.json`` (atomically) plus a markdown table on stdout.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from automata import group  # noqa: E402
from theory import prove  # noqa: E402
from verify.atomic import write_json_atomic  # noqa: E402
from verify.lower import lower  # noqa: E402
from verify.predict import SEMANTICS, predict  # noqa: E402


def main() -> int:
    srcs = sys.argv[1:] or [os.path.join("benchmarks", "results", f) for f in
                            ("horizons_h200.json", "horizons_reference_cpu.json")]
    measured = []
    for src in srcs:
        with open(src) as f:
            measured += json.load(f)["results"]
    rows = []
    for r in measured:
        if r.get("keys") != "unit" or "measured" not in r:
            continue
        c = prove(group(r["group"]), r["n_h"]).construction
        low = lower(c, r["format"], keys="unit")
        seq = predict(low, semantics="sequential")
        sem = "fp32-state" if r.get("round_each_op") is False else SEMANTICS[r["backend"]]
        own = predict(low, semantics=sem)
        m = r["measured"]
        backend = r["backend"] + (", fp32 state" if r.get("round_each_op") is False else "") + \
            (f", Tm {r['chunked_tm']}" if r.get("chunked_tm") else "") + f" ({r['measured']['device']})"
        rows.append({"group": r["group"], "n_h": r["n_h"], "format": r["format"], "backend": backend,
                     "length": m["length"], "words": m["batch"],
                     "sequential_worst": seq["worst"], "sequential_typical": seq["typical"],
                     "backend_semantics": own["semantics"], "backend_worst": own["worst"],
                     "backend_typical": own["typical"], "expansive": own["expansive"],
                     "measured_min": m["first_failure_min"], "measured_median": m["first_failure_median"]})
    write_json_atomic(os.path.join("benchmarks", "results", "predict_vs_measured.json"),
                      {"sources": srcs, "command": "python benchmarks/predict_vs_measured.py", "rows": rows})
    f = lambda v, L: f">{L}" if v is None else str(v)  # noqa: E731
    print("| group | n_h | fmt | backend | sequential model worst / typical | backend model worst / typical | "
          "measured min / median |")
    print("|---|---|---|---|---|---|---|")
    for x in rows:
        print(f"| {x['group']} | {x['n_h']} | {x['format']} | {x['backend']} | {x['sequential_worst']} / "
              f"{x['sequential_typical']} | {x['backend_worst']} / {x['backend_typical']} ({x['backend_semantics']}"
              f"{', EXP' if x['expansive'] else ''}) | {f(x['measured_min'], x['length'])} / "
              f"{f(x['measured_median'], x['length'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
