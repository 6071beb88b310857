"""The same code compiled with different -gcflags: the package's compile time and `go test -bench` run time per
setting (gokit.bench.gcflags, lesson 03's closing benchmark)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from .. import _tmp
from .._progress import Progress
from .._run import BUILD_SECONDS, check_count, Cmd, Deadline
from ..measure.fmt import _plain
from ..measure.plots import plot_samples
from ..measure.result import BenchResult
from ..measure.timer import PROGRESS_SECONDS, compare
from ..errors import GokitError, UsageError
from ..layers.build import test_binary
from ..layers.compile import compile_command, parse_gcflags
from ..layers.exec import program_env, run_program
from ..source.exports import importcfg
from ..source.package import resolve
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ..source.toolchain import Toolchain

BENCH_LINE_RE = re.compile(r"^(?P<name>Benchmark\S*?)(?:-\d+)?\s+(?P<n>\d+)\s+(?P<ns>[\d.]+) ns/op")
BENCH_FUNC_RE = re.compile(r"func (?P<name>Benchmark\w*)")


@dataclass(frozen=True)
class GcflagsBenchmark:
    """The same code compiled with different -gcflags: compile time of the package and run time per op."""

    compile: BenchResult
    run: BenchResult          # unit ns/op, from `go test -bench`
    benchmark: str

    def table(self) -> "pd.DataFrame":
        import pandas as pd

        c = self.compile.summary
        r = self.run.summary
        # numbers as people write them (294, 16.5, 4.78), not 1596.0 or 1445.00–1719.00
        return pd.DataFrame({
            "compile median ms": (c["median"] * 1e3).map(_plain),
            f"compile {c['interval'].iloc[0]} ms": [f"{_plain(a * 1e3)}–{_plain(b * 1e3)}"
                                                   for a, b in zip(c["ci_low"], c["ci_high"])],
            "run median ns/op": r["median"].map(_plain),
            f"run {r['interval'].iloc[0]} ns/op": [f"{_plain(a)}–{_plain(b)}" for a, b in zip(r["ci_low"], r["ci_high"])],
            "run ratio": r["ratio"].map(_plain),
        })

    def plot(self) -> "Figure":
        """Left: compile time per run; right: ns/op per benchmark run; red: median and its interval."""
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(11, 0.9 + 0.8 * len(self.run.labels)))
        plt.close(fig)
        plot_samples(self.compile, ax=axes[0], title="compile time of the package (whole process)")
        plot_samples(self.run, ax=axes[1], title=f"{self.benchmark}: run time per op (go test -bench)")
        fig.tight_layout()
        return fig

    def _repr_html_(self) -> str:
        return self.table().to_html(border=0)


def gcflags(src: Any, test_src: str, *, flags: Mapping[str, str] | None = None, runs: int = 10,
            benchtime: str = "100000x", toolchain: "Toolchain | None" = None,
            timeout: float | None = None, progress: bool = True) -> GcflagsBenchmark:
    """Compile time (the package's real compile command) and `go test -bench` run time, per gcflags setting.

    `test_src` is a `_test.go` file with one Benchmark function. Test binaries are built with
    `go test -c -gcflags=...` (kept in gokit's cache) and run interleaved, `runs` times each, with the limits
    of every program gokit runs. `timeout` bounds the whole call (default 300 s). Progress bars (compiles, then
    benchmark runs) show when either looks longer than PROGRESS_SECONDS (`progress=False`: never).
    """
    import shutil

    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, BUILD_SECONDS, "gokit.bench.gcflags")
    pkg = resolve(src, tc, {}, deadline)
    settings = dict(flags or {"default": "", "-N -l": "-N -l"})
    found = BENCH_FUNC_RE.search(test_src) if isinstance(test_src, str) else None
    if found is None:
        raise UsageError("test_src is the text of a _test.go file with a `func BenchmarkX(b *testing.B)` in it")
    runs = check_count("runs", runs, 3)
    bench_name = found.group("name")
    work = _tmp.mkdtemp("bench-gcflags-")
    bar: Progress | None = None
    try:
        cmds: dict[str, Cmd] = {}
        cfg = importcfg(pkg.check_compilable(), deadline)
        for i, (label, f) in enumerate(settings.items()):
            d = work / f"out-{i}"
            d.mkdir()
            cmds[label] = compile_command(pkg, importcfg=cfg, flags=parse_gcflags(f or None), outdir=d)
        comp = compare(cmds, runs=runs, warmup=1, timeout=deadline, progress=progress,
                       desc="compiling the package with each -gcflags")
        bins = {label: test_binary(pkg, {"gokit_bench_test.go": test_src}, gcflags=f or None, deadline=deadline,
                                   hint="The benchmark file does not compile with the program.").path
                for label, f in settings.items()}
        samples: dict[str, list[float]] = {label: [] for label in bins}
        env = program_env(tc)
        total, started = (runs + 1) * len(bins), time.perf_counter()
        for r in range(runs + 1):
            if bar is None and progress and r == 1 and \
                    (time.perf_counter() - started) * (runs + 1) > PROGRESS_SECONDS:
                bar = Progress(total, len(bins), desc=f"{bench_name}, each build in turn", unit="run")
            for label, b in bins.items():
                done = run_program([str(b), "-test.run=^$", f"-test.bench=^{bench_name}$",
                                    f"-test.benchtime={benchtime}", "-test.count=1"], env=env, cwd=work,
                                   deadline=deadline).check()
                m = next((BENCH_LINE_RE.match(ln) for ln in done.out.splitlines() if BENCH_LINE_RE.match(ln)), None)
                if m is None:
                    raise GokitError(f"no benchmark result in the output of {bench_name}:\n{done.out[-1000:]}")
                if r > 0:  # round 0 warms up
                    samples[label].append(float(m.group("ns")))
                if bar is not None:
                    bar.update(1)
        run = BenchResult.from_samples(samples, unit="ns/op", commands={k: [str(v)] for k, v in bins.items()})
        return GcflagsBenchmark(comp, run, bench_name)
    finally:
        if bar is not None:
            bar.close()
        shutil.rmtree(work, ignore_errors=True)
