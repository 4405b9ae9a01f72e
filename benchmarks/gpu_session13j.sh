# H200, session 13 call 9 (the last ~6 minutes of the budget). Carry nothing; ~4 minutes (timeout_s 300).
# The forward scan with one program per sequence and head: V blocks of 128 (DELTAPROOF_CHUNKED_LAUNCH scan_bv=128,
# new: the override used to be clamped to 64) at 8 warps. 128 programs at B=8 H=16, one per SM, so the keys, W and
# the queries are loaded once per chunk instead of once per V block. Offline (Triton 3.6.0, resources_sm90.py, n_h 2):
# 255 registers, spills 76 B ungated / 128 B gated, loop 720 / 1107 SASS instructions per thread (BV 64 at 4 warps:
# 636 / 1086, 2 programs per SM); bitwise the BV-64 values in the interpreter (bf16, n_h 2 and 3 gated, with grads).
# (1) time, forward without grad, default against scan_bv=128 at 8 warps, n_h 1-4, gated and not, alternated in one
# process; (2) bitwise equality with the default on the GPU (forms_equal_gpu.py; the fp32 shape last, may not finish).
# Back: s13j_ab.json/.log, s13j_equal.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 170 python3 benchmarks/env_ab_gpu.py $OUT/s13j_ab.json $L ";$L=scan_bv=128,scan_warps=8" fwdonly \
  > $OUT/s13j_ab.log 2>&1
echo "ab rc=$?"; grep -v Warn $OUT/s13j_ab.log | grep -v _warn_once | cut -c1-300
timeout 90 python3 benchmarks/forms_equal_gpu.py $OUT/s13j_equal.json "$L=scan_bv=128,scan_warps=8" > $OUT/s13j_equal.log 2>&1
echo "equal rc=$?"; python3 benchmarks/forms_equal_gpu.py --summary $OUT/s13j_equal.json 2>&1 | tail -9
