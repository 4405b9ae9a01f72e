# H200, prepared in session 6 and NOT YET RUN (no device time was left): (1) DELTAPROOF_CHUNKED_BWD_BUFS=16bit (dD
# and dW stored in the dot type; bitwise the same values on the CPU) against the defaults on the same inputs, then
# its forward+backward time (env_ab_gpu.py, n_h 2 1 4, profile at n_h 2); (2) the side-by-side rows at n_h = 1 with
# fla, which session 6's table measured before the n_h = 1 default of V blocks of 32 for the scans.
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_session7.sh.
# Back: s7_forms.json, s7_time.json, s7_side_nh1.json, logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 150 python3 benchmarks/forms_equal_gpu.py $OUT/s7_forms.json DELTAPROOF_CHUNKED_BWD_BUFS=16bit \
  > $OUT/s7_forms.log 2>&1
python3 -c "
import json; d=json.load(open('$OUT/s7_forms.json'))
for r in d['rows']:
    bad={k:'%.1e'%v['rel_diff'] for k,v in r.items() if isinstance(v,dict) and not v['equal']}
    print(r['n_h'],r['dtype'],r['gated'],r['setting'].replace('DELTAPROOF_CHUNKED_',''),r.get('error','') or bad)
"
timeout 200 python3 benchmarks/env_ab_gpu.py $OUT/s7_time.json DELTAPROOF_CHUNKED_BWD_BUFS fp32,16bit \
  --n-h 2 1 4 > $OUT/s7_time.log 2>&1
tail -n 14 $OUT/s7_time.log | cut -c1-600
timeout 200 python3 benchmarks/kernels.py --skip-check --n-h 1 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s7_side_nh1.json > $OUT/s7_side_nh1.log 2>&1
tail -n 4 $OUT/s7_side_nh1.log | cut -c1-600
