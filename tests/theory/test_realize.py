"""Tests for theory.realize: explicit reflection factorisations in permutation modules.

The exact self-verification is complemented by independent floating-point
linear algebra (numpy ranks and projections) and hand-derived n_h values.
"""

from __future__ import annotations

import numpy as np
import pytest

from theory.characters import Cyc, catalog_groups, character_table
from theory.minimal import min_nh_faithful
from theory.realize import realize

CAT = catalog_groups()
# hand-derived (see test_minimal.KNOWN): (min_n_h, dim)
GROUPS = {
    "S3": (2, 2),
    "S4": (2, 3),
    "A4": (2, 3),
    "A5": (2, 3),
    "Q8": (4, 4),
    "Z5": (2, 2),
    "D4": (2, 2),
    "Z2xZ2xZ2": (3, 3),
    "Dic12": (4, 4),
    "SL(2,3)": (4, 4),
}


def _np(vecs):
    return np.array([[complex(x).real for x in v] for v in vecs]).T  # columns


def _householder(u):
    u = np.asarray(u)
    return np.eye(len(u)) - 2 * np.outer(u, u) / (u @ u)


@pytest.fixture(scope="module", params=sorted(GROUPS))
def realised(request):
    name = request.param
    t = character_table(CAT[name])
    res = min_nh_faithful(t)
    return name, t, realize(t, res.subset)


def test_exact_verification(realised):
    name, _, real = realised
    assert real.dim == GROUPS[name][1]
    assert real.verify()


def test_numeric_independent(realised):
    name, t, real = realised
    B = _np(real.basis)  # N x d
    assert np.linalg.matrix_rank(B) == real.dim
    proj = B @ np.linalg.pinv(B)
    worst = 0
    for g in t.elements:
        perm = real.permutation(g)
        P = np.zeros((real.ambient_dim, real.ambient_dim))
        for c, d in enumerate(perm):
            P[d, c] = 1
        PB = P @ B
        # W is invariant
        assert np.allclose(proj @ PB, PB)
        # number of reflections = rank((P(g) - I)|_W), computed numerically
        r = np.linalg.matrix_rank(PB - B, tol=1e-8)
        us = real.reflections(g)
        assert len(us) == r
        M = np.eye(real.ambient_dim)
        for u in us:
            un = np.array([complex(x).real for x in u])
            assert np.allclose(proj @ un, un)  # u lies in W
            M = M @ _householder(un)
        assert np.allclose(M @ B, PB)
        # faithful on W: only the identity acts trivially
        if r == 0:
            assert g == tuple(range(t.degree))
        worst = max(worst, r)
    assert worst == GROUPS[name][0]


def test_vectors_are_exact_and_real():
    t = character_table(CAT["A5"])
    real = realize(t, min_nh_faithful(t).subset)
    entries = [x for v in real.basis for x in v]
    assert all(isinstance(x, Cyc) and x.is_real() for x in entries)
    # A5's 3-dim representation is not rational: some entry is irrational (golden ratio)
    assert any(not x.is_rational() for x in entries)
