"""gokit.stage_costs: what each stage of `go build` (and the start of the program) costs for one file — go build
decomposed, each stage measured by the tool that runs it, medians with intervals (an experiment of lesson 08)."""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import _tmp
from .._display import NOT_MEASURED
from .._lesson_bench import bench_table, BenchTable
from .._progress import Progress
from .._run import BUILD_SECONDS, check_count, Cmd, Deadline
from ..measure.fmt import fmt_value
from ..measure.plots import BOX_EDGE, BOX_FACE, MEDIAN_RED
from ..measure.result import BenchResult, merge
from ..measure.timer import compare
from ..errors import ParseError
from ..layers.compile import compile_package
from ..layers.exec import program_env
from ..parsers.compiler import parse_compile_bench, ssa_pass_ns
from ..source.helper import call
from ..source.exports import export_files, importcfg, importcfg_file
from ..source.package import Package, resolve
from ..source.toolchain import toolchain as default_toolchain
from ..stages.objfile import hand_link

if TYPE_CHECKING:
    import pandas as pd

    from ..source.source import Source
    from ..source.toolchain import Toolchain

#: The stages measured on Go's standard-library front end (go/scanner, go/parser, go/types), not inside the compiler
FRONT_END_LIBRARIES = ("tokenise", "parse", "type-check")
#: The stages of the benchmark, in pipeline order, and what measures each.
STAGE_HOW = {
    "tokenise": "go/scanner over the file, inside gokit's Go helper",
    "parse": "go/parser over the file (it calls the scanner itself), inside gokit's Go helper",
    "type-check": "go/types on the package inside gokit's Go helper (imported packages already loaded)",
    "compiler front end": "the compiler's own parser, type checker (types2) and IR: -bench phases fe:init, "
                          "fe:loadsys, fe:parse",
    "inlining, escape analysis": "-bench phases fe:devirtualize-and-inline, fe:escapes",
    "SSA passes": "the sum of every SSA pass of every function (-d=ssa/all/time)",
    "code generation, assembly": "-bench phase be:compilefuncs minus the SSA passes: building SSA, genssa, the "
                                 "assembler's encoding",
    "write the object": "-bench phase be:dumpobj",
    "compiler start-up, exit": "the compile's whole-process wall time minus its -bench total",
    "link": "go tool link of the package archive, the whole process",
    "start": "the linked program run with the arguments given, the whole process",
}


@dataclass(frozen=True)
class StageCosts:
    """What each stage of `go build` (and the start of the program) costs for one file: `.result` is a
    BenchResult (medians with CIs, seconds); `.how` says what measured each stage."""

    result: Any = field(repr=False)
    how: Mapping[str, str] = field(default_factory=dict, repr=False)
    compile_process: Any = field(default=None, repr=False)   # the compile's wall time per run (a BenchResult)

    @property
    def stages(self) -> list[str]:
        return list(self.result.labels)

    def table(self) -> "pd.DataFrame":
        """Per stage: median and its interval in ms, share of the compile and link, what measured it."""
        s = self.result.summary
        build = [x for x in s.index if x not in FRONT_END_LIBRARIES + ("start",)]
        total = float(s.loc[build, "median"].sum())
        t = self.result.table()
        cols = [c for c in t.columns if c.startswith(("median", "CI", "low", "high"))]
        out = t[cols].copy()
        out["share of compile + link"] = [f"{s.loc[x, 'median'] / total:.0%}" if x in build else "" for x in s.index]
        out["runs"] = t["runs"]
        out["measured by"] = [self.how.get(x, "") for x in s.index]
        return out

    def plot(self, *, title: str | None = None) -> Any:
        """One bar per stage: the median with its interval as an error bar, log scale (a stage takes microseconds,
        the link a few hundred milliseconds)."""
        import matplotlib.pyplot as plt
        import numpy as np

        s = self.result.summary
        labels = list(s.index)
        med = s["median"].to_numpy() * 1e3
        lo = np.maximum(med - s["ci_low"].to_numpy() * 1e3, 0)
        hi = np.maximum(s["ci_high"].to_numpy() * 1e3 - med, 0)
        y = np.arange(len(labels))[::-1]
        fig, ax = plt.subplots(figsize=(9, 0.5 + 0.42 * len(labels)))
        plt.close(fig)
        colours = ["#ffffff" if x in FRONT_END_LIBRARIES else BOX_FACE for x in labels]
        ax.barh(y, med, xerr=[lo, hi], color=colours, edgecolor=BOX_EDGE, error_kw={"ecolor": MEDIAN_RED, "lw": 2})
        for yy, m, top in zip(y, s["median"], s["ci_high"]):
            ax.annotate(fmt_value(float(m)), (max(float(m), float(top)) * 1e3, yy), xytext=(5, -3),
                        textcoords="offset points", fontsize=8, color=MEDIAN_RED)
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.set_xscale("log")
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        kinds = " / ".join(sorted(set(s["interval"])))
        ax.set_xlabel(f"median ms, log scale (error bar: {kinds} of the median)")
        ax.set_title(title or "go build decomposed (white: the go/* front end gokit's first columns use)",
                     fontsize=10)
        ax.grid(axis="x", alpha=0.3, which="both")
        fig.tight_layout()
        return fig

    def bench_table(self) -> "BenchTable":
        """The table a lesson shows (gokit.lesson.bench_table's vocabulary): per stage its median, the interval of
        the median, its share of compile + link ("—" for the stages outside it: the go/* libraries and the
        program's start) and the runs; every other column, and what measured each stage, folded."""
        s = self.result.summary
        build = [x for x in s.index if x not in FRONT_END_LIBRARIES + ("start",)]
        total = float(s.loc[build, "median"].sum())
        t = bench_table(self.result, columns=("median", "interval", "runs"), label="stage", conclusion=False,
                        measured="each stage's times, measured as the folded column <i>measured by</i> says")
        shown = t.frame.copy()
        shown.insert(3, "share of compile + link",
                     [f"{s.loc[x, 'median'] / total:.0%}" if x in build else NOT_MEASURED for x in s.index])
        everything = t.everything.copy()
        everything["measured by"] = [self.how.get(x, "") for x in everything["stage"]]
        note = re.sub(r" — = not measured[^.]*\.", "", t.note)
        note += " — in the share column: not part of the compile and the link (measured apart)."
        return replace(t, frame=shown, everything=everything, note=note)

    def _repr_html_(self) -> str:
        return self.table().to_html(index=True)

    def __repr__(self) -> str:
        return f"<StageCosts {len(self.stages)} stages, {int(self.result.summary['runs'].max())} runs>"


