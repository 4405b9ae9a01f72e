"""Optional backend calling fla's ``chunk_gated_delta_product`` (pip package ``fla-core``).

Only for cross-checks and benchmarks. fla's chunk kernels take float16/bfloat16 only and need a GPU.
"""

from __future__ import annotations

from ._validate import Dims
from .errors import BackendUnavailable, InvalidInput

__all__ = ["deltaproduct_fla", "fla_available"]


def fla_available() -> bool:
    """True when ``fla.ops.gated_delta_product`` imports.

    Examples
    --------
    >>> from kernels.fla_backend import fla_available
    >>> isinstance(fla_available(), bool)
    True
    """
    try:
        import fla.ops.gated_delta_product  # noqa: F401
    except Exception:
        return False
    return True


def deltaproduct_fla(
    q, k, v, beta, *, dims: Dims, g=None, initial_state=None, output_final_state=False, cu_seqlens=None
):
    """Call ``fla.ops.gated_delta_product.chunk_gated_delta_product`` with our argument convention.

    ``use_qk_l2norm_in_kernel=False``: keys are used as given, as in every other backend.
    """
    try:
        from fla.ops.gated_delta_product import chunk_gated_delta_product
    except Exception as exc:  # ImportError, or fla's own device probing failing
        raise BackendUnavailable(
            "backend 'fla' needs the package fla-core (pip install fla-core==0.6.0) and a GPU"
        ) from exc
    if q.device.type != "cuda":
        raise BackendUnavailable("backend 'fla': fla's chunk kernels need a CUDA device")
    if q.dtype not in (__import__("torch").float16, __import__("torch").bfloat16):
        raise InvalidInput(f"q: backend 'fla' supports float16 and bfloat16 only, got {q.dtype}")
    beta = beta.to(q.dtype)
    return chunk_gated_delta_product(
        q,
        k,
        v,
        g,
        beta,
        num_householder=dims.n_h,
        scale=dims.scale,
        initial_state=initial_state,
        output_final_state=output_final_state,
        use_qk_l2norm_in_kernel=False,
        cu_seqlens=cu_seqlens,
    )
