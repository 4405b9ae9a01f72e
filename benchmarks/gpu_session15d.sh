# H200, session 15 call 4. Carry `.whl`; ~5 minutes (timeout_s 600).
# DELTAPROOF_CHUNKED_DS_SCALE=dd (new in session 15, CPU-tested): the reverse scan carries dS / scale, so Q enters
# Q^T dO as loaded (fla's form: no rounding of scale Q) and the scale lands on dD, rounded for the W term anyway.
# Offline (Triton 3.6.0, bf16 K = V = 128, ungated): 255 / 240 registers at n_h 1 / 2 (q: 255 / 236), no spills.
# (a) bf16 accuracy next to fla over 8 seeds, ungated n_h 1-2, the default (q) and the variant (dd): does the dh0
#     excess over fla at n_h 1 (0.4%) go?
# (b) its cost: forward+backward, q against dd alternated in one process, n_h 1-2, gated and not.
# Back: s15d_acc.json/.log, s15d_t.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
V=DELTAPROOF_CHUNKED_DS_SCALE
timeout 330 python3 benchmarks/accuracy_seeds_gpu.py $OUT/s15d_acc.json --seeds 8 --n-h 1 2 --variant $V=dd \
  > $OUT/s15d_acc.log 2>&1
echo "acc rc=$?"; grep -v "^[0-9] 1[0-9][0-9] " $OUT/s15d_acc.log | cut -c1-900 | tail -12
timeout 200 python3 benchmarks/env_ab_gpu.py $OUT/s15d_t.json $V "q,dd" --n-h 1 2 > $OUT/s15d_t.log 2>&1
echo "t rc=$?"; grep -v Warn $OUT/s15d_t.log | grep -v _warn_once | grep -v '^ ' | cut -c1-200
