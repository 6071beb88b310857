"""The go command's own accounts of a build, parsed: `go build -x` steps, `-debug-actiongraph` actions,
`-debug-trace` spans and `GODEBUG=gocachehash=1` cache-key inputs, and the BuildGraph they make together.
Pure functions of text."""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Sequence

from .. import _display
from ..errors import ParseError, UsageError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ..source.toolchain import Toolchain

HEREDOC_RE = re.compile(r"^cat >(?P<file>\S+) << '(?P<tag>\w+)'(?P<internal> # internal)?$")
WORK_RE = re.compile(r"^WORK=(?P<work>\S+)$")
PKG_FLAG_RE = re.compile(r"(?:^|\s)-p (?P<pkg>\S+)")
OUT_FLAG_RE = re.compile(r"(?:^|\s)-o (?P<out>\S+)")
ENV_PREFIX_RE = re.compile(r"^(?:[A-Z_][A-Z0-9_]*='[^']*' )+")
_TOOLS = {"compile": "compile", "asm": "assemble", "link": "link", "pack": "pack", "buildid": "buildid",
          "cgo": "cgo", "vet": "vet", "cover": "cover"}

STEP_COLUMNS = ["n", "action", "package", "tool", "internal", "output", "command"]


@dataclass(frozen=True)
class Step:
    """One line (or here-document) of `go build -x` output."""

    n: int
    action: str       # compile, assemble, link, pack, buildid, write, cache-copy, mkdir, cd, mv, rm, exec, ...
    package: str      # import path from -p, or ""
    tool: str         # basename of the program, or "" for shell built-ins the go command mimics
    internal: bool    # marked `# internal`: the go command did it itself (mkdir, cd, cp, mv and rm are in-process too, unmarked)
    output: str
    command: str


def parse_x(text: str, gocache: str | os.PathLike[str] | None = None) -> list[Step]:
    """Parse `go build -x` / `go run -x` stderr into steps (here-documents folded into one step)."""
    steps: list[Step] = []
    lines = text.splitlines()
    i = 0
    cache_prefix = os.fspath(gocache) if gocache else None
    while i < len(lines):
        raw = lines[i]
        i += 1
        line = raw.strip()
        if not line or line.startswith("# "):  # blank, or a `# pkg` header of -n
            continue
        m = HEREDOC_RE.match(line)
        if m:
            body = []
            while i < len(lines) and lines[i] != m.group("tag"):
                body.append(lines[i])
                i += 1
            i += 1  # the closing tag
            steps.append(Step(len(steps), "write", "", "", bool(m.group("internal")), m.group("file"),
                              line + "\n" + "\n".join(body)))
            continue
        if line.startswith("#") or not line:
            continue
        internal = line.endswith("# internal")
        cmd = line[: -len("# internal")].rstrip() if internal else line
        steps.append(_classify(len(steps), cmd, internal, cache_prefix))
    return steps


def _classify(n: int, cmd: str, internal: bool, cache_prefix: str | None) -> Step:
    if WORK_RE.match(cmd):
        # WORK=... is never marked # internal: cmd/go/internal/work/action.go:318 prints it plainly (1.22 likewise)
        return Step(n, "workdir", "", "", False, WORK_RE.match(cmd).group("work"), cmd)  # type: ignore[union-attr]
    bare = ENV_PREFIX_RE.sub("", cmd)
    word = bare.split(" ", 1)[0]
    rest = bare[len(word):].strip()
    tool = os.path.basename(word)
    pkg = PKG_FLAG_RE.search(bare)
    out = OUT_FLAG_RE.search(bare)
    package = pkg.group("pkg") if pkg else ""
    output = out.group("out") if out else ""
    if word == "go" and rest.startswith("tool "):
        tool = rest.split()[1]
    if tool in _TOOLS and (os.sep in word or word == "go"):
        action = _TOOLS[tool]
        if tool == "buildid":
            output = bare.split()[-1]
        return Step(n, action, package, tool, internal, output, cmd)
    if word in ("mkdir", "cd", "mv", "rm", "cp", "touch", "cat", "echo"):
        parts = bare.split()
        action = {"rm": "remove", "mv": "move", "cp": "copy"}.get(word, word)
        if word == "cp" and cache_prefix and len(parts) >= 3 and parts[-1].startswith(cache_prefix):
            action = "cache-copy"
        return Step(n, action, "", word, internal, parts[-1] if len(parts) > 1 else "", cmd)
    return Step(n, "exec", "", tool, internal, "", cmd)


_X_LINE_RE = re.compile(r"^(?:WORK=|mkdir |cd |cp |mv |rm |touch |echo |go tool |[A-Z_]+='[^']*' |/\S+/pkg/tool/)")


