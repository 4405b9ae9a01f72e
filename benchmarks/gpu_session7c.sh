# H200, session 7: the side-by-side table with fla (n_h 1-4, gated and not, bf16, B=8 T=4096 H=16 K=V=128) under the
# defaults after session 7 (DELTAPROOF_CHUNKED_BWD_BUFS=all16; SCAN_BV=32 at n_h = 1 from session 6).
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_session7c.sh. Back: s7_side.json.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 560 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s7_side.json > $OUT/s7_side.log 2>&1
tail -n 12 $OUT/s7_side.log | cut -c1-600
