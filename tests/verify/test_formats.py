from fractions import Fraction

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, strategies as st

from theory.errors import InvalidInput
from verify.formats import FORMATS, FormatOverflow, get_format, is_representable, round_to

_NP = {"bf16": ml_dtypes.bfloat16, "fp16": np.float16, "fp32": np.float32}


@given(st.floats(allow_nan=False, allow_infinity=False, width=64), st.sampled_from(list(_NP)))
def test_round_to_matches_numpy_and_ml_dtypes(x, name):
    """Independent oracle: numpy / ml_dtypes casting of float64 values (exact inputs, single rounding)."""
    with np.errstate(over="ignore"):
        o = np.array([x]).astype(_NP[name]).astype(np.float64)[0]
    if not np.isfinite(o):
        with pytest.raises(FormatOverflow):
            round_to(Fraction(x), name)
    else:
        assert round_to(Fraction(x), name) == Fraction(float(o))


def test_ties_to_even_and_subnormals():
    assert round_to(Fraction(257), "bf16") == 256 and round_to(Fraction(259), "bf16") == 260
    tiny = Fraction(1, 2 ** 133)  # bf16 smallest subnormal
    assert round_to(tiny, "bf16") == tiny and round_to(tiny * Fraction(2, 5), "bf16") == 0
    assert round_to(Fraction(1, 3), "fp64") == Fraction(1 / 3)


def test_representable_and_errors():
    assert is_representable(Fraction(1, 2), "bf16") and not is_representable(Fraction(1, 3), "fp64")
    assert FORMATS["bf16"].eps == Fraction(1, 128)
    with pytest.raises(InvalidInput, match="format"):
        get_format("fp8")
