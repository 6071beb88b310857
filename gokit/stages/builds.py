"""gokit.build and what lesson 06 looks at around it: the build cache and the build graph (which actions ran,
which GOCACHE served), the files each target compiles, the cross-compilation matrix and sizes by linker flag."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .. import _tmp
from .._progress import Progress
from .._run import BUILD_SECONDS, BUILDS_SECONDS, Deadline, GO_ENV_SECONDS
from ..errors import advice_for, GoToolError, UsageError
from ..layers.build import Build, flag_list, go_build
from ..layers.build import build as layer_build
from ..parsers.binary import file_format
from ..parsers.binary import sections as elf_sections
from ..parsers.buildx import BuildGraph, link_cfg, parse_actiongraph, parse_build_trace, parse_gocachehash, strip_x
from ..source.exports import PACKAGEFILE_RE
from ..source.package import Package, resolve, target_env
from ..source.source import Source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    import pandas as pd


def build(src: Source | str | bytes | os.PathLike[str], *, ldflags: str | Sequence[str] | None = None,
          gcflags: str | Sequence[str] | None = None, goos: str | None = None, goarch: str | None = None,
          buildmode: str | None = None, cgo: bool = False, gocache: str | os.PathLike[str] | None = None,
          fresh: bool = False, progress: bool = False, toolchain: Toolchain | None = None,
          timeout: float | None = None) -> Build:
    """`go build -x` the program into gokit's cache; a repeat returns the cached binary at once.

    fresh=True always runs go build (Go's own cache still decides what it recompiles), so the
    Build's steps, cache hits and misses describe this very build.
    buildmode: go build's `-buildmode` ("pie", ...; default exe). cgo=True builds with CGO_ENABLED=1 (gokit's
    default is 0), so a program that imports "C" builds, with the C compiler go finds (`go env CC`); the go
    command then links externally. gocache: a GOCACHE directory for this build instead of the toolchain's (e.g.
    `scratch_gocache()`, to keep a cross or -shared compile of the standard library out of yours); the binary
    is still kept in gokit's cache, so a repeat starts nothing. progress=True shows a bar naming the build while
    go runs (never for a binary gokit already has). `timeout` bounds the whole call (default 300 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILD_SECONDS, "gokit.build")
    if buildmode is not None and not (isinstance(buildmode, str) and re.fullmatch(r"[a-z-]+", buildmode)):
        raise UsageError(f"buildmode is a word go build knows, like 'pie' or 'exe'; got {buildmode!r}")
    if not isinstance(cgo, bool):
        raise UsageError(f"cgo is True or False; got {cgo!r}")
    flags = tuple(flag_list("ldflags", ldflags) + flag_list("gcflags", gcflags)
                  + ([f"-buildmode={buildmode}"] if buildmode else []))
    target = {**target_env(tc, goos, goarch, deadline), **({"CGO_ENABLED": "1"} if cgo else {})}
    pkg = resolve(src, tc, target, deadline)
    return layer_build(pkg, flags=flags, fresh=fresh, gocache=gocache, progress=progress, deadline=deadline)


#: (go binary, version) -> the C compiler `go env CC` names, found on PATH (None: not there)
_c_compilers: dict[tuple[str, str], str | None] = {}


def c_compiler(*, toolchain: Toolchain | None = None, timeout: float | None = None) -> str | None:
    """The C compiler a cgo build would use (`go env CC`, found on PATH), or None when there is none: what
    `gokit.build(src, cgo=True)` needs. Asked once per toolchain. `timeout` bounds the call (default 60 s)."""
    tc = toolchain or default_toolchain()
    key = (str(tc.go), tc.version)
    if key not in _c_compilers:
        deadline = Deadline.of(timeout, GO_ENV_SECONDS, "gokit.c_compiler")
        cc = tc.go_cmd("env", "CC", env={"CGO_ENABLED": "1"}, timeout=deadline).out.strip().split()
        _c_compilers[key] = shutil.which(cc[0]) if cc else None
    return _c_compilers[key]


def _write_module(pkg: Package, workdir: Path) -> None:
    """Put the program's files (and go.mod) into workdir, replacing what a previous version left there."""
    workdir.mkdir(parents=True, exist_ok=True)
    files = dict(pkg.source.files)
    files["go.mod"] = pkg.gomod
    for old in workdir.iterdir():
        if old.is_file() and old.name not in files and (old.suffix == ".go" or old.name == "go.mod"):
            old.unlink()
    for name, data in files.items():
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)


