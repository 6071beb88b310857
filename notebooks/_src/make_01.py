"""Generate notebooks/01-tokens-and-ast.ipynb (outputs cleared). Run: python notebooks/_src/make_01.py"""
from __future__ import annotations

from _nb import Lesson

lesson = Lesson("01-tokens-and-ast.ipynb", budget_seconds=60)
md, code = lesson.md, lesson.code

lesson.exercise(
    "semicolons",
    question="On which lines of SNIPPET will go/scanner insert a semicolon? Give a sorted list of line numbers.",
    hint="Look at the last token of each line: a comma or an opening brace never gets a semicolon; "
         "an identifier, a literal, or a closing ) ] } does.",
    solution="Line 1 ends with the identifier main; line 7 with the } closing the slice literal; line 9 "
             "with the ) of the call; lines 10 and 11 with }. Lines ending in { or , get nothing — that "
             "is why Go makes you write the trailing comma in multi-line literals.",
)


md("""
# 01 — Tokens and the syntax tree

Before the compiler can reason about `main.go` it has to *read* it: first cut the bytes into
**tokens** (words, numbers, operators), then group the tokens into a **syntax tree**. Go ships
this front end in its standard library — `go/scanner`, `go/parser`, `go/ast` — and gofmt, go vet
and gopls are built on it. In this lesson you run it on Go code, live:

* the token stream as a table, including the **semicolons the scanner inserts** for you;
* the syntax tree as a diagram, as a table, and as an explorer linked to the source;
* a syntax error: the partial tree the parser still returns, and the positioned error,
  next to what the compiler's own parser says;
* a benchmark: parse time against file size over the standard library's own files.

The article this kit answers (*Can Go run without compiling?*) illustrates this step with an
AST produced by Acorn, a **JavaScript** parser (its **claim 5**). Everything below comes from
Go's own front end, running on your toolchain.
""")

code("""
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from IPython.display import HTML, Markdown, display

import gokit
from gokit import bench

pd.set_option("display.max_colwidth", 80)
tc = gokit.toolchain()
helper = gokit.frontend_helper(tc)   # a small Go program, built once per toolchain and cached
print(f"go{tc.version}; front-end helper: {helper.name}")
""")

md("""
`gokit` asks Go itself: `gokit.frontend_helper` builds a small Go program (shipped inside gokit,
standard library only) with *your* toolchain, once, and every view below runs it and reads
the JSON it prints.

## The program

Edit it if you like, then run the notebook again from the top.
""")

code('''
SOURCE = """package main

import "fmt"

// Point is a position on a grid.
type Point struct{ X, Y int }

func (p Point) Dist() int { return abs(p.X) + abs(p.Y) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func main() {
	p := Point{3, -4}
	fmt.Println(p.Dist())
}
"""
src = gokit.Source(SOURCE)
src
''')

md("""
## Tokens

`go/scanner` reads the bytes and hands out one token at a time: where it starts, what kind it is
(a constant of `go/token`), and its literal text. `gokit.tokens` runs it with comments switched
on and returns one row per token.
""")

code("""
toks = gokit.tokens(src)
toks.head(20)
""")

md("""
`token` is go/token's name for the kind. Identifiers, literals and comments carry their text in
`literal`; operators and brackets have an empty literal (the kind says it all); `text` shows how
each token was written. How many of each kind this small file has:
""")

code("""
toks.token.value_counts().head(12).to_frame("tokens").T
""")

md("""
## Semicolons nobody typed

Go's grammar separates statements with `;`, yet the program above has none. The Go spec's rule:
when a line's last token is an identifier, a literal, one of the keywords `break`, `continue`,
`fallthrough`, `return`, or one of `++ -- ) ] }`, the scanner **inserts a semicolon** at the
newline. `go/scanner` reports it as a `SEMICOLON` whose literal is `"\\n"`; gokit marks those rows
`inserted`. For every line, its last token and whether a semicolon followed:
""")

code("""
code_toks = toks[toks.token != "COMMENT"]
last = code_toks[~code_toks.inserted].groupby("line").tail(1).set_index("line")
inserted_lines = set(toks[toks.inserted].line)
pd.DataFrame({"last token": last.token, "as written": last.text,
              "semicolon inserted": [ln in inserted_lines for ln in last.index]})
""")

md("""
### Predict, then run
""")

code('''
SNIPPET = """package main

func main() {
	xs := []int{
		1,
		2,
	}
	for i := range xs {
		println(xs[i])
	}
}
"""
ex_semis = gokit.exercise("01", "semicolons")
print(SNIPPET)
ex_semis
''')

code("""
prediction = ...   # your guess, e.g. [1, 4, 9]

snippet_toks = gokit.tokens(SNIPPET)
actual = sorted(int(n) for n in snippet_toks[snippet_toks.inserted].line.unique())
ex_semis.check(prediction, actual)
""")

