# H200, session 18 call 5. No wheels needed; ~2-3 minutes (timeout_s 330).
# The recurrent backward's two kernels take 5-7x the forward's time (kernels/README.md §7). Nsight Compute on the
# second of two fp32 forward+backward calls (benchmarks/ncu_target.py --backend recurrent, B=8 T=4096 H=16 K=V=128, n_h 1,
# ungated): the forward, pass 1 and pass 2, with warp-stall sampling per SASS instruction (`--clock-control none`
# leaves the clocks alone). Summarised on the device with benchmarks/ncu_summary.py. Back: ncu_s18.json,
# ncu_s18_details.csv.gz, ncu_s18_src.csv.gz
set -u
export PYTHONPATH=. PYTHONUNBUFFERED=1
NCU=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
rep=/tmp/ncu_rec
timeout 240 "$NCU" --clock-control none --target-processes all --kernel-name regex:'_recurrent_' \
  --launch-skip 3 --launch-count 3 --section SpeedOfLight --section MemoryWorkloadAnalysis \
  --section WarpStateStats --section SchedulerStats --section Occupancy --section LaunchStats \
  --section SourceCounters --import-source yes -f -o "$rep" \
  python3 benchmarks/ncu_target.py --backend recurrent --n-h 1 > /tmp/ncu.log 2>&1
echo "== profile rc=$?"; tail -5 /tmp/ncu.log
"$NCU" -i "$rep.ncu-rep" --page details --csv > /tmp/ncu_s18_details.csv 2>> /tmp/ncu.log
"$NCU" -i "$rep.ncu-rep" --page source --csv --print-source sass > /tmp/ncu_s18_src.csv 2>> /tmp/ncu.log
python3 benchmarks/ncu_summary.py "$OUT/ncu_s18.json" /tmp/ncu_s18_details.csv /tmp/ncu_s18_src.csv --label s18_n_h1 --top 12
gzip -c /tmp/ncu_s18_details.csv > "$OUT/ncu_s18_details.csv.gz"; gzip -c /tmp/ncu_s18_src.csv > "$OUT/ncu_s18_src.csv.gz"
python3 -c "
import json; d = json.load(open('$OUT/ncu_s18.json'))
print(json.dumps(d, indent=0)[:9000])"
grep -i "Duration\|DRAM Throughput\|Warp Cycles Per Issued\|Achieved Occupancy\|Memory Throughput\|L2 Hit\|L1/TEX Hit" /tmp/ncu_s18_details.csv | cut -c1-220 | head -40
