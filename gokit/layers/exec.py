"""The exec layer: every program gokit starts that is not Go's own (the learner's program, its test binary, a
command a benchmark times, a shell, `go run`, hyperfine, GNU nm) runs here, always with the same limits: no
stdin, output kept up to a bound, a capped data segment, and a deadline that kills its whole process group.
The only starter of a learner's program (a test keeps it so); gokit._run starts the process.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Mapping, Sequence

from .. import _run
from .._run import BUILD_SECONDS, Cmd, Completed, Deadline, PROGRAM_SECONDS
from ..errors import advice_for, GokitError, GoNotFoundError, GoToolError, ProgramNotFoundError, UsageError
from ..parsers.buildx import parse_x, steps_frame, strip_x
from ..source.package import resolve
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    import pandas as pd

    from ..source.source import Source
    from ..source.toolchain import Toolchain

#: Memory a learner's program may use before its allocations fail (RLIMIT_DATA).
PROGRAM_MEMORY_LIMIT = 2 << 30


@dataclass(frozen=True)
class Limits:
    """What every program the exec layer starts gets: output kept up to `max_output` bytes per stream (the rest
    counted and dropped) and a data segment of at most `max_memory` bytes (RLIMIT_DATA, so a runaway
    allocation fails inside the program); no stdin, and its call's deadline kills its process group."""

    max_output: int = _run.PROGRAM_OUTPUT_LIMIT
    max_memory: int = PROGRAM_MEMORY_LIMIT


#: The limits of every program gokit runs on a learner's behalf (read at each start).
LIMITS = Limits()


def program_env(tc: "Toolchain", extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a learner's program runs with: the toolchain's, without Go's own settings; `extra` wins."""
    env = {k: v for k, v in tc.env().items() if not k.startswith(("GO", "CGO_"))}
    env.update(extra or {})
    return env


def run_program(argv: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str], deadline: float | Deadline,
                cwd: str | os.PathLike[str] | None = None, max_output: int | None = None,
                max_memory: int | None = None) -> Completed:
    """Run a program with the limits (LIMITS unless given): no stdin, bounded output and memory, killed with its
    process group when the deadline passes. A non-zero exit is returned, not raised."""
    return _run.run(argv, env=env, timeout=deadline, cwd=cwd,
                    max_output=LIMITS.max_output if max_output is None else max_output,
                    max_memory=LIMITS.max_memory if max_memory is None else max_memory)


def time_command(cmd: Cmd, *, deadline: float | Deadline, stderr: "IO[bytes] | None" = None) -> Completed:
    """Time one whole process the way hyperfine -N does (see gokit._run.time_process), with the limits: no stdin,
    stdout discarded, stderr kept (64 KiB of it, on failure), data segment capped, deadline on the group."""
    env = dict(cmd.env) if cmd.env is not None else dict(os.environ)
    return _run.time_process(cmd.argv, env=env, timeout=deadline, cwd=cmd.cwd, stderr=stderr,
                             max_memory=LIMITS.max_memory)


@dataclass(frozen=True)
class GoRun:
    """What `go run -x -work` did: its steps, the work dir it kept, and the program's output."""

    steps: "pd.DataFrame"
    stdout: str
    stderr: str
    exit_code: int
    wall: float
    workdir: Path | None
    binary: str | None  # the path go run executed

    def cleanup(self) -> None:
        """Remove the $WORK dir that `go run -work` kept."""
        cleanup_work(self)


