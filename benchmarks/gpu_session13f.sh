# H200, session 13 call 4. Carry `.whl`; ~7 minutes (timeout_s 600).
# (1) The gated n_h 1 row of the side-by-side table under the new default (output scores stored by the W/U launch,
#     commit 6cb3ef9, `auto`), ours and fla's chunk_gated_delta_product in one process, twice in two fresh
#     processes (fla's own autotuning makes its gated n_h 1 forward bimodal across processes: 1.08-1.57 ms).
# (2) fp32 `tf32` with the WY merge on blocks against the four-product merge, n_h 2, next to fla's fused recurrent
#     (the first part of gpu_session13b.sh; its ieee and gradient parts are left for a later session).
# Back: s13f_n1_{a,b}.json, s13f_n1.log, s13f_merge_tf32.json, s13f_merge.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
for run in a b; do
  timeout 200 python3 benchmarks/kernels.py --skip-check --n-h 1 --gated 1 --no-fp32 --out "$OUT/s13f_n1_$run.json" \
    >> "$OUT/s13f_n1.log" 2>&1
  echo "n1 $run rc=$?"
done
grep '"n_h"' "$OUT/s13f_n1.log" | cut -c1-700
D=DELTAPROOF_CHUNKED
timeout 150 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s13f_merge_tf32.json 2 --fla --profile --precision tf32 \
  $D\_WY_MERGE=full $D\_WY_MERGE=blocks > $OUT/s13f_merge.log 2>&1
echo "merge rc=$?"; grep -v Warn $OUT/s13f_merge.log | grep -v _warn_once | cut -c1-400
