"""Independent certificate checker: re-verifies a certificate or a hand-written construction from JSON alone.

Nothing here calls the prover, the representations or the group code: the checker parses the JSON, rebuilds the
group from the listed generators by its own closure (permutations as tuples, "a then b" composition), applies the
recurrence with its own code, and redoes the breadth-first search. The only shared layer is exact arithmetic
(:class:`theory.exact.ExactField`: parsing and field operations). The character-theory refutations are checked
by :func:`theory.minimal.check_min_nh_certificate`, which is likewise written independently of the producer.

What a ``proved`` certificate must satisfy (anything else is reported as invalid):

* the group: closing the generators gives ``order`` elements of ``degree`` points; element ids are positions
  in lexicographic order of image tuples; for ``S<n>`` / ``A<n>`` specs the order is ``n!`` / ``n!/2`` on n
  points (a subgroup of Sym(n) of that order is Sym(n), resp. the unique index-2 subgroup A_n);
* the construction: every step has ``beta`` in [0, 2]; exactly ``n_h`` steps per letter; padding steps
  (``beta = 0``) use ``u = e_1`` and ``v = 0`` so no number is without effect; letter names are element ids;
  for ``letters = all`` the letters are all elements, for ``generators`` the listed generators;
* the decoder's classes are the elements in id order and their vectors are the reachable states of those
  elements;
* the breadth-first search from ``(h_0, identity)`` reaches exactly the listed (state, element) pairs, and the
  decoder maps every reached state to its element. By induction on word length, every word is then tracked.
"""

from __future__ import annotations

import json
import math
import os
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from theory.errors import InvalidInput
from theory.check_common import apply_step, argmax, equal_norm_lookup, is_canonical
from theory.exact import ExactField

__all__ = ["CheckReport", "check", "check_file"]


@dataclass
class CheckReport:
    """Result of :func:`check`.

    ``valid`` is True when the certificate (or construction) proves what it claims. ``verdict`` repeats the
    claim that was verified (``proved``/``refuted``) or ``counterexample``/``invalid``.
    """

    valid: bool
    verdict: str
    message: str
    counterexample: list | None = None
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"valid": self.valid, "verdict": self.verdict, "message": self.message,
                "counterexample": self.counterexample, **self.details}


class _Invalid(Exception):
    pass


def _need(cond: bool, msg: str) -> None:
    if not cond:
        raise _Invalid(msg)


# -- permutations, written here on purpose (independent of automata.groups) -------------------------------
def _then(a: tuple, b: tuple) -> tuple:
    return tuple(b[x] for x in a)


def _is_perm(p, n) -> bool:
    return isinstance(p, list) and len(p) == n and all(isinstance(x, int) and not isinstance(x, bool) for x in p) \
        and sorted(p) == list(range(n))


def _closure(gens: list[tuple], n: int, limit: int = 50_000) -> list[tuple]:
    ident = tuple(range(n))
    seen, q = {ident}, deque([ident])
    while q:
        a = q.popleft()
        for s in gens:
            b = _then(a, s)
            if b not in seen:
                seen.add(b)
                q.append(b)
                _need(len(seen) <= limit, f"group: closure exceeds {limit} elements")
    return sorted(seen)


def _perm_order(p: tuple) -> int:
    n, seen, out = len(p), set(), 1
    for i in range(n):
        k, j = 0, i
        while j not in seen:
            seen.add(j)
            j = p[j]
            k += 1
        if k:
            out = out * k // math.gcd(out, k)
    return out


def _check_group(g: Any) -> tuple[list[tuple], dict]:
    _need(isinstance(g, dict), "group: expected an object")
    n, order, gens = g.get("degree"), g.get("order"), g.get("generators")
    _need(isinstance(n, int) and n >= 1, "group.degree: expected a positive integer")
    _need(isinstance(gens, list) and gens, "group.generators: expected a non-empty list")
    for i, p in enumerate(gens):
        _need(_is_perm(p, n), f"group.generators[{i}]: not a permutation of 0..{n - 1}")
    els = _closure([tuple(p) for p in gens], n)
    _need(order == len(els), f"group.order: certificate says {order}, the generators give {len(els)}")
    spec = g.get("spec", "")
    if isinstance(spec, str) and spec[:1] in "SA" and spec[1:].isdigit():
        m = int(spec[1:])
        want = math.factorial(m) // (2 if spec[0] == "A" and m > 1 else 1)
        _need(n == m and order == want, f"group: {spec} needs order {want} on {m} points")
    return els, {e: i for i, e in enumerate(els)}


