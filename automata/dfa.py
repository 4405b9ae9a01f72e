"""Deterministic finite automata on integer tables, and their transition monoids.

A :class:`DFA` stores its transitions as a read-only integer table ``delta[q, a]`` (``[n_states, n_letters]``)
beside the state and letter *names*; the names are what DFA files and error messages use, the indices are what
everything else computes with. Files follow the DESIGN.md schema::

    {"alphabet": ["a", "b"], "states": ["q0", "q1"], "start": "q0", "accept": ["q1"],
     "delta": {"q0": {"a": "q1", "b": "q0"}, "q1": {"a": "q0", "b": "q1"}}}

Minimisation is a hand-written Moore partition refinement on the integer table (about 20 lines of numpy) rather
than automata-lib: the table is already the natural representation here, automata-lib would need a round trip
through its dict-of-dicts objects and string state names, and it would add a dependency for one algorithm. Moore's
O(n^2 k) refinement is fast for the automata this project builds (hundreds of states); the minimal DFA is returned
in a canonical numbering (breadth-first from the start state, letters in order), so two equivalent DFAs over the
same alphabet minimise to the same table.

Transition monoid
-----------------
The transition monoid ``T(A)`` is the set of maps ``Q -> Q`` induced by words, the identity (the empty word)
included. Its product is "first f, then g": ``(f*g)(q) = g(f(q))``, so the map of the word ``uv`` is
``map(u) * map(v)``, the same left-to-right convention as :mod:`automata.groups`. ``T`` of the *minimal* DFA is
the syntactic monoid of the language; [GZ] Thm 3 applies when it is a group (one layer suffices) and Krohn-Rhodes
(Thm 4) decomposes the general case into permutation-reset cascades; its maximal subgroups are the groups that
such a cascade must contain.

Examples
--------
>>> parity = DFA.from_table([[0, 1], [1, 0]], start=0, accept=[1], alphabet=["0", "1"])
>>> parity.accepts("1101"), parity.run([1, 1, 0, 1])
(True, 1)
>>> M = transition_monoid(parity)
>>> M.order, M.is_group(), classify(parity)
(2, True, 'group')
"""

from __future__ import annotations

import json
import math
import os
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from automata.atomic import write_atomic
from automata.groups import perm_order
from theory.errors import InvalidInput

__all__ = [
    "DFA",
    "MAX_MONOID_SIZE",
    "MAX_TABLE_SIZE",
    "MonoidTooLarge",
    "Subgroup",
    "TransitionMonoid",
    "classify",
    "random_dfa",
    "transition_monoid",
]

#: Monoid enumeration stops with :class:`MonoidTooLarge` beyond this many elements (the default ``limit``).
MAX_MONOID_SIZE = 100_000
#: The full multiplication table is built only up to this many elements (it has ``size**2`` entries).
MAX_TABLE_SIZE = 4096

_SCHEMA = ("alphabet", "states", "start", "accept", "delta")
#: Optional metadata keys a DFA file may carry; anything else at the top level is taken to be a typo.
_META_KEYS = ("name", "description", "comment", "source")


class MonoidTooLarge(InvalidInput):
    """The transition monoid exceeds the size a method supports; the message names the limit."""


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.int64, copy=True)
    a.setflags(write=False)
    return a


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


