"""Lesson helpers for the go command's lessons (00 go run, 06 go build, 07 benchmarks): readable step tables and
paths, what a command said, progress for long builds, cache-key inputs as a table, legible figures. What runs side by
side (builds per target, two timers): gokit/_lesson_runs.py."""
from __future__ import annotations

import math
import os
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ._progress import CompileWatch
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from .source.toolchain import Toolchain

#: Tools whose `-x` lines start a new process (unless `-x` marks them `# internal`).
PROCESS_TOOLS = frozenset({"compile", "asm", "link", "cgo", "pack", "vet", "cover"})
#: A 64-hex-digit cache key; shown as its first 10 digits and an ellipsis.
CACHE_KEY_RE = re.compile(r"([0-9a-f]{10})[0-9a-f]{54}")
#: What the step table calls the `-x` actions whose parser names are terse.
STEP_NAMES = {"exec": "run the program", "workdir": "make $WORK"}
#: A `modinfo "..."` input of GODEBUG=gocachehash=1: the build information `go version -m` prints.
MODINFO_RE = re.compile(r'^modinfo (?P<q>".*")\s*$', re.S)


def _toolchains(toolchains: "Toolchain | Iterable[Toolchain] | None") -> list["Toolchain"]:
    if toolchains is None:
        from .source.toolchain import toolchain

        return [toolchain()]
    if hasattr(toolchains, "gocache"):
        return [toolchains]  # type: ignore[list-item]
    return list(toolchains)  # type: ignore[arg-type]


def short_path(text: Any, *, workdir: str | os.PathLike[str] | None = None,
               toolchains: "Toolchain | Iterable[Toolchain] | None" = None, width: int | None = 70) -> str:
    """A path or a command with this machine's long prefixes named: `$WORK` (the go command's temporary
    directory), `$GOCACHE`, `$GOROOT`, `$DIR` (the directory gokit wrote the program to); cache keys cut to their
    first 10 hex digits; at most `width` characters (None: no limit)."""
    from . import _cache

    out = str(text)
    if workdir:
        out = out.replace(os.fspath(workdir), "$WORK")
    for t in _toolchains(toolchains):
        out = out.replace(str(t.gocache), "$GOCACHE").replace(str(t.goroot), "$GOROOT")
    out = re.sub(re.escape(str(_cache.cache_dir() / "src")) + r"/[0-9a-f]{2}/[0-9a-f]+", "$DIR", out)
    out = CACHE_KEY_RE.sub(lambda m: m.group(1) + "…", out)
    return out if width is None or len(out) <= width else out[:width - 1] + "…"


def run_steps(run: Any, *, toolchains: "Toolchain | Iterable[Toolchain] | None" = None,
              leave_out: Sequence[str] = ()) -> "pd.DataFrame":
    """The steps of a `gokit.go_run_x` (or any -x trace with `.steps` and `.workdir`) as a lesson shows them: the
    step (with its package: "compile main"), its file (paths shortened) and who did it: "new process: link", "go
    command", or "go command (-x: # internal)" when `-x` marked the line `# internal`. `leave_out`: step kinds to
    leave out (e.g. ("cache-copy",))."""
    import pandas as pd

    s = run.steps
    keep = ~s["action"].isin(list(leave_out))
    s = s[keep]
    process = [(tool in PROCESS_TOOLS and not internal) or action == "exec"
               for tool, internal, action in zip(s["tool"], s["internal"], s["action"])]
    wd = getattr(run, "workdir", None)
    steps = [STEP_NAMES.get(a, a) + (f" {p}" if p else "") for a, p in zip(s["action"], s["package"])]
    return pd.DataFrame({
        "step": steps,
        "file": [short_path(o or c, workdir=wd, toolchains=toolchains) for o, c in zip(s["output"], s["command"])],
        "done by": [f"new process: {t}" if p else "go command (-x: # internal)" if i else "go command"
                    for t, p, i in zip(s["tool"], process, s["internal"])],
    })


