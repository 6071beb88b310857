"""One source line followed through every stage: tokens, syntax nodes, types, SSA values pass by pass,
instructions, relocations, the symbols the linker resolved them to, and the bytes at their final addresses.

Each stage comes from the tool that really does it, filtered to the line:

* tokens, nodes, types: gokit's front end (go/scanner, go/parser, go/types), as in lessons 01 and 02;
* SSA: the compiler's GOSSAFUNC ssa.html of every function with code from the line (`gokit.ssa`);
* instructions and relocations: the compiler's `-S` listing (`gokit.asm`), which writes each instruction's
  innermost position (inlined code keeps the position it had in the function it came from). A second
  listing, `-S=2`, writes the outermost position instead (cmd/internal/obj/objfile.go: Debugasm > 1 prints
  p.String(), whose Line() is OutermostPos; util.go), which is how gokit tells which instructions were
  inlined into the line and which of the line's instructions were inlined elsewhere; its `-m` report
  names the inlined calls;
* symbols and machine code: the package compiled and linked by hand (`gokit.link_by_hand`), read with
  `go tool nm` and `go tool objdump`.

The compiler records which SSA value each instruction came from (the genssa column of ssa.html); the
journey keeps it on each instruction.
"""
from __future__ import annotations

import difflib
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from . import _cache as cache
from . import _run
from .errors import FunctionNotFoundError, UsageError

if TYPE_CHECKING:
    import pandas as pd

    from ._asm import Assembly
    from ._asm import Instruction as AsmInstruction
    from ._frontend import AST, Types
    from ._profile import CPUProfile
    from ._source import Source
    from ._ssa_html import SSAFunction
    from ._toolchain import Toolchain

log = logging.getLogger("gokit.follow")

NODE_COLUMNS = ["id", "depth", "kind", "key", "field", "pos", "end", "text"]
TYPE_COLUMNS = ["pos", "col", "expr", "kind", "type", "mode", "value"]
SSA_COLUMNS = ["function", "pass_index", "pass", "id", "op", "type", "aux", "args", "block", "reg", "dead", "change",
               "fate", "text"]
ASM_COLUMNS = ["function", "pc", "op", "args", "bytes", "file", "line", "pseudo", "inline", "ssa_id", "ssa"]
RELOCATION_COLUMNS = ["function", "pc", "offset", "size", "type", "symbol", "addend", "inline"]
SYMBOL_COLUMNS = ["symbol", "address", "size", "type", "package", "relocations", "in_binary", "resolved", "nearest"]
MACHINE_COLUMNS = ["function", "address", "pc", "bytes", "op", "args", "target", "file", "line", "inline"]
FRAME_COLUMNS = ["stage", "function", "where", "item", "detail"]

#: Bump when what gokit stores for a journey changes.
_CACHE_REV = 5


# ---------------------------------------------------------------- the journey


