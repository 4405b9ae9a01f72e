# H200, prepared in session 9, RUN in session 10 (call 1, commit 897367a; result: WY_GATES=shared 0.6-1.4% slower gated,
# removed; kernels/README.md §6, scan_forms_h200.json session10). One call of ~260 s, no .whl:
# (1) DELTAPROOF_CHUNKED_WY_GATES=shared (the WY inverse computes the chunk's cumulative gates once, stores them, and
#     its blocks, step 2 and the W/U launch read them back): outputs and gradients against the defaults on the same
#     inputs (forms_equal_gpu.py; the block differences come from the chunk's sums instead of block-local sums, so
#     rounding-level differences are expected where gated) and the 17-shape gradient check under it, in parallel;
# (2) its time, gated only (ungated calls do not use it), forward and forward+backward, n_h 2, 3, 4, alternated with
#     the defaults in one process, with the per-kernel profile at n_h 2 (the WY kernel: 1255 us gated against 1059
#     ungated in session 9 call 1). Offline (resources_sm90.py, n_h 2): the inverse launch 87 -> 79 barriers and
#     53 -> 29 shuffles but 6648 -> 6824 instructions, the W/U launch 19 -> 15 barriers, 5 -> 0 shuffles.
# Run from the repo root on the device: bash benchmarks/gpu_session10.sh. Back: s10_*.json and logs (benchmarks/gpu_switch_check.sh).
bash benchmarks/gpu_switch_check.sh s10 DELTAPROOF_CHUNKED_WY_GATES=shared DELTAPROOF_CHUNKED_WY_GATES cumsum,shared \
  fwd --gated-only --n-h 2 3 4
