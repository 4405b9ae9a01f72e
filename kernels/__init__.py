"""DeltaProduct forward/backward kernels: a PyTorch reference, a Triton recurrent kernel, a Triton chunked
(WY) kernel, and an optional fla backend, behind one function, :func:`deltaproduct`.

On a machine without a GPU, set ``TRITON_INTERPRET=1`` before importing this package to run the Triton
backends in Triton's CPU interpreter (slow; tiny shapes). The package never sets it itself.
"""

from __future__ import annotations

import torch

from ._validate import Dims, validate
from .errors import BackendUnavailable, BackendUnsupported, InvalidInput
from .reference import deltaproduct_reference

__all__ = [
    "BACKENDS",
    "BackendUnavailable",
    "BackendUnsupported",
    "Dims",
    "InvalidInput",
    "auto_backend",
    "deltaproduct",
]

#: Names accepted by ``backend=``.
BACKENDS = ("auto", "reference", "recurrent", "chunked", "fla")


def auto_backend(device_type: str, dtype: torch.dtype, grads: bool, precision: str = "ieee") -> str:
    """The backend ``backend="auto"`` runs.

    Off CUDA: ``reference`` (the Triton backends need a GPU, or ``TRITON_INTERPRET=1``, which is for tests). On
    CUDA: ``recurrent`` for fp32 inputs at the default ``ieee`` precision, with or without gradients, else
    ``chunked``. Why: at fp32 accuracy the chunked form's dots run on the CUDA cores (``ieee``) or as three
    tensor-core passes (``tf32x3``, not the default), and the recurrent kernels, which do the same full-fp32
    arithmetic one step at a time, were faster on the H200 (B=8 T=4096 H=16 K=V=128, n_h 1-4; kernels/README.md
    §4, §7): the forward 20-26x chunked ``ieee``, forward+backward 2.7-3.8x chunked ``tf32x3`` (session 19) and
    far below chunked ``ieee``'s forward alone. The backward's peak memory is 2.3-14.6 GiB at that shape, 0.8-1.5x
    chunked ``tf32x3``'s (2.9-10.0) and below fla's fp32 path's (4.0-16.0). Those comparisons were made at that
    shape only; with few sequence-heads the recurrent kernels have few programs, so pass ``backend="chunked"``
    (with ``precision="tf32x3"``) to compare there. 16-bit inputs take ``chunked``; an explicit
    ``tf32``/``tf32x3`` precision asks for the chunked form. ``grads`` (whether autograd tracks the call) no longer
    changes the choice; it stays in the signature for callers that pass it.

    Examples
    --------
    >>> import torch
    >>> auto_backend("cpu", torch.float32, grads=False)
    'reference'
    >>> auto_backend("cuda", torch.float32, grads=False), auto_backend("cuda", torch.float32, grads=True)
    ('recurrent', 'recurrent')
    >>> auto_backend("cuda", torch.bfloat16, grads=True)
    'chunked'
    >>> auto_backend("cuda", torch.float32, grads=False, precision="tf32x3")
    'chunked'
    """
    if device_type != "cuda":
        return "reference"
    if dtype == torch.float32 and precision == "ieee":
        return "recurrent"
    return "chunked"


def _needs_grad(*tensors) -> bool:
    """Whether autograd would track this call (grad mode on and some input requires a gradient)."""
    return torch.is_grad_enabled() and any(t is not None and t.requires_grad for t in tensors)


