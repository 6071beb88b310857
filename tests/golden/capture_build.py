"""Regenerate the `go build -x` / `go run -x` golden files for each Go version.

    python tests/golden/capture_build.py /path/to/go1.22/bin/go /path/to/go1.27/bin/go

Writes go1.NN/build_x_cold.txt (a fresh GOCACHE: every std package compiled), build_x_warm.txt (only main
compiled), run_x_first.txt and run_x_again.txt (go run twice). Temp paths are kept as printed.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from gokit.source.source import Source
from gokit.source.toolchain import _make

HERE = Path(__file__).resolve().parent
HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, golden") }\n'


def capture(go: str) -> None:
    tc = _make(Path(go), "capture")
    out = HERE / f"go{tc.minor[0]}.{tc.minor[1]}"
    out.mkdir(exist_ok=True)
    src = Source(HELLO)
    moddir = gokit.package(src, toolchain=tc).moddir
    with tempfile.TemporaryDirectory(prefix="gokit-golden-") as tmp:
        cold_env = {"GOCACHE": str(Path(tmp) / "gocache")}
        done = tc.go_cmd("build", "-x", "-o", str(Path(tmp) / "hello"), ".", cwd=moddir, env=cold_env, timeout=600)
        (out / "build_x_cold.txt").write_text(done.err)
        Path(tmp, "hello").unlink()
        (moddir / "x").exists()
        warm_src = Source(HELLO.replace("golden", "golden, warm"))
        wdir = gokit.package(warm_src, toolchain=tc).moddir
        done = tc.go_cmd("build", "-x", "-o", str(Path(tmp) / "hello"), ".", cwd=wdir, env=cold_env, timeout=600)
        (out / "build_x_warm.txt").write_text(done.err)
        run_src = Source(HELLO.replace("golden", "golden, run"))
        rdir = gokit.package(run_src, toolchain=tc).moddir
        for name in ("run_x_first", "run_x_again"):
            done = tc.go_cmd("run", "-x", ".", cwd=rdir, env=cold_env, timeout=600)
            (out / f"{name}.txt").write_text(done.err)
        (out / "gocache.txt").write_text(cold_env["GOCACHE"] + "\n")


if __name__ == "__main__":
    for go in sys.argv[1:]:
        capture(go)
