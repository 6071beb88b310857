"""Objects and binaries: `go tool nm` of a package object and of a linked program, compile and link by hand,
where a binary's bytes go (by package, by ELF section), and proof that the linker left no relocation behind.

`go tool nm` prints one symbol a line (cmd/nm/nm.go): `%8x` address (blank for an undefined symbol),
with -size a `%10d` size, then ` %c %s` code and name; an archive of several objects prefixes each line
with `FILE(ENTRY):\t`. Codes: T/t text, R/r read-only data, D/d data, B/b bss, U undefined (lower
case: not exported from its object). With `-sort address` ties come in no fixed order.
"""
from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import struct
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from . import _cache as cache
from . import _run
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from ._asm import Assembly
    from ._build import Build
    from ._source import Source
    from ._toolchain import Toolchain

#: `  4a3b20        123 T main.main`; `         U fmt.Fprintln` (no address); the size only with -size
NM_LINE_RE = re.compile(r"^ *(?P<addr>[0-9a-f]+)?(?: +(?P<size>-?\d+))? (?P<code>\S) (?P<name>.*)$")
#: `path(entry):\t` before each line when an archive holds several objects (or several files were named)
NM_PREFIX_RE = re.compile(r"^(?P<entry>[^\t]*):\t")
#: A Go archive starts with `!<arch>\n`; a Go object file with `go object `; ELF with 7f 45 4c 46
ARCHIVE_MAGIC = b"!<arch>\n"
ELF_MAGIC = b"\x7fELF"
#: Where the compiler-made symbols go in a size breakdown (debug/gosym: they belong to no package)
NO_PACKAGE = "(type: and go: symbols)"

NM_COLUMNS = ["address", "size", "type", "name", "package"]
SECTION_COLUMNS = ["section", "type", "address", "size", "in_file", "flags"]


# ---------------------------------------------------------------- go tool nm


def package_of(name: str) -> str:
    """The package a symbol belongs to, as debug/gosym's Sym.PackageName says (Go 1.20+): "" for the
    compiler's `type:` and `go:` symbols; otherwise the name up to the first `.` after its last `/`,
    ignoring what is inside generic brackets (`sync/atomic.(*Pointer[os.dirInfo]).Load` -> sync/atomic)."""
    if name.startswith(("go:", "type:")):
        return ""
    depth, chars = 0, list(name)
    for i, c in enumerate(chars):
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth < 0:
                break
        elif depth > 0:
            chars[i] = "_"
    plain = "".join(chars) if depth == 0 else name
    end = max(plain.rfind("/"), 0)
    dot = plain.find(".", end)
    return name[:dot] if dot >= 0 else ""


