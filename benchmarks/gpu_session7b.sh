# H200, prepared in session 6 and NOT YET RUN: the side-by-side rows at n_h = 1 with fla, which session 6's table
# (kernels_h200.json summary) measured before the n_h = 1 default of V blocks of 32 for the scans.
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_session7b.sh. Back: s7_side_nh1.json.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 300 python3 benchmarks/kernels.py --skip-check --n-h 1 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s7_side_nh1.json > $OUT/s7_side_nh1.log 2>&1
tail -n 4 $OUT/s7_side_nh1.log | cut -c1-600
