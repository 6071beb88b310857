"""A CI simulation: commits to a small Go module, built the way two kinds of CI job would — on a runner that keeps
its checkout and Go's build cache (warm), and on one that checks out into a new directory each time (the cache is
restored, but every package of the module is compiled again). A balanced design: every package is edited the same
number of times, so a few dozen real builds show what a long random stream of commits would."""
from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from .. import _run, _tmp
from .._progress import Progress
from ..measure.fmt import fmt_ratio, fmt_seconds
from ..measure.plots import plot_distribution
from ..measure.result import BenchResult
from ..errors import UsageError
from ..layers.build import go_build
from ..source.exports import json_stream
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ..source.toolchain import Toolchain

WARM = "warm: same checkout"
FRESH = "forced: new checkout dir"
FRAME_COLUMNS = ["commit", "setup", "edited", "compiled", "wall", "user", "sys"]


@dataclass(frozen=True)
class CISimulation:
    """One row per CI build (`frame`): the commit, the setup, the package the commit edited, how many packages
    go build compiled (`go build -v`), and the build's wall, user and sys time (seconds)."""

    frame: "pd.DataFrame" = field(repr=False)
    packages: tuple[str, ...]
    seed: int
    edits_per_package: int = 0
    load: float | None = None  # the 1-minute load average around the builds (the higher of before and after)

    @cached_property
    def result(self) -> "BenchResult":
        """Wall time per setup as a BenchResult (medians, intervals, ratio against the warm setup; CPU times)."""
        import math

        f = self.frame
        runs = f.assign(label=f["setup"], run=f["commit"], value=f["wall"], maxrss=math.nan, exit_code=0)
        runs = runs.sort_values("setup", key=lambda c: c.map({WARM: 0, FRESH: 1}), kind="stable")
        return BenchResult.from_frame(runs, seed=self.seed, commands={WARM: (), FRESH: ()},
                                      order="mixed in one series, in a shuffled order", load=self.load)

    def table(self) -> "pd.DataFrame":
        """The benchmark table, plus what each setup compiled and the CPU time it used (medians)."""
        t = self.result.table()
        g = self.frame.groupby("setup")
        t["packages compiled (median)"] = [int(g.get_group(s)["compiled"].median()) for s in t.index]
        t["CPU s (median)"] = [round(float((g.get_group(s)["user"] + g.get_group(s)["sys"]).median()), 2)
                               for s in t.index]
        return t

    def plot(self) -> "Figure":
        """Histogram and ECDF of the build times of both setups."""
        g = self.frame.groupby("setup").size()
        return plot_distribution(self.result, title=f"{len(self.frame)} real CI builds ({g.get(WARM, 0)} warm, "
                                                    f"{g.get(FRESH, 0)} in a new directory)",
                                 xlabel="wall time per CI build")

    def conclusion(self) -> str:
        """What the numbers say, computed from them."""
        import numpy as np

        s = self.result.summary
        w, f = s.loc[WARM], s.loc[FRESH]
        warm_walls = self.frame.loc[self.frame.setup == WARM, "wall"].to_numpy()
        p90 = float(np.quantile(warm_walls, 0.9))
        overlap = f["ci_low"] <= w["ci_high"] and w["ci_low"] <= f["ci_high"]
        compiled = self.frame.groupby("setup")["compiled"]
        lo, hi = compiled.min()[FRESH], compiled.max()[FRESH]
        fresh_n = f"{lo} every time" if lo == hi else f"{lo}–{hi}"
        verdict = ("these runs do not tell the two apart: their intervals overlap" if overlap else
                   f"a new checkout directory made the median build {fmt_ratio(f['ratio'])} as long")
        return (f"Warm builds took {fmt_seconds(w['median'])} (median; 90% were done within {fmt_seconds(p90)}) and "
                f"compiled {compiled.min()[WARM]}–{compiled.max()[WARM]} of the {len(self.packages)} packages; builds "
                f"in a new directory took {fmt_seconds(f['median'])} and compiled {fresh_n}: {verdict}.")

    def by_edit(self) -> "pd.DataFrame":
        """The warm builds by the package their commit edited: builds, packages compiled (what `go build -v` named:
        the edited package and the packages that import it directly), and the median build time in seconds."""
        import pandas as pd

        warm = self.frame[self.frame.setup == WARM]
        rows = []
        for pkg, g in warm.groupby("edited", sort=False):
            lo, hi = int(g["compiled"].min()), int(g["compiled"].max())
            rows.append({"edited": pkg, "builds": len(g), "packages compiled": str(lo) if lo == hi else f"{lo}–{hi}",
                         "median seconds": float(g["wall"].median())})
        return pd.DataFrame(rows).sort_values("edited", key=lambda c: c.map(self.packages.index)).reset_index(
            drop=True)

    def __repr__(self) -> str:
        return f"<CISimulation {len(self.frame)} builds of {len(self.packages)} packages>"


