"""Execute every notebook in notebooks/ (jupytext percent format) with FAST = True; any cell error fails."""

import glob
import os
import re
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "[0-9][0-9]_*.py")))

jupytext = pytest.importorskip("jupytext", reason="jupytext not installed (pip install -e '.[notebooks]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient not installed (pip install -e '.[notebooks]')")
pytest.importorskip("ipykernel", reason="ipykernel not installed (pip install -e '.[notebooks]')")


def test_notebooks_exist():
    assert len(NOTEBOOKS) >= 5, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[os.path.basename(p) for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    text = open(path).read()
    assert re.search(r"^FAST = True", text, re.MULTILINE), "notebook must define FAST = True near the top"
    nb = jupytext.reads(text, fmt="py:percent")
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    os.environ.update({"PYTHONPATH": env["PYTHONPATH"], "MPLBACKEND": env["MPLBACKEND"]})
    t0 = time.perf_counter()
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    assert time.perf_counter() - t0 < 120
