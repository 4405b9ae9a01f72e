# H200, session 17 call 4. Carry `.whl` (make wheels); ~5 minutes (timeout_s 480).
# The recurrent backend's new defaults (ahead, DELTAPROOF_RECURRENT_UPDATE=one, V blocks of 16 on 1 warp; V blocks
# of 8 for K tiles of 256) next to the old ones (tokens, two, V blocks of 64 on 4 warps) and fla's fp32 path:
# (a) fp32 K = V = 128 ungated then gated, n_h 1-4; (b) fp32 K = V = 256, n_h 2, the K-256 rule against V blocks of
# 16 on 1 or 2 warps; (c) bf16 and fp16 at K = V = 128 and fp32 at K = V = 64 (errors against float64; fla not timed).
# Back: s17d_*.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
python3 -c "import fla.ops.gated_delta_product" || { echo "fla does not import: run make wheels and carry .whl" >&2; exit 2; }
L=DELTAPROOF_RECURRENT_LAUNCH
OLD="DELTAPROOF_RECURRENT_FORM=tokens+DELTAPROOF_RECURRENT_UPDATE=two+$L=bv=64,warps=4"
show() {
  grep n_h "$1" | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print(r['n_h'], r['setting'][-60:], r.get('fwd_ms'), r.get('speedup_vs_fla'), r.get('err_o'), r.get('err_state'), r.get('error', '')[:120])"
}
run() {  # name timeout args...
  local name=$1 t=$2; shift 2
  timeout "$t" python3 benchmarks/recurrent_fp32_gpu.py "$OUT/s17d_$name.json" "$@" > "$OUT/s17d_$name.log" 2>&1
  echo "== $name rc=$?"; show "$OUT/s17d_$name.log"
}
run fp32 120 default $OLD --n-h 1 2 3 4
run fp32_gated 120 default $OLD --gated --n-h 1 2 3 4
run fp32_k256 120 default $L=bv=16,warps=1 $L=bv=16,warps=2 $L=bv=32,warps=2 --kv 256 --n-h 2
run bf16 90 default --dtype bf16 --n-h 1 2 3 4
run fp16_gated 90 default --dtype fp16 --gated --n-h 1 2 3 4
run fp32_k64 60 default $L=bv=32,warps=1 --kv 64 --n-h 2
