# H200, prepared in session 7, run in session 8 (launch_sweep_h200.json, scan_forms_h200.json). Three things, in one call of ~560 s:
# (1) correctness, in parallel: DELTAPROOF_CHUNKED_WY_SPLIT=split against the defaults on the same inputs
#     (forms_equal_gpu.py: expected bitwise equal) and the 17-shape gradient check under the session-7 defaults
#     (4-warp scans, 1 stage at n_h >= 2; never re-run at the other K = 128 shapes); then whether ungated calls
#     (which skip the gate factors since session 7) give bitwise what g = 0 gives (gate_zero_gpu.py);
# (2) the WY split's time: fused / split / split with 8 warps for the W/U phase / split with 2 warps for the inverse
#     (env_ab_gpu.py, forward and forward+backward, n_h 2 1 4, profile at n_h 2).
# Run from the repo root on the device: bash benchmarks/gpu_session8.sh. Back: s8_forms.json, s8_grads.json,
# s8_gate_zero.json, s8_time.json and four logs (8 files: the most that come back). Then gpu_session8b.sh, and
# gpu_session8c.sh with `.whl` carried (accuracy next to fla, the side-by-side table).
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 190 python3 benchmarks/forms_equal_gpu.py $OUT/s8_forms.json DELTAPROOF_CHUNKED_WY_SPLIT=split \
  > $OUT/s8_forms.log 2>&1 &
timeout 190 python3 benchmarks/grads_set_gpu.py $OUT/s8_grads.json --shapes full --jobs 7 --timeout 120 \
  > $OUT/s8_grads.log 2>&1 &
wait
python3 -c "
import json; d=json.load(open('$OUT/s8_forms.json'))
for r in d['rows']:
    bad={k:'%.1e'%v['rel_diff'] for k,v in r.items() if isinstance(v,dict) and not v['equal']}
    print(r['n_h'],r['dtype'],r['gated'],r.get('error','') or bad or 'bitwise equal')
"
tail -c 1500 $OUT/s8_grads.log
timeout 60 python3 benchmarks/gate_zero_gpu.py $OUT/s8_gate_zero.json > $OUT/s8_gate_zero.log 2>&1
tail -n 1 $OUT/s8_gate_zero.log
timeout 300 python3 benchmarks/env_ab_gpu.py $OUT/s8_time.json DELTAPROOF_CHUNKED_WY_SPLIT \
  fused,split,DELTAPROOF_CHUNKED_WY_SPLIT=split+DELTAPROOF_CHUNKED_LAUNCH=wyapply_warps=8,DELTAPROOF_CHUNKED_WY_SPLIT=split+DELTAPROOF_CHUNKED_LAUNCH=wy_warps=2 \
  fwd --n-h 2 1 4 > $OUT/s8_time.log 2>&1
tail -n 30 $OUT/s8_time.log | cut -c1-300
