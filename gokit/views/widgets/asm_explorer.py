"""Source ⇄ assembly explorer: colour bands tie each source line to its instructions (as Compiler Explorer
does), a function picker, relocations marked on the instruction that holds them, a GOARCH switch, and the
same function under two Go versions side by side. Every pane is plain HTML from `bands_html`, which is
also the static view of an exported page."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..._display import renders
from ...parsers.asm import Assembly
from ..asm import ARCHES, Samples, bands_html
from . import Explorer

if TYPE_CHECKING:
    from ...source.toolchain import Toolchain

class AsmExplorer(Explorer):
    """Pick a function, an architecture, a source line; see its instructions (and another Go's) in colour.

    The state lives in plain widgets (`function`, `goarch`, `line`, `pseudo`) and the view is
    `bands_html`, so it can be tested without a browser and exported statically.
    """

    def __init__(self, asm: "Assembly", function: str | None = None, *, compare: "Toolchain | None" = None,
                 profile: "Samples | None" = None) -> None:
        import ipywidgets as w

        self.base = asm
        self.compare = compare
        self.profile = profile
        self._cache: dict[tuple[str, str], "Assembly"] = {}
        own = [s.name for s in asm.own_functions()]
        others = [s.name for s in asm.functions if s.name not in own]
        start = asm.function(function).name if function else asm.default_function()
        arches = list(dict.fromkeys([asm.goarch, *ARCHES]))
        self.function = w.Dropdown(options=own + others, value=start, description="function",
                                   layout=w.Layout(width="45%"))
        self.goarch = w.Dropdown(options=arches, value=asm.goarch, description="GOARCH", layout=w.Layout(width="22%"))
        self.pseudo = w.Checkbox(value=False, description="FUNCDATA/PCDATA", indent=False,
                                 layout=w.Layout(width="20%"))
        self.line = w.Dropdown(options=[("(pick a source line)", 0)], value=0, description="line",
                               layout=w.Layout(width="95%"))
        self.pane = w.HTML(layout=w.Layout(width="100%"))
        self.status = w.HTML()
        for c in (self.function, self.goarch, self.pseudo, self.line):
            c.observe(self._changed, names="value")
        self.widget = w.VBox([w.HBox([self.function, self.goarch, self.pseudo]), self.line, self.status, self.pane])
        self._updating = False
        self._refresh_lines()
        self._render()

    def _toolchains(self) -> list["Toolchain | None"]:
        """The Go that built the listing (not the default Go: a GOARCH switch recompiles with the same one)."""
        return [self.base.toolchain] if self.compare is None else [self.base.toolchain, self.compare]

    def assemblies(self) -> list["Assembly"]:
        """The listings shown now: this Go (and the compared one) for the chosen GOARCH."""
        out = []
        for tc in self._toolchains():
            key = ("" if tc is None else str(tc.go), self.goarch.value)
            if key not in self._cache:
                if tc is self.base.toolchain and self.goarch.value == self.base.goarch:
                    self._cache[key] = self.base
                else:
                    if self.base.again is None:
                        raise RuntimeError("this listing cannot be compiled again (it came without its compile)")
                    self._cache[key] = self.base.again(goarch=self.goarch.value, toolchain=tc)
            out.append(self._cache[key])
        return out

    def _refresh_lines(self) -> None:
        a = self.assemblies()[0]
        file, lines = a.source_lines()
        try:
            fn = a.function(self.function.value)
            used = sorted({ln for f, ln in fn.lines if f == file})
        except Exception:  # noqa: BLE001
            used = []
        opts = [("(pick a source line)", 0)] + [
            (f"{n}: {lines[n - 1].strip()[:70]}", n) for n in used if 0 < n <= len(lines)]
        keep = self.line.value if self.line.value in {v for _, v in opts} else 0
        self._updating = True
        try:
            self.line.options = opts
            self.line.value = keep
        finally:
            self._updating = False

    def _changed(self, change: dict[str, Any]) -> None:
        if self._updating:
            return
        if change["owner"] in (self.function, self.goarch):
            self._refresh_lines()
        self._render()

    def html(self) -> str:
        """What the explorer shows now, as HTML."""
        return bands_html(self.assemblies(), self.function.value, pseudo=bool(self.pseudo.value),
                          picked=int(self.line.value) or None, profile=self.profile)

    def _render(self) -> None:
        try:
            self.pane.value = self.html()
            n = int(self.line.value)
            if n:
                counts = []
                for a in self.assemblies():
                    try:
                        fn = a.function(self.function.value)
                        file = a.source_lines()[0]
                        k = sum(1 for i in fn.machine_instructions if i.line == n and i.file == file)
                        counts.append(f"go{a.go} {a.goarch}: {k} instruction{'s' if k != 1 else ''}")
                    except Exception:  # noqa: BLE001
                        counts.append(f"go{a.go} {a.goarch}: not built")
                self.status.value = f"<span style='font-family:sans-serif'>line {n} → {'; '.join(counts)}</span>"
            else:
                self.status.value = ""
        except Exception as e:  # noqa: BLE001 - show the advice, keep the widget alive
            self.status.value = f"<pre>{html.escape(str(e))}</pre>"

    # ---- display
    def _repr_html_(self) -> str:
        return self.html()

    def live(self) -> Any:
        return self.widget

    def __repr__(self) -> str:
        versions = " vs ".join(f"go{a.go}" for a in self.assemblies())
        return f"<AsmExplorer {self.function.value} {self.goarch.value} {versions}>"


@renders(Assembly, "explore")
def explore(a: Assembly, function: str | None = None, *, compare: "Toolchain | None" = None,
            profile: "Samples | None" = None) -> Any:
    """The source ⇄ assembly explorer (it recompiles for another GOARCH or Go with the listing's `again`)."""
    return AsmExplorer(a, function, compare=compare, profile=profile)
