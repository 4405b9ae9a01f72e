"""Exact DeltaProduct constructions that track a DFA's state, built from the DFA alone.

Constructions (each returns a raw :class:`~theory.multilayer.MultiLayerConstruction`; :func:`theory.multilayer.
prove_dfa` prunes it to what the exhaustive search uses and proves it). Derivations: theory/README_dfa.md.

* ``sign`` (1 layer, dim 1, n_h 1): the transition group is Z_2 acting regularly (parity): h in {+1, -1}.
* ``rotation`` (1 layer, dim 2, n_h 2): the transition group is cyclic of order m = |Q| >= 3 acting regularly
  (mod-m counting, cycle navigation): letter = rotation by 2 pi j/m = two reflections ([GZ] Thm 3 / C.1).
* ``reflections`` (2 layers, dims 1 and 2, n_h 1): same class, [GZ] Thm 6: layer 1 tracks t mod 2 with A = -1,
  layer 2 applies one reflection H(theta(j, t mod 2)) per token.
* ``cascade`` (any DFA): one-hot permutation-reset components ("missing-state" decomposition below), with delay
  layers between components. With one component (every letter a permutation or a constant map of the states:
  group automata, flip-flop) it is a single one-hot layer: a permutation letter uses rank(P - I) reflections with
  integer keys e_i - e_j, a constant letter ("reset" to r) uses m - 1 projections (beta = 1) along the orthogonal
  Helmert keys u_k = e_1 + ... + e_k - k e_{k+1} with writes v_k = u_k[r]: each step sets u_k^T S to u_k^T e_r and
  the all-ones component stays 1, so every one-hot state becomes e_r. m - 1 is the fewest for this encoding (the
  map merges m points, so rank(A - I) >= m - 1), and with one-hot states a letter that is neither a permutation nor
  a constant is impossible in one layer (README_dfa.md, Lemma 1).

Missing-state decomposition (a Krohn-Rhodes-type cover). Given an automaton on m states with (context-dependent)
letters: if every letter, restricted to the states reachable with its context, is injective or constant, it is one
permutation-reset component. Otherwise add a component on m states tracking a state s_t different from the current
state q_t: an injective letter acts on s by (an extension to) its permutation, a non-injective one resets s to a
state outside its image; q_t != s_t stays true. The rest is an automaton on the m - 1 states Q \\ {s}, numbered in
order, whose letters are (letter, s before the letter). Recursing gives at most m - 1 components of <= m states.
A component reads the *previous* states of the earlier components, which a stacked model does not see; a delay
layer (state (e_prev; e_cur), dim 2m, m block-swap reflections then m - 1 Helmert resets) provides them.
"""

from __future__ import annotations

from collections import deque
from fractions import Fraction

from theory.construction import Step
from theory.errors import InvalidInput
from theory.exact import ExactField
from theory.householder import canonical_direction, factor_orthogonal
from theory.multilayer import CERT_KIND, Layer, MultiLayerConstruction, _dfa_json, apply_step

__all__ = ["NotApplicable", "candidates", "build_sign", "build_rotation", "build_reflections", "build_cascade",
           "decompose", "refute_dfa", "hypotheses", "letter_cycles"]


class NotApplicable(InvalidInput):
    """The DFA is outside the class a construction handles."""


# ----------------------------------------------------------------------------------------------------------
# step builders
# ----------------------------------------------------------------------------------------------------------

def perm_steps(F: ExactField, sigma, K: int, offset: int = 0) -> tuple:
    """Reflections realising the permutation ``e_x -> e_sigma(x)`` on coordinates offset..offset+m-1."""
    m = len(sigma)
    P = [[F.zero] * K for _ in range(K)]
    for i in range(K):
        P[i][i] = F.one
    for x in range(m):
        P[offset + x][offset + x] = F.zero
    for x in range(m):
        P[offset + sigma[x]][offset + x] = F.one
    fs = factor_orthogonal(tuple(tuple(r) for r in P), F, check=False)
    return tuple(Step(f.u, f.beta, (F.zero,)) for f in fs)


