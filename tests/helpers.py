"""Small helpers several test modules share (import them as `from helpers import ...`)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from gokit.faces.check import LESSON_GLOB
from gokit.errors import GokitError

GOLDEN = Path(__file__).resolve().parent / "golden"


def expect(exc: type[GokitError], fn: Callable[..., Any], *args: Any, match: str | None = None,
           **kw: Any) -> GokitError:
    """fn(*args, **kw) raises exc with a non-empty message that reads as advice (no traceback), matching `match`."""
    with pytest.raises(exc) as e:
        fn(*args, **kw)
    msg = str(e.value)
    assert msg.strip(), "an empty message is no advice"
    assert "Traceback" not in msg
    if match:
        assert re.search(match, msg), msg
    return e.value


def gokit_cli(*args: str, env: dict[str, str] | None = None) -> "subprocess.CompletedProcess[str]":
    """`python -m gokit.cli ARGS` in a separate process, as a learner runs it (env added to ours)."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "gokit.cli", *args], capture_output=True, text=True, env=e,
                          timeout=300)


def x_steps_golden(version: str, name: str) -> Any:
    """The steps table of a captured `go build -x` / `go run -x` (tests/golden/go<version>/<name>.txt)."""
    from gokit.parsers.buildx import parse_x, steps_frame

    d = GOLDEN / f"go{version}"
    return steps_frame(parse_x((d / f"{name}.txt").read_text(), (d / "gocache.txt").read_text().strip()))


NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: Every lesson, found by name (NN-slug.ipynb), so lessons added later are covered too.
LESSONS = sorted(NOTEBOOKS.glob(LESSON_GLOB))
DEFAULT_BUDGET = 90


def lesson_budget(nb: Any) -> int:
    """The seconds a lesson may take top to bottom (its notebook metadata {"gokit": {"budget_seconds": N}})."""
    return int(nb.metadata.get("gokit", {}).get("budget_seconds", DEFAULT_BUDGET))


def execute_lesson(path: Path, out_dir: Path, env: dict[str, str] | None = None,
                   then: str | None = None) -> tuple[Any, float]:
    """Run a lesson top to bottom in a fresh kernel as a learner would (env added to ours, e.g. GOKIT_GO);
    fail on a committed output, a cell error or a blown budget; returns (executed notebook, seconds).

    `then`: code run in the same kernel after the last cell (its output is the notebook's last cell's).
    """
    import time

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} is committed with outputs; clear them"
    budget = lesson_budget(nb)
    if then:
        nb.cells.append(nbformat.v4.new_code_cell(then))
    client = NotebookClient(nb, timeout=max(budget, 60), kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        client.execute(env={**os.environ, **(env or {})})  # raises CellExecutionError on the first failing cell
    finally:
        nbformat.write(nb, out_dir / path.name)  # the executed copy, for a look when something is off
    took = time.perf_counter() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    # As in test_notebooks: a budget is for a machine with a core to spare; on one busier than its cores (load
    # average above the CPU count, the mean of start and end), the lesson gets its budget times that ratio.
    load = (load_before + os.getloadavg()[0]) / 2
    busy = max(1.0, load / (os.cpu_count() or 1))
    assert took <= budget * busy, (f"{path.name} took {took:.1f} s, over its budget of {budget} s"
                                   + (f" (x{busy:.1f} for a load average of {load:.1f})" if busy > 1 else ""))
    return nb, took


def output_problems(nb: Any, lesson: str) -> list[str]:
    """What a learner must never see in an executed lesson's outputs: this machine's absolute temp, cache or home
    paths, tracebacks, warnings on stderr, NaN/<NA> cells, or any exercise's solution (nobody has guessed yet)."""
    import json

    from gokit import _tmp
    from gokit._lesson import EXERCISES_DIR

    paths = {str(_tmp.root().parent), str(Path.home()), "/tmp/"}
    solutions = []
    ex_file = EXERCISES_DIR / f"{lesson}.json"
    if ex_file.is_file():
        solutions = [e["solution"][:60] for e in json.loads(ex_file.read_text()).values()]
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts = [out.get("text", "")]
                if out.get("name") == "stderr" and re.search(r"Warning|WARNING", texts[0]):
                    found.append(f"cell {i}: a warning on stderr: {texts[0][:200]!r}")
            else:
                data = out.get("data", {})
                texts = [data[k] for k in ("text/html", "text/markdown", "text/plain") if k in data][:1]
            for t in texts:
                if any(p in t for p in paths):
                    found.append(f"cell {i}: an absolute path: {t[:200]!r}")
                if "Traceback" in t:
                    found.append(f"cell {i}: a traceback")
                if re.search(r">NaN<|&lt;NA&gt;|<NA>|\bNaN\b", t):
                    found.append(f"cell {i}: NaN or <NA>")
                found += [f"cell {i}: an exercise's solution before any guess" for s in solutions if s in t]
    return found


@contextmanager
def starts_no_process(what: str) -> Iterator[list[list[str]]]:
    """Inside the block, gokit starting any process fails the test: `what` (a repeat served from gokit's cache) must
    start none. How a test says "cached" without timing it (a timing assert fails on a busy machine for nothing)."""
    from gokit import _run

    started: list[list[str]] = []

    def no(argv: Any, *a: Any, **k: Any) -> Any:
        started.append([os.fspath(x) for x in argv])
        raise AssertionError(f"{what} started a process: {started[-1][:4]}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_run, "run", no)
        mp.setattr(_run, "time_process", no)
        yield started
    assert not started, f"{what} started a process: {started}"


def need_c_compiler() -> None:
    """Skip a cgo test on a machine without a C compiler, saying so; fail it instead when GOKIT_REQUIRE_CC is set
    (.ci/run installs gcc: there a missing compiler is a broken setup, not a reason to test less)."""
    import shutil

    if shutil.which("gcc") is None and shutil.which("cc") is None:
        if os.environ.get("GOKIT_REQUIRE_CC"):
            pytest.fail("GOKIT_REQUIRE_CC is set but there is no C compiler (gcc or cc) on PATH")
        pytest.skip("no C compiler here")


def dead_port() -> int:
    """A local TCP port nothing listens on (bound, then closed): a connection to it is refused at once."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def offline_pip_env(env: dict[str, str]) -> dict[str, str]:
    """`env` with PyPI out of reach for pip: no config files (no machine-wide index or find-links), the index a
    dead local port, no extra index or local wheel folder. What a room without network looks like to pip."""
    out = {k: v for k, v in env.items()
           if k not in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX", "PIP_CONSTRAINT")}
    out.update(PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL=f"http://127.0.0.1:{dead_port()}/simple")
    return out