# ----------------------------------------------------------------------------------------------------------
# DFA
# ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class DFA:
    """A complete deterministic finite automaton.

    Build one with :meth:`from_json`, :meth:`from_table` or :func:`random_dfa`; the constructor validates too.

    Attributes
    ----------
    states : tuple of str
        State names; state ``i`` is ``states[i]``.
    alphabet : tuple of str
        Letter names; letter ``a`` is ``alphabet[a]``.
    delta : numpy.ndarray
        Read-only int64 table ``[n_states, n_letters]``: ``delta[q, a]`` is the state after reading ``a`` in ``q``.
    start : int
        Index of the start state.
    accept : frozenset of int
        Indices of the accepting states.

    Examples
    --------
    >>> d = DFA.from_json({"alphabet": ["a", "b"], "states": ["q0", "q1"], "start": "q0", "accept": ["q1"],
    ...                    "delta": {"q0": {"a": "q1", "b": "q0"}, "q1": {"a": "q0", "b": "q1"}}})
    >>> d.delta.tolist(), d.start, sorted(d.accept)
    ([[1, 0], [0, 1]], 0, [1])
    >>> d.trace("aab").tolist(), d.accepts("ab")
    ([1, 0, 0], True)
    """

    states: tuple[str, ...]
    alphabet: tuple[str, ...]
    delta: np.ndarray
    start: int
    accept: frozenset[int]
    _state_index: dict = field(init=False, repr=False, compare=False)
    _letter_index: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        states, alphabet = tuple(self.states), tuple(self.alphabet)
        for name, names in (("states", states), ("alphabet", alphabet)):
            _check_names(names, name)
        if not states:
            raise InvalidInput("states: expected at least one state")
        try:
            delta = np.asarray(self.delta)
        except (TypeError, ValueError):
            raise InvalidInput("delta: expected an integer array [n_states, n_letters]") from None
        if delta.shape != (len(states), len(alphabet)):
            raise InvalidInput(f"delta: expected shape [n_states, n_letters] = [{len(states)}, {len(alphabet)}], "
                               f"got {list(delta.shape)}")
        if delta.size and not np.issubdtype(delta.dtype, np.integer):
            raise InvalidInput(f"delta: expected integer entries, got dtype {delta.dtype}")
        if delta.size and (delta.min() < 0 or delta.max() >= len(states)):
            raise InvalidInput(f"delta: entries must be state indices in [0, {len(states)})")
        if not _is_int(self.start) or not 0 <= self.start < len(states):
            raise InvalidInput(f"start: expected a state index in [0, {len(states)}), got {self.start!r}")
        try:
            acc = list(self.accept)
        except TypeError:
            raise InvalidInput("accept: expected an iterable of state indices") from None
        if not all(_is_int(q) and 0 <= q < len(states) for q in acc):
            raise InvalidInput(f"accept: expected state indices in [0, {len(states)}), got {acc!r}")
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "alphabet", alphabet)
        object.__setattr__(self, "delta", _readonly(delta.reshape(len(states), len(alphabet))))
        object.__setattr__(self, "start", int(self.start))
        object.__setattr__(self, "accept", frozenset(int(q) for q in acc))
        object.__setattr__(self, "_state_index", {s: i for i, s in enumerate(states)})
        object.__setattr__(self, "_letter_index", {s: i for i, s in enumerate(alphabet)})

    # -- basic facts ----------------------------------------------------------------------------------------
    @property
    def n_states(self) -> int:
        return len(self.states)

    @property
    def n_letters(self) -> int:
        return len(self.alphabet)

    def __eq__(self, other) -> bool:
        """Structural equality (same names, table, start and accepting set); see :meth:`is_equivalent`."""
        if not isinstance(other, DFA):
            return NotImplemented
        return (self.states == other.states and self.alphabet == other.alphabet and self.start == other.start
                and self.accept == other.accept and np.array_equal(self.delta, other.delta))

    def __hash__(self) -> int:
        return hash((self.states, self.alphabet, self.start, self.accept, self.delta.tobytes()))

    def __repr__(self) -> str:
        return f"DFA(n_states={self.n_states}, alphabet={list(self.alphabet)!r}, accept={sorted(self.accept)})"

    # -- constructors ---------------------------------------------------------------------------------------
    @classmethod
    def from_table(cls, delta, start: int, accept: Iterable[int], states: Sequence[str] | None = None,
                   alphabet: Sequence[str] | None = None) -> DFA:
        """Build a DFA from an integer table ``delta[q, a]``.

        Default names are ``q0, q1, ...`` for states and ``0, 1, ...`` for letters.

        Examples
        --------
        >>> DFA.from_table([[1], [0]], start=0, accept=[0]).states
        ('q0', 'q1')
        >>> DFA.from_table([[2]], start=0, accept=[])
        Traceback (most recent call last):
        ...
        theory.errors.InvalidInput: delta: entries must be state indices in [0, 1)
        """
        try:
            d = np.asarray(delta)
        except (TypeError, ValueError):
            raise InvalidInput("delta: expected an integer array [n_states, n_letters]") from None
        if d.ndim != 2:
            raise InvalidInput(f"delta: expected a 2-d table [n_states, n_letters], got shape {list(d.shape)}")
        if d.size == 0 and d.dtype.kind not in "iu":
            d = d.astype(np.int64)
        n, k = d.shape
        states = tuple(f"q{i}" for i in range(n)) if states is None else tuple(states)
        alphabet = tuple(str(a) for a in range(k)) if alphabet is None else tuple(alphabet)
        return cls(states, alphabet, d, start, accept)

    @classmethod
    def from_json(cls, obj_or_path: Any) -> DFA:
        """Read a DFA from a parsed JSON object (a dict) or from a file path.

        Every problem raises :class:`~theory.errors.InvalidInput` naming the field: a missing or unknown key
        (top-level keys other than the schema's may only be the metadata keys ``name``, ``description``,
        ``comment``, ``source``), a non-string, empty or duplicate name, an unknown state or letter, an
        incomplete or over-complete ``delta``.

        Examples
        --------
        >>> DFA.from_json({"alphabet": ["a"], "states": ["s"], "start": "s", "accept": [],
        ...                "delta": {"s": {}}})
        Traceback (most recent call last):
        ...
        theory.errors.InvalidInput: delta['s']: missing transition on letter 'a'
        """
        if isinstance(obj_or_path, (str, bytes, os.PathLike)):
            obj = _load_json_file(obj_or_path)
        else:
            obj = obj_or_path
        if not isinstance(obj, dict):
            raise InvalidInput(f"dfa: expected a JSON object with keys {list(_SCHEMA)}, got {type(obj).__name__}")
        missing = [k for k in _SCHEMA if k not in obj]
        if missing:
            raise InvalidInput(f"dfa: missing key(s) {missing}; expected keys {list(_SCHEMA)}")
        extra = [k for k in obj if k not in _SCHEMA and k not in _META_KEYS]
        if extra:
            raise InvalidInput(f"dfa: unknown key(s) {[str(k) for k in extra]}; expected keys {list(_SCHEMA)} "
                               f"(optional metadata: {list(_META_KEYS)})")
        states = _name_list(obj["states"], "states")
        alphabet = _name_list(obj["alphabet"], "alphabet")
        if not states:
            raise InvalidInput("states: expected at least one state")
        sidx = {s: i for i, s in enumerate(states)}
        lidx = {a: i for i, a in enumerate(alphabet)}
        start = obj["start"]
        if not isinstance(start, str) or start not in sidx:
            raise InvalidInput(f"start: expected one of the state names, got {_short(start)}")
        acc = obj["accept"]
        if not isinstance(acc, list):
            raise InvalidInput(f"accept: expected a list of state names, got {type(acc).__name__}")
        for q in acc:
            if not isinstance(q, str) or q not in sidx:
                raise InvalidInput(f"accept: {_short(q)} is not a state name")
        if len(set(acc)) != len(acc):
            raise InvalidInput("accept: duplicate state names")
        d = obj["delta"]
        if not isinstance(d, dict):
            raise InvalidInput(f"delta: expected an object {{state: {{letter: state}}}}, got {type(d).__name__}")
        for q in d:
            if q not in sidx:
                raise InvalidInput(f"delta: {_short(q)} is not a state name")
        table = np.zeros((len(states), len(alphabet)), dtype=np.int64)
        for q in states:
            if q not in d:
                raise InvalidInput(f"delta: missing transitions of state {q!r}")
            row = d[q]
            if not isinstance(row, dict):
                raise InvalidInput(f"delta[{q!r}]: expected an object {{letter: state}}, got {type(row).__name__}")
            for a in row:
                if a not in lidx:
                    raise InvalidInput(f"delta[{q!r}]: {_short(a)} is not a letter of the alphabet")
            for a in alphabet:
                if a not in row:
                    raise InvalidInput(f"delta[{q!r}]: missing transition on letter {a!r}")
                r = row[a]
                if not isinstance(r, str) or r not in sidx:
                    raise InvalidInput(f"delta[{q!r}][{a!r}]: {_short(r)} is not a state name")
                table[sidx[q], lidx[a]] = sidx[r]
        return cls(tuple(states), tuple(alphabet), table, sidx[start], frozenset(sidx[q] for q in acc))

    def to_json(self) -> dict:
        """The DESIGN.md JSON object (``json.dumps``-ready); :meth:`from_json` inverts it exactly."""
        return {
            "alphabet": list(self.alphabet),
            "states": list(self.states),
            "start": self.states[self.start],
            "accept": [self.states[q] for q in sorted(self.accept)],
            "delta": {s: {a: self.states[int(self.delta[q, i])] for i, a in enumerate(self.alphabet)}
                      for q, s in enumerate(self.states)},
        }

    def write_json(self, path: str | os.PathLike, *, indent: int | None = 1) -> None:
        """Write :meth:`to_json` to ``path`` atomically (temp file in the same folder, then rename)."""
        write_atomic(path, json.dumps(self.to_json(), indent=indent) + "\n")

    # -- running --------------------------------------------------------------------------------------------
    def encode(self, word) -> np.ndarray:
        """Letter indices of ``word``: a sequence of letter indices, of letter names, or a ``str`` whose
        characters are letter names. Returns an int64 array ``[T]``."""
        if isinstance(word, np.ndarray) and word.dtype.kind in "iu":
            w = word.astype(np.int64).ravel() if word.ndim <= 1 else None
            if w is None:
                raise InvalidInput(f"word: expected a 1-d sequence of letters, got shape {list(word.shape)}")
            if w.size and (w.min() < 0 or w.max() >= self.n_letters):
                raise InvalidInput(f"word: letter indices must lie in [0, {self.n_letters})")
            return w
        try:
            items = list(word)
        except TypeError:
            raise InvalidInput(f"word: expected a sequence of letters, got {type(word).__name__}") from None
        out = np.empty(len(items), dtype=np.int64)
        for t, x in enumerate(items):
            if isinstance(x, str):
                i = self._letter_index.get(x)
                if i is None:
                    raise InvalidInput(f"word: {x!r} at position {t} is not a letter of {list(self.alphabet)}")
                out[t] = i
            elif _is_int(x) and 0 <= x < self.n_letters:
                out[t] = x
            else:
                raise InvalidInput(f"word: position {t} holds {x!r}; expected a letter name or an index in "
                                   f"[0, {self.n_letters})")
        return out

    def run(self, word, state: int | None = None) -> int:
        """Index of the state reached from ``state`` (default: the start state) after reading ``word``."""
        q = self.start if state is None else self._check_state(state)
        d = self.delta
        for a in self.encode(word):
            q = d[q, a]
        return int(q)

    def trace(self, word, state: int | None = None) -> np.ndarray:
        """States after each letter: an int64 array ``[T]`` whose entry ``t`` is the state after ``word[:t+1]``."""
        q = self.start if state is None else self._check_state(state)
        w = self.encode(word)
        out = np.empty(len(w), dtype=np.int64)
        d = self.delta
        for t, a in enumerate(w):
            q = d[q, a]
            out[t] = q
        return out

    def trace_batch(self, inputs) -> np.ndarray:
        """Vectorised :meth:`trace` over a batch of letter-index words ``[B, T]``; returns states ``[B, T]``."""
        x = np.asarray(inputs)
        if x.ndim != 2 or (x.size and x.dtype.kind not in "iu"):
            raise InvalidInput(f"inputs: expected an integer array [B, T], got shape {list(x.shape)}")
        if x.size and (x.min() < 0 or x.max() >= self.n_letters):
            raise InvalidInput(f"inputs: letter indices must lie in [0, {self.n_letters})")
        out = np.empty(x.shape, dtype=np.int64)
        q = np.full(x.shape[0], self.start, dtype=np.int64)
        for t in range(x.shape[1]):
            q = self.delta[q, x[:, t]]
            out[:, t] = q
        return out

    def accepts(self, word) -> bool:
        """Whether ``word`` is in the language."""
        return self.run(word) in self.accept

    def _check_state(self, q) -> int:
        if isinstance(q, str):
            if q not in self._state_index:
                raise InvalidInput(f"state: {q!r} is not a state name")
            return self._state_index[q]
        if not _is_int(q) or not 0 <= q < self.n_states:
            raise InvalidInput(f"state: expected a state index in [0, {self.n_states}), got {q!r}")
        return int(q)

    # -- structure ------------------------------------------------------------------------------------------
    def reachable(self) -> tuple[int, ...]:
        """Indices of the states reachable from the start, in breadth-first order (letters in order)."""
        seen = [False] * self.n_states
        seen[self.start] = True
        order, queue = [self.start], deque([self.start])
        while queue:
            q = queue.popleft()
            for r in self.delta[q]:
                r = int(r)
                if not seen[r]:
                    seen[r] = True
                    order.append(r)
                    queue.append(r)
        return tuple(order)

    def trim(self) -> DFA:
        """The DFA restricted to its reachable states (original names and relative order kept)."""
        keep = sorted(self.reachable())
        return self._restrict(keep)

    def _restrict(self, keep: Sequence[int]) -> DFA:
        new = {q: i for i, q in enumerate(keep)}
        table = np.array([[new[int(r)] for r in self.delta[q]] for q in keep], dtype=np.int64).reshape(
            len(keep), self.n_letters)
        return DFA(tuple(self.states[q] for q in keep), self.alphabet, table, new[self.start],
                   frozenset(new[q] for q in self.accept if q in new))

    def state_partition(self) -> np.ndarray:
        """Moore refinement: ``block[q]`` for every state (reachable or not); equal blocks = equivalent states.

        Blocks are numbered by first occurrence in state order.
        """
        acc = np.zeros(self.n_states, dtype=np.int64)
        acc[list(self.accept)] = 1
        block = _renumber(acc)
        n_blocks = int(block.max()) + 1
        while True:
            # the signature of q: its block and the blocks of its successors
            sig = np.column_stack([block, block[self.delta]]) if self.n_letters else block[:, None]
            new = _renumber_rows(sig)
            m = int(new.max()) + 1
            block = new
            if m == n_blocks:
                return block
            n_blocks = m

    def minimize(self) -> DFA:
        """The minimal DFA of the same language, in canonical numbering.

        States are numbered breadth-first from the start (letters in order), so equivalent DFAs over the same
        alphabet minimise to identical tables. A merged state is named after its first member in that order.

        Examples
        --------
        >>> d = DFA.from_table([[1, 2], [1, 2], [1, 2]], start=0, accept=[1])   # "ends with letter 0"
        >>> m = d.minimize()
        >>> m.n_states, m.delta.tolist(), sorted(m.accept)
        (2, [[1, 0], [1, 0]], [1])
        """
        t = self.trim()
        block = t.state_partition()
        nb = int(block.max()) + 1
        # a block's successors are well defined (that is what the refinement guarantees)
        _, rep = np.unique(block, return_index=True)  # first member of each block
        quot = block[t.delta[rep]] if t.n_letters else np.zeros((nb, 0), dtype=np.int64)
        q_acc = {int(block[q]) for q in t.accept}
        quotient = DFA(tuple(t.states[r] for r in rep), t.alphabet, quot, int(block[t.start]), q_acc)
        return quotient._canonical()

    def _canonical(self) -> DFA:
        order = self.reachable()  # all states are reachable here
        new = np.empty(self.n_states, dtype=np.int64)
        new[list(order)] = np.arange(len(order))
        table = new[self.delta[list(order)]] if self.n_letters else np.zeros((len(order), 0), dtype=np.int64)
        return DFA(tuple(self.states[q] for q in order), self.alphabet, table, 0,
                   frozenset(int(new[q]) for q in self.accept))

    def is_minimal(self) -> bool:
        return self.minimize().n_states == self.n_states

    def counterexample(self, other: DFA) -> tuple[str, ...] | None:
        """A shortest word (letter names) on which ``self`` and ``other`` disagree, or ``None`` if equivalent.

        Breadth-first search of the product automaton. ``other`` must have the same alphabet as a set (the
        letter order may differ).
        """
        if not isinstance(other, DFA):
            raise InvalidInput(f"other: expected a DFA, got {type(other).__name__}")
        if set(self.alphabet) != set(other.alphabet):
            raise InvalidInput(f"other: alphabets differ ({sorted(self.alphabet)} vs {sorted(other.alphabet)}); "
                               "equivalence is defined over one alphabet")
        perm = [other._letter_index[a] for a in self.alphabet]
        start = (self.start, other.start)
        parent: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {start: None}
        queue = deque([start])
        while queue:
            p, q = pq = queue.popleft()
            if (p in self.accept) != (q in other.accept):
                word = []
                while parent[pq] is not None:
                    pq, a = parent[pq]
                    word.append(self.alphabet[a])
                return tuple(reversed(word))
            for a in range(self.n_letters):
                nxt = (int(self.delta[p, a]), int(other.delta[q, perm[a]]))
                if nxt not in parent:
                    parent[nxt] = (pq, a)
                    queue.append(nxt)
        return None

    def is_equivalent(self, other: DFA) -> bool:
        """Whether both DFAs accept the same language (product BFS; see :meth:`counterexample`).

        Examples
        --------
        >>> a = DFA.from_table([[1, 0], [0, 1]], 0, [1])
        >>> b = DFA.from_table([[1, 0], [2, 1], [1, 2]], 0, [1])
        >>> a.is_equivalent(b), a.counterexample(DFA.from_table([[0, 0]], 0, []))
        (True, ('0',))
        """
        return self.counterexample(other) is None

    def state_graph(self):
        """The state graph as a ``networkx.MultiDiGraph``.

        Nodes are state indices with attributes ``name``, ``accept`` and ``start``; there is one edge
        ``q -> delta[q, a]`` per letter, with key and attribute ``letter`` = the letter name and
        ``letter_index`` = ``a``.
        """
        import networkx as nx

        g = nx.MultiDiGraph(alphabet=list(self.alphabet))
        for q, s in enumerate(self.states):
            g.add_node(q, name=s, accept=q in self.accept, start=q == self.start)
        for q in range(self.n_states):
            for a, name in enumerate(self.alphabet):
                g.add_edge(q, int(self.delta[q, a]), key=name, letter=name, letter_index=a)
        return g

    def transition_monoid(self, limit: int = MAX_MONOID_SIZE) -> TransitionMonoid:
        """Shorthand for :func:`transition_monoid`."""
        return transition_monoid(self, limit=limit)


