"""Measure, side by side in one run: naive `GOSSAFUNC=main.fN go build` vs a bare `go tool compile` vs gokit.ssa.

    python tests/golden/measure_ssa_speed.py [--naive N]

Prints medians (ms) and GOCACHE growth. The naive build really recompiles every package (GOSSAFUNC
is in each package's cache key) and adds ~30 MB to GOCACHE per run: keep N small.
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
from gokit.stages.builds import dir_size  # noqa: E402
from gokit.layers.compile import compile_argv  # noqa: E402
from gokit.source.exports import importcfg  # noqa: E402
from gokit.source.package import resolve  # noqa: E402


def program(n: int, salt: str) -> str:
    funcs = "\n".join(f"func f{i}(xs []int, k int) int {{\n\ts := 0\n\tfor _, x := range xs {{\n\t\ts += x * {i + 1}\n"
                      f"\t}}\n\treturn s + xs[k]\n}}\n" for i in range(n))
    calls = " + ".join(f"f{i}(xs, 1)" for i in range(n))
    return f"package main\n\nimport \"fmt\"\n\n// {salt}\n{funcs}\nfunc main() {{\n\txs := []int{{1, 2, 3}}\n" \
           f"\tfmt.Println({calls})\n}}\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--naive", type=int, default=2)
    ap.add_argument("--funcs", type=int, default=20)
    a = ap.parse_args()
    tc = gokit.toolchain()
    src = gokit.Source(program(a.funcs, str(time.time_ns())))
    moddir = resolve(src, tc).moddir
    gocache = tc.gocache
    results: dict[str, list[float]] = {"naive go build": [], "bare compile": [], "gokit cold": [], "gokit cached": []}
    growth: dict[str, list[int]] = {"naive go build": [], "gokit cold": []}
    work = Path(tempfile.mkdtemp(prefix="measure-"))
    try:
        # warm: the importcfg for fmt exists after one call
        gokit.ssa(gokit.Source(program(1, "warm")), "f0")
        pkg = resolve(src, tc)
        cfg = importcfg(pkg, 120)
        for i in range(a.naive):  # naive: a new GOSSAFUNC value each time
            before = dir_size(gocache)
            env = tc.env({"GOSSAFUNC": f"main.f{i}", "GOSSADIR": str(work / "naive")})
            d = _run.time_process([str(tc.go), "build", "-o", str(work / "a.out"), "."], env=env, timeout=600,
                                  cwd=moddir)
            assert d.exit_code == 0, d.err
            results["naive go build"].append(d.wall)
            growth["naive go build"].append(dir_size(gocache) - before)
        before = dir_size(gocache)
        for i in range(a.funcs):  # interleaved: bare compile, then gokit, each with a name never asked before
            out = work / f"bare{i}"
            out.mkdir()
            argv = compile_argv(pkg, out / "_pkg_.a", importcfg=cfg)
            d = _run.time_process(argv, env=tc.env({"GOSSAFUNC": f"main.f{i}", "GOSSADIR": str(out)}), timeout=120,
                                  cwd=moddir)
            assert d.exit_code == 0
            results["bare compile"].append(d.wall)
            t = time.perf_counter()
            gokit.ssa(src, f"f{i}")
            results["gokit cold"].append(time.perf_counter() - t)
        growth["gokit cold"].append((dir_size(gocache) - before) // a.funcs)
        for i in range(a.funcs):  # gokit, the same again from its disk cache (in-process memo cleared)
            cache.forget()
            t = time.perf_counter()
            gokit.ssa(src, f"f{i}")
            results["gokit cached"].append(time.perf_counter() - t)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"go{tc.version}, {a.funcs} functions, naive runs {a.naive}")
    for k, v in results.items():
        if v:
            print(f"{k:<16} median {statistics.median(v) * 1000:9.1f} ms   min {min(v) * 1000:8.1f}   "
                  f"max {max(v) * 1000:8.1f}   n={len(v)}")
    for k, v in growth.items():
        if v:
            print(f"GOCACHE growth per new function, {k}: {statistics.median(v) / 1e6:.2f} MB")
    b = statistics.median(results["bare compile"])
    c = statistics.median(results["gokit cold"])
    if results["naive go build"]:
        print(f"gokit cold / naive = 1/{statistics.median(results['naive go build']) / c:.0f}")
    print(f"gokit cold vs bare: {c / b:.2f}x, +{(c - b) * 1000:.1f} ms (limit max(1.5x, +60 ms))")


if __name__ == "__main__":
    main()
