# H200, session 5 (2026-11-29). Two jobs share the device calls:
#  (1) issue 8: continue the S5 n_h=4 seed-3 model of sweep 4 (it left the position-1 plateau's flat part at step
#      ~1900, loss 4.750 -> 4.742) from its committed weights, for as long as the session's device time allows.
#      The run is one `deltaproof train` run paused by SIGINT at the end of each call (the step finishes and the
#      checkpoint is written: nothing lost) and resumed by the same command in the next call; the last call gives it
#      a --time-budget (cumulative training seconds) so that it finishes: evaluation at 512 and mechanism report.
#      Trained with DELTAPROOF_CHUNKED_TM=split (kernels/README.md §6).
#  (2) issue 4, first call only, alongside: the Tm split's gradients against float64 at the full shape set of
#      kernel_grads_h200.json, and the issue-5 horizons with the split (configurations 4-11: the 16-bit chunked
#      ones with unit keys; 0-3 use integer keys, exact in the format, error 0 with either form).
# Run from the repo root on the device, carrying runs/s5long (the paused run):
#   PHASE=first TRAIN_S=500 bash benchmarks/gpu_session5.sh
#   PHASE=more  TRAIN_S=540 bash benchmarks/gpu_session5.sh
#   PHASE=last  TRAIN_S=300 bash benchmarks/gpu_session5.sh      (finishes the run)
# What happened (session 5): the first call's run reached the early stop (validation sequence accuracy 0.996 at
# length 128) at step 2000 of the continuation, and the call's SIGINT came during the final evaluation (outside the
# pausable loop), so the checkpoint at step 2000 (stopped = early_stop) was resumed by `PHASE=more TRAIN_S=400`,
# which only evaluates and writes result.json, then evaluates the model with Tm single / split / fp32.
# Back (in $OUT): s5long.tgz (the run folder), train.log, and in the first call tm_grads_full.json,
# horizons_split.json and their logs.
export PYTHONPATH=. PYTHONUNBUFFERED=1 DELTAPROOF_CHUNKED_TM=split
RUN=runs/s5long/S5_nh4_beta2_seed3_cont
CMD="python3 -m verify train --group S5 --nh 4 --beta-max 2 --steps 6000 --batch 2048 --lr 0.0005 --seed 3
     --train-length 128 --test-length 512 --eval-size 1000 --eval-every 200 --ckpt-every 200
     --init-from reports/learning_runs/S5_nh4_beta2_seed3/model.pt --out $RUN --no-progress"
mkdir -p runs/s5long
if [ "${PHASE:?}" = last ]; then
  # the checkpoint's cumulative training seconds + TRAIN_S: the run stops on its budget and finishes
  B=$(python3 -c "import torch; print(torch.load('$RUN/checkpoint.pt', weights_only=False)['train_seconds'] + ${TRAIN_S:?})")
  timeout -k 30 $((TRAIN_S + 200)) $CMD --time-budget $B > $OUT/train.log 2>&1 &
else
  timeout -s INT -k 60 ${TRAIN_S:?} $CMD > $OUT/train.log 2>&1 &
fi
TRAIN_PID=$!
if [ "$PHASE" = first ]; then
  G=/tmp/g; mkdir -p $G
  printf '%s\n' "5 1 4 bfloat16" "5 1 4 float16" "3 1 2 bfloat16" "16 16 2 bfloat16" "32 32 1 bfloat16" \
    "32 32 2 bfloat16" "32 32 3 bfloat16" "32 32 4 bfloat16" "32 32 2 bfloat16 gated" "64 64 3 bfloat16" \
    "128 128 2 bfloat16" "128 128 3 bfloat16" "128 128 4 bfloat16" "128 128 2 bfloat16 gated" \
    "128 128 4 float16 gated" "100 100 1 float16" "256 256 2 bfloat16" \
    | nl -v0 | timeout 200 xargs -P 6 -L 1 sh -c 'timeout 150 python3 benchmarks/kernel_grads_gpu.py $1 $2 $3 $4 $5 > /tmp/g/g_$0.json 2> /tmp/g/g_$0.err'
  python3 - <<'P'
import glob, json, os, torch, triton
rows = []
for f in sorted(glob.glob("/tmp/g/g_*.json"), key=lambda p: int(p.split("_")[-1][:-5])):
    t = open(f).read().strip()
    rows.append(json.loads(t) if t else {"file": os.path.basename(f), "stderr_tail": open(f[:-5] + ".err").read()[-300:]})
json.dump({"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "triton": triton.__version__,
           "env": "DELTAPROOF_CHUNKED_TM=split", "command": "PHASE=first bash benchmarks/gpu_session5.sh",
           "note": "run while the S5 training shared the GPU (accuracy only, no timing)", "grads_vs_float64": rows},
          open(os.environ["OUT"] + "/tm_grads_full.json", "w"), indent=1)
for r in rows: print(r)
P
  ( START=4 STOP=12 DEADLINE_S=240 timeout 290 python3 benchmarks/horizons_gpu.py $OUT/horizons_split.json > $OUT/horizons.log 2>&1 )
fi
wait $TRAIN_PID; echo "train exit $?"
tail -n 4 $OUT/train.log
# a finished run: its accuracy through the chunked kernel in bf16 with Tm single and split, and in fp32
[ -f $RUN/result.json ] && TM_EVAL_RUNS=$RUN timeout 120 python3 benchmarks/tm_split_gpu.py eval $OUT/tm_eval_s5.json \
  > $OUT/tm_eval_s5.log 2>&1
tar czf $OUT/s5long.tgz runs/s5long; ls -la $OUT