def _renumber(x: np.ndarray) -> np.ndarray:
    """Relabel values by order of first occurrence (0, 1, 2, ...)."""
    _, first, inv = np.unique(x, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inv.ravel()]


def _renumber_rows(rows: np.ndarray) -> np.ndarray:
    _, first, inv = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inv.ravel()]


def _short(x) -> str:
    r = repr(x)
    return r if len(r) <= 60 else r[:57] + "..."


def _check_names(names: tuple, field_name: str) -> None:
    for i, s in enumerate(names):
        if not isinstance(s, str) or not s:
            raise InvalidInput(f"{field_name}: entry {i} is {_short(s)}; names must be non-empty strings")
    if len(set(names)) != len(names):
        dup = sorted({s for s in names if names.count(s) > 1})
        raise InvalidInput(f"{field_name}: duplicate names {dup[:5]}")


def _name_list(x, field_name: str) -> list[str]:
    if not isinstance(x, list):
        raise InvalidInput(f"{field_name}: expected a list of names, got {type(x).__name__}")
    _check_names(tuple(x), field_name)
    return x


def _load_json_file(path) -> Any:
    try:
        with open(path, "rb") as f:
            text = f.read()
    except (OSError, ValueError) as e:
        raise InvalidInput(f"path: cannot read DFA file {_short(path)}: {type(e).__name__}") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:
        raise InvalidInput(f"path: {_short(path)} is not valid JSON ({e})") from None