# -- the recurrence, written here on purpose ----------------------------------------------------------------
def _parse_construction(c: Any, F_gens: list, canonical: bool = False) -> dict:
    _need(isinstance(c, dict), "construction: expected an object")
    F = ExactField(F_gens)
    K, V, n_h = c.get("key_dim"), c.get("value_dim"), c.get("n_h")
    _need(isinstance(n_h, int) and n_h >= 1, "construction.n_h: expected an integer >= 1")
    S0 = c.get("initial_state")
    _need(isinstance(S0, list) and S0 and all(isinstance(r, list) for r in S0), "construction.initial_state: expected [K, V]")
    S0 = tuple(tuple(F.parse(x) for x in r) for r in S0)
    K = K if K is not None else len(S0)
    V = V if V is not None else len(S0[0])
    _need(len(S0) == K and all(len(r) == V for r in S0), f"construction.initial_state: expected shape [{K}, {V}]")
    two = F.one + F.one
    letters = []
    _need(isinstance(c.get("letters"), list) and c["letters"], "construction.letters: expected a non-empty list")
    for li, L in enumerate(c["letters"]):
        _need(isinstance(L, dict) and isinstance(L.get("steps"), list), f"letters[{li}]: expected steps")
        steps = []
        for j, st in enumerate(L["steps"]):
            _need(isinstance(st, dict) and isinstance(st.get("u"), list), f"letters[{li}].steps[{j}]: malformed")
            u = tuple(F.parse(x) for x in st["u"])
            beta = F.parse(st.get("beta"))
            v = tuple(F.parse(x) for x in st.get("v", ["0"] * V))
            _need(len(u) == K and len(v) == V, f"letters[{li}].steps[{j}]: u must have length {K} and v length {V}")
            _need(F.sign(beta) >= 0 and F.sign(two - beta) >= 0, f"letters[{li}].steps[{j}].beta outside [0, 2]")
            if beta == F.zero:
                pad = tuple([F.one] + [F.zero] * (K - 1))
                _need(u == pad and all(x == F.zero for x in v),
                      f"letters[{li}].steps[{j}]: a beta = 0 step must be the canonical padding u = e_1, v = 0")
            else:
                _need(any(x != F.zero for x in u), f"letters[{li}].steps[{j}]: u = 0 with beta != 0")
                if canonical:
                    _need(is_canonical(F, u), f"letters[{li}].steps[{j}].u: not in canonical form (coprime "
                          "integers with first nonzero entry positive, or first nonzero entry 1 if irrational)")
            steps.append((u, beta, v))
        letters.append({"name": L.get("name"), "element": L.get("element"), "steps": steps})
    dec = c.get("decoder")
    _need(isinstance(dec, dict) and dec.get("kind") == "argmax" and isinstance(dec.get("classes"), list)
          and dec["classes"], "construction.decoder: expected {'kind': 'argmax', 'classes': [...]}")
    classes = []
    for ci, cl in enumerate(dec["classes"]):
        _need(isinstance(cl, dict) and isinstance(cl.get("vector"), list), f"decoder.classes[{ci}]: malformed")
        D = tuple(tuple(F.parse(x) for x in r) for r in cl["vector"])
        _need(len(D) == K and all(len(r) == V for r in D), f"decoder.classes[{ci}].vector: expected [{K}, {V}]")
        classes.append({"label": cl.get("label"), "element": cl.get("element"), "vector": D})
    return {"F": F, "K": K, "V": V, "n_h": n_h, "S0": S0, "letters": letters, "classes": classes}


def _read(F, S, L):
    for u, beta, v in L["steps"]:
        S = apply_step(F, S, u, beta, v)[0]
    return S


def _decoder(P: dict):
    """Exact argmax decoder over the class vectors (Cauchy-Schwarz shortcut when they share one norm)."""
    F = P["F"]
    vecs = [cl["vector"] for cl in P["classes"]]
    lookup = equal_norm_lookup(F, vecs)
    return lambda S: argmax(F, vecs, S, lookup)


