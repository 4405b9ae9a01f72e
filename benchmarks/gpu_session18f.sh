# H200, session 18 call 6. Carry `.whl` (make wheels); ~5 minutes (timeout_s 380).
# Call 5 (Nsight Compute) found the backward kernels executing 1000 / 1378 SASS instructions per row at n_h 1 when
# called without an initial state or a final-state cotangent (the benchmark's case): their state tiles then took
# tl.zeros' layout, where every reduction over V costs 4 shuffle levels on 64 values. The tiles now always come from
# a (masked) load, which gives the coalesced layout (offline: 550 / 491, as with a state). This checks that path
# against float64 (n_h 1 and 4, gated and not) and re-times the full table with the profile. Back: s18f_*.json
P=s18f
source benchmarks/recurrent_gpu_lib.sh
timeout 80 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check.json" --no-time --no-state --n-h 1 4 > /tmp/${P}_check.log 2>&1
echo "== check rc=$?"; grep n_h /tmp/${P}_check.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    for name in ('recurrent_fp32', 'recurrent_bf16'):
        print(r['n_h'], r['gated'], name, {k: (float('%.3g' % v) if isinstance(v, float) else v) for k, v in r[name].items()})"
timeout 270 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" --no-check --chunked --profile > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    prof = {k[:28]: v for k, v in r.pop('recurrent_fwdbwd_kernels_us', {}).items()}
    print(json.dumps({k: v for k, v in r.items() if 'error' not in k})); print('   profile', prof)"
grep -m3 -i "Traceback" /tmp/${P}_*.log | cut -c1-300
