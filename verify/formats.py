"""Binary floating-point formats and exact round-to-nearest-even of rational numbers.

Rounding is written here on rationals (``fractions.Fraction``) because the exact-in-format proofs need the
rounded value of an *exact* intermediate (a product or sum of format numbers), which is generally not a float64,
so converting through float64 first would round twice. ml_dtypes (bfloat16) and numpy (float16/32/64) are the
independent oracle for this code in the tests, on inputs where float64 is exact.

Examples
--------
>>> from fractions import Fraction
>>> round_to(Fraction(1, 3), "bf16")
Fraction(171, 512)
>>> round_to(Fraction(257), "bf16")          # tie between 256 and 258: to even mantissa
Fraction(256, 1)
>>> FORMATS["fp16"].eps
Fraction(1, 1024)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from theory.errors import InvalidInput

__all__ = ["FORMATS", "Format", "FormatOverflow", "get_format", "is_representable", "round_to"]


class FormatOverflow(ArithmeticError):
    """A rounded value exceeds the largest finite number of the format."""


@dataclass(frozen=True)
class Format:
    """A binary format with ``p`` significand bits (implicit bit included) and normal exponents ``emin..emax``."""

    name: str
    p: int
    emin: int
    emax: int
    torch_dtype: str

    @property
    def eps(self) -> Fraction:
        """Unit roundoff ``2^-p`` times 2, i.e. the spacing of numbers in [1, 2)."""
        return Fraction(1, 2 ** (self.p - 1))

    @property
    def max(self) -> Fraction:
        return (2 - Fraction(1, 2 ** (self.p - 1))) * Fraction(2) ** self.emax


FORMATS = {
    "bf16": Format("bf16", 8, -126, 127, "bfloat16"),
    "fp16": Format("fp16", 11, -14, 15, "float16"),
    "fp32": Format("fp32", 24, -126, 127, "float32"),
    "fp64": Format("fp64", 53, -1022, 1023, "float64"),
}


def get_format(name: str) -> Format:
    """The :class:`Format` called ``name`` (bf16, fp16, fp32, fp64); :class:`InvalidInput` otherwise."""
    try:
        return FORMATS[name]
    except (KeyError, TypeError):
        raise InvalidInput(f"format: expected one of {', '.join(FORMATS)}, got {name!r}") from None


def _floor_log2(x: Fraction) -> int:
    """floor(log2(x)) for x > 0, exactly."""
    e = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** e > x:
        e -= 1
    elif Fraction(2) ** (e + 1) <= x:
        e += 1
    return e


def round_to(x: Fraction | int, fmt: str | Format) -> Fraction:
    """Round an exact rational to the nearest number of the format (ties to even); subnormals included.

    Raises :class:`FormatOverflow` when the result would be infinite.
    """
    f = get_format(fmt) if isinstance(fmt, str) else fmt
    x = Fraction(x)
    if x == 0:
        return Fraction(0)
    n, d = x.numerator, x.denominator
    if d & (d - 1) == 0:  # dyadic: fast path when already representable (the common case in proofs)
        odd = abs(n) >> ((abs(n) & -abs(n)).bit_length() - 1)
        lsb = ((abs(n) & -abs(n)).bit_length() - 1) - (d.bit_length() - 1)
        if odd.bit_length() <= f.p and lsb >= f.emin - f.p + 1 and abs(x) <= f.max:
            return x
    sign = -1 if x < 0 else 1
    a = -x if x < 0 else x
    e = max(_floor_log2(a), f.emin)          # exponent of the binade (subnormals share emin)
    quantum = Fraction(2) ** (e - f.p + 1)   # spacing of representable numbers there
    q, r = divmod(a / quantum, 1)
    q = int(q)
    if r > Fraction(1, 2) or (r == Fraction(1, 2) and q % 2 == 1):
        q += 1
    out = q * quantum
    if out > f.max:
        raise FormatOverflow(f"{float(x):.6g} overflows {f.name}")
    return sign * out


def is_representable(x: Fraction | int, fmt: str | Format) -> bool:
    """Whether ``x`` is exactly a number of the format."""
    try:
        return round_to(x, fmt) == Fraction(x)
    except FormatOverflow:
        return False
