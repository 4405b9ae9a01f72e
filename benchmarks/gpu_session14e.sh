# H200, session 14 call 5. Carry `.whl`; ~9.5 minutes (timeout_s 600).
# (1) The side-by-side table under the session-14 defaults (kernels/chunked.py _FWD_SCAN_TUNED): bf16, n_h 1-4,
#     gated and not, forward and forward+backward, ours and fla's chunk_gated_delta_product in one process, with
#     the forward's error against float64 at the bench shape (kernels/README.md §4).
# (2) then the forward and all gradients against float64 under the new defaults (bf16 K = V = 128: gated n_h 2
#     and 3, scores and gates stored; ungated n_h 3, 2 stages).
# Back: s14e_table.json/.log, s14e_check.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 440 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s14e_table.json > $OUT/s14e_table.log 2>&1
echo "table rc=$?"; grep '"n_h"' $OUT/s14e_table.log | python3 -c "
import json,sys
for l in sys.stdin:
    r=json.loads(l); print({k: (round(v,3) if isinstance(v,float) else v) for k,v in r.items() if 'ms' in k or 'speedup' in k or 'relerr' in k or k in ('n_h','gated')})"
for a in "128 128 2 bfloat16 gated" "128 128 3 bfloat16 gated" "128 128 3 bfloat16"; do
  timeout 45 python3 benchmarks/kernel_grads_gpu.py $a >> $OUT/s14e_check.log 2>&1
done
grep '^{' $OUT/s14e_check.log | cut -c1-400