@dataclass(frozen=True)
class Journey:
    """One source line through every stage; each stage is a DataFrame filtered to the line.

    `.tokens` (go/scanner, inserted `;` included), `.nodes` (go/ast nodes starting on the line, outermost
    first), `.types` (go/types: type, mode and constant value of its expressions), `.ssa` (one row per SSA
    value on the line per pass, per function: `change` says when it appeared, changed op or died, `fate`
    when a later pass removed it), `.asm` (the instructions the `-S` listing attributes to the line, and
    those inlined into it, marked in `inline`; `ssa` is the value the compiler made each one from),
    `.relocations` (the holes in those instructions), `.symbols` (their targets in the linked binary) and
    `.machine` (the same instructions at their final addresses, with their bytes). `.to_frame()` puts them
    in one table.
    """

    file: str
    line: int
    code: str                                 # the line as written
    function: str                             # the function the line is in ("" outside any function)
    tokens: "pd.DataFrame" = field(repr=False)
    nodes: "pd.DataFrame" = field(repr=False)
    types: "pd.DataFrame" = field(repr=False)
    ssa: "pd.DataFrame" = field(repr=False)
    asm: "pd.DataFrame" = field(repr=False)
    relocations: "pd.DataFrame" = field(repr=False)
    symbols: "pd.DataFrame" = field(repr=False)
    machine: "pd.DataFrame" = field(repr=False)
    enclosing: tuple[str, ...] = ()           # the nodes around the line, outermost first ("FuncDecl steps", ...)
    passes: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)   # function -> its passes
    notes: tuple[str, ...] = ()               # what a stage could not show, and why
    lines: tuple[str, ...] = field(default=(), repr=False)    # the file's lines (for the explorer)
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)
    source: "Source | None" = field(default=None, repr=False, compare=False)

    # ---- what the stages add up to
    @property
    def functions(self) -> list[str]:
        """The functions holding code of this line (its own, and those it was inlined into), in listing order."""
        return list(dict.fromkeys(self.asm["function"])) if len(self.asm) else []

    @property
    def own_asm(self) -> "pd.DataFrame":
        """The rows of `.asm` the `-S` listing attributes to this line itself (not code inlined into it)."""
        a = self.asm
        return a[(a["file"] == self.file) & (a["line"] == self.line)]

    def ssa_at(self, pass_: str | int = -1, function: str | None = None) -> "pd.DataFrame":
        """The line's SSA values after one pass (a name like 'lower', or an index; -1: the last pass)."""
        df = self.ssa
        fns = [function] if function else list(self.passes)
        out = []
        for fn in fns:
            names = self.passes.get(fn, ())
            if not names:
                continue
            if isinstance(pass_, int) and not isinstance(pass_, bool):
                try:
                    name = names[pass_]
                except IndexError:
                    raise UsageError(f"{fn} has {len(names)} passes; index {pass_} is out of range") from None
            else:
                want = _norm(str(pass_))
                name = next((n for n in names if _norm(n) == want), "")
                if not name:
                    raise UsageError(f"{fn} has no pass {pass_!r}; passes: {', '.join(names)}")
            out.append(df[(df["function"] == fn) & (df["pass"] == name)])
        import pandas as pd

        return pd.concat(out, ignore_index=True) if out else df.iloc[0:0]

    def ssa_changes(self) -> "pd.DataFrame":
        """Only the SSA rows where something happened to a value of the line: it appeared, changed op, died,
        or the next pass removed it (or moved it to another line)."""
        df = self.ssa
        return df[(df["change"] != "") | (df["fate"] != "")].reset_index(drop=True)

    def pass_activity(self) -> "pd.DataFrame":
        """Per function and pass: how many of the line's values that pass added, changed, killed or removed."""
        import pandas as pd

        rows = []
        for fn, names in self.passes.items():
            d = self.ssa[self.ssa["function"] == fn]
            for i, name in enumerate(names):
                here = d[d["pass"] == name]
                ch = here["change"]
                nxt = d[d["pass_index"] == i - 1]
                removed = int((nxt["fate"].str.contains(f" by {re.escape(name)}$", regex=True)).sum()) if i else 0
                rows.append((fn, i, name, len(here), int(ch.str.startswith(("new", "moved here")).sum()),
                             int(ch.str.contains("→").sum()), int(ch.str.contains("dead").sum()), removed))
        df = pd.DataFrame(rows, columns=["function", "pass_index", "pass", "values", "appeared", "op_changed",
                                         "died", "removed"])
        df["events"] = df["appeared"] + df["op_changed"] + df["died"] + df["removed"]
        return df

    # ---- one table
    def to_frame(self) -> "pd.DataFrame":
        """Every stage as rows of one table: stage, function, where (position, pass or pc), item, detail.

        SSA contributes the rows where something happened to a value (see `ssa_changes`), not a copy of
        every value for every pass.
        """
        import pandas as pd

        rows: list[tuple[str, str, str, str, str]] = []
        for r in self.tokens.itertuples(index=False):
            rows.append(("tokens", "", f"{r.line}:{r.col}", r.token, "inserted by the scanner" if r.inserted
                         else str(r.text)))
        for r in self.nodes.itertuples(index=False):
            rows.append(("nodes", "", str(r.pos), f"{'  ' * int(r.depth)}{r.kind} {r.key}".rstrip(), str(r.text)))
        for r in self.types.itertuples(index=False):
            val = f" = {r.value}" if r.value else ""
            rows.append(("types", "", str(r.pos), str(r.expr), f"{r.type} ({r.mode}){val}"))
        for d in self.ssa_changes().to_dict("records"):
            what = "; ".join(x for x in (d["change"], d["fate"]) if x)
            rows.append(("ssa", d["function"], str(d["pass"]), str(d["text"]), what))
        for r in self.asm.itertuples(index=False):
            if r.pseudo:
                continue
            rows.append(("asm", r.function, f"{r.pc:#06x}", f"{r.op} {r.args}".strip(),
                         "; ".join(x for x in (r.inline, r.ssa) if x)))
        for r in self.relocations.itertuples(index=False):
            rows.append(("relocations", r.function, f"{r.offset}+{r.size}", f"{r.type} {r.symbol}",
                         r.inline))
        for r in self.symbols.itertuples(index=False):
            where = f"{int(r.address):#x}" if r.in_binary else ""
            rows.append(("symbols", "", where, str(r.symbol), f"{r.type} {int(r.size)} bytes" if r.in_binary
                         else "not in the binary"))
        for r in self.machine.itertuples(index=False):
            rows.append(("machine", r.function, f"{int(r.address):#x}", f"{r.op} {r.args}".strip(), str(r.bytes)))
        return pd.DataFrame(rows, columns=FRAME_COLUMNS)

    def summary(self) -> "pd.DataFrame":
        """How many items each stage holds for this line."""
        import pandas as pd

        last = self.ssa_at(-1) if self.passes else self.ssa.iloc[0:0]
        counts = [("tokens", len(self.tokens)), ("nodes", len(self.nodes)), ("types", len(self.types)),
                  ("ssa (last pass)", len(last)), ("asm", int((~self.asm["pseudo"]).sum()) if len(self.asm) else 0),
                  ("relocations", len(self.relocations)), ("symbols", len(self.symbols)),
                  ("machine", len(self.machine))]
        return pd.DataFrame(counts, columns=["stage", "items"])

    # ---- display
    def explore(self, profile: "CPUProfile | None" = None, *, pass_: str | int | None = None) -> Any:
        """The journey explorer: pick a line, see every stage as a column; choose an SSA pass; hover an
        instruction for the SSA value it came from; with `profile=gokit.profile(src)`, samples painted on
        lines and instructions."""
        from ._widgets.journey_explorer import JourneyExplorer

        return JourneyExplorer(self, profile=profile, pass_=pass_)

    def _repr_html_(self) -> str:
        from ._widgets.journey_explorer import journey_html

        return journey_html(self)

    def __repr__(self) -> str:
        n_asm = int((~self.asm["pseudo"]).sum()) if len(self.asm) else 0
        return (f"<Journey {self.file}:{self.line} {self.code.strip()[:40]!r}: {len(self.tokens)} tokens, "
                f"{len(self.nodes)} nodes, {len(self.types)} typed expressions, "
                f"{self.ssa['id'].nunique() if len(self.ssa) else 0} "
                f"SSA values, {n_asm} instructions in {len(self.functions)} function(s), "
                f"{len(self.relocations)} relocations, {len(self.machine)} instructions in the binary>")


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


# ---------------------------------------------------------------- per program (shared by all its lines)


@dataclass
class _Program:
    """Everything a journey needs that does not depend on the line: computed once per source, in parallel."""

    source: "Source"
    toolchain: "Toolchain"
    tokens: "pd.DataFrame"
    ast: "AST"
    types: "Types"
    asm: "Assembly"
    outer: Mapping[str, Any]       # the -S=2 positions and -m inlined calls
    linked: Mapping[str, Any]      # nm of the binary and objdump of the package's functions
    seconds: Mapping[str, float]


_programs = cache.Memo(8)
_journeys = cache.Memo(64)


def _timed(seconds: dict[str, float], name: str, fn: Any, *args: Any, **kw: Any) -> Any:
    t0 = time.perf_counter()
    try:
        return fn(*args, **kw)
    finally:
        seconds[name] = time.perf_counter() - t0


