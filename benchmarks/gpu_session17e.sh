# H200, session 17 call 5. Carry `.whl` (make wheels); ~4 minutes (timeout_s 420).
# DELTAPROOF_RECURRENT_FORM=ahead2 (new): the `ahead` loop with each step issuing the loads of the row two ahead and
# a token's query and gate loaded during the token before (in `ahead` the query is loaded at its token's start, so
# at n_h 1 its latency sits right before the output's reduction). Against the defaults (`ahead`, `one`, V blocks of
# 16 on 1 warp) and fla's fp32 path, fp32 K = V = 128 ungated and gated n_h 1-4; then bf16 n_h 2 (its loads are
# widened to fp32 where they are used). Back: s17e_*.json (logs stay on the device: the number of files that come
# back is limited)
# `default` is the checkout's defaults: when this ran (call 5, commit 42d237c plus the ahead2 form) `ahead` on V blocks
# of 16 at every n_h; since, the tuned table that this call and call 6 led to (gpu_session17f.sh).
P=s17e
source benchmarks/recurrent_gpu_lib.sh
L=DELTAPROOF_RECURRENT_LAUNCH
A2=DELTAPROOF_RECURRENT_FORM=ahead2
run fp32 150 default $A2 $A2+$L=bv=32,warps=1 $A2+$L=bv=8,warps=1 --n-h 1 2 3 4
run fp32_gated 150 default $A2 $A2+$L=bv=32,warps=1 --gated --n-h 1 2 3 4
run bf16 60 default $A2 --dtype bf16 --n-h 2
