# H200, session 13 call 8 (call 7 ran it without the variable names in the values, so env_ab_gpu.py set
# variables named `wy_warps` etc. and timed the default four times: a noise check, launch_sweep_h200.json).
# H200, session 13 call 8. Carry nothing; ~3.5 minutes (timeout_s 260; n_h 2 too, where the script profiles).
# The gated n_h 3 forward (0.96x fla, the one bf16 row below 1): launch settings never timed at n_h 3 gated, alternated
# in one process against the default: the W/U launch at 128 registers (4 programs per SM; session 11: -0.4% gated at
# n_h 4, +1.1% at n_h 2), the inverse at 1 warp, the W/U launch at 8 warps. Back: s13i.json, s13i.log
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH  # a value with "=" names its variable (env_ab_gpu.py docstring)
timeout 230 python3 benchmarks/env_ab_gpu.py $OUT/s13i.json DELTAPROOF_CHUNKED_LAUNCH \
  ";$L=wyapply_regs=128;$L=wy_warps=1;$L=wyapply_warps=8" fwdonly --gated-only --n-h 2 3 > $OUT/s13i.log 2>&1
echo "rc=$?"; grep -v Warn $OUT/s13i.log | grep -v _warn_once | cut -c1-300
