# H200, session 11 call 6. Carry nothing. ~4 minutes (what is left of the session's device time).
# The W/U launch at 128 registers per thread: 4 programs of 4 warps per SM instead of 3 (ungated, 152 registers)
# or 3 (gated, capped at 168 by default). Offline (resources_sm90.py, Triton 3.7.1): 4 B of spills ungated, 12 B
# gated. Call 2 tried 128 only together with a 200-register WY inverse, which confounded the WY kernel's time.
# Forward and forward+backward, n_h 2 then 4, ungated and gated, values alternated in one process; the profile at
# n_h 2 gives the WY kernel's time under each. Back: s11f_w128.json/.log.
# Run from the repo root on the device: bash benchmarks/gpu_session11f.sh
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 215 python3 benchmarks/env_ab_gpu.py $OUT/s11f_w128.json $L "$L=;$L=wyapply_regs=128" fwd --n-h 2 4 \
  > $OUT/s11f_w128.log 2>&1
echo "rc=$?"
grep -v "^profile" $OUT/s11f_w128.log | grep n_h | cut -c1-200
grep "^profile" $OUT/s11f_w128.log | cut -c1-200
