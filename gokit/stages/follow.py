"""gokit.follow: one source line followed through every stage, from its tokens to its bytes in the linked binary.

Each stage comes from the tool that really does it: tokens, nodes, types from gokit's front end (go/scanner,
go/parser, go/types); SSA from the compiler's GOSSAFUNC ssa.html of every function with code from the line;
instructions and relocations from the compiler's `-S` listing, with `-S=2` and `-m` telling what was inlined
(gokit.parsers.journey); symbols and machine code from the package compiled and linked by hand, read with
`go tool nm` and `go tool objdump`. The tools of a program run once, side by side, and serve all its lines;
the journey is cut from their results by gokit.parsers.program.

No tool runs twice for what one run can give: the `-S` compile's archive is what the hand link links (-S only
prints), the `-S=2 -m` compile dumps the SSA of the function around the line (GOSSAFUNC), and the SSA dumps of
the other functions with code from the line (where it was inlined) start as soon as the two listings name them,
while the link, nm and objdump still run.
"""
from __future__ import annotations

import functools
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Callable

from .. import _cache as cache
from .._run import COMPILE_SECONDS, Deadline
from ..errors import UsageError
from ..layers.compile import compile_package
from ..parsers.asm import Assembly
from ..parsers.journey import Journey
from ..parsers.objdump import go_regexp_quote
from ..parsers.program import (journey_of, line_code, line_rest, line_ssa, Linked, LinkedSymbol, Outer, Program,
                               read_outer)
from ..source.exports import importcfg
from ..source.package import Package, resolve
from ..source.source import as_source, Source
from ..source.toolchain import Toolchain
from ..source.toolchain import toolchain as default_toolchain
from .asm import package_asm
from .frontend import package_types, source_ast, source_tokens
from .objfile import hand_link, objdump, symbols
from .ssa import first_spelling, functions_ssa, keep_dumped

log = logging.getLogger("gokit.follow")

#: Bump when what gokit stores for a journey changes.
_CACHE_REV = 6


def follow(src: "Source | str | bytes | os.PathLike[str]", line: int, *, file: str | None = None,
           toolchain: "Toolchain | None" = None, timeout: float | None = None) -> Journey:
    """Follow one source line through every stage, from its tokens to its bytes in the linked binary.

    `line` is a 1-based line of `main.go` (or of `file` in a package of several files). The first line of
    a program costs its compiles and one link (run side by side, no more of them than the journey needs); every
    other line of the same program reuses them and costs only the SSA dump of functions not seen yet. A repeat comes from gokit's cache.
    `timeout` bounds the whole call (default 120 s).
    """
    tc = toolchain or default_toolchain()
    deadline = Deadline.of(timeout, COMPILE_SECONDS, "gokit.follow")
    source = as_source(src.source if isinstance(src, Package) else src)  # checked before it is resolved
    source.check_buildable()
    pkg = resolve(source, tc, {}, deadline).check_compilable()
    return line_journey(pkg, line, file, deadline)


def line_journey(pkg: Package, line: int, file: str | None = None,
                 deadline: float | Deadline = COMPILE_SECONDS) -> Journey:
    """The journey of one line of a resolved package (cached by the package's key, the file and the line): the
    program's tools (run once for all its lines), then the SSA of the functions holding the line's code. The
    package is one the compiler can be given (checked where it was resolved)."""
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
    with ThreadPoolExecutor(max_workers=7) as pool:
        parts = _Parts(pkg, pool, deadline, pkg.func_at(file, line))
        # the listings say which functions hold the line's code: their SSA dumps run while the link still runs,
        # and the rest of the journey is cut from the program's results while the SSA dumps run
        code = line_code(pkg, parts.asm(), parts.outer(), file, line)
        rest = pool.submit(lambda: line_rest(parts.program(), file, line, code))
        t0 = time.perf_counter()
        fns, notes = functions_ssa(pkg, code.ssa_functions, (), deadline)
        ssa_part = line_ssa(parts.asm(), line, fns)
        ssa_seconds = time.perf_counter() - t0
        j = journey_of(rest.result(), ssa_part, notes)
    meta = {**j.meta, "ssa_seconds": ssa_seconds, "seconds": time.perf_counter() - start}
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


