"""Built-in regular-language and state-tracking tasks: a DFA, an output map, and a seeded sampler.

Every task is a Moore machine: a :class:`~automata.dfa.DFA` plus ``output[q]``, the label emitted in state ``q``.
The label at position ``t`` is ``output[state after reading the first t+1 letters]``; no label is emitted for
the empty prefix. Three kinds of output, recorded in ``Task.label_kind``:

- ``"accept"``: 1 if the prefix is in the DFA's language, else 0 (language tasks);
- ``"state"``: the state index itself (tracking tasks: the state *is* the answer);
- ``"value"``: a value computed from the state (``mod_arith``: the expression's value mod 5).

================  =========================  ==================================================  ============
name              alphabet                   label at position t                                 label_kind
================  =========================  ==================================================  ============
parity            0, 1                       number of 1s mod 2 (accept = odd)                    state
mod<m>            0, 1                       number of 1s mod m (accept = divisible by m)         state
flip_flop         write0, write1, ignore     the last bit written (0 before any write)            state
even_pairs        a, b                       1 if #ab + #ba is even (first letter == last)       accept
cycle_navigation  +1, -1, stay               position on a 5-cycle, starting at 0                 state
mod_arith         0..4, +, -, *              value mod 5 of the longest complete prefix           value
s5_swaps          (), (i j)                  the permutation (S5 id, itertools order)             state
s<n>_limit_<l>    perms moving <= l points    the permutation (S_n id, itertools order)            state
================  =========================  ==================================================  ============

Samplers draw letters uniformly, except ``mod_arith``, which draws well-formed alternations
``digit op digit op ...`` (digits and operators uniform); a word of even length ends with an operator.

``mod_arith`` semantics (Deletang et al. 2023, "modular arithmetic", regular version without brackets):
``*`` binds tighter than ``+`` and ``-``, which associate to the left, all mod 5 -- exactly Python's
``eval(expr) % 5``. The DFA's state is ``(s, t)`` after a digit (``s`` = sum of completed terms, ``t`` = the signed
current term, value ``s + t``), ``(s, "+")`` or ``(s, "-")`` after an additive operator, ``(s, t, "*")`` after
``*``, plus a ``dead`` sink for ill-formed input (a letter out of alternation; label 5, never sampled). After an
operator the label is the value of the prefix before it. The DFA's language is the well-formed expressions whose
value is 0 mod 5.

S_n tasks use the conventions of :mod:`automata.groups`: state ``g`` is the element with id ``g`` (ids in
``itertools.permutations`` order) and reading the letter ``x`` moves ``g`` to ``g * x`` ("g, then x").

Examples
--------
>>> T = task("parity")
>>> x, y = T.sample(length=6, batch=2, seed=0)
>>> bool((y == x.cumsum(axis=1) % 2).all())
True
>>> sorted(TASKS)[:4]
['cycle_navigation', 'even_pairs', 'flip_flop', 'mod3']
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from automata.dfa import DFA, _is_int
from theory.errors import InvalidInput

__all__ = [
    "TASKS",
    "Task",
    "cycle_navigation",
    "even_pairs",
    "flip_flop",
    "mod_arith",
    "mod_counting",
    "parity",
    "s5_swaps",
    "sn_limited",
    "task",
]

Sampler = Callable[[np.random.Generator, int, int], np.ndarray]

#: S_n tasks enumerate all n! states; beyond this many transitions the table is not worth building.
_MAX_SN_TABLE = 5_000_000


@dataclass(frozen=True, eq=False)
class Task:
    """A regular-language or state-tracking task.

    Attributes
    ----------
    name : str
    dfa : DFA
    output : numpy.ndarray
        Read-only int64 ``[n_states]``: the label emitted in each state.
    label_kind : str
        ``"accept"``, ``"state"`` or ``"value"`` (module docstring).
    n_labels : int
        Labels lie in ``[0, n_labels)``.
    description : str
    """

    name: str
    dfa: DFA
    output: np.ndarray
    label_kind: str
    n_labels: int
    description: str
    _sampler: Sampler | None = field(default=None, repr=False)

    def __post_init__(self):
        out = np.array(self.output, dtype=np.int64, copy=True)
        if out.shape != (self.dfa.n_states,):
            raise InvalidInput(f"output: expected one label per state, shape [{self.dfa.n_states}]")
        out.setflags(write=False)
        object.__setattr__(self, "output", out)

    @property
    def n_letters(self) -> int:
        return self.dfa.n_letters

    def labels(self, inputs) -> np.ndarray:
        """Per-position labels ``[B, T]`` of letter-index words ``inputs`` ``[B, T]``."""
        return self.output[self.dfa.trace_batch(inputs)]

    def sample(self, length: int, batch: int, seed: int | np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Seeded data: ``(inputs, labels)``, int64 arrays ``[batch, length]`` (letter indices and labels).

        Examples
        --------
        >>> x, y = task("flip_flop").sample(5, 3, seed=1)
        >>> x.shape, y.shape, x.dtype.name
        ((3, 5), (3, 5), 'int64')
        """
        if not _is_int(length) or length < 1:
            raise InvalidInput(f"length: expected a positive integer, got {length!r}")
        if not _is_int(batch) or batch < 1:
            raise InvalidInput(f"batch: expected a positive integer, got {batch!r}")
        if not (_is_int(seed) or isinstance(seed, np.random.Generator)):
            raise InvalidInput(f"seed: expected an int or a numpy Generator, got {type(seed).__name__}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        if self._sampler is None:
            x = rng.integers(0, self.n_letters, size=(batch, length), dtype=np.int64)
        else:
            x = self._sampler(rng, int(length), int(batch))
        return x, self.labels(x)

    def __repr__(self) -> str:
        return f"Task({self.name!r}, n_states={self.dfa.n_states}, alphabet={list(self.dfa.alphabet)!r})"


# ----------------------------------------------------------------------------------------------------------
# the tasks
# ----------------------------------------------------------------------------------------------------------

def mod_counting(m: int) -> Task:
    """Count the 1s mod ``m`` (alphabet ``0, 1``); label = count mod m = state; accept = count divisible by m.

    Examples
    --------
    >>> T = mod_counting(3)
    >>> T.name, T.dfa.run("11101")
    ('mod3', 1)
    """
    if not _is_int(m) or m < 2:
        raise InvalidInput(f"m: expected an integer modulus >= 2, got {m!r}")
    m = int(m)
    q = np.arange(m)
    table = np.stack([q, (q + 1) % m], axis=1)
    dfa = DFA.from_table(table, 0, [0], states=[f"c{i}" for i in range(m)], alphabet=["0", "1"])
    return Task(f"mod{m}", dfa, q, "state", m, f"number of 1s mod {m} (binary alphabet); label = the count mod {m}")


def parity() -> Task:
    """Parity of the number of 1s; label = count mod 2 = state = accept (accept = odd)."""
    dfa = DFA.from_table([[0, 1], [1, 0]], 0, [1], states=["even", "odd"], alphabet=["0", "1"])
    return Task("parity", dfa, [0, 1], "state", 2, "number of 1s mod 2 (binary alphabet); label = 1 if odd")


def flip_flop() -> Task:
    """Remember the last written bit: ``write0``/``write1`` set it, ``ignore`` keeps it; it starts at 0."""
    dfa = DFA.from_table([[0, 1, 0], [0, 1, 1]], 0, [1], states=["bit0", "bit1"],
                         alphabet=["write0", "write1", "ignore"])
    return Task("flip_flop", dfa, [0, 1], "state", 2,
                "flip-flop: label = the last bit written (0 before any write); accept = last write was 1")


def even_pairs() -> Task:
    """Binary strings over ``a, b`` with an even number of ``ab`` and ``ba`` factors, i.e. first == last letter.

    States: ``start`` (empty word, accepting), and ``(first letter, last letter)``.
    """
    states = ["start", "aa", "ab", "ba", "bb"]
    s = {n: i for i, n in enumerate(states)}
    table = [[s["aa"], s["bb"]], [s["aa"], s["ab"]], [s["aa"], s["ab"]], [s["ba"], s["bb"]], [s["ba"], s["bb"]]]
    acc = [s["start"], s["aa"], s["bb"]]
    dfa = DFA.from_table(table, 0, acc, states=states, alphabet=["a", "b"])
    out = np.zeros(len(states), dtype=np.int64)
    out[acc] = 1
    return Task("even_pairs", dfa, out, "accept", 2,
                "even pairs: label = 1 if the number of 'ab' and 'ba' factors is even (first letter == last)")


def cycle_navigation(n: int = 5) -> Task:
    """Walk on a cycle of ``n`` positions from 0 with letters ``+1``, ``-1``, ``stay``; label = the position."""
    if not _is_int(n) or n < 1:
        raise InvalidInput(f"n: expected a positive cycle length, got {n!r}")
    q = np.arange(n)
    table = np.stack([(q + 1) % n, (q - 1) % n, q], axis=1)
    dfa = DFA.from_table(table, 0, [0], states=[f"p{i}" for i in range(n)], alphabet=["+1", "-1", "stay"])
    name = "cycle_navigation" if n == 5 else f"cycle_navigation{n}"
    return Task(name, dfa, q, "state", n, f"position on a {n}-cycle after +1/-1/stay moves (start 0)")


def mod_arith(modulus: int = 5) -> Task:
    """Modular arithmetic without brackets, with operator precedence (see the module docstring).

    Examples
    --------
    >>> T = mod_arith()
    >>> w = T.dfa.encode(["1", "+", "2", "*", "3"])
    >>> T.labels(w[None]).tolist()          # 1, 1 (before '+'), 1+2, 3 (before '*'), 1+2*3 = 7 = 2 mod 5
    [[1, 1, 3, 3, 2]]
    """
    if not _is_int(modulus) or modulus < 2:
        raise InvalidInput(f"modulus: expected an integer >= 2, got {modulus!r}")
    m = int(modulus)
    digits = [str(d) for d in range(m)]
    alphabet = digits + ["+", "-", "*"]
    # state keys: ("num", s, t) after a digit; ("add", s) after + (also the start, s = 0); ("sub", s); ("mul", s, t)
    keys = ([("add", s) for s in range(m)] + [("sub", s) for s in range(m)]
            + [("num", s, t) for s in range(m) for t in range(m)]
            + [("mul", s, t) for s in range(m) for t in range(m)] + [("dead",)])
    idx = {k: i for i, k in enumerate(keys)}
    dead = idx[("dead",)]
    table = np.full((len(keys), len(alphabet)), dead, dtype=np.int64)
    out = np.full(len(keys), m, dtype=np.int64)
    for k, i in idx.items():
        kind = k[0]
        if kind == "num":
            _, s, t = k
            out[i] = (s + t) % m
            table[i, m] = idx[("add", (s + t) % m)]
            table[i, m + 1] = idx[("sub", (s + t) % m)]
            table[i, m + 2] = idx[("mul", s, t)]
        elif kind in ("add", "sub"):
            s = k[1]
            out[i] = s
            for d in range(m):
                table[i, d] = idx[("num", s, d if kind == "add" else (-d) % m)]
        elif kind == "mul":
            _, s, t = k
            out[i] = (s + t) % m
            for d in range(m):
                table[i, d] = idx[("num", s, (t * d) % m)]
    names = ["dead" if k[0] == "dead" else "_".join(map(str, k)) for k in keys]
    accept = [idx[("num", s, t)] for s in range(m) for t in range(m) if (s + t) % m == 0]
    dfa = DFA.from_table(table, idx[("add", 0)], accept, states=names, alphabet=alphabet)

    def sampler(rng: np.random.Generator, length: int, batch: int) -> np.ndarray:
        x = np.empty((batch, length), dtype=np.int64)
        x[:, 0::2] = rng.integers(0, m, size=x[:, 0::2].shape)
        x[:, 1::2] = m + rng.integers(0, 3, size=x[:, 1::2].shape)
        return x

    name = "mod_arith" if m == 5 else f"mod_arith{m}"
    return Task(name, dfa, out, "value", m + 1,
                f"modular arithmetic mod {m} without brackets ('*' before '+'/'-'); label = value of the longest "
                f"complete prefix mod {m} ({m} = ill-formed, never sampled)", sampler)


def _cycles(p: tuple[int, ...]) -> str:
    seen, parts = set(), []
    for i in range(len(p)):
        if i in seen or p[i] == i:
            continue
        c, j = [], i
        while j not in seen:
            seen.add(j)
            c.append(j)
            j = p[j]
        parts.append("(" + " ".join(map(str, c)) + ")")
    return "".join(parts) or "()"


def sn_limited(n: int, l: int) -> Task:
    """The S_n word problem with the letters the permutations moving at most ``l`` points (identity included).

    State = the prefix product's id in ``itertools.permutations`` order (the ids of ``automata.group("S<n>")``);
    letters are named in cycle notation and ordered by id.

    Examples
    --------
    >>> T = sn_limited(3, 2)
    >>> T.dfa.alphabet
    ('()', '(1 2)', '(0 1)', '(0 2)')
    """
    if not _is_int(n) or n < 1:
        raise InvalidInput(f"n: expected a positive integer, got {n!r}")
    if not _is_int(l) or not 0 <= l <= n:
        raise InvalidInput(f"l: expected the number of moved points, an integer in [0, {n}], got {l!r}")
    n, l = int(n), int(l)
    derangements = [1, 0]
    for j in range(2, n + 1):
        derangements.append((j - 1) * (derangements[-1] + derangements[-2]))
    n_letters = sum(math.comb(n, j) * derangements[j] for j in range(l + 1))
    if math.factorial(n) * n_letters > _MAX_SN_TABLE:
        raise InvalidInput(f"n: S_{n} with {n_letters} letters needs a {math.factorial(n)} x {n_letters} table, "
                           f"more than {_MAX_SN_TABLE} entries")
    perms = list(itertools.permutations(range(n)))
    letters = [p for p in perms if sum(p[i] != i for i in range(n)) <= l]
    P = np.asarray(perms, dtype=np.int64)
    weights = n ** np.arange(n - 1, -1, -1, dtype=np.int64)
    codes = P @ weights  # increasing: ids follow lexicographic order
    table = np.empty((len(perms), len(letters)), dtype=np.int64)
    for a, x in enumerate(letters):
        prod = np.asarray(x)[P]  # row g: (g * x)(i) = x(g(i))
        table[:, a] = np.searchsorted(codes, prod @ weights)
    dfa = DFA.from_table(table, 0, [0], states=["".join(map(str, p)) for p in perms],
                         alphabet=[_cycles(x) for x in letters])
    return Task(f"s{n}_limit_{l}", dfa, np.arange(len(perms)), "state", len(perms),
                f"S_{n} word problem, letters = the {len(letters)} permutations moving at most {l} points; "
                f"label = id of the prefix product; accept = identity")


def s5_swaps() -> Task:
    """S5 with the identity and the 10 transpositions as letters (:func:`sn_limited` ``(5, 2)``)."""
    t = sn_limited(5, 2)
    return Task("s5_swaps", t.dfa, t.output, "state", t.n_labels,
                "S5 word problem with the identity and transpositions as letters; label = id of the prefix product")


#: Named tasks (zero-argument constructors). :func:`task` also accepts ``mod<m>`` and ``s<n>_limit_<l>``.
TASKS: dict[str, Callable[[], Task]] = {
    "parity": parity,
    "mod3": lambda: mod_counting(3),
    "mod5": lambda: mod_counting(5),
    "flip_flop": flip_flop,
    "even_pairs": even_pairs,
    "cycle_navigation": cycle_navigation,
    "mod_arith": mod_arith,
    "s5_swaps": s5_swaps,
    "s5_limit_3": lambda: sn_limited(5, 3),
}

_PATTERNS = "'mod<m>' (m >= 2), 's<n>_limit_<l>' (0 <= l <= n)"


def task(name: str) -> Task:
    """The task called ``name``: a key of :data:`TASKS`, ``mod<m>`` or ``s<n>_limit_<l>``.

    Examples
    --------
    >>> task("mod7").dfa.n_states, task("s4_limit_3").dfa.n_letters
    (7, 15)
    >>> task("sorting")
    Traceback (most recent call last):
    ...
    theory.errors.InvalidInput: name: unknown task 'sorting'; available: cycle_navigation, even_pairs, flip_flop, mod3, mod5, mod_arith, parity, s5_limit_3, s5_swaps, and the patterns 'mod<m>' (m >= 2), 's<n>_limit_<l>' (0 <= l <= n)
    """
    if not isinstance(name, str):
        raise InvalidInput(f"name: expected a task name (str), got {type(name).__name__}")
    if name in TASKS:
        return TASKS[name]()
    m = re.fullmatch(r"mod([0-9]+)", name)
    if m:
        return mod_counting(int(m.group(1)))
    m = re.fullmatch(r"s([0-9]+)_limit_([0-9]+)", name)
    if m:
        return sn_limited(int(m.group(1)), int(m.group(2)))
    raise InvalidInput(f"name: unknown task {name!r}; available: {', '.join(sorted(TASKS))}, and the patterns "
                       f"{_PATTERNS}")
