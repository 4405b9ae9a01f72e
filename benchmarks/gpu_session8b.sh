# H200, prepared in session 7; its fp32 part did not run and is superseded by gpu_session9c.sh: (1) the launch sweep for fp32 with precision="tf32x3" (forward, n_h 2;
# fp32 kept the session-6 geometry: 8 warps, unpipelined scans, because nothing was measured); (2) the two parallel
# scan forms, which session 6 measured against the 8-warp scans, against the 4-warp, 1-stage scans of session 7.
# Run from the repo root on the device: bash benchmarks/gpu_session8b.sh. Back: s8b_*.json and logs (6 files).
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 240 python3 benchmarks/launch_sweep_gpu.py $OUT/s8b_fp32_fwd_nh2.json fwd 2 --dtype fp32 --precision tf32x3 \
  scan_bv=32,scan_warps=4 scan_bv=32,scan_warps=8 scan_bv=32,scan_warps=4,scan_stages=2 scan_warps=4 wy_warps=8 \
  > $OUT/s8b_fp32_fwd_nh2.log 2>&1
tail -n 14 $OUT/s8b_fp32_fwd_nh2.log | cut -c1-300
timeout 300 python3 benchmarks/env_ab_gpu.py $OUT/s8b_forms_time.json DELTAPROOF_CHUNKED_OUT \
  scan,parallel,DELTAPROOF_CHUNKED_DD_LOCAL=parallel fwd --n-h 2 1 4 > $OUT/s8b_forms_time.log 2>&1
tail -n 20 $OUT/s8b_forms_time.log | cut -c1-300
