"""The build layer: the only starter of `go build`, `go test -c` and `go tool link` for a learner's package —
`go build -x` into gokit's cache (or fresh) with its steps, a test binary, a link by hand.

Everything here takes the resolved package (gokit.source.package) and a deadline, and runs the go command
through the toolchain (gokit._run starts the process).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import _cache as cache
from .. import _run
from .._run import BUILD_SECONDS, Cmd, Completed, Deadline
from ..errors import GoToolError, StaleTraceError, UsageError, advice_for
from ..parsers.buildx import link_cfg, parse_x, steps_frame, strip_x
from ..source.package import Package

if TYPE_CHECKING:
    import pandas as pd

    from ..source.toolchain import Toolchain


#: cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH   (cmd/go, any release)
C_COMPILER_MISSING_RE = re.compile(r'cgo: C compiler "[^"]*" not found')
NO_C_COMPILER = ("cgo needs a C compiler (go env CC names it; gcc by default) and there is none here: install one "
                 "(apt-get install gcc, xcode-select --install) or build without cgo.")


def go_build(tc: "Toolchain", *args: str, cwd: str | os.PathLike[str], env: Mapping[str, str] | None = None,
             deadline: float | Deadline = BUILD_SECONDS, hint: str | None = None, check: bool = True) -> Completed:
    """`go build ARGS` in `cwd` (the go command's -x trace stays out of the error a learner reads)."""
    done = tc.go_cmd("build", *args, cwd=cwd, env=env, timeout=deadline, check=False)
    if check and done.exit_code != 0:
        if C_COMPILER_MISSING_RE.search(done.err):
            hint = NO_C_COMPILER
        raise GoToolError(done.argv, done.exit_code, strip_x(done.err), done.out, hint=hint or advice_for(done.err))
    return done


def flag_list(name: str, value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        value = " ".join(value)
    if isinstance(value, str) and not any(c in value for c in "\n\r\x00"):
        return [f"-{name}={value}"]
    raise UsageError(f"{name} must be a string like '-s -w'; got {value!r}")


@dataclass(frozen=True)
class Build:
    """A linked program: where the binary is, how big, and (for a build that ran now) what `go build -x` did.

    `cached` is True when gokit served the binary from its own cache without running go: such a
    Build has no trace of *this* build, so `.steps`, `.cache_hits` and `.cache_misses` refuse
    with advice (use `gokit.build(src, fresh=True)` to see what go build does now).
    """

    binary: Path
    size: int
    x_trace: str = field(repr=False, compare=False)  # the raw `go build -x` stderr of the build that made it
    wall: float
    cached: bool
    toolchain: "Toolchain" = field(repr=False)
    flags: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def _fresh_trace(self) -> str:
        if self.cached:
            raise StaleTraceError(
                "this binary came from gokit's own cache: go build did not run now, so there are no steps, "
                "cache hits or misses of this build to show. Use gokit.build(src, fresh=True) to run go build "
                "again and see what it does today.")
        return self.x_trace

    @cached_property
    def steps(self) -> "pd.DataFrame":
        """This build's steps as a table (see parse_x); parsed on first use."""
        return steps_frame(parse_x(self._fresh_trace(), self.toolchain.gocache))

    @property
    def cache_misses(self) -> int:
        """Packages compiled in this build (not found in GOCACHE)."""
        return int((self.steps["action"] == "compile").sum())

    @property
    def cache_hits(self) -> int:
        """Packages linked from GOCACHE without compiling."""
        cfg = link_cfg(self.steps)
        if cfg is None:
            return 0
        n = cfg.count("\npackagefile ")
        return max(0, n - self.cache_misses)

    def __repr__(self) -> str:
        how = "from gokit's cache" if self.cached else f"built in {self.wall:.2f} s"
        target = f"{self.env.get('GOOS', self.toolchain.goos)}/{self.env.get('GOARCH', self.toolchain.goarch)}"
        return f"<Build {self.binary.name}: {self.size:,} bytes, {target}, go{self.toolchain.version}, {how}>"


def build(pkg: Package, *, flags: Sequence[str] = (), fresh: bool = False,
          gocache: str | os.PathLike[str] | None = None, progress: bool = False,
          deadline: float | Deadline = BUILD_SECONDS) -> Build:
    """`go build -x` the package into gokit's cache (keyed by the package and the flags); a repeat returns the
    cached binary at once. fresh=True always runs go build (Go's own cache still decides what it recompiles),
    so the Build's steps, cache hits and misses describe this very build. `gocache`: the GOCACHE go build uses
    (not part of the key: the binary is the same); `progress`: a bar naming the build while go runs."""
    pkg.source.check_buildable()
    tc, env = pkg.toolchain, dict(pkg.target)
    flags = tuple(flags)
    name = pkg.module_path.rsplit("/", 1)[-1] + (".exe" if pkg.goos == "windows" else "")
    k = cache.key("build", pkg.key, list(flags))
    meta_path = cache.path("builds", k) / "build.json"
    if not fresh and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        binary = meta_path.parent / name
        if binary.is_file():
            return Build(binary, binary.stat().st_size, meta["x"], meta["wall"], True, tc, flags, env)
    result: dict[str, Any] = {}

    run_env = {**env, "GOCACHE": os.fspath(gocache)} if gocache is not None else env

    def fill(tmp: Path) -> None:
        done = go_build(tc, "-x", *flags, "-o", str(tmp / name), ".", cwd=pkg.moddir, env=run_env,
                        deadline=deadline)
        (tmp / "build.json").write_text(json.dumps({"x": done.err, "wall": done.wall}))
        result["done"] = done

    what = " ".join(["go build", *flags, *(f"{k}={v}" for k, v in sorted(env.items()))])
    watch = tc.compile_watch(f"{what}: compiling what Go's build cache lacks (on a new machine, the standard "
                             f"library packages your program imports: once)", cwd=pkg.moddir, env=run_env) \
        if progress else nullcontext()
    with watch:
        d = (cache.replace_dir if fresh else cache.install_dir)("builds", k, fill)
    meta = json.loads((d / "build.json").read_text())
    binary = d / name
    return Build(binary, binary.stat().st_size, meta["x"], meta["wall"], "done" not in result, tc, flags, env)


@dataclass(frozen=True)
class TestBinary:
    """A test binary `go test -c` made of a package and test files gokit added."""

    path: Path
    builddir: str   # the directory it was built in (the file names inside it point there)


#: Where a test binary's directory records the directory it was built in.
BUILD_DIR_FILE = "builddir.txt"


def test_binary(pkg: Package, tests: Mapping[str, str], *, gcflags: str | None = None,
                deadline: float | Deadline = BUILD_SECONDS, hint: str | None = None) -> TestBinary:
    """`go test -c` of the package (its own _test.go files left out) with `tests` (file name -> Go source) added,
    built once and kept in gokit's cache (keyed by the package, the tests and the gcflags)."""
    tc = pkg.toolchain
    k = cache.key("test-binary", pkg.key, sorted(tests.items()), gcflags or "")

    def fill(d: Path) -> None:  # the program's module dir, without its own tests, plus the given ones
        shutil.copytree(pkg.moddir, d, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*_test.go"))
        for name, text in tests.items():
            (d / name).write_text(text)
        tc.go_cmd("test", "-c", "-vet=off", *([f"-gcflags={gcflags}"] if gcflags else []), "-o", "prog.test", ".",
                  cwd=d, env=pkg.target, timeout=deadline, hint=hint)
        (d / BUILD_DIR_FILE).write_text(str(d))

    d = cache.install_dir("test-binaries", k, fill)
    return TestBinary(d / "prog.test", (d / BUILD_DIR_FILE).read_text().strip())


def link_argv(tc: "Toolchain", archive: Path, importcfg_link: Path, out: Path,
              flags: Sequence[str] = ()) -> list[str]:
    """The `go tool link` command go build runs for a main package's archive (an executable)."""
    return [str(tc.tooldir / "link"), "-o", str(out), "-importcfg", str(importcfg_link), "-buildmode=exe",
            *flags, str(archive)]


def link(pkg: Package, archive: Path, importcfg_link: Path, out: Path, *, flags: Sequence[str] = (),
         cwd: Path, deadline: float | Deadline = BUILD_SECONDS) -> Completed:
    """`go tool link` of the package's archive into the executable `out`, by hand."""
    tc = pkg.toolchain
    return _run.run(link_argv(tc, archive, importcfg_link, out, flags), env=tc.env(pkg.target), cwd=cwd,
                    timeout=deadline).check(hint="go tool link failed.")


def link_command(pkg: Package, archive: Path, importcfg_link: Path, out: Path, flags: Sequence[str] = ()) -> Cmd:
    """The same link as a Cmd for gokit.bench to time, writing `out` (a path in a directory you own)."""
    tc = pkg.toolchain
    return Cmd(tuple(link_argv(tc, archive, importcfg_link, out, flags)), tc.env(pkg.target))
