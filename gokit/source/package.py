"""The resolved package: everything about a learner's program that depends on a toolchain and a target, worked
out once per (source, toolchain, target) and handed down to every stage; plus valid targets. (What the
compiler reads of the packages it imports, their export data: gokit/source/exports.py.)

`resolve(src, tc, target, deadline)` asks gokit's Go helper for go/parser's and go/build's facts about each
file, writes the go.mod gokit builds with, and materialises the module directory. The package name, module
path, language version, the files the target compiles, their imports and the cache-key prefix all come from
that one value: no stage asks the Source (plain data) or a default toolchain again.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .. import _run
from .. import _cache as cache
from ..errors import GokitError, UsageError
from .helper import call_on, identity
from .source import as_source, ignored_by_go_build, Source
from .toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    from .toolchain import Toolchain

TARGET_WORD_RE = re.compile(r"[a-z0-9]+")
#: go.mod is not Go source: its `module` and `go` lines are read as the go command documents them.
GO_LINE_RE = re.compile(r"^go\s+(\d+)\.(\d+)(?:\.\d+)?\s*$", re.MULTILINE)
MODULE_LINE_RE = re.compile(r"^module\s+(\S+)", re.MULTILINE)
#: Main packages are built as module "play"; any other package as "play/<name>", so symbol
#: names are the same for every learner and every run (main.add, play/geometry.Area).
MAIN_MODULE = "play"


# ---------------------------------------------------------------- what go/parser and go/build say about a file

@dataclass(frozen=True)
class Decl:
    """A top-level declaration as go/parser saw it; `func` is the compiler's spelling (add, T.M, (*T).M)."""

    kind: str   # func, type, var, const
    name: str
    recv: str   # "*T", "T" or "" (type parameters dropped)
    func: str
    line: int
    end: int
    generic: bool = False  # declares type parameters


@dataclass(frozen=True)
class FileFacts:
    """What go/parser and go/build say about one file: package clause, imports, declarations, build match."""

    name: str
    package: str
    imports: tuple[str, ...]
    constraint: str   # the //go:build expression, or ""
    match: bool       # go build compiles this file for the target asked for (name suffixes and //go:build)
    decls: tuple[Decl, ...]

    def func_at(self, line: int) -> str:
        """The compiler's name of the function declared around `line` ("" outside any function)."""
        for d in self.decls:
            if d.kind == "func" and d.line <= line <= d.end:
                return d.func
        return ""


def _facts_from_json(data: Mapping[str, Any]) -> tuple[FileFacts, ...]:
    return tuple(FileFacts(f["name"], f.get("package", ""), tuple(f.get("imports") or ()), f.get("constraint", ""),
                           bool(f.get("match")),
                           tuple(Decl(d["kind"], d["name"], d.get("recv", ""), d.get("func", d["name"]), d["line"],
                                      d["end"], bool(d.get("generic"))) for d in f.get("decls") or ()))
                 for f in data.get("files", ()))


def facts(src: Source, tc: "Toolchain", goos: str, goarch: str,
          deadline: "float | _run.Deadline" = _run.FRONT_END_SECONDS) -> tuple[FileFacts, ...]:
    """go/parser's and go/build's facts about each .go file for GOOS/GOARCH (gokit's Go helper; cached)."""
    files = src.go_files

    def compute() -> tuple[FileFacts, ...]:
        if not files:
            return ()
        return _facts_from_json(call_on(files, "facts", tc, ["-goos", goos, "-goarch", goarch], timeout=deadline))

    return cache.memo("facts", cache.key("facts", src.digest, identity(tc), goos, goarch), compute, tuple)


# ---------------------------------------------------------------- the resolved package

@dataclass(frozen=True)
class Package:
    """The learner's package as go build sees it for one toolchain and target: resolved once, handed down.

    `files`, `imports` and `has_asm` are what the compiler is given; `pkgpath` its -p ("main" for a command);
    `lang` its -lang (the go.mod's `go` line); `gomod` the go.mod gokit builds with (the program's own, or one
    for this toolchain); `moddir` the content-addressed module directory; `key` the prefix of every cache key
    of every stage (Go release and binary, source, go.mod, target).
    """

    source: Source = field(repr=False)
    toolchain: "Toolchain" = field(repr=False)
    target: Mapping[str, str]             # the GOOS/GOARCH (and CGO_ENABLED) env of the go command ({}: the
                                          # toolchain's own)
    goos: str
    goarch: str
    name: str                             # the package clause
    module_path: str                      # play, play/<name>, or the go.mod's module
    pkgpath: str
    lang: str
    gomod: bytes = field(repr=False)
    moddir: Path = field(repr=False)
    files: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()
    has_asm: bool = False
    facts: tuple[FileFacts, ...] = field(default=(), repr=False)
    key: str = field(default="", repr=False)

    def check_compilable(self) -> "Package":
        """UsageError, with advice, when the compiler cannot be given this package alone."""
        if not self.files:
            raise UsageError("the program has no .go files that go build would compile here"
                             + (f" for {self.goos}/{self.goarch}" if self.target else ""))
        if "C" in self.imports:
            raise UsageError("this program uses cgo (import \"C\"); gokit builds with CGO_ENABLED=0, so it cannot "
                             "compile it. Remove the C part to look at the Go code.")
        return self

    def func_at(self, file: str, line: int) -> str:
        """The compiler's name of the function declared around `line` of `file` ("" outside any function)."""
        f = next((f for f in self.facts if f.name == file), None)
        return f.func_at(line) if f is not None else ""

    @property
    def generic_functions(self) -> frozenset[str]:
        """The compiler's names of the functions and methods that declare type parameters."""
        return frozenset(d.func for f in self.facts for d in f.decls if d.kind == "func" and d.generic)


