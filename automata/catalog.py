"""The built-in catalog of groups used by ``deltaproof table`` and the atlas.

SL(2,3) is given by its action on the 8 nonzero vectors of F_3^2 (generators [[1,1],[0,1]] and [[0,-1],[1,0]]),
Q16 is the generalised quaternion group of order 16, ``Dic3`` the dicyclic group of order 12.

>>> len(CATALOG) >= 30
True
"""

from __future__ import annotations

SL23 = "perm:(0 3 6)(1 7 4),(0 5 1 2)(3 6 7 4)"

#: (display name, spec)
CATALOG: list[tuple[str, str]] = (
    [(f"Z{m}", f"Z{m}") for m in range(2, 13)]
    + [("Z2xZ2", "Z2xZ2"), ("Z2xZ2xZ2", "Z2xZ2xZ2"), ("Z4xZ2", "Z4xZ2"), ("Z3xZ3", "Z3xZ3")]
    + [(f"S{n}", f"S{n}") for n in range(3, 7)]
    + [(f"A{n}", f"A{n}") for n in range(4, 7)]
    + [(f"D{n}", f"D{n}") for n in range(4, 9)]
    + [("Q8", "Q8"), ("Q16", "Q16"), ("SL(2,3)", SL23), ("Dic3", "Dic3")]
    + [("A4xZ5", "A4xZ5"), ("S3xZ3", "S3xZ3"), ("S3xS3", "S3xS3"), ("A5xZ2", "A5xZ2")]
)

#: Named aliases accepted wherever a group spec is (``deltaproof prove 'SL(2,3)' ...``).
ALIASES = {"SL(2,3)": SL23, "SL23": SL23, "Dic12": "Dic3"}
