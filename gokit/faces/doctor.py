"""`gokit doctor`: is everything a lesson needs here, and how fast is a real compile?"""
from __future__ import annotations

import importlib.metadata
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import GokitError

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from gokit doctor") }\n'
#: Standard-library packages the lessons compile against (lesson 03's benchmark needs testing; lesson 02
#: type-checks against the export data of fmt, go/types and encoding/json). Compiling them once here
#: means no lesson waits for a cold build of the standard library.
#: (net/http: lesson 07 profiles the compiler compiling it, whose dependencies must come from the build cache.)
WARM_PACKAGES = ("fmt", "testing", "go/parser", "go/types", "encoding/json", "os/exec", "net/http")
#: Tools Go 1.27 does not ship prebuilt; `go tool X` builds them on first use (seconds; pprof, which lesson 07
#: reads profiles with, 11 s), so doctor does it now.
PREBUILD_TOOLS = ("nm", "objdump", "pprof")


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def checks() -> list[dict[str, Any]]:
    """Every check doctor makes: name, ok, value, advice (the data behind the report)."""
    from ..source.toolchain import toolchain

    out: list[dict[str, Any]] = []

    def add(name: str, ok: bool, value: Any, advice: str = "") -> None:
        out.append({"check": name, "ok": ok, "value": value, "advice": advice})

    try:
        tc = toolchain()
    except GokitError as e:
        add("go", False, None, str(e))
        return out
    from .._dist import DIST_NAME

    here = Path(__file__).resolve().parent.parent  # the gokit package
    installed = _version(DIST_NAME)
    add("package", True, f"{DIST_NAME} {installed} (import gokit from {here})" if installed else
        f"import gokit from {here} (not installed as {DIST_NAME}: running from a source tree)")
    add("go", True, str(tc.go))
    add("go version", tc.version.startswith("1."), f"go{tc.version} (from {tc.origin})")
    add("GOROOT", (tc.goroot / "src" / "runtime").is_dir(), str(tc.goroot),
        "" if (tc.goroot / "src" / "runtime").is_dir() else "GOROOT has no src/: lessons read the runtime source")
    gocache_ok = _writable(tc.gocache)
    add("GOCACHE writable", gocache_ok, str(tc.gocache), "" if gocache_ok else
        "Go needs a writable build cache: set GOCACHE to a writable directory")
    if tc.ignored_env:
        add("ignored Go settings", True, ", ".join(tc.ignored_env),
            "gokit builds with a clean environment and does not pass these on")
    from .._cache import cache_dir

    add("gokit cache", _writable(cache_dir()), str(cache_dir()))
    from ..views.render import renderer, to_svg

    try:
        r = renderer()
        svg = to_svg('digraph { source -> tokens -> AST -> SSA -> "machine code" }')
        add("renderer", "</svg>" in svg, f"{r.name} {r.version} ({r.path}): test SVG {len(svg):,} bytes",
            "" if r.name == "dot" else "using the pip fallback graphviz-pure; the real Graphviz is optional")
    except GokitError as e:
        add("renderer", False, None, str(e))
    for dist in ("jupyterlab", "ipywidgets", "pandas", "matplotlib", "graphviz"):
        v = _version(dist)
        add(dist, v is not None, v, "" if v else f"pip install {dist}")
    # the helper reads Go source for every stage (package names, imports, declarations): build it first
    try:
        from ..source.helper import helper

        t = time.perf_counter()
        path = helper(tc)
        add("front-end helper", path.is_file(), f"{path} ({time.perf_counter() - t:.2f} s)")
    except GokitError as e:
        add("front-end helper", False, None, str(e))
    from ..layers.build import go_build
    from ..source.package import resolve
    from ..source.source import Source
    from ..stages.builds import build
    from ..stages.run import run

    try:
        src = Source(HELLO.replace("doctor", f"doctor {time.time_ns()}"))  # new source: a real compile
        t = time.perf_counter()
        b = build(src, toolchain=tc, timeout=600)
        took = time.perf_counter() - t
        r_ = run(src, toolchain=tc, timeout=30)
        ok = r_.exit_code == 0 and "hello from gokit doctor" in r_.stdout
        add("test compile", ok, f"compiled {b.cache_misses} package{'' if b.cache_misses == 1 else 's'}, linked {b.size:,} bytes in {took:.2f} s")
        _forget(b.binary.parent)
        _forget(resolve(src, tc).moddir)
    except GokitError as e:
        add("test compile", False, None, str(e))
    try:
        t = time.perf_counter()
        go_build(tc, *WARM_PACKAGES, cwd=tc.goroot / "src", deadline=1200)
        add("std library warm", True, f"{', '.join(WARM_PACKAGES)} and their dependencies "
            f"({time.perf_counter() - t:.2f} s)")
    except GokitError as e:
        add("std library warm", False, None, str(e))
    for tool in PREBUILD_TOOLS:
        try:
            t = time.perf_counter()
            path = tc.tool(tool)
            add(f"go tool {tool}", path.is_file(), f"{path} ({time.perf_counter() - t:.2f} s)")
        except GokitError as e:
            add(f"go tool {tool}", False, None, str(e))
    import shutil

    hyperfine = shutil.which("hyperfine")
    add("hyperfine", True, hyperfine or "not installed: lesson 07 skips its check of gokit's timer against an "
        "independent one (apt-get install hyperfine, brew install hyperfine)")
    for version, lessons in compare_releases(tc):
        # lessons compare your Go with another release: install it now, while there is network (about 70 MB once)
        from ..source.toolchain import use_go

        try:
            t = time.perf_counter()
            other = use_go(version, timeout=1800)
            add(f"go{version}", True, f"{other.goroot} for lessons {lessons} ({time.perf_counter() - t:.2f} s)")
        except GokitError as e:
            add(f"go{version}", False, None, f"lessons {lessons} compare against Go {version} and will skip that "
                "comparison without it; run `gokit doctor` again with network to install it.\n"
                + str(e).splitlines()[0])
    try:
        from ..source.package import targets

        t = time.perf_counter()
        add("go tool dist", True, f"{len(targets(tc))} GOOS/GOARCH targets ({time.perf_counter() - t:.2f} s)")
    except GokitError as e:
        add("go tool dist", False, None, str(e))
    return out


