"""The ``deltaproof`` command line (also ``python -m verify``).

Every subcommand takes ``--json`` and then prints exactly one JSON object on stdout. Exit status: 0 when the
command ran (whatever the verdict), 1 when a checked object is invalid (``check``), 2 for bad input (one line on
stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from theory.errors import ExactnessError, InvalidInput
from verify.atomic import write_json_atomic

__all__ = ["main"]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse would print the usage block too)
        raise _UsageError(f"{self.prog}: {message}")


def _positive_int(name):
    def conv(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name}: expected an integer >= 1, got {text!r}") from None
        if v < 1:
            raise argparse.ArgumentTypeError(f"{name}: expected an integer >= 1, got {v}")
        return v
    return conv


def _csv(kind):
    def conv(text):
        try:
            return [kind(x) for x in text.split(",") if x.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {kind.__name__}, got {text!r}") \
                from None
    return conv


def _train_options(p) -> None:
    p.add_argument("--beta-max", type=float, default=2.0, help="beta = beta_max * sigmoid: 2 -> [-1, 1] eigenvalues")
    p.add_argument("--steps", type=_positive_int("--steps"), default=2000)
    p.add_argument("--batch", type=_positive_int("--batch"), default=512)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--train-length", type=_positive_int("--train-length"), default=128)
    p.add_argument("--test-length", type=_positive_int("--test-length"), default=512)
    p.add_argument("--eval-size", type=_positive_int("--eval-size"), default=1000)
    p.add_argument("--eval-every", type=_positive_int("--eval-every"), default=250)
    p.add_argument("--ckpt-every", type=_positive_int("--ckpt-every"), default=250)
    p.add_argument("--d-model", type=_positive_int("--d-model"), default=128)
    p.add_argument("--heads", type=_positive_int("--heads"), default=8)
    p.add_argument("--head-dim", type=_positive_int("--head-dim"), default=32)
    p.add_argument("--dtype", default=None, choices=["bfloat16", "float16", "float32"],
                   help="precision of the recurrence (default: bfloat16 on CUDA, float32 on the CPU)")
    p.add_argument("--backend", default="auto", choices=["auto", "reference", "chunked", "fla"])
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--time-budget", type=float, default=None, help="stop a run after this many seconds of training")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--json", action="store_true")


def _train_config(a, group: str, n_h: int, beta_max: float):
    from verify.learn.train import TrainConfig

    import torch

    dtype = a.dtype or ("bfloat16" if a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available())
                        else "float32")
    return TrainConfig(group=group, n_h=n_h, beta_max=beta_max, steps=a.steps, batch=a.batch, lr=a.lr, seed=a.seed,
                       train_length=a.train_length, test_length=a.test_length, eval_size=a.eval_size,
                       eval_every=a.eval_every, ckpt_every=a.ckpt_every, d_model=a.d_model, heads=a.heads,
                       head_dim=a.head_dim, dtype=dtype, backend=a.backend, device=a.device,
                       time_budget=a.time_budget, init_from=getattr(a, "init_from", None))


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="deltaproof", description="Exact constructions, proofs and refutations for DeltaProduct.")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    pr = sub.add_parser("prove", help="prove or refute that one layer with n_h steps tracks a group")
    pr.add_argument("group", nargs="?", help="group spec: S5, A5, Z12, D6, Q8, A4xZ5, 'perm:(0 1 2),(0 1)'")
    pr.add_argument("--dfa", help="a DFA file (JSON, DESIGN.md schema) instead of a group")
    pr.add_argument("--task", help="a built-in regular-language task instead of a group: parity, mod5, flip_flop, "
                    "even_pairs, cycle_navigation, mod_arith, s5_swaps, s<n>_limit_<l>")
    pr.add_argument("--nh", type=_positive_int("--nh"), required=True, help="Householder steps per token (>= 1)")
    pr.add_argument("--layers", type=_positive_int("--layers"), default=None,
                    help="number of layers (groups: 1; automata: at most this many, default unlimited)")
    pr.add_argument("--letters", choices=["all", "generators"], default="all")
    pr.add_argument("--rep", default="auto", help="representation name or 'auto'")
    pr.add_argument("--beta-max", default="2", help="upper end of the beta range, exact (default 2)")
    pr.add_argument("--out", help="write the certificate JSON to this file (atomically)")
    pr.add_argument("--json", action="store_true")

    ch = sub.add_parser("check", help="re-verify a certificate or a hand-written construction file")
    ch.add_argument("file")
    ch.add_argument("--json", action="store_true")

    hz = sub.add_parser("horizon", help="predict and measure how long a construction tracks in a float format")
    hz.add_argument("group")
    hz.add_argument("--nh", type=_positive_int("--nh"), required=True)
    hz.add_argument("--format", required=True, choices=["bf16", "fp16", "fp32", "fp64"])
    hz.add_argument("--backend", default="reference", choices=["reference", "recurrent", "chunked", "fla"])
    hz.add_argument("--keys", default="auto", choices=["auto", "unit", "integer"])
    hz.add_argument("--length", type=_positive_int("--length"), default=1000)
    hz.add_argument("--batch", type=_positive_int("--batch"), default=16)
    hz.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    hz.add_argument("--seed", type=int, default=0)
    hz.add_argument("--json", action="store_true")

    tr = sub.add_parser("train", help="train a one-layer DeltaProduct model on a group word problem (resumable)")
    tr.add_argument("--group", required=True, help="group spec, e.g. S3, S4, A5, S5")
    tr.add_argument("--nh", type=_positive_int("--nh"), required=True, help="Householder steps per token")
    _train_options(tr)
    tr.add_argument("--init-from", default=None, metavar="MODEL_PT",
                    help="start from these weights (another run's model.pt) instead of the seeded initialisation")
    tr.add_argument("--out", default=None, help="run folder (default runs/<group>_nh<n>_beta<b>_seed<s>)")
    tr.add_argument("--fresh", action="store_true", help="discard a checkpoint or result already in --out")

    ls = sub.add_parser("learn-sweep", help="train groups x n_h x beta range; write reports/learning.*")
    ls.add_argument("--groups", type=_csv(str), default=["S3", "S4", "A5", "S5"])
    ls.add_argument("--nh", type=_csv(int), default=[1, 2, 3, 4])
    ls.add_argument("--beta-maxes", type=_csv(float), default=[2.0], help="comma list, each in (0, 2]")
    ls.add_argument("--contrast", type=_csv(str), default=["S3:1"],
                    help="GROUP:BETA_MAX pairs also run for every n_h (default S3:1, the [0, 1] contrast)")
    _train_options(ls)
    ls.add_argument("--jobs", type=_positive_int("--jobs"), default=1, help="runs at once (processes)")
    ls.add_argument("--runs-dir", default=os.path.join("runs", "learning"))
    ls.add_argument("--out", default="reports", help="folder for learning.json, learning.md, learning.png")

    at = sub.add_parser("atlas", help="groups x n_h x formats: proofs, refutations and measured horizons")
    at.add_argument("--groups", nargs="+", default=None, help="group specs (default: a CPU-sized subset)")
    at.add_argument("--nh", nargs="+", type=_positive_int("--nh"), default=[1, 2, 3, 4])
    at.add_argument("--formats", nargs="+", default=None, choices=["exact", "fp64", "fp32", "fp16", "bf16"])
    at.add_argument("--backend", default="reference", choices=["reference", "recurrent", "chunked", "fla"])
    at.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    at.add_argument("--length", type=_positive_int("--length"), default=None)
    at.add_argument("--batch", type=_positive_int("--batch"), default=8)
    at.add_argument("--seed", type=int, default=0)
    at.add_argument("--workers", type=_positive_int("--workers"), default=None)
    at.add_argument("--out", default="reports")
    at.add_argument("--fresh", action="store_true", help="recompute every cell instead of resuming")
    at.add_argument("--json", action="store_true")

    cl = sub.add_parser("claims", help="every checkable claim of THEORY.md with its verdict and evidence")
    cl.add_argument("--json", action="store_true")
    cl.add_argument("--out", default="reports/claims.md", help="where to write the Markdown report")

    tb = sub.add_parser("table", help="minimal n_h for the built-in catalog")
    tb.add_argument("--groups", nargs="*", help="restrict to these catalog names or specs")
    tb.add_argument("--json", action="store_true")
    return p


def _cmd_prove_dfa(a) -> int:
    from automata import DFA, task
    from theory.multilayer import prove_dfa

    if a.dfa and a.task:
        raise InvalidInput("--dfa/--task: give one of them, not both")
    dfa = DFA.from_json(a.dfa) if a.dfa else task(a.task).dfa
    from fractions import Fraction

    try:
        bm = Fraction(a.beta_max)
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(f"--beta-max: expected an exact number in (0, 2], got {a.beta_max!r}") from None
    r = prove_dfa(dfa, a.nh, a.layers, beta_max=bm)
    if a.out:
        write_json_atomic(a.out, r.certificate)
    if a.json:
        print(json.dumps(r.to_json()))
    else:
        d = r.to_json()
        print(f"{a.task or a.dfa}: n_h={a.nh}, layers<={a.layers or 'any'}: {r.verdict.upper()}"
              + (f" via {d.get('method')} ({d.get('layers_used', r.n_layers)} layers, dims {r.dims})"
                 if r.verdict == "proved" else ""))
        for h in r.hypotheses:
            print(f"  - {h}")
        if a.out:
            print(f"  certificate written to {a.out}")
    return 0


def _cmd_prove(a) -> int:
    from automata import group
    from theory.prover import prove

    if a.dfa or a.task:
        if a.group:
            raise InvalidInput("GROUP: give a group, or --dfa/--task, not both")
        return _cmd_prove_dfa(a)
    if not a.group:
        raise InvalidInput("GROUP: expected a group spec such as S5 (or --dfa FILE / --task NAME)")
    G = group(a.group)
    r = prove(G, a.nh, letters=a.letters, rep=a.rep, beta_max=a.beta_max, layers=a.layers or 1)
    if a.out:
        write_json_atomic(a.out, r.certificate)
    if a.json:
        print(json.dumps(r.to_json()))
    else:
        line = f"{r.group} (order {r.order}), n_h={r.n_h}, letters={r.letters}: {r.verdict.upper()}"
        if r.representation:
            line += f" via {r.representation} representation (dim {r.dim})"
        if r.min_n_h is not None:
            line += f"; min n_h = {r.min_n_h}"
        print(line)
        if r.verdict == "proved":
            print(f"  {len(r.certificate.get('reachable', []))} reachable states checked exactly in {r.seconds:.2f} s")
        for h in r.hypotheses:
            print(f"  - {h}")
        if a.out:
            print(f"  certificate written to {a.out}")
    return 0


def _cmd_check(a) -> int:
    from theory.checker import check_file

    rep = check_file(a.file)
    if a.json:
        print(json.dumps(rep.to_json()))
    else:
        print(("VALID: " if rep.valid else "INVALID: ") + rep.message)
        if rep.counterexample is not None:
            print(f"  shortest counterexample word (letter indices): {rep.counterexample}")
    return 0 if rep.valid else 1


def _cmd_horizon(a) -> int:
    from verify.horizon import horizon

    r = horizon(a.group, a.nh, a.format, backend=a.backend, keys=a.keys, length=a.length, batch=a.batch,
                device=a.device, seed=a.seed)
    if a.json:
        print(json.dumps(r))
        return 0
    print(f"{r['group']} n_h={r['n_h']} {r['format']} backend={r['backend']} keys={r['keys']}: "
          f"parameters exact in format: {r['exact_in_format']}")
    if r.get("certificate"):
        print(f"  exact-in-format proof ({r['certificate']['states']} states): {r['certificate']['verdict']} - "
              f"{r['certificate']['message']}")
    p, m = r["predicted"], r["measured"]
    print(f"  predicted first failure: worst {p['worst']}, typical {p['typical']}"
          f"{' (EXPANSIVE: rounded spectral radius > 1)' if p['expansive'] else ''}")
    if m:
        print(f"  measured over {m['batch']} words of length {m['length']}: first failure min {m['first_failure_min']}, "
              f"median {m['first_failure_median']}, fraction tracked to the end {m['fraction_tracked']:.3f}")
    return 0


def _cmd_atlas(a) -> int:
    from verify.atlas import DEFAULT_GROUPS, FORMATS_ALL, run_atlas
    from verify.report import cell_text

    at = run_atlas(a.groups or DEFAULT_GROUPS, a.nh, a.formats or FORMATS_ALL, backend=a.backend, device=a.device,
                   length=a.length, batch=a.batch, seed=a.seed, out=a.out, workers=a.workers, progress=not a.json,
                   fresh=a.fresh)
    if a.json:
        print(json.dumps({"out": a.out, "rows": at["rows"], "params": at["params"]}))
        return 0
    fm = at["formats"]
    print(f"{'group':<8} {'n_h':>3}  " + "  ".join(f"{f:<22}" for f in fm))
    for row in at["rows"]:
        print(f"{row['group']:<8} {row['n_h']:>3}  " + "  ".join(f"{cell_text(row['cells'][f]):<22}" for f in fm))
    print(f"written {a.out}/atlas.md, {a.out}/atlas.json and plots")
    return 0


def _cmd_train(a) -> int:
    from automata import group as make_group
    from verify.learn.sweep import run_name
    from verify.learn.train import train

    cfg = _train_config(a, make_group(a.group).spec, a.nh, a.beta_max)
    cfg.validate()
    out = a.out or os.path.join("runs", run_name(cfg))
    r = train(cfg, out, progress=not (a.no_progress or a.json), fresh=a.fresh)
    if not r["finished"]:  # paused by SIGINT/SIGTERM: the checkpoint is written, the same command resumes
        if a.json:
            print(json.dumps(r))
        else:
            print(f"paused by {r.get('signal', 'request')} after {r['steps_done']}/{cfg.steps} steps; checkpoint in "
                  f"{out}/checkpoint.pt (rerun the same command to resume)")
        return 130
    if a.json:
        print(json.dumps(r))
    else:
        acc = r["accuracy_at"]
        print(f"{r['group']} n_h={r['n_h']} beta<={r['beta_max']:g}: sequence accuracy " +
              ", ".join(f"@{k} {v}" for k, v in sorted(acc.items(), key=lambda kv: int(kv[0])) if v is not None) +
              f"; {r['steps_done']}/{r['steps']} steps ({r['stopped']}); mechanism: "
              f"{r['mechanism'].get('verdict', r['mechanism'].get('error'))}; written {out}/result.json")
    return 0


def _cmd_learn_sweep(a) -> int:
    from automata import group as make_group
    from verify.learn.sweep import plan, run_sweep

    contrast = []
    for item in a.contrast:
        g, sep, b = item.partition(":")
        try:
            contrast.append((make_group(g).spec, float(b)))
        except ValueError:
            raise InvalidInput(f"--contrast: expected GROUP:BETA_MAX items like S3:1, got {item!r}") from None
        if not sep:
            raise InvalidInput(f"--contrast: expected GROUP:BETA_MAX items like S3:1, got {item!r}")
    groups = [make_group(g).spec for g in a.groups]
    proto = _train_config(a, groups[0] if groups else "S3", 1, 2.0)
    over = {k: getattr(proto, k) for k in ("steps", "batch", "lr", "seed", "train_length", "test_length",
                                           "eval_size", "eval_every", "ckpt_every", "d_model", "heads", "head_dim",
                                           "dtype", "backend", "device", "time_budget")}
    if any(not 0 < b <= 2 for b in a.beta_maxes):
        raise InvalidInput(f"--beta-maxes: expected numbers in (0, 2], got {a.beta_maxes}")
    cfgs = plan(groups, a.nh, a.beta_maxes, contrast=contrast, **over)
    res = run_sweep(cfgs, a.runs_dir, a.out, jobs=a.jobs, progress=not (a.no_progress or a.json))
    if a.json:
        print(json.dumps({"out": a.out, "runs": len(res["runs"])}))
    else:
        print(f"written {a.out}/learning.json, {a.out}/learning.md, {a.out}/learning.png ({len(res['runs'])} runs)")
    return 0


def _cmd_claims(a) -> int:
    from verify.claims import main_claims

    return main_claims(a.json, path=a.out)


def _cmd_table(a) -> int:
    from verify.table import build_table, format_table

    rows = build_table(a.groups)
    if a.json:
        print(json.dumps({"rows": rows}))
    else:
        print(format_table(rows))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        a = _build_parser().parse_args(argv)
        return {"prove": _cmd_prove, "check": _cmd_check, "table": _cmd_table,
                "horizon": _cmd_horizon, "atlas": _cmd_atlas, "claims": _cmd_claims,
                "train": _cmd_train, "learn-sweep": _cmd_learn_sweep}[a.cmd](a)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (InvalidInput, ExactnessError) as exc:
        print(f"deltaproof: error: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("deltaproof: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
