# H200, session 10 call 3 (`.whl` not needed). The gated forward (0.94 / 0.86 / 0.94x fla at n_h 2-4 in session 9):
# DELTAPROOF_CHUNKED_DECAY=values puts the forward scan's in-chunk decay exp(Glast - G) on D [BC, BV] instead of on
# K [BC, BK] (fla's placement). Offline (resources_sm90.py, Triton 3.7.1, bf16 K = V = 128) the gated scan's SASS
# goes from 2152 to 1792 instructions at n_h 2 and 2112 to 1688 at n_h 3, spills 88 -> 68 B at n_h 2.
# (1) its outputs and gradients against the defaults (forms_equal_gpu.py) and the 17-shape gradient check under it,
#     in parallel; (2) gated time, forward and forward+backward, n_h 1-4, alternated in one process: keys, values,
#     values with the WY inverse at 4 warps (offline: no spills gated, 248 registers, against 136 B of spills at 2),
#     values with the forward scan's V blocks of 32; per-kernel profile at n_h 2 for each.
# Run from the repo root on the device: bash benchmarks/gpu_session10c.sh. Back: s10c_* (.json and .log).
# (As run at 4dc7d2a it spelled out gpu_switch_check.sh's steps inline, with the same commands and a 360 s timing
# limit; it now calls that script.)
S=DELTAPROOF_CHUNKED_DECAY=values
AB_TIMEOUT=360 bash benchmarks/gpu_switch_check.sh s10c "$S" DELTAPROOF_CHUNKED_DECAY \
  "keys,values,$S+DELTAPROOF_CHUNKED_LAUNCH=wy_warps=4,$S+DELTAPROOF_CHUNKED_LAUNCH=scan_bv=32" fwd --gated-only
