"""Every lesson runs top to bottom, as a learner would, within the budget in its metadata
({"gokit": {"budget_seconds": 60}}).

The lessons are executed ONCE per test session, by `gokit check --json` in a venv built the way binder/ builds
the image (see binder_env.py): that one run is both the Binder proof and these per-lesson results.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers import output_problems

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} is committed with outputs; regenerate it with notebooks/_src/make_{path.name[:2]}.py"


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_runs_top_to_bottom(path: Path, binder_check) -> None:
    entries = {e["notebook"]: e for e in binder_check["report"]["lessons"]}
    assert path.name in entries, f"gokit check did not run {path.name} (it finds lessons by glob)"
    e = entries[path.name]
    assert e["passed"], f"{path.name}: cell {e['cell']}: {e['error']}"
    # A budget is for a machine with a core to spare; on a shared machine busier than its cores (load average
    # above the CPU count), the lesson gets its budget times that ratio, and the message says so.
    busy = max(1.0, (e.get("load") or 0.0) / (e.get("cpus") or 1))
    if e["budget_seconds"] is not None:
        assert e["seconds"] <= e["budget_seconds"] * busy, (
            f"{path.name} took {e['seconds']:.1f} s, over its budget of {e['budget_seconds']:.0f} s"
            + (f" (x{busy:.1f} for a load average of {e['load']} on {e['cpus']} CPUs)" if busy > 1 else ""))
    executed = nbformat.read(binder_check["saved"] / path.name, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    problems = output_problems(executed, path.name[:2])  # paths, tracebacks, warnings, NaN, a visible solution
    assert not problems, "\n".join(problems)
