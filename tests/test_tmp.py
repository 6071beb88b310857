"""gokit._tmp: one private temp root per process; Go's work dirs (GOTMPDIR) inside it; dead roots swept."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

import gokit
from gokit import _tmp


def test_root_is_private_and_per_process() -> None:
    root = _tmp.root()
    assert root.is_dir() and root.name.startswith(f"gokit-{os.getpid()}-")
    d = _tmp.mkdtemp("x-")
    assert d.parent == root
    d.rmdir()
    assert _tmp.gotmpdir().parent == root


@pytest.mark.go
def test_go_commands_work_in_gokits_gotmpdir(tc, no_leaks) -> None:
    assert tc.env()["GOTMPDIR"] == str(_tmp.gotmpdir())
    r = gokit.go_run_x('package main\n\nfunc main() { println("x") }\n// gotmpdir\n')
    assert r.workdir is not None and r.workdir.parent == _tmp.gotmpdir()
    r.cleanup()


def test_roots_of_dead_processes_are_swept() -> None:
    # a pid above the kernel's largest is never alive (the pid of a process that exited may be taken again by
    # another one by the time _sweep looks, on a busy machine)
    dead = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1
    assert not _tmp._alive(dead)
    stale = Path(tempfile.mkdtemp(prefix=f"gokit-{dead}-"))
    (stale / "go").mkdir()
    _tmp._sweep()
    assert not stale.exists()
    assert _tmp.root().is_dir()  # ours is kept


def test_removed_waits_for_what_remove_later_was_given() -> None:
    """A dir given to remove_later goes behind the caller's back (a thread); removed() waits until it is gone, so a
    check that nothing was left behind (the no_leaks fixture) does not race the thread."""
    dirs = [_tmp.mkdtemp("later-") for _ in range(20)]
    for d in dirs:
        (d / "f").write_text("x" * 10_000)
        _tmp.remove_later(d)
    _tmp.removed()
    assert not any(d.exists() for d in dirs)
