"""The only module that starts processes: argv lists, explicit env, timeouts that kill the group."""
from __future__ import annotations

import gc
import logging
import math
import os
import select
import selectors
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Mapping, Sequence

from .errors import GoTimeoutError, GoToolError, ProgramNotFoundError, UsageError

log = logging.getLogger("gokit.run")

#: The default deadline of each kind of public call, in seconds. A call's `timeout=` replaces its budget, and
#: bounds everything the call starts, one process after another (a deadline, not a limit per process).
PROGRAM_SECONDS = 10.0      # run, exec_file, inittrace: a learner's program (and its cached build)
FRONT_END_SECONDS = 60.0    # tokens, parse, typecheck: gokit's Go helper
GO_ENV_SECONDS = 60.0       # c_compiler: asking the go command about its setup (go env)
COMPILE_SECONDS = 120.0     # ssa, optimizations, asm, package_object, link_by_hand, follow, symbols, objdump
BUILD_SECONDS = 300.0       # build, go_run_x, boot_chain, profile, stage_costs, pprof reports, bench experiments
BUILDS_SECONDS = 900.0      # builds gokit does not cache: build_graph, cross_matrix, target_files, profile_compile ...
RUN_SECONDS = 60.0          # each run a benchmark times (bench.compare's run_timeout=)
DRAW_SECONDS = 60.0         # to_svg: Graphviz drawing one diagram
NOTEBOOK_SECONDS = 600.0    # export_html, gokit check: a whole notebook, top to bottom
TOOLCHAIN_SECONDS = 900.0   # use_go: pip installing another Go release

#: What a learner's program may print before gokit stops keeping it (per stream).
PROGRAM_OUTPUT_LIMIT = 1 << 20
#: What a Go tool may print (an -S listing or GOSSAFUNC=f+ dump can be many MB).
TOOL_OUTPUT_LIMIT = 256 << 20
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Completed:
    """A finished process: its exit code, bounded output and resource use."""

    argv: tuple[str, ...]
    exit_code: int
    stdout: bytes
    stderr: bytes
    wall: float
    user: float
    sys: float
    maxrss: int
    stdout_dropped: int = 0
    stderr_dropped: int = 0

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    def check(self, hint: str | None = None) -> "Completed":
        """Raise GoToolError unless the process exited 0."""
        if self.exit_code != 0:
            raise GoToolError(self.argv, self.exit_code, self.err, self.out, hint=hint)
        return self


@dataclass(frozen=True)
class Cmd:
    """A command to time: its argv (never a shell string), and optionally its own env and cwd.

    env=None runs it with gokit's process environment (os.environ); cwd=None leaves the
    working directory alone.
    """

    argv: tuple[str, ...]
    env: Mapping[str, str] | None = None
    cwd: str | os.PathLike[str] | None = None

    def __post_init__(self) -> None:
        argv = self.argv
        if isinstance(argv, (str, bytes)) or not isinstance(argv, Sequence) or not argv:
            raise UsageError(f"a command is a non-empty list of arguments like ['./hello'], never a shell "
                             f"string; got {argv!r}")
        items = tuple(os.fspath(a) if isinstance(a, os.PathLike) else a for a in argv)
        if not all(isinstance(a, str) for a in items):
            raise UsageError(f"every argument of a command must be a string (or a path); got {argv!r}")
        object.__setattr__(self, "argv", items)
        if self.env is not None:
            if not isinstance(self.env, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                            for k, v in self.env.items()):
                raise UsageError("Cmd env must be a mapping of strings to strings, like tc.env()")
            object.__setattr__(self, "env", dict(self.env))
        if self.cwd is not None and not isinstance(self.cwd, (str, os.PathLike)):
            raise UsageError(f"Cmd cwd must be a directory path; got {self.cwd!r}")


def check_timeout(timeout: float | int | None, *, name: str = "timeout") -> float:
    """A positive, finite number of seconds, or UsageError before anything runs."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise UsageError(f"{name} must be a number of seconds, like {name}=10; got {timeout!r}")
    if not math.isfinite(timeout) or timeout <= 0:
        raise UsageError(f"{name} must be a positive number of seconds, like {name}=10; got {timeout!r}")
    return float(timeout)


def check_count(name: str, value: Any, minimum: int) -> int:
    """A whole number >= minimum (runs=, warmup=), or UsageError before anything runs."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UsageError(f"{name} must be a whole number >= {minimum}, like {name}={max(minimum, 20 if name == 'runs' else 2)}; "
                         f"got {value!r}")
    return value


