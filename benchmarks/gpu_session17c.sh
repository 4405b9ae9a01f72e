# H200, session 17 call 3. Carry `.whl` (make wheels); ~4 minutes (timeout_s 420).
# Call 2 (gpu_session17b.sh): DELTAPROOF_RECURRENT_UPDATE=one (fla's single rank-1 update) with V blocks of 16 or
# 32 on 1 warp took the recurrent fp32 forward to 2.04-2.11 / 3.05 / 3.27-3.36 / 3.59x fla's fp32 path at n_h 1-4
# (ungated). DELTAPROOF_RECURRENT_OUTPUT=folded (new) forms a token's output from the state before its last step,
# S^T q + (k . q) u, in the same pass as that step's k^T S, instead of a pass over the updated state; this times it
# (and the `tokens` form under it, to see whether the look-ahead still matters), ungated n_h 1-4 then gated.
# Back: s17c_rec.json, s17c_rec_gated.json
# DELTAPROOF_RECURRENT_OUTPUT exists only at commit 01aff05 (removed after this call: slower); to re-run the call,
# check out 01aff05 and run that commit's version of this script (this one sources a later helper).
P=s17c
source benchmarks/recurrent_gpu_lib.sh
F=DELTAPROOF_RECURRENT_FORM=ahead
L=DELTAPROOF_RECURRENT_LAUNCH
U=DELTAPROOF_RECURRENT_UPDATE=one
O=DELTAPROOF_RECURRENT_OUTPUT=folded
S="$F+$L=bv=16,warps=1+$U $F+$L=bv=16,warps=1+$U+$O $F+$L=bv=32,warps=1+$U+$O $F+$L=bv=32,warps=2+$U+$O DELTAPROOF_RECURRENT_FORM=tokens+$L=bv=16,warps=1+$U+$O"
run rec 240 $S --n-h 1 2 3 4
run rec_gated 150 $S --gated --n-h 1 2 3 4
