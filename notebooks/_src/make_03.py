"""Generate notebooks/03-ssa.ipynb (outputs cleared). Run: python notebooks/_src/make_03.py

Evidence for the sentences about Go sits in comments next to them: a GOROOT/src file:line (Go 1.27.3
unless marked 1.22 = Go 1.22.10; cmd/compile/internal abbreviated cci/) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("03-ssa.ipynb", budget_seconds=90)
md, code = lesson.md, lesson.code

# cci/ssa/prove.go:3052-3070 removeBranch sets b.Kind = BlockFirst; the IsInBounds value is then unused (DEAD)
# and a later deadcode pass removes it with the panic block.
lesson.exercise(
    "prove",
    question="After the prove pass, is there still a live IsInBounds value in sum? (True or False)",
    hint="Look at the loop condition: i < len(xs), and i starts at 0 and only grows.",
    solution="No: prove knows 0 <= i < len(xs) inside the loop, so the check can never fail. It rewrites the "
             "branch on IsInBounds into a First block (always take the first successor), so the IsInBounds value "
             "is no longer used (DEAD) and the block that would call PanicBounds can no longer be reached; a "
             "later deadcode pass removes both.",
    reveals=[r"Proved IsInBounds",
             r"\bprove\b[^.\n]{0,60}\b(?:removes?|removed|deletes?|eliminates?)\b[^.\n]{0,30}\bbounds checks?"],
)
# cci/ssa/checkbce.go:13-37 warns at v.Pos of each IsInBounds/IsSliceInBounds, i.e. at the `[` of xs[i].
lesson.exercise(
    "bce",
    question="Does the compiled function at still contain a bounds check? (True or False)",
    hint="prove can only remove a check it can prove; what does at know about i?",
    solution="Yes: nothing bounds i, so the IsInBounds check (and the PanicBounds block) stays. "
             "check_bce reports it at the column of the [ in xs[i].",
    reveals=[r"Found IsInBounds",
             r"\bat\b[^.?\n]{0,40}\bkeeps\b[^.?\n]{0,30}\bbounds check"],
)
lesson.exercise(
    "escape",
    question="Is the variable n of counter moved to the heap? (True or False)",
    hint="Who can still use n after counter has returned?",
    solution="Yes: the closure outlives counter's stack frame and keeps modifying n, so escape analysis "
             "reports `moved to heap: n` (and the func literal itself escapes).",
    reveals=[r"moved to heap: n\b",
             r"\bn\b[^.\n]{0,20}escapes to (?:the )?heap"],
)


# Pipeline: cci/gc/main.go:218 noder.LoadPackage (syntax + types2 + unified IR: cci/noder/unified.go:151-205
# writes the export data stub and reads the IR back from it), :259
# interleaved.DevirtualizeAndInlinePackage, :294 escape.Funcs, then per function cci/gc/compile.go:123 walk.Walk
# and cci/ssagen/pgen.go:304 buildssa, ssa.Compile (the passes, cci/ssa/compile.go), :314 genssa (obj.Progs that
# cmd/internal/obj assembles).
md("""
# 03 — SSA: every pass of the real compiler

After parsing and type checking, the Go compiler works on its own tree (its [[IR|typed-ir]]) for a while: it
writes and reads back the package in its *unified IR* format, devirtualizes and [[inlines|inlining]] calls,
runs [[escape analysis|escape-analysis]], and `walk`s each function into simpler statements. Only then does it
rewrite each function into **[[SSA|ssa]]** (static single assignment) form: every value is computed
exactly once (`v10 = Add64 <int> v7 v8`), values live in **basic blocks**, and blocks end in a
jump, a branch or a return. Then dozens of **passes** rewrite that function again and again —
removing dead code, proving [[bounds checks|bounds-check]] unnecessary, replacing generic operations by machine
instructions, allocating registers. Finally `genssa`, which is not an SSA pass, turns the result
into the assembler's instructions.

The compiler can show all of it: set `GOSSAFUNC=name` and it writes `ssa.html`, one column per
pass. In this lesson gokit runs that same switch on your code and turns the page into data you
can scrub, compare, draw and question:

* every pass of a function, and what each one changed;
* the control-flow graph (CFG) of any pass, with likely branches and loop back edges;
* the compiler's own verdicts on inlining, escapes and bounds checks, next to your source;
* a benchmark: the same code compiled with optimisations off (`-N -l`) and on.

