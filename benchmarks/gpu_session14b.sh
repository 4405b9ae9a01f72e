# H200, session 14 call 2. Carry nothing; ~5 minutes (timeout_s 600).
# Call 1 (gpu_session14a.sh): the block/parallel output forms lose to the fused scan (gated n_h 2: 2.09 ms best vs
# 1.92; n_h 3: 3.34 vs 2.88), but DELTAPROOF_CHUNKED_SCAN_GATES=stored cut the state-only scan 620 -> 523 us at n_h 2
# (the WY inverse launch +22 us). Here: the same switch under the fused scan (the default OUT=scan), gated forward,
# n_h 1-4, alternated in one process, per-launch profile at n_h 2; with scan_stages=2 too. Then the forward and all
# gradients against float64 under stored gates (bf16 n_h 1 and 3 gated, fp32 n_h 3 gated under tf32x3).
# Back: s14b.json, s14b.log, s14b_check.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
G=DELTAPROOF_CHUNKED_SCAN_GATES
timeout 400 python3 benchmarks/env_ab_gpu.py $OUT/s14b.json $G \
  "cumsum;stored;$G=stored+$L=scan_stages=2;$L=scan_stages=2" \
  fwdonly --gated-only --n-h 1 2 3 4 > $OUT/s14b.log 2>&1
echo "rc=$?"; grep -v Warn $OUT/s14b.log | grep -v _warn_once | cut -c1-300
for a in "128 128 1 bfloat16 gated" "128 128 3 bfloat16 gated" "128 128 3 float32 gated"; do
  DELTAPROOF_CHUNKED_SCAN_GATES=stored DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 timeout 100 \
    python3 benchmarks/kernel_grads_gpu.py $a >> $OUT/s14b_check.log 2>&1
done
grep '^{' $OUT/s14b_check.log | cut -c1-400
