"""Regenerate the objdump goldens: `go tool objdump -s 'main\\.'` of a linked binary and of a package
archive, from Go 1.27 and Go 1.22 (the program: tests/golden/objdump_src/main.go).

Run from the repo root:  python tests/golden/capture_objdump.py   (GOKIT_GO122=... to use a local Go 1.22)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import gokit  # noqa: E402
from gokit import _run  # noqa: E402
from gokit.layers.compile import compile_package  # noqa: E402
from gokit.source.exports import importcfg  # noqa: E402
from gokit.source.package import resolve  # noqa: E402
from gokit.source.toolchain import _make  # noqa: E402


def capture(tc: gokit.Toolchain) -> None:
    out = HERE / f"go{tc.minor[0]}.{tc.minor[1]}" / "objdump"
    out.mkdir(parents=True, exist_ok=True)
    src = gokit.Source((HERE / "objdump_src" / "main.go").read_text())
    b = gokit.build(src, toolchain=tc)
    c = compile_package(pkg := resolve(src, tc), importcfg=importcfg(pkg, 120), keep_archive=True).check()
    moddir = str(c.package.moddir)
    for name, path in (("binary", b.binary), ("archive", c.archive)):
        done = _run.run([str(tc.tool("objdump")), "-s", r"^main\.", str(path)], env=tc.env(), timeout=120).check()
        (out / f"{name}.txt").write_text(done.out.replace(moddir, "$MOD"))
        print(f"wrote {out / name}.txt")


if __name__ == "__main__":
    capture(gokit.toolchain())
    go122 = os.environ.get("GOKIT_GO122")
    capture(_make(Path(go122), "GOKIT_GO122") if go122 else gokit.use_go("1.22.10"))
