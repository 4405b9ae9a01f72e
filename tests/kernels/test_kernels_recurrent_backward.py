"""The recurrent backend's backward (kernels/recurrent.py, kernels/README.md §7) in the CPU interpreter: every
gradient against the float64 reference and against fla's naive recurrence under torch autograd, exact gradients on
integer inputs, random shapes (hypothesis), varlen, 16-bit inputs, and the no-grad path saving nothing."""

import os
from itertools import pairwise
from unittest import mock

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from kernels_oracle import make_inputs
from test_kernels_triton import CASES, F64, FIELDS, _assert_close, _packed_inputs, _run

from kernels import deltaproduct


@pytest.mark.parametrize("T, n, gated, h0", CASES)
def test_recurrent_gradients_against_float64_reference(T, n, gated, h0):
    # two sequences and heads except the longest case (the interpreter runs one program at a time)
    x = make_inputs(
        2 if T < 100 else 1, T, 2 if T < 100 else 1, 16, 16, n, gated=gated, h0=h0, seed=T * 10 + n + 1
    )
    ref = _run(x, n, "reference", grads=True, dtype=F64)
    got = _run(x, n, "recurrent", grads=True)
    assert {k for k, t in got.items() if t is not None} == {k for k, t in ref.items() if t is not None}
    _assert_close(got, ref, 2e-5, "recurrent backward")


def test_recurrent_gradients_on_wide_uneven_heads_and_v_block_overrides(monkeypatch):
    """K = 20 (tile 32), V = 72: five V blocks of 16, the last one partial, so dk, dq and dbeta are sums of five
    per-block slots; then the backward on V blocks of 32 (three, the default at n_h 2) with 1 or 2 warps and of 128
    (one block) gives the same values to rounding (only the order of the sums over V changes)."""
    x = make_inputs(1, 40, 3, 20, 72, 2, gated=True, h0=True, seed=5)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    monkeypatch.setenv("DELTAPROOF_RECURRENT_BWD_LAUNCH", "bv=16")
    base = _run(x, 2, "recurrent", grads=True)
    _assert_close(base, ref, 2e-5, "recurrent K=20 V=72")
    monkeypatch.delenv("DELTAPROOF_RECURRENT_BWD_LAUNCH")
    _assert_close(_run(x, 2, "recurrent", grads=True), base, 1e-6, "default")
    for launch in ("bv=32,warps=2", "bv=128"):
        monkeypatch.setenv("DELTAPROOF_RECURRENT_BWD_LAUNCH", launch)
        _assert_close(_run(x, 2, "recurrent", grads=True), base, 1e-6, launch)
    monkeypatch.setenv("DELTAPROOF_RECURRENT_BWD_LAUNCH", "bv=12")
    with pytest.raises(ValueError, match="DELTAPROOF_RECURRENT_BWD_LAUNCH"):
        _run(x, 2, "recurrent", grads=True)


