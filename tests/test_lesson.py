"""gokit._lesson: predict-then-run exercises whose solutions never sit in a notebook cell."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest

import gokit
from gokit.faces.check import LESSON_GLOB
from gokit._lesson import EXERCISES_DIR, NO_GUESS
from gokit.errors import UsageError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob(LESSON_GLOB))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_no_visible_cell_shows_a_solution(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    exercises = json.loads((EXERCISES_DIR / f"{path.name[:2]}.json").read_text())
    assert exercises, f"{path.name} has no predict-then-run exercise"
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "code":
            assert not re.search(r"\bsolution\s*=", text), f"{path.name}: a code cell writes a solution"
        for key, e in exercises.items():
            assert e["solution"] not in text and e["solution"][:60] not in text, f"{path.name}: {key}'s solution"
    loaded = {m.group(1) for c in nb.cells for m in re.finditer(r'gokit\.exercise\("\d\d", "([\w-]+)"\)', c.source)}
    assert loaded == set(exercises), "every recorded exercise is used by its lesson, and no other"


def test_before_a_guess_neither_answer_nor_solution_is_shown() -> None:
    ex = gokit.exercise("03", "prove")
    assert "prove" in ex.question and "solution" not in repr(ex)
    v = ex.check(NO_GUESS, False)
    assert v.correct is None and ex.solution not in v._repr_html_() and "toolchain says" not in v._repr_html_()
    right = ex.check(False, False)
    h = right._repr_html_()
    assert right.correct and "<details>" in h and "✓ Right" in h
    wrong = ex.check(True, False)
    assert wrong.correct is False and html.escape(ex.hint) in wrong._repr_html_()
    assert ex.check([9, 1], [1, 9], compare=lambda a, b: sorted(a) == sorted(b)).correct


def test_unknown_lesson_or_key_is_advice() -> None:
    with pytest.raises(UsageError, match="has no exercise 'nope'; it has: bce, escape, prove"):
        gokit.exercise("03", "nope")
    with pytest.raises(UsageError, match="no exercises for lesson '99'"):
        gokit.exercise("99", "x")
