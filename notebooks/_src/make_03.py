"""Generate notebooks/03-ssa.ipynb (outputs cleared). Run: python notebooks/_src/make_03.py"""
from __future__ import annotations

from _nb import Lesson

lesson = Lesson("03-ssa.ipynb", budget_seconds=90)
md, code = lesson.md, lesson.code

lesson.exercise(
    "prove",
    question="After the prove pass, is there still a live IsInBounds value in sum? (True or False)",
    hint="Look at the loop condition: i < len(xs), and i starts at 0 and only grows.",
    solution="No: prove knows 0 <= i < len(xs) inside the loop, so the check can never fail. It marks "
             "IsInBounds dead, and the block that would call PanicBounds becomes unreachable.",
)
lesson.exercise(
    "bce",
    question="Does the compiled function at still contain a bounds check? (True or False)",
    hint="prove can only remove a check it can prove; what does at know about i?",
    solution="Yes: nothing bounds i, so the IsInBounds check (and the PanicBounds block) stays. "
             "check_bce reports it at the column of xs[i].",
)
lesson.exercise(
    "escape",
    question="Is the variable n of counter moved to the heap? (True or False)",
    hint="Who can still use n after counter has returned?",
    solution="Yes: the closure outlives counter's stack frame and keeps modifying n, so escape analysis "
             "reports `moved to heap: n` (and the func literal itself escapes).",
)


md("""
# 03 — SSA: every pass of the real compiler

After type checking, the Go compiler rewrites each function into **SSA** (static single
assignment) form: every value is computed exactly once (`v10 = Add64 <int> v7 v8`), values live
in **basic blocks**, and blocks end in a jump, a branch or a return. Then about sixty **passes**
rewrite that function again and again — removing dead code, proving bounds checks unnecessary,
replacing generic operations by machine instructions, allocating registers — before the last
one emits assembly.

The compiler can show all of it: set `GOSSAFUNC=name` and it writes `ssa.html`, one column per
pass. In this lesson gokit runs that same switch on your code and turns the page into data you
can scrub, compare, draw and question:

* every pass of a function, and what each one changed;
* the control-flow graph (CFG) of any pass, with likely branches and loop back edges;
* the compiler's own verdicts on inlining, escapes and bounds checks, next to your source;
* a benchmark: the same code compiled with optimisations off (`-N -l`) and on.

The article this kit answers quotes SSA code from a `gen.go` with `OpAdd64` (its **claim 7**).
What is actually true, and visible below: the generic `Add64` op is turned into the amd64
instruction `ADDQ` by the pass called **`lower`**.
""")

code("""
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

import gokit
from gokit import bench

pd.set_option("display.max_colwidth", 90)
tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}")
""")

md("""
## The program

Small functions, each showing one thing: an addition, a loop over a slice, an index that may be
out of range, a method, a closure that captures a variable, and a generic function. Edit it and
run the notebook again from the top.
""")

code('''
SOURCE = """package main

import "fmt"

type Counter struct{ n int }

func (c *Counter) Add(k int) { c.n += k }

func add(a, b int) int { return a + b }

func sum(xs []int) int {
	s := 0
	for i := 0; i < len(xs); i++ {
		s += xs[i]
	}
	return s
}

func at(xs []int, i int) int { return xs[i] }

func counter() func() int {
	n := 0
	return func() int { n++; return n }
}

func Max[T int | float64](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func main() {
	c := &Counter{}
	c.Add(2)
	next := counter()
	fmt.Println(add(1, 2), sum([]int{1, 2, 3}), at([]int{7}, 0), next(), Max(3, 4), Max(1.5, 0.5), c.n)
}
"""
src = gokit.Source(SOURCE)
''')

md("""
## One function, every pass

`gokit.ssa(src, "add")` compiles your package once with `GOSSAFUNC=main.add` and parses the
`ssa.html` the compiler writes. It does not rebuild the standard library: it hands the compiler
the standard library's already-compiled export data (the same files `go build` would use), so a
new function costs one compile of your file:
""")

code("""
fn = gokit.ssa(src, "add")
print(fn)
print("compiled in", f"{fn.meta['seconds'] * 1000:.0f} ms;", "GOSSAFUNC =", fn.meta["qualified"])
""")

md("""
`fn.summary` has one row per pass: how many blocks and values the function has after it, how
many values are still live, and whether the pass changed anything at all. Most passes change
nothing for a function this small — in `ssa.html` those share a column with the next pass that
did (its title reads `a + b + c`); gokit splits them back into one row each.
""")

code("""
fn.summary
""")

code("""
changed = fn.summary[fn.summary.changed]
print(f"{len(fn.passes)} passes ran on add; {len(changed)} of them changed it:")
print(", ".join(changed["pass"]))
""")