def _program(src: "Source", tc: "Toolchain", timeout: float) -> _Program:
    from ._asm import asm
    from ._frontend import parse, tokens, typecheck

    k = cache.key("follow-program", _CACHE_REV, tc.version, str(tc.go), src.digest)
    hit = _programs.get(k)
    if hit is not None:
        return hit
    src.check_buildable()
    seconds: dict[str, float] = {}
    # independent tool runs: the compiles, the link and the front end overlap (two or more cores)
    with ThreadPoolExecutor(max_workers=4) as pool:
        f_asm = pool.submit(_timed, seconds, "asm", asm, src, toolchain=tc, timeout=timeout)
        f_outer = pool.submit(_timed, seconds, "inlining", _outer, src, tc, timeout)
        f_link = pool.submit(_timed, seconds, "link", _linked, src, tc, timeout)
        f_tok = pool.submit(_timed, seconds, "tokens", tokens, src, toolchain=tc, timeout=timeout)
        f_ast = pool.submit(_timed, seconds, "parse", parse, src, toolchain=tc, timeout=timeout)
        f_types = pool.submit(_timed, seconds, "types", typecheck, src, toolchain=tc, timeout=timeout)
        a = f_asm.result()
        outer = f_outer.result()
        prog = _Program(src, tc, f_tok.result(), f_ast.result(), f_types.result(), a, outer, {}, seconds)
        linked = f_link.result()
    prog.linked = linked
    _programs.put(k, prog)
    return prog


def _outer(src: "Source", tc: "Toolchain", timeout: float) -> dict[str, Any]:
    """The `-S=2` listing (outermost positions) and the `-m` inlining report of the package, per function:
    [pc, file, line, op] of each listing line, and the inlined calls [file, line, col, callee]."""
    from ._asm import parse_asm
    from ._compile import compile_package
    from ._ssa import DIAG_RE, parse_m

    k = cache.key("follow-outer", _CACHE_REV, tc.version, str(tc.go), src.digest,
                  src.gomod(tc).decode("utf-8", "replace"))

    def compute() -> dict[str, Any]:
        comp = compile_package(src, flags=("-S=2", "-m"), toolchain=tc, timeout=timeout).check("assembly")
        moddir = str(comp.package.moddir)
        # -m lines are mixed into the -S listing (and, on some Go versions, on stderr): one parser reads them
        listing = [raw for raw in comp.stdout.splitlines() if not DIAG_RE.match(raw)]
        calls = [[r["file"], r["line"], r["col"], r["function"]] for r in parse_m(comp.output)[0]
                 if r["decision"] == "inlined call"]
        syms = parse_asm("\n".join(listing), goarch=tc.goarch, moddir=moddir, goroot=str(tc.goroot))
        return {"functions": [[s.name, [[i.pc, i.file, i.line, i.op] for i in s.instructions]]
                              for s in syms if s.is_function],
                "calls": calls}

    return cache.memo_json("follow-outer", k, compute)


def _linked(src: "Source", tc: "Toolchain", timeout: float) -> dict[str, Any]:
    """The package compiled and linked by hand: the binary's symbols (`go tool nm`) and the machine code of
    the package's functions that survived the linker (`go tool objdump`)."""
    from ._objdump import objdump
    from ._objfile import link_by_hand, symbols

    k = cache.key("follow-linked", _CACHE_REV, tc.version, str(tc.go), src.digest,
                  src.gomod(tc).decode("utf-8", "replace"))

    def compute() -> dict[str, Any]:
        from ._objdump import go_regexp_quote
        from ._pkg import package

        hand = link_by_hand(src, toolchain=tc, timeout=timeout)
        pkgpath = package(src, tc, {}, timeout).pkgpath
        with ThreadPoolExecutor(max_workers=2) as pool:   # nm and objdump read the binary side by side
            f_nm = pool.submit(symbols, hand, toolchain=tc, timeout=timeout)
            f_obj = pool.submit(objdump, hand.binary, pattern="^" + go_regexp_quote(pkgpath + "."), toolchain=tc,
                                timeout=timeout)
            nm, funcs = f_nm.result(), f_obj.result()
        rows = [[None if a is None or str(a) == "<NA>" else int(a), None if s is None or str(s) == "<NA>" else int(s),
                 t, n, p] for a, s, t, n, p in zip(nm["address"], nm["size"], nm["type"], nm["name"], nm["package"])]
        return {"nm": rows, "go": tc.version, "pkgpath": pkgpath,
                "objdump": {f.name: [[i.pc, i.file, i.line, i.bytes, i.op, i.args, i.target] for i in f.instructions]
                            for f in funcs}}

    return cache.memo_json("follow-linked", k, compute)


# ---------------------------------------------------------------- follow


def follow(src: "Source | str | bytes | os.PathLike[str]", line: int, *, file: str | None = None,
           toolchain: "Toolchain | None" = None, timeout: float | None = None) -> Journey:
    """Follow one source line through every stage, from its tokens to its bytes in the linked binary.

    `line` is a 1-based line of `main.go` (or of `file` in a package of several files). The first line of
    a program costs its compiles and one link (run side by side); every other line of the same program
    reuses them and costs only the SSA dump of functions not seen yet. A repeat comes from gokit's cache.
    """
    from ._source import as_source
    from ._toolchain import toolchain as default_toolchain

    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(120 if timeout is None else timeout)
    src = as_source(src)
    files = dict(src.go_files)
    if file is None:
        file = "main.go" if "main.go" in files else src.filename
    if file not in files:
        raise UsageError(f"no file {file!r} in this program; its Go files: {', '.join(files)}")
    lines = tuple(files[file].decode("utf-8", "replace").splitlines())
    if isinstance(line, bool) or not isinstance(line, int) or not 1 <= line <= len(lines):
        raise UsageError(f"line is a line number of {file} from 1 to {len(lines)}; got {line!r}")
    k = cache.key("follow", _CACHE_REV, tc.version, str(tc.go), src.digest, file, line)
    hit = _journeys.get(k)
    if hit is not None:
        return hit
    stored = cache.get_pickle("follow", k, Journey)
    if stored is not None:
        j = _with_source(stored, src)
        _journeys.put(k, j)
        return j
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the SSA dump of the function around the line needs no other result: start it with the program's tools
        early = pool.submit(_prefetch_ssa, src, tc, file, line, timeout)
        prog = _program(src, tc, timeout)
        early.result()
    j = _journey(prog, file, line, lines, timeout)
    j = Journey(**{**j.__dict__, "meta": {**j.meta, "seconds": time.perf_counter() - start}})
    cache.put_pickle("follow", k, _with_source(j, None))
    j = _with_source(j, src)
    _journeys.put(k, j)
    return j