def reset_steps(F: ExactField, r: int, m: int, K: int, offset: int = 0) -> tuple:
    """m - 1 Helmert projections (beta = 1) with writes: every one-hot state of the block becomes e_r."""
    out = []
    for k in range(1, m):
        u = [F.zero] * K
        for i in range(k):
            u[offset + i] = F.one
        u[offset + k] = F.parse(-k)
        out.append(Step(tuple(u), F.one, (u[offset + r],)))
    return tuple(out)


def _onehot(F, x, K, offset=0):
    return tuple((F.one if i == offset + x else F.zero,) for i in range(K))


# ----------------------------------------------------------------------------------------------------------
# cyclic (regular) group automata
# ----------------------------------------------------------------------------------------------------------

def _maps(dfa):
    return [tuple(int(dfa.delta[q, a]) for q in range(dfa.n_states)) for a in range(dfa.n_letters)]


def cyclic_coordinates(dfa):
    """``(m, iota, j)`` with iota(delta(q, a)) = iota(q) + j[a] mod m, iota a bijection Q -> Z_m, or None."""
    n = dfa.n_states
    maps = _maps(dfa)
    if any(sorted(f) != list(range(n)) for f in maps):
        return None
    then = lambda f, g: tuple(g[f[x]] for x in range(n))  # noqa: E731
    ident = tuple(range(n))
    seen, q = {ident}, deque([ident])
    while q:
        f = q.popleft()
        for g in maps:
            h = then(f, g)
            if h not in seen:
                seen.add(h)
                q.append(h)
                if len(seen) > n:
                    return None
    if len(seen) != n:
        return None
    for tau in seen:
        iota, x = {}, dfa.start
        for k in range(n):
            if x in iota:
                break
            iota[x] = k
            x = tau[x]
        if len(iota) == n:
            j = []
            for f in maps:
                d = {(iota[f[x]] - iota[x]) % n for x in range(n)}
                if len(d) != 1:
                    return None
                j.append(d.pop())
            return n, iota, j
    return None


def _rot_powers(F, c, s, count):
    R = ((c, -s), (s, c))
    out = [F.identity(2)]
    for _ in range(count - 1):
        out.append(F.matmul(R, out[-1]))
    return out


def build_sign(dfa) -> MultiLayerConstruction:
    cc = cyclic_coordinates(dfa)
    if cc is None or cc[0] != 2:
        raise NotApplicable("sign: needs a regular Z_2 transition group")
    m, iota, j = cc
    F = ExactField()
    one, mone = ((F.one,),), ((-F.one,),)
    flip = (Step((F.one,), F.one + F.one, (F.zero,)),)
    table = {(a, ()): (flip if j[a] else ()) for a in range(dfa.n_letters)}
    inv = {k: q for q, k in iota.items()}
    layer = Layer(1, (), one, [one, mone], table, "sign: h = +1 / -1, A = -1 for the swapping letters")
    return MultiLayerConstruction(F, dfa.alphabet, [layer], (0,), {(k,): dfa.states[inv[k]] for k in range(2)},
                                  {"construction": "sign"})


def build_rotation(dfa) -> MultiLayerConstruction:
    from theory.reps import _cos_sin_field

    cc = cyclic_coordinates(dfa)
    if cc is None or cc[0] < 3:
        raise NotApplicable("rotation: needs a regular cyclic transition group of order >= 3")
    m, iota, j = cc
    F, c, s = _cos_sin_field(1, m)
    Rk = _rot_powers(F, c, s, m)
    h0 = ((F.one,), (F.zero,))
    table = {}
    for a in range(dfa.n_letters):
        fs = factor_orthogonal(Rk[j[a]], F, check=False) if j[a] else []
        table[(a, ())] = tuple(Step(f.u, f.beta, (F.zero,)) for f in fs)
    dec = [F.matmul(Rk[k], h0) for k in range(m)]
    inv = {k: q for q, k in iota.items()}
    layer = Layer(2, (), h0, dec, table, f"rotation by 2 pi j/{m} as two reflections")
    return MultiLayerConstruction(F, dfa.alphabet, [layer], (0,), {(k,): dfa.states[inv[k]] for k in range(m)},
                                  {"construction": "rotation"})


