"""Tests for verify.learn.mechanism: exact constructions planted in a head must be recognised, others not.

Expected values are derived by hand (character values by cycle type, reflection counts of rotations and
permutations), never computed by the code under test. Constructions come from theory.reps or are written here.
"""

import json
import math

import numpy as np
import pytest

from automata import group
from theory.errors import InvalidGroupSpec, InvalidInput
from theory.reps import icosahedral, octahedral
from verify.learn.mechanism import analyze_transitions

# -- helpers ------------------------------------------------------------------------------------------------

def perm_matrices(G):
    """P e_i = e_{p(i)}: column i of P is e_{p(i)}."""
    return np.stack([np.eye(G.degree)[:, list(p)] for p in G.elements])


def to_float(rep):
    F = rep.field
    return np.array([[[float(F.to_sympy(x)) for x in row] for row in M] for M in rep.matrices])


def assert_anti_hom(G, M):
    """The convention the learned transitions must follow: M(a*b) = M(b) M(a), checked on all pairs."""
    for a in range(G.order):
        for b in range(G.order):
            np.testing.assert_allclose(M[G.mul(a, b)], M[b] @ M[a], atol=1e-12)


def random_orthogonal(rng, n, K):
    return np.linalg.qr(rng.standard_normal((n, K, K)))[0]


def plant(M, K, heads, rng):
    """[n, H, K, K]: head h is M padded with an identity block ('rep'), identity ('id') or random ('rand')."""
    n, d = M.shape[0], M.shape[1]
    A = np.tile(np.eye(K), (n, len(heads), 1, 1))
    for h, kind in enumerate(heads):
        if kind == "rep":
            A[:, h, :d, :d] = M
        elif kind == "rand":
            A[:, h] = random_orthogonal(rng, n, K)
    return A


def cycle_type(p):
    seen, out = set(), []
    for i in range(len(p)):
        k, j = 0, i
        while j not in seen:
            seen.add(j)
            j, k = p[j], k + 1
        if k:
            out.append(k)
    return tuple(sorted(out, reverse=True))


def char_at(report, irrep_index, elem):
    """Value of a reported irreducible character at element id ``elem``."""
    return report["irreps"][irrep_index]["character"][report["class_of"][elem]]


def first_with_type(G, ct):
    return next(x for x, p in enumerate(G.elements) if cycle_type(p) == ct)


# -- constructions that must be found -----------------------------------------------------------------------

def test_s4_octahedral_found():
    G = group("S4")
    M = to_float(octahedral(G))
    assert_anti_hom(G, M)
    r = analyze_transitions("S4", plant(M, 8, ["id", "rep", "rand"], np.random.default_rng(0)))
    assert r["verdict"] == "found", r["reason"]
    assert r["representation_heads"] == [0, 1] and r["nontrivial_representation_heads"] == [1]
    assert r["faithful"] and r["kernel"] == [0]
    assert not r["heads"][2]["is_representation"]
    # rotation group of the cube: one 3-dim irrep, the standard rep tensor sign; character by cycle type
    # e: 3, (12)(34): -1 (half turn about a face axis), (123): 0, (1234): +1 (quarter turn), (12): -1 (edge axis)
    (d,) = r["decomposition"]
    assert (d["degree"], d["multiplicity"], d["kind"]) == (3, 1, "real")
    hand = {(1, 1, 1, 1): 3, (2, 2): -1, (3, 1): 0, (4,): 1, (2, 1, 1): -1}
    for ct, v in hand.items():
        assert char_at(r, d["index"], first_with_type(G, ct)) == pytest.approx(v)
    assert r["trivial_multiplicity"] == 8 + 5  # identity head + the identity padding
    # every nontrivial rotation fixes exactly its axis: 2 reflections
    assert r["heads"][1]["rank_A_minus_I"]["histogram"] == {"0": 1, "2": 23}
    assert r["nh_needed_by_learned"] == 2 and r["nh_needed_by_characters"] == 2 and r["min_nh_theory"] == 2
    angles = {e["element"]: e["angles_over_2pi"] for e in r["heads"][1]["eig_angles"]}
    four = next(x for x in angles if cycle_type(G.elements[x]) == (4,))
    assert angles[four] == [-0.25, 0.25]
    assert r["heads"][1]["orth_defect"] < 1e-12 and r["heads"][1]["hom_residual"] < 1e-12
    assert json.loads(json.dumps(r)) == r  # plain JSON types only


