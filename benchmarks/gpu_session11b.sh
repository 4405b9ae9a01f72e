# H200, session 11 call 2. Carry nothing (fla not needed). ~8 minutes (timeout_s 600).
# (1) Register caps (DELTAPROOF_CHUNKED_LAUNCH *_regs, Triton's maxnreg). Session 11 call 1's Nsight Compute
# profile (gpu_session11.sh, n_h 2) found the gated W/U launch of the WY kernel at 172 registers per thread on the
# H200's Triton 3.6 (152 ungated): 65536 / (176 x 128) = 2 programs per SM against 3 ungated (achieved occupancy
# 12.3% against 18.4%), and the launch 511 against 398 us, latency-bound (long-scoreboard stalls on its loads). A
# cap of 168 gives it 3 programs, 128 gives 4 (offline, Triton 3.7.1: 12 B of spills gated). The other caps each
# buy one more program per SM at the price of spills offline (resources_sm90.py, n_h 2 bf16): kblock 233 -> 168
# (116 B), bwd scan 236/255 -> 168 (204/724 B), WY inverse 255 -> 200 (356/528 B), fwd scan 255 -> 168
# (256/700 B), chunk backward 244/255 -> 128 at 8 warps (840/1928 B). Each kernel's time is in the per-kernel
# profile at n_h 2, so caps on different kernels in one value are told apart there.
# Forward and forward+backward, n_h 2 and 4, gated and not, three values alternated in one process.
# (2) The fp32 path under DECAY=values (not yet run on a GPU): the fp32 gradient set against float64.
# Back: s11b_caps.json/.log, s11b_fp32.json/.log.
# Run from the repo root on the device: bash benchmarks/gpu_session11b.sh
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 400 python3 benchmarks/env_ab_gpu.py $OUT/s11b_caps.json $L \
  "$L=;$L=wyapply_regs=168,kblock_regs=168,bscan_regs=168;$L=wyapply_regs=128,wy_regs=200,scan_regs=168,chunk_regs=128" \
  fwd --n-h 2 4 > $OUT/s11b_caps.log 2>&1
echo "caps rc=$?"
grep -v "^profile" $OUT/s11b_caps.log | cut -c1-300 | tail -n 30
grep "^profile" $OUT/s11b_caps.log | cut -c1-700
timeout 170 python3 benchmarks/grads_set_gpu.py $OUT/s11b_fp32.json --shapes fp32 > $OUT/s11b_fp32.log 2>&1
echo "fp32 rc=$?"
tail -n 8 $OUT/s11b_fp32.log | cut -c1-400
