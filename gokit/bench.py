"""gokit.bench: time whole processes (interleaved), summarise any samples honestly (medians, MAD, distribution-free
intervals of the median with their exact coverage, ratios, with units), fit how a cost scales with size, and draw
them; plus the lessons' benchmarks.

This module is the public face; the work is done one job per module in gokit/measure:

- timer.py    compare() (whole processes, interleaved, through the exec layer), runs(), fast()
- result.py   BenchResult (a frame of runs, its summary, table, conclusion, plot) and merge()
- stats.py    the interval of a median, summarize()
- fmt.py      numbers as people say them, conclusion()
- plots.py    plot_samples(), plot_distribution()
- scaling.py  scaling(): how a cost grows with size

The lessons' benchmarks (parse, typecheck, package_files, gcflags) measure stages, so they live with the
experiments (gokit/experiments) and are imported here on first use.
"""
from __future__ import annotations

from typing import Any

from ._run import Cmd
from .measure.fmt import _sig, conclusion, fmt_bytes, fmt_coverage, fmt_ratio, fmt_seconds, fmt_value
from .measure.plots import plot_distribution, plot_samples
from .measure.result import BenchResult, merge
from .measure.scaling import Scaling, scaling
from .measure.stats import (FRAME_COLUMNS, INTERVAL_NOTE, SUMMARY_COLUMNS, interval_kind, median_interval,
                            median_ranks, summarize)
from .measure.timer import compare, fast, runs

#: Lesson experiments reachable as gokit.bench.NAME: (module in gokit/experiments, attribute).
_EXPERIMENTS: dict[str, tuple[str, str]] = {
    "parse": ("frontend_times", "parse"), "typecheck": ("frontend_times", "typecheck"),
    "package_files": ("frontend_times", "package_files"),
    "gcflags": ("compile_flags", "gcflags"), "GcflagsBenchmark": ("compile_flags", "GcflagsBenchmark"),
}


def __getattr__(name: str) -> Any:
    if name in _EXPERIMENTS:
        from .experiments import compile_flags, frontend_times

        module, attr = _EXPERIMENTS[name]
        return getattr({"frontend_times": frontend_times, "compile_flags": compile_flags}[module], attr)
    raise AttributeError(f"module 'gokit.bench' has no attribute {name!r}")


#: gokit.bench's public names (the rest are private to gokit; _sig is lent to gokit.lesson's tables).
__all__ = ["Cmd", "compare", "merge", "BenchResult", "summarize", "median_interval", "median_ranks", "interval_kind",
           "conclusion", "INTERVAL_NOTE", "fmt_coverage",
           "runs", "fast", "scaling", "Scaling", "plot_samples", "plot_distribution", "fmt_seconds", "fmt_bytes",
           "fmt_value", "fmt_ratio", "FRAME_COLUMNS", "SUMMARY_COLUMNS", *_EXPERIMENTS]


def __dir__() -> list[str]:
    return sorted(__all__)
