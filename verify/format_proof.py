"""Exact-in-format proofs: the sequential recurrence with rounding after every operation, emulated exactly.

Semantics (those of ``kernels`` backend ``reference`` with ``round_each_op=True``; storage format ``F``,
accumulation format ``acc`` = fp32 for bf16/fp16 storage, else ``F``; ``rd`` rounds an exact intermediate first
to ``acc`` and then to ``F``, exactly as ``x.to(acc)`` followed by ``.to(storage)`` does)::

    S = S0 (in F)
    per step (k, beta, v):  bk = rd(beta * k)                 elementwise
                            p  = rd(sum_i k_i S_i.)           a reduction accumulated in acc
                            S  = rd(S - rd(bk p^T))
                            S  = rd(S + rd(bk v^T))

A reduction's result depends on the summation order unless every partial sum is exact in ``acc``. The proof
therefore checks, for every reduction it performs, a sufficient condition: all terms are exact products in
``acc``, and with ``2^m`` the largest power of two dividing every term, ``sum |terms| < 2^(m + p_acc)``; then
every partial sum in every order is exact and the result is order-independent. If the condition fails anywhere,
no proof is claimed (verdict ``order-dependent``).

The search: breadth-first over (rounded state, group element) from ``(S0, e)``. If it closes and every state
decodes (exact argmax against the exact decoder) to its element, the lowered construction tracks the group for
every length *under these semantics*. It says nothing about the chunked kernel, which reassociates sums.

Examples
--------
>>> from automata import group
>>> from theory import prove
>>> c = prove(group("S4"), n_h=2).construction
>>> r = prove_in_format(c, group("S4"), "bf16", keys="integer")
>>> r.verdict, r.states
('proved', 24)
>>> prove_in_format(c, group("S4"), "bf16", keys="unit").verdict    # rounding snaps states back
'proved'
>>> prove_in_format(prove(group("Z5"), n_h=2).construction, group("Z5"), "bf16", max_states=500).verdict
'no-proof'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from automata.groups import Group
from theory.construction import Construction
from theory.search import explore
from verify.formats import FORMATS, Format, FormatOverflow, round_to
from verify.lower import LoweredConstruction, lower

__all__ = ["SEMANTICS", "FormatProof", "prove_in_format"]

SEMANTICS = ("sequential recurrence, reference backend with round_each_op=True: every elementwise result rounded "
             "to the storage format (through the accumulation format), reductions accumulated exactly (checked) "
             "then rounded; not the chunked kernel's reassociated sums")


@dataclass
class FormatProof:
    """Outcome of :func:`prove_in_format`."""

    verdict: str  # proved | counterexample | no-proof | order-dependent | overflow
    format: str
    keys: str
    states: int
    message: str
    counterexample: list | None = None
    lowered: LoweredConstruction | None = None
    certificate: dict = field(default_factory=dict)


def _acc(fmt: Format) -> Format:
    return FORMATS["fp32"] if fmt.name in ("bf16", "fp16") else fmt


class _OrderDependent(Exception):
    pass


def _make_ops(fmt: Format):
    acc = _acc(fmt)

    def rd(x: Fraction) -> Fraction:
        return round_to(round_to(x, acc), fmt)

    def exact_sum(terms: list[Fraction]) -> Fraction:
        nz = [t for t in terms if t]
        if not nz:
            return Fraction(0)
        # every term must itself be an acc number (products of F numbers: exact when 2 p_F <= p_acc)
        for t in nz:
            if round_to(t, acc) != t:
                raise _OrderDependent("a product in a reduction is not exact in the accumulation format")
        # the largest power of two 2^m dividing all terms
        m = min(_two_adic(t) for t in nz)
        if sum(abs(t) for t in nz) >= Fraction(2) ** (m + acc.p):
            raise _OrderDependent("a reduction's partial sums may round in the accumulation format")
        return sum(nz, Fraction(0))

    return rd, exact_sum


def _two_adic(x: Fraction) -> int:
    """The exponent m with x = odd * 2^m / odd' (x a nonzero dyadic-or-not rational)."""
    n, d = x.numerator, x.denominator
    vn = (abs(n) & -abs(n)).bit_length() - 1
    vd = (d & -d).bit_length() - 1
    return vn - vd


