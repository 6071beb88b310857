"""Time whole processes, interleaved, and summarise them honestly: medians, MAD, bootstrap CIs, ratios."""
from __future__ import annotations

import html
import logging
import math
import os
import resource
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from . import _run
from .errors import GoToolError, UsageError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

log = logging.getLogger("gokit.bench")

#: Bootstrap resamples for the confidence intervals of medians and ratios.
RESAMPLES = 2000
#: Confidence level of every interval gokit.bench reports.
CONFIDENCE = 0.95
#: Show a progress bar when there are more runs than this in total ...
PROGRESS_RUNS = 30
#: ... or when the runs are expected to take longer than this many seconds.
PROGRESS_SECONDS = 2.0
#: A run's max RSS counts only when it exceeds our own peak RSS by this much (see compare()).
RSS_MARGIN = 4 << 20
#: Use a logarithmic time axis when the largest median is this many times the smallest.
LOG_AXIS_SPAN = 20.0

FRAME_COLUMNS = ["label", "run", "wall", "user", "sys", "maxrss", "exit_code"]
SUMMARY_COLUMNS = ["median", "mad", "ci_low", "ci_high", "ratio", "ratio_low", "ratio_high", "min", "max",
                   "runs", "user_median", "sys_median", "maxrss_median"]


@dataclass(frozen=True)
class Cmd:
    """A command to time: its argv (never a shell string), and optionally its own env and cwd.

    env=None runs it with gokit's process environment (os.environ); cwd=None leaves the
    working directory alone.
    """

    argv: tuple[str, ...]
    env: Mapping[str, str] | None = None
    cwd: str | os.PathLike[str] | None = None

    def __post_init__(self) -> None:
        argv = self.argv
        if isinstance(argv, (str, bytes)) or not isinstance(argv, Sequence) or not argv:
            raise UsageError(f"a command is a non-empty list of arguments like ['./hello'], never a shell "
                             f"string; got {argv!r}")
        items = tuple(os.fspath(a) if isinstance(a, os.PathLike) else a for a in argv)
        if not all(isinstance(a, str) for a in items):
            raise UsageError(f"every argument of a command must be a string (or a path); got {argv!r}")
        object.__setattr__(self, "argv", items)
        if self.env is not None:
            if not isinstance(self.env, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                            for k, v in self.env.items()):
                raise UsageError("Cmd env must be a mapping of strings to strings, like tc.env()")
            object.__setattr__(self, "env", dict(self.env))
        if self.cwd is not None and not isinstance(self.cwd, (str, os.PathLike)):
            raise UsageError(f"Cmd cwd must be a directory path; got {self.cwd!r}")


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

def _bootstrap_medians(x: Any, rng: Any, resamples: int) -> Any:
    import numpy as np

    x = np.asarray(x, dtype=float)
    idx = rng.integers(0, len(x), size=(resamples, len(x)))
    return np.median(x[idx], axis=1)


def summarize(frame: "pd.DataFrame", *, seed: int = 0, resamples: int = RESAMPLES,
              order: Sequence[str] | None = None) -> "pd.DataFrame":
    """One row per label (in `order`, default: first appearance): median, MAD, bootstrap CIs, ratio.

    `mad` is the raw median absolute deviation (not scaled by 1.4826). `ci_low`/`ci_high` are a
    percentile bootstrap interval of the median; `ratio` is the median over the first label's
    median, with its own bootstrap interval (both medians resampled independently). All times
    in seconds.
    """
    import numpy as np
    import pandas as pd

    if frame.empty:
        raise UsageError("no runs to summarise")
    labels = list(order) if order is not None else list(dict.fromkeys(frame["label"]))
    rng = np.random.default_rng(seed)
    alpha = (1 - CONFIDENCE) / 2
    boots: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for label in labels:
        sub = frame[frame["label"] == label]
        w = sub["wall"].to_numpy(dtype=float)
        if len(w) == 0:
            raise UsageError(f"no runs for {label!r}")
        med = float(np.median(w))
        boots[label] = _bootstrap_medians(w, rng, resamples)
        lo, hi = np.quantile(boots[label], [alpha, 1 - alpha])
        rss = sub["maxrss"].to_numpy(dtype=float)
        rows.append({"label": label, "median": med, "mad": float(np.median(np.abs(w - med))),
                     "ci_low": float(lo), "ci_high": float(hi), "min": float(w.min()), "max": float(w.max()),
                     "runs": int(len(w)), "user_median": float(np.median(sub["user"])),
                     "sys_median": float(np.median(sub["sys"])),
                     "maxrss_median": float(np.nanmedian(rss)) if np.isfinite(rss).any() else math.nan})
    base = labels[0]
    base_med = rows[0]["median"]
    for row in rows:
        label = row["label"]
        if label == base:
            row["ratio"], row["ratio_low"], row["ratio_high"] = 1.0, 1.0, 1.0
            continue
        row["ratio"] = row["median"] / base_med if base_med > 0 else math.inf
        with np.errstate(divide="ignore", invalid="ignore"):
            r = boots[label] / boots[base]
        r = r[np.isfinite(r)]
        if len(r):
            lo, hi = np.quantile(r, [alpha, 1 - alpha])
            row["ratio_low"], row["ratio_high"] = float(lo), float(hi)
        else:
            row["ratio_low"] = row["ratio_high"] = math.nan
    out = pd.DataFrame(rows).set_index("label")
    return out[SUMMARY_COLUMNS]


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


