"""Triton recurrent backend: one program per (sequence, head, V block), the state in registers.

Per token ``S *= exp(g_t)``; per step ``p = k^T S`` and the state update; then ``o_t = scale * S^T q_t``, all in
fp32 with no intermediate rounding. Reductions are ``tl.sum`` trees (their summation order differs from torch's).
Inputs are loaded and widened to fp32 at once, so bf16 works in the interpreter too.

The backward (session 18; derivation in kernels/README.md §7) is two more passes of the same shape: under autograd
the forward also stores each row's residual ``e = v - k^T S`` (fp32) and uses the single rank-1 update; pass 1 runs
the tokens in reverse with the state gradient ``dS`` in registers (``dv``, and each V block's share of ``dk`` and
``dbeta``), pass 2 runs them forward again, recomputing the states from the residuals (the share of ``dk`` that
needs the state before the step, and ``dq``). The per-V-block shares sit side by side in fp32 buffers and are summed
afterwards (deterministic, no atomics). The gate gradient needs no states at all: ``<S, dS>`` changes by
``v . dv`` per row and ``q . dq`` per output, so dg is a reverse cumulative sum (:func:`_gate_gradient`). fla's
fused recurrent gated kernel has no backward ("we haven't figured out how to compute dg without materializing the
full hidden states", fla-core 0.6.0); this is how.

The defaults (session 17) are ``one``, V blocks of 16 on one warp, and the form of
:func:`recurrent_default_form`: ``ahead2``, or ``ahead`` in three fp32 cells where the H200 timed it faster. In fp32
at B=8 T=4096 H=16 K=V=128 they ran at 2.35 / 3.37 / 3.74 / 4.19x the speed of fla's fused recurrent kernel at n_h
1-4 ungated without an initial state (as ``benchmarks/kernels.py`` runs them) and 2.25-2.37 / 2.96-3.02 / 3.30-3.37
/ 3.72-3.89x with one; gated 1.36 / 1.92 / 2.27 / 2.37x and 1.28-2.20x (kernels/README.md §4). Environment switches,
read per call, change the schedule or the update, never the recurrence:

``DELTAPROOF_RECURRENT_UPDATE``
    ``one`` (default): fla's single rank-1 update ``S += k (beta (v - p))^T``. ``two``: the reference's order
    (``kernels.reference``), ``S -= (beta k) p^T`` then ``S += (beta k) v^T``: one [BK, BV] pass more per step,
    1.1-1.2x slower on the H200, and the rounding of ``v - p`` and of its product with beta on every state element
    instead of on the [BV] vector (errors against float64 are the same size, 3-6e-7 in fp32).
``DELTAPROOF_RECURRENT_FORM`` (four forms of the same loop, the same operations per step in the same order)
    - ``ahead``: a loop over tokens, the n_h steps unrolled, each step issuing the next row's loads (the next
      token's first row during the last step), a token's query loaded at its first step and the next token's gate
      at the token's start. A GPU warp issues in order, so without the look-ahead every step waits a global-memory
      latency for its key before the reduction that the state update depends on (fla's fused recurrent kernel has
      that shape).
    - ``ahead2``: ``ahead`` with each step issuing the loads of the row two ahead and a token's query and gate
      loaded during the token before (in ``ahead`` the query arrives just before the output's reduction at n_h 1);
      loaded values are widened to fp32 where they are used. On the H200 (two processes) it was 1.09-1.25x faster
      than ``ahead`` at n_h 1 and 4 (gated or not), 1.03-1.05x at gated n_h 3, 1.15-1.30x for bf16 inputs at
      n_h 1-4, and without an initial state 1.39x / 1.12x at ungated n_h 2 / 3 and 1.08x at gated n_h 2; but with
      an initial state 1.1-1.2x slower at n_h 2 and ungated n_h 3 (not understood; ``_AHEAD_WINS``).
    - ``tokens``: the same loop, each step loading its key, value and beta where it uses them (the default until
      session 17; 1.26-1.32x slower than ``ahead`` at its old launch on the H200).
    - ``rows``: one loop over the sequence's T * n_h rows, the next row's loads issued before the current row's
      update; with index division and per-row branches it was 2% faster to 11% slower than ``ahead``.
``DELTAPROOF_RECURRENT_LAUNCH`` (``bv=16,warps=1`` style)
    The V block and warps per program. Default: one warp, so that the reduction over K stays within a warp (no
    shared memory or barrier per step), and V blocks of 16 (32 spill without an initial state: 255 registers and
    604-740 B per thread at n_h 2 offline). Timed in fp32 at K = V = 128 under ``ahead`` (n_h 1-4, gated and not): V
    blocks of 32 on 1 warp were within 3-7% of 16 either way, 8 or 64 slower; gated n_h 4 ran 13% faster with 32
    on 2 warps. At K = V = 256 (n_h 2) 16 on 1 warp beat 8 on 1 (1.34x), 32 on 2 and 16 on 2; at K = V = 64, 32
    on 1. fla's kernel runs V blocks of 8 on 1 warp.
``DELTAPROOF_RECURRENT_BWD_LAUNCH`` (same keys), ``DELTAPROOF_RECURRENT_BWD_FORM`` (``ahead`` default, ``plain``)
    The backward's kernels: one warp, pass 1's V blocks and pass 2's K blocks from
    :func:`recurrent_bwd_default_blocks` (pass 1: V blocks of 32 at n_h <= 2, 16 above; session 19 timed both after
    the layout fixes; 64 on 4 warps was 1.3-1.45x slower; before the fixes 8 was within -6% / +5% of 16 at 1.5-1.8x
    the memory), ``bk`` overriding pass 2's K block. ``ahead`` issues each row's loads during the row before,
    ``plain`` where they are used: level before the layout fix of :func:`_anchored_tile` (session 18), 1.18-1.39x
    slower after the fixes (session 19).
``DELTAPROOF_RECURRENT_BWD_PASS2`` (``kblocks`` default since session 19, ``vblocks``)
    Pass 2 recomputes the states and takes the sums over V that need them (``S_old dv`` for dk, ``S do`` for dq).
    ``vblocks`` runs it on pass 1's V blocks, each writing its share of dk and dq to fp32 buffers that torch sums
    afterwards. ``kblocks`` (:func:`_recurrent_bwd_fwd_kernel` with ``KBLOCKS``) gives each program K rows of the
    state and all of V: its update ``S += k (beta e)^T`` is elementwise and every sum it takes is over V, so it
    writes dk (adding pass 1's shares) and dq whole; no sum is on the state's dependency chain, and the dq shares
    and the torch sums go. On the H200 (fp32, K = V = 128, session 19 call 5) forward+backward with K blocks of 32 took 0.92 / 1.05 /
    0.93 / 0.96x the time of ``vblocks`` at n_h 1-4 ungated (1.00 / 1.03 / 0.98 / 1.00x gated) and 1.0-2.0 GB
    less peak memory.
    Both pass-2 forms load their state tile from a K-major copy of the initial state, so the tile runs K along the
    lanes and V within each thread and their sums over V stay (mostly) inside a thread. For ``vblocks`` this was
    the switch ``DELTAPROOF_RECURRENT_BWD_LAYOUT=kmajor`` of session 18 (offline, Triton 3.6.0, sm_90, V blocks of
    16: 350 / 555 / 929 loop instructions at n_h 1 / 2 / 4 against 491 / 754 / 1281 for a tile loaded from the
    [K, V] state, no shuffles, barriers or spills; on the H200 forward+backward 1.04-1.09x faster, session 19); the
    V-major alternative was then removed (it is at 1a68662).

Forms and launches change only the schedule and the layout Triton compiles (so a reduction's summation tree may
differ with the layout), not the operations.

Without an initial state the forward's state tile starts from ``tl.zeros``, whose layout (V across 16 lanes)
differs from a loaded state's (offline, n_h 2: 448 / 468 SASS instructions in the loop of ``ahead`` / ``ahead2``
against 535 / 559). Compiling such a call as one with an initial state (a masked load of nothing, the switch
``DELTAPROOF_RECURRENT_STATE=anchored`` of session 18) was 1.09-1.24x *slower* on the H200 at n_h 1-4, gated or
not (session 19, ``benchmarks/results/recurrent_bwd_h200.json``), and was removed (it is at d0c0915).
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl

from ._triton_common import alloc, check_triton_device, next_pow2
from ._validate import Dims
from .chunked import env_choice, parse_launch

__all__ = ["deltaproduct_recurrent"]


# The three forms share these pieces (Triton inlines them), so each does the same operations in the same order.
@triton.jit
def _sequence_head(cu, H):
    """This program's sequence ``s``, head ``h`` and token range [bos, eos) (grid axis 1: sequence-heads)."""
    ish = tl.program_id(1)
    s = ish // H
    h = ish % H
    bos = tl.load(cu + s)  # int64 offsets: no overflow for long packed batches
    eos = tl.load(cu + s + 1)
    return s, h, bos, eos


