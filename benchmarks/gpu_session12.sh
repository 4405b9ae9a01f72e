# H200, prepared in session 11, NOT YET RUN. Carry `.whl`; up to ~9 minutes (timeout_s 600).
# Which Python lines of the gated forward scan draw the extra time? Session 11's profile (gpu_session11.sh,
# kernels/README.md §5) exported the SASS view only: the gated scan's 77% more executed instructions and +25.6k
# warp samples (wait, short scoreboard, issuing, barriers) are spread thin, no SASS instruction above 4.2%. Triton
# keeps line info, so Nsight Compute can fold the samples onto kernels/chunked.py's lines (`--print-source cuda,sass`
# on the source page; if this ncu refuses the pair, the `cuda` view alone). Profiles _fwd_scan_kernel only (the
# second forward of benchmarks/ncu_target.py), gated, at n_h 2 and 3 (n_h 3 is the worst gated ratio, 0.91x).
# Then fla's and our per-kernel times at n_h 3 (benchmarks/kernels.py --profile, fla needs `.whl`): why ours scales
# 1.60x from n_h 2 to 3 and fla's 1.44x, phase by phase (never profiled for fla at n_h 3).
# Back: ncu_lines_n{2,3}.csv, ncu_details_n{2,3}.csv, ncu.log, s12_profile.json/.log.
# benchmarks/ncu_summary.py reads the details page and a SASS source page; the line view's layout has not been
# seen yet (its header comes back with the files), so reading it may need an addition to ncu_summary.py.
# Run from the repo root on the device: bash benchmarks/gpu_session12.sh
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
"$NCU" --version > "$OUT/ncu.log" 2>&1
for n in 2 3; do
  rep=/tmp/ncu_scan_n$n
  timeout 150 "$NCU" --clock-control none --target-processes all --kernel-name regex:'_fwd_scan_kernel' \
    --launch-skip 1 --launch-count 1 --set full --import-source yes -f -o "$rep" \
    python3 benchmarks/ncu_target.py --n-h $n --gated 1 >> "$OUT/ncu.log" 2>&1
  echo "== profile n_h=$n rc=$?" >> "$OUT/ncu.log"
  "$NCU" -i "$rep.ncu-rep" --page details --csv > "$OUT/ncu_details_n$n.csv" 2>> "$OUT/ncu.log"
  "$NCU" -i "$rep.ncu-rep" --page source --csv --print-source cuda,sass > "$OUT/ncu_lines_n$n.csv" 2>> "$OUT/ncu.log" \
    || "$NCU" -i "$rep.ncu-rep" --page source --csv --print-source cuda > "$OUT/ncu_lines_n$n.csv" 2>> "$OUT/ncu.log"
  echo "== export n_h=$n rc=$? $(wc -c < "$OUT/ncu_lines_n$n.csv") bytes" >> "$OUT/ncu.log"
done
tail -n 12 "$OUT/ncu.log"
head -c 1500 "$OUT/ncu_lines_n2.csv"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site
timeout 300 python3 benchmarks/kernels.py --skip-check --n-h 3 --gated 0 1 --no-fp32 --profile --rep 30 \
  --out "$OUT/s12_profile.json" > "$OUT/s12_profile.log" 2>&1
echo "profile rc=$?"
grep '"n_h"' "$OUT/s12_profile.log" | cut -c1-1200