def build_reflections(dfa) -> MultiLayerConstruction:
    """[GZ] Thm 6 / THEORY.md 4.4: two layers, one reflection per token in each."""
    from theory.reps import _cos_sin_field

    cc = cyclic_coordinates(dfa)
    if cc is None or cc[0] < 3:
        raise NotApplicable("reflections: needs a regular cyclic transition group of order >= 3")
    m, iota, j = cc
    F, c, s = _cos_sin_field(1, 4 * m)  # rotation by pi/(2m)
    Rb = _rot_powers(F, c, s, 4 * m)     # Rb[k] = R(k pi / (2m))
    one, mone = ((F.one,),), ((-F.one,),)
    flip = (Step((F.one,), F.one + F.one, (F.zero,)),)
    l1 = Layer(1, (), one, [one, mone], {(a, ()): flip for a in range(dfa.n_letters)},
               "t mod 2: h = (-1)^t (A = -1 on every token); label 1 = odd t")

    def refl_step(k):  # H(theta) with theta/2 = k pi/(2m): normal n = (-sin, cos)
        R = Rb[k % (4 * m)]
        cos_h, sin_h = R[0][0], R[1][0]
        u = canonical_direction((-sin_h, cos_h), F)
        return Step(u, F.one + F.one, (F.zero,))

    table = {}
    for a in range(dfa.n_letters):
        table[(a, (1,))] = (refl_step(1 - 2 * j[a]),)  # odd t: theta = (1 - 2j) pi/m
        table[(a, (0,))] = (refl_step(1 + 2 * j[a]),)  # even t: theta = (1 + 2j) pi/m
    d0 = ((F.one,), (F.zero,))
    c0 = apply_step(F, d0, refl_step(1))  # H(pi/m) d0
    dvecs = [F.matmul(Rb[(4 * k) % (4 * m)], d0) for k in range(m)]
    cvecs = [F.matmul(Rb[(-4 * k) % (4 * m)], c0) for k in range(m)]
    l2 = Layer(1, (0,), d0, dvecs + cvecs, table, "one reflection H(theta(j, t mod 2)) per token")
    inv = {k: q for q, k in iota.items()}
    readout = {(lab,): dfa.states[inv[lab % m]] for lab in range(2 * m)}
    return MultiLayerConstruction(F, dfa.alphabet, [l1, l2], (1,), readout, {"construction": "reflections"})


# ----------------------------------------------------------------------------------------------------------
# the missing-state cascade
# ----------------------------------------------------------------------------------------------------------

def _extend_perm(g: dict, m: int) -> tuple:
    """A permutation of range(m) extending the injective partial map ``g``, fixing what it can."""
    img = set(g.values())
    out = dict(g)
    free_dom = [x for x in range(m) if x not in out]
    for x in list(free_dom):
        if x not in img:
            out[x] = x
            img.add(x)
    rest_dom = [x for x in range(m) if x not in out]
    rest_img = [y for y in range(m) if y not in img]
    for x, y in zip(rest_dom, rest_img):
        out[x] = y
    return tuple(out[x] for x in range(m))


