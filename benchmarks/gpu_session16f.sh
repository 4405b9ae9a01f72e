# H200, session 16 call 6. Carry `.whl`; ~3 minutes (timeout_s 300).
# The gated forward's accuracy next to fla under the session-16 defaults: the n_h 3 forward alone and n_h 4 now form
# the output tile transposed (DELTAPROOF_CHUNKED_SCAN_OUT=cols, _FWD_SCAN_TUNED); session 15's comparison (call 2,
# 0.96-0.995x fla's norm-wise error for o and the final state) was made with rows. 8 seeds, n_h 3 and 4, forward only
# (no autograd: the path that takes cols), the default (cols) and DELTAPROOF_CHUNKED_SCAN_OUT=rows as a variant.
# Back: s16f_accg.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 240 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s16f_accg.json --seeds 8 --n-h 3 4 --gated --forward-only \
  --variant DELTAPROOF_CHUNKED_SCAN_OUT=rows > $OUT/s16f_accg.log 2>&1
echo "accg rc=$?"; grep "n_h" $OUT/s16f_accg.log | cut -c1-700
