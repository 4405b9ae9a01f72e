# H200, session 8 call 6 (the last ~240 s of the session's device time): DELTAPROOF_CHUNKED_DECAY=values (the scans'
# row factors on the V side, as fla places them). (1) the 17-shape gradient check under it; (2) keys against values,
# forward and forward+backward, n_h 2 and 4, gated and not, with the per-kernel profile at n_h 2.
# Run from the repo root on the device: bash benchmarks/gpu_session8h.sh. Back: s8h_*.json and logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 80 python3 benchmarks/grads_set_gpu.py $OUT/s8h_grads.json --shapes full --jobs 8 --timeout 70 \
  --env DELTAPROOF_CHUNKED_DECAY=values > $OUT/s8h_grads.log 2>&1
tail -c 400 $OUT/s8h_grads.log
timeout 110 python3 benchmarks/env_ab_gpu.py $OUT/s8h_time.json DELTAPROOF_CHUNKED_DECAY keys,values fwd --n-h 2 4 \
  > $OUT/s8h_time.log 2>&1
grep fwd_ms $OUT/s8h_time.log | cut -c1-200
