"""Builds and runs: `go build -x` steps as a table, cached binaries, GOOS/GOARCH, running a program."""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from . import _run, cache
from .errors import GokitError, GoToolError, UsageError
from .source import Source, as_source
from .toolchain import Toolchain, toolchain as default_toolchain

if TYPE_CHECKING:
    import pandas as pd

HEREDOC_RE = re.compile(r"^cat >(?P<file>\S+) << '(?P<tag>\w+)'(?P<internal> # internal)?$")
WORK_RE = re.compile(r"^WORK=(?P<work>\S+)$")
PKG_FLAG_RE = re.compile(r"(?:^|\s)-p (?P<pkg>\S+)")
OUT_FLAG_RE = re.compile(r"(?:^|\s)-o (?P<out>\S+)")
ENV_PREFIX_RE = re.compile(r"^(?:[A-Z_][A-Z0-9_]*='[^']*' )+")
PACKAGEFILE_RE = re.compile(r"^packagefile (?P<path>\S+)=(?P<file>.+)$", re.MULTILINE)
CGO_MAP_RE = re.compile(r"var cgoEnabled = map\[string\]bool\{(?P<body>.*?)\n\}", re.DOTALL)
PAIR_RE = re.compile(r'"(?P<os>\w+)/(?P<arch>\w+)":')
_TOOLS = {"compile": "compile", "asm": "assemble", "link": "link", "pack": "pack", "buildid": "buildid",
          "cgo": "cgo", "vet": "vet", "cover": "cover"}

#: Memory a learner's program may use before its allocations fail (RLIMIT_DATA).
PROGRAM_MEMORY_LIMIT = 2 << 30

STEP_COLUMNS = ["n", "action", "package", "tool", "internal", "output", "command"]


@dataclass(frozen=True)
class Step:
    """One line (or here-document) of `go build -x` output."""

    n: int
    action: str       # compile, assemble, link, pack, buildid, write, cache-copy, mkdir, cd, mv, rm, exec, ...
    package: str      # import path from -p, or ""
    tool: str         # basename of the program, or "" for shell built-ins the go command mimics
    internal: bool    # the go command did it itself (`# internal`), no process was started
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
        return Step(n, "workdir", "", "", True, WORK_RE.match(cmd).group("work"), cmd)  # type: ignore[union-attr]
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


@lru_cache(maxsize=8)
def _ports(goroot: str) -> frozenset[tuple[str, str]]:
    """GOOS/GOARCH pairs this toolchain supports, read from its cmd/dist (no process needed)."""
    try:
        text = (Path(goroot) / "src" / "cmd" / "dist" / "build.go").read_text()
    except OSError:
        return frozenset()
    m = CGO_MAP_RE.search(text)
    return frozenset((p.group("os"), p.group("arch")) for p in PAIR_RE.finditer(m.group("body"))) if m else frozenset()


def target_env(tc: Toolchain, goos: str | None, goarch: str | None) -> dict[str, str]:
    """GOOS/GOARCH for a build, refused with the list of known values when unknown."""
    if goos is None and goarch is None:
        return {}
    os_, arch = goos or tc.goos, goarch or tc.goarch
    for name, value in (("goos", os_), ("goarch", arch)):
        if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9]+", value):
            raise UsageError(f"{name} must be a word like 'linux' or 'arm64'; got {value!r}")
    ports = _ports(str(tc.goroot))
    if ports and (os_, arch) not in ports:
        known_os = sorted({o for o, _ in ports})
        known_arch = sorted({a for o, a in ports if o == os_}) or sorted({a for _, a in ports})
        if os_ not in known_os:
            raise UsageError(f"go{tc.version} does not know GOOS={os_!r}. Known: {', '.join(known_os)}")
        raise UsageError(f"go{tc.version} cannot build for {os_}/{arch}. GOARCH values for {os_}: "
                         f"{', '.join(known_arch)}")
    return {"GOOS": os_, "GOARCH": arch}


