"""Exact numbers, vectors and matrices over QQ and real algebraic number fields.

Every exact computation in deltaproof goes through an :class:`ExactField`: the rationals ``QQ`` or a real
algebraic extension ``QQ(a_1, ..., a_r)`` given by sympy expressions (``sqrt(5)``, ``cos(2*pi/7)``). Elements
are sympy domain elements (``gmpy2.mpq`` for QQ, ``ANP`` for algebraic fields), which are exact, hashable
and fast. Vectors are tuples of elements and matrices are tuples of row tuples: the sizes involved (K <= 10)
make plain tuples faster than any matrix class, and hashable tuples are what a breadth-first search over
reachable states needs.

Floats are refused wherever an exact value is required: ``0.1`` is not one tenth. Write ``Fraction("0.1")``,
``"1/10"`` or a sympy ``Rational`` instead.

Examples
--------
>>> F = ExactField(["sqrt(5)"])
>>> x = F.parse("(1 + sqrt(5))/2")
>>> F.to_str(F.mul(x, x) - x - F.one)
'0'
>>> ExactField().parse(0.5)
Traceback (most recent call last):
...
theory.errors.ExactnessError: value: expected an exact number (int, Fraction, sympy Rational or a string such as '1/2' or 'sqrt(2)/2'), got float 0.5; write Fraction('0.5') or '1/2'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import lru_cache

import sympy
from sympy import QQ
from sympy.parsing.sympy_parser import TokenError

from theory.errors import ExactnessError, InvalidInput

__all__ = ["ExactField", "Mat", "Vec", "field_for"]

Vec = tuple
Mat = tuple

_RATIONAL_RE = re.compile(r"^\s*[+-]?\d+(\s*/\s*[+-]?\d+)?\s*$")
_ALLOWED_NAMES = {"sqrt": sympy.sqrt, "cos": sympy.cos, "sin": sympy.sin, "pi": sympy.pi, "Rational": sympy.Rational}


@lru_cache(maxsize=4096)
def _sympify_exact(text: str) -> sympy.Expr:
    """Parse a string such as ``"sqrt(2)/2"`` into a sympy expression; only exact constructs are allowed."""
    if "." in text or re.search(r"\d[eE][+-]?\d", text):
        raise ExactnessError(f"value: {text!r} contains a decimal point; write it as a fraction such as '1/10'")
    try:
        expr = sympy.sympify(text, locals=_ALLOWED_NAMES, rational=True, convert_xor=False)
    except (sympy.SympifyError, SyntaxError, TypeError, TokenError) as exc:
        raise InvalidInput(f"value: cannot parse {text!r} as an exact number ({exc.__class__.__name__})") from None
    if not isinstance(expr, sympy.Expr) or expr.free_symbols or expr.has(sympy.Float):
        raise InvalidInput(f"value: {text!r} is not a closed exact real number")
    if expr.is_real is False or expr.has(sympy.I):
        raise InvalidInput(f"value: {text!r} is not a real number")
    return expr


class ExactField:
    """The field QQ(generators) with exact arithmetic.

    Parameters
    ----------
    generators : sequence of str or sympy.Expr, optional
        Real algebraic numbers adjoined to QQ, e.g. ``["sqrt(5)"]`` or ``["cos(2*pi/7)", "sin(2*pi/7)"]``.
        Empty (the default) means QQ itself.

    Examples
    --------
    >>> F = ExactField()
    >>> F.dot((F.parse(1), F.parse("1/2")), (F.parse(2), F.parse(4)))
    mpq(4,1)
    >>> F.name
    'QQ'
    """

    def __init__(self, generators: Sequence[str | sympy.Expr] = ()):
        gens = []
        for g in generators:
            expr = _sympify_exact(g) if isinstance(g, str) else sympy.sympify(g)
            if expr.is_rational:
                continue
            if not expr.is_algebraic:
                raise InvalidInput(f"generators: {g!r} is not an algebraic number")
            gens.append(expr)
        self.generators: tuple[sympy.Expr, ...] = tuple(gens)
        self.dom = QQ if not gens else QQ.algebraic_field(*gens)
        self.zero = self.dom.zero
        self.one = self.dom.one
        self._cache: dict[str, object] = {}

    # -- identity -----------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return "QQ" if not self.generators else "QQ<" + ", ".join(str(g) for g in self.generators) + ">"

    @property
    def is_rational_field(self) -> bool:
        return not self.generators

    def to_json(self) -> list[str]:
        """The generators as strings; ``[]`` for QQ."""
        return [str(g) for g in self.generators]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExactField) and self.generators == other.generators

    def __hash__(self) -> int:
        return hash(self.generators)

    def __repr__(self) -> str:
        return f"ExactField({self.to_json()!r})"

    def join(self, other: ExactField) -> ExactField:
        """The smallest field of this kind containing both (generators united)."""
        if self == other or not other.generators:
            return self
        if not self.generators:
            return other
        gens = list(self.generators) + [g for g in other.generators if g not in self.generators]
        return ExactField(gens)

    # -- conversion ---------------------------------------------------------------------------------------
    def parse(self, value: object, *, name: str = "value"):
        """Convert an exact value into an element of this field.

        Accepts ``int``, ``fractions.Fraction``, sympy numbers and expressions, elements of this field's domain,
        and strings (``"3"``, ``"-1/2"``, ``"sqrt(2)/2"``). Refuses ``float`` (and numpy floats) with
        :class:`ExactnessError`, and numbers outside the field with :class:`InvalidInput`.
        """
        dom = self.dom
        if isinstance(value, bool):
            raise InvalidInput(f"{name}: expected an exact number, got bool {value!r}")
        if isinstance(value, int):
            return dom(value)
        if isinstance(value, float) or type(value).__name__ in {"float16", "float32", "float64", "float_"}:
            raise ExactnessError(
                f"{name}: expected an exact number (int, Fraction, sympy Rational or a string such as '1/2' "
                f"or 'sqrt(2)/2'), got float {value!r}; write Fraction('{value}') or '1/2'"
            )
        if isinstance(value, Fraction):
            return dom(value.numerator) / dom(value.denominator)
        if isinstance(value, str):
            cached = self._cache.get(value)
            if cached is not None:
                return cached
            if value.startswith("alg[") and value.endswith("]"):
                out = self._from_coefficients(value, name)
            elif _RATIONAL_RE.match(value):
                num, _, den = value.replace(" ", "").partition("/")
                if den and int(den) == 0:
                    raise InvalidInput(f"{name}: division by zero in {value!r}")
                out = dom(int(num)) / dom(int(den or 1))
            else:
                out = self._from_sympy(_sympify_exact(value), name, value)
            if len(self._cache) < 100_000:
                self._cache[value] = out
            return out
        if isinstance(value, sympy.Basic):
            if value.has(sympy.Float):
                raise ExactnessError(f"{name}: {value!r} contains a float; use sympy.Rational")
            return self._from_sympy(value, name, value)
        if dom.of_type(value):
            return value
        if type(value).__name__ == "mpq" or type(value).__name__ == "PythonMPQ":
            return dom.convert(value)
        raise ExactnessError(f"{name}: expected an exact number, got {type(value).__name__} {value!r}")

    def _from_coefficients(self, text: str, name: str):
        """``alg[c_{d-1},...,c_0]``: coefficients on the powers of the field's primitive element (sympy's choice,
        deterministic for given generators). This is how certificates store irrational numbers: parsing it is
        exact and fast, where re-deriving a number field element from a radical expression is slow."""
        if not self.generators:
            raise InvalidInput(f"{name}: {text!r} needs an algebraic field, but the field is QQ")
        parts = text[4:-1].split(",")
        if not all(_RATIONAL_RE.match(p) for p in parts) or len(parts) > self.dom.ext.minpoly.degree():
            raise InvalidInput(f"{name}: malformed coefficient list {text!r} for a field of degree "
                               f"{self.dom.ext.minpoly.degree()}")
        coeffs = []
        for p in parts:
            num, _, den = p.replace(" ", "").partition("/")
            if den and int(den) == 0:
                raise InvalidInput(f"{name}: division by zero in {text!r}")
            coeffs.append(QQ(int(num), int(den or 1)))
        return self.dom.new(coeffs)

    def _from_sympy(self, expr, name, shown):
        if expr.is_Rational:
            return self.dom.from_sympy(expr)
        if not self.generators:
            raise InvalidInput(f"{name}: {shown!r} is irrational; it needs a field such as QQ<{expr}>")
        try:
            return self.dom.from_sympy(expr)
        except (sympy.polys.polyerrors.CoercionFailed, sympy.polys.polyerrors.IsomorphismFailed, NotImplementedError):
            raise InvalidInput(f"{name}: {shown!r} does not lie in the field {self.name}") from None

    def to_sympy(self, x) -> sympy.Expr:
        return self.dom.to_sympy(x)

    def to_str(self, x) -> str:
        """A string that :meth:`parse` maps back to ``x`` exactly: ``"3/4"`` for rationals, otherwise
        ``"alg[...]"`` (coefficients on the primitive element's powers; :meth:`to_sympy` gives a readable form)."""
        if not self.generators:
            return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
        coeffs = x.to_list() if hasattr(x, "to_list") else x.rep
        if len(coeffs) <= 1:
            q = QQ.convert(coeffs[0]) if coeffs else QQ.zero
            return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"
        return "alg[" + ",".join(str(c.numerator) if c.denominator == 1 else f"{c.numerator}/{c.denominator}"
                                 for c in (QQ.convert(c) for c in coeffs)) + "]"

    def to_fraction(self, x) -> Fraction:
        """Exact Fraction of a rational element; :class:`InvalidInput` if ``x`` is irrational."""
        if not self.is_rational(x):
            raise InvalidInput(f"value: {self.to_str(x)} is irrational")
        q = x if not self.generators else QQ.convert(self.to_sympy(x))
        return Fraction(int(q.numerator), int(q.denominator))

    def is_rational(self, x) -> bool:
        if not self.generators:
            return True
        coeffs = x.to_list() if hasattr(x, "to_list") else x.rep
        return len(coeffs) <= 1

    def to_float(self, x, digits: int = 30):
        """High-precision numerical value (an ``mpmath.mpf`` with ``digits`` correct digits)."""
        import mpmath

        with mpmath.workdps(digits + 10):
            return mpmath.mpf(sympy.N(self.to_sympy(x), digits + 10))

    def sign(self, x) -> int:
        """Exact sign of a real element: -1, 0 or 1.

        Zero is decided exactly. For a nonzero algebraic element the sign is read from a numerical value whose
        magnitude sympy's ``evalf`` certifies to many more digits than needed (sympy's evalf keeps an error bound
        for the expressions used here: radicals, cos and sin of rational multiples of pi, and field operations).
        """
        if x == self.zero:
            return 0
        if not self.generators:
            return 1 if x > 0 else -1
        val = sympy.N(self.to_sympy(x), 50)
        if val == 0:  # pragma: no cover - cannot happen for a nonzero algebraic number at 50 digits here
            raise ArithmeticError("sign: could not separate a nonzero algebraic number from 0")
        return 1 if val > 0 else -1

    # -- arithmetic ---------------------------------------------------------------------------------------
    @staticmethod
    def add(a, b):
        return a + b

    @staticmethod
    def mul(a, b):
        return a * b

    def vec(self, values: Iterable, *, name: str = "vector") -> Vec:
        return tuple(self.parse(v, name=f"{name}[{i}]") for i, v in enumerate(values))

    def mat(self, rows: Iterable[Iterable], *, name: str = "matrix") -> Mat:
        out = tuple(tuple(self.parse(v, name=f"{name}[{i}][{j}]") for j, v in enumerate(r)) for i, r in enumerate(rows))
        if out and len({len(r) for r in out}) != 1:
            raise InvalidInput(f"{name}: rows of unequal length {[len(r) for r in out]}")
        return out

    def dot(self, a: Vec, b: Vec):
        s = self.zero
        for x, y in zip(a, b):
            s += x * y
        return s

    def identity(self, n: int) -> Mat:
        z, o = self.zero, self.one
        return tuple(tuple(o if i == j else z for j in range(n)) for i in range(n))

    def matmul(self, A: Mat, B: Mat) -> Mat:
        cols = list(zip(*B))
        return tuple(tuple(self.dot(r, c) for c in cols) for r in A)

    def matvec(self, A: Mat, x: Vec) -> Vec:
        return tuple(self.dot(r, x) for r in A)

    def transpose(self, A: Mat) -> Mat:
        return tuple(zip(*A))

    def is_orthogonal(self, A: Mat) -> bool:
        n = len(A)
        return all(len(r) == n for r in A) and self.matmul(self.transpose(A), A) == self.identity(n)

    def rank(self, A: Mat) -> int:
        """Exact rank by fraction-free Gaussian elimination over the field."""
        rows = [list(r) for r in A]
        rank, ncols = 0, len(rows[0]) if rows else 0
        for c in range(ncols):
            piv = next((i for i in range(rank, len(rows)) if rows[i][c] != self.zero), None)
            if piv is None:
                continue
            rows[rank], rows[piv] = rows[piv], rows[rank]
            p = rows[rank][c]
            for i in range(rank + 1, len(rows)):
                f = rows[i][c]
                if f != self.zero:
                    rows[i] = [a * p - b * f for a, b in zip(rows[i], rows[rank])]
            rank += 1
        return rank

    def mat_to_json(self, A: Mat) -> list[list[str]]:
        return [[self.to_str(x) for x in r] for r in A]

    def vec_to_json(self, x: Vec) -> list[str]:
        return [self.to_str(v) for v in x]


def field_for(*fields: ExactField) -> ExactField:
    """The join of several fields (QQ when none is given)."""
    out = ExactField()
    for f in fields:
        out = out.join(f)
    return out


def parse_beta_max(value) -> "Fraction":
    """The upper end of an allowed beta range as an exact Fraction in (0, 2]; floats are refused.

    >>> parse_beta_max("1"), parse_beta_max(2)
    (Fraction(1, 1), Fraction(2, 1))
    """
    try:
        bm = Fraction(str(value)) if not isinstance(value, (float, bool)) else None
    except (ValueError, ZeroDivisionError):
        bm = None
    if bm is None or not 0 < bm <= 2:
        raise InvalidInput(f"beta_max: expected an exact number in (0, 2] such as 2 or 1, got {value!r}")
    return bm
