"""The plots of gokit.bench: every sample per label as a strip over a box with the median and its interval in red,
and for many runs the histogram and empirical CDF. They draw anything shaped like a BenchResult (`Samples`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .._run import check_count
from .fmt import fmt_value

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Use a logarithmic time axis when the largest median is this many times the smallest.
LOG_AXIS_SPAN = 20.0
#: The colours every gokit benchmark plot uses.
BOX_FACE, BOX_EDGE, MEDIAN_RED, POINT = "#dde8f5", "#4a6fa5", "#c0392b", "#333"


class Samples(Protocol):
    """What the plots read from a result (gokit.bench.BenchResult is one)."""

    @property
    def frame(self) -> "pd.DataFrame": ...

    @property
    def summary(self) -> "pd.DataFrame": ...

    @property
    def seed(self) -> int: ...

    @property
    def unit(self) -> str: ...

    @property
    def labels(self) -> list[str]: ...

    @property
    def is_timing(self) -> bool: ...


def _horizontal() -> dict[str, Any]:
    import matplotlib

    version = tuple(int(x) for x in matplotlib.__version__.split(".")[:2] if x.isdigit())
    return {"orientation": "horizontal"} if version >= (3, 10) else {"vert": False}


def plot_samples(result: Samples, *, ax: Any = None, title: str | None = None) -> "Figure":
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
    order = ", interleaved" if getattr(result, "order", "") == "interleaved" else ""
    ax.set_title(title or f"{counted} runs per label{order}; red: median and its {kinds}", fontsize=10)
    ax.grid(axis="x", alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def plot_distribution(result: Samples, *, bins: int = 20, title: str | None = None,
                      xlabel: str | None = None) -> "Figure":
    """Left: a histogram of every label's samples (shared bins); right: their empirical CDFs (the share of runs
    at or below each value), medians marked. For many runs per label, where a box hides the shape. `xlabel` names
    the quantity (default "value per run"; the unit is added)."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    labels = result.labels
    scale, unit = (1000.0, "ms") if result.unit == "s" else (1.0, result.unit)
    data = [result.frame.loc[result.frame["label"] == lb, "value"].to_numpy(dtype=float) * scale for lb in labels]
    everything = np.concatenate(data)
    edges = np.histogram_bin_edges(everything, bins=check_count("bins", bins, 1))
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
        ecdf.annotate(f"median {fmt_value(med / scale, result.unit)}", (med, 0.08 + 0.1 * i), xytext=(4, 0),
                      textcoords="offset points", fontsize=8, color=c,
                      bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    quantity = xlabel or "value per run"
    hist.set_xlabel(f"{quantity} ({unit})")
    hist.set_ylabel("runs")
    hist.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of runs has no fractions
    ecdf.set_xlabel(f"{quantity} ({unit})")
    ecdf.set_ylabel("share of runs at or below")
    ecdf.set_ylim(0, 1.02)
    for ax in (hist, ecdf):
        ax.grid(alpha=0.3)
    hist.set_title(title or "histogram", fontsize=10)
    ecdf.set_title("empirical CDF (ECDF); dotted: medians", fontsize=10)
    handles, names = hist.get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=len(names), fontsize=8, frameon=False)  # outside the bars
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig
