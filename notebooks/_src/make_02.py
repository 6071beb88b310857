"""Generate notebooks/02-types.ipynb (outputs cleared). Run: python notebooks/_src/make_02.py"""
from __future__ import annotations

from _nb import Lesson

lesson = Lesson("02-types.ipynb", budget_seconds=60)
md, code = lesson.md, lesson.code

lesson.exercise(
    "shift-type",
    question="In `x := 1 << 70 >> 68`, what type does go/types record for the expression `1 << 70 >> 68` "
             "(a string such as 'untyped int', 'int', 'int64' or 'float64')?",
    hint="The arithmetic is exact and untyped, but `x :=` needs a real type; an untyped integer constant "
         "defaults to int when it is assigned — and 4 fits.",
    solution="'int', with the value 4: the whole expression is converted to its default type int for the "
             "assignment. Its part `1 << 70` stays 'untyped int' with the exact value 1180591620717411303424, "
             "which fits no integer type — untyped constants are exact, only the end result must fit.",
)


md("""
# 02 — Types

A syntax tree says *what was written*; it does not know that `c.Inc` is a method, that `Sum`
is called with `T = int` here and `T = float64` there, or that `1 << 70` is a number too big for
any integer type. That is the type checker's job. Go's standard library has one, `go/types`
(the compiler carries a twin of it, `types2`), and in this lesson you run it, live:

* the **type, constant value and mode** of every expression in a program;
* **untyped constants**, and what happens to them when they meet a variable;
* **definitions and uses** of every name, with their kinds and scopes — generics, methods and
  closures included;
* a **real Go type error**, with Go's own message and position;
* a benchmark: type-check time against package size over the standard library.

The article this kit answers illustrates type checking with a **TypeScript** error message
(its **claim 6**). Below, the error comes from Go.
""")

code("""
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

import gokit
from gokit import bench

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.max_rows", 80)
tc = gokit.toolchain()
print(f"go{tc.version}")
""")

md("""
## The program

A generic function, a type with a method, a closure and a constant. Edit it if you like, then
run the notebook again from the top.
""")

code('''
SOURCE = """package main

import "fmt"

type Number interface{ ~int | ~float64 }

// Sum adds up any numbers.
func Sum[T Number](xs ...T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total
}

type Counter struct{ n int }

func (c *Counter) Inc() { c.n++ }

const big = 1 << 70

func main() {
	c := &Counter{}
	next := func() int { c.Inc(); return c.n }
	small := big >> 68
	fmt.Println(Sum(1, 2, 3), Sum(1.5, 2.5), next(), small)
}
"""
src = gokit.Source(SOURCE)
t = gokit.typecheck(src)
t
''')

md("""
## Every expression has a type

`go/types` records a type for every expression it checks (`types.Info.Types`). `gokit.typecheck`
lists them in source order, the outer expression before its parts:
""")

code("""
ex = t.expressions
ex[["pos", "expr", "type", "value", "mode"]]
""")

md("""
The `mode` column says what kind of thing each expression is. One example of each mode in this
program:
""")

code("""
ex.groupby("mode", sort=False).head(1)[["mode", "expr", "type", "value"]].reset_index(drop=True)
""")

md("""
* `constant` — the value is known while compiling (it is in the `value` column);
* `variable` — it names a storage location you can take the address of;
* `value` — computed at run time (a call result, `&Counter{}`, a closure);
* `type` — the expression *is* a type (`T`, `int`, `Counter`);
* `novalue` — a call of a function without results, like `c.Inc()`;
* `builtin` — a built-in function such as `len` (none here); `commaok`, `mapindex`, `nil` for the rest.

## Untyped constants

`big` is `1 << 70`: no Go integer type can hold that, yet the program compiles. Constants start
**untyped** and are exact; they get a type only where they meet one.
""")

code("""
ex[ex.expr.isin(["1 << 70", "big >> 68", "big", "1.5", "2.5"])][["pos", "expr", "type", "value", "exact"]]
""")

md("""
### Predict, then run
""")

code('''
SHIFT = """package main

func main() {
	x := 1 << 70 >> 68
	println(x)
}
"""
ex_shift = gokit.exercise("02", "shift-type")
ex_shift
''')

