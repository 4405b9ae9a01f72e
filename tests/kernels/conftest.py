"""Kernel tests run the Triton backends in Triton's CPU interpreter.

TRITON_INTERPRET must be set before any ``@triton.jit`` function is defined, i.e. before the Triton
modules of :mod:`kernels` are imported (``kernels`` itself imports them lazily, on first use).
"""

import os

os.environ.setdefault("TRITON_INTERPRET", "1")

import pytest


@pytest.fixture(autouse=True)
def poison_outputs():
    """Fill every buffer the Triton backends allocate for outputs with NaN, so unwritten elements fail."""
    from kernels import _triton_common

    old = _triton_common.POISON_OUTPUTS
    _triton_common.POISON_OUTPUTS = True
    yield
    _triton_common.POISON_OUTPUTS = old
