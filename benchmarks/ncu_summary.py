"""Summarise Nsight Compute exports of the chunked kernels: per launch, what the hardware says it cost.

Why: ``benchmarks/gpu_session11.sh`` exports two pages per profile (``--page details`` and ``--page source
--print-source sass``, CSV). They are megabytes of per-instruction rows; what the kernel notes (kernels/README.md
§5-6) need is, per launch, the duration, registers, achieved occupancy, executed instructions and where the warps
stalled (the share of each ``stall_*`` reason in the sampled warp states), and the instructions that drew the most
samples. Nsight Compute's own report viewer does this interactively; nothing reads these CSV pages in batch, so this
is a small hand-written reader (the csv module; gzip-compressed files are read as they are).

Run from the repository root (any machine)::

    python benchmarks/ncu_summary.py OUT.json DETAILS.csv[.gz] SOURCE.csv[.gz] [--label NAME] [--top 8]

Adds one entry under ``--label`` (default: the source file's name) to OUT.json, rewritten atomically. The raw
files of session 11 are in ``benchmarks/results/ncu_s11/`` (n_h 2, bf16, B=8 T=4096 H=16 K=V=128; g0 ungated,
g1 gated; the launches are the WY inverse, the W/U launch and the forward scan, in that order).

Examples
--------
>>> _num("1,234.5"), _num("n/a")
(1234.5, 0.0)
"""

import argparse
import csv
import gzip
import importlib.util
import json
import os

_DETAILS = {
    ("GPU Speed Of Light Throughput", "Duration"): "duration_us",
    ("Launch Statistics", "Registers Per Thread"): "registers",
    ("Launch Statistics", "Block Size"): "threads",
    ("Occupancy", "Achieved Occupancy"): "achieved_occupancy_pct",
    ("Occupancy", "Theoretical Occupancy"): "theoretical_occupancy_pct",
    ("Warp State Statistics", "Warp Cycles Per Issued Instruction"): "warp_cycles_per_issued_instruction",
    ("Compute Workload Analysis", "Executed Ipc Active"): "executed_ipc_active",
}


def _num(text: str) -> float:
    """A number as Nsight Compute prints it (thousands separators allowed); 0.0 for anything else."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return 0.0


def _rows(path: str):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as fh:
        yield from csv.reader(fh)


def details(path: str) -> list[dict]:
    """Per launch (in profile order): kernel name and the metrics of ``_DETAILS``, from a ``--page details`` CSV."""
    rows = _rows(path)
    head = next(rows)
    ix = {name: i for i, name in enumerate(head)}
    out: dict[str, dict] = {}
    for row in rows:
        if len(row) <= ix["Metric Value"]:
            continue
        launch = out.setdefault(row[ix["ID"]], {"kernel": row[ix["Kernel Name"]]})
        key = _DETAILS.get((row[ix["Section Name"]], row[ix["Metric Name"]]))
        if key:
            launch[key] = _num(row[ix["Metric Value"]])
    return [out[k] for k in sorted(out, key=int)]


def source(path: str, top: int = 8) -> list[dict]:
    """Per launch (in profile order): SASS instruction count, sampled warp states in total and by stall reason
    (shares), instructions executed, and the ``top`` instructions by samples, from a ``--page source`` CSV."""
    out = []
    for row in _rows(path):
        if not row:
            continue
        if row[0] == "Kernel Name":
            out.append({"kernel": row[1], "rows": []})
        elif row[0] == "Address":  # each launch has its own header (the columns differ between kernels)
            out[-1]["header"] = {name: i for i, name in enumerate(row)}
        else:
            out[-1]["rows"].append(row)
    summary = []
    for launch in out:
        rows, header = launch["rows"], launch["header"]
        samples = [_num(r[header["Warp Stall Sampling (All Samples)"]]) for r in rows]
        total = sum(samples) or 1.0
        stalls = {
            name[len("stall_") :]: sum(_num(r[i]) for r in rows) / total
            for name, i in header.items()
            if name.startswith("stall_") and "Not Issued" not in name
        }
        order = sorted(range(len(rows)), key=lambda i: -samples[i])[:top]
        summary.append(
            {
                "kernel": launch["kernel"],
                "sass_instructions": len(rows),
                "samples": int(sum(samples)),
                "instructions_executed": sum(_num(r[header["Instructions Executed"]]) for r in rows),
                "stall_share": {
                    k: round(v, 4) for k, v in sorted(stalls.items(), key=lambda kv: -kv[1]) if v
                },
                "top_instructions": [
                    {"index": i, "sass": rows[i][1].strip(), "sample_share": round(samples[i] / total, 4)}
                    for i in order
                ],
            }
        )
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("details")
    ap.add_argument("source")
    ap.add_argument("--label", default=None)
    ap.add_argument("--top", type=int, default=8)
    args = ap.parse_args(argv)
    launches = details(args.details)
    sampled = source(args.source, args.top)
    if [d["kernel"] for d in launches] != [s["kernel"] for s in sampled]:
        raise SystemExit("the details and source pages list different launches: not the same profile")
    # benchmarks/kernels.py's atomic writer (a file import: its module name would shadow the kernels package)
    spec = importlib.util.spec_from_file_location(
        "kernels_bench", os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels.py")
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    res = {}
    if os.path.exists(args.out):
        with open(args.out) as fh:
            res = json.load(fh)
    label = args.label or os.path.basename(args.source)
    res[label] = {
        "files": [args.details, args.source],
        "launches": [{**d, **s} for d, s in zip(launches, sampled, strict=True)],
    }
    bench.write_json(args.out, res)
    for launch in res[label]["launches"]:
        print(
            label,
            launch["kernel"],
            {k: launch.get(k) for k in ("duration_us", "registers", "achieved_occupancy_pct", "samples")},
            list(launch["stall_share"].items())[:4],
        )


if __name__ == "__main__":
    main()
