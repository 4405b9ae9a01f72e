"""Loading benchmark scripts as modules: they live in benchmarks/ (not a package), and benchmarks/kernels.py's
name would shadow the kernels package, so each is loaded from its file under a name of its own."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def load_script():
    """``load_script("ncu_summary")``: the module of ``benchmarks/ncu_summary.py``."""

    def load(name):
        spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod

    return load
