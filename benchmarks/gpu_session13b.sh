# H200, prepared in session 12, NOT YET RUN. Carry `.whl`; up to ~9 minutes (timeout_s 600).
# fp32 follow-ups of session 12 (kernels/README.md §4, §6; benchmarks/results/fp32_h200.json session12):
# (1) the WY merge on 16 x 16 blocks against the four-product merge for fp32 `tf32` and `ieee`. `tf32x3` has used
#     blocks since session 6; `tf32` since session 12, from identical machine code (benchmarks/sass_identity.py: its
#     blocks-merge inverse launch is the tf32x3 one, 877 us on the H200 against 1316 us for tf32's full merge), so its
#     n_h 2 forward should drop from 4.41 to ~3.97 ms, ~3.0x fla's fp32 path at tf32 accuracy (~3e-3, not the fp32
#     target): this times it end to end, side by side with fla. `ieee` still merges with four products (CUDA-core
#     FMAs); forward times, then the fp32 gradient check under `ieee` with blocks (K = 128, n_h 2, gated and not).
# (2) `tf32x3` at n_h 4 (the query block padded to 32 since session 12) next to fla, and the n_h 3 fp32 gradient check
#     (`tf32x3` and `ieee`), never run.
# Back: s13b_merge_{tf32,ieee}.json, s13b_merge.log, s13b_grads.log, s13b_x3_n4.json, s13b_x3.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
D=DELTAPROOF_CHUNKED
timeout 120 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s13b_merge_tf32.json 2 --fla --profile --precision tf32 \
  $D\_WY_MERGE=full $D\_WY_MERGE=blocks > $OUT/s13b_merge.log 2>&1
timeout 170 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s13b_merge_ieee.json 2 --profile \
  $D\_WY_MERGE=full $D\_WY_MERGE=blocks >> $OUT/s13b_merge.log 2>&1
echo "merge rc=$?"; grep -v Warn $OUT/s13b_merge.log | grep -v _warn_once | cut -c1-400
DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 timeout 60 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s13b_x3_n4.json 4 --fla --profile \
  $D\_WY_GRAM=once > $OUT/s13b_x3.log 2>&1
echo "x3 n_h 4 rc=$?"; grep -v Warn $OUT/s13b_x3.log | grep -v _warn_once | cut -c1-400
# the gradient checks after the timings, so their compiles cannot disturb them
( for a in "ieee blocks 128 128 2 float32" "ieee blocks 128 128 2 float32 gated" "tf32x3 default 128 128 3 float32" \
           "ieee default 128 128 3 float32"; do
    set -- $a; d=$1; m=$2; shift 2
    ( export DELTAPROOF_CHUNKED_FP32_DOTS=$d; [ $m = blocks ] && export DELTAPROOF_CHUNKED_WY_MERGE=blocks
      timeout 230 python3 benchmarks/kernel_grads_gpu.py "$@" | sed "s/^/$d merge=$m /" ) &
  done; wait ) > $OUT/s13b_grads.log 2>&1
echo "grads rc=$?"; cut -c1-600 $OUT/s13b_grads.log
