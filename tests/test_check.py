"""gokit check: every lesson run in a fresh kernel, a table (lesson, passed, seconds, first error), JSON, exit code."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gokit.faces.check import LESSON_GLOB, check, lessons, row, summary
from gokit.errors import UsageError
from helpers import expect, gokit_cli


def lesson(d: Path, name: str, *cells: str, budget: float | None = None) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell(f"# {name}"), *(new_code_cell(c) for c in cells)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if budget is not None:
        nb.metadata["gokit"] = {"budget_seconds": budget}
    p = d / f"{name}.ipynb"
    nbformat.write(nb, p)
    return p


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("lessons")
    lesson(d, "00-works", "x = 6 * 7", "print(x)", budget=60)
    lesson(d, "01-breaks", "x = 1", "x / 0", "print('never')", budget=60)
    lesson(d, "02-slow", "import time; time.sleep(1.2)", budget=1)
    (d / "notes.ipynb").write_text("{}")        # not a lesson: no NN- prefix
    (d / "_src").mkdir()
    return d


def test_lessons_are_found_by_glob_and_selected_by_number(room: Path) -> None:
    assert [p.name for p in lessons(room)] == ["00-works.ipynb", "01-breaks.ipynb", "02-slow.ipynb"]
    assert [p.stem for p in lessons(room, ["01", "00-works"])] == ["00-works", "01-breaks"]
    assert LESSON_GLOB == "[0-9][0-9]-*.ipynb"
    expect(UsageError, lessons, room, ["07"], match="no lesson 07.*00-works, 01-breaks, 02-slow")
    expect(UsageError, lessons, room / "_src", match="no lessons")


def test_check_reports_pass_fail_first_error_and_budget(room: Path, tmp_path: Path) -> None:
    seen = []
    results = check(lessons(room), timeout=60, save=tmp_path, on_result=seen.append)
    assert seen == results
    ok, bad, slow = results
    assert ok.passed and ok.error == "" and ok.cell is None and ok.within_budget
    assert not bad.passed and bad.error == "ZeroDivisionError: division by zero" and bad.cell == 2
    assert slow.passed and slow.seconds > 1.2 and slow.within_budget is False
    assert "cell 2: ZeroDivisionError" in row(bad) and row(slow).split()[3] == "1!"
    # each code cell's time from nbclient's timestamps: the longest cell, and the cells over 2 s
    assert len(ok.cell_seconds) == 2 and all(t is not None and 0 <= t < 1 for t in ok.cell_seconds)
    assert bad.cell_seconds[2] is None                                  # stopped at the error: never ran
    assert slow.slowest[0] == 1 and 1.2 <= (slow.slowest[1] or 0) < slow.seconds and "(#1)" in row(slow)
    assert slow.slow_cells() == [] and slow.slow_cells(1.0) == [(1, slow.slowest[1])]
    assert slow.to_json()["slowest_cell"] == 1
    assert summary(results).startswith("2 of 3 lessons passed") and "over budget (!): 02" in summary(results)
    import nbformat

    saved = nbformat.read(tmp_path / "01-breaks.ipynb", as_version=4)
    assert saved.cells[2].outputs[0]["ename"] == "ZeroDivisionError"   # the executed copy, kept for a look
    assert not saved.cells[3].get("outputs")                            # run stopped at the error


def test_cli_table_json_and_exit_code(room: Path) -> None:
    done = gokit_cli("check", "--notebooks", str(room), "00", "01")
    assert done.returncode == 1, done.stderr
    out = done.stdout.splitlines()
    assert out[1].split()[:4] == ["lesson", "passed", "seconds", "budget"]
    assert out[2].split()[:2] == ["00-works", "yes"] and out[3].split()[:2] == ["01-breaks", "NO"]
    assert out[-1].startswith("1 of 2 lessons passed")
    assert "Traceback" not in done.stdout + done.stderr and "WARNING" not in done.stderr
    good = gokit_cli("check", "--notebooks", str(room), "00", "--json")
    assert good.returncode == 0
    report = json.loads(good.stdout)
    assert report["ok"] and report["machine"]["cpus"] and report["machine"]["go"]
    (entry,) = report["lessons"]
    assert entry["lesson"] == "00" and entry["passed"] and entry["within_budget"] and entry["seconds"] > 0