def first_bytes(data: bytes | str | os.PathLike[str], n: int = 4) -> str:
    """A file's first `n` bytes (a path, or the bytes themselves) in hex, then as characters where printable:
    `7f 45 4c 46  (the bytes 0x7f E L F)`, what the kernel looks at to tell an executable's format."""
    head = bytes(data[:n]) if isinstance(data, (bytes, bytearray)) else Path(data).read_bytes()[:n]
    shown = " ".join(chr(b) if 32 < b < 127 else f"0x{b:02x}" for b in head)
    return " ".join(f"{b:02x}" for b in head) + f"  (the bytes {shown})"


#: Where Linux lists the formats registered with binfmt_misc (fs/binfmt_misc.c), one file each.
BINFMT_MISC = Path("/proc/sys/fs/binfmt_misc")


def binfmt_formats(root: str | os.PathLike[str] = BINFMT_MISC) -> list[str]:
    """The names of the executable formats registered with Linux's binfmt_misc (sorted; `register` and `status`
    are its controls, not formats): empty when none is, or binfmt_misc is not mounted here."""
    d = Path(root)
    if not d.is_dir():
        return []
    try:
        return sorted(p.name for p in d.iterdir() if p.name not in ("register", "status"))
    except OSError:
        return []


def work_files(run: Any) -> "pd.DataFrame":
    """Every file left in a `go run -work` temporary directory (a `gokit.go_run_x` run kept with work=True), with
    its path under `$WORK` and its size in bytes, in path order."""
    import pandas as pd

    wd = Path(run.workdir)
    files = sorted(p for p in wd.rglob("*") if p.is_file())
    return pd.DataFrame({"file": [short_path(p, workdir=wd) for p in files],
                         "size (bytes)": [p.stat().st_size for p in files]})


def step_counts(run: Any) -> str:
    """What a `go run -x` (or `go build -x`) compiled and linked, in words: "1 package compiled (main), 1 link"."""
    s = run.steps
    compiled = [p or "?" for p in s.loc[s.action == "compile", "package"]]
    links = int((s.action == "link").sum())
    return (f"{len(compiled)} package{'s' if len(compiled) != 1 else ''} compiled"
            + (f" ({', '.join(compiled)})" if compiled else "") + f", {links} link{'s' if links != 1 else ''}")


def said(attempt: Any, *, lines: int = 2, replace: Mapping[str, str] | None = None,
         toolchains: "Toolchain | Iterable[Toolchain] | None" = None) -> str:
    """What a command answered, in one line: its exit code and its last `lines` lines (stderr, else stdout),
    with this machine's paths named (`replace` maps more paths to names)."""
    text = (getattr(attempt, "stderr", "") or getattr(attempt, "stdout", "") or getattr(attempt, "error", "")
            or "").strip()
    for path, name in (replace or {}).items():
        text = text.replace(os.fspath(path), name)
    text = short_path(text, toolchains=toolchains, width=None)
    code = getattr(attempt, "exit_code", None)
    head = f"exit code {code}" if code is not None else "not started"
    return f"{head}: " + " / ".join(text.splitlines()[-lines:])


# ---------------------------------------------------------------- progress of builds that take seconds

class build_progress(CompileWatch):
    """A progress bar for builds that compile packages into a GOCACHE of their own: it counts the compiled packages
    stored since it started (cache entries `*-a` whose output `*-d` is a package archive, `!<arch>`), so it moves
    with every package compiled (cold builds and `-a` alike), with an estimate of the time left. Use it as
    `with build_progress(cache, total, "what"):` around the builds.

    Only for private caches (gokit.scratch_gocache()): it lists the cache four times a second.
    """

    POLL_SECONDS = 0.25

    def __init__(self, gocache: str | os.PathLike[str], total: int, desc: str, *, unit: str = "package") -> None:
        if not isinstance(total, int) or total < 1:
            raise UsageError(f"total is the number of packages the builds compile (at least 1); got {total!r}")
        super().__init__(gocache, desc, lambda: total, delay=0.0, unit=unit)
        self.total = total


