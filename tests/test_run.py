"""The process runner: bounded output, timeouts that kill the whole group, argument checks."""
from __future__ import annotations

import os
import sys
import time

import pytest

from gokit import _run
from gokit.errors import GoNotFoundError, GoTimeoutError, GoToolError, ProgramNotFoundError, UsageError

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def test_captures_output_and_exit_code() -> None:
    done = _run.run(["sh", "-c", "echo out; echo err >&2; exit 3"], env=ENV, timeout=10)
    assert (done.out, done.err, done.exit_code) == ("out\n", "err\n", 3)
    assert done.wall > 0 and done.maxrss > 0
    with pytest.raises(GoToolError) as e:
        done.check()
    assert e.value.exit_code == 3 and e.value.stderr == "err\n"


def test_input_and_no_stdin_by_default() -> None:
    assert _run.run(["cat"], env=ENV, timeout=10, input=b"abc" * 100000).stdout == b"abc" * 100000
    assert _run.run(["cat"], env=ENV, timeout=10).stdout == b""  # /dev/null, never the kernel's stdin


def test_timeout_kills_the_whole_group(no_leaks) -> None:
    start = time.perf_counter()
    with pytest.raises(GoTimeoutError) as e:
        _run.run(["sh", "-c", "sleep 30 & sleep 30; wait"], env=ENV, timeout=0.5)
    assert time.perf_counter() - start < 15  # not the 30 s of the sleeps (a margin for a busy machine)
    assert "0.5 s" in str(e.value) and "sleep" in str(e.value)


def test_grandchild_holding_the_pipe_does_not_hang(no_leaks) -> None:
    start = time.perf_counter()
    done = _run.run(["sh", "-c", "(sleep 30 &) ; echo parent done"], env=ENV, timeout=20)
    assert done.out == "parent done\n"
    assert time.perf_counter() - start < 15  # not the 30 s of the sleep holding the pipe


def test_output_is_bounded_and_counted() -> None:
    done = _run.run([sys.executable, "-c", "import sys; sys.stdout.write('x' * 3_000_000)"], env=ENV,
                    timeout=30, max_output=1000)
    assert len(done.stdout) == 1000 and done.stdout_dropped == 3_000_000 - 1000


@pytest.mark.parametrize("argv", ["echo hi", [], ["echo", "a\x00b"], b"ls"])
def test_bad_argv_is_refused(argv) -> None:
    with pytest.raises(UsageError):
        _run.run(argv, env=ENV, timeout=1)


@pytest.mark.parametrize("timeout", [-1, 0, float("nan"), float("inf"), "10", None, True])
def test_bad_timeout_is_refused(timeout) -> None:
    with pytest.raises(UsageError, match="timeout"):
        _run.run(["true"], env=ENV, timeout=timeout)


def test_missing_program_is_not_a_missing_go() -> None:
    """A program that does not exist is ProgramNotFoundError; only a missing Go toolchain is GoNotFoundError."""
    with pytest.raises(ProgramNotFoundError, match="no such file") as e:
        _run.run(["/nonexistent/prog"], env=ENV, timeout=1)
    assert not isinstance(e.value, GoNotFoundError) and isinstance(e.value, FileNotFoundError)
    with pytest.raises(ProgramNotFoundError):
        _run.time_process(["/nonexistent/prog"], env=ENV, timeout=1)


def test_time_process_reports_rusage() -> None:
    done = _run.time_process([sys.executable, "-c", "sum(range(3_000_000))"], env=ENV, timeout=30)
    assert done.exit_code == 0 and done.user > 0 and done.maxrss > 1 << 20
    assert done.wall >= done.user * 0.5


def test_time_process_failure_keeps_stderr_and_timeout(no_leaks) -> None:
    done = _run.time_process(["sh", "-c", "echo boom >&2; exit 4"], env=ENV, timeout=10)
    assert done.exit_code == 4 and done.err == "boom\n"
    with pytest.raises(GoTimeoutError):
        _run.time_process(["sh", "-c", "sleep 30 & sleep 30"], env=ENV, timeout=0.3)


def test_time_process_timeout_off_the_main_thread_and_alarm_restored(no_leaks) -> None:
    """On the main thread the timeout is a SIGALRM timer (restored afterwards); elsewhere a pidfd poll."""
    import signal
    import threading
    import time

    errors: list[BaseException] = []

    def slow() -> None:
        try:
            _run.time_process(["sh", "-c", "sleep 30 & sleep 30"], env=ENV, timeout=0.3)
        except BaseException as e:  # collected, asserted on the main thread
            errors.append(e)

    t = threading.Thread(target=slow)
    start = time.perf_counter()
    t.start()
    t.join(60)
    assert not t.is_alive() and time.perf_counter() - start < 15, "not killed at its 0.3 s timeout (sleep 30)"
    assert len(errors) == 1 and isinstance(errors[0], GoTimeoutError), errors

    def mine(signum, frame):  # type: ignore[no-untyped-def]
        pass

    old = signal.signal(signal.SIGALRM, mine)
    try:
        signal.setitimer(signal.ITIMER_REAL, 50)
        _run.time_process(["true"], env=ENV, timeout=5)
        assert signal.getsignal(signal.SIGALRM) is mine
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 5 < remaining <= 50  # the caller's own timer runs on (not the 5 s timeout's, not stopped)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_only_run_module_starts_processes() -> None:
    """The project rule: no other gokit module imports subprocess or calls os.system/popen/spawn."""
    import re
    from pathlib import Path

    pattern = re.compile(r"\bimport subprocess\b|\bfrom subprocess\b|os\.system\(|os\.popen\(|os\.posix_spawn|"
                         r"os\.exec[lv]|os\.spawn|os\.fork\(")
    root = Path(_run.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "_run.py" and pattern.search(p.read_text())]
    assert offenders == [], offenders
