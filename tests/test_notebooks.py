"""The notebooks in demos/ run from a clean kernel, and every drawing cell shows a picture."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "demos").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["drawing.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_every_drawing_shows_as_svg(path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()  # raises CellExecutionError, with the traceback, on any error
    drawing_cells = [
        cell for cell in notebook.cells if cell.cell_type == "code" and "draw_" in cell.source.splitlines()[-1]
    ]
    assert len(drawing_cells) == 2
    for cell in drawing_cells:
        svgs = [out["data"]["image/svg+xml"] for out in cell.outputs if "image/svg+xml" in out.get("data", {})]
        assert len(svgs) == 1, f"no SVG for: {cell.source}"
        assert "dE/dw5" in svgs[0] or "0.08217" in svgs[0]
        assert not [out for out in cell.outputs if out.output_type == "error"]
    printed = "".join(out.get("text", "") for cell in notebook.cells for out in cell.get("outputs", []))
    assert "dE/dw5 = dE/do1 * do1/dnet_o1 * dnet_o1/dw5 = 0.7414 * 0.1868 * 0.5933 = 0.0822" in printed
