"""Did a trained one-layer DeltaProduct find a construction? Read it off the learned per-letter transitions.

Convention
----------
The recurrence multiplies on the left, ``H_t = A(x_t) H_{t-1}``, while the word problem's target is the prefix
product ``acc_t = acc_{t-1} * x_t`` with ``G.mul(a, b)`` meaning "a, then b" (:mod:`automata.groups`). So a
head that tracks the group exactly through its state satisfies the **anti-homomorphism**

    A(G.mul(a, b)) = A(b) @ A(a)        for all letters a, b,

which is the convention of :mod:`theory.reps` (``rho(a*b) = rho(b) rho(a)``). When ``A`` is orthogonal,
``rho(g) = A(g)^T`` is an ordinary homomorphism (``rho(a*b) = rho(a) rho(b)``), with the same character.

Criterion
---------
A head is a *representation head* when, within ``tol``, every ``A(x)`` is orthogonal (``orth_defect``) and the
law above holds for **all** pairs (``hom_residual``, spectral norms, relative to ``max(1, ||A(ab)||)``). The
model *found* a construction when the representation heads together are faithful: the only letter with
``A(x) = I`` (within a separation threshold) on every such head is the identity. This is exactly the object of
the theory (THEORY.md §2.2-2.3, :mod:`theory.minimal`): a faithful orthogonal representation in which
``A(x)`` is a product of ``rank(A(x) - I)`` reflections (Cartan-Dieudonné). The report also says which real
irreducibles the model used (multiplicities ``<chi, psi>/<psi, psi>`` of the traces ``chi(x) = tr A(x)``
against the exact real irreducible characters of :mod:`theory.characters`), how many reflections its letters
need (``nh_needed_by_learned``) and the exact minimum over all faithful representations (``min_nh_theory``).

Numerical thresholds: for an exactly orthogonal ``Q`` of order ``o``, every eigenvalue ``!= 1`` is at distance
``>= 2 sin(pi/o)`` from 1, so ``sep = min(tol, sin(pi/exponent))`` (half the smallest gap) decides "is the
identity" and the numerical rank of ``A(x) - I`` (singular values above ``sep * max(1, ||A(x)||)``).

Cost: the group law is checked on all ``|G|^2`` pairs, ``O(|G|^2 H K^3)``; about 2 s for S5 (120 letters) with
4 heads of size 32 on two CPU cores.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from automata.groups import group
from theory.errors import InvalidInput

from .model import letter_writes  # re-exported: the mechanism API takes models too

__all__ = ["analyze_model", "analyze_transitions", "letter_writes", "quotient_plateaus"]

#: subspace tolerances tried, beyond ``subspace_tol``, for ``faithful_at_subspace_tol``
_TOL_GRID = (0.2, 0.3, 0.4, 0.5)
_SAT, _ZERO = 1.9, 0.1  # betas at or above _SAT are "saturated at 2" (reflections), at or below _ZERO "off"


def _spec(M: np.ndarray) -> np.ndarray:
    """Spectral norms of a stack of matrices ``[..., K, K]``."""
    return np.linalg.svd(M, compute_uv=False)[..., 0]


def _as_finite(x, name: str, ndim: int) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name}: expected a float array, got {type(x).__name__} ({exc})") from None
    if arr.ndim != ndim:
        raise InvalidInput(f"{name}: expected {ndim} dimensions, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise InvalidInput(f"{name}: contains NaN or infinite values")
    return arr


def _group_data(spec: str):
    """Group, multiplication table, element -> class, and the real irreducible characters as floats."""
    from theory.characters import character_table
    from theory.minimal import min_nh_faithful

    G = group(spec)
    n = G.order
    tab = np.array([[G.mul(a, b) for b in range(n)] for a in range(n)], dtype=np.int64).reshape(n, n)
    table = character_table(G.perm_group)
    # characters.py enumerates the same sympy group, so elements are the same image tuples as G.elements;
    # match by tuple (never by position: the two enumerations use different orders).
    missing = [x for x, e in enumerate(G.elements) if e not in table.class_of]
    if missing or table.order != n:
        raise RuntimeError(f"{G.spec}: character table elements do not match the group's ids (e.g. {missing[:3]})")
    class_of = np.array([table.class_of[e] for e in G.elements], dtype=np.int64)
    psi = np.array([[complex(v).real for v in p.values] for p in table.real_irreps])  # real-valued, [irr, class]
    return G, tab, table, class_of, psi, min_nh_faithful(table)


def quotient_plateaus(group_spec: str, length: int) -> list[dict]:
    """Training-loss plateaus of a model that tracks only a quotient ``G/N``, one per normal subgroup ``N``.

    Word-problem cross-entropy over every position of words of ``length`` uniform letters: position 1's target
    is the letter itself (loss 0); at every later position a model that knows the prefix's image in ``G/N``
    and nothing more is uniform over the ``|N|`` elements of that coset, so its mean loss is
    ``(length - 1) / length * ln |N|``. ``N = G`` is the model that learned nothing beyond position 1, ``N = 1``
    the exact solution (loss 0). The normal subgroups are the intersections of kernels of the real irreducible
    characters (``theory.characters``).

    Examples
    --------
    >>> [(p["normal_order"], round(p["loss"], 3)) for p in quotient_plateaus("S3", 128)]
    [(1, 0.0), (3, 1.09), (6, 1.778)]
    """
    from theory.characters import character_table

    if not (isinstance(length, int) and length >= 1):
        raise InvalidInput(f"length: expected a positive int, got {length!r}")
    table = character_table(group(group_spec).perm_group)
    kernels = {frozenset(range(len(table.class_sizes)))}
    for irrep in table.real_irreps:
        kernels |= {k & frozenset(irrep.kernel) for k in kernels}
    orders = sorted({sum(table.class_sizes[c] for c in k) for k in kernels})
    return [{"normal_order": n, "quotient_order": table.order // n, "loss": (length - 1) / length * math.log(n)}
            for n in orders]


def _head(Ah, tab, e, tol, sep, psi_el, reps, bh) -> dict:
    """Diagnostics of one head: ``Ah [n, K, K]``; ``psi_el [irr, n]`` real irreducible characters per element."""
    n, K = Ah.shape[0], Ah.shape[1]
    I = np.eye(K)
    normA = _spec(Ah)
    orth = float(_spec(np.swapaxes(Ah, 1, 2) @ Ah - I).max())
    # all pairs: row a holds A(ab) - A(b) A(a) for every b; A(b) A(a) for all b is one GEMM [n*K, K] x [K, K]
    scale = np.maximum(1.0, normA)[tab]
    hom = np.empty((n, n))
    for a in range(n):
        prod = (Ah.reshape(n * K, K) @ Ah[a]).reshape(n, K, K)
        hom[a] = _spec(Ah[tab[a]] - prod) / scale[a]
    wa, wb = np.unravel_index(int(hom.argmax()), hom.shape)
    dist_I = _spec(Ah - I)
    sv = np.linalg.svd(Ah - I, compute_uv=False)
    ranks = (sv > sep * np.maximum(1.0, normA)[:, None]).sum(axis=1)
    lam = np.linalg.eigvals(Ah[reps])
    # angle / 2 pi in (-1/2, 1/2]: -1 can come out of eigvals as angle -pi or +pi, report it once as 1/2
    angles = [sorted(0.5 if t <= -0.5 else t + 0.0 for t in (round(float(np.angle(z)) / (2 * np.pi), 3)
                                                       for z in row if abs(z - 1) > sep)) for row in lam]
    chi = np.trace(Ah, axis1=1, axis2=2)
    # <chi, psi> / <psi, psi>; psi is real-valued, so no conjugation (and tr A^T = tr A: either convention)
    mult = (psi_el @ chi) / n / (psi_el ** 2).mean(axis=1)
    out = {
        "orth_defect": orth,
        "hom_residual": float(hom.max()),
        "hom_worst_pair": [int(wa), int(wb)],
        "identity_residual": float(dist_I[e]),
        "kernel": [int(x) for x in np.flatnonzero(dist_I < sep)],
        "is_representation": bool(hom.max() < tol and orth < tol),
        "rank_A_minus_I": {"max": int(ranks.max()), "per_letter": ranks.tolist(),
                           "histogram": {str(r): int(c) for r, c in zip(*np.unique(ranks, return_counts=True))}},
        "eig_angles": [{"element": int(x), "angles_over_2pi": a} for x, a in zip(reps, angles)],
        "max_eig_modulus_defect": float(np.abs(np.abs(np.linalg.eigvals(Ah)) - 1).max()),
        "multiplicities": [round(float(m), 6) for m in mult],
        "integrality_defect": float(np.abs(mult - np.round(mult)).max()),
    }
    if bh is not None:
        sat = bh >= _SAT
        out["beta"] = {"mean": float(bh.mean()), "frac_saturated": float(sat.mean()),
                       "frac_zero": float((bh <= _ZERO).mean()), "max_saturated_per_letter": int(sat.sum(1).max())}
    return out


# -- subspace criterion -----------------------------------------------------------------------------------------

def _chol_geig(S: np.ndarray, N: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Generalised symmetric eigenproblem ``S w = lam N w`` (``N`` positive definite), largest ``lam`` first."""
    L = np.linalg.cholesky(N)
    Li = np.linalg.inv(L)
    lam, Y = np.linalg.eigh(Li @ S @ Li.T)
    W = Li.T @ Y
    return lam[::-1], W[:, ::-1]


