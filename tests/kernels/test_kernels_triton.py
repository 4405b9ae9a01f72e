"""Triton backends (run in the CPU interpreter): recurrent forward and chunked forward/backward against
the float64 reference, exact arithmetic with a stated error bound, varlen, edge values of beta, fla."""

import os
from unittest import mock

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from kernels_oracle import error_bound, exact_run, make_inputs

from kernels import deltaproduct

F64 = torch.float64
FIELDS = ("q", "k", "v", "beta", "g", "initial_state")


def _run(x, n, backend, *, grads=False, dtype=None, cu=None, final=True, **kw):
    """Run a backend; with ``grads`` backpropagate fixed random cotangents and return the input gradients."""
    xs = {}
    for key in FIELDS:
        t = x.get(key)
        if t is not None:
            if dtype is not None and (key in ("q", "k", "v", "beta") or dtype == F64):
                t = t.to(dtype)
            t = t.detach().clone().requires_grad_(grads)
        xs[key] = t
    ctx = torch.enable_grad() if grads else torch.no_grad()
    with ctx:
        o, S = deltaproduct(
            xs["q"],
            xs["k"],
            xs["v"],
            xs["beta"],
            num_householder=n,
            g=xs["g"],
            initial_state=xs["initial_state"],
            output_final_state=final,
            cu_seqlens=cu,
            backend=backend,
            **kw,
        )
    out = {"o": o, "S": S}
    if grads:
        gen = torch.Generator().manual_seed(99)
        do = torch.randn(o.shape, generator=gen, dtype=F64)
        loss = (o.double() * do).sum()
        if S is not None:  # final=False: nothing flows back from a final state
            loss = loss + (S.double() * torch.randn(S.shape, generator=gen, dtype=F64)).sum()
        loss.backward()
        out.update({"d" + key: xs[key].grad for key in FIELDS if xs[key] is not None})
    return out


def _assert_switch_values_equal(monkeypatch, var, values, x, n, dtype, cu, bad):
    """Under each of the ``values`` of switch ``var``: outputs, final states and every gradient (with a backward),
    and outputs and final states without one (the inference path), finite and bitwise equal to the first value's;
    the value ``bad`` is refused by name."""
    got = {}
    for value in values:
        monkeypatch.setenv(var, value)
        got[value] = _run(x, n, "chunked", grads=True, dtype=dtype, cu=cu)
        got[value, "no grad"] = _run(x, n, "chunked", dtype=dtype, cu=cu)
    a = values[0]
    for b in values[1:]:
        for key, t in got[a].items():
            if t is not None:
                assert not torch.isnan(t).any(), key
                assert torch.equal(t, got[b][key]), (b, key)
        for key in ("o", "S"):
            assert torch.equal(got[a, "no grad"][key], got[b, "no grad"][key]), (b, key)
    monkeypatch.setenv(var, bad)
    with pytest.raises(ValueError, match=var):
        _run(x, n, "chunked", dtype=dtype, cu=cu)


def _packed_inputs(n, gated, seed, h0_seed):
    """Packed varlen inputs (100 tokens: an empty sequence, one token, chunk-straddling lengths; H = 2, K = V = 16)
    with one initial state per sequence, and their ``cu_seqlens``."""
    x = make_inputs(1, 100, 2, 16, 16, n, gated=gated, h0=False, seed=seed)
    bounds = [0, 1, 1, 22, 86, 100]
    gen = torch.Generator().manual_seed(h0_seed)
    x["initial_state"] = torch.randn(len(bounds) - 1, 2, 16, 16, generator=gen)
    return x, torch.tensor(bounds)


def _assert_close(got, ref, rel, what=""):
    for key, r in ref.items():
        if r is None:
            continue
        a = got[key]
        assert a is not None, key
        assert not torch.isnan(a).any(), f"{what} {key}: NaN (an unwritten element?)"
        err = (a.double() - r.double()).abs().max().item()
        tol = rel * max(r.double().abs().max().item(), 1e-3)
        assert err <= tol, f"{what} {key}: max err {err:.3e} > {tol:.3e}"


CASES = [  # (T, n_h, gated, h0): T around the 64-row chunk (63/64/65 tokens; 64/n_h tokens per chunk)
    (1, 1, False, True),
    (63, 1, True, False),
    (64, 2, False, True),
    (65, 3, True, True),
    (21, 3, False, False),
    (22, 3, True, True),
    (17, 4, True, True),
    (200, 4, False, True),
    (64, 1, True, True),
]


@pytest.mark.parametrize("T, n, gated, h0", CASES)
def test_forward_fp32_against_float64_reference(T, n, gated, h0):
    # two sequences and heads, except the longest case (the interpreter runs one program at a time)
    x = make_inputs(
        2 if T < 100 else 1, T, 2 if T < 100 else 1, 16, 16, n, gated=gated, h0=h0, seed=T * 10 + n
    )
    ref = _run(x, n, "reference", dtype=F64)
    for backend in ("recurrent", "chunked"):
        _assert_close(_run(x, n, backend), ref, 2e-5, backend)


@pytest.mark.parametrize(
    "T, n, gated", [(65, 1, True), (64, 2, False), (70, 3, True), (33, 4, False), (130, 2, True)]
)
def test_chunked_gradients_against_float64_reference(T, n, gated):
    x = make_inputs(1, T, 2, 16, 16, n, gated=gated, h0=True, seed=T + n)
    ref = _run(x, n, "reference", grads=True, dtype=F64)
    _assert_close(_run(x, n, "chunked", grads=True), ref, 2e-5, "chunked")


def test_shapes_not_powers_of_two_and_wide_heads():
    x = make_inputs(1, 40, 3, 20, 72, 2, gated=True, h0=True, seed=5)  # K=20 (tile 32), V=72 (two V blocks)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    _assert_close(_run(x, 2, "chunked", grads=True), ref, 2e-5, "chunked")
    _assert_close(_run(x, 2, "recurrent"), {k: ref[k] for k in ("o", "S")}, 2e-5, "recurrent")


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_recurrent_forms_and_launches_match_tokens_and_float64(n, monkeypatch):
    """DELTAPROOF_RECURRENT_FORM=rows (one loop over rows, each row's loads issued one row ahead), ahead (the
    tokens loop with the same look-ahead) and ahead2 (two rows ahead, the query a token ahead; the defaults since
    session 17 pick ahead or ahead2 with UPDATE=one on one warp, checked last) do the tokens form's operations in
    the same order: outputs and final
    states against float64 and bitwise the tokens form's (the interpreter's reductions are the same numpy sums),
    under DELTAPROOF_RECURRENT_LAUNCH's V blocks and warps too (V = 24: with V blocks of 16 the second is partial);
    packed varlen with an empty sequence, a one-token one and chunk-straddling lengths, gated and not, bf16 inputs
    at the bf16 tolerance; outputs poisoned with NaN (an output a loop forgets to store stays NaN); bad values are
    refused by name. DELTAPROOF_RECURRENT_UPDATE=one (fla's single rank-1 update S += k (beta (v - k^T S))^T)
    against float64 too, every form bitwise its own tokens form, and not bitwise the two-update values (the switch
    takes effect)."""
    x, cu = _packed_inputs(n, True, seed=61 + n, h0_seed=n)
    xu = make_inputs(2, 9, 2, 16, 24, n, gated=False, h0=True, seed=70 + n)
    for inp, c in ((x, cu), (xu, None)):
        ref = _run(inp, n, "reference", cu=c, dtype=F64)
        two = None  # the tokens form's values under UPDATE=two
        for update in ("two", "one"):
            monkeypatch.setenv("DELTAPROOF_RECURRENT_UPDATE", update)
            monkeypatch.setenv("DELTAPROOF_RECURRENT_FORM", "tokens")
            tokens = _run(inp, n, "recurrent", cu=c)
            _assert_close(tokens, ref, 2e-5, f"recurrent tokens {update}")
            if two is None:
                two = tokens
            else:
                assert not torch.equal(tokens["o"], two["o"]), (
                    "DELTAPROOF_RECURRENT_UPDATE=one changed nothing"
                )
            for form in ("rows", "ahead", "ahead2"):
                monkeypatch.setenv("DELTAPROOF_RECURRENT_FORM", form)
                # warps do nothing in the interpreter; the default V block (16) splits V = 24, 64 does not
                for launch in ("", "bv=64,warps=4") if update == "two" else ("",):
                    monkeypatch.setenv("DELTAPROOF_RECURRENT_LAUNCH", launch)
                    got = _run(inp, n, "recurrent", cu=c)
                    _assert_close(got, ref, 2e-5, f"recurrent {form} {launch} {update}")
                    for key in ("o", "S"):
                        assert torch.equal(got[key], tokens[key]), (key, form, launch, update)
                monkeypatch.delenv("DELTAPROOF_RECURRENT_LAUNCH")
        monkeypatch.delenv("DELTAPROOF_RECURRENT_UPDATE")
        monkeypatch.delenv("DELTAPROOF_RECURRENT_FORM")
        got = _run(inp, n, "recurrent", cu=c)  # the defaults: recurrent_default_form, V blocks of 16, one
        for key in ("o", "S"):
            assert torch.equal(got[key], tokens[key]), (key, "defaults")
    half = _run(xu, n, "recurrent", dtype=torch.bfloat16)  # the defaults
    _assert_close(half, _run(xu, n, "reference", dtype=F64), 4e-2, "recurrent defaults bf16")
    for var, bad, what in (
        ("DELTAPROOF_RECURRENT_FORM", "steps", "DELTAPROOF_RECURRENT_FORM"),
        ("DELTAPROOF_RECURRENT_UPDATE", "fused", "DELTAPROOF_RECURRENT_UPDATE"),
        ("DELTAPROOF_RECURRENT_LAUNCH", "bv=12", "bv=8"),
        ("DELTAPROOF_RECURRENT_LAUNCH", "warps=3", "warps=1"),
        ("DELTAPROOF_RECURRENT_LAUNCH", "stages=2", "DELTAPROOF_RECURRENT_LAUNCH"),
    ):
        monkeypatch.setenv(var, bad)
        with pytest.raises(ValueError, match=what):
            _run(xu, n, "recurrent")
        monkeypatch.delenv(var)


@pytest.mark.parametrize("dtype, rel", [(torch.float16, 5e-3), (torch.bfloat16, 4e-2)])
def test_half_precision_forward_and_backward(dtype, rel):
    x = make_inputs(1, 70, 2, 16, 16, 2, gated=True, h0=True, seed=7)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got = _run(x, 2, "chunked", grads=True, dtype=dtype)
    assert got["o"].dtype == dtype and got["S"].dtype == torch.float32
    _assert_close(got, ref, rel, f"chunked {dtype}")
    _assert_close(_run(x, 2, "recurrent", dtype=dtype), {k: ref[k] for k in ("o", "S")}, rel, "recurrent")


def _chunked_per_value(monkeypatch, var, values, x, dtype, n=2, cu=None):
    """Outputs and gradients of the chunked backend (n_h ``n``) under each value of the environment switch ``var``."""
    got = {}
    for value in values:
        monkeypatch.setenv(var, value)
        got[value] = _run(x, n, "chunked", grads=True, dtype=dtype, cu=cu)
    return got


