"""The four packages must come from this repository (PyPI has unrelated 'automata', 'kernels', 'verify')."""

import importlib
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["theory", "automata", "kernels", "verify"])
def test_package_is_ours(name):
    mod = importlib.import_module(name)
    assert pathlib.Path(mod.__file__).resolve().parent == ROOT / name


def test_theory_and_automata_do_not_import_torch():
    import subprocess
    import sys

    code = ("import sys, theory.prover, theory.checker, automata, theory.reps; "
            "print('torch' in sys.modules or 'triton' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
