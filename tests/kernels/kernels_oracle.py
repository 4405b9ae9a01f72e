"""Independent oracles for the kernel tests (not using kernels.reference).

``exact_run`` lifts float inputs to ``fractions.Fraction`` and runs the recurrence exactly, returning
the exact outputs together with a rigorous-style error budget for a float implementation that follows the
sequential operation order. See ``error_bound``'s docstring for the derivation.
"""

from __future__ import annotations

import math
from fractions import Fraction

import torch


def make_inputs(B, T, H, K, V, n, *, gated=False, h0=False, seed=0, dtype=torch.float32, beta_max=2.0):
    """Random inputs: unit keys (normalised in float64, then cast), beta in [0, beta_max], g in (-0.5, 0]."""
    gen = torch.Generator().manual_seed(seed)
    q = torch.randn(B, T, H, K, generator=gen, dtype=torch.float64)
    k = torch.nn.functional.normalize(torch.randn(B, T * n, H, K, generator=gen, dtype=torch.float64), dim=-1)
    v = torch.randn(B, T * n, H, V, generator=gen, dtype=torch.float64)
    beta = torch.rand(B, T * n, H, generator=gen, dtype=torch.float64) * beta_max
    g = -torch.rand(B, T, H, generator=gen, dtype=torch.float64) * 0.5 if gated else None
    s0 = torch.randn(B, H, K, V, generator=gen, dtype=torch.float64) if h0 else None

    def cast(x):
        return None if x is None else x.to(dtype)

    return dict(
        q=cast(q),
        k=cast(k),
        v=cast(v),
        beta=cast(beta),
        g=None if g is None else g.float(),
        initial_state=None if s0 is None else s0.float(),
    )


def _fr(x: float) -> Fraction:
    return Fraction(float(x))  # exact: every float is a dyadic rational


def exact_run(q, k, v, beta, n, scale, g=None, initial_state=None):
    """Exact recurrence for one batch element and head: inputs are nested lists/1-D tensors of floats.

    q: [T][K], k: [T*n][K], v: [T*n][V], beta: [T*n], g: [T] or None (the gate exp(g) is taken as the
    float64 value math.exp(g), lifted exactly), initial_state: [K][V] or None.
    Returns (outputs [T][V] as Fractions, a list of per-token float summaries for the error budget).
    """
    T = len(q)
    K = len(q[0]) if T else len(k[0])
    V = len(v[0]) if len(v) else 0
    S = [
        [_fr(initial_state[i][j]) if initial_state is not None else Fraction(0) for j in range(V)]
        for i in range(K)
    ]
    sc = _fr(scale)
    outs, budget = [], []
    acc = 0.0  # running sum of local error terms (Frobenius), in units of the unit roundoff
    for t in range(T):
        if g is not None:
            a = _fr(math.exp(float(g[t])))
            S = [[a * x for x in row] for row in S]
            acc += 2.0 * _fro(S)  # exp and the product are each rounded once
        for j in range(n):
            r = t * n + j
            kr = [_fr(x) for x in k[r]]
            vr = [_fr(x) for x in v[r]]
            br = _fr(beta[r])
            p = [sum(kr[i] * S[i][c] for i in range(K)) for c in range(V)]
            # |S| + |beta||k||k|^T|S| + |beta||k||v|^T, the magnitudes the rounding errors scale with
            absk = [abs(float(x)) for x in kr]
            absS = [[abs(float(x)) for x in row] for row in S]
            kS = [sum(absk[i] * absS[i][c] for i in range(K)) for c in range(V)]
            mag = 0.0
            for i in range(K):
                for c in range(V):
                    m = absS[i][c] + abs(float(br)) * absk[i] * (kS[c] + abs(float(vr[c])))
                    mag += m * m
            acc += (K + 4) * math.sqrt(mag)
            S = [[S[i][c] - br * kr[i] * (p[c] - vr[c]) for c in range(V)] for i in range(K)]
        qt = [_fr(x) for x in q[t]]
        o = [sc * sum(qt[i] * S[i][c] for i in range(K)) for c in range(V)]
        outs.append(o)
        qn = math.sqrt(sum(float(x) ** 2 for x in qt))
        qS = [sum(abs(float(qt[i])) * abs(float(S[i][c])) for i in range(K)) for c in range(V)]
        budget.append((qn, acc, qS, K))
    return outs, budget, S


def _fro(S) -> float:
    return math.sqrt(sum(float(x) ** 2 for row in S for x in row))


def error_bound(budget, scale, u, safety):
    """Per-output bound ``|o_float - o_exact| <= safety*u*(scale*||q_t||*E_t + scale*(K+2)*|q_t|^T|S_t|)``.

    Derivation (sequential order, unit keys, beta in [0, 2], gates <= 1): every step
    ``S <- S - beta k (k^T S - v^T)`` commits a local error bounded elementwise by ``gamma_{K+4}`` times
    ``|S| + |beta||k|(|k|^T|S| + |v|^T)`` (a length-K dot, two products, two sums), ``gamma_m ~ m u``.
    The later steps multiply an error by ``(I - beta k k^T)`` (2-norm <= 1 up to O(u)) and gates <= 1, so
    the state error at token t is at most the sum ``E_t`` of the local errors' Frobenius norms. The readout
    adds ``scale ||q_t|| E_t`` plus its own dot-product error ``gamma_{K+2} scale |q_t|^T |S_t|``.
    ``safety`` absorbs the difference between this and another operation order (the WY form of the
    chunked kernel reassociates the same sums; ``safety = 1`` for the sequential backends).
    Returns a list [T][V] of floats.
    """
    bounds = []
    for qn, acc, qS, K in budget:
        bounds.append([safety * u * (scale * qn * acc + scale * (K + 2) * x) for x in qS])
    return bounds
