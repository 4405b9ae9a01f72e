# H200, session 11 call 3. Carry nothing. Up to ~9.5 minutes (timeout_s 600).
# The new default (gated W/U launch of the split WY kernel capped at 168 registers, kernels/chunked.py
# `wyapply_regs_gated`; measured in call 2, gpu_session11b.sh, at n_h 2 and 4):
# (1) in the background, the fp32 gradient set against float64 (fp32 has not run on a GPU since DECAY=values;
#     call 2's attempt timed out at 150 s per job in the fp32 compiles), 330 s per job;
# (2) meanwhile its outputs and gradients against the uncapped launch (forms_equal_gpu.py: a register cap changes
#     the allocation, not the arithmetic, so bitwise equality is expected);
# (3) then alone on the GPU, its gated time at n_h 1-3 against the uncapped one, alternated in one process.
# Back: s11c_fp32.json/.log, s11c_forms.json/.log, s11c_time.json/.log.
# Run from the repo root on the device: bash benchmarks/gpu_session11c.sh
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
L=DELTAPROOF_CHUNKED_LAUNCH
timeout 345 python3 benchmarks/grads_set_gpu.py $OUT/s11c_fp32.json --shapes fp32 --jobs 5 --timeout 330 \
  > $OUT/s11c_fp32.log 2>&1 &
FP=$!
timeout 300 python3 benchmarks/forms_equal_gpu.py $OUT/s11c_forms.json "$L=wyapply_regs=0" > $OUT/s11c_forms.log 2>&1
echo "forms rc=$?"
python3 benchmarks/forms_equal_gpu.py --summary $OUT/s11c_forms.json | cut -c1-300
wait $FP
echo "fp32 rc=$?"
tail -n 8 $OUT/s11c_fp32.log | cut -c1-400
timeout 200 python3 benchmarks/env_ab_gpu.py $OUT/s11c_time.json $L "$L=;$L=wyapply_regs=0" fwd --gated-only \
  --n-h 1 2 3 > $OUT/s11c_time.log 2>&1
echo "time rc=$?"
grep -v "^profile" $OUT/s11c_time.log | cut -c1-200 | tail -n 14
grep "^profile" $OUT/s11c_time.log | cut -c1-300
