"""SSA explorer: a pass slider, the CFG of the chosen pass, any two passes side by side, one value in every pass."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..._display import renders
from ...parsers.ssa import diff, SSAFunction
from ..render import fit_width, to_svg
from ..ssa import cfg, compare_html, every_pass_html, function_html, pass_listing_html, sources_html
from . import Explorer

if TYPE_CHECKING:
    from ...parsers.ssa import Diff, Pass

#: The "compare with" choice that follows the slider: the pass just before the one shown.
PREVIOUS = -1
NO_VALUE = -1


class SSAExplorer(Explorer):
    """Scrub through the compiler's passes of one function, compare any two, follow one value through all.

    The state lives in plain fields (`pass_index`, `base_index`, `value_id`) and every pane is plain
    HTML/SVG computed from the SSAFunction, so it can be tested without a browser and exported
    statically. Like the compiler's own ssa.html, a picked value is highlighted wherever it appears:
    in the CFG, in both listings compared, and in every pass of the "every pass" tab.
    """

    def __init__(self, fn: "SSAFunction", start: "Pass | None" = None) -> None:
        import ipywidgets as w

        self.fn = fn
        self._svg_cache: dict[tuple[int, int | None, int], str] = {}
        self._diffs: dict[tuple[int, int], "Diff"] = {}
        self._every: dict[tuple[int | None, int], str] = {}
        names = [(f"{p.index}: {p.name}" + ("" if p.changed else " (no change)"), p.index) for p in fn.passes]
        first = start.index if start is not None else next(
            (p.index for p in fn.passes if p.name == "lower"), len(fn.passes) - 1)
        self.slider = w.IntSlider(value=first, min=0, max=len(fn.passes) - 1, description="pass",
                                  continuous_update=False, layout=w.Layout(width="60%"))
        self.dropdown = w.Dropdown(options=names, value=first, layout=w.Layout(width="35%"))
        self.base = w.Dropdown(options=[("the pass before it", PREVIOUS)] + names, value=PREVIOUS,
                               description="compare with", style={"description_width": "initial"},
                               layout=w.Layout(width="60%"))
        self.values = w.Dropdown(options=[("(pick a value: see it in every pass and find its source line)",
                                           NO_VALUE)], value=NO_VALUE, description="value",
                                 layout=w.Layout(width="95%"))
        self.cfg_pane = w.HTML(layout=w.Layout(overflow="auto", max_height="600px", border="1px solid #ddd"))
        self.listing_pane = w.HTML(layout=w.Layout(overflow="auto", max_height="600px"))
        self.compare_pane = w.HTML(layout=w.Layout(overflow="auto", max_height="600px"))
        self.every_pane = w.HTML(layout=w.Layout(overflow="auto", max_height="600px"))
        self.diff_pane = w.HTML(layout=w.Layout(overflow="auto", max_height="360px", width="100%"))
        self.source_pane = w.HTML(layout=w.Layout(overflow="auto", max_height="320px"))
        self.diff_title = w.HTML()
        self.title = w.HTML()
        self.slider.observe(self._on_pass, names="value")
        self.dropdown.observe(self._on_pass, names="value")
        self.base.observe(self._on_base, names="value")
        self.values.observe(self._on_value, names="value")
        self.tabs = w.Tab(children=[self.cfg_pane, self.listing_pane, self.compare_pane, self.every_pane])
        for i, t in enumerate(("CFG", "listing", "side by side", "every pass")):
            self.tabs.set_title(i, t)
        self.widget = w.VBox([
            self.title, w.HBox([self.slider, self.dropdown]), self.base, self.values,
            w.HBox([w.VBox([self.tabs], layout=w.Layout(width="64%")),
                    w.VBox([w.HTML("<b>source</b>"), self.source_pane], layout=w.Layout(width="36%"))]),
            self.diff_title, self.diff_pane,
        ])
        self._updating = False
        self.select_pass(first)

    # ---- state
    @property
    def pass_index(self) -> int:
        return int(self.slider.value)

    @property
    def current(self) -> "Pass":
        return self.fn.passes[self.pass_index]

    @property
    def base_index(self) -> int | None:
        """The pass the shown one is compared with: the chosen one, else the pass before (None for the first)."""
        b = int(self.base.value)
        if b != PREVIOUS:
            return b
        return self.pass_index - 1 if self.pass_index > 0 else None

    @property
    def base_pass(self) -> "Pass | None":
        b = self.base_index
        return None if b is None else self.fn.passes[b]

    @property
    def value_id(self) -> int | None:
        v = int(self.values.value)
        return None if v < 0 else v

    def select_pass(self, name_or_index: str | int) -> None:
        """Show a pass (by name or index), as the slider does."""
        p = self.fn.pass_(name_or_index)
        self._updating = True
        try:
            self.slider.value = p.index
            self.dropdown.value = p.index
        finally:
            self._updating = False
        self._refresh_values()
        self._render()

    def compare_with(self, name_or_index: str | int | None) -> None:
        """Compare the shown pass with this one (None: with the pass just before it, following the slider)."""
        self.base.value = PREVIOUS if name_or_index is None else self.fn.pass_(name_or_index).index

    def select_value(self, vid: int | str | None) -> None:
        """Pick a value (v12 or 12): highlighted in the CFG, both listings and every pass; its source line lit."""
        if vid is None:
            self.values.value = NO_VALUE
            return
        i = int(str(vid).lstrip("v"))
        self.current.value(i)  # raises a UsageError naming the pass if it is not there
        self.values.value = i

    # ---- events
    def _on_pass(self, change: dict[str, Any]) -> None:
        if not self._updating:
            self.select_pass(int(change["new"]))

    def _on_base(self, change: dict[str, Any]) -> None:
        if not self._updating:
            self._render()

    def _on_value(self, change: dict[str, Any]) -> None:
        if not self._updating:
            self._render()

    def _refresh_values(self) -> None:
        keep = self.value_id
        opts = [("(pick a value: see it in every pass and find its source line)", NO_VALUE)]
        ids = set()
        for v in self.current.values:
            line = "?" if v.line is None else v.line
            opts.append((f"{v.long()}   [line {line}]" + ("  DEAD" if v.dead else ""), v.id))
            ids.add(v.id)
        self._updating = True
        try:
            self.values.options = opts
            self.values.value = keep if keep in ids else NO_VALUE
        finally:
            self._updating = False

    # ---- panes
    def _diff(self) -> "Diff | None":
        """The diff from the compared pass to the shown one (computed once per pair)."""
        b = self.base_index
        if b is None:
            return None
        key = (b, self.pass_index)
        if key not in self._diffs:
            self._diffs[key] = diff(self.fn.passes[b], self.current)
        return self._diffs[key]

    def _changed(self) -> set[int]:
        d = self._diff()
        return set() if d is None else {int(i[1:]) for i in d.changed_values + d.added_values}

    def svg(self) -> str:
        p = self.current
        key = (p.column, self.value_id, -1 if self.base_index is None else self.base_index)
        if key not in self._svg_cache:
            svg = to_svg(cfg(self.fn, p, highlight=self.value_id, changed=self._changed()))
            # fit the pane's width (dot sizes the SVG in points; the viewBox keeps it scalable)
            self._svg_cache[key] = fit_width(svg)
        return self._svg_cache[key]

    def diff_html(self) -> str:
        d = self._diff()
        return "<i>the first pass: nothing before it</i>" if d is None else d._repr_html_()

    def source_line(self) -> int | None:
        vid = self.value_id
        if vid is None:
            return None
        return self.current.value(vid).line

    def _render(self) -> None:
        p = self.current
        vid = self.value_id
        state = "changed the function" if p.changed else "changed nothing (same as the pass before)"
        self.title.value = (f"<b>{html.escape(self.fn.meta.get('qualified', self.fn.name))}</b> after pass "
                            f"<b>{html.escape(p.name)}</b> (pass {p.index} of 0–{len(self.fn.passes) - 1}): "
                            f"{len(p.blocks)} blocks, {len(p.values)} values ({len(p.live_values)} live); "
                            f"this pass {state}.")
        try:
            self.cfg_pane.value = self.svg()
        except Exception as e:  # a missing renderer must not break the other panes
            self.cfg_pane.value = f"<pre>{html.escape(str(e))}</pre>"
        changed = self._changed()
        self.listing_pane.value = pass_listing_html(p, highlight=vid, changed=changed)
        base = self.base_pass
        self.compare_pane.value = ("<i>the first pass: nothing before it to compare with</i>" if base is None
                                   else compare_html(base, p, highlight=vid, d=self._diff()))
        every = (vid, p.column)  # the every-pass view depends on the value and the column shown, not on the base
        if every not in self._every:
            self._every[every] = every_pass_html(self.fn, vid, current=p.index)
        self.every_pane.value = self._every[every]
        self.diff_title.value = ("<b>diff</b>" if base is None else
                                 f"<b>diff: {html.escape(base.name)} → {html.escape(p.name)}</b> "
                                 "<span style='color:#666'>(what changed between the two passes compared)</span>")
        self.diff_pane.value = self.diff_html()
        line = self.source_line()
        note = ""
        if vid is not None:
            note = (f"<div>v{vid} comes from line {line}</div>" if line is not None
                    else f"<div>v{vid} has no source position (?)</div>")
        self.source_pane.value = note + sources_html(self.fn, line)

    # ---- display
    def _repr_html_(self) -> str:
        return function_html(self.fn)

    def live(self) -> Any:
        return self.widget

    def __repr__(self) -> str:
        base = self.base_pass
        vs = "" if base is None else f", compared with {base.name!r}"
        return f"SSA explorer of {self.fn.name}: pass {self.pass_index} {self.current.name!r}{vs}"


@renders(SSAFunction, "explore")
def explore(fn: SSAFunction, p: "Pass | None" = None) -> Any:
    """The SSA explorer: pass slider, CFG, diff with the previous pass, source highlighting."""
    return SSAExplorer(fn, p)
