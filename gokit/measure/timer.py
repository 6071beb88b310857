"""The timer of gokit.bench: whole processes run interleaved (A B C A B C ...) through the exec layer, each with the
limits every learner program gets, and their wall, CPU and memory gathered into a BenchResult; how many runs a
lesson takes (GOKIT_FAST)."""
from __future__ import annotations

import logging
import math
import os
import resource
import time
from typing import Any, Callable, Mapping, Sequence

from .. import _run
from .._progress import Progress
from .._run import Cmd, Deadline, check_count
from ..errors import GoToolError, UsageError
from ..layers.exec import time_command
from .result import BenchResult
from .stats import FRAME_COLUMNS, MIN_CI_SAMPLES

log = logging.getLogger("gokit.bench")

#: Show a progress bar when there are more runs than this in total ...
PROGRESS_RUNS = 30
#: ... or when the runs are expected to take longer than this many seconds.
PROGRESS_SECONDS = 2.0
#: A run's max RSS counts only when it exceeds our own peak RSS by this much (see compare()).
RSS_MARGIN = 4 << 20


def _as_cmd(label: str, value: Any) -> Cmd:
    if isinstance(value, Cmd):
        return value
    if isinstance(value, (str, bytes)):
        raise UsageError(f"command {label!r} is a string; give a list of arguments instead, like "
                         f"{value.split() if isinstance(value, str) else value!r} (gokit never uses a shell)")
    if not isinstance(value, Sequence):
        raise UsageError(f"command {label!r} must be a list of arguments or a gokit.bench.Cmd; got "
                         f"{type(value).__name__}")
    return Cmd(tuple(value))


def fast() -> bool:
    """True when GOKIT_FAST is set (to anything but 0): lessons then take fewer samples, for CI and quick checks."""
    return os.environ.get("GOKIT_FAST", "") not in ("", "0")


