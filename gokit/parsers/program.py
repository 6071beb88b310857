"""A program's stage results, gathered once for all its lines (its listing, the `-S=2` positions and `-m` report,
the linked binary's symbols and machine code, its front end), and the journey of one line cut from them (pure:
the follow stage runs the tools, then hands their results here).

The compiler records which SSA value each instruction came from (the genssa column of ssa.html); the
journey keeps it on each instruction. Inlining is told apart with two listings: `-S` writes each
instruction's innermost position (inlined code keeps the position it had in the function it came from),
`-S=2` its outermost (cmd/internal/obj/objfile.go: Debugasm > 1 prints p.String(), whose Line() is
OutermostPos; util.go); the `-m` report names the inlined calls.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .asm import Assembly
from .asm_listing import parse_asm
from .compiler import DIAG_RE, parse_m
from .journey import (ASM_COLUMNS, MACHINE_COLUMNS, NODE_COLUMNS, RELOCATION_COLUMNS, SSA_COLUMNS, SYMBOL_COLUMNS,
                      TYPE_COLUMNS, Journey)
from .names import package_of, short
from .objdump import Function as LinkedFunction
from .objdump import pc_relative_target

if TYPE_CHECKING:
    import pandas as pd

    from ..source.package import Package
    from .asm import Instruction as AsmInstruction
    from .frontend import Types
    from .ssa import SSAFunction
    from .syntax import AST

#: The line GOSSAFUNC makes the compiler print on stdout, among the listing (cmd/compile/internal/ssa/html.go Close).
DUMPED_RE = re.compile(r"^dumped SSA for \S+ to ")


@dataclass(frozen=True)
class OuterPosition:
    """One `-S=2` listing line: its pc, op and the outermost position (the line it was inlined into)."""

    pc: int
    file: str
    line: int | None
    op: str


@dataclass(frozen=True)
class InlinedCall:
    """A call the `-m` report says was inlined: where, and what."""

    file: str
    line: int
    col: int | None
    callee: str


@dataclass(frozen=True)
class Outer:
    """The `-S=2` positions of every function of the package, and the `-m` report's inlined calls."""

    functions: Mapping[str, tuple[OuterPosition, ...]]
    calls: tuple[InlinedCall, ...]


def read_outer(stdout: str, output: str, *, goarch: str, moddir: str, goroot: str) -> Outer:
    """An Outer from one `go tool compile -S=2 -m` of the package: its stdout (the listing, with -m lines mixed
    in on some Go versions) and its whole output with the module dir cut (the -m report)."""
    listing = [raw for raw in stdout.splitlines() if not DIAG_RE.match(raw) and not DUMPED_RE.match(raw)]
    calls = tuple(InlinedCall(r["file"], r["line"], r["col"], r["function"]) for r in parse_m(output)[0]
                  if r["decision"] == "inlined call")
    syms = parse_asm("\n".join(listing), goarch=goarch, moddir=moddir, goroot=goroot)
    return Outer({s.name: tuple(OuterPosition(i.pc, i.file, i.line, i.op) for i in s.instructions)
                  for s in syms if s.is_function}, calls)


@dataclass(frozen=True)
class LinkedSymbol:
    """One `go tool nm -size` row of the linked binary."""

    address: int | None
    size: int | None
    type: str
    name: str
    package: str


@dataclass(frozen=True)
class Linked:
    """The package linked into a program: the binary's symbols and its own functions' machine code (objdump)."""

    symbols: tuple[LinkedSymbol, ...]
    functions: Mapping[str, LinkedFunction]


@dataclass(frozen=True)
class Program:
    """Everything a journey needs that does not depend on the line (the follow stage computes it once)."""

    package: "Package"
    tokens: "pd.DataFrame"
    ast: "AST"
    types: "Types"
    asm: Assembly
    outer: Outer
    linked: Linked
    seconds: Mapping[str, float] = field(default_factory=dict)

    def lines(self, file: str) -> tuple[str, ...]:
        return tuple(dict(self.package.source.go_files)[file].decode("utf-8", "replace").splitlines())


@dataclass(frozen=True)
class LineCode:
    """The line's instructions (rows of Journey.asm, without their SSA values yet) and relocations, the
    functions whose SSA holds the line, the inlined calls on it, and what could not be marked."""

    asm_rows: tuple[Mapping[str, Any], ...]
    reloc_rows: tuple[Mapping[str, Any], ...]
    ssa_functions: tuple[str, ...]
    notes: tuple[str, ...]
    calls: tuple[InlinedCall, ...]
    function: str


def line_code(pkg: "Package", a: Assembly, outer_listing: Outer, file: str, line: int) -> LineCode:
    """The instructions the `-S` listing attributes to the line, and those inlined into it (by the `-S=2`
    listing's outermost positions), with their relocations; and the functions whose SSA holds the line (all it
    needs is the two listings: the follow stage asks for those SSA dumps while the link still runs)."""
    notes: list[str] = []
    enclosing_fn = pkg.func_at(file, line)
    outer = outer_listing.functions
    calls = tuple(c for c in outer_listing.calls if c.file == file and c.line == line)
    asm_rows: list[dict[str, Any]] = []
    reloc_rows: list[dict[str, Any]] = []
    ssa_funcs: list[str] = []
    for fn in a.functions:
        out = outer.get(fn.name)
        aligned = out is not None and len(out) == len(fn.instructions) and all(
            o.pc == i.pc and o.op == i.op for o, i in zip(out, fn.instructions))
        if out is not None and not aligned:
            notes.append(f"the -S and -S=2 listings of {fn.name} differ; inlining is not marked in it")
        for k, ins in enumerate(fn.instructions):
            own = ins.file == file and ins.line == line
            o_file, o_line = (out[k].file, out[k].line) if aligned and out is not None else (ins.file, ins.line)
            into = o_file == file and o_line == line
            if not (own or into):
                continue
            inline = ""
            if own and not into and o_line is not None:
                inline = f"inlined into {short(fn.name, a.package)} at line {o_line}"
            elif into and not own:
                inline = f"from {_callee(ins, calls, pkg)}"
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
    return LineCode(tuple(asm_rows), tuple(reloc_rows), tuple(ssa_funcs), tuple(notes), calls, enclosing_fn)


@dataclass(frozen=True)
class LineSSA:
    """The SSA part of a line's journey: its values per pass in each function, the passes, and which value each
    instruction of those functions came from (pc -> (value id, text))."""

    rows: tuple[Mapping[str, Any], ...]
    passes: Mapping[str, tuple[str, ...]]
    genssa: Mapping[str, Mapping[int, tuple[int | None, str]]]


def line_ssa(a: Assembly, line: int, ssa: Mapping[str, "SSAFunction"]) -> LineSSA:
    """The SSA part of the journey of `line`, from the listing and the SSA of each function with code from the
    line (parsing the passes is most of the work: the follow stage does it while the link still runs)."""
    ssa_rows: list[dict[str, Any]] = []
    passes: dict[str, tuple[str, ...]] = {}
    genssa: dict[str, dict[int, tuple[int | None, str]]] = {}
    for name, sfn in ssa.items():
        passes[name] = tuple(p.name for p in sfn.passes)
        ssa_rows.extend(_ssa_rows(name, sfn, line))
        genssa[name] = _genssa_map(a.function(name) if _has(a, name) else None, sfn)
    return LineSSA(tuple(ssa_rows), passes, genssa)


@dataclass(frozen=True)
class LineRest:
    """Everything of a line's journey but its SSA (the follow stage cuts it while the SSA dumps still run): tokens,
    nodes and types on the line, its instructions and relocations, their symbols and machine code in the binary."""

    file: str
    line: int
    code: LineCode
    text: str
    tokens: "pd.DataFrame"
    nodes: "pd.DataFrame"
    types: "pd.DataFrame"
    symbols: "pd.DataFrame"
    machine: "pd.DataFrame"
    relocations: "pd.DataFrame"
    enclosing: tuple[str, ...]
    lines: tuple[str, ...]
    notes: tuple[str, ...]
    meta: Mapping[str, Any]
    several_files: bool


