"""Targeted constructions for modular arithmetic without brackets (``automata.tasks.mod_arith``).

``build_mod_arith`` (method ``mod-arith``): 5 one-hot layers, n_h = m - 1 (table below).
``build_mod_arith_log`` (method ``mod-arith-log``, m in {3, 5}): 6 layers, n_h = 2 (see its docstring).

Applies to a DFA only when it is *equivalent* (``DFA.is_equivalent``) to ``automata.tasks.mod_arith(m).dfa`` for
a prime ``m`` over the same alphabet ``0..m-1, +, -, *`` -- a structural recognition by language equivalence, not
a general "arithmetic cascade" detector. The proof is still the exhaustive exact search of
:func:`theory.multilayer.verify_multilayer` (and the independent checker); the reasoning below only explains
why the search succeeds.

Registers (the value of the prefix is ``s + p`` mod m: ``s`` = sum of the completed terms, ``p`` = the signed
current product term). No delay layer is needed because every update is scheduled at the letter that carries
its information and reads only labels decoded at the same position:

==  =========  ==========  =====  ==============================================================================
 l  name       reads       dim    update on letter x (all maps are permutations or constants: one-hot layers)
==  =========  ==========  =====  ==============================================================================
 0  parity     --          1      h <- -h on every letter (one reflection); label 1 = odd number of letters read
 1  alive      parity      2      reset to ``dead`` when x is a digit at an even position count or an operator
                                  at an odd one (strict alternation digit op digit ... is violated), else identity
 2  op         --          3      reset to x on an operator (+, -, *), identity on digits; start = '+'. At a digit
                                  its label is the *pending* operator (the previous letter of a well-formed word)
 3  term p     op          m      digit d: pending '*' -> p * d (a permutation of Z_m for d != 0, m prime; the
                                  constant 0 for d = 0); pending '+' -> constant d; pending '-' -> constant -d;
                                  operators: identity
 4  sum s      term p      m      '+' or '-': s <- s + p (a translation; p is the completed term, unchanged by the
                                  operator, read at the same position); digits and '*': identity
==  =========  ==========  =====  ==============================================================================

Readout (labels of all five layers): dead if ``alive`` says so; after a digit (odd count) the state
``num_s_p``; after an operator (even count) ``add_s`` / ``sub_s`` (s already includes the term) or ``mul_s_p``;
the name is then mapped to the given (minimal) DFA's state through the product of the two DFAs (``mul_s_1`` is
``add_s`` and ``mul_s_4`` is ``sub_s`` in the minimal DFA of mod_arith(5)). The dead sink and ill-formed words are
covered: every word over the alphabet is tracked.

Cost: one-hot permutation-reset layers (README_dfa.md): a reset on k states takes k - 1 Helmert projections, a
permutation rank(P - I) reflections. For m = 5: layers 5, dims [1, 2, 3, 5, 5], n_h = 4 (resets of the term
register and the 5-cycles of the sum register).
"""

from __future__ import annotations

import itertools
from collections import deque

from theory.construction import Step
from theory.exact import ExactField
from theory.multilayer import Layer, MultiLayerConstruction

__all__ = ["build_mod_arith", "build_mod_arith_log", "mod_arith_modulus"]


def _is_prime(m: int) -> bool:
    return m >= 2 and all(m % k for k in range(2, int(m ** 0.5) + 1))


def mod_arith_modulus(dfa):
    """``m`` when ``dfa`` is equivalent to ``automata.tasks.mod_arith(m).dfa`` with m prime, else None."""
    from automata.tasks import mod_arith

    m = dfa.n_letters - 3
    if m < 2 or tuple(dfa.alphabet) != tuple([str(d) for d in range(m)] + ["+", "-", "*"]) or not _is_prime(m):
        return None
    ref = mod_arith(m).dfa
    return m if dfa.is_equivalent(ref) else None


def _state_map(ref, dfa) -> dict:
    """Reachable states of ``ref`` -> states of ``dfa`` (equivalent DFAs, ``dfa`` minimal or trimmed)."""
    start = (int(ref.start), int(dfa.start))
    seen, q = {start}, deque([start])
    out = {}
    while q:
        x, y = q.popleft()
        out.setdefault(x, set()).add(y)
        for a in range(ref.n_letters):
            nxt = (int(ref.delta[x, a]), int(dfa.delta[y, a]))
            if nxt not in seen:
                seen.add(nxt)
                q.append(nxt)
    return out


def _discrete_log(m: int):
    """``(g, log)`` for the smallest primitive root g mod m (m prime): log[g^k mod m] = k."""
    for g in range(2, m):
        log, x = {}, 1
        for k in range(m - 1):
            log.setdefault(x, k)
            x = x * g % m
        if len(log) == m - 1:
            return g, log
    return 1, {1: 0}  # m = 2


