"""Shared by the lesson generators: collect markdown/code cells, write the notebook with outputs cleared.

Exercises are declared here with their solutions and written to gokit/_exercises/NN.json, never into
a notebook cell: the lesson loads one with `gokit.exercise("NN", "key")`.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from gokit._lesson import EXERCISES_DIR  # where gokit.exercise() reads them

NOTEBOOKS = Path(__file__).resolve().parent.parent


class Lesson:
    """One lesson notebook being generated: `md(...)`, `code(...)`, then `write()`."""

    def __init__(self, filename: str, budget_seconds: int) -> None:
        self.out = NOTEBOOKS / filename
        self.budget_seconds = budget_seconds
        self.cells: list = []
        self.exercises: dict[str, dict[str, str]] = {}

    @property
    def number(self) -> str:
        return self.out.name[:2]

    def exercise(self, key: str, *, question: str, hint: str, solution: str) -> str:
        """Record an exercise (kept out of the notebook); returns the code that loads it in a cell."""
        assert key not in self.exercises, key
        self.exercises[key] = {"question": question.strip(), "hint": hint.strip(), "solution": solution.strip()}
        return f'gokit.exercise("{self.number}", "{key}")'

    def md(self, text: str) -> None:
        self.cells.append(new_markdown_cell(text.strip("\n")))

    def code(self, text: str) -> None:
        self.cells.append(new_code_cell(text.strip("\n")))

    def write(self) -> Path:
        for i, cell in enumerate(self.cells):  # stable ids: regenerating a lesson gives a clean diff
            cell["id"] = f"{self.number}-{i:03d}"
        nb = new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        nb.metadata["gokit"] = {"budget_seconds": self.budget_seconds}
        nbformat.write(nb, self.out)
        print(f"wrote {self.out}")
        EXERCISES_DIR.mkdir(exist_ok=True)
        path = EXERCISES_DIR / f"{self.number}.json"
        path.write_text(json.dumps(self.exercises, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(self.exercises)} exercises)")
        return self.out


def next_lesson(lesson: Lesson, number: str, what: str) -> None:
    """End a lesson with a link to lesson `number`, only if its notebook exists (no link to a lesson to come).

    Regenerate the lesson once the next one is written to get the link.
    """
    found = sorted(NOTEBOOKS.glob(f"{number}-*.ipynb"))
    if not found:
        return
    nb = nbformat.read(found[0], as_version=4)
    title = next((c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
                  if c.cell_type == "markdown" and c.source.startswith("# ")), found[0].stem)
    lesson.md(f"Next: {what}, in [{title}]({found[0].name}).")


def code_hidden(lesson: Lesson, text: str) -> None:
    """A code cell whose source starts folded in JupyterLab (the learner sees its output, and can unfold
    the code): for cells that only compute prose from the measurements, like "What you saw"."""
    lesson.code(text)
    lesson.cells[-1].metadata["jupyter"] = {"source_hidden": True}
