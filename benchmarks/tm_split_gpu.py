"""GPU: does ``DELTAPROOF_CHUNKED_TM=split`` (Tm as two 16-bit parts in the WY factors) fix learned models in bf16,
and what does it cost? (kernels/README.md §6, verify/learn/README.md.)

Run from the repository root on the GPU: ``PYTHONPATH=. python3 benchmarks/tm_split_gpu.py eval OUT.json`` (the
committed learned models of reports/learning_runs/, evaluated through the chunked kernel in bf16 with Tm single and
split, and in fp32: cumulative sequence accuracy on 1000 fresh seeded words of length 512, the training
script's metric) and ``... time OUT.json`` (forward time at the benchmark shape B=8, T=4096, H=16, K=V=128, bf16,
n_h 1 and 2, both forms alternated, triton.testing.do_bench median). The CPU side of the same question is
tests/kernels/test_kernels_triton.py::test_split_tm_reduces_bf16_forward_error.
"""

import importlib.util
import json
import os
import sys
import time

import torch
import triton

sys.path.insert(0, ".")
# run folders to evaluate (TM_EVAL_RUNS=path,path overrides: used for runs that are not committed yet)
RUNS = [
    os.path.join("reports", "learning_runs", r)
    for r in ("A5_nh2_beta2_seed3", "S4_nh2_beta2_seed0", "S4_nh4_beta2_seed0", "A5_nh2_beta2_seed0")
]
if os.environ.get("TM_EVAL_RUNS"):
    RUNS = os.environ["TM_EVAL_RUNS"].split(",")


# benchmarks/kernels.py's inputs, results header and writer (its module name would shadow the kernels package,
# hence the file import)
_spec = importlib.util.spec_from_file_location("kernels_bench", os.path.join("benchmarks", "kernels.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _env():
    return bench.run_record("tm_split_gpu.py", sys.argv[1:2])


def evaluate(out):
    from automata import group as make_group
    from verify.learn.train import cumulative_accuracy, load_run

    res = dict(_env(), words=1000, length=512, seed=123, rows=[])
    for run in RUNS:
        r, m = load_run(run, backend="chunked")
        m = m.cuda()
        G = make_group(r["group"])
        for dt, tm in ((torch.bfloat16, "single"), (torch.bfloat16, "split"), (torch.float32, "single")):
            os.environ["DELTAPROOF_CHUNKED_TM"] = tm
            m.dtype = dt
            t0 = time.perf_counter()
            acc = cumulative_accuracy(m, G, 512, 1000, seed=123)
            row = {
                "run": os.path.basename(run.rstrip("/")),
                "dtype": str(dt).split(".")[1],
                "tm": tm,
                "accuracy_at": {str(L): round(float(acc[L - 1]), 4) for L in (64, 128, 256, 512)},
                "trained_accuracy_at": r["accuracy_at"],
                "seconds": round(time.perf_counter() - t0, 1),
            }
            res["rows"].append(row)
            print(json.dumps(row), flush=True)
            bench.write_json(out, res)


def time_forward(out):
    res = dict(
        _env(), shape="B=8 T=4096 H=16 K=V=128 bf16 ungated", timing="do_bench median ms, rep 100", rows=[]
    )
    for n in (2, 1):
        inp = bench.make_inputs(8, 4096, 16, 128, 128, n, torch.bfloat16, False)
        for rnd in range(2):
            for tm in ("single", "split"):
                os.environ["DELTAPROOF_CHUNKED_TM"] = tm

                def fwd(inp=inp, n=n):
                    return bench.run_inputs(inp, n, "chunked")  # g is None: ungated, as before

                ms = triton.testing.do_bench(fwd, warmup=25, rep=100, return_mode="median")
                row = {"n_h": n, "tm": tm, "round": rnd, "fwd_ms": round(float(ms), 4)}
                res["rows"].append(row)
                print(json.dumps(row), flush=True)
                bench.write_json(out, res)


if __name__ == "__main__":
    {"eval": evaluate, "time": time_forward}[sys.argv[1]](sys.argv[2])
