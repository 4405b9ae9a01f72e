"""Lowering: an exact construction becomes the numbers a kernel sees in a given format, with a report of what
rounding did to every parameter.

Key modes (DESIGN.md): ``unit`` uses ``k = u/|u|`` (rounded to the format) with ``beta`` and ``v/|u|``;
``integer`` uses ``k = u`` with ``beta_eff = beta/(u.u)`` and ``v``, which is only allowed when every one of these
numbers is exactly representable in the format; ``auto`` picks ``integer`` when it is exact, else ``unit``.
Irrational values are evaluated with mpmath at 60 significant digits before rounding: an irrational number is
never a rounding tie, and 60 digits decide the rounding of every format here unless the value lies within 1e-50
(relative) of a tie, which is checked.

This is the only place where exact values become floats (DESIGN.md, rules of the house).

Examples
--------
>>> from automata import group
>>> from theory import prove
>>> c = prove(group("S5"), n_h=4).construction
>>> low = lower(c, "bf16", keys="auto")
>>> low.keys, low.exact_in_format
('integer', True)
>>> lower(c, "bf16", keys="unit").exact_in_format
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np

from theory.construction import Construction
from theory.errors import InvalidInput
from verify.formats import Format, get_format, round_to

__all__ = ["KEY_MODES", "LoweredConstruction", "lower"]

KEY_MODES = ("auto", "unit", "integer")
_DIGITS = 60


@dataclass
class LoweredConstruction:
    """Format numbers (as exact Fractions) for every parameter, plus the rounding report.

    ``steps[x][j] = (k, beta, v)`` for letter ``x`` and step ``j``; ``initial_state`` is ``[K][V]``;
    ``decoder`` holds the reference states as float64 arrays (used for argmax decoding of float states).
    """

    construction: Construction
    format: Format
    keys: str
    steps: list
    initial_state: list
    decoder: np.ndarray
    report: dict = field(default_factory=dict)

    @property
    def exact_in_format(self) -> bool:
        """Every parameter is represented exactly (the lowered recurrence is the exact one, up to rounding of
        intermediate results)."""
        return self.report["all_exact"]

    def transition_matrices(self) -> list[np.ndarray]:
        """The rounded transitions ``A(x) = G_{n_h} ... G_1`` in float64 (products of exact format numbers)."""
        K = self.construction.key_dim
        out = []
        for steps in self.steps:
            A = np.eye(K)
            for k, beta, _ in steps:
                kk = np.array([float(x) for x in k])
                A = (np.eye(K) - float(beta) * np.outer(kk, kk)) @ A
            out.append(A)
        return out


def _to_mpf(F, x):
    return F.to_float(x, _DIGITS)


def _mpf_to_fraction(val) -> Fraction:
    sign, man, exp, _ = mpmath.mpf(val)._mpf_  # value = (-1)^sign * man * 2^exp, exactly
    return (-1) ** sign * Fraction(int(man)) * (Fraction(2) ** int(exp))


def _round_approx(q: Fraction, fmt: Format) -> Fraction:
    """Round a 60-digit approximation of an irrational number; refuse when it is too close to a tie to tell."""
    r = round_to(q, fmt)
    if q != 0:
        lo, hi = q * (1 - Fraction(1, 10 ** 50)), q * (1 + Fraction(1, 10 ** 50))
        if round_to(lo, fmt) != r or round_to(hi, fmt) != r:
            raise ArithmeticError("lower: value too close to a rounding tie to decide with 60 digits")
    return r


def _round_real(F, x, fmt: Format) -> tuple[Fraction, bool]:
    """(rounded value, exactly representable?) of a field element (irrationals are never representable)."""
    if F.is_rational(x):
        q = F.to_fraction(x)
        r = round_to(q, fmt)
        return r, r == q
    with mpmath.workdps(_DIGITS + 10):
        return _round_approx(_mpf_to_fraction(_to_mpf(F, x)), fmt), False


def _unit(F, u, uu, fmt: Format) -> tuple[list, list]:
    """Rounded ``u/|u|`` and exactness flags; exact arithmetic when |u| is rational."""
    if all(F.is_rational(x) for x in u):
        n2 = F.to_fraction(uu)
        num, den = n2.numerator, n2.denominator
        rn, rd = _isqrt_exact(num), _isqrt_exact(den)
        if rn is not None and rd is not None:
            norm = Fraction(rn, rd)
            vals = [F.to_fraction(x) / norm for x in u]
            rounded = [round_to(v, fmt) for v in vals]
            return rounded, [a == b for a, b in zip(rounded, vals)]
    with mpmath.workdps(_DIGITS + 10):
        norm = mpmath.sqrt(_to_mpf(F, uu))
        return [_round_approx(_mpf_to_fraction(_to_mpf(F, x) / norm), fmt) for x in u], [x == F.zero for x in u]


def _isqrt_exact(n: int) -> int | None:
    import math

    r = math.isqrt(n)
    return r if r * r == n else None


def lower(c: Construction, fmt: str, keys: str = "auto") -> LoweredConstruction:
    """Lower an exact construction to format ``fmt`` (bf16, fp16, fp32, fp64) with key mode ``keys``."""
    f = get_format(fmt)
    if keys not in KEY_MODES:
        raise InvalidInput(f"keys: expected one of {', '.join(KEY_MODES)}, got {keys!r}")
    F = c.field
    if keys == "auto":
        try:
            low = lower(c, fmt, "integer")
            if low.exact_in_format:
                return low
        except InvalidInput:
            pass
        return lower(c, fmt, "unit")

    steps, all_exact = [], True
    key_norms2 = []
    for L in c.letters:
        row = []
        for j, st in enumerate(L.steps):
            if st.beta == F.zero:
                k = [Fraction(0)] * c.key_dim
                row.append((k, Fraction(0), [Fraction(0)] * c.value_dim))
                continue
            uu = F.dot(st.u, st.u)
            if keys == "integer":
                beta_eff = st.beta / uu
                vals = [(x, "k") for x in st.u] + [(beta_eff, "beta")] + [(x, "v") for x in st.v]
                rounded = [_round_real(F, x, f) for x, _ in vals]
                if not all(ex for _, ex in rounded):
                    raise InvalidInput(f"keys: 'integer' needs exact keys and beta/(u.u) in {f.name}; letter {L.name} "
                                       f"step {j + 1} has an inexact value")
                K = c.key_dim
                k = [r for r, _ in rounded[:K]]
                beta = rounded[K][0]
                v = [r for r, _ in rounded[K + 1:]]
            else:
                k, kex = _unit(F, st.u, uu, f)
                if any(x != F.zero for x in st.v):
                    raise InvalidInput("keys: 'unit' lowering of writes (v != 0) is not supported; use 'integer'")
                v = [Fraction(0)] * c.value_dim
                beta, bex = _round_real(F, st.beta, f)
                all_exact &= all(kex) and bex
            if keys == "unit":
                key_norms2.append(float(sum(x * x for x in k)))
            row.append((k, beta, v))
        steps.append(row)
    S0 = []
    for r in c.initial_state:
        rr = [_round_real(F, x, f) for x in r]
        all_exact &= all(e for _, e in rr)
        S0.append([x for x, _ in rr])
    with mpmath.workdps(30):
        dec = np.array([[[float(_to_mpf(F, x)) for x in r] for r in D] for _, _, D in c.decoder])
    low = LoweredConstruction(c, f, keys, steps, S0, dec)
    A = low.transition_matrices()
    radii = [float(max(abs(np.linalg.eigvals(M)))) for M in A]
    orth = [float(np.linalg.norm(M.T @ M - np.eye(len(M)), 2)) for M in A]
    exactA = [np.array([[float(_to_mpf(F, x)) for x in r] for r in c.transition_matrix(i)]) for i in range(len(A))]
    defect = [float(np.linalg.norm(M - E, 2)) for M, E in zip(A, exactA)]
    low.report = {
        "format": f.name, "keys": keys, "all_exact": bool(all_exact),
        # unit keys: |k|^2 after rounding (1 when exact); integer keys are exact, reported as 1
        "key_norms2_min": min(key_norms2, default=1.0), "key_norms2_max": max(key_norms2, default=1.0),
        "spectral_radius_max": max(radii), "spectral_radius_min": min(radii),
        "orthogonality_defect_max": max(orth), "transition_defect_max": max(defect),
        "expansive": max(radii) > 1 + 1e-12,
    }
    return low
