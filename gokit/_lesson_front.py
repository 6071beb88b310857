"""Lesson helpers for the front end (lessons 01, 02, 03): tokens, nodes, constants and errors as the lessons show
them, a scaling fit read against its own size groups, the machine's load beside a benchmark, and parse against
type-check time of the same packages. Lesson 03's SSA and the compiler's report: gokit/_lesson_ssa.py."""
from __future__ import annotations

import html as _html
from dataclasses import dataclass as _dataclass, field as _field
from typing import Any as _Any, Mapping as _Mapping

from ._lesson_show import _inline, NOT_MEASURED, Table, table


#: A departure from proportional this small (a ten times bigger item at most this much dearer, or cheaper, per
#: unit of size, at either end of the exponent's interval) is "proportional within measurement".
NEGLIGIBLE_PER_TENFOLD = 1.15


def figures(x: float, digits: int = 2) -> str:
    """A number with `digits` significant figures, trailing zeros kept (they are figures too): 1.0, 0.95, 4.0,
    17, 2,700 — how the course writes a ratio from noisy medians; — for a value that is not a number."""
    import math

    from .measure.fmt import _sig

    if x is None or not math.isfinite(x):
        return NOT_MEASURED
    if x == 0:
        return "0"
    r = _sig(x, digits)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(r))))
    return f"{r:,.{decimals}f}"


def _fit_reading(fit: _Any, items: str, item: str, x_unit: str, per_unit: tuple[str, float]) -> dict[str, str]:
    """The parts of a fit's conclusion (see fit_conclusion): the fitted numbers, the verdict, the quarters."""
    b, lo, hi = fit.exponent, fit.exponent_low, fit.exponent_high
    ten, ten_lo, ten_hi = 10 ** b, 10 ** lo, 10 ** hi
    table = fit.by_size(items=items, x_unit=x_unit, per_unit=per_unit)
    per = [float(str(v).replace(",", "")) for v in table.iloc[:, -1]]
    rising = all(b2 >= a2 for a2, b2 in zip(per, per[1:])) and per[-1] > per[0]
    falling = all(b2 <= a2 for a2, b2 in zip(per, per[1:])) and per[-1] < per[0]
    ratio = per[-1] / per[0]
    near = 0.8 <= ratio <= 1.25
    groups = "four size quarters" if len(per) == 4 else f"{len(per)} size groups"
    shown = ", ".join(f"{v:g}" for v in per[:-1]) + f" and {per[-1]:g}"
    quarters = (f"The table's {groups} cost {shown} {per_unit[0]} per {x_unit} (medians, smallest {items} first), "
                f"the largest {figures(ratio)}× the smallest")
    small = max(10 ** (hi - 1), 10 ** (1 - lo)) <= NEGLIGIBLE_PER_TENFOLD
    digits = 2 if figures(ten_lo) != figures(ten_hi) else 3
    t, t_lo, t_hi = (figures(v, digits) for v in (ten, ten_lo, ten_hi))
    article = "an" if item[:1] in "aeiou" else "a"
    out = {"fit": f"time ∝ size^{b:.2f} (bootstrap 95% interval {lo:.2f}–{hi:.2f})",
           "tenfold": f"{article} {item} ten times bigger takes {t}× as long ({t_lo}–{t_hi}×)",
           "quarters": quarters}
    if lo <= 1 <= hi or (small and not (rising if lo > 1 else falling)):
        out["verdict"] = "proportional to size within measurement"
        out["why"] = ("its interval includes 1" if lo <= 1 <= hi else
                      f"its interval misses 1 by less than {round((NEGLIGIBLE_PER_TENFOLD - 1) * 100)}% per "
                      "tenfold size")
        out["agree"] = ("a steady trend the fit does not confirm" if (rising or falling) and not near else
                        "close to each other" if near else "no steady trend")
        return out
    faster = lo > 1
    out["verdict"] = ("only slightly " if small else "") + ("faster than size" if faster else "more slowly than size")
    out["why"] = f"a bigger {item} costs {'more' if faster else 'less'} per {x_unit}"
    if rising if faster else falling:
        out["agree"] = "the same steady trend, group by group"
    elif (ratio > 1) == faster and not near:
        out["agree"] = "the same trend overall, though not at every step"
    else:
        out["agree"] = ("no trend the fit's way: read the exponent's departure from 1 with care, the groups' "
                        "medians are noisier than the fit over every point")
    return out


