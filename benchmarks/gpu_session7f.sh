# H200, session 7, last call (~200 s of device time left): our n_h = 4 times under the session-7 defaults (the
# side-by-side run of gpu_session7e.sh stopped at its time limit before n_h = 4) and the scans without pipelining
# (stages 1; at n_h 2 forward 0.98x, forward+backward 0.955x), at n_h 4 and 1. launch_sweep_gpu.py, bf16, ungated.
# Run from the repo root on the device: bash benchmarks/gpu_session7f.sh. Back: s7f_*.json and logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 35 python3 benchmarks/launch_sweep_gpu.py $OUT/s7f_fwd_nh4.json fwd 4 scan_stages=1 > $OUT/s7f_fwd_nh4.log 2>&1
timeout 65 python3 benchmarks/launch_sweep_gpu.py $OUT/s7f_bwd_nh4.json bwd 4 bscan_stages=1 > $OUT/s7f_bwd_nh4.log 2>&1
timeout 35 python3 benchmarks/launch_sweep_gpu.py $OUT/s7f_fwd_nh1.json fwd 1 scan_stages=1 > $OUT/s7f_fwd_nh1.log 2>&1
# (when this ran on the H200, inline Python printed the same summary; review moved it into --summary)
python3 benchmarks/launch_sweep_gpu.py --summary $OUT/s7f_*.json
