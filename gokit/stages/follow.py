"""gokit.follow: one source line followed through every stage, from its tokens to its bytes in the linked binary.

Each stage comes from the tool that really does it: tokens, nodes, types from gokit's front end (go/scanner,
go/parser, go/types); SSA from the compiler's GOSSAFUNC ssa.html of every function with code from the line;
instructions and relocations from the compiler's `-S` listing, with `-S=2` and `-m` telling what was inlined
(gokit.parsers.journey); symbols and machine code from the package compiled and linked by hand, read with
`go tool nm` and `go tool objdump`. The tools of a program run once, side by side, and serve all its lines;
the journey is cut from their results by gokit.parsers.journey.
"""
from __future__ import annotations

import functools
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from .. import _cache as cache
from .._run import COMPILE_SECONDS, Deadline
from ..errors import UsageError
from ..layers.compile import compile_package
from ..parsers.journey import Journey
from ..parsers.objdump import go_regexp_quote
from ..parsers.program import journey_of, line_code, Linked, LinkedSymbol, Outer, Program, read_outer
from ..source.package import Package, resolve
from ..source.source import Source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain
from .asm import package_asm
from .frontend import package_types, source_ast, source_tokens
from .objfile import hand_link, objdump, symbols
from .ssa import function_ssa, functions_ssa

log = logging.getLogger("gokit.follow")

#: Bump when what gokit stores for a journey changes.
_CACHE_REV = 6