def fit_conclusion(fit: _Any, *, items: str = "items", item: str = "item", x_unit: str = "kB",
                   per_unit: tuple[str, float] = ("µs", 1000.0), load: Load | None = None) -> str:
    """What a `gokit.bench.scaling` fit says, with its exponent's interval, checked against the size quarters of its
    `by_size` table (the same items): one paragraph computed from the numbers, never a trend the table contradicts.

    The exponent's interval decides: it includes 1, or misses it by a departure no bigger than
    NEGLIGIBLE_PER_TENFOLD per tenfold size while the quarters show no steady trend that way: "proportional
    within measurement"; otherwise faster or slower than size, and the quarters are read against it. With a
    `load` (see `load_check`) that was busier than its cores, the numbers are given and the verdict held back."""
    r = _fit_reading(fit, items, item, x_unit, per_unit)
    if load is not None and load.busy:
        return (f"{load.sentence} What this run measured, without a verdict: fitted over {len(fit.x)} {items}, "
                f"{r['fit']}, so {r['tenfold']}. {r['quarters']}.")
    verb = "is" if r["verdict"].startswith("proportional") else "grows"
    return (f"Fitted over {len(fit.x)} {items}: {r['fit']}, so {r['tenfold']}: the cost {verb} {r['verdict']} "
            f"({r['why']}). {r['quarters']}: {r['agree']}.")


def fit_summary(fit: _Any, *, items: str = "items", item: str = "item", x_unit: str = "kB",
                per_unit: tuple[str, float] = ("µs", 1000.0), load: Load | None = None) -> str:
    """The same verdict as `fit_conclusion`, in one clause for a summary: "a file ten times bigger takes 10× as
    long (9.7–11×): proportional to size within measurement" (held back on a busy machine, as there)."""
    r = _fit_reading(fit, items, item, x_unit, per_unit)
    if load is not None and load.busy:
        return f"{r['tenfold']} (measured on a busy machine: no verdict)"
    return f"{r['tenfold']}: {r['verdict']}"


@_dataclass(frozen=True)
class Load:
    """How busy the machine was around a benchmark (see `load_check`)."""

    load: float
    cpus: int
    busy: bool
    sentence: str


def load_check(*earlier: float) -> Load:
    """The 1-minute load average now (and the highest of `earlier` readings, taken before a benchmark) against the
    CPU count. Busier than its cores, a machine makes every run wait for a core now and then: the sentence then
    says so and that the verdicts are held back; on a quiet machine it is empty."""
    import os

    load = max([os.getloadavg()[0], *earlier])
    cpus = os.cpu_count() or 1
    busy = load > cpus
    sentence = (f"This machine was busier than its cores while it measured (load average {load:.1f} on {cpus} "
                "CPUs): runs waited for a core now and then, so its numbers can be off by more than "
                "their intervals say, and no verdict is drawn from them (whether the cost grows with size, and "
                "how). Run the cell again when the machine is quiet." if busy else "")
    return Load(load, cpus, busy, sentence)


# ---------------------------------------------------------------- lessons 01 and 02: tokens, nodes, errors