def test_s5_permutation_found_and_classes_match_cycle_types():
    G = group("S5")
    M = perm_matrices(G)
    assert_anti_hom(G, M)
    r = analyze_transitions("S5", plant(M, 32, ["rep", "rand", "id"], np.random.default_rng(1)))
    assert r["verdict"] == "found", r["reason"]
    assert r["nontrivial_representation_heads"] == [0] and r["faithful"]
    # permutation rep = trivial + standard; standard character = (#fixed points - 1)
    (d,) = r["decomposition"]
    assert (d["degree"], d["multiplicity"]) == (4, 1)
    for x in (0, 1, 5, 30, 119):
        assert char_at(r, d["index"], x) == pytest.approx(sum(i == p for i, p in enumerate(G.elements[x])) - 1)
    assert r["trivial_multiplicity"] == 1 + 27 + 32
    assert r["nh_needed_by_learned"] == 4 and r["min_nh_theory"] == 4  # the 5-cycle moves a 4-dim space
    # conjugacy classes of S5 are the 7 cycle types; the reported element -> class map must agree
    by_class = {}
    for x, k in enumerate(r["class_of"]):
        by_class.setdefault(k, set()).add(cycle_type(G.elements[x]))
    assert len(by_class) == 7 and all(len(v) == 1 for v in by_class.values())
    assert sorted(c["size"] for c in r["classes"]) == sorted([1, 10, 15, 20, 20, 30, 24])


def test_a5_icosahedral_found():
    G = group("A5")
    M = to_float(icosahedral(G))
    assert_anti_hom(G, M)
    r = analyze_transitions("A5", plant(M, 8, ["rand", "rep"], np.random.default_rng(2)))
    assert r["verdict"] == "found", r["reason"]
    (d,) = r["decomposition"]
    i = d["index"]
    assert (d["degree"], d["multiplicity"]) == (3, 1) and not r["irreps"][i]["rational"]
    assert char_at(r, i, first_with_type(G, (3, 1, 1))) == pytest.approx(0)
    assert char_at(r, i, first_with_type(G, (2, 2, 1))) == pytest.approx(-1)
    golden = {(1 + math.sqrt(5)) / 2, (1 - math.sqrt(5)) / 2}
    v = char_at(r, i, first_with_type(G, (5,)))
    assert min(abs(v - g) for g in golden) < 1e-6
    assert r["nh_needed_by_learned"] == 2 and r["min_nh_theory"] == 2


def test_z3_rotation_is_complex_type():
    G = group("Z3")  # id k is the rotation by k
    c, s = np.cos(2 * np.pi / 3), np.sin(2 * np.pi / 3)
    R = np.array([[c, -s], [s, c]])
    M = np.stack([np.linalg.matrix_power(R, k) for k in range(3)])
    assert_anti_hom(G, M)
    r = analyze_transitions("Z3", plant(M, 4, ["rep"], np.random.default_rng(3)))
    assert r["verdict"] == "found"
    assert [(d["kind"], d["degree"], d["multiplicity"]) for d in r["decomposition"]] == [("complex", 2, 1)]
    assert r["nh_needed_by_learned"] == 2


# -- constructions that must not be found -------------------------------------------------------------------

def test_sign_rep_is_a_representation_but_not_faithful():
    G = group("S4")
    sgn = np.array([[[(-1.0) ** sum(k - 1 for k in cycle_type(p))]] for p in G.elements])
    assert_anti_hom(G, sgn)
    r = analyze_transitions("S4", plant(sgn, 8, ["rep", "rand"], np.random.default_rng(4)))
    assert r["heads"][0]["is_representation"] and r["representation_heads"] == [0]
    assert not r["faithful"] and r["verdict"] == "not found" and "kernel" in r["reason"]
    even = [x for x, p in enumerate(G.elements) if sum(k - 1 for k in cycle_type(p)) % 2 == 0]
    assert r["kernel"] == even and len(even) == 12
    (d,) = r["decomposition"]
    assert d["degree"] == 1 and char_at(r, d["index"], first_with_type(G, (2, 1, 1))) == pytest.approx(-1)


def test_wrong_convention_is_not_a_representation():
    # P^T satisfies P^T(a*b) = P^T(a) P^T(b): a homomorphism, not the anti-homomorphism the recurrence needs
    G = group("S3")
    A = np.swapaxes(perm_matrices(G), 1, 2)[:, None]
    r = analyze_transitions("S3", A)
    assert not r["heads"][0]["is_representation"] and r["verdict"] == "not found"
    assert r["heads"][0]["hom_residual"] >= math.sqrt(3) - 1e-9  # ||P - Q|| >= |1 - exp(2 pi i/3)| for P != Q
    assert r["heads"][0]["orth_defect"] < 1e-12
    assert "no head is a representation" in r["reason"]


