# H200, session 5: the cost of DELTAPROOF_CHUNKED_TM=split at the benchmark shape (B=8 T=4096 H=16 K=V=128 bf16),
# forward and forward+backward, n_h 1..4, ungated and gated, both forms alternated in one process (two rounds).
# Run from the repo root on the device: bash benchmarks/gpu_tm_cost.sh. Back: tm_cost.json, tm_cost.log.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 420 python3 benchmarks/tm_split_gpu.py time_all $OUT/tm_cost.json > $OUT/tm_cost.log 2>&1
tail -n 40 $OUT/tm_cost.log
