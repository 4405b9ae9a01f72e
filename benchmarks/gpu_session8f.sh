# H200, session 8 call 4 (`.whl` carried): accuracy against float64 next to fla's on the same inputs under the
# session-8 defaults (bf16, the bench slice B=1 T=512 H=2 K=V=128, n_h 2 and 4, ungated: fla's gated backward refuses
# on Triton 3.6), then the 17-shape gradient check under them.
# Run from the repo root on the device: bash benchmarks/gpu_session8f.sh. Back: s8f_*.json and logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 180 python3 benchmarks/kernels.py --skip-bench --check-n-h 2 4 --gated 0 --check-dtypes bf16 \
  --no-recurrent-check --no-tf32-check --out $OUT/s8f_check.json > $OUT/s8f_check.log 2>&1
tail -n 6 $OUT/s8f_check.log | cut -c1-600
export PYTHONPATH=.
timeout 150 python3 benchmarks/grads_set_gpu.py $OUT/s8f_grads.json --shapes full --jobs 7 --timeout 120 \
  > $OUT/s8f_grads.log 2>&1
tail -c 600 $OUT/s8f_grads.log