def test_scaled_identity_residuals_by_hand():
    # A(x) = 1.1 I: A^T A - I = 0.21 I; A(ab) - A(b) A(a) = -0.11 I, relative to ||A(ab)|| = 1.1
    A = np.tile(1.1 * np.eye(3), (4, 1, 1, 1))
    h = analyze_transitions("Z2xZ2", A)["heads"][0]
    assert h["orth_defect"] == pytest.approx(0.21)
    assert h["hom_residual"] == pytest.approx(0.1)
    assert h["identity_residual"] == pytest.approx(0.1)
    assert not h["is_representation"]


def test_random_orthogonal_heads_and_trivial_heads():
    rng = np.random.default_rng(5)
    r = analyze_transitions("D4", random_orthogonal(rng, 8 * 2, 6).reshape(8, 2, 6, 6))
    assert r["verdict"] == "not found" and r["representation_heads"] == []
    assert all(h["hom_residual"] > 0.5 for h in r["heads"])
    r = analyze_transitions("D4", np.tile(np.eye(4), (8, 2, 1, 1)))
    assert r["verdict"] == "not found" and "trivial" in r["reason"] and r["kernel"] == list(range(8))


@pytest.mark.parametrize("eps, found", [(1e-3, True), (0.3, False)])
def test_perturbation(eps, found):
    G = group("S4")
    rng = np.random.default_rng(6)
    A = plant(to_float(octahedral(G)), 8, ["rep", "rand"], rng)
    E = rng.standard_normal(A.shape)
    A = A + eps * E / np.linalg.norm(E, 2, axis=(-2, -1))[..., None, None]  # spectral norm eps per matrix
    r = analyze_transitions("S4", A, tol=0.05)
    assert (r["verdict"] == "found") is found, r["reason"]
    if found:
        assert r["nh_needed_by_learned"] == 2 and r["heads"][0]["integrality_defect"] < 0.01
    else:
        assert r["heads"][0]["orth_defect"] > 0.05


def test_beta_statistics():
    G = group("Z3")
    A = np.tile(np.eye(2), (3, 2, 1, 1))
    betas = np.zeros((3, 2, 4))
    betas[:, 0] = 2.0
    betas[:, 1, :2] = 1.95
    betas[0, 1, 2] = 1.0
    r = analyze_transitions(G.spec, A, betas)
    assert r["heads"][0]["beta"] == {"mean": 2.0, "frac_saturated": 1.0, "frac_zero": 0.0,
                                     "max_saturated_per_letter": 4}
    b1 = r["heads"][1]["beta"]
    assert b1["mean"] == pytest.approx((6 * 1.95 + 1.0) / 12)
    assert b1["frac_saturated"] == pytest.approx(0.5) and b1["frac_zero"] == pytest.approx(5 / 12)
    assert b1["max_saturated_per_letter"] == 2


# -- bad input ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec, A, betas, tol, match", [
    ("S3", np.zeros((6, 1, 2)), None, 0.05, "A: expected 4 dimensions"),
    ("S3", np.zeros((5, 1, 2, 2)), None, 0.05, r"A: expected shape \[\|G\| = 6"),
    ("S3", np.zeros((6, 1, 2, 3)), None, 0.05, "A: expected shape"),
    ("S3", np.zeros((6, 0, 2, 2)), None, 0.05, "A: expected shape"),
    ("S3", np.full((6, 1, 2, 2), np.nan), None, 0.05, "A: contains NaN"),
    ("S3", np.zeros((6, 1, 2, 2)), np.zeros((6, 2, 1)), 0.05, "betas: expected shape"),
    ("S3", np.zeros((6, 1, 2, 2)), np.full((6, 1, 1), np.inf), 0.05, "betas: contains NaN or infinite"),
    ("S3", np.zeros((6, 1, 2, 2)), np.zeros((6, 1)), 0.05, "betas: expected 3 dimensions"),
    ("S3", np.zeros((6, 1, 2, 2)), None, 0.0, "tol: expected a positive"),
    ("S3", np.zeros((6, 1, 2, 2)), None, float("nan"), "tol: expected a positive"),
    ("S3", "abc", None, 0.05, "A: expected a float array"),
])
def test_bad_input(spec, A, betas, tol, match):
    with pytest.raises(InvalidInput, match=match):
        analyze_transitions(spec, A, betas, tol=tol)


