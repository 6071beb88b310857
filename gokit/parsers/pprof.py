"""`go tool pprof`'s reports read into tables: the `-top` table, every sample's stack (`-traces`), the samples per
instruction (`-disasm`).

The parsers are pure functions of pprof's text output (header lines `File:`, `Type:`, `Duration:`, then a
table or sample blocks); values keep pprof's units, converted to one base unit per profile: seconds for
CPU time, bytes for memory (pprof's kB is 1024 bytes), plain numbers for counts. Names keep what pprof
printed; with `-lines` a name is `function file:line`, split into columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ParseError
from . import instruction
from .names import package_of

if TYPE_CHECKING:
    import pandas as pd

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


def split_name(raw: str) -> tuple[str, str, int | None, str]:
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
        function, file, lineno, inline = split_name(m.group("name"))
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
class DisasmInstruction(instruction.Instruction):
    """One instruction of a `-disasm` routine: where it is (`pc` is its address), what it is, and the samples taken
    there (flat: while it executed; cum: while it, or something it called, executed). `file` is the base name
    pprof prints (carried down from the last location it printed)."""

    flat: float = 0.0
    cum: float = 0.0

    @property
    def address(self) -> int:
        return self.pc


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
        op, _, args = m.group("inst").strip().partition(" ")
        insts.append(DisasmInstruction(name, int(m.group("addr"), 16), file, line, op, args.strip(),
                                       flat=value(m.group("flat")), cum=value(m.group("cum"))))
    flush()
    if total is None:
        raise ParseError("no `Total:` line: this is not a pprof -disasm report")
    return Disasm(total, unit, tuple(routines))
