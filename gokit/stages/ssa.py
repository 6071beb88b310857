"""gokit.ssa: every SSA pass the real compiler ran on one function, from its GOSSAFUNC ssa.html."""
from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from typing import Any, Sequence

from .. import _cache as cache
from .._run import COMPILE_SECONDS, Deadline
from ..errors import FunctionNotFoundError
from ..layers.compile import Compiled, compile_package, parse_gcflags
from ..parsers.asm import function_names
from ..parsers.compiler import inlined_calls
from ..parsers.names import Resolved, check_name, func_name, resolve, short, spellings
from ..parsers.ssa import SSAFunction, parse_ssa_html
from ..source.package import Package, target_env
from ..source.package import resolve as resolve_package
from ..source.source import Source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain

log = logging.getLogger("gokit.ssa")

#: Bump when what gokit stores for a result changes.
_CACHE_REV = 6


def ssa(src: Source | str | bytes | os.PathLike[str], func: str, *, gcflags: str | Sequence[str] | None = None,
        goarch: str | None = None, toolchain: Toolchain | None = None, timeout: float | None = None) -> SSAFunction:
    """Every SSA pass the real compiler ran on one function, parsed from its GOSSAFUNC ssa.html.

    Compiles only your package (`go tool compile` against an importcfg of the standard library's
    export data in GOCACHE, with go build's flags), so a new function name costs one compile of
    your file, not a rebuild of the standard library; a repeat comes from gokit's cache.
    `func` is written as you would: add, T.M, (*T).M, main.func1 (a closure), Max (a generic
    function: its first shape instantiation; all are in .meta['instantiations']).
    `timeout` bounds the whole call (default 120 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.ssa")
    name = check_name(func)
    flags = parse_gcflags(gcflags)
    pkg = resolve_package(src, tc, target_env(tc, None, goarch, deadline), deadline)
    return function_ssa(pkg, name, flags, deadline)


def function_ssa(pkg: Package, name: str, flags: Sequence[str] = (),
                 deadline: float | Deadline = COMPILE_SECONDS) -> SSAFunction:
    """The SSA of one function of a resolved package (cached by the package's key, the name and the flags)."""
    k = cache.key("ssa", _CACHE_REV, pkg.key, name, list(flags))
    return cache.memo("ssa", k, lambda: _dump(pkg, name, tuple(flags), deadline), SSAFunction)


def _dump(pkg: Package, name: str, flags: tuple[str, ...], deadline: float | Deadline) -> SSAFunction:
    start = time.perf_counter()

    def compiled(gossafunc: str | None = None, extra: Sequence[str] = ()) -> Compiled:
        return compile_package(pkg, flags=(*flags, *extra), gossafunc=gossafunc, deadline=deadline).check("SSA")

    # the first spelling is almost always right: one compile with its GOSSAFUNC
    cands = spellings(name, pkg.pkgpath, pkg.name)
    htmls = dict(compiled(gossafunc=cands[0]).ssa_html)
    chosen = next((Resolved(c) for c in cands if short(c, pkg.pkgpath) in htmls), None)
    if chosen is None:  # ask the compiler what it built (-S, -m), then compile again
        listing = compiled(extra=("-S", "-m")).stdout
        chosen = resolve(name, function_names(listing), pkgpath=pkg.pkgpath, clause=pkg.name,
                         generic=pkg.generic_functions, inlined=inlined_calls(listing, pkg.pkgpath))
        # another package's generic function instantiated here: GOSSAFUNC matches it by its bare name
        gossafunc = func_name(chosen.name) if chosen.foreign else chosen.name
        htmls = dict(compiled(gossafunc=gossafunc).ssa_html)
        if chosen.foreign and func_name(chosen.name) in htmls:
            htmls[chosen.name] = htmls[func_name(chosen.name)]
        if chosen.bare(pkg.pkgpath) not in htmls:
            raise FunctionNotFoundError(f"the compiler built {chosen.name} but wrote no ssa.html for it "
                                        f"(GOSSAFUNC={gossafunc}).", function_names(listing))
    bare = chosen.bare(pkg.pkgpath)
    html_text = htmls[bare]
    tc = pkg.toolchain
    meta = {"request": name, "function": bare, "qualified": chosen.name, "package": pkg.pkgpath,
            "instantiations": [short(i, pkg.pkgpath) for i in chosen.instantiations], "gcflags": list(flags),
            "goarch": pkg.goarch, "go": tc.version, "moddir": str(pkg.moddir),
            "seconds": time.perf_counter() - start}
    return _finish(parse_ssa_html(html_text), meta, html_text)


def _finish(fn: SSAFunction, meta: dict[str, Any], html_text: str) -> SSAFunction:
    moddir = meta.get("moddir", "")
    if moddir:
        srcs = tuple(replace(s, file=s.file[len(moddir) + 1:] if s.file.startswith(moddir + "/") else s.file)
                     for s in fn.sources)
        fn = replace(fn, sources=srcs)
    return replace(fn, meta={**meta, "html": html_text})
