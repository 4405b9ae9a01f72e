"""Benchmark: the whole ``deltaproof table`` (character tables, minimal n_h, refutation data and a proof at the
minimum for every catalog group) on this machine. Prints per-group times and writes
``benchmarks/results/table_cpu.json`` atomically. Run: ``.venv/bin/python benchmarks/table.py``."""

from __future__ import annotations

import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from automata.catalog import CATALOG  # noqa: E402
from verify.atomic import write_json_atomic  # noqa: E402
from verify.table import table_row  # noqa: E402


def main() -> int:
    rows, t_all = [], time.perf_counter()
    for name, spec in CATALOG:
        t0 = time.perf_counter()
        row = table_row(name, spec)
        row["seconds"] = round(time.perf_counter() - t0, 3)
        rows.append(row)
        print(f"{name:<10} min_n_h={row['min_n_h']} dim={row['dim']} proved={row['proved']} {row['seconds']:.2f} s",
              flush=True)
    total = time.perf_counter() - t_all
    print(f"total {total:.2f} s for {len(rows)} groups")
    out = {"machine": {"host": platform.node(), "python": platform.python_version(), "cpus": os.cpu_count()},
           "command": "python benchmarks/table.py", "total_seconds": round(total, 3), "rows": rows}
    write_json_atomic(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "table_cpu.json"), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