@triton.jit
def _program(cu, H, K: tl.constexpr, V: tl.constexpr, BK: tl.constexpr, BV: tl.constexpr):
    """This program's sequence ``s``, head ``h``, token range [bos, eos), the state tile's row and column indices
    and their masks, and the tile's mask (grid: V blocks x sequence-heads)."""
    s, h, bos, eos = _sequence_head(cu, H)
    rk = tl.arange(0, BK)
    rv = tl.program_id(0) * BV + tl.arange(0, BV)
    mk = rk < K
    mv = rv < V
    return s, h, bos, eos, rk, rv, mk, mv, mk[:, None] & mv[None, :]


@triton.jit
def _state_tile(state, s, h, H, K: tl.constexpr, V: tl.constexpr, rk, rv):
    """Pointers to this program's [BK, BV] tile of a state tensor [N, H, K, V] (``h0`` or ``ht``)."""
    return state + ((s * H + h) * K + rk[:, None]) * V + rv[None, :]


@triton.jit
def _initial_state(
    h0,
    s,
    h,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    rk,
    rv,
    m2,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_H0: tl.constexpr,
):
    S = tl.zeros([BK, BV], dtype=tl.float32)
    if HAS_H0:
        S += tl.load(_state_tile(h0, s, h, H, K, V, rk, rv), mask=m2, other=0.0).to(tl.float32)
    return S


@triton.jit
def _row_loads(k, v, beta, r, r1, h, H, K: tl.constexpr, V: tl.constexpr, rk, rv, mk, mv):
    """Row ``r``'s key, value and beta as stored (zeros, and no memory access, from the sequence's end ``r1`` on)."""
    live = r < r1
    kr = tl.load(k + (r * H + h) * K + rk, mask=mk & live, other=0.0)
    vr = tl.load(v + (r * H + h) * V + rv, mask=mv & live, other=0.0)
    br = tl.load(beta + r * H + h, mask=live, other=0.0)
    return kr, vr, br


@triton.jit
def _householder_step(S, kk, vv, b, ONE_UPDATE: tl.constexpr):
    """One step: p = k^T S, then either the reference's two rank-1 updates S -= (beta k) p^T, S += (beta k) v^T
    (``ONE_UPDATE`` False) or fla's one, S += k (beta (v - p))^T (a [BK, BV] pass fewer per step; ``v - p`` and its
    product with beta are rounded on the [BV] vector instead of on every state element)."""
    p = tl.sum(kk[:, None] * S, 0)
    e = vv - p  # the residual v - k^T S, which a backward needs (``SAVE_E``); unused values are not computed
    if ONE_UPDATE:
        u = b * e
        S = S + kk[:, None] * u[None, :]
    else:
        bk = b * kk
        S = S - bk[:, None] * p[None, :]
        S = S + bk[:, None] * vv[None, :]
    return S, e


@triton.jit
def _save_e(ebuf, r, h, H, V: tl.constexpr, rv, mv, e, SAVE_E: tl.constexpr):
    """Store row ``r``'s residual ``v - k^T S`` (fp32, [rows, H, V]) for the backward (a forward under autograd)."""
    if SAVE_E:
        tl.store(ebuf + (r * H + h) * V + rv, e, mask=mv)


