"""Lesson helpers for the back end, the linker and the runtime (lessons 04, 05, 08): relocations and sections as the
lessons show them, the cgo build whose external link keeps its go.o, start-ups timed in the same runs as the
runtime's own init trace. Lesson 08's own helpers are in gokit/_lesson_line.py."""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .errors import GoToolError, UsageError

if TYPE_CHECKING:
    import pandas as pd

#: One line of GODEBUG=inittrace=1, kept as the runtime printed it (runtime/proc.go doInit1).
INIT_TEXT_RE = re.compile(r"^init (?P<package>\S+) @(?P<start>[\d.]+) ms, (?P<clock>[\d.]+) ms clock, "
                          r"(?P<bytes>\d+) bytes, (?P<allocs>\d+) allocs$")
#: What a reader calls the pseudo-packages of `go tool nm` names without a package (type:…, go:…).
LINKER_DATA = "type descriptors and other linker data (type:…, go:…)"
#: Sections of a Go ELF binary that hold no symbol `go tool nm -size` counts, by what they are.
TABLE_SECTIONS = {".gopclntab": "pclntab", ".symtab": "symbol table", ".strtab": "symbol table"}
#: Where an ELF relocation's target is when its symbol is undefined in the object.
UNDEFINED = "undefined (another object or library)"
from ._lesson_line import hx, pct, share_interval  # noqa: F401  (shared with lesson 08's helpers)


def machine_load() -> tuple[float, int]:
    """(1-minute load average, CPUs) of this machine."""
    return os.getloadavg()[0], os.cpu_count() or 1


def busy(*results: Any) -> bool:
    """True when the machine is busier than its cores: benchmark verdicts should hold back. Given gokit.bench
    results, whether it was while any of them ran (the load each recorded), else whether it is now."""
    load, cpus = machine_load()
    recorded = [r.load for r in results if getattr(r, "load", None) is not None]
    return (max(recorded) if recorded else load) > cpus


def busy_note() -> str:
    """A sentence for benchmark cells when the machine is busier than its cores, else ""."""
    load, cpus = machine_load()
    if load <= cpus:
        return ""
    return (f"The machine is busy (load average {load:.1f} on {cpus} CPUs): other work slows and scatters every "
            "timing, so the comparisons are held back; run the cells again when it is quieter.")


# ---------------------------------------------------------------- lesson 04: relocations, holes, sections


def code_relocations(fn: Any) -> "pd.DataFrame":
    """The relocations of one function (a gokit.asm Function) that patch instruction bytes: the instruction's pc and
    text, then offset (in hex, like the pc), size, type, symbol and addend."""
    import pandas as pd

    text = {i.pc: i.text for i in fn.instructions if i.bytes}
    rows = [{"pc": hx(r.pc), "instruction": text.get(r.pc, "—"), "offset": hx(r.offset), "size": r.size,
             "type": r.type, "symbol": r.symbol, "addend": r.addend}
            for r in fn.relocations if r.pc is not None]
    return pd.DataFrame(rows, columns=["pc", "instruction", "offset", "size", "type", "symbol", "addend"])


def relocation_counts(asm: Any, top: int | None = None) -> "pd.DataFrame":
    """Relocations of a whole listing by type: how many, and how many bytes they patch (0: a note for the linker)."""
    r = asm.relocations
    g = r.groupby("type").agg(relocations=("offset", "size"), patched=("size", "sum")).reset_index()
    g = g.rename(columns={"patched": "bytes patched"}).sort_values(["relocations", "type"], ascending=[False, True])
    return g.head(top).reset_index(drop=True) if top else g.reset_index(drop=True)


def address_kind(symbol: str) -> str:
    """What an R_ADDR relocation points at, by the target's name."""
    if symbol.startswith("runtime.gcbits."):
        return "GC pointer bitmaps (runtime.gcbits.…)"
    if symbol.endswith("·f"):
        return "function values (…·f, e.g. equality functions)"
    if symbol.startswith("type:"):
        return "type descriptors (type:…)"
    if symbol.startswith("go:itab."):
        return "itabs (go:itab.…)"
    return "other data or code"


