# H200: the usual three checks of one environment switch of the chunked backend, in one device call.
#   bash benchmarks/gpu_switch_check.sh TAG SETTING VARIABLE VALUES [env_ab_gpu.py options ...]
# e.g. bash benchmarks/gpu_switch_check.sh s10 DELTAPROOF_CHUNKED_WY_GATES=shared DELTAPROOF_CHUNKED_WY_GATES \
#        cumsum,shared fwd --gated-only --n-h 2 3 4
# (1) SETTING's outputs and gradients against the defaults on the same inputs (forms_equal_gpu.py) and the 17-shape
#     gradient check against float64 under it (grads_set_gpu.py), in parallel; (2) the time of VARIABLE's VALUES,
#     alternated in one process, with the per-kernel profile at n_h 2 (env_ab_gpu.py; the options go to it).
# Run from the repo root on the device. Back in $OUT: TAG_forms, TAG_grads, TAG_time (.json and .log).
# AB_TIMEOUT (seconds, default 240) bounds the timing part (more values or n_h need more).
set -u
tag=$1 setting=$2 var=$3 values=$4
shift 4
export PYTHONPATH=. PYTHONUNBUFFERED=1
timeout 180 python3 benchmarks/forms_equal_gpu.py "$OUT/${tag}_forms.json" "$setting" > "$OUT/${tag}_forms.log" 2>&1 &
timeout 180 python3 benchmarks/grads_set_gpu.py "$OUT/${tag}_grads.json" --shapes full --jobs 7 --timeout 120 \
  --env "$setting" > "$OUT/${tag}_grads.log" 2>&1 &
wait
python3 benchmarks/forms_equal_gpu.py --summary "$OUT/${tag}_forms.json"
tail -c 800 "$OUT/${tag}_grads.log"
timeout "${AB_TIMEOUT:-240}" python3 benchmarks/env_ab_gpu.py "$OUT/${tag}_time.json" "$var" "$values" "$@" > "$OUT/${tag}_time.log" 2>&1
grep "fwd_ms\|fwd_bwd_ms\|profile" "$OUT/${tag}_time.log" | cut -c1-330
