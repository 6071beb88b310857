"""gokit.pprof: read a profile with `go tool pprof` (each report run once and cached), and the profiles the lessons
make: the compiler compiling a standard-library package, the linker linking a program."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .. import _tmp
from .. import _cache as cache
from .._run import BUILDS_SECONDS, COMPILE_SECONDS, Deadline
from ..errors import UsageError
from ..layers.build import go_build
from ..parsers.profile import Profile
from ..source.package import resolve
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    from ..source.source import Source
    from ..source.toolchain import Toolchain

PKG_RE = re.compile(r"^[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)*$")


def report(profile: Profile, args: tuple[str, ...]) -> str:
    """The text of `go tool pprof ARGS [BINARY] PROFILE` (cached by the profile's content and ARGS): what a
    Profile made here reads its reports with."""
    tc = profile.toolchain
    deadline = Deadline.of(None, COMPILE_SECONDS, "go tool pprof")

    def compute() -> bytes:
        work = _tmp.mkdtemp("pprof-")
        try:
            path = work / "profile.pb.gz"
            path.write_bytes(profile.data)
            binary = [str(profile.binary)] if profile.binary is not None else []
            return tc.tool_run("pprof", [*args, *binary, str(path)], env={"PPROF_TMPDIR": str(work)}, cwd=work,
                               timeout=deadline,
                               hint="go tool pprof reads profiles written by runtime/pprof, the compiler's "
                                    "-cpuprofile and the linker's -cpuprofile.")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    k = cache.key("pprof", tc.version, str(tc.go), profile.digest, list(args),
                  *([str(profile.binary)] if profile.binary is not None else []))
    return cache.memo("pprof", k, compute, bytes, memory=False).decode("utf-8", "replace")


def trim_for(tc: "Toolchain", extra: Iterable[tuple[str, str]] = ()) -> tuple[tuple[str, str], ...]:
    """The path prefixes a report of this toolchain's profiles cuts: GOROOT becomes `$GOROOT/`, and `extra`."""
    return (*extra, (str(tc.goroot) + os.sep, "$GOROOT/"))


def pprof(profile: str | os.PathLike[str] | bytes, *, source: "Source | None" = None, what: str | None = None,
          toolchain: "Toolchain | None" = None) -> Profile:
    """A profile file (or its bytes) to read with `go tool pprof`: `.top()`, `.traces()`, `.phases()`.

    `source`: the program that wrote it, so its module directory is cut from file names in reports.
    """
    tc = toolchain or default_toolchain()
    if isinstance(profile, bytes):
        data, name = profile, what or "profile"
    else:
        p = Path(profile)
        if not p.is_file():
            raise UsageError(f"{p}: no such profile file")
        data, name = p.read_bytes(), what or p.name
    if not data:
        raise UsageError(f"{name} is empty: the program did not write its profile (did it call WriteHeapProfile "
                         "and Close the file?)")
    extra: list[tuple[str, str]] = []
    if source is not None:
        extra.append((str(resolve(source, tc).moddir) + os.sep, ""))
    return Profile(data, name, tc, trim_for(tc, extra), report=report)


def profile_compile(package: str = "net/http", *, toolchain: "Toolchain | None" = None,
                    timeout: float | None = None) -> Profile:
    """A CPU profile of the compiler compiling one standard-library package, as `go build` runs it.

    `go build -gcflags=PKG=-cpuprofile=FILE PKG` in GOROOT/src: the flag applies to that package only, and
    a new FILE each time puts the package under a new cache key, so the compiler really runs (its
    dependencies come from the build cache). `timeout` bounds the whole call (default 900 s).
    """
    if not isinstance(package, str) or not PKG_RE.match(package) or package.startswith(("/", ".")):
        raise UsageError(f"package is a standard-library import path, like 'net/http'; got {package!r}")
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILDS_SECONDS, "gokit.profile_compile")
    work = _tmp.mkdtemp("cpuprofile-")
    try:
        out = work / "compile.pprof"
        go_build(tc, f"-gcflags={package}=-cpuprofile={out}", package, cwd=tc.goroot / "src", deadline=deadline,
                 hint=f"go build {package} failed: is it a standard-library package of go{tc.version}?")
        if not out.is_file():
            raise UsageError(f"the compiler wrote no profile for {package}: is it a package with Go files "
                             f"(go list {package})?")
        return Profile(out.read_bytes(), f"go tool compile of {package}", tc, trim_for(tc), report=report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile_link(src: Any, *, toolchain: "Toolchain | None" = None, timeout: float | None = None) -> Profile:
    """A CPU profile of the linker linking a program: `go build -ldflags=-cpuprofile=FILE` (the link always runs:
    go build does not cache executables, and the flag is new each time).

    `timeout` bounds the whole call (default 900 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILDS_SECONDS, "gokit.profile_link")
    pkg = resolve(src, tc, {}, deadline)
    pkg.source.check_buildable()
    work = _tmp.mkdtemp("linkprofile-")
    try:
        out = work / "link.pprof"
        go_build(tc, f"-ldflags=-cpuprofile={out}", "-o", str(work / "a.out"), ".", cwd=pkg.moddir,
                 deadline=deadline)
        return Profile(out.read_bytes(), "go tool link", tc, trim_for(tc, [(str(pkg.moddir) + os.sep, "")]),
                       report=report)
    finally:
        shutil.rmtree(work, ignore_errors=True)
