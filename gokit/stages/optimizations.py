"""gokit.optimizations: what the compiler decided about your code (-m=2 inlining and escapes, check_bce), by line."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Sequence

from .. import _cache as cache
from .._run import COMPILE_SECONDS, Deadline
from ..layers.compile import compile_package, parse_gcflags
from ..parsers.compiler import Optimizations, read_optimizations
from ..source.exports import importcfg
from ..source.package import resolve, target_env
from ..source.source import Source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain

if TYPE_CHECKING:
    import pandas as pd

#: Bump when what gokit stores for a result changes.
_CACHE_REV = 1
#: The compiler flags of the report: every inlining and escape decision, and the bounds checks prove left.
REPORT_FLAGS = ("-m=2", "-d=ssa/check_bce/debug=1")


def optimizations(src: Source | str | bytes | os.PathLike[str], *, gcflags: str | Sequence[str] | None = None,
                  goarch: str | None = None, toolchain: Toolchain | None = None,
                  timeout: float | None = None) -> Optimizations:
    """Inlining and escape decisions (-m=2) and surviving bounds checks (check_bce), keyed by source line.

    `timeout` bounds the whole call (default 120 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.optimizations")
    flags = parse_gcflags(gcflags)
    pkg = resolve(src, tc, target_env(tc, None, goarch, deadline), deadline).check_compilable()

    def compute() -> str:
        cfg = importcfg(pkg, deadline)
        return compile_package(pkg, importcfg=cfg, flags=(*flags, *REPORT_FLAGS), deadline=deadline).check(
            "optimization report").output

    out = cache.memo("optimizations", cache.key("optimizations", _CACHE_REV, pkg.key, list(flags)), compute, str)
    files = {n: d.decode("utf-8", "replace") for n, d in pkg.source.go_files}
    return read_optimizations(out, files, pkg.func_at)


def inlining(src: Source | str | bytes | os.PathLike[str], **kw: Any) -> "pd.DataFrame":
    """`-m=2` inlining decisions: can inline (cost), cannot inline (reason, cost, budget), inlined calls."""
    return optimizations(src, **kw).inlining


def escapes(src: Source | str | bytes | os.PathLike[str], **kw: Any) -> "pd.DataFrame":
    """`-m=2` escape analysis: what does not escape, escapes to heap, is moved to heap, leaks."""
    return optimizations(src, **kw).escapes


def bounds_checks(src: Source | str | bytes | os.PathLike[str], **kw: Any) -> "pd.DataFrame":
    """Bounds checks left after `prove` (-d=ssa/check_bce/debug=1), one row per check."""
    return optimizations(src, **kw).bounds_checks
