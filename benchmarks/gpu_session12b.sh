# H200, prepared in session 11, NOT YET RUN. Carry nothing. Up to ~10 minutes (timeout_s 600).
# fp32 `ieee` at ptxas --opt-level 1 (DELTAPROOF_CHUNKED_PTXAS_OPT=1). Offline (resources_sm90.py and a direct
# ptxas run, CUDA 12.8's ptxas as in Triton 3.6 and 3.7.1): at its default level ptxas gives every fp32 `ieee`
# kernel at K = 128 32 registers per thread with 18-88 KB of spills per thread (the WY kernel 88.6 KB, the chunk
# backward 82 KB); at level 1 the same PTX gets 255 registers and 2-5x fewer spill bytes. That may be most of why
# the `ieee` path runs ~100x below the FMA rate (kernels/README.md §5). bf16 kernels were not better at level 1.
# (1) in the background: the fp32 gradient set against float64 under level 1 (330 s per job; K = 256 will time out
#     in its compile as in session 11);
# (2) the fp32 forward time, n_h 2, ieee at the default level against level 1 (alternated is not possible within
#     the compile budget: one timing each, do_bench median), and the relative difference of the outputs; last (it
#     may not fit the time limit), level 1 with the WY kernel split at 8 + 8 warps, the geometry with the fewest
#     spills offline (inverse 6.1 KB, W/U 3.0 KB, against 21.4 KB fused at 4 warps; 16 warps cap registers at 128).
# Back: s12b_grads.json/.log, s12b_time.json/.log.
# Run from the repo root on the device: bash benchmarks/gpu_session12b.sh
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 345 python3 benchmarks/grads_set_gpu.py $OUT/s12b_grads.json --shapes fp32 --jobs 5 --timeout 330 \
  --env DELTAPROOF_CHUNKED_PTXAS_OPT=1 > $OUT/s12b_grads.log 2>&1 &
G=$!
timeout 560 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s12b_time.json 2 \
  DELTAPROOF_CHUNKED_FP32_DOTS=ieee+DELTAPROOF_CHUNKED_PTXAS_OPT=1 \
  DELTAPROOF_CHUNKED_FP32_DOTS=ieee+DELTAPROOF_CHUNKED_PTXAS_OPT=default \
  DELTAPROOF_CHUNKED_FP32_DOTS=ieee+DELTAPROOF_CHUNKED_PTXAS_OPT=1+DELTAPROOF_CHUNKED_WY_SPLIT=split+DELTAPROOF_CHUNKED_LAUNCH=wy_warps=8,wyapply_warps=8 \
  > $OUT/s12b_time.log 2>&1
echo "time rc=$?"
cat $OUT/s12b_time.log | cut -c1-300
wait $G
echo "grads rc=$?"
tail -n 8 $OUT/s12b_grads.log | cut -c1-400
