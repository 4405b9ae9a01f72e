# H200, prepared in session 5 and NOT YET RUN (no device time was left): DELTAPROOF_CHUNKED_STATES=16bit (the chunk
# states saved for the backward in the 16-bit dot type; kernels/README.md §6). On the CPU it changes nothing but dg
# (tests/kernels/test_kernels_triton.py); on the GPU: (1) gradients against float64 at the 17-shape set, (2)
# forward+backward time against the fp32-saved states, values alternated (env_ab_gpu.py; the profile at n_h 2
# shows _bwd_kblock_kernel, the kernel whose traffic it halves).
# Run from the repo root on the device: bash benchmarks/gpu_states16.sh. Back: states16_grads.json,
# states16_time.json, logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1
G=/tmp/s16; mkdir -p $G
printf '%s\n' "5 1 4 bfloat16" "5 1 4 float16" "3 1 2 bfloat16" "16 16 2 bfloat16" "32 32 1 bfloat16" \
  "32 32 2 bfloat16" "32 32 3 bfloat16" "32 32 4 bfloat16" "32 32 2 bfloat16 gated" "64 64 3 bfloat16" \
  "128 128 2 bfloat16" "128 128 3 bfloat16" "128 128 4 bfloat16" "128 128 2 bfloat16 gated" \
  "128 128 4 float16 gated" "100 100 1 float16" "256 256 2 bfloat16" \
  | nl -v0 | DELTAPROOF_CHUNKED_STATES=16bit timeout 200 xargs -P 6 -L 1 sh -c \
    'timeout 150 python3 benchmarks/kernel_grads_gpu.py $1 $2 $3 $4 $5 > /tmp/s16/g_$0.json 2> /tmp/s16/g_$0.err'
python3 - <<'P'
import glob, json, os, torch, triton
rows = []
for f in sorted(glob.glob("/tmp/s16/g_*.json"), key=lambda p: int(p.split("_")[-1][:-5])):
    t = open(f).read().strip()
    rows.append(json.loads(t) if t else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]})
json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "env": "DELTAPROOF_CHUNKED_STATES=16bit", "command": "bash benchmarks/gpu_states16.sh",
           "grads_vs_float64": rows}, open(os.environ["OUT"] + "/states16_grads.json", "w"), indent=1)
for r in rows: print(r.get("K"), r.get("n_h"), r.get("dtype"), r.get("gated"), {k: round(v, 4) for k, v in r.items() if k.endswith("_rel") and isinstance(v, float)}, r.get("finite"))
P
timeout 330 python3 benchmarks/env_ab_gpu.py $OUT/states16_time.json DELTAPROOF_CHUNKED_STATES fp32,16bit \
  > $OUT/states16_time.log 2>&1
tail -n 40 $OUT/states16_time.log
