# H200, prepared in session 15, NOT YET RUN. Carry nothing; ~8 minutes (timeout_s 560).
# DELTAPROOF_CHUNKED_DS_SCALE=dd became the default in session 15 for every dtype; on the GPU it was checked in bf16
# and fp16 only (the 17-shape set, call 5, and 8 seeds next to fla). In fp32 it differs from the q form by fp32
# roundings of the scale products only (CPU test: within 1e-6), but the fp32 `ieee` must-show (relative error below
# 1e-5) was measured under q. Here: the fp32 gradient set at K = 128 (n_h 1, 2, 4, gated 2) against float64 under q
# and dd (K = 256 left out: its fused fp32 backward compiles for ~10 minutes, session 12).
# Back: s16a_grads.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 540 python3 benchmarks/grads_set_gpu.py $OUT/s16a_grads.json --shapes fp32_k128 --env DELTAPROOF_CHUNKED_DS_SCALE=q,dd \
  --jobs 5 --timeout 420 > $OUT/s16a_grads.log 2>&1
echo "rc=$?"; tail -n 12 $OUT/s16a_grads.log | cut -c1-400