@pytest.mark.parametrize("gated", [False, True])
def test_ds_scale_on_dd_matches_float64_and_the_q_form(gated, monkeypatch):
    """DELTAPROOF_CHUNKED_DS_SCALE=dd (the default since session 15: the reverse scan carries dS / scale, so the scale
    lands on dD instead of Q) against q (the scale on Q, before):
    every output and gradient against float64, with a final-state gradient (dht enters divided by the scale) and an
    initial state (dh0 leaves multiplied by it); in fp32 within rounding distance of the q form, in bf16 at the bf16
    tolerance and not bitwise the q form's gradients (the switch reaches the kernel), the forward untouched; a bad
    value is refused."""
    var = "DELTAPROOF_CHUNKED_DS_SCALE"
    x = make_inputs(1, 70, 2, 24, 16, 2, gated=gated, h0=True, seed=17)  # K = 24: scale not a power of two
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got32 = _chunked_per_value(monkeypatch, var, ("q", "dd"), x, torch.float32)
    _assert_close(got32["dd"], ref, 2e-5, "chunked fp32 ds_scale=dd")
    _assert_close(got32["dd"], got32["q"], 1e-6, "ds_scale dd against q, fp32")
    got16 = _chunked_per_value(monkeypatch, var, ("q", "dd"), x, torch.bfloat16)
    _assert_close(got16["dd"], ref, 4e-2, "chunked bf16 ds_scale=dd")
    assert torch.equal(got16["dd"]["o"], got16["q"]["o"]) and torch.equal(got16["dd"]["S"], got16["q"]["S"])
    assert not torch.equal(got16["dd"]["dinitial_state"], got16["q"]["dinitial_state"])
    monkeypatch.delenv(var)
    default = _run(x, 2, "chunked", grads=True, dtype=torch.bfloat16)
    assert all(torch.equal(default[key], got16["dd"][key]) for key in default if default[key] is not None)
    monkeypatch.setenv(var, "state")
    with pytest.raises(ValueError, match=var):
        _run(x, 2, "chunked", dtype=torch.float32)


@pytest.mark.parametrize("gated", [False, True])
def test_scan_out_cols_matches_float64_and_the_rows_form(gated, monkeypatch):
    """DELTAPROOF_CHUNKED_SCAN_OUT=cols (the forward scan forms each output tile transposed, S^T Q^T + D^T P^T, and
    stores it transposed): outputs, final states and every gradient against float64 and, in fp32, within rounding of
    the rows form; at n_h 3 (query blocks of 32 with 11 padding rows), packed varlen with an empty sequence and a
    one-token one, and with V = 72 (a partial V block, so the transposed store's masks on both axes are exercised;
    outputs are poisoned with NaN before each run, so an unwritten element fails); bf16 at the bf16 tolerance; with
    stored scores too (their tile is read transposed); a bad value is refused."""
    var = "DELTAPROOF_CHUNKED_SCAN_OUT"
    x, cu = _packed_inputs(3, gated, seed=41, h0_seed=3)
    wide = make_inputs(1, 70, 2, 24, 72, 3, gated=gated, h0=True, seed=19)
    for scores in ("scan", "stored"):
        monkeypatch.setenv("DELTAPROOF_CHUNKED_SCORES", scores)
        for inp, c in ((x, cu), (wide, None)):
            ref = _run(inp, 3, "reference", grads=True, dtype=F64, cu=c)
            got = _chunked_per_value(monkeypatch, var, ("rows", "cols"), inp, torch.float32, n=3, cu=c)
            _assert_close(got["cols"], ref, 2e-5, f"chunked fp32 scan_out=cols scores={scores}")
            _assert_close(got["cols"], got["rows"], 1e-6, f"scan_out cols against rows, scores={scores}")
        bf = _run(wide, 3, "chunked", grads=True, dtype=torch.bfloat16)
        _assert_close(
            bf, _run(wide, 3, "reference", grads=True, dtype=F64), 4e-2, "chunked bf16 scan_out=cols"
        )
    monkeypatch.setenv(var, "transposed")
    with pytest.raises(ValueError, match=var):
        _run(wide, 3, "chunked", dtype=torch.float32)


def test_scan_out_cols_at_n_h_4_and_the_tuned_defaults(monkeypatch):
    """The transposed output tile where the tuned table picks it (session 16): at n_h 4 (query blocks of 16 rows),
    gated, packed varlen, fp32 cols against float64 and within rounding of rows; and the defaults themselves at the
    tuned geometry (bf16, K = V = 128; no switch set): the gated n_h 4 forward with every gradient and the gated n_h 3
    forward alone (cols with 2 stages), outputs and final states at the bf16 tolerance against float64. The
    chunk-straddling lengths include 37 tokens (two n_h 4 chunks and 5 tokens); outputs are poisoned with NaN."""
    var = "DELTAPROOF_CHUNKED_SCAN_OUT"
    x, cu = _packed_inputs(4, True, seed=43, h0_seed=5)
    ref = _run(x, 4, "reference", grads=True, dtype=F64, cu=cu)
    got = _chunked_per_value(monkeypatch, var, ("rows", "cols"), x, torch.float32, n=4, cu=cu)
    _assert_close(got["cols"], ref, 2e-5, "chunked fp32 n_h 4 scan_out=cols")
    _assert_close(got["cols"], got["rows"], 1e-6, "n_h 4 scan_out cols against rows")
    monkeypatch.delenv(var)
    y4 = make_inputs(1, 37, 1, 128, 128, 4, gated=True, h0=True, seed=7)
    bf = _run(y4, 4, "chunked", grads=True, dtype=torch.bfloat16)
    _assert_close(bf, _run(y4, 4, "reference", grads=True, dtype=F64), 4e-2, "chunked bf16 n_h 4 default")
    y3 = make_inputs(1, 37, 1, 128, 128, 3, gated=True, h0=True, seed=8)
    fwd = _run(y3, 3, "chunked", dtype=torch.bfloat16)
    _assert_close(fwd, _run(y3, 3, "reference", dtype=F64), 4e-2, "chunked bf16 n_h 3 forward default")


def test_bwd_inv_16bit_is_applied_and_stays_at_bf16_error_level(monkeypatch):
    """DELTAPROOF_CHUNKED_BWD_INV=16bit (the inverse's backward dots with 16-bit operands; the default for bf16/fp16)
    and fp32 (fp32 operands): gradients against float64 at the bf16 tolerance of the test above, not identical to
    each other (so the switch reaches the kernel), the default equal to 16bit; a bad value is refused."""
    x = make_inputs(1, 70, 2, 16, 16, 2, gated=True, h0=True, seed=7)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got = _chunked_per_value(monkeypatch, "DELTAPROOF_CHUNKED_BWD_INV", ("fp32", "16bit"), x, torch.bfloat16)
    for mode in got:
        _assert_close(got[mode], ref, 4e-2, f"chunked bf16 bwd_inv={mode}")
    assert torch.equal(got["fp32"]["o"], got["16bit"]["o"])  # the forward is untouched
    assert not torch.equal(got["fp32"]["dk"], got["16bit"]["dk"])
    monkeypatch.delenv("DELTAPROOF_CHUNKED_BWD_INV")
    default = _run(x, 2, "chunked", grads=True, dtype=torch.bfloat16)
    assert all(torch.equal(default[key], got["16bit"][key]) for key in default if default[key] is not None)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD_INV", "fp8")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_BWD_INV"):
        _run(x, 2, "chunked", dtype=torch.bfloat16)


@pytest.mark.parametrize(
    "dtype, bwd", [(torch.bfloat16, "split"), (torch.float16, "split"), (torch.bfloat16, "fused")]
)
def test_states_saved_in_16bit_change_nothing_ungated(dtype, bwd, monkeypatch):
    """DELTAPROOF_CHUNKED_STATES=16bit (chunk states saved for the backward in the dot type): every backward dot
    rounds S0 and dS1 to that type anyway, so without a gate the outputs and all gradients are bitwise the same."""
    x = make_inputs(1, 70, 2, 16, 16, 2, gated=False, h0=True, seed=12)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD", bwd)
    got = _chunked_per_value(monkeypatch, "DELTAPROOF_CHUNKED_STATES", ("fp32", "16bit"), x, dtype)
    for key, a in got["fp32"].items():
        if a is not None:
            assert torch.equal(a, got["16bit"][key]), key


def test_states_saved_in_16bit_gated_stays_at_bf16_error_level(monkeypatch):
    """With a gate, dg reads sum(S0 * dS1) elementwise from the saved states, so it (and only it) changes, which
    shows the switch reaches the kernels; it must stay within the bf16 tolerance against float64, like every other
    gradient; 16bit is the default; a bad value is refused."""
    x = make_inputs(1, 70, 2, 16, 16, 2, gated=True, h0=True, seed=7)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got = _chunked_per_value(monkeypatch, "DELTAPROOF_CHUNKED_STATES", ("fp32", "16bit"), x, torch.bfloat16)
    _assert_close(got["16bit"], ref, 4e-2, "chunked bf16 states=16bit")
    same = {key: torch.equal(a, got["16bit"][key]) for key, a in got["fp32"].items() if a is not None}
    assert same.pop("dg") is False and all(same.values()), same
    monkeypatch.delenv("DELTAPROOF_CHUNKED_STATES")  # the default for bf16/fp16 since session 6
    default = _run(x, 2, "chunked", grads=True, dtype=torch.bfloat16)
    assert torch.equal(default["dg"], got["16bit"]["dg"])
    monkeypatch.setenv("DELTAPROOF_CHUNKED_STATES", "bf8")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_STATES"):
        _run(x, 2, "chunked", dtype=torch.bfloat16)


@pytest.mark.parametrize("var", ["DELTAPROOF_CHUNKED_OUT", "DELTAPROOF_CHUNKED_DD_LOCAL"])
@pytest.mark.parametrize(
    "dtype, gated, bwd", [(torch.bfloat16, True, "split"), (torch.float32, False, "fused")]
)
def test_parallel_forms_give_bitwise_the_same_values(var, dtype, gated, bwd, monkeypatch):
    """DELTAPROOF_CHUNKED_OUT=parallel (the output computed per chunk from the saved S0 and D, outside the forward
    scan) and DELTAPROOF_CHUNKED_DD_LOCAL=parallel (dD's P^T dO computed per chunk before the reverse scan) do the
    same dots on the same operands as the scan forms: outputs, final states and every gradient bitwise equal, packed
    varlen included (an empty sequence, one token, chunk-straddling lengths), with and without a backward (the
    inference path saves S0 rounded); a bad value is refused."""
    n = 2
    x, cu = _packed_inputs(n, gated, seed=21, h0_seed=3)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD", bwd)
    _assert_switch_values_equal(monkeypatch, var, ("scan", "parallel"), x, n, dtype, cu, bad="serial")


