"""Generate notebooks/01-tokens-and-ast.ipynb (outputs cleared). Run: python notebooks/_src/make_01.py

Evidence for the sentences about Go sits in comments next to them: a GOROOT/src file:line (Go 1.27.3
unless marked 1.22 = Go 1.22.10) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("01-tokens-and-ast.ipynb", budget_seconds=30)
#: The widest code line that shows whole in JupyterLab at 1280 px with the file browser open.
CODE_WIDTH = 104
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
# go/parser/parser.go:2232-2260 parseSwitchStmt (1.22: :2214-2242): after `switch`, a simple statement s2; if a
# SEMICOLON follows, s1 = s2 (the init statement) and s2 = nil, and the tag is parsed only if the next token is
# not `{`. Spec, "Switch statements": "A missing switch expression is equivalent to the boolean value true."
# Live: lesson.gofmt prints `switch x; {`; go/types: "x (variable of type int) is not used", "cannot convert 1
# (untyped int constant) to type bool" (both releases; tests/test_lesson_helpers.py).
lesson.exercise(
    "switch-brace",
    question="In SWITCH the line `switch x` ends with an identifier, so go/scanner inserts a semicolon before the "
             "`{` on the next line. Does go/parser accept the file (True or False)?",
    hint="The semicolon is certain; the question is whether Go's grammar has a place for a `;` right after "
         "`switch x`. Think of `switch v := f(); v {`.",
    solution="True: it parses, as another program. A switch header may start with a simple statement and a `;` "
             "(`switch v := f(); v {`), and its tag is optional. So go/parser reads `switch x; {`: `x` is the "
             "init statement and the switch has no tag, which means `switch true` (gofmt prints it as "
             "`switch x; {`). go/types then rejects it: `x` is evaluated and not used, and `case 1` cannot be "
             "compared with `true`. So the exact rule: a semicolon is inserted at the end of the line whatever "
             "comes next; it breaks the code where the grammar has no place for a `;` (after a function's "
             "signature, an `if` condition, a `for` clause), and where it has one, the code still parses but "
             "means something else.",
    reveals=[r"switch x\s*;\s*\{",
             r"\bswitch x\b[^.]{0,120}\b(?:parses|no errors)\b",
             r"\bswitch true\b"],
)


# gofmt: cmd/gofmt/gofmt.go:13 imports go/parser (both releases); vet and gopls build on go/parser + go/types
# through golang.org/x/tools (GOROOT/src/cmd/vendor/golang.org/x/tools/go/analysis).
md("""
# 01 — Tokens and the syntax tree

Before a compiler can reason about `main.go` it has to *read* it: first cut the bytes into
**[[tokens|token]]** (words, numbers, operators), then group the tokens into a **[[syntax tree|ast]]**. Go's
standard library has this front end — `go/scanner`, `go/parser`, `go/ast` — and gofmt, go vet
and gopls are built on it. In this lesson you run it on Go code, live:

* the token stream as a table, including the **semicolons the scanner inserts** for you, and
  exactly when one breaks your code;
* the syntax tree as a diagram, as a table, and as an explorer linked to the source;
* the compiler's *own* parser and tree, next to `go/parser`'s;
* a syntax error: the partial tree the parser still returns, and the positioned error;
* a benchmark: parse time against file size over the standard library's own files.

The article these lessons answer illustrates this step with an AST produced by Acorn, a
**JavaScript** parser (its claim 5; the myth-check box below the first tree). Everything here comes
from Go's own front end, on your toolchain.
""")

lesson.objectives(
    "say where go/scanner inserts a semicolon, and when a `{` at the start of a line breaks a program",
    "read a `go/ast` tree: node kinds, the fields that hold children, positions and spans",
    "find the node of any line with the explorer, and a syntax error's position and partial tree",
    "tell go/parser from the compiler's own parser (`cmd/compile/internal/syntax`) and its IR",
    "measure how parse time grows with file size, and read a log–log fit and its interval",
)

code("""
import random
import time

from IPython.display import HTML, Markdown

