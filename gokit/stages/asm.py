"""gokit.asm: the compiler's `-S` listing of your package, parsed into functions, instructions, relocations, data."""
from __future__ import annotations

import functools
import os
import time
from typing import Sequence

from .. import _cache as cache
from .._run import COMPILE_SECONDS, Deadline
from ..layers.compile import compile_package, parse_gcflags
from ..parsers.asm import Assembly
from ..parsers.asm_listing import parse_asm
from ..source.exports import importcfg
from ..source.package import Package, resolve, target_env
from ..source.source import Source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain

#: Bump when what gokit stores for a result changes.
_CACHE_REV = 4  # 4: weak relocations named R_WEAKADDR, R_WEAKADDROFF


def asm(src: "Source | str | bytes | os.PathLike[str]", *, goarch: str | None = None,
        gcflags: str | Sequence[str] | None = None, toolchain: "Toolchain | None" = None,
        timeout: float | None = None) -> Assembly:
    """The compiler's `-S` assembly of your package, parsed: functions, instructions, relocations, data.

    One `go tool compile -S` of your package alone (go build's flags, an importcfg of the standard
    library's export data), for this machine or another GOARCH (arm64, riscv64, ... — cross-compiling
    needs nothing more). The package archive it writes is kept (`.archive`, what `go tool nm` and
    `go tool link` read). A repeat comes from gokit's cache. `timeout` bounds the whole call (default 120 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.asm")
    pkg = resolve(src, tc, target_env(tc, None, goarch, deadline), deadline).check_compilable()
    return package_asm(pkg, parse_gcflags(gcflags), deadline)


def package_asm(pkg: Package, flags: Sequence[str] = (), deadline: float | Deadline = COMPILE_SECONDS) -> Assembly:
    """The `-S` listing of a resolved package (cached by the package's key and the flags, with its archive)."""
    k = cache.key("asm", _CACHE_REV, pkg.key, list(flags))
    known = cache.get("asm", k, Assembly, valid=lambda a: a.archive is None or a.archive.is_file())
    if known is not None:
        return known
    start = time.perf_counter()
    cfg = importcfg(pkg, deadline)
    comp = compile_package(pkg, importcfg=cfg, flags=(*flags, "-S"), keep_archive=True, deadline=deadline).check(
        "assembly")
    tc, moddir = pkg.toolchain, str(pkg.moddir)
    symbols = parse_asm(comp.stdout, goarch=pkg.goarch, moddir=moddir, goroot=str(tc.goroot))
    meta = {"package": pkg.pkgpath, "clause": pkg.name, "goarch": pkg.goarch, "goos": pkg.goos, "go": tc.version,
            "gcflags": list(flags), "archive": str(comp.archive) if comp.archive else "",
            "seconds": time.perf_counter() - start, "compile_seconds": comp.wall,
            "argv": [a.replace(moddir + "/", "") for a in comp.argv], "moddir": moddir}
    sources = tuple((n, d.decode("utf-8", "replace")) for n, d in pkg.source.go_files if n in pkg.files)
    listing = comp.stdout.replace(moddir + "/", "").replace(str(tc.goroot) + "/", "$GOROOT/")
    return cache.put("asm", k, Assembly(symbols, meta, sources, listing, pkg.source, tc,
                                        functools.partial(_again, pkg.source, tuple(flags))))


def _again(src: Source, flags: Sequence[str], *, goarch: str, toolchain: "Toolchain | None" = None) -> Assembly:
    """The same listing for another GOARCH or Go (an Assembly's `again`)."""
    return asm(src, goarch=goarch, gcflags=list(flags) or None, toolchain=toolchain)
