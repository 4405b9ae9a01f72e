# H200, prepared in session 8, RAN in session 9 as call 1 (commit c34156b; results: scan_forms_h200.json session9.gates_stored_*, resources_sm90_h200.json). One call of ~550 s (ran in 342 s):
# (The switch was removed after this run, at the commit after 3d48e15: measured slower; kernels/README.md §6. To rerun, check out c34156b.)
# (1) correctness of DELTAPROOF_CHUNKED_GATES=stored (the scans read the in-chunk cumulative gates the WY kernel
#     stored): against the defaults on the same inputs (forms_equal_gpu.py; bitwise in the interpreter, on the GPU
#     the prefix sums may associate differently, so last-bit differences are possible) and the 17-shape gradient check
#     under it, in parallel;
# (2) its time against cumsum and against cumsum with an 8-warp forward scan (offline, resources_sm90.py, gated
#     forward scan without saves: 4 warps spill 88 B per thread at n_h 2 and 12 B at n_h 4, stored 48 and 36 B,
#     8 warps none, stored with 8 warps none and no shuffles; env_ab_gpu.py, forward and forward+backward, n_h 2 and
#     4, gated and not), with the
#     per-kernel profile at n_h 2 ungated AND gated: where the gated forward's extra 0.4-0.7 ms goes (kernels/README
#     §4: our gated forward is 22-24% over our ungated one, fla's 3-4%).
# Run from the repo root on the device: bash benchmarks/gpu_session9.sh. Back: s9_*.json and logs (8 files).
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 180 python3 benchmarks/forms_equal_gpu.py $OUT/s9_forms.json DELTAPROOF_CHUNKED_GATES=stored \
  > $OUT/s9_forms.log 2>&1 &
timeout 180 python3 benchmarks/grads_set_gpu.py $OUT/s9_grads.json --shapes full --jobs 7 --timeout 120 \
  --env DELTAPROOF_CHUNKED_GATES=stored > $OUT/s9_grads.log 2>&1 &
wait
python3 benchmarks/forms_equal_gpu.py --summary $OUT/s9_forms.json
tail -c 800 $OUT/s9_grads.log
timeout 280 python3 benchmarks/env_ab_gpu.py $OUT/s9_time.json DELTAPROOF_CHUNKED_GATES \
  cumsum,stored,DELTAPROOF_CHUNKED_LAUNCH=scan_warps=8,DELTAPROOF_CHUNKED_GATES=stored+DELTAPROOF_CHUNKED_LAUNCH=scan_warps=8 \
  fwd --n-h 2 4 \
  > $OUT/s9_time.log 2>&1
grep "fwd_ms\|profile" $OUT/s9_time.log | cut -c1-400
# (3) the offline register/spill report (benchmarks/resources_sm90.py) with the H200's own Triton (3.6.0), for
#     comparison with the CPU machine's 3.7.1 figures in benchmarks/results/resources_sm90_cpu.json (no GPU use).
for e in "" "--env DELTAPROOF_CHUNKED_GATES=stored"; do
  timeout 50 python3 benchmarks/resources_sm90.py $OUT/s9_resources.json --n-h 2 --gated $e >> $OUT/s9_res.log 2>&1 \
    || tail -n 3 $OUT/s9_res.log
done
grep '"kernel"' $OUT/s9_res.log | cut -c1-260
