"""Triton recurrent backend: one program per (sequence, head, V block), the state in registers.

The operation order is the reference's (``kernels.reference``) with fp32 arithmetic and no intermediate
rounding: per token, ``S *= exp(g_t)``; per step ``p = k^T S``, ``S -= (beta k) p^T``,
``S += (beta k) v^T``; then ``o_t = scale * S^T q_t``. Reductions are ``tl.sum`` trees (their summation
order differs from torch's). Inputs are loaded and widened to fp32 at once, so bf16 works in the
interpreter too. Forward only: gradients raise :class:`kernels.errors.BackendUnsupported`.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl

from ._triton_common import alloc, check_triton_device, next_pow2
from ._validate import Dims

__all__ = ["deltaproduct_recurrent"]


@triton.jit
def _recurrent_fwd_kernel(
    q,
    k,
    v,
    beta,
    g,
    h0,
    o,
    ht,
    cu,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    HAS_H0: tl.constexpr,
    STORE_HT: tl.constexpr,
):
    iv = tl.program_id(0)
    ish = tl.program_id(1)
    s = ish // H
    h = ish % H
    bos = tl.load(cu + s)  # int64 offsets: no overflow for long packed batches
    eos = tl.load(cu + s + 1)
    rk = tl.arange(0, BK)
    rv = iv * BV + tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    m2 = mk[:, None] & mv[None, :]
    S = tl.zeros([BK, BV], dtype=tl.float32)
    if HAS_H0:
        S += tl.load(h0 + ((s * H + h) * K + rk[:, None]) * V + rv[None, :], mask=m2, other=0.0).to(
            tl.float32
        )
    for t in range(bos, eos):
        if HAS_G:
            S = S * tl.exp(tl.load(g + t * H + h).to(tl.float32))
        for j in tl.static_range(N_H):
            r = t * N_H + j
            kk = tl.load(k + (r * H + h) * K + rk, mask=mk, other=0.0).to(tl.float32)
            vv = tl.load(v + (r * H + h) * V + rv, mask=mv, other=0.0).to(tl.float32)
            b = tl.load(beta + r * H + h).to(tl.float32)
            bk = b * kk
            p = tl.sum(kk[:, None] * S, 0)
            S = S - bk[:, None] * p[None, :]
            S = S + bk[:, None] * vv[None, :]
        qq = tl.load(q + (t * H + h) * K + rk, mask=mk, other=0.0).to(tl.float32)
        out = scale * tl.sum(S * qq[:, None], 0)
        tl.store(o + (t * H + h) * V + rv, out.to(o.dtype.element_ty), mask=mv)
    if STORE_HT:
        tl.store(ht + ((s * H + h) * K + rk[:, None]) * V + rv[None, :], S, mask=m2)


def deltaproduct_recurrent(
    q, k, v, beta, *, dims: Dims, g=None, initial_state=None, output_final_state=False
):
    """Run the recurrent Triton kernel on validated inputs; returns ``(o, final_state or None)``.

    ``o`` has ``q``'s dtype, the final state is float32.

    Examples
    --------
    >>> import os, torch
    >>> from kernels import deltaproduct
    >>> if torch.cuda.is_available() or os.environ.get("TRITON_INTERPRET") == "1":
    ...     dev = "cuda" if torch.cuda.is_available() else "cpu"
    ...     q = torch.randn(1, 4, 1, 16, device=dev)
    ...     k = torch.nn.functional.normalize(torch.randn(1, 8, 1, 16, device=dev), dim=-1)
    ...     v = torch.randn(1, 8, 1, 16, device=dev); b = torch.rand(1, 8, 1, device=dev) * 2
    ...     o, _ = deltaproduct(q, k, v, b, num_householder=2, backend="recurrent")
    ...     r, _ = deltaproduct(q, k, v, b, num_householder=2, backend="reference")
    ...     assert torch.allclose(o, r, atol=1e-5)
    """
    check_triton_device(q, "recurrent")
    H, K, V, N = dims.H, dims.K, dims.V, dims.N
    BK = next_pow2(K)
    # Keep the [BK, BV] fp32 state at <= 8K elements per program (32 KB of registers).
    BV = min(next_pow2(V), max(16, 8192 // BK))
    cu = torch.tensor(dims.offsets, dtype=torch.int64, device=q.device)
    o = alloc((dims.B, dims.T, H, V), q.dtype, q.device)
    ht = alloc((N, H, K, V), torch.float32, q.device) if output_final_state else None
    gf = None if g is None else g.float().contiguous()
    grid = (triton.cdiv(V, BV), N * H)
    _recurrent_fwd_kernel[grid](
        q,
        k,
        v,
        beta,
        gf if gf is not None else q,
        initial_state if initial_state is not None else q,
        o,
        ht if ht is not None else o,
        cu,
        dims.scale,
        H,
        K=K,
        V=V,
        N_H=dims.n_h,
        BK=BK,
        BV=BV,
        HAS_G=g is not None,
        HAS_H0=initial_state is not None,
        STORE_HT=output_final_state,
        num_warps=4,
    )
    return o, ht
