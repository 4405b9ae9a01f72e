# H200, session 5: the cost of DELTAPROOF_CHUNKED_TM=split at the benchmark shape (B=8 T=4096 H=16 K=V=128 bf16),
# forward and forward+backward, n_h 1..4, ungated and gated, both forms alternated in one process (two rounds).
# Run from the repo root on the device: bash benchmarks/gpu_tm_cost.sh. Back: tm_cost.json, tm_cost.log.
# The figures in benchmarks/results/tm_split_h200.json (session5.cost) were taken at 032fee7 with the first form
# of this script (tm_split_gpu.py time_all, where the initial state also required grad); env_ab_gpu.py replaced it.
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 420 python3 benchmarks/env_ab_gpu.py $OUT/tm_cost.json DELTAPROOF_CHUNKED_TM single,split fwd \
  > $OUT/tm_cost.log 2>&1
tail -n 40 $OUT/tm_cost.log