def _explore(P: dict, letter_elems: list[tuple], class_elems: list[tuple], ident: tuple, limit: int):
    """BFS over (state, element); returns (pairs in BFS order, None) or (pairs, (word, reason))."""
    F = P["F"]
    decode = _decoder(P)
    start = (P["S0"], ident)
    parent = {start: None}
    order = [start]

    def word(node):
        out = []
        while parent[node] is not None:
            node, k = parent[node]
            out.append(k)
        return out[::-1]

    d0 = decode(P["S0"])
    if d0 is None or class_elems[d0] != ident:
        return order, ([], "the initial state does not decode to the identity")
    q = deque([start])
    while q:
        node = q.popleft()
        S, g = node
        for k, L in enumerate(P["letters"]):
            nxt = (_read(F, S, L), _then(g, letter_elems[k]))
            if nxt in parent:
                continue
            parent[nxt] = (node, k)
            d = decode(nxt[0])
            if d is None or class_elems[d] != nxt[1]:
                return order, (word(nxt), "decoded element differs from the product of the word")
            order.append(nxt)
            q.append(nxt)
            if len(order) > limit:
                return order, (None, f"more than {limit} reachable (state, element) pairs; giving up")
    return order, None


def _homomorphism_pairs(P: dict, els: list, idx: dict, gens: list):
    """All letters, no writes: if A(g*s) = A(s) A(g) for every g and generator s, the reachable pairs are exactly
    (A(g) h_0, g) (induction over words, every element being a product of generators) and each must decode to g.
    Returns those pairs, or None to fall back to the search (which then finds the failure)."""
    F = P["F"]
    if any(x != F.zero for L in P["letters"] for (_, _, v) in L["steps"] for x in v):
        return None
    K = P["K"]
    mats = []
    for L in P["letters"]:
        cols = []
        for j in range(K):
            S = tuple((F.one if i == j else F.zero,) for i in range(K))
            cols.append(_read(F, S, L))
        mats.append(tuple(tuple(cols[j][i][0] for j in range(K)) for i in range(K)))

    def mm(X, Y):
        return tuple(tuple(sum((X[i][k] * Y[k][j] for k in range(K)), F.zero) for j in range(K)) for i in range(K))

    for a, ea in enumerate(els):
        for s in gens:
            if mats[idx[_then(ea, s)]] != mm(mats[idx[s]], mats[a]):
                return None
    decode = _decoder(P)
    pairs = []
    for a, ea in enumerate(els):
        S0 = P["S0"]
        S = tuple(tuple(sum((mats[a][i][k] * S0[k][j] for k in range(K)), F.zero) for j in range(len(S0[0])))
                  for i in range(K))
        d = decode(S)
        if d is None or els[d] != ea:
            return None
        pairs.append((S, ea))
    return pairs


def _check_proved(cert: dict) -> CheckReport:
    els, idx = _check_group(cert.get("group"))
    g = cert["group"]
    n = g["degree"]
    ident = tuple(range(n))
    c = cert.get("construction")
    _need(isinstance(c, dict) and c.get("kind") == "deltaproof.construction" and c.get("version") == 1,
          "construction: expected kind 'deltaproof.construction', version 1")
    P = _parse_construction(c, c.get("field", []), canonical=True)
    F = P["F"]
    _need(cert.get("n_h") == P["n_h"], "n_h: certificate and construction disagree")
    _need(cert.get("layers") == 1, "layers: only one-layer certificates are defined")
    for li, L in enumerate(P["letters"]):
        _need(len(L["steps"]) == P["n_h"], f"letters[{li}]: expected exactly n_h = {P['n_h']} steps (pad with beta = 0)")
        _need(_is_perm(L["element"], n) and tuple(L["element"]) in idx, f"letters[{li}].element: not a group element")
        _need(L["name"] == str(idx[tuple(L["element"])]), f"letters[{li}].name: must be the element id")
    letter_elems = [tuple(L["element"]) for L in P["letters"]]
    kind = cert.get("letters")
    if kind == "all":
        _need(sorted(letter_elems) == els, "letters: 'all' needs every element exactly once, in id order")
        _need(letter_elems == els, "letters: 'all' letters must be listed in id order")
    elif kind == "generators":
        _need(letter_elems == [tuple(p) for p in g["generators"]], "letters: 'generators' must match group.generators")
    else:
        raise _Invalid("letters: expected 'all' or 'generators'")
    classes = P["classes"]
    _need(len(classes) == len(els), f"decoder: expected one class per element ({len(els)}), got {len(classes)}")
    for k, cl in enumerate(classes):
        _need(cl["label"] == k and cl["element"] == list(els[k]), f"decoder.classes[{k}]: label/element must be id {k}")
    meta = c.get("meta", {})
    if "dim" in meta:
        _need(meta["dim"] == P["K"], "construction.meta.dim: does not match key_dim")
    class_elems = [els[k] for k in range(len(els))]
    pairs = _homomorphism_pairs(P, els, idx, [tuple(p) for p in g["generators"]]) if kind == "all" else None
    if pairs is not None:
        fail = None
    else:
        pairs, fail = _explore(P, letter_elems, class_elems, ident, limit=10 * len(els))
    if fail is not None:
        return CheckReport(False, "counterexample", fail[1], fail[0])
    listed = cert.get("reachable")
    _need(isinstance(listed, list), "reachable: expected a list of {state, element}")
    got = set()
    for k, item in enumerate(listed):
        _need(isinstance(item, dict) and isinstance(item.get("state"), list), f"reachable[{k}]: malformed")
        _need(_is_perm(item.get("element"), n), f"reachable[{k}].element: not a permutation")
        S = tuple(tuple(F.parse(x) for x in r) for r in item["state"])
        got.add((S, tuple(item["element"])))
    _need(len(got) == len(listed), "reachable: duplicate entries")
    _need(got == set(pairs), f"reachable: the listed {len(listed)} pairs differ from the {len(pairs)} pairs the search reaches")
    by_elem = {e: S for S, e in pairs}
    for k, cl in enumerate(classes):
        if els[k] in by_elem:
            _need(cl["vector"] == by_elem[els[k]], f"decoder.classes[{k}].vector: must be the reachable state of element {k}")
    return CheckReport(True, "proved", f"proved: {len(pairs)} reachable states, every word of every length tracked",
                       details={"states": len(pairs), "group": g.get("spec"), "n_h": P["n_h"]})


