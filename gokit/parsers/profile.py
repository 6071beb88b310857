"""A profile and what reads it: a Profile (the file, the toolchain whose `go tool pprof` reads it, and the report
runner the stage that made it hands over) and a CPUProfile (your program's samples per source line and per
instruction)."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .. import _display
from ..errors import GokitError, UsageError
from .objdump import go_regexp_quote
from .phases import phases
from .pprof import Disasm, Top, Traces, parse_disasm, parse_top, parse_traces, split_name

if TYPE_CHECKING:
    import pandas as pd

    from ..source.toolchain import Toolchain

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

        own = {name for name, _ in self.files}
        texts = dict(self.files)
        per: dict[tuple[str, int], float] = {}
        for t in self.profile_traces.traces:
            for f in t.frames:
                _, file, line, _ = split_name(f.function)
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
