"""Measured tracking horizons: seeded random words through a kernel backend, decoded against the exact targets.

How the state is read: the construction has ``V = 1`` and ``K`` state dimensions. The run uses ``H = K`` heads
with identical keys, betas and values, and the query of head ``i`` is ``e_i`` (``scale = 1``), so the kernel's
output ``o[b, t, i, 0]`` is entry ``i`` of the state after token ``t``: the full state at every position with an
unmodified kernel. The state is decoded in float64 by argmax against the exact reference states.

The ``reference`` backend runs with ``round_each_op=True`` (the semantics of the exact-in-format proofs); the
Triton backends use their own internal precision (fp32 state for 16-bit inputs).

Examples
--------
>>> r = horizon("S3", n_h=2, fmt="bf16", backend="reference", keys="unit", length=64, batch=4, seed=0)
>>> r["measured"]["fraction_tracked"]
1.0
"""

from __future__ import annotations

import time

import numpy as np

from automata import group as make_group
from automata.groups import sample_words
from theory.errors import InvalidInput
from theory.prover import prove
from verify.format_proof import prove_in_format
from verify.formats import get_format
from verify.lower import KEY_MODES, lower
from verify.predict import SEMANTICS, predict

__all__ = ["BACKENDS", "horizon", "run_words"]

BACKENDS = ("reference", "recurrent", "chunked", "fla")


def _tensors(low, x: np.ndarray, device, dtype):
    import torch

    B, T = x.shape
    K, n_h = low.construction.key_dim, low.construction.n_h
    L = len(low.steps)
    ks = np.zeros((L, n_h, K))
    bs = np.zeros((L, n_h))
    vs = np.zeros((L, n_h, 1))
    for li, row in enumerate(low.steps):
        for j, (k, b, v) in enumerate(row):
            ks[li, j] = [float(t) for t in k]
            bs[li, j] = float(b)
            vs[li, j] = [float(t) for t in v]
    # values are exact format numbers: the cast to the run dtype is exact
    k = torch.tensor(ks[x].reshape(B, T * n_h, 1, K), dtype=dtype, device=device).expand(B, T * n_h, K, K)
    beta = torch.tensor(bs[x].reshape(B, T * n_h, 1), dtype=dtype, device=device).expand(B, T * n_h, K)
    v = torch.tensor(vs[x].reshape(B, T * n_h, 1, 1), dtype=dtype, device=device).expand(B, T * n_h, K, 1)
    q = torch.eye(K, dtype=dtype, device=device)[None, None].expand(B, T, K, K)
    h0 = torch.tensor([[float(t) for t in r] for r in low.initial_state], dtype=dtype, device=device)
    S0 = h0[None, None].expand(B, K, K, 1).contiguous()
    return q.contiguous(), k.contiguous(), v.contiguous(), beta.contiguous(), S0


def run_words(low, x: np.ndarray, *, backend: str = "reference", device: str = "cpu",
              round_each_op: bool = True) -> np.ndarray:
    """States ``[B, T, K]`` (float64) after each token of the letter-index words ``x`` ``[B, T]``.

    ``round_each_op`` (reference backend only): round the state to the format after every operation (the
    semantics of the exact-in-format proofs), or keep it in fp32 with inputs in the format (the recurrent kernel's
    semantics, without the chunked kernel's 16-bit intermediates)."""
    import torch

    from kernels import deltaproduct

    dtype = getattr(torch, low.format.torch_dtype)
    q, k, v, beta, S0 = _tensors(low, x, device, dtype)
    kw = {"round_each_op": round_each_op} if backend == "reference" else {}
    if backend == "fla" and dtype == torch.float32:
        raise InvalidInput("backend: fla has no fp32 chunked path; use bf16/fp16 or another backend")
    o, _ = deltaproduct(q, k, v, beta, num_householder=low.construction.n_h, scale=1.0, initial_state=S0,
                        backend=backend, **kw)
    return o[..., 0].double().cpu().numpy()


def _median_or_none(x: np.ndarray):
    m = float(np.median(x))
    return None if not np.isfinite(m) else int(np.ceil(m))


