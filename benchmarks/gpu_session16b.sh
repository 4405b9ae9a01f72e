# H200, prepared in session 15, run in session 16 (call 5, after the call-3 defaults: cols for gated n_h 3 and 4).
# Carry `.whl`; ~3 minutes (timeout_s 300).
# The gated n_h 3 forward, the one bf16 row behind fla in session 15 (0.98-0.989x; 1.067x in session 16 call 3 with
# the transposed output tile): kernel-by-kernel device time of
# ours and of fla's chunk_gated_delta_product in the same process (torch.profiler), next to the gated n_h 2 and 4
# rows, where ours leads (1.06x, 1.18x), to see which launch loses the margin at n_h 3.
# Back: s16b_profile.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 280 python3 benchmarks/kernels.py --skip-check --n-h 3 2 4 --gated 1 --rep 30 --no-fp32 --profile \
  --out $OUT/s16b_profile.json > $OUT/s16b_profile.log 2>&1
echo "rc=$?"; grep '"n_h"' $OUT/s16b_profile.log | cut -c1-1500
