"""gokit._progress: bars only where they can redraw, and the watch that tells what Go compiles on a cold cache."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from gokit._progress import CacheCount, CompileWatch


def _entry(root: Path, name: str, archive: bool) -> None:
    """A GOCACHE entry `name-a` whose output `-d` is a package archive (or a compile's empty stdout)."""
    out = name[::-1]
    (root / name[:2]).mkdir(parents=True, exist_ok=True)
    (root / out[:2]).mkdir(parents=True, exist_ok=True)
    (root / out[:2] / f"{out}-d").write_bytes(b"!<arch>\n..." if archive else b"")
    (root / name[:2] / f"{name}-a").write_text(f"v1 {name} {out} 10 0\n")


def test_cache_count_counts_package_archives_written_since(tmp_path: Path) -> None:
    _entry(tmp_path, "a" * 64, True)           # before: not counted
    time.sleep(0.01)
    count = CacheCount(tmp_path)
    time.sleep(0.01)
    _entry(tmp_path, "b" * 64, True)
    _entry(tmp_path, "c" * 64, False)          # not a package archive
    assert count.poll() == 1
    _entry(tmp_path, "d" * 64, True)
    assert count.poll() == 2


def test_cache_count_counts_a_write_once_whatever_mtimes_a_poll_sees(tmp_path: Path) -> None:
    """Go writes an entry, then sets its mtime (cache.go putIndexEntry: os.Chtimes after the write): a poll between
    the two sees one write under two mtimes. It counts once; a package compiled again (-a) writes a new time field
    and counts again. (CI once saw 31 packages for a 30-package cold build.)"""
    import os
    count = CacheCount(tmp_path)
    time.sleep(0.01)
    name = "b" * 64
    _entry(tmp_path, name, True)
    assert count.poll() == 1
    entry = tmp_path / name[:2] / f"{name}-a"
    later = time.time_ns() + 5_000_000
    os.utime(entry, ns=(later, later))           # the Chtimes after the write
    assert count.poll() == 1
    out = name[::-1]
    entry.write_text(f"v1 {name} {out} 10 12345\n")  # compiled again: same action, a new write time
    assert count.poll() == 2
    entry.write_text("v1 " + name)               # half written: looked at again later, not counted
    assert count.poll() == 2


def test_a_quick_command_shows_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asked = []
    with CompileWatch(tmp_path, "compiling", lambda: asked.append(1) or 3, delay=60) as w:
        time.sleep(0.05)  # quick next to the delay, even on a busy machine
    assert not w.shown and not asked and capsys.readouterr().err == ""


def test_a_slow_compile_says_what_and_counts_packages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with CompileWatch(tmp_path, "the first compile of fmt", lambda: 2, delay=0.05) as w:
        deadline = time.monotonic() + 60   # the bar shows after the delay: wait for it (late on a busy machine)
        while not w.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        _entry(tmp_path, "e" * 64, True)
        _entry(tmp_path, "f" * 64, True)
    err = capsys.readouterr().err
    assert w.shown and "the first compile of fmt: 2/2 packages" in err and "\r" not in err
