"""Source: a Go program (text, a file, or a package dir) as plain data: its files, their digest, its own go.mod.

A Source runs nothing and knows no toolchain: what depends on one (the package name, the go.mod gokit builds
with, the files a target compiles) is the resolved package's (gokit.source.package).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import UsageError

#: The largest program gokit accepts (all files together).
MAX_SOURCE_BYTES = 16 << 20
MAX_FILES = 2000
_COPIED_SUFFIXES = (".go", ".s", ".h", ".c", ".mod", ".sum", ".txt", ".json", ".tmpl", ".html")


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

    @property
    def go_mod(self) -> str | None:
        """The program's own go.mod, as text (None when it has none: gokit writes one for the toolchain)."""
        own = dict(self.files).get("go.mod")
        return None if own is None else own.decode("utf-8", "replace")

    @cached_property
    def digest(self) -> str:
        """sha256 of every file's name and bytes: the source's part of every cache key."""
        h = hashlib.sha256()
        for name, data in self.files:
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()

    def __repr__(self) -> str:
        names = ", ".join(n for n, _ in self.files[:4]) + (", ..." if len(self.files) > 4 else "")
        return f"Source({names}; {sum(len(d) for _, d in self.files):,} bytes, {self.digest[:12]})"

    def check_buildable(self) -> None:
        """UsageError, with advice, when go build would find no file of this program to build."""
        names = [n for n, _ in self.go_files]
        if names and all(ignored_by_go_build(n) for n in names):
            raise UsageError(f"go build ignores files named like {names[0]!r} (a leading _ or ., or _test.go), "
                             "so there is nothing to build; rename it, e.g. main.go")


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
