"""gokit.bench: time whole processes (interleaved), summarise any samples honestly (medians, MAD, distribution-free
intervals of the median with their exact coverage, ratios, with units), fit how a cost scales with size, and draw
them; plus the lessons' benchmarks."""
from __future__ import annotations

import html
import logging
import math
import os
import re
import resource
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from . import _cache, _run
from ._progress import Progress
from ._run import Cmd
from .errors import GokitError, GoToolError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.figure import Figure

    from ._toolchain import Toolchain

log = logging.getLogger("gokit.bench")

#: Bootstrap resamples for the band of a fitted power law (scaling()); medians use order statistics instead.
RESAMPLES = 2000
#: The coverage an interval of the median aims at: the narrowest order-statistic interval that reaches it is used,
#: and its exact coverage is reported with it (below 6 runs no interval reaches 95%: min–max is used, and its
#: coverage, 93.75% for 5 runs, is said).
CONFIDENCE = 0.95
#: Show a progress bar when there are more runs than this in total ...
PROGRESS_RUNS = 30
#: ... or when the runs are expected to take longer than this many seconds.
PROGRESS_SECONDS = 2.0
#: A run's max RSS counts only when it exceeds our own peak RSS by this much (see compare()).
RSS_MARGIN = 4 << 20
#: bench.typecheck hands its packages to the helper in this many groups (a progress bar moves between them).
TYPECHECK_GROUPS = 6
#: Use a logarithmic time axis when the largest median is this many times the smallest.
LOG_AXIS_SPAN = 20.0
#: From this many samples on the interval of the median holds it with at least CONFIDENCE; below, the interval is
#: min–max and its coverage is lower (and said): 50% for 2 runs, 75% for 3, 87.5% for 4, 93.75% for 5.
MIN_CI_SAMPLES = 6
#: What a table shows for a value that was not measured (never a blank: a blank could also mean 0).
NOT_MEASURED = "—"
#: Units a BenchResult can carry: seconds (process timings), nanoseconds per op (go test -bench), bytes.
UNITS = ("s", "ns/op", "bytes", "ms", "count")

#: One row per counted run; `value` is the sample in the result's unit (for process timings, = wall).
FRAME_COLUMNS = ["label", "run", "value", "wall", "user", "sys", "maxrss", "exit_code"]
SUMMARY_COLUMNS = ["median", "mad", "ci_low", "ci_high", "interval", "coverage", "ratio", "ratio_low", "ratio_high",
                   "ratio_coverage", "min", "max", "runs", "user_median", "sys_median", "maxrss_median"]


def _as_cmd(label: str, value: Any) -> Cmd:
    if isinstance(value, Cmd):
        return value
    if isinstance(value, (str, bytes)):
        raise UsageError(f"command {label!r} is a string; give a list of arguments instead, like "
                         f"{value.split() if isinstance(value, str) else value!r} (gokit never uses a shell)")
    if not isinstance(value, Sequence):
        raise UsageError(f"command {label!r} must be a list of arguments or a gokit.bench.Cmd; got "
                         f"{type(value).__name__}")
    return Cmd(tuple(value))


def fast() -> bool:
    """True when GOKIT_FAST is set (to anything but 0): lessons then take fewer samples, for CI and quick checks."""
    return os.environ.get("GOKIT_FAST", "") not in ("", "0")