def runs(n: int, fast_n: int | None = None) -> int:
    """How many runs a lesson's benchmark takes: n, or with GOKIT_FAST fast_n (default: a quarter of n, at
    least MIN_CI_SAMPLES so intervals of the median keep their 95% coverage)."""
    n = check_count("runs", n, 1)
    if not fast():
        return n
    return min(n, fast_n if fast_n is not None else max(MIN_CI_SAMPLES, n // 4))


def _check_runnable(label: str, cmd: Cmd, env: Mapping[str, str]) -> None:
    """Refuse, before anything runs, a command whose program or directory does not exist."""
    import shutil

    prog = cmd.argv[0]
    if cmd.cwd is not None and not os.path.isdir(cmd.cwd):
        raise UsageError(f"command {label!r}: working directory {os.fspath(cmd.cwd)} does not exist")
    if os.sep in prog:
        where = prog if os.path.isabs(prog) or cmd.cwd is None else os.path.join(cmd.cwd, prog)
        if not os.path.isfile(where) or not os.access(where, os.X_OK):
            raise UsageError(f"command {label!r}: {prog} is not an executable file")
    elif shutil.which(prog, path=env.get("PATH", os.defpath)) is None:
        raise UsageError(f"command {label!r}: no program named {prog!r} on its PATH")


def compare(commands: Mapping[str, Sequence[str] | Cmd], *, runs: int = 20, warmup: int = 2,
            timeout: "float | Deadline | None" = None, run_timeout: float = _run.RUN_SECONDS,
            prepare: Mapping[str, Callable[[], Any]] | None = None, progress: bool = True,
            seed: int = 0, desc: str | None = None) -> BenchResult:
    """Time whole processes, interleaved (A B C A B C ...), and summarise them.

    Each command is an argv list or a `Cmd(argv, env=, cwd=)`. Every command first runs `warmup`
    times (not counted), then `runs` times, interleaved so drift (CPU frequency, other load)
    hits all commands alike. `prepare[label]()`, if given, runs untimed before every run of that
    label, warm-ups included (e.g. empty a cache dir for a cold-cache measurement). A run that
    exits non-zero raises GoToolError with its stderr. `timeout` is a deadline for the whole call (default:
    none), `run_timeout` bounds each single run (a run past it raises GoTimeoutError).
    `seed` fixes the jitter of the plot's points (intervals come from order statistics: no randomness).
    `desc` says what the progress bar (shown when the runs take more than a moment) is timing.

    `maxrss` is NaN when the program's peak RSS could not be told apart from this Python
    process's own: Linux charges a posix_spawn (vfork) child with its parent's peak RSS until
    it execs, so only peaks clearly above ours are the program's.
    """
    import pandas as pd

    if not isinstance(commands, Mapping) or not commands:
        raise UsageError("compare wants a mapping of label -> command, like {'binary': ['./hello']}")
    cmds: dict[str, Cmd] = {}
    for label, value in commands.items():
        if not isinstance(label, str) or not label.strip():
            raise UsageError(f"labels must be non-empty strings; got {label!r}")
        cmds[label] = _as_cmd(label, value)
    runs = check_count("runs", runs, 1)
    warmup = check_count("warmup", warmup, 0)
    deadline = Deadline.of(timeout, math.inf, "gokit.bench.compare")
    run_timeout = _run.check_timeout(run_timeout, name="run_timeout")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UsageError(f"seed must be an integer; got {seed!r}")
    prep: dict[str, Callable[[], Any]] = {}
    if prepare is not None:
        if not isinstance(prepare, Mapping):
            raise UsageError("prepare must be a mapping of label -> function, like {'cold': empty_cache}")
        for label, fn in prepare.items():
            if label not in cmds:
                raise UsageError(f"prepare names {label!r}, which is not one of the commands: {list(cmds)}")
            if not callable(fn):
                raise UsageError(f"prepare[{label!r}] must be a function taking no arguments; got {fn!r}")
        prep = dict(prepare)
    base_env = dict(os.environ)
    envs = {lb: (dict(c.env) if c.env is not None else base_env) for lb, c in cmds.items()}
    for label, cmd in cmds.items():
        _check_runnable(label, cmd, envs[label])

    total = len(cmds) * (runs + warmup)
    load_before = os.getloadavg()[0]
    bar: Any = None
    done = 0
    started = time.perf_counter()

    def tick() -> None:
        nonlocal bar, done
        done += 1
        if bar is not None:
            bar.update(1)
            return
        if not progress or done >= total:
            return
        elapsed = time.perf_counter() - started
        expected = elapsed / done * total
        if total > PROGRESS_RUNS or expected > PROGRESS_SECONDS:
            bar = Progress(total, done, desc=desc or "gokit.bench")

    rows: list[dict[str, Any]] = []

    def one(label: str, i: int, counted: bool) -> None:
        cmd = cmds[label]
        if label in prep:
            prep[label]()
        floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        c = time_command(Cmd(cmd.argv, envs[label], cmd.cwd), stderr=errf,
                         deadline=deadline.within(run_timeout, "a run of gokit.bench.compare (run_timeout=)"))
        floor = max(floor, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        if c.exit_code != 0:
            raise GoToolError(cmd.argv, c.exit_code, c.err,
                              hint=f"gokit.bench: {label!r} failed on {'run' if counted else 'warm-up'} "
                                   f"{i + 1}; a benchmark only times commands that succeed.")
        if counted:
            # Linux charges a vfork-started child with its parent's peak RSS until exec; a value
            # at or below our own peak says nothing about the program, so it is left unknown.
            rss = float(c.maxrss) if c.maxrss > floor + RSS_MARGIN else math.nan
            rows.append({"label": label, "run": i, "value": c.wall, "wall": c.wall, "user": c.user, "sys": c.sys,
                         "maxrss": rss, "exit_code": c.exit_code})
        tick()

    import tempfile

    errf = tempfile.TemporaryFile()  # one stderr file for every run: a new file per run disturbs the next spawn
    try:
        for i in range(warmup):
            for label in cmds:
                one(label, i, False)
        for i in range(runs):
            for label in cmds:
                one(label, i, True)
    finally:
        errf.close()
        if bar is not None:
            bar.close()
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    log.debug("bench: %d runs in %.2f s", len(rows), time.perf_counter() - started)
    return BenchResult.from_frame(frame, seed=seed, commands={lb: c.argv for lb, c in cmds.items()},
                                  warmup=warmup, order="interleaved" if len(cmds) > 1 else "back to back",
                                  load=max(load_before, os.getloadavg()[0]))
