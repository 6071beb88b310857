"""Source: a Go program (text, a file, or a package dir) materialised in a content-addressed module dir."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from .. import _cache as cache
from ..errors import GokitError, UsageError

if TYPE_CHECKING:
    from .toolchain import Toolchain

#: The largest program gokit accepts (all files together).
MAX_SOURCE_BYTES = 16 << 20
MAX_FILES = 2000
#: go.mod is not Go source: its `module` and `go` lines are read as the go command documents them.
GO_LINE_RE = re.compile(r"^go\s+(\d+)\.(\d+)(?:\.\d+)?\s*$", re.MULTILINE)
MODULE_LINE_RE = re.compile(rb"^module\s+(\S+)", re.MULTILINE)
_COPIED_SUFFIXES = (".go", ".s", ".h", ".c", ".mod", ".sum", ".txt", ".json", ".tmpl", ".html")
#: Main packages are built as module "play"; any other package as "play/<name>", so symbol
#: names are the same for every learner and every run (main.add, play/geometry.Area).
MAIN_MODULE = "play"


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


_facts_memo = cache.Memo(256)


def _facts_from_json(data: Mapping[str, Any]) -> tuple[FileFacts, ...]:
    return tuple(FileFacts(f["name"], f.get("package", ""), tuple(f.get("imports") or ()), f.get("constraint", ""),
                           bool(f.get("match")),
                           tuple(Decl(d["kind"], d["name"], d.get("recv", ""), d.get("func", d["name"]), d["line"],
                                      d["end"], bool(d.get("generic"))) for d in f.get("decls") or ()))
                 for f in data.get("files", ()))


@dataclass(frozen=True)
class Source:
    """A Go program gokit can build: one or more files of one package (plus an optional go.mod)."""

    files: tuple[tuple[str, bytes], ...]
    origin: str = "<text>"

    def __init__(self, text: str | bytes, filename: str = "main.go") -> None:
        if isinstance(text, Source):
            object.__setattr__(self, "files", text.files)
            object.__setattr__(self, "origin", text.origin)
            return
        if isinstance(text, str):
            data = text.encode("utf-8", "surrogateescape")
        elif isinstance(text, (bytes, bytearray)):
            data = bytes(text)
        else:
            raise UsageError(f"Source wants Go source text (str or bytes); got {type(text).__name__}")
        _check_name(filename)
        object.__setattr__(self, "files", ((filename, data),))
        object.__setattr__(self, "origin", "<text>")
        self._check_size()

    @classmethod
    def _of(cls, files: list[tuple[str, bytes]], origin: str) -> "Source":
        self = object.__new__(cls)
        object.__setattr__(self, "files", tuple(sorted(files)))
        object.__setattr__(self, "origin", origin)
        self._check_size()
        return self

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> "Source":
        """One .go file (its name is kept, so error positions match what you see)."""
        p = Path(path).expanduser()
        if p.is_dir():
            raise UsageError(f"{p} is a directory; use Source.from_dir({str(p)!r})")
        if not p.is_file():
            raise UsageError(f"{p}: no such file")
        if p.stat().st_size > MAX_SOURCE_BYTES:
            raise UsageError(f"{p} is {p.stat().st_size:,} bytes; gokit takes programs up to {MAX_SOURCE_BYTES:,}")
        _check_name(p.name)
        return cls._of([(p.name, p.read_bytes())], str(p))

    @classmethod
    def from_dir(cls, path: str | os.PathLike[str]) -> "Source":
        """A package directory: its .go files (and go.mod, embedded files) are copied as they are."""
        root = Path(path).expanduser()
        if not root.is_dir():
            raise UsageError(f"{root}: no such directory")
        files: list[tuple[str, bytes]] = []
        total = 0
        for dirpath, dirnames, names in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
            for n in sorted(names):
                f = Path(dirpath) / n
                if not n.endswith(_COPIED_SUFFIXES) or not f.is_file() or f.is_symlink():
                    continue
                data = f.read_bytes()
                total += len(data)
                if total > MAX_SOURCE_BYTES or len(files) >= MAX_FILES:
                    raise UsageError(f"{root} is larger than gokit takes ({MAX_SOURCE_BYTES:,} bytes, "
                                     f"{MAX_FILES} files)")
                files.append((f.relative_to(root).as_posix(), data))
        if not any(n.endswith(".go") and "/" not in n for n, _ in files):
            raise UsageError(f"{root} has no .go files")
        return cls._of(files, str(root))

    def _check_size(self) -> None:
        total = sum(len(d) for _, d in self.files)
        if total > MAX_SOURCE_BYTES:
            raise UsageError(f"the program is {total:,} bytes; gokit takes programs up to {MAX_SOURCE_BYTES:,} "
                             "(a teaching kit, not a build farm)")

    # ---- what the program is ----
    @property
    def text(self) -> str:
        """The text of the first Go file (the one a single-file lesson edits)."""
        return self.go_files[0][1].decode("utf-8", "replace")

    @property
    def go_files(self) -> list[tuple[str, bytes]]:
        return [(n, d) for n, d in self.files if n.endswith(".go") and "/" not in n]

    @property
    def filename(self) -> str:
        return self.go_files[0][0] if self.go_files else self.files[0][0]

    def facts(self, toolchain: "Toolchain | None" = None,
              target: Mapping[str, str] | None = None) -> tuple[FileFacts, ...]:
        """go/parser's and go/build's facts about each .go file (gokit's Go helper; cached per source and target).

        `target` is a GOOS/GOARCH env ({} or None: the toolchain's own) for `FileFacts.match`.
        """
        from .helper import call_on, helper
        from .toolchain import toolchain as default_toolchain

        tc = toolchain or default_toolchain()
        goos = (target or {}).get("GOOS", tc.goos)
        goarch = (target or {}).get("GOARCH", tc.goarch)
        mk = cache.key("facts-memo", self.digest, tc.version, str(tc.go), goos, goarch)
        hit = _facts_memo.get(mk)
        if hit is not None:
            return hit
        files = self.go_files

        def compute() -> Any:
            return call_on(files, "facts", tc, ["-goos", goos, "-goarch", goarch]) if files else {"files": []}

        data = cache.memo_json("facts", cache.key("facts", self.digest, str(helper(tc)), goos, goarch), compute)
        facts = _facts_from_json(data)
        _facts_memo.put(mk, facts)
        return facts

    def _package(self, tc: "Toolchain | None" = None) -> str:
        return next((f.package for f in self.facts(tc) if f.package), "main")

    def _module_path(self, tc: "Toolchain | None" = None) -> str:
        gomod = dict(self.files).get("go.mod")
        if gomod:
            m = MODULE_LINE_RE.search(gomod)
            if m:
                return m.group(1).decode().strip('"')
        pkg = self._package(tc)
        return MAIN_MODULE if pkg == "main" else f"{MAIN_MODULE}/{pkg}"

    @property
    def package(self) -> str:
        """The package clause's name (go/parser), "main" when no file has one."""
        return self._package()

    @property
    def module_path(self) -> str:
        """The module path gokit builds the program as: its go.mod's, else `play` (main) or `play/<name>`."""
        return self._module_path()

    def lang(self, tc: "Toolchain") -> str:
        """The Go language version the package is compiled as (`-lang`): its go.mod's `go` line."""
        m = GO_LINE_RE.search(self.gomod(tc).decode("utf-8", "replace"))
        return f"go{m.group(1)}.{m.group(2)}" if m else f"go{tc.minor[0]}.{tc.minor[1]}"

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for name, data in self.files:
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()

    def __repr__(self) -> str:
        names = ", ".join(n for n, _ in self.files[:4]) + (", ..." if len(self.files) > 4 else "")
        return f"Source({names}; {sum(len(d) for _, d in self.files):,} bytes, {self.digest[:12]})"

    # ---- materialise ----
    def gomod(self, tc: "Toolchain") -> bytes:
        """The go.mod gokit builds with: the program's own (checked), or one for this toolchain."""
        own = dict(self.files).get("go.mod")
        major, minor = tc.minor
        if own is not None:
            m = GO_LINE_RE.search(own.decode("utf-8", "replace"))
            if m and (int(m.group(1)), int(m.group(2))) > (major, minor):
                raise GokitError(
                    f"{self.origin}/go.mod asks for go {m.group(1)}.{m.group(2)}, but the toolchain is "
                    f"go{tc.version}. gokit never downloads toolchains (GOTOOLCHAIN=local): lower the "
                    f"`go` line, or use a newer Go with gokit.use_go(...)."
                )
            return own
        return f"module {self._module_path(tc)}\n\ngo {major}.{minor}\n".encode()

    def check_buildable(self) -> None:
        """UsageError, with advice, when go build would find no file of this program to build."""
        names = [n for n, _ in self.go_files]
        if names and all(ignored_by_go_build(n) for n in names):
            raise UsageError(f"go build ignores files named like {names[0]!r} (a leading _ or ., or _test.go), "
                             "so there is nothing to build; rename it, e.g. main.go")

    def materialize(self, tc: "Toolchain") -> Path:
        """The module directory holding this program (content-addressed, shared by all kernels)."""
        gomod = self.gomod(tc)
        k = cache.key("src", self.digest, hashlib.sha256(gomod).hexdigest())[:24]

        def fill(tmp: Path) -> None:
            for name, data in self.files:
                dest = tmp / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
            (tmp / "go.mod").write_bytes(gomod)

        return cache.install_dir("src", k, fill)


def _check_name(filename: str) -> None:
    if not isinstance(filename, str) or not filename or "/" in filename or "\\" in filename \
            or filename in (".", "..") or "\x00" in filename:
        raise UsageError(f"a Go file name is a plain name like 'main.go'; got {filename!r}")
    if not filename.endswith(".go"):
        raise UsageError(f"Go only reads files whose names end in .go; got {filename!r}")


def ignored_by_go_build(filename: str) -> bool:
    """go build skips files whose names start with _ or . and test files (parsing them is fine)."""
    return filename.startswith(("_", ".")) or filename.endswith("_test.go")


def as_source(src: "Source | str | bytes | os.PathLike[str]") -> Source:
    """Accept a Source, Go text, or a path to a .go file or package directory."""
    if isinstance(src, Source):
        return src
    if isinstance(src, os.PathLike):
        p = Path(src).expanduser()
        return Source.from_dir(p) if p.is_dir() else Source.from_file(p)
    if isinstance(src, (str, bytes, bytearray)):
        return Source(src)
    raise UsageError(f"expected Go source (a gokit.Source, a str of Go code, or a path); got {type(src).__name__}")