def _packages(tc: "Toolchain", moddir: Path, timeout: "float | _run.Deadline") -> dict[str, list[Path]]:
    """Import path -> its .go files, for every package of the module (go list)."""
    done = tc.go_cmd("list", "-json=ImportPath,Dir,GoFiles", "./...", cwd=moddir, timeout=timeout)
    return {obj["ImportPath"]: [Path(obj["Dir"]) / f for f in obj.get("GoFiles", [])] for obj in json_stream(done.out)}


def ci_simulation(files: Mapping[str, str], *, main: str = ".", edits_per_package: int = 3, forced: int = 10,
                  seed: int = 0, toolchain: "Toolchain | None" = None, timeout: float | None = None,
                  progress: bool = True) -> CISimulation:
    """Simulate CI builds of a module given as {path: text} (with a go.mod), with real builds only.

    Commits: each edits one package by appending a constant to one of its files (a real change of its source);
    every package is edited `edits_per_package` times, in an order shuffled with `seed` (a balanced design: a
    random stream of commits would only weight the packages unevenly). After each commit the module's one
    checkout is built (warm: Go's build cache compiles what changed and what imports it). `forced` more builds,
    spread among the commits, each copy the checkout to a new path and build there (the package directory is part
    of every module package's cache key without -trimpath, so all of them are compiled again; the standard
    library still comes from the cache). One untimed build of each kind first warms the cache. Each build is
    `go build -v -o app MAIN`; -v names what it compiled. `timeout` bounds the whole call (default 900 s).
    """
    if not isinstance(files, Mapping) or "go.mod" not in files:
        raise UsageError("files maps paths to file contents and must include a go.mod, like "
                         "{'go.mod': 'module example.com/m\\n', 'main.go': 'package main ...'}")
    edits_per_package = _run.check_count("edits_per_package", edits_per_package, 1)
    forced = _run.check_count("forced", forced, 1)
    tc = toolchain or default_toolchain()
    deadline = _run.Deadline.of(timeout, _run.BUILDS_SECONDS, "gokit.ci_simulation")
    rng = random.Random(seed)
    work = _tmp.mkdtemp("ci-")
    try:
        repo = work / "checkout"
        for rel, text in files.items():
            p = repo / rel
            if not p.resolve().is_relative_to(repo.resolve()):
                raise UsageError(f"file path {rel!r} leaves the module directory")
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        pkgs = _packages(tc, repo, deadline)
        if not pkgs:
            raise UsageError("the module has no Go packages")
        names = sorted(pkgs)
        edits = [n for n in names for _ in range(edits_per_package)]
        rng.shuffle(edits)
        # the forced builds, spread evenly among the commits (after commit i)
        after = {round((j + 0.5) * len(edits) / forced - 0.5) for j in range(forced)}
        when = sorted(after) if len(after) == forced else sorted(rng.sample(range(len(edits)), forced))

        def build(d: Path) -> tuple[float, float, float, int]:
            done = go_build(tc, "-v", "-o", "app", main, cwd=d, deadline=deadline,
                            hint="The CI simulation's module must build.")
            compiled = [ln for ln in done.err.splitlines() if ln.strip() and not ln.startswith("#")]
            return done.wall, done.user, done.sys, len(compiled)

        def fresh(tag: str) -> tuple[float, float, float, int]:
            d = work / f"job-{tag}"
            shutil.copytree(repo, d)
            try:
                return build(d)
            finally:
                shutil.rmtree(d, ignore_errors=True)

        load_before = os.getloadavg()[0]
        build(repo)  # warm the cache for both kinds of job (not counted)
        fresh("warmup")
        rows = []
        bar = (Progress(len(edits) + forced, 0, desc=f"CI builds: {len(edits)} warm, {forced} in a new directory",
                        unit="build") if progress else None)
        try:
            for i, edited in enumerate(edits):
                target = sorted(pkgs[edited])[0]
                with target.open("a") as f:
                    f.write(f"\nconst ciCommit{i} = {i}\n")
                jobs = [(WARM, lambda: build(repo))]
                if i in when:
                    jobs.append((FRESH, lambda: fresh(str(i))))
                    if i % 2:  # alternate which kind goes first, so drift hits both alike
                        jobs.reverse()
                for setup, job in jobs:
                    wall, user, sys_, n = job()
                    rows.append((i, setup, edited, n, wall, user, sys_))
                    if bar is not None:
                        bar.update(1)
        finally:
            if bar is not None:
                bar.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    import pandas as pd

    return CISimulation(pd.DataFrame(rows, columns=FRAME_COLUMNS), tuple(names), seed, edits_per_package,
                        max(load_before, os.getloadavg()[0]))
