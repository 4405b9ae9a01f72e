# H200, session 12, call 1. Carry `.whl`; up to ~9.5 minutes (timeout_s 600).
# Where the fp32 forward's time goes, and how far launch settings move it, against fla's fp32 path side by side.
# Offline (resources_sm90.py, Triton 3.6.0, n_h 2): fp32 runs none of the bf16 launch tuning of sessions 6-11 (the
# WY kernel fused at 4 warps, 2072 B spilled; the scan at 8 warps, 1 program per SM, 1480 B spilled under tf32x3).
# (1) tf32x3 (fp32-level accuracy, session 6: 20.6 ms, 0.58x fla) at n_h 2 under four settings, per-kernel profile,
#     fla's fused recurrent first in the same process; (2) tf32 (one pass) under two; (3) ieee at ptxas
#     --opt-level 1 (offline: 255 registers, 2-5x fewer spills than at the default level), one setting.
# Back: s12c_{x3,tf32,ieee}.json/.log
# Run from the repo root on the device: bash benchmarks/gpu_session12c.sh
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
D=DELTAPROOF_CHUNKED
timeout 250 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12c_x3.json 2 --fla --profile \
  $D\_FP32_DOTS=tf32x3 \
  $D\_FP32_DOTS=tf32x3+$D\_WY_SPLIT=split \
  $D\_FP32_DOTS=tf32x3+$D\_WY_SPLIT=split+$D\_LAUNCH=scan_bv=32 \
  $D\_FP32_DOTS=tf32x3+$D\_WY_SPLIT=split+$D\_LAUNCH=scan_warps=4 \
  > $OUT/s12c_x3.log 2>&1
echo "x3 rc=$?"; cut -c1-900 $OUT/s12c_x3.log
timeout 120 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12c_tf32.json 2 --profile --precision tf32 \
  $D\_WY_SPLIT=fused $D\_WY_SPLIT=split > $OUT/s12c_tf32.log 2>&1
echo "tf32 rc=$?"; cut -c1-900 $OUT/s12c_tf32.log
timeout 190 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12c_ieee.json 2 --profile \
  $D\_PTXAS_OPT=1 > $OUT/s12c_ieee.log 2>&1
echo "ieee rc=$?"; cut -c1-900 $OUT/s12c_ieee.log
