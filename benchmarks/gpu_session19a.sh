# H200, session 19 call 2, run at a528acd. DELTAPROOF_RECURRENT_BWD_LAYOUT was removed later in session 19 (only the
# K-major form stays), so to rerun this as it ran, `git checkout a528acd` first. Carry `.whl`; ~6 minutes (timeout_s 540).
# The recurrent backward with DELTAPROOF_RECURRENT_BWD_LAYOUT=kmajor as the default (call 1, gpu_session18g.sh, timed
# it 3-9% faster; its check without a state crashed: a 16-bit dummy pointer gave pass 2's tile a 16-bit type, fixed).
# 1. gradients against float64 without and with a state (fp32 and bf16 inputs, fla's fp32 path beside);
# 2. fp32 forward+backward time at n_h 1-4, gated and not, next to fla: the default, the old layout (vmajor) and the
#    backward loads where used (BWD_FORM=plain, untimed since the layout fix of session 18);
# 3. bf16 inputs at n_h 2 and 4 ungated: kmajor against vmajor (offline pass 2 spills 44 B in bf16 at n_h 2 under
#    kmajor, none under vmajor). Back: s19a_*.json
P=s19a
source benchmarks/recurrent_gpu_lib.sh
for st in no_state state; do
  flag=$([ $st = no_state ] && echo --no-state)
  timeout 100 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_check_$st.json" --no-time $flag --n-h 1 2 4 \
    > /tmp/${P}_check_$st.log 2>&1
  echo "== check $st rc=$?"; grep n_h /tmp/${P}_check_$st.log | cut -c1-600; grep -m2 -A3 Traceback /tmp/${P}_check_$st.log
done
timeout 300 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_time.json" DELTAPROOF_RECURRENT_BWD_LAYOUT=vmajor \
  DELTAPROOF_RECURRENT_BWD_FORM=plain --no-check --chunked > /tmp/${P}_time.log 2>&1
echo "== time rc=$?"; grep n_h /tmp/${P}_time.log | cut -c1-1500
timeout 90 python3 benchmarks/recurrent_bwd_gpu.py "$OUT/${P}_bf16.json" DELTAPROOF_RECURRENT_BWD_LAYOUT=vmajor \
  --no-check --dtype bf16 --n-h 2 4 --gated 0 > /tmp/${P}_bf16.log 2>&1
echo "== bf16 rc=$?"; grep n_h /tmp/${P}_bf16.log | cut -c1-1500
grep -m3 -i "Traceback" /tmp/${P}_*.log | cut -c1-300
