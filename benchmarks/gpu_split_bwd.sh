# H200, session 3 (2026-11-29): the split chunked backward (kernels/README.md §4-6). First correctness of every
# gradient against float64 on the GPU (kernel_grads_gpu.py, several shapes in parallel processes), then the speed
# of the chunked forward+backward at the benchmark shape, per kernel (torch.profiler), without fla (its times at
# this shape come from the side-by-side run of the same day in kernels_h200.json). Back: split_grads.json,
# split_bench.json (+ log). Run from the repo root on the device: bash benchmarks/gpu_split_bwd.sh
# Knobs (environment; unset = the run of session 3; session 4's run of since-removed forms set them): TAG (output names,
# default split), GRAD_TIMEOUT (s per shape, 100), BENCH_TIMEOUT (s, 130), BENCH_FLA=1 (install fla-core from the
# carried .whl and time it side by side, with the forward error check); DELTAPROOF_CHUNKED_BWD picks the form.
TAG=${TAG:-split}
if [ "${BENCH_FLA:-0}" = 1 ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
  export PYTHONPATH=.:/tmp/site; fla_flags="--bench-check"
else
  export PYTHONPATH=.; fla_flags="--no-fla"
fi
export PYTHONUNBUFFERED=1 TAG
S=/tmp/$TAG; mkdir -p $S
i=0
for shape in "128 128 2 bfloat16" "128 128 2 bfloat16 gated" "128 128 4 bfloat16" "32 32 2 bfloat16" \
             "5 5 4 bfloat16" "64 64 3 float16 gated" "128 128 1 float32" "100 64 2 bfloat16"; do
  ( timeout ${GRAD_TIMEOUT:-100} python3 benchmarks/kernel_grads_gpu.py $shape > $S/grads_$i.json 2> $S/grads_$i.err ) &
  i=$((i+1))
done
wait
# written before the timing, so a run cut by the device's limit still returns the correctness half
python3 - <<'P'
import glob, json, os, torch, triton
tag = os.environ["TAG"]
grads = []
for f in sorted(glob.glob(f"/tmp/{tag}/grads_*.json")):
    txt = open(f).read().strip()
    grads.append(json.loads(txt) if txt else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]})
out = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
       "backward": os.environ.get("DELTAPROOF_CHUNKED_BWD", "split"),
       "command": "bash benchmarks/gpu_split_bwd.sh",
       "grads_vs_float64": grads}
json.dump(out, open(os.environ["OUT"] + f"/{tag}_grads.json", "w"), indent=1)
for g in grads: print(g)
P
timeout ${BENCH_TIMEOUT:-130} python3 benchmarks/kernels.py --skip-check $fla_flags --no-fp32 --n-h 2 1 --gated 0 1 \
  --profile --rep 30 --out $OUT/${TAG}_bench.json > $OUT/${TAG}_bench.log 2>&1