def runs(n: int, fast_n: int | None = None) -> int:
    """How many runs a lesson's benchmark takes: n, or with GOKIT_FAST fast_n (default: a quarter of n, at
    least MIN_CI_SAMPLES so intervals of the median keep their 95% coverage)."""
    n = _check_count("runs", n, 1)
    if not fast():
        return n
    return min(n, fast_n if fast_n is not None else max(MIN_CI_SAMPLES, n // 4))


def _check_runnable(label: str, cmd: Cmd, env: Mapping[str, str]) -> None:
    """Refuse, before anything runs, a command whose program or directory does not exist."""
    import shutil

    prog = cmd.argv[0]
    if cmd.cwd is not None and not os.path.isdir(cmd.cwd):
        raise UsageError(f"command {label!r}: working directory {os.fspath(cmd.cwd)} does not exist")
    if os.sep in prog:
        where = prog if os.path.isabs(prog) or cmd.cwd is None else os.path.join(cmd.cwd, prog)
        if not os.path.isfile(where) or not os.access(where, os.X_OK):
            raise UsageError(f"command {label!r}: {prog} is not an executable file")
    elif shutil.which(prog, path=env.get("PATH", os.defpath)) is None:
        raise UsageError(f"command {label!r}: no program named {prog!r} on its PATH")


def _check_count(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UsageError(f"{name} must be a whole number >= {minimum}, like {name}={max(minimum, 20 if name == 'runs' else 2)}; "
                         f"got {value!r}")
    return value


# ---------------------------------------------------------------- statistics (pure functions)

def median_ranks(n: int, confidence: float = CONFIDENCE) -> tuple[int, float]:
    """(k, coverage) of the distribution-free interval of the median from n samples: [x_(k), x_(n+1-k)].

    x_(1) <= ... <= x_(n) are the sorted samples. The true median lies below x_(k) only if fewer than k samples
    fall below it, which for independent runs of one continuous distribution is Binomial(n, 1/2) (a sign test):
    so the interval holds the median with probability exactly 1 - 2·P(B <= k-1), whatever the distribution.
    k is the largest rank whose coverage still reaches `confidence`; when even min–max (k = 1) falls short, that
    is n <= 5, k = 1 and the lower coverage is returned: 93.75% for 5 runs, 87.5% for 4, 75% for 3, 50% for 2,
    0 for a single run (no interval).
    """
    n = _check_count("n", n, 1)
    if n == 1:
        return 1, 0.0

    def coverage(k: int) -> float:
        return 1 - 2 * sum(math.comb(n, i) for i in range(k)) / 2 ** n

    k = 1
    while k + 1 <= (n + 1) // 2 and coverage(k + 1) >= confidence:
        k += 1
    return k, coverage(k)


def fmt_coverage(c: float) -> str:
    """A coverage as a percentage with the digits it has: 93.75%, 97.85%, 87.5%, 50%."""
    text = f"{c * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def interval_kind(n: int) -> str:
    """What the interval of a median over n samples is, in a few words: "97.85% interval" (its exact coverage),
    "93.75% interval (min–max)" below MIN_CI_SAMPLES, "one run" for a single sample (no interval)."""
    if n <= 1:
        return "one run"
    k, c = median_ranks(n)
    return f"{fmt_coverage(c)} interval" + (" (min–max)" if k == 1 else "")


#: One sentence that says what every interval gokit.bench reports is (tables, plots and lessons quote it).
INTERVAL_NOTE = ("interval = a distribution-free interval of the median: between two order statistics of the runs "
                 "(min–max below 6 runs), which holds the true median with the coverage shown, whatever the "
                 "distribution of the runs")


def median_interval(samples: "Sequence[float] | Any", *, seed: int = 0,
                    resamples: int = RESAMPLES) -> tuple[float, float, float, str]:
    """(median, low, high, kind) of samples: the order-statistic interval of the median (see median_ranks) and
    what it is ("97.85% interval"; `seed` and `resamples` are accepted for older callers and not used)."""
    import numpy as np

    x = np.sort(np.asarray(samples, dtype=float))
    if len(x) == 0:
        raise UsageError("no samples")
    k, _ = median_ranks(len(x))
    return float(np.median(x)), float(x[k - 1]), float(x[len(x) - k]), interval_kind(len(x))


def summarize(frame: "pd.DataFrame", *, seed: int = 0, resamples: int = RESAMPLES,
              order: Sequence[str] | None = None) -> "pd.DataFrame":
    """One row per label (in `order`, default: first appearance): median, MAD, interval, ratio.

    `mad` is the raw median absolute deviation (not scaled by 1.4826). `ci_low`/`ci_high` are the
    distribution-free interval of the median (two order statistics, see median_ranks): `coverage` is the
    probability that it holds the true median (at least 95% from MIN_CI_SAMPLES runs on, 93.75% for 5 runs,
    ...), and `interval` says it in words ("97.85% interval", "93.75% interval (min–max)"). `ratio` is the
    median over the first label's median; `ratio_low`/`ratio_high` divide the two intervals (low by the base's
    high, high by the base's low), which holds the ratio of the true medians whenever both intervals hold their
    medians: `ratio_coverage` = at least coverage + base coverage - 1. Values are in the frame's unit (`value`
    column; seconds for process timings). `seed` and `resamples` are accepted for older callers and not used.
    """
    import numpy as np
    import pandas as pd

    if frame.empty:
        raise UsageError("no runs to summarise")
    labels = list(order) if order is not None else list(dict.fromkeys(frame["label"]))
    rows: list[dict[str, Any]] = []
    for label in labels:
        sub = frame[frame["label"] == label]
        w = sub["value" if "value" in sub else "wall"].to_numpy(dtype=float)
        if len(w) == 0:
            raise UsageError(f"no runs for {label!r}")
        med, lo, hi, kind = median_interval(w)
        rss = sub["maxrss"].to_numpy(dtype=float)
        rows.append({"label": label, "median": med, "mad": float(np.median(np.abs(w - med))),
                     "ci_low": lo, "ci_high": hi, "interval": kind, "coverage": median_ranks(len(w))[1],
                     "min": float(w.min()), "max": float(w.max()),
                     "runs": int(len(w)), "user_median": _nanmedian(sub["user"]),
                     "sys_median": _nanmedian(sub["sys"]),
                     "maxrss_median": float(np.nanmedian(rss)) if np.isfinite(rss).any() else math.nan})
    b = rows[0]
    for row in rows:
        if row is b:
            row["ratio"], row["ratio_low"], row["ratio_high"], row["ratio_coverage"] = 1.0, 1.0, 1.0, 1.0
            continue
        row["ratio"] = row["median"] / b["median"] if b["median"] > 0 else math.inf
        row["ratio_low"] = row["ci_low"] / b["ci_high"] if b["ci_high"] > 0 else math.nan
        row["ratio_high"] = row["ci_high"] / b["ci_low"] if b["ci_low"] > 0 else math.inf
        row["ratio_coverage"] = max(0.0, row["coverage"] + b["coverage"] - 1)
    out = pd.DataFrame(rows).set_index("label")
    return out[SUMMARY_COLUMNS]


def _nanmedian(col: Any) -> float:
    import numpy as np

    a = np.asarray(col, dtype=float)
    return float(np.nanmedian(a)) if np.isfinite(a).any() else math.nan


def fmt_seconds(s: float) -> str:
    """A duration the way a person says it: 0.431 ms, 1.12 ms, 46.1 ms, 133 ms, 6.12 s."""
    if not math.isfinite(s):
        return str(s)
    ms = s * 1000
    if ms < 1:
        return f"{ms:.3f} ms"
    if ms < 10:
        return f"{ms:.2f} ms"
    if ms < 100:
        return f"{ms:.1f} ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def fmt_bytes(n: float) -> str:
    """A size the way a person says it: 512 B, 12.3 kB, 2.35 MB (decimal units, as ls -h --si)."""
    if not math.isfinite(n):
        return str(n)
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(n) >= scale:
            v = n / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:.0f} {unit}"
    return f"{n:.0f} B"


def fmt_value(x: float, unit: str = "s") -> str:
    """A sample in its unit: seconds as fmt_seconds, bytes as fmt_bytes, others with 3 significant digits."""
    if unit == "s":
        return fmt_seconds(x)
    if unit == "ms":
        return fmt_seconds(x / 1000)
    if unit == "bytes":
        return fmt_bytes(x)
    if not math.isfinite(x):
        return str(x)
    return f"{_sig(x):,g} {unit}"


def _interval(lo: float, hi: float, unit: str = "s") -> str:
    a, b = fmt_value(lo, unit), fmt_value(hi, unit)
    (na, ua), (nb, ub) = a.rsplit(" ", 1), b.rsplit(" ", 1)
    return f"[{na}–{nb}]" if ua == ub else f"[{a}–{b}]"


def fmt_ratio(r: float) -> str:
    if not math.isfinite(r):
        return str(r)
    if r >= 10:
        return f"{r:.0f}×"
    if r >= 1.1:
        return f"{r:.1f}×"
    return f"{r:.2f}×"


def _sig(x: float, digits: int = 3) -> float:
    """x rounded to `digits` significant digits (0.000431 -> 0.000431, 46.13 -> 46.1, 17700.6 -> 17700)."""
    if not math.isfinite(x) or x == 0:
        return x
    return round(x, max(0, digits - 1 - math.floor(math.log10(abs(x)))))


def _number(x: float) -> str:
    """A rounded number as people write it: 0.047, 1.6, 35, 1,900 (no trailing .0, no exponent)."""
    if not math.isfinite(x):
        return str(x)
    return f"{x:,.0f}" if abs(x) >= 100 or x == int(x) else f"{x:.10f}".rstrip("0").rstrip(".")


def _plain(x: float) -> str:
    """A ratio bound without scientific notation: 0.842, 3.41, 41.2, 3101."""
    if not math.isfinite(x):
        return str(x)
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.3g}"


def conclusion(summary: "pd.DataFrame", unit: str = "s") -> str:
    """One plain-English line computed from a summary: each command against the first one."""
    labels = list(summary.index)
    base = labels[0]
    b = summary.loc[base]
    verb = "took" if unit in ("s", "ms", "ns/op") else "measured"
    kinds = list(dict.fromkeys(summary["interval"])) if "interval" in summary else []

    def iv(row: Any) -> str:
        return _interval(row["ci_low"], row["ci_high"], unit)

    def kind(row: Any) -> str:
        return str(row["interval"]) if "interval" in row else "interval"

    if len(labels) == 1:
        return (f"{base} {verb} {fmt_value(b['median'], unit)} {iv(b)} "
                f"(median of {int(b['runs'])} runs, {kind(b)} of the median).")
    parts: list[str] = []
    for label in labels[1:]:
        s = summary.loc[label]
        took = f"{label} {verb} {fmt_value(s['median'], unit)} {iv(s)}"
        ref = f"{base} ({fmt_value(b['median'], unit)})" if not parts else base  # its value only once
        overlap = s["ci_low"] <= b["ci_high"] and b["ci_low"] <= s["ci_high"]
        if overlap:
            parts.append(f"{took}: indistinguishable from {ref}, the intervals of their medians overlap")
        elif s["ratio"] >= 1:
            parts.append(f"{took}, {fmt_ratio(s['ratio'])} {ref}")
        else:
            parts.append(f"{took}, {fmt_ratio(1 / s['ratio'])} {'faster' if verb == 'took' else 'less'} than {ref}")
    note = f" (brackets: the {kinds[0]} of each median)" if len(kinds) == 1 else \
        f" (brackets: the interval of each median, {' or '.join(kinds)})" if kinds else ""
    return "; ".join(parts) + note + "."


# ---------------------------------------------------------------- the result

@dataclass(frozen=True)
class BenchResult:
    """Samples per label (process timings, ns/op, sizes ...) in one unit: one row per run, a summary, a plot."""

    frame: "pd.DataFrame" = field(repr=False)
    summary: "pd.DataFrame" = field(repr=False)
    commands: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    warmup: int = 0
    seed: int = 0
    unit: str = "s"

    @classmethod
    def from_frame(cls, frame: "pd.DataFrame", *, seed: int = 0, commands: Mapping[str, Sequence[str]] | None = None,
                   warmup: int = 0, unit: str = "s") -> "BenchResult":
        """Summarise a frame of runs (columns label, run, wall, user, sys, maxrss, exit_code; `value` = wall if absent)."""
        if unit not in UNITS:
            raise UsageError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
        if "value" not in frame.columns and "wall" in frame.columns:
            frame = frame.assign(value=frame["wall"])
        missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
        if missing:
            raise UsageError(f"a runs frame needs the columns {FRAME_COLUMNS}; missing {missing}")
        order = list(commands) if commands else None
        return cls(frame[FRAME_COLUMNS], summarize(frame, seed=seed, order=order),
                   {k: tuple(v) for k, v in (commands or {}).items()}, warmup, seed, unit)

    @classmethod
    def from_samples(cls, samples: Mapping[str, Sequence[float]], *, unit: str = "s", seed: int = 0,
                     commands: Mapping[str, Sequence[str]] | None = None) -> "BenchResult":
        """Summarise samples gokit did not time itself: `go test -bench` ns/op, binary sizes, link times ...

        `samples` maps each label to its values in `unit`, first label first (ratios are against it).
        """
        import pandas as pd

        if not isinstance(samples, Mapping) or not samples:
            raise UsageError("from_samples wants a mapping of label -> list of numbers, like {'default': [12.1, 12.4]}")
        rows = []
        for label, values in samples.items():
            if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
                raise UsageError(f"samples[{label!r}] must be a non-empty list of numbers; got {values!r}")
            for i, v in enumerate(values):
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                    raise UsageError(f"samples[{label!r}][{i}] is not a finite number: {v!r}")
                rows.append({"label": label, "run": i, "value": float(v), "wall": math.nan, "user": math.nan,
                             "sys": math.nan, "maxrss": math.nan, "exit_code": 0})
        frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
        return cls.from_frame(frame, seed=seed, commands=commands or {k: () for k in samples}, unit=unit)

    @property
    def labels(self) -> list[str]:
        return list(self.summary.index)

    @property
    def is_timing(self) -> bool:
        """True for whole-process timings (compare()): wall, user, sys and max RSS are known."""
        return self.unit == "s" and bool(self.frame["wall"].notna().any())

    def conclusion(self) -> str:
        """One plain-English line computed from the numbers."""
        return conclusion(self.summary, self.unit)

    def table(self) -> "pd.DataFrame":
        """The whole summary for people: times in ms (other units as they are), the interval of each median and
        what it is, ratios with their intervals, runs; CPU times and memory for process timings.

        A value that was not measured is "—" (never a blank); 0 is 0. `gokit.lesson.bench_table` shows the few
        columns a lesson needs and folds this one.
        """
        s = self.summary
        scale, suffix = (1000, "ms") if self.unit == "s" else (1, {"ns/op": "ns/op", "bytes": "bytes"}.get(
            self.unit, self.unit))
        cols = ["median", "ci_low", "ci_high", "mad", "min", "max"]
        t = (s[cols] * scale).apply(lambda col: col.map(_sig))
        t.columns = [f"median {suffix}", f"low {suffix}", f"high {suffix}", f"MAD {suffix}", f"min {suffix}",
                     f"max {suffix}"]
        t.insert(3, "interval", s["interval"])
        t.insert(5, "ratio", s["ratio"].map(_sig))
        base = s.index[0]
        t.insert(6, "ratio interval",
                 ["—" if label == base else f"{_plain(lo)}–{_plain(hi)}"
                  for label, lo, hi in zip(s.index, s["ratio_low"], s["ratio_high"])])
        if self.is_timing:
            for col, name in (("user_median", "user ms"), ("sys_median", "sys ms")):
                t[name] = [f"{_sig(v * 1000):g}" if math.isfinite(v) else NOT_MEASURED for v in s[col]]
            t["max RSS MB"] = [f"{_sig(v / 2**20):g}" if math.isfinite(v) else NOT_MEASURED
                               for v in s["maxrss_median"]]
        t["runs"] = s["runs"]
        return t

    def plot(self, *, ax: Any = None, title: str | None = None) -> "Figure":
        """Every sample per label (strip + box), the median and its interval marked; log axis when spread is wide."""
        return plot_samples(self, ax=ax, title=title)

    def _repr_html_(self) -> str:
        table = self.table().to_html(border=0, classes="gokit-bench", float_format=lambda x: f"{x:g}",
                                     na_rep=NOT_MEASURED)
        what = "medians of whole-process wall time" if self.is_timing else f"medians, in {self.unit}"
        note = (f"{what}; {INTERVAL_NOTE}; ratio = median / median of <code>{html.escape(self.labels[0])}</code>, "
                "its interval divides the two intervals; — = not measured.")
        return (f"<div class='gokit-bench'>{table}<p><b>{html.escape(self.conclusion())}</b></p>"
                f"<p style='color:#666;font-size:smaller'>{note[0].upper() + note[1:]}</p></div>")

    def __repr__(self) -> str:
        parts = ", ".join(f"{lb}: {fmt_value(m, self.unit)}" for lb, m in self.summary["median"].items())
        return f"<BenchResult {len(self.summary)} commands × {int(self.summary['runs'].max())} runs; {parts}>"


# ---------------------------------------------------------------- shared plots

#: The colours every gokit benchmark plot uses.
BOX_FACE, BOX_EDGE, MEDIAN_RED, POINT = "#dde8f5", "#4a6fa5", "#c0392b", "#333"


def _horizontal() -> dict[str, Any]:
    import matplotlib

    version = tuple(int(x) for x in matplotlib.__version__.split(".")[:2] if x.isdigit())
    return {"orientation": "horizontal"} if version >= (3, 10) else {"vert": False}


def plot_samples(result: BenchResult, *, ax: Any = None, title: str | None = None) -> "Figure":
    """The one strip + box plot of gokit: samples per label, median and its interval in red, unit on the axis."""
    import matplotlib.pyplot as plt
    import numpy as np

    labels = result.labels
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.6 + 0.75 * len(labels)))
        plt.close(fig)  # returned, not auto-shown twice by the inline backend
    else:
        fig = ax.figure
    scale, axis_unit = (1000.0, "ms") if result.unit == "s" else (1.0, result.unit)
    frame = result.frame
    data = [frame.loc[frame["label"] == lb, "value"].to_numpy(dtype=float) * scale for lb in labels]
    ypos = np.arange(len(labels))[::-1]
    ax.boxplot(data, positions=ypos, **_horizontal(), widths=0.5, showfliers=False, patch_artist=True,
               boxprops={"facecolor": BOX_FACE, "edgecolor": BOX_EDGE},
               medianprops={"color": MEDIAN_RED, "linewidth": 2}, whiskerprops={"color": BOX_EDGE},
               capprops={"color": BOX_EDGE})
    rng = np.random.default_rng(result.seed)
    for y, d in zip(ypos, data):
        ax.scatter(d, y + rng.uniform(-0.18, 0.18, len(d)), s=10, color=POINT, alpha=0.45, zorder=3)
    summ = result.summary
    for y, m, a, b in zip(ypos, summ["median"] * scale, summ["ci_low"] * scale, summ["ci_high"] * scale):
        ax.plot([a, b], [y + 0.32, y + 0.32], color=MEDIAN_RED, linewidth=3, solid_capstyle="butt")
        ax.annotate(fmt_value(m / scale, result.unit), (m, y + 0.32), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9, color=MEDIAN_RED)
    meds = summ["median"].to_numpy() * scale
    positive = meds[meds > 0]
    if len(positive) and positive.max() / positive.min() > LOG_AXIS_SPAN:
        from matplotlib.ticker import FuncFormatter

        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))  # 1, 10, 100, not 10^2
    ax.set_yticks(ypos)
    ax.set_yticklabels(labels)
    ax.set_ylim(-0.6, len(labels) - 0.3)
    what = "wall time per run" if result.is_timing else "value per run"
    ax.set_xlabel(f"{what} ({axis_unit})" + (", log scale" if ax.get_xscale() == "log" else ""))
    runs = sorted(set(int(r) for r in summ["runs"]))
    counted = f"{runs[0]}" if len(runs) == 1 else f"{runs[0]}–{runs[-1]}"
    kinds = " / ".join(dict.fromkeys(summ["interval"]))
    order = ", interleaved" if result.is_timing else ""
    ax.set_title(title or f"{counted} runs per label{order}; red: median and its {kinds}", fontsize=10)
    ax.grid(axis="x", alpha=0.3, which="both")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- how a cost scales with size