def follow(src: "Source | str | bytes | os.PathLike[str]", line: int, *, file: str | None = None,
           toolchain: "Toolchain | None" = None, timeout: float | None = None) -> Journey:
    """Follow one source line through every stage, from its tokens to its bytes in the linked binary.

    `line` is a 1-based line of `main.go` (or of `file` in a package of several files). The first line of
    a program costs its compiles and one link (run side by side); every other line of the same program
    reuses them and costs only the SSA dump of functions not seen yet. A repeat comes from gokit's cache.
    `timeout` bounds the whole call (default 120 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.follow")
    return line_journey(resolve(src, tc, {}, deadline), line, file, deadline)


def line_journey(pkg: Package, line: int, file: str | None = None,
                 deadline: float | Deadline = COMPILE_SECONDS) -> Journey:
    """The journey of one line of a resolved package (cached by the package's key, the file and the line): the
    program's tools (run once for all its lines), then the SSA of the functions holding the line's code."""
    files = dict(pkg.source.go_files)
    file = file if file is not None else "main.go" if "main.go" in files else pkg.source.filename
    if file not in files:
        raise UsageError(f"no file {file!r} in this program; its Go files: {', '.join(files)}")
    n_lines = len(files[file].decode("utf-8", "replace").splitlines())
    if isinstance(line, bool) or not isinstance(line, int) or not 1 <= line <= n_lines:
        raise UsageError(f"line is a line number of {file} from 1 to {n_lines}; got {line!r}")
    k = cache.key("follow", _CACHE_REV, pkg.key, file, line)
    known = cache.get("follow", k, Journey)
    if known is not None:
        return known
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the SSA dump of the function around the line needs no other result: start it with the program's tools
        early = pool.submit(_prefetch_ssa, pkg, file, line, deadline)
        prog = program(pkg, deadline)
        early.result()
    code = line_code(prog, file, line)
    t0 = time.perf_counter()
    fns, notes = functions_ssa(pkg, code.ssa_functions, (), deadline)
    j = journey_of(prog, file, line, code, fns, notes)
    meta = {**j.meta, "ssa_seconds": time.perf_counter() - t0, "seconds": time.perf_counter() - start}
    return cache.put("follow", k, replace(j, meta=meta, again=functools.partial(_again, pkg.source, pkg.toolchain,
                                                                                  file)))


def _again(src: Source, tc: "Toolchain", file: str, line: int) -> Journey:
    """Another line of the same program (a Journey's `again`)."""
    return follow(src, line, file=file, toolchain=tc)


# ---------------------------------------------------------------- per program (shared by all its lines)

def _timed(seconds: dict[str, float], name: str, fn: Any, *args: Any, **kw: Any) -> Any:
    t0 = time.perf_counter()
    try:
        return fn(*args, **kw)
    finally:
        seconds[name] = time.perf_counter() - t0


def program(pkg: Package, deadline: float | Deadline = COMPILE_SECONDS) -> Program:
    """Everything the journeys of a program's lines share, computed once (in memory): the listing, the -S=2
    positions, the link, and the front end, side by side."""
    def compute() -> Program:
        pkg.source.check_buildable()
        seconds: dict[str, float] = {}
        # independent tool runs: the compiles, the link and the front end overlap (two or more cores)
        with ThreadPoolExecutor(max_workers=4) as pool:
            f_asm = pool.submit(_timed, seconds, "asm", package_asm, pkg, (), deadline)
            f_outer = pool.submit(_timed, seconds, "inlining", outer, pkg, deadline)
            f_link = pool.submit(_timed, seconds, "link", linked, pkg, deadline)
            f_tok = pool.submit(_timed, seconds, "tokens", source_tokens, pkg.source, pkg.toolchain, deadline)
            f_ast = pool.submit(_timed, seconds, "parse", source_ast, pkg.source, pkg.toolchain, deadline)
            f_types = pool.submit(_timed, seconds, "types", package_types, pkg, deadline)
            return Program(pkg, f_tok.result(), f_ast.result(), f_types.result(), f_asm.result(), f_outer.result(),
                           f_link.result(), seconds)

    return cache.memo("follow-program", cache.key("follow-program", _CACHE_REV, pkg.key), compute, Program,
                      disk=False)


def outer(pkg: Package, deadline: float | Deadline = COMPILE_SECONDS) -> Outer:
    """The `-S=2` listing (outermost positions) and the `-m` inlining report of the package (cached)."""
    def compute() -> Outer:
        comp = compile_package(pkg, flags=("-S=2", "-m"), deadline=deadline).check("assembly")
        tc = pkg.toolchain
        return read_outer(comp.stdout, comp.output, goarch=pkg.goarch, moddir=str(pkg.moddir), goroot=str(tc.goroot))

    return cache.memo("follow-outer", cache.key("follow-outer", _CACHE_REV, pkg.key), compute, Outer)


def linked(pkg: Package, deadline: float | Deadline = COMPILE_SECONDS) -> Linked:
    """The package compiled and linked by hand: the binary's symbols (`go tool nm`) and the machine code of
    the package's functions that survived the linker (`go tool objdump`), cached."""
    def compute() -> Linked:
        hand = hand_link(pkg, deadline=deadline)
        with ThreadPoolExecutor(max_workers=2) as pool:   # nm and objdump read the binary side by side
            f_nm = pool.submit(symbols, hand, toolchain=pkg.toolchain, timeout=deadline)
            f_obj = pool.submit(objdump, hand.binary, pattern="^" + go_regexp_quote(pkg.pkgpath + "."),
                                toolchain=pkg.toolchain, timeout=deadline)
            nm, funcs = f_nm.result(), f_obj.result()
        rows = tuple(LinkedSymbol(None if a is None or str(a) == "<NA>" else int(a),
                                  None if s is None or str(s) == "<NA>" else int(s), t, n, p)
                     for a, s, t, n, p in zip(nm["address"], nm["size"], nm["type"], nm["name"], nm["package"]))
        return Linked(rows, {f.name: f for f in funcs})

    return cache.memo("follow-linked", cache.key("follow-linked", _CACHE_REV, pkg.key), compute, Linked)


# ---------------------------------------------------------------- SSA of the line's functions

def _prefetch_ssa(pkg: Package, file: str, line: int, deadline: float | Deadline) -> None:
    """gokit.ssa of the function the line is in (go/parser facts), so its compile overlaps the program's."""
    function = pkg.func_at(file, line)
    if not function:
        return
    try:
        function_ssa(pkg, function, (), deadline)
    except Exception:  # noqa: BLE001 - the journey asks again and reports what went wrong in its notes
        log.debug("prefetching the SSA of %s failed", function, exc_info=True)
