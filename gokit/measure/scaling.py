"""How a cost scales with size: a power law y = c · x^b fitted in log–log space through per-item medians, with a
pairs-bootstrap band; a sentence, a table by size and a plot of the fit."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from .._run import check_count
from ..errors import UsageError
from .fmt import _number, _sig
from .plots import BOX_EDGE, MEDIAN_RED
from .stats import CONFIDENCE, RESAMPLES

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


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

        check_count("parts", parts, 2)
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
            table[col] = table[col].map(lambda v: _number(_sig(v, digits))).astype(object)
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
