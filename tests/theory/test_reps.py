import pytest

from automata import group
from theory import reps
from theory.errors import InvalidInput


@pytest.mark.parametrize("spec,name,dim,maxlen,rational", [
    ("S3", "dihedral2d", 2, 2, False), ("S4", "octahedral", 3, 2, True), ("A4", "tetrahedral", 3, 2, True),
    ("A5", "icosahedral", 3, 2, False), ("S5", "permutation", 5, 4, True), ("Z7", "rotation2d", 2, 2, False),
    ("D6", "dihedral2d", 2, 2, False), ("Q8", "quaternion", 4, 4, True), ("Dic3", "quaternion", 4, 4, False),
    ("Z2", "sign", 1, 1, True), ("S4", "standard", 3, 3, False), ("A4xZ5", "direct-sum", 5, 4, False),
])
def test_builtin(spec, name, dim, maxlen, rational):
    G = group(spec)
    builders = dict(reps.builtin_representations(G))
    rho = builders[name]().validate()
    assert rho.dim == dim and rho.is_faithful()
    assert rho.max_reflection_length() == maxlen
    assert rho.is_rational == rational


def test_permutation_rep_law_by_hand():
    """P(a*b) = P(b) P(a) on the worked S3 example: a = id 1, b = id 2, a*b = id 3."""
    G = group("S3")
    P = reps.permutation(G)
    F = P.field
    assert F.matmul(P.matrices[2], P.matrices[1]) == P.matrices[3]
    assert F.matmul(P.matrices[1], P.matrices[2]) != P.matrices[3]


def test_icosahedral_traces_match_a5_character():
    """Independent oracle: the icosahedral character is 3, -1, 0, (1+sqrt5)/2, (1-sqrt5)/2 by element order."""
    import sympy

    G = group("A5")
    rho = reps.icosahedral(G)
    F = rho.field
    for g in range(60):
        tr = F.to_sympy(sum((rho.matrices[g][i][i] for i in range(3)), F.zero))
        o = G.element_order(g)
        if o in (1, 2, 3):
            assert tr == {1: 3, 2: -1, 3: 0}[o]
        else:
            assert sympy.simplify((tr - sympy.Rational(1, 2)) ** 2 - sympy.Rational(5, 4)) == 0


def test_wrong_group_refused():
    with pytest.raises(InvalidInput):
        reps.octahedral(group("A5"))
    with pytest.raises(InvalidInput):
        reps.sign(group("Z3"))
