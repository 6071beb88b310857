"""The front end timed inside gokit's Go helper (no process start-up in the samples): go/parser per file,
go/types per standard-library package — the closing benchmarks of lessons 01 and 02 (gokit.bench.parse,
gokit.bench.typecheck)."""
from __future__ import annotations

import json
import os
import time
from typing import TYPE_CHECKING, Any, Sequence

from .._progress import Progress
from .._run import BUILD_SECONDS, BUILDS_SECONDS, check_count, Deadline
from ..measure.stats import median_interval
from ..errors import UsageError
from ..measure.timer import PROGRESS_SECONDS
from ..source.helper import call
from ..source.exports import go_list, importcfg_file
from ..source.exports import package_files as std_files
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from ..source.toolchain import Toolchain

#: bench.parse and bench.typecheck hand their files or packages to the helper in this many calls (a progress bar
#: moves between them).
HELPER_GROUPS = 6


def _toolchain(toolchain: "Toolchain | None") -> "Toolchain":
    return toolchain or default_toolchain()


def _per_item(path: str, size: int, ns: Sequence[int], **extra: Any) -> dict[str, Any]:
    """One item's samples (ns) summarised in seconds: median, its interval (see median_interval), MAD, min, max."""
    import numpy as np

    x = np.asarray(ns, dtype=float) / 1e9
    med, lo, hi, kind = median_interval(x)
    return {"path": path, "size": size, **extra, "median_s": med, "ci_low_s": lo, "ci_high_s": hi, "interval": kind,
            "mad_s": float(np.median(np.abs(x - med))), "min_s": float(x.min()), "max_s": float(x.max()),
            "runs": len(x)}



def _in_groups(items: Sequence[Any], work: Any, *, desc: str, unit: str, progress: bool) -> list[Any]:
    """`work(group)` (a list of results) over the items in at most HELPER_GROUPS groups, so a progress bar can
    move between the helper's calls once the whole looks longer than PROGRESS_SECONDS; results in group order."""
    groups = [list(items[i::HELPER_GROUPS]) for i in range(min(HELPER_GROUPS, len(items)))]
    out: list[Any] = []
    bar: Progress | None = None
    started = time.perf_counter()
    done = 0
    try:
        for k, group in enumerate(groups):
            out.extend(work(group))
            done += len(group)
            if bar is not None:
                bar.update(len(group))
            elif progress and k + 1 < len(groups) and \
                    (time.perf_counter() - started) * len(items) / done > PROGRESS_SECONDS:
                bar = Progress(len(items), done, desc=desc, unit=unit)
    finally:
        if bar is not None:
            bar.close()
    return out


def parse(paths: Sequence[str | os.PathLike[str]], *, runs: int = 5, toolchain: "Toolchain | None" = None,
          timeout: float | None = None, progress: bool = True) -> "pd.DataFrame":
    """go/parser time per file, measured inside gokit's Go helper (no process start-up), GC on.

    The files go to the helper in HELPER_GROUPS calls, with a progress bar when the whole looks longer than
    PROGRESS_SECONDS (`progress=False`: never).

    One row per file: path, size (bytes), nodes, median_s, ci_low_s/ci_high_s (the distribution-free interval
    of the median; `interval` says its coverage), mad_s, min_s, max_s, runs.
    """
    import pandas as pd

    runs = check_count("runs", runs, 1)
    deadline = Deadline.of(timeout, BUILD_SECONDS, "gokit.bench.parse")
    if isinstance(paths, (str, bytes)) or not paths:
        raise UsageError("paths is a non-empty list of .go files, like [Path('fmt/print.go')]")
    tc = _toolchain(toolchain)
    files = _in_groups([os.fspath(p) for p in paths],
                       lambda group: call(tc, "bench-parse", ["-n", str(runs), *group], timeout=deadline)["files"],
                       desc="go/parser, file by file", unit="file", progress=progress)
    order = {f["path"]: f for f in files}
    return pd.DataFrame([_per_item(f["path"], f["size"], f["ns"], nodes=f["nodes"])
                         for p in paths if (f := order.get(os.fspath(p))) is not None])


def typecheck(packages: Sequence[str], *, runs: int = 5, toolchain: "Toolchain | None" = None,
              timeout: float | None = None, progress: bool = True) -> "pd.DataFrame":
    """go/types time per standard-library package (its GoFiles for this GOOS/GOARCH) inside gokit's Go helper:
    dependencies imported from export data, then `runs` timed checks after an untimed one, GC on.

    The packages go to the helper in HELPER_GROUPS calls, with a progress bar when the whole looks longer than
    PROGRESS_SECONDS (`progress=False`: never).

    One row per package: path, size, files, errors and the columns of `parse`.
    """
    import pandas as pd

    runs = check_count("runs", runs, 1)
    deadline = Deadline.of(timeout, BUILDS_SECONDS, "gokit.bench.typecheck")
    tc = _toolchain(toolchain)
    pkgs = go_list(tc, packages, timeout=deadline)
    exports = {p: o["Export"] for p, o in pkgs.items() if o.get("Export")}
    want = [{"path": p, "dir": pkgs[p]["Dir"], "files": pkgs[p].get("GoFiles", [])}
            for p in packages if p in pkgs and pkgs[p].get("GoFiles")]
    cfg = str(importcfg_file(exports))
    found = {p["path"]: p for p in _in_groups(
        want, lambda group: call(tc, "bench-types", ["-n", str(runs), "-importcfg", cfg],
                                 input=json.dumps(group).encode(), timeout=deadline)["packages"],
        desc="go/types, package by package", unit="package", progress=progress)}
    return pd.DataFrame([_per_item(p["path"], p["size"], p["ns"], files=p["files"], errors=p["errors"])
                         for w in want if (p := found.get(w["path"])) is not None])


def package_files(packages: Sequence[str], *, toolchain: "Toolchain | None" = None) -> list["Path"]:
    """The .go files the go command compiles for these standard-library packages here (no tests)."""
    return std_files(packages, toolchain=toolchain)
