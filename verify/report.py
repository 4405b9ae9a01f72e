"""Markdown tables and matplotlib plots for the atlas.

Plots are written as PNG (temp file + rename): the measured error against length per format (log scale), and the
measured first failure against n_h per group. Every plot carries axis labels, units, a legend and the command
that made it.
"""

from __future__ import annotations

import io
import os

__all__ = ["atlas_markdown", "atlas_plots", "cell_text"]

_SHORT = {"proved": "P", "refuted": "R", "unknown": "?", "measured": "M"}


def cell_text(cell: dict) -> str:
    s = cell["status"]
    if s != "measured":
        return {"proved": "proved", "refuted": "refuted", "unknown": "unknown",
                "no-construction": "no construction"}.get(s, s)
    m, p = cell.get("measured") or {}, cell.get("predicted") or {}
    fail = m.get("first_failure_median")
    meas = f">{m.get('length')}" if fail is None else str(fail)
    pred = "never" if p.get("typical") is None else _short_int(p["typical"])
    flag = " EXP" if p.get("expansive") else ""
    return f"meas {meas} / pred {pred}{flag}"


def _short_int(n: int) -> str:
    return str(n) if n < 10**6 else f"{n:.1e}"


def atlas_markdown(atlas: dict, plots: list[str]) -> str:
    fm = atlas["formats"]
    p = atlas["params"]
    lines = [
        "# deltaproof atlas", "",
        f"Command: `{atlas.get('command') or 'deltaproof atlas'}`  ",
        f"Backend `{p['backend']}` on `{p['device']}`, words of length {p['length']}, batch {p['batch']}, seed "
        f"{p['seed']}. Environment: {atlas['environment']}.", "",
        "Cells: `proved` = exact certificate (column exact) or exact-in-format certificate (float columns, "
        "sequential round-after-every-op semantics); `refuted` = certificate; `meas A / pred B` = no proof in that "
        "format: median first failing length measured (`>L` = none up to L) and predicted typical horizon; "
        "`EXP` = a rounded transition has spectral radius > 1; `no construction` = the exact column is refuted by "
        "character theory (a statement about exact orthogonal constructions) or unknown, so nothing is lowered; "
        "`unknown` = neither.", "",
        "| group | n_h | " + " | ".join(fm) + " |", "|---|---|" + "---|" * len(fm),
    ]
    for row in atlas["rows"]:
        cells = [cell_text(row["cells"][f]) if f in row["cells"] else "-" for f in fm]
        lines.append(f"| {row['group']} | {row['n_h']} | " + " | ".join(cells) + " |")
    lines += ["", "Details per cell (certificates, lowering reports, error curves) are in `atlas.json` and `cells/`.",
              ""]
    for path in plots:
        lines.append(f"![{os.path.basename(path)}]({os.path.basename(path)})")
    return "\n".join(lines) + "\n"


def _save(fig, path: str) -> None:
    from verify.atlas import _write_atomic

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    _write_atomic(path, buf.getvalue())


def atlas_plots(atlas: dict, out: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cmd = atlas.get("command") or "deltaproof atlas"
    paths = []
    formats = [f for f in atlas["formats"] if f != "exact"]
    if formats:
        fig, axes = plt.subplots(1, len(formats), figsize=(4.2 * len(formats), 3.6), squeeze=False, sharey=True)
        for ax, fmt in zip(axes[0], formats):
            for row in atlas["rows"]:
                c = row["cells"].get(fmt, {})
                curve = (c.get("measured") or {}).get("error_curve")
                if not curve:
                    continue
                ys = [max(y, 1e-18) for y in curve["max_rel_error"]]
                ax.plot(curve["t"], ys, marker=".", label=f"{row['group']} n_h={row['n_h']} ({c.get('keys')})")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_title(fmt)
            ax.set_xlabel("sequence length t (tokens)")
            ax.grid(True, which="both", alpha=0.3)
        axes[0][0].set_ylabel("max over batch of |S_t - D_target| / |h_0|")
        handles, labels = axes[0][0].get_legend_handles_labels()
        for ax in axes[0][1:]:
            h, l = ax.get_legend_handles_labels()
            handles += [hh for hh, ll in zip(h, l) if ll not in labels]
            labels += [ll for ll in l if ll not in labels]
        if handles:
            fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=7, bbox_to_anchor=(0.5, -0.25))
        fig.suptitle(f"State error vs length (floor 1e-18 = exact)   [{cmd}]", fontsize=9)
        p = os.path.join(out, "atlas_error_vs_length.png")
        _save(fig, p)
        plt.close(fig)
        paths.append(p)

        fig, ax = plt.subplots(figsize=(6.5, 4))
        L = atlas["params"]["length"]
        for gi, g in enumerate(atlas["groups"]):
            for fi, fmt in enumerate(formats):
                xs, ys = [], []
                for row in atlas["rows"]:
                    if row["group"] != g:
                        continue
                    c = row["cells"].get(fmt, {})
                    if c.get("status") in ("proved", "measured"):
                        fail = (c.get("measured") or {}).get("first_failure_median")
                        xs.append(row["n_h"] + 0.06 * (fi - len(formats) / 2))
                        ys.append(L if fail is None else fail)
                if xs:
                    ax.plot(xs, ys, marker="os^dv"[fi % 5], linestyle="none", color=f"C{gi % 10}",
                            label=f"{g} {fmt}")
        ax.axhline(L, color="k", lw=0.8, ls="--")
        ax.text(0.8, L * 1.1, f"tracked to the end (L = {L})", fontsize=7)
        ax.set_yscale("log")
        ax.set_xlabel("n_h (Householder steps per token)")
        ax.set_ylabel("median first failing length (tokens)")
        ax.set_title(f"Horizon vs n_h   [{cmd}]", fontsize=9)
        ax.legend(fontsize=6, ncol=3)
        ax.grid(True, alpha=0.3)
        p = os.path.join(out, "atlas_horizon_vs_nh.png")
        _save(fig, p)
        plt.close(fig)
        paths.append(p)
    return paths
