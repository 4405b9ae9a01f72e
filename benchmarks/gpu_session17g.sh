# H200, session 17 calls 7 and 8. Carry `.whl` (make wheels); ~3 minutes (timeout_s 480).
# The fp32 rows of benchmarks/kernels.py now time the recurrent backend next to chunked and fla's fp32 path, so the
# issue-4 table comes from the project's benchmark command: fp32 only (--fp32-only), chunked tf32x3 (fp32-level
# accuracy; `ieee` is 0.10-0.18x fla and compiles for minutes, session 16 call 7) and recurrent under its defaults,
# n_h 1-4, gated and not, each output's error against a float64 run at the benchmark shape (--bench-check), peak
# memory. Call 7 ran it ungated when the default at ungated n_h 2 was `ahead2` on V blocks of 32: 12.4 ms, 0.96x fla
# (this benchmark passes no initial state, and without one that launch spills); call 8 after the default went back to
# V blocks of 16. Back: s17g_kernels_fp32.json
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
timeout 450 python3 benchmarks/kernels.py --require-fla --skip-check --fp32-only --n-h 1 2 3 4 --gated 0 1 --fp32-gated \
  --fp32-precisions tf32x3 --bench-check --rep 30 --out "$OUT/s17g_kernels_fp32.json" > /tmp/s17g.log 2>&1
echo "rc=$?"
grep '"dtype": "fp32"' /tmp/s17g.log | python3 -c "
import sys, json
for l in sys.stdin:
    r = json.loads(l)
    print({k: (round(v, 8) if isinstance(v, float) else v) for k, v in r.items()})"
grep -m3 -i "Traceback\|error" /tmp/s17g.log | cut -c1-300