md("""
### Why the `{` has to stay on the line of `func main()`

Put the brace on its own line and the line before it ends with `)` — so the scanner inserts a
semicolon there, before the parser ever sees the `{`:
""")

code("""
BRACE = "package main\\n\\nfunc main()\\n{\\n\\tprintln(1)\\n}\\n"
brace_toks = gokit.tokens(BRACE)
brace_toks[brace_toks.line <= 4][["line", "col", "token", "literal", "inserted"]]
""")

code("""
for e in gokit.parse(BRACE).errors:
    print(e)
""")

md("""
## The syntax tree

`go/parser` turns the tokens into a tree of `go/ast` nodes: a `File` holds declarations
(`GenDecl`, `FuncDecl`), a function body holds statements (`IfStmt`, `ReturnStmt`), and
statements hold expressions (`BinaryExpr`, `CallExpr`, `Ident`). `gokit.parse` gives every node
its go/ast type name (`kind`), its span (`pos`, `end`), its scalar fields and its children in
go/ast field order.
""")

code("""
tree = gokit.parse(src)
tree
""")

md("""
A whole file is a big tree, so draw one declaration at a time. Each box is a node — its go/ast
kind and key field (an identifier's name, an operator, a literal's value); each edge is labelled
with the go/ast field that holds the child (`Cond`, `Body`, `X`, `List[0]`).
""")

code("""
gokit.show(tree.to_graphviz(root="abs"))
""")

md("""
Brackets, braces and the inserted semicolons have no boxes: the tree keeps what they *meant*
(a `BlockStmt`, a `CallExpr`) and only their positions. Tokens against nodes for this file:
""")

code("""
punct = {"LPAREN", "RPAREN", "LBRACE", "RBRACE", "LBRACK", "RBRACK", "SEMICOLON", "COMMA", "PERIOD"}
print(f"{len(toks)} tokens, of which {toks.token.isin(punct).sum()} are punctuation "
      f"({toks.inserted.sum()} inserted semicolons); {len(tree)} syntax-tree nodes")
""")

md("""
The same tree as a table, one row per node in the order `ast.Inspect` visits them:
""")

code("""
nodes = tree.to_frame()
nodes[["id", "depth", "kind", "key", "role", "line", "col", "end_line", "end_col"]].head(16)
""")

md("""
Every node knows the exact source it covers:
""")

code("""
for n in tree.find("ReturnStmt"):
    print(f"{n.pos}–{n.end}  {tree.text(n)!r}")
""")

md("""
## Exploring the tree against the source

Pick a node on the left: its span lights up in the source and its fields show on the right,
with the type `go/types` gives it (the next lesson's subject).
""")

code("""
tree.explore(types=True)
""")

md("""
The explorer is made of plain functions you can call yourself — for example the highlighted
span of the first binary expression:
""")

code("""
HTML(tree.highlight_html(tree.find("BinaryExpr")[0], context_lines=1))
""")

md("""
## Comments are in the tree too

With `parser.ParseComments`, each comment is a `Comment` node inside a `CommentGroup`. A group
right above a declaration becomes that declaration's `Doc` field:
""")

code("""
pd.DataFrame([{"comment": tree.text(g), "held by": tree.parent(g).label, "field": g.where}
              for g in tree.nodes("CommentGroup")])
""")

md("""
## A syntax error

Delete the `n` after `return -` and parse again. `go/parser` does not stop at the first problem:
it returns a **partial tree** with `BadExpr`/`BadStmt` placeholders, and positioned errors.
Later errors are often consequences of the first.
""")

code("""
BROKEN = SOURCE.replace("return -n", "return -")
broken = gokit.parse(BROKEN)
broken
""")

code("""
[(n.kind, str(n.pos)) for n in broken.nodes() if n.kind.startswith("Bad")]
""")

md("""
The compiler does not use `go/parser`: `cmd/compile` has its own parser. Build the same broken
program and compare its first error with `go/parser`'s:
""")

code("""
try:
    gokit.build(BROKEN)
    compiler = None
except gokit.GoToolError as e:
    compiler = e.error
first = broken.errors[0]
print(f"go/parser: {first}")
print(f"go build : {compiler}")
print("same line:col:", compiler is not None and (first.line, first.col) == (compiler.line, compiler.col))
""")

md("""
## A big file, one declaration at a time

The largest file in `net/http`, from your GOROOT — code none of us wrote:
""")

code("""
http_dir = tc.goroot / "src" / "net" / "http"
biggest = max(http_dir.glob("*.go"), key=lambda p: p.stat().st_size)
t0 = time.perf_counter()
big = gokit.parse(biggest)
took = time.perf_counter() - t0
print(f"{biggest.name}: {biggest.stat().st_size:,} bytes, {len(big):,} nodes, "
      f"parsed and loaded into Python in {took * 1000:.0f} ms")
pd.Series(big.counts()).sort_values(ascending=False).head(10).to_frame("nodes").T
""")

