"""gokit.ssa: every SSA pass the real compiler ran on one function, from its GOSSAFUNC ssa.html."""
from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Mapping, Sequence

from .. import _cache as cache
from .._run import COMPILE_SECONDS, Deadline
from ..errors import FunctionNotFoundError
from ..layers.compile import Compiled, compile_package, parse_gcflags
from ..parsers.asm_listing import function_names
from ..parsers.compiler import inlined_calls
from ..parsers.names import Resolved, check_name, func_name, resolve_name, short, spellings
from ..parsers.ssa import SSAFunction
from ..parsers.ssa_html import parse_ssa_html
from ..source.exports import importcfg
from ..source.package import Package, resolve, target_env
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
    pkg = resolve(src, tc, target_env(tc, None, goarch, deadline), deadline).check_compilable()
    return function_ssa(pkg, check_name(func), parse_gcflags(gcflags), deadline)


def function_ssa(pkg: Package, name: str, flags: Sequence[str] = (),
                 deadline: float | Deadline = COMPILE_SECONDS) -> SSAFunction:
    """The SSA of one function of a resolved package (cached by the package's key, the name and the flags).

    The first spelling of the name is almost always right: one compile with its GOSSAFUNC. Otherwise the
    compiler says what it built (-S, -m), the name resolver picks the function, and one more compile dumps it.
    """
    k = cache.key("ssa", _CACHE_REV, pkg.key, name, list(flags))
    known = cache.get("ssa", k, SSAFunction)
    if known is not None:
        return known
    start = time.perf_counter()
    cands = spellings(name, pkg.pkgpath, pkg.name)
    cfg = importcfg(pkg, deadline)  # one importcfg for every compile below
    htmls = dict(compile_package(pkg, importcfg=cfg, flags=flags, gossafunc=cands[0], deadline=deadline).check(
        "SSA").ssa_html)
    chosen = next((Resolved(c) for c in cands if short(c, pkg.pkgpath) in htmls), None)
    if chosen is None:
        listing = compile_package(pkg, importcfg=cfg, flags=(*flags, "-S", "-m"), deadline=deadline).check(
            "SSA").stdout
        built, inlined = function_names(listing), inlined_calls(listing, pkg.pkgpath)
        chosen = resolve_name(name, built, pkgpath=pkg.pkgpath, clause=pkg.name, generic=pkg.generic_functions,
                              inlined=inlined)
        # another package's generic function instantiated here: GOSSAFUNC matches it by its bare name
        bare_name = func_name(chosen.name)
        gossafunc = bare_name if chosen.foreign else chosen.name
        htmls = dict(compile_package(pkg, importcfg=cfg, flags=flags, gossafunc=gossafunc, deadline=deadline).check(
            "SSA").ssa_html)
        if chosen.foreign and bare_name in htmls:
            htmls[chosen.name] = htmls[bare_name]
        if chosen.bare(pkg.pkgpath) not in htmls:
            raise FunctionNotFoundError(f"the compiler built {chosen.name} but wrote no ssa.html for it "
                                        f"(GOSSAFUNC={gossafunc}).", built)
    return _keep(pkg, name, flags, k, chosen, htmls, start)


def first_spelling(pkg: Package, name: str) -> str:
    """The GOSSAFUNC value gokit.ssa tries first for a function name (almost always the right one)."""
    return spellings(check_name(name), pkg.pkgpath, pkg.name)[0]


def keep_dumped(pkg: Package, name: str, comp: Compiled) -> SSAFunction | None:
    """The SSA of `name` from another compile of the package that dumped it already (its GOSSAFUNC was
    `first_spelling(pkg, name)`; flags that only print, like -S or -m, leave the dump as it is), kept in the cache
    as gokit.ssa would keep it; None when that compile did not dump it (gokit.ssa will resolve the name)."""
    k = cache.key("ssa", _CACHE_REV, pkg.key, name, [])
    known = cache.get("ssa", k, SSAFunction)
    if known is not None:
        return known
    htmls = dict(comp.ssa_html)
    chosen = next((Resolved(c) for c in spellings(name, pkg.pkgpath, pkg.name) if short(c, pkg.pkgpath) in htmls),
                  None)
    if comp.exit_code != 0 or chosen is None:
        return None
    return _keep(pkg, name, (), k, chosen, htmls, time.perf_counter() - comp.wall)


def _keep(pkg: Package, name: str, flags: Sequence[str], k: str, chosen: Resolved, htmls: Mapping[str, str],
          start: float) -> SSAFunction:
    """The SSAFunction parsed from the dump of the chosen function, with its meta, put in the cache under `k`."""
    bare = chosen.bare(pkg.pkgpath)
    html_text = htmls[bare]
    moddir = str(pkg.moddir)
    fn = parse_ssa_html(html_text)
    sources = tuple(replace(s, file=s.file[len(moddir) + 1:] if s.file.startswith(moddir + "/") else s.file)
                    for s in fn.sources)
    meta = {"request": name, "function": bare, "qualified": chosen.name, "package": pkg.pkgpath,
            "instantiations": [short(i, pkg.pkgpath) for i in chosen.instantiations], "gcflags": list(flags),
            "goarch": pkg.goarch, "go": pkg.toolchain.version, "moddir": moddir,
            "seconds": time.perf_counter() - start, "html": html_text}
    return cache.put("ssa", k, replace(fn, sources=sources, meta=meta))


def functions_ssa(pkg: Package, names: Sequence[str], flags: Sequence[str] = (),
                  deadline: float | Deadline = COMPILE_SECONDS) -> tuple[dict[str, SSAFunction], list[str]]:
    """The SSA of several functions (compiler names, each cached), their compiles side by side; by the name the
    compiler gave each (a generic function's first shape instantiation), and a note for each it could not dump."""
    notes: list[str] = []

    def one(name: str) -> SSAFunction | None:
        try:
            return function_ssa(pkg, short(name, pkg.pkgpath), flags, deadline)
        except FunctionNotFoundError as e:
            notes.append(f"no SSA for {name}: {str(e).splitlines()[0]}")
            return None

    if len(names) <= 1:
        results = [one(n) for n in names]
    else:
        with ThreadPoolExecutor(max_workers=min(4, len(names))) as pool:
            results = list(pool.map(one, names))
    out: dict[str, SSAFunction] = {}
    for n, r in zip(names, results):
        if r is not None:
            out.setdefault(str(r.meta.get("qualified") or n), r)
    return out, notes
