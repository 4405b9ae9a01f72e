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
    captions = {"atlas_error_vs_length.png": "State error against length per format (log scale)",
                "atlas_horizon_vs_nh.png": "First failing length against n_h, per group and format",
                "atlas_min_nh_heatmap.png": "Exact verdicts per group and n_h; the minimal n_h outlined"}
    for path in plots:
        name = os.path.basename(path)
        lines += [f"**{captions.get(name, 'Reachable states of a small construction (networkx)')}**", "",
                  f"![{name}]({name})", ""]
    return "\n".join(lines) + "\n"


def _save(fig, path: str) -> None:
    from verify.atomic import write_atomic

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    write_atomic(path, buf.getvalue())


def verdict_heatmap(atlas: dict, out: str) -> str:
    """Groups x n_h coloured by the exact verdict (refuted / proved / unknown), minimal n_h outlined."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap

    code = {"refuted": 0, "unknown": 1, "proved": 2}
    groups, nhs = atlas["groups"], atlas["n_h"]
    M = np.full((len(groups), len(nhs)), 1)
    for row in atlas["rows"]:
        M[groups.index(row["group"]), nhs.index(row["n_h"])] = code.get(row["cells"]["exact"]["status"], 1)
    fig, ax = plt.subplots(figsize=(1.2 + 0.9 * len(nhs), 0.9 + 0.38 * len(groups)))
    ax.imshow(M, cmap=ListedColormap(["#d9534f", "#cccccc", "#5cb85c"]), vmin=0, vmax=2, aspect="auto")
    for i, g in enumerate(groups):
        for j, k in enumerate(nhs):
            ax.text(j, i, {0: "refuted", 1: "unknown", 2: "proved"}[int(M[i, j])], ha="center", va="center", fontsize=7)
        first = next((j for j in range(len(nhs)) if M[i, j] == 2), None)
        if first is not None:
            ax.add_patch(plt.Rectangle((first - 0.5, i - 0.5), 1, 1, fill=False, lw=2, color="k"))
    ax.set_xticks(range(len(nhs)), [str(k) for k in nhs])
    ax.set_yticks(range(len(groups)), groups)
    ax.set_xlabel("n_h (Householder steps per token)")
    ax.set_title(f"One layer, exact arithmetic: verdict per group and n_h\n(outlined: minimal n_h)  "
                 f"[{atlas.get('command') or 'deltaproof atlas'}]", fontsize=8)
    p = os.path.join(out, "atlas_min_nh_heatmap.png")
    _save(fig, p)
    plt.close(fig)
    return p


def reachable_state_graph(spec: str, n_h: int, out: str) -> str | None:
    """The reachable states of a small proved construction and the generators' transitions (networkx)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    from automata import group
    from theory.prover import prove

    G = group(spec)
    r = prove(G, n_h)
    if r.verdict != "proved" or G.order > 48:
        return None
    c = r.construction
    graph = nx.DiGraph()
    for g in range(G.order):
        graph.add_node(g)
    for g in range(G.order):
        for s in G.generators:
            graph.add_edge(g, G.mul(g, s), letter=G.cycle_notation(s))
    pos = nx.spring_layout(graph, seed=0)  # numpy only (kamada_kawai would need scipy)
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    colors = [f"C{i}" for i in range(len(G.generators))]
    for i, s in enumerate(G.generators):
        edges = [(u, v) for u, v, d in graph.edges(data=True) if d["letter"] == G.cycle_notation(s)]
        nx.draw_networkx_edges(graph, pos, edgelist=edges, edge_color=colors[i], ax=ax, arrows=True,
                               connectionstyle="arc3,rad=0.08")
    F = c.field
    labels = {g: "(" + ",".join(F.to_str(x[0]) if F.is_rational(x[0]) else f"{float(F.to_float(x[0], 6)):.2f}"
                                for x in c.decoder[g][2]) + ")" for g in range(G.order)}
    nx.draw_networkx_nodes(graph, pos, node_size=900, node_color="#eeeeee", edgecolors="k", ax=ax)
    nx.draw_networkx_labels(graph, pos, labels=labels, font_size=6, ax=ax)
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], color=colors[i], label=f"letter {G.cycle_notation(s)}")
                       for i, s in enumerate(G.generators)], fontsize=7, loc="upper left")
    ax.set_title(f"{G.spec}, n_h={n_h}, {r.representation} representation: the {G.order} reachable exact states\n"
                 f"(node = state h = rho(g) h_0, edges = generator letters)", fontsize=8)
    ax.axis("off")
    p = os.path.join(out, f"reachable_{G.spec}_nh{n_h}.png")
    _save(fig, p)
    plt.close(fig)
    return p


