"""hyperfine, the independent timer gokit.bench is checked against: `hyperfine -N` runs, read back as a BenchResult."""
from __future__ import annotations

import json
import os
import shlex
import shutil
from typing import Mapping, Sequence

from .. import _tmp
from .._run import BUILDS_SECONDS, check_count, Cmd, Deadline
from ..measure.result import BenchResult
from ..measure.timer import _as_cmd
from ..errors import ProgramNotFoundError, UsageError
from ..layers.exec import run_program

INSTALL = "hyperfine is not installed: apt-get install hyperfine (or brew install hyperfine, cargo install hyperfine)"


def hyperfine(commands: Mapping[str, Sequence[str] | Cmd], *, runs: int = 20, warmup: int = 2,
              timeout: float | None = None) -> "BenchResult":
    """Time commands with `hyperfine -N` (no shell) and return its per-run wall times as a BenchResult.

    hyperfine runs all of one command's runs, then the next command's (not interleaved like
    gokit.bench.compare). Commands may be gokit.bench.Cmd values, but all must share one env and cwd:
    hyperfine runs every command in its own environment and directory. hyperfine (and so every command it
    runs) gets the limits of every program gokit runs; `timeout` bounds the whole call (default 900 s).
    """
    exe = shutil.which("hyperfine")
    if exe is None:
        raise ProgramNotFoundError(INSTALL)
    if not isinstance(commands, Mapping) or not commands:
        raise UsageError("hyperfine wants a mapping of label -> command, like {'binary': ['./hello']}")
    cmds = {label: _as_cmd(label, c) for label, c in commands.items()}
    envs = {repr(sorted(c.env.items())) if c.env is not None else None for c in cmds.values()}
    cwds = {str(c.cwd) if c.cwd is not None else None for c in cmds.values()}
    if len(envs) > 1 or len(cwds) > 1:
        raise UsageError("hyperfine runs every command with one environment and one directory: give all "
                         "commands the same env= and cwd= (or use absolute paths and `go -C DIR ...`)")
    runs, warmup = check_count("runs", runs, 1), check_count("warmup", warmup, 0)
    deadline = Deadline.of(timeout, BUILDS_SECONDS, "gokit.hyperfine")
    first = next(iter(cmds.values()))
    env = dict(first.env) if first.env is not None else dict(os.environ)
    work = _tmp.mkdtemp("hyperfine-")
    try:
        out = work / "results.json"
        argv = [exe, "-N", "--style", "none", "--warmup", str(warmup), "--runs", str(runs), "--export-json", str(out)]
        for label, c in cmds.items():
            argv += ["-n", label, shlex.join(c.argv)]
        run_program(argv, env=env, cwd=first.cwd, deadline=deadline).check(
            hint="hyperfine stops at the first command that fails (exit code != 0).")
        results = json.loads(out.read_text())["results"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    samples = {label: [float(t) for t in r["times"]] for label, r in zip(cmds, results)}
    return BenchResult.from_samples(samples, unit="s", commands={lb: c.argv for lb, c in cmds.items()})
