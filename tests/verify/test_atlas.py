import json
import os

import pytest

from theory.errors import InvalidInput
from verify.atlas import run_atlas


def test_small_atlas_and_resume(tmp_path):
    out = str(tmp_path / "rep")
    at = run_atlas(["Z2", "S3"], [1, 2], ["exact", "bf16"], length=32, batch=2, out=out, workers=1, progress=False)
    by = {(r["group"], r["n_h"]): r["cells"] for r in at["rows"]}
    assert by[("S3", 1)]["exact"]["status"] == "refuted" and by[("S3", 1)]["bf16"]["status"] == "refuted"
    assert by[("S3", 2)]["exact"]["status"] == "proved" and by[("S3", 2)]["bf16"]["status"] == "proved"
    for name in ("atlas.json", "atlas.md", "atlas_error_vs_length.png", "atlas_horizon_vs_nh.png"):
        assert os.path.getsize(os.path.join(out, name)) > 0
    assert not [f for f in os.listdir(out) if f.startswith(".tmp")]
    # resume: delete one cell, corrupt nothing else; only that cell is recomputed
    cells = os.path.join(out, "cells")
    before = {f: os.path.getmtime(os.path.join(cells, f)) for f in os.listdir(cells)}
    os.remove(os.path.join(cells, "S3__nh2.json"))
    run_atlas(["Z2", "S3"], [1, 2], ["exact", "bf16"], length=32, batch=2, out=out, workers=1, progress=False)
    after = {f: os.path.getmtime(os.path.join(cells, f)) for f in os.listdir(cells)}
    assert set(after) == set(before)
    assert all(after[f] == before[f] for f in before if f != "S3__nh2.json")
    md = open(os.path.join(out, "atlas.md")).read()
    assert "| S3 | 2 | proved | proved |" in md
    assert json.load(open(os.path.join(out, "atlas.json")))["params"]["length"] == 32


@pytest.mark.parametrize("kw,match", [({"formats": ["fp8"]}, "formats"), ({"backend": "x"}, "backend"),
                                      ({"length": 0}, "length"), ({"device": "tpu"}, "device")])
def test_atlas_bad_input(tmp_path, kw, match):
    with pytest.raises(InvalidInput, match=match):
        run_atlas(["Z2"], [1], out=str(tmp_path), progress=False, **kw)


def test_fresh_recomputes(tmp_path):
    out = str(tmp_path / "rep")
    run_atlas(["Z2"], [1], ["exact"], length=8, batch=1, out=out, workers=1, progress=False)
    p = os.path.join(out, "cells", "Z2__nh1.json")
    t0 = os.path.getmtime(p)
    import time

    time.sleep(0.05)
    run_atlas(["Z2"], [1], ["exact"], length=8, batch=1, out=out, workers=1, progress=False)
    assert os.path.getmtime(p) == t0
    run_atlas(["Z2"], [1], ["exact"], length=8, batch=1, out=out, workers=1, progress=False, fresh=True)
    assert os.path.getmtime(p) > t0


def test_fp64_cells_of_a_triton_backend_run_the_reference():
    """The Triton kernels have no float64 path: an atlas on them measures its fp64 cells with the reference."""
    from verify.atlas import atlas_cell

    cell = atlas_cell("Z3", 2, ["fp64", "fp32"], backend="recurrent", device="cpu", length=8, batch=2, seed=0,
                      max_format_order=0)
    assert cell["cells"]["fp64"]["backend"] == "reference"
    assert cell["cells"]["fp32"]["backend"] == "recurrent"
    assert cell["cells"]["fp64"]["measured"]["fraction_tracked"] == 1.0
