"""The AST explorer: pick a node (its source span lights up, its fields and type show) or a source line (its
innermost node is picked, as astexplorer does); hide empty fields and positions. Python sends the tree once."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..._display import renders
from ...parsers.syntax import AST
from ._base import FORMAT, Explorer

if TYPE_CHECKING:
    from ...parsers.frontend import Pos, Types
    from ...parsers.syntax import Node

COMMENTS = frozenset({"Comment", "CommentGroup"})


def _pos(p: "Pos | None") -> list[int] | None:
    return None if p is None else [p.line, p.col, p.offset]


def _shown(v: Any) -> str:
    """A scalar field as the fields table shows it: strings quoted, booleans lower case."""
    return repr(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)


def ast_data(tree: "AST", types: "Types | None" = None, max_nodes: int = 2000) -> dict[str, Any]:
    """Everything the explorer draws, JSON-able: each file's lines (with the byte span of each line's code, for
    picking the innermost node of a line), every node, the node list (`AST.outline`), the go/types facts.

    A node: [file, kind, where, parent, pos, end, fields, positions, type, comment, label], positions as [line, col,
    offset]; fields: [[name, shown, empty]]; positions: [[name, shown or None]]; type: [[name, value]] or None."""
    files = []
    index = {}
    for i, f in enumerate(tree.files):
        index[f.name] = i
        raw = f.data.split(b"\n")
        spans: list[list[int] | None] = []
        start = 0
        for text in raw:
            if text.strip():
                spans.append([start + len(text) - len(text.lstrip()), start + len(text.rstrip()) - 1])
            else:
                spans.append(None)
            start += len(text) + 1
        lines = f.data.decode("utf-8", "replace").split("\n")
        files.append({"name": f.name, "lines": lines, "spans": spans})
    exprs: dict[tuple[str, int, int], dict[str, Any]] = {}
    if types is not None:
        names = types.files
        for x in types.raw.get("expressions", ()):
            p, e = x.get("pos"), x.get("end")
            if p and e and x["file"] < len(names):
                exprs.setdefault((names[x["file"]], p[0], e[0]), x)   # the first, as Types.at finds it
    nodes = []
    for n in tree.all_nodes:
        fields = [[k, _shown(v), v in ("", False)] for k, v in n.fields.items()]
        positions = [[k, None if p is None else f"{p}  ({tree.char_at(n, p)})"] for k, p in n.positions.items()]
        typ = None
        if n.pos is not None and n.end is not None:
            t = exprs.get((n.file, n.pos.offset, n.end.offset))
            if t is not None:
                typ = [["type", t["type"]], ["mode", t["mode"]]] + ([["value", t["value"]]] if t.get("value") else [])
        nodes.append([index[n.file], n.kind, n.where, n.parent_id, _pos(n.pos), _pos(n.end), fields, positions, typ,
                      n.kind in COMMENTS, n.label])
    return {"format": FORMAT, "go": tree.go, "files": files, "nodes": nodes,
            "outline": [[label, nid] for label, nid in tree.outline(max_nodes=max_nodes)],
            "total": len(tree.all_nodes), "types": types is not None}


class ASTExplorer(Explorer):
    """A node list on the left; on the right the file (click a line: its innermost node is picked), the picked
    node's span marked, and its fields (with its type, given go/types facts).

    The choices live in `state` (`node`, `line`, `hide_empty`, `hide_positions`); `select`, `select_line` and
    `set_hidden` change them as the controls do, and the view follows.
    """

    kind = "ast"

    def __init__(self, tree: "AST", types: "Types | None" = None, max_nodes: int = 2000,
                 start: "Node | None" = None, *, hide_empty: bool = True, hide_positions: bool = False) -> None:
        self.tree = tree
        self.types = types
        node = start or self._default()
        line = node.pos.line if node.pos else 1
        super().__init__(ast_data(tree, types, max_nodes),
                         {"node": node.id, "line": line, "hide_empty": hide_empty, "hide_positions": hide_positions})

    def _default(self) -> "Node":
        root = self.tree.root
        if root is None:
            raise ValueError("nothing to explore: the file did not parse")
        decls = [c for c in root.children if c.role == "Decls"]
        return decls[-1] if decls else root

    # ---- state
    @property
    def selected(self) -> "Node":
        return self.tree.node(int(self.state["node"]))

    @property
    def line(self) -> int:
        return int(self.state["line"])

    @property
    def hide_empty(self) -> bool:
        return bool(self.state.get("hide_empty"))

    @property
    def hide_positions(self) -> bool:
        return bool(self.state.get("hide_positions"))

    def select(self, node: "Node | int") -> "Node":
        """Select a node (or node id), as clicking it in the list does; returns it."""
        n = self.tree.node(node) if isinstance(node, int) else node
        self._set(node=n.id, **({"line": n.pos.line} if n.pos is not None else {}))
        return n

    def select_line(self, line: int, col: int | None = None) -> "Node | None":
        """Select the innermost node at a source line (and column), as clicking the source does.

        A blank line selects nothing and keeps the current node; returns the node selected, or None."""
        f = self.tree._file(self.selected)
        n = self.tree.node_at(line, col, file=f.name)
        self._set(line=line, **({"node": n.id} if n is not None else {}))
        return n

    def set_hidden(self, *, empty: bool | None = None, positions: bool | None = None) -> None:
        """Hide (True) or show fields go/ast left empty, and the span and token.Pos fields."""
        changes: dict[str, Any] = {}
        if empty is not None:
            changes["hide_empty"] = empty
        if positions is not None:
            changes["hide_positions"] = positions
        self._set(**changes)

    def fields_html(self) -> str:
        """The fields table of the selected node, as the explorer shows it."""
        return self.tree.fields_html(self.selected, self.types, hide_empty=self.hide_empty,
                                     hide_positions=self.hide_positions)

    def summary(self) -> str:
        return f"AST of {', '.join(f.name for f in self.tree.files)}: {len(self.tree.all_nodes):,} nodes"

    def __repr__(self) -> str:
        n = self.selected
        return f"AST explorer of {', '.join(f.name for f in self.tree.files)}: {n.label} at {n.pos} selected"


@renders(AST, "explore")
def explore(tree: AST, types: "Types | None" = None, *, max_nodes: int = 2000) -> ASTExplorer:
    """The AST explorer (`AST.explore`): pick a node, its source span lights up; pick a line, its innermost node."""
    return ASTExplorer(tree, types, max_nodes=max_nodes)
