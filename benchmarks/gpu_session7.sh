# H200, prepared in session 6, run in session 7 (call 1; scan_forms_h200.json): DELTAPROOF_CHUNKED_BWD_BUFS, the backward's
# buffers in the 16-bit dot type: `16bit` stores dD and dW (bitwise the same values on the CPU), `all16` also the
# partials dKs and dQi (dq, dk, dg change by one more 16-bit rounding). (1) correctness, in parallel: every setting
# against the defaults on the same inputs (forms_equal_gpu.py) and `all16`'s gradients against float64 at the
# 17-shape set; (2) forward+backward time of fp32, 16bit, all16 (env_ab_gpu.py, n_h 2 1 4, profile at n_h 2).
# Run from the repo root on the device: bash benchmarks/gpu_session7.sh. Back: s7_forms.json, s7_grads.json,
# s7_time.json, logs. Then benchmarks/gpu_session7b.sh for the n_h = 1 side-by-side rows.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 190 python3 benchmarks/forms_equal_gpu.py $OUT/s7_forms.json DELTAPROOF_CHUNKED_BWD_BUFS=16bit \
  DELTAPROOF_CHUNKED_BWD_BUFS=all16 > $OUT/s7_forms.log 2>&1 &
timeout 190 python3 benchmarks/grads_set_gpu.py $OUT/s7_grads.json --shapes full --jobs 7 --timeout 120 \
  --env DELTAPROOF_CHUNKED_BWD_BUFS=all16 > $OUT/s7_grads.log 2>&1 &
wait
python3 -c "
import json; d=json.load(open('$OUT/s7_forms.json'))
for r in d['rows']:
    bad={k:'%.1e'%v['rel_diff'] for k,v in r.items() if isinstance(v,dict) and not v['equal']}
    print(r['n_h'],r['dtype'],r['gated'],r['setting'].replace('DELTAPROOF_CHUNKED_',''),r.get('error','') or bad)
"
tail -c 2500 $OUT/s7_grads.log
timeout 300 python3 benchmarks/env_ab_gpu.py $OUT/s7_time.json DELTAPROOF_CHUNKED_BWD_BUFS fp32,16bit,all16 \
  --n-h 2 1 4 > $OUT/s7_time.log 2>&1
tail -n 20 $OUT/s7_time.log | cut -c1-400
