"""Helpers shared by the Triton backends: interpreter detection, dtype mapping, output allocation.

The Triton modules import without a GPU. On a CPU-only machine the caller must set
``TRITON_INTERPRET=1`` *before* importing :mod:`kernels` (Triton reads it when a kernel is defined);
the package never sets it itself.
"""

from __future__ import annotations

import os

import torch
import triton
import triton.language as tl

from .errors import BackendUnavailable, InvalidInput

#: Test hook: when True, every output buffer the Triton backends allocate is filled with NaN first, so an
#: element the kernel forgets to write stays NaN and fails the comparison. Off by default (it costs a memset).
POISON_OUTPUTS = False

_DOT_DTYPES = {torch.float32: tl.float32, torch.float16: tl.float16, torch.bfloat16: tl.bfloat16}


def is_interpreting() -> bool:
    """True when Triton runs kernels in its CPU interpreter (``TRITON_INTERPRET=1``).

    Examples
    --------
    >>> from kernels._triton_common import is_interpreting
    >>> isinstance(is_interpreting(), bool)
    True
    """
    return os.environ.get("TRITON_INTERPRET", "0") == "1"


def check_triton_device(q: torch.Tensor, backend: str) -> None:
    """Refuse inputs that Triton cannot run: CPU tensors without the interpreter, or float64."""
    if q.device.type == "cpu" and not is_interpreting():
        raise BackendUnavailable(
            f"backend {backend!r}: CPU tensors need TRITON_INTERPRET=1 set before importing kernels "
            "(or use backend='reference')"
        )
    if q.dtype not in _DOT_DTYPES:
        raise InvalidInput(
            f"q: backend {backend!r} supports float32, float16 and bfloat16, got {q.dtype}; "
            "use backend='reference' for other dtypes"
        )


def dot_dtype(dtype: torch.dtype):
    """Triton dtype of the ``tl.dot`` operands for inputs of ``dtype``."""
    return _DOT_DTYPES[dtype]


def emulate_bf16(dtype: torch.dtype) -> bool:
    """bf16 arithmetic is wrong in the interpreter: round operands to bf16 and compute in fp32 instead."""
    return dtype == torch.bfloat16 and is_interpreting()


def alloc(shape, dtype, device) -> torch.Tensor:
    """An output buffer; NaN-filled when :data:`POISON_OUTPUTS` is set (tests), else uninitialised."""
    if POISON_OUTPUTS:
        return torch.full(shape, float("nan"), dtype=dtype, device=device)
    return torch.empty(shape, dtype=dtype, device=device)


def next_pow2(x: int) -> int:
    return triton.next_power_of_2(max(int(x), 1))


@triton.jit
def rd(x, DT: tl.constexpr, EMU: tl.constexpr):
    """Round ``x`` to the dot operand type ``DT``; under emulation keep the rounded value in fp32."""
    if EMU:
        return x.to(DT).to(tl.float32)
    else:
        return x.to(DT)
