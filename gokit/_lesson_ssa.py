"""Lesson helpers for lesson 03: a source listing with line numbers, the compiler's SSA passes and states, what
genssa made, the compiler's inlining decisions, the names it gave functions, and the ops a pass changed."""
from __future__ import annotations

import html as _html
import re as _re
from dataclasses import dataclass as _dataclass, field as _field
from typing import Any as _Any

from ._lesson_show import NOT_MEASURED, Table, table


class Listing(str):
    """A Go source text shown with line numbers (see `listing`); it is still the text itself."""

    def _repr_html_(self) -> str:
        lines = str(self).rstrip("\n").split("\n")
        width = len(str(len(lines)))
        body = "\n".join(f"<span style='color:#999;user-select:none'>{i:>{width}}</span>  "
                         f"{_html.escape(t.expandtabs(4))}" for i, t in enumerate(lines, 1))
        from .views.ast import MONO

        return (f"<pre style='font-family:{MONO};font-size:12.5px;line-height:1.35;overflow-x:auto;"
                f"margin:.3em 0'>{body}</pre>")


def listing(source: str) -> Listing:
    """A Go file's text shown with its line numbers, the numbers the compiler's messages and SSA use."""
    return Listing(source)


#: One entry of cmd/compile/internal/ssa/compile.go's `var passes` list: {name: "...", ... } (not commented out).
PASS_ENTRY_RE = _re.compile(r'^\s*\{name:\s*"(?P<name>[^"]+)"(?P<rest>[^\n]*)', _re.MULTILINE)


def ssa_pass_list(goroot: _Any) -> list[tuple[str, bool]]:
    """The compiler's SSA passes as its source lists them (GOROOT/src/cmd/compile/internal/ssa/compile.go, `var
    passes`), in order: (name, switched off by default?) — off means a `disabled:` that is not a constant false,
    which on today's releases are the GOEXPERIMENT-gated ones (insert resched checks; on Go 1.27 also cpufeatures
    and rewrite tern); a pass can also be off on one architecture only."""
    from pathlib import Path

    text = Path(goroot, "src/cmd/compile/internal/ssa/compile.go").read_text()
    body = text.split("var passes = [...]pass{", 1)[1].split("\n}\n", 1)[0]
    out = []
    for line in body.splitlines():
        m = PASS_ENTRY_RE.match(line)
        if m is None:
            continue
        rest = m.group("rest")
        if "disabled:" not in rest:  # a disabled: on the next line belongs to this entry
            idx = body.splitlines().index(line)
            nxt = body.splitlines()[idx + 1] if idx + 1 < len(body.splitlines()) else ""
            rest += nxt if nxt.strip().startswith("disabled:") else ""
        out.append((m.group("name"), "disabled:" in rest))
    return out


def ssa_states(fn: _Any, goroot: _Any = None) -> str:
    """How the states of one SSA function add up, in one sentence: snapshots + passes that ran = the rows of
    `ssa_changes(fn, every=True)`; how many passes changed the function; how many columns ssa.html drew; and, with
    `goroot`, how many passes the compiler's list has and how many are off by default."""
    snaps = len(fn.passes) - len(fn.ran)
    changed = sum(p.changed for p in fn.ran)
    text = (f"{fn.meta.get('qualified', fn.name)}: {len(fn.passes)} states, #0 to #{len(fn.passes) - 1}: "
            f"{snaps} snapshots and the {len(fn.ran)} passes that ran")
    if goroot is not None:
        listed = ssa_pass_list(goroot)
        off = [n for n, d in listed if d]
        text += (f" (the compiler's list has {len(listed)}; {len(off)} of them off by default: "
                 f"{', '.join(off)})" if off else f" (the compiler's list has {len(listed)})")
    text += (f". {changed} passes changed the function; ssa.html drew {len(fn.columns)} columns, one per state "
             "that differs from the one before (the passes that changed nothing share the next one's column).")
    return text


