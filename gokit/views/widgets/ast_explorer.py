"""The AST explorer: choose a node or a source line, see the node's span highlighted and its fields (and type)."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..._display import renders
from ...parsers.syntax import AST
from . import Explorer

if TYPE_CHECKING:
    from ...parsers.frontend import Types
    from ...parsers.syntax import Node

#: Source lines listed in the clickable line list (a bigger file lists the lines around the selection).
MAX_LINES = 3000


class ASTExplorer(Explorer):
    """A node list on the left; on the right the file's lines (click one: the innermost node there is
    selected, as astexplorer does), the selected node's span marked in the source, and its fields.

    Everything it shows comes from `AST.outline`, `AST.node_at`, `AST.highlight_html` and
    `AST.fields_html`, which are plain functions; the widget only wires them to selectors. The state
    is in plain fields (`selected`, `line`, `hide_empty`, `hide_positions`), so it is tested without a
    browser; `_repr_html_` renders a static snapshot for exported notebooks.
    """

    def __init__(self, tree: "AST", types: "Types | None" = None, max_nodes: int = 2000,
                 start: "Node | None" = None, *, hide_empty: bool = True, hide_positions: bool = False) -> None:
        self.tree = tree
        self.types = types
        self.options = tree.outline(max_nodes=max_nodes)
        self.hide_empty = hide_empty
        self.hide_positions = hide_positions
        self.selected = start or self._default()
        self.line = self.selected.pos.line if self.selected.pos else 1
        self._widget: Any = None
        self._busy = False

    def _default(self) -> "Node":
        root = self.tree.root
        if root is None:
            raise ValueError("nothing to explore: the file did not parse")
        decls = [c for c in root.children if c.role == "Decls"]
        return decls[-1] if decls else root

    # ---- state changes (what the controls call)
    def select(self, node: "Node | int") -> "Node":
        """Select a node (or node id), as clicking it in the list does; returns it."""
        n = self.tree.node(node) if isinstance(node, int) else node
        self.selected = n
        if n.pos is not None:
            self.line = n.pos.line
        self._sync()
        return n

    def select_line(self, line: int, col: int | None = None) -> "Node | None":
        """Select the innermost node at a source line (and column), as clicking the source does.

        A blank line selects nothing and keeps the current node; returns the node selected, or None.
        """
        f = self.tree._file(self.selected)
        n = self.tree.node_at(line, col, file=f.name)
        self.line = line
        if n is not None:
            self.selected = n
        self._sync()
        return n

    def set_hidden(self, *, empty: bool | None = None, positions: bool | None = None) -> None:
        """Hide (True) or show fields go/ast left empty, and the span and token.Pos fields."""
        if empty is not None:
            self.hide_empty = empty
        if positions is not None:
            self.hide_positions = positions
        self._sync()

    # ---- panes (plain HTML)
    #: Lines of source shown above and below the selected node (the line list shows the whole file).
    CONTEXT_LINES = 2

    def source_html(self) -> str:
        n = self.selected
        f = self.tree._file(n)
        total = f.data.count(b"\n") + 1
        ctx = self.CONTEXT_LINES
        head = ""
        if n.pos is not None and n.end is not None:
            first, last = max(1, n.pos.line - ctx), min(total, n.end.line + ctx)
            head = (f"<div style='color:#666;font-size:11px'>{html.escape(f.name)}, lines {first}–{last} "
                    f"of {total}: the selected node marked</div>")
        return ("<div style='max-height:360px;overflow:auto;border:1px solid #ddd;padding:4px' "
                "class='gokit-source-box'>" + head + self.tree.highlight_html(n, context_lines=ctx) + "</div>")

    def fields_html(self) -> str:
        return self.tree.fields_html(self.selected, self.types, hide_empty=self.hide_empty,
                                     hide_positions=self.hide_positions)

    def line_options(self) -> list[tuple[str, int]]:
        """(label, line number) for the clickable line list: `  12 │ return -n`, tabs as 4 spaces."""
        f = self.tree._file(self.selected)
        lines = f.data.decode("utf-8", "replace").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        first = 1
        if len(lines) > MAX_LINES:
            first = max(1, min(self.line - MAX_LINES // 2, len(lines) - MAX_LINES + 1))
            lines = lines[first - 1:first - 1 + MAX_LINES]
        width = len(str(first + len(lines)))
        return [(f"{i:>{width}} │ {text.expandtabs(4)}", i) for i, text in enumerate(lines, first)]

    # ---- the widget
    def _sync(self) -> None:
        if self._widget is None:
            return
        self._busy = True
        try:
            self._sel.value = self.selected.id
            opts = self.line_options()
            if [o[1] for o in opts] != [o[1] for o in self._lines.options]:
                self._lines.options = opts
            if self.line in {o[1] for o in opts}:
                self._lines.value = self.line
            self._hide_empty.value = self.hide_empty
            self._hide_pos.value = self.hide_positions
        finally:
            self._busy = False
        self._src.value = self.source_html()
        self._fields.value = self.fields_html()

    def widget(self) -> Any:
        """The ipywidgets view (built once)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        self._sel = w.Select(options=[(label, nid) for label, nid in self.options], value=self.selected.id,
                             rows=26, layout=w.Layout(width="40%"))
        opts = self.line_options()
        self._lines = w.Select(options=opts, value=self.line if self.line in {o[1] for o in opts} else None,
                               rows=10, layout=w.Layout(width="100%"))
        self._lines.add_class("gokit-ast-lines")
        self._src = w.HTML(self.source_html(), layout=w.Layout(width="100%"))
        self._fields = w.HTML(self.fields_html())
        self._hide_empty = w.Checkbox(value=self.hide_empty, description="hide empty fields", indent=False,
                                      layout=w.Layout(width="auto"))
        self._hide_pos = w.Checkbox(value=self.hide_positions, description="hide positions", indent=False,
                                    layout=w.Layout(width="auto"))

        def node_chosen(change: dict[str, Any]) -> None:
            if not self._busy and change.get("new") is not None:
                self.select(int(change["new"]))

        def line_chosen(change: dict[str, Any]) -> None:
            if not self._busy and change.get("new") is not None:
                self.select_line(int(change["new"]))

        def hidden(change: dict[str, Any]) -> None:
            if not self._busy:
                self.set_hidden(empty=bool(self._hide_empty.value), positions=bool(self._hide_pos.value))

        self._sel.observe(node_chosen, names="value")
        self._lines.observe(line_chosen, names="value")
        self._hide_empty.observe(hidden, names="value")
        self._hide_pos.observe(hidden, names="value")
        style = w.HTML("<style>.gokit-ast-lines select{font-family:var(--jp-code-font-family,monospace);"
                       "font-size:12px}</style>")
        right = w.VBox([w.HTML("<b>source</b> <span style='color:#666'>— click a line: the innermost node "
                               "there is selected</span>"), self._lines, self._src,
                        w.HBox([self._hide_empty, self._hide_pos]), self._fields],
                       layout=w.Layout(width="60%"))
        self._widget = w.VBox([style, w.HBox([self._sel, right])])
        return self._widget

    def live(self) -> Any:
        return self.widget()

    def _repr_html_(self) -> str:
        items = "\n".join(html.escape(label) for label, _ in self.options[:40])
        return (f"<div class='gokit-ast-explorer' style='display:flex;gap:8px'>"
                f"<pre style='width:40%;font-size:11px;max-height:420px;overflow:auto'>{items}</pre>"
                f"<div style='width:60%'>{self.source_html()}{self.fields_html()}</div></div>")

    def __repr__(self) -> str:
        n = self.selected
        return f"AST explorer of {', '.join(f.name for f in self.tree.files)}: {n.label} at {n.pos} selected"


@renders(AST, "explore")
def explore(tree: AST, types: "Types | None" = None, *, max_nodes: int = 2000) -> Any:
    """The AST explorer: pick a node on the left; its source span lights up, its fields (and type) show."""
    return ASTExplorer(tree, types, max_nodes=max_nodes)
