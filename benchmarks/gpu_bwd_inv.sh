# H200, session 5: is the tf32x3 precision of the inverse's backward dots (dA = -T^T dT T^T, dK += Z K + Z^T K in
# _bwd_chunk_kernel) what makes that kernel slow, and can it be lowered without losing gradient accuracy?
# DELTAPROOF_CHUNKED_BWD_INV = fp32 (default: fp32 operands at the inverse's precision, tf32x3 at K = 128) | tf32
# (one tf32 pass) | 16bit (16-bit operands, fp32 accumulation). (1) gradients against float64 per value at six
# shapes (kernel_grads_gpu.py), (2) forward+backward time per value, alternated, n_h 1..4, gated and not, and the
# per-kernel profile at n_h 2 (env_ab_gpu.py). Run from the repo root on the device: bash benchmarks/gpu_bwd_inv.sh.
# Back: bwd_inv_grads.json, bwd_inv_time.json, logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
G=/tmp/bi; mkdir -p $G
for mode in fp32 tf32 16bit; do
  for shape in "128 128 1 bfloat16" "128 128 2 bfloat16" "128 128 4 bfloat16" "128 128 2 bfloat16 gated" \
               "32 32 2 bfloat16 gated" "64 64 3 float16 gated"; do
    echo "$mode $shape"
  done
done | nl -v0 | timeout 220 xargs -P 6 -L 1 sh -c \
  'echo "$1" > /tmp/bi/m_$0; DELTAPROOF_CHUNKED_BWD_INV=$1 timeout 150 python3 benchmarks/kernel_grads_gpu.py $2 $3 $4 $5 $6 > /tmp/bi/g_$0.json 2> /tmp/bi/g_$0.err'
python3 - <<'P'
import glob, json, os, torch, triton
rows = []
for f in sorted(glob.glob("/tmp/bi/g_*.json"), key=lambda p: int(p.split("_")[-1][:-5])):
    i = f.split("_")[-1][:-5]
    t = open(f).read().strip()
    r = json.loads(t) if t else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]}
    r["DELTAPROOF_CHUNKED_BWD_INV"] = open(f"/tmp/bi/m_{i}").read().strip()
    rows.append(r)
json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "command": "bash benchmarks/gpu_bwd_inv.sh", "grads_vs_float64": rows},
          open(os.environ["OUT"] + "/bwd_inv_grads.json", "w"), indent=1)
for r in rows: print(r.get("DELTAPROOF_CHUNKED_BWD_INV"), r.get("K"), r.get("n_h"), r.get("dtype"), r.get("gated"), {k: round(v, 4) for k, v in r.items() if k.endswith("_rel") and isinstance(v, float)}, r.get("finite"), r.get("error", "")[:80] if isinstance(r.get("error"), str) else "")
P
timeout 330 python3 benchmarks/env_ab_gpu.py $OUT/bwd_inv_time.json DELTAPROOF_CHUNKED_BWD_INV fp32,tf32,16bit \
  > $OUT/bwd_inv_time.log 2>&1
tail -n 60 $OUT/bwd_inv_time.log
