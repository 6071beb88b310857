"""The statistics of gokit.bench, pure functions over samples: the distribution-free interval of a median (two order
statistics, with its exact coverage), what an interval is in words, and the summary of a frame of runs (median, MAD,
interval, ratio to the first label)."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Sequence

from .._run import check_count
from ..errors import UsageError
from .fmt import fmt_coverage

if TYPE_CHECKING:
    import pandas as pd

#: Bootstrap resamples for the band of a fitted power law (scaling()); medians use order statistics instead.
RESAMPLES = 2000
#: The coverage an interval of the median aims at: the narrowest order-statistic interval that reaches it is used,
#: and its exact coverage is reported with it (below 6 runs no interval reaches 95%: min–max is used, and its
#: coverage, 93.75% for 5 runs, is said).
CONFIDENCE = 0.95
#: From this many samples on the interval of the median holds it with at least CONFIDENCE; below, the interval is
#: min–max and its coverage is lower (and said): 50% for 2 runs, 75% for 3, 87.5% for 4, 93.75% for 5.
MIN_CI_SAMPLES = 6
#: Units a BenchResult can carry: seconds (process timings), nanoseconds per op (go test -bench), bytes.
UNITS = ("s", "ns/op", "bytes", "ms", "count")

#: One row per counted run; `value` is the sample in the result's unit (for process timings, = wall).
FRAME_COLUMNS = ["label", "run", "value", "wall", "user", "sys", "maxrss", "exit_code"]
#: One row per label in a summary: the median, its MAD and interval (with its coverage), the ratio to the first label.
SUMMARY_COLUMNS = ["median", "mad", "ci_low", "ci_high", "interval", "coverage", "ratio", "ratio_low", "ratio_high",
                   "ratio_coverage", "min", "max", "runs", "user_median", "sys_median", "maxrss_median"]


def median_ranks(n: int, confidence: float = CONFIDENCE) -> tuple[int, float]:
    """(k, coverage) of the distribution-free interval of the median from n samples: [x_(k), x_(n+1-k)].

    x_(1) <= ... <= x_(n) are the sorted samples. The true median lies below x_(k) only if fewer than k samples
    fall below it, which for independent runs of one continuous distribution is Binomial(n, 1/2) (a sign test):
    so the interval holds the median with probability exactly 1 - 2·P(B <= k-1), whatever the distribution.
    k is the largest rank whose coverage still reaches `confidence`; when even min–max (k = 1) falls short, that
    is n <= 5, k = 1 and the lower coverage is returned: 93.75% for 5 runs, 87.5% for 4, 75% for 3, 50% for 2,
    0 for a single run (no interval).
    """
    n = check_count("n", n, 1)
    if n == 1:
        return 1, 0.0

    def coverage(k: int) -> float:
        return 1 - 2 * sum(math.comb(n, i) for i in range(k)) / 2 ** n

    k = 1
    while k + 1 <= (n + 1) // 2 and coverage(k + 1) >= confidence:
        k += 1
    return k, coverage(k)


def interval_kind(n: int) -> str:
    """What the interval of a median over n samples is, in a few words: "97.85% interval" (its exact coverage),
    "93.75% interval (min–max)" below MIN_CI_SAMPLES, "one run" for a single sample (no interval)."""
    if n <= 1:
        return "one run"
    k, c = median_ranks(n)
    return f"{fmt_coverage(c)} interval" + (" (min–max)" if k == 1 else "")


#: One sentence that says what every interval gokit.bench reports is (tables, plots and lessons quote it).
INTERVAL_NOTE = ("interval = a distribution-free interval of the median: between two order statistics of the runs "
                 "(min–max up to 8 runs), which holds the true median with the coverage shown if the runs are "
                 "independent and identically distributed, whatever their distribution (below 6 runs that coverage "
                 "is under 95%)")


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
