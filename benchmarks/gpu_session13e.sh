# H200, session 13 call 3. Carry nothing; ~6 minutes (timeout_s 600).
# DELTAPROOF_CHUNKED_SCORES=inverse (new): the output scores formed by the WY kernel's inverse launch (before the
# substitution) instead of its W/U launch (`stored`, call 2: gated forward -4% at n_h 1, -1.6% at n_h 2, +1% at
# n_h 3, ungated +3-5%, the W/U launch 438 -> 556 us at n_h 2 gated). Offline (Triton 3.6.0, gated n_h 3): the
# inverse launch's spill stores 244 -> 528 B, 4 programs per SM either way; the W/U launch as under `scan`.
# (1) bitwise equality with the scan form on the GPU (forms_equal_gpu.py, 8 shapes: bf16/fp16/fp32, gated and not,
#     n_h 1-4, forward and every gradient); (2) time, gated, forward and forward+backward, scan / stored / inverse
#     alternated in one process, n_h 1-4, per-launch profile at n_h 2. Back: s13e_equal.json, s13e_ab.json, logs.
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 200 python3 benchmarks/forms_equal_gpu.py $OUT/s13e_equal.json DELTAPROOF_CHUNKED_SCORES=inverse \
  > $OUT/s13e_equal.log 2>&1
echo "equal rc=$?"
python3 benchmarks/forms_equal_gpu.py --summary $OUT/s13e_equal.json 2>&1 | tail -20
timeout 370 python3 benchmarks/env_ab_gpu.py $OUT/s13e_ab.json DELTAPROOF_CHUNKED_SCORES scan,stored,inverse fwd \
  --gated-only > $OUT/s13e_ab.log 2>&1
echo "ab rc=$?"; grep -v Warn $OUT/s13e_ab.log | grep -v _warn_once | cut -c1-300
