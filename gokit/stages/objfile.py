"""Objects and binaries: `go tool nm` of a package object and of a linked program, compile and link by hand,
where a binary's bytes go (by package, by ELF section), and proof that the linker left no relocation behind.

`go tool nm` prints one symbol a line (cmd/nm/nm.go): `%8x` address (blank for an undefined symbol),
with -size a `%10d` size, then ` %c %s` code and name; an archive of several objects prefixes each line
with `FILE(ENTRY):\t`. Codes: T/t text, R/r read-only data, D/d data, B/b bss, U undefined (lower
case: not exported from its object). With `-sort address` ties come in no fixed order.
"""
from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import _run
from .. import _cache as cache
from .._progress import Progress
from .._run import COMPILE_SECONDS, Deadline, PROGRAM_SECONDS
from ..errors import UsageError
from ..layers.build import link
from ..layers.compile import compile_package, parse_gcflags
from ..layers.exec import program_env, run_program
from ..parsers.asm import Assembly
from ..parsers.nm import FILE_REF_RE, NO_PACKAGE, parse_nm
from ..parsers.objdump import Function, go_regexp_quote, parse_objdump, pc_relative_target
from ..source.exports import importcfg
from ..source.package import Package, resolve, target_env
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain
from .asm import package_asm

if TYPE_CHECKING:
    import pandas as pd

    from ..source.source import Source


# ---------------------------------------------------------------- go tool nm and go tool objdump of a file


def nm_text(path: str | os.PathLike[str], *, toolchain: "Toolchain | None" = None, sort: str = "address",
            size: bool = True, timeout: float | Deadline | None = None) -> str:
    """The text `go tool nm [-size] -sort SORT PATH` prints (cached by the file's content and the toolchain).

    Use the toolchain that built the file: Go 1.22's nm panics on Go 1.27 objects.
    """
    tc = toolchain or default_toolchain()
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{p}: no such file to list symbols of")
    if sort not in ("address", "name", "none", "size"):
        raise UsageError(f"sort is one of address, name, none, size; got {sort!r}")
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.symbols")
    return tc.tool_output("nm", [*(["-size"] if size else []), "-sort", sort], p, timeout=deadline,
                          hint="go tool nm reads Go binaries, objects and package archives built by the same Go "
                               "version (an older nm cannot read a newer Go's objects).")


def _path_and_toolchain(what: Any, toolchain: "Toolchain | None") -> tuple[Path, "Toolchain"]:
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


def symbols(build_or_path: Any, *, toolchain: "Toolchain | None" = None,
            timeout: float | Deadline | None = None) -> "pd.DataFrame":
    """`go tool nm -size -sort address` of a binary (a gokit.build result or a path) or a package archive:
    exactly its rows, as a DataFrame (address, size, type, name, package).

    `timeout` bounds the whole call (default 120 s).
    """
    path, tc = _path_and_toolchain(build_or_path, toolchain)
    df = parse_nm(nm_text(path, toolchain=tc, sort="address", size=True, timeout=timeout))
    df.attrs.update({"path": path.name, "go": tc.version})
    return df