@pytest.mark.parametrize("dtype, rel", [(torch.float32, 2e-5), (torch.bfloat16, 4e-2)])
def test_scan_v_blocks_of_32(dtype, rel, monkeypatch):
    """DELTAPROOF_CHUNKED_SCAN_BV=32 (the scans' V blocks of 32; V = 72 gives three, the last one partial): against
    float64 at the usual tolerance, and in fp32 within accumulation-order distance of the default 64-wide blocks;
    a bad value is refused."""
    x = make_inputs(1, 40, 2, 20, 72, 2, gated=True, h0=True, seed=5)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got = _chunked_per_value(monkeypatch, "DELTAPROOF_CHUNKED_SCAN_BV", ("64", "32"), x, dtype)
    _assert_close(got["32"], ref, rel, f"chunked {dtype} scan_bv=32")
    if dtype == torch.float32:
        _assert_close(got["32"], got["64"], 1e-6, "scan_bv 32 against 64")
    from kernels import chunked
    from kernels._validate import Dims

    monkeypatch.delenv("DELTAPROOF_CHUNKED_SCAN_BV")  # default: 64 (4 warps for 16-bit, K <= 128; session 7)
    for n in (1, 2, 3, 4):
        dims = Dims(B=1, T=8, H=1, K=128, V=128, n_h=n, N=1, offsets=(0, 8), scale=1.0)
        cfg = chunked._Config(dims, dtype, torch.device("cpu"), "ieee")
        assert (cfg.launch["scan_bv"], cfg.launch["bscan_bv"]) == (64, 64), n
        # the GPU's launch geometry (the interpreter runs 4 warps and 1 stage everywhere): for 16-bit inputs the
        # scans take 4 warps, their stages by gating and n_h (H200 sweeps); fp32 keeps 8 warps, unpipelined
        interpreting = chunked.is_interpreting
        monkeypatch.setattr(chunked, "is_interpreting", lambda: False)
        gpu_cfg = chunked._Config(dims, dtype, torch.device("cpu"), "ieee")
        gpu = gpu_cfg.launch
        monkeypatch.setattr(chunked, "is_interpreting", interpreting)
        want = (4, None) if dtype != torch.float32 else (8, 1)
        assert (gpu["bscan_warps"], gpu["bscan_stages"]) == want, n
        if dtype == torch.float32:
            assert (gpu["scan_warps"], gpu["scan_stages"]) == want, n
            assert (
                chunked._scan_stages(gpu_cfg, True, False) == chunked._scan_stages(gpu_cfg, False, True) == 1
            )
            assert chunked._bscan_stages(gpu_cfg, True) == chunked._bscan_stages(gpu_cfg, False) == 1
        else:
            # both scans' stages are decided at the launch, by gating: the forward's from sessions 14 and 16's table
            # (2 except ungated n_h = 1 without a backward, gated n_h 2 and gated n_h 3 with a backward), the
            # backward's from session 15's (2 ungated at n_h 3-4 and gated at n_h 3, else 1); explicit scan_stages /
            # bscan_stages win
            assert (gpu["scan_warps"], gpu["scan_stages"]) == (4, None), n
            for save in (False, True):
                assert chunked._scan_stages(gpu_cfg, False, save) == (1 if n == 1 and not save else 2), n
                assert chunked._scan_stages(gpu_cfg, True, save) == (
                    1 if n == 2 or (n == 3 and save) else 2
                ), n
            for gated in (False, True):
                two = n == 3 or (n == 4 and not gated)
                assert chunked._bscan_stages(gpu_cfg, gated) == (2 if two else 1), (n, gated)
            monkeypatch.setenv("DELTAPROOF_CHUNKED_LAUNCH", "scan_stages=3,bscan_stages=4")
            monkeypatch.setattr(chunked, "is_interpreting", lambda: False)
            forced = chunked._Config(dims, dtype, torch.device("cpu"), "ieee")
            monkeypatch.setattr(chunked, "is_interpreting", interpreting)
            monkeypatch.delenv("DELTAPROOF_CHUNKED_LAUNCH")
            assert (
                chunked._scan_stages(forced, False, False) == chunked._scan_stages(forced, True, True) == 3
            ), n
            assert chunked._bscan_stages(forced, False) == chunked._bscan_stages(forced, True) == 4, n
        assert (gpu["chunk_warps"], gpu["kblock_warps"], gpu["wyapply_warps"]) == (8, 4, 4)
        # the WY kernel: split in two launches, with a 2-warp inverse for 16-bit (H200, session 8), 4 for fp32
        # (session 12)
        split16 = dtype != torch.float32
        assert (gpu_cfg.wy_split, gpu["wy_warps"]) == ((True, 2) if split16 else (True, 4)), n
    # K tiles other than 128 keep the session-6 geometry (unmeasured with the new one)
    for K, want in ((64, (4, 2)), (256, (8, 2))):
        dims = Dims(B=1, T=8, H=1, K=K, V=64, n_h=2, N=1, offsets=(0, 8), scale=1.0)
        monkeypatch.setattr(chunked, "is_interpreting", lambda: False)
        gpu = chunked._Config(dims, torch.bfloat16, torch.device("cpu"), "ieee").launch
        monkeypatch.setattr(chunked, "is_interpreting", interpreting)
        assert (gpu["scan_warps"], gpu["scan_stages"]) == want, K
        assert (gpu["wy_warps"], gpu["wyapply_warps"]) == (4, 4), K  # fused WY kernel: unmeasured split there
    monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_BV", "48")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_SCAN_BV"):
        _run(x, 2, "chunked", dtype=dtype)


@pytest.mark.parametrize(
    "dtype, n, T", [(torch.float32, 2, 70), (torch.bfloat16, 3, 45), (torch.float16, 1, 65)]
)
def test_wy_split_launches_give_the_fused_values(dtype, n, T, monkeypatch):
    """DELTAPROOF_CHUNKED_WY_SPLIT=split (the WY kernel as an inverse launch and a W/U launch from the stored Tm):
    the same dots on the same values, so outputs and all gradients are bitwise those of the fused kernel, gated,
    with an initial state and a partial last chunk; a bad value is refused."""
    from kernels import chunked

    class Spy:  # records the PHASE of each WY launch, so the test sees the switch reach the launches
        def __init__(self, fn):
            self.fn, self.phases = fn, []

        def __getitem__(self, grid):
            def launch(*args, **kw):
                self.phases.append(kw["PHASE"])
                return self.fn[grid](*args, **kw)

            return launch

    var = "DELTAPROOF_CHUNKED_WY_SPLIT"
    x = make_inputs(1, T, 2, 24, 40, n, gated=True, h0=True, seed=12)
    got, phases = {}, {}
    for value in ("fused", "split"):
        monkeypatch.setenv(var, value)
        spy = Spy(chunked._wy_fwd_kernel)
        monkeypatch.setattr(chunked, "_wy_fwd_kernel", spy)
        got[value] = _run(x, n, "chunked", grads=True, dtype=dtype)
        monkeypatch.setattr(chunked, "_wy_fwd_kernel", spy.fn)
        phases[value] = spy.phases
    assert phases == {"fused": [0], "split": [1, 2]}
    for key, a in got["fused"].items():
        if a is not None:
            assert not torch.isnan(a).any(), key
            assert torch.equal(a, got["split"][key]), key
    monkeypatch.setenv(var, "three")
    with pytest.raises(ValueError, match=var):
        _run(x, n, "chunked", dtype=dtype)


@pytest.mark.parametrize("dtype, n", [(torch.bfloat16, 2), (torch.float16, 1), (torch.float32, 3)])
def test_ungated_path_is_bitwise_the_gated_path_at_zero_gates(dtype, n):
    """Without g the chunked kernels skip the gate factors (exp(0) = 1 multiplies nothing); with g = 0 they apply
    them. Both must give bitwise the same output, final state and gradients of q, k, v, beta, h0, and dg must be
    finite: the skipped work is exactly a multiplication by one."""
    x = make_inputs(1, 70, 2, 20, 24, n, gated=True, h0=True, seed=21)
    zero = dict(x, g=torch.zeros_like(x["g"]))
    none = dict(x, g=None)
    got0 = _run(zero, n, "chunked", grads=True, dtype=dtype)
    got1 = _run(none, n, "chunked", grads=True, dtype=dtype)
    for key, a in got1.items():
        if a is not None:
            assert not torch.isnan(a).any(), key
            assert torch.equal(a, got0[key]), key
    assert torch.isfinite(got0["dg"]).all()


@settings(max_examples=6, deadline=None)
@given(
    T=st.integers(1, 140),
    n=st.integers(1, 4),
    K=st.integers(1, 40),
    V=st.integers(1, 40),
    dtype=st.sampled_from([torch.float32, torch.bfloat16, torch.float16]),
    h0=st.booleans(),
    seed=st.integers(0, 999),
)
def test_ungated_equals_zero_gates_on_random_shapes(T, n, K, V, dtype, h0, seed):
    """The property behind the test above on random shapes: partial and single chunks, K and V not powers of two,
    with and without an initial state (30 examples passed when it was written; the suite runs 6)."""
    x = make_inputs(1, T, 2, K, V, n, gated=True, h0=h0, seed=seed)
    zero = _run(dict(x, g=torch.zeros_like(x["g"])), n, "chunked", grads=True, dtype=dtype)
    none = _run(dict(x, g=None), n, "chunked", grads=True, dtype=dtype)
    for key, a in none.items():
        if a is not None:
            assert torch.equal(a, zero[key]), key


def test_launch_overrides_reach_the_launches_and_keep_the_values(monkeypatch):
    """DELTAPROOF_CHUNKED_LAUNCH (tuning of warps, stages and the scans' V blocks per kernel): the forward and
    backward scans with different V blocks (16 and 32, V = 72: partial last blocks; and 128, one block past V)
    give the fp32 values of the defaults within accumulation-order distance and float64's at the usual tolerance;
    the parsed keys land in the config, a scan's V block capped at the call's padded V; malformed items, unknown
    keys and values outside the allowed sets are refused by name."""
    from kernels import chunked
    from kernels._validate import Dims

    var = "DELTAPROOF_CHUNKED_LAUNCH"
    x = make_inputs(1, 40, 2, 20, 72, 2, gated=True, h0=True, seed=8)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    tuned = "scan_bv=16, bscan_bv=32,scan_warps=2,bscan_stages=3,wy_warps=8,kblock_warps=2,chunk_warps=4"
    wide = (
        "scan_bv=128,bscan_bv=128,scan_warps=8"  # one scan program per sequence and head (V = 72 pads to 128)
    )
    got = _chunked_per_value(monkeypatch, var, ("", tuned, wide), x, torch.float32)
    for value in (tuned, wide):
        _assert_close(got[value], ref, 2e-5, f"chunked fp32 launch overrides {value}")
        _assert_close(got[value], got[""], 1e-6, f"launch overrides {value} against the defaults")
    dims = Dims(B=1, T=8, H=1, K=128, V=128, n_h=2, N=1, offsets=(0, 8), scale=1.0)
    monkeypatch.setenv(var, tuned)
    cfg = chunked._Config(dims, torch.bfloat16, torch.device("cpu"), "ieee")
    assert {
        k: cfg.launch[k] for k in ("scan_bv", "bscan_bv", "scan_warps", "chunk_warps", "kblock_stages")
    } == {
        "scan_bv": 16,
        "bscan_bv": 32,
        "scan_warps": 2,
        "chunk_warps": 4,
        "kblock_stages": cfg.stages,  # not overridden
    }
    monkeypatch.setenv(var, "scan_bv=64")  # capped at the call's padded V (V = 16 here)
    small = Dims(B=1, T=8, H=1, K=16, V=16, n_h=2, N=1, offsets=(0, 8), scale=1.0)
    assert chunked._Config(small, torch.float32, torch.device("cpu"), "ieee").launch["scan_bv"] == 16
    monkeypatch.setenv(
        var, "scan_bv=128,bscan_bv=128"
    )  # above the other kernels' BV of 64, up to the padded V
    wide_cfg = chunked._Config(dims, torch.bfloat16, torch.device("cpu"), "ieee")
    assert (wide_cfg.launch["scan_bv"], wide_cfg.launch["bscan_bv"], wide_cfg.bv) == (128, 128, 64)
    assert chunked._Config(small, torch.float32, torch.device("cpu"), "ieee").launch["bscan_bv"] == 16
    for bad in ("scan_bv=48", "warps=4", "scan_warps", "scan_warps=3", "chunk_warps=-4", "scan_stages=x"):
        monkeypatch.setenv(var, bad)
        with pytest.raises(ValueError, match=var):
            _run(x, 2, "chunked", dtype=torch.float32)


