"""PyTorch reference backend: a plain loop over tokens and Householder steps.

This is the float oracle of the project. It runs on any device and dtype (``float64`` included), is
differentiable through autograd, and follows one fixed, documented operation order so that an
exact-arithmetic emulation can reproduce it rounding for rounding.

Precision policy
----------------
* *storage dtype* ``= q.dtype`` (``k`` and ``v`` share it).
* *accumulation dtype* ``acc_dtype``: every input is converted to it (an exact widening when it is wider)
  and all arithmetic runs in it. Default: ``float32`` for ``float16``/``bfloat16`` inputs, else ``q.dtype``.
* ``round_each_op=True`` rounds the result of every operation listed below to the storage dtype (round to
  nearest even, by ``x.to(storage).to(acc_dtype)``), emulating hardware whose every operation is done in
  the storage format. A dot product (a reduction) is accumulated in ``acc_dtype`` and rounded once.

Operation order, per sequence, token ``t`` (``rd`` = the rounding above, the identity when
``round_each_op=False``; ``S`` is ``[K, V]`` per head, ``⊗`` the outer product)::

    S  = rd(S0)                                    # initial state (zeros when none is given)
    if g is given:
        a = rd(exp(g_t));  S = rd(a * S)           # gate, once, before step 1
    for j in 1..n_h:                               # row r = t*n_h + j - 1 of k, v, beta
        bk = rd(beta_r * k_r)                      # [K]
        p  = rd(k_r^T S)                           # [V], one reduction over K
        S  = rd(S - rd(bk ⊗ p))                    # (I - beta k k^T) S
        S  = rd(S + rd(bk ⊗ v_r))                  # + beta k v^T
    o_t = rd(scale * rd(S^T q_t))                  # [V], one reduction over K

``o`` is returned in the storage dtype (one final cast; a no-op when ``round_each_op=True``) and the final
state in ``acc_dtype``. Keys are used as given: no normalisation of ``q`` or ``k`` happens anywhere.
"""

from __future__ import annotations

import torch

from ._validate import Dims

__all__ = ["default_acc_dtype", "deltaproduct_reference"]


def default_acc_dtype(storage: torch.dtype) -> torch.dtype:
    """Accumulation dtype used when none is given: ``float32`` for 16-bit storage, else the storage dtype.

    Examples
    --------
    >>> import torch
    >>> from kernels.reference import default_acc_dtype
    >>> default_acc_dtype(torch.bfloat16), default_acc_dtype(torch.float64)
    (torch.float32, torch.float64)
    """
    return torch.float32 if storage in (torch.float16, torch.bfloat16) else storage


def _run(q, k, v, beta, g, S, n, scale, storage, acc, round_each_op):
    """The loop on a group of equally long sequences; tensors already in ``acc``; ``q`` is [b, T, H, K]."""

    def rd(x):
        return x.to(storage).to(acc) if round_each_op else x

    T = q.shape[1]
    outs = []
    S = rd(S)
    for t in range(T):
        if g is not None:
            a = rd(torch.exp(g[:, t]))  # [b, H]
            S = rd(a[..., None, None] * S)
        for j in range(n):
            r = t * n + j
            kr, vr, br = k[:, r], v[:, r], beta[:, r]
            bk = rd(br[..., None] * kr)  # [b, H, K]
            p = rd(torch.einsum("bhk,bhkv->bhv", kr, S))
            S = rd(S - rd(bk[..., :, None] * p[..., None, :]))
            S = rd(S + rd(bk[..., :, None] * vr[..., None, :]))
        o = rd(scale * rd(torch.einsum("bhkv,bhk->bhv", S, q[:, t])))
        outs.append(o)
    o = torch.stack(outs, dim=1) if outs else q.new_zeros(q.shape[:-1] + (S.shape[-1],))
    return o, S


def deltaproduct_reference(
    q,
    k,
    v,
    beta,
    *,
    dims: Dims,
    g=None,
    initial_state=None,
    output_final_state=False,
    cu_seqlens=None,
    acc_dtype: torch.dtype | None = None,
    round_each_op: bool = False,
):
    """Run the reference recurrence on validated inputs (see :func:`kernels.deltaproduct` for the arguments).

    Examples
    --------
    >>> import torch
    >>> from kernels import deltaproduct
    >>> q = torch.ones(1, 1, 1, 2, dtype=torch.float64)
    >>> k = torch.tensor([[[[1.0, 0.0]]]], dtype=torch.float64)
    >>> v = torch.ones(1, 1, 1, 2, dtype=torch.float64); b = torch.full((1, 1, 1), 2.0, dtype=torch.float64)
    >>> o, S = deltaproduct(q, k, v, b, num_householder=1, scale=1.0, output_final_state=True,
    ...                     backend="reference")
    >>> S[0, 0].tolist()     # 2 * e1 v^T
    [[2.0, 2.0], [0.0, 0.0]]
    """
    storage = q.dtype
    acc = default_acc_dtype(storage) if acc_dtype is None else acc_dtype
    n, scale = dims.n_h, dims.scale
    B, H, K, V = dims.B, dims.H, dims.K, dims.V
    qa, ka, va, ba = (x.to(acc) for x in (q, k, v, beta))
    ga = None if g is None else g.to(acc)
    if cu_seqlens is None:
        S0 = (
            torch.zeros(B, H, K, V, dtype=acc, device=q.device)
            if initial_state is None
            else initial_state.to(acc)
        )
        o, S = _run(qa, ka, va, ba, ga, S0, n, scale, storage, acc, round_each_op)
    else:
        outs, states = [], []
        for s, (bos, eos) in enumerate(zip(dims.offsets[:-1], dims.offsets[1:])):
            S0 = (
                torch.zeros(1, H, K, V, dtype=acc, device=q.device)
                if initial_state is None
                else initial_state[s : s + 1].to(acc)
            )
            o_s, S_s = _run(
                qa[:, bos:eos],
                ka[:, bos * n : eos * n],
                va[:, bos * n : eos * n],
                ba[:, bos * n : eos * n],
                None if ga is None else ga[:, bos:eos],
                S0,
                n,
                scale,
                storage,
                acc,
                round_each_op,
            )
            outs.append(o_s)
            states.append(S_s)
        o = torch.cat(outs, dim=1)
        S = torch.cat(states, dim=0)
    return o.to(storage), (S if output_final_state else None)