def _check_eigen(cert: dict) -> CheckReport:
    _, idx = _check_group(cert.get("group"))
    w = cert.get("witness")
    _need(isinstance(w, dict), "witness: expected an object")
    n = cert["group"]["degree"]
    _need(_is_perm(w.get("element"), n) and tuple(w["element"]) in idx, "witness.element: not a group element")
    x = tuple(w["element"])
    _need(w.get("letter") == idx[x], "witness.letter: must be the id of witness.element")
    k = _perm_order(x)
    _need(w.get("order") == k, f"witness.order: the element has order {k}")
    from fractions import Fraction

    try:
        bm = Fraction(str(cert.get("beta_max")))
    except (ValueError, ZeroDivisionError):
        raise _Invalid("beta_max: expected an exact number") from None
    _need(0 < bm <= 2, "beta_max: expected a value in (0, 2]")
    n_h = cert.get("n_h")
    _need(isinstance(n_h, int) and n_h >= 1, "n_h: expected an integer >= 1")
    thm = cert.get("theorem", "")
    if "Prop. 1.3" in thm:
        _need(bm < 2 and k > 1, "Prop. 1.3 refutation needs beta_max < 2 and a non-identity witness")
        _need(any(f"[0, {bm}]" in h for h in cert.get("hypotheses", [])), "hypotheses: must state the beta range")
        if not (bm <= 1 and n_h <= 2):
            _need(any(h.startswith("genericity") for h in cert.get("hypotheses", [])),
                  "hypotheses: the genericity assumption is required for n_h >= 3 or beta_max > 1")
    elif "Thm 2" in thm:
        _need(n_h == 1 and k > 2, "Thm 2 refutation needs n_h = 1 and a witness of order > 2")
    else:
        raise _Invalid(f"theorem: unknown theorem {thm!r}")
    return CheckReport(True, "refuted", f"refuted by {thm}: witness of order {k}",
                       details={"group": cert["group"].get("spec"), "n_h": n_h})


def _check_construction_file(c: dict) -> CheckReport:
    """A hand-written construction: letters and decoder classes name group elements; explore and decide."""
    P = _parse_construction(c, c.get("field", []))
    letter_elems = []
    for li, L in enumerate(P["letters"]):
        el = L["element"]
        _need(isinstance(el, list), f"letters[{li}].element: a construction file must say which permutation each letter is")
        letter_elems.append(el)
    n = len(letter_elems[0])
    for li, el in enumerate(letter_elems):
        _need(_is_perm(el, n), f"letters[{li}].element: expected a permutation of 0..{n - 1}")
    class_elems = []
    for ci, cl in enumerate(P["classes"]):
        _need(_is_perm(cl["element"], n), f"decoder.classes[{ci}].element: expected a permutation of 0..{n - 1}")
        class_elems.append(tuple(cl["element"]))
    letter_elems = [tuple(e) for e in letter_elems]
    G = _closure(letter_elems, n)
    pairs, fail = _explore(P, letter_elems, class_elems, tuple(range(n)), limit=10 * len(G))
    if fail is not None:
        return CheckReport(False, "counterexample", fail[1], fail[0],
                           details={"letters": [L["name"] for L in P["letters"]]})
    return CheckReport(True, "proved", f"proved: {len(pairs)} reachable states; every word of every length is tracked",
                       details={"states": len(pairs), "order": len(G)})


