# Small learning runs on the 2-core CPU machine (reduced model: d_model 32, 2 heads of 8, train length 32, test 128),
# for mechanism reports of configurations whose H200 weights were not retrieved. Writes reports/learning_cpu/.
set -e
common="--steps 1500 --batch 64 --train-length 32 --test-length 128 --eval-size 256 --d-model 32 --heads 2 \
  --head-dim 8 --lr 3e-3 --eval-every 100 --dtype float32 --device cpu"
python -m verify learn-sweep --groups S3,S4 --nh 1,2 --contrast S3:1 $common --jobs 2 --runs-dir runs/learning_cpu \
  --out reports/learning_cpu