def _prefetch_ssa(src: "Source", tc: "Toolchain", file: str, line: int, timeout: float) -> None:
    """gokit.ssa of the function the line is in (go/parser facts), so its compile overlaps the program's."""
    from ._ssa import ssa

    facts = {f.name: f for f in src.facts(tc)}
    fn = facts[file].func_at(line) if file in facts else ""
    if not fn:
        return
    try:
        ssa(src, fn, toolchain=tc, timeout=timeout)
    except Exception:  # noqa: BLE001 - the journey asks again and reports what went wrong in its notes
        log.debug("prefetching the SSA of %s failed", fn, exc_info=True)


def _with_source(j: Journey, src: "Source | None") -> Journey:
    return Journey(**{**j.__dict__, "source": src})


def _journey(prog: _Program, file: str, line: int, lines: tuple[str, ...], timeout: float) -> Journey:
    import pandas as pd

    src, tc = prog.source, prog.toolchain
    notes: list[str] = []
    facts = {f.name: f for f in src.facts(tc)}
    enclosing_fn = facts[file].func_at(line) if file in facts else ""

    # ---- front end
    tok = prog.tokens
    tokens = tok[(tok["file"] == file) & (tok["line"] == line)].reset_index(drop=True)
    nodes, enclosing = _nodes(prog.ast, file, line)
    ex = prog.types.expressions
    types = ex[(ex["file"] == file) & (ex["line"] == line)].reset_index(drop=True)
    types = types[TYPE_COLUMNS].copy()
    types["value"] = types["value"].fillna("")

    # ---- assembly: the line's own instructions, and what inlining moved in or out
    a = prog.asm
    outer = {name: insts for name, insts in prog.outer.get("functions", [])}
    calls = [c for c in prog.outer.get("calls", []) if c[0] == file and c[1] == line]
    asm_rows: list[dict[str, Any]] = []
    reloc_rows: list[dict[str, Any]] = []
    ssa_funcs: list[str] = []
    for fn in a.functions:
        out = outer.get(fn.name)
        aligned = out is not None and len(out) == len(fn.instructions) and all(
            o[0] == i.pc and o[3] == i.op for o, i in zip(out, fn.instructions))
        if out is not None and not aligned:
            notes.append(f"the -S and -S=2 listings of {fn.name} differ; inlining is not marked in it")
        for k, ins in enumerate(fn.instructions):
            own = ins.file == file and ins.line == line
            o_file, o_line = (out[k][1], out[k][2]) if aligned and out is not None else (ins.file, ins.line)
            into = o_file == file and o_line == line
            if not (own or into):
                continue
            inline = ""
            if own and not into and o_line is not None:
                inline = f"inlined into {_short(fn.name, a.package)} at line {o_line}"
            elif into and not own:
                inline = f"from {_callee(ins, calls, facts, a.package)}"
            if own and fn.name not in ssa_funcs:
                ssa_funcs.append(fn.name)
            asm_rows.append({"function": fn.name, "pc": ins.pc, "op": ins.op, "args": ins.args, "bytes": ins.bytes,
                             "file": ins.file, "line": ins.line, "pseudo": ins.pseudo, "inline": inline})
            for hole in ins.relocations:
                reloc_rows.append({"function": fn.name, "pc": ins.pc, "offset": hole.offset, "size": hole.size,
                                   "type": hole.type, "symbol": hole.symbol, "addend": hole.addend, "inline": inline})
    pkg_prefix = a.package + "."
    whole = pkg_prefix + enclosing_fn
    if enclosing_fn and not any(f == whole or f.startswith(whole + "[") for f in ssa_funcs):
        ssa_funcs.insert(0, whole)

    # ---- SSA of every function with code from the line (the compiler dumps one function per compile)
    ssa_rows: list[dict[str, Any]] = []
    passes: dict[str, tuple[str, ...]] = {}
    genssa: dict[str, dict[int, tuple[int | None, str]]] = {}
    seconds_ssa = time.perf_counter()
    fns = _ssa_functions(src, tc, ssa_funcs, a.package, timeout, notes)
    for name, sfn in fns.items():
        passes[name] = tuple(p.name for p in sfn.passes)
        ssa_rows.extend(_ssa_rows(name, sfn, line))
        genssa[name] = _genssa_map(a.function(name) if _has(a, name) else None, sfn)
    seconds_ssa = time.perf_counter() - seconds_ssa
    if len({f for f in facts}) > 1 and ssa_rows:
        notes.append("SSA dumps give line numbers without file names: in a package of several files, values from "
                     "the same line number of another file would show here too")
    for r in asm_rows:
        vid, text = genssa.get(r["function"], {}).get(r["pc"], (None, "")) if not r["pseudo"] else (None, "")
        r["ssa_id"], r["ssa"] = vid, text

    # ---- the linked binary
    linked = prog.linked
    objdump = linked.get("objdump", {})
    machine_rows = []
    missing = []
    resolved: dict[str, int] = {}   # symbol -> the address its filled holes point to (amd64 PC-relative)
    relocs_at: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for r in reloc_rows:
        relocs_at.setdefault((r["function"], r["pc"]), []).append(r)
    for fn_name in dict.fromkeys(r["function"] for r in asm_rows if not r["pseudo"]):
        insts = objdump.get(fn_name)
        if not insts:
            missing.append(fn_name)
            continue
        start = insts[0][0]
        at = {i[0] - start: i for i in insts}
        for r in asm_rows:
            if r["function"] != fn_name or r["pseudo"]:
                continue
            i = at.get(r["pc"])
            if i is None:
                continue
            machine_rows.append({"function": fn_name, "address": i[0], "pc": r["pc"], "bytes": i[3], "op": i[4],
                                 "args": i[5], "target": i[6], "file": i[1], "line": i[2], "inline": r["inline"]})
            if a.goarch == "amd64":
                for rel in relocs_at.get((fn_name, r["pc"]), ()):
                    addr = _pc_relative_target(start, rel, i[3])
                    if addr is not None:
                        resolved.setdefault(rel["symbol"], addr)
    sym_rows = _symbol_rows(reloc_rows, linked.get("nm", []), resolved)
    for fn_name in missing:
        notes.append(f"{fn_name} is not in the linked binary: nothing calls it any more (its callers got an "
                     f"inlined copy), so the linker left it out")

    asm_df = pd.DataFrame(asm_rows, columns=ASM_COLUMNS).astype({"line": "Int64", "ssa_id": "Int64"})
    j = Journey(
        file=file, line=line, code=lines[line - 1], function=enclosing_fn,
        tokens=tokens, nodes=nodes, types=types,
        ssa=pd.DataFrame(ssa_rows, columns=SSA_COLUMNS),
        asm=asm_df,
        relocations=pd.DataFrame(reloc_rows, columns=RELOCATION_COLUMNS),
        symbols=pd.DataFrame(sym_rows, columns=SYMBOL_COLUMNS).astype({"address": "Int64", "size": "Int64",
                                                                       "resolved": "Int64"}),
        machine=pd.DataFrame(machine_rows, columns=MACHINE_COLUMNS),
        enclosing=enclosing, passes=passes, notes=tuple(notes), lines=lines,
        meta={"go": tc.version, "goarch": a.goarch, "package": a.package, "calls": calls,
              "program_seconds": dict(prog.seconds), "ssa_seconds": seconds_ssa},
    )
    return j