code("""
sizes = {d.id: sum(1 for _ in d.walk()) for d in big.root.children if d.kind == "FuncDecl"}
focus = next(big.node(i) for i, n in sizes.items() if 40 <= n <= 90)
print(f"func {focus.key}: {sizes[focus.id]} nodes; drawn to depth 4")
gokit.show(big.to_graphviz(root=focus, max_depth=4))
""")

md("""
## Benchmark: parse time against file size

How does parsing scale? Below, `go/parser` parses every non-test `.go` file of sixteen
standard-library packages, five times each, inside the helper process (so process start-up is
not in the numbers); each point is a file's median, its bar the 95% confidence interval of that
median. File sizes span three orders of magnitude, so both axes are logarithmic and the line is
fitted there: time = c · size^b, with a shaded 95% band. An exponent b near 1 means the cost
grows in proportion to size.
""")

code("""
PACKAGES = ["fmt", "strings", "strconv", "sort", "bufio", "bytes", "errors", "os", "time", "regexp",
            "net/http", "encoding/json", "go/ast", "go/parser", "go/types", "runtime"]
files = [p for pkg in PACKAGES for p in sorted((tc.goroot / "src" / pkg).glob("*.go"))
         if not p.name.endswith("_test.go")]
random.Random(1).shuffle(files)   # no order effects
bp = bench.parse(files, runs=5)
bp["kb"] = bp["size"] / 1024
bp["ms"] = bp["median_s"] * 1e3
fit = bench.scaling(bp["kb"], bp["ms"], y_low=bp["ci_low_s"] * 1e3, y_high=bp["ci_high_s"] * 1e3,
                    labels=[Path(p).name for p in bp["path"]])
bp["size class"] = pd.qcut(bp["size"], 4, labels=["smallest quarter", "2nd", "3rd", "largest quarter"])
table = bp.groupby("size class", observed=True).agg(
    files=("path", "size"), **{"median size (KB)": ("kb", "median"), "median time (ms)": ("ms", "median"),
    "time per KB (µs)": ("ms", lambda s: float(np.median(s / bp.loc[s.index, "kb"])) * 1000)})
print(f"{len(bp)} files, {bp['size'].sum() / 1e6:.1f} MB. Fit: {fit.describe('KB', 'ms')}")
table.round(2)
""")

code("""
fit.plot(xlabel="file size (KB)", ylabel="go/parser time (ms)", point_label="median of 5 runs (bar: 95% CI)",
         title=f"Parsing standard-library files, go{tc.version}",
         annotate=[Path(bp.loc[bp["size"].idxmax(), "path"]).name])
""")

md("""
What a learner actually waits for is a whole `gokit.parse`: start the helper process, parse,
print JSON. Timed as whole processes with `gokit.bench` (interleaved runs, medians and spread),
a tiny file against the biggest one:
""")

code("""
tiny = tc.goroot / "src" / "errors" / "errors.go"
res = bench.compare({f"helper ast {tiny.name}": [str(helper), "ast", str(tiny)],
                     f"helper ast {biggest.name}": [str(helper), "ast", str(biggest)]},
                    runs=10, warmup=2, progress=False)
res
""")

code("""
display(res.plot())
tiny_parse = bp.loc[bp["path"] == str(tiny), "median_s"].iloc[0]
whole = res.summary["median"]
typical_kb = float(bp["kb"].median())
display(Markdown(
    f"* Parsing a typical {typical_kb:.0f} KB file costs about **{fit.predict(typical_kb) / typical_kb * 1000:.0f} µs "
    f"per KB** on this machine (the fitted line at the median file size, over {len(bp)} real files); the exponent "
    f"is {fit.exponent:.2f} (95% CI {fit.exponent_low:.2f}–{fit.exponent_high:.2f}).\\n"
    f"* A whole helper process for `{tiny.name}` took {bench.fmt_seconds(whole.iloc[0])}, of which "
    f"go/parser itself took {tiny_parse * 1e6:.0f} µs; for `{biggest.name}` "
    f"({biggest.stat().st_size // 1024} KB) the process took {bench.fmt_seconds(whole.iloc[1])}."))
""")

md("""
## What you saw

* `go/scanner` cuts source into tokens and inserts the semicolons the grammar needs at line
  ends — which is why a `{` cannot start a line and a multi-line literal needs trailing commas.
* `go/parser` builds a tree of `go/ast` nodes; each knows its kind, fields and exact span, and
  comments hang on the declarations they document.
* A broken file still parses into a partial tree with positioned errors; the compiler's own
  parser reported its first error next to `go/parser`'s above.
* Claim 5: this is Go's own front end on Go code — no JavaScript parser involved.

Next: what the type checker learns about every one of these expressions, in
[02 — types](02-types.ipynb).
""")

lesson.write()