def genssa_listing(fn: _Any) -> str:
    """What `genssa` made of a function, as the compiler's ssa.html shows it, without the FUNCDATA and PCDATA
    lines (tables for the runtime): each line is a Prog's number in genssa's list (not an address: the gaps are the
    lines left out), its source line, and the instruction in Go's assembler syntax."""
    meta = [g for g in fn.genssa if g.pc is not None and g.text.split()[0] in ("FUNCDATA", "PCDATA")]
    lines = [f"{g.pc:05d} ({'?' if g.line is None else g.line}) {g.text.expandtabs(8)}"
             for g in fn.genssa if g.pc is not None and g not in meta]
    return "\n".join(lines) + f"\n(and {len(meta)} FUNCDATA/PCDATA lines)"


def inlining_table(src: _Any, *, toolchain: _Any = None) -> Table:
    """The compiler's inlining decisions about each function (`-m=2`), in source order: its cost (the compiler's
    size estimate), the budget where it refused (— where it did not), and what -m=2 printed: the body it would
    copy, or why not. Calls that were inlined are left out (the report next to the source shows them)."""
    import pandas as pd

    from .stages.optimizations import inlining

    inl = inlining(src, toolchain=toolchain)
    inl = inl[inl.decision != "inlined call"].drop_duplicates(["line", "function", "decision"])
    inl = inl.sort_values(["line", "function"], kind="stable")
    shown = pd.DataFrame({"line": inl.line, "function": inl.function, "decision": inl.decision,
                          "cost": [int(c) for c in inl.cost],
                          "budget": [NOT_MEASURED if pd.isna(b) else int(b) for b in inl.budget],
                          "what -m=2 says": inl.reason})
    return table(shown)


def ssa_names(src: _Any, names: _Any, *, toolchain: _Any = None) -> Table:
    """For each name as a learner writes it (`add`, `Counter.Add`, `counter.func1`, `Max`), the function the
    compiler built (`gokit.ssa`'s answer) with its blocks and values after the last pass; a name it did not build
    gets gokit's answer instead of a traceback, in the last column."""
    import pandas as pd

    from .errors import GokitError
    from .stages.ssa import ssa

    rows = []
    for name in names:
        try:
            f = ssa(src, name, toolchain=toolchain)
        except GokitError as e:
            rows.append({"you wrote": name, "the compiler's function": NOT_MEASURED, "blocks at the end": NOT_MEASURED,
                         "values at the end": NOT_MEASURED, "note": str(e).split("\n", 1)[0]})
            continue
        shapes = f.meta.get("instantiations") or []
        qualified = f.meta["qualified"]
        if len(shapes) > 1 and "[" not in name:
            note = f"the first of its {len(shapes)} shapes in the compiler's output: {', '.join(shapes)}"
        elif "[" in name and "go.shape." not in name and "go.shape." in qualified:
            note = f"the body its shape shares; the compiler's own {name} is a wrapper that calls it"
        else:
            note = NOT_MEASURED
        rows.append({"you wrote": name, "the compiler's function": f.meta["qualified"],
                     "blocks at the end": len(f.passes[-1].blocks), "values at the end": len(f.passes[-1].values),
                     "note": note})
    return table(pd.DataFrame(rows))


@_dataclass(frozen=True)
class OpChanges:
    """The values whose op one pass changed (see `op_changes`)."""

    frame: _Any = _field(repr=False)
    pairs: frozenset = frozenset()   # {(op before, op after), ...}
    caption: str = ""

    def _repr_html_(self) -> str:
        return f"<p>{_html.escape(self.caption)}</p>" + table(self.frame)._repr_html_()

    def __repr__(self) -> str:
        return self.caption


def op_changes(fn: _Any, pass_name: str) -> OpChanges:
    """The values whose op the pass `pass_name` changed in `fn`, compared with the state just before it: one row
    per value (`value`, `op before`, `op after`) under a line naming both states."""
    import pandas as pd

    after = fn.pass_(pass_name)
    before = fn.passes[after.index - 1]
    ops = fn.diff(before, after).op_changes
    frame = pd.DataFrame({"value": list(ops["id"]), "op before": list(ops["op_before"]),
                          "op after": list(ops["op_after"])})
    caption = (f"{len(frame)} value{'s' if len(frame) != 1 else ''} changed op from #{before.index} {before.name} "
               f"to #{after.index} {after.name}:")
    return OpChanges(frame, frozenset(zip(frame["op before"], frame["op after"])), caption)