import gokit
from gokit import bench, lesson

tc = gokit.toolchain()
helper = gokit.frontend_helper(tc, lite=True)   # a small Go program, built once per toolchain
print(f"go{tc.version} ({tc.goos}/{tc.goarch}); front-end helper ready")
""")

md("""
`gokit` asks Go itself: `gokit.frontend_helper` builds a small Go program (shipped inside gokit,
standard library only) with *your* toolchain, once, and every view below runs it and reads
the JSON it prints. `lite=True` builds it without the type checker, which is all this lesson's first
cells need; the first cell that needs `go/types` builds the full helper, once, with a progress bar.

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
''')

# go/scanner/scanner.go:802 and :828, :865, :873 (1.22: :772, :795, :830, :838): an inserted SEMICOLON has the
# literal "\n" (a newline); one typed in the source has ";".
md("""
## Tokens

`go/scanner` reads the bytes and hands out one token at a time: where it starts (`line`, `col`),
what kind it is (`token`: the name of a `go/token` constant) and its `text`. `gokit.tokens` runs it
with comments switched on and returns one row per token. The first lines of the program:
""")

code("""
toks = gokit.tokens(src)
display(lesson.token_table(toks, through_line=5))
lesson.fold(lesson.token_table(toks), f"all {len(toks)} tokens")
""")

# go/scanner/scanner.go Scan: an inserted SEMICOLON's literal is "\n" (1.27: :802, :828; 1.22: :772, :795); operators
# and delimiters come back with an empty literal (their text is the token's String(), go/token/token.go).
md("""
The `SEMICOLON` rows marked `inserted` were not typed: the scanner made them up (more on them
below); their text is the newline they stand for. How many tokens of each kind this small file has:
""")

code("""
lesson.top_counts(toks.token, "tokens")
""")

# Spec "Semicolons"; go/scanner/scanner.go:849-924 (1.22: :814-889): insertSemi after IDENT, literals,
# break/continue/fallthrough/return, ++ -- ) ] }.
md("""
## Semicolons nobody typed

Go's grammar separates statements with `;`, yet the program above has none. The Go spec's rule:
when a line's last token is an identifier, a literal, one of the keywords `break`, `continue`,
`fallthrough`, `return`, or one of `++ -- ) ] }`, the scanner **inserts a semicolon** at the
newline. `go/scanner` reports it as a `SEMICOLON` whose literal is the newline itself, shown as
*newline* above; gokit marks those rows `inserted`. For every line, its last token and whether
a semicolon followed:
""")

code("""
lesson.line_ends(toks)
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
prediction = ...   # your guess: a list of line numbers, like [3, 6]

snippet_toks = gokit.tokens(SNIPPET)
semis = snippet_toks[snippet_toks.inserted]
actual = sorted(int(n) for n in semis.line.unique())
lesson.exercise("01", "semicolons").check(prediction, actual, evidence=semis[["line", "col", "token"]])
""")

# func header: go/parser/parser.go:2810 "unexpected semicolon or newline before {" (1.22: :2788); if header:
# :2139 "unexpected newline, expecting { after if clause" (1.22: :2121). A keyword other than break, continue,
# fallthrough, return ends a line without a semicolon (scanner.go:849-850); nested block and composite literal
# element: a `;` or `,` belongs at the end of the line before anyway. All checked live by the cell below, on
# both releases (tests/test_lesson_helpers.py), and with gofmt -e.
md("""
### When a `{` may start a line

The rule has a famous consequence, usually said as "the `{` must stay on the line of its header".
What really happens: at the end of a line the scanner inserts a semicolon whenever the line's last
token asks for one, *whatever comes on the next line*; whether that `;` before a `{` breaks the
program is then up to the parser. Six small programs, each a file starting with `package main`,
with a `{` at the start of a line — what the scanner, `go/parser` (which gofmt uses) and, when it
parses, `go/types` say:
""")

code_hidden(lesson, '''
BRACES = {   # the programs the cards below show (each file starts with package main)
    "func header": """
func main()
{
	println(1)
}""",
    "if header": """
func main() {
	x := 1
	if x > 0
	{
		println(x)
	}
}""",
    "bare for": """
func main() {
	for
	{
		break
	}
}""",
    "else": """
func main() {
	x := 1
	if x > 0 {
		println(x)
	} else
	{
		println(-x)
	}
}""",
    "nested block": """
func main() {
	x := 1
	{
		println(x)
	}
}""",
    "literal element": """
var pts = [][]int{
	{1, 2},
	{3, 4},
}

func main() { println(len(pts)) }""",
}
braces = lesson.brace_table(BRACES)
braces
''')

md("""
A line that ends in `)` or in a literal gets its semicolon, and after a function's signature or
an `if` condition the grammar has no place for one: an error. A line that ends in a keyword such
as `for` or `else` gets none, so the brace may start the next line (gofmt moves it back onto the
line above). Before a nested block the inserted `;` ends the statement above, as it should; inside
a literal the line above ends in `{` or `,`, which get none. (The cell that defines the six
programs is folded: the cards show them; click its `…` to edit them.)
""")

# go/parser/parser.go:343-349 expectClosing (1.22: :325-331): a `;` whose literal is "\n" where a `}` closes a
# composite literal gives "missing ',' before newline in composite literal" (:1710; 1.22: :1692).
lesson.try_yourself("""
Remove the comma after `2` in `SNIPPET` (line 6) and look at what each tool says. In a new cell:
`gokit.tokens(SNIPPET.replace("2,", "2"))` — which line now gets an inserted semicolon? — then
`gokit.parse(SNIPPET.replace("2,", "2"))` for go/parser's error, and `lesson.gofmt(...)` on the same
text: gofmt refuses a file that does not parse. This is why Go asks for the trailing comma.
""")

md("""
### Predict, then run: a `switch` with its brace below
""")

code('''
SWITCH = """package main

func main() {
	x := 1
	switch x
	{
	case 1:
		println(x)
	}
}
"""
''')

code("""
prediction = ...   # True or False

checked = lesson.brace_table({"switch x": SWITCH.removeprefix("package main")})
parses = checked.frame.parser[0] == "parses"
gofmt_says = lesson.gofmt(SWITCH)   # gofmt prints the file as go/parser read it
lesson.exercise("01", "switch-brace").check(prediction, parses, evidence=[checked, gofmt_says])
""")

md("""
## The syntax tree

`go/parser` turns the tokens into a tree of `go/ast` nodes: a `File` holds declarations
(`GenDecl`, `FuncDecl`), a function body holds statements (`IfStmt`, `ReturnStmt`), and
statements hold expressions (`BinaryExpr`, `CallExpr`, `Ident`). `gokit.parse` gives every node
its go/ast type name (`kind`), its span (`pos`, `end`), its fields and its children in go/ast
field order. Open the fold to see the whole tree, one node per line (the two comment nodes are
left out of it; they come back below):
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
lesson.diagram(tree.to_graphviz(root="abs"))
""")

lesson.myth_heading = True   # the box sits in the lesson, by the tree that shows its claim, not under a heading
lesson.myth_check(5)

# go/ast/ast.go:712-716 (BlockStmt: Lbrace, List, Rbrace), :390-396 (CallExpr: Lparen, Rparen);
# the only Semicolon field in go/ast is EmptyStmt's (ast.go:642), an empty statement, not a separator.
md("""
Brackets and braces have no boxes: the tree keeps what they *meant* (a `BlockStmt`, a
`CallExpr`) and **where** they were, in position fields like a `BlockStmt`'s `Lbrace` and
`Rbrace`. Separator semicolons, typed or inserted, leave nothing in the tree. Tokens against
nodes for this file, and the position fields of `abs`'s body:
""")

code("""
lesson.delimiters_kept(toks, tree, "abs")
""")

md("""
The same tree as a table, one row per node in the order `ast.Inspect` visits them: `key` is the
node's name, operator or value, `field` the go/ast field of its parent that holds it (the first
twelve rows; `tree.to_frame()` has all of them):
""")

code("""
lesson.node_table(tree, first=12)
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
show below, with the type and [[mode]] `go/types` gives it (the next lesson's subject). The check
boxes hide fields go/ast left empty, and the positions.
""")

code("""
tree.explore(types=True)
""")

md("""
The explorer is made of plain functions you can call yourself — for example the innermost node
of line 12, and its highlighted span:
""")

code("""
inner = tree.node_at(12)
print(f"the innermost node of line 12: {inner.kind}, {inner.pos}–{inner.end}")
HTML(tree.highlight_html(inner, context_lines=1))
""")

md("""
## Comments are in the tree too

With `parser.ParseComments`, each comment is a `Comment` node inside a `CommentGroup`. A group
right above a declaration becomes that declaration's `Doc` field:
""")

code("""
lesson.comment_groups(tree)
""")

# noder/noder.go:58 syntax.Parse (1.22: :59); noder/irgen.go:59-100 types2.Config ... conf.Check (1.22: :52-93);
# walk/walk.go:39 prints "before walk" under -W (1.22: :31). `go list -deps cmd/compile` has no go/types (both
# releases); go/parser only comes in through go/build (go/build/read.go imports it to read import lines), which
# locates packages, not parses your code: on 1.27 internal/exportdata imports go/build, on 1.22
# cmd/compile/internal/importer (gcimporter.go) does.
md("""
## The compiler's own parser and tree

The compiler does not read your code with `go/parser`: `cmd/compile` has its own scanner and
parser (`cmd/compile/internal/syntax`) and its own type checker (`types2`), and turns their
result into its own intermediate representation ([[IR|typed-ir]]). Its package list shows the twins, and no
`go/types`:
""")

code("""
deps = lesson.std_deps("cmd/compile")   # go list -deps cmd/compile: every package the compiler imports
for p in ("cmd/compile/internal/syntax", "cmd/compile/internal/types2", "go/types"):
    print(f"{p:30} {'imported by the compiler' if p in deps else 'not imported'}")
""")

# cci/base/flag.go:67 W "debug parse tree after type checking" (1.22: :66); cci/walk/walk.go:39 and :45 print
# "before walk %v" / "after walk %v" when -W is set (1.22: walk.go:31 and :43). esc(no): cci/ir/fmt.go dumps Esc;
# PPARAM: cci/ir/class_string.go. gokit.build replays the compiler's -W output from the build cache on a hit.
# The other header fields: cci/ir/fmt.go dumpNodeHeader prints " tc(%d)" for n.Typecheck() (1 = checked, fmt.go:1037),
# then every exported field of basic kind that is not zero (Offset: the frame offset, Class) and every `func() bool`
# method that is true (Used, OnStack: name.go:208, :236 "may reside on the stack"), by reflection (fmt.go:969-1000).
md("""
`-gcflags=-W` makes the compiler print its IR tree of every function. Here is go/ast's tree of
`abs`, and `abs` as the compiler holds it just before its [[walk]] phase (the last step on this tree: it
rewrites Go's richer statements into simpler ones before the tree becomes [[SSA]], lesson 03).
By then the IR has been type-checked (`int`), its names resolved (`PPARAM`: a parameter) and
[[escape|escape-analysis]] analysis has run (`esc(no)`: `n` does not escape); go/ast has only the syntax.
The rest of each line is the compiler's bookkeeping, printed field by field: `tc(1)` says the node was
type-checked, `Offset` is a variable's place in the stack frame, `Used` and `OnStack` are flags that are set
(`n` is used, and may live on the stack). Nothing later in the course needs them:
""")

code("""
ir = gokit.build(src, gcflags="-W")   # -W: the compiler prints its IR of every function
lesson.ir_beside_ast(ir, tree, "abs")
""")

md("""
## A syntax error

Delete the `n` after `return -` and parse again. `go/parser` does not stop at the first problem:
it returns a **partial tree** with `BadExpr`/`BadStmt` placeholders, and positioned errors.
Later errors are often consequences of the first: once lost, the parser reads what follows as part of the
unfinished expression, so trust the first error and read the others with suspicion.
""")

code("""
BROKEN = SOURCE.replace("return -n", "return -")
broken = gokit.parse(BROKEN)
broken
""")

code("""
lesson.placeholders(broken)   # the holes in the partial tree
""")

md("""
The compiler's own parser reports its first error too, in its own words. Build the broken
program and compare where:
""")

code("""
first_errors = lesson.compiler_errors(BROKEN, broken.errors, checker="go/parser", first=True)
first_errors
""")

md("""
## A real file, one declaration at a time

`net/http/server.go`, the HTTP server, from your GOROOT — code none of us wrote. Its node
kinds, most frequent first:
""")

code("""
server_go = tc.goroot / "src" / "net" / "http" / "server.go"
big = gokit.parse(server_go)
print(f"{server_go.name}: {server_go.stat().st_size:,} bytes, {len(big):,} nodes")
lesson.top_counts(big.counts(), "nodes")
""")

md("""
One small function of it, drawn down to three levels below the declaration (`max_depth` keeps a
big tree drawable): a grey *+N below* at the end of a dashed arrow counts the nodes left out under
that node:
""")

code("""
not_found = big.decl("NotFound")
print(big.text(not_found))
lesson.diagram(big.to_graphviz(root=not_found, max_depth=3))
""")

md("""
## Benchmark: parse time against file size

How does parsing scale? Below, `go/parser` parses every non-test `.go` file of sixteen
standard-library packages, several times each, inside the helper process (so process start-up
is not in the numbers); each point is a file's median, its bar the [[interval|median-interval]] of
that median (the plot's legend gives its coverage). File sizes span three orders of magnitude, so
both axes are logarithmic and the line is fitted there: time = c · size^b, with a shaded band (a
[[bootstrap]] 95% band over the files). An exponent b near 1 means the cost grows in proportion to
size; the table below the conclusion puts the files in four groups by size, to check the fit.
Sizes are in kB (1 kB = 1000 bytes), times in µs.
""")

code("""
PACKAGES = ["fmt", "strings", "strconv", "sort", "bufio", "bytes", "errors", "os", "time", "regexp",
            "net/http", "encoding/json", "go/ast", "go/parser", "go/types", "runtime"]
RUNS = bench.runs(5)
files = [p for pkg in PACKAGES for p in sorted((tc.goroot / "src" / pkg).glob("*.go"))
         if not p.name.endswith("_test.go")]
random.Random(1).shuffle(files)   # no order effects
load_before = lesson.load_check()   # a machine busier than its cores: numbers shown, verdict held back
bp = bench.parse(files, runs=RUNS)
load = lesson.load_check(load_before.load)
fit = bench.scaling(bp["size"] / 1000, bp["median_s"] * 1e6, y_low=bp["ci_low_s"] * 1e6,
                    y_high=bp["ci_high_s"] * 1e6, labels=[p.rsplit("/", 1)[-1] for p in bp["path"]])
PER_KB = ("µs", 1.0)   # the fit is in µs and kB
lesson.say(lesson.fit_conclusion(fit, items="files", item="file", per_unit=PER_KB, load=load))
lesson.table(fit.by_size(items="files", y_unit="µs", per_unit=PER_KB).reset_index())
""")

code_hidden(lesson, """
fit.plot(xlabel="file size (kB)", ylabel="go/parser time (µs)",
         point_label=f"median of {RUNS} runs (bar: its {bench.interval_kind(RUNS)})",
         title=f"Parsing standard-library files, go{tc.version}",
         annotate=[bp.loc[bp["size"].idxmax(), "path"].rsplit("/", 1)[-1]])
""")

md("""
Some bars reach far above their point. With five runs a file's bar spans its fastest to its
slowest run, and a single run slowed by something else (a garbage collection in the helper,
another process on the same core) stretches it; the point, the median, stays where most runs were.

What a learner waits for is mostly a whole helper process: start it, parse, print the tree as
JSON (`gokit.parse` then loads that JSON into Python). Timed as whole processes with
`gokit.bench` (interleaved runs, medians and their intervals), a tiny file against `server.go`:
""")

code("""
tiny = tc.goroot / "src" / "errors" / "errors.go"
res = bench.compare({f"helper ast {tiny.name}": [str(helper), "ast", str(tiny)],
                     f"helper ast {server_go.name}": [str(helper), "ast", str(server_go)]},
                    runs=bench.runs(10), warmup=2)
lesson.bench_table(res, label="helper process")
""")

code("""
res.plot()
""")

code_hidden(lesson, """
tiny_parse = bp.loc[bp["path"] == str(tiny), "median_s"].iloc[0]
whole = res.summary["median"]
typical_kb = float(bp["size"].median()) / 1000
per_kb = fit.predict(typical_kb) / typical_kb
lesson.say(
    f"Parsing a typical {typical_kb:.1f} kB file costs about {per_kb:.0f} µs per kB on this "
    f"machine (the fitted line at the median file size, over {len(bp)} real files). A whole "
    f"helper process for {tiny.name} took {bench.fmt_seconds(whole.iloc[0])}, of which go/parser "
    f"itself took {tiny_parse * 1e6:.0f} µs"
    + (f" ({lesson.pct(tiny_parse / whole.iloc[0])} of it): for a small file nearly all of the wait is "
       "starting a process and printing JSON." if tiny_parse < whole.iloc[0] / 10 else ".")
    + f" For {server_go.name} ({server_go.stat().st_size / 1000:.0f} kB) the process took "
    f"{bench.fmt_seconds(whole.iloc[1])}.")
""")

md("""
## What you saw
""")

code_hidden(lesson, """
b = braces.frame
broke = ", ".join(b[b.parser != "parses"].program)
fine = ", ".join(b[b.parser == "parses"].program)
typed = checked.frame.types[0]
switch = (f"parsed, as gofmt's `switch x; {{` shows, and go/types said: {typed}" if parses
          else f"did not parse: {checked.frame.parser[0]}")
fewer = ", and not `go/types`" if "go/types" not in deps else ""
ours, compilers = first_errors.frame.iloc[0]["go/parser"], first_errors.frame.iloc[0]["go build"]
where = (f"at the same line and column as go/parser's ({ours.split(': ', 1)[0]})"
         if first_errors.same_position else f"at {compilers.split(': ', 1)[0]}, go/parser at "
         f"{ours.split(': ', 1)[0]}")
display(Markdown("\\n".join([
    f"* `go/scanner` cut this {len(SOURCE)}-byte file into {len(toks)} tokens and inserted "
    f"{int(toks.inserted.sum())} semicolons at line ends, whatever the next line holds.",
    f"* A `{{` at the start of a line: an error after a line that gets a semicolon where "
    f"Go's grammar has no place for one ({broke}); fine after a keyword, or where a `;` "
    f"belongs anyway, or in a literal ({fine}); `switch x` with its brace below {switch}.",
    f"* `go/parser` built {len(tree)} `go/ast` nodes with spans and bracket positions, "
    f"comments included; the innermost node of line 12 was a `{inner.kind}`.",
    "* The compiler lists its own parser and type checker (`syntax`, `types2`) among its "
    f"packages{fewer}; `-gcflags=-W` printed its IR tree of `abs`, and its parser reported "
    f"the broken file's first error {where}.",
    f"* Parsing: {lesson.fit_summary(fit, item='file', per_unit=PER_KB, load=load)}; about "
    f"{per_kb:.0f} µs per kB at the median size.",
])))
""")

lesson.further_reading()

next_lesson(lesson, "02", "what the type checker learns about every one of these expressions")

too_wide = [ln for c in lesson.cells if c.cell_type == "code" for ln in c.source.splitlines() if len(ln) > CODE_WIDTH]
assert not too_wide, f"code lines wider than {CODE_WIDTH} characters (cut at 1280 px): {too_wide}"

lesson.write()
