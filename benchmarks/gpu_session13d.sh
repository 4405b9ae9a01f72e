# H200, session 13 call 1. Carry `.whl`; ~5-8 minutes (timeout_s 600).
# Where the gated n_h 3 forward loses to fla (0.96x in session 12): ours and fla's device time per kernel
# (torch.profiler, benchmarks/kernels.py --profile) at n_h 2 and 3, gated, and n_h 3 ungated, side by side in one
# process. fla's per-kernel figures at n_h 3 were never taken.
# Back: s13d_profile.json/.log
set -u
export PYTHONUNBUFFERED=1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site
timeout 560 python3 benchmarks/kernels.py --skip-check --n-h 3 2 --gated 1 0 --no-fp32 --profile --rep 30 \
  --out "$OUT/s13d_profile.json" > "$OUT/s13d_profile.log" 2>&1
echo "profile rc=$?"
grep '"n_h"' "$OUT/s13d_profile.log" | cut -c1-2500
