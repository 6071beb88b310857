"""Regenerate the goldens of gokit.follow and gokit.profile from Go 1.27 and Go 1.22:

* go<v>/follow/compile_bench.txt: the compiler's `-bench=FILE` report of two compiles of tests/golden/pprof_src/hot.go
* go<v>/follow/ssa_time.txt: what `-d=ssa/all/time` prints for one compile of it
* go<v>/pprof/cpu_disasm.txt, cpu_top_lines.txt, cpu_traces_lines.txt: `go tool pprof -disasm=play[.]`,
  `-top -lines` and `-traces -lines` of a CPU profile of that program (gokit.profile)

Run from the repo root:  python tests/golden/capture_follow.py   (GOKIT_GO122=... to use a local Go 1.22)
Absolute paths become $GOROOT/ and $MOD/.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import gokit  # noqa: E402
from gokit.layers.compile import compile_package  # noqa: E402
from gokit.source.exports import importcfg  # noqa: E402
from gokit.source.package import resolve  # noqa: E402
from gokit.parsers.profile import Profile  # noqa: E402
from gokit.layers.build import BUILD_DIR_FILE  # noqa: E402
from gokit.stages.pprof import report  # noqa: E402
from gokit.stages.profile import profile  # noqa: E402
from gokit.source.toolchain import _make  # noqa: E402


def capture(tc: gokit.Toolchain) -> None:
    version = f"go{tc.minor[0]}.{tc.minor[1]}"
    src = gokit.Source((HERE / "pprof_src" / "hot.go").read_text())
    out = HERE / version / "follow"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        bench = Path(d) / "bench.txt"
        for _ in range(2):
            compile_package(pkg := resolve(src, tc), importcfg=importcfg(pkg, 120), flags=(f"-bench={bench}",)).check()
        (out / "compile_bench.txt").write_text(bench.read_text())
    c = compile_package(pkg := resolve(src, tc), importcfg=importcfg(pkg, 120), flags=("-d=ssa/all/time",)).check()
    moddir = str(c.package.moddir)
    (out / "ssa_time.txt").write_text((c.stdout + c.stderr).replace(moddir + "/", "$MOD/"))
    p = profile(src, ["300000"], seconds=1.0, toolchain=tc)
    builddir = (p.profile.binary.parent / BUILD_DIR_FILE).read_text().strip()
    raw = Profile(p.profile.data, p.profile.what, tc, (), p.profile.binary, report)   # untrimmed: replace paths here
    pp = HERE / version / "pprof"
    for name, args in {"cpu_disasm": ("-disasm=play[.]",), "cpu_top_lines": ("-top", "-lines"),
                       "cpu_traces_lines": ("-traces", "-lines")}.items():
        text = raw.text(*args).replace(str(tc.goroot) + os.sep, "$GOROOT/").replace(builddir + os.sep, "$MOD/")
        (pp / f"{name}.txt").write_text(text)
        print(f"wrote {pp / name}.txt ({len(text.splitlines())} lines)")


if __name__ == "__main__":
    capture(gokit.toolchain())
    go122 = os.environ.get("GOKIT_GO122")
    capture(_make(Path(go122), "GOKIT_GO122") if go122 else gokit.use_go("1.22.10"))
