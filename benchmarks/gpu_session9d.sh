# H200, session 9 call 2. Carry `.whl` (fla-core). Two parts, ~9 minutes:
# (1) the bf16 accuracy must-show of issue 4 over seeds (what gpu_session9b.sh prepared): ours next to fla against
#     float64 on the same inputs, 8 seeds, n_h 1-4, ungated, B=1 T=512 H=2 K=V=128, max-element and norm-wise metrics;
# (2) gated forward only (session 9 call 1 found DELTAPROOF_CHUNKED_GATES=stored and 8-warp scans slower): the
#     output outside the scan (DELTAPROOF_CHUNKED_OUT=parallel: no exp(Gq - G) scores inside the sequential loop),
#     and the forward scan with 2 pipelining stages (the gated loop has more loads than the ungated one the session-7
#     sweep tuned), at n_h 2, 3, 4.
# Run from the repo root on the device: bash benchmarks/gpu_session9d.sh. Back: s9d_acc.json, s9d_time.json, logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 300 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s9d_acc.json --seeds 8 --n-h 1 2 3 4 > $OUT/s9d_acc.log 2>&1
grep "^n_h" $OUT/s9d_acc.log | cut -c1-900
tail -n 3 $OUT/s9d_acc.log | cut -c1-400
timeout 240 python3 benchmarks/env_ab_gpu.py $OUT/s9d_time.json DELTAPROOF_CHUNKED_OUT \
  scan,parallel,DELTAPROOF_CHUNKED_LAUNCH=scan_stages=2 fwd --gated-only --n-h 2 3 4 > $OUT/s9d_time.log 2>&1
grep "fwd_ms\|profile" $OUT/s9d_time.log | cut -c1-330