def _head_subspace(Ah, Bh, tab, tol, psi_el, table, class_of, identity) -> dict:
    """The largest subspace on which head ``Ah [n, K, K]`` is an orthogonal representation, and its writes.

    The common null space ``W`` of all defects ``D(a, b) = A(ab) - A(b) A(a)`` is invariant under every ``A(x)``
    (for ``w in W``: ``A(ab) A(c) w = A(c a b) w = A(b) A(a) A(c) w``), so it carries a representation; the
    eigenvectors of ``sum_{a,b} D^T D`` with the smallest eigenvalues are taken, as many as keep the worst-case
    residual ``max_{a,b} ||D(a, b) Q||`` and the orthogonality defect of ``Q^T A Q`` within ``tol`` (the
    residual only grows with the number of vectors). Its nontrivial part ``N`` (complement of the fixed vectors,
    from the average ``mean_x Q^T A(x) Q``) is what tracks the group; characters give the irreducible content.

    Writes: for an affine update ``S <- A(x) S + B(x)`` the block ``N^T S`` evolves as
    ``N^T S <- A_N(x) N^T S + B_N(x)``. If ``B_N(x) = (I - A_N(x)) C`` (a coboundary), then from ``S_0 = 0``
    the block is ``(I - A_N(g_t)) C`` with ``g_t`` the prefix product: finitely many values, a faithful function
    of ``g_t`` when only the kernel of the representation fixes ``C``. Otherwise the residual
    ``E(x) = B_N(x) - (I - A_N(x)) C`` (least squares ``C``) accumulates as a random walk. The value directions
    ``w`` with the smallest per-step noise-to-signal ratio ``sqrt(mean_x ||E(x) w||^2) / ||C w||`` are found by a
    generalised eigenproblem; those with ratio ``<= tol`` are the clean directions ``Omega``.
    """
    n, K = Ah.shape[0], Ah.shape[1]
    D = (Ah[tab] - np.einsum("bij,ajk->abik", Ah, Ah)).reshape(n * n, K, K)
    lam, U = np.linalg.eigh(np.einsum("xki,xkj->ij", D, D) / (n * n))
    lo, hi = 0, K  # largest k with worst-case residual <= tol (monotone in k: nested subspaces)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _spec(D @ U[:, :mid]).max() <= tol:
            lo = mid
        else:
            hi = mid - 1
    k = lo
    while k > 0:
        Q = U[:, :k]
        Ar = np.swapaxes(Q, 0, 1) @ Ah @ Q
        if _spec(np.swapaxes(Ar, 1, 2) @ Ar - np.eye(k)).max() <= tol:
            break
        k -= 1
    out = {"dim": int(k), "is_representation": False, "nontrivial": False, "nontrivial_dim": 0,
           "rms_residual_min": float(math.sqrt(max(lam[0], 0.0)))}
    if k == 0:
        return out
    Q = U[:, :k]
    Ar = Q.T @ Ah @ Q
    chi = np.trace(Ar, axis1=1, axis2=2)
    mult = (psi_el @ chi) / n / (psi_el ** 2).mean(axis=1)
    mi = np.rint(mult).astype(int)
    integ = float(np.abs(mult - mi).max())
    nontriv_irr = [i for i, p in enumerate(table.real_irreps) if len(p.kernel) < table.num_classes and mi[i] > 0]
    ker_classes = set(range(table.num_classes))
    for i in nontriv_irr:
        ker_classes &= set(table.real_irreps[i].kernel)
    P = Ar.mean(axis=0)  # ~ orthogonal projector on the fixed vectors
    ev, EV = np.linalg.eigh((P + P.T) / 2)
    Nb = Q @ EV[:, ev < 0.5]
    out.update({
        "hom_residual": float(_spec(D @ Q).max()),
        "orth_defect": float(_spec(np.swapaxes(Ar, 1, 2) @ Ar - np.eye(k)).max()),
        "leak": float(_spec(Ah @ Q - Q @ Ar).max()),
        "multiplicities": [round(float(x), 6) for x in mult],
        "integrality_defect": integ,
        "is_representation": integ <= 0.25 and bool((mi >= 0).all()),
        "nontrivial_dim": int(Nb.shape[1]),
        "kernel": [int(x) for x in np.flatnonzero(np.isin(class_of, sorted(ker_classes)))],
    })
    out["nontrivial"] = bool(out["is_representation"] and nontriv_irr and Nb.shape[1] > 0)
    if not out["nontrivial"] or Bh is None:
        return out
    d = Nb.shape[1]
    An = Nb.T @ Ah @ Nb
    Bn = Nb.T @ Bh  # [n, d, V]
    V = Bn.shape[2]
    M = (np.eye(d) - An).reshape(n * d, d)
    C = np.linalg.lstsq(M, Bn.reshape(n * d, V), rcond=None)[0]  # [d, V]
    E = (Bn - (np.eye(d) - An) @ C).reshape(n * d, V)
    noise, signal = E.T @ E / n, C.T @ C
    reg = 1e-12 * (np.trace(noise) + np.trace(signal)) / V + 1e-300
    glam, Wv = _chol_geig(signal, noise + reg * np.eye(V))
    glam = glam[:d]
    ratio = [float(1 / math.sqrt(x)) if x > 0 else math.inf for x in glam]
    clean = [j for j in range(d) if ratio[j] <= tol]
    writes = {"coboundary_residual": float(np.linalg.norm(E) / max(np.linalg.norm(Bn), 1e-300)),
              "noise_to_signal": [round(r, 6) if math.isfinite(r) else None for r in ratio],
              "state_dims": len(clean), "state_kernel": list(range(n)), "state_orbit": 1}
    if clean:
        Om = np.linalg.qr(Wv[:, clean])[0]  # orthonormal clean value directions [V, m]
        Cw = C @ Om
        sep = min(tol, math.sin(math.pi / max(2, table.exponent)))
        dev = _spec((An - np.eye(d)) @ Cw) / max(_spec(Cw), 1e-300)
        sk = [int(x) for x in np.flatnonzero(dev < sep)]
        writes.update({"state_kernel": sk, "state_orbit": n // max(1, len(sk)),
                       "C_singular_values": [round(float(x), 6) for x in np.linalg.svd(Cw, compute_uv=False)],
                       "_N": Nb, "_Omega": Om, "_C": Cw})
    out["writes"] = writes
    return out