def random_dfa(n_states: int, n_letters: int, seed: int | np.random.Generator, *,
               accept_prob: float = 0.5) -> DFA:
    """A uniformly random complete DFA: every transition uniform, each state accepting with ``accept_prob``.

    The start state is 0; unreachable states are kept (trim with :meth:`DFA.trim`).

    Examples
    --------
    >>> d = random_dfa(4, 2, seed=0)
    >>> d.delta.shape, d == random_dfa(4, 2, seed=0)
    ((4, 2), True)
    """
    if not _is_int(n_states) or n_states < 1:
        raise InvalidInput(f"n_states: expected a positive integer, got {n_states!r}")
    if not _is_int(n_letters) or n_letters < 0:
        raise InvalidInput(f"n_letters: expected a non-negative integer, got {n_letters!r}")
    if not 0.0 <= accept_prob <= 1.0:
        raise InvalidInput(f"accept_prob: expected a probability in [0, 1], got {accept_prob!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    table = rng.integers(0, n_states, size=(n_states, n_letters))
    acc = np.flatnonzero(rng.random(n_states) < accept_prob)
    return DFA.from_table(table, 0, acc.tolist())


# ----------------------------------------------------------------------------------------------------------
# transition monoid
# ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Subgroup:
    """A maximal subgroup of a monoid: the H-class of an idempotent.

    Attributes
    ----------
    idempotent : int
        Index of the idempotent ``e`` (the subgroup's identity).
    elements : tuple of int
        Indices of the elements of ``H_e``, increasing.
    order : int
    rank : int
        Size of the image of ``e``; every element permutes that image, which is how the group acts faithfully.
    description : str
        ``"trivial"``, ``"Z<m>"``, ``"S<k>"``, ``"A<k>"``, ``"abelian"`` or ``"order <m>"`` (sympy, for order
        <= 5040; larger groups get ``"order <m>"``).
    """

    idempotent: int
    elements: tuple[int, ...]
    order: int
    rank: int
    description: str


@dataclass(frozen=True, eq=False)
class TransitionMonoid:
    """The transition monoid of a DFA, enumerated breadth-first from the letters.

    Element 0 is the identity (the empty word). Elements appear in shortlex order of their shortest words
    (shorter first, then letter order), so ``words[i]`` is a shortest word inducing element ``i``.

    Attributes
    ----------
    dfa : DFA
    functions : numpy.ndarray
        Read-only ``[size, n_states]``: row ``i`` is element ``i`` as the map ``q -> functions[i, q]``.
    words : tuple of tuple of int
        A shortest word (letter indices) for each element.
    right : numpy.ndarray
        Read-only ``[size, n_letters]`` right Cayley table: ``right[i, a]`` is the index of ``element i * a``.
    """

    dfa: DFA
    functions: np.ndarray
    words: tuple[tuple[int, ...], ...]
    right: np.ndarray
    _parent: np.ndarray = field(repr=False)
    _last: np.ndarray = field(repr=False)
    _index: dict = field(repr=False)

    @property
    def order(self) -> int:
        return int(self.functions.shape[0])

    def __len__(self) -> int:
        return self.order

    @cached_property
    def elements(self) -> tuple[tuple[int, ...], ...]:
        """The elements as tuples ``(f(0), ..., f(n-1))``."""
        return tuple(tuple(int(x) for x in row) for row in self.functions)

    @property
    def letters(self) -> tuple[int, ...]:
        """Index of each letter's element (``right[0, a]``)."""
        return tuple(int(x) for x in self.right[0])

    def index(self, f: Sequence[int]) -> int:
        """The index of the map ``f`` (a sequence of state indices); InvalidInput if it is not an element."""
        key = np.asarray(f, dtype=np.int64).tobytes()
        if key not in self._index:
            raise InvalidInput(f"f: {tuple(f)!r} is not an element of this transition monoid")
        return self._index[key]

    def word(self, i: int) -> tuple[str, ...]:
        """A shortest word (letter names) inducing element ``i``."""
        return tuple(self.dfa.alphabet[a] for a in self.words[self._check(i)])

    def _check(self, i) -> int:
        if not _is_int(i) or not 0 <= i < self.order:
            raise InvalidInput(f"element: expected an element index in [0, {self.order}), got {i!r}")
        return int(i)

    def mul(self, i: int, j: int) -> int:
        """Index of ``i * j`` ("first i, then j": ``(i*j)(q) = j(i(q))``)."""
        i, j = self._check(i), self._check(j)
        tab = self._table_or_none
        if tab is not None:
            return int(tab[i, j])
        f, g = self.functions[i], self.functions[j]
        return self._index[g[f].tobytes()]

    @cached_property
    def _table_or_none(self) -> np.ndarray | None:
        return self.table if self.order <= MAX_TABLE_SIZE else None

    @cached_property
    def table(self) -> np.ndarray:
        """Multiplication table ``[size, size]``, ``table[i, j] = i * j`` (read-only; size <= MAX_TABLE_SIZE).

        Built column by column along the BFS tree: if ``j = p * a`` then ``i * j = (i * p) * a``.
        """
        m = self.order
        if m > MAX_TABLE_SIZE:
            raise MonoidTooLarge(f"table: the monoid has {m} elements > MAX_TABLE_SIZE = {MAX_TABLE_SIZE}; "
                                 "use mul(i, j)")
        tab = np.empty((m, m), dtype=np.int32 if m < 2**31 else np.int64)
        tab[:, 0] = np.arange(m)
        for j in range(1, m):
            tab[:, j] = self.right[tab[:, self._parent[j]], self._last[j]]
        tab.setflags(write=False)
        return tab

    # -- structure ------------------------------------------------------------------------------------------
    def is_permutation(self, i: int) -> bool:
        f = self.functions[self._check(i)]
        return len(np.unique(f)) == len(f)

    def is_group(self) -> bool:
        """Whether every element is a permutation of the states (then the monoid is a group)."""
        F = np.sort(self.functions, axis=1)
        return bool((F == np.arange(F.shape[1])).all())

    def index_period(self, i: int) -> tuple[int, int]:
        """Index and period of element ``i``: the least ``k >= 1`` and ``p >= 1`` with ``m^k = m^(k+p)``.

        Read off the functional graph of ``m``: the period is the lcm of its cycle lengths, the index the longest
        tail leading into a cycle (at least 1).
        """
        f = [int(x) for x in self.functions[self._check(i)]]
        n = len(f)
        on_cycle = [False] * n
        period = 1
        seen_global = [False] * n
        for s in range(n):
            if seen_global[s]:
                continue
            path, pos, q = [], {}, s
            while q not in pos and not seen_global[q]:
                pos[q] = len(path)
                path.append(q)
                q = f[q]
            if q in pos:  # a new cycle
                cyc = path[pos[q]:]
                for c in cyc:
                    on_cycle[c] = True
                period = period * len(cyc) // math.gcd(period, len(cyc))
            for p in path:
                seen_global[p] = True
        tail = 0
        for s in range(n):
            t, q = 0, s
            while not on_cycle[q]:
                q = f[q]
                t += 1
            tail = max(tail, t)
        return max(tail, 1), period

    def is_aperiodic(self) -> bool:
        """Whether every element ``m`` has ``m^w = m^(w+1)`` for some ``w`` (all periods are 1).

        Equivalently, no element's functional graph has a cycle longer than 1 (a fixed point).
        """
        F = self.functions
        n = F.shape[1]
        # f^N with N >= n maps every state onto a cycle of f; all periods are 1 iff f(f^N(q)) = f^N(q)
        rows = np.arange(F.shape[0])[:, None]
        P, N = F, 1
        while N < n:
            P = P[rows, P]  # f^(2N)
            N *= 2
        return bool((F[rows, P] == P).all())

    def idempotents(self) -> tuple[int, ...]:
        """Indices of the idempotents ``e * e = e``."""
        F = self.functions
        rows = np.arange(F.shape[0])[:, None]
        return tuple(int(i) for i in np.flatnonzero((F[rows, F] == F).all(axis=1)))

    def classify(self) -> str:
        """``"group"``, ``"aperiodic"`` or ``"neither"``. The trivial monoid is both; it is reported ``"group"``."""
        if self.is_group():
            return "group"
        return "aperiodic" if self.is_aperiodic() else "neither"

    def _omega(self) -> np.ndarray:
        """The idempotent power ``m^omega`` of every element, as functions ``[size, n]``.

        ``m^L`` with ``L = lcm(1..n)``: a multiple of every period (cycle lengths are <= n) and >= every index.
        """
        F = self.functions
        n = F.shape[1]
        if n > 64:  # L has ~1.44 n bits: go element by element instead
            out = np.empty_like(F)
            for i in range(F.shape[0]):
                k, p = self.index_period(i)
                out[i] = _fpow(F[i], p * -(-k // p))
            return out
        L = math.lcm(*range(1, n + 1))
        rows = np.arange(F.shape[0])[:, None]
        result, base = np.broadcast_to(np.arange(n), F.shape).copy(), F.copy()
        while L:
            if L & 1:
                result = base[rows, result]
            base = base[rows, base]
            L >>= 1
        return result

    def maximal_subgroups(self) -> list[Subgroup]:
        """The maximal subgroups ``H_e``, one per idempotent ``e`` (in index order).

        ``H_e = {m : e m = m = m e and m^omega = e}``: in a finite monoid, an element of the local monoid ``eMe``
        lies in the group of units of ``eMe`` (which is ``H_e``) iff its idempotent power is ``e``.

        Examples
        --------
        >>> d = DFA.from_table([[1, 0], [0, 0]], 0, [0])    # letter 0 swaps, letter 1 resets to state 0
        >>> [(g.order, g.description) for g in transition_monoid(d).maximal_subgroups()]
        [(2, 'Z2'), (1, 'trivial'), (1, 'trivial')]
        """
        F = self.functions
        if self.is_group():  # one idempotent, the identity, and H_1 is everything
            ident = np.arange(F.shape[1])
            return [Subgroup(0, tuple(range(self.order)), self.order, F.shape[1], _describe(F, ident))]
        omega = self._omega()
        groups = []
        for e in self.idempotents():
            fe = F[e]
            local = (F[:, fe] == F).all(axis=1) & (fe[F] == F).all(axis=1)  # e*m = m (m after e), m*e = m
            members = np.flatnonzero(local & (omega == fe).all(axis=1))
            image = np.unique(fe)
            groups.append(Subgroup(e, tuple(int(m) for m in members), len(members), len(image),
                                   _describe(F[members][:, image], image)))
        return groups

    def __repr__(self) -> str:
        return f"TransitionMonoid(order={self.order}, n_states={self.functions.shape[1]})"


def _fpow(f: np.ndarray, e: int) -> np.ndarray:
    result = np.arange(len(f))
    base = f.copy()
    while e:
        if e & 1:
            result = base[result]
        base = base[base]
        e >>= 1
    return result


def _describe(restricted: np.ndarray, image: np.ndarray, budget: int = 20_000) -> str:
    """Isomorphism type of a small group given by its permutations of ``image`` (rows of ``restricted``).

    Recognised: trivial, cyclic ``Z<m>``, abelian (primary decomposition ``Z2xZ4``), ``Q8``, and ``S<k>``,
    ``A<k>``, ``D<n>`` (order 2n) by finding generators that satisfy a presentation of that group and generate
    the whole group (a group generated by elements satisfying the relations of a finite presentation is a
    quotient of the presented group; equal orders make it isomorphic). The search is capped at ``budget``
    steps; anything else is ``"order <m>"``. sympy's ``is_isomorphic`` is not used: it answers False for S5
    given by its regular representation.
    """
    m = len(restricted)
    if m == 1:
        return "trivial"
    if m > 5040:
        return f"order {m}"
    from sympy.combinatorics import Permutation, PermutationGroup

    pos = {int(x): i for i, x in enumerate(image)}
    P = np.array([[pos[int(x)] for x in row] for row in restricted], dtype=np.int64)
    orders = [perm_order(p) for p in P]
    if max(orders) == m:
        return f"Z{m}"

    def gen_order(ps) -> int:
        return int(PermutationGroup([Permutation(list(map(int, p))) for p in ps]).order())

    def comm(a, b):
        return np.array_equal(a[b], b[a])

    if all(comm(P[i], P[j]) for i in range(m) for j in range(i + 1, m)):
        parts = []
        for q in sorted({q for q in range(2, m + 1) if m % q == 0 and all(q % r for r in range(2, q))}):
            # n_j = #{x : x^(q^j) = 1} = q^(c_j); the number of cyclic factors of order >= q^j is c_j - c_(j-1)
            c, j = [0], 1
            while True:
                nj = sum(1 for o in orders if (q ** j) % o == 0)
                c.append(round(math.log(nj, q)))
                if c[-1] == c[-2]:
                    break
                j += 1
            ge = [c[i] - c[i - 1] for i in range(1, len(c))]  # ge[j-1] = #factors of order >= q^j
            for j in range(len(ge)):
                nxt = ge[j + 1] if j + 1 < len(ge) else 0
                parts += [q ** (j + 1)] * (ge[j] - nxt)
        return "x".join(f"Z{e}" for e in sorted(parts))
    inv = [i for i in range(m) if orders[i] == 2]
    if m == 8 and len(inv) == 1:
        return "Q8"
    steps = [0]

    def chain(cands, length, ok):
        """Backtracking search for ``length`` elements from ``cands`` with ``ok(chosen, new)`` generating G."""
        def rec(chosen):
            steps[0] += 1
            if steps[0] > budget:
                return False
            if len(chosen) == length:
                return gen_order([P[i] for i in chosen]) == m
            return any(rec(chosen + [c]) for c in cands if ok(chosen, c))
        return rec([])

    def order_of_product(i, j):
        return perm_order(P[j][P[i]])

    k = 3
    while math.factorial(k) <= 2 * m:
        if math.factorial(k) == m:  # Coxeter presentation of S_k: t_i^2, (t_i t_i+1)^3, (t_i t_j)^2 for |i-j|>1
            def ok_s(ch, c):
                if not ch:
                    return True
                return order_of_product(ch[-1], c) == 3 and all(2 % order_of_product(x, c) == 0 for x in ch[:-1])
            if chain(inv, k - 1, ok_s):
                return f"S{k}"
        if k >= 4 and math.factorial(k) // 2 == m:  # Carmichael: u_i^3, (u_i u_j)^2 for i != j
            threes = [i for i in range(m) if orders[i] == 3]
            if chain(threes, k - 2, lambda ch, c: all(2 % order_of_product(x, c) == 0 and x != c for x in ch)):
                return f"A{k}"
        k += 1
    if m % 2 == 0 and m >= 6:  # D_n: two involutions whose product has order n
        n = m // 2
        if chain(inv, 2, lambda ch, c: not ch or order_of_product(ch[0], c) == n):
            return f"D{n}"
    return f"order {m}"


def transition_monoid(dfa: DFA, limit: int = MAX_MONOID_SIZE) -> TransitionMonoid:
    """Enumerate the transition monoid of ``dfa`` by breadth-first search from the identity.

    The maps are of *all* states of ``dfa`` (reachable or not); use ``dfa.minimize()`` first for the syntactic
    monoid. Raises :class:`MonoidTooLarge` (an ``InvalidInput``) once more than ``limit`` elements are found.

    Examples
    --------
    >>> ff = DFA.from_table([[0, 1, 0], [0, 1, 1]], 0, [1], alphabet=["write0", "write1", "ignore"])
    >>> M = transition_monoid(ff)
    >>> M.elements, [M.word(i) for i in range(M.order)]
    (((0, 1), (0, 0), (1, 1)), [(), ('write0',), ('write1',)])
    >>> M.is_aperiodic(), M.classify()
    (True, 'aperiodic')
    """
    if not isinstance(dfa, DFA):
        raise InvalidInput(f"dfa: expected a DFA, got {type(dfa).__name__}")
    if not _is_int(limit) or limit < 1:
        raise InvalidInput(f"limit: expected a positive integer, got {limit!r}")
    n, k = dfa.n_states, dfa.n_letters
    dt = np.int32 if n < 2**31 else np.int64
    delta = dfa.delta.astype(dt)
    ident = np.arange(n, dtype=dt)
    funcs = [ident]
    index = {ident.tobytes(): 0}
    parent, last, words = [-1], [-1], [()]
    right_rows: list[list[int]] = []
    i = 0
    while i < len(funcs):
        f = funcs[i]
        succ = delta[f].T  # row a: the map "f, then a"
        row = []
        for a in range(k):
            g = np.ascontiguousarray(succ[a])
            key = g.tobytes()
            j = index.get(key)
            if j is None:
                j = len(funcs)
                if j >= limit:
                    raise MonoidTooLarge(f"dfa: the transition monoid has more than limit = {limit} elements "
                                         f"({n} states, {k} letters); raise limit= to enumerate it anyway")
                index[key] = j
                funcs.append(g)
                parent.append(i)
                last.append(a)
                words.append(words[i] + (a,))
            row.append(j)
        right_rows.append(row)
        i += 1
    F = np.stack(funcs).astype(np.int64) if funcs else np.zeros((1, n), dtype=np.int64)
    F.setflags(write=False)
    right = np.asarray(right_rows, dtype=np.int64).reshape(len(funcs), k)
    right.setflags(write=False)
    index64 = {F[j].tobytes(): j for j in range(len(funcs))}
    return TransitionMonoid(dfa, F, tuple(words), right, np.asarray(parent), np.asarray(last), index64)


def classify(dfa: DFA, limit: int = MAX_MONOID_SIZE) -> str:
    """Classify the language of ``dfa`` by its syntactic monoid (the transition monoid of the minimal DFA).

    ``"group"``: the monoid is a group (a group automaton; [GZ] Thm 3, one layer). ``"aperiodic"``: no element has
    a non-trivial cyclic part (a counter-free, star-free language). ``"neither"`` otherwise. The trivial monoid is
    both and is reported as ``"group"``.

    Examples
    --------
    >>> classify(DFA.from_table([[0, 1, 0], [0, 1, 1]], 0, [1]))
    'aperiodic'
    """
    if not isinstance(dfa, DFA):
        raise InvalidInput(f"dfa: expected a DFA, got {type(dfa).__name__}")
    return transition_monoid(dfa.minimize(), limit=limit).classify()