def deps_count(package_dir: str | os.PathLike[str], *, toolchain: "Toolchain | None" = None,
               env: Mapping[str, str] | None = None) -> int:
    """How many packages `go build` compiles in a cold build of the package in `package_dir`: itself and every
    package it depends on (`go list -deps`) but `unsafe` (the compiler knows it; nothing is compiled), for the
    target `env` names (GOOS/GOARCH)."""
    tc = _toolchains(toolchain)[0]
    done = tc.go_cmd("list", "-deps", "-f", "{{.ImportPath}}", ".", cwd=package_dir, env=dict(env or {}))
    return len([p for p in done.out.split() if p != "unsafe"])


# ---------------------------------------------------------------- cache keys

#: What each kind of cache-key input is, by its first word (GODEBUG=gocachehash=1 lines of a compile action).
HASH_INPUT_KINDS = {
    "compile": "what the action does", "dir": "the package's directory", "go": "the go line of go.mod",
    "goos": "the target", "omitdebug": "debug information left out? standard library? (and two more settings)",
    "trimpath": "-trimpath was given", "module": "the module (with -trimpath, instead of the directory)",
    "modinfo": "the build information go version -m prints", "file": "a source file, by the hash of its bytes",
    "GOAMD64": "a setting of the target", "GOARM64": "a setting of the target", "GOARM": "a setting of the target",
    "nocgo": "no cgo", "cgo": "the C toolchain",
}


def hash_inputs(inputs: Sequence[str], *, replace: Mapping[str, str] | None = None) -> "pd.DataFrame":
    """The inputs of one cache key (GODEBUG=gocachehash=1, in the order hashed) as a table: each input as the go
    command hashed it (the build information of `modinfo` as its lines joined, never as an escaped string; paths
    in `replace` named) and what kind of input it is."""
    import ast

    import pandas as pd

    rows = []
    for raw in inputs:
        line = raw.rstrip("\n")
        for path, name in (replace or {}).items():
            line = line.replace(os.fspath(path), name)
        first, _, rest = line.partition(" ")
        m = MODINFO_RE.match(line)
        if m:
            try:
                info = str(ast.literal_eval(m.group("q")))
            except (ValueError, SyntaxError):
                info = m.group("q")
            shown = [ln.replace("\t", " ").strip() for ln in info.splitlines() if ln.strip()]
            line = "modinfo: " + "; ".join(s if len(s) <= 40 else s[:39] + "…" for s in shown)
            what = f"{HASH_INPUT_KINDS['modinfo']} ({len(shown)} lines)"
        elif first.startswith("go1") and not rest:
            what = "the go command's version"
        elif first == "compile" and rest.startswith("compile version"):
            # cmd/go/internal/work/exec.go:367 "compile %s %q %q": the tool's ID, the go command's forced gcflags,
            # the package's -gcflags (1.22: :330); -asmflags go into an "asm" line, only for packages with .s files
            what = ("the compiler's version, then the flags the go command adds and your -gcflags for this package"
                    + (" (both empty: [] [])" if rest.endswith("[] []") else ""))
        elif first == "asm":
            what = "the assembler's version and flags (a package with .s files)"
        elif first == "import":
            what = ("the package's import path" if rest.startswith('"') else
                    "an import, by its content ID (a hash of the compiled package)")
        else:
            what = HASH_INPUT_KINDS.get(first.split("=")[0], "")
        rows.append((line, what or "—"))
    return pd.DataFrame(rows, columns=["input, in the order hashed", "what it is"])