def _interval(lo: float, hi: float) -> str:
    unit_lo, unit_hi = fmt_seconds(lo).split(" ")[1], fmt_seconds(hi).split(" ")[1]
    if unit_lo == unit_hi:
        return f"[{fmt_seconds(lo).split(' ')[0]}–{fmt_seconds(hi).split(' ')[0]}]"
    return f"[{fmt_seconds(lo)}–{fmt_seconds(hi)}]"


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


def _plain(x: float) -> str:
    """A ratio bound without scientific notation: 0.842, 3.41, 41.2, 3101."""
    if not math.isfinite(x):
        return str(x)
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.3g}"


def conclusion(summary: "pd.DataFrame") -> str:
    """One plain-English line computed from a summary: each command against the first one."""
    labels = list(summary.index)
    base = labels[0]
    b = summary.loc[base]
    if len(labels) == 1:
        return (f"{base} took {fmt_seconds(b['median'])} {_interval(b['ci_low'], b['ci_high'])} "
                f"(median of {int(b['runs'])} runs, 95% CI).")
    parts: list[str] = []
    for label in labels[1:]:
        s = summary.loc[label]
        took = f"{label} took {fmt_seconds(s['median'])} {_interval(s['ci_low'], s['ci_high'])}"
        ref = f"{base} ({fmt_seconds(b['median'])})" if not parts else base  # its time only once
        overlap = s["ci_low"] <= b["ci_high"] and b["ci_low"] <= s["ci_high"]
        if overlap:
            parts.append(f"{took}: indistinguishable from {ref}, the 95% intervals overlap")
        elif s["ratio"] >= 1:
            parts.append(f"{took}, {fmt_ratio(s['ratio'])} {ref}")
        else:
            parts.append(f"{took}, {fmt_ratio(1 / s['ratio'])} faster than {ref}")
    return "; ".join(parts) + "."


# ---------------------------------------------------------------- the result