@dataclass(frozen=True)
class Scaling:
    """A power law y = c · x^b fitted in log–log space through per-item medians, with a bootstrap band."""

    x: Any            # numpy arrays, one entry per item (file, package ...)
    y: Any
    y_low: Any        # each item's own interval (e.g. its median's CI), for error bars
    y_high: Any
    labels: tuple[str, ...]
    exponent: float   # b, with its interval
    exponent_low: float
    exponent_high: float
    coefficient: float  # c
    grid: Any         # x values of the band
    band_low: Any     # bootstrap 95% band of the fitted line at grid
    band_high: Any

    def predict(self, x: Any) -> Any:
        """The fitted y at x."""
        import numpy as np

        return self.coefficient * np.asarray(x, dtype=float) ** self.exponent

    def residuals(self) -> Any:
        """log10(y / fitted y) per item: 0 on the line, +0.3 is twice as slow as the line says."""
        import numpy as np

        return np.log10(self.y / self.predict(self.x))

    def by_size(self, parts: int = 4, *, items: str = "items", x_unit: str = "kB", y_unit: str = "ms",
                per_unit: tuple[str, float] = ("µs", 1000.0), digits: int = 2) -> "pd.DataFrame":
        """The items in `parts` equal groups by size (quartiles by default): how many, their median size, median
        cost, and median cost per unit of size (y/x scaled by per_unit[1], named per_unit[0]): a table that shows
        whether a bigger item costs more per unit, next to the fitted exponent. Numbers keep `digits` significant
        digits; a cost in ms whose groups all stay under 1 ms is shown in µs."""
        import pandas as pd

        _check_count("parts", parts, 2)
        names = (["smallest quarter", "2nd", "3rd", "largest quarter"] if parts == 4 else
                 [f"{i} of {parts}" for i in range(1, parts + 1)])
        frame = pd.DataFrame({"x": self.x, "y": self.y})
        frame["per"] = frame["y"] / frame["x"] * per_unit[1]
        frame["group"] = pd.qcut(frame["x"].rank(method="first"), parts, labels=names)
        table = frame.groupby("group", observed=True).agg(
            n=("x", "size"), x=("x", "median"), y=("y", "median"), per=("per", "median"))
        if y_unit == "ms" and float(table["y"].max()) < 1:
            table["y"] = table["y"] * 1000
            y_unit = "µs"
        for col in ("x", "y", "per"):  # object columns: each number shown as itself (0.034, 11), not 11.0000
            table[col] = table[col].map(lambda v: _sig(v, digits)).map(_number).astype(object)
        table.index.name = "size"
        table.columns = [items, f"median size ({x_unit})", f"median time ({y_unit})",
                         f"time per {x_unit} ({per_unit[0]})"]
        return table

    def describe(self, x_unit: str = "KB", y_unit: str = "ms") -> str:
        """The fit in one sentence, computed from the numbers."""
        b_lo, b_hi = self.exponent_low, self.exponent_high
        grows = ("grows faster than size (each unit costs more in a bigger item)" if b_lo > 1.1 else
                 "grows more slowly than size (each unit costs less in a bigger item)" if b_hi < 0.9 else
                 "grows slightly faster than size" if b_lo > 1 else
                 "grows slightly more slowly than size" if b_hi < 1 else "grows in proportion to size")
        return (f"y ≈ {_sig(self.coefficient):g} {y_unit} × ({x_unit})^{self.exponent:.2f} "
                f"(exponent, bootstrap 95% interval {self.exponent_low:.2f}–{self.exponent_high:.2f}, {len(self.x)} points): "
                f"the cost {grows}.")

    def plot(self, *, ax: Any = None, xlabel: str = "size", ylabel: str = "time", title: str | None = None,
             annotate: Sequence[str] = (), point_label: str = "median (bar: its interval)") -> "Figure":
        """Log–log points with their intervals, the fitted line and its 95% band; `annotate` names points with arrows."""
        import matplotlib.pyplot as plt
        import numpy as np

        if ax is None:
            fig, ax = plt.subplots(figsize=(7, 4.2))
            plt.close(fig)
        else:
            fig = ax.figure
        yerr = np.vstack([np.clip(self.y - self.y_low, 0, None), np.clip(self.y_high - self.y, 0, None)])
        ax.errorbar(self.x, self.y, yerr=yerr, fmt="o", ms=3, color=BOX_EDGE, alpha=0.6, elinewidth=0.8,
                    label=point_label)
        ax.fill_between(self.grid, self.band_low, self.band_high, color=MEDIAN_RED, alpha=0.15, lw=0,
                        label="bootstrap 95% band of the fit")
        ax.plot(self.grid, self.predict(self.grid), color=MEDIAN_RED, lw=1.5,
                label=f"fit: y ∝ x^{self.exponent:.2f}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        from matplotlib.ticker import FuncFormatter

        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        for name in annotate:
            if name in self.labels:
                i = self.labels.index(name)
                ax.annotate(name, (self.x[i], self.y[i]), xytext=(-60, 18), textcoords="offset points", fontsize=8,
                            arrowprops={"arrowstyle": "->", "color": "#555", "lw": 0.8})
        ax.set_xlabel(xlabel + " (log scale)")
        ax.set_ylabel(ylabel + " (log scale)")
        if title:
            ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
        fig.tight_layout()
        return fig


def scaling(x: Sequence[float], y: Sequence[float], *, y_low: Sequence[float] | None = None,
            y_high: Sequence[float] | None = None, labels: Sequence[str] | None = None,
            resamples: int = RESAMPLES, seed: int = 0) -> Scaling:
    """Fit y = c · x^b through positive points (least squares on log10), with a pairs-bootstrap 95% band and CI of b."""
    import numpy as np

    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.shape != ys.shape or xs.ndim != 1 or len(xs) < 3:
        raise UsageError("scaling wants two equally long lists of at least 3 numbers (sizes and costs)")
    if (xs <= 0).any() or (ys <= 0).any():
        raise UsageError("scaling fits in log–log space: every size and cost must be positive")
    lx, ly = np.log10(xs), np.log10(ys)
    b, a = np.polyfit(lx, ly, 1)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(xs), size=(resamples, len(xs)))
    grid = np.geomspace(xs.min(), xs.max(), 60)
    lg = np.log10(grid)
    # every resample's least-squares line at once (the same fit np.polyfit(x, y, 1) makes, in closed form:
    # slope = Sxy / Sxx): 2000 resamples of 800 points in a few milliseconds instead of 2000 polyfit calls
    rx, ry = lx[idx], ly[idx]
    dx = rx - rx.mean(axis=1, keepdims=True)
    sxx = (dx * dx).sum(axis=1)
    keep = sxx > 0  # a resample of one repeated size has no slope
    slopes = (dx * (ry - ry.mean(axis=1, keepdims=True))).sum(axis=1)[keep] / sxx[keep]
    intercepts = ry.mean(axis=1)[keep] - slopes * rx.mean(axis=1)[keep]
    lines = intercepts[:, None] + slopes[:, None] * lg[None, :]
    alpha = (1 - CONFIDENCE) / 2
    blo, bhi = np.quantile(slopes, [alpha, 1 - alpha])
    lo, hi = np.quantile(lines, [alpha, 1 - alpha], axis=0)
    ylo = np.asarray(y_low, dtype=float) if y_low is not None else ys
    yhi = np.asarray(y_high, dtype=float) if y_high is not None else ys
    return Scaling(xs, ys, ylo, yhi, tuple(labels or [str(i) for i in range(len(xs))]), float(b), float(blo),
                   float(bhi), float(10 ** a), grid, 10 ** lo, 10 ** hi)


