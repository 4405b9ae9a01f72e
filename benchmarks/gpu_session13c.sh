# H200, prepared in session 12, NOT YET RUN. Carry nothing; up to ~8 minutes (timeout_s 540).
# The split backward for fp32 (DELTAPROOF_CHUNKED_BWD=split; fp32 keeps the fused form because its GPU check never
# finished). Offline (session 12, Triton 3.6.0, ptxas level 1, K = V = 256 fp32 ieee): the fused chunk backward takes
# 636 s to compile, the split backward's kernels 23 + 91 s, so K = 256 fp32 can be checked on the GPU under it.
# The fp32 gradient set (K = 128: n_h 1, 2, 4, gated 2; K = 256: n_h 2) under `ieee`, with the split backward, against
# float64; relative errors below 1e-5 would let split become fp32's default (then timed against fused at K = 128).
# Back: s13c_grads.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
DELTAPROOF_CHUNKED_BWD=split timeout 520 python3 benchmarks/grads_set_gpu.py $OUT/s13c_grads.json --shapes fp32 --jobs 5 \
  --timeout 500 > $OUT/s13c_grads.log 2>&1
echo "rc=$?"; tail -n 8 $OUT/s13c_grads.log | cut -c1-400
