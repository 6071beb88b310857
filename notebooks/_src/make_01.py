"""Generate notebooks/01-tokens-and-ast.ipynb (outputs cleared). Run: python notebooks/_src/make_01.py

Evidence for the sentences about Go sits in comments next to them: a GOROOT/src file:line (Go 1.27.3
unless marked 1.22 = Go 1.22.10) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("01-tokens-and-ast.ipynb", budget_seconds=60)
md, code = lesson.md, lesson.code

lesson.exercise(
    "semicolons",
    question="After which lines of SNIPPET (numbered as printed) will go/scanner insert a semicolon? "
             "Give a sorted list of line numbers.",
    hint="Look at the last token of each line: a comma or an opening brace never gets a semicolon; "
         "an identifier, a literal, or a closing ) ] } does.",
    solution="Line 1 ends with the identifier main; line 7 with the } closing the slice literal; line 9 "
             "with the ) of the call; lines 10 and 11 with }. Lines ending in { or , get nothing — that "
             "is why Go makes you write the trailing comma in multi-line literals.",
    reveals=[r"\bSNIPPET\b[^\n]{0,80}\binserted\b",
             r"lines? 1, 7, 9, 10(?:,| and) 11\b"],
)


# gofmt: cmd/gofmt/gofmt.go:13-14 imports go/parser and go/printer; vet and gopls build on go/parser + go/types
# through golang.org/x/tools (GOROOT/src/cmd/vendor/golang.org/x/tools/go/analysis).
md("""
# 01 — Tokens and the syntax tree

Before a compiler can reason about `main.go` it has to *read* it: first cut the bytes into
**[[tokens|token]]** (words, numbers, operators), then group the tokens into a **[[syntax tree|ast]]**. Go's
standard library has this front end — `go/scanner`, `go/parser`, `go/ast` — and gofmt, go vet
and gopls are built on it. In this lesson you run it on Go code, live:

* the token stream as a table, including the **semicolons the scanner inserts** for you;
* the syntax tree as a diagram, as a table, and as an explorer linked to the source;
* the compiler's *own* parser and tree, next to `go/parser`'s;
* a syntax error: the partial tree the parser still returns, and the positioned error;
* a benchmark: parse time against file size over the standard library's own files.

The article these lessons answer, "Go不编译能运行吗?——从go run到go build的7步执行流拆解"
("Can Go run without compiling?"), illustrates this step with an AST produced by Acorn, a
**JavaScript** parser (its **claim 5**; quoted, not endorsed). Everything below comes from Go's
own front end, on your toolchain.
""")

code("""
import html
import random
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

import gokit
from gokit import bench, lesson

pd.set_option("display.max_colwidth", 80)
tc = gokit.toolchain()


helper = gokit.frontend_helper(tc)   # a small Go program, built once per toolchain and cached
print(f"go{tc.version} ({tc.goos}/{tc.goarch}); front-end helper: {helper.name}")
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
on and returns one row per token. The first lines of the program:
""")

code("""
toks = gokit.tokens(src)
shown = toks[["line", "col", "token", "literal", "inserted"]]
shown = shown.replace({"inserted": {True: "yes", False: ""}})
display(shown[toks.line <= 5])
lesson.fold(shown, f"all {len(toks)} tokens")
""")

md("""
`token` is go/token's name for the kind. Identifiers, literals and comments carry their text in
`literal`; operators and brackets have an empty literal (the kind says it all). How many of each
kind this small file has:
""")

code("""
toks.token.value_counts().head(12).to_frame("tokens").T
""")

# Spec "Semicolons"; go/scanner/scanner.go:849-879 (insertSemi after IDENT, literals, break/continue/
# fallthrough/return, ++ -- ) ] }) and :828, :865, :873 (the inserted SEMICOLON's literal is "\n").
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
              "semicolon inserted?": ["yes" if ln in inserted_lines else "no"
                                      for ln in last.index]})
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
for number, text in enumerate(SNIPPET.splitlines(), 1):
    print(f"{number:>2}  {text.expandtabs(4)}")
''')

code("""
prediction = ...   # your guess, e.g. [1, 4, 9]

snippet_toks = gokit.tokens(SNIPPET)
semis = snippet_toks[snippet_toks.inserted]
actual = sorted(int(n) for n in semis.line.unique())
evidence = semis[["line", "col", "token"]]
lesson.exercise("01", "semicolons").check(prediction, actual, evidence=evidence)
""")

md("""
### Which braces may start a line