def test_recurrent_bwd_default_launches(monkeypatch):
    """The backward's default launches (``kernels.recurrent.recurrent_bwd_default_blocks``): pass 1 on V blocks of
    32 at n_h 1-2 and 16 at n_h 3-4, at most 4096 / K tile and V padded to a power of two; pass 2 over K blocks of
    4096 / V padded rows (2048 / V above 128; at least 4, at most the K tile); with
    ``DELTAPROOF_RECURRENT_BWD_PASS2=vblocks`` pass 2 on pass 1's V blocks. A spy on the three kernels' launches."""
    from kernels import recurrent

    seen = []

    def spy(name, real):
        class Spy:
            def __getitem__(self, grid):
                def launch(*args, **kw):
                    if name == "rev":
                        seen.append(("rev", kw["N_H"], kw["BV"], grid[0]))
                    elif kw["KBLOCKS"]:
                        seen.append(("kblocks", kw["N_H"], kw["BK"], grid[0]))
                    else:
                        seen.append(("vblocks", kw["N_H"], kw["BV"], grid[0]))
                    return real[grid](*args, **kw)

                return launch

        return Spy()

    for name in ("rev", "fwd"):
        kernel = f"_recurrent_bwd_{name}_kernel"
        monkeypatch.setattr(recurrent, kernel, spy(name, getattr(recurrent, kernel)))
    expected = []
    cases = (
        (1, 4, 40, 32, 4),
        (2, 40, 40, 32, 64),
        (3, 8, 40, 16, 8),
        (4, 4, 40, 16, 4),
        (2, 256, 40, 16, 64),
    )
    for n, K, V, bv, bk in cases:
        x = make_inputs(1, 3, 1, K, V, n, gated=False, h0=False, seed=n)
        _run(x, n, "recurrent", grads=True)
        expected += [("rev", n, bv, -(-V // bv)), ("kblocks", n, bk, -(-K // bk))]
    x = make_inputs(1, 3, 1, 8, 300, 2, gated=False, h0=False, seed=5)  # V padded to 512: K blocks of 4
    _run(x, 2, "recurrent", grads=True)
    expected += [("rev", 2, 32, 10), ("kblocks", 2, 4, 2)]
    monkeypatch.setenv("DELTAPROOF_RECURRENT_BWD_PASS2", "vblocks")
    x = make_inputs(1, 3, 1, 4, 40, 3, gated=False, h0=False, seed=6)
    _run(x, 3, "recurrent", grads=True)
    expected += [("rev", 3, 16, 3), ("vblocks", 3, 16, 3)]
    assert seen == expected


@pytest.mark.parametrize("h0", [False, True])
def test_recurrent_bwd_pass2_forms_match(h0, monkeypatch):
    """DELTAPROOF_RECURRENT_BWD_PASS2: the default ``kblocks`` (pass 2 over K blocks, dk and dq written whole) and
    ``vblocks`` (per-V-block shares summed by torch): every gradient against float64 and the two within rounding of
    each other (only the order of the sums over V changes), K and V not powers of two so the last K block and the
    last V block are partial, with packed sequences; the K block override; a bad value is refused."""
    x = make_inputs(1, 40, 2, 20, 24, 3, gated=True, h0=False, seed=70)  # K tile 32, two V blocks of 16
    cu = torch.tensor([0, 1, 1, 15, 40])
    gen = torch.Generator().manual_seed(4)
    x["initial_state"] = torch.randn(4, 2, 20, 24, generator=gen) if h0 else None
    ref = _run(x, 3, "reference", grads=True, cu=cu, dtype=F64)
    got = _run(x, 3, "recurrent", grads=True, cu=cu)
    _assert_close(got, ref, 2e-5, "kblocks vs float64")
    monkeypatch.setenv("DELTAPROOF_RECURRENT_BWD_LAUNCH", "bk=8")  # three K blocks, the last one partial
    _assert_close(_run(x, 3, "recurrent", grads=True, cu=cu), got, 1e-6, "kblocks bk=8")
    monkeypatch.delenv("DELTAPROOF_RECURRENT_BWD_LAUNCH")
    monkeypatch.setenv("DELTAPROOF_RECURRENT_BWD_PASS2", "vblocks")
    other = _run(x, 3, "recurrent", grads=True, cu=cu)
    _assert_close(other, ref, 2e-5, "vblocks vs float64")
    _assert_close(got, other, 1e-6, "kblocks vs vblocks")
    monkeypatch.setenv("DELTAPROOF_RECURRENT_BWD_PASS2", "rows")
    with pytest.raises(ValueError, match="DELTAPROOF_RECURRENT_BWD_PASS2"):
        _run(x, 3, "recurrent", grads=True, cu=cu)


@pytest.mark.parametrize("n", [1, 3])
def test_recurrent_gradients_varlen_match_separate_runs(n):
    """Packed sequences (an empty one, one token, uneven lengths), each with its own initial state: gradients
    against float64 and, per sequence, equal to a separate run's (dg's reverse sums stop at each sequence's end)."""
    x, cu = _packed_inputs(n, gated=True, seed=n + 40, h0_seed=9)
    packed = _run(x, n, "recurrent", grads=True, cu=cu)
    _assert_close(packed, _run(x, n, "reference", grads=True, cu=cu, dtype=F64), 2e-5, "recurrent varlen")
    bounds = cu.tolist()
    for s, (a, e) in enumerate(pairwise(bounds)):
        rows = slice(a * n, e * n)
        part = {
            "q": x["q"][:, a:e],
            "k": x["k"][:, rows],
            "v": x["v"][:, rows],
            "beta": x["beta"][:, rows],
            "g": x["g"][:, a:e],
            "initial_state": x["initial_state"][s : s + 1],
        }
        if e == a:
            continue  # an empty sequence: nothing to run on its own (its dh0 is dht, checked above)
        one = _run(part, n, "recurrent", grads=True)
        # the cotangents of _run are random per call, so compare the parts that do not depend on them
        assert torch.allclose(packed["o"][:, a:e], one["o"], atol=1e-6)
        assert torch.allclose(packed["S"][s : s + 1], one["S"], atol=1e-6)


def _integer_inputs(T, n, K, V, seed):
    """Keys e_i - e_j with beta = 1, keys e_i with beta = 2 or 0, small integer values, queries and state: every
    forward and backward intermediate is an integer, exact in fp32."""
    gen = torch.Generator().manual_seed(seed)
    k = torch.zeros(1, T * n, 1, K)
    beta = torch.zeros(1, T * n, 1)
    for r in range(T * n):
        i, j = torch.randint(0, K, (2,), generator=gen).tolist()
        if r % 3 == 0 and i != j:
            k[0, r, 0, i], k[0, r, 0, j], beta[0, r, 0] = 1.0, -1.0, 1.0
        elif r % 3 == 1:
            k[0, r, 0, i], beta[0, r, 0] = 1.0, 2.0
        else:
            k[0, r, 0, i] = 1.0  # beta exactly 0

    def ints(*shape):
        return torch.randint(-2, 3, shape, generator=gen).float()

    return {
        "q": ints(1, T, 1, K),
        "k": k,
        "v": ints(1, T * n, 1, V),
        "beta": beta,
        "s0": ints(1, 1, K, V),
    }, gen


@pytest.mark.parametrize("n", [1, 2, 4])
def test_recurrent_gradients_exact_on_integer_inputs(n):
    """With integer inputs and integer cotangents (scale 1, beta in {0, 1, 2}, reflections of integer keys) every
    gradient is an integer of modest size, so the fp32 kernel must equal float64 autograd of the reference
    bitwise: a wrong sign, index or missing term cannot hide under a tolerance."""
    x, gen = _integer_inputs(12, n, 8, 8, seed=n)
    cot_o = torch.randint(-2, 3, (1, 12, 1, 8), generator=gen).double()
    cot_s = torch.randint(-2, 3, (1, 1, 8, 8), generator=gen).double()
    grads = {}
    for backend, dtype in (("reference", F64), ("recurrent", torch.float32)):
        xs = {key: t.to(dtype).requires_grad_(True) for key, t in x.items()}
        o, S = deltaproduct(
            xs["q"], xs["k"], xs["v"], xs["beta"], num_householder=n, scale=1.0,
            initial_state=xs["s0"], output_final_state=True, backend=backend,
        )  # fmt: skip
        ((o.double() * cot_o).sum() + (S.double() * cot_s).sum()).backward()
        grads[backend] = {key: t.grad.double() for key, t in xs.items()}
    for key, ref in grads["reference"].items():
        assert torch.equal(grads["recurrent"][key], ref), key
        assert ref.abs().max() > 0, key  # a test that exercises the gradient


def test_recurrent_gradients_against_fla_naive_autograd():
    """An oracle outside this repository: fla's naive recurrence, differentiated by torch autograd in float64."""
    naive = pytest.importorskip(
        "fla.ops.gated_delta_product.naive", reason="fla-core not installed (pip install fla-core==0.6.0)"
    )
    x = make_inputs(2, 30, 2, 16, 16, 3, gated=True, h0=True, seed=22)
    got = _run(x, 3, "recurrent", grads=True)
    xs = {key: x[key].double().requires_grad_(True) for key in FIELDS}
    of, Sf = naive.naive_recurrent_gated_delta_product(
        xs["q"], xs["k"], xs["v"], xs["g"], xs["beta"], scale=16**-0.5,
        initial_state=xs["initial_state"], output_final_state=True, num_householder=3,
    )  # fmt: skip
    gen = torch.Generator().manual_seed(99)  # _run's cotangents
    do = torch.randn(of.shape, generator=gen, dtype=F64)
    dS = torch.randn(Sf.shape, generator=gen, dtype=F64)
    ((of * do).sum() + (Sf * dS).sum()).backward()
    ref = {"o": of.detach(), "S": Sf.detach(), **{"d" + key: xs[key].grad for key in FIELDS}}
    _assert_close(got, ref, 2e-5, "recurrent vs fla naive autograd")


@pytest.mark.parametrize("dtype, rel", [(torch.float16, 5e-3), (torch.bfloat16, 4e-2)])
def test_recurrent_gradients_in_half_precision(dtype, rel):
    """16-bit inputs: the kernels widen to fp32 and keep every intermediate in fp32, gradients come back in the
    inputs' dtypes (g and the initial state in theirs)."""
    x = make_inputs(1, 70, 2, 16, 16, 2, gated=True, h0=True, seed=7)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got = _run(x, 2, "recurrent", grads=True, dtype=dtype)
    assert got["dq"].dtype == got["dk"].dtype == got["dv"].dtype == got["dbeta"].dtype == dtype
    assert got["dg"].dtype == got["dinitial_state"].dtype == torch.float32
    _assert_close(got, ref, rel, f"recurrent {dtype}")


@settings(max_examples=8, deadline=None)
@given(
    T=st.integers(1, 40),
    n=st.integers(1, 5),
    K=st.integers(1, 40),
    V=st.integers(1, 40),
    gated=st.booleans(),
    h0=st.booleans(),
    final=st.booleans(),
    beta_mode=st.sampled_from(["random", "zero", "two"]),
    seed=st.integers(0, 999),
)
def test_recurrent_gradients_on_random_shapes(T, n, K, V, gated, h0, final, beta_mode, seed):
    """Random shapes (K and V not powers of two, partial V blocks, n_h up to 5), beta exactly 0 or 2 everywhere,
    with and without a final state to backpropagate from: every gradient against float64."""
    x = make_inputs(1, T, 2, K, V, n, gated=gated, h0=h0, seed=seed)
    if beta_mode != "random":
        x["beta"] = torch.full_like(x["beta"], 0.0 if beta_mode == "zero" else 2.0)
    ref = _run(x, n, "reference", grads=True, dtype=F64, final=final)
    _assert_close(_run(x, n, "recurrent", grads=True, final=final), ref, 2e-5, "recurrent random shape")


def test_recurrent_no_grad_call_saves_nothing(monkeypatch):
    """Under torch.no_grad the forward must not store the residuals for a backward, even when its inputs require
    grad; with autograd it stores them and runs the single rank-1 update whatever DELTAPROOF_RECURRENT_UPDATE says
    (the backward recomputes the states with that update). Same outputs either way."""
    from kernels import recurrent

    saves = []
    real = recurrent._forward

    def spy(*args):
        saves.append(args[-1])
        return real(*args)

    monkeypatch.setattr(recurrent, "_forward", spy)
    x = make_inputs(1, 20, 1, 16, 16, 2, gated=True, h0=True, seed=2)
    x = {key: (t.requires_grad_(True) if t is not None else None) for key, t in x.items()}
    args = (x["q"], x["k"], x["v"], x["beta"])
    kw = {"num_householder": 2, "g": x["g"], "initial_state": x["initial_state"], "backend": "recurrent"}
    with torch.no_grad():
        o_eval, _ = deltaproduct(*args, **kw)
    o_train, _ = deltaproduct(*args, **kw)
    assert saves == [False, True]
    assert torch.equal(o_eval, o_train.detach()) and not o_eval.requires_grad and o_train.requires_grad
    with mock.patch.dict(os.environ, {"DELTAPROOF_RECURRENT_UPDATE": "two"}):
        o_two, _ = deltaproduct(*args, **kw)
    assert torch.equal(o_two, o_train)
