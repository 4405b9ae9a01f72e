# H200, prepared in session 13, NOT YET RUN. Carry nothing; ~4-5 minutes (timeout_s 360).
# Is fla's layout (a state-only scan, then the output in a parallel kernel) worth a block output kernel for n_h 3?
# Session 13's per-kernel profile next to fla (kernels/README.md §6): fla's h kernel takes 383 / 548 us (gated n_h 2 / 3)
# and its o kernel 318 / 385 us; our fused scan 763 / 1173 us. Session 9 measured our parallel form slower (the scan
# without the output 654 us, but _fwd_out_kernel 763 us at gated n_h 2). Offline (Triton 3.6.0, resources_sm90.py,
# gated n_h 2, OUT=parallel): _fwd_out_kernel runs 8 warps at 158 registers, 1 program per SM (4 warps: 176, 2 per
# SM; 2 warps: 246, 4 per SM) over 16384 short programs; the state-only scan at V blocks of 32, 4 warps, 2 stages
# takes 135 registers, no spills, 501 loop instructions (default 64 / 4 / 1: 226, 650). The launch keys out_warps /
# out_stages are new (session 13). Here: forward without grad, n_h 2 and 3, gated and not, the fused default against
# the parallel form under these launches, alternated in one process, per-launch profile at n_h 2.
# Reading: if the parallel form's scan + output at n_h 3 comes near fla's h + o (933 us gated), a block output kernel
# (one state per 63-64 tokens, fla's o layout) is the next step; if the state-only scan stays far above fla's h, not.
# Back: s14a.json, s14a.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
O=DELTAPROOF_CHUNKED_OUT
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 340 python3 benchmarks/env_ab_gpu.py $OUT/s14a.json $O \
  "scan;$O=parallel;$O=parallel+$L=out_warps=4;$O=parallel+$L=out_warps=2;$O=parallel+$L=out_warps=4,scan_bv=32,scan_stages=2;$O=parallel+$L=out_warps=2,scan_bv=32,scan_stages=2" \
  fwdonly --n-h 2 3 > $OUT/s14a.log 2>&1
echo "rc=$?"; grep -v Warn $OUT/s14a.log | grep -v _warn_once | cut -c1-300
