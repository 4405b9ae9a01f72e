# H200, session 7: sweep of the launch geometry (DELTAPROOF_CHUNKED_LAUNCH) at the benchmark shape, bf16, ungated:
# the forward's scan V block / warps / stages and the WY kernel's warps at n_h 2, 1, 4, 3 (no-grad forward), then
# the backward's scan, K-block and chunk kernels at n_h 2 and 1 (forward+backward). Each (phase, n_h) is its own
# process (benchmarks/launch_sweep_gpu.py). Run from the repo root on the device: bash benchmarks/gpu_session7d.sh.
# Back: s7_launch_{fwd,bwd}_nh*.json and logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
F="scan_bv=32,scan_warps=4 scan_bv=32,scan_warps=8 scan_bv=64,scan_warps=4 scan_bv=64,scan_warps=8
   scan_bv=64,scan_warps=8,scan_stages=3 scan_bv=64,scan_warps=8,scan_stages=1 scan_bv=32,scan_warps=4,scan_stages=3
   scan_bv=32,scan_warps=2 wy_warps=8 wy_warps=2"
B="bscan_bv=32,bscan_warps=4 bscan_bv=32,bscan_warps=8 bscan_bv=64,bscan_warps=4 bscan_bv=64,bscan_warps=8
   bscan_stages=3 kblock_warps=8 kblock_warps=2 kblock_stages=3 chunk_warps=4 chunk_warps=16"
for n in 2 1 4 3; do
  timeout 80 python3 benchmarks/launch_sweep_gpu.py $OUT/s7_launch_fwd_nh$n.json fwd $n $F > $OUT/s7_launch_fwd_nh$n.log 2>&1
  echo "fwd n_h $n rc $?"
done
timeout 170 python3 benchmarks/launch_sweep_gpu.py $OUT/s7_launch_bwd_nh2.json bwd 2 $B > $OUT/s7_launch_bwd_nh2.log 2>&1
echo "bwd n_h 2 rc $?"
timeout 80 python3 benchmarks/launch_sweep_gpu.py $OUT/s7_launch_bwd_nh1.json bwd 1 $B > $OUT/s7_launch_bwd_nh1.log 2>&1
echo "bwd n_h 1 rc $?"
# (when this ran on the H200, inline Python printed the same summary; review moved it into --summary)
python3 benchmarks/launch_sweep_gpu.py --summary $OUT/s7_launch_*.json