def _spy_launches(monkeypatch, record):
    """Replace every Triton kernel of kernels.chunked by a wrapper that calls ``record(name, launch_kwargs)`` and
    then launches the kernel as before (for tests that check which launch options reach which kernel)."""
    from kernels import chunked

    class Spy:
        def __init__(self, name, fn):
            self.name, self.fn = name, fn

        def __getitem__(self, grid):
            def launch(*args, **kwargs):
                record(self.name, kwargs)
                return self.fn[grid](*args, **kwargs)

            return launch

    for name in [n for n in dir(chunked) if n.startswith("_") and n.endswith("_kernel")]:
        monkeypatch.setattr(chunked, name, Spy(name, getattr(chunked, name)))


def test_register_caps_reach_every_launch_as_maxnreg(monkeypatch):
    """The register caps of DELTAPROOF_CHUNKED_LAUNCH (``*_regs``, Triton's ``maxnreg``) reach the launches of their
    own kernels and no other (a spy on every kernel of the chunked backend), caps of 0 pass None (the compiler's
    choice), the default caps only the gated W/U launch at the measured geometry, the interpreter runs with them (it has no registers: bitwise the defaults' values, bf16, split WY), and
    caps outside 0 / 24-255 are refused by name."""
    from kernels import chunked

    var = "DELTAPROOF_CHUNKED_LAUNCH"
    caps = {"wy": 200, "wyapply": 128, "scan": 168, "bscan": 160, "kblock": 144, "chunk": 96}
    x = make_inputs(1, 40, 2, 16, 16, 2, gated=True, h0=True, seed=3)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_WY_SPLIT", "split")
    base = _run(x, 2, "chunked", grads=True, dtype=torch.bfloat16)
    seen = []

    _spy_launches(
        monkeypatch, lambda name, kw: seen.append((name, kw.get("PHASE"), kw.get("maxnreg", "absent")))
    )
    monkeypatch.setenv(var, ",".join(f"{k}_regs={v}" for k, v in caps.items()))
    got = _run(x, 2, "chunked", grads=True, dtype=torch.bfloat16)
    for key, a in base.items():
        if a is not None:
            assert torch.equal(a, got[key]), key
    want = {
        ("_wy_fwd_kernel", 1): caps["wy"],
        ("_wy_fwd_kernel", 2): caps["wyapply"],
        ("_fwd_scan_kernel", None): caps["scan"],
        ("_bwd_scan_kernel", None): caps["bscan"],
        ("_bwd_kblock_kernel", None): caps["kblock"],
        ("_bwd_chunk_kernel", None): caps["chunk"],
    }
    assert {(n, p): m for n, p, m in seen} == want
    seen.clear()
    monkeypatch.setenv(var, "scan_regs=0")
    _run(x, 2, "chunked", grads=True, dtype=torch.bfloat16)
    assert {m for _, _, m in seen} == {None}
    # the default: the gated W/U launch capped at 168 where the split WY kernel runs at the measured geometry
    # (bf16/fp16, K tiles of 128), uncapped ungated, in fp32 and at small K; an override wins either way
    from kernels._validate import Dims

    monkeypatch.delenv(var)
    monkeypatch.delenv("DELTAPROOF_CHUNKED_WY_SPLIT")
    big = Dims(B=1, T=8, H=1, K=128, V=128, n_h=2, N=1, offsets=(0, 8), scale=1.0)
    small = Dims(B=1, T=8, H=1, K=16, V=16, n_h=2, N=1, offsets=(0, 8), scale=1.0)

    def cap(dims, dtype, gated):
        return chunked._wyapply_regs(chunked._Config(dims, dtype, torch.device("cpu"), "ieee"), gated)

    assert [cap(big, torch.bfloat16, True), cap(big, torch.float16, True)] == [168, 168]
    assert [
        cap(big, torch.bfloat16, False),
        cap(big, torch.float32, True),
        cap(small, torch.bfloat16, True),
    ] == [0] * 3
    monkeypatch.setenv(var, "wyapply_regs=0")
    assert cap(big, torch.bfloat16, True) == 0
    monkeypatch.setenv(var, "wyapply_regs=200")
    assert cap(big, torch.bfloat16, False) == 200
    # the forward scan: uncapped by default everywhere (session 16's table; session 14's had 240 for the gated
    # forward alone at n_h = 3, which now forms its output tile transposed with 2 stages); an override wins
    monkeypatch.delenv(var)

    def scan_cap(n_h, dtype, gated, save):
        dims = Dims(B=1, T=8, H=1, K=128, V=128, n_h=n_h, N=1, offsets=(0, 8), scale=1.0)
        return chunked._scan_regs(chunked._Config(dims, dtype, torch.device("cpu"), "ieee"), gated, save)

    caps = [scan_cap(3, torch.bfloat16, True, False), scan_cap(3, torch.float16, True, False)]
    caps += [scan_cap(3, torch.bfloat16, True, True), scan_cap(3, torch.bfloat16, False, False)]
    caps += [scan_cap(n, torch.bfloat16, True, False) for n in (1, 2, 4)]
    assert caps + [scan_cap(3, torch.float32, True, False)] == [0] * 8
    monkeypatch.setenv(var, "scan_regs=240")
    assert scan_cap(3, torch.bfloat16, True, False) == scan_cap(3, torch.float32, False, True) == 240
    for bad in ("wy_regs=23", "scan_regs=256", "chunk_regs=-1", "kblock_regs=x", "out_regs=128"):
        monkeypatch.setenv(var, bad)
        with pytest.raises(ValueError, match="0 or 24-255"):
            _run(x, 2, "chunked", dtype=torch.float32)


def test_tuned_scan_stages_reach_both_scan_launches(monkeypatch):
    """At the tuned geometry (bf16, K tiles of 128) the scans' launches get the stages of their tables (a spy on
    every kernel): at n_h 3 the forward scan 1 stage gated and 2 ungated when saving for a backward
    (_FWD_SCAN_TUNED), the backward scan 2 either way; the backward scan 1 at n_h 1, and at n_h 4 1 gated and 2
    ungated (_BWD_SCAN_STAGES, session 15); an explicit bscan_stages wins."""
    seen = []
    _spy_launches(monkeypatch, lambda name, kw: seen.append((name, kw.get("num_stages"))))

    def stages(n_h, gated):
        seen.clear()
        x = make_inputs(1, 5, 1, 128, 128, n_h, gated=gated, h0=True, seed=2)
        _run(x, n_h, "chunked", grads=True, dtype=torch.bfloat16)
        return {name: st for name, st in seen if name in ("_fwd_scan_kernel", "_bwd_scan_kernel")}

    assert stages(3, True) == {"_fwd_scan_kernel": 1, "_bwd_scan_kernel": 2}
    assert stages(3, False) == {"_fwd_scan_kernel": 2, "_bwd_scan_kernel": 2}
    assert stages(1, False)["_bwd_scan_kernel"] == 1
    assert (stages(4, True)["_bwd_scan_kernel"], stages(4, False)["_bwd_scan_kernel"]) == (1, 2)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_LAUNCH", "bscan_stages=3")
    assert stages(1, False)["_bwd_scan_kernel"] == 3


def test_tuned_scan_out_reaches_the_forward_scan(monkeypatch):
    """The forward scan's output-tile form follows _FWD_SCAN_TUNED at the tuned geometry (a spy on every kernel):
    transposed (cols) with 2 stages uncapped for the gated n_h 3 forward alone but not when it saves for a backward,
    transposed for gated n_h 4 either way, rows for ungated n_h 3 and outside the tuned geometry (fp32); an explicit
    DELTAPROOF_CHUNKED_SCAN_OUT wins, and values other than auto / rows / cols are refused by name."""
    seen = []
    _spy_launches(
        monkeypatch,
        lambda name, kw: (
            seen.append((kw["OUT_T"], kw["num_stages"], kw["maxnreg"]))
            if name == "_fwd_scan_kernel"
            else None
        ),
    )

    def form(n_h, gated, grads, dtype=torch.bfloat16):
        seen.clear()
        x = make_inputs(1, 5, 1, 128, 128, n_h, gated=gated, h0=True, seed=2)
        _run(x, n_h, "chunked", grads=grads, dtype=dtype)
        assert len(seen) == 1
        return seen[0]

    assert form(3, True, False) == (True, 2, None)
    assert form(3, True, True)[0] is False
    assert (form(4, True, False)[0], form(4, True, True)[0]) == (True, True)
    assert form(3, False, False)[0] is False
    assert form(3, True, False, dtype=torch.float32)[0] is False
    monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_OUT", "rows")
    assert form(3, True, False)[0] is False
    monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_OUT", "transposed")
    x = make_inputs(1, 5, 1, 16, 16, 3, seed=2)
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_SCAN_OUT"):
        _run(x, 3, "chunked")


def test_ptxas_opt_reaches_every_launch(monkeypatch):
    """DELTAPROOF_CHUNKED_PTXAS_OPT: the level reaches every launch of the forward and the backward as Triton's
    ``ptx_options`` (a spy on every kernel), unset passes None (Triton's default), the interpreter's values are
    bitwise those of the default (it does not assemble), and values other than default / 0-3 are refused by name."""
    var = "DELTAPROOF_CHUNKED_PTXAS_OPT"
    x = make_inputs(1, 40, 2, 16, 16, 2, gated=True, h0=True, seed=5)
    base = _run(x, 2, "chunked", grads=True)
    seen = []

    _spy_launches(monkeypatch, lambda name, kw: seen.append((name, kw.get("ptx_options", "absent"))))
    monkeypatch.setenv(var, "1")
    got = _run(x, 2, "chunked", grads=True)
    for key, a in base.items():
        if a is not None:
            assert torch.equal(a, got[key]), key
    _run(x, 2, "chunked", grads=True, dtype=torch.bfloat16)  # the split backward: its K-block kernel too
    assert {name for name, _ in seen} >= {
        "_wy_fwd_kernel",
        "_fwd_scan_kernel",
        "_bwd_scan_kernel",
        "_bwd_kblock_kernel",
        "_bwd_chunk_kernel",
    }
    assert {opt for _, opt in seen} == {"--opt-level 1"}
    seen.clear()
    monkeypatch.setenv(var, "default")
    _run(x, 2, "chunked", grads=True)
    assert seen and {opt for _, opt in seen} == {None}
    # unset, the GPU's configuration assembles fp32 `ieee` kernels at level 1 (session 12) and nothing else
    from kernels import chunked
    from kernels._validate import Dims

    monkeypatch.delenv(var)
    monkeypatch.setattr(chunked, "is_interpreting", lambda: False)
    dims = Dims(B=1, T=8, H=1, K=128, V=128, n_h=2, N=1, offsets=(0, 8), scale=1.0)

    def opt(dtype, precision):
        return chunked._Config(dims, dtype, torch.device("cpu"), precision).ptx_options

    assert opt(torch.float32, "ieee") == "--opt-level 1"
    assert opt(torch.float32, "tf32") is opt(torch.float32, "tf32x3") is opt(torch.bfloat16, "ieee") is None
    monkeypatch.setenv("DELTAPROOF_CHUNKED_FP32_DOTS", "tf32x3")  # an `ieee` call run as tf32x3
    assert opt(torch.float32, "ieee") is None
    monkeypatch.delenv("DELTAPROOF_CHUNKED_FP32_DOTS")
    monkeypatch.setenv(var, "default")
    assert opt(torch.float32, "ieee") is None
    for bad in ("4", "O1", "-1"):
        monkeypatch.setenv(var, bad)
        with pytest.raises(ValueError, match=var):
            _run(x, 2, "chunked")


