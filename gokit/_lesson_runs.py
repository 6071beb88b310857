"""Lesson helpers for the go command's lessons (06 go build, 07 benchmarks) that run things side by side: a build per
target at once, two timers in alternating blocks, and runs timed elsewhere added to a benchmark result; and what
the go command answers, read for a cell (the targets it knows, a setting a binary records, the compiler's hottest
phase in a profile) so that the cell shows one call, not the parsing of its output."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ._lesson_go import _toolchains
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from .source.toolchain import Toolchain


def cross_builds(src: Any, targets: Sequence[tuple[str, str]], *, gocache: str | os.PathLike[str],
                 workdir: str | os.PathLike[str], jobs: int = 2, toolchain: "Toolchain | None" = None,
                 timeout: float = 900, progress: bool = True) -> "pd.DataFrame":
    """Build the program for each GOOS/GOARCH now, `jobs` builds at a time (a cold build leaves cores idle while
    `runtime` compiles, so two side by side finish sooner than one after the other): target, seconds (each build's
    own wall time, measured while the other builds ran beside it), packages compiled and taken from the cache,
    size, the first 4 bytes and the file format they name. Each build has its own directory under `workdir`."""
    import pandas as pd
    from concurrent.futures import ThreadPoolExecutor

    from .stages.builds import build_graph

    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"jobs is how many builds run at once (1 or more); got {jobs!r}")
    tc = _toolchains(toolchain)[0]
    bar = None
    if progress:
        from ._progress import Progress

        bar = Progress(len(targets), 0, desc=f"building for {len(targets)} targets, {jobs} at a time",
                       unit="target")
    lock = threading.Lock()

    def one(target: tuple[str, str]) -> dict[str, Any]:
        goos, goarch = target
        g = build_graph(src, goos=goos, goarch=goarch, gocache=gocache, workdir=Path(workdir) / f"{goos}-{goarch}",
                        toolchain=tc, timeout=timeout)
        if bar is not None:
            with lock:
                bar.update(1)
        return {"target": f"{goos}/{goarch}", "seconds": g.wall, "compiled": g.cache_misses,
                "from the cache": g.cache_hits, "size": g.size, "magic": g.head[:4].hex(" "), "format": g.format}

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            rows = list(pool.map(one, targets))
    finally:
        if bar is not None:
            bar.close()
    return pd.DataFrame(rows)


def timer_check(commands: Mapping[str, Any], *, rounds: int = 3, runs: int = 10, warmup: int = 2,
                progress: bool = True) -> dict[str, Any]:
    """Time each command with hyperfine (`-N`, an independent timer) and with gokit.bench, in short alternating
    blocks (hyperfine, gokit, hyperfine, gokit, ...: `rounds` blocks of `runs` runs each), so that whatever else
    the machine does hits both timers alike. Returns {label: BenchResult with the rows "hyperfine" and "gokit"}.
    Raises ProgramNotFoundError when hyperfine is not installed."""
    from .measure.result import BenchResult
    from .measure.timer import compare
    from .experiments.hyperfine import hyperfine

    bar = None
    if progress:
        from ._progress import Progress

        bar = Progress(rounds * len(commands) * 2, 0, desc="timing with hyperfine and gokit, block by block",
                       unit="block")
    out: dict[str, Any] = {}
    load_before = os.getloadavg()[0]
    try:
        for label, cmd in commands.items():
            theirs: list[float] = []
            ours: list[float] = []
            for _ in range(rounds):
                theirs += hyperfine({label: cmd}, runs=runs, warmup=warmup).frame["value"].tolist()
                if bar is not None:
                    bar.update(1)
                ours += compare({label: cmd}, runs=runs, warmup=warmup, progress=False).frame["value"].tolist()
                if bar is not None:
                    bar.update(1)
            out[label] = BenchResult.from_samples({"hyperfine": theirs, "gokit": ours},
                                                  order=f"in alternating blocks of {runs} runs",
                                                  load=max(load_before, os.getloadavg()[0]))
    finally:
        if bar is not None:
            bar.close()
    return out


def add_runs(result: Any, label: str, walls: Sequence[float]) -> Any:
    """`result` (a gokit.bench result) with more runs of `label`, timed elsewhere (their wall times in seconds;
    CPU times and memory unknown), e.g. a cold build a lesson made before its benchmark. Returns a new result."""
    import math

    import pandas as pd

    from .measure.result import BenchResult

    if label not in result.labels:
        raise UsageError(f"the result has no label {label!r}; it has: {', '.join(result.labels)}")
    if not walls or not all(isinstance(w, (int, float)) and w > 0 for w in walls):
        raise UsageError(f"walls must be wall times in seconds (positive numbers); got {walls!r}")
    start = int(result.frame.loc[result.frame.label == label, "run"].max()) + 1
    extra = pd.DataFrame([{"label": label, "run": start + i, "value": float(w), "wall": float(w), "user": math.nan,
                           "sys": math.nan, "maxrss": math.nan, "exit_code": 0} for i, w in enumerate(walls)])
    return BenchResult.from_frame(pd.concat([result.frame, extra], ignore_index=True), seed=result.seed,
                                  commands=dict(result.commands), warmup=result.warmup, unit=result.unit,
                                  load=result.load)  # order "": the added runs were timed in another series


# ---------------------------------------------------------------- the go command's answers, read for a cell


class Targets(list):
    """The GOOS/GOARCH pairs `go tool dist list` prints (a list of "os/arch"), with `systems`: the operating
    systems among them, sorted, and `summary`: two lines, one that counts both and one naming every sixth target."""

    @property
    def systems(self) -> list[str]:
        return sorted({t.split("/")[0] for t in self})

    @property
    def summary(self) -> str:
        return (f"{len(self)} targets, {len(self.systems)} operating systems;"
                f"\nsome: {', '.join(self[::6])}")


def dist_targets(*, toolchain: "Toolchain | None" = None) -> Targets:
    """Every target this Go can build for: `go tool dist list`, one "os/arch" pair each, in its order (the answer
    gokit already asked and cached for its builds' GOOS/GOARCH checks)."""
    from .source.package import targets

    tc = _toolchains(toolchain)[0]
    return Targets(sorted(f"{goos}/{goarch}" for goos, goarch in targets(tc)))


def build_setting(binary: str | os.PathLike[str], key: str, *, toolchain: "Toolchain | None" = None) -> str:
    """The line of `go version -m BINARY` that records the build setting `key` (say `-ldflags`), its tabs turned
    to spaces: `build -ldflags="-X main.version=v1.2.3"`; "" when the binary records no such setting."""
    tc = _toolchains(toolchain)[0]
    info = tc.go_cmd("version", "-m", os.fspath(binary)).out
    for line in info.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "build" and words[1].split("=", 1)[0] == key:
            return " ".join(words)
    return ""


def hottest_phase(by_phase: "pd.DataFrame", phases: Sequence[str]) -> str:
    """Of a profile's samples by compiler phase (`Profile.phases()`), the phase among `phases` with the most:
    the answer of "which phase takes the largest share" (phases outside the list, like the runtime's, never
    win)."""
    mine = by_phase[by_phase["phase"].isin(list(phases))]
    if mine.empty:
        raise UsageError(f"none of {list(phases)} has samples in this profile")
    return str(mine.sort_values("value").iloc[-1]["phase"])


def find_line(text: str, needle: str) -> tuple[int, str]:
    """The first line of `text` (a Go file's source) that contains `needle`: its number, counted from 1, and its
    text without indentation, so a cell can quote the line it points at."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n, line.strip()
    raise UsageError(f"no line contains {needle!r}")


def declared_in(directory: str | os.PathLike[str], pattern: str) -> list[str]:
    """The names of the .go files in `directory` with a line matching the regular expression `pattern` (`^` and `$`
    match at each line: `^func SetMemProfileRate\\(` finds where a function is declared), sorted."""
    import re

    rx = re.compile(pattern, re.M)
    return [p.name for p in sorted(Path(directory).glob("*.go"))
            if rx.search(p.read_text(encoding="utf-8", errors="replace"))]


def top_function(frame: "pd.DataFrame", among: Sequence[str], *, strip: str = "main.") -> str:
    """Of the functions `among`, the first in a pprof table (`Top.frame()`, most first): the one with the most
    (flat or cum, as the table was sorted), its `strip` prefix taken off ("main.concat" -> "concat")."""
    mine = frame[frame["function"].isin(list(among))]
    if mine.empty:
        raise UsageError(f"none of {list(among)} is in this profile")
    return str(mine.iloc[0]["function"]).removeprefix(strip)


def files_by_target(files: "pd.DataFrame", package: str) -> Any:
    """`gokit.target_files` as a lesson table: one row per target, the files of `package` it compiles."""
    import pandas as pd

    from ._lesson_show import table

    return table(pd.DataFrame({"target": files["target"],
                               f"files of {package} it compiles": files["go_files"].map(", ".join)}))


def phase_table(by_phase: "pd.DataFrame", *, interval_s: float = 0.01) -> Any:
    """A CPU profile's samples by compiler phase (`Profile.phases()`) as a lesson table: phase, samples (one every
    `interval_s` seconds of CPU: 10 ms for `-cpuprofile`), the CPU time they stand for, the share of all samples
    ("under 1%" below one percent) and the functions that decided the phase of most of them."""
    import pandas as pd

    from ._lesson_show import table

    samples = (by_phase["value"] / interval_s).round().astype(int)
    share = [f"{s:.0%}" if s >= 0.01 else "under 1%" for s in by_phase["share"]]
    return table(pd.DataFrame({"phase": by_phase["phase"], "samples": samples,
                               "CPU time (ms)": samples * round(interval_s * 1000), "share": share,
                               "top functions": by_phase["top functions"]}))


def sections_present(build: Any, names: Sequence[str]) -> str:
    """Which of the ELF sections `names` a binary holds (`gokit.sections`): ".symtab no, .debug_info no,
    .gopclntab yes" (the symbol table, DWARF, and the runtime's own table of functions and lines)."""
    from .parsers.binary import sections

    kept = set(sections(build)["section"])
    return ", ".join(f"{name} {'yes' if name in kept else 'no'}" for name in names)