def _pc_relative_target(start: int, rel: Mapping[str, Any], linked_bytes: str) -> int | None:
    """Where a relocation row's filled R_CALL/R_PCREL hole points, from the linked instruction's bytes."""
    from ._objfile import pc_relative_target

    if rel["type"] not in ("R_CALL", "R_PCREL"):
        return None
    at = rel["offset"] - rel["pc"]
    return pc_relative_target(start, rel["offset"], rel["size"], linked_bytes[2 * at:2 * (at + rel["size"])],
                              rel["addend"])


def _symbol_rows(reloc_rows: Sequence[Mapping[str, Any]], nm: Sequence[Sequence[Any]],
                 resolved: Mapping[str, int]) -> list[dict[str, Any]]:
    """One row per relocation target: its address and size as `go tool nm` lists them in the binary; the
    address its filled holes point to; for a symbol nm does not list (the linker lists one `type:*` at the
    start of the type descriptors, not each of them), the nearest listed symbol at or below that address."""
    import bisect

    by_name: dict[str, Sequence[Any]] = {}
    placed = sorted((entry[0], entry[3]) for entry in nm if entry[0] is not None)
    for entry in nm:
        if entry[0] is not None:
            by_name.setdefault(entry[3], entry)
    targets: dict[str, list[str]] = {}
    for r in reloc_rows:
        if r["symbol"]:
            kinds = targets.setdefault(r["symbol"], [])
            if r["type"] not in kinds:
                kinds.append(r["type"])
    rows = []
    for sym, kinds in targets.items():
        row: Sequence[Any] | None = by_name.get(sym) or by_name.get(sym + ".abi0")
        addr = resolved.get(sym)
        nearest = ""
        if row is None and addr is not None and placed:
            k = bisect.bisect_right(placed, (addr, "\uffff")) - 1
            if k >= 0:
                base, name = placed[k]
                nearest = f"{name}+{addr - base:#x}" if addr != base else name
        rows.append({"symbol": sym, "address": row[0] if row else None, "size": row[1] if row else None,
                     "type": row[2] if row else "", "package": row[4] if row else "",
                     "relocations": ", ".join(kinds), "in_binary": row is not None, "resolved": addr,
                     "nearest": nearest})
    return rows


def _has(a: "Assembly", name: str) -> bool:
    return any(s.name == name for s in a.functions)


def _short(name: str, package: str) -> str:
    return name[len(package) + 1:] if name.startswith(package + ".") else name


def _callee(ins: "AsmInstruction", calls: Sequence[Sequence[Any]], facts: Mapping[str, Any], package: str) -> str:
    """The function whose inlined body this instruction comes from: your own (go/parser facts), or the one
    the -m report says was inlined on the line (matched by the package directory of the innermost file)."""
    where = f"{ins.file}:{ins.line}" if ins.line is not None else ins.file
    if ins.file in facts and ins.line is not None:
        fn = facts[ins.file].func_at(ins.line)
        if fn:
            return f"{fn} ({where})"
    names = [str(c[3]) for c in calls]
    if ins.file.startswith("$GOROOT/src/"):
        pkgdir = os.path.dirname(ins.file[len("$GOROOT/src/"):])
        match = [n for n in names if _package_of(n) == pkgdir]
        if len(match) == 1:
            return f"{match[0]} ({where})"
    if len(names) == 1:
        return f"{names[0]} ({where})"
    return where


def _package_of(fn: str) -> str:
    from ._pprof import package_of

    return package_of(fn)


def _nodes(ast: "AST", file: str, line: int) -> tuple["pd.DataFrame", tuple[str, ...]]:
    """The go/ast nodes that start on the line (preorder: outermost first), and the nodes around them."""
    import pandas as pd

    fa = next((f for f in ast.files if f.name == file), None)
    rows = []
    enclosing: list[str] = []
    if fa is not None and fa.root is not None:
        data = fa.data
        depth: dict[int, int] = {}
        base: int | None = None
        for n in fa.nodes:
            d = 0 if n.parent_id is None else depth.get(n.parent_id, 0) + 1
            depth[n.id] = d
            if n.pos is None or n.end is None:
                continue
            if n.pos.line == line:
                if base is None:
                    base = d
                    p = n.parent_id
                    chain = []
                    while p is not None:
                        parent = ast.all_nodes[p]
                        chain.append(parent.label)
                        p = parent.parent_id
                    enclosing = list(reversed(chain))
                text = data[n.pos.offset:n.end.offset].decode("utf-8", "replace")
                first = text.splitlines()[0] if text else ""
                if len(first) > 60 or "\n" in text:
                    first = first[:57] + " …" if len(first) > 57 else first + " …"
                rows.append((n.id, d - base, n.kind, n.key, n.where, str(n.pos), str(n.end), first))
    return pd.DataFrame(rows, columns=NODE_COLUMNS), tuple(enclosing)


def _ssa_functions(src: "Source", tc: "Toolchain", names: Sequence[str], package: str, timeout: float,
                   notes: list[str]) -> dict[str, "SSAFunction"]:
    """gokit.ssa of each function (cached per function), several compiles side by side."""
    from ._ssa import ssa

    out: dict[str, "SSAFunction"] = {}

    def one(name: str) -> "SSAFunction | None":
        try:
            return ssa(src, _short(name, package), toolchain=tc, timeout=timeout)
        except FunctionNotFoundError as e:
            notes.append(f"no SSA for {name}: {str(e).splitlines()[0]}")
            return None

    if len(names) <= 1:
        results = [one(n) for n in names]
    else:
        with ThreadPoolExecutor(max_workers=min(4, len(names))) as pool:
            results = list(pool.map(one, names))
    for n, r in zip(names, results):
        if r is not None:
            # a generic function asked by its name is dumped as its first shape instantiation: name it so
            out.setdefault(str(r.meta.get("qualified") or n), r)
    return out


