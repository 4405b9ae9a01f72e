# Two entry points on a fresh machine: `make demo` and `make test`.
# Both create .venv when it is missing (torch==2.13.0 is the CPU build on disk; triton==3.7.1).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench notebooks wheels clean-venv

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,notebooks]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/deltaproof table
	$(VENV)/bin/deltaproof prove A5 --nh 2
	$(VENV)/bin/deltaproof prove S5 --nh 3
	$(VENV)/bin/deltaproof atlas --out reports --fresh

# worksteal: the interpreter's kernel tests vary from 1 to 25 s each, and the default load scheduling left one
# worker idle at the end (the suite took 520-635 s against 385 s with worksteal, session 16)
test: $(STAMP)
	$(PY) -m pytest -q -n 2 --dist worksteal --timeout=900 --hypothesis-profile=ci --doctest-modules --doctest-glob=README.md README.md tests theory automata verify kernels

bench: $(STAMP)
	$(PY) benchmarks/proofs.py

notebooks: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

# The fla wheel the H200 scripts install (the device machine has no network; carry `.whl`): pure Python, the version
# the test extra pins. Git-ignored, so a fresh checkout must run this before a GPU call that compares with fla.
wheels:
	$(PYTHON) -m pip download -q --no-deps --dest .whl fla-core==0.6.0

clean-venv:
	rm -rf $(VENV)