def deltaproduct(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    beta: torch.Tensor,
    *,
    num_householder: int,
    g: torch.Tensor | None = None,
    scale: float | None = None,
    initial_state: torch.Tensor | None = None,
    output_final_state: bool = False,
    cu_seqlens: torch.Tensor | None = None,
    backend: str = "auto",
    check_inputs: bool = False,
    acc_dtype: torch.dtype | None = None,
    round_each_op: bool = False,
    precision: str = "ieee",
):
    """DeltaProduct recurrence with ``num_householder`` generalised Householder steps per token.

    Per head, with state ``S`` of shape ``[K, V]`` (``initial_state`` or zeros), for each token ``t``::

        S <- exp(g_t) * S                                   (only if g is given; once, before step 1)
        for j = 1..n_h (row r = t*n_h + j - 1):
            S <- (I - beta_r k_r k_r^T) S + beta_r k_r v_r^T
        o_t = scale * S^T q_t

    so the token's transition is ``H_{n_h} ... H_1`` (step 1 rightmost). **Keys and queries are used as
    given: there is no L2 normalisation in any backend.** For unit keys, ``beta`` in ``[0, 2]`` gives
    ``||I - beta k k^T|| <= 1``; an unnormalised direction ``u`` gives the same matrix with
    ``beta / (u . u)`` (e.g. integer keys in exact-arithmetic experiments).

    Parameters
    ----------
    q : Tensor ``[B, T, H, K]``
    k : Tensor ``[B, T*n_h, H, K]``
        Row ``t*n_h + j`` is step ``j`` (0-based) of token ``t``; same dtype as ``q``.
    v : Tensor ``[B, T*n_h, H, V]``
    beta : Tensor ``[B, T*n_h, H]``
    num_householder : int
        ``n_h >= 1`` (``chunked``: at most 64; tested for 1..4).
    g : Tensor ``[B, T, H]``, optional
        Log-space gate (``exp(g)`` multiplies the state).
    scale : float, optional
        Output scale; default ``K ** -0.5``.
    initial_state : Tensor ``[N, H, K, V]``, optional
        ``N = B``, or the number of sequences with ``cu_seqlens``.
    output_final_state : bool
        Also return the state after the last token of every sequence.
    cu_seqlens : int Tensor ``[N + 1]``, optional
        Token offsets of packed sequences (``B`` must be 1), as in FlashAttention.
    backend : {"auto", "reference", "recurrent", "chunked", "fla"}
        ``auto``: see :func:`auto_backend` (``reference`` off CUDA; on CUDA ``recurrent`` for fp32 inputs with
        ``ieee`` precision, else ``chunked``).
    check_inputs : bool
        Also check values: NaN/Inf anywhere and ``beta`` outside ``[0, 2]`` (synchronises the device).
    acc_dtype, round_each_op :
        ``reference`` only: accumulation dtype and per-operation rounding to the storage dtype (see
        :mod:`kernels.reference`, which lists the exact operation order and rounding points).
    precision : {"ieee", "tf32", "tf32x3"}
        ``chunked`` only, fp32 inputs only: the ``tl.dot`` mode. ``ieee``: fp32 products on CUDA cores (the
        reference accuracy, slow). ``tf32``: one tensor-core pass (~1e-3 relative error; the triangular solve stays
        at fp32 accuracy). ``tf32x3``: three tf32 passes per product, fp32-level accuracy at tensor-core speed
        (H200, K = V = 128, n_h 1, 2, 4 and gated n_h 2: every output and gradient within 1.4e-6 of float64;
        forward at n_h 2 9.6 ms against 81 ms for ``ieee``); only for K tiles of 128 (K from 65 to 128): smaller
        tiles gave wrong tf32x3 results on the H200 and tiles of 256 ran out of shared memory there, so other K run
        ``ieee``. kernels/README.md §4-6.

    Returns
    -------
    o : Tensor ``[B, T, H, V]`` in ``q.dtype``
    final_state : Tensor ``[N, H, K, V]`` or None
        ``float32`` from the Triton backends (``fla``: its own), ``acc_dtype`` from ``reference``.

    Raises
    ------
    InvalidInput
        Malformed arguments (a :class:`ValueError`; the message names the argument and the expected shape).
    BackendUnavailable
        ``fla`` not installed, or a Triton backend on CPU tensors without ``TRITON_INTERPRET=1``.

    Examples
    --------
    A single reflection (``beta = 2``) of ``e1``:

    >>> import torch
    >>> from kernels import deltaproduct
    >>> q = torch.tensor([[[[1.0, 0.0]]]], dtype=torch.float64)
    >>> k = torch.tensor([[[[1.0, 0.0]]]], dtype=torch.float64)
    >>> v = torch.tensor([[[[3.0, 4.0]]]], dtype=torch.float64)
    >>> beta = torch.tensor([[[2.0]]], dtype=torch.float64)
    >>> S0 = torch.eye(2, dtype=torch.float64)[None, None]
    >>> o, S = deltaproduct(q, k, v, beta, num_householder=1, scale=1.0, initial_state=S0,
    ...                     output_final_state=True, backend="reference")
    >>> o[0, 0, 0].tolist()       # (I - 2 e1 e1^T) I + 2 e1 v^T, read out along e1
    [5.0, 8.0]
    """
    if backend not in BACKENDS:
        raise InvalidInput(f"backend: expected one of {BACKENDS}, got {backend!r}")
    dims = validate(
        q,
        k,
        v,
        beta,
        num_householder=num_householder,
        g=g,
        scale=scale,
        initial_state=initial_state,
        cu_seqlens=cu_seqlens,
        check_inputs=check_inputs,
    )
    if backend == "auto":
        backend = auto_backend(
            q.device.type, q.dtype, _needs_grad(q, k, v, beta, g, initial_state), precision
        )
    if backend != "reference" and (acc_dtype is not None or round_each_op):
        raise InvalidInput(f"acc_dtype/round_each_op: only backend 'reference' takes them, got {backend!r}")
    if backend == "reference":
        return deltaproduct_reference(
            q,
            k,
            v,
            beta,
            dims=dims,
            g=g,
            initial_state=initial_state,
            output_final_state=output_final_state,
            cu_seqlens=cu_seqlens,
            acc_dtype=acc_dtype,
            round_each_op=round_each_op,
        )
    if backend == "fla":
        from .fla_backend import deltaproduct_fla

        return deltaproduct_fla(
            q,
            k,
            v,
            beta,
            dims=dims,
            g=g,
            initial_state=initial_state,
            output_final_state=output_final_state,
            cu_seqlens=cu_seqlens,
        )
    if backend == "recurrent":
        from .recurrent import deltaproduct_recurrent

        return deltaproduct_recurrent(
            q, k, v, beta, dims=dims, g=g, initial_state=initial_state, output_final_state=output_final_state
        )
    from .chunked import deltaproduct_chunked

    return deltaproduct_chunked(
        q,
        k,
        v,
        beta,
        dims=dims,
        g=g,
        initial_state=initial_state,
        output_final_state=output_final_state,
        precision=precision,
    )
