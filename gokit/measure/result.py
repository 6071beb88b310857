"""BenchResult: samples per label in one unit (one row per run), their summary, a table and a conclusion for people,
a plot; merge() joins several results."""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..errors import UsageError
from .._display import NOT_MEASURED
from .fmt import _plain, _sig, conclusion, fmt_value
from .plots import plot_samples
from .stats import FRAME_COLUMNS, INTERVAL_NOTE, UNITS, summarize

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class BenchResult:
    """Samples per label (process timings, ns/op, sizes ...) in one unit: one row per run, a summary, a plot."""

    frame: "pd.DataFrame" = field(repr=False)
    summary: "pd.DataFrame" = field(repr=False)
    commands: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    warmup: int = 0
    seed: int = 0
    unit: str = "s"
    #: How the runs were ordered: "interleaved" (compare() of several commands: A B C A B C ...), "back to back"
    #: (one command), another phrase a caller gives ("in alternating blocks of 10"), or "" when each row was timed
    #: in a series of its own (merge()) or nobody said.
    order: str = ""
    #: The 1-minute load average around the runs (the higher of before and after), when known: a load above the
    #: CPU count means other programs competed with the runs.
    load: float | None = None

    @classmethod
    def from_frame(cls, frame: "pd.DataFrame", *, seed: int = 0, commands: Mapping[str, Sequence[str]] | None = None,
                   warmup: int = 0, unit: str = "s", order: str = "", load: float | None = None) -> "BenchResult":
        """Summarise a frame of runs (columns label, run, wall, user, sys, maxrss, exit_code; `value` = wall if absent).
        `order` and `load` say how the runs were taken (see the fields)."""
        if unit not in UNITS:
            raise UsageError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
        if "value" not in frame.columns and "wall" in frame.columns:
            frame = frame.assign(value=frame["wall"])
        missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
        if missing:
            raise UsageError(f"a runs frame needs the columns {FRAME_COLUMNS}; missing {missing}")
        labels = list(commands) if commands else None
        return cls(frame[FRAME_COLUMNS], summarize(frame, seed=seed, order=labels),
                   {k: tuple(v) for k, v in (commands or {}).items()}, warmup, seed, unit, order, load)

    @classmethod
    def from_samples(cls, samples: Mapping[str, Sequence[float]], *, unit: str = "s", seed: int = 0,
                     commands: Mapping[str, Sequence[str]] | None = None, order: str = "",
                     load: float | None = None) -> "BenchResult":
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
        return cls.from_frame(frame, seed=seed, commands=commands or {k: () for k in samples}, unit=unit, order=order,
                              load=load)

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
                 ["—" if label == base or n < 2 or s.loc[base, "runs"] < 2 else f"{_plain(lo)}–{_plain(hi)}"
                  for label, lo, hi, n in zip(s.index, s["ratio_low"], s["ratio_high"], s["runs"])])
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


def merge(*results: BenchResult, seed: int | None = None) -> BenchResult:
    """One result from several compare() calls (e.g. warm runs and a few cold ones), labels in order.

    Ratios are then relative to the first label of the first result. Labels must be distinct. The rows of
    different results were timed in different series: the merged result's `order` is "" (not interleaved), its
    `load` the highest of theirs.
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
    loads = [r.load for r in results if r.load is not None]
    return BenchResult.from_frame(frame, seed=results[0].seed if seed is None else seed, commands=commands,
                                  warmup=results[0].warmup, unit=results[0].unit,
                                  order=results[0].order if len(results) == 1 else "",
                                  load=max(loads) if loads else None)
