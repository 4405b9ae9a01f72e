# H200, prepared in session 14, ran as session 15 call 1 (5.6 minutes; kernels_h200.json summary_session15). Carry `.whl`; ~8-9 minutes (timeout_s 600).
# The side-by-side table under the final session-14 defaults (commit 8beeaf1 on: _FWD_SCAN_TUNED with the 240-register
# scan cap for the gated forward alone at n_h 3), no override: session 14 measured that cap only through
# DELTAPROOF_CHUNKED_LAUNCH=scan_regs=240 (call 9), and call 5's table stopped before gated n_h 4. bf16, n_h 1-4,
# gated and not, forward and forward+backward, fla's chunk_gated_delta_product in the same process.
# Back: s15a_table.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 560 python3 benchmarks/kernels.py --skip-check --n-h 3 1 2 4 --gated 1 0 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s15a_table.json > $OUT/s15a_table.log 2>&1
echo "table rc=$?"; grep '"n_h"' $OUT/s15a_table.log | python3 -c "
import json,sys
for l in sys.stdin:
    r=json.loads(l); print({k: (round(v,3) if isinstance(v,float) else v) for k,v in r.items() if 'ms' in k or 'speedup' in k or 'relerr' in k or k in ('n_h','gated')})"
