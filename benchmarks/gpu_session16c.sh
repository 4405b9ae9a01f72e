# H200, prepared in session 15, run in session 16 (call 1; the .whl carry was missing, so the table has no fla column). Carry `.whl`; ~5 minutes (timeout_s 420).
# DELTAPROOF_CHUNKED_SCAN_OUT=cols (session 15, CPU-tested, offline only) for the one bf16 row behind fla, the gated
# n_h 3 forward (0.98-0.989x in session 15). At n_h 3 the query block is 32 rows, too short for Hopper's warpgroup
# MMA, so the output's two products ran as mma.sync with their own shared copies of S and D; with 2 pipelining
# stages the scan then needs 119044 B of shared memory and fits 1 program per SM (n_h 4, whose 2-stage scan fits 2,
# went 3.325 -> 2.952 ms with 2 stages and stored scores and gates in session 14). cols forms the output tile transposed (S^T Q^T + D^T P^T, M = 64): offline
# (Triton 3.6.0) 114948 B, 2 programs per SM, 255 registers, 56 B spilled outside the loop (none inside).
# (a) the gated n_h 3 forward, alternated in one process: rows (the default: 1 stage, cap 240) against cols with 2
#     stages uncapped / capped at 248 / uncapped with the gates summed in the scan (offline the same 56 B spilled,
#     and the WY inverse launch, which then stores no gates, spills 244 B instead of 300), and cols at 1 stage;
# (b) side by side with fla (gated n_h 3 forward) under cols with 2 stages uncapped, in a fresh process.
# Back: s16c_ab.json/.log, s16c_table.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
O=DELTAPROOF_CHUNKED_SCAN_OUT
L=DELTAPROOF_CHUNKED_LAUNCH
G=DELTAPROOF_CHUNKED_SCAN_GATES
timeout 200 python3 benchmarks/env_ab_gpu.py $OUT/s16c_ab.json $O \
  "$O=rows;$O=cols+$L=scan_stages=2,scan_regs=0;$O=cols+$L=scan_stages=2,scan_regs=248;$O=cols+$L=scan_stages=2,scan_regs=0+$G=cumsum;$O=cols" \
  fwdonly --gated-only \
  --n-h 3 > $OUT/s16c_ab.log 2>&1
echo "ab rc=$?"; grep '"n_h"' $OUT/s16c_ab.log | cut -c1-250
env $O=cols $L=scan_stages=2,scan_regs=0 timeout 180 python3 benchmarks/kernels.py --skip-check --n-h 3 --gated 1 \
  --bench-check --rep 30 --no-fp32 --out $OUT/s16c_table.json > $OUT/s16c_table.log 2>&1
echo "table rc=$?"; grep '"n_h"' $OUT/s16c_table.log | cut -c1-600