def stage_costs(src: "Source | str | bytes | os.PathLike[str]", *, args: Sequence[str] = (), runs: int = 10,
                toolchain: "Toolchain | None" = None, timeout: float | None = None,
                progress: bool = True) -> StageCosts:
    """The cost of each stage for this file: tokenise, parse and type-check (go/scanner, go/parser, go/types in
    gokit's helper), the compiler's phases (its -bench report and -d=ssa/all/time, from `runs` real compiles),
    the link and the program's start (whole processes, interleaved).

    Medians with their intervals. `progress`: a bar while it measures (a few seconds). `timeout` bounds the whole
    call (default 300 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILD_SECONDS, "gokit.stage_costs")
    runs = check_count("runs", runs, 1)
    pkg = resolve(src, tc, {}, deadline).check_compilable()
    pkg.source.check_buildable()
    # 1 step for the go/* libraries, one per compile, 1 for the link and start timings
    bar = Progress(runs + 2, desc="stage costs: go/* libraries, compiles, link and start", unit="step") \
        if progress else None
    try:
        return _measure(pkg, args, runs, deadline, bar)
    finally:
        if bar is not None:
            bar.close()


def _measure(pkg: "Package", args: Sequence[str], runs: int, deadline: Deadline, bar: "Progress | None") -> StageCosts:
    tc, moddir = pkg.toolchain, pkg.moddir
    files = [str(moddir / f) for f in pkg.files]
    samples: dict[str, list[float]] = {}
    scan = call(tc, "bench-scan", ["-n", str(runs), *files], timeout=deadline)
    samples["tokenise"] = [sum(x) / 1e9 for x in zip(*(f["ns"] for f in scan["files"]))]
    parsed = call(tc, "bench-parse", ["-n", str(runs), *files], timeout=deadline)
    samples["parse"] = [sum(x) / 1e9 for x in zip(*(f["ns"] for f in parsed["files"]))]
    exports = export_files(tc, list(pkg.imports), timeout=deadline) if pkg.imports else {}
    want = [{"path": pkg.pkgpath, "dir": str(moddir), "files": list(pkg.files)}]
    checked = call(tc, "bench-types", ["-n", str(runs), "-importcfg", str(importcfg_file(exports))],
                   input=json.dumps(want).encode(), timeout=deadline)
    samples["type-check"] = [x / 1e9 for x in checked["packages"][0]["ns"]]
    if bar is not None:
        bar.update(1)

    work = _tmp.mkdtemp("stages-")
    try:
        benchfile = work / "compile-bench.txt"
        cfg = importcfg(pkg, deadline)
        ssa_ns: list[int] = []
        walls: list[float] = []
        for _ in range(runs):
            done = compile_package(pkg, importcfg=cfg, flags=(f"-bench={benchfile}", "-d=ssa/all/time"),
                                   deadline=deadline).check("stage cost")
            walls.append(done.wall)
            ssa_ns.append(ssa_pass_ns(done.stdout + done.stderr))
            if bar is not None:
                bar.update(1)
        phases = parse_compile_bench(benchfile.read_text())
        if len(phases) != runs:
            raise ParseError(f"the compiler's -bench file has {len(phases)} reports for {runs} compiles")

        def total(d: Mapping[str, int], names: Sequence[str]) -> int:
            return sum(d.get(n, 0) for n in names)

        samples["compiler front end"] = [total(d, ("fe:init", "fe:loadsys", "fe:parse")) / 1e9 for d in phases]
        samples["inlining, escape analysis"] = [total(d, ("fe:devirtualize-and-inline", "fe:escapes")) / 1e9
                                                for d in phases]
        samples["SSA passes"] = [n / 1e9 for n in ssa_ns]
        samples["code generation, assembly"] = [max(d.get("be:compilefuncs", 0) - n, 0) / 1e9
                                                for d, n in zip(phases, ssa_ns)]
        samples["write the object"] = [d.get("be:dumpobj", 0) / 1e9 for d in phases]
        samples["compiler start-up, exit"] = [max(w - d.get("total", 0) / 1e9, 0.0) for d, w in zip(phases, walls)]
        inproc = BenchResult.from_samples(samples, unit="s")
        compile_process = BenchResult.from_samples({"go tool compile (whole process)": walls}, unit="s")
        hand = hand_link(pkg, deadline=deadline)
        procs = compare({"link": hand.link_command(work / "a.out"),
                         "start": Cmd((str(hand.binary), *args), program_env(tc))},
                        runs=runs, warmup=1, timeout=deadline, progress=False)
        if bar is not None:
            bar.update(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return StageCosts(merge(inproc, procs), dict(STAGE_HOW), compile_process)
