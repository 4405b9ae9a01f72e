# H200 session 2 of 2026-11-29: longer learning runs (S4, A5 n_h=2; S4, S5 n_h=4), the GPU atlas (chunked, 1e5),
# and the horizons cut by the deadline in gpu_horizons_atlas.sh; all at once (different processes), one tarball back.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site
S=/tmp/stage; mkdir -p $S
common="--contrast= --steps 6000 --batch 256 --time-budget 400 --eval-every 200 --ckpt-every 500 --jobs 2 --no-progress"
( timeout 480 python3 -m verify learn-sweep --groups S4,A5 --nh 2 $common --runs-dir runs/l2 --out $S/learn2a > $S/learn2a.log 2>&1 ) &
( timeout 480 python3 -m verify learn-sweep --groups S4,S5 --nh 4 $common --runs-dir runs/l2 --out $S/learn2b > $S/learn2b.log 2>&1 ) &
( timeout 470 python3 -m verify atlas --device cuda --backend chunked --length 100000 --batch 16 --formats exact fp32 fp16 bf16 \
    --groups Z3 Z5 S3 D4 Q8 A4 S4 A5 S5 --out $S/atlas_h200 > $S/atlas.log 2>&1 ) &
( START=13 DEADLINE_S=300 timeout 400 python3 benchmarks/horizons_gpu.py $S/horizons_h200_part2.json > $S/horizons2.log 2>&1 ) &
wait
cp -r runs/l2 $S/runs_l2; find $S -name checkpoint.pt -delete
tail -5 $S/*.log; tar czf $OUT/session2.tgz -C $S .; ls -la $OUT
