# H200, session 6, call 3: the side-by-side table with fla under this commit's defaults (bf16: Tm split, 16-bit
# inverse-backward dots, 16-bit chunk states, WY merge on 16 x 16 blocks), n_h 1-4, gated and not, with the forward
# error of both against float64 at the benchmark shape (--bench-check). No fp32 rows (--no-fp32).
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_session6c.sh. Back: side.json, side.log.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 540 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/side.json > $OUT/side.log 2>&1
tail -n 40 $OUT/side.log | cut -c1-400
