# Next H200 session for issue 8 (not yet run): the runs still missing for the mechanism must-show, with every
# run's weights brought back in ONE tarball (the device returns only a handful of files; sweep 1 lost its weights).
# - S3 n_h 1, 2 and S4 n_h 1 at the paper's size (weights for the failed/successful S3 and failed S4 reports);
# - A5 n_h 2 and S5 n_h 4 with the paper's batch of 2048 for up to 420 s each (sweep 2 stayed at chance level
#   with batch 256 x 6000 steps).
# Run from the repo root on the device: bash benchmarks/gpu_learning_next.sh (OUT = results folder). Then, on the
# CPU: unpack into reports/learning_runs/ and rerun `python benchmarks/learning_report.py`.
export PYTHONPATH=.
S=/tmp/stage; mkdir -p $S
( timeout 480 python3 -m verify learn-sweep --groups S3 --nh 1,2 --contrast= --steps 2000 --batch 256 \
    --time-budget 300 --eval-every 100 --jobs 2 --no-progress --runs-dir runs/l3 --out $S/l3a > $S/l3a.log 2>&1 ) &
( timeout 480 python3 -m verify learn-sweep --groups S4 --nh 1 --contrast= --steps 2000 --batch 256 \
    --time-budget 300 --eval-every 100 --jobs 1 --no-progress --runs-dir runs/l3 --out $S/l3b > $S/l3b.log 2>&1 ) &
( timeout 540 python3 -m verify learn-sweep --groups A5 --nh 2 --contrast= --steps 4000 --batch 2048 \
    --time-budget 420 --eval-every 100 --jobs 1 --no-progress --runs-dir runs/l3 --out $S/l3c > $S/l3c.log 2>&1 ) &
( timeout 540 python3 -m verify learn-sweep --groups S5 --nh 4 --contrast= --steps 4000 --batch 2048 \
    --time-budget 420 --eval-every 100 --jobs 1 --no-progress --runs-dir runs/l3 --out $S/l3d > $S/l3d.log 2>&1 ) &
wait
cp -r runs/l3 $S/runs; find $S -name checkpoint.pt -delete
tar czf $OUT/learning3.tgz -C $S .; ls -la $OUT