@pytest.mark.parametrize("T, n, gated", [(70, 3, True), (65, 1, False), (33, 4, True)])
def test_wy_merge_on_16x16_blocks(T, n, gated, monkeypatch):
    """DELTAPROOF_CHUNKED_WY_MERGE=blocks (Tm assembled by block forward substitution on 16 x 16 blocks): fp32
    outputs and gradients against float64 at the usual tolerance, partial last chunks and gates included, and within
    fp32 rounding of the four-product merge (fp32's default); bf16 (where blocks is the default) at the bf16 tolerance;
    a bad value is refused."""
    x = make_inputs(1, T, 2, 16, 16, n, gated=gated, h0=True, seed=T + 7 * n)
    ref = _run(x, n, "reference", grads=True, dtype=F64)
    got = {}
    for form in ("full", "blocks"):
        monkeypatch.setenv("DELTAPROOF_CHUNKED_WY_MERGE", form)
        got[form] = _run(x, n, "chunked", grads=True)
    _assert_close(got["blocks"], ref, 2e-5, "chunked fp32 wy_merge=blocks")
    _assert_close(got["blocks"], got["full"], 2e-6, "blocks against full")
    _assert_close(_run(x, n, "chunked", grads=True, dtype=torch.bfloat16), ref, 4e-2, "chunked bf16 blocks")
    monkeypatch.delenv("DELTAPROOF_CHUNKED_WY_MERGE")  # fp32's default is the four-product merge
    assert torch.equal(_run(x, n, "chunked")["S"], got["full"]["S"])
    monkeypatch.setenv("DELTAPROOF_CHUNKED_WY_MERGE", "tree")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_WY_MERGE"):
        _run(x, n, "chunked")


@pytest.mark.parametrize(
    "T, n, gated, merge", [(70, 3, True, "blocks"), (65, 1, False, "full"), (33, 4, True, "full")]
)
def test_wy_gram_once_matches_float64_and_the_blocks_form(T, n, gated, merge, monkeypatch):
    """DELTAPROOF_CHUNKED_WY_GRAM=once (A of the WY inverse from one [64, 64] product, the default) against
    ``blocks`` (each diagonal block from its own [16, 16] product): fp32 outputs and gradients against float64 at
    the usual tolerance under both merges, partial last chunks and gates included; within fp32 rounding of
    ``blocks`` (ungated the interpreter's products are the same numbers, so bitwise); bf16 at its tolerance; the
    default is ``once``; a bad value is refused."""
    var = "DELTAPROOF_CHUNKED_WY_GRAM"
    monkeypatch.setenv("DELTAPROOF_CHUNKED_WY_MERGE", merge)
    x = make_inputs(1, T, 2, 16, 16, n, gated=gated, h0=True, seed=T + 5 * n)
    ref = _run(x, n, "reference", grads=True, dtype=F64)
    got = {}
    for form in ("blocks", "once", ""):  # empty: the default
        monkeypatch.setenv(var, form)
        got[form] = _run(x, n, "chunked", grads=True)
    _assert_close(got["once"], ref, 2e-5, "chunked fp32 wy_gram=once")
    _assert_close(got["once"], got["blocks"], 2e-6, "once against blocks")
    for key, a in got["once"].items():
        if a is not None:
            assert torch.equal(a, got[""][key]), key
            if not gated:
                assert torch.equal(a, got["blocks"][key]), key
    monkeypatch.setenv(var, "once")
    _assert_close(_run(x, n, "chunked", grads=True, dtype=torch.bfloat16), ref, 4e-2, "chunked bf16 once")
    monkeypatch.setenv(var, "twice")
    with pytest.raises(ValueError, match=var):
        _run(x, n, "chunked")


def test_wy_merge_default_for_bf16_is_blocks(monkeypatch):
    """bf16's and fp32 tf32's default merge is blocks (fp32 `ieee` keeps the four-product merge): the configuration says so, and
    the default run is bitwise the blocks run. (Since A comes from one product, ``WY_GRAM=once``, the two merges
    round to the same bf16 values on these inputs, so the values alone cannot tell them apart.)"""
    from kernels import chunked
    from kernels._validate import Dims

    x = make_inputs(1, 70, 2, 16, 16, 3, gated=True, h0=True, seed=91)
    bf = {}
    for form in ("", "blocks"):
        monkeypatch.setenv("DELTAPROOF_CHUNKED_WY_MERGE", form)  # empty: the default
        bf[form] = _run(x, 3, "chunked", dtype=torch.bfloat16)["S"]
    assert torch.equal(bf[""], bf["blocks"])
    monkeypatch.delenv("DELTAPROOF_CHUNKED_WY_MERGE")
    dims = Dims(B=1, T=8, H=1, K=16, V=16, n_h=3, N=1, offsets=(0, 8), scale=1.0)
    merge = {
        dt: chunked._Config(dims, dt, torch.device("cpu"), "ieee").wy_merge
        for dt in (torch.bfloat16, torch.float32)
    }
    assert merge == {torch.bfloat16: "blocks", torch.float32: "full"}
    # fp32 `tf32` merges on blocks since session 12 (its inverse launch is then the tf32x3 one, instruction for
    # instruction); `tf32x3` needs K tiles of 128, which the GPU configuration gives
    assert chunked._Config(dims, torch.float32, torch.device("cpu"), "tf32").wy_merge == "blocks"


@pytest.mark.parametrize(
    "dtype, bwd, dd_local",
    [
        (torch.bfloat16, "split", "scan"),
        (torch.float16, "split", "scan"),
        (torch.bfloat16, "fused", "scan"),
        (torch.bfloat16, "split", "parallel"),
    ],
)
def test_backward_buffers_in_16bit_change_nothing(dtype, bwd, dd_local, monkeypatch):
    """DELTAPROOF_CHUNKED_BWD_BUFS=16bit (dD and dW stored in the dot type): every reader rounds them to that type
    for a dot, so outputs and all gradients are bitwise the same, gated and not, split and fused backward, and with
    DD_LOCAL=parallel (where dD stays fp32); a bad value is refused."""
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD", bwd)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_DD_LOCAL", dd_local)
    for gated in (False, True):
        x = make_inputs(1, 70, 2, 16, 16, 2, gated=gated, h0=True, seed=31)
        got = _chunked_per_value(monkeypatch, "DELTAPROOF_CHUNKED_BWD_BUFS", ("fp32", "16bit"), x, dtype)
        for key, a in got["fp32"].items():
            if a is not None:
                assert not torch.isnan(a).any(), key
                assert torch.equal(a, got["16bit"][key]), (gated, key)
    from kernels import chunked
    from kernels._validate import Dims

    dims = Dims(B=1, T=8, H=1, K=16, V=16, n_h=2, N=1, offsets=(0, 8), scale=1.0)
    cfg = chunked._Config(dims, dtype, torch.device("cpu"), "ieee")  # BWD_BUFS is still 16bit here
    assert (cfg.dw16, cfg.dd16) == (True, dd_local == "scan")
    assert cfg.buf16_dtype == (
        torch.float32 if dtype == torch.bfloat16 else dtype
    )  # bf16 is emulated in fp32
    monkeypatch.delenv(
        "DELTAPROOF_CHUNKED_BWD_BUFS"
    )  # the default (dqi32 since session 9): 16 bits but dQi, fp32 untouched
    cfg = chunked._Config(dims, dtype, torch.device("cpu"), "ieee")
    assert (cfg.dw16, cfg.part16, cfg.dqi16) == (True, True, False)
    cfg32 = chunked._Config(dims, torch.float32, torch.device("cpu"), "ieee")
    assert (cfg32.dw16, cfg32.part16, cfg32.dqi16, cfg32.dd16) == (False, False, False, False)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD_BUFS", "8bit")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_BWD_BUFS"):
        _run(x, 2, "chunked", dtype=dtype)


def test_backward_partials_in_16bit_stay_at_bf16_error_level(monkeypatch):
    """DELTAPROOF_CHUNKED_BWD_BUFS=all16 also stores the partials dKs and dQi in 16 bits. They enter elementwise sums,
    so dq, dk and dg change (which shows the switch reaches the kernels) and nothing else does; every gradient stays
    within the bf16 tolerance against float64."""
    x = make_inputs(1, 70, 2, 16, 16, 2, gated=True, h0=True, seed=7)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got = _chunked_per_value(monkeypatch, "DELTAPROOF_CHUNKED_BWD_BUFS", ("fp32", "all16"), x, torch.bfloat16)
    _assert_close(got["all16"], ref, 4e-2, "chunked bf16 bwd_bufs=all16")
    same = {key: torch.equal(a, got["all16"][key]) for key, a in got["fp32"].items() if a is not None}
    assert [key for key, eq in same.items() if not eq] == ["dq", "dk", "dg"], same


def test_dqi32_keeps_dq_of_the_fp32_partials_and_dk_of_all16(monkeypatch):
    """DELTAPROOF_CHUNKED_BWD_BUFS=dqi32 is all16 with the partial dQi kept in fp32: dq bitwise that of "16bit" (the
    partials in fp32), dk bitwise that of "all16" (dKs in 16 bits), and so within the bf16 tolerance of float64."""
    x = make_inputs(1, 70, 2, 16, 16, 2, gated=True, h0=True, seed=7)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    got = _chunked_per_value(
        monkeypatch, "DELTAPROOF_CHUNKED_BWD_BUFS", ("16bit", "all16", "dqi32"), x, torch.bfloat16
    )
    _assert_close(got["dqi32"], ref, 4e-2, "chunked bf16 bwd_bufs=dqi32")
    assert torch.equal(got["dqi32"]["dq"], got["16bit"]["dq"])
    assert not torch.equal(got["dqi32"]["dq"], got["all16"]["dq"])  # the switch reaches the store
    assert torch.equal(got["dqi32"]["dk"], got["all16"]["dk"])
    assert torch.equal(got["dqi32"]["dv"], got["all16"]["dv"])


def test_fp32_dots_switch_is_validated(monkeypatch):
    """DELTAPROOF_CHUNKED_FP32_DOTS (precision="tf32x3" for `ieee` calls, as a switch): accepted values run
    and, in the interpreter (exact fp32 dots either way), match float64; anything else is refused by name."""
    x = make_inputs(1, 30, 1, 128, 8, 2, seed=9)
    ref = _run(x, 2, "reference", dtype=F64)
    for mode in ("ieee", "tf32x3"):
        monkeypatch.setenv("DELTAPROOF_CHUNKED_FP32_DOTS", mode)
        _assert_close(
            _run(x, 2, "chunked"), ref, 2e-5 if os.environ.get("TRITON_INTERPRET") == "1" else 1e-4, mode
        )
    monkeypatch.setenv("DELTAPROOF_CHUNKED_FP32_DOTS", "tf32x9")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_FP32_DOTS"):
        _run(x, 2, "chunked")


