"""The PyTorch reference backend: worked examples, conventions, precision policy, and exact arithmetic."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from kernels_oracle import error_bound, exact_run, make_inputs

from kernels import deltaproduct

F64 = torch.float64


def _householder(k, b):
    return torch.eye(k.numel(), dtype=F64) - b * torch.outer(k, k)


def test_factor_order_step_one_is_rightmost():
    """With non-commuting keys the token's transition is H_2 H_1 (step 1 applied first)."""
    k1 = torch.tensor([1.0, 0.0, 0.0], dtype=F64)
    k2 = torch.tensor([1.0, 1.0, 0.0], dtype=F64) / math.sqrt(2)
    k = torch.stack([k1, k2])[None, :, None]  # [1, 2, 1, 3]
    v = torch.zeros(1, 2, 1, 3, dtype=F64)
    b = torch.tensor([0.7, 1.6], dtype=F64)[None, :, None]
    q = torch.zeros(1, 1, 1, 3, dtype=F64)
    S0 = torch.eye(3, dtype=F64)[None, None]
    _, S = deltaproduct(
        q, k, v, b, num_householder=2, initial_state=S0, output_final_state=True, backend="reference"
    )
    expected = _householder(k2, 1.6) @ _householder(k1, 0.7)
    assert torch.allclose(S[0, 0], expected, atol=1e-15)
    assert not torch.allclose(S[0, 0], _householder(k1, 0.7) @ _householder(k2, 1.6))


def test_gate_applied_once_before_step_one():
    gen = torch.Generator().manual_seed(3)
    K = V = 3
    k = torch.nn.functional.normalize(torch.randn(1, 2, 1, K, generator=gen, dtype=F64), dim=-1)
    v = torch.randn(1, 2, 1, V, generator=gen, dtype=F64)
    b = torch.tensor([[[0.5], [1.5]]], dtype=F64)
    q = torch.randn(1, 1, 1, K, generator=gen, dtype=F64)
    S0 = torch.randn(1, 1, K, V, generator=gen, dtype=F64)
    g = torch.tensor([[[math.log(0.25)]]], dtype=F64)
    o, S = deltaproduct(
        q,
        k,
        v,
        b,
        num_householder=2,
        g=g,
        initial_state=S0,
        output_final_state=True,
        scale=0.5,
        backend="reference",
    )
    s = 0.25 * S0[0, 0]
    for j in range(2):
        kj, vj, bj = k[0, j, 0], v[0, j, 0], b[0, j, 0]
        s = _householder(kj, bj) @ s + bj * torch.outer(kj, vj)
    assert torch.allclose(S[0, 0], s, atol=1e-14)
    assert torch.allclose(o[0, 0, 0], 0.5 * s.T @ q[0, 0, 0], atol=1e-14)


def test_default_scale_and_varlen_equals_separate_runs():
    x = make_inputs(1, 20, 2, 8, 4, 3, gated=True, h0=False, dtype=F64)
    o1, _ = deltaproduct(x["q"], x["k"], x["v"], x["beta"], num_householder=3, g=x["g"], backend="reference")
    o2, _ = deltaproduct(
        x["q"], x["k"], x["v"], x["beta"], num_householder=3, g=x["g"], scale=8**-0.5, backend="reference"
    )
    assert torch.equal(o1, o2)
    cu = torch.tensor([0, 7, 7, 20])
    h0 = torch.randn(3, 2, 8, 4, dtype=F64)
    o, S = deltaproduct(
        x["q"],
        x["k"],
        x["v"],
        x["beta"],
        num_householder=3,
        g=x["g"],
        cu_seqlens=cu,
        initial_state=h0,
        output_final_state=True,
        backend="reference",
    )
    for s, (a, e) in enumerate([(0, 7), (7, 7), (7, 20)]):
        os_, Ss = deltaproduct(
            x["q"][:, a:e],
            x["k"][:, 3 * a : 3 * e],
            x["v"][:, 3 * a : 3 * e],
            x["beta"][:, 3 * a : 3 * e],
            num_householder=3,
            g=x["g"][:, a:e],
            initial_state=h0[s : s + 1],
            output_final_state=True,
            backend="reference",
        )
        assert torch.allclose(o[:, a:e], os_, atol=1e-14)
        assert torch.allclose(S[s : s + 1], Ss, atol=1e-14)


