# H200, session 12, call 5 (the last of the session's budget). Carry `.whl`; up to ~9.7 minutes (timeout_s 600).
# (1) The side-by-side table under the session-12 defaults (WY_GRAM=once): bf16, n_h 1-4, gated and not, forward
#     and forward+backward, ours and fla's chunk_gated_delta_product in one process (kernels/README.md §4).
# (2) fp32 tf32x3 forward at n_h 1-3 next to fla's fused recurrent, one process per n_h (fp32_fwd_time_gpu.py);
# (3) at the same time as (2), the tf32x3 n_h 4 crash of call 4 (illegal memory access, K = V = 128): the
#     gradient check under the defaults, with the query block padded to 32 rows (DELTAPROOF_CHUNKED_BQ=32), and
#     under the pre-session-12 WY form (fused, WY_GRAM=blocks), each its own process.
# Back: s12g_table.json/.log, s12g_fp32_n{1,2,3}.json, s12g_fp32.log, s12g_diag_*.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 400 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s12g_table.json > $OUT/s12g_table.log 2>&1
echo "table rc=$?"; grep '"n_h"' $OUT/s12g_table.log | python3 -c "
import json,sys
for l in sys.stdin:
    r=json.loads(l); print({k: (round(v,3) if isinstance(v,float) else v) for k,v in r.items() if 'ms' in k or 'speedup' in k or k in ('n_h','gated')})"
D=DELTAPROOF_CHUNKED
for v in default $D\_BQ=32 $D\_WY_SPLIT=fused+$D\_WY_GRAM=blocks; do
  ( export DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3; if [ $v != default ]; then export $(echo $v | tr "+" " "); fi
    timeout 150 python3 benchmarks/kernel_grads_gpu.py 128 128 4 float32 > $OUT/s12g_diag_$(echo $v | tr '=+' '__').log 2>&1
    echo "rc=$?" >> $OUT/s12g_diag_$(echo $v | tr '=+' '__').log ) &
done
export DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3
for n in 1 2 3; do
  timeout 60 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12g_fp32_n$n.json $n --fla $D\_WY_GRAM=once >> $OUT/s12g_fp32.log 2>&1
done
unset DELTAPROOF_CHUNKED_FP32_DOTS
grep -v Warn $OUT/s12g_fp32.log | grep -v _warn_once | cut -c1-300
wait
for f in $OUT/s12g_diag_*.log; do echo "$f: $(tail -c 400 $f)"; done
