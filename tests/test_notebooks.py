"""Execute every lesson top to bottom, as a learner would, within the budget each lesson declares.

A lesson declares its budget in its notebook metadata: {"gokit": {"budget_seconds": 60}}.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import LESSONS, execute_lesson, output_problems


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    nb, _ = execute_lesson(path, tmp_path)
    assert not output_problems(nb, path.name[:2]), "\n".join(output_problems(nb, path.name[:2]))