def line_rest(prog: Program, file: str, line: int, code: LineCode) -> LineRest:
    """The part of a line's journey that needs no SSA: tokens, nodes and types on the line, its instructions
    (`line_code`) and the same instructions in the linked binary."""
    import pandas as pd

    lines = prog.lines(file)
    notes = list(code.notes)
    a = prog.asm
    tok = prog.tokens
    tokens = tok[(tok["file"] == file) & (tok["line"] == line)].reset_index(drop=True)
    nodes, enclosing = _nodes(prog.ast, file, line)
    ex = prog.types.expressions
    types = ex[(ex["file"] == file) & (ex["line"] == line)].reset_index(drop=True)
    types = types[TYPE_COLUMNS].copy()
    types["value"] = types["value"].fillna("")
    asm_rows = code.asm_rows
    reloc_rows: list[Mapping[str, Any]] = list(code.reloc_rows)

    # ---- the linked binary
    linked = prog.linked
    machine_rows = []
    missing = []
    resolved: dict[str, int] = {}   # symbol -> the address its filled holes point to (amd64 PC-relative)
    relocs_at: dict[tuple[str, int], list[Mapping[str, Any]]] = {}
    for rr in reloc_rows:
        relocs_at.setdefault((rr["function"], rr["pc"]), []).append(rr)
    for fn_name in dict.fromkeys(r["function"] for r in asm_rows if not r["pseudo"]):
        linked_fn = linked.functions.get(fn_name)
        if linked_fn is None or not linked_fn.instructions:
            missing.append(fn_name)
            continue
        start = linked_fn.start
        at = {i.pc - start: i for i in linked_fn.instructions}
        for r in asm_rows:
            if r["function"] != fn_name or r["pseudo"]:
                continue
            i = at.get(r["pc"])
            if i is None:
                continue
            machine_rows.append({"function": fn_name, "address": i.pc, "pc": r["pc"], "bytes": i.bytes,
                                 "op": i.op, "args": i.args, "target": i.target, "file": i.file, "line": i.line,
                                 "inline": r["inline"]})
            if a.goarch == "amd64":
                for rel in relocs_at.get((fn_name, r["pc"]), ()):
                    addr = _pc_relative_target(start, rel, i.bytes)
                    if addr is not None:
                        resolved.setdefault(rel["symbol"], addr)
    sym_rows = _symbol_rows(reloc_rows, linked.symbols, resolved)
    for fn_name in missing:
        notes.append(f"{fn_name} is not in the linked binary: nothing calls it any more (its callers got an "
                     f"inlined copy), so the linker left it out")
    return LineRest(
        file=file, line=line, code=code, text=lines[line - 1], tokens=tokens, nodes=nodes, types=types,
        symbols=pd.DataFrame(sym_rows, columns=SYMBOL_COLUMNS).astype({"address": "Int64", "size": "Int64",
                                                                       "resolved": "Int64"}),
        machine=pd.DataFrame(machine_rows, columns=MACHINE_COLUMNS),
        relocations=pd.DataFrame(reloc_rows, columns=RELOCATION_COLUMNS),
        enclosing=enclosing, lines=lines, notes=tuple(notes), several_files=len(prog.package.facts) > 1,
        meta={"go": a.go, "goarch": a.goarch, "package": a.package,
              "calls": [[c.file, c.line, c.col, c.callee] for c in code.calls],
              "program_seconds": dict(prog.seconds)})


def journey_of(rest: LineRest, ssa: LineSSA, notes: Sequence[str] = ()) -> Journey:
    """One line's journey: the part without SSA (`line_rest`), its SSA values per pass (`line_ssa` of the
    functions in code.ssa_functions), and on each instruction the SSA value it came from."""
    import pandas as pd

    notes = [*rest.notes, *notes]
    if rest.several_files and ssa.rows:
        notes.append("SSA dumps give line numbers without file names: in a package of several files, values from "
                     "the same line number of another file would show here too")
    genssa = ssa.genssa
    asm_rows: list[dict[str, Any]] = []
    for row in rest.code.asm_rows:
        r = dict(row)
        vid, text = genssa.get(r["function"], {}).get(r["pc"], (None, "")) if not r["pseudo"] else (None, "")
        r["ssa_id"], r["ssa"] = vid, text
        asm_rows.append(r)
    return Journey(
        file=rest.file, line=rest.line, code=rest.text, function=rest.code.function,
        tokens=rest.tokens, nodes=rest.nodes, types=rest.types,
        ssa=pd.DataFrame(list(ssa.rows), columns=SSA_COLUMNS),
        asm=pd.DataFrame(asm_rows, columns=ASM_COLUMNS).astype({"line": "Int64", "ssa_id": "Int64"}),
        relocations=rest.relocations, symbols=rest.symbols, machine=rest.machine,
        enclosing=rest.enclosing, passes=dict(ssa.passes), notes=tuple(notes), lines=rest.lines,
        meta=dict(rest.meta),
    )