def _decode(states: np.ndarray, D: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Argmax decoding in float64, in chunks along T (B x T x |G| scores would not fit for long runs)."""
    out = np.empty(states.shape[:2], dtype=np.int64)
    for t in range(0, states.shape[1], chunk):
        out[:, t:t + chunk] = np.argmax(np.einsum("btk,gk->btg", states[:, t:t + chunk], D), axis=-1)
    return out


def horizon(group_spec: str, n_h: int, fmt: str, *, backend: str = "reference", keys: str = "auto",
            length: int = 1000, batch: int = 16, device: str = "cpu", seed: int = 0,
            prove_format: bool = True, round_each_op: bool = True) -> dict:
    """Predict and measure how long a construction keeps tracking in format ``fmt`` (JSON shape of DESIGN.md).

    ``round_each_op=False`` (reference backend only) measures the fp32-state semantics instead of rounding after
    every operation; the prediction follows (``verify.predict``, semantics ``fp32-state``)."""
    if backend not in BACKENDS:
        raise InvalidInput(f"backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
    if keys not in KEY_MODES:
        raise InvalidInput(f"keys: expected one of {', '.join(KEY_MODES)}, got {keys!r}")
    get_format(fmt)
    for name, val, lo in (("length", length, 1), ("batch", batch, 1), ("n_h", n_h, 1)):
        if not isinstance(val, int) or isinstance(val, bool) or val < lo:
            raise InvalidInput(f"{name}: expected an integer >= {lo}, got {val!r}")
    if length > 10_000_000:
        raise InvalidInput(f"length: at most 10^7, got {length}")
    if device not in ("cpu", "cuda"):
        raise InvalidInput(f"device: expected 'cpu' or 'cuda', got {device!r}")
    G = make_group(group_spec)
    r = prove(G, n_h)
    if not isinstance(round_each_op, bool) or (not round_each_op and backend != "reference"):
        raise InvalidInput(f"round_each_op: only the reference backend takes False, got {round_each_op!r} with "
                           f"backend {backend!r}")
    out = {"group": G.spec, "n_h": n_h, "format": fmt, "backend": backend, "keys": keys}
    if backend == "reference":
        out["round_each_op"] = round_each_op
    if r.verdict != "proved":
        out.update(exact_in_format=False, certificate=None, verdict=r.verdict,
                   predicted={"worst": None, "typical": None, "expansive": False}, measured=None)
        return out
    c = r.construction
    low = lower(c, fmt, keys)
    out["keys"] = low.keys
    cert = None
    if prove_format and G.order <= 720:
        fp = prove_in_format(c, G, fmt, low.keys, max_states=20 * G.order)
        cert = {"verdict": fp.verdict, "states": fp.states, "message": fp.message}
    proved_fmt = bool(cert and cert["verdict"] == "proved")
    semantics = "fp32-state" if backend == "reference" and not round_each_op else SEMANTICS[backend]
    pred = predict(low, exact_in_format_proved=proved_fmt, semantics=semantics)
    out.update(exact_in_format=low.exact_in_format, certificate=cert, lowering=low.report,
               predicted={"worst": pred["worst"], "typical": pred["typical"], "expansive": pred["expansive"], "semantics": pred["semantics"],
                          "margin": pred["margin"], "per_step_error": pred["per_step_error"], "rho": pred["rho"]})
    x, y = sample_words(G, length, batch, seed=seed)
    t0 = time.perf_counter()
    states = run_words(low, x, backend=backend, device=device, round_each_op=round_each_op)
    secs = time.perf_counter() - t0
    D = low.decoder.reshape(len(low.decoder), -1)
    labels = np.array([lab for lab, _, _ in c.decoder])
    ok = labels[_decode(states, D)] == y
    ok &= np.isfinite(states).all(axis=-1)
    bad = ~ok
    first = np.where(bad.any(axis=1), bad.argmax(axis=1) + 1, -1)  # 1-based length of the first failure
    failures = first[first > 0]
    err = np.linalg.norm(states - D[y], axis=-1) / max(pred["h0_norm"], 1e-300)
    pts = sorted({min(length, int(round(v))) for v in np.geomspace(1, length, num=min(length, 24))})
    out["measured"] = {
        "length": length, "batch": batch, "seed": seed, "device": device, "seconds": round(secs, 3),
        "first_failure_min": int(failures.min()) if failures.size else None,
        # sequences that never fail count as +infinity; a median beyond the length is "no failure" (None)
        "first_failure_median": _median_or_none(np.where(first > 0, first, np.inf)),
        "fraction_tracked": float((first < 0).mean()),
        "error_curve": {"t": pts, "max_rel_error": [float(np.nanmax(err[:, t - 1])) for t in pts]},
    }
    return out
