"""Benchmark tables readable at a glance: a gokit.bench result as a lesson shows it, and its comparisons in words."""
from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass, field
from typing import Any

from ._display import NOT_MEASURED  # what a table shows for a value that was not measured
from .errors import UsageError

#: The columns `bench_table` can show, in this order; the first four (with the label) are shown by default.
BENCH_COLUMNS = ("median", "interval", "ratio", "runs", "ratio interval", "MAD", "min", "max", "user CPU",
                 "system CPU", "max RSS")
DEFAULT_BENCH_COLUMNS = ("median", "interval", "ratio", "runs")
#: Time units a column may be shown in: (name, seconds per unit), smallest first.
TIME_UNITS = (("µs", 1e-6), ("ms", 1e-3), ("s", 1.0))
#: Size units a column may be shown in (decimal, as ls -h --si and gokit.bench.fmt_bytes).
SIZE_UNITS = (("B", 1.0), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9))


def _column_unit(values: Any, unit: str) -> tuple[str, float]:
    """(unit name, scale) for a column of values in `unit`: the largest unit in which its smallest non-zero value
    is still at least 1 (412 ns, 46 ms), one step up if the largest would then need 6 digits (0.43 ms and 6.1 s
    in one column read as 0.425 and 6,100 ms)."""
    import numpy as np

    finite = [abs(float(v)) for v in values if v is not None and np.isfinite(float(v)) and float(v) != 0]
    if unit in ("s", "ms", "ns/op"):
        seconds = {"s": 1.0, "ms": 1e-3, "ns/op": 1e-9}[unit]
        units: tuple[tuple[str, float], ...] = ((("ns", 1e-9),) + TIME_UNITS) if unit == "ns/op" else TIME_UNITS
        suffix = "/op" if unit == "ns/op" else ""
    elif unit == "bytes":
        seconds, units, suffix = 1.0, SIZE_UNITS, ""
    else:
        return unit, 1.0
    if not finite:
        name, per = units[0] if unit != "s" else units[1]
        return name + suffix, per / seconds
    low, top = min(finite) * seconds, max(finite) * seconds
    i = 0
    for j, (_, p) in enumerate(units):
        if low >= p:
            i = j
    if top / units[i][1] >= 1e5 and i + 1 < len(units):
        i += 1
    name, per = units[i]
    return name + suffix, per / seconds


def _num(x: float, digits: int = 3) -> str:
    """A number with `digits` significant digits, without exponent or trailing zeros: 0.431, 46.1, 1,520, 32,500."""
    if x is None or not math.isfinite(x):
        return NOT_MEASURED
    v = float(f"{float(x):.{digits}g}")
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(v))))
    return f"{v:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{v:.0f}"


def ratio(r: float) -> str:
    """A ratio of two medians with the digits noisy medians have (2 significant figures): "18×", "0.76×", "170×"."""
    if r is None or not math.isfinite(r):
        return NOT_MEASURED
    return _two(r) + "×"


def _two(x: float) -> str:
    """A number to 2 significant figures, written out: 0.76, 18, 170, 15,000."""
    return _num(float(f"{x:.2g}"), 3)


def versus(result: Any, a: str, b: str) -> str:
    """How row `a` of a gokit.bench result compares with row `b`, in words a conclusion can use: "18× as long as
    b", "2.5× faster than b", or "within the noise of b (their intervals overlap: these runs cannot tell them
    apart)" when the intervals of the two medians overlap (or either row has one run, so no interval). On a machine busier than its CPUs during
    the runs (as `bench_table` judges it), a difference under BUSY_MARGIN is held back, as the table holds it back."""
    s = result.summary
    for label in (a, b):
        if label not in s.index:
            raise UsageError(f"the result has no row {label!r}; it has: {', '.join(s.index)}")
    x, y = s.loc[a], s.loc[b]
    if x["runs"] < 2 or y["runs"] < 2:
        return f"not compared with {b}: one run has no interval"
    if x["ci_low"] <= y["ci_high"] and y["ci_low"] <= x["ci_high"]:
        return f"within the noise of {b} (their intervals overlap: these runs cannot tell them apart)"
    r = x["median"] / y["median"]
    clear = x["ci_low"] >= y["ci_high"] * BUSY_MARGIN or y["ci_low"] >= x["ci_high"] * BUSY_MARGIN
    if not clear and _busy(getattr(result, "load", None))[0]:
        how = f"{ratio(r)} as long as {b}" if r > 1 else f"{ratio(1 / r)} faster than {b}"
        return (f"{how} by the medians, but on this busy machine a difference that may be under {BUSY_MARGIN:g}× "
                "is not concluded")
    return f"{ratio(r)} as long as {b}" if r > 1 else f"{ratio(1 / r)} faster than {b}"