def cache_entry(gocache: Any, key: str) -> "pd.DataFrame":
    """The build cache's entry for one action (its 64-hex-digit hash `key`) and the output it names, as a table of
    what is where: the `-a` file's five fields (format, action hash, output ID, size, time stored: shown as a date),
    the `-d` output file, its size and its first bytes."""
    import datetime

    import pandas as pd

    root = Path(os.fspath(getattr(gocache, "path", gocache)))
    if not re.fullmatch(r"[0-9a-f]{64}", key or ""):
        raise UsageError(f"an action hash is 64 hex digits, like GODEBUG=gocachehash=1 prints; got {key!r}")
    entry = root / key[:2] / f"{key}-a"
    try:
        fields = entry.read_text().split()
    except OSError:
        raise UsageError(f"the cache has no entry {key[:12]}…-a (was the action run with this GOCACHE?)") from None
    # cmd/go/internal/cache/cache.go:139 "v1 <hex id> <hex out> <size> <unixnano>" (1.22: :138)
    version, action, out_id, size, nanos = fields[:5]
    output = root / out_id[:2] / f"{out_id}-d"
    head = output.read_bytes()[:8]
    stored = datetime.datetime.fromtimestamp(int(nanos) / 1e9).strftime("%Y-%m-%d %H:%M:%S")
    first = head.decode("latin-1") if all(32 <= b < 127 or b == 10 for b in head) else head.hex(" ")
    rows = [("the entry", f"GOCACHE/{key[:2]}/{key[:12]}…-a", "named by the action's hash"),
            ("its 1st field", version, "the entry format"),
            ("its 2nd field", action[:12] + "…", "the action's hash again"),
            ("its 3rd field", out_id[:12] + "…", "the output ID: the hash of the output file"),
            ("its 4th field", f"{int(size):,}", "the output's size in bytes"),
            ("its 5th field", f"{nanos[:6]}…", f"the time it was stored, in nanoseconds: {stored}"),
            ("the output", f"GOCACHE/{out_id[:2]}/{out_id[:12]}…-d", f"{output.stat().st_size:,} bytes, starting "
                                                                      f"with {first.strip()}")]
    return pd.DataFrame(rows, columns=["what", "value", "meaning"])


def main_action_ids(dirs: Sequence[str | os.PathLike[str]], flag_sets: Sequence[Sequence[str]], *,
                    package: str = "play", gocache: Any = None, toolchain: "Toolchain | None" = None
                    ) -> "pd.DataFrame":
    """The action ID of the main package (`package`, its import path: gokit's programs are `play`), built from
    each directory with each set of flags, from `go build -n` with GODEBUG=gocachehash=1 (nothing is compiled):
    flags, directory, whether a `dir` line went into the hash, and the action ID (20 characters, as the action
    graph and build IDs write it)."""
    import pandas as pd

    from .layers.build import go_build
    from .parsers.buildx import action_id

    tc = _toolchains(toolchain)[0]
    extra = {"GODEBUG": "gocachehash=1"}
    if gocache is not None:
        extra["GOCACHE"] = os.fspath(getattr(gocache, "path", gocache))
    rows = []
    for flags in flag_sets:
        for d in dirs:
            done = go_build(tc, "-n", *flags, "-o", os.devnull, ".", cwd=d, env=extra)
            mine = [ln for ln in done.err.splitlines() if ln.startswith(f"HASH[build {package}]")]
            if not mine:
                raise UsageError(f"go build -n in {d} printed no hash for package {package!r}")
            rows.append({"flags": " ".join(flags) or "(none)", "directory": Path(d).name,
                         "directory hashed": "yes" if any('"dir ' in ln for ln in mine) else "no",
                         "main package's action ID": action_id(mine[-1].split(": ")[-1].strip())})
    return pd.DataFrame(rows)


