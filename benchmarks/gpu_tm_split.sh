# H200, session 4 (2026-11-29): DELTAPROOF_CHUNKED_TM=split (kernels/README.md §6). Gradients against float64 with
# the split (kernel_grads_gpu.py, three shapes, in parallel with the evaluation of the committed learned models
# in bf16 single / bf16 split / fp32), then the forward time of both forms alone on the GPU.
# Run from the repo root on the device: bash benchmarks/gpu_tm_split.sh. Back: tm_grads.json, tm_eval.json,
# tm_time.json (+ logs).
export PYTHONPATH=. PYTHONUNBUFFERED=1
S=/tmp/tm; mkdir -p $S
i=0
for shape in "128 128 2 bfloat16" "32 32 2 bfloat16 gated" "64 64 3 float16 gated"; do
  ( DELTAPROOF_CHUNKED_TM=split timeout 110 python3 benchmarks/kernel_grads_gpu.py $shape > $S/g_$i.json 2> $S/g_$i.err ) &
  i=$((i+1))
done
( timeout 120 python3 benchmarks/tm_split_gpu.py eval $OUT/tm_eval.json > $OUT/tm_eval.log 2>&1 ) &
wait
python3 - <<'P'
import glob, json, os, torch, triton
rows = []
for f in sorted(glob.glob("/tmp/tm/g_*.json")):
    t = open(f).read().strip()
    rows.append(json.loads(t) if t else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]})
json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "env": "DELTAPROOF_CHUNKED_TM=split", "command": "bash benchmarks/gpu_tm_split.sh", "grads_vs_float64": rows},
          open(os.environ["OUT"] + "/tm_grads.json", "w"), indent=1)
for r in rows: print(r)
P
timeout 90 python3 benchmarks/tm_split_gpu.py time $OUT/tm_time.json > $OUT/tm_time.log 2>&1
tail -n 30 $OUT/*.log
