# H200, session 17 call 2. Carry `.whl` (make wheels); ~4 minutes (timeout_s 420).
# Call 1 (gpu_session17a.sh) timed the recurrent backend in fp32 next to fla's fp32 path (its fused recurrent
# kernel): the `ahead` form with V blocks of 16 on 1 warp was 1.70 / 2.45 / 2.69 / 2.55x fla at n_h 1-4 (ungated),
# 1.43x gated n_h 2, at 4-7e-7 error. DELTAPROOF_RECURRENT_UPDATE=one (new: fla's single rank-1 update per step,
# S += k (beta (v - k^T S))^T, instead of the reference's two; offline 248 -> 184 FFMA per row at n_h 1) takes one
# [K, BV] pass off every step. This times it under launches around call 1's best, ungated n_h 1-4 then gated n_h 1-4.
# Back: s17b_rec.json/.log, s17b_rec_gated.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
python3 -c "import fla.ops.gated_delta_product" || { echo "fla does not import: run make wheels and carry .whl" >&2; exit 2; }
F=DELTAPROOF_RECURRENT_FORM=ahead
L=DELTAPROOF_RECURRENT_LAUNCH
U=DELTAPROOF_RECURRENT_UPDATE=one
S="$F+$L=bv=16,warps=1 $F+$L=bv=16,warps=1+$U $F+$L=bv=8,warps=1+$U $F+$L=bv=32,warps=1+$U $F+$L=bv=32,warps=2+$U $F+$L=bv=16,warps=2+$U $F+$L=bv=64,warps=4+$U"
timeout 240 python3 benchmarks/recurrent_fp32_gpu.py $OUT/s17b_rec.json $S --n-h 1 2 3 4 > $OUT/s17b_rec.log 2>&1
echo "rec rc=$?"; grep n_h $OUT/s17b_rec.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l); print(r['n_h'], r['setting'][-45:], r.get('fwd_ms'), r.get('speedup_vs_fla'), r.get('err_o'), r.get('error', '')[:80])"
timeout 150 python3 benchmarks/recurrent_fp32_gpu.py $OUT/s17b_rec_gated.json $S --gated --n-h 1 2 3 4 > $OUT/s17b_rec_gated.log 2>&1
echo "gated rc=$?"; grep n_h $OUT/s17b_rec_gated.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l); print(r['n_h'], r['setting'][-45:], r.get('fwd_ms'), r.get('speedup_vs_fla'), r.get('err_o'), r.get('error', '')[:80])"