def package_dirs(paths: Sequence[str], *, toolchain: "Toolchain | None" = None) -> "pd.DataFrame":
    """For each standard-library import path: whether this Go has it (a directory of .go files in GOROOT/src) and
    whether one of its files declares the constant GOOS (`const GOOS =`)."""
    import pandas as pd

    tc = _toolchains(toolchain)[0]
    rows = []
    for p in paths:
        d = tc.goroot / "src" / p
        files = sorted(d.glob("*.go")) if d.is_dir() else []
        goos = [f.name for f in files if re.search(r"^const GOOS\b", f.read_text(errors="replace"), re.M)]
        said = (", ".join(goos) if len(goos) <= 2 else f"yes, in {len(goos)} files ({goos[0]}, {goos[1]}, …)"
                ) if goos else ("no" if files else "—")
        rows.append({"package": p, f"in go{tc.version}": "yes" if files else "no", "declares const GOOS": said})
    return pd.DataFrame(rows)


def importers(package_dir: str | os.PathLike[str], package: str = "runtime", *,
              toolchain: "Toolchain | None" = None) -> dict[str, int]:
    """How a program's packages (`go list -deps` of `package_dir`) stand to one of them: `packages` in all and
    `compiled` (all but `unsafe`, which the compiler knows without compiling anything), `depend` (import `package`
    directly or through others), `direct` (import it themselves), `below` (the packages `package` itself depends
    on) and `below_compiled` (those of them compiled before it: all but `unsafe`)."""
    tc = _toolchains(toolchain)[0]
    done = tc.go_cmd("list", "-deps", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}:{{join .Deps \" \"}}", ".",
                     cwd=package_dir)
    imports: dict[str, set[str]] = {}
    deps: dict[str, set[str]] = {}
    for line in done.out.splitlines():
        name, imp, dep = (line.split(":") + ["", ""])[:3]
        imports[name], deps[name] = set(imp.split()), set(dep.split())
    if package not in imports:
        raise UsageError(f"{package} is not among the packages the program depends on")
    return {"packages": len(imports), "compiled": len(set(imports) - {"unsafe"}),
            "depend": sum(package in d for d in deps.values()), "direct": sum(package in i for i in imports.values()),
            "below": len(deps[package]), "below_compiled": len(deps[package] - {"unsafe"})}


# ---------------------------------------------------------------- lesson 00: a go run against the binary's start

#: Lesson 00's answers for "how many times as long as the binary's own start does a warm go run take?".
RATIO_BUCKETS = ((2.0, "under 2"), (10.0, "2 to 10"), (100.0, "10 to 100"), (math.inf, "over 100"))


class StartupRatio:
    """A command's median start against a binary's (see `startup_ratio`): both medians in seconds, their
    `ratio`, its `bucket` (RATIO_BUCKETS) and `table`, the three as a lesson table."""

    def __init__(self, label: str, command_s: float, exe_label: str, exe_s: float) -> None:
        import pandas as pd

        from ._lesson_bench import ratio
        from ._lesson_show import table
        from .measure.fmt import fmt_seconds

        self.command_s, self.exe_s = command_s, exe_s
        self.ratio = command_s / exe_s
        self.bucket = next(name for limit, name in RATIO_BUCKETS if self.ratio < limit)
        self.table = table(pd.DataFrame({"what was started": [label, exe_label, "ratio of the two"],
                                         "median": [fmt_seconds(command_s), fmt_seconds(exe_s),
                                                    ratio(self.ratio)]}))

    def __repr__(self) -> str:
        return f"{self.ratio:.3g}× ({self.bucket})"


def startup_ratio(timed: Any, label: str, alone: Any) -> StartupRatio:
    """The median of `label` in one benchmark result (`bench.compare`) against the median of the only command of
    another (`alone`: the binary started back to back): how many times as long the command takes."""
    if label not in timed.summary.index:
        raise UsageError(f"no {label!r} in this result; it has {', '.join(map(str, timed.summary.index))}")
    return StartupRatio(label, float(timed.summary.loc[label, "median"]), str(alone.summary.index[0]),
                        float(alone.summary["median"].iloc[0]))


# ---------------------------------------------------------------- figures a learner can read

#: The widest figure (inches, at matplotlib's 100 dpi) that JupyterLab shows unshrunk at 1280 px with its file
#: browser open (about 830 px of output width), and the smallest font size (points) that is still 11 px there.
LEGIBLE_WIDTH_IN = 8.0
LEGIBLE_MIN_PT = 8.0


def legible(fig: Any, *, width: float = LEGIBLE_WIDTH_IN, min_pt: float = LEGIBLE_MIN_PT) -> Any:
    """A matplotlib figure a learner can read: no wider than `width` inches (so JupyterLab does not shrink it at
    1280 px with the file browser open) and no text smaller than `min_pt` points (11 px at 100 dpi). Returns it."""
    w, h = fig.get_size_inches()
    if w > width:
        fig.set_size_inches(width, h)
    for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "set_fontsize")):
        try:
            if float(text.get_fontsize()) < min_pt:
                text.set_fontsize(min_pt)
        except (TypeError, ValueError):
            continue
    try:
        fig.tight_layout()
    except (ValueError, RuntimeError):
        pass
    return fig