def atlas_plots(atlas: dict, out: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cmd = atlas.get("command") or "deltaproof atlas"
    L = atlas["params"]["length"]
    paths = []
    formats = [f for f in atlas["formats"] if f != "exact"]
    if not formats:
        return paths
    colors = {g: f"C{i % 10}" for i, g in enumerate(atlas["groups"])}

    # 1. error against length, only for cells without an exact-in-format proof (proved cells have zero error)
    fig, axes = plt.subplots(1, len(formats), figsize=(4.0 * len(formats), 3.6), squeeze=False, sharey=True)
    seen = {}
    for ax, fmt in zip(axes[0], formats):
        n_proved = 0
        for row in atlas["rows"]:
            c = row["cells"].get(fmt, {})
            if c.get("status") == "proved":
                n_proved += 1
            curve = (c.get("measured") or {}).get("error_curve")
            if c.get("status") != "measured" or not curve:
                continue
            (ln,) = ax.plot(curve["t"], [max(y, 1e-18) for y in curve["max_rel_error"]], marker=".",
                            color=colors[row["group"]], alpha=0.35 + 0.65 * (row["n_h"] == min(
                                r["n_h"] for r in atlas["rows"] if r["group"] == row["group"]
                                and r["cells"].get(fmt, {}).get("status") == "measured")))
            seen.setdefault(row["group"], ln)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{fmt}  ({n_proved} cells proved exact in format, not drawn)", fontsize=8)
        ax.set_xlabel("sequence length t (tokens)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("max over batch |S_t - D_target| / |h_0|")
    if seen:
        fig.legend(list(seen.values()), [f"{g} (faint: larger n_h)" for g in seen], loc="upper center",
                   ncol=min(6, len(seen)), fontsize=7, bbox_to_anchor=(0.5, -0.06))
    fig.suptitle(f"State error vs length, cells without a proof in that format   [{cmd}]", fontsize=9)
    p = os.path.join(out, "atlas_error_vs_length.png")
    _save(fig, p)
    plt.close(fig)
    paths.append(p)

    # 2. horizon against n_h: measured median first failure (filled; triangle = none up to L), predicted
    # typical (hollow), exact-in-format proof (star on the 'proved' line)
    fig, axes = plt.subplots(1, len(formats), figsize=(4.0 * len(formats), 3.8), squeeze=False, sharey=True)
    top = 10.0 ** (len(str(L)) + 2)
    for ax, fmt in zip(axes[0], formats):
        for row in atlas["rows"]:
            c = row["cells"].get(fmt, {})
            x, col = row["n_h"] + 0.05 * (atlas["groups"].index(row["group"]) - len(atlas["groups"]) / 2), colors[row["group"]]
            if c.get("status") == "proved":
                ax.plot(x, top, marker="*", color=col, ms=8, linestyle="none")
            elif c.get("status") == "measured":
                fail = (c.get("measured") or {}).get("first_failure_median")
                ax.plot(x, L if fail is None else fail, marker="^" if fail is None else "o", color=col,
                        linestyle="none")
                typ = (c.get("predicted") or {}).get("typical")
                if typ is not None:
                    ax.plot(x, min(typ, top / 10), marker="o", mfc="none", color=col, linestyle="none")
        ax.axhline(L, color="k", lw=0.8, ls="--")
        ax.axhline(top, color="g", lw=0.6, ls=":")
        ax.set_yscale("log")
        ax.set_xticks(atlas["n_h"])
        ax.set_title(fmt, fontsize=9)
        ax.set_xlabel("n_h (Householder steps per token)")
        ax.grid(True, alpha=0.3)
    axes[0][0].set_ylabel("first failing length (tokens)")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="*", color="k", linestyle="none", label="proved in format (no failure)"),
               Line2D([], [], marker="o", color="k", linestyle="none", label="measured median first failure"),
               Line2D([], [], marker="^", color="k", linestyle="none", label=f"no failure up to L = {L} (dashed)"),
               Line2D([], [], marker="o", mfc="none", color="k", linestyle="none", label=f"predicted typical (drawn at most {top / 10:.0e})")]
    handles += [Line2D([], [], marker="s", color=colors[g], linestyle="none", label=g) for g in atlas["groups"]]
    fig.legend(handles=handles, loc="upper center", ncol=6, fontsize=7, bbox_to_anchor=(0.5, -0.06))
    fig.suptitle(f"Horizon vs n_h per group and format   [{cmd}]", fontsize=9)
    p = os.path.join(out, "atlas_horizon_vs_nh.png")
    _save(fig, p)
    plt.close(fig)
    paths.append(p)
    if "exact" in atlas["formats"]:
        paths.append(verdict_heatmap(atlas, out))
    for spec, k in (("S3", 2), ("S4", 2)):
        if spec in atlas["groups"]:
            g = reachable_state_graph(spec, k, out)
            if g:
                paths.append(g)
    return paths
