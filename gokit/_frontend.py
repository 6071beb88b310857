"""Go's own front end, live: go/scanner tokens, go/parser syntax trees and go/types facts as Python data."""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterator, Mapping, NamedTuple, Sequence

from . import _cache as cache
from . import _run
from ._helper import call_on, helper
from ._pkg import export_files, importcfg_file
from ._source import Source, as_source
from .errors import UsageError

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

    from ._toolchain import Toolchain

log = logging.getLogger("gokit.frontend")

TOKEN_COLUMNS = ["offset", "line", "col", "token", "literal", "inserted", "text", "file"]
EXPR_COLUMNS = ["file", "pos", "line", "col", "offset", "end_offset", "expr", "kind", "type", "value", "mode",
                "exact", "type_args", "instance"]
OBJECT_COLUMNS = ["file", "pos", "line", "col", "offset", "name", "role", "kind", "type", "scope", "decl", "pkg"]
SELECTION_COLUMNS = ["file", "pos", "line", "col", "expr", "kind", "recv", "obj", "type", "indirect"]
#: The field a node's label shows, per go/ast kind (the rest show their Name child, if any).
KEY_FIELDS = {"Ident": "Name", "BasicLit": "Value", "BinaryExpr": "Op", "UnaryExpr": "Op", "AssignStmt": "Tok",
              "GenDecl": "Tok", "BranchStmt": "Tok", "IncDecStmt": "Tok", "RangeStmt": "Tok", "Comment": "Text",
              "ChanType": "Dir"}
COMMENT_KINDS = frozenset({"Comment", "CommentGroup"})
_NO_FIELDS: Mapping[str, Any] = __import__("types").MappingProxyType({})



# ---------------------------------------------------------------- data ----

class Pos(NamedTuple):
    """A position as go/token reports it: 1-based line, 1-based byte column, 0-based byte offset."""

    line: int
    col: int
    offset: int

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"


@dataclass(frozen=True)
class GoError:
    """An error from go/scanner, go/parser or go/types, with Go's own message and position."""

    file: str
    line: int
    col: int
    offset: int
    message: str
    source: str  # "scanner", "parser" or "types"
    soft: bool = False  # go/types: an error the compiler might only warn about (unused variable, ...)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass(frozen=True, eq=False)
class Node:
    """One go/ast node: its type name, source span, scalar fields, and children in go/ast field order."""

    id: int
    kind: str
    pos: Pos | None
    end: Pos | None
    fields: Mapping[str, Any]
    children: tuple["Node", ...]
    role: str  # the parent's field holding this node: "Decls", "X", "Body", ... ("" for the File)
    index: int | None  # position in that field when it is a list
    parent_id: int | None
    file: str

    @property
    def key(self) -> str:
        """The field a reader looks for first: an Ident's Name, a BasicLit's Value, a BinaryExpr's Op, ..."""
        name = KEY_FIELDS.get(self.kind)
        if name is not None:
            return str(self.fields.get(name, ""))
        if self.kind == "SelectorExpr" and len(self.children) == 2:
            x, sel = self.children
            return (x.key + "." if x.kind in ("Ident", "SelectorExpr") else ".") + sel.key
        if self.kind == "CallExpr" and self.children and self.children[0].kind in ("Ident", "SelectorExpr"):
            return self.children[0].key + "()"
        for c in self.children:
            if c.role == "Name" and c.kind == "Ident":
                return str(c.fields.get("Name", ""))
        if self.kind in ("ValueSpec", "Field"):
            return ", ".join(str(c.fields.get("Name", "")) for c in self.children if c.role == "Names")
        return ""

    @property
    def label(self) -> str:
        k = self.key
        if len(k) > 40:
            k = k[:37] + "..."
        return f"{self.kind} {k}".rstrip()

    @property
    def positions(self) -> dict[str, "Pos | None"]:
        """The node's token.Pos fields (Lbrace, Rparen, OpPos, ...): where go/ast says each keyword, bracket
        or operator is (None where go/ast has none, e.g. the Func of a method's type). Empty for trees
        from a helper older than these fields."""
        ref = self.__dict__.get("_positions")
        return {} if ref is None else ref[0].of(ref[1])

    @property
    def where(self) -> str:
        """The field path from the parent: X, Args[1], Decls[0]."""
        return self.role + (f"[{self.index}]" if self.index is not None else "")

    def walk(self) -> Iterator["Node"]:
        """This node and all below it, in preorder (the order ast.Inspect visits them)."""
        stack = [self]
        while stack:
            n = stack.pop()
            yield n
            stack.extend(reversed(n.children))

    def __repr__(self) -> str:
        return f"node {self.id}: {self.label} {self.pos}–{self.end}"


