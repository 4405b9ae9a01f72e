# H200, session 19 call 5. Carry `.whl`; ~4 minutes (timeout_s 400). Back: s19d_*.json
# Pass 2 of the recurrent backward over K blocks (DELTAPROOF_RECURRENT_BWD_PASS2=kblocks, the new default): each
# program holds K rows of the state and all of V, writes dk and dq whole (no per-V-block dq shares, no torch sums),
# and none of its sums is on the state's dependency chain. 1. gradients against float64 (n_h 1, 2, 4; with and
# without a state); 2. fp32 forward+backward at n_h 1-4, gated and not, with the profile: the default (K blocks of 16),
# K blocks of 32, and the V-blocked pass 2 of call 4 (DELTAPROOF_RECURRENT_BWD_PASS2=vblocks), next to fla.
P=s19d
source benchmarks/recurrent_gpu_lib.sh
for st in no_state state; do
  flag=$([ $st = no_state ] && echo --no-state)
  timeout 80 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check_$st.json" --no-time $flag --n-h 1 2 4 > /tmp/${P}_c.log 2>&1
  echo "== check $st rc=$?"; grep n_h /tmp/${P}_c.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print(r['n_h'], r['gated'], {k: (max(v for kk, v in r[k].items() if kk not in ('finite', 'error')), r[k].get('finite')) for k in r if k.startswith(('recurrent', 'fla'))})"
  grep -m1 -A5 Traceback /tmp/${P}_c.log
done
timeout 260 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" DELTAPROOF_RECURRENT_BWD_LAUNCH=bk=32 \
  DELTAPROOF_RECURRENT_BWD_PASS2=vblocks --no-check --chunked --profile > /tmp/${P}_t.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_t.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    k = r.get('recurrent_fwdbwd_kernels_us', {})
    print(r['n_h'], r['gated'], {x: r[x] for x in r if x.endswith(('fwdbwd_ms', 'fwdbwd_peak_MiB'))}, {n[:26]: v for n, v in k.items() if v > 100})"
grep -m3 -i "Traceback" /tmp/${P}_*.log | cut -c1-300
