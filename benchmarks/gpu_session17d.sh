# H200, session 17 call 4. Carry `.whl` (make wheels); ~5 minutes (timeout_s 480).
# The recurrent backend's new defaults (ahead, DELTAPROOF_RECURRENT_UPDATE=one, V blocks of 16 on 1 warp; V blocks
# of 8 for K tiles of 256) next to the old ones (tokens, two, V blocks of 64 on 4 warps) and fla's fp32 path:
# (a) fp32 K = V = 128 ungated then gated, n_h 1-4; (b) fp32 K = V = 256, n_h 2, the K-256 rule against V blocks of
# 16 on 1 or 2 warps; (c) bf16 and fp16 at K = V = 128 and fp32 at K = V = 64 (errors against float64; fla not timed).
# Back: s17d_*.json (logs stay on the device)
# `default` is the checkout's defaults: when this ran (call 4, before commit 42d237c) `ahead`, `one`, V blocks of 16
# on 1 warp but 8 for K tiles of 256; at 42d237c the same with 16 at every K; later the tuned table (gpu_session17f.sh).
P=s17d
source benchmarks/recurrent_gpu_lib.sh
L=DELTAPROOF_RECURRENT_LAUNCH
OLD="DELTAPROOF_RECURRENT_FORM=tokens+DELTAPROOF_RECURRENT_UPDATE=two+$L=bv=64,warps=4"
run fp32 120 default $OLD --n-h 1 2 3 4
run fp32_gated 120 default $OLD --gated --n-h 1 2 3 4
run fp32_k256 120 default $L=bv=16,warps=1 $L=bv=16,warps=2 $L=bv=32,warps=2 --kv 256 --n-h 2
run bf16 90 default --dtype bf16 --n-h 1 2 3 4
run fp16_gated 90 default --dtype fp16 --gated --n-h 1 2 3 4
run fp32_k64 60 default $L=bv=32,warps=1 --kv 64 --n-h 2
