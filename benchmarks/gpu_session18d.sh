# H200, session 18 call 4. Carry `.whl` (make wheels); ~3 minutes (timeout_s 300).
# The gate gradient's torch side rewritten after call 3's profile (a 5.8 ms scan over the leading axis and 1-3 ms of
# float64 copies): gradients against float64 on the GPU (gated n_h 1-4, fp32 and bf16) and the gated forward+backward
# time with its profile. Back: s18d_check.json, s18d_time.json
P=s18d
source benchmarks/recurrent_gpu_lib.sh
timeout 100 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check.json" --no-time --gated 1 > /tmp/${P}_check.log 2>&1
echo "== check rc=$?"; grep n_h /tmp/${P}_check.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    for name in ('recurrent_fp32', 'recurrent_bf16'):
        print(r['n_h'], r['gated'], name, {k: (float('%.3g' % v) if isinstance(v, float) else v) for k, v in r[name].items()})"
timeout 170 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" --no-check --gated 1 --chunked --profile > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    prof = {k[:28]: v for k, v in r.pop('recurrent_fwdbwd_kernels_us', {}).items()}
    print(json.dumps({k: v for k, v in r.items() if 'error' not in k})); print('   profile', prof)"
grep -m3 -i "Traceback" /tmp/${P}_*.log | cut -c1-300
