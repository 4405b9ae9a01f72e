# H200, session 9 call 3. Carry `.whl` (fla-core). Call 2 (gpu_session9d.sh) found, over 8 seeds, our bf16 errors
# norm-wise at or below fla's for o, ht, dk, dv, dbeta, but dq 0.3-1.1% above fla's at every n_h (0-2 of 8 seeds at
# or below). Is that the extra 16-bit rounding of the partial dQi (BWD_BUFS=all16)? (1) the same 8-seed comparison
# with dQi in fp32 (DELTAPROOF_CHUNKED_BWD_BUFS=dqi32, new) at n_h 1, 2, 4; (2) its cost: forward+backward, ungated,
# all16 against dqi32 and 16bit, n_h 1, 2, 4, alternated in one process.
# Run from the repo root on the device: bash benchmarks/gpu_session9e.sh. Back: s9e_*.json and logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
DELTAPROOF_CHUNKED_BWD_BUFS=dqi32 timeout 230 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s9e_acc_dqi32.json \
  --seeds 8 --n-h 1 2 4 > $OUT/s9e_acc.log 2>&1
grep "^n_h" $OUT/s9e_acc.log | cut -c1-700
tail -n 2 $OUT/s9e_acc.log | cut -c1-300
timeout 250 python3 benchmarks/env_ab_gpu.py $OUT/s9e_time.json DELTAPROOF_CHUNKED_BWD_BUFS all16,dqi32,16bit \
  --ungated-only --n-h 2 1 4 > $OUT/s9e_time.log 2>&1
grep "fwd_bwd_ms" $OUT/s9e_time.log | cut -c1-200
