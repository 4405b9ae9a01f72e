# H200, session 6, call 2: the WY merge on 16 x 16 blocks (DELTAPROOF_CHUNKED_WY_MERGE=blocks), the scans' V blocks
# of 32 alone, and the fp32 tf32x3 experiment's gradients (prepared in session 5, never run).
# Run from the repo root on the device: bash benchmarks/gpu_session6b.sh. Back: s6b_grads.json (17-shape set under
# WY_MERGE=blocks, with this commit's defaults), s6b_fp32_grads.json (fp32 shapes, FP32_DOTS ieee and tf32x3),
# s6b_forms.json (WY_MERGE=blocks and SCAN_BV=32 against the defaults, same inputs), s6b_time.json (env_ab_gpu.py
# fwd and fwd+bwd at n_h 2 1 4 with the per-kernel profile at n_h 2; INV_PREC=tf32 is a diagnostic only: the
# full merge's products in one tf32 pass, to see what the tf32x3 passes cost), logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 200 python3 benchmarks/grads_set_gpu.py $OUT/s6b_grads.json --shapes full --jobs 7 --timeout 120 \
  --env DELTAPROOF_CHUNKED_WY_MERGE=blocks > $OUT/s6b_grads.log 2>&1 &
timeout 200 python3 benchmarks/grads_set_gpu.py $OUT/s6b_fp32_grads.json --shapes fp32 --jobs 5 --timeout 180 \
  --env DELTAPROOF_CHUNKED_FP32_DOTS=ieee,tf32x3 > $OUT/s6b_fp32_grads.log 2>&1 &
wait
tail -c 2500 $OUT/s6b_grads.log; tail -c 2000 $OUT/s6b_fp32_grads.log
timeout 90 python3 benchmarks/forms_equal_gpu.py $OUT/s6b_forms.json DELTAPROOF_CHUNKED_WY_MERGE=blocks \
  DELTAPROOF_CHUNKED_SCAN_BV=32 > $OUT/s6b_forms.log 2>&1
python3 -c "
import json; d=json.load(open('$OUT/s6b_forms.json'))
for r in d['rows']:
    bad={k:'%.1e'%v['rel_diff'] for k,v in r.items() if isinstance(v,dict) and not v['equal']}
    print(r['n_h'],r['dtype'],r['gated'],r['setting'].replace('DELTAPROOF_CHUNKED_',''),r.get('error','') or bad)
"
B=DELTAPROOF_CHUNKED_WY_MERGE=blocks
timeout 230 python3 benchmarks/env_ab_gpu.py $OUT/s6b_time.json DELTAPROOF_CHUNKED_WY_MERGE \
  full,blocks,DELTAPROOF_CHUNKED_INV_PREC=tf32,DELTAPROOF_CHUNKED_SCAN_BV=32,$B+DELTAPROOF_CHUNKED_SCAN_BV=32 \
  fwd --n-h 2 1 4 > $OUT/s6b_time.log 2>&1
python3 -c "
import json; d=json.load(open('$OUT/s6b_time.json'))
for r in d['rows']: print(r['n_h'], r['gated'], r['round'], r['DELTAPROOF_CHUNKED_WY_MERGE'].replace('DELTAPROOF_CHUNKED_',''), r.get('fwd_ms'), r['fwd_bwd_ms'])
for v,p in d['profile_n_h2'].items(): print(v.replace('DELTAPROOF_CHUNKED_',''), {k[:30]: x for k, x in p.items()})
"
