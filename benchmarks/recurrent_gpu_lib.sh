# Shared by benchmarks/gpu_session17d/e/f.sh (sourced; bash): fla from the carried .whl, then `run`, which times
# recurrent_fp32_gpu.py settings into $OUT/$P_NAME.json (its log stays on the device in /tmp: the number of files that
# come back from the device is limited) and prints one line per setting. Set P (the file prefix) before sourcing.
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
python3 -c "import fla.ops.gated_delta_product" || { echo "fla does not import: run make wheels and carry .whl" >&2; exit 2; }
show() {  # log: n_h, the setting's last 60 characters, ms, speed-up over fla, output and final-state errors
  grep n_h "$1" | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print(r['n_h'], r['setting'][-60:], r.get('fwd_ms'), r.get('speedup_vs_fla'), r.get('err_o'), r.get('err_state'), r.get('error', '')[:120])"
}
run() {  # name timeout recurrent_fp32_gpu.py-arguments...
  local name=$1 t=$2; shift 2
  timeout "$t" python3 benchmarks/recurrent_fp32_gpu.py "$OUT/${P}_$name.json" "$@" > "/tmp/${P}_$name.log" 2>&1
  echo "== $name rc=$?"; show "/tmp/${P}_$name.log"; grep -m3 -i "error\|Traceback" "/tmp/${P}_$name.log" | cut -c1-300
}