@triton.jit
def _store_output(o, t, h, H, V: tl.constexpr, rv, mv, S, qq, scale):
    """o_t = scale S^T q_t for this V block."""
    out = scale * tl.sum(S * qq[:, None], 0)
    tl.store(o + (t * H + h) * V + rv, out.to(o.dtype.element_ty), mask=mv)


@triton.jit
def _recurrent_fwd_kernel(
    q,
    k,
    v,
    beta,
    g,
    h0,
    o,
    ht,
    ebuf,
    cu,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    HAS_H0: tl.constexpr,
    STORE_HT: tl.constexpr,
    ONE_UPDATE: tl.constexpr,
    FORM: tl.constexpr,
    SAVE_E: tl.constexpr = False,
):
    """One program per (V block, sequence-head). ``FORM`` (``DELTAPROOF_RECURRENT_FORM``, module docstring) picks
    the loop at compile time; every form does the same operations in the same order.

    - ``tokens``: a loop over tokens, the n_h steps unrolled, each step loading its operands where it uses them.
    - ``rows``: one loop over rows, each row's loads issued one row ahead.
    - ``ahead``: the ``tokens`` loop with each row's loads issued one row ahead (the next token's first row during
      the current token's last step), the token's query at its first step and the next token's gate at the current
      token's start.
    - ``ahead2``: ``ahead`` with deeper look-ahead: each step issues the loads of the row two ahead, and a token's
      query (and gate) is loaded during the token before; loaded values are widened to fp32 where they are used,
      so a 16-bit load's conversion does not wait for it a row early.
    """
    s, h, bos, eos, rk, rv, mk, mv, m2 = _program(cu, H, K, V, BK, BV)
    S = _initial_state(h0, s, h, H, K, V, rk, rv, m2, BK, BV, HAS_H0)
    if FORM == "tokens":
        for t in range(bos, eos):
            if HAS_G:
                S = S * tl.exp(tl.load(g + t * H + h).to(tl.float32))
            for j in tl.static_range(N_H):
                r = t * N_H + j
                kk = tl.load(k + (r * H + h) * K + rk, mask=mk, other=0.0).to(tl.float32)
                vv = tl.load(v + (r * H + h) * V + rv, mask=mv, other=0.0).to(tl.float32)
                b = tl.load(beta + r * H + h).to(tl.float32)
                S, e = _householder_step(S, kk, vv, b, ONE_UPDATE)
                _save_e(ebuf, r, h, H, V, rv, mv, e, SAVE_E)
            qq = tl.load(q + (t * H + h) * K + rk, mask=mk, other=0.0).to(tl.float32)
            _store_output(o, t, h, H, V, rv, mv, S, qq, scale)
    elif FORM == "rows":
        r0 = bos * N_H
        r1 = eos * N_H
        # the first row's operands (nothing when the sequence is empty: the loop below does not run)
        live = r0 < r1
        kk, vv, b = _row_loads(k, v, beta, r0, r1, h, H, K, V, rk, rv, mk, mv)
        kk = kk.to(tl.float32)
        vv = vv.to(tl.float32)
        b = b.to(tl.float32)
        if N_H == 1:  # the first row is also its token's last: its query now
            qq = tl.load(q + (bos * H + h) * K + rk, mask=mk & live, other=0.0).to(tl.float32)
        else:
            qq = tl.zeros([BK], dtype=tl.float32)
        if HAS_G:
            gt = tl.load(g + bos * H + h, mask=live, other=0.0).to(tl.float32)
        for r in range(r0, r1):
            t = r // N_H
            j = r - t * N_H
            # the next row's operands first: they do not depend on the state, so their latency overlaps this row's work
            rn = r + 1
            tn = rn // N_H
            jn = rn - tn * N_H
            nxt = rn < r1
            kn, vn, bn = _row_loads(k, v, beta, rn, r1, h, H, K, V, rk, rv, mk, mv)
            qn = tl.load(q + (tn * H + h) * K + rk, mask=mk & nxt & (jn == N_H - 1), other=0.0)
            if HAS_G:
                gn = tl.load(g + tn * H + h, mask=nxt & (jn == 0), other=0.0)
                if j == 0:
                    S = S * tl.exp(gt)
            S, e = _householder_step(S, kk, vv, b, ONE_UPDATE)
            _save_e(ebuf, r, h, H, V, rv, mv, e, SAVE_E)
            if j == N_H - 1:
                _store_output(o, t, h, H, V, rv, mv, S, qq, scale)
            # the next row's operands become current; the query (zero unless the next row ends its token) is read only
            # at a token's last row and the gate only at its first, each right after being loaded for it
            kk = kn.to(tl.float32)
            vv = vn.to(tl.float32)
            b = bn.to(tl.float32)
            qq = qn.to(tl.float32)
            if HAS_G:
                gt = gn.to(tl.float32)
    elif FORM == "ahead":
        r1 = eos * N_H
        kk, vv, b = _row_loads(k, v, beta, bos * N_H, r1, h, H, K, V, rk, rv, mk, mv)
        kk = kk.to(tl.float32)
        vv = vv.to(tl.float32)
        b = b.to(tl.float32)
        if HAS_G:
            gt = tl.load(g + bos * H + h, mask=bos < eos, other=0.0).to(tl.float32)
        for t in range(bos, eos):
            qq = tl.load(q + (t * H + h) * K + rk, mask=mk, other=0.0)
            if HAS_G:
                gn = tl.load(g + (t + 1) * H + h, mask=t + 1 < eos, other=0.0)
                S = S * tl.exp(gt)
            for j in tl.static_range(N_H):
                kn, vn, bn = _row_loads(k, v, beta, t * N_H + j + 1, r1, h, H, K, V, rk, rv, mk, mv)
                S, e = _householder_step(S, kk, vv, b, ONE_UPDATE)
                _save_e(ebuf, t * N_H + j, h, H, V, rv, mv, e, SAVE_E)
                kk = kn.to(tl.float32)
                vv = vn.to(tl.float32)
                b = bn.to(tl.float32)
            _store_output(o, t, h, H, V, rv, mv, S, qq.to(tl.float32), scale)
            if HAS_G:
                gt = gn.to(tl.float32)
    else:  # "ahead2"
        r1 = eos * N_H
        k0, v0, b0 = _row_loads(k, v, beta, bos * N_H, r1, h, H, K, V, rk, rv, mk, mv)
        k1, v1, b1 = _row_loads(k, v, beta, bos * N_H + 1, r1, h, H, K, V, rk, rv, mk, mv)
        qn = tl.load(q + (bos * H + h) * K + rk, mask=mk & (bos < eos), other=0.0)
        if HAS_G:
            gn = tl.load(g + bos * H + h, mask=bos < eos, other=0.0)
        for t in range(bos, eos):
            qq = qn
            qn = tl.load(q + ((t + 1) * H + h) * K + rk, mask=mk & (t + 1 < eos), other=0.0)
            if HAS_G:
                gt = gn
                gn = tl.load(g + (t + 1) * H + h, mask=t + 1 < eos, other=0.0)
                S = S * tl.exp(gt.to(tl.float32))
            for j in tl.static_range(N_H):
                k2, v2, b2 = _row_loads(k, v, beta, t * N_H + j + 2, r1, h, H, K, V, rk, rv, mk, mv)
                S, e = _householder_step(
                    S, k0.to(tl.float32), v0.to(tl.float32), b0.to(tl.float32), ONE_UPDATE
                )
                _save_e(ebuf, t * N_H + j, h, H, V, rv, mv, e, SAVE_E)
                k0, v0, b0 = k1, v1, b1
                k1, v1, b1 = k2, v2, b2
            _store_output(o, t, h, H, V, rv, mv, S, qq.to(tl.float32), scale)
    if STORE_HT:
        tl.store(_state_tile(ht, s, h, H, K, V, rk, rv), S, mask=m2)


