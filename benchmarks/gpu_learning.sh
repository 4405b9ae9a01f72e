# H200 session: the learning sweep of issue 8 (S3, S4, A5, S5 x n_h 1..4, beta in [0, 2], plus S3 with [0, 1]).
# Run from the repo root on the device: OUT=<folder> bash benchmarks/gpu_learning.sh. All 20 runs share the GPU at
# once (the models are small); each run stops at 2000 steps, at validation accuracy 0.99, or after 300 s of training.
export PYTHONPATH=.
nvidia-smi --query-gpu=name --format=csv,noheader
python3 -c "import torch, triton; print(torch.__version__, triton.__version__)"
timeout 500 python3 -m verify learn-sweep --jobs 20 --steps 2000 --batch 256 --time-budget 300 --eval-every 100 \
  --ckpt-every 200 --runs-dir runs/learning --out reports 2>&1 | tail -30
for d in runs/learning/*; do
  n=$(basename "$d"); mkdir -p "$OUT/runs/$n"
  cp "$d"/result.json "$d"/log.json "$d"/model.pt "$d"/stderr.txt "$OUT/runs/$n/" 2>/dev/null
done
cp reports/learning.* "$OUT/" 2>/dev/null; ls "$OUT"