class _Parts:
    """A program's tool runs started side by side on a pool (or its Program, known already): the compiles, the
    link of the -S compile's archive, the front end. `function`: the one whose SSA the -S=2 compile dumps too."""

    def __init__(self, pkg: Package, pool: ThreadPoolExecutor, deadline: float | Deadline, function: str = "") -> None:
        self.pkg = pkg
        self.key = cache.key("follow-program", _CACHE_REV, pkg.key)
        self.known = cache.get("follow-program", self.key, Program, disk=False)
        if self.known is not None:
            return
        self.seconds: dict[str, float] = {}
        sec = self.seconds
        self.f_asm = pool.submit(_timed, sec, "asm", package_asm, pkg, (), deadline)
        self.f_outer = pool.submit(_timed, sec, "inlining", outer, pkg, deadline, function)
        self.f_link = pool.submit(_timed, sec, "link", linked, pkg, deadline, self.f_asm.result)
        self.f_tok = pool.submit(_timed, sec, "tokens", source_tokens, pkg.source, pkg.toolchain, deadline)
        self.f_ast = pool.submit(_timed, sec, "parse", source_ast, pkg.source, pkg.toolchain, deadline)
        self.f_types = pool.submit(_timed, sec, "types", package_types, pkg, deadline)

    def asm(self) -> Assembly:
        return self.known.asm if self.known is not None else self.f_asm.result()

    def outer(self) -> Outer:
        return self.known.outer if self.known is not None else self.f_outer.result()

    def program(self) -> Program:
        if self.known is not None:
            return self.known
        prog = Program(self.pkg, self.f_tok.result(), self.f_ast.result(), self.f_types.result(), self.f_asm.result(),
                       self.f_outer.result(), self.f_link.result(), self.seconds)
        return cache.put("follow-program", self.key, prog, disk=False)


def program(pkg: Package, deadline: float | Deadline = COMPILE_SECONDS) -> Program:
    """Everything the journeys of a program's lines share, computed once (in memory): the listing, the -S=2
    positions, the link, and the front end, side by side."""
    pkg.source.check_buildable()
    pkg.check_compilable()
    with ThreadPoolExecutor(max_workers=6) as pool:
        return _Parts(pkg, pool, deadline).program()


def outer(pkg: Package, deadline: float | Deadline = COMPILE_SECONDS, function: str = "") -> Outer:
    """The `-S=2` listing (outermost positions) and the `-m` report of the package (cached). When it compiles, its
    GOSSAFUNC dumps `function` too (kept as gokit.ssa keeps it): one compile fewer for the line's SSA."""
    k = cache.key("follow-outer", _CACHE_REV, pkg.key)
    known = cache.get("follow-outer", k, Outer)
    if known is not None:
        return known
    gossafunc = None
    if function:
        try:
            gossafunc = first_spelling(pkg, function)
        except UsageError:
            log.debug("no GOSSAFUNC spelling for %s", function, exc_info=True)
    cfg = importcfg(pkg, deadline)
    comp = compile_package(pkg, importcfg=cfg, flags=("-S=2", "-m"), gossafunc=gossafunc, deadline=deadline).check(
        "assembly")
    if gossafunc:
        try:
            keep_dumped(pkg, function, comp)
        except Exception:  # noqa: BLE001 - the journey asks gokit.ssa again and reports what went wrong in its notes
            log.debug("keeping the SSA of %s failed", function, exc_info=True)
    tc = pkg.toolchain
    return cache.put("follow-outer", k, read_outer(comp.stdout, comp.output, goarch=pkg.goarch,
                                                   moddir=str(pkg.moddir), goroot=str(tc.goroot)))


def linked(pkg: Package, deadline: float | Deadline = COMPILE_SECONDS,
           asm: Callable[[], Assembly] | None = None) -> Linked:
    """The package compiled and linked by hand: the binary's symbols (`go tool nm`) and the machine code of
    the package's functions that survived the linker (`go tool objdump`), cached. `asm`: gives gokit.asm's
    result for the package, whose archive is linked instead of compiling the package again."""
    def compute() -> Linked:
        hand = hand_link(pkg, deadline=deadline, asm=asm() if asm is not None else None)
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
