# H200, session 7: (1) the side-by-side table with fla (n_h 1-4, gated and not, bf16, B=8 T=4096 H=16 K=V=128)
# under the defaults after session 7's launch sweep (both scans: V blocks of 64 with 4 warps at every n_h);
# (2) what the sweep did not cover on top of that: the scans' pipelining stages and 2 warps, at n_h 2.
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_session7e.sh.
# Back: s7e_side.json, s7e_fwd_nh2.json, s7e_bwd_nh2.json and logs (at most 8 files come back).
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 400 python3 benchmarks/kernels.py --skip-check --n-h 1 2 3 4 --gated 0 1 --bench-check --rep 30 --no-fp32 \
  --out $OUT/s7e_side.json > $OUT/s7e_side.log 2>&1
tail -n 8 $OUT/s7e_side.log | cut -c1-420
timeout 60 python3 benchmarks/launch_sweep_gpu.py $OUT/s7e_fwd_nh2.json fwd 2 scan_stages=3 scan_stages=1 scan_warps=2 \
  scan_warps=2,scan_stages=3 > $OUT/s7e_fwd_nh2.log 2>&1
timeout 100 python3 benchmarks/launch_sweep_gpu.py $OUT/s7e_bwd_nh2.json bwd 2 bscan_stages=3 bscan_stages=1 \
  bscan_warps=2 > $OUT/s7e_bwd_nh2.log 2>&1
# (when this ran on the H200, inline Python printed the same summary; review moved it into --summary)
python3 benchmarks/launch_sweep_gpu.py --summary $OUT/s7e_*_nh2.json