def _step(S, k, beta, v, rd, exact_sum):
    K, V = len(S), len(S[0])
    bk = [rd(beta * ki) for ki in k]
    p = [rd(exact_sum([k[i] * S[i][j] for i in range(K)])) for j in range(V)]
    S = [[rd(S[i][j] - rd(bk[i] * p[j])) for j in range(V)] for i in range(K)]
    if any(v):
        S = [[rd(S[i][j] + rd(bk[i] * v[j])) for j in range(V)] for i in range(K)]
    return tuple(tuple(r) for r in S)


def prove_in_format(c: Construction, G: Group, fmt: str, keys: str = "auto", *, letters=None,
                    max_states: int = 200_000) -> FormatProof:
    """Exhaustively explore the rounded states of a lowered group construction (see the module docstring)."""
    low = lower(c, fmt, keys)
    f = low.format
    rd, exact_sum = _make_ops(f)
    letter_ids = list(range(G.order)) if letters is None else list(letters)
    F = c.field
    rational_decoder = F.is_rational_field
    if rational_decoder:
        D = [[[F.to_fraction(x) for x in r] for r in Dm] for _, _, Dm in c.decoder]
    labels = [lab for lab, _, _ in c.decoder]

    def decode(S):
        if rational_decoder:
            scores = [sum(Dm[i][j] * S[i][j] for i in range(len(S)) for j in range(len(S[0]))) for Dm in D]
            best = max(scores)
            return labels[scores.index(best)] if scores.count(best) == 1 else None
        flat = [F.parse(x) for r in S for x in r]
        return c.decode(tuple(tuple(flat[i * len(S[0]):(i + 1) * len(S[0])]) for i in range(len(S))))

    S0 = tuple(tuple(r) for r in low.initial_state)
    pos = {x: li for li, x in enumerate(letter_ids)}

    def step(node, x):
        T, g = node
        for kk, bb, vv in low.steps[pos[x]]:
            if bb:
                T = _step(T, kk, bb, vv, rd, exact_sum)
        return (T, G.mul(g, x))

    def check(node):
        return None if decode(node[0]) == node[1] else "a rounded state decodes wrongly"

    def result(verdict, msg, cex=None, n=0):
        return FormatProof(verdict, f.name, low.keys, n, msg, cex, low)

    try:
        r = explore((S0, G.identity), letter_ids, step, check, max_nodes=max_states)
    except _OrderDependent as exc:
        return result("order-dependent", str(exc))
    except FormatOverflow as exc:
        return result("overflow", str(exc))
    order = r.visited
    if not r.ok:
        if r.word is None:
            return result("no-proof", f"more than {max_states} rounded states reachable; no closure found",
                          n=len(order))
        return result("counterexample", f"{r.reason} after {len(r.word)} letters", r.word, len(order))
    proof = result("proved", f"{len(order)} rounded states, closed under every letter, all decoded correctly",
                   n=len(order))
    proof.certificate = {
        "kind": "deltaproof.certificate", "version": 1, "claim": "proved-in-format",
        "method": "exhaustive-rounded-simulation", "format": f.name, "keys": low.keys, "semantics": SEMANTICS,
        "group": G.spec, "letters": letter_ids if letters is not None else "all",
        "lowered_steps": [[{"k": [str(x) for x in kk], "beta": str(bb), "v": [str(x) for x in vv]}
                           for kk, bb, vv in row] for row in low.steps],
        "initial_state": [[str(x) for x in r] for r in S0],
        "construction": c.to_json(),
        "reachable": [{"state": [[str(x) for x in r] for r in S], "element": g} for S, g in order],
    }
    return proof
