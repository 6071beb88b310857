"""A CI simulation: a stream of commits to a small Go module, each built the way two kinds of CI job would —
on a runner that keeps its checkout and Go's build cache (warm), and on one that checks out into a new
directory each time (the cache is restored, but every package of the module is compiled again)."""
from __future__ import annotations

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
from ..source.package import json_stream
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

    @cached_property
    def result(self) -> "BenchResult":
        """Wall time per setup as a BenchResult (medians, CIs, ratio against the warm setup)."""
        return BenchResult.from_samples({s: self.frame.loc[self.frame.setup == s, "wall"].tolist()
                                         for s in (WARM, FRESH)}, unit="s", seed=self.seed)

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
        n = len(self.frame) // 2
        return plot_distribution(self.result, title=f"{len(self.frame)} CI builds: {n} commits, each built both ways")

    def conclusion(self) -> str:
        """What the numbers say, computed from them."""
        import numpy as np

        s = self.result.summary
        w, f = s.loc[WARM], s.loc[FRESH]
        warm_walls = self.frame.loc[self.frame.setup == WARM, "wall"].to_numpy()
        p90 = float(np.quantile(warm_walls, 0.9))
        overlap = f["ci_low"] <= w["ci_high"] and w["ci_low"] <= f["ci_high"]
        compiled = self.frame.groupby("setup")["compiled"]
        verdict = ("the two are indistinguishable: their intervals overlap" if overlap else
                   f"a new checkout directory made the median build {fmt_ratio(f['ratio'])} as long")
        return (f"Warm builds took {fmt_seconds(w['median'])} (median; 90% were done within {fmt_seconds(p90)}) and "
                f"compiled {compiled.min()[WARM]}–{compiled.max()[WARM]} of the {len(self.packages)} packages; builds "
                f"in a new directory took {fmt_seconds(f['median'])} and compiled {compiled.median()[FRESH]:.0f} every "
                f"time: {verdict}.")

    def __repr__(self) -> str:
        return f"<CISimulation {len(self.frame)} builds of {len(self.packages)} packages>"


def _packages(tc: "Toolchain", moddir: Path, timeout: "float | _run.Deadline") -> dict[str, list[Path]]:
    """Import path -> its .go files, for every package of the module (go list)."""
    done = tc.go_cmd("list", "-json=ImportPath,Dir,GoFiles", "./...", cwd=moddir, timeout=timeout)
    return {obj["ImportPath"]: [Path(obj["Dir"]) / f for f in obj.get("GoFiles", [])] for obj in json_stream(done.out)}


def ci_simulation(files: Mapping[str, str], *, main: str = ".", commits: int = 50, seed: int = 0,
                  toolchain: "Toolchain | None" = None, timeout: float | None = None,
                  progress: bool = True) -> CISimulation:
    """Simulate `commits` CI runs of a module given as {path: text} (with a go.mod).

    Each commit edits one package chosen at random (seeded): it appends a constant to one of its files,
    a real change of its source. Each commit is then built twice, in alternating order: in the module's
    one checkout (Go's build cache compiles only what changed and what imports it), and in a copy at a
    new path (the package directory is part of every module package's cache key without -trimpath, so all
    of them are compiled again; the standard library still comes from the cache). One untimed build of
    each kind first warms the cache. Each build is `go build -v -o app MAIN`; -v names what it compiled.
    `timeout` bounds the whole call (default 900 s).
    """
    if not isinstance(files, Mapping) or "go.mod" not in files:
        raise UsageError("files maps paths to file contents and must include a go.mod, like "
                         "{'go.mod': 'module example.com/m\\n', 'main.go': 'package main ...'}")
    commits = _run.check_count("commits", commits, 1)
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

        build(repo)  # warm the cache for both kinds of job (not counted)
        fresh("warmup")
        rows = []
        bar = Progress(commits * 2, 0) if progress else None
        try:
            for i in range(commits):
                edited = rng.choice(names)
                target = sorted(pkgs[edited])[0]
                with target.open("a") as f:
                    f.write(f"\nconst ciCommit{i} = {i}\n")
                order = [(WARM, lambda: build(repo)), (FRESH, lambda: fresh(str(i)))]
                for setup, job in (order if i % 2 == 0 else order[::-1]):
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

    return CISimulation(pd.DataFrame(rows, columns=FRAME_COLUMNS), tuple(names), seed)
