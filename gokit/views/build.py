"""Views of a build: the build graph as a timeline (one lane per worker of the go command, a bar per action)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._display import renders
from ..parsers.buildx import BuildGraph

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@renders(BuildGraph, "timeline")
def timeline(g: BuildGraph, *, ax: Any = None, label_top: int = 8, title: str | None = None) -> "Figure":
    """The build as a timeline (-debug-trace): one lane per worker, a bar per action; compiles in blue
    (the slowest named), cache checks and hits in grey, the link in red."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 1.2 + 0.55 * max(1, g.workers)))
        plt.close(fig)
    else:
        fig = ax.figure
    ran = {(a.mode, a.package): a for a in g.actions if a.ran}
    t0 = g.t0
    lanes = sorted({s.tid for s in g.spans if s.mode_package})
    slow = set(g.compile_times()["package"].head(label_top))
    for s in g.spans:
        mp = s.mode_package
        if not mp:
            continue
        y = lanes.index(s.tid)
        did = mp in ran
        colour = "#c0392b" if did and mp[0].startswith("link") else "#4a6fa5" if did else "#bbbbbb"
        ax.barh(y, max(s.end - s.start, 1e-4), left=s.start - t0, height=0.7 if did else 0.35, color=colour,
                edgecolor="white", linewidth=0.3)
        if did and mp[1] in slow and mp[0] == "build" and s.end - s.start > 0.02 * (g.wall or 1):
            ax.text((s.start + s.end) / 2 - t0, y, mp[1].rsplit("/", 1)[-1], ha="center", va="center",
                    fontsize=7, color="white", clip_on=True)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels([f"worker {i + 1}" for i in range(len(lanes))], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("seconds since go build started its actions", fontsize=9)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color="#4a6fa5", label="compiled now"),
                       Patch(color="#bbbbbb", label="from GOCACHE, or a cache check"),
                       Patch(color="#c0392b", label="link")], fontsize=8, loc="lower right",
              bbox_to_anchor=(1.0, 1.0), ncol=3, frameon=False)
    ax.set_title(title or f"go build {g.target}: {g.cache_misses} compiled, {g.cache_hits} from GOCACHE",
                 fontsize=10, loc="left")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