code("""
prediction = ...   # e.g. "untyped int"

shift = gokit.typecheck(SHIFT)
ex_shift.check(prediction, shift.type_of("1 << 70 >> 68"))
""")

code("""
se = shift.expressions
se[se.kind.isin(["BinaryExpr", "BasicLit"])][["pos", "expr", "type", "value"]]
""")

md("""
Ask for the big value itself in an `int`, and the exactness ends in an error:
""")

code("""
for e in gokit.typecheck(SHIFT.replace("1 << 70 >> 68", "1 << 70")).errors:
    print(e)
""")

md("""
## Definitions and uses

Every identifier either **defines** an object (a variable, constant, type, function, field,
parameter...) or **uses** one. `t.objects` lists them with the object's kind, type, the scope
it lives in, and where it was declared:
""")

code("""
ob = t.objects
ob[["pos", "name", "role", "kind", "type", "scope", "decl"]].head(30)
""")

md("""
Kinds of objects in this program, and how often each name is defined or used:
""")

code("""
pd.crosstab(ob.kind, ob.role)
""")

md("""
## Generics: each call is an instantiation

`Sum` is declared once with a type parameter `T`; each call instantiates it. `go/types` records
the type arguments it inferred and the signature they produce (`types.Info.Instances`):
""")

code("""
ex[ex.type_args.notna()][["pos", "expr", "type_args", "instance"]]
""")

md("""
## Methods: selections

`c.Inc` and `c.n` are *selector expressions*. `go/types` resolves each to a field or method and
records whether the pointer had to be followed (`indirect`):
""")

code("""
t.selections[["pos", "expr", "kind", "recv", "obj", "type", "indirect"]]
""")

md("""
## Closures: which variables does `next` capture?

The function literal is an expression of type `func() int`. The identifiers it *uses* but that
were declared in `main`, outside it, are the variables it captures:
""")

code("""
lit = ex[ex.kind == "FuncLit"].iloc[0]
inside = ob[(ob.role == "use") & (ob.offset > lit.offset) & (ob.offset < lit.end_offset)]
captured = inside[inside.scope.str.startswith("func main")]
print(f"{lit.expr!r} has type {lit.type}")
captured[["pos", "name", "kind", "type", "scope", "decl"]]
""")

md("""
## A real Go type error

Change the `small := big >> 68` line to a string assigned to an `int` variable. Type checking does
not stop at the first error; each comes with Go's message and its `file:line:col`:
""")

code("""
BAD = SOURCE.replace("small := big >> 68", 'var small int = "hello"')
bad = gokit.typecheck(BAD)
bad
""")

md("""
That is the message the compiler prints too. Build the same program with `go build` and compare
(claim 6):
""")

code("""
try:
    gokit.build(BAD)
    compiler = None
except gokit.GoToolError as e:
    compiler = e.error
first = bad.errors[0]
print(f"go/types : {first}")
print(f"go build : {compiler}")
print("same position:", compiler is not None and (first.line, first.col) == (compiler.line, compiler.col))
print("same words   :", compiler is not None and first.message == compiler.message)
""")

md("""
## A package of several files

`gokit.Source.from_dir` type-checks a whole package directory. The `go` command's file rules
apply: `_test.go` files are left out, and so are files for another operating system.
""")

code('''
pkg = Path(tempfile.mkdtemp(prefix="gokit-lesson02-"))
(pkg / "main.go").write_text("package main\\n\\nfunc main() { println(area(Square{2})) }\\n")
(pkg / "shapes.go").write_text("package main\\n\\ntype Square struct{ side int }\\n\\n"
                               "func area(s Square) int { return s.side * s.side }\\n")
(pkg / "shapes_windows.go").write_text("package main\\n\\nvar onlyOnWindows = 1\\n")
multi = gokit.typecheck(gokit.Source.from_dir(pkg))
print("checked:", multi.files, "errors:", multi.errors)
mo = multi.objects
mo[mo.name.isin(["area", "Square"])][["file", "pos", "name", "role", "kind", "decl"]]
''')