def parse_nm(text: str) -> "pd.DataFrame":
    """Parse `go tool nm [-size] [-sort ...]` output (a pure function of text): one row per line, in order.

    Columns: address (None for undefined symbols), size (None without -size), type (the nm code), name,
    package (debug/gosym's rule, see package_of), and entry (`file(_go_.o)` when nm printed one).
    """
    import pandas as pd

    from .errors import ParseError

    rows = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        entry = ""
        m = NM_PREFIX_RE.match(raw)
        if m:
            entry, raw = m.group("entry"), raw[m.end():]
        m = NM_LINE_RE.match(raw)
        if m is None:
            raise ParseError("a go tool nm line is not `ADDRESS [SIZE] CODE NAME`", raw, lineno)
        addr, size, code = m.group("addr"), m.group("size"), m.group("code")
        if code == "U":  # nm prints no address for an undefined symbol: a lone number is its size
            if addr is not None and size is None:
                if not addr.isdigit():
                    raise ParseError("an undefined symbol with an address", raw, lineno)
                addr, size = None, addr
            elif addr is not None:
                raise ParseError("an undefined symbol with an address", raw, lineno)
        name = m.group("name")
        rows.append((None if addr is None else int(addr, 16), None if size is None else int(size), code, name,
                     package_of(name), entry))
    df = pd.DataFrame(rows, columns=[*NM_COLUMNS, "entry"]).astype({"address": "Int64", "size": "Int64"})
    if not df["entry"].astype(bool).any():
        df = df.drop(columns=["entry"])
    return df


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def nm_text(path: str | os.PathLike[str], *, toolchain: "Toolchain | None" = None, sort: str = "address",
            size: bool = True, timeout: float = 120) -> str:
    """The text `go tool nm [-size] -sort SORT PATH` prints (cached by the file's content and the toolchain).

    Use the toolchain that built the file: Go 1.22's nm panics on Go 1.27 objects.
    """
    from ._toolchain import toolchain as default_toolchain

    tc = toolchain or default_toolchain()
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{p}: no such file to list symbols of")
    if sort not in ("address", "name", "none", "size"):
        raise UsageError(f"sort is one of address, name, none, size; got {sort!r}")
    args = [*(["-size"] if size else []), "-sort", sort]
    k = cache.key("nm", tc.version, str(tc.go), _digest(p), args)
    raw = cache.get_bytes("nm", k)
    if raw is None:
        done = _run.run([str(tc.tool("nm")), *args, str(p)], env=tc.env(), timeout=timeout).check(
            hint="go tool nm reads Go binaries, objects and package archives built by the same Go version "
                 "(an older nm cannot read a newer Go's objects).")
        raw = done.stdout
        cache.put_bytes("nm", k, raw)
    return raw.decode("utf-8", "replace")


def _path_and_toolchain(what: Any, toolchain: "Toolchain | None") -> tuple[Path, "Toolchain"]:
    from ._toolchain import Toolchain, toolchain as default_toolchain

    tc = toolchain
    path: Any = what
    if hasattr(what, "binary") and hasattr(what, "toolchain") and isinstance(what.toolchain, Toolchain):
        path, tc = what.binary, tc or what.toolchain      # a Build or a HandBuild
    elif hasattr(what, "archive") and getattr(what, "archive", None) is not None:
        path = what.archive                                # an Assembly or a PackageObject
        tc = tc or getattr(what, "toolchain", None)
    if not isinstance(path, (str, os.PathLike)):
        raise UsageError(f"give a gokit.build(...) result, a package object or the path of a Go binary or archive; "
                         f"got {type(what).__name__}")
    return Path(path), tc or default_toolchain()


def symbols(build_or_path: Any, *, toolchain: "Toolchain | None" = None, timeout: float = 120) -> "pd.DataFrame":
    """`go tool nm -size -sort address` of a binary (a gokit.build result or a path) or a package archive:
    exactly its rows, as a DataFrame (address, size, type, name, package)."""
    path, tc = _path_and_toolchain(build_or_path, toolchain)
    df = parse_nm(nm_text(path, toolchain=tc, sort="address", size=True, timeout=timeout))
    df.attrs.update({"path": path.name, "go": tc.version})
    return df


# ---------------------------------------------------------------- the package object before linking