def token_table(toks: _Any, *, through_line: int | None = None) -> Table:
    """go/scanner's tokens (a `gokit.tokens` frame) as the lessons show them: `line`, `col`, `token` (go/token's
    name for the kind), `text` (the token as written; a semicolon the scanner inserted has no text in the source
    and shows as `newline`, the literal go/scanner gives it) and `inserted` (yes or no). `through_line` keeps the
    tokens of the first lines only."""
    import pandas as pd

    rows = toks if through_line is None else toks[toks.line <= through_line]
    shown = pd.DataFrame({"line": rows.line, "col": rows.col, "token": rows.token,
                          "text": [("newline" if ins else t) for t, ins in zip(rows.text, rows.inserted)],
                          "inserted": rows.inserted.map({True: "yes", False: "no"})})
    return table(shown)


def line_ends(toks: _Any) -> Table:
    """For every line with code: its last token as written, and whether go/scanner inserted a semicolon after
    it (comments do not count: a comment at the end of a line is not the token the rule looks at)."""
    import pandas as pd

    code = toks[toks.token != "COMMENT"]
    written = code[~code.inserted]
    last = written.groupby("line").tail(1)
    semis = set(toks[toks.inserted].line)
    return table(pd.DataFrame({"line": last.line, "last token": last.token, "as written": last.text,
                               "semicolon inserted?": ["yes" if ln in semis else "no" for ln in last.line]}))


def node_table(tree: _Any, *, first: int | None = None) -> Table:
    """A syntax tree's nodes, one row each in the order `ast.Inspect` visits them: `id`, `depth`, `kind` (the
    go/ast type), `key` (its name, operator or value), `field` (the parent's go/ast field that holds it) and its
    span. A node without a key or a parent field shows —. `first` keeps the first rows."""
    frame = tree.to_frame()
    if first is not None:
        frame = frame.head(first)
    shown = frame[["id", "depth", "kind", "key", "role", "line", "col", "end_line", "end_col"]].rename(
        columns={"role": "field", "end_line": "end line", "end_col": "end col"})
    shown = shown.astype({"key": object, "field": object})
    for col in ("key", "field"):
        shown.loc[shown[col] == "", col] = NOT_MEASURED
    return table(shown)


def placeholders(tree: _Any) -> Table:
    """The `BadExpr`, `BadStmt` and `BadDecl` nodes go/parser put where it could not parse (a partial tree's
    holes): kind, position and the source each covers ("(nothing)" for an empty span)."""
    import pandas as pd

    rows = [{"placeholder": n.kind, "at": str(n.pos), "source it covers": " ".join(tree.text(n).split()) or "(nothing)"}
            for n in tree.nodes() if n.kind.startswith("Bad")]
    return table(pd.DataFrame(rows, columns=["placeholder", "at", "source it covers"]))


def comment_groups(tree: _Any) -> Table:
    """Each `CommentGroup` of a syntax tree: its text, the node that holds it and in which go/ast field (`Doc`
    for a group right above a declaration, `Comments` of the File otherwise)."""
    import pandas as pd

    rows = [{"comment": tree.text(g), "held by": tree.parent(g).label, "field": g.where}
            for g in tree.nodes("CommentGroup")]
    return table(pd.DataFrame(rows, columns=["comment", "held by", "field"]))


def top_counts(values: _Any, what: str, *, n: int = 10) -> Table:
    """The `n` most frequent values, most frequent first, as one row of counts headed by the values: `values` is
    a column of names (each occurrence once, like a tokens frame's `token`) or a mapping of name to count."""
    import pandas as pd

    counts = (pd.Series(dict(values)) if isinstance(values, _Mapping) else pd.Series(values).value_counts())
    counts = counts.sort_values(ascending=False, kind="stable").head(n)
    return table(counts.to_frame(what).T, index=True)


#: go/token's delimiters: the tokens that group and separate. A syntax tree keeps none of them as a node.
DELIMITERS = frozenset({"LPAREN", "RPAREN", "LBRACE", "RBRACE", "LBRACK", "RBRACK", "SEMICOLON", "COMMA",
                        "PERIOD", "COLON"})


