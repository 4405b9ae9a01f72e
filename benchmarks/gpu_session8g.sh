# H200, session 8 call 5 (ran as this loop typed inline into the device call; kept here so it can be rerun):
# the accuracy check of gpu_session8f.sh for ours only, under the backward buffers at 16bit and at fp32 (the
# defaults store them all16), to see how far one 16-bit rounding moves the largest-element errors of dq and dk.
# Run from the repo root on the device: bash benchmarks/gpu_session8g.sh. Back: s8g_*.json and logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
for b in 16bit fp32; do
  DELTAPROOF_CHUNKED_BWD_BUFS=$b timeout 80 python3 benchmarks/kernels.py --skip-bench --check-n-h 2 4 --gated 0 \
    --check-dtypes bf16 --no-fla --no-recurrent-check --no-tf32-check --out $OUT/s8g_check_$b.json > $OUT/s8g_$b.log 2>&1
  echo $b
  grep '"backend"' $OUT/s8g_$b.log | cut -c1-330
done