md("""
## Reading a pass

A pass is printed the way the compiler prints it. `b1:` starts a block; each line below it is a
value: its id, its source line (`+` marks a statement boundary), `=`, the **op**, the **type**
in angle brackets, aux data in `[...]`/`{...}`, then its arguments. The block's last line says
how it ends. Values marked `DEAD` are computed but unused; a later `deadcode` pass removes them.
""")

code("""
print(fn.pass_("start").text())
""")

md("""
## Claim 7: `Add64` becomes `ADDQ` in `lower`

Up to `lower`, ops are machine-independent (`Add64`, `Less64`, `Load`). The `lower` pass
rewrites them into instructions of the target machine.
`fn.diff(a, b)` lists what changed between two passes; `op_changes` keeps the values whose op
changed.
""")

code("""
lower = fn.pass_("lower")
before = fn.passes[lower.index - 1]
d = fn.diff(before, lower)
display(d.op_changes)
claim7 = bool(((d.op_changes.op_before == "Add64") & (d.op_changes.op_after == "ADDQ")).any())
print(f"pass before lower: {before.name!r}")
print(f"Add64 -> ADDQ in lower: {claim7}")
""")

md("""
After `lower`, the register allocator gives each value a register (after the `:`), and `genssa`
emits the final instructions (lesson 04 reads them back from the object file):
""")

code("""
print(fn.pass_("regalloc").text())
print()
print("\\n".join(f"{g.pc:05d} ({'?' if g.line is None else g.line}) {g.text}" for g in fn.genssa if g.pc is not None))
""")

md("""
## Control flow: the CFG of a loop

`sum` has a loop, so its function has several blocks. `.cfg(pass)` draws them: each box is a
block with its values (dead ones greyed), the italic line is how the block ends. A dashed edge
is the **unlikely** branch, and the blue edge going back up is the loop's **back edge**.
""")

code("""
loop = gokit.ssa(src, "sum")
gokit.show(loop.cfg("start"))
""")

md("""
### Predict, then run: will the bounds check in `sum` survive `prove`?

`s += xs[i]` must panic if `i` is out of range, so the compiler first emits an `IsInBounds`
check before the load. The `prove` pass tries to show such checks can never fail, using what it
knows about the loop condition.
""")

code("""
ex_prove = gokit.exercise("03", "prove")
ex_prove
""")

code("""
prediction = ...   # your guess: True or False

actual = any(v.op == "IsInBounds" and not v.dead for v in loop.pass_("prove").values)
ex_prove.check(prediction, actual)
""")

md("""
Here is what `prove` did, as a diff against the pass before it, and the CFG right after:
""")

code("""
display(loop.diff(loop.pass_("prove").index - 1, "prove"))
gokit.show(loop.cfg("prove"))
""")

md("""
## The function shrinks as it goes

Values per pass, live and dead, for `sum`, with the passes that changed something labelled.
Where a line steps down, a pass removed work; where it steps up, a pass added values (compare
the listings of the passes around the step with `loop.diff(...)`).
""")

code("""
s = loop.summary
fig, ax = plt.subplots(figsize=(11, 3.2))
ax.step(s.index, s["values"], where="post", label="all values")
ax.step(s.index, s["live_values"], where="post", label="live values")
for i, row in s[s.changed].iterrows():
    ax.annotate(row["pass"], (i, row["values"]), rotation=70, fontsize=7, xytext=(0, 4),
                textcoords="offset points")
ax.set_xlabel("pass index"); ax.set_ylabel("values in sum"); ax.legend(); ax.set_ylim(0, s["values"].max() * 1.6)
plt.close(fig); fig
""")

md("""
## Explore

The explorer puts it together: move the slider (or pick a pass), see the CFG and the listing of
that pass, the diff against the previous pass, and pick a value to see which source line it came
from.
""")

code("""
loop.explore()
""")

md("""
## Methods, closures and generic functions

Write names the way you would in Go. The compiler's own names differ a little: a method with a
pointer receiver is `(*Counter).Add`, a closure is named after its enclosing function
(`counter.func1`), and a generic function is compiled once per **shape** of its type arguments
(`Max[go.shape.int]`); asking for `Max` gives the first shape and lists them all.
""")

code("""
rows = []
for name in ["add", "Counter.Add", "(*Counter).Add", "counter.func1", "Max", "Max[float64]", "main"]:
    f = gokit.ssa(src, name)
    rows.append({"you wrote": name, "compiler's function": f.meta["qualified"], "passes": len(f.passes),
                 "blocks at the end": len(f.passes[-1].blocks), "shapes": ", ".join(f.meta["instantiations"])})
pd.DataFrame(rows)
""")