@_dataclass(frozen=True)
class Kept:
    """A sentence computed from a table, and the table (see `delimiters_kept`, `passes_compared`)."""

    frame: _Any = _field(repr=False)
    sentence: str = ""
    listed: bool = False   # the sentence ends in names after ": ": its HTML shows them in columns, not one line

    def _repr_html_(self) -> str:
        said = _inline(self.sentence)  # `code` as code, as lesson.say shows it
        head, _, names = said.partition(": ") if self.listed else (said, "", "")
        items = "".join(f"<li>{n}</li>" for n in names.rstrip(".").split(", ") if n)
        ends = f":</p><ul style='columns:6 9em;margin-top:0'>{items}</ul>" if items else "</p>"
        return f"<p>{head}{ends}" + table(self.frame)._repr_html_()

    def __repr__(self) -> str:
        return self.sentence


def delimiters_kept(toks: _Any, tree: _Any, function: str) -> Kept:
    """go/scanner's tokens against go/parser's nodes for one file: how many tokens are delimiters (brackets,
    braces, commas, periods, colons, semicolons typed or inserted) and how many nodes the tree has, and where it
    keeps the brackets instead of nodes: the position fields of `function`'s body (`Lbrace`, `Rbrace`), each with
    the character the source has there. Also counts the nodes with a `Semicolon` field (go/ast has one, on
    `EmptyStmt`, an empty statement): a separating semicolon leaves nothing in the tree."""
    import pandas as pd

    decl = tree.decl(function)
    body = next((c for c in decl.children if c.role == "Body"), None)
    if body is None:
        from .errors import UsageError

        raise UsageError(f"{function} has no body to show (a function declared without one)")
    text = tree.text(body).encode()
    rows = [{"node": f"{body.kind} (the body of {function})", "field": name, "position": str(p),
             "the source there": text[p.offset - body.pos.offset:][:1].decode("utf-8", "replace")}
            for name, p in body.positions.items() if p is not None]
    delims = int(toks.token.isin(DELIMITERS).sum())
    inserted = int(toks.inserted.sum())
    semi = sum(1 for n in tree.nodes() if n.positions.get("Semicolon") is not None)
    sentence = (f"{len(toks)} tokens, {delims} of them delimiters ({inserted} inserted semicolons among them); "
                f"{len(tree)} syntax-tree nodes, "
                + ("none of them with a field for a semicolon." if semi == 0 else
                   f"{semi} of them with a field for a semicolon (an empty statement, not a separator)."))
    return Kept(pd.DataFrame(rows, columns=["node", "field", "position", "the source there"]), sentence)


def passes_compared(fn: _Any, other: _Any, labels: tuple[str, str] = ("default", "-N -l")) -> Kept:
    """One function's SSA compiled two ways (two `gokit.ssa` results): how many passes ran and how many values
    were left at the end, one row each, and a sentence naming the passes of the first that did not run in the
    second (with `-N` the compiler runs only the passes marked required)."""
    import pandas as pd
    frame = pd.DataFrame({"compiled with": list(labels), "passes ran": [len(fn.ran), len(other.ran)],
                          "values at the end": [len(fn.passes[-1].values), len(other.passes[-1].values)]})
    skipped = [n for n in fn.pass_names if n not in other.pass_names]
    sentence = (f"{len(skipped)} pass{'es' if len(skipped) != 1 else ''} of {fn.name} did not run with "
                f"`{labels[1]}`" + (": " + ", ".join(f"`{n}`" for n in skipped) if skipped else "") + ".")
    return Kept(frame, sentence, listed=True)


#: The compiler's `-W` printout of one function, just before its walk phase (cmd/compile/internal/walk/walk.go).
BEFORE_WALK = "before walk {}"
AFTER_WALK = "after walk {}"


