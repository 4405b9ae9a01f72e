# H200, session 13 call 6 (last ~9 minutes of the budget). Carry nothing; ~4 minutes (timeout_s 300).
# (1) fp32 `tf32` at n_h 1 (2.56x fla's fused recurrent in call 5, the one n_h below 3x): the forward scan's launch
#     (fp32 keeps 8 warps, V blocks of 64; unmeasured alternatives) — 4 warps, V blocks of 32, 2 stages — timed in
#     one process. (2) in parallel, after the timing: the fp32 gradient check at n_h 3 under tf32x3 (never run).
# Back: s13h_tf32_n1.json, s13h.log, s13h_grads.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 150 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s13h_tf32_n1.json 1 --profile --precision tf32 \
  DELTAPROOF_CHUNKED_WY_MERGE=blocks $L=scan_warps=4 $L=scan_bv=32 $L=scan_stages=2 $L=scan_bv=32,scan_warps=4 \
  > $OUT/s13h.log 2>&1
echo "sweep rc=$?"; grep -v Warn $OUT/s13h.log | grep -v _warn_once | cut -c1-400
DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 timeout 130 python3 benchmarks/kernel_grads_gpu.py 128 128 3 float32 \
  > $OUT/s13h_grads.log 2>&1
echo "grads rc=$?"; cut -c1-700 $OUT/s13h_grads.log
