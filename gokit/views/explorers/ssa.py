"""The SSA explorer: every pass of one function (slider, picker, CFG, listing), any two passes compared, one value
lit in every pass and on its source line. Python sends the passes once; the browser draws and reacts."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._display import renders
from ...parsers.ssa import SSAFunction
from ._base import FORMAT, Explorer

if TYPE_CHECKING:
    from ...parsers.ssa import Pass

#: The "compare with" choice that follows the slider: the pass just before the one shown.
PREVIOUS = -1
TABS = ("CFG", "listing", "side by side", "every pass")


def ssa_data(fn: "SSAFunction") -> dict[str, Any]:
    """Everything the explorer draws, JSON-able: the passes, each distinct state of the function (ssa.html's
    columns; a pass that changed nothing shares the state before it), its blocks with their values by reference
    into one table of distinct value versions (a value no pass touched is stored once), and the sources.

    passes: [name, column, changed, time_ns, state]; states: [{"b": blocks, "named": [[slot, [ids]]]}];
    a block: [id, kind, succs, preds, controls, likely, aux, dead, line, [value refs]];
    a value: [id, op, type, aux, args, line, stmt, dead, block, reg, names]."""
    versions: dict[tuple[Any, ...], int] = {}
    values: list[list[Any]] = []
    states: list[dict[str, Any]] = []
    state_of: dict[int, int] = {}   # id() of a pass's parsed blocks -> its state (passes of one body share it)
    passes = []
    for p in fn.passes:
        blocks = p.blocks
        s = state_of.get(id(blocks))
        if s is None:
            s = state_of[id(blocks)] = len(states)
            out = []
            for b in blocks:
                refs = []
                for v in b.values:
                    key = (v.id, v.op, v.type, v.aux, v.args, v.line, v.stmt, v.dead, v.block, v.reg, v.names)
                    ref = versions.get(key)
                    if ref is None:
                        ref = versions[key] = len(values)
                        values.append([v.id, v.op, v.type, v.aux, list(v.args), v.line, v.stmt, v.dead, v.block,
                                       v.reg, list(v.names)])
                    refs.append(ref)
                out.append([b.id, b.kind, list(b.succs), list(b.preds), list(b.controls), b.likely, b.aux, b.dead,
                            b.line, refs])
            states.append({"b": out, "named": [[slot, list(ids)] for slot, ids in p.named]})
        passes.append([p.name, p.column, p.changed, p.time_ns, s])
    return {
        "format": FORMAT,
        "name": fn.name,
        "qualified": str(fn.meta.get("qualified", fn.name)),
        "go": str(fn.meta.get("go", "")),
        "passes": passes,
        "states": states,
        "values": values,
        "sources": [[s.file, s.line, s.text] for s in fn.sources],
    }


def default_pass(fn: "SSAFunction") -> int:
    """The pass the explorer opens on: `lower` (where generic ops become machine ops), else the last."""
    return next((p.index for p in fn.passes if p.name == "lower"), len(fn.passes) - 1)


class SSAExplorer(Explorer):
    """Scrub through the compiler's passes of one function, compare any two, follow one value through all.

    The choices live in `state` (`pass`, `base`, `value`, `tab`): set them from Python (`select_pass`,
    `compare_with`, `select_value`) or by clicking; the fields below read them. Like the compiler's own
    ssa.html, a picked value is lit wherever it appears: in the CFG, both listings compared, every pass.
    """

    kind = "ssa"

    def __init__(self, fn: "SSAFunction", start: "Pass | int | str | None" = None) -> None:
        self.fn = fn
        first = default_pass(fn) if start is None else fn.pass_(start).index
        super().__init__(ssa_data(fn), {"pass": first, "base": PREVIOUS, "value": None, "tab": "CFG"})

    # ---- state
    @property
    def pass_index(self) -> int:
        return int(self.state["pass"])

    @property
    def current(self) -> "Pass":
        return self.fn.passes[self.pass_index]

    @property
    def base_index(self) -> int | None:
        """The pass the shown one is compared with: the chosen one, else the pass before (None for the first)."""
        b = int(self.state.get("base", PREVIOUS))
        if b != PREVIOUS:
            return b
        return self.pass_index - 1 if self.pass_index > 0 else None

    @property
    def base_pass(self) -> "Pass | None":
        b = self.base_index
        return None if b is None else self.fn.passes[b]

    @property
    def value_id(self) -> int | None:
        v = self.state.get("value")
        return None if v is None else int(v)

    @property
    def tab(self) -> str:
        return str(self.state.get("tab", "CFG"))

    def select_pass(self, name_or_index: str | int) -> None:
        """Show a pass (by name or index), as the slider does."""
        self._set(**{"pass": self.fn.pass_(name_or_index).index})

    def compare_with(self, name_or_index: str | int | None) -> None:
        """Compare the shown pass with this one (None: with the pass just before it, following the slider)."""
        self._set(base=PREVIOUS if name_or_index is None else self.fn.pass_(name_or_index).index)

    def select_value(self, vid: int | str | None) -> None:
        """Pick a value (v12 or 12): lit in the CFG, both listings and every pass; its source line lit."""
        if vid is None:
            self._set(value=None)
            return
        i = int(str(vid).lstrip("v"))
        self.current.value(i)  # raises a UsageError naming the pass if it is not there
        self._set(value=i)

    def show_tab(self, name: str) -> None:
        if name not in TABS:
            raise ValueError(f"no tab {name!r}; tabs: {', '.join(TABS)}")
        self._set(tab=name)

    def source_line(self) -> int | None:
        vid = self.value_id
        if vid is None:
            return None
        try:
            return self.current.value(vid).line
        except Exception:  # noqa: BLE001 - the value is not in the pass shown
            return None

    def summary(self) -> str:
        states, ran = len(self.fn.passes), len(self.fn.ran)
        return (f"SSA of {self.fn.meta.get('qualified', self.fn.name)}: {states} states ({ran} passes and "
                f"{states - ran} snapshots), shown after {self.current.name!r}")

    def __repr__(self) -> str:
        base = self.base_pass
        vs = "" if base is None else f", compared with {base.name!r}"
        return f"SSA explorer of {self.fn.name}: pass {self.pass_index} {self.current.name!r}{vs}"


@renders(SSAFunction, "explore")
def explore(fn: SSAFunction, p: "Pass | None" = None) -> SSAExplorer:
    """The SSA explorer (`SSAFunction.explore`): pass slider and picker, CFG, any two passes compared, a value lit
    in every pass."""
    return SSAExplorer(fn, p)