def decompose(dfa, max_components: int = 64, max_configs: int = 50_000):
    """Missing-state decomposition; returns ``(components, levels, m_final)``.

    A component is ``(m, start, trans)`` with ``trans[(a, pre-states of earlier components)] = ('perm', sigma)``
    or ``('const', r)``. ``levels`` counts the missing-state components (the first ones); the DFA state is
    recovered from the post-states by :func:`reconstruct`.
    """
    comps = []
    m, x0 = dfa.n_states, int(dfa.start)
    res = {(a, ()): {q: int(dfa.delta[q, a]) for q in range(m)} for a in range(dfa.n_letters)}
    levels = 0
    while True:
        # reachable configurations (component states, residual state)
        start = (tuple(c[1] for c in comps), x0)
        seen, q = {start}, deque([start])
        R = {}
        while q:
            cs, x = q.popleft()
            for a in range(dfa.n_letters):
                key = (a, cs)
                R.setdefault(key, set()).add(x)
                post = []
                for ci, (mc, _, tr) in enumerate(comps):
                    kind, val = tr[(a, cs[:ci])]
                    post.append(val[cs[ci]] if kind == "perm" else val)
                nxt = (tuple(post), res[key][x])
                if nxt not in seen:
                    seen.add(nxt)
                    q.append(nxt)
                    if len(seen) > max_configs:
                        raise NotApplicable(f"cascade: more than {max_configs} reachable configurations")
        g = {key: {x: res[key][x] for x in xs} for key, xs in R.items()}
        final = all(len(set(gl.values())) in (1, len(gl)) for gl in g.values())
        if m == 1:
            return comps, levels, m
        if final:
            tr = {}
            for key, gl in g.items():
                vals = set(gl.values())
                if len(gl) > 1 and len(vals) == 1:
                    tr[key] = ("const", vals.pop())
                else:  # injective (a single reachable state included: a transposition beats a reset)
                    tr[key] = ("perm", _extend_perm(gl, m))
            comps.append((m, x0, tr))
            return comps, levels, m
        if len(comps) >= max_components:
            raise NotApplicable(f"cascade: more than {max_components} components")
        tr = {}
        for key, gl in g.items():
            if len(set(gl.values())) == len(gl):
                tr[key] = ("perm", _extend_perm(gl, m))
            else:
                img = set(gl.values())
                tr[key] = ("const", min(y for y in range(m) if y not in img))
        s0 = 0 if x0 != 0 else 1
        phi = lambda s, x: x - (x > s)  # noqa: E731
        psi = lambda s, i: i + (i >= s)  # noqa: E731
        new_res = {}
        # the residual for (a, cs + (s,)): defined on reachable (cs, s, x); compute by a search on the new system
        comps2 = comps + [(m, s0, tr)]
        start = (tuple(c[1] for c in comps2), phi(s0, x0))
        seen, q = {start}, deque([start])
        while q:
            cs, i = q.popleft()
            s = cs[-1]
            x = psi(s, i)
            for a in range(dfa.n_letters):
                key = (a, cs[:-1])
                kind, val = tr[key]
                s2 = val[s] if kind == "perm" else val
                y = res[key][x]
                i2 = phi(s2, y)
                new_res.setdefault((a, cs), {})[i] = i2
                post = []
                for ci, (mc, _, trc) in enumerate(comps2):
                    k2, v2 = trc[(a, cs[:ci])]
                    post.append(v2[cs[ci]] if k2 == "perm" else v2)
                nxt = (tuple(post), i2)
                if nxt not in seen:
                    seen.add(nxt)
                    q.append(nxt)
                    if len(seen) > max_configs:
                        raise NotApplicable(f"cascade: more than {max_configs} reachable configurations")
        comps, res, x0, m = comps2, new_res, phi(s0, x0), m - 1
        levels += 1


def reconstruct(posts: tuple, levels: int, m_final: int) -> int:
    """DFA state from the post-states of the components (missing-state levels first)."""
    x = posts[levels] if len(posts) > levels else 0
    for s in reversed(posts[:levels]):
        x = x + (x >= s)
    return x