@dataclass(frozen=True)
class BenchTable:
    """A benchmark result shown at a glance (see `bench_table`): `frame` holds exactly the cells shown."""

    frame: Any = field(repr=False)       # DataFrame: the shown columns, as text
    everything: Any = field(repr=False)  # DataFrame: every column of the result, as text (folded)
    note: str = ""
    conclusion: str = ""
    warning: str = ""                    # the machine was busier than its CPUs: said above the conclusion

    def _repr_html_(self) -> str:
        def grid(frame: Any) -> str:
            cols = list(frame.columns)
            cell = "padding:2px 10px;text-align:{}"
            head = "".join(f"<th style='{cell.format('left' if i == 0 else 'right')}'>{html.escape(str(c))}</th>"
                           for i, c in enumerate(cols))
            body = "".join("<tr>" + "".join(f"<td style='{cell.format('left' if i == 0 else 'right')}'>"
                                            f"{html.escape(str(v))}</td>" for i, v in enumerate(row)) + "</tr>"
                           for row in frame.itertuples(index=False))
            return f"<table class='gokit-bench' style='border-collapse:collapse'><tr>{head}</tr>{body}</table>"

        warn = (f"<p style='margin:.3em 0;padding:.2em .5em;background:#fff4d6;border-left:3px solid #b8860b'>"
                f"⚠ {html.escape(self.warning)}</p>" if self.warning else "")
        concl = f"<p><b>{html.escape(self.conclusion)}</b></p>" if self.conclusion else ""
        return (f"<div class='gokit-bench'>{grid(self.frame)}{warn}{concl}<p style='color:#555;font-size:12px;"
                f"margin:.3em 0'>{self.note}</p><details><summary>every column (interval coverage, ratio interval, "
                f"MAD, min, max, CPU times, memory)</summary><div style='overflow:auto'>{grid(self.everything)}"
                "</div></details></div>")

    def __repr__(self) -> str:
        return f"(a benchmark table of {len(self.frame)} rows)"


#: Under this many times apart, a benchmark on a machine busier than its CPUs draws no conclusion: other programs'
#: load can shift one series against another by that much even when the runs are interleaved.
BUSY_MARGIN = 2.0


def _busy(load: float | None) -> tuple[bool, str]:
    """(busier than its CPUs, "load average 3.6 on 2 CPUs") for a result's recorded load (else the load now)."""
    if load is None:
        load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    return load > cpus, f"load average {load:.1f} on {cpus} CPU{'s' if cpus != 1 else ''}"