def test_tf32_request_is_accepted():
    x = make_inputs(1, 30, 1, 16, 16, 2, seed=8)
    ref = _run(x, 2, "reference", dtype=F64)
    # the interpreter computes fp32 dots exactly, so on CPU tf32 must still match closely
    _assert_close(
        _run(x, 2, "chunked", precision="tf32"),
        ref,
        2e-5 if os.environ.get("TRITON_INTERPRET") == "1" else 2e-2,
        "tf32",
    )


def test_tf32x3_precision_runs_and_is_configured_as_verified(monkeypatch):
    """precision="tf32x3": runs and matches float64 (the interpreter's fp32 dots are exact either way); on a GPU it
    would give three-pass tf32 dots and the blocks merge (the combination run on the H200) for K tiles >= 128 only,
    ieee below, and nothing for 16-bit inputs; a bad precision is refused by name."""
    from kernels import chunked
    from kernels._validate import Dims

    x = make_inputs(1, 30, 1, 16, 16, 2, seed=8)
    _assert_close(
        _run(x, 2, "chunked", precision="tf32x3"), _run(x, 2, "reference", dtype=F64), 2e-5, "tf32x3"
    )
    monkeypatch.setattr(chunked, "is_interpreting", lambda: False)  # configure as on a GPU (nothing launches)

    def cfg(K, dtype, precision):
        dims = Dims(B=1, T=8, H=1, K=K, V=K, n_h=2, N=1, offsets=(0, 8), scale=1.0)
        c = chunked._Config(dims, dtype, torch.device("cpu"), precision)
        return c.prec, c.inv_prec, c.wy_merge

    assert cfg(128, torch.float32, "tf32x3") == ("tf32x3", "tf32x3", "blocks")
    assert cfg(64, torch.float32, "tf32x3") == ("ieee", "ieee", "full")
    assert cfg(128, torch.float32, "ieee") == ("ieee", "ieee", "full")
    assert cfg(128, torch.bfloat16, "tf32x3")[2] == "blocks"
    with pytest.raises(ValueError, match="precision"):
        _run(x, 2, "chunked", precision="fp64")


@pytest.mark.parametrize("n", [2, 3])
def test_varlen_matches_separate_runs(n):
    x = make_inputs(1, 100, 2, 16, 16, n, gated=True, h0=False, seed=n)
    bounds = [0, 1, 1, 22, 86, 100]  # an empty sequence, one token, chunk-straddling lengths
    cu = torch.tensor(bounds)
    gen = torch.Generator().manual_seed(4)
    x["initial_state"] = torch.randn(len(bounds) - 1, 2, 16, 16, generator=gen)
    packed = _run(x, n, "chunked", grads=True, cu=cu)
    packed_rec = _run(x, n, "recurrent", cu=cu)
    ref = _run(x, n, "reference", grads=True, cu=cu, dtype=F64)
    _assert_close(packed, ref, 2e-5, "chunked varlen")
    _assert_close(packed_rec, {k: ref[k] for k in ("o", "S")}, 2e-5, "recurrent varlen")
    for s, (a, e) in enumerate(zip(bounds[:-1], bounds[1:])):
        part = {
            key: (
                None
                if x[key] is None
                else x[key][:, a * n : e * n]
                if key in ("k", "v", "beta")
                else x[key][s : s + 1]
                if key == "initial_state"
                else x[key][:, a:e]
            )
            for key in FIELDS
        }
        one = _run(part, n, "chunked")
        assert torch.allclose(packed["o"][:, a:e], one["o"], atol=1e-5)
        assert torch.allclose(packed["S"][s : s + 1], one["S"], atol=1e-5)


def test_beta_exactly_zero_keeps_state():
    x = make_inputs(1, 65, 1, 16, 16, 2, gated=False, h0=True, seed=11)
    x["beta"] = torch.zeros_like(x["beta"])
    expected = 16**-0.5 * torch.einsum(
        "btk,kv->btv", x["q"][:, :, 0].double(), x["initial_state"][0, 0].double()
    )
    for backend in ("recurrent", "chunked"):
        out = _run(x, 2, backend)
        assert torch.allclose(out["o"][:, :, 0].double(), expected, atol=1e-5)
        assert torch.equal(out["S"], x["initial_state"])


def _integer_case(T, n, K, V, seed):
    """Keys e_i - e_j with beta = 1 = 2/|u|^2 (exact reflections), keys e_i with beta = 2, some beta = 0."""
    gen = torch.Generator().manual_seed(seed)
    k = torch.zeros(1, T * n, 1, K)
    beta = torch.zeros(1, T * n, 1)
    for r in range(T * n):
        i, j = torch.randint(0, K, (2,), generator=gen).tolist()
        kind = r % 3
        if kind == 0 and i != j:
            k[0, r, 0, i], k[0, r, 0, j], beta[0, r, 0] = 1.0, -1.0, 1.0
        elif kind == 1:
            k[0, r, 0, i], beta[0, r, 0] = 1.0, 2.0
        else:
            k[0, r, 0, i] = 1.0  # beta stays exactly 0
    v = torch.randint(-2, 3, (1, T * n, 1, V), generator=gen).float()
    q = torch.randint(-2, 3, (1, T, 1, K), generator=gen).float()
    s0 = torch.randint(-2, 3, (1, 1, K, V), generator=gen).float()
    return dict(q=q, k=k, v=v, beta=beta, g=None, initial_state=s0)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_exact_reflections_are_exact(n):
    """Integer keys with beta = 2/|u|^2 keep every intermediate an integer: all backends must be exact."""
    x = _integer_case(30, n, 16, 16, seed=n)
    ref = _run(x, n, "reference", dtype=F64, scale=1.0)
    for backend in ("reference", "recurrent", "chunked"):
        out = _run(x, n, backend, scale=1.0)
        assert torch.equal(out["o"].double(), ref["o"]), backend
        assert torch.equal(out["S"].double(), ref["S"]), backend


@settings(max_examples=6, deadline=None)
@given(
    T=st.integers(1, 20),
    n=st.integers(1, 4),
    K=st.integers(2, 6),
    V=st.integers(1, 5),
    gated=st.booleans(),
    seed=st.integers(0, 2**31 - 1),
    beta_mode=st.sampled_from(["random", "zero", "two"]),
)
def test_triton_within_bound_of_exact_arithmetic(T, n, K, V, gated, seed, beta_mode):
    """fp32 kernels vs the exact (Fraction) recurrence on the same float inputs, within the stated bound
    (kernels_oracle.error_bound; safety 1 for the sequential recurrent kernel, 8 for the WY form)."""
    x = make_inputs(1, T, 1, K, V, n, gated=gated, h0=True, seed=seed)
    if beta_mode != "random":
        x["beta"] = torch.full_like(x["beta"], 0.0 if beta_mode == "zero" else 2.0)
    scale = K**-0.5
    q = x["q"][0, :, 0].double().tolist()
    k = x["k"][0, :, 0].double().tolist()
    v = x["v"][0, :, 0].double().tolist()
    b = x["beta"][0, :, 0].double().tolist()
    g = None if x["g"] is None else x["g"][0, :, 0].double().tolist()
    exact, budget, _ = exact_run(
        q, k, v, b, n, scale, g=g, initial_state=x["initial_state"][0, 0].double().tolist()
    )
    for backend, safety in (("recurrent", 1.0), ("chunked", 8.0)):
        o = _run(x, n, backend, final=False)["o"]
        bound = error_bound(budget, scale, 2.0**-24, safety)
        for t in range(T):
            for c in range(V):
                err = abs(float(o[0, t, 0, c]) - float(exact[t][c]))
                assert err <= bound[t][c], (backend, t, c, err, bound[t][c])


def test_no_grad_call_saves_nothing_for_a_backward(monkeypatch):
    """Under torch.no_grad the chunked forward must not save states for a backward, even when its inputs require
    grad (an evaluation loop over parameters): autograd still reports needs_input_grad there. Same outputs."""
    from kernels import chunked

    saves = []
    real = chunked._forward

    def spy(*args):
        saves.append(args[-1])
        return real(*args)

    monkeypatch.setattr(chunked, "_forward", spy)
    x = make_inputs(1, 20, 1, 16, 16, 2, gated=True, h0=True, seed=2)
    x = {key: (t.requires_grad_(True) if t is not None else None) for key, t in x.items()}
    args = (x["q"], x["k"], x["v"], x["beta"])
    kw = dict(num_householder=2, g=x["g"], initial_state=x["initial_state"], backend="chunked")
    with torch.no_grad():
        o_eval, _ = deltaproduct(*args, **kw)
    o_train, _ = deltaproduct(*args, **kw)
    assert saves == [False, True]
    assert torch.equal(o_eval, o_train.detach()) and not o_eval.requires_grad and o_train.requires_grad


def test_poisoned_outputs_are_nan_until_written():
    from kernels._triton_common import POISON_OUTPUTS, alloc

    assert POISON_OUTPUTS
    assert torch.isnan(alloc((3,), torch.float32, "cpu")).all()


def test_chunked_against_fla_naive():
    naive = pytest.importorskip(
        "fla.ops.gated_delta_product.naive", reason="fla-core not installed (pip install fla-core==0.6.0)"
    )
    x = make_inputs(2, 45, 2, 16, 16, 3, gated=True, h0=True, seed=21)
    out = _run(x, 3, "chunked")
    of, Sf = naive.naive_recurrent_gated_delta_product(
        x["q"],
        x["k"],
        x["v"],
        x["g"],
        x["beta"],
        scale=16**-0.5,
        initial_state=x["initial_state"].clone(),
        output_final_state=True,
        num_householder=3,
    )
    _assert_close(out, {"o": of, "S": Sf}, 2e-5, "chunked vs fla naive")


def test_largest_heads_k_v_256():
    """K = V = 256, the largest supported width (full-K tiles of 256 and four V blocks)."""
    x = make_inputs(1, 12, 1, 256, 256, 2, gated=True, h0=True, seed=31)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    _assert_close(_run(x, 2, "chunked", grads=True), ref, 2e-5, "chunked K=V=256")
    _assert_close(_run(x, 2, "recurrent"), {k: ref[k] for k in ("o", "S")}, 2e-5, "recurrent K=V=256")
    with pytest.raises(ValueError, match="K, V <= 256"):
        y = make_inputs(1, 2, 1, 257, 8, 1)
        _run(y, 1, "chunked")


@pytest.mark.parametrize("K, gated", [(150, True), (64, False)])
def test_split_backward_k_blocks_and_fused_form(K, gated, monkeypatch):
    """The split backward (the default for bf16/fp16) (state contractions per K block of 64) against float64, with K = 150 (three K blocks,
    the last partial, padded to four in the reduction of sum(S0 * dS1)) and K = 64 (one block); and against the
    fused one-kernel form it replaced, which must give the same gradients up to fp32 reassociation."""
    x = make_inputs(1, 70, 1, K, 24, 2, gated=gated, h0=True, seed=41)
    ref = _run(x, 2, "reference", grads=True, dtype=F64)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD", "split")  # fp32 defaults to the fused form
    split = _run(x, 2, "chunked", grads=True)
    _assert_close(split, ref, 2e-5, f"chunked split K={K}")
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD", "fused")
    fused = _run(x, 2, "chunked", grads=True)
    _assert_close(fused, {key: split[key] for key in split}, 1e-5, f"chunked fused vs split K={K}")
    monkeypatch.setenv("DELTAPROOF_CHUNKED_BWD", "nope")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_BWD"):
        _run(x, 2, "chunked")


