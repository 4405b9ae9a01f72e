# H200, prepared in session 5 and NOT YET RUN (no device time was left): the fp32 experiment
# DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 (every fp32 dot of an `ieee` call as three tf32 passes, K tiles >= 128;
# kernels/README.md §6). Question: does it keep the fp32 error below 1e-5 against float64, and how far does it move
# the fp32 forward from 0.04-0.08x fla's fp32 path (fused_recurrent_delta_rule) towards the 3x target?
# Run from the repo root on the device with `.whl` carried: bash benchmarks/gpu_fp32_tf32x3.sh.
# Back: fp32_grads.json (gradients vs float64 for ieee and tf32x3), fp32_tf32x3.json (benchmarks/kernels.py: the
# fp32 check at the bench slice and the speed table with the fp32 rows; written after every row).
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
G=/tmp/f32; mkdir -p $G
for mode in ieee tf32x3; do
  for shape in "128 128 1 float32" "128 128 2 float32" "128 128 4 float32" "128 128 2 float32 gated" "256 256 2 float32"; do
    echo "$mode $shape"
  done
done | nl -v0 | timeout 240 xargs -P 5 -L 1 sh -c \
  'echo "$1" > /tmp/f32/m_$0; DELTAPROOF_CHUNKED_FP32_DOTS=$1 timeout 200 python3 benchmarks/kernel_grads_gpu.py $2 $3 $4 $5 $6 > /tmp/f32/g_$0.json 2> /tmp/f32/g_$0.err'
python3 - <<'P'
import glob, json, os, torch, triton
rows = []
for f in sorted(glob.glob("/tmp/f32/g_*.json"), key=lambda p: int(p.split("_")[-1][:-5])):
    i = f.split("_")[-1][:-5]
    t = open(f).read().strip()
    r = json.loads(t) if t else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]}
    r["DELTAPROOF_CHUNKED_FP32_DOTS"] = open(f"/tmp/f32/m_{i}").read().strip()
    rows.append(r)
json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "command": "bash benchmarks/gpu_fp32_tf32x3.sh", "grads_vs_float64": rows},
          open(os.environ["OUT"] + "/fp32_grads.json", "w"), indent=1)
for r in rows: print(r.get("DELTAPROOF_CHUNKED_FP32_DOTS"), r.get("K"), r.get("n_h"), r.get("gated"), {k: v for k, v in r.items() if k.endswith("_rel")}, r.get("finite"))
P
DELTAPROOF_CHUNKED_FP32_DOTS=tf32x3 timeout 300 python3 benchmarks/kernels.py --check-shape bench-slice \
  --check-n-h 2 --check-dtypes fp32 --no-recurrent-check --no-tf32-check --n-h 1 2 3 4 --gated 0 --rep 30 \
  --out $OUT/fp32_tf32x3.json > $OUT/fp32_tf32x3.log 2>&1
tail -n 30 $OUT/fp32_tf32x3.log
