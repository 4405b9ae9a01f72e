# Next H200 step for issue 4 (not yet run): verify, then time, the two experimental kernel forms together:
# DELTAPROOF_CHUNKED_WY=parallel (_wy_fwd_par_kernel) and DELTAPROOF_CHUNKED_BWD=split-kb (_bwd_chunk_kb_kernel):
# every gradient against float64 on the GPU (fp32 included, a longer limit per shape), then the speed side by side
# with fla at the benchmark shape, n_h 1 and 2, gated and ungated, per-kernel profile (gpu_split_bwd.sh's steps).
# Run from the repo root on the device with `.whl` carried (fla-core): bash benchmarks/gpu_kernels_next.sh
# Back: next_grads.json, next_bench.json (+ log). If every row is correct and faster, make both the defaults
# (kernels/chunked.py _Config) and delete the forms they replace; record the figures in kernels_h200.json.
DELTAPROOF_CHUNKED_WY=parallel DELTAPROOF_CHUNKED_BWD=split-kb TAG=next GRAD_TIMEOUT=150 BENCH_TIMEOUT=300 \
  BENCH_FLA=1 bash benchmarks/gpu_split_bwd.sh
