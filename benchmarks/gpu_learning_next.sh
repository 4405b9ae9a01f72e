# H200 learning runs for issue 8, run in session 4 as sweep 4 (A5 n_h=2 and S5 n_h=4, seed 3): one group ALONE on the GPU at the paper's batch of
# 2048 (session 3 ran five processes at once and got ~815 steps in 480 s; the paper's recipe is ~4900 steps).
# One group per device call (each call is capped at 600 s): GROUP=A5 NH=2 or GROUP=S5 NH=4, seed 3.
# The training budget leaves 150 s before the kill: session 3's S5 runs overran `timeout 555` with a 480 s budget
# and lost their weights. Weights come back in ONE tarball (the device returns only a few files).
# Run from the repo root on the device: GROUP=A5 NH=2 bash benchmarks/gpu_learning_next.sh. Then, on the CPU:
# unpack into reports/learning_runs/, add the run names to SWEEP-tags in benchmarks/learning_report.py, and rerun it.
export PYTHONPATH=. PYTHONUNBUFFERED=1
S=/tmp/stage; mkdir -p $S
( timeout 570 python3 -m verify learn-sweep --groups ${GROUP:?} --nh ${NH:?} --seed 3 --contrast= --steps 4000 \
    --batch 2048 --time-budget 420 --eval-every 200 --ckpt-every 200 --jobs 1 --no-progress \
    --runs-dir runs/l4 --out $S/l4 > $S/l4.log 2>&1 )
cp -r runs/l4 $S/runs
# keep a run's checkpoint only where it has no model.pt (a killed run's last weights)
for d in $S/runs/*/; do [ -f "$d/model.pt" ] && rm -f "$d/checkpoint.pt"; done
tail -n 3 $S/*.log; tar czf $OUT/learning4.tgz -C $S .; ls -la $OUT
