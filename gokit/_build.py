"""The build layer: `go build -x` into gokit's cache (or fresh), its steps as a table, cache hits and misses."""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from . import _cache as cache
from . import _run
from ._pkg import target_env
from ._source import Source, as_source
from ._toolchain import Toolchain
from ._toolchain import toolchain as default_toolchain
from .errors import GoToolError, ParseError, StaleTraceError, UsageError, advice_for

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH   (cmd/go, any release)
C_COMPILER_MISSING_RE = re.compile(r'cgo: C compiler "[^"]*" not found')
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


def flag_list(name: str, value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        value = " ".join(value)
    if isinstance(value, str) and not any(c in value for c in "\n\r\x00"):
        return [f"-{name}={value}"]
    raise UsageError(f"{name} must be a string like '-s -w'; got {value!r}")


def _link_cfg(steps: "pd.DataFrame") -> str | None:
    """The importcfg.link the build wrote for the linker (its here-document), if the build linked."""
    rows = steps[(steps["action"] == "write") & steps["output"].str.endswith("importcfg.link")]
    return None if rows.empty else str(rows.iloc[0]["command"])


@dataclass(frozen=True)
class Build:
    """A linked program: where the binary is, how big, and (for a build that ran now) what `go build -x` did.

    `cached` is True when gokit served the binary from its own cache without running go: such a
    Build has no trace of *this* build, so `.steps`, `.cache_hits` and `.cache_misses` refuse
    with advice (use `gokit.build(src, fresh=True)` to see what go build does now).
    """

    binary: Path
    size: int
    x_trace: str = field(repr=False, compare=False)  # the raw `go build -x` stderr of the build that made it
    wall: float
    cached: bool
    toolchain: Toolchain = field(repr=False)
    flags: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def _fresh_trace(self) -> str:
        if self.cached:
            raise StaleTraceError(
                "this binary came from gokit's own cache: go build did not run now, so there are no steps, "
                "cache hits or misses of this build to show. Use gokit.build(src, fresh=True) to run go build "
                "again and see what it does today.")
        return self.x_trace

    @cached_property
    def steps(self) -> "pd.DataFrame":
        """This build's steps as a table (see parse_x); parsed on first use."""
        return steps_frame(parse_x(self._fresh_trace(), self.toolchain.gocache))

    @property
    def cache_misses(self) -> int:
        """Packages compiled in this build (not found in GOCACHE)."""
        return int((self.steps["action"] == "compile").sum())

    @property
    def cache_hits(self) -> int:
        """Packages linked from GOCACHE without compiling."""
        link_cfg = _link_cfg(self.steps)
        if link_cfg is None:
            return 0
        n = link_cfg.count("\npackagefile ")
        return max(0, n - self.cache_misses)

    def __repr__(self) -> str:
        how = "from gokit's cache" if self.cached else f"built in {self.wall:.2f} s"
        target = f"{self.env.get('GOOS', self.toolchain.goos)}/{self.env.get('GOARCH', self.toolchain.goarch)}"
        return f"<Build {self.binary.name}: {self.size:,} bytes, {target}, go{self.toolchain.version}, {how}>"


def build(src: Source | str | bytes | os.PathLike[str], *, ldflags: str | Sequence[str] | None = None,
          gcflags: str | Sequence[str] | None = None, goos: str | None = None, goarch: str | None = None,
          buildmode: str | None = None, cgo: bool = False, gocache: str | os.PathLike[str] | None = None,
          fresh: bool = False, progress: bool = False, toolchain: Toolchain | None = None,
          timeout: float = 300) -> Build:
    """`go build -x` the program into gokit's cache; a repeat returns the cached binary at once.

    fresh=True always runs go build (Go's own cache still decides what it recompiles), so the
    Build's steps, cache hits and misses describe this very build.
    buildmode: go build's `-buildmode` ("pie", ...; default exe). cgo=True builds with CGO_ENABLED=1 (gokit's
    default is 0), so a program that imports "C" builds, with the C compiler go finds (`go env CC`); the go
    command then links externally. gocache: a GOCACHE directory for this build instead of the toolchain's (e.g.
    `scratch_gocache()`, to keep a cross or -shared compile of the standard library out of yours); the binary
    is still kept in gokit's cache, so a repeat starts nothing. progress=True shows a bar naming the build while
    go runs (never for a binary gokit already has).
    """
    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(timeout)
    src = as_source(src)
    src.check_buildable()
    env = target_env(tc, goos, goarch)
    if buildmode is not None and not (isinstance(buildmode, str) and re.fullmatch(r"[a-z-]+", buildmode)):
        raise UsageError(f"buildmode is a word go build knows, like 'pie' or 'exe'; got {buildmode!r}")
    if not isinstance(cgo, bool):
        raise UsageError(f"cgo is True or False; got {cgo!r}")
    if cgo:
        env["CGO_ENABLED"] = "1"
    flags = tuple(flag_list("ldflags", ldflags) + flag_list("gcflags", gcflags)
                  + ([f"-buildmode={buildmode}"] if buildmode else []))
    gomod = src.gomod(tc)
    k = cache.key("build", tc.version, str(tc.go), src.digest, gomod.decode(), flags, env)
    # where go keeps the packages it compiles: not part of gokit's key (the binary is the same)
    run_env = {**env, "GOCACHE": os.fspath(gocache)} if gocache is not None else env
    name = src._module_path(tc).rsplit("/", 1)[-1] + (".exe" if env.get("GOOS", tc.goos) == "windows" else "")
    meta_path = cache.path("builds", k) / "build.json"
    if not fresh and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        binary = meta_path.parent / name
        if binary.is_file():
            return Build(binary, binary.stat().st_size, meta["x"], meta["wall"], True, tc, flags, env)
    moddir = src.materialize(tc)
    result: dict[str, Any] = {}

    def fill(tmp: Path) -> None:
        done = tc.go_cmd("build", "-x", *flags, "-o", str(tmp / name), ".", cwd=moddir, env=run_env,
                         timeout=timeout, check=False)
        if done.exit_code != 0:
            hint = advice_for(done.err)
            if cgo and C_COMPILER_MISSING_RE.search(done.err):
                hint = ("cgo needs a C compiler (go env CC names it; gcc by default) and there is none here: install "
                        "one (apt-get install gcc, xcode-select --install) or build without cgo.")
            raise GoToolError(done.argv, done.exit_code, strip_x(done.err), done.out, hint=hint)
        (tmp / "build.json").write_text(json.dumps({"x": done.err, "wall": done.wall}))
        result["done"] = done

    bar = None
    if progress:
        from ._progress import Progress

        what = " ".join(["go build", *flags, *(f"{k}={v}" for k, v in sorted(env.items()))])
        bar = Progress(1, desc=f"{what} (compiling what the build cache lacks)", unit="build")
    try:
        d = (cache.replace_dir if fresh else cache.install_dir)("builds", k, fill)
    finally:
        if bar is not None:
            bar.close()
    meta = json.loads((d / "build.json").read_text())
    binary = d / name
    return Build(binary, binary.stat().st_size, meta["x"], meta["wall"], "done" not in result, tc, flags, env)


#: (go binary, version) -> the C compiler `go env CC` names, found on PATH (None: not there)
_c_compilers: dict[tuple[str, str], str | None] = {}


def c_compiler(*, toolchain: Toolchain | None = None) -> str | None:
    """The C compiler a cgo build would use (`go env CC`, found on PATH), or None when there is none: what
    `gokit.build(src, cgo=True)` needs. Asked once per toolchain."""
    import shutil

    tc = toolchain or default_toolchain()
    key = (str(tc.go), tc.version)
    if key not in _c_compilers:
        cc = tc.go_cmd("env", "CC", env={"CGO_ENABLED": "1"}, timeout=60).out.strip().split()
        _c_compilers[key] = shutil.which(cc[0]) if cc else None
    return _c_compilers[key]


# ================================================================ the build cache, the build graph, targets
# (lessons 05/06: which actions ran and which came from GOCACHE, when, and why)

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


class ScratchCache(os.PathLike):  # type: ignore[type-arg]
    """A private, empty GOCACHE directory for cold builds (never the learner's own cache).

    Use it in a `with` block (it is removed at the end), or keep it and call `.remove()`; it lives in
    gokit's private temp dir, which is removed when the Python process ends anyway.
    """

    def __init__(self) -> None:
        from . import _tmp

        self.path = _tmp.mkdtemp("gocache-")

    def __fspath__(self) -> str:
        return str(self.path)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def size(self) -> int:
        """Bytes in it now."""
        return dir_size(self.path)

    def empty(self) -> None:
        """Make it empty again (a cold cache for the next build)."""
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)

    def remove(self) -> None:
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)

    def __repr__(self) -> str:
        return f"<ScratchCache: a private GOCACHE, {dir_size(self.path) / 1e6:.1f} MB>"


