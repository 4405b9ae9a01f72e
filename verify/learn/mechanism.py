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

__all__ = ["analyze_transitions"]

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


def analyze_transitions(group_spec: str, A: np.ndarray, betas: np.ndarray | None = None, *,
                        tol: float = 0.05) -> dict:
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
        ``nh_needed_by_characters``, ``verdict`` (``"found"`` or ``"not found"``) and ``reason``.

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
    if not isinstance(tol, Real) or isinstance(tol, bool) or not 0 < tol < math.inf:
        raise InvalidInput(f"tol: expected a positive finite number, got {tol!r}")
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
    return {
        "group": G.spec, "order": n, "tol": float(tol), "sep": sep,
        "classes": [{"representative": r, "order": int(o), "size": int(s)}
                    for r, o, s in zip(reps, table.orders, table.class_sizes)],
        "class_of": class_of.tolist(), "irreps": irreps, "heads": heads,
        "representation_heads": rep_heads, "nontrivial_representation_heads": nontriv,
        "kernel": kernel, "faithful": faithful, "decomposition": decomposition,
        "trivial_multiplicity": int(sum(m[i] for i in trivial)),
        "min_nh_theory": int(best.min_n_h), "min_dim_theory": int(best.dim),
        "nh_needed_by_learned": nh_learned, "nh_needed_by_characters": nh_chars,
        "verdict": verdict, "reason": reason,
    }
