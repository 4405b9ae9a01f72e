# H200, prepared in session 8 and NOT YET RUN; supersedes gpu_session8b.sh's fp32 part. The fp32 path at fp32-level
# accuracy (precision="tf32x3") still runs the session-6 geometry (8-warp unpipelined scans, the fused WY kernel at
# 4 warps): none of the bf16 launch findings of sessions 7-8 were tried on it. Forward without grad, n_h 2, against
# its defaults: (1) fused WY kernel with the scans at 4 warps and V blocks of 64 or 32, and the WY kernel at 2 warps;
# (2) the WY split (inverse / W-U) at 4/4 (its default), 8/4, 8/8 and 2/4 warps. Offline (benchmarks/resources_sm90.py,
# Triton 3.7.1): the fused fp32 tf32x3 WY kernel spills 1208 / 1424 B per thread, the split inverse 56 / 64 B at 4
# warps and 8 / 8 B at 8 (3224 B at 2), W/U none; the 8-warp scan spills 1684 / 1828 B, more with 4 warps or V
# blocks of 32. fla's fp32 path took 11.9 ms at
# this shape (session 3); tf32x3 20.6 ms (session 6). ~350 s (fp32 compiles are slow).
# Run from the repo root on the device: bash benchmarks/gpu_session9c.sh. Back: s9c_*.json and logs (4 files).
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 220 python3 benchmarks/launch_sweep_gpu.py $OUT/s9c_fused.json fwd 2 --dtype fp32 --precision tf32x3 \
  scan_warps=4 scan_bv=32,scan_warps=4 wy_warps=2 > $OUT/s9c_fused.log 2>&1
DELTAPROOF_CHUNKED_WY_SPLIT=split timeout 220 python3 benchmarks/launch_sweep_gpu.py $OUT/s9c_split.json fwd 2 \
  --dtype fp32 --precision tf32x3 wy_warps=8 wy_warps=8,wyapply_warps=8 wy_warps=2 \
  > $OUT/s9c_split.log 2>&1
python3 benchmarks/launch_sweep_gpu.py --summary $OUT/s9c_fused.json $OUT/s9c_split.json | cut -c1-500
