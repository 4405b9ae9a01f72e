"""Atomic file writes for verify/ and the benchmarks (the implementation is :mod:`automata.atomic`).

>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> write_json_atomic(os.path.join(d, "a.json"), {"x": 1})
>>> open(os.path.join(d, "a.json")).read()
'{\\n "x": 1\\n}\\n'
"""

from __future__ import annotations

import json
import os

from automata.atomic import write_atomic

__all__ = ["write_atomic", "write_json_atomic"]


def write_json_atomic(path: str | os.PathLike, obj) -> None:
    """JSON (indented, trailing newline) written with :func:`write_atomic`."""
    write_atomic(path, json.dumps(obj, indent=1) + "\n")