def bench_table(result: Any, *, columns: Any = DEFAULT_BENCH_COLUMNS, label: str = "", conclusion: bool = True,
                measured: str = "", unit: str | None = None) -> BenchTable:
    """A gokit.bench result as a lesson shows it: a few columns, the rest folded, one name per quantity.

    The vocabulary, the same in every lesson:

    * **median**: the middle value of the runs (half took less, half more); its unit (µs, ms, s; B, kB, MB) is
      chosen per column from its values and shown in the header;
    * **interval**: the distribution-free interval of the median, low–high in the median's unit: if the runs are
      independent and identically distributed, it holds the true median with the probability the header gives
      (exact: at least 95% from 6 runs on; the note gives each exact value); a row of 2–5 runs (min–max, under
      95%) is marked * and the note says its probability; a row of one run has none ("—");
    * **ratio**: median / the first row's median (the reference, shown as 1×), 2 significant figures;
    * **runs**: the timed runs (warm-ups not counted);
    * folded or on request (`columns=`): **ratio interval** (the two intervals divided: it holds the ratio of the
      true medians with at least the probability given, coverage + the reference's coverage − 1), **MAD** (median
      absolute deviation), **min**, **max**, **user CPU** and **system CPU** (medians), **max RSS** (median peak
      memory).

    The note says what the median is of (`measured` overrides it), how the runs were ordered (interleaved only
    when they were: `result.order`), and what each interval covers, once. The conclusion (`conclusion=False`
    leaves it out) says which rows these runs tell apart from the first and which not, computed from the
    intervals; when the machine was busier than its CPUs during the runs (`result.load`, else the load average
    now, above the CPU count) the table says so, and differences under 2× are held back. A value that was not
    measured is "—", never a blank; 0 is 0. `label` names the first column (default "command" for process
    timings, else "what"). `unit` ("µs", "ms" or "s" for times) fixes the unit of the time columns instead.
    """
    import pandas as pd

    from .measure.fmt import fmt_coverage
    from .measure.result import BenchResult
    from .measure.stats import CONFIDENCE

    if not isinstance(result, BenchResult):
        raise UsageError("bench_table wants a gokit.bench result (from bench.compare, bench.merge or "
                         f"BenchResult.from_samples); got {type(result).__name__}")
    cols = [columns] if isinstance(columns, str) else list(columns)
    unknown = [c for c in cols if c not in BENCH_COLUMNS]
    if unknown:
        raise UsageError(f"bench_table has no column {unknown[0]!r}; it has: {', '.join(BENCH_COLUMNS)}")
    s = result.summary
    labels = list(s.index)
    unit_name, per = _column_unit(s["median"], result.unit)
    if unit is not None:
        seconds = {"s": 1.0, "ms": 1e-3}.get(result.unit)
        scale = dict(TIME_UNITS).get(unit)
        if seconds is None or scale is None:
            raise UsageError(f"unit= is one of {', '.join(u for u, _ in TIME_UNITS)}, for a result of times in s or "
                             f"ms; got {unit!r} for a result in {result.unit}")
        unit_name, per = unit, scale / seconds
    runs = [int(n) for n in s["runs"]]
    covers = [float(c) for c in s["coverage"]]
    good = sorted({c for c, n in zip(covers, runs) if n > 1 and c >= CONFIDENCE})
    low = [i for i, (c, n) in enumerate(zip(covers, runs)) if n > 1 and c < CONFIDENCE]
    head_cov = (fmt_coverage(good[0]) if len(good) == 1 else f"≥ {fmt_coverage(CONFIDENCE)}" if good else "")

    def interval(i: int) -> str:
        if runs[i] < 2:
            return NOT_MEASURED
        text = f"{_num(s['ci_low'].iloc[i] / per)}–{_num(s['ci_high'].iloc[i] / per)}"
        return text + " *" if i in low else text

    def ratio_interval(i: int) -> str:
        if i == 0 or runs[i] < 2 or runs[0] < 2:
            return NOT_MEASURED
        return f"{_two(s['ratio_low'].iloc[i])}–{_two(s['ratio_high'].iloc[i])}×"

    def ratio_coverage(i: int) -> str:
        if i == 0 or runs[i] < 2 or runs[0] < 2:
            return NOT_MEASURED
        return f"≥ {fmt_coverage(max(0.0, covers[i] + covers[0] - 1))}"

    def cpu(col: str) -> list[str]:
        return [_num(v * 1000) if result.is_timing else NOT_MEASURED for v in s[col]]

    first = label or ("command" if result.is_timing else "what")
    out = pd.DataFrame({first: labels})
    for c in cols:
        if c == "median":
            out[f"median ({unit_name})"] = [_num(v / per) for v in s["median"]]
        elif c == "interval":
            out[f"interval ({unit_name}, {head_cov})" if head_cov else f"interval ({unit_name})"] = \
                [interval(i) for i in range(len(labels))]
        elif c == "ratio":
            out["ratio"] = [ratio(r) for r in s["ratio"]]
        elif c == "runs":
            out["runs"] = runs
        elif c == "ratio interval":
            out["ratio interval"] = [ratio_interval(i) + ("" if i == 0 or runs[i] < 2 or runs[0] < 2 else
                                                          f" ({ratio_coverage(i)})") for i in range(len(labels))]
        elif c in ("MAD", "min", "max"):
            src = {"MAD": "mad", "min": "min", "max": "max"}[c]
            out[f"{c} ({unit_name})"] = [_num(v / per) for v in s[src]]
        elif c in ("user CPU", "system CPU"):
            out[f"{c} (ms)"] = cpu("user_median" if c == "user CPU" else "sys_median")
        elif c == "max RSS":
            out["max RSS (MB)"] = [_num(v / 1e6) if result.is_timing else NOT_MEASURED for v in s["maxrss_median"]]
    everything = pd.DataFrame({
        first: labels,
        f"median ({unit_name})": [_num(v / per) for v in s["median"]],
        f"interval ({unit_name})": [interval(i).removesuffix(" *") for i in range(len(labels))],
        "its coverage": [fmt_coverage(c) if n > 1 else NOT_MEASURED for c, n in zip(covers, runs)],
        "ratio": [ratio(r) for r in s["ratio"]],
        "ratio interval": [ratio_interval(i) for i in range(len(labels))],
        "its coverage ": [ratio_coverage(i) for i in range(len(labels))],
        f"MAD ({unit_name})": [_num(v / per) for v in s["mad"]],
        f"min ({unit_name})": [_num(v / per) for v in s["min"]],
        f"max ({unit_name})": [_num(v / per) for v in s["max"]],
        "runs": runs,
        "user CPU (ms)": cpu("user_median"),
        "system CPU (ms)": cpu("sys_median"),
        "max RSS (MB)": [_num(v / 1e6) if result.is_timing else NOT_MEASURED for v in s["maxrss_median"]],
    })

    # the note: what the median is of, how the runs were ordered, what the intervals cover, the ratio, "—"
    what = measured or ("whole-process wall time" if result.is_timing else
                        "the sizes measured" if result.unit == "bytes" else
                        "the times measured" if result.unit in ("s", "ms", "ns/op") else "the values measured")
    order = result.order
    how = (", runs interleaved (one run of each row in turn)" if order == "interleaved" else
           f", runs {order}" if order else "; each row timed in a series of its own" if len(labels) > 1 else "")
    parts = [f"Median: of {what}{how}."]
    if "interval" in cols:
        exact = sorted({(n, c) for n, c in zip(runs, covers) if n > 1 and c >= CONFIDENCE})
        exact_text = ", ".join(f"{fmt_coverage(c)} for {n} runs" for n, c in exact)
        parts.append("Interval: a distribution-free interval of the median, between two order statistics of the "
                     "runs (min–max up to 8 runs); if the runs are independent and identically distributed it holds "
                     "the true median with the probability in the header"
                     + (f" (exact: {exact_text})" if exact and (len(exact) > 1 or len(good) > 1) else "") + ".")
        for i in low:
            parts.append(f"* {html.escape(labels[i])}: min–max of {runs[i]} runs, which holds the median with "
                         f"probability {fmt_coverage(covers[i])} only.")
    if "ratio" in cols:
        parts.append(f"Ratio: median / median of <i>{html.escape(labels[0])}</i>.")
    shown_text = " ".join(" ".join(map(str, row)) for row in out.itertuples(index=False))
    if NOT_MEASURED in shown_text:
        parts.append(f"{NOT_MEASURED} = not measured"
                     + (" (one run has no interval)" if any(n < 2 for n in runs) and "interval" in cols else "")
                     + ".")
    busy, load_text = _busy(result.load)
    warning = (f"This machine was busier than its CPUs while these runs were taken ({load_text}): the times are "
               f"inflated and noisier, and differences under {BUSY_MARGIN:g}× are not concluded. Run the cell "
               "again on a quieter machine to tell them apart." if busy else "")
    return BenchTable(out, everything, " ".join(parts), _conclusion(result, busy) if conclusion else "",
                      warning)


