# H200, prepared in session 14, ran as session 15 call 2 (scan_forms_h200.json session15). Carry `.whl`; ~6 minutes (timeout_s 600). Accuracy under the
# session-14 defaults (the forward scan's table: gated calls take their summed gates and output scores from the WY
# launches, a different summation launch than before; stages and register caps change no value):
# (a) the 17-shape bf16/fp16 gradient check against float64;
# (b) bf16 next to fla over 8 seeds, the gated forward at n_h 1-4 (fla's gated backward refuses on Triton 3.6).
# Back: s15b_full.json/.log, s15b_accg.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 300 python3 benchmarks/grads_set_gpu.py $OUT/s15b_full.json --shapes full --jobs 5 --timeout 200 \
  > $OUT/s15b_full.log 2>&1 &
B=$!
timeout 200 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s15b_accg.json --seeds 8 --n-h 1 2 3 4 --gated --forward-only \
  > $OUT/s15b_accg.log 2>&1
echo "accg rc=$?"; grep "^n_h" $OUT/s15b_accg.log | cut -c1-700
wait $B; echo "full rc=$?"; tail -n 4 $OUT/s15b_full.log | cut -c1-300