def build_cascade(dfa) -> MultiLayerConstruction:
    """Layers M_1, D_1, M_2, D_2, ..., M_k: one-hot components and delay layers (see the module docstring)."""
    import itertools

    comps, levels, m_final = decompose(dfa)
    F = ExactField()
    k = len(comps)
    Lidx = lambda j: 2 * j  # noqa: E731
    Didx = lambda j: 2 * j + 1  # noqa: E731
    layers = []
    for j, (m, st, tr) in enumerate(comps):
        table = {}
        for (a, pre), (kind, val) in tr.items():
            # post-states of earlier components from (a, their pre-states): the delay labels p*m_i + c
            ctx = []
            for i in range(j):
                mi = comps[i][0]
                kd, vv = comps[i][2][(a, pre[:i])]
                post = vv[pre[i]] if kd == "perm" else vv
                ctx.append(pre[i] * mi + post)
            steps = perm_steps(F, val, m) if kind == "perm" else reset_steps(F, val, m, m)
            table[(a, tuple(ctx))] = steps
        n_h = max([len(s) for s in table.values()] + [1])
        reads = tuple(Didx(i) for i in range(j))
        layers.append(Layer(n_h, reads, _onehot(F, st, m), [_onehot(F, x, m) for x in range(m)], table,
                            f"component {j + 1}: one-hot permutation-reset automaton on {m} states"))
        if j < k - 1:
            dt = {}
            for a in range(dfa.n_letters):
                for y in range(m):
                    swaps = tuple(Step(tuple(F.one if i == x else (-F.one if i == m + x else F.zero)
                                             for i in range(2 * m)), F.one + F.one, (F.zero,)) for x in range(m))
                    dt[(a, (y,))] = swaps + reset_steps(F, y, m, 2 * m, offset=m)
            dec = []
            for p, c in itertools.product(range(m), range(m)):
                dec.append(tuple((F.one if (i == p or i == m + c) else F.zero,) for i in range(2 * m)))
            s0 = tuple((F.one if (i == st or i == m + st) else F.zero,) for i in range(2 * m))
            layers.append(Layer(2 * m - 1, (Lidx(j),), s0, dec, dt,
                                f"delay of component {j + 1}: state (e_prev; e_cur)"))
    reads = tuple(Lidx(j) for j in range(k))
    readout = {}
    for posts in itertools.product(*[range(c[0]) for c in comps]):
        readout[tuple(posts)] = dfa.states[reconstruct(posts, levels, m_final)]
    if k == 0:  # a one-state DFA: a trivial layer
        layer = Layer(1, (), ((F.one,),), [((F.one,),)], {(a, ()): () for a in range(dfa.n_letters)}, "trivial")
        return MultiLayerConstruction(F, dfa.alphabet, [layer], (0,), {(0,): dfa.states[0]},
                                      {"construction": "cascade"})
    return MultiLayerConstruction(F, dfa.alphabet, layers, reads, readout,
                                  {"construction": "permutation-reset" if k == 1 else "cascade"})


def candidates(dfa) -> list:
    """Constructions to try, in order of preference (fewest layers, then smallest n_h)."""
    from theory.dfa_modarith import build_mod_arith, build_mod_arith_log

    # "mod-arith" / "mod-arith-log" are targeted builders (theory/dfa_modarith.py): they apply only to DFAs
    # equivalent to automata.tasks.mod_arith(m) (m prime; m in {3, 5} for -log) and are tried before the generic
    # cascade, whose search is too large there
    return [("sign", lambda: build_sign(dfa)), ("rotation", lambda: build_rotation(dfa)),
            ("mod-arith", lambda: build_mod_arith(dfa)), ("mod-arith-log", lambda: build_mod_arith_log(dfa)),
            ("cascade", lambda: build_cascade(dfa)), ("reflections", lambda: build_reflections(dfa))]


# ----------------------------------------------------------------------------------------------------------
# refutations and hypotheses
# ----------------------------------------------------------------------------------------------------------

def letter_cycles(dfa) -> list:
    """``(length, letter, prefix word, cycle states)`` for every cycle of every letter on reachable states."""
    n = dfa.n_states
    prefix = {int(dfa.start): []}
    q = deque([int(dfa.start)])
    while q:
        x = q.popleft()
        for a in range(dfa.n_letters):
            y = int(dfa.delta[x, a])
            if y not in prefix:
                prefix[y] = prefix[x] + [a]
                q.append(y)
    out = []
    for a in range(dfa.n_letters):
        done = set()
        for x in sorted(prefix, key=lambda z: (len(prefix[z]), prefix[z])):
            if x in done:
                continue
            path, y = [], x
            while y not in path and len(path) <= n:
                path.append(y)
                y = int(dfa.delta[y, a])
            if y == x:
                done.update(path)
                out.append((len(path), a, prefix[x], path))
    return out


