# H200, session 19 call 4 (the last): the committed defaults end to end (kmajor pass 2; V blocks of 32 in the backward
# at n_h 1-2, 16 at 3-4), no switch set. Gradients against float64 at n_h 1-4, with and without a state, then fp32
# forward+backward next to fla with the per-kernel profile. Carry `.whl`; ~3 minutes (timeout_s 300). Back: s19c_*.json
P=${P:-s19c}  # gpu_session19e.sh reruns this script as s19e
source benchmarks/recurrent_gpu_lib.sh
for st in no_state state; do
  flag=$([ $st = no_state ] && echo --no-state)
  timeout 100 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check_$st.json" --no-time $flag > /tmp/${P}_c.log 2>&1
  echo "== check $st rc=$?"; grep n_h /tmp/${P}_c.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print(r['n_h'], r['gated'], {k: (max(v for kk, v in r[k].items() if kk not in ('finite', 'error')), r[k].get('finite')) for k in r if k.startswith(('recurrent', 'fla'))})"
done
timeout 150 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" --no-check --chunked --profile > /tmp/${P}_t.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_t.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print(r['n_h'], r['gated'], {k: r[k] for k in r if k.endswith(('_ms', 'MiB')) or k.startswith('speedup')})"
grep -m3 -i "Traceback" /tmp/${P}_*.log | cut -c1-300
