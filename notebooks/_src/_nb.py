"""Shared by the lesson generators: collect markdown/code cells, write the notebook with outputs cleared."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent


class Lesson:
    """One lesson notebook being generated: `md(...)`, `code(...)`, then `write()`."""

    def __init__(self, filename: str, budget_seconds: int) -> None:
        self.out = NOTEBOOKS / filename
        self.budget_seconds = budget_seconds
        self.cells: list = []

    def md(self, text: str) -> None:
        self.cells.append(new_markdown_cell(text.strip("\n")))

    def code(self, text: str) -> None:
        self.cells.append(new_code_cell(text.strip("\n")))

    def write(self) -> Path:
        for i, cell in enumerate(self.cells):  # stable ids: regenerating a lesson gives a clean diff
            cell["id"] = f"{self.out.name[:2]}-{i:03d}"
        nb = new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        nb.metadata["gokit"] = {"budget_seconds": self.budget_seconds}
        nbformat.write(nb, self.out)
        print(f"wrote {self.out}")
        return self.out
