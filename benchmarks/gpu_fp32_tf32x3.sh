# H200, prepared in session 5 and NOT YET RUN (no device time was left): the fp32 experiment
# DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 (every fp32 dot of an `ieee` call as three tf32 passes, K tiles >= 128;
# kernels/README.md §6). Question: does it keep the fp32 error below 1e-5 against float64, and how far does it move
# the fp32 forward from 0.04-0.08x fla's fp32 path (fused_recurrent_delta_rule) towards the 3x target?
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_fp32_tf32x3.sh.
# Back: fp32_grads.json (gradients vs float64 for ieee and tf32x3), fp32_tf32x3.json (benchmarks/kernels.py: the
# fp32 check at the bench slice and the speed table with the fp32 rows; written after every row).
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 260 python3 benchmarks/grads_set_gpu.py $OUT/fp32_grads.json --shapes fp32 --jobs 5 --timeout 200 \
  --env DELTAPROOF_CHUNKED_FP32_DOTS=ieee,tf32x3 > $OUT/fp32_grads.log 2>&1
cat $OUT/fp32_grads.log
DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 timeout 300 python3 benchmarks/kernels.py --check-shape bench-slice \
  --check-n-h 2 --check-dtypes fp32 --no-recurrent-check --no-tf32-check --n-h 1 2 3 4 --gated 0 --rep 30 \
  --out $OUT/fp32_tf32x3.json > $OUT/fp32_tf32x3.log 2>&1
tail -n 30 $OUT/fp32_tf32x3.log