@triton.jit
def _anchored_tile(state, present, s, h, H, K: tl.constexpr, V: tl.constexpr, rk, rv, m2):
    """The [BK, BV] tile of ``state`` if ``present`` (a runtime flag), else zeros, always through a load.

    Why a load even when there is nothing to load (masked off: no memory access): the tile's register layout is
    decided by Triton from the first op that produces it. A load of the [K, V] state gives the coalesced layout
    (4 V elements per thread, 8 x 4 lanes), where the backward's reductions over K and over V both cost a few
    shuffles; ``tl.zeros`` gives the default layout (V across 16 lanes), where every reduction over V is 4 shuffle
    levels on 64 values per thread: offline (Triton 3.6.0, sm_90, n_h 1) pass 2's loop went from 491 to 1378 SASS
    instructions without an initial state, as the H200 executed it (Nsight Compute, session 18), pass 1's from
    550 to 1000. A runtime flag, not a constexpr, so that the compiler cannot fold the masked load away. Used for
    pass 1's ``dS``; pass 2 anchors its tile with a K-major load instead (both forms, module docstring).
    """
    return tl.load(_state_tile(state, s, h, H, K, V, rk, rv), mask=m2 & (present != 0), other=0.0).to(
        tl.float32
    )


@triton.jit
def _bwd_row_loads(k, beta, ebuf, r, live, h, H, K: tl.constexpr, V: tl.constexpr, rk, rv, mk, mv):
    """Row ``r``'s key (fp32), beta (fp32) and saved residual; zeros and no memory access where ``live`` is false
    (before the sequence's first row in pass 1, from its end in pass 2)."""
    kk = tl.load(k + (r * H + h) * K + rk, mask=mk & live, other=0.0).to(tl.float32)
    b = tl.load(beta + r * H + h, mask=live, other=0.0).to(tl.float32)
    ee = tl.load(ebuf + (r * H + h) * V + rv, mask=mv & live, other=0.0)
    return kk, b, ee


@triton.jit
def _recurrent_bwd_rev_kernel(
    q,
    k,
    beta,
    g,
    ebuf,
    do,
    dht,
    dkp,
    dv,
    dbp,
    dh0,
    cu,
    scale,
    H,
    NV,
    has_dht,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    STORE_DH0: tl.constexpr,
    AHEAD: tl.constexpr,
):
    """Backward, pass 1 (tokens in reverse): the state gradient ``dS`` ([BK, BV] in registers, from ``dht``) and,
    per row, ``du = dS^T k``, ``dv = beta du``, this V block's share of ``dk = beta dS e`` and ``dbeta = du . e``
    (README §7). ``dkp`` [R, H, NV, K] and ``dbp`` [R, H, NV] hold one slot per V block (summed afterwards: no
    atomics, so the result does not depend on scheduling; a row's slots side by side, not NV tensors apart, whose
    power-of-two distance would send every V block's writes of a row to the same memory channel); ``dv``
    [R, H, V] is fp32. ``AHEAD`` (``DELTAPROOF_RECURRENT_BWD_FORM=ahead``): each row's loads are issued during the row before it (in this
    pass's order), a token's query and output gradient during the token before, as in the forward's ``ahead``."""
    s, h, bos, eos, rk, rv, mk, mv, m2 = _program(cu, H, K, V, BK, BV)
    iv = tl.program_id(0).to(tl.int64)  # slot offsets pass 2^31 at the benchmark shape (n_h 4)
    r0 = bos * N_H
    dS = _anchored_tile(dht, has_dht, s, h, H, K, V, rk, rv, m2)
    if AHEAD:
        kc, bc, ec = _bwd_row_loads(
            k, beta, ebuf, eos * N_H - 1, eos * N_H - 1 >= r0, h, H, K, V, rk, rv, mk, mv
        )
        qn = tl.load(q + ((eos - 1) * H + h) * K + rk, mask=mk & (eos > bos), other=0.0)
        dn = tl.load(do + ((eos - 1) * H + h) * V + rv, mask=mv & (eos > bos), other=0.0)
    for i in range(eos - bos):
        t = eos - 1 - i
        if AHEAD:
            qq = qn.to(tl.float32)
            dd = dn.to(tl.float32)
            qn = tl.load(q + ((t - 1) * H + h) * K + rk, mask=mk & (t > bos), other=0.0)
            dn = tl.load(do + ((t - 1) * H + h) * V + rv, mask=mv & (t > bos), other=0.0)
        else:
            qq = tl.load(q + (t * H + h) * K + rk, mask=mk, other=0.0).to(tl.float32)
            dd = tl.load(do + (t * H + h) * V + rv, mask=mv, other=0.0).to(tl.float32)
        if HAS_G:
            gt = tl.load(g + t * H + h).to(tl.float32)
        dS += (scale * qq)[:, None] * dd[None, :]  # o_t = scale S^T q_t
        for jj in tl.static_range(N_H):
            r = t * N_H + (N_H - 1 - jj)
            if AHEAD:
                kk, b, ee = kc, bc, ec
                kc, bc, ec = _bwd_row_loads(k, beta, ebuf, r - 1, r - 1 >= r0, h, H, K, V, rk, rv, mk, mv)
            else:
                kk, b, ee = _bwd_row_loads(k, beta, ebuf, r, r >= r0, h, H, K, V, rk, rv, mk, mv)
            du = tl.sum(kk[:, None] * dS, 0)
            tl.store(dkp + ((r * H + h) * NV + iv) * K + rk, b * tl.sum(dS * ee[None, :], 1), mask=mk)
            tl.store(dbp + (r * H + h) * NV + iv, tl.sum(du * ee, 0))
            tl.store(dv + (r * H + h) * V + rv, b * du, mask=mv)
            dS = dS - (b * kk)[:, None] * du[None, :]  # through p = S^T k in u = beta (v - p)
        if HAS_G:
            dS = dS * tl.exp(gt)
    if STORE_DH0:
        tl.store(_state_tile(dh0, s, h, H, K, V, rk, rv), dS, mask=m2)


