# H200, prepared in session 18, run as session 19 call 1 at d0c0915 (recurrent_bwd_h200.json `session19`): kmajor was
# then made the default and DELTAPROOF_RECURRENT_STATE removed, so at later commits it times the same code twice; to
# rerun it as it ran, `git checkout d0c0915` first. Carry `.whl` (make wheels); ~5 minutes (timeout_s 420).
# DELTAPROOF_RECURRENT_BWD_LAYOUT=kmajor (kernels/README.md §7): pass 2 of the recurrent backward with its state tile
# from a K-major copy of the initial state, so every reduction stays inside a thread (offline 350 / 555 / 929 loop
# instructions at n_h 1 / 2 / 4 against 491 / 754 / 1281). Checks it against float64 with and without a state, then
# times it next to the default (and fla) at n_h 1-4, gated and not, with the profile. Then the forward under
# DELTAPROOF_RECURRENT_STATE=anchored (kernels/recurrent.py: without an initial state it compiles as with one, and
# takes that form) against the default, without an initial state as benchmarks/kernels.py runs it. Back: s18g_*.json
P=s18g
source benchmarks/recurrent_gpu_lib.sh
for st in state no_state; do
  flag=$([ $st = no_state ] && echo --no-state)
  DELTAPROOF_RECURRENT_BWD_LAYOUT=kmajor timeout 80 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check_$st.json" \
    --no-time $flag --n-h 1 4 > /tmp/${P}_check_$st.log 2>&1
  echo "== check $st rc=$?"; grep n_h /tmp/${P}_check_$st.log | cut -c1-400
done
timeout 240 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" DELTAPROOF_RECURRENT_BWD_LAYOUT=kmajor \
  --no-check --chunked --profile > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | cut -c1-1500
run fwd_state 90 default DELTAPROOF_RECURRENT_STATE=anchored --no-h0 --n-h 1 2 3 4
run fwd_state_gated 90 default DELTAPROOF_RECURRENT_STATE=anchored --no-h0 --gated --n-h 1 2 3 4
grep -m3 -i "Traceback" /tmp/${P}_*.log | cut -c1-300
