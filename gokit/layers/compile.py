"""The compile layer: one bare `go tool compile` of the learner's package, its outputs kept when asked for."""
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
from ..source.package import Package, importcfg, package
from .._run import Cmd
from ..source.source import Source, as_source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain
from ..errors import SourceDoesNotCompile, UsageError, advice_for

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


def compile_argv(tc: Toolchain, pkg: Package, cfg: Path, out: Path, flags: Sequence[str] = ()) -> list[str]:
    """The `compile` command go build runs for this package (same flags), writing the archive `out`.

    `out` must be a fresh path in a directory gokit owns: a failed compile deletes its -o file.
    """
    return [str(tc.tooldir / "compile"), "-o", str(out), "-p", pkg.pkgpath, f"-lang={pkg.lang}",
            *([] if pkg.has_asm else ["-complete"]), "-goversion", f"go{tc.version}", "-nolocalimports",
            "-importcfg", str(cfg), "-pack", *flags, *(f"./{f}" for f in pkg.files)]


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


def compile_package(src: Source | str | bytes | os.PathLike[str], *, flags: Sequence[str] = (),
                    target: Mapping[str, str] | None = None, gossafunc: str | None = None,
                    keep_archive: bool = False, toolchain: Toolchain | None = None,
                    timeout: float = 120) -> Compiled:
    """Compile the learner's package alone, as go build would (`go tool compile` with an importcfg of the
    standard library's export data in GOCACHE), in a private temp dir.

    `gossafunc` sets GOSSAFUNC/GOSSADIR and collects the package's ssa.html files; `keep_archive`
    keeps `_pkg_.a` in gokit's cache (keyed by toolchain, source, flags and target) for `go tool nm`
    or a hand link. A compile error is returned (exit_code != 0), not raised: see `.check()`.
    """
    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(timeout)
    src = as_source(src)
    target = dict(target or {})
    pkg = package(src, tc, target, timeout)
    cfg = importcfg(tc, pkg.imports, target, timeout)
    tmp = _tmp.mkdtemp("compile-")
    try:
        out = tmp / ARCHIVE
        env = dict(target)
        ssadir = tmp / "ssa"
        if gossafunc:
            env.update({"GOSSAFUNC": gossafunc, "GOSSADIR": str(ssadir)})
        argv = compile_argv(tc, pkg, cfg, out, flags)
        done = _run.run(argv, env=tc.env(env), cwd=pkg.moddir, timeout=timeout)
        htmls = _ssa_htmls(ssadir, pkg.pkgpath) if gossafunc else {}
        archive = None
        if keep_archive and done.exit_code == 0 and out.is_file():
            k = cache.key("archive", tc.version, str(tc.go), src.digest, src.gomod(tc).decode(), list(flags), target)

            def fill(d: Path) -> None:
                shutil.copy2(out, d / ARCHIVE)

            archive = cache.install_dir("archives", k, fill) / ARCHIVE
        return Compiled(pkg, done.argv, done.exit_code, done.out, done.err, done.wall, archive, htmls)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _ssa_htmls(ssadir: Path, pkgpath: str) -> dict[str, str]:
    """The package's own ssa.html files, by function name without the package (ABI 1 preferred)."""
    htmls: dict[str, str] = {}
    if not ssadir.is_dir():
        return htmls
    prefix = pkgpath + "."
    for f in ssadir.rglob("*.html"):
        m = HTML_NAME_RE.match(f.relative_to(ssadir).as_posix())
        if not (m and m.group("name").startswith(prefix)):
            continue
        name = m.group("name")[len(prefix):]
        if m.group("abi") == "1" or not htmls.get(name):
            htmls[name] = f.read_text(encoding="utf-8", errors="replace")
    return htmls


def compile_command(src: Source | str | bytes | os.PathLike[str], *, gcflags: str | Sequence[str] | None = None,
                    outdir: str | os.PathLike[str], goarch: str | None = None, toolchain: Toolchain | None = None,
                    timeout: float = 120) -> Cmd:
    """The exact `compile` command gokit runs for this package (a gokit.bench.Cmd), writing into `outdir`.

    `outdir` must be a directory you own (a failed compile deletes its -o file).
    """
    from ..source.package import target_env

    tc = toolchain or default_toolchain()
    src = as_source(src)
    target = target_env(tc, None, goarch) if goarch else {}
    pkg = package(src, tc, target, timeout)
    cfg = importcfg(tc, pkg.imports, target, timeout)
    out = Path(outdir)
    if not out.is_dir():
        raise UsageError(f"outdir {out} is not a directory")
    argv = compile_argv(tc, pkg, cfg, out / ARCHIVE, parse_gcflags(gcflags))
    return Cmd(tuple(argv), tc.env(target), str(pkg.moddir))