@triton.jit
def _pass2_row_loads(
    k,
    beta,
    ebuf,
    dv,
    dkp,
    NV,
    slot0,
    nslot,
    r,
    r1,
    h,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    rk,
    rv,
    rn,
    mk,
    mv,
):
    """Row ``r``'s key, beta, residual and dv over this program's K rows ``rk`` and V columns ``rv``, and pass 1's dk
    shares ``slot0 .. slot0 + nslot - 1`` of those K rows summed in a fixed order (zeros, no memory access, from
    the sequence end ``r1`` on)."""
    live = r < r1
    kk, b, ee = _bwd_row_loads(k, beta, ebuf, r, live, h, H, K, V, rk, rv, mk, mv)
    dvv = tl.load(dv + (r * H + h) * V + rv, mask=mv & live, other=0.0)
    shares = tl.load(
        dkp + ((r * H + h) * NV + slot0 + rn[:, None]) * K + rk[None, :],
        mask=(rn < nslot)[:, None] & mk[None, :] & live,
        other=0.0,
    )
    return kk, b, ee, dvv, tl.sum(shares, 0)


@triton.jit
def _recurrent_bwd_fwd_kernel(
    k,
    beta,
    g,
    h0t,
    ebuf,
    dv,
    do,
    dkp,
    dk,
    dq,
    cu,
    scale,
    H,
    NV,
    has_h0,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    NVP: tl.constexpr,
    HAS_G: tl.constexpr,
    AHEAD: tl.constexpr,
    KBLOCKS: tl.constexpr,
):
    """Backward, pass 2 (tokens in order): the forward's states again, from the initial state and the saved
    residuals (the same update ``S += k (beta e)^T`` in the same fp32 operations, so the same values), and the terms
    that need them: ``dk = (pass 1's share) - S_old dv`` per row and ``dq_t = scale S_t do_t`` per token. Both are
    sums over V (``DELTAPROOF_RECURRENT_BWD_PASS2``, module docstring):

    - ``KBLOCKS`` (``kblocks``): one program per (K block, sequence-head) with K rows ``rk`` of the state and all V
      columns (``BV`` is V padded); it sums pass 1's ``NV`` dk shares of its rows and writes dk and dq whole.
    - else (``vblocks``): one program per (V block, sequence-head), all K rows; it adds its sum to pass 1's dk share
      of its V block and writes its share of dq (``dk``/``dq`` are the [rows, H, NV, K] share buffers), summed by
      the caller.

    The initial state comes from a K-major copy ``h0t`` [N, H, V, K] (an fp32 dummy without one): the load that
    anchors the tile's layout runs along K, so K is across the lanes and V within each thread, where every sum over
    V stays mostly inside a thread (offline, vblocks: no shuffles or barriers). ``AHEAD``: each row's loads issued
    during the row before, a token's output gradient during the token before."""
    s, h, bos, eos = _sequence_head(cu, H)
    rn = tl.arange(0, NVP)
    if KBLOCKS:
        rk = tl.program_id(0) * BK + tl.arange(0, BK)
        rv = tl.arange(0, BV)
        slot0 = 0  # the shares read: all NV of them; the outputs: one slot
        nslot = NV
        NOUT = 1
        oslot = 0
    else:
        rk = tl.arange(0, BK)
        rv = tl.program_id(0) * BV + tl.arange(0, BV)
        slot0 = tl.program_id(0).to(tl.int64)  # slot offsets pass 2^31 at the benchmark shape (n_h 4)
        nslot = 1
        NOUT = NV
        oslot = slot0
    mk = rk < K
    mv = rv < V
    m2 = mk[:, None] & mv[None, :]
    r1 = eos * N_H
    S = tl.load(
        h0t + ((s * H + h) * V + rv[None, :]) * K + rk[:, None], mask=m2 & (has_h0 != 0), other=0.0
    ).to(tl.float32)
    if AHEAD:
        kc, bc, ec, dvc, dkc = _pass2_row_loads(
            k, beta, ebuf, dv, dkp, NV, slot0, nslot, bos * N_H, r1, h, H, K, V, rk, rv, rn, mk, mv
        )
        dn = tl.load(do + (bos * H + h) * V + rv, mask=mv & (bos < eos), other=0.0)
    for t in range(bos, eos):
        if AHEAD:
            dd = dn.to(tl.float32)
            dn = tl.load(do + ((t + 1) * H + h) * V + rv, mask=mv & (t + 1 < eos), other=0.0)
        if HAS_G:
            S = S * tl.exp(tl.load(g + t * H + h).to(tl.float32))
        for j in tl.static_range(N_H):
            r = t * N_H + j
            if AHEAD:
                kk, b, ee, dvv, dk1 = kc, bc, ec, dvc, dkc
                kc, bc, ec, dvc, dkc = _pass2_row_loads(
                    k, beta, ebuf, dv, dkp, NV, slot0, nslot, r + 1, r1, h, H, K, V, rk, rv, rn, mk, mv
                )
            else:
                kk, b, ee, dvv, dk1 = _pass2_row_loads(
                    k, beta, ebuf, dv, dkp, NV, slot0, nslot, r, r1, h, H, K, V, rk, rv, rn, mk, mv
                )
            tl.store(dk + ((r * H + h) * NOUT + oslot) * K + rk, dk1 - tl.sum(S * dvv[None, :], 1), mask=mk)
            S = S + kk[:, None] * (b * ee)[None, :]
        if not AHEAD:
            dd = tl.load(do + (t * H + h) * V + rv, mask=mv, other=0.0).to(tl.float32)
        tl.store(dq + ((t * H + h) * NOUT + oslot) * K + rk, scale * tl.sum(S * dd[None, :], 1), mask=mk)


