"""Views of Go's front end: the syntax tree as a diagram, a node's span and fields, the tree and type errors as HTML,
the AST explorer, and the tree as JSON."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .._display import NOT_MEASURED, renders
from ..parsers.frontend import GoError, Types
from ..parsers.syntax import AST, COMMENT_KINDS, Node

if TYPE_CHECKING:
    import graphviz


@renders(AST, "graphviz")
def to_graphviz(tree: AST, start: Node, *, max_depth: int | None = None, max_nodes: int = 150, comments: bool = False,
                legend: bool = True, width: float = 8.0) -> "graphviz.Digraph":
    """The tree as a diagram: each box shows the go/ast kind and its key field, edges the field name.

    root: a Node, node id, or top-level declaration name ("main") to focus on one part of a big
    file; max_depth cuts the tree below that depth; max_nodes keeps big trees legible (the rest is
    summarised as "+N more" boxes). legend: a key to the box colours on top; width: inches the
    drawing is scaled down to fit (a notebook's output area holds about 8.5 in of SVG).
    """
    import graphviz

    g = graphviz.Digraph("ast", graph_attr={"rankdir": "TB", "nodesep": "0.15", "ranksep": "0.35",
                                            "size": f"{width:g},100"},
                         node_attr={"shape": "box", "style": "rounded,filled", "fontname": "Helvetica",
                                    "fontsize": "10", "height": "0.3"},
                         edge_attr={"fontname": "Helvetica", "fontsize": "8", "color": "#888888"})
    shown = 0
    used: set[str] = set()
    queue: list[tuple[Node, int]] = [(start, 0)]
    while queue:
        n, d = queue.pop(0)
        shown += 1
        used.add(_color(n.kind))
        key = n.key.replace("\\", "\\\\")
        if len(key) > 24:
            key = key[:21] + "..."
        label = n.kind + (f"\n{key}" if key else "")
        g.node(f"n{n.id}", label, fillcolor=_color(n.kind), tooltip=f"{n.kind} {n.pos}-{n.end}")
        kids = [c for c in n.children if comments or c.kind not in COMMENT_KINDS]
        if not kids:
            continue
        if max_depth is not None and d >= max_depth:
            below = sum(1 for c in kids for _ in c.walk())
            g.node(f"more{n.id}", f"+{below} below", shape="plaintext", style="", fontcolor="#888888")
            g.edge(f"n{n.id}", f"more{n.id}", style="dashed")
            continue
        for c in kids:
            if shown + len(queue) >= max_nodes:
                rest = kids[kids.index(c):]
                below = sum(1 for r in rest for _ in r.walk())
                g.node(f"more{n.id}", f"+{below} more", shape="plaintext", style="", fontcolor="#888888")
                g.edge(f"n{n.id}", f"more{n.id}", style="dashed")
                break
            g.edge(f"n{n.id}", f"n{c.id}", label=c.where)
            queue.append((c, d + 1))
    if legend:
        cells = "".join(f'<td bgcolor="{colour}" style="rounded">{html.escape(what)}</td>'
                        for colour, what in KIND_COLOURS if colour in used)
        g.attr(label=f'<<table border="0" cellspacing="4" cellpadding="3"><tr><td>box colours:</td>{cells}'
                     "</tr></table>>", labelloc="t", labeljust="l", fontname="Helvetica", fontsize="10")
    return g


@renders(AST, "highlight")
def highlight_html(tree: AST, node: Node, *, context_lines: int | None = None) -> str:
    """The node's file as HTML with the node's span wrapped in <mark class="gokit-span">."""
    f = tree._file(node)
    data = f.data
    a = node.pos.offset if node.pos else 0
    b = node.end.offset if node.end else a
    before, span, after = (data[:a].decode("utf-8", "replace"), data[a:b].decode("utf-8", "replace"),
                           data[b:].decode("utf-8", "replace"))
    if context_lines is not None:
        before = "\n".join(before.split("\n")[-context_lines - 1:])
        after = "\n".join(after.split("\n")[:context_lines + 1])
    return ("<pre class='gokit-source' style='font-size:12px;line-height:1.35;margin:0;tab-size:4'>"
            f"{html.escape(before)}<mark class='gokit-span' style='background:#ffe08a'>{html.escape(span)}</mark>"
            f"{html.escape(after)}</pre>")


@renders(AST, "fields")
def fields_html(tree: AST, node: Node, types: "Types | None" = None, *, hide_empty: bool = False,
                hide_positions: bool = False) -> str:
    """A table of the node's kind, span, field path, scalar fields and (given types) its type.

    hide_empty leaves out fields go/ast left at their zero value ('', false, no position);
    hide_positions leaves out the span and the token.Pos fields (Lbrace, OpPos, ...), as
    astexplorer's "hide location data" does.
    """
    rows = [("kind", node.kind)]
    if not hide_positions:
        rows.append(("span", f"{node.file}:{node.pos} – {node.end}"))
    rows.append(("field", node.where or "—"))
    for k, v in node.fields.items():
        if hide_empty and v in ("", False):
            continue
        rows.append((k, repr(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)))
    if not hide_positions:
        for k, p in node.positions.items():
            if p is None and hide_empty:
                continue
            rows.append((k, "—" if p is None else f"{p}  ({tree.char_at(node, p)})"))
    if types is not None and node.pos is not None and node.end is not None:
        t = types.at(node.file, node.pos.offset, node.end.offset)
        if t is not None:
            rows.append(("type", t["type"]))
            rows.append(("mode", t["mode"]))
            if t.get("value"):
                rows.append(("value", t["value"]))
    rows.append(("children", ", ".join(c.where for c in node.children) or "—"))
    body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>"
                   f"<code>{html.escape(v)}</code></td></tr>" for k, v in rows)
    return f"<table class='gokit-fields'>{body}</table>"


@renders(AST)
def ast_html(tree: AST) -> str:
    """The tree in brief: its declarations, its errors, and (folded) one node per line."""
    parts = []
    if tree.errors:
        parts.append(errors_html(tree.errors, {f.name: f.data for f in tree.files}))
    top = [n for n in (tree.root.children if tree.root else ()) if n.role == "Decls"]
    decls = ", ".join(html.escape(d.label) for d in top[:8]) + (", …" if len(top) > 8 else "")
    parts.append(f"<div><b>AST</b> of {html.escape(', '.join(f.name for f in tree.files))}: "
                 f"{len(tree.all_nodes):,} nodes ({html.escape(tree.go)})"
                 + (f"; declarations: {decls}" if decls else "") + "</div>")
    shown = 400
    lines = [html.escape(lbl) for lbl, _ in tree.outline(max_nodes=shown, comments=False)]
    more = f"\n… {len(tree.all_nodes) - shown:,} more nodes" if len(tree.all_nodes) > shown else ""
    hidden = sum(1 for n in tree.all_nodes if n.kind in COMMENT_KINDS)
    left_out = f"; its {hidden} comment nodes left out" if hidden else ""
    parts.append(f"<details><summary>the whole tree, one node per line ({len(lines):,} lines{left_out})</summary>"
                 "<pre style='font-size:11px;max-height:480px;overflow:auto'>" + "\n".join(lines) + more +
                 "</pre></details>")
    return "".join(parts)


#: The AST diagram's box colours and what each means (its legend), in legend order.
KIND_COLOURS = (("#cfe2ff", "file, declarations, specs"), ("#d1f0d1", "statements, case clauses"),
                ("#ffe5c2", "expressions, identifiers, literals"), ("#f3e0ff", "types, fields, field lists"),
                ("#eeeeee", "comments"))


def _color(kind: str) -> str:
    if kind.endswith(("Decl", "Spec")) or kind == "File":
        return "#cfe2ff"
    if kind.endswith("Stmt") or kind.endswith("Clause"):
        return "#d1f0d1"
    if kind in COMMENT_KINDS:
        return "#eeeeee"
    if kind.endswith(("Type", "List")) or kind == "Field":
        return "#f3e0ff"
    return "#ffe5c2"


#: A monospaced font for source lines and their carets (JupyterLab's code font where it is set).
MONO = "var(--jp-code-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace)"


def errors_html(errors: Sequence[GoError], sources: Mapping[str, bytes]) -> str:
    """Errors as the compiler prints them (file:line:col: message), each with its line and a caret."""
    out = []
    for e in errors:
        data = sources.get(e.file, b"")
        lines = data.decode("utf-8", "replace").split("\n")
        src_line = lines[e.line - 1] if 0 < e.line <= len(lines) else ""
        caret = ""
        if src_line:
            prefix = data.split(b"\n")[e.line - 1][:max(e.col - 1, 0)].decode("utf-8", "replace")
            caret = "\n" + "".join("\t" if ch == "\t" else " " for ch in prefix) + "^"
        out.append(f"<pre style='color:#b00;margin:.2em 0;font-family:{MONO};tab-size:4'>"
                   f"<b>{html.escape(str(e))}</b>\n"
                   f"<span style='color:#444'>{html.escape(src_line)}{caret}</span></pre>")
    return "<div class='gokit-errors'>" + "".join(out) + "</div>"


@renders(Types)
def types_html(t: Types) -> str:
    """What go/types found: its errors (or that there are none), and (folded) every typed expression."""
    parts = []
    n = len(t.errors)
    if t.errors:
        parts.append(f"<div>go/types reported {n} error{'s' if n != 1 else ''}:</div>")
        parts.append(errors_html(t.errors, t.sources))
    else:
        parts.append(f"<div>go/types checked package <code>{html.escape(t.package)}</code>: "
                     "<span style='color:#080'>no errors</span>.</div>")
    df = t.expressions[["pos", "expr", "type", "value", "mode"]].copy()
    df["value"] = df["value"].map(lambda v: NOT_MEASURED if v is None or v == "" or v != v else v)  # — not a blank
    parts.append(f"<details><summary>all {len(df)} typed expressions (<code>.expressions</code>; the "
                 f"{len(t.objects)} identifiers are in <code>.objects</code>)</summary>"
                 "<div style='max-height:420px;overflow:auto'>"
                 + df.to_html(index=False, na_rep=NOT_MEASURED, border=0) + "</div></details>")
    return "".join(parts)


def node_json(n: Node) -> dict[str, Any]:
    """A node and everything below it, as JSON-able data (what `gokit ast FILE --json` prints)."""
    return {"kind": n.kind, "field": n.where, "pos": list(n.pos) if n.pos else None,
            "end": list(n.end) if n.end else None, "fields": dict(n.fields),
            "children": [node_json(c) for c in n.children]}
