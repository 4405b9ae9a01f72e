"""The claims registry: every checkable claim of THEORY.md §6, with the project's own evidence and a verdict.

Each :class:`Claim` names its source, states its exact hypotheses, and carries an *evidence function* that
gathers evidence at run time with the project's tools (exact proofs and their independent checkers, character
theory, float experiments on the CPU reference kernel, committed GPU result files) and returns
``(verdict, evidence)``. Nothing is hard-coded: a verdict is computed from what the tools return.

Verdicts (DESIGN.md, JSON shape of ``deltaproof claims --json``):

* ``confirmed-exact``: a certificate (exact arithmetic) that was re-verified by an independent checker;
  for impossibility claims, a refutation certificate (eigenvalue theorem or character theory), re-checked.
* ``confirmed-empirical``: a float measurement (backend, format, lengths, seeds named in the evidence).
* ``refuted``: the project finds the claim false; the evidence holds the counterexample or measurement.
* ``not-checkable``: needs something this repository does not do (training, a huge lookup MLP); the reason is
  given.

Claims 16 and 18 mix an exact statement with a statement about trained models; they are split into ``16a``/``16b``
and ``18a``/``18b``. Trained-model statements (16b, 17, 18b, 26) are ``not-checkable`` here: this issue runs no
training (see the learning issue).

Examples
--------
>>> c = CLAIMS_BY_ID["1"]
>>> c.source
'[GZ] Thm 3'
>>> verdict, ev = c.evidence()
>>> verdict
'confirmed-exact'
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = [
    "CLAIMS",
    "CLAIMS_BY_ID",
    "VERDICTS",
    "Claim",
    "dm_two_layer_construction",
    "main_claims",
    "render_markdown",
    "run_claims",
    "write_report",
]

VERDICTS = ("confirmed-exact", "confirmed-empirical", "refuted", "not-checkable")
LEARNING_ISSUE = "the learning/training issue (trained-model reproductions are out of scope of issue #7)"


@dataclass(frozen=True)
class Claim:
    """One checkable claim: ``evidence()`` returns ``(verdict, evidence dict)``; the dict has a ``summary``."""

    id: str
    statement: str
    source: str
    hypotheses: tuple
    evidence_fn: Callable[[], tuple]

    def evidence(self) -> tuple:
        verdict, ev = self.evidence_fn()
        if verdict not in VERDICTS:  # pragma: no cover - programming error
            raise ValueError(f"claim {self.id}: unknown verdict {verdict!r}")
        return verdict, ev


# ----------------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------------

def _group(spec):
    from automata import group
    return group(spec)


def _prove_and_check(spec: str, n_h: int, **kw) -> dict:
    """``theory.prove`` then the independent ``theory.check`` of the JSON certificate."""
    import theory

    G = _group(spec)
    t0 = time.perf_counter()
    r = theory.prove(G, n_h, **kw)
    chk = theory.check(json.loads(json.dumps(r.certificate)))  # re-check from the JSON alone
    out = {"group": spec, "order": G.order, "n_h": n_h, "verdict": r.verdict, "representation": r.representation,
           "dim": r.dim, "min_n_h": r.min_n_h, "method": r.certificate.get("method"),
           "check_valid": bool(chk.valid), "check_verdict": chk.verdict,
           "seconds": round(time.perf_counter() - t0, 3)}
    if "theorem" in r.certificate:
        out["theorem"] = r.certificate["theorem"]
    if kw:
        out.update({k: str(v) for k, v in kw.items()})
    out["_result"] = r
    return out


def _strip(rows: list) -> list:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def _all_ok(rows, verdict) -> bool:
    return all(r["verdict"] == verdict and r["check_valid"] and r["check_verdict"] == verdict for r in rows)


def _group_dfa(G, letter_ids):
    """The word-problem DFA of ``G`` with the given letters (states = element ids, named by id)."""
    from automata import DFA

    table = [[G.mul(g, x) for x in letter_ids] for g in range(G.order)]
    return DFA.from_table(table, G.identity, [G.identity], states=[str(g) for g in range(G.order)],
                          alphabet=[f"x{x}" for x in letter_ids])


def _check_multilayer(mc, dfa, n_h: int, hyp: list) -> dict:
    """Prune/prove a hand-built multi-layer construction, write its certificate, re-check it independently."""
    from theory.dfa_checker import check_dfa_certificate
    from theory.multilayer import certificate_for, finalize

    mc2, rep = finalize(mc, dfa, n_h)
    if not rep.ok:
        return {"proved": False, "reason": rep.reason, "counterexample": rep.counterexample}
    cert = certificate_for(mc2, dfa, rep, n_h, hyp)
    chk = check_dfa_certificate(json.loads(json.dumps(cert)))
    return {"proved": True, "reachable_tuples": len(rep.nodes), "layers": mc2.n_layers, "dims": mc2.dims(),
            "layer_states": [len(s) for s in rep.layer_states], "check_valid": bool(chk.valid),
            "check_verdict": chk.verdict, "check_message": chk.message}


def _perm_layer_construction(G, letter_ids, n_h, h0=None):
    """One layer, permutation representation restricted to ``letter_ids`` (factorised by Cartan-Dieudonne)."""
    from theory.construction import from_representation
    from theory.multilayer import Layer, MultiLayerConstruction
    from theory.reps import permutation

    rep = permutation(G)
    F = rep.field
    h0v = None if h0 is None else tuple(F.parse(x) for x in h0)
    c = from_representation(rep, n_h, letters=letter_ids, h0=h0v)
    table = {(a, ()): tuple(L.steps) for a, L in enumerate(c.letters)}
    dec = [vec for _, _, vec in c.decoder]
    layer = Layer(n_h, (), c.initial_state, dec, table, "permutation representation, integer keys e_i - e_j")
    readout = {(lab,): str(g) for lab, (g, _, _) in enumerate(c.decoder)}
    return c, MultiLayerConstruction(F, tuple(f"x{x}" for x in letter_ids), [layer], (0,), readout,
                                     {"construction": "permutation"})


def _moved(G, g) -> int:
    e = G.element(g)
    return sum(e[i] != i for i in range(len(e)))


def _unit(rng, d):
    x = rng.standard_normal(d)
    return x / np.linalg.norm(x)


def _run_reference_states(A_keys, betas, vs, h0, T, dtype):
    """States after each token of the one-letter word 1^T through ``kernels.deltaproduct`` (reference backend).

    ``A_keys`` ``[n_h, K]``, ``betas`` ``[n_h]``, ``vs`` ``[n_h]`` (V = 1), ``h0`` ``[K]``. The full state is read with
    ``H = K`` heads sharing the parameters and queries ``e_i`` (as in verify.horizon).
    """
    import torch

    from kernels import deltaproduct

    n_h, K = A_keys.shape
    k = torch.tensor(np.tile(A_keys, (T, 1)), dtype=dtype)[None, :, None, :].expand(1, T * n_h, K, K)
    b = torch.tensor(np.tile(betas, T), dtype=dtype)[None, :, None].expand(1, T * n_h, K)
    v = torch.tensor(np.tile(vs, T), dtype=dtype)[None, :, None, None].expand(1, T * n_h, K, 1)
    q = torch.eye(K, dtype=dtype)[None, None].expand(1, T, K, K)
    S0 = torch.tensor(h0, dtype=dtype)[None, None, :, None].expand(1, K, K, 1)
    o, _ = deltaproduct(q.contiguous(), k.contiguous(), v.contiguous(), b.contiguous(), num_householder=n_h,
                        scale=1.0, initial_state=S0.contiguous(), backend="reference")
    return o[0, :, :, 0].numpy()  # [T, K], exact copies of the dtype values


def _period(st, window=200, max_p=50):
    """Smallest p <= max_p with st[k] == st[k - p] (bitwise) over the last ``window`` states, else None."""
    tail = st[-window:]
    for p in range(1, max_p + 1):
        if np.array_equal(tail[p:], tail[:-p]):
            return p
    return None


def _slowest_mode(keys, betas):
    """Largest |lambda| over the eigenvalues of A(1) that are not 1 (float64): how slowly the state settles."""
    K = keys.shape[1]
    A = np.eye(K)
    for k, b in zip(keys, betas):
        A = (np.eye(K) - b * np.outer(k, k)) @ A
    lam = np.linalg.eigvals(A)
    rest = [abs(x) for x in lam if abs(x - 1) > 1e-9]
    return max(rest, default=0.0)


# ----------------------------------------------------------------------------------------------------------
# evidence functions
# ----------------------------------------------------------------------------------------------------------

def ev_1():
    r = _prove_and_check("Z2", 1)
    res = r["_result"]
    steps = res.construction.letters
    betas = sorted({str(s.beta) for L in steps for s in L.steps})
    ok = _all_ok([r], "proved") and r["dim"] == 1
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"Z2 n_h=1 {r['verdict']} ({r['representation']}, d={r['dim']}, betas {betas}); "
                        f"certificate re-checked: {r['check_valid']}", "proof": _strip([r])[0], "betas": betas})


def ev_2():
    import torch

    rows = [_prove_and_check(s, n, beta_max=1) for s, n in (("Z2", 1), ("Z2", 4), ("S3", 3))]
    refuted = _all_ok(rows, "refuted")
    # fp32 experiment: random DeltaNet/DeltaProduct[0,1] parameters for letter 1, state on 1^k
    rng = np.random.default_rng(0)
    T, trials = 1500, []
    for trial in range(12):
        K, n_h = int(rng.integers(2, 6)), int(rng.integers(1, 4))
        keys = np.stack([_unit(rng, K) for _ in range(n_h)])
        betas = rng.uniform(0, 1, n_h)
        st = _run_reference_states(keys, betas, rng.standard_normal(n_h), rng.standard_normal(K), T, torch.float32)
        trials.append({"K": K, "n_h": n_h, "period": _period(st), "slowest_mode": round(float(_slowest_mode(keys, betas)), 6)})
    const = [t for t in trials if t["period"] == 1]
    other = [t for t in trials if t["period"] not in (1, None)]
    unsettled = [t for t in trials if t["period"] is None]
    verdict = "refuted" if (other or not refuted) else "confirmed-exact"
    return (verdict,
            {"summary": f"beta_max=1 refuted and re-checked for Z2 (n_h 1, 4), S3 (n_h 3) ([GZ] Prop. 1.3). fp32 reference "
                        f"kernel, 12 random [0,1] models on 1^k, k <= {T}: {len(const)} constant (period 1), "
                        f"{len(other)} with another period, {len(unsettled)} still moving (slowest modes "
                        f"{[t['slowest_mode'] for t in unsettled]}: convergence slower than {T} steps)",
             "proofs": _strip(rows),
             "experiment": {"backend": "reference", "format": "fp32", "length": T, "seed": 0,
                            "beta": "uniform [0,1]", "keys": "random unit (fp32)", "trials": trials}})


def ev_3a():
    rows = [_prove_and_check("Z3", 1), _prove_and_check("Z5", 1)]
    ok = _all_ok(rows, "refuted")
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"Z3 and Z5 n_h=1 refuted ({rows[0].get('theorem')}, witness letter of order > 2), certificates "
                        f"re-checked", "proofs": _strip(rows)})


def ev_3b():
    import torch

    rng = np.random.default_rng(1)
    T, trials, example = 1500, [], None
    for trial in range(10):
        K = int(rng.integers(1, 5))
        beta = 2.0 if trial % 3 == 0 else float(rng.uniform(0, 2))
        k = _unit(rng, K)[None]
        v, h0 = rng.standard_normal(1), rng.standard_normal(K)
        st = _run_reference_states(k, np.array([beta]), v, h0, T, torch.float32)
        p = _period(st)
        trials.append({"K": K, "beta": beta, "period": p})
        if p not in (1, 2, None) and example is None:
            f32 = lambda a: [float(np.float32(x)) for x in np.ravel(a)]
            example = {"K": K, "beta": beta, "k_fp32": f32(k), "v_fp32": f32(v), "h0_fp32": f32(h0), "period": p,
                       "cycle": [f32(x) for x in st[-p:]]}
    le2 = [t for t in trials if t["period"] in (1, 2)]
    other = [t for t in trials if t["period"] not in (1, 2, None)]
    unsettled = [t for t in trials if t["period"] is None]
    verdict = "refuted" if other else "confirmed-empirical"
    return (verdict,
            {"summary": f"fp32 reference kernel (operation-wise rounding), 10 random n_h=1 models (beta in [0,2], 4 with "
                        f"beta=2) on 1^k, k <= {T}, seed 1: {len(le2)} end with period 1 or 2, {len(other)} with period "
                        f"{sorted({t['period'] for t in other})}, {len(unsettled)} unsettled. A period-4 orbit of a single "
                        f"reflection (beta=2) violates 'eventually 2-periodic' in kernel arithmetic; [GZ]'s model (products "
                        f"exact, then cast) is not the kernel's, and period 4 still cannot count mod 3",
             "experiment": {"backend": "reference", "format": "fp32", "length": T, "seed": 1, "trials": trials},
             "counterexample": example})


def ev_4():
    ms = tuple(range(3, 13))
    rows = [_prove_and_check(f"Z{m}", 2, rep="rotation2d") for m in ms]
    ok = _all_ok(rows, "proved") and all(r["dim"] == 2 for r in rows)
    reps = sorted({r["representation"] for r in rows})
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"Z_m, m in {list(ms)}, n_h=2: {sum(r['verdict'] == 'proved' for r in rows)}/{len(ms)} proved in d=2 "
                        f"({', '.join(reps)}), all certificates re-checked: {all(r['check_valid'] for r in rows)}",
             "proofs": _strip(rows)})


def _dfa_tools():
    try:
        from automata.tasks import task
        from theory.dfa_checker import check_dfa_certificate
        from theory.multilayer import prove_dfa
    except ImportError as e:  # the multi-layer module may not exist yet
        return None, str(e)
    return (task, prove_dfa, check_dfa_certificate), None


def ev_5():
    tools, err = _dfa_tools()
    if tools is None:
        return "not-checkable", {"summary": f"multi-layer DFA module not available ({err})"}
    task, prove_dfa, check = tools
    rows = []
    for m in range(3, 9):
        r = prove_dfa(task(f"mod{m}").dfa, n_h=1, layers=2)
        chk = check(json.loads(json.dumps(r.certificate)))
        n_reach = len(r.certificate.get("reachable", []))
        rows.append({"m": m, "verdict": r.verdict, "method": r.method, "layers": r.n_layers, "dims": r.dims,
                     "reachable_tuples": n_reach, "check_valid": bool(chk.valid)})
    ok = all(r["verdict"] == "proved" and r["check_valid"] and r["layers"] == 2 and r["reachable_tuples"] == 2 * r["m"]
             for r in rows)
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"mod-m counting, m=3..8, n_h=1, 2 layers: proved {sum(r['verdict'] == 'proved' for r in rows)}/6 "
                        f"(method {rows[0]['method']}, dims {rows[0]['dims']}); reachable (layer states, DFA state) "
                        f"tuples = {[r['reachable_tuples'] for r in rows]} (2m expected); re-checked",
             "proofs": rows})


def ev_6():
    tools, err = _dfa_tools()
    rows = []
    for n in (3, 4, 5):
        G = _group(f"S{n}")
        letters = [g for g in range(G.order) if _moved(G, g) <= 2]
        c, mc = _perm_layer_construction(G, letters, 1, h0=list(range(1, n + 1)))
        row = {"n": n, "letters": len(letters), "n_h": 1, "h0": list(range(1, n + 1))}
        if tools is None:
            from theory.prover import verify_construction
            rep = verify_construction(c, G, letters, method="search")
            row.update(proved=rep.ok, reachable=len(rep.states), check_valid=None)
        else:
            row.update(_check_multilayer(mc, _group_dfa(G, letters), 1,
                                         [f"one layer, permutation representation of S{n}, swaps and identity only, "
                                          f"h0 = (1..{n})"]))
        rows.append(row)
    ok = all(r.get("proved") and r.get("check_valid") in (True, None) for r in rows)
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"S_n swaps+identity, n_h=1, d=n, h0=(1..n): proved for n=3,4,5 "
                        f"(states {[r.get('layer_states', [r.get('reachable')])[0] for r in rows]}); "
                        f"certificates re-checked by theory.dfa_checker: {[r.get('check_valid') for r in rows]}",
             "proofs": rows})


def ev_7():
    from theory.errors import InvalidInput

    rows, tight = [], []
    for n, l in ((4, 3), (5, 3), (5, 4)):
        G = _group(f"S{n}")
        letters = [g for g in range(G.order) if _moved(G, g) <= l]
        c, mc = _perm_layer_construction(G, letters, l - 1)
        row = {"n": n, "l": l, "n_h": l - 1, "letters": len(letters)}
        row.update(_check_multilayer(mc, _group_dfa(G, letters), l - 1,
                                     [f"one layer, permutation representation of S{n}, letters moving <= {l} points"]))
        rows.append(row)
        try:  # tightness inside the permutation representation: an l-cycle needs l-1 reflections
            _perm_layer_construction(G, letters, l - 2)
            tight.append({"n": n, "l": l, "n_h": l - 2, "fits": True})
        except InvalidInput as e:
            tight.append({"n": n, "l": l, "n_h": l - 2, "fits": False, "reason": str(e)})
    ok = all(r.get("proved") and r.get("check_valid") for r in rows)
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"S_n with <= l moved points, n_h=l-1, perm rep: proved and re-checked for (n,l) = (4,3), (5,3), "
                        f"(5,4); n_h=l-2 does not fit the perm rep: {[not t['fits'] for t in tight]}",
             "proofs": rows, "tightness_in_perm_rep": tight})


def ev_8():
    from theory.reps import permutation

    rows = [_prove_and_check(f"S{n}", n - 1, rep="permutation") for n in range(3, 7)]
    rows += [_prove_and_check(f"S{n}", n - 1, rep="standard") for n in range(3, 5)]  # S5 standard: 13 s
    cyc = []
    for n in range(3, 7):
        G = _group(f"S{n}")
        g = next(i for i in range(G.order) if G.element(i) == tuple(list(range(1, n)) + [0]))
        cyc.append({"n": n, "rank(P-I) of an n-cycle": permutation(G).reflection_length(g)})
    ok = _all_ok(rows, "proved") and all(c["rank(P-I) of an n-cycle"] == c["n"] - 1 for c in cyc)
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"S_n all inputs, n_h=n-1: proved and re-checked for n=3..6 (perm rep, d=n) and n=3, 4 "
                        f"(standard rep, d=n-1); n-cycle reflection length = {[c['rank(P-I) of an n-cycle'] for c in cyc]}",
             "proofs": _strip(rows), "n_cycles": cyc})


def ev_9():
    auto, d2, one = _prove_and_check("S3", 2), _prove_and_check("S3", 2, rep="standard"), _prove_and_check("S3", 1)
    rows = [auto, d2, one]
    ok = _all_ok([auto, d2], "proved") and d2["dim"] == 2 and _all_ok([one], "refuted")
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"S3 n_h=2 proved (auto: {auto['representation']} d={auto['dim']}; standard d={d2['dim']}); "
                        f"n_h=1 refuted ({one.get('theorem')}); all re-checked. The bf16 training expectation is not "
                        f"checked here ({LEARNING_ISSUE})",
             "proofs": _strip(rows)})


def _exact_group_claim(spec, n_h, rep, expected_dim, expected_states):
    r = _prove_and_check(spec, n_h, rep=rep)
    res = r["_result"]
    cert = res.certificate
    n_states = len(cert.get("reachable", cert.get("states", []))) or None
    ok = _all_ok([r], "proved") and r["dim"] == expected_dim
    if expected_states is not None and n_states is not None:
        ok = ok and n_states == expected_states
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"{spec} n_h={n_h}: {r['verdict']} with {r['representation']} (d={r['dim']}), "
                        f"{n_states} reachable states, certificate re-checked: {r['check_valid']}",
             "proof": _strip([r])[0], "reachable_states": n_states})


def ev_10():
    return _exact_group_claim("S4", 2, "octahedral", 3, 24)


def ev_11():
    return _exact_group_claim("A5", 2, "icosahedral", 3, 60)


def ev_12():
    return _exact_group_claim("A4", 2, "tetrahedral", 3, 12)


def ev_13():
    rows, betas = [], set()
    for m in range(3, 7):
        r = _prove_and_check(f"D{m}", 2, rep="dihedral2d")
        F = r["_result"].construction.field
        betas |= {F.to_str(s.beta) for L in r["_result"].construction.letters for s in L.steps}
        rows.append(r)
    ok = _all_ok(rows, "proved") and betas <= {"0", "2"} and all(r["dim"] == 2 for r in rows)
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"D_m, m=3..6, n_h=2, d=2 (dihedral2d): proved and re-checked; betas used {sorted(betas)}",
             "proofs": _strip(rows), "betas": sorted(betas)})


def dm_two_layer_construction(m: int):
    """D_m (all 2m letters) with n_h = 1 and two layers, built here (THEORY.md claim 14, after [GZ] Thm 6).

    Layer 1 (dim 1): ``p_t`` = parity of the number of rotation letters read so far (``A = -1`` on a rotation
    letter, identity on a reflection letter). Layer 2 (dim 2) holds ``h_t = F^{p_t} rho(acc_t) h_0`` with a fixed
    reflection ``F = diag(1, -1)``; its transition for letter ``x`` (knowing ``p_t`` from layer 1 at the same
    position, hence ``p_{t-1}``) is ``A = F^{p_t} rho(x) F^{p_{t-1}}``, whose determinant is
    ``(-1)^{p_t + p_{t-1}} det rho(x) = -1``: a single reflection. The readout maps (``p_t``, layer-2 label) to
    ``acc_t``. Returns ``(MultiLayerConstruction, DFA)``.
    """
    from theory.householder import factor_orthogonal
    from theory.multilayer import Layer, MultiLayerConstruction
    from theory.reps import dihedral2d

    G = _group(f"D{m}")
    rep = dihedral2d(G)
    F = rep.field
    letters = list(range(G.order))
    R = rep.matrices
    det = [M[0][0] * M[1][1] - M[0][1] * M[1][0] for M in R]
    is_rot = [d == F.one for d in det]
    Fm = ((F.one, F.zero), (F.zero, -F.one))
    I2 = F.identity(2)
    Fp = {0: I2, 1: Fm}
    zero_v = (F.zero,)
    # layer 1: sign
    flip = (Step_((F.one,), F.one + F.one, zero_v),)
    t1 = {(a, ()): (flip if is_rot[x] else ()) for a, x in enumerate(letters)}
    L1 = Layer(1, (), ((F.one,),), [((F.one,),), ((-F.one,),)], t1, "p_t: parity of rotation letters")
    # layer 2
    from theory.construction import generic_initial_vector
    h0 = generic_initial_vector(rep)
    t2 = {}
    for a, x in enumerate(letters):
        for p in (0, 1):
            pprev = p ^ (1 if is_rot[x] else 0)
            A = F.matmul(Fp[p], F.matmul(R[x], Fp[pprev]))
            fs = factor_orthogonal(A, F, check=True)
            if len(fs) != 1:  # pragma: no cover - det A = -1 in O(2) is a reflection
                raise AssertionError("expected one reflection")
            t2[(a, (p,))] = tuple(Step_(f.u, f.beta, zero_v) for f in fs)
    refs, index, readout = [], {}, {}
    for p in (0, 1):
        for g in range(G.order):
            vec = tuple((y,) for y in F.matvec(F.matmul(Fp[p], R[g]), h0))
            if vec not in index:
                index[vec] = len(refs)
                refs.append(vec)
            readout[(p, index[vec])] = str(g)
    L2 = Layer(1, (0,), tuple((y,) for y in h0), refs, t2, "F^p rho(acc) h0, one reflection per token")
    mc = MultiLayerConstruction(F, tuple(f"x{x}" for x in letters), [L1, L2], (0, 1), readout,
                                {"construction": "dihedral-two-layer"})
    return mc, _group_dfa(G, letters)


def Step_(u, beta, v):
    from theory.construction import Step
    return Step(tuple(u), beta, tuple(v))


def ev_14():
    try:
        import theory.dfa_checker
        import theory.multilayer  # noqa: F401
    except ImportError as e:
        return "not-checkable", {"summary": f"multi-layer module not available ({e})"}
    rows = []
    from theory.multilayer import prove_dfa
    for m in range(3, 7):
        mc, dfa = dm_two_layer_construction(m)
        row = {"m": m}
        row.update(_check_multilayer(mc, dfa, 1, [
            f"two layers, n_h = 1 per layer, all {2 * m} letters of D_{m}; layer 2's key depends on the input letter "
            "and layer 1's decoded label at the same position (stacked-model semantics of theory.multilayer)"]))
        auto = prove_dfa(dfa, n_h=1, layers=2)
        row["prove_dfa_auto"] = auto.verdict
        rows.append(row)
    ok = all(r.get("proved") and r.get("check_valid") and r.get("layers") == 2 for r in rows)
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"D_m, m=3..6, all letters, n_h=1, 2 layers (dims {rows[0].get('dims')}): new construction "
                        f"(layer 1 = parity of rotation letters; layer 2 = one reflection F^p_t rho(x) F^p_(t-1)) proved "
                        f"and re-checked by theory.dfa_checker; prove_dfa's own search says "
                        f"{sorted({r['prove_dfa_auto'] for r in rows})}",
             "proofs": rows})


def ev_15():
    rows = [_prove_and_check("S5", n) for n in (1, 2, 3)]
    refuted = _all_ok(rows, "refuted")
    rng = np.random.default_rng(15)
    tol = 1e-9
    counts = {}
    draws = 300
    for n_h in (1, 2, 3, 4):
        worst = 0
        for _ in range(draws):
            d = int(rng.integers(max(2, n_h), 9))
            A = np.eye(d)
            for _ in range(n_h):
                k = _unit(rng, d)
                A = (np.eye(d) - rng.uniform(0, 2) * np.outer(k, k)) @ A
            lam = np.linalg.eigvals(A)
            worst = max(worst, int(np.sum(lam.imag > tol)))
        counts[n_h] = worst
    weak_ok = all(counts[n] <= 1 for n in (1, 2, 3))
    ok = refuted and weak_ok
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"within exactly orthogonal one-layer constructions (a narrower setting than [CKDA] Thm 4: "
                        f"non-expansive, finitely many states) S5 n_h=1,2,3 refuted: {[r['verdict'] for r in rows]} "
                        f"({rows[2]['method']}, min n_h {rows[2]['min_n_h']}), re-checked. Weaker part, numpy float64, "
                        f"{draws} draws per n_h, d in [n_h,8], beta~U[0,2], |Im lambda| > {tol} counted: max non-real "
                        f"pairs = {counts} (<= 1 for n_h <= 3; n_h = 4 reaches 2)",
             "proofs": _strip(rows), "max_nonreal_pairs": counts, "draws_per_n_h": draws, "tolerance": tol, "seed": 15,
             "caveat": "the [CKDA] statement (any non-expansive finite-state one-layer model) is UNCONFIRMED; only the "
                       "orthogonal case is certified"})


def ev_16a():
    r = _prove_and_check("S5", 4, rep="permutation")
    ok = _all_ok([r], "proved") and r["dim"] == 5
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"S5 n_h=4 (all 120 letters), permutation rep d=5: {r['verdict']}, re-checked {r['check_valid']}",
             "proof": _strip([r])[0]})


def _not_trained(what):
    return lambda: ("not-checkable", {"summary": f"needs trained models ({what}); no training in this issue, see "
                                                 f"{LEARNING_ISSUE}"})


def ev_18a():
    rows = [_prove_and_check(s, n, beta_max=1) for s, n in (("Z2", 4), ("S3", 2), ("A5", 2), ("S5", 4))]
    ok = _all_ok(rows, "refuted")
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"beta in [0,1]: refuted and re-checked for Z2, S3, A5, S5 at the n_h that works with beta=2 "
                        f"({rows[0].get('theorem')})", "proofs": _strip(rows)})


def ev_19():
    return ("not-checkable",
            {"summary": "the [DP] Thm 1b/1c constructions (n_h=1 with 4 layers, n_h>=2 with 3 layers) need a lookup MLP "
                        "between layers that is not part of theory.multilayer's semantics (layers see each other's "
                        "decoded labels only); not attempted. Claim 14 shows a 2-layer n_h=1 construction for D_m."})


def ev_20():
    tools, err = _dfa_tools()
    if tools is None:
        return "not-checkable", {"summary": f"multi-layer DFA module not available ({err})"}
    task, prove_dfa, check = tools
    rows = []
    for name in ("flip_flop", "parity", "mod3", "even_pairs", "cycle_navigation"):
        d = task(name).dfa
        r = prove_dfa(d, n_h=max(1, d.minimize().n_states - 1))
        chk = check(json.loads(json.dumps(r.certificate)))
        mc = r.construction
        ints = None
        if mc is not None:
            F = mc.field
            ints = F.is_rational_field
        rows.append({"task": name, "states": d.minimize().n_states, "verdict": r.verdict, "method": r.method,
                     "min_n_h": r.min_n_h, "layers": r.n_layers, "dims": r.dims, "check_valid": bool(chk.valid),
                     "rational_field": ints})
    ff = rows[0]
    ok = all(r["verdict"] == "proved" and r["check_valid"] for r in rows) and ff["dims"] and max(ff["dims"]) <= ff["states"]
    return ("confirmed-exact" if ok else "refuted",
            {"summary": f"flip-flop proved ({ff['method']}, n_h={ff['min_n_h']}, {ff['layers']} layer, dims {ff['dims']}, "
                        f"rational: {ff['rational_field']}); also parity, mod3, even_pairs, cycle_navigation proved with "
                        f"d <= |Q|; all re-checked by theory.dfa_checker",
             "proofs": rows})


def ev_21():
    import mpmath

    mpmath.mp.dps = 40
    rng = np.random.default_rng(21)
    tol = mpmath.mpf(10) ** -30
    max_norm = mpmath.mpf(0)
    viol_norm = viol_eig = 0
    closest = mpmath.mpf(1)
    draws = 0
    for _ in range(120):
        d, n_h = int(rng.integers(2, 6)), int(rng.integers(1, 5))
        A = mpmath.eye(d)
        interior = rng.random() < 0.5
        for _ in range(n_h):
            k = mpmath.matrix([mpmath.mpf(float(x)) for x in rng.standard_normal(d)])
            k = k / mpmath.norm(k)
            b = mpmath.mpf(float(rng.uniform(0.01, 1.99))) if interior else mpmath.mpf(float(rng.choice([0, 2, rng.uniform(0, 2)])))
            A = (mpmath.eye(d) - b * (k * k.T)) * A
        draws += 1
        s = mpmath.svd_r(A, compute_uv=False)
        nrm = max(s[i] for i in range(d))
        max_norm = max(max_norm, nrm)
        viol_norm += nrm > 1 + tol
        if interior:
            lam = mpmath.eig(A, left=False, right=False)
            for x in lam:
                if abs(x - 1) < tol:
                    continue
                closest = min(closest, 1 - abs(x))
                viol_eig += abs(x) >= 1 - tol
    ok = viol_norm == 0 and viol_eig == 0
    return ("confirmed-empirical" if ok else "refuted",
            {"summary": f"mpmath (40 digits), {draws} random products (d 2..5, n_h 1..4): max ||A||_2 - 1 = "
                        f"{mpmath.nstr(max_norm - 1, 3)} (tolerance 1e-30), norm violations {viol_norm}; with all beta in "
                        f"(0,2): eigenvalues are 1 or |lambda| < 1, violations {viol_eig}, smallest 1-|lambda| = "
                        f"{mpmath.nstr(closest, 3)}",
             "draws": draws, "seed": 21, "dps": 40, "norm_violations": int(viol_norm),
             "eigen_violations": int(viol_eig)})


def _householder_factors_numeric(Q):
    """Reflections (unit u, beta=2) whose product is the orthogonal Q (numerical Cartan-Dieudonne)."""
    n = Q.shape[0]
    M = Q.copy()
    fs = []
    for i in range(n):
        u = M[:, i] - np.eye(n)[:, i]
        if np.linalg.norm(u) > 1e-12:
            u = u / np.linalg.norm(u)
            H = np.eye(n) - 2 * np.outer(u, u)
            M = H @ M
            fs.append(u)
    return fs, M


def ev_22():
    from theory.householder import factor_orthogonal, product_of_factors
    from theory.reps import icosahedral, octahedral

    counts = {}
    exact_ok = True
    for name, spec, build in (("octahedral", "S4", octahedral), ("icosahedral", "A5", icosahedral)):
        G = _group(spec)
        rep = build(G)
        F = rep.field
        hist = {}
        for g, M in enumerate(rep.matrices):
            for sign in (1, -1):
                Q = M if sign == 1 else tuple(tuple(-x for x in row) for row in M)
                fs = factor_orthogonal(Q, F, check=True)
                exact_ok &= product_of_factors(fs, F, 3) == Q
                kind = ("identity" if g == G.identity else "rotation") if sign == 1 else "improper (-R)"
                hist.setdefault(kind, {}).setdefault(len(fs), 0)
                hist[kind][len(fs)] += 1
        counts[name] = {k: dict(sorted(v.items())) for k, v in hist.items()}
    rot_exact2 = all(set(c["rotation"]) == {2} and set(c["identity"]) == {0} for c in counts.values())
    le3 = all(max(c["improper (-R)"]) <= 3 for c in counts.values())
    # numerical: ||M|| <= 1 as <= 3n generalised Householder factors via SVD
    rng = np.random.default_rng(22)
    worst_err, max_factors, beta_ok = 0.0, 0, True
    for _ in range(200):
        n = int(rng.integers(2, 6))
        M = rng.standard_normal((n, n))
        M = M / np.linalg.norm(M, 2) * rng.uniform(0.1, 1.0)
        U, s, Vt = np.linalg.svd(M)
        fu, _ = _householder_factors_numeric(U)
        fv, _ = _householder_factors_numeric(Vt)
        factors = []  # in application order (rightmost first): Vt, then Sigma, then U
        factors += [(u, 2.0) for u in reversed(fv)]
        factors += [(np.eye(n)[i], 1.0 - s[i]) for i in range(n)]
        factors += [(u, 2.0) for u in reversed(fu)]
        P = np.eye(n)
        for u, b in factors:
            P = (np.eye(n) - b * np.outer(u, u)) @ P
        worst_err = max(worst_err, float(np.abs(P - M).max()))
        max_factors = max(max_factors, len(factors) / n)
        beta_ok &= all(0 <= b <= 2 for _, b in factors)
    num_ok = worst_err < 1e-10 and max_factors <= 3 and beta_ok
    ok = exact_ok and rot_exact2 and le3
    verdict = "confirmed-exact" if ok and num_ok else ("confirmed-empirical" if num_ok else "refuted")
    return (verdict,
            {"summary": f"exact Cartan-Dieudonne on the 48 (+-R, R octahedral) and 120 (+-R, R icosahedral) matrices: "
                        f"every rotation != I needs exactly 2, improper ones <= 3 ({counts['icosahedral']['improper (-R)']} "
                        f"for the icosahedral -R); SVD into <= 3n factors, beta in [0,2]: 200 random ||M||<=1 (n 2..5), "
                        f"max |product - M| = {worst_err:.1e} (float64)",
             "exact_counts": counts, "numeric": {"draws": 200, "seed": 22, "max_abs_error": worst_err,
                                                 "max_factors_per_n": max_factors}})


def _gpu_rows(path, pred):
    try:
        with open(path) as f:
            d = json.load(f)
    except OSError as e:
        return None, str(e)
    env = d.get("environment", {})
    finding = env.get("finding") or d.get("finding")
    rows = [r for r in d.get("results", d.get("rows", [])) if pred(r)]
    return {"file": path, "finding": finding, "rows": rows}, None


def ev_23():
    import torch

    import theory
    from automata import sample_words
    from kernels import deltaproduct
    from verify.horizon import _decode, _tensors, horizon
    from verify.lower import lower
    from verify.predict import predict

    G = _group("S5")
    c = theory.prove(G, 4, rep="permutation").construction
    low = lower(c, "bf16", "unit")
    rep = low.report
    k2 = rep["key_norms2_min"]
    contraction = 1 - abs(1 - 2 * k2)  # eigenvalue along k of I - 2 k k^T with |k|^2 = k2
    pred = predict(low)
    T, B, seed = 2000, 4, 0
    x, y = sample_words(G, T, B, seed=seed)
    q, k, v, b, S0 = _tensors(low, x, "cpu", torch.bfloat16)
    t0 = time.perf_counter()
    o, _ = deltaproduct(q, k, v, b, num_householder=4, scale=1.0, initial_state=S0.float(), backend="reference",
                        acc_dtype=torch.float32)
    st = o[..., 0].double().numpy()
    D = low.decoder.reshape(len(low.decoder), -1)
    okm = _decode(st, D) == y
    first = [int(np.argmax(~r)) + 1 if (~r).any() else None for r in okm]
    mean = D[0].mean()
    diff0 = np.linalg.norm(D[0] - mean)
    diffT = float(np.median(np.linalg.norm(st[:, -1] - st[:, -1].mean(axis=1, keepdims=True), axis=1)))
    rate = -math.log(diffT / diff0) / T
    # extrapolated failure: the sum-zero part decays like exp(-rate t) until it meets fp32 resolution of the mean
    extrap = int(math.log(diff0 / (abs(mean) * math.sqrt(5) * 2 ** -24)) / rate) if rate > 0 else None
    fp32_secs = time.perf_counter() - t0
    h_ref = horizon("S5", 4, "bf16", keys="unit", length=500, batch=4, seed=seed, prove_format=False)
    h32 = horizon("S5", 4, "fp32", keys="unit", length=500, batch=4, seed=seed, prove_format=False)
    gpu, gerr = _gpu_rows(os.path.join(_root(), "benchmarks/results/horizons_h200.json"),
                          lambda r: r.get("group") == "S5" and r.get("n_h") == 4)
    gsum = None
    if gpu:
        gsum = [{"format": r["format"], "backend": r["backend"], "keys": r["keys"], "chunked_tm": r.get("chunked_tm"),
                 "first_failure_min": (r.get("measured") or {}).get("first_failure_min"),
                 "error": (str(r.get("error"))[:80] if r.get("error") else None)} for r in gpu["rows"]]
    drift = diffT < diff0 * (1 - 1e-3)
    ok = abs(contraction - 4.3e-4) / 4.3e-4 < 0.05 and drift
    return ("confirmed-empirical" if ok else "refuted",
            {"summary": f"bf16 unit key |k|^2 = {k2:.7f}: each reflection contracts its key direction by {contraction:.2e} "
                        f"(claim 4.3e-4). Drift measured (CPU reference, bf16 params, fp32 state, {B} words x {T}, seed "
                        f"{seed}): sum-zero part of the state shrinks {diff0:.3f} -> {diffT:.3f}, yet argmax decoding never "
                        f"fails up to {T} (first failures {first}); extrapolated failure ~{extrap} tokens. verify.predict: "
                        f"worst {pred['worst']}, typical {pred['typical']} (very conservative). Round-each-op bf16 reference: "
                        f"first failure {h_ref['measured']['first_failure_min']} (<= 500); fp32 unit keys: "
                        f"{h32['measured']['first_failure_min']}. H200 chunked bf16, unit keys, first failure min: "
                        + (", ".join(f"{g['first_failure_min']} (Tm {g['chunked_tm']})" for g in gsum or []
                                     if g["format"] == "bf16" and g["backend"] == "chunked" and g["keys"] == "unit")
                           or "no row"),
             "lowering": rep, "contraction_per_reflection": contraction,
             "predicted": {k: pred[k] for k in ("worst", "typical", "expansive", "margin", "per_step_error")},
             "measured_fp32_state": {"backend": "reference", "params": "bf16", "state": "fp32", "length": T,
                                     "batch": B, "seed": seed, "first_failure": first, "seconds": round(fp32_secs, 2),
                                     "sum_zero_norm_start": diff0, "sum_zero_norm_end": diffT,
                                     "decay_rate_per_token": rate, "extrapolated_failure_tokens": extrap},
             "measured_round_each_op_bf16": h_ref["measured"] | {"error_curve": None},
             "measured_fp32_unit": h32["measured"] | {"error_curve": None},
             "gpu": {"file": "benchmarks/results/horizons_h200.json", "rows": gsum, "error": gerr,
                     "caveat": "measured after the small-head chunked fix (kernel_grads_h200.json); integer-key rows "
                               "are exact (no drift), unit-key rows fail from the drift measured here"}})


def _root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ev_24():
    import torch

    out = {}
    expect = {"bf16": 6.24, "fp32": 16.64}
    for name, dt in (("bf16", torch.bfloat16), ("fp32", torch.float32)):
        grid = torch.arange(0, 40, 1e-4, dtype=torch.float64)
        res = {}
        for mode in ("x in fp32, sigmoid in fp32, cast", "x in dtype, sigmoid in dtype"):
            if mode.startswith("x in fp32"):
                y = (2 * torch.sigmoid(grid.to(torch.float32))).to(dt)
                xs = grid.to(torch.float32).double()
            else:
                xd = grid.to(dt)
                y = 2 * torch.sigmoid(xd)
                xs = xd.double()
            is2 = (y.double() == 2.0).numpy()
            # smallest x on the grid from which 2*sigmoid(x) is 2.0 for every larger grid point
            last_bad = np.where(~is2)[0]
            idx = 0 if last_bad.size == 0 else int(last_bad[-1]) + 1
            res[mode] = float(xs[idx]) if idx < len(xs) else None
        # correctly rounded sigmoid (float64 -> dtype, round to nearest even)
        y = (2 * torch.sigmoid(grid)).to(dt).double().numpy()
        bad = np.where(y != 2.0)[0]
        res["correctly rounded sigmoid (float64 then cast)"] = float(grid[int(bad[-1]) + 1])
        out[name] = res
    b = out["bf16"]["x in dtype, sigmoid in dtype"]
    f = out["fp32"]["x in dtype, sigmoid in dtype"]
    ok = abs(b - expect["bf16"]) < 0.05 and abs(f - expect["fp32"]) < 0.05
    return ("confirmed-empirical" if ok else "refuted",
            {"summary": f"torch {torch.__version__} CPU, grid step 1e-4 on [0,40]: 2*sigmoid(x) == 2.0 from x = {b:.4f} "
                        f"(bf16; bf16 inputs are spaced 1/32 there) and x = {f:.4f} (fp32); claim 6.24 / 16.64. A correctly "
                        f"rounded fp32 sigmoid would need x >= "
                        f"{out['fp32']['correctly rounded sigmoid (float64 then cast)']:.4f} (25 ln 2): 16.64 = 24 ln 2 comes "
                        f"from 1 + exp(-x) rounding to 1 in fp32",
             "thresholds": out, "expected": expect, "ln2_multiples": {"9 ln2": 9 * math.log(2), "24 ln2": 24 * math.log(2),
                                                                       "25 ln2": 25 * math.log(2)}})


def ev_25():
    import torch

    from kernels import deltaproduct

    rng = np.random.default_rng(25)
    B, T, H, K, V, n_h = 2, 6, 2, 3, 2, 3
    # small dyadic numbers so that the exact Fraction recurrence is cheap and float64 is nearly exact
    kq = rng.integers(-4, 5, size=(B, T * n_h, H, K)) / 4
    kq[..., 0] += 0.25  # no zero keys
    vq = rng.integers(-4, 5, size=(B, T * n_h, H, V)) / 4
    bq = rng.integers(0, 9, size=(B, T * n_h, H)) / 8  # beta in [0, 1] so that |k|^2 beta stays moderate
    qq = rng.integers(-4, 5, size=(B, T, H, K)) / 4
    s0 = rng.integers(-4, 5, size=(B, H, K, V)) / 4
    t = lambda a: torch.tensor(a, dtype=torch.float64)
    o_ref, S_ref = deltaproduct(t(qq), t(kq), t(vq), t(bq), num_householder=n_h, scale=1.0,
                                initial_state=t(s0), output_final_state=True, backend="reference")
    # exact recurrence of THEORY.md 1.3 with Fractions: step 1 first, readout after the last step
    Fr = lambda x: Fraction(float(x))
    o_ex = np.zeros((B, T, H, V))
    o_rev = np.zeros((B, T, H, V))
    for bb in range(B):
        for hh in range(H):
            for order, dest in ((range(n_h), o_ex), (range(n_h - 1, -1, -1), o_rev)):
                S = [[Fr(s0[bb, hh, i, j]) for j in range(V)] for i in range(K)]
                for tt in range(T):
                    for j in order:
                        r = tt * n_h + j
                        kk = [Fr(x) for x in kq[bb, r, hh]]
                        beta = Fr(bq[bb, r, hh])
                        vv = [Fr(x) for x in vq[bb, r, hh]]
                        kS = [sum(kk[i] * S[i][c] for i in range(K)) for c in range(V)]
                        S = [[S[i][c] + beta * kk[i] * (vv[c] - kS[c]) for c in range(V)] for i in range(K)]
                    qv = [Fr(x) for x in qq[bb, tt, hh]]
                    dest[bb, tt, hh] = [float(sum(qv[i] * S[i][c] for i in range(K))) for c in range(V)]
    scale = max(1.0, float(np.abs(o_ex).max()))
    err_exact = float(np.abs(o_ref.numpy() - o_ex).max()) / scale
    err_rev = float(np.abs(o_ref.numpy() - o_rev).max()) / scale
    fla = {}
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from fla.ops.gated_delta_product.naive import naive_recurrent_gated_delta_product
        o_fla, _ = naive_recurrent_gated_delta_product(t(qq), t(kq), t(vq), None, t(bq), 1.0,
                                                       initial_state=t(s0).float(), output_final_state=True,
                                                       num_householder=n_h)
        fla = {"available": True, "max_rel_err_vs_exact": float(np.abs(o_fla.double().numpy() - o_ex).max()) / scale,
               "computes_in": "float32 (fla's naive casts inputs with .float())"}
    except Exception as e:  # noqa: BLE001 - fla is optional
        fla = {"available": False, "reason": f"{type(e).__name__}: {e}"[:200]}
    noncomm = bool(err_rev > 1e-3)
    ok = err_exact < 1e-12 and noncomm and (not fla.get("available") or fla["max_rel_err_vs_exact"] < 1e-5)
    return ("confirmed-empirical" if ok else "refuted",
            {"summary": f"non-commuting keys (B={B}, T={T}, H={H}, K={K}, V={V}, n_h={n_h}, seed 25): our reference (float64) "
                        f"vs exact Fraction recurrence (step 1 rightmost) rel err {err_exact:.1e}; vs the reversed step order "
                        f"{err_rev:.2f} (order matters); fla naive_recurrent_gated_delta_product vs exact "
                        f"{fla.get('max_rel_err_vs_exact', float('nan')):.1e} (fla runs in fp32). The Triton kernels are "
                        f"checked against this reference elsewhere (tests/kernels; on the H200: "
                        f"benchmarks/results/kernel_grads_h200.json, its small-head bug fixed there)",
             "reference_vs_exact": err_exact, "reference_vs_reversed_order": err_rev, "fla_naive": fla,
             "layout": "k/v/beta rows t*n_h + j (token-major, step-minor), q read after the last step"})


def ev_26():
    return ("not-checkable",
            {"summary": "learnability of A5 (0/20 seeds in an unpublished replication, [SLiCE] vs [DP]) needs training runs; "
                        f"see {LEARNING_ISSUE}. The expressivity half (A5, n_h=2, one layer) is claim 11."})


# ----------------------------------------------------------------------------------------------------------
# the registry
# ----------------------------------------------------------------------------------------------------------

_EXACT = "exact arithmetic (int, Fraction, sympy algebraic fields); one layer unless stated"

CLAIMS: list[Claim] = [
    Claim("1", "Z2 (parity), d=1, n_h=1 (A(1) = -1, beta=2), L=1, exact: solves at all lengths.", "[GZ] Thm 3",
          ("letters: all elements of Z2", "d = 1, n_h = 1, beta in [0, 2]", _EXACT), ev_1),
    Claim("2", "Parity with beta in [0,1] (eigenvalues >= 0), any d, n_h, L, finite precision: impossible; the cast state "
               "is eventually constant on 1^k.", "[GZ] Thm 1, Prop. 1.3",
          ("beta in [0, 1] for every factor", "finite precision (cast to nearest); genericity as stated in the certificate "
           "for n_h > 2", "experiment: fp32, random unit keys, random writes, reference kernel"), ev_2),
    Claim("3a", "Z3 counting with n_h=1 (real spectrum), L=1, any finite precision: impossible.", "[GZ] Thm 2",
          ("one layer, n_h = 1 (symmetric transitions)", "finite precision model of [GZ] A.4 (products exact, then cast)",
           "beta in [0, 2]"), ev_3a),
    Claim("3b", "With n_h=1 the output on 1^k is eventually 2-periodic (in finite precision).", "[GZ] Thm 2 (proof)",
          ("one layer, n_h = 1, beta in [0, 2]", "measured in the kernel's fp32 arithmetic (every operation rounded), "
           "random unit keys, random writes"), ev_3b),
    Claim("4", "Z_m, d=2, n_h=2 (two reflections at angle pi/m), L=1, exact: solves for all m.", "[GZ] Thm 3 / C.1",
          ("letters: all elements", "d = 2, n_h = 2, beta in {0, 2}", _EXACT,
           "checked for m = 3, ..., 12"), ev_4),
    Claim("5", "Z_m, d=2, n_h=1 (reflections only), L=2 (layer 1 scalar -1), exact: solves for all m, with 2m distinct "
               "states.", "[GZ] Thm 6",
          ("two layers, n_h = 1 each", "mod-m counting DFA (alphabet 0, 1)", _EXACT, "checked for m = 3..8"), ev_5),
    Claim("6", "S_n with swap-only inputs (plus identity), d=n, n_h=1, L=1, exact: solves with H_0 = (1..n)^T.",
          "[GZ] Thm 3",
          ("letters: identity and the transpositions", "permutation representation, keys e_i - e_j", "h0 = (1, ..., n)",
           _EXACT, "checked for n = 3, 4, 5"), ev_6),
    Claim("7", "S_n with <= l moved points per input, d=n, n_h=l-1, L=1, exact: solves.", "[GZ] Thm 3",
          ("letters: the permutations moving <= l points", "permutation representation", _EXACT,
           "checked for (n, l) = (4, 3), (5, 3), (5, 4)"), ev_7),
    Claim("8", "S_n with all inputs, d=n (or n-1), n_h=n-1, L=1, exact: solves; an n-cycle needs n_h = n-1 in the "
               "permutation rep.", "[DP] Thm 1a (SECONDARY)",
          ("letters: all elements", "permutation (d=n) or standard (d=n-1) representation", _EXACT,
           "checked for n = 3..6 (standard: 3, 4)"), ev_8),
    Claim("9", "S3, d=2 (S3 = D3 in O(2)), n_h=2, L=1, exact: solves; n_h=1 impossible (elements of order 3).",
          "[GZ] Thm 2/3, [DP] README",
          ("letters: all elements", _EXACT, "refutation: one layer, real spectrum, finite precision"), ev_9),
    Claim("10", "S4 as cube rotations, d=3, n_h=2, L=1, exact: solves (24 distinct states).", "[DP] Thm 4 (n=2)",
          ("letters: all elements", "octahedral representation in SO(3)", _EXACT), ev_10),
    Claim("11", "A5 as icosahedral rotations, d=3, n_h=2, L=1, exact: solves (60 states).", "[DP] Thm 4",
          ("letters: all elements", "icosahedral representation, entries in QQ(sqrt 5)", _EXACT), ev_11),
    Claim("12", "A4, d=3, n_h=2, L=1, exact: solves.", "[DP] Thm 4",
          ("letters: all elements", "tetrahedral representation", _EXACT), ev_12),
    Claim("13", "D_m, d=2, n_h=2 (beta in {0,2}), L=1, exact: solves.", "[DP] Thm 4 with O(2)",
          ("letters: all elements", "dihedral2d representation", _EXACT, "checked for m = 3..6"), ev_13),
    Claim("14", "D_m, n_h=1 (DeltaNet), L=2, exact: solves.", "[DP] v1-v4 'two layers' (construction UNCONFIRMED)",
          ("two layers, n_h = 1 each, all 2m letters", "layer 2's steps depend on the letter and layer 1's decoded label "
           "at the same position", _EXACT, "checked for m = 3..6"), ev_14),
    Claim("15", "S5 (all 120 inputs), n_h <= 3, L=1, finitely many states, non-expansive: impossible; weaker part: with "
                "n_h <= 3 every transition has <= 1 non-real eigenvalue pair.", "[CKDA] Thm 4 (UNCONFIRMED)",
          ("certified part: exactly orthogonal transitions (beta in {0, 2}), faithful real representation, one layer, "
           "all letters", "weaker part: unit keys, beta in [0, 2], any d, float64 eigenvalues with tolerance 1e-9"),
          ev_15),
    Claim("16a", "S5, d=5, n_h=4, L=1, exact: solves (perm rep).", "[DP] Fig. 1 / Thm 1a",
          ("letters: all 120 elements", "permutation representation, integer keys", _EXACT), ev_16a),
    Claim("16b", "S5 trained in bf16 with n_h=4: accuracy ~1 up to length ~200 (train 128), ~0 by 512.", "[DP] Fig. 1",
          ("1 layer, 8 heads, head_dim 32, bf16, lr 1e-3, batch 2048, 100 epochs",), _not_trained("S5, n_h=4, bf16")),
    Claim("17", "S5 trained with n_h in {1,2,3}, L=1, bf16: sequence accuracy -> 0 well before length 128.",
          "[DP] Fig. 1", ("trained models, bf16",), _not_trained("S5, n_h=1..3")),
    Claim("18a", "With beta in [0,1] no transition is orthogonal and non-identity, so no group with a non-identity letter "
                 "is tracked at all lengths.", "[GZ] Prop. 1.3",
          ("beta in [0, 1]", "finite precision; genericity as stated in the certificates"), ev_18a),
    Claim("18b", "Any group, any n_h, beta in [0,1] models, trained: fail to extrapolate.", "[DP] README configs 3-4",
          ("trained models",), _not_trained("[0,1] models")),
    Claim("19", "S_n with all inputs: n_h=1 with L=4, or n_h >= 2 with L=3, finite precision: solvable.",
          "[DP] Thm 1b/1c (SECONDARY)", ("multi-layer with an MLP lookup between layers",), ev_19),
    Claim("20", "Any regular language is recognised by finitely many layers with d <= |Q|, eigenvalues in [-1,1], exact "
                "integers (Krohn-Rhodes); smallest test the flip-flop, which needs A = 0.", "[GZ] Thm 4, [DP] Thm 2",
          ("DFA state tracked at every position", _EXACT, "checked: flip_flop, parity, mod3, even_pairs, "
           "cycle_navigation"), ev_20),
    Claim("21", "Stability: unit keys, beta in [0,2]: ||A||_2 <= 1 for every n_h; eigenvalues are 1 or |lambda| < 1 when "
                "all beta in (0,2).", "[GZ] Prop. 1",
          ("unit keys", "mpmath 40 digits, random draws, tolerance 1e-30"), ev_21),
    Claim("22", "Every orthogonal 3x3 matrix is a product of <= 3 reflections; every rotation != I needs exactly 2; every "
                "||M|| <= 1 is a product of <= 3n generalised Householder factors.", "[GZ] Prop. 1.2",
          ("exact part: octahedral and icosahedral rotations R and -R", "numerical part: float64 SVD factorisation"),
          ev_22),
    Claim("23", "bf16 with the exact swap construction (unit keys, beta=2): each reflection contracts its key direction by "
                "~4.3e-4, so a permutation state drifts; predict and measure when argmax decoding fails.",
          "THEORY.md 4.5",
          ("S5, n_h = 4, permutation construction, unit keys rounded to bf16", "CPU reference kernel; GPU results from "
           "benchmarks/results/horizons_h200.json"), ev_23),
    Claim("24", "bf16: 2*sigmoid(x) = 2.0 exactly for x >~ 6.24; fp32: for x >~ 16.64.", "THEORY.md 4.5",
          ("torch sigmoid on CPU, grid step 1e-4",), ev_24),
    Claim("25", "Kernel layout: k flattened token-major/step-minor, q at the last step, A(x) = G_{n_h}...G_1 (step 1 "
                "rightmost); equals the float64 recurrence.", "[FLA], THEORY.md 1.3",
          ("non-commuting keys", "reference backend float64, exact Fraction recurrence, fla's naive recurrence"), ev_25),
    Claim("26", "A5 learnability: one layer with n_h=2 is expressive enough, yet learning is protocol-sensitive.",
          "[SLiCE], unpublished replication, [DP]", ("trained models",), ev_26),
]

CLAIMS_BY_ID = {c.id: c for c in CLAIMS}


# ----------------------------------------------------------------------------------------------------------
# running and reporting
# ----------------------------------------------------------------------------------------------------------

def _jsonable(x):
    return json.loads(json.dumps(x, default=lambda o: str(o)))


def run_claims(ids=None) -> list[dict]:
    """Run the evidence functions (all, or those in ``ids``); an exception becomes ``not-checkable`` with the error."""
    rows = []
    for c in CLAIMS:
        if ids is not None and c.id not in ids:
            continue
        t0 = time.perf_counter()
        try:
            verdict, ev = c.evidence()
        except Exception as e:  # noqa: BLE001 - a crashing check is reported, not hidden
            verdict, ev = "not-checkable", {"summary": f"evidence function failed: {type(e).__name__}: {e}"}
        rows.append({"id": c.id, "statement": c.statement, "source": c.source, "hypotheses": list(c.hypotheses),
                     "verdict": verdict, "evidence": _jsonable(ev), "seconds": round(time.perf_counter() - t0, 2)})
    return rows


def _md_cell(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def render_markdown(rows: list[dict]) -> str:
    lines = ["# Checkable claims of THEORY.md §6", "",
             "Generated by `deltaproof claims` (`verify/claims.py`); every verdict is computed at run time by the "
             "project's tools. Verdicts: confirmed-exact (re-checked certificate), confirmed-empirical (float "
             "measurement), refuted, not-checkable.", "",
             "| id | verdict | source | evidence | s |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['id']} | {r['verdict']} | {_md_cell(r['source'])} | "
                     f"{_md_cell(r['evidence'].get('summary', ''))} | {r['seconds']} |")
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    lines += ["", "Totals: " + ", ".join(f"{k} {v}" for k, v in counts.items()), ""]
    for r in rows:
        lines += [f"## Claim {r['id']}: {r['verdict']}", "", f"**Statement.** {r['statement']}", "",
                  f"**Source.** {r['source']}", "", "**Hypotheses.**", ""]
        lines += [f"- {h}" for h in r["hypotheses"]]
        lines += ["", f"**Evidence.** {r['evidence'].get('summary', '')}", "", "<details><summary>details (JSON)"
                  "</summary>", "", "```json", json.dumps(r["evidence"], indent=1, default=str), "```", "",
                  "</details>", ""]
    return "\n".join(lines)


def write_report(rows: list[dict], path: str = "reports/claims.md") -> str:
    """Write the Markdown report atomically (temp file in the same folder, then ``os.replace``)."""
    from verify.atomic import write_atomic

    text = render_markdown(rows)
    # the atlas's figures (same folder) illustrate several claims: embed those that exist
    figs = [("atlas_min_nh_heatmap.png", "Exact verdicts per group and n_h (claims 1, 4, 8-13, 15, 16a)"),
            ("atlas_error_vs_length.png", "State error against length per format (claims 23, 25)"),
            ("atlas_horizon_vs_nh.png", "First failing length against n_h (claim 23)"),
            ("reachable_S4_nh2.png", "Reachable states of the cube-rotation construction (claim 10)")]
    d = os.path.dirname(os.path.abspath(path))
    present = [(f, cap) for f, cap in figs if os.path.exists(os.path.join(d, f))]
    if present:
        text += "\n## Figures (from `deltaproof atlas --out reports`)\n\n" + "".join(
            f"**{cap}**\n\n![{f}]({f})\n\n" for f, cap in present)
    write_atomic(path, text)
    return path


def main_claims(as_json: bool, path: str = "reports/claims.md") -> int:
    """CLI body of ``deltaproof claims [--json]``: print the table (or one JSON object) and write the report."""
    rows = run_claims()
    write_report(rows, path)
    if as_json:
        print(json.dumps({"claims": rows}))
    else:
        w = max(len(r["verdict"]) for r in rows)
        for r in rows:
            s = r["evidence"].get("summary", "")
            print(f"{r['id']:>4}  {r['verdict']:<{w}}  {s[:110]}{'...' if len(s) > 110 else ''}")
        print(f"report: {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(main_claims("--json" in sys.argv))
