"""Interventions on the learned S5 model (n_h = 4, reports/learning_runs/S5_nh4_beta2_seed3_cont): which part of
the state carries the answer, and which part makes it fail beyond ~350 letters?

CPU only, a few minutes: ``python benchmarks/s5_interventions_cpu.py``. Writes
benchmarks/results/s5_interventions_cpu.json (atomically) and prints one line per variant: the cumulative sequence
accuracy of the modified model on 100 fresh words of length 2048 (seed 11; recurrence in fp32 on the reference
backend).

Why these edits are exact: the recurrence ``S <- A(x) S + B(x)`` acts on each value column of a head's state
independently, so multiplying a head's values by a matrix ``M`` gives the state ``S M`` at every step; and the
head's output is ``S^T q``, so multiplying its query by ``N N^T`` reads only the block ``N^T S``. With ``N`` the
4-dim invariant subspace of head 3 and ``Omega`` its 4 clean value directions (``verify.learn.mechanism``), the
"clean" head 3 outputs ``Omega Omega^T (N^T S)^T N^T q``: a function of the prefix product and the current letter
only, the same at every length.
"""

import copy
import os
import sys
import types

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from automata import group
from kernels import deltaproduct
from verify.atomic import write_json_atomic
from verify.learn.mechanism import analyze_transitions
from verify.learn.model import letter_writes
from verify.learn.train import cumulative_accuracy, load_run

RUN = os.path.join("reports", "learning_runs", "S5_nh4_beta2_seed3_cont")
HEAD = 3
MARKS = (64, 128, 256, 384, 512, 768, 1024, 2048)


def _values_times(model, mats: dict) -> torch.nn.Module:
    """A copy whose head ``h`` values are multiplied by ``mats[h]`` (every sub-step)."""
    m = copy.deepcopy(model)
    W = m.wv.weight.data.view(m.n_h, m.heads, m.head_dim, -1)
    for h, M in mats.items():
        for j in range(m.n_h):
            W[j, h] = M @ W[j, h]
    return m


def _query_restricted(model, h: int, PN: torch.Tensor) -> torch.nn.Module:
    """``model`` (modified in place) with head ``h``'s normalised query multiplied by the projector ``PN``."""

    def forward(self, tokens):
        Bz, T = tokens.shape
        x = self.emb(tokens)
        hn = self.norm1(x)
        q = F.normalize(self.wq(hn).view(Bz, T, self.heads, self.head_dim).float(), dim=-1).clone()
        q[:, :, h] = q[:, :, h] @ PN
        k, beta = self._keys_betas(hn)
        v = self.wv(hn).view(Bz, T, self.n_h, self.heads, self.head_dim)
        o, _ = deltaproduct(q.contiguous(), k.reshape(Bz, T * self.n_h, self.heads, self.head_dim).contiguous(),
                            v.reshape(Bz, T * self.n_h, self.heads, self.head_dim).contiguous(),
                            beta.reshape(Bz, T * self.n_h, self.heads).contiguous(), num_householder=self.n_h,
                            backend=self.backend)
        x = x + self.wo(o.reshape(Bz, T, -1))
        x = x + self.mlp(self.norm2(x))
        return self.head(self.norm_f(x))

    model.forward = types.MethodType(forward, model)
    return model


def main() -> int:
    _, model = load_run(RUN)
    G = group("S5")
    A, B, betas = letter_writes(model)
    sub = analyze_transitions("S5", A, betas, B=B, subspace_tol=0.15, _keep_arrays=True)["subspace"][HEAD]
    P = torch.tensor(sub["writes"]["_Omega"] @ sub["writes"]["_Omega"].T, dtype=torch.float32)  # clean values
    N = torch.tensor(sub["writes"]["_N"], dtype=torch.float32)  # [K, 4], orthonormal
    PN = N @ N.T
    d, zero = model.head_dim, torch.zeros(model.head_dim, model.head_dim)
    others = [h for h in range(model.heads) if h != HEAD]
    variants = {
        "as trained": model,
        "head 3 values zeroed": _values_times(model, {HEAD: zero}),
        "head 3 values on the 28 non-clean directions only": _values_times(model, {HEAD: torch.eye(d) - P}),
        "head 3 values on the 4 clean directions": _values_times(model, {HEAD: P}),
        "head 3 query restricted to its 4-dim subspace": _query_restricted(copy.deepcopy(model), HEAD, PN),
        "clean head 3 (query restricted, values on the clean directions)":
            _query_restricted(_values_times(model, {HEAD: P}), HEAD, PN),
        "clean head 3, the other heads' values zeroed":
            _query_restricted(_values_times(model, {HEAD: P, **{h: zero for h in others}}), HEAD, PN),
    }
    out = {"run": RUN, "command": "python benchmarks/s5_interventions_cpu.py", "torch": torch.__version__,
           "words": 100, "length": 2048, "seed": 11, "head": HEAD, "subspace_dim": int(N.shape[1]),
           "clean_value_dims": int(sub["writes"]["_Omega"].shape[1]), "accuracy_at": {}}
    for name, m in variants.items():
        acc = cumulative_accuracy(m, G, 2048, 100, seed=11)
        out["accuracy_at"][name] = {str(L): round(float(acc[L - 1]), 3) for L in MARKS}
        print(name, out["accuracy_at"][name], flush=True)
    write_json_atomic(os.path.join("benchmarks", "results", "s5_interventions_cpu.json"), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