def columns(texts: _Mapping[str, str], *, font_px: int = 12) -> Table:
    """Texts side by side, each under its title in a monospaced column, for two listings of one thing. Where the
    page is too narrow for both at their natural width (JupyterLab at 1280 px with the file browser open), the
    second goes under the first, full width; a column wider than the page scrolls sideways on its own. Lines are
    never wrapped, never cut."""
    from .errors import UsageError
    from .views.ast import MONO

    if not isinstance(texts, _Mapping) or not texts or not all(isinstance(t, str) for t in texts.values()):
        raise UsageError("columns wants a dict: a title for each column -> its text")
    cols = "".join(f"<div style='flex:1 1 max-content;min-width:0;max-width:100%'><b>{_html.escape(title)}</b>"
                   "<pre style='white-space:pre;"
                   f"font-family:{MONO};overflow-x:auto;font-size:{int(font_px)}px;line-height:1.35;margin:.3em 0'>"
                   f"{_html.escape(t)}"
                   "</pre></div>" for title, t in texts.items())
    return Table(f"<div style='display:flex;flex-wrap:wrap;gap:4px 16px'>{cols}</div>", len(texts))


def ir_beside_ast(build: _Any, tree: _Any, function: str) -> Table:
    """go/ast's tree of `function` (one node a line, comments left out) next to the compiler's IR of it as
    `-gcflags=-W` prints it just before the walk phase: `build` is a `gokit.build(src, gcflags="-W")` of the
    source `tree` was parsed from."""
    from .errors import UsageError

    trace = getattr(build, "x_trace", "")
    start, end = BEFORE_WALK.format(function), AFTER_WALK.format(function)
    if start not in trace:
        raise UsageError(f"the build printed no IR of {function}: build the program with gcflags=\"-W\"")
    ir = trace.split(start, 1)[1].split(end, 1)[0].strip("\n")
    inside = {n.id for n in tree.decl(function).walk()}
    go_ast = "\n".join(label for label, i in tree.outline(comments=False) if i in inside)
    return columns({"go/ast (go/parser)": go_ast, "the compiler's IR (-gcflags=-W, before walk)": ir})


def exact_value(exact: str, typ: str) -> str:
    """A constant's value as go/constant holds it (its ExactString), written out: an integer in full, a fraction
    as its decimal expansion when that ends (up to 40 digits), a float64's (or float32's) value the way Go prints
    that float (`strconv.FormatFloat(f, 'g', -1, 64)`, the shortest that reads back the same), else the
    fraction itself."""
    from fractions import Fraction

    if not exact:
        return NOT_MEASURED
    try:
        q = Fraction(exact)
    except (ValueError, ZeroDivisionError):
        return exact   # strings, booleans, complex numbers: as go/constant wrote them
    if typ in ("float64", "float32"):
        import numpy as np

        text = repr(float(q)) if typ == "float64" else repr(float(np.float32(float(q))))
        return text[:-2] if text.endswith(".0") else text
    if q.denominator == 1:
        return str(q.numerator)
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d == 1:  # a finite decimal: print it exactly
        digits = 0
        while (q * 10 ** digits).denominator != 1:
            digits += 1
        if digits <= 40:
            whole = q * 10 ** digits
            sign = "-" if whole < 0 else ""
            n = str(abs(whole.numerator))
            n = n.rjust(digits + 1, "0")
            return f"{sign}{n[:-digits]}.{n[-digits:]}"
    return exact


def expr_table(exprs: _Any, columns: _Any = ("pos", "expr", "type", "value", "mode")) -> Table:
    """go/types' recorded expressions (a `gokit.typecheck(...).expressions` frame, or some of its rows) as the
    lessons show them: a constant's value written out exactly (see `exact_value`), — where an expression is not a
    constant."""
    shown = exprs.copy()
    if "value" in columns:
        shown["value"] = [exact_value(x, t) for x, t in zip(shown["exact"], shown["type"])]
    return table(shown[list(columns)])


