# H200, session 18 call 1. Carry `.whl` (make wheels); ~6 minutes (timeout_s 560).
# The recurrent backend's new backward (kernels/README.md §7): gradients against float64 at n_h 1-4, gated and not,
# fp32 and bf16 (fla's fp32 kernel next to it, ungated); then fp32 forward+backward at B=8 T=4096 H=16 K=V=128 next
# to fla's fused recurrent kernel and chunked tf32x3, under three backward launches. Back: s18a_*.json
P=s18a
source benchmarks/recurrent_gpu_lib.sh
timeout 150 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check.json" --no-time > /tmp/${P}_check.log 2>&1
echo "== check rc=$?"; grep n_h /tmp/${P}_check.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    for name in ('recurrent_fp32', 'recurrent_bf16', 'fla_fp32'):
        if name in r:
            print(r['n_h'], r['gated'], name, {k: (round(v, 9) if isinstance(v, float) else v) for k, v in r[name].items()})"
grep -m3 -i "Traceback\|Error" /tmp/${P}_check.log | cut -c1-300
timeout 380 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=8 DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=32,warps=1 --no-check > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | cut -c1-1500
grep -m3 -i "Traceback\|Error" /tmp/${P}_time.log | cut -c1-300