def refute_dfa(dfa, n_h: int, layers, bm: Fraction):
    """Eigenvalue-theorem refutations for state tracking, as a certificate dict, or None."""
    cyc = sorted(letter_cycles(dfa), key=lambda t: (-t[0], len(t[2]), t[1]))
    if not cyc or cyc[0][0] < 2:
        return None
    length, a, pre, path = cyc[0]
    wit = {"prefix": pre, "letter": a, "cycle": [dfa.states[x] for x in path]}
    base = {"kind": CERT_KIND, "version": 1, "claim": "refuted-dfa", "method": "eigenvalue-theorem",
            "dfa": _dfa_json(dfa), "output": "state", "n_h": n_h, "layers": layers, "beta_max": str(bm),
            "witness": wit}
    if bm < 2:
        hyp = [f"beta restricted to [0, {bm}] on every step (unit keys), any n_h, any state dimension, any number of "
               "layers, additive B(x) and any decoder",
               "finite precision as in [GZ] A.4: a finite set D of representable values, cast = nearest element of D "
               "(ties to the smaller), powers and products computed exactly then cast",
               "[GZ] Prop. 1.3: every eigenvalue of a product of such factors is 1 or has modulus < 1; on "
               "prefix x^k each layer's input is eventually constant, so by induction over layers every rounded "
               "state, hence the output, is eventually constant",
               f"witness: after the prefix, letter {dfa.alphabet[a]!r} cycles through {length} >= 2 distinct DFA "
               "states, so tracking the state needs an output that cycles with period "
               f"{length}",
               "genericity: no limit coordinate of the exact state lies exactly on a rounding boundary of D "
               "(needed when n_h >= 3 or beta_max > 1)"]
        return {**base, "theorem": "[GZ] Prop. 1.3 + Thm 1 (Grazzi et al. 2025)", "hypotheses": hyp}
    if n_h == 1 and layers == 1 and length > 2:
        hyp = ["one layer, n_h = 1: every transition A(x) = I - beta k k^T is symmetric, so its spectrum is real "
               "(any beta in [0, 2], any state dimension, additive B(x), any decoder)",
               "finite precision as in [GZ] A.4 (finite value set, cast to nearest, products exact then cast)",
               "[GZ] Thm 2 and the corollary in its proof: with real spectra one layer's output on a constant "
               "input is eventually periodic with period dividing 2",
               f"witness: after the prefix, letter {dfa.alphabet[a]!r} cycles through {length} > 2 distinct DFA "
               f"states, so tracking the state needs an output that cycles with period {length}"]
        return {**base, "theorem": "[GZ] Thm 2 (Grazzi et al. 2025), real spectrum", "hypotheses": hyp}
    return None


def hypotheses(name: str, mc, dfa, minimized: bool) -> list:
    F = mc.field
    betas = sorted({F.to_str(s.beta) for L in mc.layers for st in L.table.values() for s in st})
    out = [f"{mc.n_layers} layer(s), exact real arithmetic (no rounding), field {F.name}",
           f"construction: {name}; dims {mc.dims()}, value dim 1, n_h = {mc.n_h} steps per token and layer "
           f"(padding beta = 0), beta in {{{', '.join(betas)}}}",
           "layer l's steps are a table lookup on (input letter, labels decoded at the same position by earlier "
           "layers); each layer's decoder is argmax over reference states (its reachable states)",
           "the output at each position is a lookup on the labels of the readout layers (the final MLP) and equals "
           "the DFA's state after the prefix",
           ("the DFA is the minimal DFA of the input language (automata.dfa.DFA.minimize)" if minimized else
            "the DFA is the reachable part of the input DFA"),
           "initial states are given (equivalently written by a BOS token)"]
    if name in ("mod-arith", "mod-arith-log"):
        out.append("targeted builder (theory/dfa_modarith.py): chosen because the DFA is equivalent "
                   "(DFA.is_equivalent) to automata.tasks.mod_arith(m); its design is not part of the proof, which is "
                   "the exhaustive exact search over every reachable tuple (dead state and ill-formed words included)")
    return out
