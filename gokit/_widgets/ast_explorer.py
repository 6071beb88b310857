"""The AST explorer: choose a node, see its source span highlighted and its fields (and type)."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._frontend import AST, Node, Types


class ASTExplorer:
    """A node list on the left; the file with the node's span marked, and a fields table, on the right.

    Everything it shows comes from `AST.outline`, `AST.highlight_html` and `AST.fields_html`, which
    are plain functions; the widget only wires them to a selector. `_repr_html_` renders a static
    snapshot (the first declaration selected) for exported notebooks.
    """

    def __init__(self, tree: "AST", types: "Types | None" = None, max_nodes: int = 2000,
                 start: "Node | None" = None) -> None:
        self.tree = tree
        self.types = types
        self.options = tree.outline(max_nodes=max_nodes)
        self.selected = start or self._default()
        self._widget: Any = None

    def _default(self) -> "Node":
        root = self.tree.root
        if root is None:
            raise ValueError("nothing to explore: the file did not parse")
        decls = [c for c in root.children if c.role == "Decls"]
        return decls[-1] if decls else root

    def select(self, node: "Node | int") -> "Node":
        """Select a node (or node id), as clicking it in the list does; returns it."""
        n = self.tree.node(node) if isinstance(node, int) else node
        self.selected = n
        if self._widget is not None:
            self._sel.value = n.id
            self._refresh()
        return n

    #: Lines of source shown above and below the selected node (the whole file for small files).
    CONTEXT_LINES = 12

    def source_html(self) -> str:
        n = self.selected
        f = self.tree._file(n)
        total = f.data.count(b"\n") + 1
        ctx = None if total <= 2 * self.CONTEXT_LINES + 10 else self.CONTEXT_LINES
        head = ""
        if ctx is not None and n.pos is not None and n.end is not None:
            first, last = max(1, n.pos.line - ctx), min(total, n.end.line + ctx)
            head = (f"<div style='color:#666;font-size:11px'>{html.escape(f.name)}, lines {first}–{last} "
                    f"of {total}</div>")
        return ("<div style='max-height:420px;overflow:auto;border:1px solid #ddd;padding:4px' "
                "class='gokit-source-box'>" + head + self.tree.highlight_html(n, context_lines=ctx) + "</div>")

    def fields_html(self) -> str:
        return self.tree.fields_html(self.selected, self.types)

    def _refresh(self) -> None:
        self._src.value = self.source_html()
        self._fields.value = self.fields_html()

    def widget(self) -> Any:
        """The ipywidgets view (built once)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        self._sel = w.Select(options=[(label, nid) for label, nid in self.options], value=self.selected.id,
                             rows=24, layout=w.Layout(width="42%"))
        self._src = w.HTML(self.source_html(), layout=w.Layout(width="100%"))
        self._fields = w.HTML(self.fields_html())

        def changed(change: dict[str, Any]) -> None:
            if change.get("name") == "value" and change.get("new") is not None:
                self.selected = self.tree.node(change["new"])
                self._refresh()

        self._sel.observe(changed, names="value")
        right = w.VBox([self._src, self._fields], layout=w.Layout(width="58%"))
        self._widget = w.HBox([self._sel, right])
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The live widget for Jupyter, plus a static HTML snapshot and text for exports."""
        bundle: dict[str, Any] = {}
        try:
            wb = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
            if isinstance(wb, tuple):
                wb = wb[0]
            bundle.update(wb or {})
        except Exception:  # no ipywidgets, or no kernel comm (plain Python): the snapshot still renders
            pass
        bundle["text/html"] = self._repr_html_()
        bundle["text/plain"] = repr(self)
        return bundle

    def _repr_html_(self) -> str:
        items = "\n".join(html.escape(label) for label, _ in self.options[:40])
        return (f"<div class='gokit-ast-explorer' style='display:flex;gap:8px'>"
                f"<pre style='width:40%;font-size:11px;max-height:420px;overflow:auto'>{items}</pre>"
                f"<div style='width:60%'>{self.source_html()}{self.fields_html()}</div></div>")

    def __repr__(self) -> str:
        return f"<ASTExplorer {self.tree!r}, selected {self.selected!r}>"
