"""The compile layer: one bare `go tool compile` of the learner's resolved package, its outputs kept when asked
for. The only module that makes a compiler command line (a test keeps it so)."""
from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .. import _cache as cache
from .. import _run, _tmp
from .._run import Cmd
from ..errors import SourceDoesNotCompile, UsageError, advice_for
from ..source.package import Package

#: GOSSADIR file names: <pkgpath>.<function>,<abi>.html
HTML_NAME_RE = re.compile(r"^(?P<name>.+),(?P<abi>\d+)\.html$")
#: A per-package gcflags pattern (`all=-N -l`, `main=-m`): gokit compiles only the learner's package.
PATTERN_PREFIX_RE = re.compile(r"^[\w./*-]+=-")
#: Flags gokit sets itself; a learner's gcflags may not override them.
FORBIDDEN_FLAGS = ("-o", "-p", "-importcfg", "-pack", "-D", "-I", "-trimpath", "-buildid")
#: The archive name go build gives a compiled package (what `go tool nm` and `go tool link` read).
ARCHIVE = "_pkg_.a"


def parse_gcflags(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """A learner's gcflags as compiler arguments ('-N -l', ['-m=2'], 'all=-N -l'); UsageError when not flags."""
    if value is None:
        return ()
    if isinstance(value, str):
        flags = shlex.split(value)
    elif isinstance(value, Sequence) and all(isinstance(f, str) for f in value):
        flags = [p for f in value for p in shlex.split(f)]
    else:
        raise UsageError(f"gcflags is a string like '-N -l' (or a list of flags); got {value!r}")
    if flags and PATTERN_PREFIX_RE.match(flags[0]) and not flags[0].startswith("-"):
        flags[0] = flags[0].split("=", 1)[1]
    for f in flags:
        if not f.startswith("-"):
            raise UsageError(f"gcflags holds compiler flags like '-N -l'; {f!r} is not a flag")
        bare = f.split("=", 1)[0]
        if bare in FORBIDDEN_FLAGS:
            raise UsageError(f"gokit sets {bare} itself (it compiles into a private temp dir); leave it out of gcflags")
    return tuple(flags)


def compile_argv(pkg: Package, out: Path, flags: Sequence[str] = (), *, importcfg: Path) -> list[str]:
    """The `compile` command go build runs for this package (same flags), writing the archive `out`, with
    `importcfg`: the export data of what the package imports (gokit.source.exports.importcfg, worked out by the
    stage before it calls the layer).

    `out` must be a fresh path in a directory gokit owns: a failed compile deletes its -o file.
    """
    tc = pkg.toolchain
    return [str(tc.tooldir / "compile"), "-o", str(out), "-p", pkg.pkgpath, f"-lang={pkg.lang}",
            *([] if pkg.has_asm else ["-complete"]), "-goversion", f"go{tc.version}", "-nolocalimports",
            "-importcfg", str(importcfg), "-pack", *flags, *(f"./{f}" for f in pkg.files)]


@dataclass(frozen=True)
class Compiled:
    """One compile of the learner's package: the command, what it printed, and the outputs kept."""

    package: Package
    argv: tuple[str, ...]
    exit_code: int
    stdout: str = field(repr=False)   # -S listings go here
    stderr: str = field(repr=False)   # -m, -d=... diagnostics and errors go here
    wall: float
    archive: Path | None = None       # the package archive (_pkg_.a), when keep_archive=True
    ssa_html: Mapping[str, str] = field(default_factory=dict, repr=False)  # function -> GOSSAFUNC html

    @property
    def output(self) -> str:
        """stdout and stderr with the module directory cut from paths (`./main.go:7:6: ...`)."""
        return (self.stdout + self.stderr).replace(str(self.package.moddir) + "/", "")

    def check(self, what: str = "anything") -> "Compiled":
        """SourceDoesNotCompile (with the compiler's first error) unless the compile succeeded."""
        if self.exit_code != 0:
            raise SourceDoesNotCompile(
                self.argv, self.exit_code, self.stderr or self.stdout, self.stdout,
                hint=advice_for(self.stderr) or f"The program does not compile, so there is no {what} to show. Fix "
                     "the error above (gokit.run(src) shows the same message).")
        return self


def compile_package(pkg: Package, *, importcfg: Path, flags: Sequence[str] = (), gossafunc: str | None = None,
                    keep_archive: bool = False, archive: Path | None = None,
                    deadline: "float | _run.Deadline" = _run.COMPILE_SECONDS) -> Compiled:
    """Compile the learner's package alone, as go build would (`go tool compile` with `importcfg`, the export data
    of what it imports in GOCACHE: gokit.source.exports.importcfg), in a private temp dir.

    `gossafunc` sets GOSSAFUNC/GOSSADIR and collects the package's ssa.html files (by function name without
    the package; ABI 1 preferred); `keep_archive` keeps `_pkg_.a` in gokit's cache (keyed by the resolved
    package and the flags) for `go tool nm`, `archive` writes it where asked instead (a hand link's work dir).
    A compile error is returned (exit_code != 0), not raised: see `.check()`.
    """
    tmp = _tmp.mkdtemp("compile-")
    try:
        out = archive if archive is not None else tmp / ARCHIVE
        env = dict(pkg.target)
        ssadir = tmp / "ssa"
        if gossafunc:
            env.update({"GOSSAFUNC": gossafunc, "GOSSADIR": str(ssadir)})
        argv = compile_argv(pkg, out, flags, importcfg=importcfg)
        done = _run.run(argv, env=pkg.toolchain.env(env), cwd=pkg.moddir, timeout=deadline)
        htmls: dict[str, str] = {}
        prefix = pkg.pkgpath + "."
        for f in (ssadir.rglob("*.html") if gossafunc and ssadir.is_dir() else ()):
            m = HTML_NAME_RE.match(f.relative_to(ssadir).as_posix())
            if m and m.group("name").startswith(prefix):
                name = m.group("name")[len(prefix):]
                if m.group("abi") == "1" or not htmls.get(name):
                    htmls[name] = f.read_text(encoding="utf-8", errors="replace")
        kept = archive if archive is not None and done.exit_code == 0 else None
        if keep_archive and done.exit_code == 0 and out.is_file():
            def fill(d: Path) -> None:
                shutil.copy2(out, d / ARCHIVE)

            kept = cache.install_dir("archives", cache.key("archive", pkg.key, list(flags)), fill) / ARCHIVE
        return Compiled(pkg, done.argv, done.exit_code, done.out, done.err, done.wall, kept, htmls)
    finally:
        _tmp.remove_later(tmp)


def compile_command(pkg: Package, *, importcfg: Path, flags: Sequence[str] = (),
                    outdir: str | os.PathLike[str]) -> Cmd:
    """The exact `compile` command gokit runs for this package, writing into `outdir` (a directory you own: a
    failed compile deletes its -o file), as a Cmd for gokit.bench to time."""
    out = Path(outdir)
    if not out.is_dir():
        raise UsageError(f"outdir {out} is not a directory")
    return Cmd(tuple(compile_argv(pkg, out / ARCHIVE, flags, importcfg=importcfg)), pkg.toolchain.env(pkg.target),
               str(pkg.moddir))