def address_targets(asm: Any) -> "pd.DataFrame":
    """What the listing's R_ADDR relocations point at, grouped by kind, most first, with an example each."""
    import pandas as pd

    r = asm.relocations
    r = r[r["type"] == "R_ADDR"]
    rows: dict[str, list[str]] = {}
    for s in r["symbol"]:
        rows.setdefault(address_kind(str(s)), []).append(str(s))
    out = [{"points at": k, "relocations": len(v), "example": v[0]} for k, v in rows.items()]
    return pd.DataFrame(out, columns=["points at", "relocations", "example"]).sort_values(
        "relocations", ascending=False).reset_index(drop=True)


def filled_holes(hand: Any, asm: Any, function: str, *, types: Sequence[str] = ("R_CALL",)) -> "pd.DataFrame":
    """gokit.resolved_relocations as the lessons show it: pc (hex), instruction, symbol, the hole's bytes before and
    after linking, `target` (the address the filled bytes point to) and `address` (the symbol's address as
    go tool nm lists it); "—" where one is unknown."""
    from .stages.objfile import resolved_relocations

    df = resolved_relocations(hand, asm, function, types=list(types))
    pcs = {r.offset: r.pc for r in asm.function(function).relocations if r.pc is not None}
    out = df.assign(pc=[hx(pcs[o]) if o in pcs else "—" for o in df["offset"]],
                    target=df["decoded address"].replace("", "—"), address=df["nm address"].replace("", "—"))
    return out[["pc", "instruction", "symbol", "hole before", "hole after", "target", "address"]]


def section_table(build: Any) -> "pd.DataFrame":
    """The ELF sections of a binary, largest first: section, type, size (bytes), in the file, flags ("none": none)."""
    from .parsers.binary import sections

    s = sections(build)
    s = s.assign(**{"in the file": s["in_file"].map({True: "yes", False: "no: memory only"}),
                    "flags": s["flags"].replace("", "none")})
    return s.sort_values("size", ascending=False)[["section", "type", "size", "in the file", "flags"]] \
        .reset_index(drop=True)


def package_label(package: str) -> str:
    """gokit's name for a group of `go tool nm` symbols as a reader reads it ("(type: and go: symbols)" spelled out)."""
    return LINKER_DATA if package.startswith("(type:") else package


def package_size_diff(a: Any, b: Any, labels: tuple[str, str]) -> "pd.DataFrame":
    """gokit.size_diff with the linker's own data named for a reader: package, bytes in each, change."""
    from .stages.objfile import size_diff

    d = size_diff(a, b, labels=labels)
    return d.assign(package=d["package"].map(package_label))


def package_sizes(build: Any, *, top: int = 8) -> "pd.DataFrame":
    """Bytes of symbols per package (go tool nm -size), largest first, `main` always shown; the rest in one row."""
    from .stages.objfile import sizes_by_package
    import pandas as pd

    df = sizes_by_package(build)
    df = df.assign(package=df["package"].map(package_label))
    keep = df.head(top)
    if "main" not in set(keep["package"]) and "main" in set(df["package"]):
        keep = pd.concat([keep, df[df["package"] == "main"]])
    rest = df[~df["package"].isin(set(keep["package"]))]
    if len(rest):
        keep = pd.concat([keep, pd.DataFrame([{"package": f"({len(rest)} other packages)",
                                                "bytes": int(rest["bytes"].sum()),
                                                "symbols": int(rest["symbols"].sum())}])])
    return keep.reset_index(drop=True)


@dataclass(frozen=True)
class SizeGap:
    """Why the symbols' sizes do not add up to the file's: what else the binary holds (bytes)."""

    file: int          # the binary's size on disk
    symbols: int       # the sizes go tool nm -size gives its symbols, added up
    pclntab: int       # .gopclntab: function names, files and lines
    dwarf: int         # .debug_*: DWARF
    symtab: int        # .symtab + .strtab: the ELF symbol table nm reads
    memory_only: int   # .bss-like sections: counted by nm, no bytes in the file

    @property
    def explained(self) -> int:
        return self.symbols - self.memory_only + self.pclntab + self.dwarf + self.symtab

    def sentence(self) -> str:
        rest = self.file - self.explained
        return (f"The binary is {self.file:,} bytes; its symbols add up to {self.symbols:,} bytes, of which "
                f"{self.memory_only:,} are zeroed memory (.bss, .noptrbss) that takes no bytes in the file. Most of "
                f"the rest of the file holds no symbol at all: {self.pclntab:,} bytes of pclntab (.gopclntab), "
                f"{self.dwarf:,} of DWARF (.debug_*) and {self.symtab:,} of the ELF symbol table (.symtab, .strtab) "
                f"that go tool nm reads; {rest:,} bytes are left for headers, alignment and small tables.")