def _ssa_rows(function: str, fn: "SSAFunction", line: int) -> list[dict[str, Any]]:
    """One row per value on `line` per pass, with what happened to it: appeared, changed op, died, left."""
    rows: list[dict[str, Any]] = []
    prev_on: dict[int, dict[str, Any]] = {}      # id -> its row in the previous pass
    prev_all: dict[int, Any] = {}
    for p in fn.passes:
        cur_all = {v.id: v for v in p.values}
        cur_on: dict[int, dict[str, Any]] = {}
        for v in p.values:
            if v.line != line:
                continue
            change = []
            before = prev_on.get(v.id)
            if p.index > 0:
                if before is None:
                    old = prev_all.get(v.id)
                    change.append(f"moved here from line {old.line}" if old is not None and old.line is not None
                                  else "new")
                elif before["op"] != v.op:
                    change.append(f"{before['op']} → {v.op}")
            if p.index > 0 and v.dead and not (before is not None and before["dead"]):
                change.append("dead")
            row = {"function": function, "pass_index": p.index, "pass": p.name, "id": v.id, "op": v.op,
                   "type": v.type, "aux": v.aux, "args": " ".join(f"v{x}" for x in v.args), "block": v.block,
                   "reg": v.reg, "dead": v.dead, "change": "; ".join(change), "fate": "", "text": v.long()}
            rows.append(row)
            cur_on[v.id] = row
        for vid, row in prev_on.items():
            if vid in cur_on:
                continue
            now = cur_all.get(vid)
            row["fate"] = (f"moved to line {now.line} by {p.name}" if now is not None and now.line is not None
                           else f"removed by {p.name}")
        prev_on, prev_all = cur_on, cur_all
    return rows


def _genssa_map(sym: Any, fn: "SSAFunction") -> dict[int, tuple[int | None, str]]:
    """pc -> (value id, the value as the last pass left it) for the instructions of one function.

    The genssa column lists the compiler's instructions before the assembler adds its prologue (stack
    check, frame set-up) and encodes them, numbered by instruction, not by byte: it is aligned with the
    `-S` listing by (line, op), in order.
    """
    if sym is None or not fn.genssa or not fn.passes:
        return {}
    last = fn.passes[-1]
    values = {v.id: v for v in last.values}
    blocks = {b.id: b for b in last.blocks}
    progs = [g for g in fn.genssa if g.pc is not None and g.text and g.text.split("\t", 1)[0].split(" ", 1)[0]
             not in ("TEXT", "FUNCDATA", "PCDATA", "END")]
    insts = list(sym.machine_instructions)

    def key_p(g: Any) -> tuple[int | None, str]:
        return g.line, g.text.split("\t", 1)[0].split(" ", 1)[0]

    def key_i(i: Any) -> tuple[int | None, str]:
        return i.line, i.op

    sm = difflib.SequenceMatcher(None, [key_p(g) for g in progs], [key_i(i) for i in insts], autojunk=False)
    out: dict[int, tuple[int | None, str]] = {}
    for blk in sm.get_matching_blocks():
        for k in range(blk.size):
            g, i = progs[blk.a + k], insts[blk.b + k]
            if g.value is not None:
                v = values.get(g.value)
                out[i.pc] = (g.value, v.long() if v is not None else f"v{g.value}")
            elif g.block is not None:
                b = blocks.get(g.block)
                out[i.pc] = (None, f"b{g.block}: {b.end()}" if b is not None else f"b{g.block}")
    return out


# ---------------------------------------------------------------- JSON and text (the view)


def journey_json(j: Journey) -> dict[str, Any]:
    """What `gokit follow FILE LINE --json` prints: every stage as records."""
    import json

    def records(df: "pd.DataFrame") -> list[dict[str, Any]]:
        return json.loads(df.to_json(orient="records", default_handler=str))

    return {"file": j.file, "line": j.line, "code": j.code, "function": j.function, "go": j.meta.get("go"),
            "goarch": j.meta.get("goarch"), "enclosing": list(j.enclosing), "notes": list(j.notes),
            "tokens": records(j.tokens), "nodes": records(j.nodes), "types": records(j.types),
            "ssa": records(j.ssa), "passes": {k: list(v) for k, v in j.passes.items()},
            "asm": records(j.asm), "relocations": records(j.relocations), "symbols": records(j.symbols),
            "machine": records(j.machine)}


def journey_text(j: Journey) -> str:
    """A plain-text journey: each stage in turn (what `gokit follow FILE LINE` prints)."""
    out = [f"{j.file}:{j.line}  {j.code.strip()}", f"  in: {' > '.join(j.enclosing) or '(top level)'}", ""]
    out.append("tokens:  " + "  ".join(("; (inserted)" if r.inserted else str(r.text)) for r in j.tokens.itertuples()))
    out.append("nodes:")
    out += [f"  {'  ' * int(r.depth)}{r.kind} {r.key}".rstrip() for r in j.nodes.itertuples()]
    out.append("types:")
    out += [f"  {r.expr}: {r.type} ({r.mode})" + (f" = {r.value}" if r.value else "") for r in j.types.itertuples()]
    changes = j.ssa_changes().to_dict("records")
    for fn in j.passes:
        out.append(f"ssa ({fn}):")
        for d in changes:
            if d["function"] == fn:
                what = "; ".join(x for x in (d["change"], d["fate"]) if x)
                out.append(f"  {d['pass']:<28} {d['text']}   [{what}]")
    out.append("asm:")
    for r in j.asm.itertuples():
        if not r.pseudo:
            inline = f"   [{r.inline}]" if r.inline else ""
            out.append(f"  {r.function} {r.pc:#06x}  {r.op} {r.args}".rstrip() + inline)
    out.append("relocations:")
    out += [f"  {r.function} +{r.offset}  {r.type} {r.symbol}" for r in j.relocations.itertuples()]
    out.append("symbols:")
    out += [f"  {r.symbol}  " + (f"{int(r.address):#x} {int(r.size)} bytes {r.type}" if r.in_binary
                                 else "not in the binary") for r in j.symbols.itertuples()]
    out.append("machine:")
    out += [f"  {int(r.address):#x}  {r.bytes:<20} {r.op} {r.args}".rstrip() for r in j.machine.itertuples()]
    out += [f"note: {n}" for n in j.notes]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- what each stage costs: go build decomposed