def build_graph(src: Source | str | bytes | os.PathLike[str], *, ldflags: str | Sequence[str] | None = None,
                gcflags: str | Sequence[str] | None = None, goos: str | None = None, goarch: str | None = None,
                all: bool = False, gocache: str | os.PathLike[str] | None = None, workdir: str | os.PathLike[str] | None = None,
                hashes: bool = False, output: str | os.PathLike[str] | None = None, toolchain: Toolchain | None = None,
                timeout: float | None = None) -> BuildGraph:
    """Run `go build -x -debug-actiongraph -debug-trace` now and report what it did (never from gokit's cache).

    gocache: a GOCACHE directory to use instead of the toolchain's (e.g. `scratch_gocache()` for a cold
    build); all=True adds -a (rebuild everything); hashes=True sets GODEBUG=gocachehash=1 and keeps the
    inputs of every cache key. workdir: build in this directory (the program's files are written there,
    so edits happen in place; the directory is part of the main package's cache key), else in gokit's
    content-addressed copy of the program. The binary is measured (size, format from its magic bytes,
    SHA-256) and then removed, unless `output` names a file to keep it in. `timeout` bounds the whole call
    (default 900 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILDS_SECONDS, "gokit.build_graph")
    pkg = resolve(src, tc, target_env(tc, goos, goarch, deadline), deadline)
    return _build_graph(pkg, ldflags=ldflags, gcflags=gcflags, all=all, gocache=gocache, workdir=workdir,
                        hashes=hashes, output=output, deadline=deadline)


def _build_graph(pkg: Package, *, ldflags: str | Sequence[str] | None = None,
                 gcflags: str | Sequence[str] | None = None, all: bool = False,
                 gocache: str | os.PathLike[str] | None = None, workdir: str | os.PathLike[str] | None = None,
                 hashes: bool = False, output: str | os.PathLike[str] | None = None,
                 deadline: float | Deadline = BUILDS_SECONDS) -> BuildGraph:
    pkg.source.check_buildable()
    tc, env = pkg.toolchain, dict(pkg.target)
    flags = tuple(flag_list("ldflags", ldflags) + flag_list("gcflags", gcflags)) + (("-a",) if all else ())
    if workdir is not None:
        moddir = Path(workdir)
        _write_module(pkg, moddir)
    else:
        moddir = pkg.moddir
    run_env = dict(env)
    if gocache is not None:
        run_env["GOCACHE"] = os.fspath(gocache)
    if hashes:
        run_env["GODEBUG"] = "gocachehash=1"
    tmp = _tmp.mkdtemp("build-graph-")
    try:
        out = tmp / ("prog.exe" if env.get("GOOS") == "windows" else "prog")
        done = go_build(tc, "-x", f"-debug-actiongraph={tmp / 'actions.json'}", f"-debug-trace={tmp / 'trace.json'}",
                        *flags, "-o", str(out), ".", cwd=moddir, env=run_env, deadline=deadline, check=False)
        err = done.err
        x_trace = "\n".join(ln for ln in err.splitlines() if not ln.startswith("HASH")) + "\n"
        if done.exit_code != 0:
            raise GoToolError(done.argv, done.exit_code, strip_x(x_trace), done.out, hint=advice_for(err))
        data = out.read_bytes()
        if output is not None:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(out, output)
        kind = file_format(data)
        return BuildGraph(parse_actiongraph((tmp / "actions.json").read_text()),
                          parse_build_trace((tmp / "trace.json").read_text()),
                          parse_gocachehash(err) if hashes else (), x_trace, done.wall, len(data), kind,
                          hashlib.sha256(data).hexdigest(), tc, data[:16], env, flags, gocache is not None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def target_files(package: str, targets: Sequence[tuple[str, str]], *, toolchain: Toolchain | None = None,
                 timeout: float | None = None) -> "pd.DataFrame":
    """The files go build compiles for a standard-library package on each GOOS/GOARCH (`go list -f {{.GoFiles}}`).

    One row per target: target, files (count), only_here (files no other listed target compiles), the file list.
    """
    import pandas as pd

    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILDS_SECONDS, "gokit.target_files")
    if not isinstance(package, str) or not package:
        raise UsageError("package is an import path, like 'runtime' or 'internal/goos'")
    lists: dict[str, list[str]] = {}
    for goos, goarch in targets:
        env = target_env(tc, goos, goarch, deadline)
        done = tc.go_cmd("list", "-e", "-f", "{{if .Error}}error: {{.Error}}{{else}}{{join .GoFiles \" \"}}{{end}}",
                         package, cwd=tc.goroot / "src", env=env, timeout=deadline)
        text = done.out.strip().replace(str(tc.goroot), "$GOROOT")
        if text.startswith("error: "):
            raise UsageError(f"go list {package} for {goos}/{goarch}: {text[len('error: '):]}")
        lists[f"{goos}/{goarch}"] = text.split()
    rows = []
    for t, files in lists.items():
        others = set().union(*(set(v) for k, v in lists.items() if k != t)) if len(lists) > 1 else set()
        rows.append({"target": t, "files": len(files), "only_here": [f for f in files if f not in others],
                     "go_files": files})
    return pd.DataFrame(rows)


#: The targets of lesson 06's cross-compilation matrix.
CROSS_TARGETS = (("linux", "amd64"), ("linux", "arm64"), ("darwin", "arm64"), ("windows", "amd64"), ("js", "wasm"),
                 ("wasip1", "wasm"), ("linux", "riscv64"))


def cross_matrix(src: Source | str | bytes | os.PathLike[str], targets: Sequence[tuple[str, str]] = CROSS_TARGETS, *,
                 gocache: str | os.PathLike[str] | None = None, ldflags: str | None = None,
                 workdir: str | os.PathLike[str] | None = None, toolchain: Toolchain | None = None,
                 timeout: float | None = None, progress: bool = True) -> "pd.DataFrame":
    """Build the program for each GOOS/GOARCH now: wall time, packages compiled, size, the first 4 bytes and the
    file format they say.

    Pass a private `gocache` (scratch_gocache()) to keep the learner's GOCACHE small: every target
    compiles its own standard library (tens of MB each). `workdir`: build there (see build_graph). `timeout`
    bounds the whole call (default 900 s per target).
    """
    import pandas as pd

    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILDS_SECONDS * max(1, len(targets)), "gokit.cross_matrix")
    rows = []
    bar = Progress(len(targets), 0) if progress else None
    try:
        for goos, goarch in targets:
            pkg = resolve(src, tc, target_env(tc, goos, goarch, deadline), deadline)
            g = _build_graph(pkg, gocache=gocache, ldflags=ldflags, workdir=workdir, deadline=deadline)
            rows.append({"target": f"{goos}/{goarch}", "seconds": g.wall, "compiled": g.cache_misses,
                         "size": g.size, "magic": g.head[:4].hex(" "), "format": g.format})
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return pd.DataFrame(rows)


#: The linker-flag variants lesson 06 compares.
STRIP_VARIANTS = ("", "-w", "-s", "-s -w")


def ldflags_sizes(src: Source | str | bytes | os.PathLike[str], variants: Sequence[str] = STRIP_VARIANTS, *,
                  toolchain: Toolchain | None = None, timeout: float | None = None) -> "pd.DataFrame":
    """Build the program once per -ldflags value and measure it: size, symbol table and DWARF present (ELF sections).

    Columns: ldflags, size, saved (bytes less than the first variant), symtab, dwarf, sections. `timeout`
    bounds the whole call (default 900 s).
    """
    import pandas as pd

    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILDS_SECONDS, "gokit.ldflags_sizes")
    pkg = resolve(src, tc, {}, deadline)
    rows = []
    for flags in variants:
        b = layer_build(pkg, flags=flag_list("ldflags", flags or None), deadline=deadline)
        sections = set(elf_sections(b)["section"])  # section headers only, not the whole image
        rows.append({"ldflags": flags or "(none)", "size": b.size, "symtab": ".symtab" in sections,
                     "dwarf": any(s.startswith((".debug_", ".zdebug_")) for s in sections),
                     "sections": len(sections)})
    df = pd.DataFrame(rows)
    df.insert(2, "saved", df["size"].iloc[0] - df["size"])
    return df


def cache_report(b: Build) -> dict[str, list[str]]:
    """Which packages a fresh Build compiled and which the linker read from GOCACHE (by its importcfg.link)."""
    steps = b.steps
    compiled = sorted(set(steps.loc[steps["action"] == "compile", "package"]))
    cfg = link_cfg(steps)
    cached: list[str] = []
    if cfg is not None:
        gocache = os.fspath(b.toolchain.gocache)
        cached = sorted(m.group("path") for m in PACKAGEFILE_RE.finditer(cfg)
                        if m.group("file").startswith(gocache) and m.group("path") not in compiled)
    return {"compiled": compiled, "from_gocache": cached}


def gocache_size(gocache: str | os.PathLike[str] | None = None, *, toolchain: Toolchain | None = None) -> int:
    """Bytes in a GOCACHE now (default: the toolchain's, the learner's own), as `du --apparent-size` counts."""
    return dir_size(gocache if gocache is not None else (toolchain or default_toolchain()).gocache)


# ---------------------------------------------------------------- a private GOCACHE

class ScratchCache(os.PathLike):  # type: ignore[type-arg]
    """A private, empty GOCACHE directory for cold builds (never the learner's own cache).

    Use it in a `with` block (it is removed at the end), or keep it and call `.remove()`; it lives in
    gokit's private temp dir, which is removed when the Python process ends anyway.
    """

    def __init__(self) -> None:
        self.path = _tmp.mkdtemp("gocache-")

    def __fspath__(self) -> str:
        return str(self.path)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def size(self) -> int:
        """Bytes in it now."""
        return dir_size(self.path)

    def empty(self) -> None:
        """Make it empty again (a cold cache for the next build)."""
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)

    def remove(self) -> None:
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)

    def __repr__(self) -> str:
        return f"<ScratchCache: a private GOCACHE, {dir_size(self.path) / 1e6:.1f} MB>"


def scratch_gocache() -> ScratchCache:
    """A private, empty GOCACHE for cold builds (`with gokit.scratch_gocache() as d:`), removed afterwards."""
    return ScratchCache()


def dir_size(path: str | os.PathLike[str]) -> int:
    """Bytes of all files under path (0 when it does not exist): how much a GOCACHE holds."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total