def scratch(name: str) -> Path:
    """A new directory for a lesson's files (`name` starts its name), inside gokit's private temporary folder, which
    is removed when the kernel exits: no cleanup cell needed."""
    from . import _tmp

    if not isinstance(name, str) or not re.fullmatch(r"[\w.-]+", name):
        raise UsageError(f"scratch wants a short name of letters, digits, '-' or '.', like 'lesson00'; got {name!r}")
    return _tmp.mkdtemp(f"{name}-")


def written_since(directory: str | os.PathLike[str], since: float) -> int:
    """Bytes in the files under `directory` written at or after `since` (seconds since the epoch): what a lesson
    added to a GOCACHE while it ran, in one walk of it (a cache entry rewritten counts again)."""
    total = 0
    for root, _dirs, files in os.walk(directory):
        for f in files:
            try:
                st = os.lstat(os.path.join(root, f))
            except OSError:
                continue
            if st.st_mtime >= since:
                total += st.st_size
    return total


def timeline(build: Any, *, width: float = LEGIBLE_WIDTH_IN) -> Any:
    """A build's timeline (BuildGraph.timeline) drawn `width` inches wide with no text under 11 px, its legend
    moved under the axis so that it cannot cover the title."""
    import matplotlib.pyplot as plt

    lanes = max(1, int(getattr(build, "workers", 1)))
    fig, ax = plt.subplots(figsize=(width, 1.9 + 0.55 * lanes))
    plt.close(fig)
    build.timeline(ax=ax)
    legend = ax.get_legend()
    if legend is not None:
        handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
        legend.remove()
        ax.legend(handles=handles, labels=labels, loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=3,
                  frameon=False, fontsize=LEGIBLE_MIN_PT + 1)
    return legible(fig, width=width)


class working:
    """A progress bar for one piece of work that reports no progress of its own (one compile, one profile): it
    says what is being done and fills up over `seconds`, the expected time, so the learner sees an estimate of
    what remains; it stops short of full until the work is done. `with working("compiling net/http", 3): ...`"""

    STEP = 0.1

    def __init__(self, desc: str, seconds: float) -> None:
        if not isinstance(seconds, (int, float)) or seconds <= 0:
            raise UsageError(f"seconds is the expected duration (a positive number); got {seconds!r}")
        self.desc, self.seconds = desc, float(seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bar: Any = None
        self._shown = 0
        self._t0 = 0.0

    def _loop(self) -> None:
        t0 = self._t0  # when the work started, not when this thread first ran (late on a busy machine)
        steps = int(self.seconds / self.STEP)
        while not self._stop.wait(self.STEP):
            n = min(int((time.monotonic() - t0) / self.STEP), steps - 1)  # never full before the end
            if n > self._shown:
                self._bar.update(n - self._shown)
                self._shown = n

    def __enter__(self) -> "working":
        from ._progress import Progress

        self._bar = Progress(int(self.seconds / self.STEP), 0, desc=f"{self.desc} (about {self.seconds:.0f} s)",
                             unit="tick")
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._bar.close()
