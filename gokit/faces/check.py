"""`gokit check`: run every lesson top to bottom in a fresh kernel and report which passed, how long each took,
and the first error of any that failed — what an instructor runs the night before a workshop, and CI runs too."""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .._run import NOTEBOOK_SECONDS
from ..errors import UsageError

#: Lessons are the numbered notebooks of the lessons folder: NN-slug.ipynb (found by glob, so new ones count).
LESSON_GLOB = "[0-9][0-9]-*.ipynb"
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
#: A cell that runs longer than this must show what it is doing (issue 18): `gokit check` lists them.
SLOW_CELL_SECONDS = 2.0


@dataclass(frozen=True)
class LessonResult:
    """One lesson's run: passed (no cell raised), its wall time, its budget, and the first error if any."""

    lesson: str            # "07"
    notebook: str          # "07-benchmarks-lab.ipynb"
    passed: bool
    seconds: float
    budget_seconds: float | None
    error: str = ""        # "ZeroDivisionError: division by zero" (first line of the first error)
    cell: int | None = None  # 1-based number of the code cell that failed
    load: float | None = None  # the machine's 1-minute load average while it ran (mean of start and end)
    cpus: int | None = None
    cell_seconds: tuple[float | None, ...] = ()   # each code cell's run time, in order (None: it did not run)

    @property
    def slowest(self) -> tuple[int | None, float | None]:
        """(1-based code cell number, seconds) of the longest cell."""
        timed = [(t, n) for n, t in enumerate(self.cell_seconds, 1) if t is not None]
        if not timed:
            return None, None
        t, n = max(timed)
        return n, t

    def slow_cells(self, seconds: float = SLOW_CELL_SECONDS) -> list[tuple[int, float]]:
        """(cell, seconds) of every code cell that ran longer than `seconds` (what must show progress)."""
        return [(n, t) for n, t in enumerate(self.cell_seconds, 1) if t is not None and t > seconds]

    @property
    def within_budget(self) -> bool | None:
        return None if self.budget_seconds is None else self.seconds <= self.budget_seconds

    def to_json(self) -> dict[str, object]:
        cell, seconds = self.slowest
        return {**asdict(self), "within_budget": self.within_budget, "slowest_cell": cell,
                "slowest_seconds": seconds, "slow_cells": self.slow_cells()}


def lessons(directory: str | os.PathLike[str] | None = None, select: Sequence[str] = ()) -> list[Path]:
    """The lesson notebooks, in order; `select` keeps those whose number or file name is given ("07", "03-ssa")."""
    from .._lesson import notebooks_dir

    d = Path(directory) if directory is not None else notebooks_dir()
    if not d.is_dir():
        raise UsageError(f"{d} is not a directory of lessons")
    found = sorted(d.glob(LESSON_GLOB))
    if not found:
        raise UsageError(f"no lessons (NN-name.ipynb) in {d}")
    if not select:
        return found
    chosen = [p for p in found if any(p.name.startswith(s) for s in select)]  # "07", "03-ssa", a whole file name
    missing = [s for s in select if not any(p.name.startswith(s) for p in found)]
    if missing:
        raise UsageError(f"no lesson {', '.join(missing)} in {d}; there are: {', '.join(p.stem for p in found)}")
    return chosen


