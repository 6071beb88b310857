"""Execute every lesson top to bottom, as a learner would, within the budget each lesson declares.

A lesson declares its budget in its notebook metadata: {"gokit": {"budget_seconds": 60}}.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]-*.ipynb"))
DEFAULT_BUDGET = 90


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} is committed with outputs; clear them"
    budget = nb.metadata.get("gokit", {}).get("budget_seconds", DEFAULT_BUDGET)
    client = NotebookClient(nb, timeout=max(budget, 60), kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError on the first failing cell
    took = time.perf_counter() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    assert took <= budget, f"{path.name} took {took:.1f} s, over its budget of {budget} s"
    nbformat.write(nb, tmp_path / path.name)  # executed copy, for a look when something is off