def _subspace_report(G, tab, table, class_of, psi, A, B, tol) -> dict:
    """Per-head subspace representations (:func:`_head_subspace`) and whether together they are faithful."""
    n, H = A.shape[0], A.shape[1]
    psi_el = psi[:, class_of]
    heads = [_head_subspace(A[:, h], None if B is None else B[:, h], tab, tol, psi_el, table, class_of,
                            G.identity) for h in range(H)]
    rep = [h for h in range(H) if heads[h]["nontrivial"]]
    kernel = set(range(n))
    for h in rep:
        kernel &= set(heads[h]["kernel"])
    faithful = bool(rep) and sorted(kernel) == [G.identity]
    m = np.zeros(len(table.real_irreps), dtype=int)
    for h in range(H):
        if heads[h]["is_representation"]:
            m += np.rint(heads[h]["multiplicities"]).astype(int)
    state_faithful, state_dims = None, 0
    if B is not None:
        sk = set(range(n))
        for h in rep:
            sk &= set(heads[h]["writes"]["state_kernel"])
            state_dims += heads[h]["writes"]["state_dims"]
        state_faithful = bool(rep) and sorted(sk) == [G.identity]
    shown = [h for h in range(H) if heads[h]["dim"] > 0]
    if not rep:
        text = ("on invariant subspaces: no nontrivial representation (subspace_tol "
                f"{tol:g}; heads with a trivial one: {shown})")
    elif not faithful:
        ks = sorted(kernel)
        text = (f"on invariant subspaces: heads {rep} carry a representation with kernel of order {len(ks)} "
                f"({', '.join(map(str, ks[:12]))}{', ...' if len(ks) > 12 else ''}): not faithful")
    elif state_faithful is False:
        text = (f"on invariant subspaces: heads {rep} carry a faithful representation, but the writes do not "
                "make the state a faithful function of the prefix product (no coboundary value directions)")
    else:
        text = f"on invariant subspaces: heads {rep} carry a faithful representation"
    res = [heads[h]["hom_residual"] for h in rep]
    summary = {"heads": rep, "kernel": sorted(kernel), "faithful": faithful,
               "multiplicities": [int(x) for x in m], "state_faithful": state_faithful,
               "state_dims": state_dims, "max_hom_residual": float(max(res)) if res else None,
               "tol": tol, "text": text}
    return {"heads": heads, "summary": summary}