The rule has one famous consequence. The brace that opens the body of a `func`, `if`, `for` or
`switch` must stay on the line of its header: put it on the next line and the header's line ends
with a token that gets a semicolon (the `)` of `func main()`, the `0` of `if x > 0`), so the
scanner inserts one before the parser ever sees the `{`. A `{` that
opens a nested block or an element of a composite literal may start a line, because the line
before ends where a semicolon (or a comma) belongs anyway. Four small programs, parsed:
""")

code('''
MAIN = "package main\\n\\nfunc main() {\\n\\tx := 1\\n%s}\\n"
BRACES = {
    "func body on its own line": "package main\\n\\nfunc main()\\n{\\n\\tprintln(1)\\n}\\n",
    "if body on its own line": MAIN % "\\tif x > 0\\n\\t{\\n\\t\\tprintln(x)\\n\\t}\\n",
    "nested block on its own line": MAIN % "\\t{\\n\\t\\tprintln(x)\\n\\t}\\n",
    "literal element on its own line":
        "package main\\n\\nvar pts = [][]int{\\n\\t{1, 2},\\n\\t{3, 4},\\n}\\n",
}
said = {name: "; ".join(str(e) for e in gokit.parse(text).errors) for name, text in BRACES.items()}
pd.DataFrame({"program": list(said), "go/parser says": [m or "fine" for m in said.values()]})
''')

md("""
The scanner's view of the first one: a `SEMICOLON` (inserted) right after `func main()`, before
the `{` on line 4:
""")

code("""
brace_toks = gokit.tokens(BRACES["func body on its own line"])
near = brace_toks[brace_toks.line.between(3, 4)][["line", "col", "token", "literal", "inserted"]]
near.replace({"inserted": {True: "yes", False: ""}})
""")

md("""
## The syntax tree

`go/parser` turns the tokens into a tree of `go/ast` nodes: a `File` holds declarations
(`GenDecl`, `FuncDecl`), a function body holds statements (`IfStmt`, `ReturnStmt`), and
statements hold expressions (`BinaryExpr`, `CallExpr`, `Ident`). `gokit.parse` gives every node
its go/ast type name (`kind`), its span (`pos`, `end`), its fields and its children in go/ast
field order. Open the fold to see the whole tree, one node per line:
""")

code("""
tree = gokit.parse(src)
tree
""")

md("""
A whole file is a big tree, so draw one declaration at a time. Each box is a node — its go/ast
kind and key field (an identifier's name, an operator, a literal's value); each edge is labelled
with the go/ast field that holds the child (`Cond`, `Body`, `X`, `List[0]`); the colours are
explained on top.
""")

code("""
lesson.show(tree.to_graphviz(root="abs"))
""")

# go/ast/ast.go:712-716 (BlockStmt: Lbrace, List, Rbrace), :390-396 (CallExpr: Lparen, Rparen);
# the only Semicolon field in go/ast is EmptyStmt's (ast.go:642), an empty statement, not a separator.
md("""
Brackets and braces have no boxes: the tree keeps what they *meant* (a `BlockStmt`, a
`CallExpr`) and **where** they were, in position fields like a `BlockStmt`'s `Lbrace` and
`Rbrace`. Separator semicolons, typed or inserted, leave nothing in the tree. Tokens against
nodes for this file, and the position fields of `abs`'s body:
""")

code("""
punct = {"LPAREN", "RPAREN", "LBRACE", "RBRACE", "LBRACK", "RBRACK", "SEMICOLON", "COMMA", "PERIOD"}
print(f"{len(toks)} tokens, of which {toks.token.isin(punct).sum()} are punctuation "
      f"({toks.inserted.sum()} inserted semicolons); {len(tree)} syntax-tree nodes")
body = tree.decl("abs").children[-1]
for name, p in body.positions.items():
    char = SOURCE.splitlines()[p.line - 1][p.col - 1]
    print(f"{body.kind}.{name} = {p}, where the source has {char}")
