# H200, session 12, call 4. Carry `.whl`; up to ~8 minutes (timeout_s 600). Accuracy under the session-12 defaults
# (WY_GRAM=once everywhere; fp32: the WY kernel split, `ieee` assembled at ptxas level 1), all three jobs at once
# (accuracy only, no timing in this call):
# (a) fp32 gradients against float64, `ieee` (level 1 now) and `tf32x3`, K = V = 128 (n_h 1, 2, 4, gated n_h 2)
#     and 256 (its `ieee` compile outlasted 330 s at the default level in session 11);
# (b) the 17-shape bf16/fp16 gradient check against float64;
# (c) bf16 next to fla over 8 seeds: ungated forward+backward at n_h 1-4, then the gated forward at n_h 1-4.
# Back: s12f_fp32.json/.log, s12f_full.json/.log, s12f_acc.json/.log, s12f_accg.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 420 python3 benchmarks/grads_set_gpu.py $OUT/s12f_fp32.json --shapes fp32 --jobs 10 --timeout 400 \
  --env DELTAPROOF_CHUNKED_FP32_DOTS=ieee,tf32x3 > $OUT/s12f_fp32.log 2>&1 &
A=$!
timeout 300 python3 benchmarks/grads_set_gpu.py $OUT/s12f_full.json --shapes full --jobs 5 --timeout 200 \
  > $OUT/s12f_full.log 2>&1 &
B=$!
(timeout 300 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s12f_acc.json --seeds 8 --n-h 1 2 3 4 > $OUT/s12f_acc.log 2>&1
 echo "acc rc=$?" >> $OUT/s12f_acc.log
 timeout 150 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s12f_accg.json --seeds 8 --n-h 1 2 3 4 --gated --forward-only \
   > $OUT/s12f_accg.log 2>&1
 echo "accg rc=$?" >> $OUT/s12f_accg.log) &
C=$!
wait $B; echo "full rc=$?"; tail -n 4 $OUT/s12f_full.log | cut -c1-300
wait $C; grep "^n_h\|rc=" $OUT/s12f_acc.log $OUT/s12f_accg.log | cut -c1-700
wait $A; echo "fp32 rc=$?"; tail -n 12 $OUT/s12f_fp32.log | cut -c1-400
