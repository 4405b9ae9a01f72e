import itertools

import pytest
from hypothesis import given, strategies as st

from theory.errors import NotOrthogonal
from theory.exact import ExactField
from theory.householder import factor_orthogonal, product_of_factors, reflection_length


def _perm_matrix(p, F):
    n = len(p)
    return tuple(tuple(F.one if p[j] == i else F.zero for j in range(n)) for i in range(n))


def _signed(p, signs, F):
    n = len(p)
    return tuple(tuple(F.parse(signs[j]) if p[j] == i else F.zero for j in range(n)) for i in range(n))


def _cycles(p):
    seen, c = set(), 0
    for i in range(len(p)):
        if i not in seen:
            c += 1
            j = i
            while j not in seen:
                seen.add(j)
                j = p[j]
    return c


@given(st.permutations(list(range(6))))
def test_permutations_factor_into_n_minus_cycles_integer_swaps(p):
    F = ExactField()
    Q = _perm_matrix(p, F)
    fs = factor_orthogonal(Q, F)
    assert len(fs) == 6 - _cycles(p) == reflection_length(Q, F)
    assert product_of_factors(fs, F, 6) == Q
    for f in fs:  # e_i - e_j keys, beta = 2
        vals = sorted(int(F.to_fraction(x)) for x in f.u)
        assert vals == [-1] + [0] * 4 + [1] and F.to_str(f.beta) == "2"


@given(st.permutations(list(range(4))), st.lists(st.sampled_from([1, -1]), min_size=4, max_size=4))
def test_signed_permutations(p, signs):
    F = ExactField()
    Q = _signed(p, signs, F)
    fs = factor_orthogonal(Q, F)
    assert product_of_factors(fs, F, 4) == Q
    assert len(fs) == reflection_length(Q, F)
    assert all(F.is_rational(x) and F.to_fraction(x).denominator == 1 for f in fs for x in f.u)


@given(st.integers(1, 11), st.integers(0, 1))
def test_rotations_and_reflections_in_the_plane(k, refl):
    import sympy

    ang = 2 * sympy.pi * sympy.Rational(k, 12)
    F = ExactField(["sqrt(3)"])
    c, s = F.parse(sympy.cos(ang)), F.parse(sympy.sin(ang))
    Q = ((c, s), (s, -c)) if refl else ((c, -s), (s, c))
    fs = factor_orthogonal(Q, F)
    assert product_of_factors(fs, F, 2) == Q
    assert len(fs) == (1 if refl else 2)


def test_identity_has_no_factors_and_order_is_step1_first():
    F = ExactField()
    assert factor_orthogonal(F.identity(3), F) == []
    # a 3-cycle: the product G2 G1 (step 1 rightmost) reproduces it, G1 G2 does not
    P = F.mat([[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    fs = factor_orthogonal(P, F)
    assert product_of_factors(fs, F, 3) == P
    assert product_of_factors(fs[::-1], F, 3) != P


def test_non_orthogonal_refused():
    F = ExactField()
    with pytest.raises(NotOrthogonal, match="Q: matrix is not orthogonal"):
        factor_orthogonal(F.mat([[1, 1], [0, 1]]), F)
    with pytest.raises(NotOrthogonal):
        factor_orthogonal(F.mat([[2, 0], [0, 1]]), F)


def test_icosahedral_rotation_counts():
    from automata import group
    from theory.reps import icosahedral

    rho = icosahedral(group("A5"))
    for g in range(60):
        fs = factor_orthogonal(rho.matrices[g], rho.field)
        assert product_of_factors(fs, rho.field, 3) == rho.matrices[g]
        assert len(fs) == (0 if g == 0 else 2)
