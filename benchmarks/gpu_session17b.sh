# H200, session 17 call 2. Carry `.whl` (make wheels); ~4 minutes (timeout_s 420).
# Call 1 (gpu_session17a.sh) timed the recurrent backend in fp32 next to fla's fp32 path (its fused recurrent
# kernel): the `ahead` form with V blocks of 16 on 1 warp was 1.70 / 2.45 / 2.69 / 2.55x fla at n_h 1-4 (ungated),
# 1.43x gated n_h 2, at 4-7e-7 error. DELTAPROOF_RECURRENT_UPDATE=one (new: fla's single rank-1 update per step,
# S += k (beta (v - k^T S))^T, instead of the reference's two; offline 248 -> 184 FFMA per row at n_h 1) takes one
# [K, BV] pass off every step. This times it under launches around call 1's best, ungated n_h 1-4 then gated n_h 1-4.
# Back: s17b_rec.json, s17b_rec_gated.json
P=s17b
source benchmarks/recurrent_gpu_lib.sh
F=DELTAPROOF_RECURRENT_FORM=ahead
L=DELTAPROOF_RECURRENT_LAUNCH
U=DELTAPROOF_RECURRENT_UPDATE=one
# the first setting is call 1's best (`two` was the default then; named here since `one` is the default now)
S="$F+$L=bv=16,warps=1+DELTAPROOF_RECURRENT_UPDATE=two $F+$L=bv=16,warps=1+$U $F+$L=bv=8,warps=1+$U $F+$L=bv=32,warps=1+$U $F+$L=bv=32,warps=2+$U $F+$L=bv=16,warps=2+$U $F+$L=bv=64,warps=4+$U"
run rec 240 $S --n-h 1 2 3 4
run rec_gated 150 $S --gated --n-h 1 2 3 4