def test_bad_group_spec():
    with pytest.raises(InvalidGroupSpec):
        analyze_transitions("S0", np.zeros((1, 1, 1, 1)))


# -- subspace criterion: a representation on an invariant subspace, junk elsewhere -----------------------------

def embed(M, K, rng, junk="rand"):
    """[n, K, K]: M on the first d coordinates, per-letter random orthogonal junk (not a representation) on the
    rest, all conjugated by one random orthogonal basis change R (returned)."""
    n, d = M.shape[0], M.shape[1]
    A = np.tile(np.eye(K), (n, 1, 1))
    A[:, :d, :d] = M
    if junk == "rand":
        A[:, d:, d:] = random_orthogonal(rng, n, K - d)
    R = random_orthogonal(rng, 1, K)[0]
    return R @ A @ R.T, R


def test_rotation_rep_on_subspace_found_with_writes():
    G = group("S4")
    rng = np.random.default_rng(7)
    M = to_float(octahedral(G))  # rotation group of the cube: codim 2 for every nontrivial rotation
    K, V = 7, 5
    A, R = embed(M, K, rng)
    # writes: on the representation block, the first 2 value columns are a coboundary (I - M(x)) C; the other
    # 3 columns (and the junk block) get random writes, which accumulate as a random walk
    C = rng.standard_normal((3, 2))
    Bb = rng.standard_normal((24, K, V))
    Bb[:, :3, :2] = (np.eye(3) - M) @ C
    B = R @ Bb
    r = analyze_transitions("S4", A[:, None], B=B[:, None])
    assert not r["heads"][0]["is_representation"]  # full-space criterion fails
    assert r["verdict"] == "found" and r["criterion"] == "subspace", r["reason"]
    s = r["subspace"][0]
    assert s["dim"] == 3 and s["nontrivial_dim"] == 3 and s["kernel"] == [0]
    assert s["hom_residual"] < 1e-9 and s["leak"] < 1e-9
    (d,) = r["decomposition"]
    assert (d["degree"], d["multiplicity"]) == (3, 1)
    assert char_at(r, d["index"], first_with_type(G, (4,))) == pytest.approx(1)  # quarter turn
    assert char_at(r, d["index"], first_with_type(G, (2, 1, 1))) == pytest.approx(-1)  # half turn (edge axis)
    assert r["nh_needed_by_learned"] == 2 and r["representation_heads"] == [0] and r["faithful"]
    w = s["writes"]
    # only the identity fixes two independent vectors of R^3 under a rotation group: orbit of size 24
    assert w["state_dims"] == 2 and w["state_kernel"] == [0] and w["state_orbit"] == 24
    assert max(w["noise_to_signal"][:2]) <= 1e-5  # exact coboundary columns (1e-6: the regulariser)
    assert w["noise_to_signal"][2] is None or w["noise_to_signal"][2] > 1  # C has rank 2: no third direction
    assert r["subspace_summary"]["state_faithful"] is True
    assert json.loads(json.dumps(r)) == r


def test_subspace_sign_rep_not_faithful_and_trivial_complement_counted():
    G = group("S4")
    sgn = np.array([[[(-1.0) ** sum(k - 1 for k in cycle_type(p))]] for p in G.elements])
    A, _ = embed(sgn, 5, np.random.default_rng(8), junk="id")  # sign on one line, identity on 4 dims
    r = analyze_transitions("S4", np.concatenate([A[:, None], random_orthogonal(
        np.random.default_rng(9), 24, 5)[:, None]], axis=1))
    assert r["verdict"] == "not found" and "no head is a representation" not in r["reason"]  # head 0 is one
    # full-space: head 0 is a (non-faithful) representation; subspace: the same, 1 nontrivial dim + 4 trivial
    s = r["subspace"][0]
    assert s["dim"] == 5 and s["nontrivial_dim"] == 1 and len(s["kernel"]) == 12
    assert r["subspace"][1]["dim"] == 0 and r["subspace_summary"]["faithful"] is False


def test_subspace_rep_without_coboundary_writes_is_not_found():
    G = group("S3")
    P = perm_matrices(G)  # trivial + standard 2-dim (faithful)
    A, _ = embed(P, 6, np.random.default_rng(10))
    B = np.random.default_rng(11).standard_normal((6, 6, 4))  # generic writes: no coboundary direction
    r = analyze_transitions("S3", A[:, None], B=B[:, None])
    assert r["subspace"][0]["nontrivial_dim"] == 2 and r["subspace_summary"]["faithful"]
    assert r["subspace"][0]["writes"]["state_dims"] == 0
    assert r["subspace_summary"]["state_faithful"] is False and r["verdict"] == "not found"
    assert "writes do not" in r["reason"]
    # without B the same transitions are a found subspace representation (trivial part: the all-ones vector)
    r = analyze_transitions("S3", A[:, None])
    assert r["verdict"] == "found" and r["criterion"] == "subspace" and r["trivial_multiplicity"] == 1
    assert r["nh_needed_by_learned"] == 2  # 3-cycles rotate the 2-dim standard plane