class _PosTable:
    """One file's token.Pos fields as the helper sent them (5 ints each), indexed on first use."""

    __slots__ = ("names", "flat", "_by_node")

    def __init__(self, names: Sequence[str], flat: Sequence[int]) -> None:
        self.names = tuple(names)
        self.flat = flat
        self._by_node: dict[int, dict[str, Pos | None]] | None = None

    def of(self, i: int) -> dict[str, Pos | None]:
        if self._by_node is None:
            by: dict[int, dict[str, Pos | None]] = {}
            fl = self.flat
            for j in range(0, len(fl), 5):
                node, name, off, line, col = fl[j:j + 5]
                by.setdefault(node, {})[self.names[name]] = None if off < 0 else Pos(line, col, off)
            self._by_node = by
        return dict(self._by_node.get(i, {}))


@dataclass(frozen=True, eq=False)
class FileAST:
    """One parsed file: its bytes, its root `File` node (None if nothing parsed), its syntax errors."""

    name: str
    data: bytes
    root: Node | None
    errors: tuple[GoError, ...]
    nodes: tuple[Node, ...] = field(repr=False)


# ---------------------------------------------------------------- inputs ----

def _go_source(src: Any) -> Source:
    """A Source with Go files: a Source, Go text, or a path to a .go file (any name, even _test.go) or directory."""
    s = as_source(src)
    if not s.go_files:
        raise UsageError(f"{s!r} has no .go files")
    return s


def _tc(toolchain: "Toolchain | None") -> "Toolchain":
    from ._toolchain import toolchain as default_toolchain

    return toolchain or default_toolchain()


def _errors(raw: Sequence[Mapping[str, Any]]) -> tuple[GoError, ...]:
    out = []
    for e in raw:
        p = e.get("pos") or [0, 0, 0]
        out.append(GoError(e.get("file", ""), p[1], p[2], p[0], e["msg"], e.get("source", ""), bool(e.get("soft"))))
    return tuple(out)


# ---------------------------------------------------------------- tokens ----

def tokens_from_json(data: Mapping[str, Any]) -> "pd.DataFrame":
    """The token table from the helper's `tokens` JSON (a pure function, tested on golden files)."""
    import pandas as pd

    rows = []
    errors: list[GoError] = []
    for f in data["files"]:
        name = f["name"]
        for off, line, col, tok, lit, text in f["tokens"]:
            inserted = tok == "SEMICOLON" and lit == "\n"
            rows.append((off, line, col, tok, lit, inserted, lit if lit else text, name))
        errors.extend(_errors(f.get("errors", ())))
    df = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    df.attrs["errors"] = errors
    df.attrs["go"] = data.get("go", "")
    return df


def tokens(src: Any, *, toolchain: "Toolchain | None" = None, timeout: float = 60) -> "pd.DataFrame":
    """Every token go/scanner returns, comments included, one row each.

    Columns: offset, line, col (go/token: byte offset, 1-based line and byte column), token (go/token's
    name: IDENT, INT, SEMICOLON, COMMENT, ...), literal (what go/scanner returns: the text for
    identifiers, literals and comments, "\\n" for a semicolon it inserted, "" for operators), inserted
    (True for automatic semicolons), text (the token as written), file. Scanner errors are in
    `df.attrs["errors"]`.
    """
    timeout = _run.check_timeout(timeout)
    return tokens_from_json(call_on(_go_source(src).go_files, "tokens", _tc(toolchain), timeout=timeout))


# ---------------------------------------------------------------- AST ----

