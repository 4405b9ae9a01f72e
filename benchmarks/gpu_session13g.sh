# H200, session 13 call 5. Carry `.whl`; ~4 minutes (timeout_s 330).
# fp32 `tf32` (the default blocks merge since session 12; call 4 measured it at n_h 2: 3.97 ms, 3.01x fla's fused
# recurrent) at n_h 1, 3 and 4, next to fla's fused recurrent delta rule on the interleaved stream, with the
# per-launch profile. Back: s13g_tf32_n{1,3,4}.json, s13g.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
for n in 1 3 4; do
  timeout 95 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s13g_tf32_n$n.json $n --fla --profile --precision tf32 \
    DELTAPROOF_CHUNKED_WY_MERGE=blocks >> $OUT/s13g.log 2>&1
  echo "n_h $n rc=$?"
done
grep -v Warn $OUT/s13g.log | grep -v _warn_once | cut -c1-400
