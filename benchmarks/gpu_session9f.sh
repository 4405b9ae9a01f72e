# H200, session 9 call 4 (`.whl` carried): the side-by-side table with fla (n_h 1-4, gated and not) under the
# defaults of the commit it runs at: as session 8's (gpu_session8e.sh) plus the backward buffers `dqi32` (all16 with
# the partial dQi in fp32; session 9 call 3, gpu_session9e.sh), which brings our dq error below fla's.
# Run from the repo root on the device: bash benchmarks/gpu_session9f.sh. Back: s9f_side.json and its log.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 545 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s9f_side.json > $OUT/s9f_side.log 2>&1
tail -n 10 $OUT/s9f_side.log | cut -c1-420