def strip_x(stderr: str) -> str:
    """stderr of a `-x` build without the trace lines: what the learner needs to read (errors)."""
    kept: list[str] = []
    lines = stderr.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = HEREDOC_RE.match(line.strip())
        if m:
            while i < len(lines) and lines[i] != m.group("tag"):
                i += 1
            i += 1
            continue
        if not _X_LINE_RE.match(line):
            kept.append(line)
    return "\n".join(kept) + ("\n" if kept else "")


def steps_frame(steps: Sequence[Step]) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame([s.__dict__ for s in steps], columns=STEP_COLUMNS)


def link_cfg(steps: "pd.DataFrame") -> str | None:
    """The importcfg.link the build wrote for the linker (its here-document), if the build linked."""
    rows = steps[(steps["action"] == "write") & steps["output"].str.endswith("importcfg.link")]
    return None if rows.empty else str(rows.iloc[0]["command"])


# ---------------------------------------------------------------- the action graph, the trace, the cache keys

# HASH[build play]: "file main.go Hojf6E5bisVxDDGur-hd\n"   /   HASH[build play]: <64 hex digits>
HASH_LINE_RE = re.compile(r'^HASH\[(?P<name>[^\]]+)\](?:: (?:(?P<quoted>".*")|(?P<sum>[0-9a-f]{64})))?$')
# 2026-11-27T14:19:57.263124414Z  (RFC 3339 with nanoseconds, trailing zeros dropped; or a +hh:mm offset)
TIME_RE = re.compile(r"^(?P<date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(?P<frac>\d{1,9}))?(?P<tz>Z|[+-]\d\d:\d\d)$")
# Executing action (build check cache internal/goarch)
TRACE_ACTION_RE = re.compile(r"^Executing action \((?P<mode>.+) (?P<package>\S+)\)$")

ACTION_COLUMNS = ["id", "mode", "package", "ran", "tools", "start_s", "end_s", "cmd_s", "action_id", "deps"]


def rfc3339_seconds(text: str | None) -> float | None:
    """Seconds since the epoch of a Go time in JSON (RFC 3339, nanoseconds); None for Go's zero time or null."""
    import calendar

    if not text:
        return None
    m = TIME_RE.match(text)
    if m is None:
        raise ParseError("a time in the action graph is not RFC 3339", text)
    if m.group("date").startswith("0001-"):
        return None
    t = calendar.timegm(time.strptime(m.group("date"), "%Y-%m-%dT%H:%M:%S"))
    tz = m.group("tz")
    if tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        t -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    return t + int((m.group("frac") or "0").ljust(9, "0")) / 1e9


@dataclass(frozen=True)
class Action:
    """One node of `go build -debug-actiongraph`: a package to build (or check), the link, or a no-op."""

    id: int
    mode: str              # build, build check cache (Go 1.26+), link, link-install, nop, built-in package
    package: str
    deps: tuple[int, ...]
    action_id: str         # the cache key (20 characters), when the go command computed one
    ran: bool              # a command ran for it (compile, asm, link ...): Cmd is not null; else GOCACHE served it
    tools: tuple[str, ...]  # the programs its commands ran, first use first: ("asm", "compile") ... (() when none)
    start: float | None    # seconds since the epoch
    end: float | None
    cmd_seconds: float     # wall time of all its commands together (CmdReal), 0 when none ran