#: `BenchmarkCompile:main:fe:parse   1   4954368 ns/op ...` (the compiler's -bench file, one block per compile)
COMPILE_BENCH_RE = re.compile(r"^BenchmarkCompile:[^:]*:(?P<phase>\S+)\s+\d+\s+(?P<ns>\d+) ns/op")
#: `main.go:12:2: \tnumber_lines\tTIME(ns)\t3065\tsteps` (-d=ssa/all/time: one line per SSA pass per function)
SSA_TIME_RE = re.compile(r"\tTIME\(ns\)\t(?P<ns>\d+)\t")

#: The stages measured on Go's standard-library front end (go/scanner, go/parser, go/types), not inside the compiler
FRONT_END_LIBRARIES = ("tokenise", "parse", "type-check")
#: The stages of the benchmark, in pipeline order, and what measures each.
STAGE_HOW = {
    "tokenise": "go/scanner over the file, inside gokit's Go helper",
    "parse": "go/parser over the file (it calls the scanner itself), inside gokit's Go helper",
    "type-check": "go/types on the package inside gokit's Go helper (imported packages already loaded)",
    "compiler front end": "the compiler's own parser, type checker (types2) and IR: -bench phases fe:init, "
                          "fe:loadsys, fe:parse",
    "inlining, escape analysis": "-bench phases fe:devirtualize-and-inline, fe:escapes",
    "SSA passes": "the sum of every SSA pass of every function (-d=ssa/all/time)",
    "code generation, assembly": "-bench phase be:compilefuncs minus the SSA passes: building SSA, genssa, the "
                                 "assembler's encoding",
    "write the object": "-bench phase be:dumpobj",
    "compiler start-up, exit": "the compile's whole-process wall time minus its -bench total",
    "link": "go tool link of the package archive, the whole process",
    "start": "the linked program run with the arguments given, the whole process",
}


def parse_compile_bench(text: str) -> list[dict[str, int]]:
    """The compiler's `-bench=FILE` output (appended once per compile) as one {phase: ns} per compile (pure)."""
    out: list[dict[str, int]] = []
    for raw in text.splitlines():
        if raw.startswith("commit:"):
            out.append({})
            continue
        m = COMPILE_BENCH_RE.match(raw)
        if m and out:
            out[-1][m.group("phase")] = int(m.group("ns"))
    return [d for d in out if d]


def ssa_pass_ns(text: str) -> int:
    """The sum of the SSA pass times `-d=ssa/all/time` printed (pure)."""
    return sum(int(m.group("ns")) for m in SSA_TIME_RE.finditer(text))


@dataclass(frozen=True)
class StageCosts:
    """What each stage of `go build` (and the start of the program) costs for one file: `.result` is a
    BenchResult (medians with CIs, seconds); `.how` says what measured each stage."""

    result: Any = field(repr=False)
    how: Mapping[str, str] = field(default_factory=dict, repr=False)
    compile_process: Any = field(default=None, repr=False)   # the compile's wall time per run (a BenchResult)

    @property
    def stages(self) -> list[str]:
        return list(self.result.labels)

    def table(self) -> "pd.DataFrame":
        """Per stage: median and its interval in ms, share of the compile and link, what measured it."""
        s = self.result.summary
        build = [x for x in s.index if x not in FRONT_END_LIBRARIES + ("start",)]
        total = float(s.loc[build, "median"].sum())
        t = self.result.table()
        cols = [c for c in t.columns if c.startswith(("median", "CI", "low", "high"))]
        out = t[cols].copy()
        out["share of compile + link"] = [f"{s.loc[x, 'median'] / total:.0%}" if x in build else "" for x in s.index]
        out["runs"] = t["runs"]
        out["measured by"] = [self.how.get(x, "") for x in s.index]
        return out

    def bench_table(self) -> Any:
        """The table a lesson shows (gokit.lesson.bench_table's vocabulary): per stage its median, the interval of
        the median, its share of compile + link ("—" for the stages outside it: the go/* libraries and the
        program's start) and the runs; every other column, and what measured each stage, folded."""
        from dataclasses import replace

        from ._lesson import NOT_MEASURED, bench_table

        s = self.result.summary
        build = [x for x in s.index if x not in FRONT_END_LIBRARIES + ("start",)]
        total = float(s.loc[build, "median"].sum())
        t = bench_table(self.result, columns=("median", "interval", "runs"), label="stage", conclusion=False,
                        measured="each stage's times, measured as the folded column <i>measured by</i> says")
        shown = t.frame.copy()
        shown.insert(3, "share of compile + link",
                     [f"{s.loc[x, 'median'] / total:.0%}" if x in build else NOT_MEASURED for x in s.index])
        everything = t.everything.copy()
        everything["measured by"] = [self.how.get(x, "") for x in everything["stage"]]
        note = re.sub(r" — = not measured[^.]*\.", "", t.note)
        note += " — in the share column: not part of the compile and the link (measured apart)."
        return replace(t, frame=shown, everything=everything, note=note)

    def plot(self, *, title: str | None = None) -> Any:
        """One bar per stage: the median with its interval as an error bar, log scale (a stage takes microseconds,
        the link a few hundred milliseconds)."""
        import matplotlib.pyplot as plt
        import numpy as np

        from .bench import BOX_EDGE, BOX_FACE, MEDIAN_RED, fmt_value

        s = self.result.summary
        labels = list(s.index)
        med = s["median"].to_numpy() * 1e3
        lo = np.maximum(med - s["ci_low"].to_numpy() * 1e3, 0)
        hi = np.maximum(s["ci_high"].to_numpy() * 1e3 - med, 0)
        y = np.arange(len(labels))[::-1]
        fig, ax = plt.subplots(figsize=(9, 0.5 + 0.42 * len(labels)))
        plt.close(fig)
        colours = ["#ffffff" if x in FRONT_END_LIBRARIES else BOX_FACE for x in labels]
        ax.barh(y, med, xerr=[lo, hi], color=colours, edgecolor=BOX_EDGE, error_kw={"ecolor": MEDIAN_RED, "lw": 2})
        for yy, m, top in zip(y, s["median"], s["ci_high"]):
            ax.annotate(fmt_value(float(m)), (max(float(m), float(top)) * 1e3, yy), xytext=(5, -3),
                        textcoords="offset points", fontsize=8, color=MEDIAN_RED)
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.set_xscale("log")
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        kinds = " / ".join(sorted(set(s["interval"])))
        ax.set_xlabel(f"median ms, log scale (error bar: {kinds} of the median)")
        ax.set_title(title or "go build decomposed (white: the go/* front end gokit's first columns use)",
                     fontsize=10)
        ax.grid(axis="x", alpha=0.3, which="both")
        fig.tight_layout()
        return fig

    def _repr_html_(self) -> str:
        return self.table().to_html(index=True)

    def __repr__(self) -> str:
        return f"<StageCosts {len(self.stages)} stages, {int(self.result.summary['runs'].max())} runs>"


