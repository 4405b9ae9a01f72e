# H200, session 18 call 2. Carry `.whl` (make wheels); ~3 minutes (timeout_s 330).
# Call 1 found the recurrent backward ~11x the forward's time. This profiles it kernel by kernel and times the
# backward with its loads issued one row ahead (DELTAPROOF_RECURRENT_BWD_FORM=ahead, the new default) against
# `plain` (call 1's kernels), each on V blocks of 16 and 8. Back: s18b_time.json
P=s18b
source benchmarks/recurrent_gpu_lib.sh
timeout 300 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" DELTAPROOF_RECURRENT_BWD_FORM=plain DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=8 DELTAPROOF_RECURRENT_BWD_FORM=plain+DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=8 --no-check --chunked --profile --n-h 1 2 --gated 0 > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | cut -c1-2500
grep -m3 -i "Traceback\|Error" /tmp/${P}_time.log | cut -c1-300