@dataclass(frozen=True)
class BenchResult:
    """Timings of whole processes: one row per counted run, a summary per command, a plot."""

    frame: "pd.DataFrame" = field(repr=False)
    summary: "pd.DataFrame" = field(repr=False)
    commands: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    warmup: int = 0
    seed: int = 0

    @classmethod
    def from_frame(cls, frame: "pd.DataFrame", *, seed: int = 0, commands: Mapping[str, Sequence[str]] | None = None,
                   warmup: int = 0) -> "BenchResult":
        """Summarise a frame of runs (columns label, run, wall, user, sys, maxrss, exit_code)."""
        missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
        if missing:
            raise UsageError(f"a runs frame needs the columns {FRAME_COLUMNS}; missing {missing}")
        order = list(commands) if commands else None
        return cls(frame, summarize(frame, seed=seed, order=order),
                   {k: tuple(v) for k, v in (commands or {}).items()}, warmup, seed)

    @property
    def labels(self) -> list[str]:
        return list(self.summary.index)

    def conclusion(self) -> str:
        """One plain-English line computed from the numbers."""
        return conclusion(self.summary)

    def table(self) -> "pd.DataFrame":
        """The summary in milliseconds, for people (ratios stay ratios)."""
        s = self.summary
        t = (s[["median", "ci_low", "ci_high", "mad", "min", "max", "user_median", "sys_median"]] * 1000).apply(lambda col: col.map(_sig))
        t.columns = ["median ms", "CI low ms", "CI high ms", "MAD ms", "min ms", "max ms", "user ms", "sys ms"]
        t.insert(4, "ratio", s["ratio"].map(_sig))
        base = s.index[0]
        t.insert(5, "ratio CI", ["—" if label == base else f"{_plain(lo)}–{_plain(hi)}"
                                 for label, lo, hi in zip(s.index, s["ratio_low"], s["ratio_high"])])
        if s["maxrss_median"].notna().any():
            t["max RSS MB"] = (s["maxrss_median"] / 2**20).round(1)
        t["runs"] = s["runs"]
        return t

    def plot(self, *, ax: Any = None) -> "Figure":
        """Wall time of every run per command (strip + box), median marked; ms, log axis when spread is wide."""
        import matplotlib.pyplot as plt
        import numpy as np

        labels = self.labels
        if ax is None:
            fig, ax = plt.subplots(figsize=(8, 0.6 + 0.75 * len(labels)))
            plt.close(fig)  # returned, not auto-shown twice by the inline backend
        else:
            fig = ax.figure
        data = [self.frame.loc[self.frame["label"] == lb, "wall"].to_numpy(dtype=float) * 1000 for lb in labels]
        ypos = np.arange(len(labels))[::-1]
        import matplotlib

        mpl_version = tuple(int(x) for x in matplotlib.__version__.split(".")[:2] if x.isdigit())
        direction = {"orientation": "horizontal"} if mpl_version >= (3, 10) else {"vert": False}
        ax.boxplot(data, positions=ypos, **direction, widths=0.5, showfliers=False, patch_artist=True,
                   boxprops={"facecolor": "#dde8f5", "edgecolor": "#4a6fa5"},
                   medianprops={"color": "#c0392b", "linewidth": 2}, whiskerprops={"color": "#4a6fa5"},
                   capprops={"color": "#4a6fa5"})
        rng = np.random.default_rng(self.seed)
        for y, d in zip(ypos, data):
            ax.scatter(d, y + rng.uniform(-0.18, 0.18, len(d)), s=10, color="#333", alpha=0.45, zorder=3)
        meds = self.summary["median"].to_numpy() * 1000
        lo = self.summary["ci_low"].to_numpy() * 1000
        hi = self.summary["ci_high"].to_numpy() * 1000
        for y, m, a, b in zip(ypos, meds, lo, hi):
            ax.plot([a, b], [y + 0.32, y + 0.32], color="#c0392b", linewidth=3, solid_capstyle="butt")
            ax.annotate(f"{fmt_seconds(m / 1000)}", (m, y + 0.32), xytext=(0, 4), textcoords="offset points",
                        ha="center", va="bottom", fontsize=9, color="#c0392b")
        positive = meds[meds > 0]
        if len(positive) and positive.max() / positive.min() > LOG_AXIS_SPAN:
            from matplotlib.ticker import FuncFormatter

            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))  # 1, 10, 100, not 10^2
        ax.set_yticks(ypos)
        ax.set_yticklabels(labels)
        ax.set_ylim(-0.6, len(labels) - 0.3)
        ax.set_xlabel("wall time per run (ms)" + (", log scale" if ax.get_xscale() == "log" else ""))
        runs = sorted(set(int(r) for r in self.summary["runs"]))
        counted = f"{runs[0]}" if len(runs) == 1 else f"{runs[0]}–{runs[-1]}"
        ax.set_title(f"{counted} runs per command, interleaved; red: median and its 95% CI", fontsize=10)
        ax.grid(axis="x", alpha=0.3, which="both")
        fig.tight_layout()
        return fig

    def _repr_html_(self) -> str:
        table = self.table().to_html(border=0, classes="gokit-bench", float_format=lambda x: f"{x:g}")
        note = ("Times are medians of whole-process wall time; CI = 95% bootstrap interval of the median; "
                f"ratio = median / median of <code>{html.escape(self.labels[0])}</code>.")
        return (f"<div class='gokit-bench'>{table}<p><b>{html.escape(self.conclusion())}</b></p>"
                f"<p style='color:#666;font-size:smaller'>{note}</p></div>")

    def __repr__(self) -> str:
        parts = ", ".join(f"{lb}: {fmt_seconds(m)}" for lb, m in self.summary["median"].items())
        return f"<BenchResult {len(self.summary)} commands × {int(self.summary['runs'].max())} runs; {parts}>"