md("""
## Benchmark: type-check time against package size

Real code nobody here wrote: the standard-library packages that `fmt`, `go/types` and
`encoding/json` depend on. Their dependencies come from the compiler's export data (already in
your build cache), each package is type-checked five times inside the helper process after one
untimed warm-up, and each point is its median, the bar the 95% confidence interval of that
median. Package sizes span three orders of magnitude, so the axes are logarithmic and the line is
fitted there: time = c · size^b, with its 95% band. An exponent b above 1 means each kilobyte
costs more in a bigger package.
""")

code("""
listed = tc.go_cmd("list", "-deps", "fmt", "go/types", "encoding/json", cwd=tc.goroot / "src").out.split()
PACKAGES = [p for p in listed if p != "unsafe"]
bt = bench.typecheck(PACKAGES, runs=5)
bt = bt[bt.errors == 0].copy()
bt["kb"] = bt["size"] / 1024
bt["ms"] = bt["median_s"] * 1e3
fit = bench.scaling(bt["kb"], bt["ms"], y_low=bt["ci_low_s"] * 1e3, y_high=bt["ci_high_s"] * 1e3,
                    labels=list(bt["path"]))
bt["size class"] = pd.qcut(bt["size"], 4, labels=["smallest quarter", "2nd", "3rd", "largest quarter"])
table = bt.groupby("size class", observed=True).agg(
    packages=("path", "size"), **{"median size (KB)": ("kb", "median"), "median time (ms)": ("ms", "median"),
    "time per KB (µs)": ("ms", lambda s: float(np.median(s / bt.loc[s.index, "kb"])) * 1000)})
print(f"{len(bt)} packages, {bt['size'].sum() / 1e6:.1f} MB of Go. Fit: {fit.describe('KB', 'ms')}")
table.round(2)
""")

code("""
fit.plot(xlabel="package size (KB of Go source)", ylabel="go/types time (ms)",
         point_label="median of 5 checks (bar: 95% CI)", title=f"Type-checking standard-library packages, go{tc.version}",
         annotate=list(bt.nlargest(3, "size")["path"]))
""")

md("""
Parsing the same packages' files, for scale (same helper, same method):
""")

code("""
files = bench.package_files(list(bt["path"]))
bp = bench.parse(files, runs=5)
parse_per_kb = float(np.median(bp["median_s"] * 1e6 / (bp["size"] / 1024)))
check_per_kb = float(np.median(bt["ms"] * 1000 / bt["kb"]))
display(Markdown(
    f"* Type checking costs a median **{check_per_kb:.0f} µs per KB** of source over {len(bt)} packages; "
    f"parsing their {len(bp)} files a median **{parse_per_kb:.0f} µs per KB** — "
    f"type checking is about {check_per_kb / parse_per_kb:.1f}× the parse.\\n"
    f"* The fit: {fit.describe('KB', 'ms')}\\n"
    f"* Per KB, the largest quarter of packages cost {table['time per KB (µs)'].iloc[-1]:.0f} µs and the "
    f"smallest quarter {table['time per KB (µs)'].iloc[0]:.0f} µs (median of each): the table above.\\n"
    f"* The largest package, `{bt.loc[bt['size'].idxmax(), 'path']}` "
    f"({bt['size'].max() / 1e6:.1f} MB), took {bt.loc[bt['size'].idxmax(), 'ms']:.0f} ms."))
""")

md("""
## What you saw

* `go/types` gives every expression a type and a mode, and every constant its exact value.
* Constants are untyped and exact until they meet a type: `1 << 70` is fine, `1 << 70 >> 68`
  assigned to `x` becomes an `int` 4, and `1 << 70` in an `int` is an error.
* Every name is a definition or a use of an object with a kind and a scope; generic calls are
  instantiations with inferred type arguments; selectors resolve to fields and methods;
  closures use variables of the function around them.
* Claim 6: a Go type error comes with Go's own words and position — compare the two lines
  printed above.

Next: what the compiler makes of the checked program — its SSA form, pass by pass, in
[03 — SSA](03-ssa.ipynb).
""")

lesson.write()