def _public(report: dict) -> dict:
    """Drop the private arrays (keys starting with ``_``) the subspace report keeps for :func:`analyze_model`."""
    for h in report.get("subspace", []):
        w = h.get("writes")
        if w:
            for key in [k for k in w if k.startswith("_")]:
                del w[key]
    return report


def analyze_transitions(group_spec: str, A: np.ndarray, betas: np.ndarray | None = None, *,
                        tol: float = 0.05, B: np.ndarray | None = None, subspace_tol: float = 0.15,
                        _keep_arrays: bool = False) -> dict:
    """Decide whether learned transitions realise a faithful orthogonal representation of the group.

    Parameters
    ----------
    group_spec : str
        Group specification for :func:`automata.group` (``"S5"``, ``"A4xZ5"``, ...).
    A : ndarray, shape [|G|, H, K, K]
        ``A[x, h]``: head ``h``'s transition for the token of element id ``x``.
    betas : ndarray, shape [|G|, H, n_h], optional
        The learned betas (in ``[0, 2]``), summarised per head.
    tol : float
        Tolerance for orthogonality, the group law and (capped by the spectral gap) "equals the identity".
    B : ndarray, shape [|G|, H, K, V], optional
        Each letter's write (the affine part of ``S <- A(x) S + B(x)``, :func:`letter_writes`): enables the
        ``writes`` analysis of the subspace criterion (whether the state block is a faithful function of ``g``).
    subspace_tol : float
        Tolerance of the subspace criterion (worst-case group law and orthogonality on the subspace, and the
        per-step noise-to-signal ratio of the writes); learned models trained in bf16 sit near 0.05-0.1.

    Returns
    -------
    dict
        JSON-serialisable: ``group``, ``order``, ``tol``, ``sep``, ``classes`` (representative id, element
        order, size), ``class_of`` (class per element id), ``irreps`` (the real irreducibles: ``name``
        ``kind:degree#index``, ``kind``, ``degree``, ``rational``, ``character`` per class), ``heads`` (per
        head: ``orth_defect``, ``hom_residual``, ``hom_worst_pair``, ``identity_residual``, ``kernel``,
        ``is_representation``, ``rank_A_minus_I``, ``eig_angles`` per class representative,
        ``max_eig_modulus_defect``, ``multiplicities`` per irrep, ``integrality_defect``, ``beta``),
        ``representation_heads``, ``nontrivial_representation_heads``, ``kernel``, ``faithful``,
        ``decomposition`` (irreps of the sum of the representation heads, trivial one left out),
        ``trivial_multiplicity``, ``min_nh_theory``, ``min_dim_theory``, ``nh_needed_by_learned``,
        ``nh_needed_by_characters``, ``verdict`` (``"found"`` or ``"not found"``) and ``reason``; and the
        subspace criterion (see :func:`_subspace_report`): ``criterion`` (``"full"``, ``"subspace"`` or None,
        which one gave the verdict), ``subspace`` (per head, the largest subspace on which the head is a
        representation, its characters, and with ``B`` the write analysis) and ``subspace_summary``. When the
        full-space criterion fails but the subspace one succeeds, ``representation_heads``, ``kernel``,
        ``faithful``, ``decomposition``, ``trivial_multiplicity`` and the ``nh_needed_*`` keys describe the
        subspace representation (characters of the restricted transitions; ranks from the exact codimensions).
        ``faithful_at_subspace_tol``: a graded answer beside the verdict, the smallest tolerance (``tol`` when
        the full-space criterion holds, else ``subspace_tol`` or the first of 0.2, 0.3, 0.4, 0.5 above it) at
        which the heads' invariant subspaces carry a faithful representation (writes not required), or None.

    Raises
    ------
    InvalidInput
        Bad ``group_spec`` (:class:`~theory.errors.InvalidGroupSpec`), wrong shapes, ``|G|`` mismatch, NaN or
        infinite values, or a non-positive ``tol``.

    Examples
    --------
    S3 by its permutation matrices ``P e_i = e_{p(i)}``, which satisfy ``P(a*b) = P(b) P(a)``; a second head
    stays the identity:

    >>> from automata import group
    >>> G = group("S3")
    >>> P = np.stack([np.eye(3)[:, list(p)] for p in G.elements])
    >>> A = np.stack([P, np.broadcast_to(np.eye(3), P.shape)], axis=1)
    >>> r = analyze_transitions("S3", A)
    >>> r["verdict"], r["representation_heads"], r["nontrivial_representation_heads"], r["faithful"]
    ('found', [0, 1], [0], True)
    >>> [(d["name"], d["multiplicity"]) for d in r["decomposition"]], r["trivial_multiplicity"]
    ([('real:2#2', 1)], 4)
    >>> r["nh_needed_by_learned"], r["min_nh_theory"]
    (2, 2)
    """
    for name, t in (("tol", tol), ("subspace_tol", subspace_tol)):
        if not isinstance(t, Real) or isinstance(t, bool) or not 0 < t < math.inf:
            raise InvalidInput(f"{name}: expected a positive finite number, got {t!r}")
    G, tab, table, class_of, psi, best = _group_data(group_spec)
    n = G.order
    A = _as_finite(A, "A", 4)
    if A.shape[0] != n or A.shape[1] < 1 or A.shape[2] < 1 or A.shape[2] != A.shape[3]:
        raise InvalidInput(f"A: expected shape [|G| = {n}, H >= 1, K >= 1, K] for {G.spec}, got {A.shape}")
    H = A.shape[1]
    if betas is not None:
        betas = _as_finite(betas, "betas", 3)
        if betas.shape[:2] != (n, H):
            raise InvalidInput(f"betas: expected shape [{n}, {H}, n_h] to match A, got {betas.shape}")
    if B is not None:
        B = _as_finite(B, "B", 4)
        if B.shape[:3] != A.shape[:3] or B.shape[3] < 1:
            raise InvalidInput(f"B: expected shape [{n}, {H}, {A.shape[2]}, V >= 1] to match A, got {B.shape}")
    sep = min(float(tol), math.sin(math.pi / max(2, table.exponent)))
    reps = [int(np.flatnonzero(class_of == k)[0]) for k in range(table.num_classes)]
    psi_el = psi[:, class_of]
    heads = [_head(A[:, h], tab, G.identity, tol, sep, psi_el, reps, None if betas is None else betas[:, h])
             for h in range(H)]

    rep_heads = [h for h in range(H) if heads[h]["is_representation"]]
    nontriv = [h for h in rep_heads if len(heads[h]["kernel"]) < n]
    kernel = set(range(n))
    for h in rep_heads:
        kernel &= set(heads[h]["kernel"])
    kernel = sorted(kernel)
    faithful = bool(rep_heads) and kernel == [G.identity]
    irreps = [{"index": i, "name": f"{p.kind}:{p.degree}#{i}", "kind": p.kind, "degree": p.degree,
               "rational": p.rational, "character": [round(float(v), 6) for v in psi[i]]}
              for i, p in enumerate(table.real_irreps)]
    m = np.rint(np.sum([heads[h]["multiplicities"] for h in rep_heads], axis=0)).astype(int) if rep_heads \
        else np.zeros(len(irreps), dtype=int)
    trivial = [i for i, p in enumerate(table.real_irreps) if len(p.kernel) == table.num_classes]
    decomposition = [{"name": irreps[i]["name"], "index": i, "kind": irreps[i]["kind"],
                      "degree": irreps[i]["degree"], "multiplicity": int(m[i])}
                     for i in range(len(irreps)) if m[i] > 0 and i not in trivial]
    codim = np.array([p.codim for p in table.real_irreps]).reshape(len(irreps), -1)
    nh_learned = int(sum(np.array(heads[h]["rank_A_minus_I"]["per_letter"]) for h in rep_heads).max()) \
        if rep_heads else None
    nh_chars = int((np.clip(m, 0, None) @ codim).max()) if rep_heads else None

    if not rep_heads:
        verdict, reason = "not found", (
            f"no head is a representation (min hom_residual {min(x['hom_residual'] for x in heads):.3g}, "
            f"min orth_defect {min(x['orth_defect'] for x in heads):.3g}, tol {tol:g})")
    elif not nontriv:
        verdict, reason = "not found", f"representation heads {rep_heads} are all trivial (A(x) = I for every x)"
    elif not faithful:
        shown = ", ".join(map(str, kernel[:12])) + (", ..." if len(kernel) > 12 else "")
        verdict, reason = "not found", (f"representation heads {rep_heads} not faithful: kernel {{{shown}}} "
                                        f"of order {len(kernel)}")
    else:
        content = " + ".join(f"{d['multiplicity']}x{d['name']}" if d["multiplicity"] > 1 else d["name"]
                             for d in decomposition)
        verdict, reason = "found", (f"faithful orthogonal representation in heads {nontriv}: {content}; "
                                    f"n_h needed {nh_learned} (theory minimum {best.min_n_h})")
    criterion = "full" if verdict == "found" else None
    sub = _subspace_report(G, tab, table, class_of, psi, A, B, float(subspace_tol))
    if verdict != "found" and sub["summary"]["faithful"] and sub["summary"]["state_faithful"] is not False:
        ss = sub["summary"]
        criterion, verdict = "subspace", "found"
        rep_heads, nontriv, kernel, faithful = ss["heads"], ss["heads"], ss["kernel"], True
        m = np.array(ss["multiplicities"])
        decomposition = [{"name": irreps[i]["name"], "index": i, "kind": irreps[i]["kind"],
                          "degree": irreps[i]["degree"], "multiplicity": int(m[i])}
                         for i in range(len(irreps)) if m[i] > 0 and i not in trivial]
        # heads run their n_h sub-steps in parallel: the model needs the largest per-head count
        per_head = {h: int((np.clip(np.rint(sub["heads"][h]["multiplicities"]).astype(int), 0, None) @ codim).max())
                    for h in rep_heads}
        nh_learned = nh_chars = max(per_head.values())
        sub["summary"]["nh_needed_per_head"] = {str(h): v for h, v in per_head.items()}
        content = " + ".join(f"{d['multiplicity']}x{d['name']}" if d["multiplicity"] > 1 else d["name"]
                             for d in decomposition)
        dims = ", ".join(f"head {h}: {sub['heads'][h]['nontrivial_dim']}/{A.shape[2]}" for h in rep_heads)
        reason = (f"faithful orthogonal representation on invariant subspaces of heads {rep_heads} "
                  f"(nontrivial dims {dims}; group-law residual <= {ss['max_hom_residual']:.3g}): {content}; "
                  f"n_h needed {nh_learned} per head ({', '.join(f'head {h}: {v}' for h, v in per_head.items())}; "
                  f"theory minimum {best.min_n_h})")
        alone = [h for h in rep_heads if sub["heads"][h]["kernel"] == [G.identity]]
        ss["faithful_alone"] = alone
        if alone:
            reason += f"; faithful alone: heads {alone}"
        if ss["state_faithful"]:
            reason += (f"; writes are coboundaries on {ss['state_dims']} value directions, so the state block "
                       f"(I - A(g)) C takes {n} distinct values")
    elif verdict != "found":
        reason += "; " + sub["summary"]["text"]
    # A graded answer next to the verdict: the smallest subspace tolerance (of a fixed grid) at which the heads'
    # invariant subspaces carry a faithful representation (writes not required), or None up to the grid's end.
    faithful_at = float(tol) if criterion == "full" else (
        float(subspace_tol) if sub["summary"]["faithful"] else None)
    if faithful_at is None:
        for t in (x for x in _TOL_GRID if x > subspace_tol):
            if _subspace_report(G, tab, table, class_of, psi, A, None, t)["summary"]["faithful"]:
                faithful_at = t
                break
        if faithful_at is not None:
            reason += f"; a faithful representation appears at subspace_tol {faithful_at:g}"
    if criterion == "subspace":
        m_all = np.array(sub["summary"]["multiplicities"])
        trivial_mult = int(sum(m_all[i] for i in trivial))
    else:
        trivial_mult = int(sum(m[i] for i in trivial))
    out = {
        "group": G.spec, "order": n, "tol": float(tol), "sep": sep,
        "classes": [{"representative": r, "order": int(o), "size": int(s)}
                    for r, o, s in zip(reps, table.orders, table.class_sizes)],
        "class_of": class_of.tolist(), "irreps": irreps, "heads": heads,
        "representation_heads": rep_heads, "nontrivial_representation_heads": nontriv,
        "kernel": kernel, "faithful": faithful, "decomposition": decomposition,
        "trivial_multiplicity": trivial_mult,
        "min_nh_theory": int(best.min_n_h), "min_dim_theory": int(best.dim),
        "nh_needed_by_learned": nh_learned, "nh_needed_by_characters": nh_chars,
        "verdict": verdict, "reason": reason, "criterion": criterion, "faithful_at_subspace_tol": faithful_at,
        "subspace": sub["heads"], "subspace_summary": sub["summary"],
    }
    return out if _keep_arrays else _public(out)


