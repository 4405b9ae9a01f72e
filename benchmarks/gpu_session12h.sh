# H200, session 12, call 6 (the last ~250 s of the budget). Carry nothing; ~2.5 minutes (timeout_s 200).
# DELTAPROOF_CHUNKED_SCORES=stored (new): the WY kernel's W/U step forms the output scores P once per chunk and the
# forward scan loads them. Offline (Triton 3.6.0, resources_sm90.py): the gated scan's loop 1086 -> 751 SASS
# instructions at n_h 2 (1040 -> 753 at n_h 3), barriers 29 -> 19, exp 18 -> 3, spills 20 -> 0 B; the gated W/U
# launch 1144 -> 1616 instructions at 168 registers (3 programs per SM either way). Bitwise the same values in the
# interpreter (bf16/fp32, n_h 1-4, gated and not). Here: the gated bf16 forward, scan against stored, alternated in
# one process, n_h 2 and 3, and the per-launch profile at n_h 2. Back: s12h.json/.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 170 python3 benchmarks/env_ab_gpu.py $OUT/s12h.json DELTAPROOF_CHUNKED_SCORES scan,stored fwdonly --gated-only \
  --n-h 2 3 > $OUT/s12h.log 2>&1
echo "rc=$?"; cut -c1-300 $OUT/s12h.log
