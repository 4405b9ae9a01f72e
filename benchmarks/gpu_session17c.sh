# H200, session 17 call 3. Carry `.whl` (make wheels); ~4 minutes (timeout_s 420).
# Call 2 (gpu_session17b.sh): DELTAPROOF_RECURRENT_UPDATE=one (fla's single rank-1 update) with V blocks of 16 or
# 32 on 1 warp took the recurrent fp32 forward to 2.04-2.11 / 3.05 / 3.27-3.36 / 3.59x fla's fp32 path at n_h 1-4
# (ungated). DELTAPROOF_RECURRENT_OUTPUT=folded (new) forms a token's output from the state before its last step,
# S^T q + (k . q) u, in the same pass as that step's k^T S, instead of a pass over the updated state; this times it
# (and the `tokens` form under it, to see whether the look-ahead still matters), ungated n_h 1-4 then gated.
# Back: s17c_rec.json/.log, s17c_rec_gated.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
python3 -c "import fla.ops.gated_delta_product" || { echo "fla does not import: run make wheels and carry .whl" >&2; exit 2; }
F=DELTAPROOF_RECURRENT_FORM=ahead
L=DELTAPROOF_RECURRENT_LAUNCH
U=DELTAPROOF_RECURRENT_UPDATE=one
O=DELTAPROOF_RECURRENT_OUTPUT=folded
S="$F+$L=bv=16,warps=1+$U $F+$L=bv=16,warps=1+$U+$O $F+$L=bv=32,warps=1+$U+$O $F+$L=bv=32,warps=2+$U+$O DELTAPROOF_RECURRENT_FORM=tokens+$L=bv=16,warps=1+$U+$O"
timeout 240 python3 benchmarks/recurrent_fp32_gpu.py $OUT/s17c_rec.json $S --n-h 1 2 3 4 > $OUT/s17c_rec.log 2>&1
echo "rec rc=$?"; grep n_h $OUT/s17c_rec.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l); print(r['n_h'], r['setting'][-45:], r.get('fwd_ms'), r.get('speedup_vs_fla'), r.get('err_o'), r.get('error', '')[:80])"
timeout 150 python3 benchmarks/recurrent_fp32_gpu.py $OUT/s17c_rec_gated.json $S --gated --n-h 1 2 3 4 > $OUT/s17c_rec_gated.log 2>&1
echo "gated rc=$?"; grep n_h $OUT/s17c_rec_gated.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l); print(r['n_h'], r['setting'][-45:], r.get('fwd_ms'), r.get('speedup_vs_fla'), r.get('err_o'), r.get('error', '')[:80])"