# -- from a model: writes, and the dynamics actually visited ----------------------------------------------------

def _simulate(A, B, words, visit):
    """Run ``S <- A(x_t) S + B(x_t)`` from ``S_0 = 0`` on ``words [W, T]``; ``visit(t, S)`` sees ``S [W, H, K, V]``."""
    W = words.shape[0]
    S = np.zeros((W,) + B.shape[1:])
    for t in range(words.shape[1]):
        x = words[:, t]
        S = A[x] @ S + B[x]
        visit(t, S)


def analyze_model(group_spec: str, model, *, accuracy: float | None = None, length: int = 256, words: int = 64,
                  seed: int = 0, tol: float = 0.05, subspace_tol: float = 0.15) -> dict:
    """:func:`analyze_transitions` with the model's writes, checked against the dynamics the model visits.

    Adds ``dynamics``: the recurrence is run in float64 on ``words`` random words of ``length`` letters; for the
    subspace representation heads with clean writes the state blocks ``N^T S_t Omega`` are decoded by the
    nearest *predicted* state ``(I - A_N(g)) C`` (nothing fitted): ``decode_accuracy`` over all positions and
    ``decode_accuracy_last`` at the last one. A nearest-centroid decoder of the whole state (centroids from half
    the words, tested on the other half) gives ``centroid_accuracy``; ``distinct_states_last`` counts distinct
    whole states at the last position (relative rounding 1e-3) and ``state_norm`` the mean ``||S||`` at
    ``length/4`` and ``length`` (growth means part of the state random-walks).

    ``verdict`` is then ``"found"`` (as in :func:`analyze_transitions`), ``"other mechanism"`` (nothing found,
    but ``accuracy`` (the model's measured sequence accuracy, if given) is at least 0.9: the reason says what
    the dynamics show) or ``"not found"``.

    From ``train.py``: ``analyze_model(cfg.group, model, accuracy=float(curve[cfg.train_length - 1]))``.
    """
    from automata.groups import group as _group
    from automata.groups import sample_words

    if not isinstance(length, int) or length < 4 or not isinstance(words, int) or words < 4:
        raise InvalidInput(f"length, words: expected integers >= 4, got {length!r}, {words!r}")
    A, B, betas = letter_writes(model)
    r = analyze_transitions(group_spec, A, betas, tol=tol, B=B, subspace_tol=subspace_tol, _keep_arrays=True)
    G = _group(group_spec)
    n = G.order
    w, g = sample_words(G, length, words, seed=seed)  # letters and their prefix products
    heads = [h for h in r["subspace_summary"]["heads"] if r["subspace"][h].get("writes", {}).get("state_dims")]
    pred = None
    if heads:  # predicted states (I - A_N(g)) C per element, concatenated over heads: [n, F]
        parts = []
        for h in heads:
            wr = r["subspace"][h]["writes"]
            Nb, Cw = wr["_N"], wr["_C"]
            An = Nb.T @ A[:, h] @ Nb
            parts.append(((np.eye(Nb.shape[1]) - An) @ Cw).reshape(n, -1))
        pred = np.concatenate(parts, axis=1)
    half = words // 2
    sums = np.zeros((n, int(np.prod(B.shape[1:]))))
    counts = np.zeros(n)
    hits = np.zeros(length)
    norms = np.zeros(length)
    last = {}

    def fit(t, S):
        np.add.at(sums, g[:half, t], S[:half].reshape(half, -1))
        np.add.at(counts, g[:half, t], 1)

    def test(t, S):
        norms[t] = np.linalg.norm(S.reshape(words, -1), axis=1).mean()
        if pred is not None:
            f = np.concatenate([(r["subspace"][h]["writes"]["_N"].T @ S[:, h]
                                 @ r["subspace"][h]["writes"]["_Omega"]).reshape(words, -1) for h in heads], 1)
            hits[t] = (((f[:, None] - pred[None]) ** 2).sum(-1).argmin(1) == g[:, t]).mean()
        if t == length - 1:
            last["S"] = S.reshape(words, -1).copy()

    _simulate(A, B, w, lambda t, S: (fit(t, S), test(t, S)))  # centroids from the first half, tested at the end
    C = sums / np.maximum(counts, 1)[:, None]
    S_last = last["S"][half:]
    d2 = (S_last ** 2).sum(1)[:, None] - 2 * S_last @ C.T + (C ** 2).sum(1)[None]
    d2[:, counts == 0] = np.inf
    centroid_acc = float((d2.argmin(1) == g[half:, -1]).mean())
    scale = max(np.abs(last["S"]).max(), 1e-300)
    distinct = len(np.unique(np.round(last["S"] / scale * 1e3), axis=0))
    dyn = {"length": length, "words": words, "seed": seed, "heads": heads,
           "decode_accuracy": float(hits.mean()) if pred is not None else None,
           "decode_accuracy_last": float(hits[-1]) if pred is not None else None,
           "centroid_accuracy": centroid_acc, "distinct_states_last": distinct,
           "state_norm": [float(norms[length // 4 - 1]), float(norms[-1])]}
    r["dynamics"] = dyn
    r["accuracy"] = accuracy
    if r["verdict"] == "found" and r["criterion"] == "subspace" and dyn["decode_accuracy"] is not None:
        r["reason"] += (f"; visited states decode the prefix product with accuracy {dyn['decode_accuracy']:.3f} "
                        f"(length {length})")
    if r["verdict"] != "found" and accuracy is not None and accuracy >= 0.9:
        bs = betas.ravel()
        beta_txt = (f"betas: {np.mean(bs <= _ZERO):.0%} ~0, {np.mean(np.abs(bs - 1) <= 0.1):.0%} ~1 "
                    f"(projections), {np.mean(bs >= _SAT):.0%} ~2 (reflections)")
        if distinct <= n * 4:
            states = f"a finite set of reachable states ({distinct} distinct at the last position, |G| = {n})"
        else:
            states = (f"states that do not settle to a finite set ({distinct} distinct of {words}; norm "
                      f"{dyn['state_norm'][0]:.3g} -> {dyn['state_norm'][1]:.3g})")
        r["verdict"] = "other mechanism"
        r["reason"] = (f"task solved (accuracy {accuracy:.3g}) without a faithful orthogonal representation: "
                       f"{states}; whole-state centroid decoder accuracy {centroid_acc:.3f}; {beta_txt}. "
                       + r["reason"])
    return _public(r)
