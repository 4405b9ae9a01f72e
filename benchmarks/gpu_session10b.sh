# H200, prepared in session 9, RUN in session 10 (call 2, commit 897367a, 200 s; results in scan_forms_h200.json
# session10 and kernels/README.md §4: TM=single makes dh0 worse on the GPU). Carry `.whl` (fla-core).
# Our bf16 dh0 error is 0.4% above fla's at n_h 1 over 8 seeds (session 9, kernels/README.md §4); the CPU accuracy
# lab (benchmarks/switch_accuracy_cpu.py, K = V = 128) finds Tm rounded once (DELTAPROOF_CHUNKED_TM=single, fla's
# form) lowers our ungated dh0 error 1.8-2.4% and raises o and dk 0.2-1.1%. This checks that next to fla on the GPU:
# (1) the 8-seed comparison under TM=single at n_h 1 and 2; (2) dq at n_h 3 under the defaults (dqi32), the cell of
# §4's table that session 9 call 6 could not fill (gpu_session9i.sh).
# Run from the repo root on the device: bash benchmarks/gpu_session10b.sh. Back: s10b_*.json and logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
DELTAPROOF_CHUNKED_TM=single timeout 240 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s10b_acc_tm_single.json \
  --seeds 8 --n-h 1 2 > $OUT/s10b_acc_tm.log 2>&1
grep "^n_h" $OUT/s10b_acc_tm.log | cut -c1-900
timeout 300 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s10b_acc_n3.json --seeds 8 --n-h 3 > $OUT/s10b_acc_n3.log 2>&1
grep "^n_h" $OUT/s10b_acc_n3.log | cut -c1-900
