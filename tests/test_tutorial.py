"""docs/tutorial.ipynb runs top to bottom in a Jupyter kernel: a scenario, a deaths chart with bands, the seizure share."""
import os
from pathlib import Path

import nbclient          # the `test` extra installs nbclient, nbformat and ipykernel
import nbformat

NOTEBOOK = Path(__file__).parents[1] / "docs" / "tutorial.ipynb"
SRC = str(Path(__file__).parents[1] / "src")


def test_the_tutorial_notebook_runs_and_shows_its_results(tmp_path, monkeypatch):
    # The kernel is a child process: it must import this checkout's fentflow.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit the notebook without outputs"
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()   # raises on any error
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    text = "".join(output.get("text", "") for output in outputs)
    assert "posterior draws" in text                                    # where the parameters came from
    assert any("image/png" in output.get("data", {}) for output in outputs)   # the deaths chart
    assert "median share seized at the border" in text and " %" in text
    assert not any(output.get("output_type") == "error" for output in outputs)
