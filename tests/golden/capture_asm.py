"""Regenerate the -S and nm goldens from Go 1.27 and Go 1.22 (the program: tests/golden/asm_src/main.go):

    go<V>/asm/<goarch>.txt        `go tool compile -S` of the package for amd64, arm64, riscv64 (stdout)
    go<V>/asm/nm_archive.txt      `go tool nm -size -sort address` of the amd64 package archive (_pkg_.a)
    go<V>/asm/nm_archive_plain.txt `go tool nm` of the same archive (no sizes, nm's own order)
    go<V>/asm/nm_binary.txt       `go tool nm -size -sort address` of the program linked from that archive

The module directory is written $MOD and GOROOT $GOROOT, so no path of this machine is committed.
Run from the repo root:  python tests/golden/capture_asm.py   (GOKIT_GO122=... to use a local Go 1.22)
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

ARCHES = ("amd64", "arm64", "riscv64")


def capture(tc: gokit.Toolchain) -> None:
    out = HERE / f"go{tc.minor[0]}.{tc.minor[1]}" / "asm"
    out.mkdir(parents=True, exist_ok=True)
    src = gokit.Source((HERE / "asm_src" / "main.go").read_text())

    def clean(text: str, moddir: Path) -> str:
        return text.replace(str(moddir), "$MOD").replace(str(tc.goroot), "$GOROOT")

    for arch in ARCHES:
        c = compile_package(pkg := resolve(src, tc, {"GOOS": "linux", "GOARCH": arch}), importcfg=importcfg(pkg, 120), flags=("-S",), keep_archive=True).check()
        (out / f"{arch}.txt").write_text(clean(c.stdout, c.package.moddir))
        print(f"wrote {out / arch}.txt")
        if arch != "amd64":
            continue
        nm = str(tc.tool("nm"))
        for name, args in (("nm_archive", ["-size", "-sort", "address"]), ("nm_archive_plain", [])):
            done = _run.run([nm, *args, str(c.archive)], env=tc.env(), timeout=120).check()
            (out / f"{name}.txt").write_text(clean(done.out, c.package.moddir))
        hand = gokit.link_by_hand(src, toolchain=tc)
        done = _run.run([nm, "-size", "-sort", "address", str(hand.binary)], env=tc.env(), timeout=120).check()
        (out / "nm_binary.txt").write_text(clean(done.out, c.package.moddir))
        print(f"wrote {out}/nm_*.txt")


if __name__ == "__main__":
    capture(gokit.toolchain())
    go122 = os.environ.get("GOKIT_GO122")
    capture(_make(Path(go122), "GOKIT_GO122") if go122 else gokit.use_go("1.22.10"))