@dataclass(frozen=True)
class Deadline:
    """When a public call must be done: every process it starts gets the time left, and a GoTimeoutError names the
    call and its budget. `Deadline.of(timeout, DEFAULT, "gokit.ssa")` at the top of the call; pass it down."""

    end: float        # time.monotonic() when the call's time is up
    seconds: float    # the call's whole budget
    call: str         # the public call, for the error message

    @classmethod
    def of(cls, timeout: "float | int | None | Deadline", default: float, call: str) -> "Deadline":
        """The deadline of a call given `timeout` (None: its default budget, which may be math.inf: no deadline
        but the ones `within` sets); a Deadline is handed down as it is."""
        if isinstance(timeout, Deadline):
            return timeout
        seconds = default if timeout is None and default == math.inf else check_timeout(
            default if timeout is None else timeout)
        return cls(time.monotonic() + seconds, seconds, call)

    def left(self) -> float:
        return self.end - time.monotonic()

    def within(self, seconds: float, call: str) -> "Deadline":
        """This deadline, or `seconds` from now if that comes first (then named `call` in a timeout's message)."""
        end = time.monotonic() + seconds
        return self if self.end <= end else Deadline(end, seconds, call)

    def expired(self, argv: Sequence[str]) -> GoTimeoutError:
        """The error for a process this call had no time left to start."""
        return GoTimeoutError(argv, self.seconds, call=self.call, started=False)


def _deadline(timeout: "float | Deadline") -> Deadline:
    return timeout if isinstance(timeout, Deadline) else Deadline.of(timeout, 0, "")


def _check_argv(argv: Sequence[str | os.PathLike[str]]) -> tuple[str, ...]:
    if isinstance(argv, (str, bytes)) or not argv:
        raise UsageError("a command is a non-empty list of arguments, never a shell string")
    out = tuple(os.fspath(a) for a in argv)
    for a in out:
        if not isinstance(a, str) or "\x00" in a:
            raise UsageError(f"command arguments must be text without NUL bytes; got {a!r}")
    return out