md("""
A name that is not there gets an answer, not a traceback:
""")

code("""
try:
    gokit.ssa(src, "Add")
except gokit.GokitError as e:
    print(e)
""")

md("""
## What the compiler decided: inlining, escapes, bounds checks

The same compile, with `-gcflags='-m=2 -d=ssa/check_bce/debug=1'`, explains decisions you can
not see in one function's SSA: which calls were **inlined** (and the cost that decided it), which
values **escape** to the heap, and which **bounds checks** survived every pass.
""")

code("""
opt = gokit.optimizations(src)
opt
""")

code("""
gokit.inlining(src).query("decision != 'inlined call'")[["line", "function", "decision", "cost", "budget"]]
""")

md("""
### Predict, then run: will `at` keep its bounds check?

`at(xs, i)` returns `xs[i]` for any `i` the caller passes.
""")

code("""
ex_bce = gokit.exercise("03", "bce")
ex_bce
""")

code("""
prediction = ...   # True or False

bce = gokit.bounds_checks(src)
actual = bool((bce["function"] == "at").any())
display(bce)
ex_bce.check(prediction, actual)
""")

md("""
### Predict, then run: will `n` in `counter` escape to the heap?

`counter` declares `n := 0` and returns a closure that increments it.
""")

code("""
ex_esc = gokit.exercise("03", "escape")
ex_esc
""")

code("""
prediction = ...   # True or False

esc = gokit.escapes(src)
display(esc[esc.function.isin(["counter", "counter.func1"])][["line", "what", "verdict", "code"]])
actual = bool(((esc.what == "n") & (esc.verdict == "moved to heap")).any())
ex_esc.check(prediction, actual)
""")

md("""
## Benchmark: `-N -l` versus the default

`-N` disables optimisations and `-l` disables inlining: what debuggers like. The benchmark
compiles the package with each setting (the real compile command, timed whole), then runs
`go test -bench` on `sum` over 1000 numbers, interleaved, several times each. First, what the
flags do to the SSA of `sum`:
""")

code("""
noopt = gokit.ssa(src, "sum", gcflags="-N -l")
print(f"default: {len(loop.passes)} passes, {len(loop.passes[-1].values)} values at the end")
print(f"-N -l:   {len(noopt.passes)} passes, {len(noopt.passes[-1].values)} values at the end")
print("passes skipped with -N -l:", ", ".join(n for n in loop.pass_names if n not in noopt.pass_names))
""")

code('''
TEST = """package main

import "testing"

var xs = make([]int, 1000)
var sink int

func BenchmarkSum(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink = sum(xs)
	}
}
"""
res = bench.gcflags(src, TEST, flags={"default": "", "-N -l": "-N -l"}, runs=10, benchtime="20000x")
display(res.table())
res.plot()
''')

code("""
r = res.run.summary
c = res.compile.summary
display(Markdown(
    f"* Run time: `sum` over 1000 ints takes **{r.loc['default', 'median']:.0f} ns** optimised and "
    f"**{r.loc['-N -l', 'median']:.0f} ns** with `-N -l` — {r.loc['-N -l', 'ratio']:.1f}× "
    f"(95% CI {r.loc['-N -l', 'ratio_low']:.1f}–{r.loc['-N -l', 'ratio_high']:.1f}).\\n"
    f"* Compile time of the package: {c.loc['default', 'median'] * 1e3:.1f} ms optimised vs "
    f"{c.loc['-N -l', 'median'] * 1e3:.1f} ms with `-N -l` ({c.loc['-N -l', 'ratio']:.2f}×, 95% CI "
    f"{c.loc['-N -l', 'ratio_low']:.2f}–{c.loc['-N -l', 'ratio_high']:.2f}): " + (
        "skipping the optimisation passes made this compile faster." if c.loc['-N -l', 'ratio_high'] < 1 else
        "for a package this small the difference in compile time is within the noise." if c.loc['-N -l', 'ratio_low'] <= 1
        else "here `-N -l` even compiled slower.")))
""")

md("""
## What you saw

* The compiler turns each function into SSA and runs it through some sixty passes; `ssa.html`
  merges passes that changed nothing, and gokit splits them back out.
* Claim 7, live: `Add64` is machine-independent; the `lower` pass turns it into `ADDQ`.
* `prove` removed the bounds check of a loop over `len(xs)` but not of an arbitrary index.
* `-m=2` and `check_bce` explain inlining, escapes and surviving bounds checks line by line.
* `-N -l` skips optimisation passes: faster to compile, slower to run.

Next: from SSA to machine code, objects and the linker in
[04 — code generation and linking](04-codegen-and-linking.ipynb) (next lesson (coming)).
""")

lesson.write()
