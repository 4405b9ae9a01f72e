"""Helpers of benchmarks/kernels.py that the GPU scripts share (loaded as a file: its module name would shadow the
kernels package, which is also why pytest's doctest collection cannot import it)."""

import doctest

import pytest


@pytest.fixture(scope="module")
def bench(load_script):
    return load_script("kernels")


def test_setting_env_examples_and_refusals(bench):
    """The docstring example (a launch value with '=' and ',' inside one item) holds; an item without '=' or with
    an empty name is refused with the expected form."""
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(bench.setting_env, globs={"setting_env": bench.setting_env}):
        runner.run(test)
    assert runner.tries >= 1 and runner.failures == 0
    assert bench.setting_env("A=1") == {"A": "1"}
    assert bench.setting_env("A=+B=x=y") == {"A": "", "B": "x=y"}
    for bad in ("A", "A=1+B", "=1", "A=1+=2"):
        with pytest.raises(SystemExit, match="expected VAR=x"):
            bench.setting_env(bad)
