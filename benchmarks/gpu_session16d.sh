# H200, session 16 call 2. No carry needed (ours only); ~9 minutes (timeout_s 600).
# Session 16 call 1 (gpu_session16c.sh) measured DELTAPROOF_CHUNKED_SCAN_OUT=cols with 2 stages uncapped at 2.51 ms
# for the gated n_h 3 forward against 2.74 ms for the default (rows, 1 stage, cap 240). The same short query block
# (BQ = 32 at n_h 2-3, 16 at n_h 4) sits in every n_h >= 2 scan, gated or not, and in the forward that saves for a
# backward. This call times cols against rows there, forward alone and forward+backward, alternated in one process:
# (a) gated n_h 2-4: rows (default launch) / cols (default launch) / cols with 2 stages uncapped;
# (b) ungated n_h 2-4: rows / cols (the ungated default is already 2 stages uncapped).
# Back: s16d_gated.json/.log, s16d_ungated.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
O=DELTAPROOF_CHUNKED_SCAN_OUT
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 320 python3 benchmarks/env_ab_gpu.py $OUT/s16d_gated.json $O \
  "$O=rows;$O=cols;$O=cols+$L=scan_stages=2,scan_regs=0" fwd --gated-only --n-h 3 2 4 > $OUT/s16d_gated.log 2>&1
echo "gated rc=$?"; grep '"n_h"' $OUT/s16d_gated.log | cut -c1-250
timeout 240 python3 benchmarks/env_ab_gpu.py $OUT/s16d_ungated.json $O "rows,cols" fwd --ungated-only --n-h 3 2 4 \
  > $OUT/s16d_ungated.log 2>&1
echo "ungated rc=$?"; grep '"n_h"' $OUT/s16d_ungated.log | cut -c1-250