def scratch_gocache() -> ScratchCache:
    """A private, empty GOCACHE for cold builds (`with gokit.scratch_gocache() as d:`), removed afterwards."""
    return ScratchCache()


def dir_size(path: str | os.PathLike[str]) -> int:
    """Bytes of all files under path (0 when it does not exist): how much a GOCACHE holds."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


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
    toolchain: Toolchain = field(repr=False)
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
        import matplotlib.pyplot as plt

        if ax is None:
            fig, ax = plt.subplots(figsize=(10, 1.2 + 0.55 * max(1, self.workers)))
            plt.close(fig)
        else:
            fig = ax.figure
        ran = {(a.mode, a.package): a for a in self.actions if a.ran}
        t0 = self.t0
        lanes = sorted({s.tid for s in self.spans if s.mode_package})
        slow = set(self.compile_times()["package"].head(label_top))
        for s in self.spans:
            mp = s.mode_package
            if not mp:
                continue
            y = lanes.index(s.tid)
            did = mp in ran
            colour = "#c0392b" if did and mp[0].startswith("link") else "#4a6fa5" if did else "#bbbbbb"
            ax.barh(y, max(s.end - s.start, 1e-4), left=s.start - t0, height=0.7 if did else 0.35, color=colour,
                    edgecolor="white", linewidth=0.3)
            if did and mp[1] in slow and mp[0] == "build" and s.end - s.start > 0.02 * (self.wall or 1):
                ax.text((s.start + s.end) / 2 - t0, y, mp[1].rsplit("/", 1)[-1], ha="center", va="center",
                        fontsize=7, color="white", clip_on=True)
        ax.set_yticks(range(len(lanes)))
        ax.set_yticklabels([f"worker {i + 1}" for i in range(len(lanes))], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("seconds since go build started its actions", fontsize=9)
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color="#4a6fa5", label="compiled now"),
                           Patch(color="#bbbbbb", label="from GOCACHE, or a cache check"),
                           Patch(color="#c0392b", label="link")], fontsize=8, loc="lower right",
                  bbox_to_anchor=(1.0, 1.0), ncol=3, frameon=False)
        ax.set_title(title or f"go build {self.target}: {self.cache_misses} compiled, {self.cache_hits} from GOCACHE",
                     fontsize=10, loc="left")
        ax.grid(axis="x", alpha=0.3)
        fig.tight_layout()
        return fig

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
        cache = "a private GOCACHE" if self.private_cache else "GOCACHE"
        return (f"go build {self.target} in {self.wall:.2f} s: {self.cache_misses} package(s) compiled, "
                f"{self.cache_hits} served from {cache}, linked: {'yes' if self.linked else 'no'}")

    def _repr_html_(self) -> str:
        import html

        return f"<div>{html.escape(self.summary())}</div>"

    def __repr__(self) -> str:
        return f"<BuildGraph {self.summary()}>"


def _write_module(src: Source, tc: Toolchain, workdir: Path) -> None:
    """Put the program's files (and go.mod) into workdir, replacing what a previous version left there."""
    workdir.mkdir(parents=True, exist_ok=True)
    files = dict(src.files)
    files["go.mod"] = src.gomod(tc)
    for old in workdir.iterdir():
        if old.is_file() and old.name not in files and (old.suffix == ".go" or old.name == "go.mod"):
            old.unlink()
    for name, data in files.items():
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)


