"""The SSA of one function as the compiler's passes left it (SSAFunction, Pass, Block, Value, with the source lines
and the final instructions), the lookup of a pass by name, and what a pass changed (Diff). Pure data; gokit.parsers
.ssa_html reads the compiler's GOSSAFUNC ssa.html into it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from .. import _display
from ..errors import UsageError

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

#: Columns that are snapshots of the function, not passes: ssagen/ssa.go writes "before insert phis" while
#: building SSA, ssa/compile.go writes "start" before the first pass runs.
SNAPSHOTS = ("before insert phis", "start")

# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Value:
    """One SSA value as a pass left it: `v10 (13) = Add64 <int> v7 v8`."""

    id: int
    op: str
    type: str
    aux: str                 # the aux/auxint text, e.g. "[0]" or "{a}" or "{main.f} [8]"
    args: tuple[int, ...]
    line: int | None
    stmt: str                # "+" statement boundary, "-" not a statement, "" unspecified
    dead: bool
    block: int
    reg: str = ""            # after regalloc: "AX", "<>", a stack slot ...
    names: tuple[str, ...] = ()  # the source variables it holds, e.g. ("s[int]",)
    depcycle: bool = False

    @property
    def name(self) -> str:
        return f"v{self.id}"

    def long(self) -> str:
        """The compiler's own text form: `v10 = Add64 <int> v7 v8 : AX (s[int])`."""
        s = f"v{self.id} = {self.op} <{self.type}>"
        if self.aux:
            s += " " + self.aux
        s += "".join(f" v{a}" for a in self.args)
        if self.reg:
            s += f" : {self.reg}"
        if self.names:
            s += f" ({', '.join(self.names)})"
        return s

    def __str__(self) -> str:
        return self.long()


@dataclass(frozen=True)
class Block:
    """A basic block: its values, how it ends (kind, control values) and where it goes."""

    id: int
    kind: str
    values: tuple[Value, ...]
    succs: tuple[int, ...]
    preds: tuple[int, ...]
    controls: tuple[int, ...]
    likely: str              # "likely" (first successor likely), "unlikely" (first unlikely) or ""
    aux: str
    line: int | None
    dead: bool

    @property
    def name(self) -> str:
        return f"b{self.id}"

    def edge_hint(self, i: int) -> str:
        """'likely', 'unlikely' or '' for the edge to succs[i] (as the compiler's CFG draws it)."""
        if not self.likely or len(self.succs) < 2:
            return ""
        first = self.likely
        other = "unlikely" if first == "likely" else "likely"
        return first if i == 0 else other if i == 1 else ""

    def end(self) -> str:
        s = self.kind + (f" {self.aux}" if self.aux else "") + "".join(f" v{c}" for c in self.controls)
        if self.succs:
            s += " →" + "".join(f" b{b}" for b in self.succs)
        if self.likely:
            s += f" ({self.likely})"
        return s


#: A column's blocks and its named slots (source variables and the values that hold them).
Body = tuple[tuple["Block", ...], tuple[tuple[str, tuple[int, ...]], ...]]


#: What a column can tell without parsing every value: the values on one source line (whole), and the source
#: line of every value by id (what the follow stage needs of each pass).
Light = tuple[Callable[[str, int], tuple["Value", ...]], Callable[[str], dict[int, "int | None"]]]


class _Column:
    """One ssa.html column's function body, parsed into blocks on first use (shared by its passes) by the parser
    that read the file (handed in: the model does not know how ssa.html is written); `light` answers the
    questions about one line without parsing the whole body."""

    __slots__ = ("body", "_parse", "_parsed", "_light")

    def __init__(self, body: str, parse: Callable[[str], Body] | None = None, light: Light | None = None) -> None:
        self.body = body
        self._parse = parse
        self._light = light
        self._parsed: Body | None = None if body else ((), ())

    def parsed(self) -> Body:
        if self._parsed is None:
            assert self._parse is not None, "a column with a body is made by the parser, with its parse function"
            self._parsed = self._parse(self.body)
        return self._parsed

    def on_line(self, line: int) -> tuple["Value", ...]:
        if self._parsed is None and self._light is not None:
            return self._light[0](self.body, line)
        return tuple(v for b in self.parsed()[0] for v in b.values if v.line == line)

    def lines(self) -> dict[int, "int | None"]:
        if self._parsed is None and self._light is not None:
            return self._light[1](self.body)
        return {v.id: v.line for b in self.parsed()[0] for v in b.values}

    def __getstate__(self) -> tuple[str, Any, Any, Any]:
        return self.body, self._parse, self._parsed, self._light

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.body, self._parse, self._parsed = state[:3]
        self._light = state[3] if len(state) > 3 else None


@dataclass(frozen=True)
class Pass:
    """The function as one compiler pass left it (blocks are parsed from the html when first used)."""

    name: str
    index: int
    column: int              # which ssa.html column shows this state
    time_ns: int | None = None
    changed: bool = True     # False: this pass left the function exactly as the previous pass did
    _col: _Column = field(default_factory=lambda: _Column(""), repr=False, compare=False)

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self._col.parsed()[0]

    @property
    def named(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Source variables and the values that hold them: (('s[int]', (7, 31, 23)), ...)."""
        return self._col.parsed()[1]

    @property
    def values(self) -> tuple[Value, ...]:
        return tuple(v for b in self.blocks for v in b.values)

    def values_on(self, line: int) -> tuple[Value, ...]:
        """The values on one source line, in block order (without parsing the rest of the pass)."""
        return self._col.on_line(line)

    def value_lines(self) -> dict[int, int | None]:
        """The source line of every value, by id (without parsing the values themselves)."""
        return self._col.lines()

    @property
    def live_values(self) -> tuple[Value, ...]:
        return tuple(v for v in self.values if not v.dead)

    def block(self, id: int | str) -> Block:
        i = int(str(id).lstrip("b"))
        for b in self.blocks:
            if b.id == i:
                return b
        raise UsageError(f"pass {self.name!r} has no block b{i}; it has {', '.join(b.name for b in self.blocks)}")

    def value(self, id: int | str) -> Value:
        i = int(str(id).lstrip("v"))
        for v in self.values:
            if v.id == i:
                return v
        raise UsageError(f"pass {self.name!r} has no value v{i}")

    def text(self) -> str:
        """The pass as the compiler prints it with GOSSAFUNC=f+ (dead values marked DEAD)."""
        out = []
        for b in self.blocks:
            head = f"  b{b.id}:" + (" <-" + "".join(f" b{p}" for p in b.preds) if b.preds else "")
            out.append(head + (" DEAD" if b.dead else ""))
            for v in b.values:
                ln = "(?)" if v.line is None else f"({v.stmt}{v.line})"
                out.append(f"    {ln} {v.long()}" + (" DEAD" if v.dead else ""))
            out.append("    " + b.end().replace("→", "->"))
        for slot, vals in self.named:
            out.append(f"name {slot}: [{' '.join(f'v{v}' for v in vals)}]")
        return "\n".join(out)

    def __repr__(self) -> str:
        nb, nv = len(self.blocks), len(self.values)
        return (f"pass {self.index} {self.name!r}: {nb} block{'s' if nb != 1 else ''}, {nv} value{'s' if nv != 1 else ''}"
                f"{'' if self.changed else ', unchanged'}")


@dataclass(frozen=True)
class SourceLine:
    file: str
    line: int
    text: str


@dataclass(frozen=True)
class Prog:
    """One line of the genssa column: a machine instruction (or a `#` comment)."""

    pc: int | None
    line: int | None
    stmt: str
    text: str
    value: int | None = None
    block: int | None = None


@dataclass(frozen=True)
class SSAFunction:
    """Everything GOSSAFUNC's ssa.html shows for one function: sources, AST, every pass, genssa."""

    name: str                              # as the compiler titles it: "add", "(*T).M", "Max[go.shape.int]"
    abi: str                               # "1" (ABIInternal) or "0"
    sources: tuple[SourceLine, ...]
    ast: str
    passes: tuple[Pass, ...]
    genssa: tuple[Prog, ...]
    columns: tuple[tuple[str, ...], ...] = ()   # the pass names of each ssa.html column, as merged
    meta: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # ---- lookup
    @property
    def pass_names(self) -> list[str]:
        return [p.name for p in self.passes]

    def pass_(self, name: "str | int | Pass") -> Pass:
        """A pass by name ('lower', 'late_lower', 'late-lower' all work) or by index."""
        if isinstance(name, Pass):
            return name
        return self.passes[find_pass(self.pass_names, name, self.name)]

    def __iter__(self) -> Iterator[Pass]:
        return iter(self.passes)

    def __len__(self) -> int:
        return len(self.passes)

    # ---- tables
    @property
    def values(self) -> "pd.DataFrame":
        """Every value of every pass: one row per (pass, value)."""
        import pandas as pd

        rows = []
        for p in self.passes:
            for b in p.blocks:
                for v in b.values:
                    rows.append((p.index, p.name, b.id, v.id, v.op, v.type, v.aux, " ".join(f"v{a}" for a in v.args),
                                 v.line, v.stmt, v.dead, v.reg, ", ".join(v.names)))
        return pd.DataFrame(rows, columns=["pass_index", "pass", "block", "value", "op", "type", "aux", "args",
                                           "line", "stmt", "dead", "reg", "names"])

    @property
    def summary(self) -> "pd.DataFrame":
        """One row per pass: blocks, values, live values, whether it changed anything, time."""
        import pandas as pd

        rows = [(p.index, p.name, p.column, len(p.blocks), sum(not b.dead for b in p.blocks), len(p.values),
                 len(p.live_values), p.changed, p.time_ns) for p in self.passes]
        return pd.DataFrame(rows, columns=["index", "pass", "column", "blocks", "live_blocks", "values",
                                           "live_values", "changed", "time_ns"]).set_index("index")

    def source_text(self, line: int) -> str | None:
        for s in self.sources:
            if s.line == line:
                return s.text
        return None

    # ---- views (gokit.views.ssa draws them)
    def cfg(self, pass_: str | int | Pass = -1, *, values: bool = True) -> "graphviz.Digraph":
        """The control-flow graph of one pass: blocks as boxes with their values, likely/unlikely and back edges."""
        return _display.show(self, "cfg", self.pass_(pass_), values=values)

    def diff(self, a: str | int | Pass, b: str | int | Pass | None = None) -> "Diff":
        """What changed between two passes (b defaults to the pass after a)."""
        pa = self.pass_(a)
        pb = self.pass_(pa.index + 1) if b is None else self.pass_(b)
        return diff(pa, pb)

    def show(self, pass_: str | int | Pass = -1) -> Any:
        """The CFG of a pass as a displayable diagram."""
        return _display.show(self, "diagram", self.pass_(pass_))

    def explore(self, pass_: str | int | Pass | None = None) -> Any:
        """An interactive explorer: pass slider, CFG, diff with the previous pass, source highlighting."""
        return _display.show(self, "explore", self.pass_(pass_) if pass_ is not None else None)

    def _repr_html_(self) -> str:
        return str(_display.show(self, "html"))

    @property
    def ran(self) -> list[Pass]:
        """The passes that ran, without the two snapshots ("before insert phis" and "start") ssa.html shows first."""
        return [p for p in self.passes if p.name not in SNAPSHOTS]

    def __repr__(self) -> str:
        ran = self.ran
        return (f"SSA of {self.meta.get('qualified', self.name)}: {len(ran)} passes ran, {sum(p.changed for p in ran)} "
                f"changed it ({len(self.columns)} ssa.html columns)")


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


def find_pass(names: "Sequence[str]", wanted: str | int, function: str = "the function") -> int:
    """The index of a pass among `names`, by index or by name ('lower', 'late_lower', 'late-lower' all work)."""
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        if not -len(names) <= wanted < len(names):
            raise UsageError(f"{function} has {len(names)} passes; index {wanted} is out of range")
        return wanted % len(names)
    if not isinstance(wanted, str):
        raise UsageError(f"a pass is named by a string like 'lower' or an index; got {wanted!r}")
    want = _norm(wanted)
    for i, n in enumerate(names):
        if _norm(n) == want:
            return i
    raise UsageError(f"{function} has no pass {wanted!r}. Passes: {', '.join(names)}")


# ---------------------------------------------------------------- what a pass changed

@dataclass(frozen=True)
class Diff:
    """What one pass changed relative to another: values and blocks added, removed, changed."""

    before: str
    after: str
    frame: "pd.DataFrame" = field(repr=False)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def _ids(self, kind: str, change: str) -> list[str]:
        f = self.frame
        return list(f[(f["kind"] == kind) & (f["change"] == change)]["id"])

    @property
    def added_values(self) -> list[str]:
        return self._ids("value", "added")

    @property
    def removed_values(self) -> list[str]:
        return self._ids("value", "removed")

    @property
    def changed_values(self) -> list[str]:
        return self._ids("value", "changed")

    @property
    def added_blocks(self) -> list[str]:
        return self._ids("block", "added")

    @property
    def removed_blocks(self) -> list[str]:
        return self._ids("block", "removed")

    @property
    def changed_blocks(self) -> list[str]:
        return self._ids("block", "changed")

    @property
    def op_changes(self) -> "pd.DataFrame":
        """Values whose op changed (e.g. Add64 -> ADDQ in lower): id, before, after."""
        f = self.frame
        sub = f[(f["kind"] == "value") & (f["change"] == "changed") & f["fields"].str.contains(r"\bop\b")]
        return sub[["id", "op_before", "op_after"]].reset_index(drop=True)

    def summary(self) -> str:
        parts = []
        for kind in ("value", "block"):
            for change in ("added", "removed", "changed"):
                n = len(self._ids(kind, change))
                if n:
                    parts.append(f"{n} {kind}{'s' if n != 1 else ''} {change}")
        return ", ".join(parts) if parts else "no change"

    def _repr_html_(self) -> str:
        return str(_display.show(self, "html"))

    def __repr__(self) -> str:
        return f"diff {self.before} → {self.after}: {self.summary()}"


_VALUE_FIELDS = ("op", "type", "aux", "args", "block", "dead", "reg", "line")
_BLOCK_FIELDS = ("kind", "succs", "controls", "likely", "aux", "dead")


def diff(a: Pass, b: Pass) -> Diff:
    """What changed from pass a to pass b."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    va = {v.id: v for v in a.values}
    vb = {v.id: v for v in b.values}
    for i in sorted(set(va) | set(vb)):
        x, y = va.get(i), vb.get(i)
        if x is None:
            rows.append(_row("value", f"v{i}", "added", "", y.long(), "", "", y.op))  # type: ignore[union-attr]
        elif y is None:
            rows.append(_row("value", f"v{i}", "removed", x.long(), "", "", x.op, ""))
        else:
            fields = [f for f in _VALUE_FIELDS if getattr(x, f) != getattr(y, f)]
            if fields:
                before = x.long() + (f" [b{x.block}]" if "block" in fields else "") + (" DEAD" if x.dead else "")
                after = y.long() + (f" [b{y.block}]" if "block" in fields else "") + (" DEAD" if y.dead else "")
                rows.append(_row("value", f"v{i}", "changed", before, after, ", ".join(fields), x.op, y.op))
    ba = {bl.id: bl for bl in a.blocks}
    bb = {bl.id: bl for bl in b.blocks}
    for i in sorted(set(ba) | set(bb)):
        x2, y2 = ba.get(i), bb.get(i)
        if x2 is None:
            rows.append(_row("block", f"b{i}", "added", "", y2.end(), "", "", ""))  # type: ignore[union-attr]
        elif y2 is None:
            rows.append(_row("block", f"b{i}", "removed", x2.end(), "", "", "", ""))
        else:
            fields = [f for f in _BLOCK_FIELDS if getattr(x2, f) != getattr(y2, f)]
            if fields:
                rows.append(_row("block", f"b{i}", "changed", x2.end() + (" DEAD" if x2.dead else ""),
                                 y2.end() + (" DEAD" if y2.dead else ""), ", ".join(fields), "", ""))
    frame = pd.DataFrame(rows, columns=["kind", "id", "change", "before", "after", "fields", "op_before", "op_after"])
    return Diff(a.name, b.name, frame)


def _row(kind: str, id: str, change: str, before: str, after: str, fields: str, op_a: str, op_b: str) -> dict[str, Any]:
    return {"kind": kind, "id": id, "change": change, "before": before, "after": after, "fields": fields,
            "op_before": op_a, "op_after": op_b}

