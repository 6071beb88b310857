"""Plots drawn from tables: a binary's bytes by package, a program's package inits on a timeline."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from ..errors import UsageError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


def plot_sizes(frames: Mapping[str, "pd.DataFrame"], *, top: int = 8, ax: Any = None, title: str | None = None) -> Any:
    """Stacked horizontal bars, one per binary, split by package (the `top` largest across all, the rest
    as `other`): sizes_by_package frames by label."""
    import matplotlib.pyplot as plt

    totals: dict[str, int] = {}
    for df in frames.values():
        for p, n in zip(df["package"], df["bytes"]):
            totals[p] = totals.get(p, 0) + int(n)
    keep = [p for p, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:top]]
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 0.7 * len(frames) + 1.6))
    labels = list(frames)
    left = [0.0] * len(labels)
    cmap = plt.get_cmap("tab10")
    for j, pkg in enumerate([*keep, "other"]):
        vals = []
        for df in frames.values():
            m = dict(zip(df["package"], df["bytes"]))
            vals.append((sum(v for p, v in m.items() if p not in keep) if pkg == "other" else m.get(pkg, 0)) / 1e6)
        ax.barh(labels, vals, left=left, color=cmap(j % 10) if pkg != "other" else "#cccccc", label=pkg)
        left = [a + v for a, v in zip(left, vals)]
    ax.set_xlabel("MB of symbols (go tool nm -size)")
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(frames) < 4 else -0.2), ncol=5, fontsize=8,
              frameon=False)
    if title:
        ax.set_title(title)
    if fig is not None:
        fig.tight_layout()
        plt.close(fig)
        return fig
    return ax.figure


def plot_inittrace(frame: "pd.DataFrame", *, ax: Any = None, title: str | None = None, top: int = 12) -> "Figure":
    """A timeline of one run's package inits: a bar per package from its start to its end (start + clock)."""
    import matplotlib.pyplot as plt

    if frame.empty:
        raise UsageError("no inittrace rows to plot")
    one = frame[frame["run"] == frame["run"].min()] if "run" in frame else frame
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.28 * len(one)))
        plt.close(fig)
    else:
        fig = ax.figure
    y = list(range(len(one)))[::-1]
    biggest = set(one.nlargest(min(top, len(one)), "clock_ms")["package"])
    for yi, (_, row) in zip(y, one.iterrows()):
        colour = "#c0392b" if row["package"] == "main" else "#4a6fa5"
        width = max(row["clock_ms"], 0.002)
        ax.barh(yi, width, left=row["start_ms"], height=0.6, color=colour, alpha=0.85)
        if row["package"] in biggest and row["clock_ms"] > 0:
            ax.annotate(f"{row['clock_ms']:g} ms", (row["start_ms"] + width, yi), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8, color="#333")
    ax.set_yticks(y)
    ax.set_yticklabels(one["package"], fontsize=8)
    ax.set_xlabel("ms since runtime.main started the inits (runtimeInitTime)")
    ax.set_title(title or "GODEBUG=inittrace=1: each package's init, from start to end", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
