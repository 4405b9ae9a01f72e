"""Predicted tracking horizons of a lowered construction (the model is derived in verify/README.md).

Quantities, all from the exact construction and its rounded parameters:

* ``margin``: half the smallest distance between two distinct exact reachable states ``D_g``. For states of
  equal norm, the argmax decoder returns ``g`` whenever the state is within ``margin`` of ``D_g``.
* ``defect``: ``max_x ||A_rounded(x) - A(x)||_2``, the per-letter error of the rounded transition, plus the
  rounding of the state itself (``3 n_h u`` per letter with unit roundoff ``u = 2^-p``, for
  ``round_each_op`` semantics), both relative to ``|h_0|``: ``e = defect + 3 n_h u`` per letter.
* ``rho``: the largest spectral radius of a rounded transition; ``rho > 1`` means expansive.

Predictions (first failing length): worst case ``margin / (e |h_0|)`` (errors add up with the same sign,
transitions non-expansive); typical ``(margin / (e |h_0|))^2`` (errors behave like a random walk); if expansive,
the error also grows like ``rho^T``, giving ``ln(margin / (e |h_0|)) / ln(rho)``, and both predictions are capped
by it. A construction with all parameters exact and a closed exact-in-format certificate is predicted never to
fail (``None``).

Examples
--------
>>> from automata import group
>>> from theory import prove
>>> from verify.lower import lower
>>> c = prove(group("S5"), n_h=4).construction
>>> p = predict(lower(c, "bf16", keys="unit"))
>>> p["expansive"], p["typical"] >= p["worst"] >= 1
(False, True)
"""

from __future__ import annotations

import math

import numpy as np

from theory.errors import InvalidInput
from verify.lower import LoweredConstruction

__all__ = ["decoding_margin", "predict"]


def decoding_margin(low: LoweredConstruction) -> float:
    """Half the smallest distance between distinct reference states (float64)."""
    D = low.decoder.reshape(len(low.decoder), -1)
    best = math.inf
    for i in range(len(D)):
        d = np.linalg.norm(D[i + 1:] - D[i], axis=1) if i + 1 < len(D) else np.array([])
        d = d[d > 0]
        if d.size:
            best = min(best, float(d.min()))
    return best / 2 if best < math.inf else math.inf


#: How the state is rounded, per backend (see verify/README.md, "Prediction model").
SEMANTICS = {"reference": "sequential", "recurrent": "fp32-state", "chunked": "chunked", "fla": "chunked"}
_CHUNK_ROWS = 64


def predict(low: LoweredConstruction, *, exact_in_format_proved: bool = False,
            semantics: str = "sequential") -> dict:
    """Predicted first failing length: ``{"worst", "typical", "expansive", ...}`` (``None`` = never).

    ``semantics`` says where the state is rounded: ``"sequential"`` (to the format after every operation: the
    reference backend with ``round_each_op`` and the exact-in-format proofs), ``"fp32-state"`` (an fp32 state and
    16-bit inputs: the recurrent kernel), ``"chunked"`` (an fp32 state that is also rounded to the format once per
    chunk of 64 rows, as an operand of the chunk's dots: the chunked kernel and fla's).

    Examples
    --------
    >>> from automata import group
    >>> from theory import prove
    >>> from verify.lower import lower
    >>> low = lower(prove(group("S4"), 2).construction, "bf16", keys="unit")
    >>> a, b = predict(low), predict(low, semantics="chunked")
    >>> a["per_step_error"] > 10 * b["per_step_error"], a["typical"] < b["typical"]
    (True, True)
    """
    if semantics not in ("sequential", "fp32-state", "chunked"):
        raise InvalidInput(f"semantics: expected 'sequential', 'fp32-state' or 'chunked', got {semantics!r}")
    r = low.report
    h0 = float(np.linalg.norm(np.array([[float(x) for x in row] for row in low.initial_state])))
    n_h = low.construction.n_h
    u = 2.0 ** -low.format.p
    margin = decoding_margin(low)
    # rounding of the state: about three operations per Householder step in the format where it is stored
    if low.format.name == "fp64":
        e_state = 0.0
    elif semantics == "sequential":
        e_state = 3 * n_h * u
    else:
        e_state = 3 * n_h * 2.0 ** -24 + (u * n_h / _CHUNK_ROWS if semantics == "chunked" else 0.0)
    e = r["transition_defect_max"] + e_state
    rho = r["spectral_radius_max"]
    expansive = bool(r["expansive"])
    out = {"margin": margin, "per_step_error": e, "h0_norm": h0, "rho": rho, "expansive": expansive,
           "semantics": semantics}
    if exact_in_format_proved or (e == 0.0 and not expansive):
        out.update(worst=None, typical=None)
        return out
    ratio = margin / (e * h0) if e > 0 else math.inf
    worst = max(1, int(ratio))
    typical = max(1, int(ratio ** 2))
    if expansive and ratio > 1:
        grow = max(1, int(math.log(ratio) / math.log(rho)))
        worst, typical = min(worst, grow), min(typical, grow)
    out.update(worst=worst, typical=typical)
    return out
