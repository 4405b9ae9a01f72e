# H200, prepared in session 14, NOT YET RUN. Carry nothing; ~6 minutes (timeout_s 600).
# The backward scan's pipelining stages, re-timed on today's kernels (the forward scan's session-7 rule turned out
# stale in session 14: 2 stages 5-9% faster at n_h 2-4). Offline (Triton 3.6.0, resources_sm90.py --phase bwd,
# ungated bf16 K = V = 128): at n_h 1 the default (2 stages) takes 255 registers, 16 B spilled, 1 program per SM,
# where 1 stage takes 255 without spills and 2 per SM; at n_h 2 / 3, 1 stage (the default) 236 / 230 registers and
# 2 stages 219 / 215, no spills, 2 per SM either way. n_h 1 ungated forward+backward is the thinnest margin over fla
# (1.01x). Here: forward+backward, bscan_stages 1 against 2, alternated in one process, n_h 1-4, ungated and gated,
# with the per-kernel profile at n_h 2.
# Back: s15c.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 560 python3 benchmarks/env_ab_gpu.py $OUT/s15c.json $L "$L=bscan_stages=1;$L=bscan_stages=2" \
  > $OUT/s15c.log 2>&1
echo "rc=$?"; grep -v Warn $OUT/s15c.log | grep -v _warn_once | grep -v '^ ' | cut -c1-250
