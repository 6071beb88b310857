"""Go's own front end as Python data: positions and errors, go/scanner's tokens and what go/types found (Types),
decoded from the JSON gokit's Go helper prints (the syntax tree is gokit.parsers.syntax). Pure functions of that
JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, Sequence

from .. import _display
from ..errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

TOKEN_COLUMNS = ["offset", "line", "col", "token", "literal", "inserted", "text", "file"]
EXPR_COLUMNS = ["file", "pos", "line", "col", "offset", "end_offset", "expr", "kind", "type", "value", "mode",
                "exact", "type_args", "instance"]
OBJECT_COLUMNS = ["file", "pos", "line", "col", "offset", "name", "role", "kind", "type", "scope", "decl", "pkg"]
SELECTION_COLUMNS = ["file", "pos", "line", "col", "expr", "kind", "recv", "obj", "type", "indirect"]


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


def errors_of(raw: Sequence[Mapping[str, Any]]) -> tuple[GoError, ...]:
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
        errors.extend(errors_of(f.get("errors", ())))
    df = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    df.attrs["errors"] = errors
    df.attrs["go"] = data.get("go", "")
    return df


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
        return errors_of(self.raw.get("errors", ()))

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
        return str(_display.show(self, "html"))


def types_from_json(data: Mapping[str, Any], sources: Mapping[str, bytes] | None = None) -> Types:
    """The Types result from the helper's `types` JSON (a pure function, tested on golden files)."""
    return Types(data.get("package", ""), data.get("go", ""), data, dict(sources or {}))
