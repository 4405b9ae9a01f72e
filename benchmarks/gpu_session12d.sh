# H200, session 12, call 2. Carry `.whl`; up to ~9 minutes (timeout_s 600).
# Call 1 (gpu_session12c.sh, benchmarks/results/fp32_h200.json session12): the fp32 forward at n_h 2 is WY
# kernel + scan; splitting the WY kernel (bf16's layout since session 8) took tf32x3 13.93 -> 11.68 ms (fla's fused
# recurrent 11.96 ms) and tf32 9.04 -> 6.59 ms; ieee at ptxas level 1 82.9 ms. This call times launch geometry and
# the output's placement for fp32, each launch profiled on its own (the WY kernel's two launches apart):
# (1) tf32x3 under six settings; (2) tf32, and tf32 with the inverse's dots at tf32 (what the inverse's tf32x3
# costs); (3) ieee at ptxas level 1 with the WY kernel split (4, and 8 warps: the fewest spills offline).
# Back: s12d_{x3,tf32,ieee}.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
D=DELTAPROOF_CHUNKED
X=$D\_FP32_DOTS=tf32x3+$D\_WY_SPLIT=split
timeout 230 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12d_x3.json 2 --fla --profile \
  $X $X+$D\_OUT=parallel $X+$D\_OUT=parallel+$D\_LAUNCH=scan_warps=4 \
  $X+$D\_LAUNCH=wy_warps=8,wyapply_warps=8 $X+$D\_LAUNCH=wy_warps=2 $X+$D\_LAUNCH=wyapply_warps=8 \
  > $OUT/s12d_x3.log 2>&1
echo "x3 rc=$?"; grep -v Warn $OUT/s12d_x3.log | grep -v _warn_once | cut -c1-700
timeout 100 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12d_tf32.json 2 --profile --precision tf32 \
  $D\_WY_SPLIT=split $D\_WY_SPLIT=split+$D\_INV_PREC=tf32 $D\_WY_SPLIT=split+$D\_OUT=parallel+$D\_LAUNCH=scan_warps=4 \
  > $OUT/s12d_tf32.log 2>&1
echo "tf32 rc=$?"; grep -v Warn $OUT/s12d_tf32.log | grep -v _warn_once | cut -c1-700
timeout 230 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12d_ieee.json 2 --profile \
  $D\_PTXAS_OPT=1+$D\_WY_SPLIT=split $D\_PTXAS_OPT=1+$D\_WY_SPLIT=split+$D\_LAUNCH=wy_warps=8,wyapply_warps=8 \
  > $OUT/s12d_ieee.log 2>&1
echo "ieee rc=$?"; grep -v Warn $OUT/s12d_ieee.log | grep -v _warn_once | cut -c1-700