# ---------------------------------------------------------------- running


class _Ticker:
    """Counts the steps of a piece of work and shows a progress bar (`desc`) once the work looks long: more than
    PROGRESS_RUNS steps, or more than `seconds` expected from the pace so far. Steps done before the bar shows
    count in it."""

    def __init__(self, total: int, desc: str, *, enabled: bool = True, unit: str = "run",
                 seconds: float = PROGRESS_SECONDS) -> None:
        self.total, self.desc, self.enabled, self.unit, self.seconds = total, desc, enabled, unit, seconds
        self.done = 0
        self.bar: Any = None
        self.started = time.perf_counter()

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        if not self.enabled or self.done >= self.total:
            return
        expected = (time.perf_counter() - self.started) / self.done * self.total
        if self.total > PROGRESS_RUNS or expected > self.seconds:
            self.bar = Progress(self.total, self.done, desc=self.desc, unit=self.unit)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def compare(commands: Mapping[str, Sequence[str] | Cmd], *, runs: int = 20, warmup: int = 2, timeout: float = 60,
            prepare: Mapping[str, Callable[[], Any]] | None = None, progress: bool = True,
            seed: int = 0, desc: str | None = None, tick: Callable[[], Any] | None = None) -> BenchResult:
    """Time whole processes, interleaved (A B C A B C ...), and summarise them.

    Each command is an argv list or a `Cmd(argv, env=, cwd=)`. Every command first runs `warmup`
    times (not counted), then `runs` times, interleaved so drift (CPU frequency, other load)
    hits all commands alike. `prepare[label]()`, if given, runs untimed before every run of that
    label, warm-ups included (e.g. empty a cache dir for a cold-cache measurement). A run that
    exits non-zero raises GoToolError with its stderr. `timeout` bounds each single run.
    `seed` fixes the jitter of the plot's points (intervals come from order statistics: no randomness).
    `desc` says what the progress bar (shown when the runs take more than a moment) is timing. `tick`, if given,
    is called after every run (warm-ups included) instead: for a caller that shows one bar over more work.

    `maxrss` is NaN when the program's peak RSS could not be told apart from this Python
    process's own: Linux charges a posix_spawn (vfork) child with its parent's peak RSS until
    it execs, so only peaks clearly above ours are the program's.
    """
    import pandas as pd

    if not isinstance(commands, Mapping) or not commands:
        raise UsageError("compare wants a mapping of label -> command, like {'binary': ['./hello']}")
    cmds: dict[str, Cmd] = {}
    for label, value in commands.items():
        if not isinstance(label, str) or not label.strip():
            raise UsageError(f"labels must be non-empty strings; got {label!r}")
        cmds[label] = _as_cmd(label, value)
    runs = _check_count("runs", runs, 1)
    warmup = _check_count("warmup", warmup, 0)
    timeout = _run.check_timeout(timeout)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise UsageError(f"seed must be an integer; got {seed!r}")
    prep: dict[str, Callable[[], Any]] = {}
    if prepare is not None:
        if not isinstance(prepare, Mapping):
            raise UsageError("prepare must be a mapping of label -> function, like {'cold': empty_cache}")
        for label, fn in prepare.items():
            if label not in cmds:
                raise UsageError(f"prepare names {label!r}, which is not one of the commands: {list(cmds)}")
            if not callable(fn):
                raise UsageError(f"prepare[{label!r}] must be a function taking no arguments; got {fn!r}")
        prep = dict(prepare)
    base_env = dict(os.environ)
    envs = {lb: (dict(c.env) if c.env is not None else base_env) for lb, c in cmds.items()}
    for label, cmd in cmds.items():
        _check_runnable(label, cmd, envs[label])

    total = len(cmds) * (runs + warmup)
    started = time.perf_counter()
    ticker = _Ticker(total, desc or "gokit.bench", enabled=progress and tick is None)
    step: Callable[[], Any] = tick if tick is not None else ticker

    rows: list[dict[str, Any]] = []

    def one(label: str, i: int, counted: bool) -> None:
        cmd = cmds[label]
        if label in prep:
            prep[label]()
        floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        c = _run.time_process(cmd.argv, env=envs[label], timeout=timeout, cwd=cmd.cwd, stderr=errf)
        floor = max(floor, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        if c.exit_code != 0:
            raise GoToolError(cmd.argv, c.exit_code, c.err,
                              hint=f"gokit.bench: {label!r} failed on {'run' if counted else 'warm-up'} "
                                   f"{i + 1}; a benchmark only times commands that succeed.")
        if counted:
            # Linux charges a vfork-started child with its parent's peak RSS until exec; a value
            # at or below our own peak says nothing about the program, so it is left unknown.
            rss = float(c.maxrss) if c.maxrss > floor + RSS_MARGIN else math.nan
            rows.append({"label": label, "run": i, "value": c.wall, "wall": c.wall, "user": c.user, "sys": c.sys,
                         "maxrss": rss, "exit_code": c.exit_code})
        step()

    import tempfile

    errf = tempfile.TemporaryFile()  # one stderr file for every run: a new file per run disturbs the next spawn
    try:
        for i in range(warmup):
            for label in cmds:
                one(label, i, False)
        for i in range(runs):
            for label in cmds:
                one(label, i, True)
    finally:
        errf.close()
        ticker.close()
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    log.debug("bench: %d runs in %.2f s", len(rows), time.perf_counter() - started)
    return BenchResult.from_frame(frame, seed=seed, commands={lb: c.argv for lb, c in cmds.items()},
                                  warmup=warmup)


def merge(*results: BenchResult, seed: int | None = None) -> BenchResult:
    """One result from several compare() calls (e.g. warm runs and a few cold ones), labels in order.

    Ratios are then relative to the first label of the first result. Labels must be distinct.
    """
    import pandas as pd

    if not results or not all(isinstance(r, BenchResult) for r in results):
        raise UsageError("merge wants one or more BenchResult objects, like merge(warm, cold)")
    commands: dict[str, tuple[str, ...]] = {}
    units = {r.unit for r in results}
    if len(units) > 1:
        raise UsageError(f"merge wants results in one unit; got {', '.join(sorted(units))}")
    for r in results:
        for label in r.labels:
            if label in commands:
                raise UsageError(f"label {label!r} appears in two results; give each command its own label")
            commands[label] = tuple(r.commands.get(label, ()))
    frame = pd.concat([r.frame for r in results], ignore_index=True)
    return BenchResult.from_frame(frame, seed=results[0].seed if seed is None else seed, commands=commands,
                                  warmup=results[0].warmup, unit=results[0].unit)


# ---------------------------------------------------------------- the lessons' benchmarks

def _toolchain(toolchain: "Toolchain | None") -> "Toolchain":
    from ._toolchain import toolchain as default_toolchain

    return toolchain or default_toolchain()


def _per_item(path: str, size: int, ns: Sequence[int], **extra: Any) -> dict[str, Any]:
    """One item's samples (ns) summarised in seconds: median, its interval (see median_interval), MAD, min, max."""
    import numpy as np

    x = np.asarray(ns, dtype=float) / 1e9
    med, lo, hi, kind = median_interval(x)
    return {"path": path, "size": size, **extra, "median_s": med, "ci_low_s": lo, "ci_high_s": hi, "interval": kind,
            "mad_s": float(np.median(np.abs(x - med))), "min_s": float(x.min()), "max_s": float(x.max()),
            "runs": len(x)}


def parse(paths: Sequence[str | os.PathLike[str]], *, runs: int = 5, toolchain: "Toolchain | None" = None,
          timeout: float = 300) -> "pd.DataFrame":
    """go/parser time per file, measured inside gokit's Go helper (no process start-up), GC on.

    One row per file: path, size (bytes), nodes, median_s, ci_low_s/ci_high_s (the distribution-free interval
    of the median; `interval` says its coverage), mad_s, min_s, max_s, runs.
    """
    import pandas as pd

    from ._helper import call

    runs = _check_count("runs", runs, 1)
    if isinstance(paths, (str, bytes)) or not paths:
        raise UsageError("paths is a non-empty list of .go files, like [Path('fmt/print.go')]")
    data = call(_toolchain(toolchain), "bench-parse", ["-n", str(runs), *(os.fspath(p) for p in paths)],
                timeout=timeout)
    return pd.DataFrame([_per_item(f["path"], f["size"], f["ns"], nodes=f["nodes"]) for f in data["files"]])


def typecheck(packages: Sequence[str], *, runs: int = 5, toolchain: "Toolchain | None" = None,
              timeout: float = 600, progress: bool = True) -> "pd.DataFrame":
    """go/types time per standard-library package (its GoFiles for this GOOS/GOARCH) inside gokit's Go helper:
    dependencies imported from export data, then `runs` timed checks after an untimed one, GC on.

    The packages go to the helper in a few groups, so a progress bar can show (when the work looks longer than
    a second); each group is one helper process. One row per package: path, size, files, errors and the columns
    of `parse`.
    """
    import json

    import pandas as pd

    from ._helper import call
    from ._pkg import go_list, importcfg_file

    runs = _check_count("runs", runs, 1)
    tc = _toolchain(toolchain)
    pkgs = go_list(tc, packages, timeout=timeout)
    exports = {p: o["Export"] for p, o in pkgs.items() if o.get("Export")}
    want = [{"path": p, "dir": pkgs[p]["Dir"], "files": pkgs[p].get("GoFiles", [])}
            for p in packages if p in pkgs and pkgs[p].get("GoFiles")]
    cfg = str(importcfg_file(exports))
    groups = [want[i::TYPECHECK_GROUPS] for i in range(min(TYPECHECK_GROUPS, len(want)))]
    ticker = _Ticker(len(want), "go/types, package by package", enabled=progress, unit="package", seconds=1.0)
    found: dict[str, Any] = {}
    try:
        for group in groups:
            data = call(tc, "bench-types", ["-n", str(runs), "-importcfg", cfg], input=json.dumps(group).encode(),
                        timeout=timeout)
            for p in data["packages"]:
                found[p["path"]] = p
            ticker(len(group))
    finally:
        ticker.close()
    return pd.DataFrame([_per_item(p["path"], p["size"], p["ns"], files=p["files"], errors=p["errors"])
                         for w in want if (p := found.get(w["path"])) is not None])


def package_files(packages: Sequence[str], *, toolchain: "Toolchain | None" = None) -> list["Path"]:
    """The .go files the go command compiles for these standard-library packages here (no tests)."""
    from ._pkg import package_files as files

    return files(packages, toolchain=toolchain)


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
            benchtime: str = "100000x", toolchain: "Toolchain | None" = None, timeout: float = 300,
            progress: bool = True) -> GcflagsBenchmark:
    """Compile time (the package's real compile command) and `go test -bench` run time, per gcflags setting.

    `test_src` is a `_test.go` file with one Benchmark function. Test binaries are built with
    `go test -c -gcflags=...` in a temporary copy of the module and run interleaved, `runs` times each. One
    progress bar covers the compiles, the test builds and the benchmark runs (when they take a while).
    """
    import shutil

    from . import _tmp
    from ._compile import compile_command
    from ._exec import program_env
    from ._source import as_source

    tc = _toolchain(toolchain)
    timeout = _run.check_timeout(timeout)
    src = as_source(src)
    settings = dict(flags or {"default": "", "-N -l": "-N -l"})
    found = BENCH_FUNC_RE.search(test_src) if isinstance(test_src, str) else None
    if found is None:
        raise UsageError("test_src is the text of a _test.go file with a `func BenchmarkX(b *testing.B)` in it")
    runs = _check_count("runs", runs, 3)
    bench_name = found.group("name")
    work = _tmp.mkdtemp("bench-gcflags-")
    n = len(settings)
    ticker = _Ticker(n * (runs + 1) + n + n * (runs + 1), "compiling and running with each -gcflags",
                     enabled=progress, unit="step", seconds=1.0)
    try:
        cmds: dict[str, Cmd] = {}
        for i, (label, f) in enumerate(settings.items()):
            d = work / f"out-{i}"
            d.mkdir()
            cmds[label] = compile_command(src, gcflags=f or None, outdir=d, toolchain=tc, timeout=timeout)
        comp = compare(cmds, runs=runs, warmup=1, timeout=timeout, tick=ticker)

        def build_tests(into: Path) -> None:
            mod = work / "mod"
            shutil.copytree(src.materialize(tc), mod)
            (mod / "gokit_bench_test.go").write_text(test_src)
            for i, f in enumerate(settings.values()):
                args = ["test", "-c", "-o", str(into / f"t{i}.test")] + ([f"-gcflags={f}"] if f else []) + ["."]
                tc.go_cmd(*args, cwd=mod, timeout=timeout,
                          hint="The benchmark file does not compile with the program.")
                ticker()

        # The test binaries are not what is timed (their run is): built once per program, test, flags and Go,
        # and kept in gokit's cache, so running the lesson again does not link them again.
        k = _cache.key("gcflags-tests", tc.version, str(tc.go), src.digest, src.gomod(tc).decode(), test_src,
                       list(settings.items()),
                       sorted((v, x) for v, x in tc.env().items() if v.startswith(("GO", "CGO_"))))
        had = _cache.path("gcflags-tests", k).is_dir()
        built = _cache.install_dir("gcflags-tests", k, build_tests)
        if had:
            ticker(n)
        bins = {label: built / f"t{i}.test" for i, label in enumerate(settings)}
        samples: dict[str, list[float]] = {label: [] for label in bins}
        env = program_env(tc)
        for r in range(runs + 1):
            for label, b in bins.items():
                done = _run.run([str(b), "-test.run=^$", f"-test.bench=^{bench_name}$", f"-test.benchtime={benchtime}",
                                 "-test.count=1"], env=env, cwd=work, timeout=timeout).check()
                m = next((BENCH_LINE_RE.match(ln) for ln in done.out.splitlines() if BENCH_LINE_RE.match(ln)), None)
                if m is None:
                    raise GokitError(f"no benchmark result in the output of {bench_name}:\n{done.out[-1000:]}")
                if r > 0:  # round 0 warms up
                    samples[label].append(float(m.group("ns")))
                ticker()
        run = BenchResult.from_samples(samples, unit="ns/op", commands={k: [str(v)] for k, v in bins.items()})
        return GcflagsBenchmark(comp, run, bench_name)
    finally:
        ticker.close()
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- distributions (histogram and ECDF)