def _pc_relative_target(start: int, rel: Mapping[str, Any], linked_bytes: str) -> int | None:
    """Where a relocation row's filled R_CALL/R_PCREL hole points, from the linked instruction's bytes."""
    if rel["type"] not in ("R_CALL", "R_PCREL"):
        return None
    at = rel["offset"] - rel["pc"]
    return pc_relative_target(start, rel["offset"], rel["size"], linked_bytes[2 * at:2 * (at + rel["size"])],
                              rel["addend"])


def _symbol_rows(reloc_rows: Sequence[Mapping[str, Any]], nm: Sequence[LinkedSymbol],
                 resolved: Mapping[str, int]) -> list[dict[str, Any]]:
    """One row per relocation target: its address and size as `go tool nm` lists them in the binary; the
    address its filled holes point to; for a symbol nm does not list (the linker lists one `type:*` at the
    start of the type descriptors, not each of them), the nearest listed symbol at or below that address."""
    import bisect

    by_name: dict[str, LinkedSymbol] = {}
    placed = sorted((s.address, s.name) for s in nm if s.address is not None)
    for s in nm:
        if s.address is not None:
            by_name.setdefault(s.name, s)
    targets: dict[str, list[str]] = {}
    for r in reloc_rows:
        if r["symbol"]:
            kinds = targets.setdefault(r["symbol"], [])
            if r["type"] not in kinds:
                kinds.append(r["type"])
    rows = []
    for sym, kinds in targets.items():
        row = by_name.get(sym) or by_name.get(sym + ".abi0")
        addr = resolved.get(sym)
        nearest = ""
        if row is None and addr is not None and placed:
            k = bisect.bisect_right(placed, (addr, "\uffff")) - 1
            if k >= 0:
                base, name = placed[k]
                nearest = f"{name}+{addr - base:#x}" if addr != base else name
        rows.append({"symbol": sym, "address": row.address if row else None, "size": row.size if row else None,
                     "type": row.type if row else "", "package": row.package if row else "",
                     "relocations": ", ".join(kinds), "in_binary": row is not None, "resolved": addr,
                     "nearest": nearest})
    return rows


def _has(a: "Assembly", name: str) -> bool:
    return any(s.name == name for s in a.functions)


def _callee(ins: "AsmInstruction", calls: Sequence[InlinedCall], pkg: "Package") -> str:
    """The function whose inlined body this instruction comes from: your own (go/parser facts), or the one
    the -m report says was inlined on the line (matched by the package directory of the innermost file)."""
    where = f"{ins.file}:{ins.line}" if ins.line is not None else ins.file
    if ins.line is not None:
        fn = pkg.func_at(ins.file, ins.line)
        if fn:
            return f"{fn} ({where})"
    names = [c.callee for c in calls]
    if ins.file.startswith("$GOROOT/src/"):
        pkgdir = os.path.dirname(ins.file[len("$GOROOT/src/"):])
        match = [n for n in names if package_of(n) == pkgdir]
        if len(match) == 1:
            return f"{match[0]} ({where})"
    if len(names) == 1:
        return f"{names[0]} ({where})"
    return where


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


def _ssa_rows(function: str, fn: "SSAFunction", line: int) -> list[dict[str, Any]]:
    """One row per value on `line` per pass, with what happened to it: appeared, changed op, died, left."""
    rows: list[dict[str, Any]] = []
    prev_on: dict[int, dict[str, Any]] = {}      # id -> its row in the previous pass
    prev_all: dict[int, int | None] = {}
    for p in fn.passes:
        cur_all = p.value_lines()                # id -> line of every value (not parsed)
        cur_on: dict[int, dict[str, Any]] = {}
        for v in p.values_on(line):              # only the line's values are parsed
            change = []
            before = prev_on.get(v.id)
            if p.index > 0:
                if before is None:
                    old_line = prev_all.get(v.id)
                    change.append(f"moved here from line {old_line}" if old_line is not None else "new")
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
            now_line = cur_all.get(vid)
            row["fate"] = (f"moved to line {now_line} by {p.name}" if now_line is not None
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
