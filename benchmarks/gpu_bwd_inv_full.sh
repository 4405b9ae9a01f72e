# H200, session 5, after benchmarks/gpu_bwd_inv.sh: DELTAPROOF_CHUNKED_BWD_INV=16bit (16-bit operands in the
# inverse's backward dots) at the full 17-shape gradient set, then benchmarks/kernels.py with it: accuracy of
# chunked and fla against float64 at the bench slice (B=1 T=512 H=2 K=V=128, bf16), and the side-by-side speed
# and memory table at B=8 T=4096 H=16 K=V=128, ungated, n_h 1..4 (partial results are kept if the time runs out).
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_bwd_inv_full.sh.
# Back: bwd16_grads.json, bwd16_kernels.json, logs.
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1 DELTAPROOF_CHUNKED_BWD_INV=16bit
G=/tmp/b16; mkdir -p $G
printf '%s\n' "5 1 4 bfloat16" "5 1 4 float16" "3 1 2 bfloat16" "16 16 2 bfloat16" "32 32 1 bfloat16" \
  "32 32 2 bfloat16" "32 32 3 bfloat16" "32 32 4 bfloat16" "32 32 2 bfloat16 gated" "64 64 3 bfloat16" \
  "128 128 2 bfloat16" "128 128 3 bfloat16" "128 128 4 bfloat16" "128 128 2 bfloat16 gated" \
  "128 128 4 float16 gated" "100 100 1 float16" "256 256 2 bfloat16" \
  | nl -v0 | timeout 200 xargs -P 6 -L 1 sh -c 'timeout 150 python3 benchmarks/kernel_grads_gpu.py $1 $2 $3 $4 $5 > /tmp/b16/g_$0.json 2> /tmp/b16/g_$0.err'
python3 - <<'P'
import glob, json, os, torch, triton
rows = []
for f in sorted(glob.glob("/tmp/b16/g_*.json"), key=lambda p: int(p.split("_")[-1][:-5])):
    t = open(f).read().strip()
    rows.append(json.loads(t) if t else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]})
json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "env": "DELTAPROOF_CHUNKED_BWD_INV=16bit", "command": "bash benchmarks/gpu_bwd_inv_full.sh",
           "grads_vs_float64": rows}, open(os.environ["OUT"] + "/bwd16_grads.json", "w"), indent=1)
for r in rows: print(r.get("K"), r.get("V"), r.get("n_h"), r.get("dtype"), r.get("gated"), {k: round(v, 4) for k, v in r.items() if k.endswith("_rel") and isinstance(v, float)}, r.get("finite"), str(r.get("error", r.get("stderr_tail", "")))[:100])
P
timeout 270 python3 benchmarks/kernels.py --check-shape bench-slice --check-n-h 2 --check-dtypes bf16 \
  --no-recurrent-check --no-tf32-check --n-h 2 1 3 4 --gated 0 --no-fp32 --bench-check --rep 50 \
  --out $OUT/bwd16_kernels.json > $OUT/bwd16_kernels.log 2>&1
tail -n 40 $OUT/bwd16_kernels.log