def parse_actiongraph(text: str) -> tuple[Action, ...]:
    """Parse the JSON `go build -debug-actiongraph=FILE` writes (a pure function of text)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ParseError(f"the action graph is not JSON: {e.msg}", text[max(0, e.pos - 40):e.pos + 40]) from None
    if not isinstance(data, list):
        raise ParseError("the action graph is not a JSON array of actions")
    out = []
    for a in data:
        cmd = a.get("Cmd") or []
        tools = tuple(dict.fromkeys(os.path.basename(c.split(" ", 1)[0]) for c in cmd))
        out.append(Action(int(a["ID"]), a.get("Mode", ""), a.get("Package", ""), tuple(a.get("Deps") or ()),
                          a.get("ActionID", ""), bool(cmd), tools, rfc3339_seconds(a.get("TimeStart")),
                          rfc3339_seconds(a.get("TimeDone")), (a.get("CmdReal") or 0) / 1e9))
    return tuple(out)


@dataclass(frozen=True)
class Span:
    """One begin/end pair of `go build -debug-trace` (Chrome trace events): what ran on which worker, when."""

    name: str
    tid: int        # the go command's worker goroutine (one per parallel build slot)
    start: float    # seconds since the epoch
    end: float

    @property
    def mode_package(self) -> tuple[str, str] | None:
        """("build", "fmt") for an 'Executing action (build fmt)' span, else None."""
        m = TRACE_ACTION_RE.match(self.name)
        return (m.group("mode"), m.group("package")) if m else None


def parse_build_trace(text: str) -> tuple[Span, ...]:
    """Parse `go build -debug-trace=FILE` (a JSON array of B/E events, µs since the epoch) into closed spans."""
    try:
        events = json.loads(text)
    except json.JSONDecodeError as e:
        raise ParseError(f"the build trace is not JSON: {e.msg}") from None
    open_: dict[tuple[int, str], list[float]] = {}
    spans = []
    for ev in events:
        ph = ev.get("ph")
        if ph not in ("B", "E"):
            continue  # flow events (s, f) link actions; the spans are what ran
        key = (int(ev.get("tid", 0)), ev.get("name", ""))
        if ph == "B":
            open_.setdefault(key, []).append(float(ev["ts"]) / 1e6)
        elif open_.get(key):
            start = open_[key].pop()
            spans.append(Span(key[1], key[0], start, float(ev["ts"]) / 1e6))
    return tuple(sorted(spans, key=lambda s: (s.start, s.tid)))


@dataclass(frozen=True)
class HashRecord:
    """What went into one cache key (`GODEBUG=gocachehash=1`): the inputs, in order, and the SHA-256 sum."""

    name: str                  # "build play", "link play", "build fmt" ...
    inputs: tuple[str, ...]
    sum: str                   # 64 hex digits ("" when the sum line was not printed)

    @property
    def action_id(self) -> str:
        """The 20-character action ID the go command derives from the sum (see action_id())."""
        return action_id(self.sum) if self.sum else ""


def action_id(sum_hex: str) -> str:
    """The go command's 20-character ID of a 32-byte hash: base64url of its first 15 bytes
    (cmd/internal/buildid HashToString)."""
    import base64

    try:
        raw = bytes.fromhex(sum_hex)
    except (TypeError, ValueError):
        raw = b""
    if len(raw) != 32:
        raise UsageError(f"an action hash is 64 hex digits; got {sum_hex!r}")
    return base64.urlsafe_b64encode(raw[:15]).decode()


def parse_gocachehash(text: str) -> tuple[HashRecord, ...]:
    """The `HASH[action]` records of stderr under GODEBUG=gocachehash=1 (file and subkey lines are skipped)."""
    import ast

    records: dict[str, tuple[list[str], list[str]]] = {}
    order: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("HASH["):
            continue
        m = HASH_LINE_RE.match(line)
        if m is None:
            raise ParseError("a HASH[...] line of GODEBUG=gocachehash=1 has an unknown form", line, lineno)
        name = m.group("name")
        if m.group("quoted") is None and m.group("sum") is None:  # the header starts a new record
            records[name] = ([], [])
            order.append(name)
            continue
        inputs, sums = records.setdefault(name, ([], []))
        if name not in order:
            order.append(name)
        if m.group("sum"):
            sums.append(m.group("sum"))
        else:
            try:
                inputs.append(ast.literal_eval(m.group("quoted")))
            except (ValueError, SyntaxError):
                raise ParseError("a HASH input is not a quoted string", line, lineno) from None
    return tuple(HashRecord(n, tuple(records[n][0]), records[n][1][-1] if records[n][1] else "") for n in order)


@dataclass(frozen=True)
class BuildGraph:
    """One real `go build` run now: its actions (ran or served from GOCACHE), its trace, its cache keys, its output."""

    actions: tuple[Action, ...] = field(repr=False)
    spans: tuple[Span, ...] = field(repr=False)
    hashes: tuple[HashRecord, ...] = field(repr=False)
    x_trace: str = field(repr=False)
    wall: float
    size: int
    format: str
    sha256: str = field(repr=False)
    toolchain: "Toolchain" = field(repr=False)
    head: bytes = field(default=b"", repr=False)  # the output's first 16 bytes (its magic number)
    env: dict[str, str] = field(default_factory=dict, repr=False)
    flags: tuple[str, ...] = ()
    private_cache: bool = False

    @property
    def target(self) -> str:
        return f"{self.env.get('GOOS', self.toolchain.goos)}/{self.env.get('GOARCH', self.toolchain.goarch)}"

    @property
    def messages(self) -> str:
        """What go build printed besides its -x trace (warnings, notes): usually nothing."""
        return strip_x(self.x_trace).strip()

    def _builds(self) -> list[Action]:
        return [a for a in self.actions if a.mode == "build" and a.package]

    @property
    def compiled(self) -> list[str]:
        """Packages compiled in this build (their build action ran the compiler)."""
        return sorted(a.package for a in self._builds() if a.ran)

    @property
    def from_cache(self) -> list[str]:
        """Packages whose compiled form GOCACHE served (their build action ran no command)."""
        return sorted(a.package for a in self._builds() if not a.ran)

    @property
    def cache_misses(self) -> int:
        return len(self.compiled)

    @property
    def cache_hits(self) -> int:
        return len(self.from_cache)

    @property
    def linked(self) -> bool:
        """True when the linker ran (go build never caches the executable it writes)."""
        return any(a.ran and a.mode == "link" for a in self.actions)

    @cached_property
    def steps(self) -> "pd.DataFrame":
        """The `go build -x` steps of this build (see parse_x)."""
        return steps_frame(parse_x(self.x_trace, self.toolchain.gocache))

    @property
    def t0(self) -> float:
        starts = [s.start for s in self.spans] + [a.start for a in self.actions if a.start]
        return min(starts) if starts else 0.0

    @property
    def frame(self) -> "pd.DataFrame":
        """One row per action: id, mode, package, ran, tools, start_s/end_s (since the build began), cmd_s, action_id."""
        import pandas as pd

        t0 = self.t0
        rows = [(a.id, a.mode, a.package, a.ran, " ".join(a.tools), None if a.start is None else a.start - t0,
                 None if a.end is None else a.end - t0, a.cmd_seconds, a.action_id, len(a.deps)) for a in self.actions]
        return pd.DataFrame(rows, columns=ACTION_COLUMNS)

    def compile_times(self) -> "pd.DataFrame":
        """Packages built in this build, slowest first: package, seconds (the wall time of its compile and asm
        commands), share of the total."""
        import pandas as pd

        rows = sorted(((a.package, a.cmd_seconds) for a in self._builds() if a.ran), key=lambda r: -r[1])
        df = pd.DataFrame(rows, columns=["package", "seconds"])
        total = df["seconds"].sum()
        df["share"] = df["seconds"] / total if total else 0.0
        return df

    @property
    def workers(self) -> int:
        """How many worker lanes the go command used for actions (its -p parallelism, as seen in the trace)."""
        return len({s.tid for s in self.spans if s.mode_package})

    def busy(self) -> "pd.DataFrame":
        """The actions that ran a command, as trace spans: package, worker, start_s, end_s (since the build began)."""
        import pandas as pd

        ran = {(a.mode, a.package) for a in self.actions if a.ran}
        t0 = self.t0
        rows = [(s.mode_package[1], s.mode_package[0], s.tid, s.start - t0, s.end - t0) for s in self.spans
                if s.mode_package and s.mode_package in ran]
        return pd.DataFrame(rows, columns=["package", "mode", "worker", "start_s", "end_s"])

    def max_parallel(self) -> int:
        """The most commands (compile, link ...) that ran at the same moment in this build."""
        b = self.busy()
        points = sorted([(s, 1) for s in b["start_s"]] + [(e, -1) for e in b["end_s"]], key=lambda p: (p[0], p[1]))
        cur = best = 0
        for _, d in points:
            cur += d
            best = max(best, cur)
        return best

    def timeline(self, *, ax: Any = None, label_top: int = 8, title: str | None = None) -> "Figure":
        """The build as a timeline (-debug-trace): one lane per worker, a bar per action; compiles in blue
        (the slowest named), cache checks and hits in grey, the link in red."""
        return _display.show(self, "timeline", ax=ax, label_top=label_top, title=title)

    def hash_of(self, name: str = "build play") -> HashRecord:
        """The cache-key inputs of one action ("build play" is the main package), from GODEBUG=gocachehash=1."""
        for h in self.hashes:
            if h.name == name:
                return h
        known = ", ".join(sorted({h.name for h in self.hashes})[:8])
        raise UsageError(f"no hash record {name!r} in this build" + (f"; some it has: {known}" if known else
                         "; build with hashes=True to record them"))

    def action(self, mode: str, package: str) -> Action:
        for a in self.actions:
            if (a.mode, a.package) == (mode, package):
                return a
        raise UsageError(f"this build has no {mode!r} action for {package!r}")

    def summary(self) -> str:
        """One line: what this build did."""
        where = "a private GOCACHE" if self.private_cache else "GOCACHE"
        return (f"go build {self.target} in {self.wall:.2f} s: {self.cache_misses} "
                f"package{'' if self.cache_misses == 1 else 's'} compiled, "
                f"{self.cache_hits} served from {where}, linked: {'yes' if self.linked else 'no'}")

    def _repr_html_(self) -> str:
        import html

        return f"<div>{html.escape(self.summary())}</div>"

    def __repr__(self) -> str:
        return f"<BuildGraph {self.summary()}>"
