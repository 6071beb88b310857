"""Numbers as people say them: durations, sizes, ratios, coverages, and the one-line conclusion of a summary."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def fmt_coverage(c: float) -> str:
    """A coverage as a percentage with the digits it has: 93.75%, 97.85%, 87.5%, 50%."""
    text = f"{c * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


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
    """A ratio as people write one: 2.1×, 0.48×, 120×."""
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
