# H200, session 7, the last ~140 s of device time: the scans with 1 stage at the n_h that gpu_session7f.sh left out
# (backward n_h 1 and 3, forward n_h 3). Run from the repo root on the device: bash benchmarks/gpu_session7g.sh.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 25 python3 benchmarks/launch_sweep_gpu.py $OUT/s7g_fwd_nh3.json fwd 3 scan_stages=1 > $OUT/s7g_fwd_nh3.log 2>&1
timeout 30 python3 benchmarks/launch_sweep_gpu.py $OUT/s7g_bwd_nh1.json bwd 1 bscan_stages=1 > $OUT/s7g_bwd_nh1.log 2>&1
timeout 30 python3 benchmarks/launch_sweep_gpu.py $OUT/s7g_bwd_nh3.json bwd 3 bscan_stages=1 > $OUT/s7g_bwd_nh3.log 2>&1
# (when this ran on the H200, inline Python printed the same summary; review moved it into --summary)
python3 benchmarks/launch_sweep_gpu.py --summary $OUT/s7g_*.json
