# H200, prepared in session 12, NOT YET RUN. Carry nothing; up to ~6 minutes (timeout_s 400).
# (1) DELTAPROOF_CHUNKED_SCORES=stored as changed after session 12's call 6: the queries loaded before the W/U work
#     (their latency overlapping it; call 6 loaded them after, and the W/U launch took 109 us more at n_h 2) and the
#     W/U launch capped at 168 registers ungated too (offline: 227 -> 168, 8 B spilled, 3 programs per SM). bf16
#     forward, scan against stored alternated in one process, n_h 1-4, ungated and gated, per-launch profile at n_h 2.
#     Adopt only if faster at every n_h, gated and not (call 6: gated -2.6% at n_h 2, +0.6% at n_h 3).
# The fp32 part is gpu_session13b.sh.
# Back: s13_scores.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 330 python3 benchmarks/env_ab_gpu.py $OUT/s13_scores.json DELTAPROOF_CHUNKED_SCORES scan,stored fwdonly \
  > $OUT/s13_scores.log 2>&1
echo "scores rc=$?"; grep -v Warn $OUT/s13_scores.log | grep -v _warn_once | cut -c1-300
