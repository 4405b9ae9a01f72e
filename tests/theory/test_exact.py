from fractions import Fraction

import pytest
import sympy
from hypothesis import given, strategies as st

from theory.errors import ExactnessError, InvalidInput
from theory.exact import ExactField


def test_parse_rationals_and_radicals():
    F = ExactField(["sqrt(2)"])
    h = F.parse("sqrt(2)/2")
    assert F.to_str(h * h) == "1/2"
    assert F.parse(Fraction(3, 4)) == F.parse("3/4") == F.parse(sympy.Rational(3, 4))
    assert F.sign(F.parse("sqrt(2) - 3/2")) == -1 and F.sign(F.parse("3/2 - sqrt(2)")) == 1


@pytest.mark.parametrize("bad", [0.5, float("nan"), 1e-3])
def test_floats_refused(bad):
    with pytest.raises(ExactnessError):
        ExactField().parse(bad)


@pytest.mark.parametrize("text", ["0.5", "1e-3", "sqrt(2.0)"])
def test_decimal_strings_refused(text):
    with pytest.raises(ExactnessError):
        ExactField(["sqrt(2)"]).parse(text)


@pytest.mark.parametrize("text", ["sqrt(2)", "x", "1/0", "(1", "I", "import os"])
def test_bad_strings(text):
    with pytest.raises((InvalidInput, ExactnessError)):
        ExactField().parse(text)


def test_numpy_float_refused():
    import numpy as np

    with pytest.raises(ExactnessError):
        ExactField().parse(np.float64(0.25))


@given(st.fractions(), st.fractions())
def test_rational_roundtrip(a, b):
    F = ExactField()
    x, y = F.parse(a), F.parse(b)
    assert F.to_fraction(x * y) == a * b
    assert F.parse(F.to_str(x + y)) == x + y


@given(st.integers(-20, 20), st.integers(-20, 20))
def test_algebraic_roundtrip(p, q):
    F = ExactField(["sqrt(5)"])
    x = F.parse(f"{p} + {q}*sqrt(5)")
    assert F.parse(F.to_str(x)) == x
    assert F.is_rational(x) == (q == 0)


def test_rank_and_orthogonality():
    F = ExactField()
    assert F.rank(F.mat([[1, 2], [2, 4]])) == 1
    assert F.is_orthogonal(F.mat([[0, 1], [1, 0]]))
    assert not F.is_orthogonal(F.mat([[1, 1], [0, 1]]))


def test_coefficient_strings_roundtrip_and_errors():
    F = ExactField(["cos(2*pi/7)", "sin(2*pi/7)"])
    x = F.parse("cos(2*pi/7)")
    s = F.to_str(x)
    assert s.startswith("alg[") and F.parse(s) == x
    assert F.to_str(F.parse("3/4")) == "3/4"
    for bad in ["alg[1,x]", "alg[" + ",".join(["1"] * 20) + "]", "alg[1/0]"]:
        with pytest.raises(InvalidInput):
            F.parse(bad)
    with pytest.raises(InvalidInput):
        ExactField().parse("alg[1,2]")
