# H200, prepared in session 8. SUPERSEDED: its accuracy run ran in session 9 as part of gpu_session9d.sh (call 2). Carry `.whl` (fla-core). The bf16 accuracy must-show of issue 4 over
# seeds: ours next to fla against float64 on the same inputs, 8 seeds, n_h 1-4, ungated, B=1 T=512 H=2 K=V=128,
# max-element and norm-wise metrics (benchmarks/accuracy_seeds_gpu.py; session 8's single-seed comparison was
# within one seed's spread: kernels/README.md §4). ~5 minutes, most of it fla's autotuning.
# Run from the repo root on the device: bash benchmarks/gpu_session9b.sh. Back: s9b_acc.json and its log.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 500 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s9b_acc.json --seeds 8 --n-h 1 2 3 4 > $OUT/s9b_acc.log 2>&1
grep "^n_h" $OUT/s9b_acc.log | cut -c1-900
