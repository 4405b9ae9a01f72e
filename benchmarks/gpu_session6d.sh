# H200, session 6, call 4 (the last 380 s of device time): fp32 with the WY merge on 16 x 16 blocks, FP32_DOTS ieee and
# tf32x3 (session 5's experiment): gradients against float64 at K = V = 128, n_h 2, gated (one process per mode,
# in parallel), then the fp32 forward time of both modes at the benchmark shape, n_h 2.
# Run from the repo root on the device: bash benchmarks/gpu_session6d.sh. Back: fp32_*.log, fp32_time.json.
export PYTHONPATH=. PYTHONUNBUFFERED=1 DELTAPROOF_CHUNKED_WY_MERGE=blocks
for mode in ieee tf32x3; do
  DELTAPROOF_CHUNKED_FP32_DOTS=$mode timeout 150 python3 benchmarks/kernel_grads_gpu.py 128 128 2 float32 gated \
    > $OUT/fp32_grads_$mode.log 2>&1 &
done
wait
tail -n 3 $OUT/fp32_grads_*.log
timeout 130 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/fp32_time.json 2 2>&1 | tail -5
