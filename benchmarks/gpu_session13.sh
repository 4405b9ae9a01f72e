# H200, prepared in session 12, NOT YET RUN. Carry `.whl`; up to ~8 minutes (timeout_s 600).
# (1) DELTAPROOF_CHUNKED_SCORES=stored as changed after session 12's call 6: the queries loaded before the W/U work
#     (their latency overlapping it; call 6 loaded them after, and the W/U launch took 109 us more at n_h 2) and the
#     W/U launch capped at 168 registers ungated too (offline: 227 -> 168, 8 B spilled, 3 programs per SM). bf16
#     forward, scan against stored alternated in one process, n_h 1-4, ungated and gated, per-launch profile at n_h 2.
#     Adopt only if faster at every n_h, gated and not (call 6: gated -2.6% at n_h 2, +0.6% at n_h 3).
# (2) fp32 tf32x3 at n_h 4 (query block padded to 32 since session 12) next to fla's fused recurrent, and the fp32
#     gradient check at n_h 3 (tf32x3 and ieee), never run.
# Back: s13_scores.json/.log, s13_fp32_n4.json, s13_fp32.log, s13_grads.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 330 python3 benchmarks/env_ab_gpu.py $OUT/s13_scores.json DELTAPROOF_CHUNKED_SCORES scan,stored fwdonly \
  > $OUT/s13_scores.log 2>&1
echo "scores rc=$?"; grep -v Warn $OUT/s13_scores.log | grep -v _warn_once | cut -c1-300
DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 timeout 60 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s13_fp32_n4.json 4 --fla \
  --profile DELTAPROOF_CHUNKED_WY_GRAM=once > $OUT/s13_fp32.log 2>&1
echo "fp32 rc=$?"; grep -v Warn $OUT/s13_fp32.log | grep -v _warn_once | cut -c1-400
timeout 200 bash -c 'for d in ieee tf32x3; do DELTAPROOF_CHUNKED_FP32_DOTS=$d python3 benchmarks/kernel_grads_gpu.py 128 128 3 float32 & done; wait' \
  > $OUT/s13_grads.log 2>&1
echo "grads rc=$?"; cut -c1-500 $OUT/s13_grads.log
