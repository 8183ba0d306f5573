"""``docs/lecture.ipynb`` runs: every cell is executed by a Jupyter kernel (nbclient), in an
empty folder, and the test fails if a cell raises.  Skipped without nbclient or ipykernel
(the ``test`` extra installs them)."""
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK = os.path.join(ROOT, "docs", "lecture.ipynb")


@pytest.mark.slow
def test_the_lecture_notebook_runs(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    pytest.importorskip("graphviz")
    monkeypatch.setenv("PYTHONPATH", ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()                    # raises CellExecutionError if a cell fails
    outputs = [output for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.outputs]
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "tensor(7., grad_fn=<ReluBackward0>)" in text
    assert "∂a/∂w = 3" in text                       # explain()
    assert any("image/png" in o.get("data", {}) for o in outputs)       # the plots
    assert os.listdir(tmp_path) == []


def test_the_notebook_is_valid_and_has_the_lecture():
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    source = "\n".join(cell.source for cell in notebook.cells)
    for part in ("import ember as torch", "make_dot", "explain", "LinearRegression", "NumPy"):
        assert part in source
