# H200, session 19 call 3. Carry `.whl` (make wheels); ~4 minutes (timeout_s 420).
# The recurrent backward's V block after the layout fixes (sessions 18-19): V blocks of 16 on one warp keep 8
# per-block shares of dk and dq (the bulk of the backward's peak memory, 8x the size of k in fp32); 32 on 1 or 2
# warps halves them, 64 on 4 quarters them. Session 18 timed 32 on one warp 2.5-7x slower, but before the layout fix;
# offline (Triton 3.6.0) none of these spill now. 1. gradients against float64 under each (n_h 1 and 4, no state);
# 2. fp32 forward+backward at n_h 1-4, gated and not, with peak memory, next to the default and fla. Back: s19b_*.json
P=s19b
source benchmarks/recurrent_gpu_lib.sh
for L in bv=32,warps=1 bv=32,warps=2 bv=64,warps=4; do
  DELTAPROOF_RECURRENT_BWD_LAUNCH=$L timeout 60 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check_$L.json" \
    --no-time --no-state --n-h 1 4 > /tmp/${P}_check.log 2>&1
  echo "== check $L rc=$?"; grep n_h /tmp/${P}_check.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print(r['n_h'], r['gated'], {k: max(v for kk, v in r[k].items() if kk != 'finite') for k in r if k.startswith('recurrent')})"
done
timeout 300 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=32,warps=1 \
  DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=32,warps=2 DELTAPROOF_RECURRENT_BWD_LAUNCH=bv=64,warps=4 --no-check --chunked \
  > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print(r['n_h'], r['gated'], r.get('fla_fwdbwd_ms'), {k: r[k] for k in r if 'fwdbwd' in k and ('_ms' in k or 'MiB' in k)})"
grep -m3 -i "Traceback" /tmp/${P}_*.log | cut -c1-300
