"""The journey explorer: pick a source line and see it at every stage, one column each, left to right —
tokens, syntax nodes, types, SSA values (at a pass you choose), instructions (hover one: the SSA value it
came from), relocations and the symbols they resolve to, machine code at its final address — with CPU
profile samples painted on lines and instructions. Every pane is plain HTML from `journey_html`, which is
also the static view of an exported page."""
from __future__ import annotations

import html
from typing import Any

from ..._display import renders
from ...parsers.journey import Journey
from ..asm import Samples, heat
from ..journey import JOURNEY_CSS, MAX_CLICKABLE_LINES, columns_html, journey_html, pass_for, source_html
from . import Explorer

class JourneyExplorer(Explorer):
    """Pick a line (click it in the source, or choose it); choose an SSA pass; read each stage left to right.

    The state is plain widgets (`line`, `pass_`) and the view is `columns_html`, so it is testable without
    a browser and exported statically (`_repr_html_`). Another line costs a `gokit.follow` of it, which
    reuses the program's compiles and link (and gokit's cache on a repeat).
    """

    def __init__(self, journey: "Journey", *, profile: "Samples | None" = None,
                 pass_: str | int | None = None) -> None:
        import ipywidgets as w

        self.journey = journey
        self.profile = profile
        self._journeys: dict[int, "Journey"] = {journey.line: journey}
        lines = journey.lines
        options = [(f"{n}: {t.strip()[:70]}", n) for n, t in enumerate(lines, 1) if t.strip()]
        if journey.line not in {v for _, v in options}:
            options.insert(0, (f"{journey.line}: {lines[journey.line - 1].strip()[:70]}", journey.line))
        self.line = w.Dropdown(options=options, value=journey.line, description="line",
                               layout=w.Layout(width="48%"))
        self.pass_ = w.Dropdown(options=self._pass_options(journey), description="SSA pass",
                                layout=w.Layout(width="48%"))
        start = pass_for(journey, next(iter(journey.passes), ""), pass_) if journey.passes else ""
        if start and start in {v for _, v in self.pass_.options}:
            self.pass_.value = start
        self.columns = w.HTML(layout=w.Layout(width="100%"))
        self.status = w.HTML()
        self.buttons: list[Any] = []
        src_box: Any
        if len(lines) <= MAX_CLICKABLE_LINES:
            shares = profile.line_shares(journey.file) if profile is not None else {}
            most = max(shares.values(), default=0.0)
            for n, text in enumerate(lines, 1):
                share = shares.get(n, 0.0)
                label = (f"{share:4.0%} " if profile is not None and share >= 0.005 else
                         ("     " if profile is not None else "")) + f"{n:3d}  {text.expandtabs(4)}"
                b = w.Button(description=label, tooltip=f"follow line {n}",
                             layout=w.Layout(width="100%", height="19px"))
                b.add_class("gokit-jline")
                if share:
                    b.style.button_color = heat(share, most)
                else:
                    b.style.button_color = "white"
                b.on_click(lambda _b, n=n: self.pick(n))
                self.buttons.append(b)
            src_box = w.VBox(self.buttons, layout=w.Layout(max_height="420px", overflow="auto",
                                                           border="1px solid #ddd", flex="0 0 28%", min_width="0"))
        else:
            src_box = w.HTML(source_html(journey, profile, context=12), layout=w.Layout(flex="0 0 28%",
                                                                                          min_width="0"))
        self._src_box = src_box
        self.line.observe(self._on_line, names="value")
        self.pass_.observe(lambda _c: self._render(), names="value")
        style = w.HTML(JOURNEY_CSS)
        self.widget = w.VBox([style, w.HBox([self.line, self.pass_]), self.status,
                              w.HBox([src_box, w.VBox([self.columns], layout=w.Layout(flex="1 1 0", min_width="0"))],
                                     layout=w.Layout(width="100%", align_items="flex-start", grid_gap="8px"))])
        self.widget.add_class("gokit-journey")
        self._mark_picked()
        self._render()

    # ---- state
    def _pass_options(self, j: "Journey") -> list[tuple[str, str]]:
        if not j.passes:
            return [("(no SSA for this line)", "")]
        act = j.pass_activity()
        first = next(iter(j.passes))
        counts = {r["pass"]: int(r["events"]) for r in act[act["function"] == first].to_dict("records")}
        names = list(j.passes[first])
        return [(f"{i}: {n}" + (f" · {counts[n]} change{'s' if counts[n] != 1 else ''}" if counts.get(n) else ""),
                 n) for i, n in enumerate(names)]

    def journey_for(self, line: int) -> "Journey":
        """The journey of another line of the same program (cached)."""
        if line not in self._journeys:
            j = self.journey
            if j.again is None:
                raise RuntimeError("this journey cannot follow another line (it came without its program)")
            self._journeys[line] = j.again(line)
        return self._journeys[line]

    def pick(self, line: int) -> "Journey":
        """Follow another line, as clicking it does; returns its journey."""
        self.line.value = line
        return self.journey

    def _on_line(self, change: dict[str, Any]) -> None:
        try:
            self.status.value = "<span style='font-family:sans-serif;color:#777'>following…</span>"
            self.journey = self.journey_for(int(change["new"]))
            keep = self.pass_.value
            opts = self._pass_options(self.journey)
            self.pass_.options = opts
            values = [v for _, v in opts]
            self.pass_.value = keep if keep in values else values[-1]
            self.status.value = ""
        except Exception as e:  # noqa: BLE001 - show the advice, keep the widget alive
            self.status.value = f"<pre>{html.escape(str(e))}</pre>"
        self._mark_picked()
        self._render()

    def _mark_picked(self) -> None:
        for n, b in enumerate(self.buttons, 1):
            if n == self.journey.line:
                b.add_class("picked")
            else:
                b.remove_class("picked")

    def html(self) -> str:
        """What the stage columns show now, as HTML."""
        return JOURNEY_CSS + "<div class='gokit-journey'>" + columns_html(self.journey, self.pass_.value or None,
                                                                   self.profile) + "</div>"

    def _render(self) -> None:
        try:
            self.columns.value = self.html()
        except Exception as e:  # noqa: BLE001
            self.status.value = f"<pre>{html.escape(str(e))}</pre>"

    # ---- display
    def _repr_html_(self) -> str:
        return journey_html(self.journey, self.pass_.value or None, self.profile)

    def live(self) -> Any:
        return self.widget

    def __repr__(self) -> str:
        return f"<JourneyExplorer {self.journey.file}:{self.journey.line}, pass {self.pass_.value!r}>"


@renders(Journey, "explore")
def explore(j: Journey, profile: "Samples | None" = None, pass_: str | int | None = None) -> Any:
    """The journey explorer (another line comes from the journey's `again`)."""
    return JourneyExplorer(j, profile=profile, pass_=pass_)
