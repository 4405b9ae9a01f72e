# H200, session 9 call 5: the 17-shape gradient check (against float64, bf16/fp16/fp32, gated and not, partial
# chunks) under the defaults of the commit it runs at, i.e. with the new backward-buffer default `dqi32`.
# Run from the repo root on the device: bash benchmarks/gpu_session9g.sh. Back: s9g_grads.json and its log.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 200 python3 benchmarks/grads_set_gpu.py $OUT/s9g_grads.json --shapes full --jobs 7 --timeout 150 \
  > $OUT/s9g_grads.log 2>&1
tail -c 1500 $OUT/s9g_grads.log