def _killpg(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _rusage(ru: object) -> tuple[float, float, int]:
    return ru.ru_utime, ru.ru_stime, ru.ru_maxrss * 1024  # type: ignore[attr-defined]


def run(argv: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str], timeout: "float | Deadline",
        cwd: str | os.PathLike[str] | None = None, input: bytes | None = None,
        max_output: int = TOOL_OUTPUT_LIMIT, max_memory: int | None = None) -> Completed:
    """Run argv (no shell) in its own process group, capture bounded output, kill all on timeout.

    The child gets `input` on stdin, or no stdin at all (/dev/null). Output past `max_output`
    bytes per stream is drained and counted, not kept. On timeout the whole process group is
    killed and GoTimeoutError raised; a non-zero exit is returned, not raised (see .check()). `timeout` is a
    number of seconds or the Deadline of the public call that starts the process (it gets what is left).
    `max_memory` (bytes) caps the child's data segment (RLIMIT_DATA), so a runaway allocation
    fails inside the child ("cannot allocate memory") instead of eating the machine.
    """
    args = _check_argv(argv)
    deadline = _deadline(timeout)
    env = dict(env)
    log.debug("run %s (cwd=%s, time left=%.1f)", args, cwd, deadline.left())
    nbytes = _check_memory(max_memory)
    limit = None if nbytes is None else _memory_limiter(nbytes)
    if deadline.left() <= 0:
        raise deadline.expired(args)
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(
            args, cwd=cwd, env=env, start_new_session=True, preexec_fn=limit,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
    except FileNotFoundError as e:
        if cwd is not None and not Path(cwd).is_dir():
            raise UsageError(f"working directory {cwd} does not exist") from e
        raise ProgramNotFoundError(f"cannot run {args[0]!r}: no such file") from e
    except PermissionError as e:
        raise ProgramNotFoundError(f"cannot run {args[0]!r}: permission denied") from e
    end = start + deadline.left()
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    bufs = {out_fd: bytearray(), err_fd: bytearray()}
    dropped = {out_fd: 0, err_fd: 0}
    sel = selectors.DefaultSelector()
    for fd in (out_fd, err_fd):
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
    pending = memoryview(input if input is not None else b"")
    in_fd = proc.stdin.fileno() if proc.stdin is not None else None
    if in_fd is not None:
        os.set_blocking(in_fd, False)
        if len(pending):
            sel.register(in_fd, selectors.EVENT_WRITE)
        else:
            proc.stdin.close()  # type: ignore[union-attr]
    reaped: tuple[int, object] | None = None
    timed_out = False
    try:
        while sel.get_map():
            remaining = end - time.perf_counter()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in sel.select(min(remaining, 0.1)):
                fd = key.fd
                if fd == in_fd:
                    try:
                        pending = pending[os.write(fd, pending[:_CHUNK]):]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if not len(pending):
                        sel.unregister(fd)
                        proc.stdin.close()  # type: ignore[union-attr]
                    continue
                try:
                    chunk = os.read(fd, _CHUNK)
                except BlockingIOError:
                    continue
                if not chunk:
                    sel.unregister(fd)
                    continue
                buf = bufs[fd]
                room = max_output - len(buf)
                if room > 0:
                    buf += chunk[:room]
                dropped[fd] += max(0, len(chunk) - max(room, 0))
            if reaped is None:
                pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    reaped = (status, ru)
                    _killpg(proc.pid)  # stragglers that still hold our pipes
        if not timed_out and reaped is None:
            while True:
                pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    reaped = (status, ru)
                    break
                if time.perf_counter() >= end:
                    timed_out = True
                    break
                time.sleep(0.002)
    finally:
        sel.close()
        _killpg(proc.pid)
        if reaped is None:
            _, status, ru = os.wait4(proc.pid, 0)
            reaped = (status, ru)
        proc.returncode = os.waitstatus_to_exitcode(reaped[0])
        for f in (proc.stdout, proc.stderr, proc.stdin):
            if f is not None and not f.closed:
                f.close()
    wall = time.perf_counter() - start
    out, err = bytes(bufs[out_fd]), bytes(bufs[err_fd])
    if timed_out:
        raise GoTimeoutError(args, deadline.seconds, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                             call=deadline.call)
    user, sys_, rss = _rusage(reaped[1])
    return Completed(args, proc.returncode, out, err, wall, user, sys_, rss, dropped[out_fd], dropped[err_fd])


def _check_memory(max_memory: int | None) -> int | None:
    if max_memory is not None and (isinstance(max_memory, bool) or not isinstance(max_memory, int) or max_memory <= 0):
        raise UsageError(f"max_memory must be a positive number of bytes; got {max_memory!r}")
    return max_memory


def _prlimit(pid: int, nbytes: int) -> None:
    import resource

    try:
        resource.prlimit(pid, resource.RLIMIT_DATA, (nbytes, nbytes))
    except (ProcessLookupError, PermissionError):  # it is gone already: nothing to limit
        pass


def _stop_if_over(pid: int, nbytes: int) -> bool:
    """Stop a child limited by prlimit after its spawn (on a busy machine it may run first) that was already past
    the cap: its data segment now (VmData, what RLIMIT_DATA counts) above it means it got there unlimited."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmData:") and int(line.split()[1]) * 1024 > nbytes:
                    _killpg(pid)
                    return True
    except (OSError, ValueError, IndexError):  # gone, or a zombie without memory: nothing to check
        pass
    return False


def _memory_limiter(nbytes: int):  # type: ignore[no-untyped-def]
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (nbytes, nbytes))

    return limit


def time_process(argv: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str], timeout: "float | Deadline",
                 cwd: str | os.PathLike[str] | None = None, stderr: "IO[bytes] | None" = None,
                 max_memory: int | None = None) -> Completed:
    """Time one whole process the way hyperfine -N does: spawn, wait4, nothing in between.

    stdin and stdout are /dev/null; stderr goes to a file (kept only on failure): `stderr`, a
    temporary file the caller reuses run after run (compare() does: a new file per run measurably
    disturbs the next spawn), else a new one. Wall time is taken right around posix_spawn and a
    blocking wait4; user/sys/maxrss come from wait4. Inside the timed window there is no thread, no
    poll, no chdir back (only when cwd is given) and no garbage collection: on the main thread the
    timeout is a SIGALRM interval timer armed before the window and disarmed after it; elsewhere a
    pidfd poll (Linux 5.3+), else a timer thread. `max_memory` caps the child's data segment (RLIMIT_DATA, set
    with prlimit right after the spawn, inside the window; a child already past the cap is stopped: _stop_if_over).
    """
    args = _check_argv(argv)
    deadline = _deadline(timeout)
    timeout = deadline.left()
    if timeout <= 0:
        raise deadline.expired(args)
    limit = _check_memory(max_memory)
    env = dict(env)
    path = args[0]
    if os.sep not in path:
        import shutil

        found = shutil.which(path, path=env.get("PATH", os.defpath))
        if found is None:
            raise ProgramNotFoundError(f"cannot run {path!r}: not found on PATH")
        path = found
    if not os.access(path, os.X_OK) or os.path.isdir(path):
        raise ProgramNotFoundError(f"cannot run {path!r}: not an executable file")
    if cwd is not None and not os.path.isdir(cwd):
        raise UsageError(f"working directory {cwd} does not exist")
    argl = list(args)
    own = stderr is None
    errf = tempfile.TemporaryFile() if stderr is None else stderr
    try:
        if not own and os.fstat(errf.fileno()).st_size:
            errf.seek(0)
            errf.truncate()
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, errf.fileno(), 2),
        ]
        cwd_before = os.getcwd() if cwd is not None else None
        gc_was = gc.isenabled()
        gc.disable()
        alarm = _Alarm(timeout) if threading.current_thread() is threading.main_thread() else None
        timer: _Killer | None = None
        timed_out = False
        pid: int | None = None
        try:
            if cwd is not None:
                os.chdir(cwd)
            try:
                start = time.perf_counter()
                pid = os.posix_spawn(path, argl, env, file_actions=actions, setsid=True)
                if limit is not None:
                    _prlimit(pid, limit)
            finally:
                if cwd_before is not None:
                    os.chdir(cwd_before)
            # inside the window, but on this core while the child starts on another (one /proc read)
            over = limit is not None and pid is not None and _stop_if_over(pid, limit)
            try:
                if alarm is not None:
                    alarm.watch(pid)
                else:
                    pidfd = _pidfd_open(pid)
                    if pidfd is None:
                        timer = _Killer(pid, timeout)
                    else:
                        try:
                            poller = select.poll()
                            poller.register(pidfd, select.POLLIN)
                            if not poller.poll(timeout * 1000):
                                timed_out = True
                                _killpg(pid)
                        finally:
                            os.close(pidfd)
                _, status, ru = os.wait4(pid, 0)
                wall = time.perf_counter() - start
            finally:
                if timer is not None:
                    timer.cancel()
                    timed_out = timed_out or timer.fired
                _killpg(pid)
        finally:
            if alarm is not None:
                alarm.close()
                timed_out = timed_out or alarm.fired
            if gc_was:
                gc.enable()
        if timed_out:
            raise GoTimeoutError(args, deadline.seconds, call=deadline.call)
        code = os.waitstatus_to_exitcode(status)
        err = b""
        if code != 0:
            errf.seek(0)
            err = errf.read(64 << 10)
        if over:
            code, err = code or -9, err + f"gokit: stopped: over the {max_memory} bytes a program may use\n".encode()
    finally:
        if own:
            errf.close()
    user, sys_, rss = _rusage(ru)
    return Completed(args, code, b"", err, wall, user, sys_, rss)


def _pidfd_open(pid: int) -> int | None:
    """A pollable fd for the child (no timer thread competing with it for a CPU), if the OS has one."""
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


class _Alarm:
    """A SIGALRM interval timer that kills a process group when it fires: a timeout with nothing running
    beside the timed process (no thread, no poll). Main thread only; the previous handler and timer are
    restored by close()."""

    def __init__(self, timeout: float) -> None:
        self.fired = False
        self._pid: int | None = None
        self._old_handler = signal.signal(signal.SIGALRM, self._fire)
        self._old_timer = signal.setitimer(signal.ITIMER_REAL, timeout)

    def _fire(self, signum: int, frame: object) -> None:
        self.fired = True
        if self._pid is not None:
            _killpg(self._pid)

    def watch(self, pid: int) -> None:
        self._pid = pid
        if self.fired:  # it fired between the spawn and now
            _killpg(pid)

    def close(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._old_handler)
        if self._old_timer[0] > 0:  # somebody else's timer was running: give it back what was left
            signal.setitimer(signal.ITIMER_REAL, *self._old_timer)


class _Killer:
    """Kill a process group after a delay unless cancelled."""

    def __init__(self, pid: int, timeout: float) -> None:
        self.fired = False
        self._pid = pid
        self._t = threading.Timer(timeout, self._fire)
        self._t.daemon = True
        self._t.start()

    def _fire(self) -> None:
        self.fired = True
        _killpg(self._pid)

    def cancel(self) -> None:
        self._t.cancel()


def exec_replace(argv: Sequence[str | os.PathLike[str]], env: Mapping[str, str] | None = None) -> None:
    """Replace this process with argv (for `gokit lab`, which hands the terminal to Jupyter)."""
    args = _check_argv(argv)
    os.execve(args[0], list(args), dict(env if env is not None else os.environ))
