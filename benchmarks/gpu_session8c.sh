# H200, prepared in session 7, superseded by gpu_session8e.sh and 8f (kernels/README.md §6): (1) accuracy against float64 next to fla's, on the same inputs, under
# the session-7 defaults (backward buffers in 16 bits since session 7; the last comparison with fla, session 5, predates
# them): bf16, the bench slice B=1 T=512 H=2 K=V=128, n_h 2 and 4, ungated (fla's gated backward refuses on Triton
# 3.6); (2) the side-by-side table (n_h 1-4, gated and not) under the defaults of the commit it runs at.
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_session8c.sh.
# Back: s8c_check.json, s8c_side.json and logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 140 python3 benchmarks/kernels.py --skip-bench --check-n-h 2 4 --gated 0 --check-dtypes bf16 \
  --no-recurrent-check --no-tf32-check --out $OUT/s8c_check.json > $OUT/s8c_check.log 2>&1
tail -n 6 $OUT/s8c_check.log | cut -c1-400
timeout 430 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s8c_side.json > $OUT/s8c_side.log 2>&1
tail -n 8 $OUT/s8c_side.log | cut -c1-420
