"""The journey of one source line through every stage: a Journey, each stage a table filtered to the line (what
gokit.follow returns; gokit.parsers.program cuts it from a program's stage results)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .. import _display
from .ssa import find_pass

if TYPE_CHECKING:
    import pandas as pd

NODE_COLUMNS = ["id", "depth", "kind", "key", "field", "pos", "end", "text"]
TYPE_COLUMNS = ["pos", "col", "expr", "kind", "type", "mode", "value"]
SSA_COLUMNS = ["function", "pass_index", "pass", "id", "op", "type", "aux", "args", "block", "reg", "dead", "change",
               "fate", "text"]
ASM_COLUMNS = ["function", "pc", "op", "args", "bytes", "file", "line", "pseudo", "inline", "ssa_id", "ssa"]
RELOCATION_COLUMNS = ["function", "pc", "offset", "size", "type", "symbol", "addend", "inline"]
SYMBOL_COLUMNS = ["symbol", "address", "size", "type", "package", "relocations", "in_binary", "resolved", "nearest"]
MACHINE_COLUMNS = ["function", "address", "pc", "bytes", "op", "args", "target", "file", "line", "inline"]
FRAME_COLUMNS = ["stage", "function", "where", "item", "detail"]


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
    #: the journey of another line of the same program: again(line) (what the explorer calls on a click; the
    #: stage that made the journey hands it over)
    again: "Callable[[int], Journey] | None" = field(default=None, repr=False, compare=False)

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
            name = names[find_pass(names, pass_, fn)]
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

    # ---- display (gokit.views.journey draws it)
    def explore(self, profile: Any = None, *, pass_: str | int | None = None) -> Any:
        """The journey explorer: pick a line, see every stage as a column; choose an SSA pass; hover an
        instruction for the SSA value it came from; with `profile=gokit.profile(src)`, samples painted on
        lines and instructions."""
        return _display.show(self, "explore", profile=profile, pass_=pass_)

    def _repr_html_(self) -> str:
        return str(_display.show(self, "html"))

    def __repr__(self) -> str:
        n_asm = int((~self.asm["pseudo"]).sum()) if len(self.asm) else 0
        return (f"<Journey {self.file}:{self.line} {self.code.strip()[:40]!r}: {len(self.tokens)} tokens, "
                f"{len(self.nodes)} nodes, {len(self.types)} typed expressions, "
                f"{self.ssa['id'].nunique() if len(self.ssa) else 0} "
                f"SSA values, {n_asm} instructions in {len(self.functions)} function(s), "
                f"{len(self.relocations)} relocations, {len(self.machine)} instructions in the binary>")
