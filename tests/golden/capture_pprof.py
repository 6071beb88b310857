"""Regenerate the pprof goldens from Go 1.27 and Go 1.22: `go tool pprof` reports (-top, -top -lines, -traces) of
a heap profile written by tests/golden/pprof_src/heap.go, of the compiler compiling go/types
(-gcflags=go/types=-cpuprofile) and of the linker linking that program (-ldflags=-cpuprofile).

Run from the repo root:  python tests/golden/capture_pprof.py   (GOKIT_GO122=... to use a local Go 1.22)
Absolute paths become $GOROOT/ and $MOD/ (the profiles themselves are not kept: they are binary).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import gokit  # noqa: E402
from gokit.parsers.profile import Profile  # noqa: E402
from gokit.stages.pprof import pprof, profile_compile, profile_link, report  # noqa: E402
from gokit.source.toolchain import _make  # noqa: E402

REPORTS = {
    "heap_top": ("-top", "-sample_index=alloc_space"),
    "heap_top_lines": ("-top", "-lines", "-sample_index=alloc_space"),
    "heap_traces": ("-traces", "-sample_index=alloc_space"),
    "heap_inuse_top": ("-top",),
    "compile_top": ("-top", "-nodecount=30"),
    "compile_top_cum": ("-top", "-cum", "-nodecount=30"),
    "compile_traces": ("-traces",),
    "link_top": ("-top", "-nodecount=20"),
}


def capture(tc: gokit.Toolchain) -> None:
    out = HERE / f"go{tc.minor[0]}.{tc.minor[1]}" / "pprof"
    out.mkdir(parents=True, exist_ok=True)
    src = gokit.Source((HERE / "pprof_src" / "heap.go").read_text())
    moddir = str(gokit.package(src, toolchain=tc).moddir)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "heap.pprof"
        gokit.run(src, args=[str(path)], toolchain=tc, timeout=60)
        profiles: dict[str, Profile] = {"heap": pprof(path, toolchain=tc),
                                        "compile": profile_compile("go/types", toolchain=tc),
                                        "link": profile_link(src, toolchain=tc)}
    for name, args in REPORTS.items():
        p = profiles[name.split("_")[0]]
        raw = Profile(p.data, p.what, tc, report=report).text(*args)  # untrimmed: replace the paths here
        text = raw.replace(str(tc.goroot) + os.sep, "$GOROOT/").replace(moddir + os.sep, "$MOD/")
        (out / f"{name}.txt").write_text(text)
        print(f"wrote {out / name}.txt ({len(text.splitlines())} lines)")


if __name__ == "__main__":
    capture(gokit.toolchain())
    go122 = os.environ.get("GOKIT_GO122")
    capture(_make(Path(go122), "GOKIT_GO122") if go122 else gokit.use_go("1.22.10"))
