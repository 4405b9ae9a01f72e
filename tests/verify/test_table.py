"""The catalog table: every row's minimum is attained by a proved construction (an upper bound independent of
the character theory), and the minima match values derived by hand."""

import pytest

from automata.catalog import CATALOG
from verify.table import build_table

HAND = {  # derived by hand from known representations / small arguments
    "Z2": (1, 1), "Z3": (2, 2), "Z2xZ2": (2, 2), "Z2xZ2xZ2": (3, 3), "S3": (2, 2), "S4": (2, 3), "A4": (2, 3),
    "A5": (2, 3), "D4": (2, 2), "Q8": (4, 4),
}


@pytest.fixture(scope="module")
def rows():
    return build_table()


def test_catalog_size_and_proved(rows):
    assert len(rows) == len(CATALOG) >= 30
    for r in rows:
        assert r["proved"], r["group"]


def test_hand_values(rows):
    by = {r["group"]: r for r in rows}
    for g, (nh, dim) in HAND.items():
        assert (by[g]["min_n_h"], by[g]["dim"]) == (nh, dim), g
