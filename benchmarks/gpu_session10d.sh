# H200, session 10 call 4 (`.whl` carried): the side-by-side table with fla under the session-10 default
# DELTAPROOF_CHUNKED_DECAY=values (gated only: ungated calls run bitwise the code of session 9's table), gated n_h 1-4,
# and the ungated n_h = 1 row again (session 9: forward+backward a tie, 0.997x).
# Run from the repo root on the device: bash benchmarks/gpu_session10d.sh. Back: s10d_*.json and logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 400 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s10d_gated.json > $OUT/s10d_gated.log 2>&1
tail -n 6 $OUT/s10d_gated.log | cut -c1-420
timeout 150 python3 benchmarks/kernels.py --skip-check --n-h 1 --gated 0 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s10d_ungated1.json > $OUT/s10d_ungated1.log 2>&1
tail -n 4 $OUT/s10d_ungated1.log | cut -c1-420
