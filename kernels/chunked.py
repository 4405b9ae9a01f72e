"""Triton chunked (WY) backend: forward and backward of the DeltaProduct recurrence.

The interleaved stream of ``L = T*n_h`` rows is cut into chunks of ``C = n_h * floor(64 / n_h)`` rows
(whole tokens: 64, 64, 63, 64 rows for n_h = 1..4), handled in a 64-row tile. kernels/README.md derives
the algorithm; in short, per chunk with state ``S0`` at its start and in-chunk cumulative gate ``G``::

    A   = strict_lower(diag(beta) K K^T * exp(G_i - G_j))     # [C, C]
    Tm  = (I + A)^-1                                          # unit lower triangular
    W   = Tm diag(beta exp(G)) K,   U = Tm diag(beta) V        # the WY factors
    D   = U - W S0                                            # "new values"
    O   = scale * (exp(Gq) Q S0 + (Q K^T * M * exp(Gq_t - G_j)) D)
    S1  = exp(G_C) S0 + (exp(G_C - G) K)^T D

Kernels (forward): ``_wy_fwd_kernel`` (one program per chunk and head: A, Tm, W, U) and
``_fwd_scan_kernel`` (one program per sequence, head and V block: the sequential chunk scan with the
output). Backward: ``_bwd_scan_kernel`` (reverse scan for the state gradient and dD), ``_bwd_kblock_kernel``
(split form: the V-contractions with the chunk states, one program per chunk, head and K block of 64) and
``_bwd_chunk_kernel`` (one program per chunk and head: every input gradient; in the fused form it also does the
V-contractions itself). Two opt-in forms move state-independent work out of the scans into per-chunk kernels:
``_fwd_outblk_kernel`` (the output, per chunk or per block of chunks) and ``_bwd_local_kernel`` (P^T dO); on the
H200 neither paid so far. kernels/README.md §6 lists the forms that were tried on the H200, with their figures, and
those that were removed.
"""

from __future__ import annotations

import functools
import os

import torch
import triton
import triton.language as tl

from ._triton_common import (
    alloc,
    check_triton_device,
    dot_dtype,
    emulate_bf16,
    is_interpreting,
    next_pow2,
    rd,
)
from ._validate import Dims
from .errors import InvalidInput

__all__ = ["CHUNK_ROWS", "deltaproduct_chunked"]

#: Row tile of one chunk. 64 keeps the [64, 64] triangular solve in registers and matches fla.
CHUNK_ROWS = 64
_SUB = 16  # diagonal blocks inverted by substitution; tl.dot needs sides >= 16


# ----------------------------------------------------------------------------------------------------------
# device helpers
# ----------------------------------------------------------------------------------------------------------
@triton.jit
def _chunk_geometry(cu, s, c, TC: tl.constexpr, N_H: tl.constexpr):
    """Token offset, token count and row offset of chunk ``c`` of sequence ``s``."""
    bos = tl.load(cu + s)
    eos = tl.load(cu + s + 1)
    tok0 = bos + c * TC
    ntok = tl.minimum(eos - tok0, TC)
    return tok0, ntok, tok0 * N_H, ntok * N_H


