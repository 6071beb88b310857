"""Every lesson also runs top to bottom on the learner's own older Go: GOKIT_GO pointing at Go 1.22.10.

The kernel inherits GOKIT_GO, as it would from a learner's shell, and GOKIT_FAST=1 (fewer benchmark
samples, as CI runs them). Lessons are found by name, so a lesson added later is covered too.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import LESSONS, execute_lesson, output_problems


@pytest.mark.go
@pytest.mark.go122
@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_on_go122(path: Path, tmp_path: Path, tc122) -> None:
    nb, _ = execute_lesson(path, tmp_path, env={"GOKIT_GO": str(tc122.go), "GOKIT_FAST": "1"},
                           then="import gokit; print('ran on go' + gokit.toolchain().version)")
    said = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))
    assert "ran on go1.22." in said, f"the kernel did not use GOKIT_GO: {said!r}"
    problems = output_problems(nb, path.name[:2])
    assert not problems, "\n".join(problems)
