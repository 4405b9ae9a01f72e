# H200, session 8 call 2. Call 1 (gpu_session8.sh) measured DELTAPROOF_CHUNKED_WY_SPLIT=split with 2 warps for the
# inverse 10-15% faster in the forward than the fused WY kernel with 4 (n_h 1, 2, 4, gated and not). This call sweeps
# the two phases' warps around that point (forward, n_h 2 and 4), the fused kernel at 1-2 warps (n_h 2), and re-runs
# gate_zero_gpu.py, cut at 60 s in call 1, with a longer limit.
# Run from the repo root on the device: bash benchmarks/gpu_session8d.sh. Back: s8d_*.json and logs (7 files).
export PYTHONPATH=. PYTHONUNBUFFERED=1
DELTAPROOF_CHUNKED_WY_SPLIT=split timeout 200 python3 benchmarks/launch_sweep_gpu.py $OUT/s8d_split_nh2.json fwd 2 \
  wy_warps=2 wy_warps=1 wy_warps=2,wyapply_warps=2 wy_warps=1,wyapply_warps=2 wy_warps=2,wyapply_warps=1 \
  > $OUT/s8d_sweeps.log 2>&1
DELTAPROOF_CHUNKED_WY_SPLIT=fused timeout 100 python3 benchmarks/launch_sweep_gpu.py $OUT/s8d_fused_nh2.json fwd 2 \
  wy_warps=2 wy_warps=1 >> $OUT/s8d_sweeps.log 2>&1
DELTAPROOF_CHUNKED_WY_SPLIT=split timeout 130 python3 benchmarks/launch_sweep_gpu.py $OUT/s8d_split_nh4.json fwd 4 \
  wy_warps=2 wy_warps=1 wy_warps=2,wyapply_warps=2 >> $OUT/s8d_sweeps.log 2>&1
python3 benchmarks/launch_sweep_gpu.py --summary $OUT/s8d_split_nh2.json $OUT/s8d_fused_nh2.json $OUT/s8d_split_nh4.json | cut -c1-400
timeout 200 python3 benchmarks/gate_zero_gpu.py $OUT/s8d_gate_zero.json > $OUT/s8d_gate_zero.log 2>&1
grep -v Warning $OUT/s8d_gate_zero.log | grep -v "Consider\|return float" | python3 -c "
import sys, json
for line in sys.stdin:
    try: r = json.loads(line)
    except Exception: print(line.rstrip()); continue
    print(r['dtype'], r['n_h'], {k: (v['elements_differing'], '%.1e' % v['rel_diff']) for k, v in r.items() if isinstance(v, dict) and not v['equal']} or 'bitwise equal')
"