def plot_distribution(result: BenchResult, *, bins: int = 20, title: str | None = None) -> "Figure":
    """Left: a histogram of every label's samples (shared bins); right: their empirical CDFs (the share of runs
    at or below each value), medians marked. For many runs per label, where a box hides the shape."""
    import matplotlib.pyplot as plt
    import numpy as np

    labels = result.labels
    scale, unit = (1000.0, "ms") if result.unit == "s" else (1.0, result.unit)
    data = [result.frame.loc[result.frame["label"] == lb, "value"].to_numpy(dtype=float) * scale for lb in labels]
    everything = np.concatenate(data)
    edges = np.histogram_bin_edges(everything, bins=_check_count("bins", bins, 1))
    fig, (hist, ecdf) = plt.subplots(1, 2, figsize=(11, 3.8))
    plt.close(fig)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, d) in enumerate(zip(labels, data)):
        c = colours[i % len(colours)]
        hist.hist(d, bins=edges, alpha=0.55, color=c, label=f"{label} ({len(d)} runs)", edgecolor="white")
        xs = np.sort(d)
        ecdf.step(np.concatenate([[xs[0]], xs]), np.concatenate([[0.0], np.arange(1, len(xs) + 1) / len(xs)]),
                  where="post", color=c, label=label)
        med = float(np.median(d))
        ecdf.axvline(med, color=c, ls=":", lw=1)
        ecdf.annotate(f"median {fmt_value(med / scale, result.unit)}", (med, 0.5), xytext=(4, -12 - 12 * i),
                      textcoords="offset points", fontsize=8, color=c)
    hist.set_xlabel(f"value per run ({unit})")
    hist.set_ylabel("runs")
    hist.legend(fontsize=8)
    ecdf.set_xlabel(f"value per run ({unit})")
    ecdf.set_ylabel("share of runs at or below")
    ecdf.set_ylim(0, 1.02)
    for ax in (hist, ecdf):
        ax.grid(alpha=0.3)
    hist.set_title(title or "histogram", fontsize=10)
    ecdf.set_title("empirical CDF (ECDF); dotted: medians", fontsize=10)
    fig.tight_layout()
    return fig
