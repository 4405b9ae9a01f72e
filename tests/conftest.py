"""Shared test configuration: hypothesis profiles ``dev`` (fast) and ``ci`` (derandomised, more examples), and the
``load_script`` fixture of the benchmark tests."""

import importlib.util
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=15, deadline=None)
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="module")
def load_script():
    """``load_script("ncu_summary")``: the module of ``benchmarks/ncu_summary.py``. Benchmark scripts are not a
    package, and benchmarks/kernels.py's name would shadow the kernels package, so each is loaded from its file
    under a name of its own."""

    def load(name):
        path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod

    return load
