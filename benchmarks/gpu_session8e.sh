# H200, session 8 call 3 (`.whl` carried): the side-by-side table with fla (n_h 1-4, gated and not) under the
# defaults of the commit it runs at: the WY kernel split in two launches with a 2-warp inverse (session 8 calls 1-2),
# the 4-warp scans at 1 stage for n_h >= 2 (session 7), all16 backward buffers.
# Run from the repo root on the device: bash benchmarks/gpu_session8e.sh. Back: s8e_side.json and its log.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 545 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s8e_side.json > $OUT/s8e_side.log 2>&1
tail -n 10 $OUT/s8e_side.log | cut -c1-420
