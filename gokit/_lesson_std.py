"""Lesson helpers for lessons 01 and 02: the standard library as a benchmark's input — a package and what it
imports (`go list -deps`), and go/types timed over them and fitted against package size — so that a lesson's cell
shows one call instead of the parsing of command output and the filtering of tables."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

from ._lesson_front import Load, load_check
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from .source.toolchain import Toolchain

#: Packages go/types has built in: nothing to check (`unsafe` has no Go code to type-check).
BUILT_IN = ("unsafe",)


def std_deps(package: str, *, toolchain: "Toolchain | None" = None) -> list[str]:
    """`go list -deps PACKAGE` in the standard library: the package and every package it imports, directly or
    not, dependencies first and the package itself last (as the go command lists them)."""
    from .source.toolchain import toolchain as default_toolchain

    if not isinstance(package, str) or not package.strip():
        raise UsageError("std_deps wants one import path, like 'fmt'")
    tc = toolchain or default_toolchain()
    return tc.go_cmd("list", "-deps", package, cwd=tc.goroot / "src").out.split()


@dataclass(frozen=True)
class TypecheckScaling:
    """go/types timed over a package and its dependencies, and fitted against size (see `typecheck_scaling`)."""

    checks: Any = field(repr=False)   # one row per package checked without errors (bench.typecheck's columns)
    fit: Any = field(repr=False)      # bench.scaling of time (ms) against size (kB), one point per package
    load: Load = field(repr=False)    # the machine's load around the runs (verdicts held back when busy)
    left_out: dict[str, int] = field(default_factory=dict)  # package -> bytes of Go, left out on purpose
    failed: list[str] = field(default_factory=list)        # packages go/types reported errors for, left out
    summary: str = ""                  # how many packages, how much Go, what was left out

    def __repr__(self) -> str:
        return self.summary


def typecheck_scaling(package: str, *, runs: int = 5, leave_out: Sequence[str] = (),
                      toolchain: "Toolchain | None" = None) -> TypecheckScaling:
    """Type-check `package` and every standard-library package it imports (`go list -deps`), each `runs` times
    with `bench.typecheck`, and fit the median time (ms) against the package's size (kB) with `bench.scaling`.

    Left out: `unsafe` (go/types has it built in), the packages in `leave_out` (their size is still reported),
    and any package go/types found errors in on this machine (named in the summary). The machine's load is read
    before and after the runs (`load_check`), for `fit_conclusion`."""
    from . import bench

    skip = set(leave_out)
    packages = [p for p in std_deps(package, toolchain=toolchain) if p not in BUILT_IN and p not in skip]
    before = load_check()
    checked = bench.typecheck(packages, runs=runs, toolchain=toolchain)
    load = load_check(before.load)
    failed = list(checked["path"][checked["errors"] > 0])
    checks = checked[checked["errors"] == 0].reset_index(drop=True)
    if len(checks) < 3:
        raise UsageError(f"{package} and its dependencies left {len(checks)} packages to fit; the fit needs 3")
    left = {p: sum(f.stat().st_size for f in bench.package_files([p], toolchain=toolchain))
            for p in leave_out}
    fit = bench.scaling(checks["size"] / 1000, checks["median_s"] * 1e3, y_low=checks["ci_low_s"] * 1e3,
                        y_high=checks["ci_high_s"] * 1e3, labels=list(checks["path"]))
    parts = [f"{p} ({n / 1e6:.1f} MB)" for p, n in left.items()]
    if failed:
        parts.append(f"with type errors here, {', '.join(failed)}")
    summary = (f"{len(checks)} packages, {checks['size'].sum() / 1e6:.1f} MB of Go; left out: "
               f"{'; '.join(parts) or 'nothing'}")
    return TypecheckScaling(checks, fit, load, left, failed, summary)
