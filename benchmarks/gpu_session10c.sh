# H200, session 10 call 3 (`.whl` not needed). The gated forward (0.94 / 0.86 / 0.94x fla at n_h 2-4 in session 9):
# DELTAPROOF_CHUNKED_DECAY=values puts the forward scan's in-chunk decay exp(Glast - G) on D [BC, BV] instead of on
# K [BC, BK] (fla's placement). Offline (resources_sm90.py, Triton 3.7.1, bf16 K = V = 128) the gated scan's SASS
# goes from 2152 to 1792 instructions at n_h 2 and 2112 to 1688 at n_h 3, spills 88 -> 68 B at n_h 2.
# (1) its outputs and gradients against the defaults (forms_equal_gpu.py) and the 17-shape gradient check under it,
#     in parallel; (2) gated time, forward and forward+backward, n_h 1-4, alternated in one process: keys, values,
#     values with the WY inverse at 4 warps (offline: no spills gated, 248 registers, against 136 B of spills at 2),
#     values with the forward scan's V blocks of 32; per-kernel profile at n_h 2 for each.
# Run from the repo root on the device: bash benchmarks/gpu_session10c.sh. Back: s10c_* (.json and .log).
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
S=DELTAPROOF_CHUNKED_DECAY=values
timeout 180 python3 benchmarks/forms_equal_gpu.py "$OUT/s10c_forms.json" "$S" > "$OUT/s10c_forms.log" 2>&1 &
timeout 180 python3 benchmarks/grads_set_gpu.py "$OUT/s10c_grads.json" --shapes full --jobs 7 --timeout 120 \
  --env "$S" > "$OUT/s10c_grads.log" 2>&1 &
wait
python3 benchmarks/forms_equal_gpu.py --summary "$OUT/s10c_forms.json"
tail -c 600 "$OUT/s10c_grads.log"
timeout 360 python3 benchmarks/env_ab_gpu.py "$OUT/s10c_time.json" DELTAPROOF_CHUNKED_DECAY \
  "keys,values,$S+DELTAPROOF_CHUNKED_LAUNCH=wy_warps=4,$S+DELTAPROOF_CHUNKED_LAUNCH=scan_bv=32" fwd --gated-only \
  > "$OUT/s10c_time.log" 2>&1
grep "fwd_ms\|profile" "$OUT/s10c_time.log" | cut -c1-300
