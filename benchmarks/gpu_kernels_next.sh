# Next H200 step for issue 4 (not yet run): verify, then time, the two experimental kernel forms together:
# DELTAPROOF_CHUNKED_WY=parallel (_wy_fwd_par_kernel) and DELTAPROOF_CHUNKED_BWD=split-kb (_bwd_chunk_kb_kernel).
# 1. every gradient against float64 on the GPU (kernel_grads_gpu.py, shapes in parallel processes), incl. fp32;
# 2. speed side by side with fla at the benchmark shape, n_h 1 and 2, gated and ungated, per-kernel profile.
# Run from the repo root on the device with `.whl` carried (fla-core): bash benchmarks/gpu_kernels_next.sh
# Back: next_grads.json, next_bench.json (+ log). If every row is correct and faster, make both the defaults
# (kernels/chunked.py _Config) and delete the forms they replace; record the figures in kernels_h200.json.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1 DELTAPROOF_CHUNKED_WY=parallel DELTAPROOF_CHUNKED_BWD=split-kb
S=/tmp/next; mkdir -p $S
i=0
for shape in "128 128 2 bfloat16" "128 128 2 bfloat16 gated" "128 128 4 bfloat16" "32 32 2 bfloat16" \
             "5 5 4 bfloat16" "64 64 3 float16 gated" "128 128 1 float32" "100 64 2 bfloat16"; do
  ( timeout 150 python3 benchmarks/kernel_grads_gpu.py $shape > $S/grads_$i.json 2> $S/grads_$i.err ) &
  i=$((i+1))
done
wait
python3 - <<'P'
import glob, json, os, torch, triton
grads = []
for f in sorted(glob.glob("/tmp/next/grads_*.json")):
    txt = open(f).read().strip()
    grads.append(json.loads(txt) if txt else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]})
json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "wy": os.environ["DELTAPROOF_CHUNKED_WY"], "backward": os.environ["DELTAPROOF_CHUNKED_BWD"],
           "command": "bash benchmarks/gpu_kernels_next.sh", "grads_vs_float64": grads},
          open(os.environ["OUT"] + "/next_grads.json", "w"), indent=1)
for g in grads: print(g)
P
timeout 300 python3 benchmarks/kernels.py --skip-check --no-fp32 --n-h 2 1 --gated 0 1 --profile --bench-check \
  --rep 30 --out $OUT/next_bench.json > $OUT/next_bench.log 2>&1