def test_split_tm_reduces_bf16_forward_error(monkeypatch):
    """DELTAPROOF_CHUNKED_TM=split (Tm as two bf16 parts in W = Tm X and U = Tm bV) against the per-step float64
    recurrence on the same bf16-rounded inputs, so only the kernel's own roundings count. Correlated keys with
    beta = 1.99 make Tm's entries large and W's small (cancellation): rounding Tm once to bf16 ("single", what fla
    also does) costs ~15% relative error here, the split ~3%. The test asks for at least a 2x reduction."""
    g = torch.Generator().manual_seed(1)
    B, T, H, K, n = 1, 128, 2, 8, 2
    q = torch.nn.functional.normalize(torch.randn(B, T, H, K, generator=g), dim=-1)
    k = torch.nn.functional.normalize(
        torch.randn(H, K, generator=g) + 0.3 * torch.randn(B, T * n, H, K, generator=g), dim=-1
    )
    v = torch.randn(B, T * n, H, K, generator=g)
    beta = torch.full((B, T * n, H), 1.99)
    x16 = [t.to(torch.bfloat16) for t in (q, k, v, beta)]
    ref, _ = deltaproduct(*(t.double() for t in x16), num_householder=n, backend="reference")
    err = {}
    for tm in ("single", "split"):
        monkeypatch.setenv("DELTAPROOF_CHUNKED_TM", tm)
        o, _ = deltaproduct(*x16, num_householder=n, backend="chunked")
        assert torch.isfinite(o).all()
        err[tm] = ((o.double() - ref).abs().max() / ref.abs().max()).item()
    assert err["split"] < 0.5 * err["single"], err
    monkeypatch.delenv("DELTAPROOF_CHUNKED_TM")  # the default is the split
    o, _ = deltaproduct(*x16, num_householder=n, backend="chunked")
    assert ((o.double() - ref).abs().max() / ref.abs().max()).item() == err["split"]
    monkeypatch.setenv("DELTAPROOF_CHUNKED_TM", "double")
    with pytest.raises(ValueError, match="DELTAPROOF_CHUNKED_TM"):
        deltaproduct(*x16, num_householder=n, backend="chunked")


@pytest.mark.parametrize(
    "dtype, n, rel", [(torch.float32, 3, 2e-5), (torch.bfloat16, 2, 4e-2), (torch.float16, 4, 1e-2)]
)
def test_decay_on_values_matches_float64_and_the_keys_form(dtype, n, rel, monkeypatch):
    """DELTAPROOF_CHUNKED_DECAY=values (the forward scan's in-chunk decay exp(Glast - G) applied to D instead of K):
    outputs, final states and every gradient against float64, and in fp32 within 2e-6 of the keys form, packed varlen
    with an empty and a one-token sequence and partial chunks, with steep gates (down to -24 per token: the decay of
    early rows underflows to 0, which must not become NaN); ungated calls are bitwise the same under both values (the
    switch only touches the gated branch); the flag reaches the scan launch; a bad value is refused."""
    from kernels import chunked

    seen = []

    class Spy:  # records DECAY_D of each forward-scan launch
        def __init__(self, fn):
            self.fn = fn

        def __getitem__(self, grid):
            def launch(*args, **kw):
                seen.append(kw["DECAY_D"])
                return self.fn[grid](*args, **kw)

            return launch

    monkeypatch.setattr(chunked, "_fwd_scan_kernel", Spy(chunked._fwd_scan_kernel))
    x = make_inputs(1, 100, 2, 16, 24, n, gated=True, h0=False, seed=41)
    x["g"] = x["g"] * 48  # gates in (-24, 0]
    bounds = [0, 1, 1, 22, 86, 100]
    cu = torch.tensor(bounds)
    x["initial_state"] = torch.randn(len(bounds) - 1, 2, 16, 24, generator=torch.Generator().manual_seed(7))
    ref = _run(x, n, "reference", grads=True, dtype=F64, cu=cu)
    var = "DELTAPROOF_CHUNKED_DECAY"
    got, flat = {}, {}
    for value in ("keys", "values"):
        monkeypatch.setenv(var, value)
        seen.clear()
        got[value] = _run(x, n, "chunked", grads=True, dtype=dtype, cu=cu)
        assert seen == [value == "values"], (value, seen)
        _assert_close(got[value], ref, rel, f"chunked {dtype} decay={value}")
        flat[value] = _run(dict(x, g=None), n, "chunked", grads=True, dtype=dtype, cu=cu)
    if dtype == torch.float32:
        _assert_close(got["values"], got["keys"], 2e-6, "decay values against keys")
    else:  # a different rounding: gated, the two forms must not be bitwise the same (the switch took effect)
        assert any(a is not None and not torch.equal(a, got["values"][key]) for key, a in got["keys"].items())
    for key, a in flat["keys"].items():
        if a is not None:
            assert torch.equal(a, flat["values"][key]), key
    monkeypatch.setenv(var, "both")
    with pytest.raises(ValueError, match=var):
        _run(x, n, "chunked", dtype=dtype, cu=cu)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_padded_query_block_gives_the_same_values(dtype, monkeypatch):
    """DELTAPROOF_CHUNKED_BQ=32 pads the query block of n_h 4 (16 tokens per chunk) with masked rows: outputs and
    all gradients bitwise those of the 16-row block, gated, with a partial last chunk; bad values are refused. On
    the GPU's configuration fp32 tf32x3 takes 32 rows (its 16-row dots crashed on the H200) and runs only at K tiles
    of 128."""
    from kernels import chunked
    from kernels._validate import Dims

    var = "DELTAPROOF_CHUNKED_BQ"
    x = make_inputs(1, 45, 2, 16, 16, 4, gated=True, h0=True, seed=45)
    got = {}
    for bq in ("16", "32"):
        monkeypatch.setenv(var, bq)
        got[bq] = _run(x, 4, "chunked", grads=True, dtype=dtype)
    for key, a in got["16"].items():
        if a is not None:
            assert not torch.isnan(a).any(), key
            assert torch.equal(a, got["32"][key]), key
    for bad in ("8", "48", "64"):
        monkeypatch.setenv(var, bad)
        with pytest.raises(ValueError, match=var):
            _run(x, 4, "chunked", dtype=dtype)
    monkeypatch.delenv(var)
    monkeypatch.setattr(chunked, "is_interpreting", lambda: False)

    def cfg(K, dt, precision):
        dims = Dims(B=1, T=8, H=1, K=K, V=K, n_h=4, N=1, offsets=(0, 8), scale=1.0)
        c = chunked._Config(dims, dt, torch.device("cpu"), precision)
        return c.bq, c.fp32_x3, c.inv_prec

    assert cfg(128, torch.float32, "tf32x3") == (32, True, "tf32x3")
    assert cfg(256, torch.float32, "tf32x3") == (16, False, "ieee")
    assert cfg(128, torch.float32, "ieee")[:2] == cfg(128, torch.bfloat16, "ieee")[:2] == (16, False)


@pytest.mark.parametrize(
    "dtype, n, gated, split",
    [
        (torch.float32, 3, True, "fused"),
        (torch.bfloat16, 2, True, "split"),
        (torch.float16, 4, False, "split"),
    ],
)
def test_stored_scores_give_the_scan_values(dtype, n, gated, split, monkeypatch):
    """DELTAPROOF_CHUNKED_SCORES=stored (the output scores formed once per chunk by the WY kernel's W/U step and
    loaded by the forward scan) does the same operations as the scan form: outputs, final states and every
    gradient bitwise equal, packed varlen included (an empty sequence, one token, chunk-straddling lengths), with
    and without a backward, the WY kernel fused and split; a bad value is refused."""
    var = "DELTAPROOF_CHUNKED_SCORES"
    x, cu = _packed_inputs(n, gated, seed=23, h0_seed=4)
    monkeypatch.setenv("DELTAPROOF_CHUNKED_WY_SPLIT", split)
    _assert_switch_values_equal(monkeypatch, var, ("scan", "stored"), x, n, dtype, cu, bad="cached")


def test_scores_and_gates_defaults_follow_the_tuned_table(monkeypatch):
    """DELTAPROOF_CHUNKED_SCORES and DELTAPROOF_CHUNKED_SCAN_GATES unset (``auto``): the output scores and the row
    gates are stored by the WY launches for a gated call at every n_h with 16-bit inputs and K tiles of 128 (where
    the H200 measured it faster, session 14; at n_h = 1 the gates only for the forward alone), and formed in the
    scan otherwise (ungated, fp32, other K tiles); an explicit value wins. At n_h = 1 (interpreted, bf16,
    K = V = 128) the defaults reach the launches (a spy on the WY and scan kernels), with and without a backward,
    and give bitwise the scan form's values."""
    from kernels import chunked
    from kernels._validate import Dims

    var = "DELTAPROOF_CHUNKED_SCORES"

    def form(K, n_h, dtype, gated):
        dims = Dims(B=1, T=8, H=1, K=K, V=K, n_h=n_h, N=1, offsets=(0, 8), scale=1.0)
        cfg = chunked._Config(dims, dtype, torch.device("cpu"), "ieee")
        return chunked._scores_form(cfg, gated), chunked._gates_form(cfg, gated, save)

    save = False  # the forward alone
    stored = [form(128, n, dt, True) for n in (1, 2, 3, 4, 6) for dt in (torch.bfloat16, torch.float16)]
    assert stored == [("stored", "stored")] * 10
    save = (
        True  # saving for a backward: at n_h = 1 the gates are summed in the scan (faster forward+backward)
    )
    assert form(128, 1, torch.bfloat16, True) == ("stored", "cumsum")
    assert form(128, 3, torch.bfloat16, True) == ("stored", "stored")
    others = [
        form(128, 1, torch.bfloat16, False),
        form(128, 3, torch.float16, False),
        form(128, 1, torch.float32, True),
        form(32, 1, torch.bfloat16, True),
        form(64, 3, torch.bfloat16, True),
    ]
    assert others == [("scan", "cumsum")] * 5
    dims = Dims(B=1, T=8, H=1, K=128, V=128, n_h=1, N=1, offsets=(0, 8), scale=1.0)
    assert chunked._gates_form(
        chunked._Config(dims, torch.bfloat16, torch.device("cpu"), "ieee"), False, False
    ) == ("cumsum")
    monkeypatch.setenv(var, "scan")
    save = False
    assert form(128, 1, torch.bfloat16, True) == ("scan", "stored")
    monkeypatch.setenv(var, "stored")
    assert form(128, 2, torch.bfloat16, False) == ("stored", "cumsum")  # ungated: no gates to store
    monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_GATES", "cumsum")
    assert form(128, 3, torch.bfloat16, True) == ("stored", "cumsum")
    monkeypatch.delenv("DELTAPROOF_CHUNKED_SCAN_GATES")

    x = make_inputs(1, 70, 1, 128, 128, 1, gated=True, h0=True, seed=11)
    got = _run(x, 1, "chunked", grads=True, dtype=torch.bfloat16)
    monkeypatch.delenv(var)
    seen = []
    _spy_launches(
        monkeypatch,
        lambda name, kw: seen.append(
            (name, kw.get("STORE_P"), kw.get("P_STORED"), kw.get("STORE_G"), kw.get("G_STORED"))
        ),
    )
    auto = _run(x, 1, "chunked", grads=True, dtype=torch.bfloat16)
    # saving for the backward at n_h = 1: scores stored, gates summed in the scan
    assert ("_wy_fwd_kernel", True, None, False, None) in seen
    assert ("_fwd_scan_kernel", None, True, None, False) in seen
    seen.clear()
    auto_nograd = _run(x, 1, "chunked", dtype=torch.bfloat16)
    assert ("_wy_fwd_kernel", True, None, True, None) in seen
    assert ("_fwd_scan_kernel", None, True, None, True) in seen
    for key in ("o", "S"):
        assert torch.equal(auto_nograd[key], auto[key]), key
    x3 = make_inputs(1, 30, 1, 128, 128, 3, gated=True, h0=False, seed=12)
    caps = []
    _spy_launches(
        monkeypatch, lambda name, kw: caps.append(kw.get("maxnreg")) if name == "_fwd_scan_kernel" else 0
    )
    tuned3 = _run(x3, 3, "chunked", dtype=torch.bfloat16)
    _run(x3, 3, "chunked", grads=True, dtype=torch.bfloat16)
    assert caps == [None, None]  # uncapped with and without a backward (session 16's table; 240 before it)
    monkeypatch.setenv(var, "scan")
    monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_GATES", "cumsum")
    plain3 = _run(x3, 3, "chunked", dtype=torch.bfloat16)
    for key in ("o", "S"):  # scores and gates stored by the WY launches: the scan form's values, bitwise
        assert not torch.isnan(tuned3[key]).any() and torch.equal(tuned3[key], plain3[key]), key
    monkeypatch.delenv(var)
    monkeypatch.delenv("DELTAPROOF_CHUNKED_SCAN_GATES")
    monkeypatch.setenv(var, "scan")
    monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_GATES", "cumsum")
    scan = _run(x, 1, "chunked", grads=True, dtype=torch.bfloat16)
    for key, a in auto.items():
        if a is not None:
            assert not torch.isnan(a).any(), key
            assert torch.equal(a, scan[key]), key
            assert torch.equal(a, got[key]), key


