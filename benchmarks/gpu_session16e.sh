# H200, session 16 call 3. Carry `.whl`; ~8 minutes (timeout_s 560).
# The session-16 defaults (the forward scan's output tile transposed, DELTAPROOF_CHUNKED_SCAN_OUT=cols, for the
# gated n_h 3 forward alone with 2 stages uncapped and for gated n_h 4, from _FWD_SCAN_TUNED; the rest as in session 15):
# (a) the side-by-side table with fla, bf16, n_h 1-4, gated and not (order n_h 3 4 1 2, gated first);
# (b) the 17-shape bf16/fp16 gradient check against float64.
# Back: s16e_table.json/.log, s16e_full.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 380 python3 benchmarks/kernels.py --skip-check --n-h 3 4 1 2 --gated 1 0 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s16e_table.json > $OUT/s16e_table.log 2>&1
echo "table rc=$?"; grep '"n_h"' $OUT/s16e_table.log | python3 -c "
import json,sys
for l in sys.stdin:
    r=json.loads(l); print({k: (round(v,3) if isinstance(v,float) else v) for k,v in r.items() if 'ms' in k or 'speedup' in k or 'relerr' in k or k in ('n_h','gated')})"
timeout 160 python3 benchmarks/grads_set_gpu.py $OUT/s16e_full.json --shapes full --jobs 5 --timeout 120 \
  > $OUT/s16e_full.log 2>&1
echo "full rc=$?"; grep -c " True $" $OUT/s16e_full.log; grep -v " True $" $OUT/s16e_full.log | tail -n 5 | cut -c1-300