@dataclass(frozen=True)
class PackageObject:
    """The package archive the compiler wrote (`_pkg_.a`), as the linker will receive it.

    `.symbols` is `go tool nm` of it; `.defined` what the package brings; `.undefined` the symbols it uses
    and leaves for the linker to find elsewhere (nm's `U` rows with a name); `.builtin_refs` the runtime
    functions it calls through the compiler's fixed list of builtins (cmd/internal/goobj/builtinlist.go):
    the object names them by an index into that list, so `go tool nm` prints no `U` row for them, but the
    relocations that call them name them (`.asm.relocations`).
    """

    archive: Path
    asm: "Assembly" = field(repr=False)
    toolchain: "Toolchain" = field(repr=False)

    @cached_property
    def symbols(self) -> "pd.DataFrame":
        return symbols(self.archive, toolchain=self.toolchain)

    @property
    def defined(self) -> "pd.DataFrame":
        s = self.symbols
        return s[s["type"] != "U"].reset_index(drop=True)

    @property
    def undefined(self) -> "pd.DataFrame":
        """nm's `U` rows that have a name (nm also prints nameless U rows for references without one)."""
        s = self.symbols
        return s[(s["type"] == "U") & (s["name"] != "")].reset_index(drop=True)

    @property
    def nameless_undefined(self) -> int:
        s = self.symbols
        return int(((s["type"] == "U") & (s["name"] == "")).sum())

    @cached_property
    def relocation_targets(self) -> "pd.DataFrame":
        """Every symbol a relocation of the object names, with how often and from where: type, symbol,
        count, used_by (functions), defined here (bool), in nm's U list (bool)."""
        import pandas as pd

        rel = self.asm.relocations
        defined = set(self.defined["name"])
        undefined = set(self.undefined["name"])
        rows = []
        for (typ, sym), grp in rel.groupby(["type", "symbol"], sort=True):
            if not sym:
                continue
            rows.append((typ, sym, len(grp), ", ".join(sorted(set(grp["function"]))), sym in defined,
                         sym in undefined))
        return pd.DataFrame(rows, columns=["type", "symbol", "count", "used_by", "defined_here", "nm_undefined"])

    @property
    def builtin_refs(self) -> list[str]:
        """Functions and variables this object calls or reads that nm does not list: the compiler's builtins."""
        rt = self.relocation_targets
        return sorted(set(rt[~rt["defined_here"] & ~rt["nm_undefined"]
                             & rt["symbol"].str.startswith("runtime.")]["symbol"]))

    def needs(self) -> list[str]:
        """Everything the linker must find in other packages for this object: nm's U names and the builtins."""
        return sorted(set(self.undefined["name"]) | set(self.builtin_refs))

    def binutils_nm(self, timeout: float = 30) -> "BinutilsAttempt":
        """What GNU binutils' `nm -u` says about this Go archive (it cannot read Go objects)."""
        return binutils_nm(self.archive, timeout=timeout)

    def __repr__(self) -> str:
        s = self.symbols
        return (f"<PackageObject {self.asm.package} go{self.toolchain.version} {self.asm.goarch}: "
                f"{int((s['type'] != 'U').sum())} defined, {len(self.undefined)} undefined by name, "
                f"{len(self.builtin_refs)} runtime builtins>")


def package_object(src: "Source | str | bytes | os.PathLike[str]", *, goarch: str | None = None,
                   gcflags: str | Sequence[str] | None = None, toolchain: "Toolchain | None" = None,
                   timeout: float | None = None) -> PackageObject:
    """Your package compiled alone into its archive (the same compile as gokit.asm), read with `go tool nm`."""
    from ._asm import asm
    from ._toolchain import toolchain as default_toolchain

    tc = toolchain or default_toolchain()
    a = asm(src, goarch=goarch, gcflags=gcflags, toolchain=tc, timeout=timeout)
    if a.archive is None:
        raise UsageError("the compile kept no package archive")
    return PackageObject(a.archive, a, tc)


@dataclass(frozen=True)
class BinutilsAttempt:
    """GNU nm run on a Go file: its command, exit code and messages (None when binutils is not installed)."""

    argv: tuple[str, ...]
    exit_code: int | None
    stdout: str
    stderr: str

    @property
    def installed(self) -> bool:
        return self.exit_code is not None

    @property
    def understood(self) -> bool:
        """True only if nm printed symbols and no `file format not recognized`."""
        return self.installed and bool(self.stdout.strip()) and "not recognized" not in self.stderr

    def __str__(self) -> str:
        if not self.installed:
            return "GNU binutils is not installed here (no `nm` on PATH), so this cannot be shown."
        return (f"$ {' '.join(shlex.quote(a) for a in self.argv)}\n{self.stdout}{self.stderr}"
                f"(exit status {self.exit_code})")