def size_gap(build: Any) -> SizeGap:
    """The binary's size next to what go tool nm -size accounts for, and the sections that make up the difference."""
    from .parsers.binary import sections
    from .stages.objfile import symbols

    path = Path(getattr(build, "binary", build))
    secs = sections(build)
    syms = symbols(build)
    defined = syms[syms["type"] != "U"]

    def size(names: Sequence[str]) -> int:
        return int(secs.loc[secs["section"].isin(names), "size"].sum())

    return SizeGap(file=path.stat().st_size, symbols=int(defined["size"].sum()), pclntab=size([".gopclntab"]),
                   dwarf=int(secs.loc[secs["section"].str.startswith(".debug_"), "size"].sum()),
                   symtab=size([".symtab", ".strtab"]),
                   memory_only=int(secs.loc[~secs["in_file"], "size"].sum()))


@dataclass(frozen=True)
class CgoBuild:
    """A cgo program built with `-ldflags=-tmpdir=DIR`, so the object Go's linker hands to the C linker stays."""

    build: Any               # the gokit.build result (a dynamically linked executable)
    object_file: Path | None  # DIR/go.o: Go's code and data as one ELF object, before the C link

    @property
    def binary(self) -> Path:
        return Path(self.build.binary)


def cgo_build(source: Any, *, toolchain: Any = None, progress: bool = True) -> CgoBuild | None:
    """CGO_ENABLED=1 go build of `source` with its external link's go.o kept in gokit's cache (None when there is no
    C compiler). The linker's -tmpdir keeps go.o (cmd/link/internal/ld/lib.go: a directory the user names is not
    removed); gokit keeps the binary, so a repeat starts nothing."""
    from .source.source import Source
    from .source.toolchain import toolchain as default_toolchain
    from .stages.builds import build, c_compiler

    from . import _cache

    tc = toolchain or default_toolchain()
    if not c_compiler(toolchain=tc):
        return None
    src = Source(source) if isinstance(source, str) else source
    where = _cache.path("cgo-link", _cache.key("cgo-link", tc.version, str(tc.go), src.digest))
    where.mkdir(parents=True, exist_ok=True)
    flags = f"-tmpdir={where}"
    b = build(src, cgo=True, ldflags=flags, progress=progress, toolchain=tc)
    obj = where / "go.o"
    if not obj.is_file():  # the binary was cached but its go.o is gone: link again
        b = build(src, cgo=True, ldflags=flags, progress=progress, toolchain=tc, fresh=True)
    return CgoBuild(b, obj if obj.is_file() else None)


def object_relocations(path: str | os.PathLike[str]) -> "pd.DataFrame":
    """The relocation entries of an ELF object file (pyelftools), one row per ELF type and section they patch:
    type, in (the section holding the holes), entries, what their targets are (the targets' sections), and how many
    name a symbol of another object. Read once per file (tens of thousands of entries take seconds to decode):
    the counts are kept beside it, in FILE.relocations.json, while the file is unchanged."""
    import json

    import pandas as pd

    p = Path(path)
    st = p.stat()
    memo = p.with_name(p.name + ".relocations.json")
    stamp = [st.st_size, st.st_mtime_ns]
    if memo.is_file():
        try:
            saved = json.loads(memo.read_text())
            if saved.get("stamp") == stamp:
                return pd.DataFrame(saved["rows"], columns=OBJECT_RELOCATION_COLUMNS)
        except (OSError, ValueError, KeyError):
            pass
    df = _object_relocations(p)
    try:
        memo.write_text(json.dumps({"stamp": stamp, "rows": df.to_dict("records")}))
    except OSError:
        pass
    return df