_LAUNCH_KEYS = {"bv": (8, 16, 32, 64, 128, 256), "warps": (1, 2, 4, 8), "bk": (4, 8, 16, 32, 64, 128, 256)}

# The (gated, n_h, initial state) cells of fp32 at K tiles of 128 where `ahead` beat `ahead2` in session 17's H200
# timings (fp32_h200.json session17, calls 5, 6 and 9; B=8 T=4096 H=16 K=V=128, V blocks of 16 on one warp). The
# winner depends on whether an initial state is loaded: with one, `ahead` was 1.1-1.2x faster at ungated n_h 2 and 3
# and gated n_h 2; without one, `ahead2` was 1.39x (n_h 2) and 1.12x (n_h 3) faster. The compiled loops differ with
# HAS_H0 (offline, Triton 3.6.0, n_h 2: 533 SASS instructions and 163 registers with it, 448 and 208 without), and
# why each form wins where it does is not understood. `ahead2` on V blocks of 32 was faster still at ungated n_h 2
# with an initial state (3.6 against 4.0 ms) but spills without one (255 registers, 740 B; 12.4 ms, call 7).
_AHEAD_WINS = {(False, 2, True), (False, 3, True), (True, 2, True)}


def recurrent_default_form(dtype: torch.dtype, bk: int, n_h: int, gated: bool, has_h0: bool) -> str:
    """The default ``DELTAPROOF_RECURRENT_FORM`` of a ``recurrent`` call: ``ahead`` in the cells of ``_AHEAD_WINS``
    (fp32 inputs at K tiles of 128, where the H200 timed it faster), else ``ahead2`` (faster in the other timed
    cells, fp32 and bf16).

    Examples
    --------
    >>> import torch
    >>> recurrent_default_form(torch.float32, 128, 2, False, has_h0=True)
    'ahead'
    >>> recurrent_default_form(torch.float32, 128, 2, False, has_h0=False)
    'ahead2'
    >>> recurrent_default_form(torch.bfloat16, 128, 2, False, has_h0=True)
    'ahead2'
    """
    if dtype == torch.float32 and bk == 128 and (gated, n_h, has_h0) in _AHEAD_WINS:
        return "ahead"
    return "ahead2"