def binutils_nm(path: str | os.PathLike[str], *, timeout: float = 30) -> BinutilsAttempt:
    """Run GNU `nm -u` on a file (a Go archive or object) and report what it said, or that it is not installed."""
    exe = shutil.which("nm")
    p = Path(path)
    shown = ("nm", "-u", p.name)
    if exe is None:
        return BinutilsAttempt(shown, None, "", "")
    done = _run.run([exe, "-u", str(p)], env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"}, timeout=timeout)
    return BinutilsAttempt(shown, done.exit_code, done.out.replace(str(p), p.name), done.err.replace(str(p), p.name))


# ---------------------------------------------------------------- compile and link by hand


@dataclass(frozen=True)
class HandBuild:
    """`go tool compile` then `go tool link`, run by hand: the commands, their times, the binary they made."""

    compile_argv: tuple[str, ...]
    link_argv: tuple[str, ...]
    archive: Path
    binary: Path
    importcfg: Path          # what the compile reads: the export data of the packages the source imports
    importcfg_link: Path     # what the link reads: the archive of every package the program needs
    compile_seconds: float
    link_seconds: float
    toolchain: "Toolchain" = field(repr=False)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    moddir: Path = field(default=Path("."), repr=False)

    @property
    def size(self) -> int:
        return self.binary.stat().st_size

    def _short(self, argv: Sequence[str]) -> str:
        work = str(self.binary.parent)
        tool = str(self.toolchain.tooldir)
        out = []
        for a in argv:
            a = a.replace(tool + "/", "").replace(work + "/", "$WORK/").replace(str(self.moddir) + "/", "")
            a = a.replace(str(self.importcfg), "$WORK/importcfg")
            out.append(a)
        return "go tool " + " ".join(shlex.quote(a).replace("'$WORK/", "$WORK/").replace("'", "") if "$WORK" in a
                                     else shlex.quote(a) for a in out)

    def commands(self) -> str:
        """The two commands, as you would type them ($WORK is the directory they wrote into)."""
        return f"{self._short(self.compile_argv)}\n{self._short(self.link_argv)}"

    def packages_linked(self) -> int:
        """How many package archives the link's importcfg names (your package comes on the command line)."""
        return sum(1 for ln in self.importcfg_link.read_text().splitlines() if ln.startswith("packagefile "))

    def link_command(self, out: str | os.PathLike[str]) -> _run.Cmd:
        """The same link, writing `out` (a path in a directory you own): a bench.Cmd to time it."""
        argv = list(self.link_argv)
        argv[argv.index("-o") + 1] = os.fspath(out)
        return _run.Cmd(tuple(argv), self.toolchain.env(dict(self.env)))

    def run(self, args: Sequence[str] = (), timeout: float = 10) -> _run.Completed:
        """Run the binary (for this machine's GOOS/GOARCH only)."""
        from ._exec import program_env

        if self.env and (self.env.get("GOARCH", self.toolchain.goarch) != self.toolchain.goarch
                         or self.env.get("GOOS", self.toolchain.goos) != self.toolchain.goos):
            raise UsageError(f"this binary is for {self.env.get('GOOS')}/{self.env.get('GOARCH')}; it cannot run here")
        return _run.run([str(self.binary), *args], env=program_env(self.toolchain), timeout=timeout)

    def __repr__(self) -> str:
        return (f"<HandBuild {self.binary.name}: {self.size:,} bytes; compile {self.compile_seconds * 1e3:.0f} ms, "
                f"link {self.link_seconds * 1e3:.0f} ms, go{self.toolchain.version}>")


def link_by_hand(src: "Source | str | bytes | os.PathLike[str]", *, goarch: str | None = None,
                 ldflags: str | Sequence[str] | None = None, toolchain: "Toolchain | None" = None,
                 timeout: float | None = None) -> HandBuild:
    """Compile your package with `go tool compile` and link it with `go tool link`, by hand, now.

    The compile gets an importcfg naming the export data of what the source imports; the link an
    importcfg naming the archive of every package the program needs (both from `go list -export -deps`,
    which finds them in GOCACHE). The outputs are kept in gokit's cache (one directory per program).
    """
    from ._compile import compile_argv
    from ._pkg import export_files, importcfg, importcfg_file, package, target_env
    from ._source import as_source
    from ._toolchain import toolchain as default_toolchain

    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(120 if timeout is None else timeout)
    src = as_source(src)
    src.check_buildable()
    target = target_env(tc, None, goarch) if goarch else {}
    extra = _ldflags(ldflags)
    pkg = package(src, tc, target, timeout)
    cfg = importcfg(tc, pkg.imports, target, timeout)
    deps = export_files(tc, sorted(set(pkg.imports) | {"runtime"} - {"unsafe"}), env=target, timeout=timeout,
                        strict=True)
    k = cache.key("handbuild", tc.version, str(tc.go), src.digest, src.gomod(tc).decode(), target, extra)
    result: dict[str, Any] = {}

    def fill(d: Path) -> None:
        archive, binary, link_cfg = d / "main.a", d / "main", d / "importcfg.link"
        link_cfg.write_text("".join(f"packagefile {p}={f}\n" for p, f in sorted(deps.items())))
        c_argv = compile_argv(tc, pkg, cfg, archive)
        t0 = time.perf_counter()
        _run.run(c_argv, env=tc.env(target), cwd=pkg.moddir, timeout=timeout).check(
            hint="go tool compile refused the package by hand; gokit.asm(src) shows the same compile.")
        t1 = time.perf_counter()
        l_argv = [str(tc.tooldir / "link"), "-o", str(binary), "-importcfg", str(link_cfg), "-buildmode=exe", *extra,
                  str(archive)]
        _run.run(l_argv, env=tc.env(target), cwd=d, timeout=timeout).check(hint="go tool link failed.")
        t2 = time.perf_counter()
        result.update(c=c_argv, l=l_argv, tc=t1 - t0, tl=t2 - t1, tmp=str(d))

    d = cache.replace_dir("handbuild", k, fill)
    # the commands ran in a temp dir that then became `d`: name the files where they are now
    c_argv = tuple(a.replace(result["tmp"], str(d)) for a in result["c"])
    l_argv = tuple(a.replace(result["tmp"], str(d)) for a in result["l"])
    return HandBuild(c_argv, l_argv, d / "main.a", d / "main", cfg, d / "importcfg.link", result["tc"], result["tl"],
                     tc, target, pkg.moddir)


def _ldflags(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    flags = shlex.split(value) if isinstance(value, str) else [str(v) for v in value]
    bad = [f for f in flags if not f.startswith("-") or f.split("=")[0] in ("-o", "-importcfg", "-buildmode")]
    if bad:
        raise UsageError(f"ldflags holds linker flags like '-s -w'; gokit sets -o, -importcfg and -buildmode "
                         f"itself; got {bad}")
    return flags


# ---------------------------------------------------------------- the linked binary


def sections(path_or_build: Any) -> "pd.DataFrame":
    """The ELF sections of a binary, read with pyelftools: section, type, address, size, in_file (False for
    .bss-like sections that take memory but no file bytes), flags (A alloc, W write, X exec)."""
    import pandas as pd
    from elftools.elf.constants import SH_FLAGS
    from elftools.elf.elffile import ELFFile

    path, _ = _path_and_toolchain(path_or_build, None) if not isinstance(path_or_build, (str, os.PathLike)) \
        else (Path(path_or_build), None)
    rows = []
    with open(path, "rb") as f:
        _check_elf(f, path)
        elf = ELFFile(f)
        for s in elf.iter_sections():
            if not s.name:
                continue
            fl = s["sh_flags"]
            flags = "".join(c for c, bit in (("A", SH_FLAGS.SHF_ALLOC), ("W", SH_FLAGS.SHF_WRITE),
                                             ("X", SH_FLAGS.SHF_EXECINSTR)) if fl & bit)
            rows.append((s.name, s["sh_type"].removeprefix("SHT_"), s["sh_addr"], s["sh_size"],
                         s["sh_type"] != "SHT_NOBITS", flags))
    return pd.DataFrame(rows, columns=SECTION_COLUMNS)


def _check_elf(f: Any, path: Path) -> None:
    head = f.read(4)
    f.seek(0)
    if head != ELF_MAGIC:
        what = "a Go package archive" if head == ARCHIVE_MAGIC[:4] else "not an ELF file"
        raise UsageError(f"{path.name} is {what}; sections and relocations are read from a linked Linux binary")


@dataclass(frozen=True)
class LinkCheck:
    """What is left for anyone to fix up in a binary: relocation sections and entries, and the dynamic
    loader it would need (PT_INTERP) or dynamic section (PT_DYNAMIC). A static Go binary has none."""

    elf_type: str
    relocation_sections: tuple[str, ...]
    relocation_entries: int
    interpreter: str | None
    dynamic: bool

    @property
    def static(self) -> bool:
        return not self.relocation_entries and self.interpreter is None and not self.dynamic

    def __str__(self) -> str:
        if self.static:
            return (f"{self.elf_type}: no relocation sections, no relocation entries, no program interpreter, "
                    "no dynamic section: nothing is left to fill in when it runs.")
        return (f"{self.elf_type}: relocation sections {', '.join(self.relocation_sections) or 'none'} "
                f"({self.relocation_entries} entries); interpreter {self.interpreter or 'none'}; "
                f"dynamic section: {self.dynamic}")


def link_check(path_or_build: Any) -> LinkCheck:
    """Read a binary's ELF headers (pyelftools) for relocations left to apply and dynamic-loading needs."""
    from elftools.elf.elffile import ELFFile
    from elftools.elf.relocation import RelocationSection

    path = Path(path_or_build) if isinstance(path_or_build, (str, os.PathLike)) else \
        _path_and_toolchain(path_or_build, None)[0]
    with open(path, "rb") as f:
        _check_elf(f, path)
        elf = ELFFile(f)
        rel = [s for s in elf.iter_sections() if isinstance(s, RelocationSection)
               or s["sh_type"] in ("SHT_REL", "SHT_RELA", "SHT_RELR")]
        entries = sum(s.num_relocations() if isinstance(s, RelocationSection) else 1 for s in rel)
        interp = None
        dynamic = False
        for seg in elf.iter_segments():
            if seg["p_type"] == "PT_INTERP":
                interp = seg.get_interp_name()
            elif seg["p_type"] == "PT_DYNAMIC":
                dynamic = True
        return LinkCheck(elf["e_type"], tuple(s.name for s in rel), entries, interp, dynamic)


def sizes_by_package(build_or_path: Any, *, toolchain: "Toolchain | None" = None, top: int | None = None) \
        -> "pd.DataFrame":
    """Bytes of symbols per package in a binary (from `go tool nm -size`), largest first: package, bytes,
    symbols. `top` folds the rest into one `(N other packages)` row."""
    import pandas as pd

    s = symbols(build_or_path, toolchain=toolchain)
    s = s[s["type"] != "U"]
    g = s.assign(package=s["package"].replace("", NO_PACKAGE)).groupby("package")["size"].agg(["sum", "count"])
    df = g.rename(columns={"sum": "bytes", "count": "symbols"}).sort_values("bytes", ascending=False).reset_index()
    df = df.astype({"bytes": "int64", "symbols": "int64"})
    if top is not None and len(df) > top:
        rest = df.iloc[top:]
        df = pd.concat([df.iloc[:top], pd.DataFrame([{"package": f"({len(rest)} other packages)",
                                                      "bytes": int(rest["bytes"].sum()),
                                                      "symbols": int(rest["symbols"].sum())}])], ignore_index=True)
    return df


def size_diff(a: Any, b: Any, *, labels: tuple[str, str] = ("a", "b"), toolchain: "Toolchain | None" = None) \
        -> "pd.DataFrame":
    """Two binaries compared package by package: bytes in each, and b - a (largest change first)."""
    la, lb = labels
    sa = sizes_by_package(a, toolchain=toolchain).set_index("package")["bytes"]
    sb = sizes_by_package(b, toolchain=toolchain).set_index("package")["bytes"]
    df = sa.to_frame(la).join(sb.to_frame(lb), how="outer").fillna(0).astype("int64")
    df["change"] = df[lb] - df[la]
    order = df["change"].abs().sort_values(ascending=False).index
    return df.loc[order].reset_index()


def plot_sizes(frames: Mapping[str, "pd.DataFrame"], *, top: int = 8, ax: Any = None, title: str | None = None) -> Any:
    """Stacked horizontal bars, one per binary, split by package (the `top` largest across all, the rest
    as `other`): sizes_by_package frames by label."""
    import matplotlib.pyplot as plt

    totals: dict[str, int] = {}
    for df in frames.values():
        for p, n in zip(df["package"], df["bytes"]):
            totals[p] = totals.get(p, 0) + int(n)
    keep = [p for p, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:top]]
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 0.7 * len(frames) + 1.6))
    labels = list(frames)
    left = [0.0] * len(labels)
    cmap = plt.get_cmap("tab10")
    for j, pkg in enumerate([*keep, "other"]):
        vals = []
        for df in frames.values():
            m = dict(zip(df["package"], df["bytes"]))
            vals.append((sum(v for p, v in m.items() if p not in keep) if pkg == "other" else m.get(pkg, 0)) / 1e6)
        ax.barh(labels, vals, left=left, color=cmap(j % 10) if pkg != "other" else "#cccccc", label=pkg)
        left = [a + v for a, v in zip(left, vals)]
    ax.set_xlabel("MB of symbols (go tool nm -size)")
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(frames) < 4 else -0.2), ncol=5, fontsize=8,
              frameon=False)
    if title:
        ax.set_title(title)
    if fig is not None:
        fig.tight_layout()
        plt.close(fig)
        return fig
    return ax.figure


