# H200, session 15 call 5. Carry `.whl`; ~8 minutes (timeout_s 560).
# The session-15 defaults (the backward scan's stages from _BWD_SCAN_STAGES; DELTAPROOF_CHUNKED_DS_SCALE=dd):
# (a) the side-by-side table with fla, bf16, n_h 1-4, gated and not (order n_h 3 1 2 4, gated first);
# (b) the 17-shape bf16/fp16 gradient check against float64.
# Back: s15e_table.json/.log, s15e_full.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 380 python3 benchmarks/kernels.py --skip-check --n-h 3 1 2 4 --gated 1 0 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s15e_table.json > $OUT/s15e_table.log 2>&1
echo "table rc=$?"; grep '"n_h"' $OUT/s15e_table.log | python3 -c "
import json,sys
for l in sys.stdin:
    r=json.loads(l); print({k: (round(v,3) if isinstance(v,float) else v) for k,v in r.items() if 'ms' in k or 'speedup' in k or 'relerr' in k or k in ('n_h','gated')})"
timeout 160 python3 benchmarks/grads_set_gpu.py $OUT/s15e_full.json --shapes full --jobs 5 --timeout 120 \
  > $OUT/s15e_full.log 2>&1
echo "full rc=$?"; grep -c " True $" $OUT/s15e_full.log; grep -v " True $" $OUT/s15e_full.log | tail -n 5 | cut -c1-300