The article these lessons answer, "Go不编译能运行吗?——从go run到go build的7步执行流拆解"
("Can Go run without compiling?"), quotes SSA code from a `gen.go` with `OpAdd64` (its
**claim 7**; quoted, not endorsed). What is actually true, and visible below: the generic
`Add64` op is turned into the amd64 instruction `ADDQ` by the pass called **`lower`**.
""")

code("""
import os
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson

pd.set_option("display.max_colwidth", 90)
tc = gokit.toolchain()
print(f"go{tc.version} ({tc.goos}/{tc.goarch})")
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

`gokit.ssa(src, "add", goarch="amd64")` compiles your package once with `GOSSAFUNC=main.add` for
amd64 (the machine of the article's `ADDQ`, whatever yours is) and parses the `ssa.html` the
compiler writes. It does not rebuild the standard library: it hands the compiler
the standard library's already-compiled [[export data|export-data]] (the same files `go build` would use), so a
new function costs one compile of your file:
""")

code("""
fn = gokit.ssa(src, "add", goarch="amd64")
print(fn)
print(f"compiled in {fn.meta['seconds'] * 1000:.0f} ms with GOSSAFUNC={fn.meta['qualified']}")
""")

# Snapshots, not passes: cci/ssagen/ssa.go:588 WritePhase("before insert phis"), cci/ssa/compile.go:62
# WritePhase("start"). Merged columns: cci/ssa/html.go WritePhase/flushPhases write a column only when the
# function changed.
md("""
`fn.summary` has one row per column state: how many blocks and values the function has after it,
how many values are still live, and whether it differs from the row before. The first two rows
are **snapshots**, not passes: `before insert phis` is taken while SSA is being built, `start`
when it is complete, before the first pass. Most passes change nothing in a function this small
— in `ssa.html` those share a column with the next pass that did (its title reads `a + b + c`);
gokit splits them back into one row each. The rows that differ from the one before:
""")

code("""
summary = fn.summary
changed = summary[summary.changed]
display(changed[["pass", "blocks", "values", "live_values"]])
every_row = summary[["pass", "blocks", "values", "live_values", "changed"]].reset_index()
every_row = every_row.replace({"changed": {True: "yes", False: ""}})
lesson.fold(every_row, f"all {len(summary)} rows, unchanged ones too")
""")

code("""
ran = fn.ran
Markdown(f"{len(ran)} passes ran on `add`; {sum(p.changed for p in ran)} of them changed it: "
         + ", ".join(f"`{p.name}`" for p in ran if p.changed) + ".")
""")

# Line format: cci/ssa/print.go:88-100 StmtString: "(?)" unknown position, "(+N)" a statement boundary,
# "(-N)" a position marked not-a-statement (cmd/internal/src/pos.go:375 PosNotStmt), then v.LongString()
# (cci/ssa/value.go:160-170: "vN = Op <type> aux args").
md("""
## Reading a pass

A pass is printed the way the compiler prints it (`GOSSAFUNC=add+`). `b1:` starts a block; each
line below it is a value: **(line)** in the source, the value's **id**, `=`, its **op**, its
**type** in angle brackets, aux data in `[...]` or `{...}`, then the values it takes as
arguments. The block's last line says how it ends. The function as built, before any pass:
""")

code("""
print(fn.pass_("start").text())
""")

# ops: cci/ssa/_gen/genericOps.go:353 InitMem, :354 Arg, :367 LocalAddr ("Address of a variable. Arg0=SP.
# Arg1=mem."), :369 SP ("stack pointer"), :370 SB ("static base pointer (a.k.a. globals pointer)"),
# :608 MakeResult; ~r0: cci/ir/func.go:663 declareParams(results, PPARAMOUT, "~r", ...).
md("""
What the pieces mean:

* `(9)` is line 9; `(+9)` also marks a **statement boundary** (where a debugger stops);
  `(-9)` is line 9 marked *not* a statement; `(?)` means the value has no source position.
* `InitMem <mem>`: the memory state on entry. Memory is a value too, threaded from one load,
  store or call to the next, so the order of memory operations is explicit.
* `Arg <int> {a}`: the argument `a`. `SP` and `SB` are the stack pointer and the *static base*
  (the base address of global data); `LocalAddr <*int> {a} v2 v1` is the address of the variable
  `a` on the stack. `~r0` is the compiler's name for the unnamed result.
* `MakeResult <int,mem> v10 v1`: the function's results and the final memory, handed to `Ret`.
* `DEAD` marks values nothing uses any more; later passes remove them. The
  `name a[int]: [v7]` lines say which values hold the source variable `a`.

## Claim 7: `Add64` becomes `ADDQ` in `lower`

Up to `lower`, ops are machine-independent (`Add64`, `Less64`, `Load`). The `lower` pass
rewrites them into instructions of the target machine. `fn.diff(a, b)` lists what changed
between two passes; `op_changes` keeps the values whose op changed.
""")

code("""
lower = fn.pass_("lower")
before = fn.passes[lower.index - 1]
d = fn.diff(before, lower)
display(d.op_changes)
claim7 = bool(((d.op_changes.op_before == "Add64") & (d.op_changes.op_after == "ADDQ")).any())
print(f"the pass before lower: {before.name}")
print(f"Add64 -> ADDQ in lower: {'yes' if claim7 else 'no'}")
""")

# regalloc: cci/ssa/regalloc.go:741-744 needRegister: not memory, void, flags or tuple values. genssa:
# cci/ssagen/ssa.go (func genssa) emits obj.Progs; FUNCDATA/PCDATA: GC and argument metadata for the runtime
# (cmd/internal/obj/link.go comments; funcdata.go).
md("""
After `lower` come register allocation and the end of the pipeline. `regalloc` gives a register
(after the `:`) to each value that needs one: memory values (`<mem>`), flags and tuples get none
(`: <>` is the empty location of the `MakeResult` tuple). Then `genssa`, which is no SSA pass,
turns the function into `obj.Prog`s, the assembler's instructions, which `cmd/internal/obj`
encodes into machine code (the next stage of the pipeline). Its `FUNCDATA` and `PCDATA` lines
are tables for the runtime (which stack slots hold pointers, where the arguments are), left out
here:
""")

code("""
print(fn.pass_("regalloc").text())
print()
meta = [g for g in fn.genssa if g.pc is not None and g.text.split()[0] in ("FUNCDATA", "PCDATA")]
for g in fn.genssa:
    if g.pc is not None and g not in meta:
        print(f"{g.pc:05d} ({'?' if g.line is None else g.line}) {g.text}")
print(f"(and {len(meta)} FUNCDATA/PCDATA lines)")
""")

md("""
## Control flow: the CFG of a loop

`sum` has a loop, so its function has several blocks. `.cfg(pass)` draws them: each box is a
block with its values (dead ones greyed), the italic line is how the block ends. A dashed edge
is the **unlikely** branch, and the blue edge going back up is the loop's **back edge**.
""")

code("""
loop = gokit.ssa(src, "sum")
lesson.show(loop.cfg("start"))
""")

md("""
### Predict, then run: will the bounds check in `sum` survive `prove`?

`s += xs[i]` must panic if `i` is out of range, so the compiler first emits an `IsInBounds`
check before the load (block `b3` above, with the call of `PanicBounds` in the unlikely branch).
The `prove` pass tries to show such checks can never fail, using what it knows about the loop
condition.
""")

code("""
prediction = ...   # your guess: True or False

after_prove = loop.pass_("prove")
prove_left_check = any(v.op == "IsInBounds" and not v.dead for v in after_prove.values)
lesson.exercise("03", "prove").check(prediction, prove_left_check, evidence=[
    loop.diff(after_prove.index - 1, after_prove), lesson.show(loop.cfg(after_prove))])
""")

# cci/ssa/rewrite.go:95-102: rewrite passes reset values with no uses ("Not quite a deadcode pass");
# cci/ssa/deadcode.go (func deadcode) removes unreachable blocks.
md("""
Where the check ends, pass by pass: `prove` rewrites the branch on `IsInBounds` into a `First`
block (always take the first successor), which leaves the check unused (`DEAD`) and the block
calling `PanicBounds` unreachable. The next rewrite pass deletes values nobody uses, and a
later dead-code pass removes the unreachable block. The states that changed either of them:
""")

code("""
def state(p):
    checks = [v for v in p.values if v.op == "IsInBounds"]
    panic = [b for b in p.blocks if any(v.op == "PanicBounds" for v in b.values)]
    return ("live" if any(not v.dead for v in checks) else "dead" if checks else "gone",
            ", ".join(f"b{b.id} ({'dead' if b.dead else 'live'})" for b in panic) or "gone")


rows, last = [], None
for p in loop.passes[after_prove.index - 1:]:
    now = state(p)
    if now != last:
        rows.append({"after pass": p.name, "IsInBounds": now[0],
                     "block calling PanicBounds": now[1]})
        last = now
    if now == ("gone", "gone"):
        break
pd.DataFrame(rows)
""")

md("""
## The function shrinks as it goes

Values per state of `sum`, all and live, for the passes that changed something (in pass order,
top to bottom). Where a bar shortens, a pass removed work; where it grows, a pass added values
(compare the listings around it with `loop.diff(...)` or in the explorer below).
""")

code("""
s = loop.summary
steps = s[s.changed]
fig, ax = plt.subplots(figsize=(8, 0.24 * len(steps) + 1))
y = np.arange(len(steps))[::-1]
ax.barh(y + 0.2, steps["values"], height=0.4, color="#c6d4e8", label="all values")
ax.barh(y - 0.2, steps["live_values"], height=0.4, color="#4a6fa5", label="live values")
ax.set_yticks(y)
ax.set_yticklabels([f"{i}: {name}" for i, name in zip(steps.index, steps["pass"])], fontsize=9)
ax.set_xlabel("values in sum")
ax.set_title(f"sum: the {len(steps)} states that differ from the one before", fontsize=10)
ax.legend(fontsize=8, loc="lower right")
fig.tight_layout()
plt.close(fig)
fig
""")

md("""
## Explore

The explorer puts it together. Move the slider (or pick a pass) to see the CFG and the listing
of that pass; choose any other pass under *compare with* to see the two side by side and the
diff between them (by default: the pass before). Pick a value to light up its source line and to
follow it through **every** pass, as the compiler's own `ssa.html` does when you click a value.
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
for name in ["add", "Counter.Add", "(*Counter).Add", "counter.func1", "Max", "Max[float64]"]:
    f = gokit.ssa(src, name)
    rows.append({"you wrote": name, "compiler's function": f.meta["qualified"],
                 "passes ran": len(f.ran), "blocks at the end": len(f.passes[-1].blocks),
                 "shapes": ", ".join(f.meta["instantiations"])})
pd.DataFrame(rows)
""")

md("""
A name that is not there gets an answer, not a traceback:
""")

code("""
try:
    gokit.ssa(src, "Add")
except gokit.GokitError as e:
    for line in str(e).splitlines():
        print(textwrap.fill(line, 100, subsequent_indent="    "))
""")

# -m=2 inlining/escape notes; -d=ssa/check_bce/debug=1: cci/ssa/checkbce.go:13-37 (Found IsInBounds at v.Pos);
# the pass order: cci/ssa/compile.go:486 {name: "check bce"} before :494 {name: "lower"}.
md("""
## What the compiler decided: inlining, escapes, bounds checks

The same compile, with `-gcflags='-m=2 -d=ssa/check_bce/debug=1'`, explains decisions you can
not see in one function's SSA: which calls were **inlined** (and the cost that decided it), which
values **escape** to the heap, and which **bounds checks** are still there when the
`check bce` pass runs (it reports each at the column of its `[`). That pass sits in the middle of
the pipeline; with your Go:
""")

code("""
names = loop.pass_names
print(f"check bce is pass {names.index('check bce')} of {len(names) - 1}, "
      f"{names.index('lower') - names.index('check bce')} passes before lower")
""")

md("""
Two predictions first.

### Predict, then run: will `at` keep its bounds check?

`at(xs, i)` returns `xs[i]` for any `i` the caller passes.
""")

code("""
prediction = ...   # True or False

bce = gokit.bounds_checks(src)
at_keeps_check = bool((bce["function"] == "at").any())
found = bce[["line", "col", "function", "check", "code"]]
lesson.exercise("03", "bce").check(prediction, at_keeps_check, evidence=found)
""")

md("""
### Predict, then run: will `n` in `counter` escape to the heap?

`counter` declares `n := 0` and returns a closure that increments it.
""")

code("""
prediction = ...   # True or False

esc = gokit.escapes(src)
mine = esc[esc.function.isin(["counter", "counter.func1"])][["line", "what", "verdict", "code"]]
n_moved = bool(((esc.what == "n") & (esc.verdict == "moved to heap")).any())
lesson.exercise("03", "escape").check(prediction, n_moved, evidence=mine)
""")

md("""
Now the whole report, next to the source: inlining in green, escape analysis in brown, bounds
checks in red.
""")

code("""
opt = gokit.optimizations(src)
opt
""")

md("""
The inlining decisions as a table. `cost` is the compiler's estimate of a function's size; a
`budget` is printed only where it refused (the limit the cost exceeded):
""")

code("""
inl = gokit.inlining(src).query("decision != 'inlined call'")
inl = inl[["line", "function", "decision", "cost", "budget"]]
inl = inl.astype({"cost": "object", "budget": "object"})
inl.fillna("").drop_duplicates().reset_index(drop=True)
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
print(f"default: {len(loop.ran)} passes ran, {len(loop.passes[-1].values)} values at the end")
print(f"-N -l:   {len(noopt.ran)} passes ran, {len(noopt.passes[-1].values)} values at the end")
skipped = [n for n in loop.pass_names if n not in noopt.pass_names]
Markdown(f"{len(skipped)} passes did not run with `-N -l`: "
         + ", ".join(f"`{n}`" for n in skipped) + ".")
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
load1, _, _ = os.getloadavg()
print(f"this machine: {os.cpu_count()} CPUs, load average {load1:.1f} (1 min)")
res = bench.gcflags(src, TEST, flags={"default": "", "-N -l": "-N -l"}, runs=bench.runs(10),
                    benchtime="20000x")
display(res.table())
res.plot()
''')

code_hidden(lesson, """
r = res.run.summary
c = res.compile.summary
faster = c.loc['-N -l', 'ratio_high'] < 1
slower = c.loc['-N -l', 'ratio_low'] > 1
display(Markdown(
    f"* Run time: `sum` over 1000 ints takes **{r.loc['default', 'median']:.0f} ns** optimised and "
    f"**{r.loc['-N -l', 'median']:.0f} ns** with `-N -l` — {r.loc['-N -l', 'ratio']:.1f}× "
    f"(interval {r.loc['-N -l', 'ratio_low']:.1f}–{r.loc['-N -l', 'ratio_high']:.1f}, coverage at least "
    f"{bench.fmt_coverage(r.loc['-N -l', 'ratio_coverage'])}).\\n"
    f"* Compile time of the package: {c.loc['default', 'median'] * 1e3:.1f} ms optimised vs "
    f"{c.loc['-N -l', 'median'] * 1e3:.1f} ms with `-N -l` ({c.loc['-N -l', 'ratio']:.2f}×, "
    f"interval {c.loc['-N -l', 'ratio_low']:.2f}–{c.loc['-N -l', 'ratio_high']:.2f}, coverage at least "
    f"{bench.fmt_coverage(c.loc['-N -l', 'ratio_coverage'])}): "
    + ("skipping the optimisation passes made this compile faster." if faster else
       "here `-N -l` compiled slower." if slower else
       "for a package this small the difference in compile time is within the noise.")))
""")

md("""
## What you saw
""")

code_hidden(lesson, """
display(Markdown("\\n".join([
    f"* go{tc.version} ran {len(fn.ran)} SSA passes on `add` ({sum(p.changed for p in fn.ran)} changed it) and "
    f"{len(loop.ran)} on `sum`; `ssa.html` merged the unchanged ones, gokit split them back out.",
    f"* Claim 7: `Add64` became `ADDQ` in `lower`: {'yes' if claim7 else 'no'}.",
    f"* `prove` left {'a live' if prove_left_check else 'no live'} bounds check in `sum`'s loop, `at` kept "
    f"{'its' if at_keeps_check else 'no'} `IsInBounds`, and `n` of `counter` was "
    f"{'moved to the heap' if n_moved else 'kept on the stack'}.",
    f"* With `-N -l`, {len(noopt.ran)} passes ran on `sum` instead of {len(loop.ran)}; its loop ran "
    f"{r.loc['-N -l', 'ratio']:.1f}× as long, and compiling took {c.loc['-N -l', 'ratio']:.2f}× as long "
    + ("(faster)." if faster else "(slower)." if slower else "(within the noise)."),
])))
""")

lesson.myth_check(7)
lesson.further_reading()

next_lesson(lesson, "04", "from SSA to machine code, objects and the linker")

lesson.write()