def test_out_kernel_launch_overrides_reach_it(monkeypatch):
    """``out_warps``/``out_stages`` of DELTAPROOF_CHUNKED_LAUNCH reach ``_fwd_outblk_kernel`` (the output kernel of
    DELTAPROOF_CHUNKED_OUT=parallel) and no other launch, the defaults are the session-6 geometry (the backend's
    warps and stages), and the values stay those of the default launch (fp32, gated, varlen)."""
    var = "DELTAPROOF_CHUNKED_LAUNCH"
    monkeypatch.setenv("DELTAPROOF_CHUNKED_OUT", "parallel")
    x, cu = _packed_inputs(3, True, seed=31, h0_seed=2)
    base = _run(x, 3, "chunked", dtype=torch.float32, cu=cu)
    seen = []
    _spy_launches(
        monkeypatch, lambda name, kw: seen.append((name, kw.get("num_warps"), kw.get("num_stages")))
    )
    monkeypatch.setenv(var, "out_warps=2,out_stages=3")
    got = _run(x, 3, "chunked", dtype=torch.float32, cu=cu)
    assert [(w, st) for name, w, st in seen if name == "_fwd_outblk_kernel"] == [(2, 3)]
    assert all((w, st) != (2, 3) for name, w, st in seen if name != "_fwd_outblk_kernel")
    for key in ("o", "S"):
        assert not torch.isnan(got[key]).any(), key
        torch.testing.assert_close(got[key], base[key], rtol=0, atol=1e-6)
    from kernels import chunked
    from kernels._validate import Dims

    monkeypatch.delenv(var)
    dims = Dims(B=1, T=8, H=1, K=128, V=128, n_h=2, N=1, offsets=(0, 8), scale=1.0)
    cfg = chunked._Config(dims, torch.bfloat16, torch.device("cpu"), "ieee")
    assert (cfg.launch["out_warps"], cfg.launch["out_stages"]) == (cfg.warps, cfg.stages)


@pytest.mark.parametrize(
    "n, gated, dtype, rel",
    [
        (1, True, torch.float32, 2e-5),
        (2, False, torch.float32, 2e-5),
        (3, True, torch.float32, 2e-5),
        (4, True, torch.bfloat16, 4e-2),
        (3, False, torch.float16, 1e-2),
    ],
)
def test_block_output_form_matches_float64_and_the_scan_form(n, gated, dtype, rel, monkeypatch):
    """DELTAPROOF_CHUNKED_OUT=blocks (fla's output layout: one saved state per block of 64 // (64 // n_h) chunks,
    at most 64 tokens, and the block's own rows through scores with the gates summed from the block's start):
    outputs and final states against float64 at the usual tolerance, packed varlen with an empty sequence, one
    token and lengths that end inside a block; in fp32 within rounding distance of the scan form (the same sums
    grouped differently, so not bitwise); everything but the output bitwise unchanged (the backward does not read
    it)."""
    x, cu = _packed_inputs(n, gated, seed=41 + n, h0_seed=5)
    ref = _run(x, n, "reference", grads=True, dtype=F64, cu=cu)
    got = {}
    for form in ("scan", "blocks"):
        monkeypatch.setenv("DELTAPROOF_CHUNKED_OUT", form)
        got[form] = _run(x, n, "chunked", grads=True, dtype=dtype, cu=cu)
        got[form, "no grad"] = _run(x, n, "chunked", dtype=dtype, cu=cu)
    _assert_close(got["blocks"], ref, rel, f"chunked {dtype} out=blocks")
    _assert_close(got["blocks", "no grad"], {key: ref[key] for key in ("o", "S")}, rel, "out=blocks, no grad")
    for key, a in got["scan"].items():
        if a is not None and key != "o":  # everything but the output comes from the same kernels
            assert torch.equal(a, got["blocks"][key]), key
    if (
        dtype == torch.float32
    ):  # gated exponents are differences of gates summed over the block, not the chunk
        _assert_close(got["blocks"], got["scan"], 5e-6, "out=blocks against the scan form")


@pytest.mark.parametrize("out_form", ["scan", "blocks"])
@pytest.mark.parametrize("dtype, n", [(torch.float32, 3), (torch.bfloat16, 2), (torch.float32, 1)])
def test_stored_scan_gates_give_the_cumsum_values(out_form, dtype, n, monkeypatch):
    """DELTAPROOF_CHUNKED_SCAN_GATES=stored (the WY inverse launch stores the chunk's summed row gates and the forward
    scan loads G, the chunk's last G and each query's G instead of summing them itself): in the interpreter, whose
    prefix sums run in order, bitwise the values of the cumsum form, outputs, final states and every gradient, with
    the output in the scan and outside it (OUT=blocks), packed varlen with an empty sequence and one token; the switch
    reaches the WY and scan launches for gated calls only; a bad value is refused."""
    var = "DELTAPROOF_CHUNKED_SCAN_GATES"
    monkeypatch.setenv("DELTAPROOF_CHUNKED_OUT", out_form)
    x, cu = _packed_inputs(n, True, seed=51, h0_seed=6)
    _assert_switch_values_equal(monkeypatch, var, ("cumsum", "stored"), x, n, dtype, cu, bad="loaded")
    seen = []
    _spy_launches(monkeypatch, lambda name, kw: seen.append((name, kw.get("STORE_G"), kw.get("G_STORED"))))
    monkeypatch.setenv(var, "stored")
    _run(x, n, "chunked", dtype=dtype, cu=cu)
    assert ("_fwd_scan_kernel", None, True) in seen and ("_wy_fwd_kernel", True, None) in seen
    seen.clear()
    _run(dict(x, g=None), n, "chunked", dtype=dtype, cu=cu)  # ungated: nothing to store
    assert all(not a and not b for _, a, b in seen)


@pytest.mark.parametrize("dtype, n", [(torch.float32, 3), (torch.bfloat16, 1), (torch.float32, 2)])
def test_stored_backward_scan_gates_give_the_cumsum_values(dtype, n, monkeypatch):
    """DELTAPROOF_CHUNKED_BSCAN_GATES=stored (the backward scan loads the chunk's summed row gates the forward's WY
    inverse launch stored, instead of summing them itself): in the interpreter, whose prefix sums run in order,
    bitwise the values of the cumsum form, outputs, final states and every gradient, packed varlen with an empty
    sequence and one token, with the forward scan's own gates summed or stored; the WY launch stores them only when
    the forward saves for a backward, the backward scan loads them only for gated calls; a bad value is refused."""
    var = "DELTAPROOF_CHUNKED_BSCAN_GATES"
    x, cu = _packed_inputs(n, True, seed=61, h0_seed=7)
    for fwd_gates in ("cumsum", "stored"):
        monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_GATES", fwd_gates)
        _assert_switch_values_equal(monkeypatch, var, ("cumsum", "stored"), x, n, dtype, cu, bad="loaded")
    monkeypatch.setenv("DELTAPROOF_CHUNKED_SCAN_GATES", "cumsum")
    seen = []
    _spy_launches(monkeypatch, lambda name, kw: seen.append((name, kw.get("STORE_G"), kw.get("G_STORED"))))
    monkeypatch.setenv(var, "stored")
    _run(x, n, "chunked", grads=True, dtype=dtype, cu=cu)
    assert ("_wy_fwd_kernel", True, None) in seen and ("_bwd_scan_kernel", None, True) in seen
    assert ("_fwd_scan_kernel", None, False) in seen  # the forward scan keeps its own form
    seen.clear()
    _run(x, n, "chunked", dtype=dtype, cu=cu)  # no backward: nothing to store for it
    assert all(not a for name, a, _ in seen if name == "_wy_fwd_kernel")
    seen.clear()
    _run(dict(x, g=None), n, "chunked", grads=True, dtype=dtype, cu=cu)  # ungated: nothing to store
    assert all(not a and not b for _, a, b in seen)


@settings(max_examples=6, deadline=None)
@given(
    T=st.integers(1, 200),
    n=st.integers(1, 6),
    K=st.integers(1, 40),
    V=st.integers(1, 40),
    gated=st.booleans(),
    h0=st.booleans(),
    seed=st.integers(0, 999),
)
def test_block_output_form_on_random_shapes(T, n, K, V, gated, h0, seed):
    """DELTAPROOF_CHUNKED_OUT=blocks on random shapes (n_h up to 6, so blocks of 1-5 chunks and chunks of 60-64
    rows; partial blocks and chunks; K and V not powers of two), without a backward (the scan then saves only the
    block-start states), against float64 at the fp32 tolerance (30 examples passed when it was written; the suite
    runs 6)."""
    x = make_inputs(1, T, 2, K, V, n, gated=gated, h0=h0, seed=seed)
    ref = _run(x, n, "reference", dtype=F64)
    with mock.patch.dict(os.environ, {"DELTAPROOF_CHUNKED_OUT": "blocks"}):  # hypothesis: no monkeypatch
        got = _run(x, n, "chunked", dtype=torch.float32)
    _assert_close(got, {key: ref[key] for key in ("o", "S")}, 2e-5, "out=blocks random shape")
