"""The atlas: groups x n_h x formats, each cell proved, refuted, measured (with prediction) or unknown.

Unit of work: one (group, n_h) pair. It runs the exact prover once and then, for every float format, lowers
the construction (``keys=auto``), tries the exact-in-format proof (groups up to ``max_format_order`` elements),
predicts the horizon and measures it through the chosen backend. Each unit writes
``<out>/cells/<group>__nh<k>.json`` atomically, so an interrupted atlas resumes from what is written (cells are
independent and run in a process pool). At the end ``<out>/atlas.json``, ``<out>/atlas.md`` and PNG plots are
written (temp file + rename for each).

Cell states: ``proved`` (exact certificate, or exact-in-format certificate for float formats), ``refuted``
(certificate), ``measured`` (no proof in that format: predicted and measured first failure), ``unknown``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from theory.errors import InvalidInput
from verify.atomic import write_atomic

__all__ = ["DEFAULT_GROUPS", "FORMATS_ALL", "atlas_cell", "run_atlas"]

FORMATS_ALL = ("exact", "fp64", "fp32", "fp16", "bf16")
DEFAULT_GROUPS = ("Z2", "Z3", "Z5", "Z2xZ2", "S3", "D4", "Q8", "A4", "S4", "A5", "S5")


def _key(group: str, n_h: int) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in group)
    return f"{safe}__nh{n_h}"


def atlas_cell(group: str, n_h: int, formats: Sequence[str], backend: str, device: str, length: int,
               batch: int, seed: int, max_format_order: int) -> dict:
    """All cells of one (group, n_h) pair."""
    from automata import group as make_group
    from theory.prover import prove
    from verify.horizon import horizon

    G = make_group(group)
    t0 = time.perf_counter()
    r = prove(G, n_h)
    cells = {"exact": {"status": r.verdict, "representation": r.representation, "dim": r.dim,
                       "min_n_h": r.min_n_h, "method": r.certificate.get("method"),
                       "theorem": r.certificate.get("theorem"), "seconds": round(r.seconds, 3)}}
    for fmt in formats:
        if fmt == "exact":
            continue
        if r.verdict != "proved":
            # a refutation of exact orthogonal constructions does not transfer automatically to floats;
            # eigenvalue refutations are stated for finite precision already
            if r.certificate.get("method") == "eigenvalue-theorem":
                cells[fmt] = {"status": "refuted", "note": "the eigenvalue theorem is stated for finite precision"}
            else:  # the character-theory refutation is about exact orthogonal constructions only
                cells[fmt] = {"status": "no-construction",
                              "note": f"exact verdict {r.verdict}; nothing to lower (not a finite-precision proof)"}
            continue
        # The Triton kernels have no float64 path: fp64 cells run the reference recurrence on the same device
        cell_backend = "reference" if fmt == "fp64" and backend in ("recurrent", "chunked", "fla") else backend
        h = horizon(group, n_h, fmt, backend=cell_backend, keys="auto", length=length, batch=batch, device=device,
                    seed=seed, prove_format=G.order <= max_format_order)
        cert = h.get("certificate")
        proved = bool(cert and cert["verdict"] == "proved")
        cells[fmt] = {"status": "proved" if proved else "measured", "keys": h["keys"],
                      "exact_in_format": h["exact_in_format"], "format_proof": cert, "predicted": h["predicted"],
                      "measured": h["measured"], "lowering": h.get("lowering"), "backend": cell_backend}
    return {"group": G.spec, "order": G.order, "n_h": n_h, "cells": cells, "backend": backend, "device": device,
            "length": length, "batch": batch, "seed": seed, "seconds": round(time.perf_counter() - t0, 3)}


def _progress(done: int, total: int, label: str) -> None:
    width = 30
    fill = int(width * done / max(total, 1))
    sys.stderr.write(f"\ratlas [{'#' * fill}{'.' * (width - fill)}] {done}/{total} {label:<24}")
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def run_atlas(groups: Sequence[str] = DEFAULT_GROUPS, n_hs: Sequence[int] = (1, 2, 3, 4),
              formats: Sequence[str] = FORMATS_ALL, *, backend: str = "reference", device: str = "cpu",
              length: int | None = None, batch: int = 8, seed: int = 0, out: str = "reports",
              workers: int | None = None, max_format_order: int = 120, progress: bool = True,
              fresh: bool = False) -> dict:
    """Run (or resume) the atlas and write ``atlas.json``, ``atlas.md`` and plots under ``out``.

    Cells already written with the same parameters are reused unless ``fresh`` is true."""
    from automata import group as make_group

    for f in formats:
        if f not in FORMATS_ALL:
            raise InvalidInput(f"formats: expected a subset of {', '.join(FORMATS_ALL)}, got {f!r}")
    if backend not in ("reference", "recurrent", "chunked", "fla"):
        raise InvalidInput(f"backend: expected reference, recurrent, chunked or fla, got {backend!r}")
    if device not in ("cpu", "cuda"):
        raise InvalidInput(f"device: expected 'cpu' or 'cuda', got {device!r}")
    for k in n_hs:
        if not isinstance(k, int) or k < 1:
            raise InvalidInput(f"nh: expected integers >= 1, got {k!r}")
    length = length if length is not None else (256 if device == "cpu" else 100_000)
    if not isinstance(length, int) or length < 1:
        raise InvalidInput(f"length: expected an integer >= 1, got {length!r}")
    specs = [make_group(g).spec for g in groups]  # validates every group spec up front
    cell_dir = os.path.join(out, "cells")
    os.makedirs(cell_dir, exist_ok=True)
    params = dict(formats=tuple(formats), backend=backend, device=device, length=length, batch=batch, seed=seed,
                  max_format_order=max_format_order)
    todo, results = [], {}
    for g in specs:
        for k in n_hs:
            path = os.path.join(cell_dir, _key(g, k) + ".json")
            if os.path.exists(path) and not fresh:
                with open(path) as fh:
                    old = json.load(fh)
                if old.get("params") == json.loads(json.dumps(params)):
                    results[(g, k)] = old
                    continue
            todo.append((g, k))
    total, done = len(specs) * len(n_hs), len(results)
    if progress:
        _progress(done, total, "resumed" if done else "")
    workers = workers or min(2, os.cpu_count() or 1)
    if todo:
        # CUDA work stays in this process (one GPU); CPU cells run in a process pool
        if workers > 1 and device == "cpu":
            with ProcessPoolExecutor(max_workers=workers) as ex:
                futs = {ex.submit(atlas_cell, g, k, **params): (g, k) for g, k in todo}
                for fut in as_completed(futs):
                    g, k = futs[fut]
                    res = fut.result()
                    res["params"] = json.loads(json.dumps(params))
                    write_atomic(os.path.join(cell_dir, _key(g, k) + ".json"), json.dumps(res, indent=1))
                    results[(g, k)] = res
                    done += 1
                    if progress:
                        _progress(done, total, f"{g} n_h={k}")
        else:
            for g, k in todo:
                res = atlas_cell(g, k, **params)
                res["params"] = json.loads(json.dumps(params))
                write_atomic(os.path.join(cell_dir, _key(g, k) + ".json"), json.dumps(res, indent=1))
                results[(g, k)] = res
                done += 1
                if progress:
                    _progress(done, total, f"{g} n_h={k}")
    rows = [results[(g, k)] for g in specs for k in n_hs]
    atlas = {"command": "deltaproof atlas " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["atlas"] else None,
             "params": params, "groups": specs, "n_h": list(n_hs), "formats": list(formats), "rows": rows,
             "environment": _environment(device)}
    write_atomic(os.path.join(out, "atlas.json"), json.dumps(atlas, indent=1))
    from verify.report import atlas_markdown, atlas_plots

    plots = atlas_plots(atlas, out)
    write_atomic(os.path.join(out, "atlas.md"), atlas_markdown(atlas, plots))
    return atlas


def _environment(device: str) -> dict:
    import platform

    env = {"python": platform.python_version(), "host": platform.node(), "cpus": os.cpu_count()}
    try:
        import torch
        import triton

        env.update(torch=torch.__version__, triton=triton.__version__)
        if device == "cuda" and torch.cuda.is_available():
            env["gpu"] = torch.cuda.get_device_name(0)
    except ImportError:  # pragma: no cover
        pass
    return env