def _first_error(nb: object) -> tuple[str, int | None]:
    code = [c for c in nb.cells if c.cell_type == "code"]  # type: ignore[attr-defined]
    for n, cell in enumerate(code, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return ANSI_RE.sub("", f"{out.get('ename', 'Error')}: {out.get('evalue', '')}").strip(), n
    return "", None


def cell_seconds(nb: object) -> tuple[float | None, ...]:
    """Each code cell's run time from the timestamps nbclient records (metadata.execution: from the kernel
    taking the cell to its reply), None for a cell that did not run."""
    from datetime import datetime

    out: list[float | None] = []
    for cell in (c for c in nb.cells if c.cell_type == "code"):  # type: ignore[attr-defined]
        ex = cell.get("metadata", {}).get("execution", {})
        start, end = ex.get("iopub.execute_input") or ex.get("iopub.status.busy"), ex.get("shell.execute_reply")
        try:
            out.append((datetime.fromisoformat(end.replace("Z", "+00:00"))
                        - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds())
        except (AttributeError, TypeError, ValueError):
            out.append(None)
    return tuple(out)


def check_lesson(path: str | os.PathLike[str], *, timeout: float = NOTEBOOK_SECONDS, save: str | os.PathLike[str] | None = None,
                 kernel_name: str | None = None) -> LessonResult:
    """Run one lesson top to bottom in a fresh kernel (cwd: its folder); `save` writes the executed copy there.
    `timeout` bounds the whole lesson."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from .._lesson import RECORD_ANSWERS_ENV
    from .notebooks import run_cells

    p = Path(path)
    nb = nbformat.read(p, as_version=4)
    budget = nb.metadata.get("gokit", {}).get("budget_seconds")
    start = time.perf_counter()
    load0 = os.getloadavg()[0]
    error, cell = "", None
    # The kernel inherits our environment: with RECORD_ANSWERS_ENV set, each checked exercise writes its live answer
    # into its output's metadata (never shown), for the answer-leak test to read from the saved copy.
    before = os.environ.get(RECORD_ANSWERS_ENV)
    os.environ[RECORD_ANSWERS_ENV] = "1"
    try:
        run_cells(nb, p.resolve().parent, timeout=timeout, kernel_name=kernel_name, allow_errors=False)
    except CellTimeoutError:
        error = f"the lesson ran longer than {timeout:g} s"
    except DeadKernelError as e:
        error = f"the kernel died: {e}"
    except Exception as e:  # CellExecutionError and whatever the kernel machinery raises: report, don't crash
        error = ANSI_RE.sub("", str(e)).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
    finally:
        if before is None:
            os.environ.pop(RECORD_ANSWERS_ENV, None)
        else:
            os.environ[RECORD_ANSWERS_ENV] = before
    took = time.perf_counter() - start
    if error:
        found, cell = _first_error(nb)
        error = found or error
    if save is not None:
        out = Path(save)
        out.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out / p.name)
    return LessonResult(p.name[:2], p.name, not error, took, float(budget) if budget is not None else None,
                        error, cell, round((load0 + os.getloadavg()[0]) / 2, 2), os.cpu_count(), cell_seconds(nb))


def check(paths: Iterable[Path], *, timeout: float = NOTEBOOK_SECONDS, save: str | os.PathLike[str] | None = None,
          kernel_name: str | None = None,
          on_result: Callable[[LessonResult], None] | None = None) -> list[LessonResult]:
    """Run each lesson in turn; `on_result` is called as each one finishes (the CLI prints a row)."""
    results = []
    for p in paths:
        r = check_lesson(p, timeout=timeout, save=save, kernel_name=kernel_name)
        results.append(r)
        if on_result is not None:
            on_result(r)
    return results


HEADER = f"{'lesson':<28} {'passed':<7} {'seconds':>8} {'budget':>7} {'longest cell':>14}  first error"


def row(r: LessonResult) -> str:
    """One line of the table: lesson, passed, seconds, budget (marked when over it), first error."""
    budget = "" if r.budget_seconds is None else f"{r.budget_seconds:.0f}" + ("!" if not r.within_budget else "")
    where = f"cell {r.cell}: " if r.cell else ""
    error = f"{where}{r.error}" if r.error else ""
    n, t = r.slowest
    longest = f"{t:.1f} s (#{n})" if t is not None else ""
    return (f"{Path(r.notebook).stem:<28} {'yes' if r.passed else 'NO':<7} {r.seconds:>8.1f} {budget:>7} "
            f"{longest:>14}  {error}")


def summary(results: Sequence[LessonResult]) -> str:
    failed = [r for r in results if not r.passed]
    over = [r for r in results if r.passed and r.within_budget is False]
    total = sum(r.seconds for r in results)
    text = f"{len(results) - len(failed)} of {len(results)} lessons passed in {total:.0f} s"
    if over:
        text += f"; over budget (!): {', '.join(r.lesson for r in over)}"
    return text + "."


def to_json(results: Sequence[LessonResult], **context: object) -> str:
    """The machine-readable report (`gokit check --json`): context (python, go, machine) and one entry per lesson."""
    return json.dumps({**context, "ok": all(r.passed for r in results),
                       "lessons": [r.to_json() for r in results]}, indent=1)


def machine() -> dict[str, object]:
    """Where the lessons ran: CPU model and count, Python, Go (for the timings table of the instructor guide)."""
    import platform
    import sys

    from ..source.toolchain import toolchain

    cpu = ""
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "")
    except OSError:
        pass
    from ..measure.timer import fast

    tc = toolchain()
    return {"cpu": cpu or platform.processor() or platform.machine(), "cpus": os.cpu_count(),
            "system": f"{platform.system()} {platform.release()}", "python": sys.version.split()[0],
            "go": tc.version, "fast": fast(),
            "date": time.strftime("%Y-%m-%d")}
