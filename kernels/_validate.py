"""Argument checking shared by every backend of :func:`kernels.deltaproduct`.

The checks that need no look at tensor values (shapes, dtypes, devices, contiguity) always run; the
value checks (NaN/Inf anywhere, ``beta`` outside ``[0, 2]``, a malformed ``cu_seqlens``) synchronise
with the device, so the data checks on ``beta`` and NaN/Inf run only when ``check_inputs=True``.
``cu_seqlens`` is always read (its offsets define the work split, so the host needs them anyway).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from .errors import InvalidInput

__all__ = ["Dims", "validate"]


@dataclass(frozen=True)
class Dims:
    """Sizes of one call: batch ``B``, tokens ``T``, heads ``H``, key/value widths ``K``/``V``, ``n_h``,
    number of sequences ``N`` and the token offsets of the sequences in the flattened ``[B*T]`` axis."""

    B: int
    T: int
    H: int
    K: int
    V: int
    n_h: int
    N: int
    offsets: tuple[int, ...]
    scale: float


def _shape(t: torch.Tensor) -> str:
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


def _expect_shape(name: str, t: torch.Tensor, symbolic: str, expected: tuple[int, ...]) -> None:
    if tuple(t.shape) != tuple(expected):
        exp = "[" + ", ".join(str(s) for s in expected) + "]"
        raise InvalidInput(f"{name}: expected shape {symbolic} = {exp}, got {_shape(t)}")


def _expect_tensor(name: str, t: object) -> torch.Tensor:
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(t).__name__}")
    return t


def validate(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    beta: torch.Tensor,
    *,
    num_householder: int,
    g: torch.Tensor | None,
    scale: float | None,
    initial_state: torch.Tensor | None,
    cu_seqlens: torch.Tensor | None,
    check_inputs: bool,
) -> Dims:
    """Check the arguments of :func:`kernels.deltaproduct` and return their sizes.

    Raises
    ------
    TypeError
        An argument is not a tensor, or a tensor has a non-floating dtype (integer ``cu_seqlens`` excepted).
    InvalidInput
        A shape, dtype combination, device, layout or (with ``check_inputs``) a value is wrong.

    Examples
    --------
    >>> import torch
    >>> from kernels._validate import validate
    >>> from kernels.errors import InvalidInput
    >>> q = torch.zeros(1, 2, 1, 4); k = torch.zeros(1, 3, 1, 4)
    >>> v = torch.zeros(1, 4, 1, 8); b = torch.zeros(1, 4, 1)
    >>> try:
    ...     validate(q, k, v, b, num_householder=2, g=None, scale=None, initial_state=None,
    ...              cu_seqlens=None, check_inputs=False)
    ... except InvalidInput as err:
    ...     print(err)
    k: expected shape [B, T*num_householder, H, K] = [1, 4, 1, 4], got [1, 3, 1, 4]
    """
    if isinstance(num_householder, bool) or not isinstance(num_householder, int) or num_householder < 1:
        raise InvalidInput(f"num_householder: expected an int >= 1, got {num_householder!r}")
    n = num_householder
    tensors = {"q": q, "k": k, "v": v, "beta": beta}
    if g is not None:
        tensors["g"] = g
    if initial_state is not None:
        tensors["initial_state"] = initial_state
    for name, t in tensors.items():
        _expect_tensor(name, t)
        if not t.dtype.is_floating_point:
            raise TypeError(f"{name}: expected a floating-point tensor, got dtype {t.dtype}")
    if q.dim() != 4:
        raise InvalidInput(f"q: expected shape [B, T, H, K] (4 dimensions), got {_shape(q)}")
    B, T, H, K = q.shape
    if v.dim() != 4:
        raise InvalidInput(f"v: expected shape [B, T*num_householder, H, V] (4 dimensions), got {_shape(v)}")
    V = v.shape[-1]
    _expect_shape("k", k, "[B, T*num_householder, H, K]", (B, T * n, H, K))
    _expect_shape("v", v, "[B, T*num_householder, H, V]", (B, T * n, H, V))
    _expect_shape("beta", beta, "[B, T*num_householder, H]", (B, T * n, H))
    if g is not None:
        _expect_shape("g", g, "[B, T, H]", (B, T, H))
    if K == 0 or V == 0 or H == 0:
        raise InvalidInput(f"q, v: K, V and H must be positive, got K={K}, V={V}, H={H}")
    for name in ("k", "v"):
        if tensors[name].dtype != q.dtype:
            raise InvalidInput(
                f"{name}: expected dtype {q.dtype} (the dtype of q), got {tensors[name].dtype}"
            )
    for name, t in tensors.items():
        if t.device != q.device:
            raise InvalidInput(f"{name}: expected device {q.device} (the device of q), got {t.device}")
        if not t.is_contiguous():
            raise InvalidInput(
                f"{name}: expected a contiguous tensor of shape {_shape(t)}; call .contiguous()"
            )

    if cu_seqlens is None:
        offsets = tuple(range(0, B * T + 1, T)) if T > 0 else (0,) * (B + 1)
        N = B
    else:
        _expect_tensor("cu_seqlens", cu_seqlens)
        if cu_seqlens.dim() != 1 or cu_seqlens.dtype not in (torch.int32, torch.int64):
            raise InvalidInput(
                f"cu_seqlens: expected a 1-D int32/int64 tensor [N+1], got dtype {cu_seqlens.dtype} "
                f"shape {_shape(cu_seqlens)}"
            )
        if B != 1:
            raise InvalidInput(f"cu_seqlens: requires B == 1 (sequences packed along T), got B = {B}")
        offsets = tuple(int(x) for x in cu_seqlens.tolist())
        if (
            len(offsets) < 2
            or offsets[0] != 0
            or offsets[-1] != T
            or any(b < a for a, b in zip(offsets[:-1], offsets[1:]))
        ):
            raise InvalidInput(
                f"cu_seqlens: expected non-decreasing offsets from 0 to T = {T} with at least 2 entries, "
                f"got {list(offsets)}"
            )
        N = len(offsets) - 1
    if initial_state is not None:
        _expect_shape("initial_state", initial_state, "[N, H, K, V]", (N, H, K, V))

    if scale is None:
        scale = K**-0.5
    else:
        if isinstance(scale, torch.Tensor) or not isinstance(scale, (int, float)) or not math.isfinite(scale):
            raise InvalidInput(f"scale: expected a finite Python number, got {scale!r}")
        scale = float(scale)

    if check_inputs:
        for name, t in tensors.items():
            if not bool(torch.isfinite(t).all()):
                raise InvalidInput(f"{name}: contains NaN or Inf")
        if beta.numel() and not bool(((beta >= 0) & (beta <= 2)).all()):
            lo, hi = float(beta.min()), float(beta.max())
            raise InvalidInput(f"beta: expected values in [0, 2], got values in [{lo}, {hi}]")
    return Dims(B=B, T=T, H=H, K=K, V=V, n_h=n, N=N, offsets=offsets, scale=scale)