def _flag_list(name: str, value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        value = " ".join(value)
    if isinstance(value, str) and not any(c in value for c in "\n\r\x00"):
        return [f"-{name}={value}"]
    raise UsageError(f"{name} must be a string like '-s -w'; got {value!r}")


@dataclass(frozen=True)
class Build:
    """A linked program: where the binary is, how big, and the steps `go build -x` took."""

    binary: Path
    size: int
    x_trace: str = field(repr=False, compare=False)  # the raw `go build -x` stderr
    wall: float
    cached: bool
    toolchain: Toolchain = field(repr=False)
    flags: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def steps(self) -> "pd.DataFrame":
        """The build's steps as a table (see parse_x); parsed on first use."""
        return steps_frame(parse_x(self.x_trace, self.toolchain.gocache))

    @property
    def cache_misses(self) -> int:
        """Packages compiled in this build (not found in GOCACHE)."""
        return int((self.steps["action"] == "compile").sum())

    @property
    def cache_hits(self) -> int:
        """Packages linked from GOCACHE without compiling."""
        link_cfg = self.steps[(self.steps["action"] == "write") & self.steps["output"].str.endswith("importcfg.link")]
        if link_cfg.empty:
            return 0
        n = link_cfg.iloc[0]["command"].count("\npackagefile ")
        return max(0, n - self.cache_misses)


def build(src: Source | str | bytes | os.PathLike[str], *, ldflags: str | Sequence[str] | None = None,
          gcflags: str | Sequence[str] | None = None, goos: str | None = None, goarch: str | None = None,
          toolchain: Toolchain | None = None, timeout: float = 300) -> Build:
    """`go build -x` the program into gokit's cache; a repeat returns the cached binary at once."""
    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(timeout)
    src = as_source(src)
    src.check_buildable()
    env = target_env(tc, goos, goarch)
    flags = tuple(_flag_list("ldflags", ldflags) + _flag_list("gcflags", gcflags))
    gomod = src.gomod(tc)
    k = cache.key("build", tc.version, str(tc.go), src.digest, gomod.decode(), flags, env)
    name = src.module_path.rsplit("/", 1)[-1] + (".exe" if env.get("GOOS", tc.goos) == "windows" else "")
    meta_path = cache.cache_dir() / "builds" / k[:2] / k / "build.json"
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        binary = meta_path.parent / name
        if binary.is_file():
            return Build(binary, binary.stat().st_size, meta["x"], meta["wall"], True, tc, flags, env)
    moddir = src.materialize(tc)
    result: dict[str, Any] = {}

    def fill(tmp: Path) -> None:
        done = tc.go_cmd("build", "-x", *flags, "-o", str(tmp / name), ".", cwd=moddir, env=env,
                         timeout=timeout, check=False)
        if done.exit_code != 0:
            raise GoToolError(done.argv, done.exit_code, strip_x(done.err), done.out, hint=_build_hint(done.err))
        (tmp / "build.json").write_text(json.dumps({"x": done.err, "wall": done.wall}))
        result["done"] = done

    d = cache.install_dir("builds", k, fill)
    meta = json.loads((d / "build.json").read_text())
    binary = d / name
    return Build(binary, binary.stat().st_size, meta["x"], meta["wall"], "done" not in result, tc, flags, env)


def _build_hint(stderr: str) -> str | None:
    if "go.mod requires go" in stderr or "requires go >=" in stderr:
        return "The program's go.mod asks for a newer Go than this toolchain; gokit never downloads one."
    if "cannot find package" in stderr or "is not in std" in stderr or "no required module provides" in stderr:
        return ("gokit builds offline with the standard library only: imports outside the standard "
                "library cannot be downloaded here.")
    if "function main is undeclared" in stderr:
        return "A program needs `package main` with a `func main()`."
    return None


@dataclass(frozen=True)
class Run:
    """A finished run of a learner's program."""

    stdout: str
    stderr: str
    exit_code: int
    wall: float
    build: Build = field(repr=False)
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.stdout

    def _repr_html_(self) -> str:
        import html

        out = html.escape(self.stdout)
        err = f"<pre style='color:#b00'>{html.escape(self.stderr)}</pre>" if self.stderr else ""
        notes = "".join(f"<div><i>{html.escape(n)}</i></div>" for n in self.notes)
        return (f"<pre>{out}</pre>{err}{notes}<div style='color:#666'>exit code {self.exit_code}, "
                f"{self.wall * 1000:.1f} ms</div>")


def run(src: Source | str | bytes | os.PathLike[str], args: Sequence[str] = (), *, timeout: float = 10,
        toolchain: Toolchain | None = None, env: dict[str, str] | None = None,
        max_output: int = _run.PROGRAM_OUTPUT_LIMIT, max_memory: int = PROGRAM_MEMORY_LIMIT) -> Run:
    """Build (cached) and run a program like `go run`: no stdin, bounded output and memory, killed on timeout.

    `timeout` bounds the program's run; the build has its own (go build's) budget. The program
    runs in a fresh empty directory that is removed afterwards.
    """
    timeout = _run.check_timeout(timeout)
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise UsageError(f"args is a list of strings, like args=['-n', '3']; got {args!r}")
    if not isinstance(max_output, int) or max_output <= 0:
        raise UsageError(f"max_output must be a positive number of bytes; got {max_output!r}")
    b = build(src, toolchain=toolchain)
    tc = b.toolchain
    penv = {k: v for k, v in tc.env().items() if not k.startswith(("GO", "CGO_"))}
    penv.update(env or {})
    with tempfile.TemporaryDirectory(prefix="gokit-run-") as cwd:
        done = _run.run([str(b.binary), *args], env=penv, cwd=cwd, timeout=timeout, max_output=max_output,
                        max_memory=max_memory)
    notes = []
    # Out of memory under RLIMIT_DATA shows as "cannot allocate memory", "out of memory", or (rarely,
    # when the runtime's own mmap fails) a SIGSEGV; a large peak RSS tells the last one apart.
    if done.exit_code != 0 and ("cannot allocate memory" in done.err or "out of memory" in done.err
                                or done.maxrss >= max_memory // 2):
        notes.append(f"the program asked for more than the {max_memory / (1 << 30):g} GiB of memory gokit "
                     "allows it (pass max_memory= to change that), so the Go runtime stopped it.")
    for stream, dropped in (("stdout", done.stdout_dropped), ("stderr", done.stderr_dropped)):
        if dropped:
            notes.append(f"{stream} was cut after {max_output:,} bytes; {dropped:,} more bytes were printed "
                         "and thrown away.")
    return Run(done.out, done.err, done.exit_code, done.wall, b, tuple(notes))


@dataclass(frozen=True)
class GoRun:
    """What `go run -x -work` did: its steps, the work dir it kept, and the program's output."""

    steps: "pd.DataFrame"
    stdout: str
    stderr: str
    exit_code: int
    wall: float
    workdir: Path | None
    binary: str | None  # the path go run executed


def go_run_x(src: Source | str | bytes | os.PathLike[str], args: Sequence[str] = (), *, work: bool = True,
             toolchain: Toolchain | None = None, timeout: float = 300, env: dict[str, str] | None = None) -> GoRun:
    """Run the real `go run -x [-work] .` on the program and return its steps as a table.

    With work=True the temp dir is kept by go (so a lesson can look inside it); call
    `cleanup_work(result)` afterwards.
    """
    tc = toolchain or default_toolchain()
    src = as_source(src)
    moddir = src.materialize(tc)
    argv = ["run", "-x"] + (["-work"] if work else []) + [".", *args]
    done = tc.go_cmd(*argv, cwd=moddir, env=env, timeout=timeout, check=False)
    # go run's stderr interleaves -x lines with the program's own stderr; -x lines come first.
    steps = parse_x(done.err, tc.gocache)
    wd = next((Path(s.output) for s in steps if s.action == "workdir"), None)
    exe = steps[-1].command if steps and steps[-1].action == "exec" else None
    if exe and wd:
        exe = exe.replace("$WORK", str(wd))
    if done.exit_code != 0 and exe is None:
        raise GoToolError(done.argv, done.exit_code, strip_x(done.err), done.out, hint=_build_hint(done.err))
    return GoRun(steps_frame(steps), done.out, done.err, done.exit_code, done.wall, wd, exe)


def cleanup_work(result: GoRun) -> None:
    """Remove the $WORK dir that `go run -work` kept."""
    if result.workdir and result.workdir.name.startswith("go-build"):
        shutil.rmtree(result.workdir, ignore_errors=True)


@dataclass(frozen=True)
class ExecAttempt:
    """What happened when gokit asked the kernel to execute a file: its output, or the kernel's refusal."""

    argv: tuple[str, ...]
    exit_code: int | None   # None: the kernel refused to start it (see errno)
    stdout: str
    stderr: str
    errno: int | None = None
    error: str | None = None  # e.g. "EACCES: Permission denied"

    @property
    def started(self) -> bool:
        return self.exit_code is not None

    def _repr_html_(self) -> str:
        import html
        import shlex

        cmd = html.escape(" ".join(shlex.quote(a) for a in self.argv))
        if not self.started:
            return (f"<div><code>$ {cmd}</code><br><b style='color:#b00'>the kernel refused:</b> "
                    f"<code>{html.escape(self.error or '')}</code> (execve returned errno {self.errno})</div>")
        out = f"<pre>{html.escape(self.stdout)}</pre>" if self.stdout else ""
        err = f"<pre style='color:#b00'>{html.escape(self.stderr)}</pre>" if self.stderr else ""
        return f"<div><code>$ {cmd}</code>{out}{err}<div style='color:#666'>exit code {self.exit_code}</div></div>"

    def __repr__(self) -> str:
        what = f"exit {self.exit_code}" if self.started else f"refused: {self.error}"
        return f"<ExecAttempt {' '.join(self.argv)}: {what}>"


def exec_file(path: str | os.PathLike[str], args: Sequence[str] = (), *, cwd: str | os.PathLike[str] | None = None,
              env: dict[str, str] | None = None, timeout: float = 30) -> ExecAttempt:
    """Ask the kernel to execute `path` (as `./file` would, but without a shell) and report what it said.

    A refusal (permission denied, exec format error, ...) is returned with its errno, not raised:
    it is the lesson. `env` defaults to a minimal one (PATH, HOME, LANG).
    """
    import errno as errno_mod

    timeout = _run.check_timeout(timeout)
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise UsageError(f"args is a list of strings, like args=['-n', '3']; got {args!r}")
    p = os.fspath(path)
    if not isinstance(p, str) or not p:
        raise UsageError(f"exec_file wants a path to a file; got {path!r}")
    if os.sep not in p:
        p = "./" + p  # like a shell: a bare name would be looked up on PATH, ./name is this file
    base = Path(cwd) if cwd is not None else Path.cwd()
    if not (base / p).exists():
        raise UsageError(f"{base / p}: no such file")
    if env is None:
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    argv = [p, *args]

    def refused(e: BaseException) -> ExecAttempt:
        code = getattr(e, "errno", None)
        name = errno_mod.errorcode.get(code, "?") if code else "?"
        return ExecAttempt(tuple(argv), None, "", "", code, f"{name}: {os.strerror(code) if code else e}")

    try:
        done = _run.run(argv, env=env, cwd=cwd, timeout=timeout, max_output=_run.PROGRAM_OUTPUT_LIMIT)
    except GokitError as e:
        if isinstance(e.__cause__, OSError):
            return refused(e.__cause__)
        raise
    except OSError as e:  # e.g. ENOEXEC: _run passes unexpected exec errors through
        return refused(e)
    return ExecAttempt(tuple(argv), done.exit_code, done.out, done.err)


# ---------------------------------------------------------------- export data


def export_files(tc: Toolchain, imports: Sequence[str], *, env: Mapping[str, str] | None = None,
                 cwd: str | os.PathLike[str] | None = None, timeout: float = 300,
                 strict: bool = False) -> dict[str, str]:
    """Import path -> export-data file in GOCACHE for `imports` and all they depend on.

    One `go list -export -deps` (it compiles what is missing, once, into GOCACHE); the answer is
    cached per (toolchain, target env, import set) when run in GOROOT/src (cwd=None), and recomputed
    when `go clean -cache` or a cache trim removed a file. With strict=True a failure raises
    GoToolError with the standard-library-only advice; otherwise what was found is returned.
    """
    wanted = sorted(set(imports))
    if not wanted:
        return {}
    k = cache.key("exports", tc.version, str(tc.go), str(tc.gocache), dict(env or {}), wanted)
    if cwd is None:
        hit = cache.get_json("exports", k)
        if hit and all(os.path.exists(f) for f in hit.values()):
            return dict(hit)
    done = tc.go_cmd("list", *([] if strict else ["-e"]), "-export", "-deps", "-f",
                     "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", *wanted,
                     cwd=cwd or tc.goroot / "src", env=env, timeout=timeout, check=False)
    if done.exit_code != 0 and strict:
        bad = [i for i in wanted if f'"{i}"' in done.err or f"package {i} " in done.err]
        done.check(hint="gokit compiles offline with the standard library only"
                   + (f"; {', '.join(bad)} is not in it." if bad else ".")
                   + " Imports outside the standard library cannot be downloaded here.")
    found = {m.group("path"): m.group("file").strip() for m in PACKAGEFILE_RE.finditer(done.out)}
    if cwd is None and done.exit_code == 0 and found:
        cache.put_json("exports", k, found)
    return found


def importcfg_file(exports: Mapping[str, str]) -> Path:
    """An importcfg file (for `go tool compile -importcfg` or go/importer) listing these export files."""
    text = "".join(f"packagefile {p}={f}\n" for p, f in sorted(exports.items())).encode()
    k = cache.key("importcfg", text.decode())
    path = cache.cache_dir() / "importcfg" / k[:2] / k
    return path if path.is_file() else cache.put_bytes("importcfg", k, text)