def go_run_x(src: "Source | str | bytes | os.PathLike[str]", args: Sequence[str] = (), *, work: bool = True,
             toolchain: "Toolchain | None" = None, timeout: float | None = None,
             env: dict[str, str] | None = None) -> GoRun:
    """Run the real `go run -x [-work] .` on the program and return its steps as a table.

    With work=True the temp dir is kept by go (so a lesson can look inside it); call
    `cleanup_work(result)` afterwards. The go command, its compiles and the program it runs get the limits
    of every program gokit runs; `timeout` bounds the whole call (default 300 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILD_SECONDS, "gokit.go_run_x")
    pkg = resolve(src, tc, {}, deadline)
    argv = [str(tc.go), "run", "-x"] + (["-work"] if work else []) + [".", *args]
    try:
        with tc.compile_watch("go run: the first compile of the standard library packages your program imports "
                              "(Go keeps them in its build cache: once)", cwd=pkg.moddir, env=env):
            done = run_program(argv, env=tc.env(env), deadline=deadline, cwd=pkg.moddir,
                               max_output=_run.TOOL_OUTPUT_LIMIT)
    except ProgramNotFoundError as e:
        raise GoNotFoundError(f"{tc.go} (go{tc.version}, from {tc.origin}) can no longer be started: {e}") from None
    # go run's stderr interleaves -x lines with the program's own stderr; -x lines come first.
    steps = parse_x(done.err, tc.gocache)
    wd = next((Path(s.output) for s in steps if s.action == "workdir"), None)
    exe = steps[-1].command if steps and steps[-1].action == "exec" else None
    if exe and wd:
        exe = exe.replace("$WORK", str(wd))
    if done.exit_code != 0 and exe is None:
        raise GoToolError(done.argv, done.exit_code, strip_x(done.err), done.out, hint=advice_for(done.err))
    return GoRun(steps_frame(steps), done.out, done.err, done.exit_code, done.wall, wd, exe)


def cleanup_work(result: GoRun) -> None:
    """Remove the $WORK dir that `go run -work` kept."""
    if result.workdir and result.workdir.name.startswith("go-build"):
        shutil.rmtree(result.workdir, ignore_errors=True)


@dataclass(frozen=True)
class ExecAttempt:
    """What happened when gokit asked the kernel to execute a file: its output, or the kernel's refusal."""

    argv: tuple[str, ...]
    exit_code: int | None   # None: the kernel refused to start it (see errno)
    stdout: str
    stderr: str
    errno: int | None = None
    error: str | None = None  # e.g. "EACCES: Permission denied"

    @property
    def started(self) -> bool:
        return self.exit_code is not None

    def _repr_html_(self) -> str:
        import html
        import shlex

        cmd = html.escape(" ".join(shlex.quote(a) for a in self.argv))
        if not self.started:
            return (f"<div><code>$ {cmd}</code><br><b style='color:#b00'>the kernel refused:</b> "
                    f"<code>{html.escape(self.error or '')}</code> (execve returned errno {self.errno})</div>")
        out = f"<pre>{html.escape(self.stdout)}</pre>" if self.stdout else ""
        err = f"<pre style='color:#b00'>{html.escape(self.stderr)}</pre>" if self.stderr else ""
        return f"<div><code>$ {cmd}</code>{out}{err}<div style='color:#666'>exit code {self.exit_code}</div></div>"

    def __repr__(self) -> str:
        what = f"exit {self.exit_code}" if self.started else f"refused: {self.error}"
        return f"<ExecAttempt {' '.join(self.argv)}: {what}>"


def exec_file(path: str | os.PathLike[str], args: Sequence[str] = (), *, cwd: str | os.PathLike[str] | None = None,
              env: dict[str, str] | None = None, timeout: float | None = None) -> ExecAttempt:
    """Ask the kernel to execute `path` (as `./file` would, but without a shell) and report what it said.

    A refusal (permission denied, exec format error, ...) is returned with its errno, not raised:
    it is the lesson. `env` defaults to a minimal one (PATH, HOME, LANG). The file runs with the limits of
    every program gokit runs; `timeout` bounds the whole call (default 10 s).
    """
    import errno as errno_mod

    deadline = Deadline.of(timeout, PROGRAM_SECONDS, "gokit.exec_file")
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise UsageError(f"args is a list of strings, like args=['-n', '3']; got {args!r}")
    p = os.fspath(path)
    if not isinstance(p, str) or not p:
        raise UsageError(f"exec_file wants a path to a file; got {path!r}")
    if os.sep not in p:
        p = "./" + p  # like a shell: a bare name would be looked up on PATH, ./name is this file
    base = Path(cwd) if cwd is not None else Path.cwd()
    if not (base / p).exists():
        raise UsageError(f"{base / p}: no such file")
    if env is None:
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    argv = [p, *args]

    def refused(e: BaseException) -> ExecAttempt:
        code = getattr(e, "errno", None)
        name = errno_mod.errorcode.get(code, "?") if code else "?"
        return ExecAttempt(tuple(argv), None, "", "", code, f"{name}: {os.strerror(code) if code else e}")

    try:
        done = run_program(argv, env=env, cwd=cwd, deadline=deadline)
    except GokitError as e:
        if isinstance(e.__cause__, OSError):
            return refused(e.__cause__)
        raise
    except OSError as e:  # e.g. ENOEXEC: _run passes unexpected exec errors through
        return refused(e)
    return ExecAttempt(tuple(argv), done.exit_code, done.out, done.err)


