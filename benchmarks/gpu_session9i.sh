# H200, session 9 call 6 (`.whl` carried): RAN AND GAVE NO RESULT (170 s limit hit before the first seed finished: fla's cold autotuning at n_h 3; the budget allowed no more). Superseded by gpu_session10b.sh, which reruns it. The 8-seed accuracy comparison with fla at n_h 3 under the defaults of the commit it runs at (BWD_BUFS=dqi32); call 3 (gpu_session9e.sh) covered n_h 1, 2, 4.
# Run from the repo root on the device: bash benchmarks/gpu_session9i.sh. Back: s9i_acc.json and its log.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 400 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s9i_acc.json --seeds 8 --n-h 3 > $OUT/s9i_acc.log 2>&1
grep "^n_h" $OUT/s9i_acc.log | cut -c1-900
tail -n 2 $OUT/s9i_acc.log | cut -c1-300