def stage_costs(src: "Source | str | bytes | os.PathLike[str]", *, args: Sequence[str] = (), runs: int = 10,
                toolchain: "Toolchain | None" = None, timeout: float | None = None,
                progress: bool = True) -> StageCosts:
    """The cost of each stage for this file: tokenise, parse and type-check (go/scanner, go/parser, go/types in
    gokit's helper), the compiler's phases (its -bench report and -d=ssa/all/time, from `runs` real compiles),
    the link and the program's start (whole processes, interleaved). Medians with confidence intervals.
    `progress`: a bar while it measures (a few seconds)."""
    from ._pkg import package
    from ._source import as_source
    from ._toolchain import toolchain as default_toolchain

    tc = toolchain or default_toolchain()
    timeout = _run.check_timeout(300 if timeout is None else timeout)
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise UsageError(f"runs is a whole number >= 1; got {runs!r}")
    src = as_source(src)
    src.check_buildable()
    pkg = package(src, tc, {}, timeout)
    files = [str(pkg.moddir / f) for f in pkg.files]
    samples: dict[str, list[float]] = {}
    bar = None
    if progress:  # 1 step for the go/* libraries, one per compile, 1 for the link and start timings
        from ._progress import Progress

        bar = Progress(runs + 2, desc="stage costs: go/* libraries, compiles, link and start", unit="step")
    try:
        return _stage_costs(src, tc, pkg, files, samples, args, runs, timeout, bar)
    finally:
        if bar is not None:
            bar.close()


def _stage_costs(src: "Source", tc: "Toolchain", pkg: Any, files: list[str], samples: dict[str, list[float]],
                 args: Sequence[str], runs: int, timeout: float, bar: Any) -> StageCosts:
    import json

    from . import bench
    from ._compile import compile_command
    from ._exec import program_env
    from ._helper import call
    from ._objfile import link_by_hand
    from ._pkg import export_files, importcfg_file
    from ._tmp import mkdtemp

    moddir = pkg.moddir
    scan = call(tc, "bench-scan", ["-n", str(runs), *files], timeout=timeout)
    samples["tokenise"] = [sum(x) / 1e9 for x in zip(*(f["ns"] for f in scan["files"]))]
    parsed = call(tc, "bench-parse", ["-n", str(runs), *files], timeout=timeout)
    samples["parse"] = [sum(x) / 1e9 for x in zip(*(f["ns"] for f in parsed["files"]))]
    exports = export_files(tc, list(pkg.imports), timeout=timeout) if pkg.imports else {}
    want = [{"path": pkg.pkgpath, "dir": str(moddir), "files": list(pkg.files)}]
    checked = call(tc, "bench-types", ["-n", str(runs), "-importcfg", str(importcfg_file(exports))],
                   input=json.dumps(want).encode(), timeout=timeout)
    samples["type-check"] = [x / 1e9 for x in checked["packages"][0]["ns"]]
    if bar is not None:
        bar.update(1)

    work = mkdtemp("stages-")
    try:
        benchfile = work / "compile-bench.txt"
        cmd = compile_command(src, gcflags=f"-bench={benchfile} -d=ssa/all/time", outdir=work, toolchain=tc,
                              timeout=timeout)
        ssa_ns: list[int] = []
        walls: list[float] = []
        for _ in range(runs):
            done = _run.run(cmd.argv, env=dict(cmd.env or {}), cwd=cmd.cwd, timeout=timeout).check(
                hint="the compile gokit times for the stage costs failed")
            walls.append(done.wall)
            ssa_ns.append(ssa_pass_ns(done.out + done.err))
            if bar is not None:
                bar.update(1)
        phases = parse_compile_bench(benchfile.read_text())
        if len(phases) != runs:
            raise UsageError(f"the compiler's -bench file has {len(phases)} reports for {runs} compiles")

        def total(d: Mapping[str, int], names: Sequence[str]) -> int:
            return sum(d.get(n, 0) for n in names)

        samples["compiler front end"] = [total(d, ("fe:init", "fe:loadsys", "fe:parse")) / 1e9 for d in phases]
        samples["inlining, escape analysis"] = [total(d, ("fe:devirtualize-and-inline", "fe:escapes")) / 1e9
                                                for d in phases]
        samples["SSA passes"] = [n / 1e9 for n in ssa_ns]
        samples["code generation, assembly"] = [max(d.get("be:compilefuncs", 0) - n, 0) / 1e9
                                                for d, n in zip(phases, ssa_ns)]
        samples["write the object"] = [d.get("be:dumpobj", 0) / 1e9 for d in phases]
        samples["compiler start-up, exit"] = [max(w - d.get("total", 0) / 1e9, 0.0) for d, w in zip(phases, walls)]
        inproc = bench.BenchResult.from_samples(samples, unit="s")
        compile_process = bench.BenchResult.from_samples({"go tool compile (whole process)": walls}, unit="s")
        hand = link_by_hand(src, toolchain=tc, timeout=timeout)
        procs = bench.compare({"link": hand.link_command(work / "a.out"),
                               "start": _run.Cmd((str(hand.binary), *args), program_env(tc))},
                              runs=runs, warmup=1, timeout=timeout, progress=False)
        if bar is not None:
            bar.update(1)
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return StageCosts(bench.merge(inproc, procs), dict(STAGE_HOW), compile_process)