def test_subspace_tol_controls_noise():
    G = group("S4")
    rng = np.random.default_rng(12)
    A, _ = embed(to_float(octahedral(G)), 6, rng)
    E = rng.standard_normal(A.shape)
    A = A + 0.3 * E / np.linalg.norm(E, 2, axis=(-2, -1))[..., None, None]
    r = analyze_transitions("S4", A[:, None])
    assert r["verdict"] == "not found" and r["subspace"][0]["nontrivial_dim"] == 0


def test_bad_B_and_subspace_tol():
    A = np.tile(np.eye(2), (6, 1, 1, 1))
    with pytest.raises(InvalidInput, match="B: expected shape"):
        analyze_transitions("S3", A, B=np.zeros((6, 2, 2, 3)))
    with pytest.raises(InvalidInput, match="subspace_tol"):
        analyze_transitions("S3", A, subspace_tol=-1.0)


# -- from a model -----------------------------------------------------------------------------------------------

def test_letter_writes_match_the_kernel_and_analyze_model_runs():
    torch = pytest.importorskip("torch")
    from kernels import deltaproduct
    from verify.learn.mechanism import analyze_model, letter_writes
    from verify.learn.model import WordProblemModel

    torch.manual_seed(0)
    m = WordProblemModel(6, 6, 2, d_model=16, heads=2, head_dim=4, backend="reference", dtype=torch.float64)
    A, B, betas = letter_writes(m)
    assert A.shape == (6, 2, 4, 4) and B.shape == (6, 2, 4, 4) and betas.shape == (6, 2, 2)
    # the kernel's state after the word (x1, x2) from S_0 = 0 must be A(x2) B(x1) + B(x2)
    toks = torch.tensor([[3, 5]])
    with torch.no_grad():
        h = m.norm1(m.emb(toks))
        k, beta = m._keys_betas(h)
        v = m.wv(h).view(1, 2, 2, 2, 4)
        q = torch.zeros(1, 2, 2, 4, dtype=torch.float64)
        _, S = deltaproduct(q, k.reshape(1, 4, 2, 4).double(), v.reshape(1, 4, 2, 4).double(),
                            beta.reshape(1, 4, 2).double(), num_householder=2, backend="reference",
                            output_final_state=True)
    np.testing.assert_allclose(S[0].numpy(), A[5] @ B[3] + B[5], atol=1e-10)
    r = analyze_model("S3", m, accuracy=0.95, length=16, words=8)
    assert r["verdict"] in ("other mechanism", "found")
    if r["verdict"] == "other mechanism":
        assert "task solved (accuracy 0.95)" in r["reason"]
    assert r["dynamics"]["length"] == 16 and json.loads(json.dumps(r)) == r
    assert analyze_model("S3", m, length=16, words=8)["verdict"] in ("not found", "found")


def test_faithful_at_subspace_tol_is_graded():
    """Exact permutation matrices: found at ``tol``. Perturbed by 0.12 in spectral norm per letter (so the group
    law can fail by up to about 3 x 0.12 on a pair): not found at the default tolerances, but the graded key
    places a faithful representation at 0.3-0.5. Random orthogonal matrices: never."""
    from automata import group

    G = group("S3")
    P = np.stack([np.eye(3)[:, list(p)] for p in G.elements])
    exact = analyze_transitions("S3", P[:, None])
    assert exact["verdict"] == "found" and exact["faithful_at_subspace_tol"] == exact["tol"]
    rng = np.random.default_rng(1)
    noise = rng.standard_normal(P.shape)
    noise /= np.linalg.norm(noise, ord=2, axis=(1, 2))[:, None, None]
    noisy = analyze_transitions("S3", (P + 0.12 * noise)[:, None])
    assert noisy["verdict"] == "not found"  # the group law fails by more than 0.15 in the worst pair
    assert noisy["faithful_at_subspace_tol"] in (0.3, 0.4, 0.5)
    Q = np.linalg.qr(rng.standard_normal((6, 1, 3, 3)))[0]
    assert analyze_transitions("S3", Q)["faithful_at_subspace_tol"] is None
