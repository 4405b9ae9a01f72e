"""Independent checker for DFA certificates (``proved-dfa`` and ``refuted-dfa``), from their JSON alone.

Shares nothing with the producer (theory.multilayer, theory.dfa_construction) except exact arithmetic
(:class:`theory.exact.ExactField`): it parses the DFA and the construction itself, applies the recurrence with its
own code, decodes with its own argmax and redoes the breadth-first search.

A ``proved-dfa`` certificate is valid when:

* the DFA parses (DESIGN.md schema, complete transition function) and the construction's alphabet is the DFA's;
* every layer has exactly ``n_h`` steps per table entry (the certificate's n_h), beta in [0, 2], padding steps
  (beta = 0) are the canonical ``u = e_1, v = 0`` placed after the real steps, real steps have canonical ``u``;
* the search from (initial states, start) never misses a table entry or readout entry, never ties in a decoder,
  and the output equals the DFA's next state for every reached tuple and letter (by induction: every word);
* every table entry and readout entry is used, every real step changes the state at some visit, each layer's
  decoder vectors are exactly its reachable states, and the listed reachable tuples are exactly those reached.
  These rules make every number in the certificate matter (a changed number fails).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from theory.check_common import apply_step, argmax, equal_norm_lookup, is_canonical
from theory.errors import InvalidInput
from theory.exact import ExactField

__all__ = ["check_dfa_certificate", "DFACheckReport"]


class DFACheckReport(dict):
    """A dict ``{valid, verdict, message, counterexample, ...}`` with attribute access for the main fields."""

    @property
    def valid(self) -> bool:
        return self["valid"]

    @property
    def verdict(self) -> str:
        return self["verdict"]

    @property
    def message(self) -> str:
        return self["message"]


class _Bad(Exception):
    pass


def _need(cond, msg):
    if not cond:
        raise _Bad(msg)


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _parse_dfa(d: Any):
    _need(isinstance(d, dict), "dfa: expected an object")
    alpha, states, start, acc, delta = (d.get(k) for k in ("alphabet", "states", "start", "accept", "delta"))
    _need(isinstance(alpha, list) and alpha and all(isinstance(a, str) for a in alpha) and len(set(alpha)) == len(alpha),
          "dfa.alphabet: expected distinct letter names")
    _need(isinstance(states, list) and states and all(isinstance(s, str) for s in states)
          and len(set(states)) == len(states), "dfa.states: expected distinct state names")
    idx = {s: i for i, s in enumerate(states)}
    _need(start in idx, "dfa.start: not a state")
    _need(isinstance(acc, list) and all(a in idx for a in acc) and len(set(acc)) == len(acc), "dfa.accept: bad list")
    _need(isinstance(delta, dict) and set(delta) == set(states), "dfa.delta: expected one row per state")
    table = []
    for s in states:
        row = delta[s]
        _need(isinstance(row, dict) and set(row) == set(alpha), f"dfa.delta[{s!r}]: expected one entry per letter")
        _need(all(row[a] in idx for a in alpha), f"dfa.delta[{s!r}]: targets must be states")
        table.append([idx[row[a]] for a in alpha])
    return alpha, states, idx[start], table


def _mat(F, M, K, V, name):
    _need(isinstance(M, list) and len(M) == K and all(isinstance(r, list) and len(r) == V for r in M),
          f"{name}: expected a [{K}, {V}] matrix")
    return tuple(tuple(F.parse(x) for x in r) for r in M)


def _parse_layers(F, c, n_alpha, n_h):
    layers = c.get("layers")
    _need(isinstance(layers, list) and layers, "construction.layers: expected a non-empty list")
    two = F.one + F.one
    out = []
    for li, L in enumerate(layers):
        w = f"layers[{li}]"
        _need(isinstance(L, dict), f"{w}: expected an object")
        K, V = L.get("key_dim"), L.get("value_dim")
        _need(_is_int(K) and K >= 1 and _is_int(V) and V >= 1, f"{w}: key_dim/value_dim must be positive integers")
        _need(L.get("n_h") == n_h, f"{w}.n_h: must equal the certificate's n_h = {n_h}")
        reads = L.get("reads")
        _need(isinstance(reads, list) and all(_is_int(r) and 0 <= r < li for r in reads)
              and reads == sorted(set(reads)), f"{w}.reads: expected increasing earlier layer indices")
        S0 = _mat(F, L.get("initial_state"), K, V, f"{w}.initial_state")
        dec = L.get("decoder")
        _need(isinstance(dec, dict) and dec.get("kind") == "argmax" and isinstance(dec.get("vectors"), list)
              and dec["vectors"], f"{w}.decoder: expected {{'kind': 'argmax', 'vectors': [...]}}")
        vecs = [_mat(F, v, K, V, f"{w}.decoder.vectors[{i}]") for i, v in enumerate(dec["vectors"])]
        tab = L.get("table")
        _need(isinstance(tab, list) and tab, f"{w}.table: expected a non-empty list")
        table = {}
        for ei, e in enumerate(tab):
            we = f"{w}.table[{ei}]"
            _need(isinstance(e, dict) and _is_int(e.get("letter")) and 0 <= e["letter"] < n_alpha, f"{we}.letter: bad")
            ctx = e.get("context")
            _need(isinstance(ctx, list) and len(ctx) == len(reads) and all(_is_int(x) for x in ctx),
                  f"{we}.context: expected one label per read layer")
            steps = e.get("steps")
            _need(isinstance(steps, list) and len(steps) == n_h, f"{we}: expected exactly n_h = {n_h} steps")
            parsed, padding = [], False
            for j, st in enumerate(steps):
                _need(isinstance(st, dict) and isinstance(st.get("u"), list) and isinstance(st.get("v"), list)
                      and len(st["u"]) == K and len(st["v"]) == V, f"{we}.steps[{j}]: malformed")
                u = tuple(F.parse(x) for x in st["u"])
                v = tuple(F.parse(x) for x in st["v"])
                beta = F.parse(st.get("beta"))
                _need(F.sign(beta) >= 0 and F.sign(two - beta) >= 0, f"{we}.steps[{j}].beta outside [0, 2]")
                if beta == F.zero:
                    _need(u == tuple([F.one] + [F.zero] * (K - 1)) and all(x == F.zero for x in v),
                          f"{we}.steps[{j}]: padding must be u = e_1, beta = 0, v = 0")
                    padding = True
                    continue
                _need(not padding, f"{we}.steps[{j}]: padding steps must come last")
                _need(any(x != F.zero for x in u), f"{we}.steps[{j}]: u = 0")
                _need(is_canonical(F, u), f"{we}.steps[{j}].u: not in canonical form")
                parsed.append((u, beta, v))
            key = (e["letter"], tuple(ctx))
            _need(key not in table, f"{we}: duplicate key")
            table[key] = parsed
        lookup = equal_norm_lookup(F, vecs)
        out.append({"K": K, "V": V, "reads": tuple(reads), "S0": S0, "vecs": vecs, "table": table, "lookup": lookup})
    return out


def _check_proved(cert):
    alpha, states, start, delta = _parse_dfa(cert.get("dfa"))
    _need(cert.get("output") == "state", "output: only 'state' certificates are defined")
    n_h = cert.get("n_h")
    _need(_is_int(n_h) and n_h >= 1, "n_h: expected an integer >= 1")
    c = cert.get("construction")
    _need(isinstance(c, dict) and c.get("kind") == "deltaproof.multilayer" and c.get("version") == 1,
          "construction: expected kind 'deltaproof.multilayer', version 1")
    _need(c.get("alphabet") == alpha, "construction.alphabet: must be the DFA's alphabet")
    gens = c.get("field", [])
    _need(isinstance(gens, list) and all(isinstance(g, str) for g in gens), "construction.field: bad")
    F = ExactField(gens)
    layers = _parse_layers(F, c, len(alpha), n_h)
    _need(cert.get("layers") == len(layers), "layers: must equal the number of layers")
    ro = c.get("readout")
    _need(isinstance(ro, dict) and isinstance(ro.get("reads"), list) and isinstance(ro.get("table"), list),
          "readout: expected {'reads', 'table'}")
    rreads = ro["reads"]
    _need(all(_is_int(r) and 0 <= r < len(layers) for r in rreads), "readout.reads: bad layer index")
    readout = {}
    for i, e in enumerate(ro["table"]):
        _need(isinstance(e, dict) and isinstance(e.get("context"), list) and len(e["context"]) == len(rreads)
              and all(_is_int(x) for x in e["context"]) and e.get("state") in states, f"readout.table[{i}]: bad")
        k = tuple(e["context"])
        _need(k not in readout, f"readout.table[{i}]: duplicate context")
        readout[k] = states.index(e["state"])

    listed = cert.get("reachable")
    _need(isinstance(listed, list), "reachable: expected a list")
    limit = len(listed)
    vecsets = [set(L["vecs"]) for L in layers]
    for li, L in enumerate(layers):
        _need(L["S0"] in vecsets[li], f"layers[{li}].initial_state: must be one of the decoder vectors")
    start_node = (tuple(L["S0"] for L in layers), start)
    parent = {start_node: None}
    order = [start_node]
    used, used_ro, effective = set(), set(), set()
    reach = [{L["S0"]: None} for L in layers]
    q = deque([start_node])

    def word(node):
        out = []
        while parent[node] is not None:
            node, a = parent[node]
            out.append(a)
        return out[::-1]

    while q:
        node = q.popleft()
        Ss, dq = node
        for a in range(len(alpha)):
            labels, new = [], []
            for li, L in enumerate(layers):
                key = (a, tuple(labels[r] for r in L["reads"]))
                steps = L["table"].get(key)
                if steps is None:
                    return _report(False, "counterexample", f"layer {li}: no table entry for {key}", word(node) + [a])
                used.add((li, key))
                S = Ss[li]
                for j, (u, beta, v) in enumerate(steps):
                    S, ch = apply_step(F, S, u, beta, v)
                    if ch:
                        effective.add((li, key, j))
                lab = argmax(F, L["vecs"], S, L["lookup"])
                if lab is None:
                    return _report(False, "counterexample", f"layer {li}: decoder tie", word(node) + [a])
                labels.append(lab)
                new.append(S)
                _need(S in vecsets[li], f"layers[{li}]: a reachable state is not among the decoder vectors "
                      "(they must be exactly the reachable states)")
                reach[li].setdefault(S, None)
            rk = tuple(labels[r] for r in rreads)
            if rk not in readout:
                return _report(False, "counterexample", f"readout: no entry for {rk}", word(node) + [a])
            used_ro.add(rk)
            t = delta[dq][a]
            if readout[rk] != t:
                return _report(False, "counterexample",
                               f"output {states[readout[rk]]!r}, DFA state {states[t]!r}", word(node) + [a])
            nxt = (tuple(new), t)
            if nxt not in parent:
                parent[nxt] = (node, a)
                order.append(nxt)
                q.append(nxt)
                _need(len(order) <= limit, f"reachable: the search reaches more than the {limit} listed tuples")
    for li, L in enumerate(layers):
        for key, steps in L["table"].items():
            _need((li, key) in used, f"layers[{li}].table: entry {key} is never used")
            for j in range(len(steps)):
                _need((li, key, j) in effective, f"layers[{li}].table[{key}] step {j + 1} never changes the state")
        _need(len(set(L["vecs"])) == len(L["vecs"]) and set(L["vecs"]) == set(reach[li]),
              f"layers[{li}].decoder: the vectors must be exactly the layer's reachable states")
    _need(set(readout) == used_ro, "readout.table: an entry is never used")
    got = set()
    for i, item in enumerate(listed):
        _need(isinstance(item, dict) and isinstance(item.get("layers"), list) and len(item["layers"]) == len(layers)
              and item.get("state") in states, f"reachable[{i}]: malformed")
        Ss = tuple(_mat(F, M, L["K"], L["V"], f"reachable[{i}]") for M, L in zip(item["layers"], layers))
        got.add((Ss, states.index(item["state"])))
    _need(len(got) == len(listed), "reachable: duplicate entries")
    _need(got == set(order), f"reachable: the listed {len(listed)} tuples differ from the {len(order)} reached")
    return _report(True, "proved", f"proved: {len(order)} reachable tuples, every word of every length tracked",
                   None, tuples=len(order), layers=len(layers), n_h=n_h)


def _check_refuted(cert):
    alpha, states, start, delta = _parse_dfa(cert.get("dfa"))
    from fractions import Fraction

    try:
        bm = Fraction(str(cert.get("beta_max")))
    except (ValueError, ZeroDivisionError):
        raise _Bad("beta_max: expected an exact number") from None
    _need(0 < bm <= 2, "beta_max: expected a value in (0, 2]")
    n_h, layers = cert.get("n_h"), cert.get("layers")
    _need(_is_int(n_h) and n_h >= 1, "n_h: expected an integer >= 1")
    _need(layers is None or (_is_int(layers) and layers >= 1), "layers: expected null or an integer >= 1")
    w = cert.get("witness")
    _need(isinstance(w, dict) and isinstance(w.get("prefix"), list) and _is_int(w.get("letter"))
          and 0 <= w["letter"] < len(alpha) and isinstance(w.get("cycle"), list) and w["cycle"], "witness: malformed")
    x = start
    for b in w["prefix"]:
        _need(_is_int(b) and 0 <= b < len(alpha), "witness.prefix: bad letter")
        x = delta[x][b]
    cyc = [x]
    y = delta[x][w["letter"]]
    while y != x and len(cyc) <= len(states):
        cyc.append(y)
        y = delta[y][w["letter"]]
    _need(y == x, "witness: the letter does not cycle through the prefix's state")
    _need([states[z] for z in cyc] == w["cycle"], "witness.cycle: does not match the DFA")
    ell = len(cyc)
    thm = cert.get("theorem", "")
    hyp = cert.get("hypotheses", [])
    if "Prop. 1.3" in thm:
        _need(bm < 2 and ell >= 2, "Prop. 1.3 refutation needs beta_max < 2 and a cycle of length >= 2")
        _need(any(f"[0, {bm}]" in h for h in hyp), "hypotheses: must state the beta range")
    elif "Thm 2" in thm:
        _need(n_h == 1 and layers == 1 and ell > 2, "Thm 2 refutation needs n_h = 1, one layer, a cycle > 2")
    else:
        raise _Bad(f"theorem: unknown theorem {thm!r}")
    return _report(True, "refuted", f"refuted by {thm}: a letter cycles through {ell} states", None)


def _report(valid, verdict, message, counterexample, **details):
    return DFACheckReport(valid=valid, verdict=verdict, message=message, counterexample=counterexample, **details)


def check_dfa_certificate(cert: dict) -> DFACheckReport:
    """Re-verify a ``proved-dfa`` or ``refuted-dfa`` certificate; never raises on malformed input.

    Examples
    --------
    >>> from automata.tasks import task
    >>> from theory.multilayer import prove_dfa
    >>> check_dfa_certificate(prove_dfa(task("parity").dfa, n_h=1).certificate).valid
    True
    """
    try:
        _need(isinstance(cert, dict), "expected a JSON object")
        _need(cert.get("kind") == "deltaproof.certificate" and cert.get("version") == 1,
              "kind: expected 'deltaproof.certificate' (version 1)")
        claim, method = cert.get("claim"), cert.get("method")
        if claim == "proved-dfa" and method == "exhaustive-exact-simulation":
            return _check_proved(cert)
        if claim == "refuted-dfa" and method == "eigenvalue-theorem":
            return _check_refuted(cert)
        raise _Bad(f"claim/method: cannot check {claim!r} with {method!r}")
    except _Bad as exc:
        return _report(False, "invalid", str(exc), None)
    except (InvalidInput, TypeError, KeyError, ValueError, ZeroDivisionError, AttributeError, StopIteration) as exc:
        return _report(False, "invalid", f"{type(exc).__name__}: {exc}", None)