def check(obj: dict) -> CheckReport:
    """Re-verify a certificate (or a construction file) given as parsed JSON.

    Returns a :class:`CheckReport`; malformed input is reported as ``valid=False, verdict='invalid'`` with the
    reason, so a tampered certificate never raises.

    Examples
    --------
    >>> from automata import group
    >>> from theory.prover import prove
    >>> cert = prove(group("S3"), n_h=2).certificate
    >>> check(cert).valid
    True
    >>> cert["construction"]["letters"][1]["steps"][0]["beta"] = "1"
    >>> check(cert).valid
    False
    """
    try:
        _need(isinstance(obj, dict), "expected a JSON object")
        kind = obj.get("kind")
        if kind == "deltaproof.construction":
            return _check_construction_file(obj)
        if obj.get("claim") in ("proved-dfa", "refuted-dfa"):
            from theory.dfa_checker import check_dfa_certificate

            r = check_dfa_certificate(obj)
            return CheckReport(bool(r.valid), r.verdict, r.message, getattr(r, "counterexample", None))
        _need(kind == "deltaproof.certificate" and obj.get("version") == 1,
              "kind: expected 'deltaproof.certificate' (version 1) or 'deltaproof.construction'")
        claim, method = obj.get("claim"), obj.get("method")
        if claim == "proved" and method == "exhaustive-exact-simulation":
            return _check_proved(obj)
        if claim == "refuted" and method == "eigenvalue-theorem":
            return _check_eigen(obj)
        if claim == "refuted" and method == "character-theory":
            return _check_character_refutation(obj)
        raise _Invalid(f"claim/method: cannot check claim {claim!r} with method {method!r}")
    except _Invalid as exc:
        return CheckReport(False, "invalid", str(exc))
    except (InvalidInput, TypeError, KeyError, ValueError, ZeroDivisionError, AttributeError) as exc:
        return CheckReport(False, "invalid", f"{type(exc).__name__}: {exc}")


def _check_character_refutation(obj: dict) -> CheckReport:
    from theory.minimal import CertificateError, check_min_nh_certificate

    ev = obj.get("evidence")
    _need(isinstance(ev, dict), "evidence: missing character-theory evidence")
    try:
        rep = check_min_nh_certificate(ev)
    except CertificateError as exc:
        raise _Invalid(f"evidence: {exc}") from None
    els, _ = _check_group(obj.get("group"))
    tab = ev["table"]
    _need(tab.get("degree") == obj["group"]["degree"]
          and _closure([tuple(p) for p in tab.get("generators", [])], tab["degree"]) == els,
          "evidence: the character table is for a different group")
    _need(obj.get("letters") == "all" and obj.get("layers") == 1, "letters/layers: the theorem is for one layer, all letters")
    min_nh = rep.min_n_h
    _need(isinstance(obj.get("n_h"), int) and 1 <= obj["n_h"] < min_nh,
          f"n_h: a refutation needs n_h < min_n_h = {min_nh}")
    _need(any(f"is {min_nh}" in h for h in obj.get("hypotheses", [])), "hypotheses: must state the minimum")
    return CheckReport(True, "refuted", f"refuted: min n_h over faithful orthogonal representations is {min_nh}",
                       details={"n_h": obj["n_h"], "min_n_h": min_nh})


def check_file(path: str | os.PathLike) -> CheckReport:
    """Load a JSON file and :func:`check` it; :class:`InvalidInput` if it is missing or not JSON."""
    try:
        with open(path) as f:
            data = json.load(f)
    except FileNotFoundError:
        raise InvalidInput(f"FILE: no such file {os.fspath(path)!r}") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"FILE: {os.fspath(path)!r} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except IsADirectoryError:
        raise InvalidInput(f"FILE: {os.fspath(path)!r} is a directory") from None
    return check(data)
