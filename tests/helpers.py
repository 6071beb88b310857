"""Small helpers several test modules share (import them as `from helpers import ...`)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

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
    from gokit._build import parse_x, steps_frame

    d = GOLDEN / f"go{version}"
    return steps_frame(parse_x((d / f"{name}.txt").read_text(), (d / "gocache.txt").read_text().strip()))