print("nodes with a semicolon position:", sum("Semicolon" in n.positions for n in tree.nodes()))
""")

md("""
The same tree as a table, one row per node in the order `ast.Inspect` visits them (the first
twelve rows; `tree.to_frame()` has all of them):
""")

code("""
nodes = tree.to_frame()
nodes[["id", "depth", "kind", "key", "role", "line", "col", "end_line", "end_col"]].head(12)
""")

md("""
Every node knows the exact source it covers:
""")

code("""
for n in tree.find("ReturnStmt"):
    print(f"{n.pos}–{n.end}  {tree.text(n)}")
""")

md("""
## Exploring the tree against the source

Pick a node in the list on the left, or click a line of the source on the right: the innermost
node of that line is selected, as in astexplorer. Its span lights up in the source and its fields
show below, with the type `go/types` gives it (the next lesson's subject). The check boxes hide
fields go/ast left empty, and the positions.
""")

code("""
tree.explore(types=True)
""")

md("""
The explorer is made of plain functions you can call yourself — for example the innermost node
of line 12, and its highlighted span:
""")

code("""
n = tree.node_at(12)
print(n)
HTML(tree.highlight_html(n, context_lines=1))
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

# noder/noder.go:58 syntax.Parse (1.22: :59); noder/irgen.go:59-100 types2.Config ... conf.Check (1.22: :52-93);
# walk/walk.go:39 prints "before walk" under -W. `go list -deps cmd/compile` has no go/types; go/parser only
# comes in through go/build (internal/exportdata -> go/build), which locates packages, not parses your code.
md("""
## The compiler's own parser and tree

The compiler does not read your code with `go/parser`: `cmd/compile` has its own scanner and
parser (`cmd/compile/internal/syntax`) and its own type checker (`types2`), and turns their
result into its own intermediate representation ([[IR|typed-ir]]). Its package list shows the twins, and no
`go/types`:
""")

code("""
deps = set(tc.go_cmd("list", "-deps", "cmd/compile", cwd=tc.goroot / "src").out.split())
for p in ("cmd/compile/internal/syntax", "cmd/compile/internal/types2", "go/types"):
    print(f"{p:30} {'imported by the compiler' if p in deps else 'not imported'}")
""")

# cci/base/flag.go:67 W "debug parse tree after type checking"; cci/walk/walk.go:38-45 prints "before walk
# %v" / "after walk %v" when -W is set (1.22: the same lines in walk.go).
md("""
`-gcflags=-W` makes the compiler print its IR tree of every function. Here is `abs` as the
compiler holds it just before its `walk` phase, next to go/ast's tree of the same function. By
then the IR has been type-checked (`int`), its names resolved (`PPARAM`: a parameter) and [[escape|escape-analysis]]
analysis has run (`esc(no)`: `n` does not escape); go/ast has only the syntax:
""")

code("""
out_dir = Path(tempfile.mkdtemp(prefix="gokit-lesson01-"))
build = tc.go_cmd("build", "-gcflags=-W", "-o", str(out_dir / "play"), ".", cwd=gokit.package(src, toolchain=tc).moddir)
shutil.rmtree(out_dir)
ir_abs = build.err.split("before walk abs", 1)[1].split("after walk abs", 1)[0].strip("\\n")
in_abs = {n.id for n in tree.decl("abs").walk()}
go_ast = "\\n".join(label for label, i in tree.outline(comments=False) if i in in_abs)
column = "<div style='{}'><b>{}</b><pre style='white-space:pre'>{}</pre></div>"
HTML("<div style='display:flex;gap:16px;font-size:11px'>"
     + column.format("flex:0 0 auto", "go/ast (go/parser)", html.escape(go_ast))
     + column.format("flex:1;min-width:0;overflow-x:auto",
                     "the compiler's IR (-gcflags=-W, before walk)", html.escape(ir_abs))
     + "</div>")
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
pd.DataFrame([{"placeholder": n.kind, "at": str(n.pos),
               "source it covers": " ".join(broken.text(n).split()) or "(nothing)"}
              for n in broken.nodes() if n.kind.startswith("Bad")])
""")

md("""
The compiler's own parser reports the same first error, in its own words. Build the broken
program and compare:
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
same = compiler is not None and (first.line, first.col) == (compiler.line, compiler.col)
print("same line:col:", "yes" if same else "no")
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
focus = next(big.node(i) for i, n in sizes.items() if 25 <= n <= 45)
print(f"func {focus.key}: {sizes[focus.id]} nodes; drawn to depth 3")
lesson.show(big.to_graphviz(root=focus, max_depth=3))
""")

md("""
## Benchmark: parse time against file size

How does parsing scale? Below, `go/parser` parses every non-test `.go` file of sixteen
standard-library packages, several times each, inside the helper process (so process start-up
is not in the numbers); each point is a file's median, its bar the [[interval|median-interval]] of
that median (the plot's legend gives its coverage). File sizes span three orders of magnitude, so both axes are logarithmic and the
line is fitted there: time = c · size^b, with a shaded band (a bootstrap 95% band over the files). An exponent b near 1 means the
cost grows in proportion to size.
""")

code("""
PACKAGES = ["fmt", "strings", "strconv", "sort", "bufio", "bytes", "errors", "os", "time", "regexp",
            "net/http", "encoding/json", "go/ast", "go/parser", "go/types", "runtime"]
RUNS = bench.runs(5)
files = [p for pkg in PACKAGES for p in sorted((tc.goroot / "src" / pkg).glob("*.go"))
         if not p.name.endswith("_test.go")]
random.Random(1).shuffle(files)   # no order effects
bp = bench.parse(files, runs=RUNS)
bp["kb"] = bp["size"] / 1024
bp["ms"] = bp["median_s"] * 1e3
fit = bench.scaling(bp["kb"], bp["ms"], y_low=bp["ci_low_s"] * 1e3, y_high=bp["ci_high_s"] * 1e3,
                    labels=[Path(p).name for p in bp["path"]])
display(Markdown(f"{len(bp)} files, {bp['size'].sum() / 1e6:.1f} MB. "
                 f"Fit: {fit.describe('KB', 'ms')}"))
fit.by_size(items="files")   # the files in four groups by size: does a KB cost more in a bigger file?
""")

code("""
fit.plot(xlabel="file size (KB)", ylabel="go/parser time (ms)",
         point_label=f"median of {RUNS} runs (bar: its {bench.interval_kind(RUNS)})",
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
                    runs=bench.runs(10), warmup=2, progress=False)
res
""")

code("""
res.plot()
""")

code_hidden(lesson, """
tiny_parse = bp.loc[bp["path"] == str(tiny), "median_s"].iloc[0]
whole = res.summary["median"]
typical_kb = float(bp["kb"].median())
display(Markdown(
    f"* Parsing a typical {typical_kb:.0f} KB file costs about **{fit.predict(typical_kb) / typical_kb * 1000:.0f} µs "
    f"per KB** on this machine (the fitted line at the median file size, over {len(bp)} real files); the exponent "
    f"is {fit.exponent:.2f} (bootstrap 95% interval over the files {fit.exponent_low:.2f}–{fit.exponent_high:.2f}).\\n"
    f"* A whole helper process for `{tiny.name}` took {bench.fmt_seconds(whole.iloc[0])}, of which "
    f"go/parser itself took {tiny_parse * 1e6:.0f} µs; for `{biggest.name}` "
    f"({biggest.stat().st_size // 1024} KB) the process took {bench.fmt_seconds(whole.iloc[1])}."))
""")

md("""
## What you saw
""")

code_hidden(lesson, """
display(Markdown("\\n".join([
    f"* `go/scanner` cut this {len(SOURCE)}-byte file into {len(toks)} tokens and inserted {int(toks.inserted.sum())} "
    "semicolons at line ends; a `{` on its own line broke a `func` and an `if`, not a nested block or a literal element.",
    f"* `go/parser` built {len(tree)} `go/ast` nodes with spans and bracket positions, comments included; "
    "the explorer picks the innermost node of a clicked line.",
    "* The compiler lists its own parser and type checker (`syntax`, `types2`) among its packages"
    + ("" if "go/types" in deps else ", and not `go/types`") + "; `-gcflags=-W` printed its IR tree of `abs`, and "
    f"its parser reported the broken file's first error at go/parser's line and column ({first.line}:{first.col}).",
    f"* Parsing cost about {fit.predict(typical_kb) / typical_kb * 1000:.0f} µs per KB here, with an exponent of "
    f"{fit.exponent:.2f}.",
    "* Claim 5: all of this is Go's own front end on Go code — no JavaScript parser involved.",
])))
""")

lesson.myth_check(5)
lesson.further_reading()

next_lesson(lesson, "02", "what the type checker learns about every one of these expressions")

lesson.write()
