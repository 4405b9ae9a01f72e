"""Why the learned S5 model (n_h = 4, reports/learning_runs/S5_nh4_beta2_seed3_cont) fails beyond ~350 letters.

CPU only, about a minute: ``python benchmarks/s5_long_cpu.py``. Writes benchmarks/results/s5_long_cpu.json
(atomically) and prints it. Two measurements:

1. The model's own sequence accuracy with the recurrence in fp32 and in fp64 (reference backend, 200 fresh words
   of length 512, seed 7): if both agree, the decay is the model's, not rounding.
2. ``analyze_model``'s dynamics at lengths 512 and 2048 (64 words, float64): the state block on head 3's 4-dim
   invariant subspace, decoded by the nearest *predicted* state (no fitting), against the prefix product; and the
   mean norm of the whole state at length/4 and at the end.
3. Where that norm grows: the mean state norm per head at lengths 128, 512 and 2048 (the same affine recurrence
   ``S <- A(x) S + B(x)`` from the weights, float64, 64 words, seed 0).
"""

import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from automata import (
    group,
    sample_words,
)
from verify.atomic import write_json_atomic
from verify.learn.mechanism import analyze_model
from verify.learn.model import letter_writes
from verify.learn.train import cumulative_accuracy, load_run

RUN = os.path.join("reports", "learning_runs", "S5_nh4_beta2_seed3_cont")


def main() -> int:
    res, model = load_run(RUN)
    G = group("S5")
    out = {"run": RUN, "command": "python benchmarks/s5_long_cpu.py", "torch": torch.__version__,
           "accuracy": {}, "dynamics": {}}
    for dt in (torch.float32, torch.float64):
        model.dtype = dt
        t0 = time.perf_counter()
        acc = cumulative_accuracy(model, G, 512, 200, seed=7)
        out["accuracy"][str(dt).split(".")[1]] = {
            "words": 200, "seed": 7, "seconds": round(time.perf_counter() - t0, 1),
            "at": {str(L): round(float(acc[L - 1]), 4) for L in (128, 192, 256, 320, 384, 448, 512)}}
    model.dtype = torch.float32
    for L in (512, 2048):
        out["dynamics"][str(L)] = analyze_model("S5", model, accuracy=res["curve"][127], length=L,
                                                words=64)["dynamics"]
    A, B, _ = letter_writes(model)
    w, _ = sample_words(G, 2048, 64, seed=np.random.default_rng(0))
    S = np.zeros((64,) + B.shape[1:])
    marks, per_head = {128, 512, 2048}, {}
    for t in range(2048):
        S = A[w[:, t]] @ S + B[w[:, t]]
        if t + 1 in marks:
            per_head[str(t + 1)] = np.round(np.linalg.norm(S, axis=(2, 3)).mean(0), 1).tolist()
    out["state_norm_per_head"] = per_head
    write_json_atomic(os.path.join("benchmarks", "results", "s5_long_cpu.json"), out)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
