# %% [markdown]
# # 03 — Kernels against exact arithmetic (property tests with hypothesis)
# Draw small dyadic keys/betas/values, run the float64 reference kernel, compare with an exact `Fraction`
# recurrence. Then compare against a deliberately wrong order of the Householder factors and let hypothesis
# shrink the counterexample.

# %%
FAST = True
N_EXAMPLES = 40 if FAST else 400

# %%
from fractions import Fraction

import numpy as np
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernels import deltaproduct

dyadic = st.integers(-4, 4).map(lambda i: i / 4)


@st.composite
def problems(draw):
    K, n_h, T = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    k = draw(st.lists(st.lists(dyadic, min_size=K, max_size=K), min_size=T * n_h, max_size=T * n_h))
    beta = draw(st.lists(st.integers(0, 8).map(lambda i: i / 8), min_size=T * n_h, max_size=T * n_h))
    v = draw(st.lists(dyadic, min_size=T * n_h, max_size=T * n_h))
    h0 = draw(st.lists(dyadic, min_size=K, max_size=K))
    return K, n_h, T, k, beta, v, h0


def exact_states(K, n_h, T, k, beta, v, h0, reverse=False):
    S = [Fraction(x) for x in h0]
    out = []
    for t in range(T):
        steps = range(n_h - 1, -1, -1) if reverse else range(n_h)
        for j in steps:
            r = t * n_h + j
            kk = [Fraction(x) for x in k[r]]
            c = sum(a * b for a, b in zip(kk, S))
            S = [s + Fraction(beta[r]) * a * (Fraction(v[r]) - c) for s, a in zip(S, kk)]
        out.append([float(s) for s in S])
    return np.array(out)


def kernel_states(K, n_h, T, k, beta, v, h0):
    d = torch.float64
    kt = torch.tensor(k, dtype=d).reshape(1, T * n_h, 1, K).expand(1, T * n_h, K, K).contiguous()
    bt = torch.tensor(beta, dtype=d).reshape(1, T * n_h, 1).expand(1, T * n_h, K).contiguous()
    vt = torch.tensor(v, dtype=d).reshape(1, T * n_h, 1, 1).expand(1, T * n_h, K, 1).contiguous()
    q = torch.eye(K, dtype=d)[None, None].expand(1, T, K, K).contiguous()
    S0 = torch.tensor(h0, dtype=d)[None, None, :, None].expand(1, K, K, 1).contiguous()
    o, _ = deltaproduct(q, kt, vt, bt, num_householder=n_h, scale=1.0, initial_state=S0, backend="reference")
    return o[0, :, :, 0].numpy()


@settings(max_examples=N_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(problems())
def test_reference_matches_exact(p):
    assert np.allclose(kernel_states(*p), exact_states(*p), rtol=0, atol=1e-12)


test_reference_matches_exact()
print("reference kernel == exact recurrence on", N_EXAMPLES, "random problems")

# %% [markdown]
# ## A wrong order of factors, and the shrunk counterexample

# %%
failure = {}


@settings(max_examples=N_EXAMPLES * 5, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(problems())
def test_reversed_order(p):
    ok = np.allclose(kernel_states(*p), exact_states(*p, reverse=True), rtol=0, atol=1e-12)
    if not ok:
        failure["p"] = p
    assert ok


try:
    test_reversed_order()
    print("no counterexample found (unexpected)")
except AssertionError:
    K, n_h, T, k, beta, v, h0 = failure["p"]
    print("shrunk counterexample: K =", K, "n_h =", n_h, "T =", T)
    print("  keys", k, "\n  betas", beta, "\n  values", v, "\n  h0", h0)
    print("  kernel  ", kernel_states(*failure["p"]).tolist())
    print("  reversed", exact_states(*failure["p"], reverse=True).tolist())
