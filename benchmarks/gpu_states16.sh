# H200, prepared in session 5 and NOT YET RUN (no device time was left): DELTAPROOF_CHUNKED_STATES=16bit (the chunk
# states saved for the backward in the 16-bit dot type; kernels/README.md §6). On the CPU it changes nothing but dg
# (tests/kernels/test_kernels_triton.py); on the GPU: (1) gradients against float64 at the 17-shape set, (2)
# forward+backward time against the fp32-saved states, values alternated (env_ab_gpu.py; the profile at n_h 2
# shows _bwd_kblock_kernel, the kernel whose traffic it halves).
# Run from the repo root on the device: bash benchmarks/gpu_states16.sh. Back: states16_grads.json,
# states16_time.json, logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 220 python3 benchmarks/grads_set_gpu.py $OUT/states16_grads.json --shapes full \
  --env DELTAPROOF_CHUNKED_STATES=16bit > $OUT/states16_grads.log 2>&1
cat $OUT/states16_grads.log
timeout 330 python3 benchmarks/env_ab_gpu.py $OUT/states16_time.json DELTAPROOF_CHUNKED_STATES fp32,16bit \
  > $OUT/states16_time.log 2>&1
tail -n 40 $OUT/states16_time.log
