# H200 session 3 (2026-11-29): the learning runs still missing for issue 8's mechanism must-show, and fla's fp16
# horizons for issue 5; different processes sharing the GPU, everything in ONE tarball (the device returns few files).
# - A5 n_h 2 and S5 n_h 4 at the paper's batch of 2048, lr 1e-3, two seeds each (1, 2: seed 0 is the batch-256 run
#   already in reports/learning_runs), up to 480 s of training each;
# - S4 n_h 1 (a failed S4 model whose weights come back; sweep 1 lost them);
# - horizons_gpu.py configurations 20-23 (fla, fp16).
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_session3.sh. On the CPU: unpack,
# copy runs into reports/learning_runs/, rerun `python benchmarks/learning_report.py`, merge the horizons.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
S=/tmp/stage; mkdir -p $S
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > $S/gpu.txt 2>&1
big="--contrast= --steps 3000 --batch 2048 --time-budget 480 --eval-every 100 --ckpt-every 200 --jobs 1 --no-progress"
for g in "A5 2" "S5 4"; do set -- $g; for seed in 1 2; do
  ( timeout 555 python3 -m verify learn-sweep --groups $1 --nh $2 --seed $seed $big --runs-dir runs/l3 \
      --out $S/l3_$1_$seed > $S/l3_$1_$seed.log 2>&1 ) &
done; done
( timeout 400 python3 -m verify learn-sweep --groups S4 --nh 1 --contrast= --steps 2000 --batch 256 --time-budget 240 \
    --eval-every 100 --jobs 1 --no-progress --runs-dir runs/l3 --out $S/l3_S4_nh1 > $S/l3_S4_nh1.log 2>&1 ) &
( START=20 DEADLINE_S=420 timeout 540 python3 benchmarks/horizons_gpu.py $S/horizons_h200_fla_fp16.json \
    > $S/horizons3.log 2>&1 ) &
wait
cp -r runs/l3 $S/runs; find $S -name checkpoint.pt -delete
tail -n 3 $S/*.log; tar czf $OUT/session3.tgz -C $S .; ls -la $OUT