# ---------------------------------------------------------------- the holes, filled


def resolved_relocations(hand: HandBuild, asm: "Assembly", function: str, *, types: Sequence[str] = ("R_CALL", "R_PCREL"),
                         timeout: float = 120) -> "pd.DataFrame":
    """For one function, each relocation the compiler left (from `-S`) next to what the linker put there:
    the instruction in the binary (`go tool objdump`), the bytes of the hole before and after linking,
    the address those bytes point to, and the address `go tool nm` gives the target symbol.

    The binary must be linked from the same archive the listing describes (`gokit.link_by_hand`). Addresses
    are decoded for amd64's 4-byte PC-relative holes (R_CALL, R_PCREL: target = end of hole + value).
    """
    import pandas as pd

    from ._objdump import objdump

    fn = asm.function(function)
    tc = hand.toolchain
    (linked,) = objdump(hand.binary, [fn.name], toolchain=tc, timeout=timeout)
    nm = symbols(hand.binary, toolchain=tc)
    addr = {n: int(a) for n, a in zip(nm["name"], nm["address"]) if a is not pd.NA}
    start = linked.start
    by_pc = {i.pc - start: i for i in linked.instructions}
    rows = []
    for r in fn.relocations:
        if r.type not in types or r.pc is None:
            continue
        inst = by_pc.get(r.pc)
        obj_inst = next(i for i in fn.instructions if i.pc == r.pc and i.bytes)
        at = r.offset - r.pc
        before = obj_inst.bytes[2 * at:2 * (at + r.size)]
        after = inst.bytes[2 * at:2 * (at + r.size)] if inst is not None else ""
        points_to: int | None = None
        if asm.goarch == "amd64" and r.size == 4 and after:
            value = struct.unpack("<i", bytes.fromhex(after))[0]
            points_to = start + r.offset + r.size + value - r.addend
        target = r.symbol
        rows.append({"offset": r.offset, "instruction": obj_inst.text, "type": r.type, "symbol": r.target,
                     "hole before": before, "hole after": after,
                     "decoded address": f"{points_to:#x}" if points_to is not None else "",
                     "nm address": f"{addr[target]:#x}" if target in addr else "",
                     "linked instruction": inst.text if inst is not None else ""})
    return pd.DataFrame(rows)