def test_round_each_op_keeps_state_in_storage_format():
    x = make_inputs(1, 10, 1, 8, 8, 2, gated=True, h0=True, dtype=torch.bfloat16)
    args = (x["q"], x["k"], x["v"], x["beta"])
    o_r, S_r = deltaproduct(
        *args,
        num_householder=2,
        g=x["g"],
        initial_state=x["initial_state"],
        output_final_state=True,
        backend="reference",
        round_each_op=True,
        acc_dtype=torch.float64,
    )
    o_a, S_a = deltaproduct(
        *args,
        num_householder=2,
        g=x["g"],
        initial_state=x["initial_state"],
        output_final_state=True,
        backend="reference",
        acc_dtype=torch.float64,
    )
    assert S_r.dtype == F64 and o_r.dtype == torch.bfloat16
    assert torch.equal(S_r, S_r.to(torch.bfloat16).to(F64))  # every stored value is a bf16 number
    assert not torch.equal(S_r, S_a)  # and rounding did change something
    assert (S_r - S_a).abs().max() < 0.1 * S_a.abs().max()


def test_round_each_op_is_identity_when_storage_is_accumulation():
    x = make_inputs(1, 9, 2, 4, 4, 2, gated=True, h0=True, dtype=F64)
    a = deltaproduct(x["q"], x["k"], x["v"], x["beta"], num_householder=2, g=x["g"], backend="reference")[0]
    b = deltaproduct(
        x["q"],
        x["k"],
        x["v"],
        x["beta"],
        num_householder=2,
        g=x["g"],
        backend="reference",
        round_each_op=True,
    )[0]
    assert torch.equal(a, b)


def test_gradcheck_float64():
    x = make_inputs(1, 3, 1, 3, 2, 2, gated=True, h0=True, dtype=F64)
    ins = [x["q"], x["k"], x["v"], x["beta"], x["g"].double(), x["initial_state"].double()]
    ins = [t.clone().requires_grad_() for t in ins]

    def f(q, k, v, b, g, h0):
        o, S = deltaproduct(
            q, k, v, b, num_householder=2, g=g, initial_state=h0, output_final_state=True, backend="reference"
        )
        return o, S

    assert torch.autograd.gradcheck(f, ins)


def _lists(x, n, b=0, h=0):
    g = None if x["g"] is None else x["g"][b, :, h].double().tolist()
    s0 = None if x["initial_state"] is None else x["initial_state"][b, h].double().tolist()
    return (
        x["q"][b, :, h].double().tolist(),
        x["k"][b, :, h].double().tolist(),
        x["v"][b, :, h].double().tolist(),
        x["beta"][b, :, h].double().tolist(),
        g,
        s0,
    )


@settings(max_examples=12, deadline=None)
@given(
    T=st.integers(1, 6),
    n=st.integers(1, 4),
    K=st.integers(1, 5),
    V=st.integers(1, 4),
    gated=st.booleans(),
    h0=st.booleans(),
    seed=st.integers(0, 2**31 - 1),
    beta_mode=st.sampled_from(["random", "zero", "two"]),
    dtype=st.sampled_from([torch.float64, torch.float32]),
)
def test_reference_within_bound_of_exact_arithmetic(T, n, K, V, gated, h0, seed, beta_mode, dtype):
    x = make_inputs(1, T, 1, K, V, n, gated=gated, h0=h0, seed=seed, dtype=dtype)
    if beta_mode != "random":
        x["beta"] = torch.full_like(x["beta"], 0.0 if beta_mode == "zero" else 2.0)
    scale = K**-0.5
    o, _ = deltaproduct(
        x["q"],
        x["k"],
        x["v"],
        x["beta"],
        num_householder=n,
        g=x["g"],
        initial_state=x["initial_state"],
        backend="reference",
    )
    q, k, v, b, g, s0 = _lists(x, n)
    exact, budget, _ = exact_run(q, k, v, b, n, scale, g=g, initial_state=s0)
    u = 2.0**-53 if dtype == F64 else 2.0**-24
    bound = error_bound(budget, scale, u, safety=1.0)
    for t in range(T):
        for c in range(V):
            err = abs(float(o[0, t, 0, c]) - float(exact[t][c]))
            assert err <= bound[t][c] + 1e-300, (t, c, err, bound[t][c])


def test_against_fla_naive_reference():
    naive = pytest.importorskip(
        "fla.ops.gated_delta_product.naive", reason="fla-core not installed (pip install fla-core==0.6.0)"
    )
    for gated in (False, True):
        x = make_inputs(2, 37, 2, 8, 6, 3, gated=gated, h0=True, dtype=torch.float32)
        o, S = deltaproduct(
            x["q"],
            x["k"],
            x["v"],
            x["beta"],
            num_householder=3,
            g=x["g"],
            initial_state=x["initial_state"],
            output_final_state=True,
            backend="reference",
        )
        of, Sf = naive.naive_recurrent_gated_delta_product(
            x["q"],
            x["k"],
            x["v"],
            x["g"],
            x["beta"],
            scale=8**-0.5,
            initial_state=x["initial_state"].clone(),
            output_final_state=True,
            num_householder=3,
        )
        assert torch.allclose(o, of, atol=1e-5, rtol=1e-5)
        assert torch.allclose(S, Sf, atol=1e-5, rtol=1e-5)