def build_graph(src: Source | str | bytes | os.PathLike[str], *, ldflags: str | Sequence[str] | None = None,
                gcflags: str | Sequence[str] | None = None, goos: str | None = None, goarch: str | None = None,
                all: bool = False, gocache: str | os.PathLike[str] | None = None, workdir: str | os.PathLike[str] | None = None,
                hashes: bool = False, output: str | os.PathLike[str] | None = None, toolchain: Toolchain | None = None,
                timeout: float = 600) -> BuildGraph:
    """Run `go build -x -debug-actiongraph -debug-trace` now and report what it did (never from gokit's cache).

    gocache: a GOCACHE directory to use instead of the toolchain's (e.g. `scratch_gocache()` for a cold
    build); all=True adds -a (rebuild everything); hashes=True sets GODEBUG=gocachehash=1 and keeps the
    inputs of every cache key. workdir: build in this directory (the program's files are written there,
    so edits happen in place; the directory is part of the main package's cache key), else in gokit's
    content-addressed copy of the program. The binary is measured (size, format from its magic bytes,
    SHA-256) and then removed, unless `output` names a file to keep it in.
    """
    import hashlib
    import shutil

    from . import _tmp
    from ._binary import file_format

    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(timeout)
    src = as_source(src)
    src.check_buildable()
    env = target_env(tc, goos, goarch)
    flags = tuple(flag_list("ldflags", ldflags) + flag_list("gcflags", gcflags)) + (("-a",) if all else ())
    if workdir is not None:
        moddir = Path(workdir)
        _write_module(src, tc, moddir)
    else:
        moddir = src.materialize(tc)
    run_env = dict(env)
    if gocache is not None:
        run_env["GOCACHE"] = os.fspath(gocache)
    if hashes:
        run_env["GODEBUG"] = "gocachehash=1"
    tmp = _tmp.mkdtemp("build-graph-")
    try:
        out = tmp / ("prog.exe" if env.get("GOOS") == "windows" else "prog")
        done = tc.go_cmd("build", "-x", f"-debug-actiongraph={tmp / 'actions.json'}",
                         f"-debug-trace={tmp / 'trace.json'}", *flags, "-o", str(out), ".", cwd=moddir, env=run_env,
                         timeout=timeout, check=False)
        err = done.err
        x_trace = "\n".join(ln for ln in err.splitlines() if not ln.startswith("HASH")) + "\n"
        if done.exit_code != 0:
            raise GoToolError(done.argv, done.exit_code, strip_x(x_trace), done.out, hint=advice_for(err))
        data = out.read_bytes()
        if output is not None:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(out, output)
        kind = file_format(data)
        return BuildGraph(parse_actiongraph((tmp / "actions.json").read_text()),
                          parse_build_trace((tmp / "trace.json").read_text()),
                          parse_gocachehash(err) if hashes else (), x_trace, done.wall, len(data), kind,
                          hashlib.sha256(data).hexdigest(), tc, data[:16], env, flags, gocache is not None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def target_files(package: str, targets: Sequence[tuple[str, str]], *, toolchain: Toolchain | None = None,
                 timeout: float = 120) -> "pd.DataFrame":
    """The files go build compiles for a standard-library package on each GOOS/GOARCH (`go list -f {{.GoFiles}}`).

    One row per target: target, files (count), only_here (files no other listed target compiles), the file list.
    """
    import pandas as pd

    tc = toolchain or default_toolchain()
    if not isinstance(package, str) or not package:
        raise UsageError("package is an import path, like 'runtime' or 'internal/goos'")
    lists: dict[str, list[str]] = {}
    for goos, goarch in targets:
        env = target_env(tc, goos, goarch)
        done = tc.go_cmd("list", "-e", "-f", "{{if .Error}}error: {{.Error}}{{else}}{{join .GoFiles \" \"}}{{end}}",
                         package, cwd=tc.goroot / "src", env=env, timeout=timeout)
        text = done.out.strip().replace(str(tc.goroot), "$GOROOT")
        if text.startswith("error: "):
            raise UsageError(f"go list {package} for {goos}/{goarch}: {text[len('error: '):]}")
        lists[f"{goos}/{goarch}"] = text.split()
    rows = []
    for t, files in lists.items():
        others = set().union(*(set(v) for k, v in lists.items() if k != t)) if len(lists) > 1 else set()
        rows.append({"target": t, "files": len(files), "only_here": [f for f in files if f not in others],
                     "go_files": files})
    return pd.DataFrame(rows)


#: The targets of lesson 06's cross-compilation matrix.
CROSS_TARGETS = (("linux", "amd64"), ("linux", "arm64"), ("darwin", "arm64"), ("windows", "amd64"), ("js", "wasm"),
                 ("wasip1", "wasm"), ("linux", "riscv64"))


def cross_matrix(src: Source | str | bytes | os.PathLike[str], targets: Sequence[tuple[str, str]] = CROSS_TARGETS, *,
                 gocache: str | os.PathLike[str] | None = None, ldflags: str | None = None,
                 workdir: str | os.PathLike[str] | None = None, toolchain: Toolchain | None = None,
                 timeout: float = 900, progress: bool = True) -> "pd.DataFrame":
    """Build the program for each GOOS/GOARCH now: wall time, packages compiled, size, the first 4 bytes and the
    file format they say.

    Pass a private `gocache` (scratch_gocache()) to keep the learner's GOCACHE small: every target
    compiles its own standard library (tens of MB each). `workdir`: build there (see build_graph).
    """
    import pandas as pd

    from ._progress import Progress

    tc = toolchain or default_toolchain()
    rows = []
    bar = Progress(len(targets), 0) if progress else None
    try:
        for goos, goarch in targets:
            g = build_graph(src, goos=goos, goarch=goarch, gocache=gocache, ldflags=ldflags, workdir=workdir,
                            toolchain=tc, timeout=timeout)
            rows.append({"target": f"{goos}/{goarch}", "seconds": g.wall, "compiled": g.cache_misses,
                         "size": g.size, "magic": g.head[:4].hex(" "), "format": g.format})
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return pd.DataFrame(rows)


#: The linker-flag variants lesson 06 compares.
STRIP_VARIANTS = ("", "-w", "-s", "-s -w")


def ldflags_sizes(src: Source | str | bytes | os.PathLike[str], variants: Sequence[str] = STRIP_VARIANTS, *,
                  toolchain: Toolchain | None = None, timeout: float = 300) -> "pd.DataFrame":
    """Build the program once per -ldflags value and measure it: size, symbol table and DWARF present (ELF sections).

    Columns: ldflags, size, saved (bytes less than the first variant), symtab, dwarf, sections.
    """
    import pandas as pd

    from ._binary import sections as elf_sections

    tc = toolchain or default_toolchain()
    rows = []
    for flags in variants:
        b = build(src, ldflags=flags or None, toolchain=tc, timeout=timeout)
        sections = set(elf_sections(b)["section"])  # section headers only, not the whole image
        rows.append({"ldflags": flags or "(none)", "size": b.size, "symtab": ".symtab" in sections,
                     "dwarf": any(s.startswith((".debug_", ".zdebug_")) for s in sections),
                     "sections": len(sections)})
    df = pd.DataFrame(rows)
    df.insert(2, "saved", df["size"].iloc[0] - df["size"])
    return df


def cache_report(b: Build) -> dict[str, list[str]]:
    """Which packages a fresh Build compiled and which the linker read from GOCACHE (by its importcfg.link)."""
    steps = b.steps
    compiled = sorted(set(steps.loc[steps["action"] == "compile", "package"]))
    cfg = _link_cfg(steps)
    cached: list[str] = []
    if cfg is not None:
        from ._pkg import PACKAGEFILE_RE

        gocache = os.fspath(b.toolchain.gocache)
        cached = sorted(m.group("path") for m in PACKAGEFILE_RE.finditer(cfg)
                        if m.group("file").startswith(gocache) and m.group("path") not in compiled)
    return {"compiled": compiled, "from_gocache": cached}


def gocache_size(gocache: str | os.PathLike[str] | None = None, *, toolchain: Toolchain | None = None) -> int:
    """Bytes in a GOCACHE now (default: the toolchain's, the learner's own), as `du --apparent-size` counts."""
    return dir_size(gocache if gocache is not None else (toolchain or default_toolchain()).gocache)