#: Columns of object_relocations.
OBJECT_RELOCATION_COLUMNS = ["type", "in", "entries", "targets in", "to other objects"]


def _object_relocations(path: Path) -> "pd.DataFrame":
    import pandas as pd
    from elftools.elf.descriptions import describe_reloc_type
    from elftools.elf.elffile import ELFFile
    from elftools.elf.relocation import RelocationSection
    from elftools.elf.sections import SymbolTableSection

    counts: dict[tuple[str, str], dict[str, int]] = {}
    with open(path, "rb") as f:
        elf = ELFFile(f)
        names = {i: s.name for i, s in enumerate(elf.iter_sections())}
        for sec in elf.iter_sections():
            if not isinstance(sec, RelocationSection):
                continue
            patched = names.get(sec["sh_info"], sec.name.removeprefix(".rela").removeprefix(".rel"))
            symtab = elf.get_section(sec["sh_link"])
            if not isinstance(symtab, SymbolTableSection):
                continue
            for r in sec.iter_relocations():
                t = describe_reloc_type(r["r_info_type"], elf)
                sym = symtab.get_symbol(r["r_info_sym"]) if r["r_info_sym"] else None
                shn = sym["st_shndx"] if sym is not None else "SHN_UNDEF"
                target = (UNDEFINED if shn == "SHN_UNDEF" else
                          names.get(shn, str(shn)) if isinstance(shn, int) else str(shn))
                per = counts.setdefault((t, patched), {})
                per[target] = per.get(target, 0) + 1
    rows = [{"type": t, "in": where, "entries": sum(per.values()),
             "targets in": ", ".join(f"{k} ({v:,})" for k, v in sorted(per.items(), key=lambda kv: -kv[1])),
             "to other objects": per.get(UNDEFINED, 0)}
            for (t, where), per in counts.items()]
    df = pd.DataFrame(rows, columns=OBJECT_RELOCATION_COLUMNS)
    return df.sort_values(["entries", "type"], ascending=[False, True]).reset_index(drop=True)


def section_kind(name: str) -> str:
    """Where a section of a Go ELF file belongs, for a reader: code, DWARF, or data (everything else)."""
    if name in (".text", ".init", ".fini", ".plt"):
        return "code (.text)"
    if name.startswith((".debug_", ".zdebug_")):
        return "DWARF (.debug_*)"
    return "data (.rodata, .data, .go.type, …)"


def object_relocation_summary(detail: "pd.DataFrame") -> "pd.DataFrame":
    """object_relocations() folded to one row per ELF type: how many entries patch code, data and DWARF."""
    import pandas as pd

    kinds = ["code (.text)", "data (.rodata, .data, .go.type, …)", "DWARF (.debug_*)"]
    rows: dict[str, dict[str, int]] = {}
    for r in detail.to_dict("records"):
        per = rows.setdefault(str(r["type"]), {k: 0 for k in kinds})
        per[section_kind(str(r["in"]))] += int(r["entries"])
    out = pd.DataFrame([{"type": t, **{f"in {k}": f"{v:,}" for k, v in per.items()}, "entries": sum(per.values())}
                        for t, per in rows.items()])
    out = out.sort_values("entries", ascending=False).reset_index(drop=True)
    out["entries"] = out["entries"].map("{:,}".format)
    return out


#: A method of an instantiated generic type, as go tool nm names it: sync/atomic.(*Pointer[os.dirInfo]).Load
GENERIC_METHOD_RE = re.compile(r"^(?P<pkg>[\w./-]+)\.\((?P<recv>\*?[\w]+\[[^\]]+\])\)\.(?P<method>\w+)$")


