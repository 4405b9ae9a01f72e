"""Argument validation of kernels.deltaproduct: misuse raises errors that name the argument."""

import pytest
import torch

from kernels import BackendUnavailable, InvalidInput, deltaproduct


def _inputs(B=2, T=6, H=4, K=16, V=8, n=2, dtype=torch.float32):
    return (
        torch.randn(B, T, H, K, dtype=dtype),
        torch.randn(B, T * n, H, K, dtype=dtype),
        torch.randn(B, T * n, H, V, dtype=dtype),
        torch.rand(B, T * n, H, dtype=dtype),
    )


def test_wrong_k_shape_names_argument_and_expected_shape():
    q, k, v, b = _inputs()
    with pytest.raises(
        InvalidInput,
        match=r"k: expected shape \[B, T\*num_householder, H, K\] = "
        r"\[2, 12, 4, 16\], got \[2, 10, 4, 16\]",
    ):
        deltaproduct(q, k[:, :10], v, b, num_householder=2)


@pytest.mark.parametrize(
    "name, cut, pattern",
    [
        ("v", lambda v: v[:, :11], r"v: expected shape \[B, T\*num_householder, H, V\] = \[2, 12, 4, 8\]"),
        ("beta", lambda b: b[..., :3], r"beta: expected shape \[B, T\*num_householder, H\] = \[2, 12, 4\]"),
    ],
)
def test_wrong_shapes(name, cut, pattern):
    q, k, v, b = _inputs()
    args = dict(v=v, beta=b)
    args[name] = cut(args[name]).contiguous()
    with pytest.raises(InvalidInput, match=pattern):
        deltaproduct(q, k, args["v"], args["beta"], num_householder=2)


def test_gate_and_state_shapes():
    q, k, v, b = _inputs()
    with pytest.raises(InvalidInput, match=r"g: expected shape \[B, T, H\] = \[2, 6, 4\]"):
        deltaproduct(q, k, v, b, num_householder=2, g=torch.zeros(2, 6, 3))
    with pytest.raises(InvalidInput, match=r"initial_state: expected shape \[N, H, K, V\] = \[2, 4, 16, 8\]"):
        deltaproduct(q, k, v, b, num_householder=2, initial_state=torch.zeros(2, 4, 8, 16))


def test_dtype_device_contiguity_and_type():
    q, k, v, b = _inputs()
    with pytest.raises(InvalidInput, match="k: expected dtype torch.float32"):
        deltaproduct(q, k.double(), v, b, num_householder=2)
    with pytest.raises(InvalidInput, match="v: expected a contiguous tensor"):
        vt = v.transpose(1, 2).contiguous().transpose(1, 2)
        deltaproduct(q, k, vt, b, num_householder=2)
    with pytest.raises(TypeError, match="q: expected a floating-point tensor"):
        deltaproduct(q.long(), k, v, b, num_householder=2)
    with pytest.raises(TypeError, match="beta: expected a torch.Tensor"):
        deltaproduct(q, k, v, 0.5, num_householder=2)
    with pytest.raises(InvalidInput, match="num_householder"):
        deltaproduct(q, k, v, b, num_householder=0)
    with pytest.raises(InvalidInput, match="backend"):
        deltaproduct(q, k, v, b, num_householder=2, backend="cuda")


def test_value_checks_only_when_asked():
    q, k, v, b = _inputs()
    bad = b.clone()
    bad[0, 0, 0] = 2.5
    deltaproduct(q, k, v, bad, num_householder=2)  # unchecked: runs
    with pytest.raises(InvalidInput, match=r"beta: expected values in \[0, 2\]"):
        deltaproduct(q, k, v, bad, num_householder=2, check_inputs=True)
    qn = q.clone()
    qn[1, 2, 3, 4] = float("nan")
    with pytest.raises(InvalidInput, match="q: contains NaN or Inf"):
        deltaproduct(qn, k, v, b, num_householder=2, check_inputs=True)
    # beta exactly 0 and exactly 2 are valid
    deltaproduct(q, k, v, torch.zeros_like(b), num_householder=2, check_inputs=True)
    deltaproduct(q, k, v, torch.full_like(b, 2.0), num_householder=2, check_inputs=True)


