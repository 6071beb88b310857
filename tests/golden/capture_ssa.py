"""Regenerate the SSA golden files: ssa.html + GOSSAFUNC=f+ text per function, and -m=2/check_bce output.

    GOKIT_GO122=/work/go122/go/bin/go python tests/golden/capture_ssa.py

Writes tests/golden/go1.27/ssa/ and tests/golden/go1.22/ssa/ (files over 200 KB are gzipped).
"""
from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import gokit  # noqa: E402
from gokit.layers.compile import compile_package  # noqa: E402
from gokit.source.exports import importcfg  # noqa: E402
from gokit.source.package import resolve  # noqa: E402
from gokit.source.toolchain import _make  # noqa: E402

#: golden name -> GOSSAFUNC function (compiler spelling, package main)
FUNCS = {"add": "add", "loop": "sum", "bce": "idx", "method": "(*T).M", "closure": "counter.func1",
         "generic": "Max[go.shape.int]"}
LIMIT = 200_000


def write(path: Path, text: str) -> None:
    data = text.encode()
    if len(data) > LIMIT:
        path = path.with_name(path.name + ".gz")
        data = gzip.compress(data, 9, mtime=0)
    path.write_bytes(data)
    print(f"wrote {path.relative_to(HERE)} ({len(data):,} bytes)")


def capture(tc: gokit.Toolchain) -> None:
    out = HERE / f"go{tc.minor[0]}.{tc.minor[1]}" / "ssa"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    src = gokit.Source((HERE / "ssa_src" / "main.go").read_text())
    for slug, fn in FUNCS.items():
        comp = compile_package(pkg := resolve(src, tc), importcfg=importcfg(pkg, 120), gossafunc=f"main.{fn}+").check("SSA")
        moddir = str(comp.package.moddir) + "/"
        write(out / f"{slug}.html", comp.ssa_html[fn].replace(moddir, ""))
        write(out / f"{slug}.plus.txt", comp.stdout.replace(moddir, ""))
    comp = compile_package(pkg := resolve(src, tc), importcfg=importcfg(pkg, 120), flags=("-m=2", "-d=ssa/check_bce/debug=1")).check()
    write(out / "opt.txt", comp.output)


def main() -> None:
    capture(gokit.toolchain())
    go122 = os.environ.get("GOKIT_GO122")
    capture(_make(Path(go122), "GOKIT_GO122") if go122 else gokit.use_go("1.22.10"))


if __name__ == "__main__":
    main()