def ast_from_json(data: Mapping[str, Any], sources: Mapping[str, bytes] | None = None) -> "AST":
    """Build the AST from the helper's `ast` JSON (a pure function, tested on golden files)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of new objects, none of them garbage: skip the collector's passes
    try:
        return _ast_from_json(data, sources)
    finally:
        if enabled:
            gc.enable()


def _ast_from_json(data: Mapping[str, Any], sources: Mapping[str, bytes] | None) -> "AST":
    files = []
    all_nodes: list[Node] = []
    for f in data["files"]:
        name = f["name"]
        kinds, roles, flat = f["kinds"], f["roles"], f["nodes"]
        n = len(flat) // 10
        fields: dict[int, dict[str, Any]] = {}
        fl = f["fields"]
        for i in range(0, len(fl), 3):
            d = fields.get(fl[i])
            if d is None:
                fields[fl[i]] = d = {}
            d[fl[i + 1]] = fl[i + 2]
        kids: dict[int, list[Node]] = {}
        built: list[Node | None] = [None] * n
        base = len(all_nodes)
        postable = _PosTable(f.get("posnames", ()), f.get("positions", ()))
        new, setattr_, mkpos = object.__new__, object.__setattr__, tuple.__new__
        it = iter(flat)
        rows = list(zip(*([it] * 10)))
        # children always come after their parent in preorder: build from the end, so a node's
        # children exist when it is made. Node(...) field by field is slow for 40k nodes, so the
        # frozen instances are filled directly.
        for i in range(n - 1, -1, -1):
            k, parent, role, index, po, pl, pc, eo, el, ec = rows[i]
            ch = kids.pop(i, None)
            if ch is not None:
                ch.reverse()
            node = new(Node)
            setattr_(node, "__dict__", {
                "id": base + i, "kind": kinds[k], "pos": None if po < 0 else mkpos(Pos, (pl, pc, po)),
                "end": None if eo < 0 else mkpos(Pos, (el, ec, eo)), "fields": fields.get(i, _NO_FIELDS),
                "children": () if ch is None else tuple(ch), "role": roles[role],
                "index": None if index < 0 else index, "parent_id": None if parent < 0 else base + parent,
                "file": name, "_positions": (postable, i)})
            built[i] = node
            if parent >= 0:
                lst = kids.get(parent)
                if lst is None:
                    kids[parent] = [node]
                else:
                    lst.append(node)
        nodes = tuple(built)  # type: ignore[arg-type]
        all_nodes.extend(nodes)  # type: ignore[arg-type]
        data_bytes = (sources or {}).get(name, b"")
        files.append(FileAST(name, data_bytes, nodes[0] if nodes else None, _errors(f.get("errors", ())),
                             nodes))  # type: ignore[arg-type]
    return AST(tuple(files), data.get("go", ""), tuple(all_nodes))


def parse(src: Any, *, toolchain: "Toolchain | None" = None, timeout: float = 60) -> "AST":
    """The syntax tree go/parser builds (ParseComments), as Python data.

    A file with syntax errors still gives the partial tree go/parser returns, and the positioned
    errors in `.errors` (shown when the AST is displayed); nothing is raised for them.
    """
    timeout = _run.check_timeout(timeout)
    files = _go_source(src).go_files
    return ast_from_json(call_on(files, "ast", _tc(toolchain), timeout=timeout), dict(files))


@dataclass(frozen=True, eq=False)
class AST:
    """A parsed program: one FileAST per file; `.root` is the first file's `File` node."""

    files: tuple[FileAST, ...]
    go: str
    all_nodes: tuple[Node, ...] = field(repr=False)

    @property
    def root(self) -> Node | None:
        return self.files[0].root if self.files else None

    @property
    def errors(self) -> tuple[GoError, ...]:
        return tuple(e for f in self.files for e in f.errors)

    def __len__(self) -> int:
        return len(self.all_nodes)

    def __repr__(self) -> str:
        n = len(self.errors)
        errs = f", {n} syntax error{'s' if n != 1 else ''}" if n else ""
        return f"AST of {', '.join(f.name for f in self.files)}: {len(self.all_nodes):,} nodes{errs} ({self.go})"

    def nodes(self, kind: str | None = None, *, comments: bool = True) -> Iterator[Node]:
        """Every node in preorder (file by file); only those of `kind` if given."""
        for n in self.all_nodes:
            if (kind is None or n.kind == kind) and (comments or n.kind not in COMMENT_KINDS):
                yield n

    def node(self, id: int) -> Node:
        return self.all_nodes[id]

    def parent(self, node: Node) -> Node | None:
        return None if node.parent_id is None else self.all_nodes[node.parent_id]

    def _file(self, node: Node) -> FileAST:
        for f in self.files:
            if f.name == node.file:
                return f
        raise UsageError(f"node {node.id} belongs to no file of this AST")

    def text(self, node: Node) -> str:
        """The source text the node spans."""
        if node.pos is None or node.end is None:
            return ""
        return self._file(node).data[node.pos.offset:node.end.offset].decode("utf-8", "replace")

    def counts(self, *, comments: bool = False) -> dict[str, int]:
        """Nodes per go/ast kind (comment nodes left out unless comments=True)."""
        out: dict[str, int] = {}
        for n in self.nodes(comments=comments):
            out[n.kind] = out.get(n.kind, 0) + 1
        return out

    def find(self, kind: str | None = None, key: str | None = None) -> list[Node]:
        """Nodes of a kind and/or with a key (an Ident's name, a FuncDecl's name, an operator ...)."""
        return [n for n in self.nodes(kind) if key is None or n.key == key]

    def decl(self, name: str) -> Node:
        """The top-level declaration of `name`: a FuncDecl, or the GenDecl holding that type/var/const."""
        for f in self.files:
            if f.root is None:
                continue
            for d in f.root.children:
                if d.role != "Decls":
                    continue
                if d.kind == "FuncDecl" and d.key == name:
                    return d
                if d.kind == "GenDecl" and any(
                        s.key == name or name in s.key.split(", ") for s in d.children if s.role == "Specs"):
                    return d
        names = [d.key for f in self.files if f.root for d in f.root.children if d.role == "Decls" and d.key]
        raise UsageError(f"no top-level declaration named {name!r}; functions here: {', '.join(names[:20])}")

    def to_frame(self) -> "pd.DataFrame":
        """One row per node: id, parent, depth, kind, key, role (field[index]), span, file, fields."""
        import pandas as pd

        depth: dict[int, int] = {}
        rows = []
        for n in self.all_nodes:
            d = 0 if n.parent_id is None else depth[n.parent_id] + 1
            depth[n.id] = d
            rows.append((n.id, n.parent_id, d, n.kind, n.key, n.where,
                         n.pos.line if n.pos else None, n.pos.col if n.pos else None,
                         n.end.line if n.end else None, n.end.col if n.end else None,
                         n.pos.offset if n.pos else None, n.end.offset if n.end else None, n.file, dict(n.fields)))
        return pd.DataFrame(rows, columns=["id", "parent", "depth", "kind", "key", "role", "line", "col", "end_line",
                                           "end_col", "offset", "end_offset", "file", "fields"])

    def _resolve(self, root: "Node | str | int | None") -> Node:
        if root is None:
            if self.root is None:
                raise UsageError("this AST has no tree (the file did not parse at all)")
            return self.root
        if isinstance(root, Node):
            return root
        if isinstance(root, int) and not isinstance(root, bool):
            if not 0 <= root < len(self.all_nodes):
                raise UsageError(f"no node with id {root}; ids go from 0 to {len(self.all_nodes) - 1}")
            return self.all_nodes[root]
        if isinstance(root, str):
            return self.decl(root)
        raise UsageError(f"root is a Node, a node id or a declaration name like 'main'; got {root!r}")

    def to_graphviz(self, root: "Node | str | int | None" = None, max_depth: int | None = None,
                    max_nodes: int = 150, comments: bool = False, legend: bool = True,
                    width: float = 8.0) -> "graphviz.Digraph":
        """The tree as a diagram: each box shows the go/ast kind and its key field, edges the field name.

        root: a Node, node id, or top-level declaration name ("main") to focus on one part of a big
        file; max_depth cuts the tree below that depth; max_nodes keeps big trees legible (the rest is
        summarised as "+N more" boxes). legend: a key to the box colours on top; width: inches the
        drawing is scaled down to fit (a notebook's output area holds about 8.5 in of SVG).
        """
        import graphviz

        if max_depth is not None and (not isinstance(max_depth, int) or max_depth < 0):
            raise UsageError(f"max_depth is a whole number >= 0; got {max_depth!r}")
        if not isinstance(max_nodes, int) or max_nodes < 1:
            raise UsageError(f"max_nodes is a whole number >= 1; got {max_nodes!r}")
        start = self._resolve(root)
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

    # ---- explorer backing functions (plain data, tested without a browser) ----

    def highlight_html(self, node: Node, *, context_lines: int | None = None) -> str:
        """The node's file as HTML with the node's span wrapped in <mark class="gokit-span">."""
        f = self._file(node)
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

    def fields_html(self, node: Node, types: "Types | None" = None, *, hide_empty: bool = False,
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
                rows.append((k, "—" if p is None else f"{p}  ({self._char_at(node, p)})"))
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

    def _char_at(self, node: Node, p: Pos) -> str:
        """What stands at a position: the first character (or keyword) there, for the fields table."""
        data = self._file(node).data
        word = data[p.offset:p.offset + 12].split(None, 1)
        w = word[0].decode("utf-8", "replace") if word else ""
        keep = 0
        while keep < len(w) and (w[keep].isalnum() or w[keep] == "_"):
            keep += 1
        return repr(w[:keep] if keep else w[:1])

    def node_at(self, line: int, col: int | None = None, *, file: str | None = None,
                comments: bool = False) -> Node | None:
        """The innermost node at a source position, as astexplorer picks one on a click.

        With col: the innermost node whose span holds that byte column of the line. Without: the
        innermost node spanning the whole code of that line (from its first to its last non-blank
        byte), e.g. the ReturnStmt of `return -n`, the IfStmt of `if n < 0 {`. None on a blank line.
        """
        f = self.files[0] if file is None else next((x for x in self.files if x.name == file), None)
        if f is None:
            raise UsageError(f"no file {file!r}; files: {', '.join(x.name for x in self.files)}")
        lines = f.data.split(b"\n")
        if not 1 <= line <= len(lines):
            raise UsageError(f"{f.name} has lines 1 to {len(lines)}; got {line}")
        start = sum(len(x) + 1 for x in lines[:line - 1])
        text = lines[line - 1]
        if col is not None:
            a = b = start + col - 1
        else:
            stripped = text.strip()
            if not stripped:
                return None
            a = start + (len(text) - len(text.lstrip()))
            b = start + len(text.rstrip()) - 1
        best: Node | None = None
        for n in f.nodes:
            if n.pos is None or n.end is None or (not comments and n.kind in COMMENT_KINDS):
                continue
            if n.pos.offset <= a and b < n.end.offset:
                if best is None or (n.end.offset - n.pos.offset) <= (best.end.offset - best.pos.offset):  # type: ignore[union-attr]
                    best = n
        return best

    def outline(self, max_nodes: int = 2000, comments: bool = True) -> list[tuple[str, int]]:
        """(indented label, node id) pairs in preorder: the explorer's node list."""
        out: list[tuple[str, int]] = []
        depth: dict[int, int] = {}
        for n in self.all_nodes:
            d = 0 if n.parent_id is None else depth.get(n.parent_id, 0) + 1
            depth[n.id] = d
            if not comments and n.kind in COMMENT_KINDS:
                continue
            out.append((f"{'  ' * d}{n.where + ': ' if n.where else ''}{n.label}  ({n.pos})", n.id))
            if len(out) >= max_nodes:
                break
        return out

    def explore(self, types: "Types | bool | None" = None, max_nodes: int = 2000) -> Any:
        """A widget: pick a node on the left; its source span lights up, its fields (and type) show."""
        from ._widgets.ast_explorer import ASTExplorer

        if types is True:
            types = typecheck(Source._of(
                [(f.name, f.data) for f in self.files], "<ast>")) if not self.errors else None
        return ASTExplorer(self, types if isinstance(types, Types) else None, max_nodes=max_nodes)

    def _repr_html_(self) -> str:
        parts = []
        if self.errors:
            parts.append(errors_html(self.errors, {f.name: f.data for f in self.files}))
        top = [n for n in (self.root.children if self.root else ()) if n.role == "Decls"]
        decls = ", ".join(html.escape(d.label) for d in top[:8]) + (", …" if len(top) > 8 else "")
        parts.append(f"<div><b>AST</b> of {html.escape(', '.join(f.name for f in self.files))}: "
                     f"{len(self.all_nodes):,} nodes ({html.escape(self.go)})"
                     + (f"; declarations: {decls}" if decls else "") + "</div>")
        shown = 400
        lines = [html.escape(lbl) for lbl, _ in self.outline(max_nodes=shown, comments=False)]
        more = f"\n… {len(self.all_nodes) - shown:,} more nodes" if len(self.all_nodes) > shown else ""
        hidden = sum(1 for n in self.all_nodes if n.kind in COMMENT_KINDS)
        left_out = f"; its {hidden} comment nodes left out" if hidden else ""
        parts.append(f"<details><summary>the whole tree, one node per line ({len(lines):,} lines"
                     f"{left_out})</summary>"
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


# ---------------------------------------------------------------- types ----

@dataclass(frozen=True, eq=False)
class Types:
    """What go/types found: every expression's type, value and mode, every object, every error."""

    package: str
    go: str
    raw: Mapping[str, Any] = field(repr=False)
    sources: Mapping[str, bytes] = field(repr=False)

    @property
    def errors(self) -> tuple[GoError, ...]:
        return _errors(self.raw.get("errors", ()))

    @property
    def files(self) -> list[str]:
        return [f["name"] for f in self.raw.get("files", ())]

    @cached_property
    def expressions(self) -> "pd.DataFrame":
        """One row per expression go/types recorded: expr, pos, type, value, mode, ... (source order)."""
        import pandas as pd

        names = self.files
        rows = []
        for x in self.raw.get("expressions", ()):
            p, e = x.get("pos"), x.get("end")
            if not p:
                continue  # implicit nodes (a constraint's implied interface) have no position
            rows.append((names[x["file"]] if x["file"] < len(names) else "", f"{p[1]}:{p[2]}", p[1], p[2], p[0],
                         e[0] if e else None, x["expr"], x["kind"], x["type"], x.get("value", ""), x["mode"],
                         x.get("exact", ""), tuple(x["type_args"]) if "type_args" in x else None, x.get("instance")))
        return pd.DataFrame(rows, columns=EXPR_COLUMNS)

    @cached_property
    def objects(self) -> "pd.DataFrame":
        """One row per identifier that defines (def) or uses (use) an object: its kind, type and scope."""
        import pandas as pd

        names = self.files
        rows = []
        for o in self.raw.get("objects", ()):
            p = o["pos"]
            d = o.get("decl")
            decl = f"{o.get('decl_file', '')}:{d[1]}:{d[2]}" if d else ""
            rows.append((names[o["file"]] if o["file"] < len(names) else "", f"{p[1]}:{p[2]}", p[1], p[2], p[0],
                         o["name"],
                         o["role"], o["kind"] or ("package name" if o["role"] == "def" else ""),
                         o["type"] if o["kind"] != "package" else "", o["scope"], decl, o["pkg"]))
        return pd.DataFrame(rows, columns=OBJECT_COLUMNS)

    @cached_property
    def selections(self) -> "pd.DataFrame":
        """x.f expressions resolved to a field, method value or method expression."""
        import pandas as pd

        names = self.files
        rows = [(names[s["file"]] if s["file"] < len(names) else "", f"{s['pos'][1]}:{s['pos'][2]}", s["pos"][1],
                 s["pos"][2], s["expr"], s["kind"], s["recv"], s["obj"], s["type"], s["indirect"])
                for s in self.raw.get("selections", ())]
        return pd.DataFrame(rows, columns=SELECTION_COLUMNS)

    def at(self, file: str, offset: int, end_offset: int) -> dict[str, Any] | None:
        """The recorded expression spanning exactly [offset, end_offset) in file, if any."""
        names = self.files
        for x in self.raw.get("expressions", ()):
            p, e = x.get("pos"), x.get("end")
            if p and e and p[0] == offset and e[0] == end_offset and names[x["file"]] == file:
                return x
        return None

    def type_of(self, expr: str) -> str:
        """The type of the first expression written exactly as `expr`."""
        df = self.expressions
        hit = df[df["expr"] == expr]
        if hit.empty:
            raise UsageError(f"no expression written {expr!r} was type-checked; try one of: "
                             f"{', '.join(map(repr, df['expr'].head(12)))}")
        return str(hit.iloc[0]["type"])

    def __repr__(self) -> str:
        n = len(self.errors)
        return (f"go/types on package {self.package}: {len(self.raw.get('expressions', ()))} typed expressions, "
                f"{len(self.raw.get('objects', ()))} identifiers, {n} error{'s' if n != 1 else ''} ({self.go})")

    def _repr_html_(self) -> str:
        parts = []
        n = len(self.errors)
        if self.errors:
            parts.append(f"<div>go/types reported {n} error{'s' if n != 1 else ''}:</div>")
            parts.append(errors_html(self.errors, self.sources))
        else:
            parts.append(f"<div>go/types checked package <code>{html.escape(self.package)}</code>: "
                         "<span style='color:#080'>no errors</span>.</div>")
        df = self.expressions[["pos", "expr", "type", "value", "mode"]]
        parts.append(f"<details><summary>all {len(df)} typed expressions (<code>.expressions</code>; the "
                     f"{len(self.objects)} identifiers are in <code>.objects</code>)</summary>"
                     "<div style='max-height:420px;overflow:auto'>"
                     + df.to_html(index=False, na_rep="", border=0) + "</div></details>")
        return "".join(parts)


def types_from_json(data: Mapping[str, Any], sources: Mapping[str, bytes] | None = None) -> Types:
    """The Types result from the helper's `types` JSON (a pure function, tested on golden files)."""
    return Types(data.get("package", ""), data.get("go", ""), data, dict(sources or {}))


def typecheck(src: Any, *, toolchain: "Toolchain | None" = None, timeout: float = 120) -> Types:
    """Type-check a package with go/types (imports read from the compiler's export data, offline).

    Type errors do not raise: they are in `.errors`, with Go's own messages and positions.
    Results are cached by toolchain and source digest.
    """
    timeout = _run.check_timeout(timeout)
    tc = _tc(toolchain)
    source = _go_source(src)
    facts = {f.name: f for f in source.facts(tc)}
    # the files go build compiles here (a lone test or _-named file is still checked)
    files = tuple((n, d) for n, d in source.go_files if facts[n].match) or tuple(source.go_files)
    lang = ["-lang", source.lang(tc)]  # the go.mod's `go` line: a go1.21 module gets go1.21's rules
    # keyed by the whole source (go.mod and the module's own packages change what imports mean) and the helper
    k = cache.key("types", tc.version, str(tc.go), source.digest, str(helper(tc)), lang)

    def compute() -> dict[str, Any]:
        imports = sorted({i for n, _ in files for i in facts[n].imports})
        cwd = None
        if any("/" in n or n == "go.mod" for n, _ in source.files):
            cwd = source.materialize(tc)  # a module with its own packages: go list inside it
        exports = export_files(tc, imports, cwd=cwd, timeout=timeout)
        extra = (["-importcfg", str(importcfg_file(exports))] if exports else []) + lang
        return call_on(files, "types", tc, extra, timeout=timeout)

    return types_from_json(cache.memo_json("frontend-types", k, compute), dict(files))


# ---------------------------------------------------------------- JSON ----

def node_json(n: Node) -> dict[str, Any]:
    return {"kind": n.kind, "field": n.where, "pos": list(n.pos) if n.pos else None,
            "end": list(n.end) if n.end else None, "fields": dict(n.fields),
            "children": [node_json(c) for c in n.children]}