def compare_releases(tc: Any) -> list[tuple[str, str]]:
    """(Go release, the lessons that compare `tc` with it): doctor installs these so no lesson downloads."""
    out = []
    if tc.minor != (1, 22):
        out.append(("1.22.10", "00 and 04" if tc.minor >= (1, 24) else "04"))  # 04: listings side by side
    if tc.minor < (1, 24):
        out.append(("1.27.3", "00"))  # 00: a release that caches go run's executable, next to yours
    return out


def _writable(p: Path) -> bool:
    try:
        p.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=p):
            pass
        return True
    except OSError:
        return False


def _forget(build_dir: Path) -> None:
    import shutil

    shutil.rmtree(build_dir, ignore_errors=True)  # doctor's throwaway program: don't keep it in the cache


def report(results: list[dict[str, Any]]) -> str:
    """The doctor's report as text: one line per check, advice under the ones that need it, a verdict."""
    lines = [f"gokit doctor (python {sys.version.split()[0]}, {sys.executable})"]
    for r in results:
        mark = "ok " if r["ok"] else "!! "
        lines.append(f"  {mark}{r['check']:<20} {r['value'] if r['value'] is not None else ''}")
        if r["advice"] and (not r["ok"] or r["check"] in ("renderer", "ignored Go settings")):
            lines.extend(f"      {line}" for line in str(r["advice"]).splitlines())
    failed = [r for r in results if not r["ok"]]
    if failed:
        lines.append(f"\n{len(failed)} problem(s): fix them as advised above, then run `gokit doctor` again.")
    else:
        lines.append("\nAll good: `gokit lab` opens the lessons.")
    return "\n".join(lines) + "\n"
