"""Exact one-layer DeltaProduct constructions: per-letter Householder steps, initial state, decoder.

The recurrence (DESIGN.md): state ``S`` is ``[K, V]``; for letter ``x`` and steps ``j = 1..n_h`` (step 1 first)

    S <- S - c_j u_j (u_j^T S) + c_j u_j v_j^T,      c_j = beta_j / (u_j . u_j),

so ``A(x) = G_{n_h} ... G_1`` with ``G_j = I - c_j u_j u_j^T``. A step stores the exact, unnormalised direction
``u``; a kernel uses either the unit key ``k = u/|u|`` with ``beta`` and ``v/|u|``, or the integer key ``k = u``
with ``beta_eff = c`` and ``v`` unchanged: both give the same update. Unused steps are padded with ``beta = 0``.

The decoder is ``argmax_c <D_c, S>`` (Frobenius inner product) over reference states ``D_c``, one per output
class; for group constructions ``D_g = rho(g) h_0``, which decodes every reachable state correctly when all of
them have the same norm and are distinct (Cauchy-Schwarz), see theory/README.md.

Examples
--------
>>> from automata import group
>>> from theory.reps import permutation
>>> c = from_representation(permutation(group("S3")), n_h=2)
>>> c.n_h, c.key_dim, c.value_dim, len(c.letters)
(2, 3, 1, 6)
>>> c.decode(c.initial_state)
0
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from theory.errors import InvalidInput
from theory.exact import ExactField, Mat, Vec
from theory.householder import factor_orthogonal

__all__ = ["CONSTRUCTION_KIND", "Construction", "Letter", "Step", "from_representation"]

CONSTRUCTION_KIND = "deltaproof.construction"


@dataclass(frozen=True)
class Step:
    """One Householder step: direction ``u`` (length K), ``beta`` in [0, 2], write vector ``v`` (length V)."""

    u: Vec
    beta: Any
    v: Vec


@dataclass(frozen=True)
class Letter:
    """A letter: its name, what it means (a group element as an image tuple, or None) and its steps."""

    name: str
    steps: tuple[Step, ...]
    element: tuple[int, ...] | None = None


@dataclass(eq=False)
class Construction:
    """An exact one-layer DeltaProduct parameterisation; validates itself on creation.

    Parameters
    ----------
    field : ExactField
    n_h : int
        Householder steps per letter (letters with fewer steps are padded with ``beta = 0``).
    letters : sequence of Letter
    initial_state : tuple of tuples, ``[K, V]``
    decoder : sequence of (label, element or None, reference state ``[K, V]``)
    meta : dict
        Free-form provenance (group spec, representation name, ...), copied into JSON.
    """

    field: ExactField
    n_h: int
    letters: list
    initial_state: Mat
    decoder: list
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        F = self.field
        if not isinstance(self.n_h, int) or isinstance(self.n_h, bool) or self.n_h < 1:
            raise InvalidInput(f"n_h: expected an integer >= 1, got {self.n_h!r}")
        S = self.initial_state
        if not S or not S[0] or any(len(r) != len(S[0]) for r in S):
            raise InvalidInput("initial_state: expected a non-empty [K, V] matrix with rows of equal length")
        K, V = len(S), len(S[0])
        if not self.letters:
            raise InvalidInput("letters: at least one letter is required")
        two = F.one + F.one
        padded = []
        for li, L in enumerate(self.letters):
            if len(L.steps) > self.n_h:
                raise InvalidInput(f"letters[{li}] ({L.name}): {len(L.steps)} steps > n_h = {self.n_h}")
            for j, st in enumerate(L.steps):
                where = f"letters[{li}] ({L.name}) step {j + 1}"
                if len(st.u) != K:
                    raise InvalidInput(f"{where}: u has length {len(st.u)}, expected K = {K}")
                if len(st.v) != V:
                    raise InvalidInput(f"{where}: v has length {len(st.v)}, expected V = {V}")
                if F.sign(st.beta) < 0 or F.sign(two - st.beta) < 0:
                    raise InvalidInput(f"{where}: beta = {F.to_str(st.beta)} is outside [0, 2]")
                if st.beta != F.zero and all(x == F.zero for x in st.u):
                    raise InvalidInput(f"{where}: u = 0 with beta != 0 (the key direction is undefined)")
            pad = Step(tuple([F.one] + [F.zero] * (K - 1)), F.zero, tuple([F.zero] * V))
            padded.append(Letter(L.name, tuple(L.steps) + (pad,) * (self.n_h - len(L.steps)), L.element))
        self.letters = padded
        if not self.decoder:
            raise InvalidInput("decoder: at least one reference state is required")
        for ci, (_, _, D) in enumerate(self.decoder):
            if len(D) != K or any(len(r) != V for r in D):
                raise InvalidInput(f"decoder[{ci}]: reference state must be [K, V] = [{K}, {V}]")

    # -- shape ----------------------------------------------------------------------------------------------
    @property
    def key_dim(self) -> int:
        return len(self.initial_state)

    @property
    def value_dim(self) -> int:
        return len(self.initial_state[0])

    def effective_n_h(self) -> int:
        """Largest number of steps with ``beta != 0`` over the letters."""
        return max(sum(1 for s in L.steps if s.beta != self.field.zero) for L in self.letters)

    # -- semantics ------------------------------------------------------------------------------------------
    def apply_step(self, S: Mat, st: Step) -> Mat:
        """One step ``S - c u (u^T S) + c u v^T`` with ``c = beta / u.u``, exactly."""
        F = self.field
        if st.beta == F.zero:
            return S
        c = st.beta / F.dot(st.u, st.u)
        cols = len(S[0])
        w = [c * (sum((st.u[i] * S[i][j] for i in range(len(S))), F.zero) - st.v[j]) for j in range(cols)]
        return tuple(tuple(S[i][j] - st.u[i] * w[j] for j in range(cols)) for i in range(len(S)))

    def apply(self, S: Mat, letter: int) -> Mat:
        """The state after reading letter number ``letter`` (all its steps, step 1 first)."""
        for st in self.letters[letter].steps:
            S = self.apply_step(S, st)
        return S

    def run(self, word: Sequence[int]) -> Mat:
        S = self.initial_state
        for x in word:
            S = self.apply(S, x)
        return S

    def transition_matrix(self, letter: int) -> Mat:
        """``A(x) = G_{n_h} ... G_1`` (the linear part of the letter's update)."""
        F = self.field
        K = self.key_dim
        cols = tuple(tuple(F.one if i == j else F.zero for i in range(K)) for j in range(K))
        zero_v = tuple([F.zero])
        out_cols = []
        for col in cols:
            s = tuple((x,) for x in col)
            for st in self.letters[letter].steps:
                s = self.apply_step(s, Step(st.u, st.beta, zero_v))
            out_cols.append(tuple(r[0] for r in s))
        return tuple(tuple(out_cols[j][i] for j in range(K)) for i in range(K))

    def scores(self, S: Mat) -> list:
        F = self.field
        return [sum((F.dot(a, b) for a, b in zip(D, S)), F.zero) for _, _, D in self.decoder]

    def _norm2(self, S: Mat):
        F = self.field
        return sum((F.dot(r, r) for r in S), F.zero)

    def _equal_norm_lookup(self) -> dict | None:
        """``{D_c: label}`` when all reference states are distinct with one common norm, else ``None``.

        Then, for a state ``S`` of that same norm, ``<D_c, S> <= |D_c||S|`` with equality iff ``D_c = S``
        (Cauchy-Schwarz), so the argmax is the unique ``c`` with ``D_c = S``: an exact O(1) decode.
        """
        if not hasattr(self, "_lookup_cache"):
            norms = {self._norm2(D) for _, _, D in self.decoder}
            table = {D: lab for lab, _, D in self.decoder}
            ok = len(norms) == 1 and len(table) == len(self.decoder)
            self._lookup_cache = (table, norms.pop()) if ok else None
        return self._lookup_cache

    def decode(self, S: Mat) -> Any:
        """Label of the reference state with the largest inner product (exact; ties -> ``None``)."""
        F = self.field
        fast = self._equal_norm_lookup()
        if fast is not None and S in fast[0] and self._norm2(S) == fast[1]:
            return fast[0][S]
        sc = self.scores(S)
        best = 0
        for i in range(1, len(sc)):
            if F.sign(sc[i] - sc[best]) > 0:
                best = i
        if any(i != best and sc[i] == sc[best] for i in range(len(sc))):
            return None
        return self.decoder[best][0]

    # -- JSON -----------------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        F = self.field
        return {
            "kind": CONSTRUCTION_KIND,
            "version": 1,
            "field": F.to_json(),
            "n_h": self.n_h,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "update": "S <- S - c u (u^T S) + c u v^T, c = beta/(u.u), steps in order",
            "initial_state": F.mat_to_json(self.initial_state),
            "letters": [
                {
                    "name": L.name,
                    **({"element": list(L.element)} if L.element is not None else {}),
                    "steps": [{"u": F.vec_to_json(s.u), "beta": F.to_str(s.beta), "v": F.vec_to_json(s.v)}
                              for s in L.steps],
                }
                for L in self.letters
            ],
            "decoder": {
                "kind": "argmax",
                "classes": [
                    {"label": lab, **({"element": list(el)} if el is not None else {}), "vector": F.mat_to_json(D)}
                    for lab, el, D in self.decoder
                ],
            },
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict) -> Construction:
        """Parse a construction (as written by :meth:`to_json` or by hand); raises :class:`InvalidInput`."""
        if not isinstance(data, dict):
            raise InvalidInput("construction: expected a JSON object")
        for key in ("n_h", "initial_state", "letters", "decoder"):
            if key not in data:
                raise InvalidInput(f"construction: missing field {key!r}")
        gens = data.get("field", [])
        if not isinstance(gens, list) or not all(isinstance(g, str) for g in gens):
            raise InvalidInput("field: expected a list of generator strings such as [\"sqrt(5)\"] ([] for QQ)")
        F = ExactField(gens)
        S0 = data["initial_state"]
        if not isinstance(S0, list) or not S0 or not all(isinstance(r, list) for r in S0):
            raise InvalidInput("initial_state: expected a [K, V] list of lists of exact numbers")
        S = F.mat(S0, name="initial_state")
        letters = []
        if not isinstance(data["letters"], list) or not data["letters"]:
            raise InvalidInput("letters: expected a non-empty list")
        for li, L in enumerate(data["letters"]):
            if not isinstance(L, dict) or not isinstance(L.get("steps"), list):
                raise InvalidInput(f"letters[{li}]: expected an object with a 'steps' list")
            steps = []
            for j, st in enumerate(L["steps"]):
                if not isinstance(st, dict) or "u" not in st or "beta" not in st:
                    raise InvalidInput(f"letters[{li}].steps[{j}]: expected {{'u': [...], 'beta': ..., 'v': [...]}}")
                if not isinstance(st["u"], list):
                    raise InvalidInput(f"letters[{li}].steps[{j}].u: expected a list")
                v = st.get("v", ["0"] * len(S[0]))
                if not isinstance(v, list):
                    raise InvalidInput(f"letters[{li}].steps[{j}].v: expected a list")
                steps.append(Step(F.vec(st["u"], name=f"letters[{li}].steps[{j}].u"),
                                  F.parse(st["beta"], name=f"letters[{li}].steps[{j}].beta"),
                                  F.vec(v, name=f"letters[{li}].steps[{j}].v")))
            el = L.get("element")
            if el is not None and (not isinstance(el, list) or not all(isinstance(i, int) for i in el)):
                raise InvalidInput(f"letters[{li}].element: expected a list of point images")
            letters.append(Letter(str(L.get("name", li)), tuple(steps), tuple(el) if el is not None else None))
        dec = data["decoder"]
        classes = dec.get("classes") if isinstance(dec, dict) else None
        if not isinstance(classes, list) or not classes:
            raise InvalidInput("decoder: expected {'kind': 'argmax', 'classes': [{'label', 'vector'}, ...]}")
        decoder = []
        for ci, c in enumerate(classes):
            if not isinstance(c, dict) or "vector" not in c:
                raise InvalidInput(f"decoder.classes[{ci}]: expected an object with 'label' and 'vector'")
            el = c.get("element")
            decoder.append((c.get("label", ci), tuple(el) if el is not None else None,
                            F.mat(c["vector"], name=f"decoder.classes[{ci}].vector")))
        n_h = data["n_h"]
        if not isinstance(n_h, int) or isinstance(n_h, bool):
            raise InvalidInput(f"n_h: expected an integer >= 1, got {n_h!r}")
        return cls(F, n_h, letters, S, decoder, dict(data.get("meta", {})))


def _orbit_size(rep, h0) -> int:
    F = rep.field
    return len({F.matvec(M, h0) for M in rep.matrices})


def generic_initial_vector(rep) -> Vec:
    """A small-integer vector with trivial stabiliser (its orbit has |G| points), tried in a fixed order."""
    F, n, order = rep.field, rep.dim, rep.group.order
    candidates = [tuple(range(1, n + 1)), tuple(2 ** k for k in range(n)), tuple(3 ** k for k in range(n))]
    for cand in itertools.chain(candidates, itertools.product(range(-3, 8), repeat=n)):
        h0 = tuple(F.parse(x) for x in cand)
        if _orbit_size(rep, h0) == order:
            return h0
    raise InvalidInput(f"representation {rep.name}: no vector with trivial stabiliser found (is it faithful?)")


def from_representation(rep, n_h: int, letters: Sequence[int] | None = None, h0: Vec | None = None) -> Construction:
    """Build the construction ``A(x) = rho(x)``, ``h_0`` with trivial stabiliser, ``D_g = rho(g) h_0``.

    Each letter's matrix is factored into ``rank(rho(x) - I)`` reflections; raises :class:`InvalidInput` if a
    letter needs more than ``n_h``.
    """
    G, F = rep.group, rep.field
    ls = list(range(G.order)) if letters is None else list(letters)
    h0 = generic_initial_vector(rep) if h0 is None else h0
    out = []
    zero_v = (F.zero,)
    for x in ls:
        fs = factor_orthogonal(rep.matrices[x], F, check=False)
        if len(fs) > n_h:
            raise InvalidInput(f"n_h: letter {G.cycle_notation(x)} needs {len(fs)} reflections in {rep.name}, n_h = {n_h}")
        out.append(Letter(str(x), tuple(Step(f.u, f.beta, zero_v) for f in fs), G.element(x)))
    decoder = [(g, G.element(g), tuple((y,) for y in F.matvec(rep.matrices[g], h0))) for g in range(G.order)]
    meta = {"group": G.spec, "representation": rep.name, "dim": rep.dim, "rational": rep.is_rational}
    return Construction(F, n_h, out, tuple((y,) for y in h0), decoder, meta)