def test_cu_seqlens_rules():
    q, k, v, b = _inputs()
    with pytest.raises(InvalidInput, match="cu_seqlens: requires B == 1"):
        deltaproduct(q, k, v, b, num_householder=2, cu_seqlens=torch.tensor([0, 6]))
    q, k, v, b = _inputs(B=1)
    with pytest.raises(InvalidInput, match="cu_seqlens: expected non-decreasing offsets from 0 to T = 6"):
        deltaproduct(q, k, v, b, num_householder=2, cu_seqlens=torch.tensor([0, 4, 3, 6]))
    with pytest.raises(InvalidInput, match=r"initial_state: expected shape \[N, H, K, V\] = \[3, 4, 16, 8\]"):
        deltaproduct(
            q,
            k,
            v,
            b,
            num_householder=2,
            cu_seqlens=torch.tensor([0, 2, 4, 6]),
            initial_state=torch.zeros(1, 4, 16, 8),
        )


def test_backend_specific_refusals():
    q, k, v, b = _inputs()
    with pytest.raises(InvalidInput, match="acc_dtype/round_each_op"):
        deltaproduct(q, k, v, b, num_householder=2, backend="chunked", round_each_op=True)
    with pytest.raises(InvalidInput, match="q: backend 'chunked' supports float32, float16 and bfloat16"):
        x = _inputs(dtype=torch.float64)
        deltaproduct(*x, num_householder=2, backend="chunked")
    with pytest.raises(BackendUnavailable):
        deltaproduct(q.detach(), k, v, b, num_householder=2, backend="fla")  # CPU tensors: fla refuses


def test_inverse_precision_rule(monkeypatch):
    """tf32x3 in the triangular inverse only for K tiles >= 128 (measured wrong on the H200 below); fp32 'ieee'
    and the interpreter always 'ieee'; the environment override wins."""
    import torch

    from kernels.chunked import inverse_precision

    monkeypatch.delenv("DELTAPROOF_CHUNKED_INV_PREC", raising=False)
    for bk in (16, 32, 64):
        assert inverse_precision(bk, torch.bfloat16, "ieee", interp=False) == "ieee"
        assert inverse_precision(bk, torch.float32, "tf32", interp=False) == "ieee"
    assert inverse_precision(128, torch.bfloat16, "ieee", interp=False) == "tf32x3"
    assert inverse_precision(256, torch.float16, "ieee", interp=False) == "tf32x3"
    assert inverse_precision(128, torch.float32, "ieee", interp=False) == "ieee"
    assert inverse_precision(128, torch.float32, "tf32", interp=False) == "tf32x3"
    assert inverse_precision(128, torch.bfloat16, "ieee", interp=True) == "ieee"
    monkeypatch.setenv("DELTAPROOF_CHUNKED_INV_PREC", "ieee")
    assert inverse_precision(128, torch.bfloat16, "ieee", interp=False) == "ieee"
    monkeypatch.setenv("DELTAPROOF_CHUNKED_INV_PREC", "fp64")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_INV_PREC"):
        inverse_precision(128, torch.bfloat16, "ieee", interp=False)


def test_auto_backend_rule_and_dispatch(monkeypatch):
    """backend='auto' runs what auto_backend names, told the device, dtype, whether autograd tracks the call and
    the precision: on CUDA, recurrent for fp32 ieee with or without gradients (measured faster than chunked ieee
    and tf32x3 there, kernels/README.md §4 and §7), chunked otherwise; reference off CUDA."""
    import kernels
    from kernels import auto_backend

    f32, bf16 = torch.float32, torch.bfloat16
    assert auto_backend("cpu", f32, False) == auto_backend("cpu", bf16, True) == "reference"
    assert auto_backend("cuda", f32, False) == auto_backend("cuda", f32, True) == "recurrent"
    for args in (
        (f32, True, "tf32x3"),
        (bf16, True, "ieee"),
        (bf16, False, "ieee"),
        (torch.float16, False, "ieee"),
        (f32, False, "tf32"),
    ):
        assert auto_backend("cuda", *args) == "chunked", args
    seen = []

    def spy(device_type, dtype, grads, precision):
        seen.append((device_type, dtype, grads, precision))
        return "recurrent"

    monkeypatch.setattr(kernels, "auto_backend", spy)
    q, k, v, b = _inputs()
    o, _ = deltaproduct(q, k, v, b, num_householder=2)
    assert torch.equal(o, deltaproduct(q, k, v, b, num_householder=2, backend="recurrent")[0])
    with torch.no_grad():
        deltaproduct(q.requires_grad_(), k, v, b, num_householder=2, precision="tf32")
    q.grad = None
    o, _ = deltaproduct(
        q, k, v, b, num_householder=2
    )  # spy said recurrent, autograd tracks q: its backward runs
    o.sum().backward()
    assert q.grad is not None and torch.isfinite(q.grad).all()
    assert seen == [("cpu", f32, False, "ieee"), ("cpu", f32, False, "tf32"), ("cpu", f32, True, "ieee")]
