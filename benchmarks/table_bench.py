"""Benchmark: character tables and minimal n_h over the group catalog.

Run ``python benchmarks/table_bench.py``.  Prints one row per group (order,
classes, min_n_h, dim, rational, kinds, times for the table, the search and
the independent certificate check) and writes
``benchmarks/results/table_bench.json`` atomically (temp file + rename).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from theory.characters import catalog_groups, character_table
from theory.minimal import check_min_nh_certificate, min_nh_certificate, min_nh_faithful

OUT = Path(__file__).resolve().parent / "results" / "table_bench.json"


def main() -> int:
    rows = []
    t_all = time.perf_counter()
    header = (
        f"{'group':10s} {'|G|':>5s} {'r':>3s} {'n_h':>4s} {'dim':>4s} {'rational':>8s}  "
        f"{'table s':>8s} {'search s':>8s} {'check s':>8s}  kinds"
    )
    print(header)
    print("-" * len(header))
    for name, G in catalog_groups().items():
        t0 = time.perf_counter()
        tbl = character_table(G)
        t1 = time.perf_counter()
        res = min_nh_faithful(tbl)
        t2 = time.perf_counter()
        cert = json.loads(json.dumps(min_nh_certificate(tbl)))
        rep = check_min_nh_certificate(cert)
        t3 = time.perf_counter()
        assert (rep.min_n_h, rep.dim) == (res.min_n_h, res.dim)
        row = {
            "group": name,
            "order": tbl.order,
            "classes": tbl.num_classes,
            "min_n_h": res.min_n_h,
            "dim": res.dim,
            "rational": res.rational,
            "kinds": list(res.kinds),
            "degrees": list(res.degrees),
            "table_s": round(t1 - t0, 4),
            "search_s": round(t2 - t1, 4),
            "check_s": round(t3 - t2, 4),
        }
        rows.append(row)
        print(
            f"{name:10s} {tbl.order:5d} {tbl.num_classes:3d} {res.min_n_h:4d} {res.dim:4d} "
            f"{res.rational!s:>8s}  {row['table_s']:8.3f} {row['search_s']:8.3f} {row['check_s']:8.3f}  "
            f"{'+'.join(f'{k}{d}' for k, d in zip(res.kinds, res.degrees)) or '-'}"
        )
    total = time.perf_counter() - t_all
    print(f"total {total:.2f} s for {len(rows)} groups")
    doc = {
        "benchmark": "table_bench",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "total_s": round(total, 3),
        "groups": rows,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=OUT.parent, prefix=".table_bench.", suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