def instances(types: _Any) -> Table:
    """Each use of a generic function or type in a `gokit.typecheck` result (go/types' `Info.Instances`): where,
    the expression, the type arguments go/types inferred (or read) and the instantiated signature or type."""
    ex = types.expressions
    inst = ex[ex.type_args.notna()]
    shown = inst.assign(**{"type arguments": inst.type_args.map(", ".join)})
    return table(shown[["pos", "expr", "type arguments", "instance"]])


def captures(types: _Any, outer: str = "main", nth: int = 0) -> Kept:
    """What the `nth` function literal of a program captures: the identifiers used inside it whose object was
    declared in the enclosing function `outer` (go/types' scope of the object is `func outer`), one row per use
    (a variable used twice shows twice), and a sentence with the literal's type and the names."""
    from .errors import UsageError

    ex, ob = types.expressions, types.objects
    lits = ex[ex.kind == "FuncLit"]
    if len(lits) <= nth:
        raise UsageError(f"the program has {len(lits)} function literal(s); no literal number {nth}")
    lit = lits.iloc[nth]
    inside = ob[(ob.role == "use") & (ob.offset > lit.offset) & (ob.offset < lit.end_offset)]
    captured = inside[inside.scope.str.startswith(f"func {outer}")]
    names = sorted(set(captured.name))
    sentence = (f"{lit.expr} has type {lit.type}; it captures: " + (", ".join(names) if names else "nothing"))
    return Kept(captured[["pos", "name", "kind", "type", "scope", "decl"]], sentence)


def files_marked(directory: _Any, marker: str, *, head: int = 300) -> tuple[list[_Any], list[_Any]]:
    """The non-test .go files of a directory that carry `marker` in their first `head` characters (like the
    "Code generated by" line of generated files), and all its non-test .go files: (marked, all), sorted."""
    from pathlib import Path

    files = sorted(p for p in Path(directory).glob("*.go") if not p.name.endswith("_test.go"))
    marked = [p for p in files if marker in p.read_text(encoding="utf-8", errors="replace")[:head]]
    return marked, files


@_dataclass(frozen=True)
class FrontEndCosts:
    """Parse time against type-check time of the same packages (see `front_end_costs`)."""

    frame: _Any = _field(repr=False)      # one row per size quarter
    packages: _Any = _field(repr=False)   # one row per package: path, size, parse_s, check_s, ratio
    median_ratio: float = 0.0
    sentence: str = ""                    # what the table says, computed from it

    def _repr_html_(self) -> str:
        return table(self.frame)._repr_html_()

    def __repr__(self) -> str:
        return f"(parse and type-check times of {len(self.packages)} packages)"


def front_end_costs(checks: _Any, parses: _Any, src_root: _Any) -> FrontEndCosts:
    """Per package, the time go/parser took for all its files (the sum of the files' medians from `bench.parse`)
    and the time go/types took to check it (its median from `bench.typecheck`), and their ratio: the two costs
    compared on the same code. `src_root` is GOROOT/src (a standard-library file's directory there is its
    package's path). The table groups the packages by size, as `Scaling.by_size` does."""
    import numpy as np
    import pandas as pd
    from pathlib import Path

    from .measure.fmt import _number, _sig

    root = Path(src_root)
    pkg = [Path(p).parent.relative_to(root).as_posix() for p in parses["path"]]
    parse_s = parses.assign(package=pkg).groupby("package")["median_s"].sum()
    both = pd.DataFrame({"path": checks["path"], "size": checks["size"], "check_s": checks["median_s"]})
    both["parse_s"] = both["path"].map(parse_s)
    both = both.dropna(subset=["parse_s"])
    both["ratio"] = both["check_s"] / both["parse_s"]
    names = ["smallest quarter", "2nd", "3rd", "largest quarter"]
    both["group"] = pd.qcut(both["size"].rank(method="first"), 4, labels=names)
    g = both.groupby("group", observed=True).agg(n=("path", "size"), size=("size", "median"),
                                                 parse=("parse_s", "median"), check=("check_s", "median"),
                                                 ratio=("ratio", "median"))
    frame = pd.DataFrame({"size": g.index.astype(str), "packages": g["n"].to_numpy(),
                          "median size (kB)": [_number(_sig(v / 1000, 2)) for v in g["size"]],
                          "parse (ms)": [_number(_sig(v * 1000, 2)) for v in g["parse"]],
                          "type check (ms)": [_number(_sig(v * 1000, 2)) for v in g["check"]],
                          "check ÷ parse (median of the packages' ratios)": [f"{figures(v)}×" for v in g["ratio"]]})
    med = float(np.median(both["ratio"]))
    first, last = float(g["ratio"].iloc[0]), float(g["ratio"].iloc[-1])
    trend = ("grows with size" if last > 1.25 * first else "shrinks with size" if last < 0.8 * first
             else "stays about the same from small to large")
    sentence = (f"On the same code, type checking a package took a median {figures(med)}× as long as "
                f"parsing its files (over {len(both)} packages); the ratio {trend}: "
                f"{figures(first)}× in the smallest quarter, {figures(last)}× in the largest.")
    return FrontEndCosts(frame, both.drop(columns="group"), med, sentence)