def resolve(src: "Source | str | bytes | os.PathLike[str] | Package", tc: "Toolchain",
            target: Mapping[str, str] | None = None, deadline: "float | _run.Deadline" = _run.FRONT_END_SECONDS) -> Package:
    """The learner's package for this toolchain and target (a GOOS/GOARCH env, {} for the toolchain's own),
    worked out once per process (the facts once per machine) and handed down. A Package already resolved for
    this toolchain and target is handed back as it is."""
    target = dict(target or {})
    if isinstance(src, Package) and src.toolchain == tc and dict(src.target) == target:
        return src
    src = as_source(src.source if isinstance(src, Package) else src)
    goos, goarch = target.get("GOOS", tc.goos), target.get("GOARCH", tc.goarch)
    k = cache.key("resolved", src.digest, tc.version, str(tc.go), goos, goarch, sorted(target.items()))
    known = cache.get("package", k, Package, disk=False)
    if known is not None:
        return known
    file_facts = facts(src, tc, goos, goarch, deadline)
    name = next((f.package for f in file_facts if f.package), "main")
    # the module path: the program's go.mod's, else play (a command) or play/<name>
    own = src.go_mod
    m = MODULE_LINE_RE.search(own) if own else None
    module_path = m.group(1).strip('"') if m else MAIN_MODULE if name == "main" else f"{MAIN_MODULE}/{name}"
    # the go.mod gokit builds with: the program's own (checked), or one for this toolchain
    major, minor = tc.minor
    go_line = GO_LINE_RE.search(own) if own else None
    if go_line and (int(go_line.group(1)), int(go_line.group(2))) > (major, minor):
        raise GokitError(
            f"{src.origin}/go.mod asks for go {go_line.group(1)}.{go_line.group(2)}, but the toolchain is "
            f"go{tc.version}. gokit never downloads toolchains (GOTOOLCHAIN=local): lower the "
            f"`go` line, or use a newer Go with gokit.use_go(...).")
    gomod = dict(src.files)["go.mod"] if own is not None else f"module {module_path}\n\ngo {major}.{minor}\n".encode()
    lang = f"go{go_line.group(1)}.{go_line.group(2)}" if go_line else f"go{major}.{minor}"
    built = [f for f in file_facts if f.match and not ignored_by_go_build(f.name)]

    def fill(tmp: Path) -> None:  # the module directory: content-addressed, shared by all kernels
        for fname, data in src.files:
            dest = tmp / fname
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        (tmp / "go.mod").write_bytes(gomod)

    moddir = cache.install_dir("src", cache.key("src", src.digest, hashlib.sha256(gomod).hexdigest())[:24], fill)
    return cache.put("package", k, Package(
        src, tc, target, goos, goarch, name, module_path, "main" if name == "main" else module_path, lang, gomod,
        moddir, tuple(sorted(f.name for f in built)), tuple(sorted({i for f in built for i in f.imports})),
        any(n.endswith(".s") and "/" not in n for n, _ in src.files), file_facts,
        cache.key("package", tc.version, str(tc.go), src.digest, gomod.decode("utf-8", "replace"), goos, goarch,
                  sorted(target.items()))),
        disk=False)


def package(src: "Source | str | bytes | os.PathLike[str]", *, goos: str | None = None, goarch: str | None = None,
            toolchain: "Toolchain | None" = None, timeout: float | None = None) -> Package:
    """Your program as go build sees it for a toolchain and target: package name and path, the go.mod gokit
    builds with, the files the target compiles, their imports, and the module directory they are in."""
    tc = toolchain or default_toolchain()
    deadline = _run.Deadline.of(timeout, _run.FRONT_END_SECONDS, "gokit.package")
    return resolve(src, tc, target_env(tc, goos, goarch, deadline), deadline)


# ---------------------------------------------------------------- targets

def targets(tc: "Toolchain", deadline: "float | _run.Deadline" = _run.BUILD_SECONDS) -> frozenset[tuple[str, str]]:
    """The GOOS/GOARCH pairs this toolchain can build for, from `go tool dist list -json` (cached per toolchain)."""
    def compute() -> frozenset[tuple[str, str]]:
        done = tc.go_cmd("tool", "dist", "list", "-json", timeout=deadline)
        return frozenset((t["GOOS"], t["GOARCH"]) for t in json.loads(done.out))

    return cache.memo("targets", cache.key("targets", tc.version, str(tc.go)), compute, frozenset)


def target_env(tc: "Toolchain", goos: str | None, goarch: str | None,
               deadline: "float | _run.Deadline" = _run.BUILD_SECONDS) -> dict[str, str]:
    """GOOS/GOARCH for a build ({} for the host), refused with the known values when the toolchain lacks the target."""
    if goos is None and goarch is None:
        return {}
    os_, arch = goos or tc.goos, goarch or tc.goarch
    for name, value in (("goos", os_), ("goarch", arch)):
        if not isinstance(value, str) or not TARGET_WORD_RE.fullmatch(value):
            raise UsageError(f"{name} must be a word like 'linux' or 'arm64'; got {value!r}")
    ports = targets(tc, deadline)
    if (os_, arch) not in ports:
        known_os = sorted({o for o, _ in ports})
        if os_ not in known_os:
            raise UsageError(f"go{tc.version} does not know GOOS={os_!r}. Known: {', '.join(known_os)}")
        known_arch = sorted({a for o, a in ports if o == os_})
        raise UsageError(f"go{tc.version} cannot build for {os_}/{arch}. GOARCH values for {os_}: "
                         f"{', '.join(known_arch)}")
    return {"GOOS": os_, "GOARCH": arch}