def generic_methods_note(asm: Any, undefined: Sequence[str]) -> str:
    """Why a package object names methods of an instantiated generic type as undefined (computed from the listing:
    which of its own symbols points at them), or "" when it names none."""
    found = [n for n in undefined if GENERIC_METHOD_RE.match(str(n))]
    if not found:
        return ""
    r = asm.relocations
    holders = sorted(set(r.loc[r["symbol"].isin(found) & (r["type"] == "R_METHODOFF"), "function"]))
    m = GENERIC_METHOD_RE.match(str(found[0]))
    assert m is not None
    recv = f"{m['pkg']}.{m['recv'].lstrip('*')}"
    if not holders:
        return (f"The {len(found)} methods of {recv} are methods of a generic type instantiated with a type "
                "argument of another package; your object refers to them without compiling them.")
    return (f"The {len(found)} undefined methods of {recv} come from a type descriptor your object holds itself: "
            f"{holders[0]}, whose method table points at them (R_METHODOFF). {recv} is a generic type instantiated "
            "with a type argument of another package; the compiler writes the descriptor of such a type into every "
            "object that needs it (each copy marked DUPOK: the linker keeps one), and the methods' code is in the "
            "object of a package that instantiates it.")


# ---------------------------------------------------------------- lesson 05: start-up with the runtime's own timing


def inittrace_text(trace: Any, lines: int | None = None) -> str:
    """What the runtime printed to standard error in a gokit.inittrace run (a trace, or that text), its first
    `lines` lines if given: the GODEBUG=inittrace=1 lines as the runtime wrote them."""
    text = trace if isinstance(trace, str) else str(trace.attrs.get("stderr", ""))
    return "\n".join(text.splitlines()[:lines])


def inittrace_table(stderr: Any) -> "pd.DataFrame":
    """The GODEBUG=inittrace=1 lines of a program's stderr (the text, or a gokit.inittrace run) as a table of the
    runtime's own text (0.10 stays 0.10): package, start (ms), clock (ms), bytes, allocations."""
    import pandas as pd

    rows = []
    for line in inittrace_text(stderr).splitlines():
        m = INIT_TEXT_RE.match(line.rstrip())
        if m:
            rows.append({"package": m["package"], "@ start (ms)": m["start"], "clock (ms)": m["clock"],
                         "bytes": f"{int(m['bytes']):,}", "allocations": f"{int(m['allocs']):,}"})
    return pd.DataFrame(rows, columns=["package", "@ start (ms)", "clock (ms)", "bytes", "allocations"])


@dataclass(frozen=True)
class StartTimes:
    """Whole-process start-up times and, from the same runs, what GODEBUG=inittrace=1 printed."""

    result: Any = field(repr=False)          # gokit.bench BenchResult of the wall times
    inits: "pd.DataFrame" = field(repr=False)  # label, run, package, clock_ms (every init line of every counted run)

    def init_ms(self, label: str, package: str = "main") -> list[float]:
        """One package's init clock (ms) in each counted run of one binary, in run order."""
        d = self.inits[(self.inits["label"] == label) & (self.inits["package"] == package)]
        return [float(v) for v in d.sort_values("run")["clock_ms"]]

    def without_init(self, label: str, package: str = "main") -> list[float]:
        """Each run's wall time minus that run's own init clock of `package` (seconds)."""
        f = self.result.frame
        walls = f[f["label"] == label].sort_values("run")["wall"].tolist()
        inits = self.init_ms(label, package)
        if len(inits) != len(walls):
            raise UsageError(f"{label}: {len(walls)} runs but {len(inits)} init lines of {package}")
        return [w - i / 1000 for w, i in zip(walls, inits)]