@_dataclass(frozen=True)
class ErrorComparison:
    """A front end's errors next to the compiler's for the same file (see `compiler_errors`)."""

    frame: _Any = _field(repr=False)
    same_position: bool = False   # every compared error at the same line and column
    same_text: bool = False       # every compared message word for word

    def _repr_html_(self) -> str:
        return table(self.frame)._repr_html_()

    def __repr__(self) -> str:
        return f"(errors of {len(self.frame)} rows, side by side)"


def compiler_errors(source: str, errors: _Any, *, checker: str = "go/types", first: bool = False,
                    toolchain: _Any = None) -> ErrorComparison:
    """Build `source` with `go build` and put its errors next to `errors` (a go/parser or go/types result's
    `.errors`), row by row: each as `file:line:col: message`, and whether the two agree on the position. With
    `first=True` only the first error of each. A build that succeeds shows — for the compiler."""
    import pandas as pd

    from .errors import COMPILER_ERROR_RE, GoToolError
    from .stages.builds import build

    try:
        build(source, toolchain=toolchain)
        found: list[tuple[int, int | None, str]] = []
    except GoToolError as e:
        found = [(int(m.group("line")), int(m.group("col")) if m.group("col") else None, m.group("msg"))
                 for m in COMPILER_ERROR_RE.finditer(e.stderr)]
    # the compiler prints its errors sorted by position; go/types reports them in the order it checks
    ours = sorted(errors, key=lambda e: (e.line, e.col))
    theirs = sorted(found, key=lambda f: (f[0], f[1] or 0))
    if first:
        ours, theirs = ours[:1], theirs[:1]
    rows = []
    for i in range(max(len(ours), len(theirs))):
        a = ours[i] if i < len(ours) else None
        b = theirs[i] if i < len(theirs) else None
        where_a = f"{a.line}:{a.col}" if a is not None else None
        where_b = (f"{b[0]}:{b[1]}" if b[1] is not None else f"{b[0]}") if b is not None else None
        rows.append({checker: f"{where_a}: {a.message}" if a is not None else NOT_MEASURED,
                     "go build": f"{where_b}: {b[2]}" if b is not None else NOT_MEASURED,
                     "same line:col": ("yes" if where_a == where_b else "no") if a and b else NOT_MEASURED})
    frame = pd.DataFrame(rows, columns=[checker, "go build", "same line:col"])
    compared = [r for r in rows if r["same line:col"] != NOT_MEASURED]
    same_pos = bool(rows) and len(compared) == len(rows) and all(r["same line:col"] == "yes" for r in compared)
    same_text = same_pos and all(r[checker] == r["go build"] for r in rows)
    return ErrorComparison(frame, same_pos, same_text)
