# H200, prepared in session 16, NOT YET RUN. Carry `.whl` (make wheels); ~6 minutes (timeout_s 480).
# The fp32 must-show of issue 4 (3x fla's fp32 path) fails for the chunked backend at fp32 accuracy (tf32x3
# 0.81-1.72x, ieee 0.10-0.18x). fla's fp32 path is its fused recurrent kernel: exact fp32 on the CUDA cores, V blocks
# of 8, 1 warp, every step waiting for its key's global load before the reduction the state update needs. Our
# recurrent backend does the same arithmetic; DELTAPROOF_RECURRENT_FORM=rows and =ahead (session 16,
# interpreter-tested, offline-compiled with Triton 3.6.0: no spills) issue each row's loads one row ahead.
# Never timed on a GPU before. Forward, fp32, B=8 T=4096 H=16 K=V=128, fla timed first in each n_h; each setting's
# error on a slice against float64 and its full output against the first setting's. Ungated n_h 1-4, then gated n_h 2.
# Back: s17a_rec.json/.log, s17a_rec_gated.json/.log
# `default` is the checkout's defaults: when this ran (call 1, commit 7db357d) `tokens`, `two`, V blocks of 64 on 4
# warps; since session 17 they differ (kernels/recurrent.py), so name those to re-run call 1 as it was.
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
python3 -c "import fla.ops.gated_delta_product" || { echo "fla does not import: run make wheels and carry .whl" >&2; exit 2; }
F=DELTAPROOF_RECURRENT_FORM
L=DELTAPROOF_RECURRENT_LAUNCH
S="default $L=bv=8,warps=1 $F=rows+$L=bv=8,warps=1 $F=ahead $F=ahead+$L=bv=8,warps=1 $F=ahead+$L=bv=16,warps=1 $F=ahead+$L=bv=32,warps=2"
timeout 330 python3 benchmarks/recurrent_fp32_gpu.py $OUT/s17a_rec.json $S --n-h 2 1 4 3 > $OUT/s17a_rec.log 2>&1
echo "rec rc=$?"; cut -c1-250 $OUT/s17a_rec.log | grep n_h
timeout 100 python3 benchmarks/recurrent_fp32_gpu.py $OUT/s17a_rec_gated.json $S --gated --n-h 2 > $OUT/s17a_rec_gated.log 2>&1
echo "gated rc=$?"; cut -c1-250 $OUT/s17a_rec_gated.log | grep n_h
