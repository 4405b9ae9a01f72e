# H200, prepared in session 14, ran as session 15 call 3 (1.3 minutes, warm; launch_sweep_h200.json session15). Carry nothing; ~9-10 minutes (timeout_s 600).
# The backward scan's stages and gates, re-timed on today's kernels (the forward scan's session-7 rule turned out
# stale in session 14: 2 stages 5-9% faster at n_h 2-4). Offline (Triton 3.6.0, resources_sm90.py --phase bwd, bf16
# K = V = 128): ungated, the n_h 1 default (2 stages) takes 255 registers, 16 B spilled, 1 program per SM, where 1
# stage takes 255 without spills and 2 per SM; at n_h 2 / 3, 1 stage (the default) 236 / 230 registers and 2 stages
# 219 / 215, no spills, 2 per SM either way. Gated, DELTAPROOF_CHUNKED_BSCAN_GATES=stored (new in session 14, CPU-tested:
# the backward scan loads the gates the forward's WY launch stored) removes its shuffles and its spills at n_h 2 / 3
# (48 / 8 B -> 0); at n_h 1 it spills 240 B at 2 stages and 112 B at 1 (cumsum: 196 / 212 B).
# Here: forward+backward, alternated in one process: (1) ungated n_h 1-4, bscan_stages 1 against 2; (2) gated n_h
# 1-4, stages 1 / 2 with the gates summed or stored. The per-kernel profile at n_h 2 for each.
# Back: s15c_u.json/.log, s15c_g.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
B=DELTAPROOF_CHUNKED_BSCAN_GATES
show() { grep -v Warn $1 | grep -v _warn_once | grep -v '^ ' | cut -c1-250; }
timeout 200 python3 benchmarks/env_ab_gpu.py $OUT/s15c_u.json $L "$L=bscan_stages=1;$L=bscan_stages=2" \
  --ungated-only > $OUT/s15c_u.log 2>&1
echo "u rc=$?"; show $OUT/s15c_u.log
timeout 370 python3 benchmarks/env_ab_gpu.py $OUT/s15c_g.json $B \
  "$B=cumsum+$L=bscan_stages=1;$B=cumsum+$L=bscan_stages=2;$B=stored+$L=bscan_stages=1;$B=stored+$L=bscan_stages=2" \
  --gated-only > $OUT/s15c_g.log 2>&1
echo "g rc=$?"; show $OUT/s15c_g.log
