"""Measure, side by side in one run: a bare `go tool compile -S -importcfg ...` of a package vs gokit.asm of the
same package (a new source each time, so gokit's cache cannot help), and gokit.asm again from its disk cache.

    python tests/golden/measure_asm_speed.py [--runs N] [--funcs F]

Prints medians (ms). The issue's limits: a new program costs at most max(1.5x, +60 ms) of the bare compile;
a cached repeat returns within 30 ms.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import gokit  # noqa: E402
from gokit import _cache as cache  # noqa: E402
from gokit import _run  # noqa: E402
from gokit.layers.compile import compile_argv  # noqa: E402
from gokit.source.exports import importcfg  # noqa: E402
from gokit.source.package import resolve  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure_ssa_speed import program  # noqa: E402  (the same generated program: N small functions)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--funcs", type=int, default=20)
    ap.add_argument("--goarch", default=None)
    a = ap.parse_args()
    tc = gokit.toolchain()
    target = {"GOOS": "linux", "GOARCH": a.goarch} if a.goarch else {}
    gokit.asm(gokit.Source(program(1, "warm")), goarch=a.goarch)  # warm: importcfg and helper exist
    results: dict[str, list[float]] = {"bare compile -S": [], "gokit.asm, new source": [], "gokit.asm, cached": []}
    work = Path(tempfile.mkdtemp(prefix="measure-asm-"))
    sources = []
    try:
        for i in range(a.runs):  # interleaved: the bare compile, then gokit, each on a source never seen before
            src = gokit.Source(program(a.funcs, f"{time.time_ns()} {i}"))
            sources.append(src)
            pkg = resolve(src, tc, target)   # materialise the module dir for the bare command (not timed)
            out = work / f"bare{i}"
            out.mkdir()
            argv = compile_argv(pkg, out / "_pkg_.a", ["-S"], importcfg=importcfg(pkg, 120))
            d = _run.time_process(argv, env=tc.env(target), timeout=120, cwd=pkg.moddir)
            assert d.exit_code == 0
            results["bare compile -S"].append(d.wall)
            src2 = gokit.Source(program(a.funcs, f"{time.time_ns()} {i} gokit"))
            t = time.perf_counter()
            gokit.asm(src2, goarch=a.goarch)
            results["gokit.asm, new source"].append(time.perf_counter() - t)
            sources.append(src2)
        for src in sources[1::2]:   # the same again from gokit's disk cache (in-process memo cleared)
            cache.forget()
            t = time.perf_counter()
            gokit.asm(src, goarch=a.goarch)
            results["gokit.asm, cached"].append(time.perf_counter() - t)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"go{tc.version} {a.goarch or tc.goarch}, {a.funcs} functions, {a.runs} runs each")
    for k, v in results.items():
        print(f"{k:<24} median {statistics.median(v) * 1000:7.1f} ms   min {min(v) * 1000:7.1f}   "
              f"max {max(v) * 1000:7.1f}")
    b = statistics.median(results["bare compile -S"])
    c = statistics.median(results["gokit.asm, new source"])
    print(f"gokit.asm new vs bare: {c / b:.2f}x, +{(c - b) * 1000:.1f} ms "
          f"(limit max(1.5x, +60 ms) = {max(1.5 * b, b + 0.060) * 1000:.0f} ms)")
    print(f"cached repeat: {statistics.median(results['gokit.asm, cached']) * 1000:.1f} ms (limit 30 ms)")


if __name__ == "__main__":
    main()