def _conclusion(result: Any, busy: bool) -> str:
    """Which rows these runs tell apart from the first one (their intervals do not overlap), computed; on a busy
    machine, differences under BUSY_MARGIN are held back."""
    from .measure.stats import CONFIDENCE

    s = result.summary
    labels = list(s.index)
    if len(labels) < 2:
        return ""
    base = labels[0]
    timed = result.unit in ("s", "ms", "ns/op")
    more, less = ("longer than", "shorter than") if timed else ("larger than", "smaller than")
    above: list[str] = []
    below: list[str] = []
    together: list[str] = []
    held: list[str] = []
    single: list[str] = []
    for label in labels[1:]:
        row = s.loc[label]
        if row["runs"] < 2 or s.loc[base, "runs"] < 2:
            single.append(label)
        elif row["ratio_low"] > 1 or row["ratio_high"] < 1:
            clear = row["ratio_low"] >= BUSY_MARGIN or row["ratio_high"] <= 1 / BUSY_MARGIN
            if busy and not clear:
                held.append(f"{label} ({ratio(row['ratio'])} by the medians, "
                            f"{ratio(row['ratio_low'])}–{ratio(row['ratio_high'])} by the interval)")
            else:
                few = " *" if row["coverage"] < CONFIDENCE else ""  # min–max of 2-5 runs: the note says so
                (above if row["ratio"] > 1 else below).append(f"{label} ({ratio(row['ratio'])}{few})")
        else:
            together.append(label)
    out = []
    if above:
        out.append(f"{more[0].upper() + more[1:]} {base}, beyond the spread of these runs: {', '.join(above)}.")
    if below:
        out.append(f"{less[0].upper() + less[1:]} {base}, beyond the spread of these runs: {', '.join(below)}.")
    if together:
        out.append(f"Within the noise of {base} (their intervals overlap, so these runs cannot tell them apart): "
                   f"{', '.join(together)}.")
    if held:
        out.append(f"Not concluded on this busy machine, where only a difference of at least {BUSY_MARGIN:g}× "
                   f"counts (the interval of the ratio reaches below it): {', '.join(held)}.")
    if single:
        out.append(f"One run each, so no interval: the ratio shown for {', '.join(single)} is one measurement "
                   "against another, not a comparison these runs can vouch for.")
    return " ".join(out)
