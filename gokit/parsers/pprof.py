"""`go tool pprof` read into tables: the `-top` table, every sample's stack (`-traces`), `-disasm`, and CPU time
grouped by compiler phase; a Profile (the file and how to read it) and a CPUProfile (your program's samples per
line and per instruction).

The parsers are pure functions of pprof's text output (header lines `File:`, `Type:`, `Duration:`, then a
table or sample blocks); values keep pprof's units, converted to one base unit per profile: seconds for
CPU time, bytes for memory (pprof's kB is 1024 bytes), plain numbers for counts. Names keep what pprof
printed; with `-lines` a name is `function file:line`, split into columns.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .. import _display
from ..errors import GokitError, ParseError, UsageError
from .names import package_of
from .objdump import go_regexp_quote

if TYPE_CHECKING:
    import pandas as pd

    from ..source.toolchain import Toolchain

# ---------------------------------------------------------------- values and units (pprof's measurement package)

VALUE_RE = re.compile(r"^(?P<num>-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?P<unit>[A-Za-zµμ]*)$")
#: pprof's unit names -> (kind, factor to the kind's base unit). Memory units are powers of 1024.
UNITS: dict[str, tuple[str, float]] = {
    "B": ("bytes", 1), "kB": ("bytes", 1 << 10), "MB": ("bytes", 1 << 20), "GB": ("bytes", 1 << 30),
    "TB": ("bytes", 1 << 40), "PB": ("bytes", 1 << 50),
    "ns": ("s", 1e-9), "us": ("s", 1e-6), "µs": ("s", 1e-6), "μs": ("s", 1e-6), "ms": ("s", 1e-3), "s": ("s", 1.0),
    "hrs": ("s", 3600.0),
}


def parse_value(text: str) -> tuple[float, str]:
    """A pprof value like `1.43s`, `9.50kB`, `0` or `1234` as (number in the base unit, kind): (1.43, "s")."""
    m = VALUE_RE.match(text.strip())
    if m is None:
        raise ParseError(f"not a pprof value: {text!r}")
    unit = m.group("unit")
    if not unit:
        return float(m.group("num")), ""
    if unit not in UNITS:
        raise ParseError(f"unknown pprof unit {unit!r} in {text!r}")
    kind, factor = UNITS[unit]
    return float(m.group("num")) * factor, kind


# ---------------------------------------------------------------- the header every report starts with

DURATION_RE = re.compile(r"^Duration: (?P<duration>\S+), Total samples = (?P<total>\S+)(?: \(\s*(?P<pct>[\d.]+)%\))?$")
SHOWING_RE = re.compile(r"^Showing nodes accounting for (?P<shown>\S+), (?P<pct>\S+)% of (?P<total>\S+) total$")
DROPPED_RE = re.compile(r"^Dropped (?P<n>\d+) nodes? \(cum <= (?P<limit>\S+)\)$")
TOPN_RE = re.compile(r"^Showing top (?P<n>\d+) nodes out of (?P<of>\d+)$")
TOP_HEAD_RE = re.compile(r"^\s*flat\s+flat%\s+sum%\s+cum\s+cum%\s*$")
TOP_ROW_RE = re.compile(r"^\s*(?P<flat>\S+)\s+(?P<flat_pct>\S+)%\s+(?P<sum_pct>\S+)%\s+(?P<cum>\S+)\s+(?P<cum_pct>\S+)%"
                        r"\s+(?P<name>\S.*?)\s*$")
INLINE_RE = re.compile(r" \((?P<inline>inline|partial-inline)\)$")
# `main.join /abs/main.go:30`: the file is the last space-free token before `:LINE` (function names may hold spaces)
LINE_NAME_RE = re.compile(r"^(?P<function>.+?) (?P<file>\S+):(?P<line>\d+)$")
TRACE_SEPARATOR = "-----------+-------------------------------------------------------"
TRACE_LABEL_RE = re.compile(r"^\s*(?P<key>\S+):  (?P<value>.*)$")

HEADER_KEYS = ("File", "Build ID", "Type", "Time", "Doc")


@dataclass(frozen=True)
class ProfileInfo:
    """What every pprof report says first: the binary, the sample type, when, how long, and the total."""

    file: str = ""
    build_id: str = ""
    type: str = ""            # cpu, alloc_space, inuse_space, alloc_objects, samples ...
    time: str = ""
    duration: float | None = None   # seconds the profile covered (CPU profiles)
    total: float | None = None      # the sum of all samples, in `unit`
    unit: str = ""            # "s", "bytes" or "" (a count)
    comments: tuple[str, ...] = ()


def _header(lines: list[str]) -> tuple[ProfileInfo, int]:
    """Parse the header lines; returns the info and the index of the first line after them."""
    values: dict[str, str] = {}
    comments: list[str] = []
    duration = total = None
    unit = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        key, sep, value = line.partition(": ")
        if sep and key in HEADER_KEYS:
            values[key] = value.strip()
        elif line.startswith("Duration: "):
            m = DURATION_RE.match(line.strip())
            if m is None:
                raise ParseError("a pprof Duration line that gokit cannot read", line, i + 1)
            duration = parse_value(m.group("duration"))[0]
            total, unit = parse_value(m.group("total"))
        elif (not line.strip() or line.startswith(("Showing ", "Dropped ", "Active filters", "   ", TRACE_SEPARATOR))
              or TOP_HEAD_RE.match(line)):
            break
        else:
            comments.append(line.strip())  # profile comments (e.g. a Go heap profile's none; perf's several)
        i += 1
    info = ProfileInfo(values.get("File", ""), values.get("Build ID", ""), values.get("Type", ""),
                       values.get("Time", ""), duration, total, unit, tuple(comments))
    return info, i


def _split_name(raw: str) -> tuple[str, str, int | None, str]:
    """`name [file:line] [(inline)]` -> (function, file, line, inline)."""
    inline = ""
    m = INLINE_RE.search(raw)
    if m:
        inline = m.group("inline")
        raw = raw[:m.start()]
    lm = LINE_NAME_RE.match(raw)
    if lm:
        return lm.group("function"), lm.group("file"), int(lm.group("line")), inline
    return raw, "", None, inline


# ---------------------------------------------------------------- -top

TOP_COLUMNS = ["function", "file", "line", "inline", "flat", "flat_pct", "sum_pct", "cum", "cum_pct"]
FRAME_COLUMNS = ["function", "package", *TOP_COLUMNS[1:]]


@dataclass(frozen=True)
class TopRow:
    function: str
    file: str             # with -lines: the source file pprof names, else ""
    line: int | None
    inline: str           # "inline", "partial-inline" or ""
    flat: float           # in the report's unit: samples in this function itself
    flat_pct: float
    sum_pct: float
    cum: float            # in this function and everything it called
    cum_pct: float


@dataclass(frozen=True)
class Top:
    """`go tool pprof -top`: one row per function (or per line with -lines), hottest first."""

    info: ProfileInfo
    rows: tuple[TopRow, ...]
    shown: float | None = None         # what the rows account for (pprof drops the smallest nodes)
    dropped_nodes: int = 0
    nodes: int | None = None           # "Showing top N nodes out of M": M
    unit: str = ""

    def frame(self) -> "pd.DataFrame":
        """The table as a DataFrame (values in the report's unit: seconds, bytes or counts), with each
        function's package (`package_of`)."""
        import pandas as pd

        return pd.DataFrame([{**r.__dict__, "package": package_of(r.function)} for r in self.rows],
                            columns=FRAME_COLUMNS)

    def __repr__(self) -> str:
        return f"<Top {self.info.type or 'profile'}: {len(self.rows)} rows>"


def parse_top(text: str) -> Top:
    """Parse `go tool pprof -top [-lines] [-cum]` output (a pure function of text)."""
    lines = text.splitlines()
    info, i = _header(lines)
    shown = None
    dropped = 0
    nodes = None
    unit = info.unit
    rows: list[TopRow] = []
    in_table = False
    for n, line in enumerate(lines[i:], i + 1):
        if not line.strip():
            continue
        if not in_table:
            if m := SHOWING_RE.match(line.strip()):
                shown, unit = parse_value(m.group("shown"))
                if info.total is None:
                    info = ProfileInfo(**{**info.__dict__, "total": parse_value(m.group("total"))[0], "unit": unit})
            elif m := DROPPED_RE.match(line.strip()):
                dropped = int(m.group("n"))
            elif m := TOPN_RE.match(line.strip()):
                nodes = int(m.group("of"))
            elif TOP_HEAD_RE.match(line):
                in_table = True
            elif line.startswith(("Active filters", "   ")):
                continue  # a filter legend (-focus=..., -show=...)
            else:
                raise ParseError("unexpected line before the pprof -top table", line, n)
            continue
        m = TOP_ROW_RE.match(line)
        if m is None:
            raise ParseError("a pprof -top row that gokit cannot read", line, n)
        function, file, lineno, inline = _split_name(m.group("name"))
        flat, k1 = parse_value(m.group("flat"))
        cum, k2 = parse_value(m.group("cum"))
        unit = unit or k1 or k2
        rows.append(TopRow(function, file, lineno, inline, flat, float(m.group("flat_pct")),
                           float(m.group("sum_pct")), cum, float(m.group("cum_pct"))))
    if not in_table:
        raise ParseError("no pprof -top table (flat flat% sum% cum cum%) in this output")
    return Top(info, tuple(rows), shown, dropped, nodes if nodes is not None else len(rows), unit)


# ---------------------------------------------------------------- -traces

@dataclass(frozen=True)
class Frame:
    function: str
    inline: bool = False     # inlined into the frame below it (its caller)


@dataclass(frozen=True)
class Trace:
    """One sample: its value and its stack, innermost frame first, with any labels pprof printed."""

    value: float
    frames: tuple[Frame, ...]
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def leaf(self) -> str:
        return self.frames[0].function if self.frames else ""


@dataclass(frozen=True)
class Traces:
    """`go tool pprof -traces`: every sample of the profile with its call stack."""

    info: ProfileInfo
    traces: tuple[Trace, ...]
    unit: str = ""

    @property
    def total(self) -> float:
        return float(sum(t.value for t in self.traces))

    def frame(self) -> "pd.DataFrame":
        """One row per sample: value, leaf function, stack depth, the stack (innermost first, ` < `-joined)."""
        import pandas as pd

        return pd.DataFrame([(t.value, t.leaf, len(t.frames), " < ".join(f.function for f in t.frames))
                             for t in self.traces], columns=["value", "leaf", "depth", "stack"])

    def __repr__(self) -> str:
        return f"<Traces {self.info.type or 'profile'}: {len(self.traces)} samples>"


def parse_traces(text: str) -> Traces:
    """Parse `go tool pprof -traces` output (a pure function of text)."""
    lines = text.splitlines()
    info, i = _header(lines)
    traces: list[Trace] = []
    value: float | None = None
    frames: list[Frame] = []
    labels: list[tuple[str, str]] = []
    unit = info.unit

    def flush() -> None:
        if value is not None:
            traces.append(Trace(value, tuple(frames), tuple(labels)))

    for n, line in enumerate(lines[i:], i + 1):
        if not line.strip():
            continue
        if line.strip() == TRACE_SEPARATOR:
            flush()
            value, frames, labels = None, [], []
            continue
        if len(line) > 13 and line[10:13] == "   " and (value is not None or line[:10].strip()):
            head, name = line[:10].strip(), line[13:]
            if head:
                if value is not None:
                    raise ParseError("a second sample value inside one pprof trace", line, n)
                value, kind = parse_value(head)
                unit = unit or kind
            inline = name.endswith(" (inline)")
            frames.append(Frame(name[:-len(" (inline)")] if inline else name, inline))
            continue
        m = TRACE_LABEL_RE.match(line)
        if m and value is None:
            labels.append((m.group("key"), m.group("value")))
            continue
        raise ParseError("a pprof -traces line that gokit cannot read", line, n)
    flush()
    return Traces(info, tuple(traces), unit)


# ---------------------------------------------------------------- -disasm

#: `ROUTINE ======================== main.main` (one per symbol with samples), `    AKA ======================== x`
ROUTINE_RE = re.compile(r"^ROUTINE =+ (?P<name>.+)$")
AKA_RE = re.compile(r"^\s+AKA =+ (?P<name>.+)$")
#: `     580ms      790ms (flat, cum)   100% of Total`
ROUTINE_SUM_RE = re.compile(r"^\s*(?P<flat>\S+)\s+(?P<cum>\S+) \(flat, cum\)\s+(?P<pct>\S+)% of Total$")
#: `      60ms       90ms     5438c8: SHRQ $0x2, DX          ;play.main main.go:24` (a value of 0 is printed `.`;
#: the location follows `;` only where it changes; a long instruction gets it on a line of its own, above)
DISASM_RE = re.compile(r"^\s*(?P<flat>\S+)\s+(?P<cum>\S+)\s+(?P<addr>[0-9a-f]+): (?P<inst>.*?)(?:\s*;(?P<loc>.*))?$")
LOC_ONLY_RE = re.compile(r"^\s{20,};(?P<loc>.*)$")
#: a location: `[function ]file[:line]`
LOC_RE = re.compile(r"^(?:(?P<function>.+) )?(?P<file>\S+?)(?::(?P<line>\d+))?$")

DISASM_COLUMNS = ["function", "address", "offset", "op", "args", "flat", "cum", "file", "line"]


@dataclass(frozen=True)
class DisasmInstruction:
    """One instruction of a `-disasm` routine: where it is, what it is, and the samples taken there (flat: while
    it executed; cum: while it, or something it called, executed)."""

    address: int
    text: str
    flat: float
    cum: float
    file: str            # the base name pprof prints (carried down from the last location it printed)
    line: int | None

    @property
    def op(self) -> str:
        return self.text.split(" ", 1)[0]

    @property
    def args(self) -> str:
        return self.text.split(" ", 1)[1] if " " in self.text else ""


@dataclass(frozen=True)
class Routine:
    """`go tool pprof -disasm`: one function's machine code with samples per instruction."""

    name: str
    flat: float
    cum: float
    instructions: tuple[DisasmInstruction, ...]
    aka: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return self.instructions[0].address if self.instructions else 0


@dataclass(frozen=True)
class Disasm:
    total: float
    unit: str
    routines: tuple[Routine, ...]

    def frame(self) -> "pd.DataFrame":
        """One row per instruction: function, address, offset (from the routine's start), op, args, flat, cum,
        file, line (values in the report's unit)."""
        import pandas as pd

        rows = [(r.name, i.address, i.address - r.start, i.op, i.args, i.flat, i.cum, i.file, i.line)
                for r in self.routines for i in r.instructions]
        return pd.DataFrame(rows, columns=DISASM_COLUMNS).astype({"line": "Int64"})


def parse_disasm(text: str) -> Disasm:
    """Parse `go tool pprof -disasm=REGEX` output (a pure function of text)."""
    total: float | None = None
    unit = ""
    routines: list[Routine] = []
    name = ""
    aka: list[str] = []
    flat = cum = 0.0
    insts: list[DisasmInstruction] = []
    file, line = "", None
    pending: str | None = None

    def flush() -> None:
        if name:
            routines.append(Routine(name, flat, cum, tuple(insts), tuple(aka)))

    def value(v: str) -> float:
        nonlocal unit
        if v == ".":
            return 0.0
        x, kind = parse_value(v)
        unit = unit or kind
        return x

    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        if raw.startswith("Total: "):
            total, unit = parse_value(raw[len("Total: "):].strip())
            continue
        m = ROUTINE_RE.match(raw)
        if m:
            flush()
            name, aka, insts, flat, cum, file, line, pending = m.group("name"), [], [], 0.0, 0.0, "", None, None
            continue
        if not name:
            raise ParseError("a pprof -disasm line before any ROUTINE header", raw, n)
        if m := AKA_RE.match(raw):
            aka.append(m.group("name"))
            continue
        if m := ROUTINE_SUM_RE.match(raw):
            flat, cum = value(m.group("flat")), value(m.group("cum"))
            continue
        if m := LOC_ONLY_RE.match(raw):
            pending = m.group("loc")
            continue
        m = DISASM_RE.match(raw)
        if m is None:
            raise ParseError("a pprof -disasm line that gokit cannot read", raw, n)
        loc = m.group("loc") if m.group("loc") is not None else pending
        pending = None
        if loc:
            lm = LOC_RE.match(loc.strip())
            if lm:
                file = lm.group("file")
                line = int(lm.group("line")) if lm.group("line") else None
        insts.append(DisasmInstruction(int(m.group("addr"), 16), m.group("inst").strip(), value(m.group("flat")),
                                       value(m.group("cum")), file, line))
    flush()
    if total is None:
        raise ParseError("no `Total:` line: this is not a pprof -disasm report")
    return Disasm(total, unit, tuple(routines))


# ---------------------------------------------------------------- functions, packages, compiler phases

_C = "cmd/compile/internal/"
_ARCHES = ("amd64", "arm", "arm64", "loong64", "mips", "mips64", "ppc64", "riscv64", "s390x", "wasm", "x86")
#: Compiler phases by function name prefix. A stack's phase is that of its OUTERMOST frame matching one of
#: these (types2 records types with syntax helpers, so a `syntax.` frame under `types2.` is type checking);
#: only when none does, the innermost frame matching FALLBACK_RULES decides (the compiler's shared IR helpers
#: are called from every phase: an `ir.(*Name).Pos` under `ssagen.(*state).stmt` is SSA building). A rule with
#: phase "" is a dispatcher that belongs to no phase (ssagen.Compile runs buildssa, ssa.Compile and genssa).
#: Runtime frames (malloc, GC assists) and shared helpers (cmd/internal/goobj, dwarf, src, bio ...) match
#: nothing, so their time goes to the phase that called them. Read against GOROOT/src/cmd/compile/internal/
#: gc/main.go (Main: noder.LoadPackage parses with syntax and type-checks with types2, then the IR passes;
#: ssagen.Compile = buildssa, ssa.Compile, genssa) and ssagen/ssa.go (genssa and the *State it fills emit
#: obj.Progs that cmd/internal/obj encodes).
PHASE_RULES: tuple[tuple[str, str], ...] = (
    (_C + "syntax.", "parsing"),
    (_C + "types2.", "type checking"),
    (_C + "importer.", "type checking"),
    (_C + "ssagen.Compile", ""),
    (_C + "ssagen.genssa", "code generation"),
    (_C + "ssagen.(*State)", "code generation"),
    (_C + "ssagen.", "SSA"),
    (_C + "ssa.", "SSA"),
    *((f"{_C}{arch}.", "code generation") for arch in _ARCHES),
    (_C + "objw.", "code generation"),
    (_C + "liveness.", "code generation"),
    (_C + "dwarfgen.", "code generation"),
    ("cmd/internal/obj.", "code generation"),
    ("cmd/internal/obj/", "code generation"),
    ("cmd/link/", "linking"),
)
#: Used only for stacks in which no PHASE_RULES frame is found.
FALLBACK_RULES: tuple[tuple[str, str], ...] = (
    (_C + "gc.", "driver"),
    (_C + "base.", "driver"),
    (_C, "IR: inlining, escape analysis, walk"),
)
#: The phases in pipeline order (tables are sorted this way); samples with no compiler frame at all go last.
PHASE_ORDER = ("parsing", "type checking", "IR: inlining, escape analysis, walk", "SSA", "code generation",
               "linking", "driver", "runtime: GC and scheduler")
NO_PHASE = "runtime: GC and scheduler"


def phase_rules() -> "pd.DataFrame":
    """The rules `phases` applies, as a table: prefix, phase, and which pass uses it (outermost / fallback)."""
    import pandas as pd

    return pd.DataFrame([(p, ph, "outermost match") for p, ph in PHASE_RULES] +
                        [(p, ph, "fallback: innermost match") for p, ph in FALLBACK_RULES],
                        columns=["function starts with", "phase", "rule"])


def _phase(function: str, table: Sequence[tuple[str, str]]) -> str | None:
    return next((ph for prefix, ph in table if function.startswith(prefix)), None)


def phase_of(frames: Sequence[Frame], rules: Sequence[tuple[str, str]] = PHASE_RULES,
             fallback: Sequence[tuple[str, str]] = FALLBACK_RULES) -> tuple[str, str]:
    """(phase, function) for one stack given innermost frame first.

    The phase is that of the outermost frame matching `rules`, else of the innermost matching `fallback`,
    else NO_PHASE. The function is the innermost frame of that phase (where the time went inside it), or the
    leaf when no compiler frame is on the stack.
    """
    for table, order in ((rules, frames[::-1]), (fallback, frames)):
        for f in order:
            phase = _phase(f.function, table)
            if phase:
                inner = next(g.function for g in frames if _phase(g.function, table) == phase)
                return phase, inner
    return NO_PHASE, frames[0].function if frames else ""


PHASE_COLUMNS = ["phase", "value", "share", "top functions"]


def phases(traces: Traces, *, rules: Sequence[tuple[str, str]] = PHASE_RULES,
           fallback: Sequence[tuple[str, str]] = FALLBACK_RULES, top: int = 3) -> "pd.DataFrame":
    """Samples grouped by compiler phase (see PHASE_RULES and FALLBACK_RULES), in pipeline order.

    Columns: phase, value (in the profile's unit), share (of all samples, 0-1), and the `top` functions that
    decided the phase of most samples, each with its share (`ssa.applyRewrite 6%`).
    """
    import pandas as pd

    total = traces.total or 1.0
    by_phase: dict[str, dict[str, float]] = {}
    for t in traces.traces:
        phase, fn = phase_of(t.frames, rules, fallback)
        funcs = by_phase.setdefault(phase, {})
        funcs[fn] = funcs.get(fn, 0.0) + t.value
    order = [p for p in PHASE_ORDER if p in by_phase] + sorted(p for p in by_phase if p not in PHASE_ORDER)
    rows = []
    for phase in order:
        funcs = by_phase[phase]
        best = sorted(funcs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        rows.append({"phase": phase, "value": sum(funcs.values()), "share": sum(funcs.values()) / total,
                     "top functions": ", ".join(f"{short_function(f)} {_pct(v / total)}" for f, v in best)})
    return pd.DataFrame(rows, columns=PHASE_COLUMNS)


def _pct(share: float) -> str:
    return f"{share:.0%}" if share >= 0.095 else f"{share:.1%}"


def short_function(function: str) -> str:
    """A symbol without its package directory: `cmd/compile/internal/ssa.(*Func).Fatalf` -> `ssa.(*Func).Fatalf`."""
    pkg = package_of(function)
    return function[pkg.rfind("/") + 1:] if "/" in pkg else function



# ---------------------------------------------------------------- a profile and what it reads

@dataclass(frozen=True)
class Profile:
    """A profile file (pprof's protobuf), the toolchain whose `go tool pprof` reads it, and how to run it.

    `what` says what was profiled; `trim` lists path prefixes cut from file names in -lines reports
    (GOROOT becomes `$GOROOT`, a program's module directory disappears).
    """

    data: bytes = field(repr=False)
    what: str
    toolchain: "Toolchain" = field(repr=False)
    trim: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    binary: Path | None = field(default=None, repr=False)   # the program that wrote it (-disasm reads its code)
    #: runs `go tool pprof ARGS` on the profile and returns its text (handed over by the stage that made it)
    report: "Callable[[Profile, tuple[str, ...]], str] | None" = field(default=None, repr=False, compare=False)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def text(self, *args: str) -> str:
        """The raw report of `go tool pprof ARGS PROFILE` (run by the stage that made the profile; cached by the
        profile's content and ARGS), with the trimmed path prefixes replaced."""
        if not all(isinstance(a, str) and a.startswith("-") for a in args):
            raise UsageError(f"pprof report options look like '-top' or '-sample_index=alloc_space'; got {args!r}")
        if self.report is None:
            raise UsageError("this profile came without go tool pprof to read it")
        text = self.report(self, args)
        for prefix, repl in self.trim:
            text = text.replace(prefix, repl)
        return text

    def top(self, *, sample_index: str | None = None, lines: bool = False, cum: bool = False,
            nodecount: int | None = None) -> Top:
        """`-top`: the hottest functions (with `lines=True`, source lines), by flat or (`cum=True`) cumulative value."""
        args = ["-top"] + (["-lines"] if lines else []) + (["-cum"] if cum else [])
        if nodecount is not None:
            if isinstance(nodecount, bool) or not isinstance(nodecount, int) or nodecount < 1:
                raise UsageError(f"nodecount is a whole number >= 1, like nodecount=20; got {nodecount!r}")
            args.append(f"-nodecount={nodecount}")
        return parse_top(self.text(*args, *_index(sample_index)))

    def traces(self, *, sample_index: str | None = None) -> Traces:
        """`-traces`: every sample with its whole stack."""
        return parse_traces(self.text("-traces", *_index(sample_index)))

    def lines(self, *, sample_index: str | None = None) -> Traces:
        """`-traces -lines`: every sample with its whole stack, each frame `function file:line`."""
        return parse_traces(self.text("-traces", "-lines", *_index(sample_index)))

    def disasm(self, regex: str, *, sample_index: str | None = None) -> Disasm:
        """`-disasm=REGEX`: the machine code of the functions whose name matches, with samples per instruction
        (needs the profiled binary: `binary=`)."""
        if self.binary is None:
            raise UsageError("-disasm reads the machine code of the profiled program: this profile has no binary")
        if not isinstance(regex, str) or not regex or regex.startswith("-"):
            raise UsageError(f"regex is a Go regular expression matching function names; got {regex!r}")
        return parse_disasm(self.text(f"-disasm={regex}", *_index(sample_index)))

    def phases(self, *, top: int = 3) -> "pd.DataFrame":
        """This (compiler or linker) CPU profile's samples grouped by compiler phase: see `phases`."""
        return phases(self.traces(), top=top)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the profile file (for `go tool pprof -http=: FILE` in a terminal)."""
        p = Path(path)
        p.write_bytes(self.data)
        return p

    def __repr__(self) -> str:
        return f"<Profile {self.what}: {len(self.data):,} bytes, go{self.toolchain.version}>"


SAMPLE_INDEX_RE = re.compile(r"^[A-Za-z_][\w]*$")


def _index(sample_index: str | None) -> list[str]:
    if sample_index is None:
        return []
    if not isinstance(sample_index, str) or not SAMPLE_INDEX_RE.match(sample_index):
        raise UsageError(f"sample_index names a sample type, like 'alloc_space' or 'inuse_objects'; got "
                         f"{sample_index!r}")
    return [f"-sample_index={sample_index}"]


# ---------------------------------------------------------------- a CPU profile of the learner's program

#: The test gokit.profile generates calls main from this function (its frames are gokit's, not yours)
TEST_NAME = "TestGokitProfile"
LINE_COLUMNS = ["file", "line", "samples", "share", "flat", "cum", "code"]
INSTRUCTION_COLUMNS = ["function", "pc", "address", "op", "args", "flat", "cum", "file", "line"]


@dataclass(frozen=True)
class CPUProfile:
    """A CPU profile of your program: samples per source line (`.lines`) and per instruction (`.instructions`).

    `.lines`: one row per line of your files with samples: `samples` (seconds of CPU time whose innermost
    frame in your code was on that line: the runtime work it called and the runtime's interruptions of it
    count for it), `share` of all samples, and pprof's own `flat`/`cum` for the line (`-top -lines`).
    `.instructions`: one row per instruction of your functions with samples (`-disasm`): `pc` is its offset
    in the function, as in `gokit.asm`; `flat` the samples taken while it executed, `cum` while it or what
    it called did. `.profile` is the raw profile (`.top()`, `.traces()`, `.save(path)`).
    """

    profile: Profile = field(repr=False)
    files: tuple[tuple[str, tuple[str, ...]], ...] = field(repr=False)    # your files and their lines
    runs: int = 1
    wall: float = 0.0          # seconds the runs took
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)
    package: str = "main"      # the names gokit gives your functions (main.f)
    test_package: str = "play"  # the names they have in the test binary (play.f)

    @property
    def total(self) -> float:
        """Seconds of CPU time sampled (each sample stands for 10 ms)."""
        return float(self.profile_traces.total)

    @cached_property
    def profile_traces(self) -> Any:
        return self.profile.lines()

    @cached_property
    def lines(self) -> "pd.DataFrame":
        import pandas as pd

        from .pprof import _split_name

        own = {name for name, _ in self.files}
        texts = dict(self.files)
        per: dict[tuple[str, int], float] = {}
        for t in self.profile_traces.traces:
            for f in t.frames:
                _, file, line, _ = _split_name(f.function)
                if file in own and line is not None and TEST_NAME not in f.function:
                    per[(file, line)] = per.get((file, line), 0.0) + t.value
                    break
        top = self.profile.top(lines=True, nodecount=100000).frame()
        flat: dict[tuple[str, int], float] = {}
        cum: dict[tuple[str, int], float] = {}
        for r in top.itertuples(index=False):
            if r.file in own and r.line is not None and not (isinstance(r.line, float) and r.line != r.line):
                k = (str(r.file), int(r.line))
                flat[k] = flat.get(k, 0.0) + float(r.flat)
                cum[k] = max(cum.get(k, 0.0), float(r.cum))
        total = self.total or 1.0
        keys = sorted(set(per) | set(flat), key=lambda k: (-per.get(k, 0.0), k))
        rows = [(f, ln, per.get((f, ln), 0.0), per.get((f, ln), 0.0) / total, flat.get((f, ln), 0.0),
                 cum.get((f, ln), 0.0), _code(texts.get(f, ()), ln)) for f, ln in keys]
        return pd.DataFrame(rows, columns=LINE_COLUMNS)

    def sampled(self, go: str | None, goarch: str | None) -> bool:
        """True when code built by Go `go` for `goarch` is the code this profile sampled (same Go, this machine)."""
        tc = self.profile.toolchain
        return go == tc.version and goarch == tc.goarch

    @cached_property
    def instructions(self) -> "pd.DataFrame":
        import pandas as pd

        prefix = self.test_package + "."
        d = self.profile.disasm(go_regexp_quote(prefix))
        rows = []
        for r in d.routines:
            if not r.name.startswith(prefix) or TEST_NAME in r.name:
                continue
            name = self.package + "." + r.name[len(prefix):]
            for i in r.instructions:
                rows.append((name, i.address - r.start, i.address, i.op, i.args, i.flat, i.cum, i.file, i.line))
        return pd.DataFrame(rows, columns=INSTRUCTION_COLUMNS).astype({"line": "Int64"})

    def hottest_line(self, file: str | None = None) -> int:
        """The line of your code with the most samples (of `file`, default: the first file)."""
        f = file or self.files[0][0]
        df = self.lines[self.lines["file"] == f]
        if df.empty:
            raise GokitError("the profile holds no sample in your code: the program ran too briefly for the "
                             "profiler (100 samples a second of CPU). Give it more work or more seconds.")
        return int(df.sort_values(["samples", "line"], ascending=[False, True]).iloc[0]["line"])

    def line_shares(self, file: str | None = None) -> dict[int, float]:
        """line -> share of all samples (0-1), for painting."""
        f = file or self.files[0][0]
        df = self.lines[self.lines["file"] == f]
        return {int(ln): float(s) for ln, s in zip(df["line"], df["share"])}

    def instruction_shares(self, function: str) -> dict[int, float]:
        """pc -> share of all samples taken at (cum) that instruction of `function` (gokit's spelling, main.f)."""
        df = self.instructions[self.instructions["function"] == function]
        total = self.total or 1.0
        return {int(pc): float(c) / total for pc, c in zip(df["pc"], df["cum"]) if c}

    def _repr_html_(self) -> str:
        return str(_display.show(self, "html"))

    def __repr__(self) -> str:
        return (f"<CPUProfile {self.total:.2f} s of samples over {self.runs} run(s) in {self.wall:.2f} s, "
                f"go{self.profile.toolchain.version}>")


def _code(lines: Sequence[str], n: int) -> str:
    return lines[n - 1].strip() if 0 < n <= len(lines) else ""
