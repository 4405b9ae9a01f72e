"""``deltaproof table``: minimal n_h per group of the catalog, and whether a construction attaining it is proved.

``min_n_h`` and ``dim`` come from the character-theory side (:mod:`theory.minimal`: one layer, letters = all
elements, exactly orthogonal transitions, faithful real representation). ``proved`` says whether
:func:`theory.prover.prove` returns ``proved`` at ``n_h = min_n_h`` with a built-in representation, and
``rational`` whether that proved construction has all entries in QQ (integer keys and dyadic effective betas
follow, which matters in finite precision). ``rational_characters`` says whether the attaining real irreducibles
have rational character values (necessary, not sufficient, for a rational orthogonal realisation).
"""

from __future__ import annotations

from collections.abc import Sequence

from automata import group
from automata.catalog import CATALOG

__all__ = ["build_table", "format_table", "table_row"]


def table_row(name: str, spec: str) -> dict:
    from theory.characters import character_table
    from theory.errors import GroupTooLarge
    from theory.minimal import min_nh_faithful
    from theory.prover import prove

    G = group(spec)
    try:
        table = character_table(G.perm_group)
    except GroupTooLarge as exc:
        raise GroupTooLarge(f"group: {G.spec} is too large for the character-table method ({exc})") from None
    res = min_nh_faithful(table)
    r = prove(G, res.min_n_h)
    proved = r.verdict == "proved"
    rational = bool(proved and r.construction is not None and r.construction.field.is_rational_field)
    return {
        "group": name, "spec": G.spec, "order": G.order, "min_n_h": res.min_n_h, "dim": res.dim,
        "proved": proved, "rational": rational, "proved_representation": r.representation if proved else None,
        "proved_dim": r.dim if proved else None, "rational_characters": res.rational,
        "irreps": [f"{k}:{d}" for k, d in zip(res.kinds, res.degrees)],
    }


def build_table(groups: Sequence[str] | None = None) -> list[dict]:
    """Rows for the catalog (or the given catalog names / group specs)."""
    if groups:
        lookup = dict(CATALOG)
        items = [(g, lookup.get(g, g)) for g in groups]
    else:
        items = list(CATALOG)
    return [table_row(name, spec) for name, spec in items]


def format_table(rows: list[dict]) -> str:
    head = f"{'group':<10} {'order':>5} {'min_n_h':>7} {'dim':>3}  {'proved':<6} {'via':<40} {'rational':<8}"
    lines = [head, "-" * len(head)]
    for r in rows:
        via = f"{r['proved_representation']} (d={r['proved_dim']})" if r["proved"] else "-"
        lines.append(f"{r['group']:<10} {r['order']:>5} {r['min_n_h']:>7} {r['dim']:>3}  "
                     f"{'yes' if r['proved'] else 'no':<6} {via:<40} {'yes' if r['rational'] else 'no':<8}")
    return "\n".join(lines)
