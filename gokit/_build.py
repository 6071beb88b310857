"""The build layer: `go build -x` into gokit's cache (or fresh), its steps as a table, cache hits and misses."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from . import _cache as cache
from . import _run
from ._pkg import target_env
from ._source import Source, as_source
from ._toolchain import Toolchain, toolchain as default_toolchain
from .errors import GoToolError, StaleTraceError, UsageError, advice_for

if TYPE_CHECKING:
    import pandas as pd

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


def flag_list(name: str, value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        value = " ".join(value)
    if isinstance(value, str) and not any(c in value for c in "\n\r\x00"):
        return [f"-{name}={value}"]
    raise UsageError(f"{name} must be a string like '-s -w'; got {value!r}")


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
        link_cfg = self.steps[(self.steps["action"] == "write") & self.steps["output"].str.endswith("importcfg.link")]
        if link_cfg.empty:
            return 0
        n = link_cfg.iloc[0]["command"].count("\npackagefile ")
        return max(0, n - self.cache_misses)

    def __repr__(self) -> str:
        how = "from gokit's cache" if self.cached else f"built in {self.wall:.2f} s"
        target = f"{self.env['GOOS']}/{self.env['GOARCH']}" if self.env else f"{self.toolchain.goos}/{self.toolchain.goarch}"
        return f"<Build {self.binary.name}: {self.size:,} bytes, {target}, go{self.toolchain.version}, {how}>"


def build(src: Source | str | bytes | os.PathLike[str], *, ldflags: str | Sequence[str] | None = None,
          gcflags: str | Sequence[str] | None = None, goos: str | None = None, goarch: str | None = None,
          fresh: bool = False, toolchain: Toolchain | None = None, timeout: float = 300) -> Build:
    """`go build -x` the program into gokit's cache; a repeat returns the cached binary at once.

    fresh=True always runs go build (Go's own cache still decides what it recompiles), so the
    Build's steps, cache hits and misses describe this very build.
    """
    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(timeout)
    src = as_source(src)
    src.check_buildable()
    env = target_env(tc, goos, goarch)
    flags = tuple(flag_list("ldflags", ldflags) + flag_list("gcflags", gcflags))
    gomod = src.gomod(tc)
    k = cache.key("build", tc.version, str(tc.go), src.digest, gomod.decode(), flags, env)
    name = src.module_path.rsplit("/", 1)[-1] + (".exe" if env.get("GOOS", tc.goos) == "windows" else "")
    meta_path = cache.cache_dir() / "builds" / k[:2] / k / "build.json"
    if not fresh and meta_path.is_file():
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
            raise GoToolError(done.argv, done.exit_code, strip_x(done.err), done.out, hint=advice_for(done.err))
        (tmp / "build.json").write_text(json.dumps({"x": done.err, "wall": done.wall}))
        result["done"] = done

    d = (cache.replace_dir if fresh else cache.install_dir)("builds", k, fill)
    meta = json.loads((d / "build.json").read_text())
    binary = d / name
    return Build(binary, binary.stat().st_size, meta["x"], meta["wall"], "done" not in result, tc, flags, env)