def objdump(path: str | os.PathLike[str], functions: Sequence[str] | None = None, *, pattern: str | None = None,
            toolchain: "Toolchain | None" = None, timeout: float | Deadline | None = None,
            progress: str | None = None) -> tuple[Function, ...]:
    """`go tool objdump` of a binary or package archive: the named functions (exact names), or those whose
    name matches the Go regexp `pattern`, or everything. Cached by the file's content and the toolchain; a
    repeat in this process (same file, size, time and pattern) is not parsed again. `progress`: a description
    to show on a progress bar while it runs and parses (not on a repeat).

    Use the toolchain that built the file: a Go 1.22 objdump cannot read Go 1.27 objects.
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit objdump")
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{p}: no such file to disassemble")
    if functions is not None:
        if isinstance(functions, str) or not functions or not all(isinstance(f, str) and f for f in functions):
            raise UsageError("functions is a list of exact symbol names, like ['main.main']")
        pattern = "^(?:" + "|".join(go_regexp_quote(f) for f in functions) + ")$"
    st = p.stat()  # a whole runtime's disassembly takes about a second to parse: kept in memory
    k = cache.key("objdump-parsed", tc.version, str(tc.go), str(p.resolve()), st.st_size, st.st_mtime_ns, pattern)
    hit = cache.get("objdump", k, tuple, disk=False)
    if hit is not None:
        return hit
    bar = Progress(1, desc=progress, unit="step") if progress else None
    try:
        out = parse_objdump(tc.tool_output(
            "objdump", ["-s", pattern] if pattern else [], p, timeout=deadline,
            hint="go tool objdump reads Go binaries and Go package archives built by the same Go version."))
    finally:
        if bar is not None:
            bar.close()
    return cache.put("objdump", k, out, disk=False)


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
        """nm's `U` rows naming a symbol (not the nameless rows, not the source files of the line tables)."""
        s = self.symbols
        keep = (s["type"] == "U") & (s["name"] != "") & ~s["name"].str.contains(FILE_REF_RE)
        return s[keep].reset_index(drop=True)

    @property
    def file_refs(self) -> list[str]:
        """The source files nm lists as U rows: the line tables (DWARF) name them; your files are shown bare."""
        s = self.symbols
        names = s[(s["type"] == "U") & s["name"].str.contains(FILE_REF_RE)]["name"]
        moddir = str(self.asm.meta.get("moddir", ""))
        return sorted(n.replace(moddir + "/", "") if moddir else n for n in names)

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

    def binutils_nm(self, timeout: float | None = None) -> "BinutilsAttempt":
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
    """Your package compiled alone into its archive (the same compile as gokit.asm), read with `go tool nm`.

    `timeout` bounds the whole call (default 120 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.package_object")
    pkg = resolve(src, tc, target_env(tc, None, goarch, deadline), deadline).check_compilable()
    a = package_asm(pkg, parse_gcflags(gcflags), deadline)
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


def binutils_nm(path: str | os.PathLike[str], *, timeout: float | None = None) -> BinutilsAttempt:
    """Run GNU `nm -u` on a file (a Go archive or object) and report what it said, or that it is not installed."""
    exe = shutil.which("nm")
    p = Path(path)
    shown = ("nm", "-u", p.name)
    if exe is None:
        return BinutilsAttempt(shown, None, "", "")
    done = run_program([exe, "-u", str(p)], env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"},
                       deadline=Deadline.of(timeout, PROGRAM_SECONDS, "GNU nm"))
    return BinutilsAttempt(shown, done.exit_code, done.out.replace(str(p), p.name), done.err.replace(str(p), p.name))


# ---------------------------------------------------------------- compile and link by hand


@dataclass(frozen=True)
class HandBuild:
    """`go tool compile` then `go tool link`, run by hand: the commands, their times, the binary they made."""

    compile_argv: tuple[str, ...]
    link_argv: tuple[str, ...]
    archive: Path
    binary: Path
    importcfg: Path          # what the compile reads: where the export data of each imported package is
    importcfg_link: Path     # what the link reads: the archive of every package the program needs (the same
                             # GOCACHE files: an archive holds a package's export data and its code)
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

    def run(self, args: Sequence[str] = (), timeout: float | None = None) -> _run.Completed:
        """Run the binary (for this machine's GOOS/GOARCH only), with the limits of every program gokit runs."""
        if self.env and (self.env.get("GOARCH", self.toolchain.goarch) != self.toolchain.goarch
                         or self.env.get("GOOS", self.toolchain.goos) != self.toolchain.goos):
            raise UsageError(f"this binary is for {self.env.get('GOOS')}/{self.env.get('GOARCH')}; it cannot run here")
        return run_program([str(self.binary), *args], env=program_env(self.toolchain),
                           deadline=Deadline.of(timeout, PROGRAM_SECONDS, "HandBuild.run"))

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
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.link_by_hand")
    return hand_link(resolve(src, tc, target_env(tc, None, goarch, deadline), deadline), _ldflags(ldflags), deadline)


def hand_link(pkg: Package, ldflags: Sequence[str] = (), deadline: float | Deadline = COMPILE_SECONDS, *,
              asm: Assembly | None = None) -> HandBuild:
    """The resolved package compiled and linked by hand, kept in gokit's cache (one directory per package).

    `asm`: gokit.asm's result for this package (no gcflags); its compile wrote the very object a bare compile
    writes (-S only prints), so its archive is linked as is instead of compiling the package again.
    """
    pkg.source.check_buildable()
    tc = pkg.toolchain
    # one `go list -export -deps` answer serves both files: every package the program needs, each a
    # GOCACHE archive holding its export data (what compile reads) and its code (what link reads)
    cfg = importcfg(pkg, deadline)
    reuse = asm is not None and not asm.meta.get("gcflags") and asm.archive is not None and asm.archive.is_file()
    k = cache.key("handbuild", pkg.key, list(ldflags), "asm" if reuse else "")
    result: dict[str, Any] = {}

    def fill(d: Path) -> None:
        archive, binary, link_cfg = d / "main.a", d / "main", d / "importcfg.link"
        shutil.copyfile(cfg, link_cfg)  # the same lines: see the comment above
        if reuse:
            assert asm is not None and asm.archive is not None
            shutil.copyfile(asm.archive, archive)
            c_argv, c_wall = tuple(asm.meta.get("argv", ())), float(asm.meta.get("compile_seconds", 0.0))
        else:
            comp = compile_package(pkg.check_compilable(), importcfg=cfg, archive=archive, deadline=deadline).check(
                "package object")
            c_argv, c_wall = comp.argv, comp.wall
        linked = link(pkg, archive, link_cfg, binary, flags=ldflags, cwd=d, deadline=deadline)
        result.update(c=c_argv, l=linked.argv, tc=c_wall, tl=linked.wall, tmp=str(d))

    d = cache.replace_dir("handbuild", k, fill)
    # the commands ran in a temp dir that then became `d`: name the files where they are now
    c_argv = tuple(a.replace(result["tmp"], str(d)) for a in result["c"])
    l_argv = tuple(a.replace(result["tmp"], str(d)) for a in result["l"])
    return HandBuild(c_argv, l_argv, d / "main.a", d / "main", cfg, d / "importcfg.link", result["tc"], result["tl"],
                     tc, dict(pkg.target), pkg.moddir)


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


def resolved_relocations(hand: HandBuild, asm: "Assembly", function: str, *, types: Sequence[str] = ("R_CALL", "R_PCREL"),
                         timeout: float | None = None) -> "pd.DataFrame":
    """For one function, each relocation the compiler left (from `-S`) next to what the linker put there:
    the instruction in the binary (`go tool objdump`), the bytes of the hole before and after linking,
    the address those bytes point to, and the address `go tool nm` gives the target symbol.

    The binary must be linked from the same archive the listing describes (`gokit.link_by_hand`). Addresses
    are decoded for amd64's 4-byte PC-relative holes (R_CALL, R_PCREL: target = end of hole + value).
    `timeout` bounds the whole call (default 120 s).
    """
    import pandas as pd

    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.resolved_relocations")
    fn = asm.function(function)
    tc = hand.toolchain
    (linked,) = objdump(hand.binary, [fn.name], toolchain=tc, timeout=deadline)
    nm = symbols(hand.binary, toolchain=tc, timeout=deadline)
    addr = {n.removesuffix(".abi0"): int(a) for n, a in zip(nm["name"], nm["address"]) if a is not pd.NA}
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
        points_to = pc_relative_target(start, r.offset, r.size, after, r.addend) if asm.goarch == "amd64" else None
        target = r.symbol
        rows.append({"offset": r.offset, "instruction": obj_inst.text, "type": r.type, "symbol": r.target,
                     "hole before": before, "hole after": after,
                     "decoded address": f"{points_to:#x}" if points_to is not None else "",
                     "nm address": f"{addr[target]:#x}" if target in addr else "",
                     "linked instruction": inst.text if inst is not None else ""})
    return pd.DataFrame(rows)
