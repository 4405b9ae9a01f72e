# S3 on the 2-core CPU machine (the H200 sweep's S3 weights were not retrieved): a reduced model (d_model 32, 2 heads
# of 8, train length 32, test 128) with n_h 1 and 2, for mechanism reports of a failed and a successful S3 model.
# Run from the repo root with the venv on PATH (about 6 minutes); writes reports/learning_cpu/ (report, and each
# run's result.json, log.json and model.pt under runs/).
set -e
python -m verify learn-sweep --groups S3 --nh 1,2 --contrast= --steps 1500 --batch 64 --train-length 32 \
  --test-length 128 --eval-size 256 --d-model 32 --heads 2 --head-dim 8 --lr 3e-3 --eval-every 100 --dtype float32 \
  --device cpu --runs-dir runs/learning_cpu --out reports/learning_cpu
for d in runs/learning_cpu/S3_nh*_beta2_seed0; do
  mkdir -p "reports/learning_cpu/runs/$(basename "$d")"
  cp "$d"/result.json "$d"/log.json "$d"/model.pt "reports/learning_cpu/runs/$(basename "$d")/"
done
