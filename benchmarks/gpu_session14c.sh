# H200, session 14 call 3. Carry nothing; ~6 minutes (timeout_s 600).
# Call 2 (gpu_session14b.sh, gated forward): the fused scan at 2 pipelining stages (DELTAPROOF_CHUNKED_LAUNCH=
# scan_stages=2) 1.937 -> 1.793 ms at n_h 2, 3.367 -> 3.064 at n_h 4, 2.905 -> 2.886 at n_h 3; SCAN_GATES=stored
# 1.051 -> 1.015 at n_h 1 but slower at n_h 2-3. Offline (Triton 3.6.0, resources_sm90.py, gated n_h 3): the fused
# scan is at 255 registers with 8 B spilled (1 stage) / 244 B (2 stages); with the scores and the gates stored by the
# WY launches (SCORES=stored + SCAN_GATES=stored) it needs 244 registers without spills at 1 stage and 255 without
# spills at 2 stages (the W/U launch then spills 52 B). Here, forward alone, values alternated in one process:
# gated n_h 1-4 under five settings; ungated n_h 1-4, the default against 2 stages.
# Back: s14c_g.json/.log, s14c_u.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
G=DELTAPROOF_CHUNKED_SCAN_GATES
S=DELTAPROOF_CHUNKED_SCORES
timeout 400 python3 benchmarks/env_ab_gpu.py $OUT/s14c_g.json $G \
  "cumsum;$L=scan_stages=2;$G=stored+$L=scan_stages=2;$G=stored+$S=stored;$G=stored+$S=stored+$L=scan_stages=2" \
  fwdonly --gated-only --n-h 1 2 3 4 > $OUT/s14c_g.log 2>&1
echo "rc=$?"; grep -v Warn $OUT/s14c_g.log | grep -v _warn_once | cut -c1-260
timeout 150 python3 benchmarks/env_ab_gpu.py $OUT/s14c_u.json $L \
  "$L=scan_stages=1;$L=scan_stages=2" fwdonly --ungated-only --n-h 1 2 3 4 > $OUT/s14c_u.log 2>&1
echo "rc=$?"; grep -v Warn $OUT/s14c_u.log | grep -v _warn_once | cut -c1-260
