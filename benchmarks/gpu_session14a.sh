# H200, prepared in session 13, NOT YET RUN. Carry nothing; ~6-7 minutes (timeout_s 600).
# Is fla's layout (a state-only scan, then the output in a parallel kernel) worth a block output kernel for n_h 3?
# Session 13's per-kernel profile next to fla (kernels/README.md §6): fla's h kernel takes 383 / 548 us (gated n_h 2 / 3)
# and its o kernel 318 / 385 us; our fused scan 763 / 1173 us. Session 9 measured our parallel form slower (the scan
# without the output 654 us, but _fwd_out_kernel 763 us at gated n_h 2). Offline (Triton 3.6.0, resources_sm90.py,
# gated n_h 2, OUT=parallel): that kernel ran 8 warps at 158 registers, 1 program per SM (4 warps: 176, 2 per SM)
# over 16384 short programs; its replacement (the block kernel, blocks of one chunk, one V block per program) takes
# 128 registers at 8 warps (2 per SM) and 168 at 4 (3 per SM); the state-only scan at V blocks of 32, 4 warps, 2 stages
# takes 135 registers, no spills, 501 loop instructions (default 64 / 4 / 1: 226, 650). The launch keys out_warps /
# out_stages are new (session 13); OUT=parallel now runs the block kernel with blocks of one chunk (the per-chunk
# kernel session 9 timed is gone; same operations). Here: forward without grad, n_h 2 and 3, gated (the gap), the fused default against
# the parallel form under these launches, alternated in one process, per-launch profile at n_h 2.
# DELTAPROOF_CHUNKED_OUT=blocks (new, session 13, CPU-tested only): the output per block of up to 64 tokens from one
# saved state and the block's rows through scores (fla's o layout; offline 152 / 203 registers at 4 warps, n_h 2 / 3,
# no spills, 3 / 2 programs per SM). Reading: if a parallel form's scan + output at n_h 3 comes near fla's h + o
# (933 us gated), the fused scan has a successor; if the state-only scan stays far above fla's h, not.
# DELTAPROOF_CHUNKED_SCAN_GATES=stored (new, CPU-tested only): the scan loads the chunk's summed gates from the WY
# inverse launch instead of summing them (fla's state-only scan has no shuffles; offline, gated n_h 2 at 32 / 2
# stages: 122 registers, 461 loop instructions, 9 barriers, no shuffles, against fla's 118 / 497 / 12 / 0). Without
# a backward the block form's scan now saves only the states that start a block (1 in n_h chunks, as fla).
# (2) after the timing: the block form's forward and gradients against float64 at K = V = 128 (bf16 n_h 2 and 3
# gated, fp32 n_h 3 gated under tf32x3), on the GPU for the first time.
# Back: s14a.json, s14a.log, s14a_check.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
O=DELTAPROOF_CHUNKED_OUT
L=DELTAPROOF_CHUNKED_LAUNCH
G=DELTAPROOF_CHUNKED_SCAN_GATES
timeout 330 python3 benchmarks/env_ab_gpu.py $OUT/s14a.json $O \
  "scan;$O=parallel;$O=parallel+$L=out_warps=4;$O=blocks;$O=blocks+$L=out_warps=4;$O=blocks+$L=out_warps=4,scan_bv=32,scan_stages=2;$O=blocks+$G=stored+$L=out_warps=4,scan_bv=32,scan_stages=2" \
  fwdonly --gated-only --n-h 2 3 > $OUT/s14a.log 2>&1
echo "rc=$?"; grep -v Warn $OUT/s14a.log | grep -v _warn_once | cut -c1-300
# fp32 under tf32x3 (an `ieee` fp32 backward at K = 128 takes ~10 minutes to compile)
for a in "128 128 2 bfloat16 gated" "128 128 3 bfloat16 gated" "128 128 3 float32 gated"; do
  DELTAPROOF_CHUNKED_OUT=blocks DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 timeout 100 \
    python3 benchmarks/kernel_grads_gpu.py $a >> $OUT/s14a_check.log 2>&1
done
grep '^{' $OUT/s14a_check.log | cut -c1-400
