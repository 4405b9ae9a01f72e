# H200, session 11 call 4. Carry `.whl` (fla). ~5-7 minutes. Gated n_h 1-4 side by side with fla under the session-11
# default (the gated W/U launch capped at 168 registers), the same command as session 10's gpu_session10d.sh gated
# part (fla's gated forward+backward refuses on Triton 3.6; ours is timed).
# Run from the repo root on the device: bash benchmarks/gpu_session11d.sh. Back: s11d_gated.json/.log.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 430 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s11d_gated.json > $OUT/s11d_gated.log 2>&1
echo "rc=$?"
tail -n 6 $OUT/s11d_gated.log | cut -c1-420