@triton.jit
def _row_gates(g, tok0, nrow, h, H, r, N_H: tl.constexpr, HAS_G: tl.constexpr):
    """In-chunk cumulative log gate per row: the token's gate sits on its first step (slot 0)."""
    if HAS_G:
        gr = tl.load(g + (tok0 + r // N_H) * H + h, mask=(r < nrow) & (r % N_H == 0), other=0.0)
        return tl.cumsum(gr.to(tl.float32), 0)
    else:
        return tl.zeros(r.shape, dtype=tl.float32)


@triton.jit
def _tok_gates(g, tok0, ntok, h, H, tq, HAS_G: tl.constexpr):
    if HAS_G:
        gq = tl.load(g + (tok0 + tq) * H + h, mask=tq < ntok, other=0.0)
        return tl.cumsum(gq.to(tl.float32), 0)
    else:
        return tl.zeros(tq.shape, dtype=tl.float32)


@triton.jit
def _scan_gates(
    g,
    gbuf,
    tok0,
    ntok,
    row0,
    nrow,
    h,
    H,
    r,
    tq,
    N_H: tl.constexpr,
    HAS_G: tl.constexpr,
    G_STORED: tl.constexpr,
):
    """The chunk's gates for a scan step: per row G, the last row's Glast and per query token Gq (summed from the
    chunk's start). ``G_STORED`` (DELTAPROOF_CHUNKED_SCAN_GATES / BSCAN_GATES=stored): loads from ``gbuf``, which the
    WY inverse launch filled with the same sums, so no prefix sum or reduction runs in the scan's loop."""
    if G_STORED and HAS_G:
        G = tl.load(gbuf + (row0 + r) * H + h, mask=r < nrow, other=0.0)
        Glast = tl.load(gbuf + (row0 + nrow - 1) * H + h)
        Gq = tl.load(gbuf + (row0 + tq * N_H + N_H - 1) * H + h, mask=tq < ntok, other=0.0)
    else:
        G = _row_gates(g, tok0, nrow, h, H, r, N_H, HAS_G)
        Glast = tl.max(tl.where(r == nrow - 1, G, float("-inf")), 0)
        Gq = _tok_gates(g, tok0, ntok, h, H, tq, HAS_G)
    return G, Glast, Gq


@triton.jit
def _output_scores(
    Q,
    K,
    G,
    Gq,
    r,
    tq,
    nrow,
    ntok,
    scale,
    N_H: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
    HAS_G: tl.constexpr,
):
    """scale * (Q K^T) * M * exp(Gq_t - G_j); M: row j belongs to token <= t (a token sees all its steps)."""
    qk = tl.dot(rd(Q, DT, EMU), tl.trans(rd(K, DT, EMU)), input_precision=PREC)
    m = (r[None, :] // N_H <= tq[:, None]) & (r[None, :] < nrow) & (tq[:, None] < ntok)
    if HAS_G:
        # mask the exponent first: above the diagonal Gq_t - G_j can be large and exp(.) * 0 would be NaN
        return tl.where(m, qk * tl.exp(tl.where(m, Gq[:, None] - G[None, :], 0.0)) * scale, 0.0)
    else:  # exp(0) = 1 multiplies nothing: bitwise the gated form at g = 0 (interpreter; H200: kernels/README.md §6)
        return tl.where(m, qk * scale, 0.0)


@triton.jit
def _chunk_scores(
    q,
    k,
    g,
    cu,
    chunk_seq,
    chunk_idx,
    ic,
    h,
    scale,
    H,
    K: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BQ: tl.constexpr,
    BK: tl.constexpr,
    HAS_G: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
):
    """Geometry, Q, query gates and output scores P of chunk ``ic`` and head ``h`` (the parallel per-chunk kernels)."""
    tok0, ntok, row0, nrow = _chunk_geometry(cu, tl.load(chunk_seq + ic), tl.load(chunk_idx + ic), TC, N_H)
    rk = tl.arange(0, BK)
    r = tl.arange(0, BC)
    tq = tl.arange(0, BQ)
    mk = rk < K
    mr = r < nrow
    mq = tq < ntok
    Kc = tl.load(
        k + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mr[:, None] & mk[None, :], other=0.0
    )
    Qc = tl.load(
        q + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :], mask=mq[:, None] & mk[None, :], other=0.0
    )
    G = _row_gates(g, tok0, nrow, h, H, r, N_H, HAS_G)
    Gq = _tok_gates(g, tok0, ntok, h, H, tq, HAS_G)
    P = _output_scores(Qc, Kc, G, Gq, r, tq, nrow, ntok, scale, N_H, DT, EMU, PREC, HAS_G)
    return tok0, ntok, row0, nrow, Qc, Gq, P


@triton.jit
def _output_tile(Qr, Pr, Sr, Dr, Gq, scale, PREC: tl.constexpr):
    """One V block of a chunk's output, scale exp(Gq) Q S0 + P D, from operands already rounded to the dot type."""
    out = (scale * tl.exp(Gq))[:, None] * tl.dot(Qr, Sr, input_precision=PREC)
    out += tl.dot(Pr, Dr, input_precision=PREC)
    return out


@triton.jit
def _output_tile_t(Qr, Pr, Sr, Dr, Gq, scale, PREC: tl.constexpr):
    """The transpose of ``_output_tile``, S0^T Q^T scale exp(Gq) + D^T P^T, [BV, BQ]: the row count of each
    product is BV, not BQ (DELTAPROOF_CHUNKED_SCAN_OUT=cols, _Config.scan_out)."""
    out = tl.dot(tl.trans(Sr), tl.trans(Qr), input_precision=PREC) * (scale * tl.exp(Gq))[None, :]
    out += tl.dot(tl.trans(Dr), tl.trans(Pr), input_precision=PREC)
    return out


@triton.jit
def _tile16(buf, row0, nrow, h, H, BC: tl.constexpr, bi: tl.constexpr, bj: tl.constexpr):
    """Block (bi, bj) of 16 x 16 of a chunk's [BC, BC] fp32 scratch; rows and columns past the chunk read 0."""
    ri = bi * 16 + tl.arange(0, 16)
    cj = bj * 16 + tl.arange(0, 16)
    m = (ri[:, None] < nrow) & (cj[None, :] < nrow)
    return tl.load(buf + ((row0 + ri[:, None]) * H + h) * BC + cj[None, :], mask=m, other=0.0)


@triton.jit
def _store16(buf, row0, nrow, h, H, BC: tl.constexpr, bi: tl.constexpr, bj: tl.constexpr, x):
    ri = bi * 16 + tl.arange(0, 16)
    cj = bj * 16 + tl.arange(0, 16)
    tl.store(buf + ((row0 + ri[:, None]) * H + h) * BC + cj[None, :], x, mask=ri[:, None] < nrow)


# ----------------------------------------------------------------------------------------------------------
# forward kernels
# ----------------------------------------------------------------------------------------------------------
@triton.jit
def _wy_fwd_kernel(
    k,
    v,
    beta,
    g,
    tmat,
    w,
    u,
    cu,
    chunk_seq,
    chunk_idx,
    q,
    pbuf,
    gbuf,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    SUB: tl.constexpr,
    HAS_G: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
    INV_PREC: tl.constexpr,
    KK_PREC: tl.constexpr,
    TM_SPLIT: tl.constexpr,
    MERGE_BLOCKS: tl.constexpr,
    PHASE: tl.constexpr,
    GRAM_ONCE: tl.constexpr = False,
    BQ: tl.constexpr = 16,
    STORE_P: tl.constexpr = False,
    STORE_G: tl.constexpr = False,
):
    # PHASE 0: the whole kernel; 1: steps 1-2 only (Tm into `tmat`); 2: step 3 only, from the Tm that phase 1 stored
    # (DELTAPROOF_CHUNKED_WY_SPLIT: two launches, each with a smaller register footprint than the whole).
    ic = tl.program_id(0)
    h = tl.program_id(1)
    s = tl.load(chunk_seq + ic)
    c = tl.load(chunk_idx + ic)
    tok0, ntok, row0, nrow = _chunk_geometry(cu, s, c, TC, N_H)
    rk = tl.arange(0, BK)
    mk = rk < K
    r = tl.arange(0, BC)
    mr = r < nrow
    ptm = tmat + ((row0 + r[:, None]) * H + h) * BC + r[None, :]
    if PHASE != 2:
        Tm, Kc, bc, G = _wy_inverse(
            k,
            beta,
            g,
            tmat,
            K,
            N_H,
            TC,
            BC,
            BK,
            SUB,
            HAS_G,
            DT,
            EMU,
            INV_PREC,
            KK_PREC,
            MERGE_BLOCKS,
            GRAM_ONCE,
            tok0,
            nrow,
            row0,
            h,
            H,
            rk,
            mk,
            r,
            mr,
            ptm,
        )
        # DELTAPROOF_CHUNKED_SCAN_GATES=stored: the chunk's row gates, summed, for the forward scan
        if STORE_G:
            tl.store(gbuf + (row0 + r) * H + h, G, mask=mr)
    else:
        Kc, bc, G = _wy_rows(k, beta, g, K, N_H, HAS_G, tok0, nrow, row0, h, H, rk, mk, r, mr)
        Tm = tl.load(ptm, mask=mr[:, None] & mr[None, :], other=0.0)
    if PHASE != 1:
        if STORE_P:
            # DELTAPROOF_CHUNKED_SCORES=stored: the chunk's output scores P (they do not depend on the state), rounded
            # to the dot type as the forward scan's product P D reads them, so the sequential scan loads them
            # instead of forming Q K^T and its masked exp factors in every chunk step and V block. The queries are
            # loaded before W and U are formed, so that load's latency overlaps their work (session 12's first
            # trial loaded them after, and the W/U launch, latency-bound, took 109 us more at n_h 2).
            tq = tl.arange(0, BQ)
            Qc = tl.load(
                q + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :],
                mask=(tq < ntok)[:, None] & mk[None, :],
                other=0.0,
            )
        _wy_apply(v, w, u, Tm, Kc, bc, G, K, V, BV, DT, EMU, PREC, TM_SPLIT, row0, h, H, rk, mk, r, mr)
        if STORE_P:
            Gq = _tok_gates(g, tok0, ntok, h, H, tq, HAS_G)
            P = _output_scores(Qc, Kc, G, Gq, r, tq, nrow, ntok, scale, N_H, DT, EMU, PREC, HAS_G)
            pp = pbuf + ((ic.to(tl.int64) * H + h) * BQ + tq[:, None]) * BC + r[None, :]
            tl.store(pp, rd(P, DT, EMU).to(pbuf.dtype.element_ty))


@triton.jit
def _wy_rows(
    k, beta, g, K: tl.constexpr, N_H: tl.constexpr, HAS_G: tl.constexpr, tok0, nrow, row0, h, H, rk, mk, r, mr
):
    """The chunk's keys [BC, BK], betas (fp32) and row gates, as steps 2 and 3 of the WY kernel read them."""
    Kc = tl.load(
        k + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mr[:, None] & mk[None, :], other=0.0
    )
    bc = tl.load(beta + (row0 + r) * H + h, mask=mr, other=0.0).to(tl.float32)
    return Kc, bc, _row_gates(g, tok0, nrow, h, H, r, N_H, HAS_G)


@triton.jit
def _a_entries(kk, b, G, low, HAS_G: tl.constexpr):
    """Entries of A = diag(beta) K K^T (gated: times exp(G_i - G_j)) where ``low``, zero elsewhere, from the product
    ``kk``. The exponent is masked first: above the diagonal G_i - G_j can be large and exp(.) * 0 would be NaN."""
    if HAS_G:
        return tl.where(low, b[:, None] * kk * tl.exp(tl.where(low, G[:, None] - G[None, :], 0.0)), 0.0)
    else:  # exp(0) = 1: bitwise the gated form at g = 0
        return tl.where(low, b[:, None] * kk, 0.0)


@triton.jit
def _wy_diag_block(
    k,
    beta,
    g,
    pa,
    K: tl.constexpr,
    N_H: tl.constexpr,
    HAS_G: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    KK_PREC: tl.constexpr,
    tok0,
    nrow,
    row0,
    h,
    H,
    rk,
    mk,
    rb,
    mb,
    ri,
):
    """One diagonal block of A = strict lower part of diag(beta) K K^T (gated: times exp(G_i - G_j)) from its own
    [SUB, SUB] product, stored to the scratch at ``pa`` for the substitution to read (DELTAPROOF_CHUNKED_WY_GRAM=blocks)."""
    kb = tl.load(
        k + ((row0 + rb[:, None]) * H + h) * K + rk[None, :], mask=mb[:, None] & mk[None, :], other=0.0
    )
    bb = tl.load(beta + (row0 + rb) * H + h, mask=mb, other=0.0).to(tl.float32)
    Gb = _row_gates(g, tok0, nrow, h, H, rb, N_H, HAS_G)
    # the dot of the stored keys: exact products for 16-bit inputs, KK_PREC for fp32
    kr = rd(kb, DT, EMU)
    kk = tl.dot(kr, tl.trans(kr), input_precision=KK_PREC)
    Ab = _a_entries(kk, bb, Gb, ri[:, None] > ri[None, :], HAS_G)
    # Rows of A are re-read from the scratch (L1) rather than extracted from registers: one cross-thread
    # reduction per substitution step instead of two.
    tl.store(pa, Ab, mask=mb[:, None])
    tl.debug_barrier()


@triton.jit
def _wy_inverse(
    k,
    beta,
    g,
    tmat,
    K: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BK: tl.constexpr,
    SUB: tl.constexpr,
    HAS_G: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    INV_PREC: tl.constexpr,
    KK_PREC: tl.constexpr,
    MERGE_BLOCKS: tl.constexpr,
    GRAM_ONCE: tl.constexpr,
    tok0,
    nrow,
    row0,
    h,
    H,
    rk,
    mk,
    r,
    mr,
    ptm,
):
    """Steps 1-2 of the WY kernel: Tm = (I + A)^-1 of one chunk (stored into ``tmat``), with the chunk's keys,
    betas and row gates, which step 3 needs too."""
    # 1. Invert the SUB x SUB diagonal blocks of (I + A) by forward substitution in fp32 registers.
    #    Only differences G_i - G_j inside a block matter, so a block-local cumsum suffices.
    ri = tl.arange(0, SUB)
    if GRAM_ONCE:
        # DELTAPROOF_CHUNKED_WY_GRAM=once: A from one [BC, BC] product K K^T, all of its strict lower triangle
        # stored to the scratch, where the substitution below reads its diagonal blocks and the merge its
        # off-diagonal ones (instead of four [SUB, SUB] products and the full one again for the merge).
        Kc, bc, G = _wy_rows(k, beta, g, K, N_H, HAS_G, tok0, nrow, row0, h, H, rk, mk, r, mr)
        Kr = rd(Kc, DT, EMU)
        kk = tl.dot(Kr, tl.trans(Kr), input_precision=KK_PREC)
        Af = _a_entries(kk, bc, G, r[:, None] > r[None, :], HAS_G)
        tl.store(ptm, Af, mask=mr[:, None])
        tl.debug_barrier()
    for blk in tl.static_range(BC // SUB):
        rb = blk * SUB + ri
        mb = rb < nrow
        pa = tmat + ((row0 + rb[:, None]) * H + h) * BC + blk * SUB + ri[None, :]
        if not GRAM_ONCE:
            _wy_diag_block(
                k, beta, g, pa, K, N_H, HAS_G, DT, EMU, KK_PREC, tok0, nrow, row0, h, H, rk, mk, rb, mb, ri
            )
        Tb = tl.where(ri[:, None] == ri[None, :], 1.0, 0.0)
        for i in range(1, SUB):
            a_i = tl.load(
                tmat + ((row0 + blk * SUB + i) * H + h) * BC + blk * SUB + ri,
                mask=(ri < i) & (blk * SUB + i < nrow),
                other=0.0,
            )  # A[i, m], m < i
            t_i = -tl.sum(a_i[:, None] * Tb, 0)  # -sum_m A[i, m] T[m, :]
            Tb = tl.where(ri[:, None] == i, t_i[None, :] + tl.where(ri == i, 1.0, 0.0)[None, :], Tb)
        tl.debug_barrier()
        tl.store(pa, Tb, mask=mb[:, None])
    # the blocks go through global memory (L1/L2) because Triton cannot assemble register tiles
    tl.debug_barrier()

    # 2. Merge the inverted diagonal blocks into Tm = (I + A)^-1 (two forms, MERGE_BLOCKS below).
    blkd = (r[:, None] // SUB) == (r[None, :] // SUB)
    TD = tl.load(
        tmat + ((row0 + r[:, None]) * H + h) * BC + r[None, :],
        mask=blkd & mr[:, None] & mr[None, :],
        other=0.0,
    )
    lowb = (r[:, None] // SUB) > (r[None, :] // SUB)
    if GRAM_ONCE:
        Lb = tl.where(lowb, Af, 0.0)  # already in the scratch at these positions
    else:
        Kc, bc, G = _wy_rows(k, beta, g, K, N_H, HAS_G, tok0, nrow, row0, h, H, rk, mk, r, mr)
        Kr = rd(Kc, DT, EMU)
        kk = tl.dot(Kr, tl.trans(Kr), input_precision=KK_PREC)
        Lb = _a_entries(kk, bc, G, lowb, HAS_G)
    if MERGE_BLOCKS:
        tl.static_assert(BC == 4 * SUB and SUB == 16)
        # Block forward substitution on the 16 x 16 blocks, T_ij = -T_ii sum_{j <= m < i} A_im T_mj, fp32 `ieee`:
        # 20 products of 16^3 instead of four 64^3 products, most of whose blocks are zero. The blocks of A go next
        # to the inverted diagonal blocks in the scratch (disjoint positions), then come back one by one.
        if not GRAM_ONCE:
            tl.store(ptm, Lb, mask=lowb & mr[:, None])
            tl.debug_barrier()
        T00 = _tile16(tmat, row0, nrow, h, H, BC, 0, 0)
        T11 = _tile16(tmat, row0, nrow, h, H, BC, 1, 1)
        T22 = _tile16(tmat, row0, nrow, h, H, BC, 2, 2)
        T33 = _tile16(tmat, row0, nrow, h, H, BC, 3, 3)
        A10 = _tile16(tmat, row0, nrow, h, H, BC, 1, 0)
        A20 = _tile16(tmat, row0, nrow, h, H, BC, 2, 0)
        A21 = _tile16(tmat, row0, nrow, h, H, BC, 2, 1)
        A30 = _tile16(tmat, row0, nrow, h, H, BC, 3, 0)
        A31 = _tile16(tmat, row0, nrow, h, H, BC, 3, 1)
        A32 = _tile16(tmat, row0, nrow, h, H, BC, 3, 2)
        T10 = -tl.dot(T11, tl.dot(A10, T00, input_precision="ieee"), input_precision="ieee")
        T21 = -tl.dot(T22, tl.dot(A21, T11, input_precision="ieee"), input_precision="ieee")
        T32 = -tl.dot(T33, tl.dot(A32, T22, input_precision="ieee"), input_precision="ieee")
        T20 = tl.dot(A20, T00, input_precision="ieee")
        T20 = -tl.dot(T22, tl.dot(A21, T10, acc=T20, input_precision="ieee"), input_precision="ieee")
        T31 = tl.dot(A31, T11, input_precision="ieee")
        T31 = -tl.dot(T33, tl.dot(A32, T21, acc=T31, input_precision="ieee"), input_precision="ieee")
        T30 = tl.dot(A30, T00, input_precision="ieee")
        T30 = tl.dot(A31, T10, acc=T30, input_precision="ieee")
        T30 = -tl.dot(T33, tl.dot(A32, T20, acc=T30, input_precision="ieee"), input_precision="ieee")
        tl.debug_barrier()
        _store16(tmat, row0, nrow, h, H, BC, 1, 0, T10)
        _store16(tmat, row0, nrow, h, H, BC, 2, 0, T20)
        _store16(tmat, row0, nrow, h, H, BC, 2, 1, T21)
        _store16(tmat, row0, nrow, h, H, BC, 3, 0, T30)
        _store16(tmat, row0, nrow, h, H, BC, 3, 1, T31)
        _store16(tmat, row0, nrow, h, H, BC, 3, 2, T32)
        tl.debug_barrier()
        blkl = (r[:, None] // SUB) >= (r[None, :] // SUB)
        Tm = tl.load(ptm, mask=blkl & mr[:, None] & mr[None, :], other=0.0)
    else:
        # (I + A)^-1 = (I + N)^-1 T_D with N = T_D L strictly block-lower, N^4 = 0 for 4 blocks,
        # so (I + N)^-1 = (I - N)(I + N^2): the block forward substitution, written as four 64^3 products.
        Nm = tl.dot(TD, Lb, input_precision=INV_PREC)
        N2 = tl.dot(Nm, Nm, input_precision=INV_PREC)
        M = TD + tl.dot(N2, TD, input_precision=INV_PREC)
        Tm = M - tl.dot(Nm, M, input_precision=INV_PREC)
    tl.store(ptm, Tm, mask=mr[:, None])
    return Tm, Kc, bc, G


@triton.jit
def _wy_apply(
    v,
    w,
    u,
    Tm,
    Kc,
    bc,
    G,
    K: tl.constexpr,
    V: tl.constexpr,
    BV: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
    TM_SPLIT: tl.constexpr,
    row0,
    h,
    H,
    rk,
    mk,
    r,
    mr,
):
    """Step 3 of the WY kernel: the factors W and U of one chunk from Tm."""
    # 3. W = Tm diag(beta e^G) K, U = Tm diag(beta) V
    X = (bc * tl.exp(G))[:, None] * Kc.to(tl.float32)
    # Tm's entries are large where W's are small (cancellation, README §3), so rounding Tm to a 16-bit dot operand
    # costs far more than rounding W. TM_SPLIT writes Tm = Th + Tl, both 16-bit, and does two dots (~16 bits of Tm).
    Tr = rd(Tm, DT, EMU)
    if TM_SPLIT:
        Tl = rd(Tm - Tr.to(tl.float32), DT, EMU)
    Xr = rd(X, DT, EMU)
    Wc = tl.dot(Tr, Xr, input_precision=PREC)
    if TM_SPLIT:
        Wc += tl.dot(Tl, Xr, input_precision=PREC)
    tl.store(
        w + ((row0 + r[:, None]) * H + h) * K + rk[None, :],
        Wc.to(w.dtype.element_ty),
        mask=mr[:, None] & mk[None, :],
    )
    for iv in tl.static_range(triton.cdiv(V, BV)):
        rv = iv * BV + tl.arange(0, BV)
        m2 = mr[:, None] & (rv < V)[None, :]
        Vc = tl.load(v + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=m2, other=0.0).to(tl.float32)
        BVr = rd(bc[:, None] * Vc, DT, EMU)
        Uc = tl.dot(Tr, BVr, input_precision=PREC)
        if TM_SPLIT:
            Uc += tl.dot(Tl, BVr, input_precision=PREC)
        tl.store(u + ((row0 + r[:, None]) * H + h) * V + rv[None, :], Uc.to(u.dtype.element_ty), mask=m2)


@triton.jit
def _fwd_scan_kernel(
    q,
    k,
    w,
    u,
    g,
    h0,
    o,
    ht,
    hbuf,
    dbuf,
    cu,
    chunk_off,
    pbuf,
    gbuf,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BQ: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    HAS_H0: tl.constexpr,
    STORE_HT: tl.constexpr,
    SAVE_H: tl.constexpr,
    SAVE_D: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
    STATE16: tl.constexpr,
    OUT_IN_SCAN: tl.constexpr,
    DECAY_D: tl.constexpr,
    P_STORED: tl.constexpr = False,
    G_STORED: tl.constexpr = False,
    SAVE_EVERY: tl.constexpr = 1,
    OUT_T: tl.constexpr = False,
):
    iv = tl.program_id(0)
    ish = tl.program_id(1)
    s = ish // H
    h = ish % H
    bos = tl.load(cu + s)
    eos = tl.load(cu + s + 1)
    nchunk = (eos - bos + TC - 1) // TC
    cbase = tl.load(chunk_off + s)
    rk = tl.arange(0, BK)
    rv = iv * BV + tl.arange(0, BV)
    r = tl.arange(0, BC)
    tq = tl.arange(0, BQ)
    mk = rk < K
    mv = rv < V
    mkv = mk[:, None] & mv[None, :]
    S = tl.zeros([BK, BV], dtype=tl.float32)
    if HAS_H0:
        S += tl.load(h0 + ((s * H + h) * K + rk[:, None]) * V + rv[None, :], mask=mkv, other=0.0).to(
            tl.float32
        )
    for c in range(nchunk):
        # geometry from loop-invariant offsets (no load in the loop), so the loads below can be pipelined
        tok0 = bos + c * TC
        ntok = tl.minimum(eos - tok0, TC)
        row0 = tok0 * N_H
        nrow = ntok * N_H
        if SAVE_H:
            # STATE16: saved rounded to the dot type, which is all the backward's dots read of it (rd below).
            # SAVE_EVERY > 1 (OUT=blocks without a backward): only the states that start an output block.
            msave = mkv & (c % SAVE_EVERY == 0)
            if STATE16:
                tl.store(
                    hbuf + (((cbase + c) * H + h) * K + rk[:, None]) * V + rv[None, :],
                    rd(S, DT, EMU),
                    mask=msave,
                )
            else:
                tl.store(hbuf + (((cbase + c) * H + h) * K + rk[:, None]) * V + rv[None, :], S, mask=msave)
        mr = r < nrow
        mq = tq < ntok
        # 16-bit tiles stay 16-bit (dot operands); only elementwise math widens to fp32
        Kc = tl.load(
            k + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mr[:, None] & mk[None, :], other=0.0
        )
        Wc = tl.load(
            w + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mr[:, None] & mk[None, :], other=0.0
        )
        Uc = tl.load(
            u + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=mr[:, None] & mv[None, :], other=0.0
        ).to(tl.float32)
        G, Glast, Gq = _scan_gates(g, gbuf, tok0, ntok, row0, nrow, h, H, r, tq, N_H, HAS_G, G_STORED)
        Sr = rd(S, DT, EMU)
        D = Uc - tl.dot(rd(Wc, DT, EMU), Sr, input_precision=PREC)
        Dr = rd(D, DT, EMU)
        if SAVE_D:  # the split backward reads D instead of recomputing it (bit-identical: same dot, same S)
            tl.store(
                dbuf + ((row0 + r[:, None]) * H + h) * V + rv[None, :],
                Dr.to(dbuf.dtype.element_ty),
                mask=mr[:, None] & mv[None, :],
            )
        # without OUT_IN_SCAN, _fwd_outblk_kernel computes the output from the saved S0 and D, parallel over chunks
        if OUT_IN_SCAN:
            Qc = tl.load(
                q + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :],
                mask=mq[:, None] & mk[None, :],
                other=0.0,
            )
            if P_STORED:  # rounded to the dot type by the WY kernel (DELTAPROOF_CHUNKED_SCORES=stored)
                Pr = tl.load(
                    pbuf + ((((cbase + c).to(tl.int64) * H + h) * BQ + tq[:, None]) * BC + r[None, :])
                )
            else:
                Pr = rd(
                    _output_scores(Qc, Kc, G, Gq, r, tq, nrow, ntok, scale, N_H, DT, EMU, PREC, HAS_G),
                    DT,
                    EMU,
                )
            if OUT_T:  # DELTAPROOF_CHUNKED_SCAN_OUT=cols: the transposed tile, stored transposed
                outT = _output_tile_t(rd(Qc, DT, EMU), Pr, Sr, Dr, Gq, scale, PREC)
                tl.store(
                    o + ((tok0 + tq[None, :]) * H + h) * V + rv[:, None],
                    outT.to(o.dtype.element_ty),
                    mask=mq[None, :] & mv[:, None],
                )
            else:
                out = _output_tile(rd(Qc, DT, EMU), Pr, Sr, Dr, Gq, scale, PREC)
                tl.store(
                    o + ((tok0 + tq[:, None]) * H + h) * V + rv[None, :],
                    out.to(o.dtype.element_ty),
                    mask=mq[:, None] & mv[None, :],
                )
        # S1 = exp(Glast) S0 + K^T diag(exp(Glast - G)) D. The decay goes onto K [BC, BK] (DECAY_D off) or onto
        # D [BC, BV] (DECAY_D, DELTAPROOF_CHUNKED_DECAY=values, fla's placement): half the elementwise work per
        # program at BV = 64, one rounding either way (the decayed operand's), but on the S -> D -> S chain. On the
        # H200, gated, `values` is 6% faster at n_h 1, 1% at n_h 3-4, 0.4% slower at n_h 2, and its bf16 final-state
        # error is 7-8% lower (kernels/README.md §4, §6).
        if HAS_G:
            if DECAY_D:
                Kd = rd(Kc, DT, EMU)
                Dd = rd(D * tl.exp(Glast - G)[:, None], DT, EMU)
            else:
                Kd = rd(tl.where(mr[:, None], Kc.to(tl.float32) * tl.exp(Glast - G)[:, None], 0.0), DT, EMU)
                Dd = Dr
            S = S * tl.exp(Glast)
        else:  # exp(0) = 1: the keys as loaded (zero past the chunk), bitwise what the gated form gives at g = 0
            Kd = rd(Kc, DT, EMU)
            Dd = Dr
        S += tl.dot(tl.trans(Kd), Dd, input_precision=PREC)
    if STORE_HT:
        tl.store(ht + ((s * H + h) * K + rk[:, None]) * V + rv[None, :], S, mask=mkv)


@triton.jit
def _fwd_outblk_kernel(
    q,
    k,
    g,
    hbuf,
    dbuf,
    o,
    cu,
    chunk_seq,
    chunk_idx,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    NB: tl.constexpr,
    BC: tl.constexpr,
    BQB: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
):
    """The output of a block of ``NB`` chunks (``NB * TC`` <= 64 tokens), one head and one V block, from the state
    the scan saved at the block's first chunk and the new values D of every row of the block (fla's output layout,
    DELTAPROOF_CHUNKED_OUT=blocks; with ``NB`` = 1, the per-chunk form of DELTAPROOF_CHUNKED_OUT=parallel, the same
    operations as the output inside ``_fwd_scan_kernel``).

    The state after row r of the block is exp(G_r) S0 + sum_{r' <= r} exp(G_r - G_r') k_r' D_r'^T with G the gates
    summed from the block's start (kernels/README.md §2), so a query reads one state per block and its own block's
    rows through scores, instead of one state per chunk. Programs whose chunk does not start a block return at once.
    """
    ic = tl.program_id(0)
    h = tl.program_id(1)
    iv = tl.program_id(2)
    s = tl.load(chunk_seq + ic)
    c = tl.load(chunk_idx + ic)
    if c % NB == 0:
        bos = tl.load(cu + s)
        eos = tl.load(cu + s + 1)
        tok0 = bos + c * TC
        nbt = tl.minimum(eos - tok0, NB * TC)  # the block's tokens
        rk = tl.arange(0, BK)
        rv = iv * BV + tl.arange(0, BV)
        r = tl.arange(0, BC)
        tq = tl.arange(0, BQB)
        mk = rk < K
        mv = rv < V
        mq = tq < nbt
        Qc = tl.load(
            q + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :], mask=mq[:, None] & mk[None, :], other=0.0
        )
        Qr = rd(Qc, DT, EMU)
        Gq = _tok_gates(g, tok0, nbt, h, H, tq, HAS_G)  # summed from the block's start
        S0 = tl.load(
            hbuf + ((ic.to(tl.int64) * H + h) * K + rk[:, None]) * V + rv[None, :],
            mask=mk[:, None] & mv[None, :],
            other=0.0,
        )
        if HAS_G:
            out = (scale * tl.exp(Gq))[:, None] * tl.dot(Qr, rd(S0, DT, EMU), input_precision=PREC)
        else:  # exp(0) = 1, as in the scan's output
            out = scale * tl.dot(Qr, rd(S0, DT, EMU), input_precision=PREC)
        goff = tl.zeros([1], dtype=tl.float32)  # the block's gates before chunk j
        for j in tl.static_range(NB):
            tokj = tok0 + j * TC
            ntokj = tl.maximum(tl.minimum(eos - tokj, TC), 0)
            nrowj = ntokj * N_H
            mr = r < nrowj
            Kc = tl.load(
                k + ((tokj * N_H + r[:, None]) * H + h) * K + rk[None, :],
                mask=mr[:, None] & mk[None, :],
                other=0.0,
            )
            Dc = tl.load(
                dbuf + ((tokj * N_H + r[:, None]) * H + h) * V + rv[None, :],
                mask=mr[:, None] & mv[None, :],
                other=0.0,
            )
            qk = tl.dot(Qr, tl.trans(rd(Kc, DT, EMU)), input_precision=PREC)
            m = ((j * TC + r[None, :] // N_H) <= tq[:, None]) & mr[None, :] & mq[:, None]
            if HAS_G:
                gr = tl.load(g + (tokj + r // N_H) * H + h, mask=mr & (r % N_H == 0), other=0.0).to(
                    tl.float32
                )
                G = tl.cumsum(gr, 0) + goff
                goff += tl.sum(gr, 0)
                P = tl.where(m, qk * tl.exp(tl.where(m, Gq[:, None] - G[None, :], 0.0)) * scale, 0.0)
            else:
                P = tl.where(m, qk * scale, 0.0)
            out += tl.dot(rd(P, DT, EMU), rd(Dc, DT, EMU), input_precision=PREC)
        tl.store(
            o + ((tok0 + tq[:, None]) * H + h) * V + rv[None, :],
            out.to(o.dtype.element_ty),
            mask=mq[:, None] & mv[None, :],
        )


# ----------------------------------------------------------------------------------------------------------
# backward kernels
# ----------------------------------------------------------------------------------------------------------
@triton.jit
def _bwd_scan_kernel(
    q,
    k,
    w,
    g,
    do,
    dht,
    dh0,
    dhbuf,
    dd,
    cu,
    chunk_off,
    gbuf,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BQ: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    HAS_DHT: tl.constexpr,
    STORE_DH0: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
    STATE16: tl.constexpr,
    DD_LOCAL: tl.constexpr,
    DD16: tl.constexpr,
    G_STORED: tl.constexpr,
    SCALE_DD: tl.constexpr = False,
):
    """Reverse chunk scan: dS (gradient of the state at each chunk's end) and dD for every row.

    With ``SCALE_DD`` the loop carries E = dS / scale instead of dS, so the query term Q^T dO enters with Q as
    loaded (no rounding of scale Q; ungated, Q is then an exact dot operand) and the scale moves onto dD, which is
    rounded for the W term anyway: E -= W^T rd(dD / scale). dS = scale E is formed in fp32 where it is read.

    With ``DD_LOCAL`` the state-independent part of dD, P^T dO, is already in ``dd`` (``_bwd_local_kernel``, parallel
    over chunks) and the scan adds the state part to it. With ``G_STORED`` the chunk's summed row gates come from
    ``gbuf`` (stored by the forward's WY inverse launch) instead of being summed here.
    """
    iv = tl.program_id(0)
    ish = tl.program_id(1)
    s = ish // H
    h = ish % H
    bos = tl.load(cu + s)
    eos = tl.load(cu + s + 1)
    nchunk = (eos - bos + TC - 1) // TC
    cbase = tl.load(chunk_off + s)
    rk = tl.arange(0, BK)
    rv = iv * BV + tl.arange(0, BV)
    r = tl.arange(0, BC)
    tq = tl.arange(0, BQ)
    mk = rk < K
    mv = rv < V
    mkv = mk[:, None] & mv[None, :]
    dS = tl.zeros([BK, BV], dtype=tl.float32)  # E = dS / scale under SCALE_DD
    if HAS_DHT:
        dS += tl.load(dht + ((s * H + h) * K + rk[:, None]) * V + rv[None, :], mask=mkv, other=0.0).to(
            tl.float32
        )
        if SCALE_DD:
            dS = dS * (1.0 / scale)
    for cc in range(nchunk):
        c = nchunk - 1 - cc
        tok0 = bos + c * TC
        ntok = tl.minimum(eos - tok0, TC)
        row0 = tok0 * N_H
        nrow = ntok * N_H
        if SCALE_DD:
            E = dS
            dS = E * scale
        if STATE16:
            tl.store(
                dhbuf + (((cbase + c) * H + h) * K + rk[:, None]) * V + rv[None, :], rd(dS, DT, EMU), mask=mkv
            )
        else:
            tl.store(dhbuf + (((cbase + c) * H + h) * K + rk[:, None]) * V + rv[None, :], dS, mask=mkv)
        mr = r < nrow
        mq = tq < ntok
        Kc = tl.load(
            k + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mr[:, None] & mk[None, :], other=0.0
        )
        Wc = tl.load(
            w + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mr[:, None] & mk[None, :], other=0.0
        )
        Qc = tl.load(
            q + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :], mask=mq[:, None] & mk[None, :], other=0.0
        )
        dO = tl.load(
            do + ((tok0 + tq[:, None]) * H + h) * V + rv[None, :], mask=mq[:, None] & mv[None, :], other=0.0
        )
        G, Glast, Gq = _scan_gates(g, gbuf, tok0, ntok, row0, nrow, h, H, r, tq, N_H, HAS_G, G_STORED)
        dOr = rd(dO, DT, EMU)
        if HAS_G:
            Kd = rd(tl.where(mr[:, None], Kc.to(tl.float32) * tl.exp(Glast - G)[:, None], 0.0), DT, EMU)
        else:  # exp(0) = 1, as in the forward scan
            Kd = rd(Kc, DT, EMU)
        pdd = dd + ((row0 + r[:, None]) * H + h) * V + rv[None, :]
        if DD_LOCAL:
            dD = tl.load(pdd, mask=mr[:, None] & mv[None, :], other=0.0)
        else:
            P = _output_scores(Qc, Kc, G, Gq, r, tq, nrow, ntok, scale, N_H, DT, EMU, PREC, HAS_G)
            dD = tl.dot(tl.trans(rd(P, DT, EMU)), dOr, input_precision=PREC)
        dD += tl.dot(Kd, rd(dS, DT, EMU), input_precision=PREC)
        if DD16:  # every reader rounds dD to the dot type (this scan below, the kblock and chunk kernels)
            tl.store(pdd, rd(dD, DT, EMU), mask=mr[:, None] & mv[None, :])
        else:
            tl.store(pdd, dD, mask=mr[:, None] & mv[None, :])
        # SCALE_DD: E carries dS / scale, so Q enters as loaded (times exp(Gq) when gated) and the W term reads dD
        # divided by the scale; otherwise (DELTAPROOF_CHUNKED_DS_SCALE=q) scale and exp(Gq) go onto Q before its
        # rounding to the dot type
        dDw = dD
        if SCALE_DD:
            dS = E
            dDw = dD * (1.0 / scale)
        if HAS_G:
            if SCALE_DD:
                Qg = Qc.to(tl.float32) * tl.exp(Gq)[:, None]
            else:
                Qg = Qc.to(tl.float32) * (scale * tl.exp(Gq))[:, None]
            dS = dS * tl.exp(Glast)
        elif SCALE_DD:
            Qg = Qc
        else:
            Qg = Qc.to(tl.float32) * scale
        dS += tl.dot(tl.trans(rd(Qg, DT, EMU)), dOr, input_precision=PREC)
        dS -= tl.dot(tl.trans(rd(Wc, DT, EMU)), rd(dDw, DT, EMU), input_precision=PREC)
    if SCALE_DD:
        dS = dS * scale
    if STORE_DH0:
        tl.store(dh0 + ((s * H + h) * K + rk[:, None]) * V + rv[None, :], dS, mask=mkv)


@triton.jit
def _bwd_local_kernel(
    q,
    k,
    g,
    do,
    dd,
    cu,
    chunk_seq,
    chunk_idx,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BQ: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
):
    """dD's state-independent part P^T dO for one chunk and head, written to ``dd`` before the reverse scan.

    The same dot on the same operands as inside ``_bwd_scan_kernel`` (so the same values), taken out of its
    sequential loop, with Q K^T computed once per chunk instead of once per V block.
    """
    ic = tl.program_id(0)
    h = tl.program_id(1)
    tok0, ntok, row0, nrow, _qc, _gq, P = _chunk_scores(
        q, k, g, cu, chunk_seq, chunk_idx, ic, h, scale, H, K, N_H, TC, BC, BQ, BK, HAS_G, DT, EMU, PREC
    )
    r = tl.arange(0, BC)
    tq = tl.arange(0, BQ)
    mr = r < nrow
    mq = tq < ntok
    Pt = tl.trans(rd(P, DT, EMU))
    for iv in tl.static_range(triton.cdiv(V, BV)):
        rv = iv * BV + tl.arange(0, BV)
        mv = rv < V
        dO = tl.load(
            do + ((tok0 + tq[:, None]) * H + h) * V + rv[None, :], mask=mq[:, None] & mv[None, :], other=0.0
        )
        dDl = tl.dot(Pt, rd(dO, DT, EMU), input_precision=PREC)
        tl.store(dd + ((row0 + r[:, None]) * H + h) * V + rv[None, :], dDl, mask=mr[:, None] & mv[None, :])


@triton.jit
def _bwd_kblock_kernel(
    q,
    dbuf,
    hbuf,
    dhbuf,
    dd,
    do,
    dwb,
    dksb,
    dqib,
    dglb,
    cu,
    chunk_seq,
    chunk_idx,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BQ: tl.constexpr,
    NKB: tl.constexpr,
    BKS: tl.constexpr,
    BV: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
    DW16: tl.constexpr,
    PART16: tl.constexpr,
    DQI16: tl.constexpr,
):
    """The three V-contractions of the chunk backward, for one K block of BKS columns (split backward).

    dW = -dD S0^T, dKs = D dS1^T, dQi = dO S0^T and sum(S0 * dS1): each column block of K only needs the same
    columns of S0 and dS1, so a program per (chunk, head, K block) keeps three [BC, BKS] accumulators instead
    of three [BC, K] ones (the register spill that bounded the fused kernel, kernels/README.md §5).
    """
    ic = tl.program_id(0)
    h = tl.program_id(1)
    ikb = tl.program_id(2)
    s = tl.load(chunk_seq + ic)
    c = tl.load(chunk_idx + ic)
    tok0, ntok, row0, nrow = _chunk_geometry(cu, s, c, TC, N_H)
    rk = ikb * BKS + tl.arange(0, BKS)
    r = tl.arange(0, BC)
    tq = tl.arange(0, BQ)
    mk = rk < K
    mr = r < nrow
    mq = tq < ntok
    dW = tl.zeros([BC, BKS], dtype=tl.float32)
    dKs = tl.zeros([BC, BKS], dtype=tl.float32)
    dQi = tl.zeros([BQ, BKS], dtype=tl.float32)
    dgl = 0.0
    hoff = (ic.to(tl.int64) * H + h) * K
    for iv in tl.static_range(triton.cdiv(V, BV)):
        rv = iv * BV + tl.arange(0, BV)
        mv = rv < V
        mrv = mr[:, None] & mv[None, :]
        mkv = mk[:, None] & mv[None, :]
        S0 = tl.load(hbuf + (hoff + rk[:, None]) * V + rv[None, :], mask=mkv, other=0.0).to(tl.float32)
        dS1 = tl.load(dhbuf + (hoff + rk[:, None]) * V + rv[None, :], mask=mkv, other=0.0).to(tl.float32)
        dD = tl.load(dd + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=mrv, other=0.0)
        Dr = tl.load(dbuf + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=mrv, other=0.0)
        dO = tl.load(
            do + ((tok0 + tq[:, None]) * H + h) * V + rv[None, :], mask=mq[:, None] & mv[None, :], other=0.0
        )
        S0t = tl.trans(rd(S0, DT, EMU))
        dW -= tl.dot(rd(dD, DT, EMU), S0t, input_precision=PREC)
        dKs += tl.dot(rd(Dr, DT, EMU), tl.trans(rd(dS1, DT, EMU)), input_precision=PREC)
        dQi += tl.dot(rd(dO, DT, EMU), S0t, input_precision=PREC)
        dgl += tl.sum(tl.sum(S0 * dS1, 1), 0)
    mrk = mr[:, None] & mk[None, :]
    if DW16:  # _bwd_chunk_kernel only uses dW as a dot operand, rounded to the dot type
        tl.store(dwb + ((row0 + r[:, None]) * H + h) * K + rk[None, :], rd(dW, DT, EMU), mask=mrk)
    else:
        tl.store(dwb + ((row0 + r[:, None]) * H + h) * K + rk[None, :], dW, mask=mrk)
    pks = dksb + ((row0 + r[:, None]) * H + h) * K + rk[None, :]
    pqi = dqib + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :]
    # PART16 / DQI16: rounded once more to 16 bits; they enter elementwise sums in _bwd_chunk_kernel, so values change
    if PART16:
        tl.store(pks, rd(dKs, DT, EMU), mask=mrk)
    else:
        tl.store(pks, dKs, mask=mrk)
    if DQI16:
        tl.store(pqi, rd(dQi, DT, EMU), mask=mq[:, None] & mk[None, :])
    else:
        tl.store(pqi, dQi, mask=mq[:, None] & mk[None, :])
    tl.store(dglb + (ic * H + h) * NKB + ikb, dgl)


@triton.jit
def _bwd_chunk_kernel(
    q,
    k,
    v,
    beta,
    g,
    w,
    u,
    tmat,
    hbuf,
    dhbuf,
    dd,
    do,
    dbuf,
    dwb,
    dksb,
    dqib,
    dglb,
    dq,
    dk,
    dv,
    db,
    dg,
    cu,
    chunk_seq,
    chunk_idx,
    scale,
    H,
    K: tl.constexpr,
    V: tl.constexpr,
    N_H: tl.constexpr,
    TC: tl.constexpr,
    BC: tl.constexpr,
    BQ: tl.constexpr,
    BK: tl.constexpr,
    BV: tl.constexpr,
    HAS_G: tl.constexpr,
    DT: tl.constexpr,
    EMU: tl.constexpr,
    PREC: tl.constexpr,
    INV_PREC: tl.constexpr,
    KK_PREC: tl.constexpr,
    SPLIT: tl.constexpr,
    NKB: tl.constexpr,
    BWD_INV_LOW: tl.constexpr,
):
    """All input gradients of one chunk, given S0, dS1 and dD from the scans.

    ``BWD_INV_LOW``: the four dots of the inverse's backward (dA = -T^T dT T^T and dK += Z K + Z^T K) take 16-bit
    operands (``DELTAPROOF_CHUNKED_BWD_INV=16bit``, the default for bf16/fp16; kernels/README.md §6) instead of
    fp32 ones at ``INV_PREC``.

    ``SPLIT``: the V-contractions with the states (dW, dKs, dQi, sum S0*dS1) were done by
    ``_bwd_kblock_kernel`` and are read from its buffers, and D is read from the forward's; otherwise (the fused
    form) this program computes them in its V loop.
    """
    ic = tl.program_id(0)
    h = tl.program_id(1)
    s = tl.load(chunk_seq + ic)
    c = tl.load(chunk_idx + ic)
    tok0, ntok, row0, nrow = _chunk_geometry(cu, s, c, TC, N_H)
    rk = tl.arange(0, BK)
    r = tl.arange(0, BC)
    tq = tl.arange(0, BQ)
    mk = rk < K
    mr = r < nrow
    mq = tq < ntok
    mrk = mr[:, None] & mk[None, :]
    # K and Q stay in the input type (half the registers of fp32 for 16-bit inputs; the kernel is at the register
    # ceiling) and widen where elementwise math reads them: exact, so the same values
    Kc = tl.load(k + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mrk, other=0.0)
    Wc = tl.load(w + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mrk, other=0.0)
    Qc = tl.load(
        q + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :], mask=mq[:, None] & mk[None, :], other=0.0
    )
    bc = tl.load(beta + (row0 + r) * H + h, mask=mr, other=0.0).to(tl.float32)
    Tm = tl.load(
        tmat + ((row0 + r[:, None]) * H + h) * BC + r[None, :], mask=mr[:, None] & mr[None, :], other=0.0
    )
    G = _row_gates(g, tok0, nrow, h, H, r, N_H, HAS_G)
    Gq = _tok_gates(g, tok0, ntok, h, H, tq, HAS_G)
    Glast = tl.max(tl.where(r == nrow - 1, G, float("-inf")), 0)
    Wr = rd(Wc, DT, EMU)
    Tt = tl.trans(Tm)
    Ttr = rd(Tt, DT, EMU)  # the dot operand, rounded once

    dW = tl.zeros([BC, BK], dtype=tl.float32)
    dT = tl.zeros([BC, BC], dtype=tl.float32)
    dP = tl.zeros([BQ, BC], dtype=tl.float32)
    dKs = tl.zeros([BC, BK], dtype=tl.float32)
    dQi = tl.zeros([BQ, BK], dtype=tl.float32)
    dbv = tl.zeros([BC], dtype=tl.float32)
    dgl = 0.0
    hoff = (ic.to(tl.int64) * H + h) * K  # chunk-major state buffers, chunk ic = chunk_off[s] + c
    for iv in tl.static_range(triton.cdiv(V, BV)):
        rv = iv * BV + tl.arange(0, BV)
        mv = rv < V
        mrv = mr[:, None] & mv[None, :]
        mkv = mk[:, None] & mv[None, :]
        dD = tl.load(dd + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=mrv, other=0.0)
        Vc = tl.load(v + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=mrv, other=0.0).to(tl.float32)
        dO = tl.load(
            do + ((tok0 + tq[:, None]) * H + h) * V + rv[None, :], mask=mq[:, None] & mv[None, :], other=0.0
        )
        dDr = rd(dD, DT, EMU)
        dOr = rd(dO, DT, EMU)
        if SPLIT:
            Dr = rd(
                tl.load(dbuf + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=mrv, other=0.0), DT, EMU
            )
            dP += tl.dot(dOr, tl.trans(Dr), input_precision=PREC)
        else:
            S0 = tl.load(hbuf + (hoff + rk[:, None]) * V + rv[None, :], mask=mkv, other=0.0).to(tl.float32)
            dS1 = tl.load(dhbuf + (hoff + rk[:, None]) * V + rv[None, :], mask=mkv, other=0.0).to(tl.float32)
            Uc = tl.load(u + ((row0 + r[:, None]) * H + h) * V + rv[None, :], mask=mrv, other=0.0).to(
                tl.float32
            )
            D = Uc - tl.dot(Wr, rd(S0, DT, EMU), input_precision=PREC)
            S0t = tl.trans(rd(S0, DT, EMU))
            dW -= tl.dot(dDr, S0t, input_precision=PREC)
            dP += tl.dot(dOr, tl.trans(rd(D, DT, EMU)), input_precision=PREC)
            dKs += tl.dot(rd(D, DT, EMU), tl.trans(rd(dS1, DT, EMU)), input_precision=PREC)
            dQi += tl.dot(dOr, S0t, input_precision=PREC)
            dgl += tl.sum(tl.sum(S0 * dS1, 1), 0)
        Y = bc[:, None] * Vc
        dY = tl.dot(Ttr, dDr, input_precision=PREC)
        tl.store(
            dv + ((row0 + r[:, None]) * H + h) * V + rv[None, :],
            (bc[:, None] * dY).to(dv.dtype.element_ty),
            mask=mrv,
        )
        dbv += tl.sum(dY * Vc, 1)
        dT += tl.dot(dDr, tl.trans(rd(Y, DT, EMU)), input_precision=PREC)

    if SPLIT:
        dW = tl.load(dwb + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mrk, other=0.0)
        dgl = tl.sum(tl.load(dglb + (ic * H + h) * NKB + tl.arange(0, NKB)), 0)
    eG = tl.exp(G)
    X = (bc * eG)[:, None] * Kc.to(tl.float32)
    dT += tl.dot(rd(dW, DT, EMU), tl.trans(rd(X, DT, EMU)), input_precision=PREC)
    dX = tl.dot(Ttr, rd(dW, DT, EMU), input_precision=PREC)
    dK = (bc * eG)[:, None] * dX
    dbv += tl.sum(dX * Kc.to(tl.float32), 1) * eG
    dG = tl.sum(dX * X, 1)
    # T = (I + A)^-1  =>  dA = -T^T dT T^T on the strictly lower triangle (fp32: the solve is sensitive)
    low = (r[:, None] > r[None, :]) & mr[:, None] & mr[None, :]
    if BWD_INV_LOW:
        dA = -tl.dot(
            Ttr, rd(tl.dot(rd(dT, DT, EMU), Ttr, input_precision=PREC), DT, EMU), input_precision=PREC
        )
    else:
        dA = -tl.dot(Tt, tl.dot(dT, Tt, input_precision=INV_PREC), input_precision=INV_PREC)
    Kr = rd(Kc, DT, EMU)
    kk = tl.dot(Kr, tl.trans(Kr), input_precision=KK_PREC)
    dA = tl.where(low, dA, 0.0)
    if HAS_G:
        gam = tl.exp(tl.where(low, G[:, None] - G[None, :], 0.0))
        Z = dA * bc[:, None] * gam
        dbv += tl.sum(dA * kk * gam, 1)
    else:  # exp(0) = 1: bitwise the gated form at g = 0
        Z = dA * bc[:, None]
        dbv += tl.sum(dA * kk, 1)
    if BWD_INV_LOW:
        Zr = rd(Z, DT, EMU)
        dK += tl.dot(Zr, Kr, input_precision=PREC) + tl.dot(tl.trans(Zr), Kr, input_precision=PREC)
    else:
        Kf = Kc.to(tl.float32)
        dK += tl.dot(Z, Kf, input_precision=INV_PREC) + tl.dot(tl.trans(Z), Kf, input_precision=INV_PREC)
    dAA = Z * kk
    dG += tl.sum(dAA, 1) - tl.sum(dAA, 0)
    # output part
    P = _output_scores(Qc, Kc, G, Gq, r, tq, nrow, ntok, scale, N_H, DT, EMU, PREC, HAS_G)
    m = (r[None, :] // N_H <= tq[:, None]) & (r[None, :] < nrow) & (tq[:, None] < ntok)
    if HAS_G:
        dPm = tl.where(m, dP * tl.exp(tl.where(m, Gq[:, None] - G[None, :], 0.0)) * scale, 0.0)
    else:
        dPm = tl.where(m, dP * scale, 0.0)
    dQ = tl.dot(rd(dPm, DT, EMU), rd(Kc, DT, EMU), input_precision=PREC)
    dK += tl.dot(tl.trans(rd(dPm, DT, EMU)), rd(Qc, DT, EMU), input_precision=PREC)
    dPP = dP * P
    dGq = tl.sum(dPP, 1)
    dG -= tl.sum(dPP, 0)
    if SPLIT:
        dQi = tl.load(
            dqib + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :], mask=mq[:, None] & mk[None, :], other=0.0
        ).to(tl.float32)
    dQi = dQi * (scale * tl.exp(Gq))[:, None]
    dGq += tl.sum(dQi * Qc.to(tl.float32), 1)
    dQ += dQi
    # state update S1 = e^{G_C} S0 + (e^{G_C - G} K)^T D
    if SPLIT:
        dKs = tl.load(dksb + ((row0 + r[:, None]) * H + h) * K + rk[None, :], mask=mrk, other=0.0).to(
            tl.float32
        )
    ek = tl.where(mr, tl.exp(Glast - G), 0.0)
    dK += ek[:, None] * dKs
    term = ek * tl.sum(dKs * Kc.to(tl.float32), 1)
    dG -= term
    dGC = tl.exp(Glast) * dgl + tl.sum(term, 0)

    tl.store(
        dq + ((tok0 + tq[:, None]) * H + h) * K + rk[None, :],
        dQ.to(dq.dtype.element_ty),
        mask=mq[:, None] & mk[None, :],
    )
    tl.store(dk + ((row0 + r[:, None]) * H + h) * K + rk[None, :], dK.to(dk.dtype.element_ty), mask=mrk)
    tl.store(db + (row0 + r) * H + h, dbv, mask=mr)
    if HAS_G:
        # G_row = cumsum of per-row gates; the token gate is row t*N_H's, so dg_t = sum over rows >= t*N_H,
        # plus the query gates of tokens >= t, plus G_C (which every gate of the chunk feeds).
        dG = tl.where(mr, dG, 0.0)
        rrev = tl.sum(dG, 0) - tl.cumsum(dG, 0) + dG
        at_slot0 = tl.sum(tl.where(r[None, :] == tq[:, None] * N_H, rrev[None, :], 0.0), 1)
        dGq = tl.where(mq, dGq, 0.0)
        qrev = tl.sum(dGq, 0) - tl.cumsum(dGq, 0) + dGq
        tl.store(dg + (tok0 + tq) * H + h, at_slot0 + qrev + dGC, mask=mq)


# ----------------------------------------------------------------------------------------------------------
# host side
# ----------------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _chunk_tables(offsets: tuple[int, ...], tc: int, device: str):
    """Per-chunk (sequence, index) tables and per-sequence first-chunk offsets (cached per geometry)."""
    seq, idx, off = [], [], [0]
    for s, (a, b) in enumerate(zip(offsets[:-1], offsets[1:])):
        nc = -(-(b - a) // tc)
        seq += [s] * nc
        idx += list(range(nc))
        off.append(off[-1] + nc)
    mk = functools.partial(torch.tensor, device=device)
    return (
        mk(offsets, dtype=torch.int64),
        mk(seq, dtype=torch.int32),
        mk(idx, dtype=torch.int32),
        mk(off, dtype=torch.int64),
        len(seq),
    )


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """The value of the environment switch ``name`` (unset or empty: ``default``), refused unless in ``choices``.

    Examples
    --------
    >>> env_choice("DELTAPROOF_EXAMPLE_UNSET", ("a", "b"), "b")
    'b'
    """
    value = os.environ.get(name) or default
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices[:-1]) + f" or {choices[-1]!r}"
        raise InvalidInput(f"{name}: expected {listed}, got {value!r}")
    return value


def inverse_precision(bk: int, dtype: torch.dtype, precision: str, interp: bool) -> str:
    """``input_precision`` of the fp32 dots of the triangular inverse and its backward.

    ``tf32x3`` (three tf32 products, ~fp32 accuracy, tensor cores) only where it was verified on the H200 (Triton
    3.6): K tiles of 128 or more. With K tiles of 16 or 32 the same dots gave wrong forward outputs (K <= 16) and
    wrong or non-finite dk, dv, dbeta (K = 32, n_h >= 2), and illegal memory accesses for K <= 5; forcing ``ieee``
    there fixed every case (benchmarks/results/kernel_grads_h200.json). An fp32 call asking for ``tf32x3`` gets it
    at K tiles of 128 only, as the rest of its dots (``_Config``: at 256 a launch ran out of shared memory on the
    H200 in session 12). ``DELTAPROOF_CHUNKED_INV_PREC`` overrides the choice, to re-run that diagnosis.

    Examples
    --------
    >>> import torch
    >>> inverse_precision(32, torch.bfloat16, "ieee", interp=False), inverse_precision(128, torch.bfloat16, "ieee", False)
    ('ieee', 'tf32x3')
    >>> inverse_precision(128, torch.float32, "tf32x3", False), inverse_precision(256, torch.float32, "tf32x3", False)
    ('tf32x3', 'ieee')
    """
    if os.environ.get("DELTAPROOF_CHUNKED_INV_PREC"):
        # a Triton input_precision, refused by name here rather than by the compiler
        return env_choice("DELTAPROOF_CHUNKED_INV_PREC", ("ieee", "tf32", "tf32x3"), "ieee")
    fp32_ieee = dtype == torch.float32 and (precision == "ieee" or (precision == "tf32x3" and bk != 128))
    if interp or fp32_ieee or bk < 128:
        return "ieee"
    return "tf32x3"


class _Config:
    """Static launch parameters of one call."""

    def __init__(self, dims: Dims, dtype: torch.dtype, device: torch.device, precision: str):
        n = dims.n_h
        if n > CHUNK_ROWS:
            raise InvalidInput(f"num_householder: backend 'chunked' supports at most {CHUNK_ROWS}, got {n}")
        if dims.K > 256 or dims.V > 256:
            raise InvalidInput(f"q, v: backend 'chunked' supports K, V <= 256, got K={dims.K}, V={dims.V}")
        if precision not in ("ieee", "tf32", "tf32x3"):
            raise InvalidInput(f"precision: expected 'ieee', 'tf32' or 'tf32x3', got {precision!r}")
        interp = is_interpreting()
        self.n_h = n
        self.tc = CHUNK_ROWS // n
        self.bk = max(16, next_pow2(dims.K))
        # BV = 64 is the configuration verified on the H200 (a BV = 32 / 4-warp launch hit an illegal memory
        # access there with Triton 3.6, not reproduced in the interpreter; see kernels/README.md).
        self.bv = max(16, min(next_pow2(dims.V), 64))
        self.dt = dot_dtype(dtype)
        self.emu = emulate_bf16(dtype)
        # tf32 only matters for fp32 operands; the interpreter computes fp32 dots exactly either way
        self.prec = "ieee" if interp or precision == "tf32x3" else precision
        # The triangular solve and A = K K^T always run on fp32 copies: the inverse amplifies error most.
        self.inv_prec = inverse_precision(self.bk, dtype, precision, interp)
        # precision="tf32x3" (or, for an `ieee` call, DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3, the session-5 switch)
        # runs every fp32 dot as three tf32 tensor-core passes instead of on CUDA cores. H200 (session 6, K = V = 128,
        # n_h 2, gated, with the WY merge on blocks): outputs and gradients within 1e-6 of float64, forward 20.6 ms
        # against 129 ms for `ieee` (benchmarks/results/scan_forms_h200.json, call 4). Only for K tiles of 128: with
        # smaller tiles tf32x3 dots gave wrong results on the H200 (inverse_precision's docstring), so those run
        # `ieee`. No effect when interpreting.
        fp32_dots = env_choice("DELTAPROOF_CHUNKED_FP32_DOTS", ("ieee", "tf32x3"), "ieee")
        self.fp32_x3 = (
            (precision == "tf32x3" or (fp32_dots == "tf32x3" and precision == "ieee"))
            and dtype == torch.float32
            and self.bk == 128
            and not interp
        )
        if self.fp32_x3:
            self.prec = self.inv_prec = "tf32x3"
        # DELTAPROOF_CHUNKED_BQ: the fewest rows of the query block, 16 or 32 (masked padding rows; the same values,
        # bitwise in the interpreter). fp32 tf32x3 takes 32: on the H200 (session 12, Triton 3.6) it hit an
        # illegal memory access at n_h 4, K = V = 128, the one benchmark shape whose query block has 16 rows (the
        # pre-session-12 WY form too), and with the block padded to 32 every output and gradient came within
        # 1.4e-6 of float64 (benchmarks/results/fp32_h200.json, session12 call5_diag); tf32x3 dots on 16-wide
        # tiles had already failed on K tiles of 16 (inverse_precision's docstring). K tiles of 256 do not take
        # tf32x3 either: there a launch needs 256 KB of shared memory, over the H200's 227 KB (session 12), so
        # they run `ieee` as smaller tiles do.
        bq_min = env_choice("DELTAPROOF_CHUNKED_BQ", ("16", "32"), "32" if self.fp32_x3 else "16")
        self.bq = max(int(bq_min), next_pow2(self.tc))
        # K K^T: 16-bit operands give exact products whatever the mode; fp32 operands follow INV_PREC
        self.kk_prec = self.inv_prec if dtype == torch.float32 else "ieee"
        self.interp = interp
        self.tables = _chunk_tables(dims.offsets, self.tc, str(device))
        self.warps = 4 if interp else (8 if self.bk >= 128 else 4)
        # Software pipelining of the scan loops keeps copies of the loaded tiles in shared memory; fp32
        # tiles of K = 128 overflow the 227 KB of an H100/H200 with 3 stages, so fp32 runs unpipelined.
        self.stages = 1 if interp or dtype == torch.float32 else 2
        # Backward form: "split" runs the state V-contractions per K block of 64 in their own kernel and saves D
        # in the forward (1.4-1.6x faster forward+backward on the H200, ~45% more peak memory); "fused" is the
        # one-kernel form. Split is the default where it was verified on the H200 (bf16/fp16: K = 5..128, n_h 2-4,
        # gated; benchmarks/results/kernels_h200.json); fp32 keeps the fused form, whose GPU check predates the
        # split (its split run did not finish in the device time). DELTAPROOF_CHUNKED_BWD=split|fused overrides.
        default_bwd = "fused" if dtype == torch.float32 else "split"
        self.bwd = env_choice("DELTAPROOF_CHUNKED_BWD", ("split", "fused"), default_bwd)
        # The four dots of the inverse's backward in _bwd_chunk_kernel (dA = -T^T dT T^T, dK += Z K + Z^T K):
        # "16bit" (16-bit operands, fp32 accumulation) is the default for bf16/fp16 since session 5: on the H200
        # forward+backward is 1.31-1.60x faster than with "fp32" (fp32 operands at the inverse's precision,
        # tf32x3 at K = 128), the chunk backward kernel 2.4 instead of 5.6 ms at n_h 2, and the gradients stay at
        # bf16/fp16 error level at all 17 shapes of the GPU check (kernels/README.md §6,
        # benchmarks/results/bwd_inv_h200.json). fp32 inputs keep "fp32"; "tf32" (one tf32 pass) was measured
        # in between. DELTAPROOF_CHUNKED_BWD_INV=fp32|tf32|16bit overrides.
        default_inv = "fp32" if dtype == torch.float32 else "16bit"
        self.bwd_inv = env_choice("DELTAPROOF_CHUNKED_BWD_INV", ("fp32", "tf32", "16bit"), default_inv)
        self.bwd_inv_prec = "tf32" if self.bwd_inv == "tf32" and not interp else self.inv_prec
        # DELTAPROOF_CHUNKED_STATES: the chunk states S0 (forward) and dS1 (backward scan) saved for the backward in
        # the 16-bit dot type ("16bit", the default for bf16/fp16 since session 6) or in fp32. Every backward dot reads
        # them rounded to that type anyway, so outputs and gradients are the same except dg (sum S0 * dS1 is
        # elementwise). It halves the largest buffers (2 x 1 GiB at the benchmark shape, n_h 2) and the traffic of
        # _bwd_kblock_kernel: on the H200 forward+backward 4-8% faster at n_h 1, 2, 4, gated and not, outputs and
        # gradients bitwise equal to fp32-saved states except dg (2e-4 to 1e-3 apart), gradients at bf16/fp16 level
        # at the 17 shapes of the GPU check (kernels/README.md §6, benchmarks/results/scan_forms_h200.json). Under the
        # interpreter's bf16 emulation the buffer stays fp32 and holds the rounded values.
        # DELTAPROOF_CHUNKED_BWD_BUFS: the backward's buffers in the 16-bit dot type, for bf16/fp16. "16bit" stores
        # dD (written by the reverse scan, read by the scan, _bwd_kblock_kernel and _bwd_chunk_kernel) and dW (written
        # by _bwd_kblock_kernel, read by _bwd_chunk_kernel): every read rounds them to that type for a dot, so no
        # value changes (bitwise equal on the H200 and the CPU). "all16" (the default since session 7) also stores
        # the partials dKs and dQi, which enter elementwise sums, so dq and dk change by one more 16-bit rounding
        # (H200: 4e-4 to 7e-3 relative apart from "fp32", dg 2e-4 to 2e-3; gradients at bf16/fp16 level at the 17
        # shapes of the GPU check). On the H200 (K = V = 128, values alternated in one process) forward+backward at
        # n_h 2: fp32 7.73, 16bit 6.97, all16 6.65 ms; n_h 1, 4 and gated likewise 11-16% faster than fp32
        # (benchmarks/results/scan_forms_h200.json, session 7). dD stays fp32 with DELTAPROOF_CHUNKED_DD_LOCAL=parallel,
        # which accumulates into it.
        # "dqi32" (the default since session 9): all16 but dQi, the inter-chunk part of dq, kept in fp32, so dq is
        # rounded once, at its output, as with "16bit". H200, 8 seeds, bf16 against float64 next to fla
        # (benchmarks/accuracy_seeds_gpu.py): under all16 our dq was 0.3-1.1% above fla's error norm-wise at every
        # n_h (0-2 of 8 seeds at or below it); under dqi32 it is 2% below (8 of 8 seeds, n_h 1, 2, 4). It costs
        # forward+backward 3.0% at n_h 1, 1.3% at n_h 2, 0.6% at n_h 4 (dQi is per token: 1/n_h of the partials'
        # bytes). kernels/README.md §4 and §6; benchmarks/results/scan_forms_h200.json, session9.
        bufs = env_choice("DELTAPROOF_CHUNKED_BWD_BUFS", ("fp32", "16bit", "all16", "dqi32"), "dqi32")
        states = env_choice("DELTAPROOF_CHUNKED_STATES", ("fp32", "16bit"), "16bit")
        self.state16 = states == "16bit" and dtype != torch.float32
        self.state_dtype = dtype if self.state16 and not self.emu else torch.float32
        # Kept switch, measured slower (H200 sessions 6 and 9, kernels/README.md §6): DELTAPROOF_CHUNKED_OUT=parallel takes the output
        # out of the sequential forward scan into a kernel per chunk (from the saved S0 and D). Same dots on the same
        # operands, so the same values; it costs writing S0 and D when nothing else saves them (inference) and
        # reading them back. Since session 13 it is _fwd_outblk_kernel with blocks of one chunk (the per-chunk kernel
        # the H200 measured, one program per chunk and head looping over V blocks, is gone: the same operations).
        # "blocks" (session 13): the output per block of up to 64 tokens from one saved state (_fwd_outblk_kernel,
        # fla's output layout; kernels/README.md §2), the scan as for "parallel". H200 session 14: gated forward
        # 2.10-2.84 / 3.35-4.24 ms at n_h 2 / 3 under the launches tried, against the fused scan's 1.92 / 2.88.
        self.out_form = env_choice("DELTAPROOF_CHUNKED_OUT", ("scan", "parallel", "blocks"), "scan")
        # DELTAPROOF_CHUNKED_SCAN_GATES (session 13): "stored" has the WY inverse launch store the
        # chunk's summed row gates (fp32, 4 B per row and head) and the forward scan load G, the last row's G and
        # each query's G instead of two prefix sums and a max-reduction per chunk step, fla's arrangement for its
        # state-only scan (kernels/README.md §6). Session 9's stored gates (both scans, 1 stage, output in the
        # scan) were slower. Since session 14 the default ("auto") follows the tuned forward-scan table
        # (_FWD_SCAN_TUNED), which stores them for gated calls, where with stored scores the scan fits in fewer
        # registers (H200: gated forward 2.873 -> 2.765 ms at n_h 3, 3.325 -> 2.952 at n_h 4 with 2 stages).
        self.scan_gates = env_choice("DELTAPROOF_CHUNKED_SCAN_GATES", ("auto", "cumsum", "stored"), "auto")
        # DELTAPROOF_CHUNKED_BSCAN_GATES (session 14): the same for the backward scan; the forward's WY inverse launch
        # then stores the gates whenever it saves for a backward, and they are kept for it (4 B per row and head).
        # Offline (Triton 3.6.0) it removes the gated backward scan's spills at n_h 2-3 (48 / 8 B), but on the H200
        # (session 15 call 3) it was 0.7-3.5% slower forward+backward than the summed gates at every n_h, so "cumsum"
        # stays the default (kernels/README.md §6).
        self.bscan_gates = env_choice("DELTAPROOF_CHUNKED_BSCAN_GATES", ("cumsum", "stored"), "cumsum")
        # The backward's counterpart (H200 session 6: no faster in total, §6): DELTAPROOF_CHUNKED_DD_LOCAL=parallel computes
        # dD's state-independent part P^T dO in _bwd_local_kernel (per chunk and head) before the reverse scan, which
        # then adds only the state part (fla's dv_local + dhu split). Same dots, same values.
        self.dd_local = env_choice("DELTAPROOF_CHUNKED_DD_LOCAL", ("scan", "parallel"), "scan")
        # DELTAPROOF_CHUNKED_DS_SCALE (session 15, for the bf16 dh0 error 0.4% above fla's at n_h 1, kernels/README.md
        # §4): "q" rounds scale Q to the dot type for the reverse scan's Q^T dO (fla scales the fp32 product, so its
        # Q is an exact operand); "dd" carries dS / scale through the scan instead, so Q enters as loaded and the
        # scale lands on dD, rounded for the W term anyway (no extra rounding, no extra pass over the state).
        # H200, session 15 call 4 (bf16, 8 seeds next to fla, ungated n_h 1 / 2, scan_forms_h200.json session15):
        # our dh0 error went from 1.004 / 1.001x fla's to 0.969 / 0.967x (8 of 8 seeds at or below), dk, dv and
        # dbeta down 1-2.4%, the rest unchanged; forward+backward -0.5% / 0.0% ungated, +1.7% / -0.5% gated at n_h 1 / 2.
        self.ds_scale_dd = env_choice("DELTAPROOF_CHUNKED_DS_SCALE", ("q", "dd"), "dd") == "dd"
        # DELTAPROOF_CHUNKED_SCAN_OUT (session 15): how the forward scan forms a chunk's output tile. "rows":
        # O = scale exp(Gq) Q S + P D, [BQ, BV]; at n_h 2-4 (BQ = 32 or 16 < 64) those two products are too short
        # for Hopper's warpgroup MMA, so they run as mma.sync with their own shared-memory copies of S and D.
        # "cols": O^T = S^T Q^T scale exp(Gq) + D^T P^T, [BV, BQ], stored transposed: M = BV = 64, so every product
        # of the scan is a warpgroup MMA. Offline (Triton 3.6.0, sm_90, bf16 K = V = 128, gated n_h 3, 2 stages):
        # 114948 B of shared memory (rows: 119044), so 2 programs per SM instead of 1, at 255 registers with 56 B
        # spilled. The same sums in another operand order: fp32 values within rounding of "rows". The default
        # ("auto") follows _FWD_SCAN_TUNED, which picks "cols" only where the H200 measured it faster (session 16).
        self.scan_out = env_choice("DELTAPROOF_CHUNKED_SCAN_OUT", ("auto", "rows", "cols"), "auto")
        # DELTAPROOF_CHUNKED_DECAY: where the forward scan puts the in-chunk decay exp(Glast - G), on K ("keys",
        # sessions 1-9) or on D ("values", the default since session 10; see _fwd_scan_kernel). Gated only: the same
        # quantity rounded at a different operand, so gated values differ at rounding level, ungated ones not at all.
        # H200, bf16 K = V = 128, alternated in one process (kernels/README.md §6, scan_forms_h200.json session10):
        # gated forward 1.270 -> 1.199 / 2.106 -> 2.114 / 3.201 -> 3.181 / 3.793 -> 3.746 ms at n_h 1-4, forward+backward
        # 4.70 -> 4.39 / 7.14 -> 7.13 / 11.06 -> 10.93 / 12.99 -> 12.92 ms (means of two rounds); the 17-shape
        # gradient check passed under it.
        self.decay = env_choice("DELTAPROOF_CHUNKED_DECAY", ("keys", "values"), "values")
        half = dtype != torch.float32 and bufs != "fp32"
        self.dw16 = half
        self.part16 = half and bufs in ("all16", "dqi32")
        self.dqi16 = half and bufs == "all16"
        self.dd16 = half and self.dd_local == "scan"
        self.buf16_dtype = torch.float32 if self.emu else dtype
        # DELTAPROOF_CHUNKED_WY_MERGE: how the inverted 16 x 16 diagonal blocks become Tm. "blocks" (the default for
        # bf16/fp16 since session 6): block forward substitution on 16 x 16 blocks in fp32 `ieee` (fla's solve_tril
        # form); "full": four 64^3 products at the inverse's precision (tf32x3 at K tiles of 128). On the H200 blocks
        # makes _wy_fwd_kernel 1557 -> 1335 us at n_h 2 and the forward 6-9% faster at n_h 1, 2, 4, with gradients at
        # bf16/fp16 level at the 17 shapes of the GPU check (benchmarks/results/scan_forms_h200.json, call 2), and
        # fp32 tf32x3 ran with it (call 4). fp32 `ieee` keeps "full" (`ieee` products there) until blocks has run
        # with it on a GPU (its compile outlasted the device time); the CPU tests cover both in fp32.
        # DELTAPROOF_CHUNKED_PTXAS_OPT: ptxas's optimisation level for every chunked kernel ("default": Triton's
        # choice, -O3). Why a switch: at its default level ptxas (CUDA 12.8, the assembler of Triton 3.6 and 3.7.1)
        # gives the fp32 `ieee` kernels 32 registers per thread and spills 18-88 KB per thread to local memory
        # (their dots are unrolled into thousands of FMAs); at --opt-level 1 the same PTX gets 255 registers and 2-5x
        # fewer spill bytes (K = 128, n_h 2, offline: kernels/README.md §6). bf16 kernels gain nothing from it. Same
        # PTX, so the same operations; ptxas may still fuse a multiply and an add differently, so values can differ at
        # rounding level.
        # Session 12 (H200, n_h 2, fp32 forward): `ieee` at level 1 took 81-83 ms against 129 ms (session 6) and 167
        # ms (session 3) at the default level, so level 1 is the default for fp32 `ieee` dots (not for tf32 or
        # tf32x3, whose kernels get their registers at the default level).
        default_opt = (
            "1"
            if dtype == torch.float32 and precision == "ieee" and not self.fp32_x3 and not interp
            else "default"
        )
        opt = env_choice("DELTAPROOF_CHUNKED_PTXAS_OPT", ("default", "0", "1", "2", "3"), default_opt)
        self.ptx_options = None if opt == "default" else f"--opt-level {opt}"
        # fp32 `tf32` merges on blocks too since session 12: its inverse launch then compiles to the very instructions
        # of the tf32x3 one (benchmarks/sass_identity.py, Triton 3.6.0; the other launches are unchanged by the merge),
        # which took 877 us on the H200 at n_h 2 against 1316 us for `tf32`'s four-product merge, with outputs and
        # gradients within 1.3e-6 of float64 (benchmarks/results/fp32_h200.json session12, sass_identity_cpu.json).
        default_merge = (
            "full" if dtype == torch.float32 and not self.fp32_x3 and precision != "tf32" else "blocks"
        )
        # DELTAPROOF_CHUNKED_WY_GRAM: where the WY inverse gets the entries of A = strict lower part of
        # diag(beta) K K^T from. "blocks" (sessions 1-11): each 16 x 16 diagonal block from its own [16, 16]
        # product for the substitution, then the full [64, 64] product again for the merge's off-diagonal blocks;
        # "once": one [64, 64] product, all of A stored to the scratch once. The same products entry by entry, so
        # the values differ only by how the hardware sums a dot of another shape (rounding level; gated, the
        # diagonal blocks' exp(G_i - G_j) from chunk rather than block prefix sums). Why: on the H200 (session 12,
        # fp32, n_h 2) the inverse launch took 3.2-3.6 ms with these products at tf32x3 against 1.07 ms at tf32,
        # so fp32's products of K K^T, 16-row ones included, are most of its cost.
        # Timed (values alternated in one process, benchmarks/results/launch_sweep_h200.json session12): the
        # inverse launch 654 -> 582 us (bf16, n_h 2), 743 -> 626 us gated, 3395 -> 877 us (fp32 tf32x3); bf16
        # forward 4.5-6.5% faster ungated and 6-7% gated at n_h 1-4. The default since session 12.
        self.wy_gram = env_choice("DELTAPROOF_CHUNKED_WY_GRAM", ("blocks", "once"), "once")
        # DELTAPROOF_CHUNKED_SCORES: where the forward scan gets the output scores P = scale (Q K^T) * mask
        # (gated: * exp(Gq_t - G_j)), which do not depend on the state: "scan" forms them in every chunk step and
        # V block; "stored" has the WY kernel's W/U step form them once per chunk, rounded to the dot type as the
        # product P D reads them, and the scan load them (the same operations, so the same values; ignored with
        # DELTAPROOF_CHUNKED_OUT=parallel, whose output kernel forms P itself). H200, session 12, gated bf16 forward
        # alternated in one process: 1.922 -> 1.873 ms at n_h 2 (scan 854 -> 699 us, but the W/U launch 435 -> 544),
        # 2.887 -> 2.904 ms at n_h 3 (benchmarks/results/launch_sweep_h200.json session12). Session 13, after the
        # queries' load was moved ahead of the W/U work and the ungated W/U launch capped (gated, values alternated
        # in one process, launch_sweep_h200.json session13): forward 1.093 -> 1.048 / 1.919 -> 1.878 / 2.873 ->
        # 2.894 / 3.328 -> 3.335 ms at n_h 1-4, forward+backward 4.290 -> 4.268 / 6.931 -> 6.979 / 10.61 -> 10.66 /
        # 12.49 -> 12.65 ms; ungated 3-5% slower at every n_h. Session 14: together with stored gates and the
        # scan's stages re-tuned, faster for every gated n_h, so the default ("auto", _scores_form) follows
        # _FWD_SCAN_TUNED: "stored" for gated calls at bf16/fp16, K tiles of 128. A variant forming them in the
        # inverse launch instead was slower at every n_h (1.09 -> 1.36 ms at n_h 1; commit 00d7038,
        # kernels/README.md §6).
        self.scores = env_choice("DELTAPROOF_CHUNKED_SCORES", ("auto", "scan", "stored"), "auto")
        self.wy_merge = env_choice("DELTAPROOF_CHUNKED_WY_MERGE", ("full", "blocks"), default_merge)
        # DELTAPROOF_CHUNKED_SCAN_BV: V blocks of the two sequential scans, 64 or 32. Since session 7 both scans run
        # with 4 warps for bf16/fp16 at K tiles of 128 (smaller tiles had 4 already; K = 256 and fp32 keep 8 warps,
        # unmeasured there) and V blocks of 64 at every n_h. H200 sweep (benchmarks/results/launch_sweep_h200.json, K = V = 128,
        # ungated, values alternated in one process; every setting bitwise equal to the others): no-grad forward
        # 0.85x (n_h 1, against 32/4), 0.85x (n_h 2), 0.89x (n_h 3), 0.85x (n_h 4) of the session-6 defaults
        # (64/8 above n_h = 1); forward+backward with the backward scan at 64/4 0.98x (n_h 1), 0.95x (n_h 2).
        # 32 with 8 warps, 32 with 2 warps and 3 stages were slower. Session 6 (calls 1, 2): the 17-shape gradient
        # check passed with 32, which was bitwise equal to 64.
        narrow = env_choice("DELTAPROOF_CHUNKED_SCAN_BV", ("64", "32"), "64") == "32"
        scan_bv = min(self.bv, 32) if narrow else self.bv
        tuned16 = dtype != torch.float32 and self.bk == 128  # the geometry the sweep measured
        self.tuned16 = tuned16
        scan_warps = 4 if tuned16 else self.warps
        # ... and, at n_h >= 2, without software pipelining (1 stage): H200, same sweep on top of 64/4, bitwise equal
        # values: forward 0.98x / 0.95x / 0.98x and forward+backward with the backward scan at 1 stage 0.955x /
        # 0.97x / 0.98x at n_h 2 / 3 / 4; at n_h = 1 the forward was 1.07x slower and the backward 1.00x, so 2 there.
        scan_stages = 1 if tuned16 and n >= 2 else self.stages
        # Sessions 14 and 15 (H200, gated and ungated, values alternated in one process) re-timed both scans on
        # today's kernels: at the tuned geometry their stages come from _FWD_SCAN_TUNED and _BWD_SCAN_STAGES at the
        # launch, which knows whether the call is gated (None here); elsewhere the rule above.
        fwd_scan_stages = None if tuned16 else scan_stages
        bwd_scan_stages = None if tuned16 else scan_stages
        # Tm as a dot operand of the forward WY factors (tm_form's docstring says why split is the default).
        tm = tm_form()
        self.tm_split = tm == "split" and dtype != torch.float32
        self.bks = min(self.bk, 64)
        self.nkb = triton.cdiv(dims.K, self.bks)
        # Launch geometry per kernel (warps, pipelining stages, the scans' V blocks), the one record of it the
        # launches read. None of these changes what a program computes, only how Triton lays it out;
        # DELTAPROOF_CHUNKED_LAUNCH overrides them for tuning (launch_overrides' docstring).
        # DELTAPROOF_CHUNKED_WY_SPLIT: the WY kernel as one launch ("fused") or two ("split": the inverse, steps
        # 1-2, Tm stored in fp32 as the backward needs it anyway; then W and U from the stored Tm, step 3; fla's
        # layout). The same dots on the same values: bitwise the same results (CPU test; H200, session 8: outputs
        # and gradients at 7 shapes, K = 32-128, bf16/fp16, gated and not). The inverse on its own no longer shares
        # its launch with step 3's [64, 128] fp32 tiles, so it runs best at 2 warps (its substitution reduces across
        # threads every step: fewer warps, cheaper steps); W/U keeps 4 (2 or 8 were slower). H200, K = V = 128, bf16, values
        # alternated in one process, all bitwise equal (benchmarks/results/launch_sweep_h200.json, session 8): time
        # against the fused kernel at 4 warps, forward / forward+backward, 0.88 / 0.96 (n_h 1), 0.86 / 0.95 (n_h 2),
        # 0.85 / 0.95 (n_h 4) ungated, 0.91-0.93 / 0.97-0.98 gated; split at 4 warps alone gained 0-4% (gated lost 3%).
        # The default for bf16/fp16 at K tiles of 128, where it was measured; elsewhere fused at 4 warps as before.
        # fp32 at K tiles of 128 splits too, each launch at 4 warps (session 12, n_h 2 forward: tf32x3 13.93 ->
        # 11.68 ms, tf32 9.04 -> 6.59 ms; the inverse at 2 or 8 warps was slower; benchmarks/results/fp32_h200.json).
        fp32_128 = dtype == torch.float32 and self.bk == 128
        self.wy_split = (
            env_choice(
                "DELTAPROOF_CHUNKED_WY_SPLIT", ("fused", "split"), "split" if tuned16 or fp32_128 else "fused"
            )
            == "split"
        )
        wy_warps = 2 if self.wy_split and tuned16 else 4
        self.launch = {
            "wy_warps": wy_warps,
            "wyapply_warps": 4,
            "scan_bv": scan_bv,
            "scan_warps": scan_warps,
            "scan_stages": fwd_scan_stages,
            "bscan_bv": scan_bv,
            "bscan_warps": scan_warps,
            "bscan_stages": bwd_scan_stages,
            "kblock_warps": 4,
            "kblock_stages": self.stages,
            "chunk_warps": self.warps,
            # _fwd_outblk_kernel (DELTAPROOF_CHUNKED_OUT=parallel/blocks only): the session-6 geometry of the
            # per-chunk output kernel it replaced, unmeasured otherwise
            "out_warps": self.warps,
            "out_stages": self.stages,
            # register caps per thread (ptxas .maxnreg; 0: the compiler's choice). The latency-bound kernels run
            # as many programs per SM as registers allow (65536 / (regs x threads)), so a cap a few registers
            # under a boundary buys a program per SM at the price of possible spills; the GPU timing decides.
            "wy_regs": 0,
            # None: the default below, by whether the call is gated (the launch site knows, this record does not)
            "wyapply_regs": None,
            "scan_regs": None if tuned16 else 0,  # None: by the tuned table at the launch (_scan_regs)
            "bscan_regs": 0,
            "kblock_regs": 0,
            "chunk_regs": 0,
        }
        # The W/U launch of the split WY kernel, gated, at 168 registers per thread. Uncapped, Triton 3.6 gives it
        # 172 on the H200 (152 ungated): two 4-warp programs per SM, not three (65536 / (176 x 128)), and the launch,
        # latency-bound on its loads, took 511 against 398 us ungated (Nsight Compute, n_h 2, session 11). Capped:
        # the WY kernel 1268 -> 1182 us, gated forward 2.133 -> 2.053 ms (n_h 2) and 3.785 -> 3.620 ms (n_h 4);
        # ungated the cap gained nothing (1.652 -> 1.655 ms), so it stays uncapped there
        # (benchmarks/results/launch_sweep_h200.json, session11; values alternated in one process).
        self.wyapply_regs_gated = 168 if self.wy_split and tuned16 else 0
        # a scan's V block may exceed the other kernels' BV (<= 64) up to the padded V (scan_bv=128: one program per
        # sequence and head at V = 128), never past it
        vpad = max(16, next_pow2(dims.V))
        for key, value in launch_overrides().items():
            self.launch[key] = min(value, vpad) if key.endswith("bv") else value


# 0 (no cap) or a register count per thread that ptxas accepts as .maxnreg (24-255)
_REG_CAPS = (0, *range(24, 256))

_LAUNCH_KEYS = {
    "wy_warps": (1, 2, 4, 8, 16),
    "wyapply_warps": (1, 2, 4, 8, 16),
    "scan_bv": (16, 32, 64, 128),
    "scan_warps": (1, 2, 4, 8, 16),
    "scan_stages": (1, 2, 3, 4),
    "bscan_bv": (16, 32, 64, 128),
    "bscan_warps": (1, 2, 4, 8, 16),
    "bscan_stages": (1, 2, 3, 4),
    "kblock_warps": (1, 2, 4, 8, 16),
    "kblock_stages": (1, 2, 3, 4),
    "chunk_warps": (1, 2, 4, 8, 16),
    "out_warps": (1, 2, 4, 8, 16),
    "out_stages": (1, 2, 3, 4),
    **{f"{kern}_regs": _REG_CAPS for kern in ("wy", "wyapply", "scan", "bscan", "kblock", "chunk")},
}
# the accepted form in DELTAPROOF_CHUNKED_LAUNCH's error message
_LAUNCH_EXPECTED = (
    "comma-separated key=value with "
    + ", ".join(f"{k} in {'0 or 24-255' if v is _REG_CAPS else v}" for k, v in _LAUNCH_KEYS.items())
    + ";"
)


def _out_blocks(cfg: _Config) -> int:
    """Chunks per output block of DELTAPROOF_CHUNKED_OUT=blocks: as many whole chunks as fit in 64 tokens."""
    return max(1, CHUNK_ROWS // cfg.tc)


# The forward scan's form at the tuned geometry (bf16/fp16, K tiles of 128), by (gated, n_h, saved for a backward):
# its pipelining stages, where its output scores come from (DELTAPROOF_CHUNKED_SCORES), where its row gates come
# from (DELTAPROOF_CHUNKED_SCAN_GATES), its register cap and how it forms the output tile
# (DELTAPROOF_CHUNKED_SCAN_OUT, since session 16; the entries below say what it measured). Measured on the H200 in
# session 14, B=8 T=4096 H=16 K=V=128, the settings alternated in one process over two rounds
# (benchmarks/results/launch_sweep_h200.json session14, calls 2-4; kernels/README.md §6). Old default -> this
# table, forward without grad / forward+backward, ms:
#   ungated  n_h 1 0.884 -> 0.840 / 3.064 (kept)   n_h 2 1.565 -> 1.427 / 5.45 -> 5.19
#            n_h 3 2.446 -> 2.220 / 8.36 -> 7.96    n_h 4 2.912 -> 2.660 / 10.12 -> 9.64
#   gated    n_h 1 1.050 -> 1.008 / 4.283 (kept)    n_h 2 1.920 -> 1.780 / 6.926 -> 6.899
#            n_h 3 2.873 -> 2.725 / 10.603 -> 10.566  n_h 4 3.325 -> 2.952 / 12.483 -> 12.326
# At n_h 1 the forward alone and the forward that saves for a backward want different forms (ungated: 1 stage
# 0.840 against 0.884 ms alone, but 3.087 against 3.064 ms with the backward; gated: stored gates 1.008 against
# 1.050 ms alone, 4.350 against 4.283 ms with it), so the table has both. Why the forms move: offline (Triton 3.6.0,
# benchmarks/resources_sm90.py) the fused scan sits at 255 registers; storing the scores and the gates in the WY
# launches takes the gated n_h 3 scan to 244 without spills (2 programs per SM); two stages overlap the next chunk's
# loads with the current chunk's dots where registers allow. Above n_h 4 (unmeasured) the n_h 4 entry applies.
# Gates are "cumsum" where the call is ungated (nothing to store).
_FWD_SCAN_TUNED = {
    # (gated, n_h, save): (stages, scores, gates, register cap (0: uncapped), output tile form)
    (False, 1, False): (1, "scan", "cumsum", 0, "rows"),
    (False, 1, True): (2, "scan", "cumsum", 0, "rows"),
    **{(False, n, save): (2, "scan", "cumsum", 0, "rows") for n in (2, 3, 4) for save in (False, True)},
    (True, 1, False): (2, "stored", "stored", 0, "rows"),
    (True, 1, True): (2, "stored", "cumsum", 0, "rows"),
    **{(True, n, save): (1, "stored", "stored", 0, "rows") for n in (2, 3) for save in (False, True)},
    # gated n_h 3, forward alone: the output tile transposed with 2 stages, uncapped (session 16 calls 1-2, alternated
    # in one process: 2.745 / 2.742 / 2.747 / 2.739 -> 2.521 / 2.514 / 2.516 / 2.515 ms). Before it, session 14's
    # rows with 1 stage and a cap of 240 registers (2.768 -> 2.725 ms; 232: 2.737, 248: 2.761). With a backward the
    # same form was slower (10.51 -> 11.14 ms), as was cols with 1 stage (2.89 ms).
    (True, 3, False): (2, "stored", "stored", 0, "cols"),
    # gated n_h 4: cols, 2.957 / 2.963 -> 2.943 / 2.944 ms alone, 12.386 / 12.403 -> 12.263 / 12.267 ms with a
    # backward (session 16 call 2). Ungated cols was slower at n_h 2-4 (1.43 -> 1.48, 2.23 -> 2.40, 2.67 -> 2.80 ms
    # alone, 5.2-9.3 -> 5.6-9.9 ms with a backward), as was gated n_h 2 (1.786 -> 1.899 / 1.796 ms).
    **{(True, 4, save): (2, "stored", "stored", 0, "cols") for save in (False, True)},
}


# The backward scan's pipelining stages at the tuned geometry (16-bit inputs, K tiles of 128), keyed (gated, n_h; n_h
# above 4 as 4). H200, session 15 call 3 (bash benchmarks/gpu_session15c.sh; launch_sweep_h200.json session15),
# forward+backward at B=8 T=4096 H=16 K=V=128 bf16, stages 1 and 2 alternated in one process over two rounds, ms:
# ungated 2.958 / 3.063 (n_h 1), 5.205 / 5.210 (2), 7.989 / 7.959 (3), 9.660 / 9.486 (4); gated 4.100 / 4.301,
# 6.914 / 6.913, 10.579 / 10.480, 12.353 / 12.441. The session-7 rule (2 at n_h 1, else 1) had it backwards at
# n_h 1. Offline (Triton 3.6.0) the ungated n_h 1 scan takes 255 registers either way, but 2 stages spill 16 B and
# fit one program per SM where 1 stage fits two.
_BWD_SCAN_STAGES = {
    (False, 1): 1,
    (False, 2): 1,
    (False, 3): 2,
    (False, 4): 2,
    (True, 1): 1,
    (True, 2): 1,
    (True, 3): 2,
    (True, 4): 1,
}


def _bscan_stages(cfg: _Config, gated: bool) -> int:
    """The backward scan's pipelining stages: ``bscan_stages`` of ``DELTAPROOF_CHUNKED_LAUNCH`` if set, else
    ``_BWD_SCAN_STAGES`` at the tuned geometry, else the backend's rule (``_Config.launch``)."""
    stages = cfg.launch["bscan_stages"]
    return stages if stages is not None else _BWD_SCAN_STAGES[(gated, min(cfg.n_h, 4))]


def _fwd_scan_tuned(cfg: _Config, gated: bool, save: bool) -> tuple[int, str, str, int, str] | None:
    """The ``_FWD_SCAN_TUNED`` entry of a call, or None outside the tuned geometry (16-bit inputs, K tiles of 128)."""
    if not cfg.tuned16:
        return None
    return _FWD_SCAN_TUNED[(gated, min(cfg.n_h, 4), save)]


def _scores_form(cfg: _Config, gated: bool) -> str:
    """Where the forward scan gets its output scores: ``DELTAPROOF_CHUNKED_SCORES`` if set to ``scan`` or
    ``stored``; by default (``auto``) the tuned table's choice at 16-bit inputs and K tiles of 128
    (``_FWD_SCAN_TUNED``: stored for every gated call), else ``scan``."""
    if cfg.scores != "auto":
        return cfg.scores
    tuned = _fwd_scan_tuned(cfg, gated, False)  # the same with and without a backward
    return tuned[1] if tuned else "scan"


def _gates_form(cfg: _Config, gated: bool, save: bool) -> str:
    """Where the forward scan gets the chunk's summed row gates: ``DELTAPROOF_CHUNKED_SCAN_GATES`` if set; by default
    the tuned table's choice (``_FWD_SCAN_TUNED``; ``save``: the forward saves for a backward), else ``cumsum``
    (summed in the scan). Ungated: ``cumsum``."""
    if not gated:
        return "cumsum"
    if cfg.scan_gates != "auto":
        return cfg.scan_gates
    tuned = _fwd_scan_tuned(cfg, gated, save)
    return tuned[2] if tuned else "cumsum"


def _scan_out_form(cfg: _Config, gated: bool, save: bool) -> str:
    """How the forward scan forms a chunk's output tile: ``DELTAPROOF_CHUNKED_SCAN_OUT`` if set to ``rows`` or
    ``cols``; by default (``auto``) the tuned table's choice (``_FWD_SCAN_TUNED``) at the tuned geometry, else
    ``rows``."""
    if cfg.scan_out != "auto":
        return cfg.scan_out
    tuned = _fwd_scan_tuned(cfg, gated, save)
    return tuned[4] if tuned else "rows"


def _scan_stages(cfg: _Config, gated: bool, save: bool) -> int:
    """The forward scan's pipelining stages: ``scan_stages`` of ``DELTAPROOF_CHUNKED_LAUNCH`` if set, else the tuned
    table's (``_FWD_SCAN_TUNED``) at the tuned geometry, else the backend's rule (``_Config.launch``)."""
    stages = cfg.launch["scan_stages"]
    return stages if stages is not None else _fwd_scan_tuned(cfg, gated, save)[0]


def _scan_regs(cfg: _Config, gated: bool, save: bool) -> int:
    """The forward scan's register cap (0: the compiler's choice): ``scan_regs`` of ``DELTAPROOF_CHUNKED_LAUNCH`` if
    set, else the tuned table's (``_FWD_SCAN_TUNED``) at the tuned geometry, else 0."""
    regs = cfg.launch["scan_regs"]
    return regs if regs is not None else _fwd_scan_tuned(cfg, gated, save)[3]


def _wyapply_regs(cfg: _Config, gated: bool) -> int:
    """The W/U launch's register cap: the override if ``DELTAPROOF_CHUNKED_LAUNCH`` sets one, else the default
    by gating (``_Config.wyapply_regs_gated``), which also applies when the launch forms the output scores
    (``DELTAPROOF_CHUNKED_SCORES=stored``: offline, Triton 3.6.0, ungated n_h 2, 227 registers and 2 programs per SM
    uncapped, 168 with 8 B spilled and 3 capped); 0 means uncapped."""
    regs = cfg.launch["wyapply_regs"]
    if regs is None:
        return cfg.wyapply_regs_gated if gated or _scores_form(cfg, gated) == "stored" else 0
    return regs


def launch_overrides() -> dict[str, int]:
    """The launch parameters set by ``DELTAPROOF_CHUNKED_LAUNCH``, a comma-separated list of ``key=value``.

    Keys: ``wy_warps`` (the WY kernel; its inverse phase under ``DELTAPROOF_CHUNKED_WY_SPLIT=split``),
    ``wyapply_warps`` (the W/U phase under that split), ``scan_bv``/``scan_warps``/``scan_stages`` (the forward scan),
    ``bscan_bv``/``bscan_warps``/``bscan_stages`` (the backward scan), ``kblock_warps``/``kblock_stages``,
    ``chunk_warps`` (the chunk backward kernel), ``out_warps``/``out_stages`` (the output kernel of
    ``DELTAPROOF_CHUNKED_OUT=parallel`` and ``=blocks``), and a register cap per thread for each of these kernels,
    ``wy_regs``, ``wyapply_regs``, ``scan_regs``, ``bscan_regs``, ``kblock_regs``, ``chunk_regs`` (Triton's
    ``maxnreg``; 0 for none, else 24-255; the interpreter ignores it). Warps are 1-16 (powers of two), stages 1-4,
    V blocks 16, 32, 64 or 128 (capped at the call's V padded to a power of two; 128 at V = 128 runs one scan
    program per sequence and head, measured slower on the H200 except ungated at n_h 1, kernels/README.md §6).
    A tuning switch: these change the layout Triton compiles (and a register cap, how ptxas allocates), not the
    algorithm, so outputs stay at the same precision (a different reduction layout may round differently; a cap
    alone gave bitwise the same values on the H200).
    Unset or empty: no overrides.

    Examples
    --------
    >>> import os
    >>> os.environ["DELTAPROOF_CHUNKED_LAUNCH"] = "scan_bv=32, scan_warps=8"
    >>> launch_overrides()
    {'scan_bv': 32, 'scan_warps': 8}
    >>> del os.environ["DELTAPROOF_CHUNKED_LAUNCH"]
    """
    return parse_launch("DELTAPROOF_CHUNKED_LAUNCH", _LAUNCH_KEYS, _LAUNCH_EXPECTED)


def parse_launch(name: str, allowed: dict[str, tuple[int, ...]], expected: str) -> dict[str, int]:
    """The integer ``key=value`` items of the comma-separated environment variable ``name`` (unset or empty: none),
    each key one of ``allowed`` and its value among ``allowed[key]``; anything else is refused with ``expected``
    (the accepted form, in words) and the offending item. Shared by ``DELTAPROOF_CHUNKED_LAUNCH`` and
    ``DELTAPROOF_RECURRENT_LAUNCH``.

    Examples
    --------
    >>> import os
    >>> os.environ["DELTAPROOF_EXAMPLE_LAUNCH"] = "bv=8, warps=1"
    >>> parse_launch("DELTAPROOF_EXAMPLE_LAUNCH", {"bv": (8, 16), "warps": (1, 2)}, "bv=8|16 and warps=1|2,")
    {'bv': 8, 'warps': 1}
    >>> del os.environ["DELTAPROOF_EXAMPLE_LAUNCH"]
    """
    text = os.environ.get(name, "").strip()
    out: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = (x.strip() for x in item.partition("="))
        if not sep or key not in allowed or not value.isdigit() or int(value) not in allowed[key]:
            raise InvalidInput(f"{name}: expected {expected} got {item!r}")
        out[key] = int(value)
    return out


def tm_form() -> str:
    """How the 16-bit chunked forward feeds Tm = (I + A)^-1 to the dots W = Tm X and U = Tm bV.

    ``"split"`` (the default since session 5): Tm as two 16-bit parts, two dots (~16 significant bits of Tm).
    ``"single"``: Tm rounded once to the dot type, as fla does and as every figure before session 5 measured.
    In bf16 the rounding of Tm is what degrades learned A5 and S5 models by length 128; split restores them,
    lengthens the median bf16 horizon of the unit-key exact constructions 1.9-14x, costs +1.1-2.0% forward time and
    +0.2-0.6% forward+backward on the H200 (n_h 1-4), and its gradients match float64 at bf16/fp16 error level at every shape of
    the GPU check (kernels/README.md §6, benchmarks/results/tm_split_h200.json). fp32 has nothing to split.
    ``DELTAPROOF_CHUNKED_TM=single|split`` overrides.

    Examples
    --------
    >>> tm_form()
    'split'
    """
    return env_choice("DELTAPROOF_CHUNKED_TM", ("single", "split"), "split")


def _forward(q, k, v, beta, g, h0, dims: Dims, cfg: _Config, output_final_state: bool, save: bool):
    H, K, V, N = dims.H, dims.K, dims.V, dims.N
    L = dims.B * dims.T * dims.n_h
    cu, cseq, cidx, coff, nc = cfg.tables
    dev = q.device
    tmat = torch.empty(L, H, CHUNK_ROWS, dtype=torch.float32, device=dev)
    w = torch.empty(L, H, K, dtype=q.dtype, device=dev)
    u = torch.empty(L, H, V, dtype=q.dtype, device=dev)
    o = alloc((dims.B, dims.T, H, V), q.dtype, dev)
    ht = alloc((N, H, K, V), torch.float32, dev) if output_final_state else None
    out_parallel = cfg.out_form in ("parallel", "blocks")
    out_nb = _out_blocks(cfg) if cfg.out_form == "blocks" else 1  # chunks per output block (parallel: one)
    # The parallel output reads S0 rounded to the dot type only, so without a backward S0 is saved rounded.
    state16 = cfg.state16 if save else cfg.dt != tl.float32
    state_dtype = cfg.state_dtype if save else (q.dtype if state16 and not cfg.emu else torch.float32)
    hbuf = torch.empty(nc, H, K, V, dtype=state_dtype, device=dev) if save or out_parallel else None
    need_d = (save and cfg.bwd != "fused") or out_parallel
    dbuf = torch.empty(L, H, V, dtype=q.dtype, device=dev) if need_d else None
    p_stored = _scores_form(cfg, g is not None) == "stored" and not out_parallel
    g_stored = _gates_form(cfg, g is not None, save) == "stored"
    # the backward scan's stored gates (DELTAPROOF_CHUNKED_BSCAN_GATES) come from the same WY launch
    store_g = g_stored or (save and g is not None and cfg.bscan_gates == "stored")
    gbuf = torch.empty(L, H, dtype=torch.float32, device=dev) if store_g else None
    pbuf = (
        torch.empty(nc, H, cfg.bq, CHUNK_ROWS, dtype=torch.float32 if cfg.emu else q.dtype, device=dev)
        if p_stored
        else None
    )
    common = dict(
        K=K,
        V=V,
        N_H=dims.n_h,
        TC=cfg.tc,
        BC=CHUNK_ROWS,
        BK=cfg.bk,
        BV=cfg.bv,
        HAS_G=g is not None,
        DT=cfg.dt,
        EMU=cfg.emu,
        PREC=cfg.prec,
        ptx_options=cfg.ptx_options,  # a compile option, not a constexpr: see _Config.ptx_options
    )
    # DELTAPROOF_CHUNKED_WY_SPLIT=split: the WY kernel as two launches (the inverse, then W and U from the stored Tm)
    phases = (
        (
            (1, cfg.launch["wy_warps"], cfg.launch["wy_regs"]),
            (2, cfg.launch["wyapply_warps"], _wyapply_regs(cfg, g is not None)),
        )
        if cfg.wy_split
        else ((0, cfg.launch["wy_warps"], cfg.launch["wy_regs"]),)
    )
    for phase, warps, regs in phases if nc else ():
        _wy_fwd_kernel[(nc, H)](
            k,
            v,
            beta,
            g if g is not None else beta,
            tmat,
            w,
            u,
            cu,
            cseq,
            cidx,
            q,
            pbuf if pbuf is not None else tmat,
            gbuf if gbuf is not None else tmat,
            dims.scale,
            H,
            SUB=_SUB,
            BQ=cfg.bq,
            STORE_P=p_stored,
            STORE_G=store_g,
            INV_PREC=cfg.inv_prec,
            KK_PREC=cfg.kk_prec,
            TM_SPLIT=cfg.tm_split,
            MERGE_BLOCKS=cfg.wy_merge == "blocks",
            GRAM_ONCE=cfg.wy_gram == "once",
            PHASE=phase,
            num_warps=warps,
            num_stages=1,
            maxnreg=regs or None,
            **common,
        )
    _fwd_scan_kernel[(triton.cdiv(V, cfg.launch["scan_bv"]), N * H)](
        q,
        k,
        w,
        u,
        g if g is not None else beta,
        h0 if h0 is not None else q,
        o,
        ht if ht is not None else o,
        hbuf if hbuf is not None else o,
        dbuf if dbuf is not None else o,
        cu,
        coff,
        pbuf if pbuf is not None else o,
        gbuf if gbuf is not None else o,
        dims.scale,
        H,
        BQ=cfg.bq,
        P_STORED=p_stored,
        G_STORED=g_stored,
        # without a backward the block output reads only the states that start its blocks (fla stores no others)
        SAVE_EVERY=1 if save else out_nb,
        HAS_H0=h0 is not None,
        STORE_HT=output_final_state,
        SAVE_H=hbuf is not None,
        SAVE_D=dbuf is not None,
        STATE16=state16,
        OUT_IN_SCAN=not out_parallel,
        DECAY_D=cfg.decay == "values",
        OUT_T=_scan_out_form(cfg, g is not None, save) == "cols",
        num_warps=cfg.launch["scan_warps"],
        num_stages=_scan_stages(cfg, g is not None, save),
        maxnreg=_scan_regs(cfg, g is not None, save) or None,
        **{**common, "BV": cfg.launch["scan_bv"]},
    )
    if out_parallel and nc:
        _fwd_outblk_kernel[(nc, H, triton.cdiv(V, cfg.bv))](
            q,
            k,
            g if g is not None else beta,
            hbuf,
            dbuf,
            o,
            cu,
            cseq,
            cidx,
            dims.scale,
            H,
            NB=out_nb,
            BQB=next_pow2(out_nb * cfg.tc),
            num_warps=cfg.launch["out_warps"],
            num_stages=cfg.launch["out_stages"],
            **common,
        )
    return o, ht, (w, u, tmat, hbuf, dbuf, gbuf if save else None)


def _backward(q, k, v, beta, g, saved, do, dht, need_dh0, dims: Dims, cfg: _Config):
    w, u, tmat, hbuf, dbuf, gbuf = saved
    g_stored = g is not None and cfg.bscan_gates == "stored"  # the forward stored gbuf then (_forward)
    H, K, V, N = dims.H, dims.K, dims.V, dims.N
    cu, cseq, cidx, coff, nc = cfg.tables
    dev = q.device
    L = dims.B * dims.T * dims.n_h
    dd = torch.empty(L, H, V, dtype=cfg.buf16_dtype if cfg.dd16 else torch.float32, device=dev)
    dhbuf = torch.empty(nc, H, K, V, dtype=cfg.state_dtype, device=dev)
    dh0 = alloc((N, H, K, V), torch.float32, dev) if need_dh0 else None
    dq = alloc(q.shape, q.dtype, dev)
    dk = alloc(k.shape, k.dtype, dev)
    dv = alloc(v.shape, v.dtype, dev)
    db = alloc(beta.shape, torch.float32, dev)
    dg = alloc(g.shape, torch.float32, dev) if g is not None else None
    common = dict(
        K=K,
        V=V,
        N_H=dims.n_h,
        TC=cfg.tc,
        BC=CHUNK_ROWS,
        BQ=cfg.bq,
        BK=cfg.bk,
        BV=cfg.bv,
        HAS_G=g is not None,
        DT=cfg.dt,
        EMU=cfg.emu,
        PREC=cfg.prec,
        ptx_options=cfg.ptx_options,  # a compile option, not a constexpr: see _Config.ptx_options
    )
    gg = g if g is not None else beta
    dd_local = cfg.dd_local == "parallel"
    if dd_local and nc:
        _bwd_local_kernel[(nc, H)](
            q,
            k,
            gg,
            do,
            dd,
            cu,
            cseq,
            cidx,
            dims.scale,
            H,
            num_warps=cfg.warps,
            num_stages=cfg.stages,
            **common,
        )
    _bwd_scan_kernel[(triton.cdiv(V, cfg.launch["bscan_bv"]), N * H)](
        q,
        k,
        w,
        gg,
        do,
        dht if dht is not None else do,
        dh0 if dh0 is not None else do,
        dhbuf,
        dd,
        cu,
        coff,
        gbuf if g_stored else do,
        dims.scale,
        H,
        HAS_DHT=dht is not None,
        STORE_DH0=need_dh0,
        STATE16=cfg.state16,
        DD_LOCAL=dd_local,
        SCALE_DD=cfg.ds_scale_dd,
        DD16=cfg.dd16,
        G_STORED=g_stored,
        num_warps=cfg.launch["bscan_warps"],
        num_stages=_bscan_stages(cfg, g is not None),
        maxnreg=cfg.launch["bscan_regs"] or None,
        **{**common, "BV": cfg.launch["bscan_bv"]},
    )
    split = cfg.bwd != "fused"  # the forward saved D for it (dbuf)
    if nc and split:
        # the state V-contractions per (chunk, head, K block), into fp32 buffers the chunk kernel reads
        Lq = dims.B * dims.T
        dwb = torch.empty(L, H, K, dtype=cfg.buf16_dtype if cfg.dw16 else torch.float32, device=dev)
        dksb = torch.empty(L, H, K, dtype=cfg.buf16_dtype if cfg.part16 else torch.float32, device=dev)
        dqib = torch.empty(Lq, H, K, dtype=cfg.buf16_dtype if cfg.dqi16 else torch.float32, device=dev)
        nkbp = next_pow2(cfg.nkb)  # tl.arange needs a power of two; padding entries stay 0
        dglb = torch.zeros(nc, H, nkbp, dtype=torch.float32, device=dev)
        _bwd_kblock_kernel[(nc, H, cfg.nkb)](
            q,
            dbuf,
            hbuf,
            dhbuf,
            dd,
            do,
            dwb,
            dksb,
            dqib,
            dglb,
            cu,
            cseq,
            cidx,
            H,
            K=K,
            V=V,
            N_H=dims.n_h,
            TC=cfg.tc,
            BC=CHUNK_ROWS,
            BQ=cfg.bq,
            NKB=nkbp,
            BKS=cfg.bks,
            BV=cfg.bv,
            DT=cfg.dt,
            EMU=cfg.emu,
            PREC=cfg.prec,
            DW16=cfg.dw16,
            PART16=cfg.part16,
            DQI16=cfg.dqi16,
            num_warps=cfg.launch["kblock_warps"],
            num_stages=cfg.launch["kblock_stages"],
            maxnreg=cfg.launch["kblock_regs"] or None,
            ptx_options=cfg.ptx_options,
        )
    else:
        dwb = dksb = dqib = dglb = dd
        nkbp = 1
    if nc:
        _bwd_chunk_kernel[(nc, H)](
            q,
            k,
            v,
            beta,
            gg,
            w,
            u,
            tmat,
            hbuf,
            dhbuf,
            dd,
            do,
            dbuf if split else dd,
            dwb,
            dksb,
            dqib,
            dglb,
            dq,
            dk,
            dv,
            db,
            dg if dg is not None else db,
            cu,
            cseq,
            cidx,
            dims.scale,
            H,
            INV_PREC=cfg.bwd_inv_prec,
            KK_PREC=cfg.kk_prec,
            SPLIT=split,
            NKB=nkbp,
            BWD_INV_LOW=cfg.bwd_inv == "16bit",
            num_warps=cfg.launch["chunk_warps"],
            num_stages=1,
            maxnreg=cfg.launch["chunk_regs"] or None,
            **common,
        )
    return dq, dk, dv, db, dg, dh0


class _ChunkedFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, q, k, v, beta, g, h0, dims, cfg, output_final_state, grad_mode):
        gf = None if g is None else g.float().contiguous()
        # needs_input_grad is set under torch.no_grad as well; saving then would only cost time and memory
        save = grad_mode and any(ctx.needs_input_grad[:6])
        o, ht, saved = _forward(q, k, v, beta, gf, h0, dims, cfg, output_final_state, save)
        if save:
            ctx.save_for_backward(q, k, v, beta, gf, *saved)
            ctx.dims, ctx.cfg = dims, cfg
            ctx.g_dtype = None if g is None else g.dtype
            ctx.h0_dtype = None if h0 is None else h0.dtype
        if ht is not None:
            return o, ht
        return o, None

    @staticmethod
    def backward(ctx, do, dht):
        q, k, v, beta, gf, w, u, tmat, hbuf, dbuf, gbuf = ctx.saved_tensors
        do = do.contiguous()
        dht = None if dht is None else dht.contiguous()
        need_dh0 = ctx.needs_input_grad[5]
        dq, dk, dv, db, dg, dh0 = _backward(
            q, k, v, beta, gf, (w, u, tmat, hbuf, dbuf, gbuf), do, dht, need_dh0, ctx.dims, ctx.cfg
        )
        db = db.to(beta.dtype)
        dg = None if dg is None else dg.to(ctx.g_dtype)
        dh0 = None if dh0 is None else dh0.to(ctx.h0_dtype)
        return dq, dk, dv, db, dg, dh0, None, None, None, None


def deltaproduct_chunked(
    q,
    k,
    v,
    beta,
    *,
    dims: Dims,
    g=None,
    initial_state=None,
    output_final_state=False,
    precision: str = "ieee",
):
    """Run the chunked Triton kernels on validated inputs; differentiable through torch.autograd.

    ``o`` has ``q``'s dtype and the final state is float32. ``precision`` picks the fp32 ``tl.dot`` mode:
    ``"ieee"`` (default) or ``"tf32"``; it does not affect bf16/fp16 inputs.

    Examples
    --------
    >>> import os, torch
    >>> from kernels import deltaproduct
    >>> if torch.cuda.is_available() or os.environ.get("TRITON_INTERPRET") == "1":
    ...     dev = "cuda" if torch.cuda.is_available() else "cpu"
    ...     q = torch.randn(1, 5, 1, 16, device=dev)
    ...     k = torch.nn.functional.normalize(torch.randn(1, 10, 1, 16, device=dev), dim=-1)
    ...     v = torch.randn(1, 10, 1, 16, device=dev); b = torch.rand(1, 10, 1, device=dev) * 2
    ...     o, _ = deltaproduct(q, k, v, b, num_householder=2, backend="chunked")
    ...     r, _ = deltaproduct(q, k, v, b, num_householder=2, backend="reference")
    ...     assert torch.allclose(o, r, atol=1e-4)
    """
    check_triton_device(q, "chunked")
    cfg = _Config(dims, q.dtype, q.device, precision)
    grad_mode = torch.is_grad_enabled()
    return _ChunkedFunction.apply(q, k, v, beta, g, initial_state, dims, cfg, output_final_state, grad_mode)
