# H200, session 12, call 3. Carry nothing; up to ~6 minutes (timeout_s 600).
# DELTAPROOF_CHUNKED_WY_GRAM=once (new): the WY inverse takes A from one [64, 64] product K K^T instead of four
# [16, 16] products plus the full one again. Call 2 (gpu_session12d.sh) put fp32's inverse launch at 3.2-3.6 ms
# with these products at tf32x3 against 1.07 ms at tf32; offline (Triton 3.6.0) `once` halves the fp32 tf32x3
# inverse's SASS (8856 -> 4904 instructions, its 384 HMMA of the 16-row products gone, spills 236 -> 0 B).
# (1) fp32 forward n_h 2, per launch: tf32x3 blocks / once / once at 8 and 2 warps; tf32 blocks / once;
# (2) bf16 forward, blocks against once alternated in one process, n_h 1-4, ungated and gated, per-launch
#     profile at n_h 2 (offline: bf16 inverse 6160 -> 5872 SASS ungated, 6840 -> 6328 gated; spills 124 -> 328 B).
# Back: s12e_fp32.json/.log, s12e_tf32.json/.log, s12e_bf16.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
D=DELTAPROOF_CHUNKED
X=$D\_FP32_DOTS=tf32x3+$D\_WY_SPLIT=split
timeout 200 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12e_fp32.json 2 --profile \
  $X+$D\_WY_GRAM=blocks $X+$D\_WY_GRAM=once $X+$D\_WY_GRAM=once+$D\_LAUNCH=wy_warps=8 $X+$D\_WY_GRAM=once+$D\_LAUNCH=wy_warps=2 \
  > $OUT/s12e_fp32.log 2>&1
echo "x3 rc=$?"; grep -v Warn $OUT/s12e_fp32.log | grep -v _warn_once | cut -c1-600
timeout 90 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12e_tf32.json 2 --profile --precision tf32 \
  $D\_WY_SPLIT=split+$D\_WY_GRAM=blocks $D\_WY_SPLIT=split+$D\_WY_GRAM=once > $OUT/s12e_tf32.log 2>&1
echo "tf32 rc=$?"; grep -v Warn $OUT/s12e_tf32.log | grep -v _warn_once | cut -c1-600
timeout 280 python3 benchmarks/env_ab_gpu.py $OUT/s12e_bf16.json $D\_WY_GRAM blocks,once fwdonly > $OUT/s12e_bf16.log 2>&1
echo "bf16 rc=$?"; grep -v Warn $OUT/s12e_bf16.log | grep -v _warn_once | cut -c1-400