# ---------------------------------------------------------------- running

class _Progress:
    """A tqdm bar that leaves nothing behind: in Jupyter its output is blanked when it closes."""

    def __init__(self, total: int, initial: int) -> None:
        self._handle: Any = None
        kw = {"total": total, "initial": initial, "desc": "gokit.bench", "unit": "run", "leave": False}
        try:
            from IPython import get_ipython

            ip = get_ipython()
            if ip is not None and "IPKernelApp" in ip.config:
                from IPython.display import display
                from tqdm.notebook import tqdm as notebook_tqdm  # type: ignore[import-untyped]

                self._bar = notebook_tqdm(display=False, **kw)
                self._handle = display(self._bar.container, display_id=True)
                return
        except Exception:  # no IPython, no ipywidgets: a text bar
            log.debug("no notebook progress bar", exc_info=True)
        from tqdm.auto import tqdm  # type: ignore[import-untyped]

        self._bar = tqdm(**kw)

    def update(self, n: int) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()
        if self._handle is not None:
            self._handle.update({"text/plain": ""}, raw=True)



def compare(commands: Mapping[str, Sequence[str] | Cmd], *, runs: int = 20, warmup: int = 2, timeout: float = 60,
            prepare: Mapping[str, Callable[[], Any]] | None = None, progress: bool = True,
            seed: int = 0) -> BenchResult:
    """Time whole processes, interleaved (A B C A B C ...), and summarise them.

    Each command is an argv list or a `Cmd(argv, env=, cwd=)`. Every command first runs `warmup`
    times (not counted), then `runs` times, interleaved so drift (CPU frequency, other load)
    hits all commands alike. `prepare[label]()`, if given, runs untimed before every run of that
    label, warm-ups included (e.g. empty a cache dir for a cold-cache measurement). A run that
    exits non-zero raises GoToolError with its stderr. `timeout` bounds each single run.
    `seed` fixes the bootstrap, so the same runs always give the same intervals.

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
    bar: Any = None
    done = 0
    started = time.perf_counter()

    def tick() -> None:
        nonlocal bar, done
        done += 1
        if bar is not None:
            bar.update(1)
            return
        if not progress or done >= total:
            return
        elapsed = time.perf_counter() - started
        expected = elapsed / done * total
        if total > PROGRESS_RUNS or expected > PROGRESS_SECONDS:
            bar = _Progress(total, done)

    rows: list[dict[str, Any]] = []

    def one(label: str, i: int, counted: bool) -> None:
        cmd = cmds[label]
        if label in prep:
            prep[label]()
        floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        c = _run.time_process(cmd.argv, env=envs[label], timeout=timeout, cwd=cmd.cwd)
        floor = max(floor, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        if c.exit_code != 0:
            raise GoToolError(cmd.argv, c.exit_code, c.err,
                              hint=f"gokit.bench: {label!r} failed on {'run' if counted else 'warm-up'} "
                                   f"{i + 1}; a benchmark only times commands that succeed.")
        if counted:
            # Linux charges a vfork-started child with its parent's peak RSS until exec; a value
            # at or below our own peak says nothing about the program, so it is left unknown.
            rss = float(c.maxrss) if c.maxrss > floor + RSS_MARGIN else math.nan
            rows.append({"label": label, "run": i, "wall": c.wall, "user": c.user, "sys": c.sys,
                         "maxrss": rss, "exit_code": c.exit_code})
        tick()

    try:
        for i in range(warmup):
            for label in cmds:
                one(label, i, False)
        for i in range(runs):
            for label in cmds:
                one(label, i, True)
    finally:
        if bar is not None:
            bar.close()
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
    for r in results:
        for label in r.labels:
            if label in commands:
                raise UsageError(f"label {label!r} appears in two results; give each command its own label")
            commands[label] = tuple(r.commands.get(label, ()))
    frame = pd.concat([r.frame for r in results], ignore_index=True)
    return BenchResult.from_frame(frame, seed=results[0].seed if seed is None else seed, commands=commands,
                                  warmup=results[0].warmup)
