"""The exec layer: learner programs run with limits, `go run -x` as it really happens, and raw execve attempts."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .. import _run, _tmp
from .build import Build, build, parse_x, steps_frame, strip_x
from ..source.source import Source, as_source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain
from ..errors import GokitError, GoToolError, UsageError, advice_for

if TYPE_CHECKING:
    import pandas as pd

#: Memory a learner's program may use before its allocations fail (RLIMIT_DATA).
PROGRAM_MEMORY_LIMIT = 2 << 30


def program_env(tc: Toolchain, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a learner's program runs with: the toolchain's, without Go's own settings; `extra` wins."""
    env = {k: v for k, v in tc.env().items() if not k.startswith(("GO", "CGO_"))}
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class Run:
    """A finished run of a learner's program."""

    stdout: str
    stderr: str
    exit_code: int
    wall: float
    build: Build = field(repr=False)
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.stdout

    def _repr_html_(self) -> str:
        import html

        out = html.escape(self.stdout)
        err = f"<pre style='color:#b00'>{html.escape(self.stderr)}</pre>" if self.stderr else ""
        notes = "".join(f"<div><i>{html.escape(n)}</i></div>" for n in self.notes)
        return (f"<pre>{out}</pre>{err}{notes}<div style='color:#666'>exit code {self.exit_code}, "
                f"{self.wall * 1000:.1f} ms</div>")


def run(src: Source | str | bytes | os.PathLike[str], args: Sequence[str] = (), *, timeout: float = 10,
        toolchain: Toolchain | None = None, env: dict[str, str] | None = None,
        max_output: int = _run.PROGRAM_OUTPUT_LIMIT, max_memory: int = PROGRAM_MEMORY_LIMIT) -> Run:
    """Build (cached) and run a program like `go run`: no stdin, bounded output and memory, killed on timeout.

    `timeout` bounds the program's run; the build has its own (go build's) budget. The program
    runs in a fresh empty directory that is removed afterwards.
    """
    timeout = _run.check_timeout(timeout)
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise UsageError(f"args is a list of strings, like args=['-n', '3']; got {args!r}")
    if not isinstance(max_output, int) or max_output <= 0:
        raise UsageError(f"max_output must be a positive number of bytes; got {max_output!r}")
    b = build(src, toolchain=toolchain)
    cwd = _tmp.mkdtemp("run-")
    try:
        done = _run.run([str(b.binary), *args], env=program_env(b.toolchain, env), cwd=cwd, timeout=timeout,
                        max_output=max_output, max_memory=max_memory)
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
    notes = []
    # Out of memory under RLIMIT_DATA shows as "cannot allocate memory", "out of memory", or (rarely,
    # when the runtime's own mmap fails) a SIGSEGV; a large peak RSS tells the last one apart.
    if done.exit_code != 0 and ("cannot allocate memory" in done.err or "out of memory" in done.err
                                or done.maxrss >= max_memory // 2):
        notes.append(f"the program asked for more than the {max_memory / (1 << 30):g} GiB of memory gokit "
                     "allows it (pass max_memory= to change that), so the Go runtime stopped it.")
    for stream, dropped in (("stdout", done.stdout_dropped), ("stderr", done.stderr_dropped)):
        if dropped:
            notes.append(f"{stream} was cut after {max_output:,} bytes; {dropped:,} more bytes were printed "
                         "and thrown away.")
    return Run(done.out, done.err, done.exit_code, done.wall, b, tuple(notes))


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


def go_run_x(src: Source | str | bytes | os.PathLike[str], args: Sequence[str] = (), *, work: bool = True,
             toolchain: Toolchain | None = None, timeout: float = 300, env: dict[str, str] | None = None) -> GoRun:
    """Run the real `go run -x [-work] .` on the program and return its steps as a table.

    With work=True the temp dir is kept by go (so a lesson can look inside it); call
    `cleanup_work(result)` afterwards.
    """
    tc = toolchain or default_toolchain()
    src = as_source(src)
    moddir = src.materialize(tc)
    argv = ["run", "-x"] + (["-work"] if work else []) + [".", *args]
    done = tc.go_cmd(*argv, cwd=moddir, env=env, timeout=timeout, check=False)
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
              env: dict[str, str] | None = None, timeout: float = 30) -> ExecAttempt:
    """Ask the kernel to execute `path` (as `./file` would, but without a shell) and report what it said.

    A refusal (permission denied, exec format error, ...) is returned with its errno, not raised:
    it is the lesson. `env` defaults to a minimal one (PATH, HOME, LANG).
    """
    import errno as errno_mod

    timeout = _run.check_timeout(timeout)
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
        done = _run.run(argv, env=env, cwd=cwd, timeout=timeout, max_output=_run.PROGRAM_OUTPUT_LIMIT)
    except GokitError as e:
        if isinstance(e.__cause__, OSError):
            return refused(e.__cause__)
        raise
    except OSError as e:  # e.g. ENOEXEC: _run passes unexpected exec errors through
        return refused(e)
    return ExecAttempt(tuple(argv), done.exit_code, done.out, done.err)


