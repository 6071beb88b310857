"""The go/parser syntax tree as Python data: an AST of FileASTs of Nodes, decoded from the JSON gokit's Go helper
prints. Pure functions of that JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from .. import _display
from ..errors import UsageError
from .frontend import GoError, Pos, Types, errors_of

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

#: The field a node's label shows, per go/ast kind (the rest show their Name child, if any).
KEY_FIELDS = {"Ident": "Name", "BasicLit": "Value", "BinaryExpr": "Op", "UnaryExpr": "Op", "AssignStmt": "Tok",
              "GenDecl": "Tok", "BranchStmt": "Tok", "IncDecStmt": "Tok", "RangeStmt": "Tok", "Comment": "Text",
              "ChanType": "Dir"}
COMMENT_KINDS = frozenset({"Comment", "CommentGroup"})
_NO_FIELDS: Mapping[str, Any] = MappingProxyType({})


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


def ast_from_json(data: Mapping[str, Any], sources: Mapping[str, bytes] | None = None,
                  typecheck: "Callable[[], Types] | None" = None) -> "AST":
    """Build the AST from the helper's `ast` JSON (a pure function, tested on golden files); `typecheck` is
    handed to it by the stage that parsed the files."""
    import gc

    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of new objects, none of them garbage: skip the collector's passes
    try:
        return _ast_from_json(data, sources, typecheck)
    finally:
        if enabled:
            gc.enable()


def _ast_from_json(data: Mapping[str, Any], sources: Mapping[str, bytes] | None,
                   typecheck: "Callable[[], Types] | None") -> "AST":
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
        files.append(FileAST(name, data_bytes, nodes[0] if nodes else None, errors_of(f.get("errors", ())),
                             nodes))  # type: ignore[arg-type]
    return AST(tuple(files), data.get("go", ""), tuple(all_nodes), typecheck)


@dataclass(frozen=True, eq=False)
class AST:
    """A parsed program: one FileAST per file; `.root` is the first file's `File` node."""

    files: tuple[FileAST, ...]
    go: str
    all_nodes: tuple[Node, ...] = field(repr=False)
    #: go/types on the same files with the same Go: typecheck() (the stage that parsed them hands it over)
    typecheck: "Callable[[], Types] | None" = field(default=None, repr=False, compare=False)

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

    def char_at(self, node: Node, p: Pos) -> str:
        """What stands at a position: the first character (or keyword) there, for the fields table."""
        data = self._file(node).data
        word = data[p.offset:p.offset + 12].split(None, 1)
        w = word[0].decode("utf-8", "replace") if word else ""
        keep = 0
        while keep < len(w) and (w[keep].isalnum() or w[keep] == "_"):
            keep += 1
        return repr(w[:keep] if keep else w[:1])

    # ---- display (gokit.views.ast draws it)
    def to_graphviz(self, root: "Node | str | int | None" = None, max_depth: int | None = None,
                    max_nodes: int = 150, comments: bool = False, legend: bool = True,
                    width: float = 8.0) -> "graphviz.Digraph":
        """The tree as a diagram: each box shows the go/ast kind and its key field, edges the field name.

        root: a Node, node id, or top-level declaration name ("main") to focus on one part of a big
        file; max_depth cuts the tree below that depth; max_nodes keeps big trees legible (the rest is
        summarised as "+N more" boxes). legend: a key to the box colours on top; width: inches the
        drawing is scaled down to fit (a notebook's output area holds about 8.5 in of SVG).
        """
        if max_depth is not None and (not isinstance(max_depth, int) or max_depth < 0):
            raise UsageError(f"max_depth is a whole number >= 0; got {max_depth!r}")
        if not isinstance(max_nodes, int) or max_nodes < 1:
            raise UsageError(f"max_nodes is a whole number >= 1; got {max_nodes!r}")
        return _display.show(self, "graphviz", self._resolve(root), max_depth=max_depth, max_nodes=max_nodes,
                             comments=comments, legend=legend, width=width)

    def highlight_html(self, node: Node, *, context_lines: int | None = None) -> str:
        """The node's file as HTML with the node's span wrapped in <mark class="gokit-span">."""
        return str(_display.show(self, "highlight", node, context_lines=context_lines))

    def fields_html(self, node: Node, types: "Types | None" = None, *, hide_empty: bool = False,
                    hide_positions: bool = False) -> str:
        """A table of the node's kind, span, field path, scalar fields and (given types) its type.

        hide_empty leaves out fields go/ast left at their zero value ('', false, no position);
        hide_positions leaves out the span and the token.Pos fields (Lbrace, OpPos, ...), as
        astexplorer's "hide location data" does.
        """
        return str(_display.show(self, "fields", node, types, hide_empty=hide_empty, hide_positions=hide_positions))

    def explore(self, types: "Types | bool | None" = None, max_nodes: int = 2000) -> Any:
        """A widget: pick a node on the left; its source span lights up, its fields (and type) show. types=True
        type-checks the program first (with the Go that parsed it)."""
        if types is True:
            types = self.typecheck() if self.typecheck is not None and not self.errors else None
        return _display.show(self, "explore", types if isinstance(types, Types) else None, max_nodes=max_nodes)

    def _repr_html_(self) -> str:
        return str(_display.show(self, "html"))
