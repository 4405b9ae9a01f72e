# H200, prepared in session 10, NOT YET RUN. Carry `.whl`; up to ~9 minutes (timeout_s 600). Where does the gated
# forward's extra time go?
# Our gated forward costs 23-29% more than our ungated one, fla's 3-4% (kernels/README.md §4); seven targeted
# changes measured slower (§6). Nsight Compute reads hardware counters on this machine's runtime (Firecracker,
# .library/device/KINDS.md; `--clock-control none` leaves the clocks alone, as METHOD.md asks). This profiles
# the second of two chunked forwards (benchmarks/ncu_target.py, bf16, B=8 T=4096 H=16 K=V=128, n_h 2; the first
# compiles and is skipped): the WY kernel's two launches and the forward scan, ungated and gated, `--set full`
# (warp-stall sampling per SASS instruction, with Triton's line info mapping it to kernels/chunked.py).
# Back: ncu_details_g{0,1}.csv (every section's metrics per launch), ncu_src_g{0,1}.csv (the source page: SASS with
# per-instruction stall samples and executed instructions), ncu.log. Compare the gated and ungated scan
# instruction by instruction; the offline counts (resources_sm90.py) say the gated loop has ~440 more instructions
# per iteration (1072 against 636), 13 more barriers, 16 shuffles.
# Then (needs fla, `.whl`): the per-kernel device time of ours and fla's at n_h 2, gated and ungated, forward and
# forward+backward (benchmarks/kernels.py --profile): fla's per-phase times gated have never been measured (session
# 3-4 profiled fla ungated), so this says which phase fla's 3-4% gated overhead and our 23-29% sit in.
# Back: s11_profile.json and s11_profile.log besides the ncu files.
# Run from the repo root on the device: bash benchmarks/gpu_session11.sh
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
echo "ncu: $NCU" > "$OUT/ncu.log"
"$NCU" --version >> "$OUT/ncu.log" 2>&1
for gated in 0 1; do
  rep=/tmp/ncu_fwd_g$gated
  timeout 240 "$NCU" --clock-control none --target-processes all \
    --kernel-name regex:'_fwd_scan_kernel|_wy_fwd_kernel' --launch-skip 3 --launch-count 3 \
    --set full --import-source yes -f -o "$rep" \
    python3 benchmarks/ncu_target.py --n-h 2 --gated $gated >> "$OUT/ncu.log" 2>&1
  echo "== profile gated=$gated rc=$?" >> "$OUT/ncu.log"
  "$NCU" -i "$rep.ncu-rep" --page details --csv > "$OUT/ncu_details_g$gated.csv" 2>> "$OUT/ncu.log"
  "$NCU" -i "$rep.ncu-rep" --page source --csv --print-source sass > "$OUT/ncu_src_g$gated.csv" 2>> "$OUT/ncu.log"
  echo "== export gated=$gated rc=$?" >> "$OUT/ncu.log"
done
tail -n 30 "$OUT/ncu.log"
ls -la "$OUT"
grep -i "Duration\|Registers Per\|Achieved Occupancy\|Warp Cycles Per Issued" "$OUT"/ncu_details_g*.csv | cut -c1-250 | head -40
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site
timeout 280 python3 benchmarks/kernels.py --skip-check --n-h 2 --gated 1 0 --no-fp32 --profile --rep 30 \
  --out "$OUT/s11_profile.json" > "$OUT/s11_profile.log" 2>&1
tail -n 3 "$OUT/s11_profile.log" | cut -c1-1500