def timed_starts(binaries: Mapping[str, Any], *, runs: int = 30, warmup: int = 3, timeout: float = 30,
                 desc: str = "starting each binary, interleaved") -> StartTimes:
    """Start each binary `runs` times, interleaved (A B A B ...) after `warmup` untimed rounds, with
    GODEBUG=inittrace=1, and time each whole process as gokit.bench.compare does (posix_spawn to wait4, stdout to
    /dev/null); keep what the runtime printed about each init in the same runs. The environment is this process's
    plus GODEBUG=inittrace=1 (one line to stderr per init task)."""
    import tempfile

    import pandas as pd

    from ._progress import Progress
    from ._run import Cmd
    from .layers.exec import time_command
    from .measure.result import BenchResult
    from .measure.stats import FRAME_COLUMNS

    if not binaries:
        raise UsageError("timed_starts wants a mapping of label -> binary (a gokit.build result or a path)")
    paths = {label: str(getattr(b, "binary", b)) for label, b in binaries.items()}
    env = {**os.environ, "GODEBUG": "inittrace=1"}
    rows: list[dict[str, Any]] = []
    inits: list[tuple[str, int, str, float]] = []
    bar = Progress(len(paths) * (runs + warmup), desc=desc)
    errf = tempfile.TemporaryFile()
    try:
        for i in range(warmup + runs):
            for label, path in paths.items():
                c = time_command(Cmd((path,), env), deadline=timeout, stderr=errf)
                errf.seek(0)
                err = errf.read(1 << 20).decode("utf-8", "replace")
                if c.exit_code != 0:
                    raise GoToolError([path], c.exit_code, err, hint=f"{label} exited with {c.exit_code}")
                if i >= warmup:
                    rows.append({"label": label, "run": i - warmup, "value": c.wall, "wall": c.wall, "user": c.user,
                                 "sys": c.sys, "maxrss": math.nan, "exit_code": 0})
                    for line in err.splitlines():
                        m = INIT_TEXT_RE.match(line.rstrip())
                        if m:
                            inits.append((label, i - warmup, m["package"], float(m["clock"])))
                bar.update(1)
    finally:
        errf.close()
        bar.close()
    result = BenchResult.from_frame(pd.DataFrame(rows, columns=FRAME_COLUMNS), commands={k: (v,) for k, v in paths.items()},
                                    warmup=warmup)
    return StartTimes(result, pd.DataFrame(inits, columns=["label", "run", "package", "clock_ms"]))


def entry_kind(chain: Any) -> str:
    """Lesson 05's multiple choice: which kind of code starts at a binary's entry point, as a letter — a: main.main,
    b: runtime.main, c: a runtime function written in assembly, d: the C library's start-up code."""
    first = chain.steps_list[0]
    if first.function == "main.main":
        return "a"
    if first.function == "runtime.main":
        return "b"
    if str(first.file).endswith(".s"):
        return "c"
    return "d"


def calls_in(chain: Any, function: str) -> list[str]:
    """Lesson 05: every function one function of a boot chain CALLs, by name (an ABI wrapper named as the function
    it wraps), sorted, from the chain's `go tool objdump` of it."""
    code = chain.disassembly(function)
    return sorted({str(t).removesuffix(".abi0") for t in code.loc[code["op"] == "CALL", "target"] if t})


def first_use(chain: Any, function: str, symbol: str) -> str:
    """Lesson 05: the first instruction of `function` (a step of a boot chain) that names `symbol`, as go tool
    objdump prints it, and the GOROOT/src line it was compiled from; a sentence saying so when none does."""
    code = chain.disassembly(function)
    hit = code[code["target"] == symbol]
    if hit.empty:
        return f"This binary names no {symbol} in {function}'s instructions."
    r = hit.iloc[0]
    return f"{r['op']} {r['args']}\n" + chain.source(f"{chain.step(function).file}:{r['line']}")


#: A multiple-choice answer as a learner may write it: "c", "C", "(c)", "c)", "c.", "(c) assembly".
LETTER_RE = re.compile(r"^\W*(?P<letter>[a-zA-Z])(?:\W|$)")


def same_letter(prediction: Any, actual: Any) -> bool:
    """A multiple-choice check: the letter a prediction starts with ("(c) assembly" is "c") against the answer's."""
    if not isinstance(prediction, str) or not isinstance(actual, str):
        return False
    m = LETTER_RE.match(prediction.strip().strip("\"'`"))
    return m is not None and m["letter"].lower() == actual.strip().lower()


__all__ = ["hx", "machine_load", "busy", "busy_note", "code_relocations", "relocation_counts", "address_targets",
           "filled_holes", "section_table", "package_sizes", "package_label", "package_size_diff", "size_gap", "SizeGap",
           "cgo_build", "CgoBuild", "object_relocations", "object_relocation_summary", "section_kind",
           "generic_methods_note", "inittrace_text", "inittrace_table", "first_use", "timed_starts", "StartTimes",
           "entry_kind", "calls_in", "same_letter",
           "share_interval", "pct"]