def recurrent_bwd_default_blocks(n_h: int, bk: int, bvf: int) -> tuple[int, int]:
    """The backward's default blocks on one warp, ``(bv, bkb)``: pass 1's V block and pass 2's K block, for ``n_h``
    steps per token, the K tile ``bk`` and V padded to a power of two ``bvf``.

    - Pass 1's V block: 32 at n_h <= 2, else 16, at most 4096 / bk (at least 8). Each V block keeps its own share
      of dk (fp32, the size of k), the bulk of the backward's peak memory. On the H200 (fp32, B=8 T=4096 H=16
      K=V=128, session 19, ``recurrent_bwd_h200.json``) V blocks of 32 took 0.95-1.03x the time of 16 at n_h 1-2
      and 31-38% less peak memory, but 1.04-1.13x the time at n_h 3-4. The cap keeps the [bk, bv] tile at 4096
      fp32 per warp: at K = V = 256 and n_h 2, V blocks of 32 spill 2168 B per thread offline (Triton 3.6.0,
      sm_90), 16 none.
    - Pass 2's K block (over all of V, ``DELTAPROOF_RECURRENT_BWD_PASS2=kblocks``): a tile of 4096 fp32 per warp
      for V up to 128, 2048 above (K = V = 256: 48 B spilled at 16 rows, none at 8), at least 4 rows, at most bk.
      On the H200 (session 19 call 5) K blocks of 32 rows at K = V = 128 were 0.91-1.05x the time of 16.

    Examples
    --------
    >>> [recurrent_bwd_default_blocks(n, 128, 128) for n in (1, 2, 3, 4)]
    [(32, 32), (32, 32), (16, 32), (16, 32)]
    >>> recurrent_bwd_default_blocks(2, 256, 256), recurrent_bwd_default_blocks(1, 16, 16)
    ((16, 8), (32, 16))
    """
    bv = min(32 if n_h <= 2 else 16, max(8, 4096 // bk))
    bkb = min(bk, max(4, (4096 if bvf <= 128 else 2048) // bvf))
    return bv, bkb


def recurrent_launch(var: str = "DELTAPROOF_RECURRENT_LAUNCH") -> dict[str, int]:
    """The overrides of ``var`` (``DELTAPROOF_RECURRENT_LAUNCH`` for the forward, ``DELTAPROOF_RECURRENT_BWD_LAUNCH``
    for the backward's kernels), a comma-separated ``key=value`` list: ``bv`` (the V block, 8-256, a power of
    two; capped at the call's V padded to a power of two), ``warps`` (1, 2, 4 or 8) and, for the backward's pass 2
    over K blocks only, ``bk`` (its K block, 4-256, capped at K padded to a power of two).

    Examples
    --------
    >>> import os
    >>> os.environ["DELTAPROOF_RECURRENT_LAUNCH"] = "bv=8, warps=1"
    >>> recurrent_launch()
    {'bv': 8, 'warps': 1}
    >>> del os.environ["DELTAPROOF_RECURRENT_LAUNCH"]
    >>> recurrent_launch()
    {}
    """
    return parse_launch(
        var,
        _LAUNCH_KEYS,
        "comma-separated bv=8|16|32|64|128|256, warps=1|2|4|8 and bk=4|8|16|32|64|128|256,",
    )


def _forward(q, k, v, beta, gf, h0, dims: Dims, output_final_state: bool, save: bool):
    """Launch the forward kernel; with ``save`` (a backward will follow) also store the residuals ``e = v - k^T S``
    (fp32 [rows, H, V]) and use the single rank-1 update, whose states the backward recomputes from them."""
    H, K, V, N = dims.H, dims.K, dims.V, dims.N
    BK = next_pow2(K)
    default_form = recurrent_default_form(q.dtype, BK, dims.n_h, gf is not None, h0 is not None)
    form = env_choice("DELTAPROOF_RECURRENT_FORM", ("tokens", "rows", "ahead", "ahead2"), default_form)
    update = env_choice("DELTAPROOF_RECURRENT_UPDATE", ("two", "one"), "one")
    launch = recurrent_launch()
    BV = min(next_pow2(V), launch.get("bv", 16))  # module docstring: V blocks of 16 on one warp
    cu = torch.tensor(dims.offsets, dtype=torch.int64, device=q.device)
    o = alloc((dims.B, dims.T, H, V), q.dtype, q.device)
    ht = alloc((N, H, K, V), torch.float32, q.device) if output_final_state else None
    ebuf = alloc((dims.B * dims.T * dims.n_h, H, V), torch.float32, q.device) if save else None
    grid = (triton.cdiv(V, BV), N * H)
    _recurrent_fwd_kernel[grid](
        q,
        k,
        v,
        beta,
        gf if gf is not None else q,
        h0 if h0 is not None else q,
        o,
        ht if ht is not None else o,
        ebuf if ebuf is not None else o,
        cu,
        dims.scale,
        H,
        K=K,
        V=V,
        N_H=dims.n_h,
        BK=BK,
        BV=BV,
        HAS_G=gf is not None,
        HAS_H0=h0 is not None,
        STORE_HT=output_final_state,
        ONE_UPDATE=save or update == "one",
        FORM=form,
        SAVE_E=save,
        num_warps=launch.get("warps", 1),
    )
    return o, ht, ebuf, cu


def _backward(q, k, v, beta, gf, h0, ebuf, ht, cu, do, dht, need_dh0, dims: Dims):
    """The two backward passes (README §7) and the sums over V blocks; returns fp32 ``dq, dk, dv, dbeta, dg, dh0``
    (``dg``/``dh0`` None when there is no gate / no gradient wanted for ``h0``)."""
    H, K, V, N, n_h = dims.H, dims.K, dims.V, dims.N, dims.n_h
    BK = next_pow2(K)
    launch = recurrent_launch("DELTAPROOF_RECURRENT_BWD_LAUNCH")
    BVF = next_pow2(V)
    bv_default, bk_default = recurrent_bwd_default_blocks(n_h, BK, BVF)
    BV = min(BVF, launch.get("bv", bv_default))
    NV = triton.cdiv(V, BV)
    TT = dims.B * dims.T
    R = TT * n_h
    dev = q.device
    # one slot per V block for the sums over V (dk and dbeta; dq too with PASS2=vblocks), reduced in a fixed order
    dkp = alloc((R, H, NV, K), torch.float32, dev)
    dbp = alloc((R, H, NV), torch.float32, dev)
    dv = alloc((R, H, V), torch.float32, dev)
    dh0 = alloc((N, H, K, V), torch.float32, dev) if need_dh0 else None
    grid = (NV, N * H)
    ahead = env_choice("DELTAPROOF_RECURRENT_BWD_FORM", ("plain", "ahead"), "ahead") == "ahead"
    _recurrent_bwd_rev_kernel[grid](
        q,
        k,
        beta,
        gf if gf is not None else q,
        ebuf,
        do,
        dht if dht is not None else do,
        dkp,
        dv,
        dbp,
        dh0 if dh0 is not None else dv,
        cu,
        dims.scale,
        H,
        NV,
        int(dht is not None),
        K=K,
        V=V,
        N_H=n_h,
        BK=BK,
        BV=BV,
        HAS_G=gf is not None,
        STORE_DH0=need_dh0,
        AHEAD=ahead,
        num_warps=launch.get("warps", 1),
    )
    kblocks = env_choice("DELTAPROOF_RECURRENT_BWD_PASS2", ("vblocks", "kblocks"), "kblocks") == "kblocks"
    # both pass-2 forms take their state tile's layout from a K-major load (module docstring)
    if h0 is not None:
        h0 = h0.transpose(-1, -2).contiguous()  # [N, H, V, K]; a one-time copy of one state per sequence-head
    if kblocks:  # K blocks over all of V; dk and dq written whole
        BKB = min(BK, launch.get("bk", bk_default))
        pass2_grid, pass2_blocks = (triton.cdiv(K, BKB), N * H), {"BK": BKB, "BV": BVF, "NVP": next_pow2(NV)}
        dk = alloc((R, H, K), torch.float32, dev)
        dq = alloc((TT, H, K), torch.float32, dev)
    else:  # pass 1's V blocks; dk in place in pass 1's shares, dq as shares, both summed below
        pass2_grid, pass2_blocks = grid, {"BK": BK, "BV": BV, "NVP": 1}
        dk = dkp
        dq = alloc((TT, H, NV, K), torch.float32, dev)
    _recurrent_bwd_fwd_kernel[pass2_grid](
        k,
        beta,
        gf if gf is not None else q,
        h0 if h0 is not None else ebuf,  # an fp32 dummy: the anchoring load's layout follows its element type
        ebuf,
        dv,
        do,
        dkp,
        dk,
        dq,
        cu,
        dims.scale,
        H,
        NV,
        int(h0 is not None),
        K=K,
        V=V,
        N_H=n_h,
        HAS_G=gf is not None,
        AHEAD=ahead,
        KBLOCKS=kblocks,
        num_warps=launch.get("warps", 1),
        **pass2_blocks,
    )
    dk = (dk if kblocks else dk.sum(2)).view(k.shape)
    dq = (dq if kblocks else dq.sum(2)).view(q.shape)
    db = dbp.sum(2).view(beta.shape)
    dv = dv.view(v.shape)
    dg = None
    if gf is not None:
        dg = _gate_gradient(q, v, dq, dv, ht, dht, cu, dims)
    return dq, dk, dv, db, dg, dh0


def _gate_gradient(q, v, dq, dv, ht, dht, cu, dims: Dims):
    """``dg_t = <S, dS>`` right after token t's decay, without the states (README §7): going back one step lowers
    ``<S, dS>`` by ``v_r . dv_r`` per row and raises it by ``q_t . dq_t`` per output, starting from
    ``<S_T, dht>``; so dg is a reverse cumulative sum over each sequence's tokens. The dots are fp32 products summed
    in float64 and the cumulative sum runs in float64 (it subtracts), along a contiguous axis (a scan over the
    leading axis of a [B*T, H] tensor took 5.8 ms on the H200)."""
    B, T, H, n_h = dims.B, dims.T, dims.H, dims.n_h
    f64 = torch.float64
    qd = (q.float() * dq).sum(-1, dtype=f64)  # [B, T, H]
    vd = (v.float() * dv).sum(-1, dtype=f64).view(B, T, n_h, H).sum(2)
    term = (qd - vd).reshape(B * T, H).t().contiguous()  # [H, B*T]
    rc = term.flip(-1).cumsum(-1).flip(-1)  # rc[:, t] = sum of term[:, t:] over the flattened stream
    rc = torch.cat([rc, rc.new_zeros(H, 1)], dim=1)
    seq = torch.repeat_interleave(torch.arange(dims.N, device=q.device), cu[1:] - cu[:-1])  # cu: the offsets
    dg = rc[:, :-1] - rc[:, cu[1:]][:, seq]  # the sums stop at each sequence's end
    if dht is not None:
        dg = dg + (ht * dht).sum((-2, -1), dtype=f64).t()[:, seq]
    return dg.t().reshape(B, T, H)


class _RecurrentFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, q, k, v, beta, g, h0, dims, output_final_state, grad_mode):
        gf = None if g is None else g.float().contiguous()
        # needs_input_grad is set under torch.no_grad as well; saving then would only cost time and memory
        save = grad_mode and any(ctx.needs_input_grad[:6])
        o, ht, ebuf, cu = _forward(q, k, v, beta, gf, h0, dims, output_final_state, save)
        if save:
            ctx.save_for_backward(q, k, v, beta, gf, h0, ebuf, ht, cu)
            ctx.dims = dims
            ctx.dtypes = (v.dtype, None if g is None else g.dtype, None if h0 is None else h0.dtype)
        return o, ht

    @staticmethod
    def backward(ctx, do, dht):
        q, k, v, beta, gf, h0, ebuf, ht, cu = ctx.saved_tensors
        dq, dk, dv, db, dg, dh0 = _backward(
            q,
            k,
            v,
            beta,
            gf,
            h0,
            ebuf,
            ht,
            cu,
            do.contiguous(),
            None if dht is None else dht.contiguous(),
            ctx.needs_input_grad[5],
            ctx.dims,
        )
        v_dtype, g_dtype, h0_dtype = ctx.dtypes
        return (
            dq.to(q.dtype),
            dk.to(k.dtype),
            dv.to(v_dtype),
            db.to(beta.dtype),
            None if dg is None else dg.to(g_dtype),
            None if dh0 is None else dh0.to(h0_dtype),
            None,
            None,
            None,
        )


def deltaproduct_recurrent(
    q, k, v, beta, *, dims: Dims, g=None, initial_state=None, output_final_state=False
):
    """Run the recurrent Triton kernels on validated inputs; returns ``(o, final_state or None)``;
    differentiable through torch.autograd (the backward of README §7).

    ``o`` has ``q``'s dtype, the final state is float32; gradients come back in the inputs' dtypes.

    Examples
    --------
    >>> import os, torch
    >>> from kernels import deltaproduct
    >>> if torch.cuda.is_available() or os.environ.get("TRITON_INTERPRET") == "1":
    ...     dev = "cuda" if torch.cuda.is_available() else "cpu"
    ...     q = torch.randn(1, 4, 1, 16, device=dev)
    ...     k = torch.nn.functional.normalize(torch.randn(1, 8, 1, 16, device=dev), dim=-1)
    ...     v = torch.randn(1, 8, 1, 16, device=dev); b = torch.rand(1, 8, 1, device=dev) * 2
    ...     o, _ = deltaproduct(q, k, v, b, num_householder=2, backend="recurrent")
    ...     r, _ = deltaproduct(q, k, v, b, num_householder=2, backend="reference")
    ...     assert torch.allclose(o, r, atol=1e-5)
    ...     g = torch.zeros(1, 4, 1, device=dev, requires_grad=True)  # a gate, to get its gradient too
    ...     grads = []
    ...     for backend in ("recurrent", "reference"):
    ...         xs = [x.detach().clone().requires_grad_() for x in (q, k, v, b)]
    ...         o, _ = deltaproduct(*xs, num_householder=2, g=g, backend=backend)
    ...         grads.append(torch.autograd.grad(o.square().sum(), [*xs, g]))
    ...     assert all(torch.allclose(a, c, atol=1e-4) for a, c in zip(*grads))
    """
    check_triton_device(q, "recurrent")
    grad_mode = torch.is_grad_enabled()
    return _RecurrentFunction.apply(q, k, v, beta, g, initial_state, dims, output_final_state, grad_mode)
