"""The front end timed inside gokit's Go helper (no process start-up in the samples): go/parser per file,
go/types per standard-library package — the closing benchmarks of lessons 01 and 02 (gokit.bench.parse,
gokit.bench.typecheck)."""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Sequence

from .._run import BUILD_SECONDS, BUILDS_SECONDS, check_count, Deadline
from ..measure.stats import median_interval
from ..errors import UsageError
from ..source.helper import call
from ..source.package import go_list, importcfg_file
from ..source.package import package_files as std_files
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from ..source.toolchain import Toolchain


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


def parse(paths: Sequence[str | os.PathLike[str]], *, runs: int = 5, toolchain: "Toolchain | None" = None,
          timeout: float | None = None) -> "pd.DataFrame":
    """go/parser time per file, measured inside gokit's Go helper (no process start-up), GC on.

    One row per file: path, size (bytes), nodes, median_s, ci_low_s/ci_high_s (the distribution-free interval
    of the median; `interval` says its coverage), mad_s, min_s, max_s, runs.
    """
    import pandas as pd

    runs = check_count("runs", runs, 1)
    deadline = Deadline.of(timeout, BUILD_SECONDS, "gokit.bench.parse")
    if isinstance(paths, (str, bytes)) or not paths:
        raise UsageError("paths is a non-empty list of .go files, like [Path('fmt/print.go')]")
    data = call(_toolchain(toolchain), "bench-parse", ["-n", str(runs), *(os.fspath(p) for p in paths)],
                timeout=deadline)
    return pd.DataFrame([_per_item(f["path"], f["size"], f["ns"], nodes=f["nodes"]) for f in data["files"]])


def typecheck(packages: Sequence[str], *, runs: int = 5, toolchain: "Toolchain | None" = None,
              timeout: float | None = None) -> "pd.DataFrame":
    """go/types time per standard-library package (its GoFiles for this GOOS/GOARCH) inside gokit's Go helper:
    dependencies imported from export data once, then `runs` timed checks after an untimed one, GC on.

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
    data = call(tc, "bench-types", ["-n", str(runs), "-importcfg", str(importcfg_file(exports))],
                input=json.dumps(want).encode(), timeout=deadline)
    return pd.DataFrame([_per_item(p["path"], p["size"], p["ns"], files=p["files"], errors=p["errors"])
                         for p in data["packages"]])


def package_files(packages: Sequence[str], *, toolchain: "Toolchain | None" = None) -> list["Path"]:
    """The .go files the go command compiles for these standard-library packages here (no tests)."""
    return std_files(packages, toolchain=toolchain)
