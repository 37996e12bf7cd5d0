"""The notebooks in demos/ run from a clean kernel, and every drawing cell shows a picture."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "demos").glob("*.ipynb"))


DRAWINGS = {"mazur.ipynb": 2, "micrograd_lecture.ipynb": 2}  # cells that end by drawing a graph


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == sorted(DRAWINGS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], Any]:
    """Runs a notebook with this checkout's chainrule, in a folder of its own, so the files it writes
    (out/mazur_live.html) do not land in the checkout (CellExecutionError, with the traceback, on any error)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the kernel inherits it

    def executed(path: Path) -> Any:
        notebook = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(
            notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
        return notebook

    return executed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_every_drawing_shows_as_svg(path, run):
    notebook = run(path)
    drawing_cells = [
        cell for cell in notebook.cells if cell.cell_type == "code" and "draw_" in cell.source.splitlines()[-1]
    ]
    assert len(drawing_cells) == DRAWINGS[path.name]
    for cell in drawing_cells:
        svgs = [out["data"]["image/svg+xml"] for out in cell.outputs if "image/svg+xml" in out.get("data", {})]
        assert len(svgs) == 1, f"no SVG for: {cell.source}"
        assert svgs[0].count("<text") > 10
    assert not [out for cell in notebook.cells for out in cell.get("outputs", []) if out.output_type == "error"]


def test_the_mazur_notebook_shows_the_articles_numbers_and_the_live_view(run, tmp_path):
    notebook = run(ROOT / "demos" / "mazur.ipynb")
    outputs = [out for cell in notebook.cells for out in cell.get("outputs", [])]
    printed = "".join(out.get("text", "") for out in outputs)
    assert "dE/dw5 = dE/do1 * do1/dnet_o1 * dnet_o1/dw5 = 0.7414 * 0.1868 * 0.5933 = 0.0822" in printed
    assert "dE/dw5 = 0.082167041, dE/dw1 = 0.000438568" in printed
    assert "error after 10,000 updates: 0.000035" in printed
    svgs = [out["data"]["image/svg+xml"] for out in outputs if "image/svg+xml" in out.get("data", {})]
    assert "0.08217" in svgs[0] and ">w5<" in svgs[0]
    frames = [out["data"]["text/html"] for out in outputs if "<iframe" in out.get("data", {}).get("text/html", "")]
    assert len(frames) == 1 and "out/mazur_live.html" in frames[0]
    views = [
        out["data"]["image/svg+xml"]
        for out in outputs
        if "chainrule-view" in out.get("data", {}).get("image/svg+xml", "")
    ]
    assert len(views) == 1  # the TrainingView: one output, updated in place
    assert "redrawn 101 times in one output; the error at step 999 was 0.001116" in printed
    assert "step 999 of 1,000, error 0.001116" in views[0]
    assert (tmp_path / "out" / "mazur_live.html").exists()


def test_the_lecture_notebook_checks_every_hand_derived_number(run):
    notebook = run(ROOT / "demos" / "micrograd_lecture.ipynb")
    asserts = sum(cell.source.count("assert ") for cell in notebook.cells if cell.cell_type == "code")
    assert asserts >= 12
    printed = "".join(out.get("text", "") for cell in notebook.cells for out in cell.get("outputs", []))
    assert "-8.0 {'L': 1.0, 'd': -2.0, 'f': 4.0, 'c': -2.0, 'e': -2.0, 'a': 6.0, 'b': -4.0}" in printed
    assert "-7.286496" in printed
    assert "0.7071 0.5 [-1.5, 1.0, 0.5, 0.0]" in printed
