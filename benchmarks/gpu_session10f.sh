# H200, session 10 call 6 (`.whl` carried): bf16 accuracy of the GATED forward next to fla's over 8 seeds (fla's
# gated backward refuses on Triton 3.6, so session 9's table is ungated; the forward runs). Outputs and final states
# against float64, without autograd, under the default DECAY=values and the session-9 form DECAY=keys
# (benchmarks/accuracy_seeds_gpu.py --forward-only --variant). The JSON is rewritten after every (n_h, seed), so a
# timeout still returns what was measured. Run from the repo root on the device: bash benchmarks/gpu_session10f.sh.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 330 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s10f_acc_gated_fwd.json --seeds 8 --n-h 2 1 4 3 --gated \
  --forward-only --variant DELTAPROOF_CHUNKED_DECAY=keys > $OUT/s10f_acc.log 2>&1
grep "n_h" $OUT/s10f_acc.log | cut -c1-400
