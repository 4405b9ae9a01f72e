"""Root pytest configuration: run Triton kernels in the CPU interpreter when no GPU is present.

This must happen before ``kernels.recurrent`` / ``kernels.chunked`` are imported, for tests and doctests alike.
"""

import os
import shutil

if shutil.which("nvidia-smi") is None:
    os.environ.setdefault("TRITON_INTERPRET", "1")
