"""The prove engine: build a construction for a group and prove it for every word, or refute, or say unknown.

Proof method (exhaustive exact simulation). Breadth-first search over pairs (exact state, group element)
reachable from ``(h_0, identity)``: for every reachable pair and every letter ``x`` the successor is
``(apply(S, x), g * x)``. The search closes because the states lie in the finite orbit of ``h_0``. If every
reached pair decodes to its element, then by induction on the word length every word of every length is tracked:
the pair reached by a word ``w`` is ``(state after w, product of w)``. Breadth-first order makes the first failure
a shortest counterexample word. The certificate lists the reachable pairs so :func:`theory.checker.check` can redo
the closure from the JSON alone.

Refutations available here (more come from the character-theory side, :mod:`theory.minimal`):

* ``n_h = 1``, one layer, a letter of order > 2: [GZ] Thm 2 (and the corollary in its proof): one layer whose
  transitions have only real eigenvalues (a single generalised Householder matrix is symmetric) produces an
  eventually 2-periodic output on ``x^k``, so it cannot follow ``x^k`` through a cycle of length ``ord(x) > 2``.
* ``beta_max < 2``: [GZ] Prop. 1.3: every eigenvalue of a product of factors with ``beta in [0, beta_max]`` is 1
  or has modulus < 1, so the state on ``x^k`` converges (or grows along the eigenvalue-1 directions), and its rounded
  value is eventually constant; no non-identity letter can be tracked (hypotheses spelled out in the certificate).

Examples
--------
>>> from automata import group
>>> r = prove(group("Z2"), n_h=1)
>>> r.verdict, r.representation, r.dim
('proved', 'sign', 1)
>>> prove(group("S3"), n_h=1).verdict
'refuted'
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from automata.groups import Group
from theory.construction import Construction, from_representation
from theory.errors import InvalidInput
from theory.exact import parse_beta_max
from theory.reps import Representation, builtin_representations, from_characters
from theory.search import explore

__all__ = ["CERT_KIND", "Certificate", "ProofResult", "prove", "verify_construction"]

CERT_KIND = "deltaproof.certificate"


@dataclass
class ProofResult:
    """Outcome of :func:`prove`: a verdict and its certificate (JSON via :meth:`to_json`)."""

    group: str
    order: int
    n_h: int
    layers: int
    letters: str
    verdict: str
    representation: str | None = None
    dim: int | None = None
    min_n_h: int | None = None
    hypotheses: list = field(default_factory=list)
    certificate: dict = field(default_factory=dict)
    construction: Construction | None = None
    counterexample: list | None = None
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "group": self.group, "order": self.order, "n_h": self.n_h, "layers": self.layers,
            "letters": self.letters, "verdict": self.verdict, "representation": self.representation,
            "dim": self.dim, "min_n_h": self.min_n_h, "hypotheses": self.hypotheses,
            "counterexample": self.counterexample, "seconds": round(self.seconds, 4),
            "certificate": self.certificate,
        }


Certificate = dict  # a certificate is plain JSON; see README.md for its fields


@dataclass
class SimulationReport:
    ok: bool
    states: list  # [(state, element id)]
    counterexample: list | None = None
    reason: str = ""


def _verify_by_homomorphism(c: Construction, G: Group) -> SimulationReport | None:
    """Letters = all elements and B = 0: prove ``A(g*s) = A(s) A(g)`` for every g and generator s.

    Then ``A`` is an anti-homomorphism on all of G (every b is a product of generators), the state after any
    word is ``A(product) h_0``, and checking the decoder on the |G| states ``A(g) h_0`` covers every word. This
    costs |G| |generators| matrix products instead of the |G|^2 letter applications of the search.
    Returns ``None`` (meaning: use the search) when a check fails, so failures still get a shortest
    counterexample from the search.
    """
    F = c.field
    if any(s.v != tuple([F.zero] * len(s.v)) for L in c.letters for s in L.steps):
        return None
    A = [c.transition_matrix(x) for x in range(G.order)]
    for g in range(G.order):
        for s in G.generators:
            if A[G.mul(g, s)] != F.matmul(A[s], A[g]):
                return None
    h0 = c.initial_state
    states = [(tuple(tuple(r) for r in F.matmul(A[g], h0)), g) for g in range(G.order)]
    if any(c.decode(S) != g for S, g in states):
        return None
    bfs = sorted(states, key=lambda t: t[1] != G.identity)  # the initial state first
    return SimulationReport(True, bfs)


def verify_construction(c: Construction, G: Group, letter_ids: list[int], method: str = "auto") -> SimulationReport:
    """Prove a group construction for all words, or find a shortest counterexample.

    With all elements as letters and no writes, the homomorphism check (:func:`_verify_by_homomorphism`)
    suffices; otherwise, and to find counterexamples, an exhaustive exact BFS over (state, element) pairs, whose
    first failure is a shortest counterexample word.
    """
    labels = [c.decoder[i][0] for i in range(len(c.decoder))]
    if labels != list(range(G.order)):
        raise InvalidInput("decoder: group constructions need one class per element id, in id order")
    if method not in ("auto", "search"):
        raise InvalidInput(f"method: expected 'auto' or 'search', got {method!r}")
    if method == "auto" and list(letter_ids) == list(range(G.order)):
        fast = _verify_by_homomorphism(c, G)
        if fast is not None:
            return fast
    pos = {x: li for li, x in enumerate(letter_ids)}

    def step(node, x):
        S, g = node
        return (c.apply(S, pos[x]), G.mul(g, x))

    def check(node):
        dec = c.decode(node[0])
        return None if dec == node[1] else f"state after the word decodes to {dec}, expected {node[1]}"

    # more states than 10 |G| means the orbit is not closing: not a group action
    r = explore((c.initial_state, G.identity), letter_ids, step, check, max_nodes=10 * G.order)
    return SimulationReport(r.ok, r.visited, r.word, r.reason)


def _group_json(G: Group) -> dict:
    return {"spec": G.spec, "order": G.order, "degree": G.degree,
            "generators": [list(G.element(s)) for s in G.generators]}


def _hypotheses_construction(G: Group, rep: Representation, letters: str, c: Construction) -> list[str]:
    F = c.field
    betas = {F.to_str(s.beta) for L in c.letters for s in L.steps}
    return [
        "one layer, exact real arithmetic (no rounding)",
        f"letters: {letters} ({len(c.letters)} letters of {G.spec}); the target after word x_1..x_t is x_1*...*x_t "
        "('a then b' composition, automata.groups)",
        f"transitions A(x) = rho(x), rho = {rep.name} representation (dim {rep.dim}, field {F.name}), "
        f"each a product of <= {c.n_h} generalised Householder steps with beta in {{{', '.join(sorted(betas))}}}",
        "B(x) = 0 (v = 0 on every step); the initial state h_0 is given (equivalently written by a BOS token)",
        "decoder: argmax over the reference states D_g = rho(g) h_0",
    ]


def _refute_spectral(G: Group, n_h: int, letters: str, letter_ids: list[int], beta_max) -> ProofResult | None:
    """Eigenvalue-theorem refutations ([GZ] Thm 2 / Prop. 1.3); ``None`` when neither applies."""
    from fractions import Fraction

    nontrivial = [x for x in letter_ids if x != G.identity]
    if not nontrivial:
        return None
    bm = Fraction(beta_max)
    if bm < 2:
        x = nontrivial[0]
        hyp = [
            f"beta restricted to [0, {bm}] on every step (unit keys), any n_h, any state dimension, any number of "
            "layers, additive B(x) and any decoder",
            "finite precision as in [GZ] A.4: a finite set D of representable values, cast = nearest element of D "
            "(ties to the smaller), powers and products computed exactly then cast",
            "[GZ] Prop. 1.3: every eigenvalue of a product of such factors is 1 or has modulus < 1, and ||A|| <= 1",
            f"witness letter x = {G.cycle_notation(x)} of order {G.element_order(x)}: on x^k the exact state of "
            "every layer converges or grows along fixed directions, so the rounded state is eventually constant; "
            "tracking needs the output on x^k to cycle with period ord(x) >= 2",
        ]
        if not (bm <= 1 and n_h <= 2):
            hyp.append(
                "genericity: no limit coordinate of the exact state lies exactly on a rounding boundary of D "
                "(needed when n_h >= 3 or beta_max > 1, where eigenvalues in (-1, 0) can occur; with beta <= 1 "
                "and n_h <= 2 all eigenvalues lie in [0, 1] and [GZ] Lemma 1 needs no such assumption)"
            )
        cert = {"kind": CERT_KIND, "version": 1, "claim": "refuted", "method": "eigenvalue-theorem",
                "theorem": "[GZ] Prop. 1.3 + Thm 1 (Grazzi et al. 2025)", "group": _group_json(G),
                "n_h": n_h, "beta_max": str(bm), "witness": {"letter": x, "element": list(G.element(x)),
                                                             "order": G.element_order(x)},
                "hypotheses": hyp}
        return ProofResult(G.spec, G.order, n_h, 1, letters, "refuted", hypotheses=hyp, certificate=cert)
    if n_h == 1:
        big = [x for x in nontrivial if G.element_order(x) > 2]
        if big:
            x = max(big, key=lambda y: (G.element_order(y) % 2 == 1, G.element_order(y)))
            hyp = [
                "one layer, n_h = 1: every transition A(x) = I - beta k k^T is symmetric, so its spectrum is real "
                "(any beta in [0, 2], any state dimension, additive B(x), any decoder)",
                "finite precision as in [GZ] A.4 (finite value set, cast to nearest, products exact then cast)",
                "[GZ] Thm 2 and the corollary in its proof: with real spectra one layer's output on x^k is eventually "
                "periodic with period dividing 2",
                f"witness letter x = {G.cycle_notation(x)} of order {G.element_order(x)} > 2: tracking needs the "
                f"output on x^k to cycle with period {G.element_order(x)}",
            ]
            cert = {"kind": CERT_KIND, "version": 1, "claim": "refuted", "method": "eigenvalue-theorem",
                    "theorem": "[GZ] Thm 2 (Grazzi et al. 2025), real spectrum", "group": _group_json(G),
                    "n_h": 1, "beta_max": "2", "witness": {"letter": x, "element": list(G.element(x)),
                                                          "order": G.element_order(x)},
                    "hypotheses": hyp}
            return ProofResult(G.spec, G.order, 1, 1, letters, "refuted", hypotheses=hyp, certificate=cert)
    return None


def _min_nh(G: Group):
    """Character table and minimal n_h, or ``(None, None)`` when the group is too large for the method."""
    from theory.characters import character_table
    from theory.errors import GroupTooLarge
    from theory.minimal import min_nh_faithful

    try:
        table = character_table(G.perm_group)
    except GroupTooLarge:
        return None, None
    return table, min_nh_faithful(table)


def _refute_characters(G: Group, n_h: int, table, res, t0: float) -> ProofResult:
    from theory.minimal import min_nh_certificate

    witness = table.representatives[res.witness_class]
    hyp = [
        "one layer; letters: all elements of the group (the word problem)",
        "transitions exactly orthogonal: unit keys with beta in {0, 2}, i.e. each A(x) is a product of at most "
        "n_h reflections (Cartan-Dieudonne: exactly rank(A(x) - I) of them are needed)",
        "the map x -> A(x) is a faithful real representation of the group (rho(a*b) = rho(b) rho(a)); "
        "exact arithmetic",
        f"character theory: every faithful real representation is a sum of real irreducibles whose kernels "
        f"intersect trivially; over all such sums the least max_g codim Fix(g) is {res.min_n_h} "
        f"(attained in dimension {res.dim}), so some element needs {res.min_n_h} > n_h = {n_h} reflections",
        f"witness class representative {list(witness)} needs {res.min_n_h} reflections in the optimal representation",
        "not covered: non-orthogonal transitions (beta not in {0, 2}), additive B(x) used for tracking, several "
        "layers, letters restricted to generators",
    ]
    cert = {"kind": CERT_KIND, "version": 1, "claim": "refuted", "method": "character-theory",
            "group": _group_json(G), "n_h": n_h, "letters": "all", "layers": 1, "hypotheses": hyp,
            "evidence": min_nh_certificate(table)}
    return ProofResult(G.spec, G.order, n_h, 1, "all", "refuted", min_n_h=res.min_n_h, hypotheses=hyp,
                       certificate=cert, seconds=time.perf_counter() - t0)


def certificate_from(c: Construction, G: Group, letters: str, report: SimulationReport, hyp: list[str]) -> dict:
    F = c.field
    return {
        "kind": CERT_KIND,
        "version": 1,
        "claim": "proved",
        "method": "exhaustive-exact-simulation",
        "proof": ("homomorphism: A(g*s) = A(s) A(g) for every element g and generator s, decoder correct on "
                  "A(g) h_0 for every g" if letters == "all" else "breadth-first search over (state, element) pairs"),
        "statement": f"for every word over the letters, the decoded state equals the product of the word in {G.spec}",
        "group": _group_json(G),
        "letters": letters,
        "n_h": c.n_h,
        "layers": 1,
        "hypotheses": hyp,
        "construction": c.to_json(),
        "reachable": [{"state": F.mat_to_json(S), "element": list(G.element(g))} for S, g in report.states],
    }


def prove(G: Group, n_h: int, *, letters: str = "all", rep: str = "auto", beta_max: Any = 2,
          layers: int = 1) -> ProofResult:
    """Prove (or refute) that a one-layer DeltaProduct with ``n_h`` steps tracks ``G``.

    Parameters
    ----------
    G : Group or str
        A group, or a group spec such as ``"S4"`` (parsed with :func:`automata.group`).
    n_h : int
        Householder steps per letter, >= 1.
    letters : {'all', 'generators'}
    rep : str
        ``'auto'`` (first built-in representation that fits, rational preferred) or a name from
        :data:`theory.reps.BUILTIN`.
    beta_max : int or Fraction or str
        Upper end of the allowed beta range, in (0, 2].
    layers : int
        Only 1 is supported for groups here.

    Returns
    -------
    ProofResult
        ``verdict`` is ``'proved'`` (certificate with the reachable states), ``'refuted'`` (certificate naming
        the theorem and hypotheses, or a counterexample word) or ``'unknown'``.
    """

    t0 = time.perf_counter()
    if isinstance(G, str):
        from automata import group as _group

        G = _group(G)
    elif not isinstance(G, Group):
        raise InvalidInput(f"G: expected an automata.Group or a group spec string, got {type(G).__name__}")
    if not isinstance(n_h, int) or isinstance(n_h, bool) or n_h < 1:
        raise InvalidInput(f"n_h: expected an integer >= 1, got {n_h!r}")
    if not isinstance(layers, int) or layers != 1:
        raise InvalidInput(f"layers: only one-layer group constructions are supported, got {layers!r}")
    bm = parse_beta_max(beta_max)
    letter_ids = list(G.letters(letters))
    ref = _refute_spectral(G, n_h, letters, letter_ids, bm)
    if ref is not None:
        if letters == "all" and bm == 2:
            ref.min_n_h = getattr(_min_nh(G)[1], "min_n_h", None)
        ref.seconds = time.perf_counter() - t0
        return ref

    table = min_res = None
    if letters == "all" and bm == 2:
        table, min_res = _min_nh(G)
        if min_res is not None and n_h < min_res.min_n_h:
            return _refute_characters(G, n_h, table, min_res, t0)

    cands = builtin_representations(G)
    cands.append(("character", lambda: from_characters(G, table, min_res.subset if min_res else None)))
    if rep == "auto":
        # 'standard' has the same reflection lengths as 'permutation' (the trivial summand fixes everything),
        # with irrational entries: never a better choice, so auto mode does not build it.
        cands = [(nm, b) for nm, b in cands if nm != "standard"]
    else:
        cands = [(nm, b) for nm, b in cands if nm == rep]
        if not cands:
            names = ", ".join(nm for nm, _ in builtin_representations(G))
            raise InvalidInput(f"rep: {rep!r} is not available for {G.spec}; available: {names}")
    built = []
    for nm, b in cands:
        if nm == "character" and rep == "auto" and any(t[0] <= n_h for t in built):
            continue  # built only when no ready-made representation fits
        try:
            r = b()
        except InvalidInput:
            if rep != "auto":
                raise
            continue  # e.g. no rational realisation of the character-theory optimum
        built.append((r.max_reflection_length(letter_ids), not r.is_rational, r.dim, len(built), r))
    built.sort(key=lambda t: t[:4])
    fitting = [t[-1] for t in built if t[0] <= n_h]
    best_needed = built[0][0] if built else None
    if not fitting:
        r = built[0][-1]
        hyp = [f"no built-in representation of {G.spec} realises every letter with <= {n_h} reflections "
               f"(the best, {r.name}, needs {best_needed}); this is not a proof of impossibility"]
        return ProofResult(G.spec, G.order, n_h, 1, letters, "unknown", hypotheses=hyp,
                           min_n_h=min_res.min_n_h if min_res else None,
                           certificate={"kind": CERT_KIND, "version": 1, "claim": "unknown", "hypotheses": hyp},
                           seconds=time.perf_counter() - t0)
    r = fitting[0]
    c = from_representation(r, n_h, letter_ids)
    report = verify_construction(c, G, letter_ids)
    hyp = _hypotheses_construction(G, r, letters, c)
    if not report.ok:  # pragma: no cover - built-in representations are validated; kept for safety
        return ProofResult(G.spec, G.order, n_h, 1, letters, "refuted", r.name, r.dim, hypotheses=hyp,
                           counterexample=report.counterexample, construction=c,
                           certificate={"kind": CERT_KIND, "claim": "counterexample", "word": report.counterexample,
                                        "reason": report.reason, "construction": c.to_json()},
                           seconds=time.perf_counter() - t0)
    cert = certificate_from(c, G, letters, report, hyp)
    return ProofResult(G.spec, G.order, n_h, 1, letters, "proved", r.name, r.dim,
                       min_n_h=min_res.min_n_h if min_res else None, hypotheses=hyp,
                       certificate=cert, construction=c, seconds=time.perf_counter() - t0)
