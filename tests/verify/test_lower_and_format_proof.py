from fractions import Fraction

import pytest

from automata import group
from theory import prove
from theory.errors import InvalidInput
from verify.format_proof import prove_in_format
from verify.lower import lower
from verify.predict import predict


@pytest.fixture(scope="module")
def s4():
    return prove(group("S4"), 2).construction


def test_bf16_inverse_sqrt2_contraction():
    """THEORY.md §4.5: bf16(1/sqrt 2) = 0.70703125, so a unit swap key has |k|^2 = 0.9997864."""
    c = prove(group("S3"), 2).construction
    low = lower(c, "bf16", "unit")
    vals = {abs(x) for row in low.steps for k, b, _ in row if b for x in k if x}
    assert vals == {Fraction(181, 256)}  # 0.70703125
    assert abs(low.report["key_norms2_min"] - 0.9997863769) < 1e-9


def test_integer_keys_exact_everywhere(s4):
    for fmt in ("bf16", "fp16", "fp32", "fp64"):
        low = lower(s4, fmt, "auto")
        assert low.keys == "integer" and low.exact_in_format
        assert low.report["transition_defect_max"] == 0.0


def test_integer_mode_refused_when_inexact():
    c = prove(group("A5"), 2).construction
    with pytest.raises(InvalidInput, match="integer"):
        lower(c, "bf16", "integer")
    assert lower(c, "bf16", "auto").keys == "unit"
    assert lower(c, "fp16", "unit").report["expansive"]


def test_bad_key_mode(s4):
    with pytest.raises(InvalidInput, match="keys"):
        lower(s4, "bf16", "diagonal")


@pytest.mark.parametrize("fmt", ["bf16", "fp16"])
def test_s4_integer_proved_in_format(s4, fmt):
    r = prove_in_format(s4, group("S4"), fmt, "integer")
    assert r.verdict == "proved" and r.states == 24
    assert r.certificate["semantics"].startswith("sequential recurrence")


def test_z5_rotation_not_proved_in_bf16():
    c = prove(group("Z5"), 2).construction
    assert prove_in_format(c, group("Z5"), "bf16", max_states=300).verdict in ("no-proof", "counterexample")


def test_fp32_unit_keys_are_order_dependent(s4):
    """fp32 products of fp32 numbers round inside reductions: no order-independent proof is claimed."""
    assert prove_in_format(s4, group("S4"), "fp32", "unit").verdict == "order-dependent"


def test_prediction_fields(s4):
    p = predict(lower(s4, "bf16", "unit"))
    assert p["margin"] > 0 and p["worst"] >= 1 and not p["expansive"]
    assert predict(lower(s4, "bf16", "integer"), exact_in_format_proved=True)["worst"] is None


def test_prediction_semantics_follow_the_backend():
    """The state-rounding term of the prediction is the measured backend's: every operation for the reference
    (round_each_op), once per chunk for the chunked kernel, never (fp32 state) for the recurrent kernel."""
    from verify.horizon import horizon

    low = lower(prove(group("Z5"), 2).construction, "bf16", keys="unit")
    u, n_h = 2.0 ** -8, 2
    defect = low.report["transition_defect_max"]
    assert predict(low)["per_step_error"] == pytest.approx(defect + 3 * n_h * u)
    assert predict(low, semantics="chunked")["per_step_error"] == pytest.approx(
        defect + 3 * n_h * 2.0 ** -24 + u * n_h / 64)
    assert predict(low, semantics="fp32-state")["per_step_error"] == pytest.approx(defect + 3 * n_h * 2.0 ** -24)
    with pytest.raises(InvalidInput, match="semantics"):
        predict(low, semantics="fast")
    for backend, sem in (("reference", "sequential"), ("recurrent", "fp32-state")):
        r = horizon("Z5", 2, "bf16", backend=backend, keys="unit", length=4, batch=1, seed=0, prove_format=False)
        assert r["predicted"]["semantics"] == sem
    r = horizon("Z5", 2, "bf16", keys="unit", length=4, batch=1, prove_format=False, round_each_op=False)
    assert r["predicted"]["semantics"] == "fp32-state" and r["round_each_op"] is False
    with pytest.raises(InvalidInput, match="round_each_op"):
        horizon("Z5", 2, "bf16", backend="recurrent", length=4, batch=1, round_each_op=False)