def _common_layers(F, m, dfa):
    """Layers 0 (parity), 1 (alive), 2 (pending operator), shared by both variants."""
    from theory.dfa_construction import _onehot, reset_steps

    two = F.one + F.one
    digits, ops = range(m), {m: 0, m + 1: 1, m + 2: 2}  # letter index -> op label: 0 '+', 1 '-', 2 '*'
    letters = range(dfa.n_letters)
    plus, minus = ((F.one,),), ((-F.one,),)
    l0 = Layer(1, (), plus, [plus, minus], {(a, ()): (Step((F.one,), two, (F.zero,)),) for a in letters},
               "parity of the number of letters read: h = +1 / -1; label 1 = odd (the letter was a digit position)")
    t1 = {}
    for a in letters:
        for odd in (0, 1):
            ok = (a in digits) == (odd == 1)
            t1[(a, (odd,))] = () if ok else reset_steps(F, 1, 2, 2)
    l1 = Layer(1, (0,), _onehot(F, 0, 2), [_onehot(F, x, 2) for x in range(2)], t1,
               "alive (0) / dead (1): reset to dead when a letter breaks the alternation digit op digit ...")
    t2 = {(a, ()): (reset_steps(F, ops[a], 3, 3) if a in ops else ()) for a in letters}
    l2 = Layer(2, (), _onehot(F, 0, 3), [_onehot(F, x, 3) for x in range(3)], t2,
               "last operator (+, -, *), start '+': at a digit it is the pending operator")
    return [l0, l1, l2], digits, ops, letters


def _readout(m, dfa, term_reads, term_of):
    """Readout on (parity, alive, op, *term labels, sum) -> the DFA's state names, via the reference DFA."""
    from automata.tasks import mod_arith
    from theory.dfa_construction import NotApplicable

    ref = mod_arith(m).dfa
    ref_idx = {name: i for i, name in enumerate(ref.states)}
    smap = _state_map(ref, dfa)
    opname = ("add", "sub", "mul")
    readout = {}
    for odd, dead, o, tl, s in itertools.product(range(2), range(2), range(3),
                                                   itertools.product(*term_reads), range(m)):
        p = term_of(tl)
        if dead:
            name = "dead"
        elif odd:
            name = f"num_{s}_{p}"
        else:
            name = f"mul_{s}_{p}" if o == 2 else f"{opname[o]}_{s}"
        ys = smap.get(ref_idx[name])
        if ys is None:
            continue  # unreachable in the reference DFA
        if len(ys) != 1:  # pragma: no cover - impossible for a deterministic equivalent DFA
            raise NotApplicable("mod-arith: the reference state maps to several states of the DFA")
        readout[(odd, dead, o) + tuple(tl) + (s,)] = dfa.states[next(iter(ys))]
    return readout


def build_mod_arith(dfa) -> MultiLayerConstruction:
    """The 5-layer one-hot construction of the module docstring (n_h = m - 1); NotApplicable for other DFAs."""
    from theory.dfa_construction import NotApplicable, _onehot, perm_steps, reset_steps

    m = mod_arith_modulus(dfa)
    if m is None:
        raise NotApplicable("mod-arith: needs a DFA equivalent to automata.tasks.mod_arith(m) with m prime")
    F = ExactField()
    (l0, l1, l2), digits, ops, letters = _common_layers(F, m, dfa)
    # 3: current term p
    t3 = {}
    for a in letters:
        for o in range(3):
            if a not in digits:
                t3[(a, (o,))] = ()
            elif o == 2:
                t3[(a, (o,))] = (perm_steps(F, tuple(x * a % m for x in range(m)), m) if a else
                                 reset_steps(F, 0, m, m))
            else:
                t3[(a, (o,))] = reset_steps(F, a if o == 0 else (-a) % m, m, m)
    l3 = Layer(m - 1, (2,), _onehot(F, 0, m), [_onehot(F, x, m) for x in range(m)], t3,
               f"signed current term p mod {m}: '*' d -> p*d (permutation, or constant 0), '+' d -> d, '-' d -> -d")
    # 4: committed sum s
    t4 = {}
    for a in letters:
        for p in range(m):
            t4[(a, (p,))] = (perm_steps(F, tuple((x + p) % m for x in range(m)), m)
                             if a in ops and ops[a] in (0, 1) else ())
    l4 = Layer(m - 1, (3,), _onehot(F, 0, m), [_onehot(F, x, m) for x in range(m)], t4,
               f"sum of completed terms s mod {m}: '+'/'-' add the completed term p (read at the same position)")
    readout = _readout(m, dfa, [range(m)], lambda tl: tl[0])
    return MultiLayerConstruction(F, dfa.alphabet, [l0, l1, l2, l3, l4], (0, 1, 2, 3, 4), readout,
                                  {"construction": "mod-arith"})


