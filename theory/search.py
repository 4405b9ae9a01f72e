"""Breadth-first exploration with shortest counterexamples, shared by the provers (not by the checkers).

The provers (exact constructions, exact-in-format simulations, multi-layer automata) all explore the finite
graph of (state, label) pairs reachable from a start pair, checking each new pair; the first failure in
breadth-first order is reached by a shortest word. The independent checkers deliberately keep their own copy
(theory/checker.py), so that a bug here cannot make a checker agree with a wrong prover.

Examples
--------
>>> r = explore(0, [1, 2], lambda n, x: (n + x) % 5, lambda n: None if n != 4 else "hit 4")
>>> r.ok, r.word, r.reason
(False, [2, 2], 'hit 4')
>>> explore(0, [1], lambda n, x: (n + x) % 3, lambda n: None).visited
[0, 1, 2]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

__all__ = ["Exploration", "explore", "path_to"]


def path_to(parent: dict, node: Hashable) -> list:
    """The letters from the BFS root to ``node``, where ``parent[n]`` is ``(predecessor, letter)`` or ``None``.

    Examples
    --------
    >>> path_to({0: None, 1: (0, "a"), 2: (1, "b")}, 2)
    ['a', 'b']
    """
    out = []
    while parent[node] is not None:
        node, x = parent[node]
        out.append(x)
    return out[::-1]


@dataclass
class Exploration:
    """``ok``: closed with every node accepted; otherwise ``word`` (shortest, letters as given) and ``reason``.
    ``word`` is ``None`` when the search stopped at ``max_nodes`` without a failure."""

    ok: bool
    visited: list
    word: list | None = None
    reason: str = ""


def explore(start: Hashable, letters: Sequence, step: Callable, check: Callable, *,
            max_nodes: int | None = None) -> Exploration:
    """BFS from ``start`` with ``step(node, letter)``; ``check(node)`` returns ``None`` or a failure reason."""
    parent: dict = {start: None}
    visited = [start]

    def word(node):
        return path_to(parent, node)

    why = check(start)
    if why is not None:
        return Exploration(False, visited, [], why)
    q = deque([start])
    while q:
        node = q.popleft()
        for x in letters:
            nxt = step(node, x)
            if nxt in parent:
                continue
            parent[nxt] = (node, x)
            why = check(nxt)
            if why is not None:
                return Exploration(False, visited, word(nxt), why)
            visited.append(nxt)
            q.append(nxt)
            if max_nodes is not None and len(visited) > max_nodes:
                return Exploration(False, visited, None, f"more than {max_nodes} reachable nodes")
    return Exploration(True, visited)
