# H200, session 18 call 3. Carry `.whl` (make wheels); ~6-7 minutes (timeout_s 520).
# Call 2's profile put the recurrent backward's time in its two kernels (n_h 1: 17.7 + 7.8 ms against a 2.6 ms
# forward), with the per-V-block slots of dk, dq and dbeta a power of two apart. The slots of a row now sit side by
# side. This times the backward at n_h 1-4, gated and not, next to fla's fp32 path and chunked tf32x3, on V blocks of
# 16 (default) and 8, with the per-kernel profile and the full-shape gradients against chunked tf32x3's. Back:
# s18c_time.json
P=s18c
source benchmarks/recurrent_gpu_lib.sh
timeout 490 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=8 --no-check --profile --cross-check > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    prof = {k[:28]: v for k, v in r.pop('recurrent_fwdbwd_kernels_us', {}).items()}
    xc = r.pop('full_shape_rel_diff_vs_chunked_tf32x3', {})
    print(json.dumps({k: v for k, v in r.items() if 'peak' not in k}))
    print('   profile', prof); print('   xcheck', {k: float('%.2g' % v) for k, v in xc.items()})
    print('   peak', {k: v for k, v in r.items() if 'peak' in k})"
grep -m3 -i "Traceback\|Error:" /tmp/${P}_time.log | cut -c1-300
