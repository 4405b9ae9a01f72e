# H200, session 14 call 4. Carry nothing; ~8 minutes (timeout_s 600).
# The forward-scan defaults changed after calls 2-3 (kernels/chunked.py _FWD_SCAN_TUNED: pipelining stages, stored
# scores and stored gates by (gated, n_h)); those calls timed the forward alone. Here:
# (a) gated n_h 3, forward alone, the new default (scores and gates stored, 1 stage) against launch variants that
#     offline (Triton 3.6.0) fit without spills: V blocks of 32 (178 registers, 2 per SM), 32 at 2 stages (192),
#     8 warps at 2 stages (230), the W/U launch uncapped (219, no spill; capped at 168 it spills 52 B);
# (b) forward and forward+backward, the old defaults against the new ones, alternated in one process:
#     ungated n_h 1-4 (scan_stages 1 vs 2 covers old and new at every n_h); gated n_h 1 (old: scores stored, gates
#     summed, 2 stages); gated n_h 2-4 (old: scan/cumsum/1 stage; new n_h 2: 2 stages; n_h 3: stored/stored/1;
#     n_h 4: stored/stored/2).
# Back: s14d_*.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
G=DELTAPROOF_CHUNKED_SCAN_GATES
S=DELTAPROOF_CHUNKED_SCORES
show() { grep -v Warn $1 | grep -v _warn_once | grep -v '^ ' | cut -c1-250; }
timeout 110 python3 benchmarks/env_ab_gpu.py $OUT/s14d_n3.json $L \
  "$L=scan_regs=0;$L=scan_bv=32;$L=scan_bv=32,scan_stages=2;$L=scan_warps=8,scan_stages=2;$L=wyapply_regs=0" \
  fwdonly --gated-only --n-h 3 > $OUT/s14d_n3.log 2>&1
echo "n3 rc=$?"; show $OUT/s14d_n3.log
timeout 170 python3 benchmarks/env_ab_gpu.py $OUT/s14d_u.json $L "$L=scan_stages=1;$L=scan_stages=2" \
  fwd --ungated-only --n-h 1 2 3 4 > $OUT/s14d_u.log 2>&1
echo "u rc=$?"; show $OUT/s14d_u.log
timeout 70 python3 benchmarks/env_ab_gpu.py $OUT/s14d_g1.json $G \
  "$S=stored+$G=cumsum+$L=scan_stages=2;$S=stored+$G=stored+$L=scan_stages=2" fwd --gated-only --n-h 1 \
  > $OUT/s14d_g1.log 2>&1
echo "g1 rc=$?"; show $OUT/s14d_g1.log
timeout 200 python3 benchmarks/env_ab_gpu.py $OUT/s14d_g.json $G \
  "$S=scan+$G=cumsum+$L=scan_stages=1;$S=scan+$G=cumsum+$L=scan_stages=2;$S=stored+$G=stored+$L=scan_stages=1;$S=stored+$G=stored+$L=scan_stages=2" \
  fwd --gated-only --n-h 2 3 4 > $OUT/s14d_g.log 2>&1
echo "g rc=$?"; show $OUT/s14d_g.log
