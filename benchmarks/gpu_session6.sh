# H200, session 6, call 1: the three scan experiments and the 16-bit states, correctness first, then timing.
#   DELTAPROOF_CHUNKED_OUT=parallel      output per chunk outside the forward scan (_fwd_out_kernel)
#   DELTAPROOF_CHUNKED_DD_LOCAL=parallel P^T dO per chunk before the reverse scan (_bwd_local_kernel)
#   DELTAPROOF_CHUNKED_SCAN_BV=32        the two scans with V blocks of 32 and 4 warps
#   DELTAPROOF_CHUNKED_STATES=16bit      chunk states saved for the backward in the dot type (session 5, never run)
# Run from the repo root on the device: bash benchmarks/gpu_session6.sh. Back: s6_grads.json (gradients vs float64
# at the 17-shape set with OUT, DD_LOCAL and STATES on, SCAN_BV 64 and 32), s6_forms.json (each setting against the
# defaults on the same inputs: bitwise equal or how far), s6_time.json (env_ab_gpu.py: fwd and fwd+bwd, n_h 1 2 4,
# gated and not, with the per-kernel profile at n_h 2), logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
DELTAPROOF_CHUNKED_OUT=parallel DELTAPROOF_CHUNKED_DD_LOCAL=parallel DELTAPROOF_CHUNKED_STATES=16bit \
  timeout 190 python3 benchmarks/grads_set_gpu.py $OUT/s6_grads.json --shapes full --jobs 9 --timeout 120 \
  --env DELTAPROOF_CHUNKED_SCAN_BV=64,32 > $OUT/s6_grads.log 2>&1
tail -c 3000 $OUT/s6_grads.log
timeout 110 python3 benchmarks/forms_equal_gpu.py $OUT/s6_forms.json DELTAPROOF_CHUNKED_OUT=parallel \
  DELTAPROOF_CHUNKED_DD_LOCAL=parallel DELTAPROOF_CHUNKED_STATES=16bit DELTAPROOF_CHUNKED_SCAN_BV=32 \
  > $OUT/s6_forms.log 2>&1
python3 -c "
import json; d=json.load(open('$OUT/s6_forms.json'))
for r in d['rows']:
    bad={k:v['rel_diff'] for k,v in r.items() if isinstance(v,dict) and not v['equal']}
    print(r['n_h'],r['dtype'],r['gated'],r['setting'].replace('DELTAPROOF_CHUNKED_',''),r.get('error','') or bad)
"
ALL=DELTAPROOF_CHUNKED_OUT=parallel+DELTAPROOF_CHUNKED_DD_LOCAL=parallel+DELTAPROOF_CHUNKED_STATES=16bit
timeout 270 python3 benchmarks/env_ab_gpu.py $OUT/s6_time.json DELTAPROOF_CHUNKED_OUT \
  scan,DELTAPROOF_CHUNKED_OUT=parallel+DELTAPROOF_CHUNKED_DD_LOCAL=parallel,DELTAPROOF_CHUNKED_STATES=16bit,$ALL,$ALL+DELTAPROOF_CHUNKED_SCAN_BV=32 \
  fwd --n-h 2 1 4 > $OUT/s6_time.log 2>&1
tail -n 12 $OUT/s6_time.log | cut -c1-1500