def build_mod_arith_log(dfa) -> MultiLayerConstruction:
    """6 layers, n_h = 2 (m in {3, 5}): the term as (p != 0, discrete log of p) and the sum as a 2-D rotation.

    Layer 3 (zero flag, one-hot dim 2): '*' 0 -> 0; '+'/'-' d -> [d != 0]; else identity (1 projection).
    Layer 4 (k = log_g |p| in Z_{m-1}, the points R(2 pi k/(m-1)) e_1 of the square, dim 2, rational): '*' d != 0
    -> rotation by 2 pi log(d)/(m-1) (2 reflections); '+' d != 0 -> reset to log d, '-' d != 0 -> reset to
    log(-d) (2 projections with writes); else identity (k is irrelevant while p = 0).
    Layer 5 (s, dim 2 over Q(cos 2 pi/m, sin 2 pi/m)): '+'/'-' -> rotation by 2 pi p/m with p = g^k or 0 read
    from layers 3 and 4 at the same position (2 reflections); else identity.
    """
    from theory.dfa_construction import NotApplicable, _onehot, reset_steps
    from theory.householder import factor_orthogonal
    from theory.reps import _cos_sin_field

    m = mod_arith_modulus(dfa)
    if m is None or 4 % (m - 1) or m < 3:
        raise NotApplicable("mod-arith-log: needs a DFA equivalent to automata.tasks.mod_arith(m), m in {3, 5}")
    F, c, s = _cos_sin_field(1, m)
    (l0, l1, l2), digits, ops, letters = _common_layers(F, m, dfa)
    g, log = _discrete_log(m)
    q = 4 // (m - 1)  # k in Z_{m-1} sits at the quarter turn k * q

    def quarter(j):  # rotation by j quarter turns (rational)
        R = [((F.one, F.zero), (F.zero, F.one)), ((F.zero, -F.one), (F.one, F.zero)),
             ((-F.one, F.zero), (F.zero, -F.one)), ((F.zero, F.one), (-F.one, F.zero))][j % 4]
        return R

    def refl(R):
        return tuple(Step(f.u, f.beta, (F.zero,)) for f in factor_orthogonal(R, F, check=False))

    pts = [F.matmul(quarter(k * q), ((F.one,), (F.zero,))) for k in range(m - 1)]
    e1, e2 = (F.one, F.zero), (F.zero, F.one)

    def reset2(P):  # two projections (beta = 1) along e_1, e_2 writing the coordinates of P
        return (Step(e1, F.one, (P[0][0],)), Step(e2, F.one, (P[1][0],)))

    t3, t4 = {}, {}
    for a in letters:
        for o in range(3):
            key = (a, (o,))
            if a not in digits:
                t3[key], t4[key] = (), ()
            elif o == 2:
                t3[key] = reset_steps(F, 0, 2, 2) if a == 0 else ()
                t4[key] = refl(quarter(log[a] * q)) if a else ()
            else:
                d = a if o == 0 else (-a) % m
                t3[key] = reset_steps(F, 1 if d else 0, 2, 2)
                t4[key] = reset2(pts[log[d]]) if d else ()
    l3 = Layer(1, (2,), _onehot(F, 0, 2), [_onehot(F, x, 2) for x in range(2)], t3,
               "term p != 0 (label 1) / p = 0 (label 0)")
    l4 = Layer(2, (2,), pts[0], pts, t4,
               f"k = discrete log (base {g}) of the term p mod {m} as a point of the square; meaningless while p = 0")
    Rm = [F.identity(2)]
    for _ in range(m - 1):
        Rm.append(F.matmul(((c, -s), (s, c)), Rm[-1]))
    t5 = {}
    for a in letters:
        for z in range(2):
            for k in range(m - 1):
                p = pow(g, k, m) if z else 0
                t5[(a, (z, k))] = refl(Rm[p]) if (a in ops and ops[a] in (0, 1) and p) else ()
    h0 = ((F.one,), (F.zero,))
    l5 = Layer(2, (3, 4), h0, [F.matmul(R, h0) for R in Rm], t5,
               f"sum s mod {m} as the rotation by 2 pi s/{m} of e_1: '+'/'-' add the completed term p")
    readout = _readout(m, dfa, [range(2), range(m - 1)], lambda tl: pow(g, tl[1], m) if tl[0] else 0)
    return MultiLayerConstruction(F, dfa.alphabet, [l0, l1, l2, l3, l4, l5], (0, 1, 2, 3, 4, 5), readout,
                                  {"construction": "mod-arith-log"})
