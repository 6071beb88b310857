"""Generate notebooks/03-ssa.ipynb (outputs cleared). Run: python notebooks/_src/make_03.py

Evidence for the sentences about Go sits in comments next to them: a GOROOT/src file:line (Go 1.27.3
unless marked 1.22 = Go 1.22.10; cmd/compile/internal abbreviated cci/) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("03-ssa.ipynb", budget_seconds=30)
md, code = lesson.md, lesson.code
#: The widest code line that shows whole in JupyterLab at 1280 px with the file browser open.
CODE_WIDTH = 104

# cci/ssa/prove.go removeBranch (1.27: :3052-3070; 1.22: :1687) sets b.Kind = BlockFirst; the IsInBounds value is
# then unused (DEAD) and a later rewrite or deadcode pass removes it with the panic block (the table after the check).
lesson.exercise(
    "prove",
    question="After the prove pass, is there still a live IsInBounds value in sum? (True or False)",
    hint="Look at the loop condition: i < len(xs), and i starts at 0 and only grows.",
    solution="No: prove knows 0 <= i < len(xs) inside the loop, so the check can never fail. It rewrites the "
             "branch on IsInBounds into a First block (always take the first successor), so the IsInBounds value "
             "is no longer used (DEAD) and the block that would call PanicBounds can no longer be reached; "
             "later passes remove both (the first table above says which, on your Go).",
    reveals=[r"Proved IsInBounds",
             r"\bprove\b[^.\n]{0,60}\b(?:removes?|removed|deletes?|eliminates?)\b[^.\n]{0,30}\bbounds checks?",
             r"IsInBounds[^\n]{0,60}\bDEAD\b",
             r"\bprove\b\s+dead\b"],
)
# cci/ssa/checkbce.go:13-37 warns at v.Pos of each IsInBounds/IsSliceInBounds, i.e. at the `[` of xs[i].
lesson.exercise(
    "bce",
    question="Does the compiled function at still contain a bounds check? (True or False)",
    hint="prove can only remove a check it can prove; what does at know about i?",
    solution="Yes: nothing bounds i, so the IsInBounds check (and the PanicBounds block) stays. "
             "check_bce reports it at the column of the [ in xs[i].",
    reveals=[r"Found IsInBounds",
             r"\bat\b[^.?\n]{0,40}\bkeeps\b[^.?\n]{0,30}\bbounds check",
             r"IsInBounds col \d+"],
)
# cci/escape: a variable captured by reference by a closure that escapes is moved to the heap (escape.go,
# "moved to heap: n" under -m); shown by the check's evidence.
lesson.exercise(
    "escape",
    question="Is the variable n of counter moved to the heap? (True or False)",
    hint="Who can still use n after counter has returned?",
    solution="Yes: the closure outlives counter's stack frame and keeps modifying n, so escape analysis "
             "reports `moved to heap: n` (and the func literal itself escapes).",
    reveals=[r"moved to heap: n\b",
             r"\bn\b[^.\n]{0,20}escapes to (?:the )?heap",
             r"\bn: moved to heap\b"],
)


# Pipeline: cci/gc/main.go:218 noder.LoadPackage (syntax + types2 + unified IR: cci/noder/unified.go:151-205
# writes the export data stub and reads the IR back from it), :259
# interleaved.DevirtualizeAndInlinePackage, :294 escape.Funcs, then per function cci/gc/compile.go:123 walk.Walk
# and cci/ssagen/pgen.go:304 buildssa, ssa.Compile (the passes, cci/ssa/compile.go), :314 genssa (obj.Progs that
# cmd/internal/obj assembles). Claim 7: cci/ssagen/ssa.go:2451 opToSSA {OADD, TINT64}: ssa.OpAdd64 (1.22: :2207)
# and :3365-3379 `case ir.OADD, ir.OSUB` builds it with newValue2 (two arguments; 1.22: :3095-3109);
# cci/ssa/_gen/AMD64.rules:6 (Add(64|32|16|8) ...) => (ADD(Q|L|L|L) ...) (both releases), applied by the lower
# pass (cci/ssa/lower.go:10). There is no cci/ssa/gen.go in either release (the generator is ssa/_gen/main.go).
# Block kinds: cci/ssa/_gen/genericOps.go:744-753 (1.22: :656-665) Plain, If, Defer, Ret, RetJmp, Exit, JumpTable,
# First. Passes: compile.go:457 `var passes`, 59 entries in 1.27.3 (53 in 1.22.10), counted live by ssa_states.
md("""
# 03 — SSA: every pass of the real compiler

After parsing and type checking, the compiler first works on its own tree for a while (inlining calls,
finding which values must live on the heap: lesson 08 follows a line through those steps). Then it rewrites
each function into **[[SSA|ssa]]** (static single assignment) form: every value is defined exactly once
(`v10 = Add64 <int> v7 v8`), and values live in **[[basic blocks|cfg]]**, straight runs of code that end in a
jump, a branch or a return. Then more than fifty **[[passes|pass]]** rewrite the function again and again:
removing dead code, proving [[bounds checks|bounds-check]] unnecessary, replacing generic operations by
machine instructions, allocating registers. Finally the result is turned into the assembler's instructions
(lesson 04).

The compiler can show all of it: set `GOSSAFUNC=name` and it writes `ssa.html`, a column for each
pass (passes that changed nothing share one). In this lesson gokit runs that same switch on your code and turns the page into data you
can scrub, compare, draw and question:

* every pass of a function, and what each one changed;
* the control-flow graph of any pass, with likely branches and loop back edges;
* the compiler's own verdicts on inlining, escapes and bounds checks, next to your source;
* a benchmark: the same code compiled with optimisations off (`-N -l`) and on.

The article these lessons answer describes this stage with a snippet said to come from
`ssa/gen.go` (its claim 7): a machine-independent `Add64` that a pass turns into the machine's own
instruction. You will watch what really happens to it below, and the myth check says how the article's
snippet compares.
""")

lesson.objectives(
    "read a function in the compiler's SSA form: blocks, values, ops, types, statement marks",
    "follow a function through the compiler's passes and say what each changed, with `GOSSAFUNC`",
    "watch `lower` turn `Add64` into `ADDQ`, and follow a bounds check through `prove` and the passes after it",
    "read the compiler's own report (`-m=2`, `check_bce`): inlining costs, escapes, bounds checks",
    "measure what `-N -l` costs a loop at run time and the compiler at build time",
)

code("""
import os

import pandas as pd
from IPython.display import Markdown

import gokit
from gokit import bench, lesson

tc = gokit.toolchain()
print(f"go{tc.version} ({tc.goos}/{tc.goarch})")
""")

md("""
## The program

Small functions, each showing one thing: an addition, a loop over a slice, an index that may be
out of range, a method, a closure that captures a variable, and a generic function, shown with the
line numbers the compiler's messages and SSA use. (The cell that defines it is folded: click its
`…` to edit the program, then run the notebook again from the top.)
""")

code_hidden(lesson, '''
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
	fmt.Println(add(1, 2), sum([]int{1, 2, 3}), at([]int{7}, 0), next(), Max(3, 4),
		Max(1.5, 0.5), c.n)
}
"""
src = gokit.Source(SOURCE)
lesson.listing(SOURCE)   # with the line numbers the compiler uses
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
print(f"compiled in {fn.meta['seconds'] * 1000:.0f} ms with GOSSAFUNC={fn.meta['qualified']}")
lesson.say(lesson.ssa_states(fn, tc.goroot))
""")

# Snapshots, not passes: cci/ssagen/ssa.go:588 WritePhase("before insert phis"), cci/ssa/compile.go:62
# WritePhase("start"). Pass order: cci/ssa/compile.go:457-520 `var passes` (1.22: :457-513). Merged columns:
# cci/ssa/html.go WritePhase/flushPhases write a column only when the function's hash changed (the column's
# title joins the merged passes with " + "). number lines: cci/ssa/numberlines.go:107 numberLines marks
# statement boundaries; schedule orders values (schedule.go), layout orders blocks (layout.go).
md("""
`lesson.ssa_changes(fn)` lists the states of the function that differ from the one before: its
blocks, its values, how many of them are still live, and what changed. `#` numbers them the way
`ssa.html` and the explorer below do: #0 and #1 are **snapshots**, not passes (`before insert
phis` is taken while SSA is being built, `start` when it is complete), and #2 onwards are the
passes in the order the compiler runs them (its `passes` list in
`cmd/compile/internal/ssa/compile.go`). Most passes change nothing in a function this small; in
`ssa.html` those share a column with the next pass that did (its title reads `a + b + c`, and the
column shows the function after `c`), so fewer columns hold all the passes. The table shows the
two snapshots and every pass that changed the function; the fold has every row:
""")

code("""
changes = lesson.ssa_changes(fn)
display(lesson.table(changes))
snapshots = len(fn.passes) - len(fn.ran)
lesson.fold(lesson.table(lesson.ssa_changes(fn, every=True)),
            f"all {len(fn.passes)} rows: {snapshots} snapshots, {len(fn.ran)} passes")
""")

# print.go:88-100 StmtString "(+N)" marks a statement boundary; numberlines.go moves those marks (the pass is
# `required`: compile.go:458). Shown live by the `number lines` row above; in add it is v10 on both releases
# (checked with gokit.ssa on 1.27.3 and 1.22.10).
md("""
A pass can change a function without changing its counts: `number lines` only moves the
**statement marks** (which value starts a source line for a debugger: in `add`, `v10`'s `(9)`
becomes `(+9)`), `schedule` only reorders values inside their block, and `layout` (or `loop
rotate`) only reorders blocks. Counting values would miss them; the `what changed` column does not.

## Reading a pass

A pass is printed the way the compiler prints it (`GOSSAFUNC=add+`). `b1:` starts a block; each
line below it is a value: **(line)** in the source, the value's **id**, `=`, its **op**, its
**type** in angle brackets, aux data in `[...]` or `{...}`, then the values it takes as
arguments. The block's last line says how it ends. The function as built, before any pass:
""")

# Line format: cci/ssa/print.go:88-100 StmtString: "(?)" unknown position, "(+N)" a statement boundary,
# "(-N)" a position marked not-a-statement (cmd/internal/src/pos.go:375 PosNotStmt), then v.LongString()
# (cci/ssa/value.go:160-170: "vN = Op <type> aux args").
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

## `Add64` becomes `ADDQ` in `lower`

Up to `lower`, ops are machine-independent (`Add64`, `Less64`, `Load`). The `lower` pass
rewrites them into instructions of the target machine, by rules such as
`(Add(64|32|16|8) ...) => (ADD(Q|L|L|L) ...)` in the compiler's `ssa/_gen/AMD64.rules`.
`lesson.op_changes(fn, "lower")` compares the function after `lower` with the state just before it
(`fn.diff(a, b)` lists every change between any two states) and keeps the values whose op changed:
""")

code("""
ops = lesson.op_changes(fn, "lower")
claim7 = ("Add64", "ADDQ") in ops.pairs
ops
""")

lesson.myth_heading = True   # the box sits by the cell that shows its claim, not under a heading
lesson.myth_check(7)

# cci/ssa/_gen/ARM64.rules:5 (Add(Ptr|64|32|16|8) ...) => (ADD ...) (both releases); checked live with
# lesson.op_changes on goarch="arm64".
lesson.try_yourself("""
Ask for another machine: in a new cell, `lesson.op_changes(gokit.ssa(src, "add", goarch="arm64"), "lower")`
(or `"riscv64"`). Which op does `Add64` become there, and is `lower` still the pass that does it?
""")

# regalloc: cci/ssa/regalloc.go:741-744 needRegister (1.22: :605-608): not memory, void, flags or tuple values; a
# value spilled to the stack is a StoreReg (regalloc.go:590 spill := ...OpStoreReg; 1.22: :503) whose location
# stackalloc gives a stack slot, a LocalSlot printed like `: a[int]` (stackalloc.go; genericOps.go:553, 1.22: :534).
# ArgIntReg: the argument arrives in a register (ABIInternal,
# cmd/compile/abi-internal.md: integer arguments in RAX, RBX, RCX, ...). Its aux is NameOffsetInt8
# (_gen/genericOps.go:358): the aux an AuxNameOffset printed "%s+%d", parameter name and offset (ssa/op.go:113-114),
# the auxint printed as [n] even when 0 (ssa/value.go:241); regalloc reads the register as
# Config.intParamRegs[v.AuxInt8()] (ssa/regalloc.go:1039; paramIntRegAMD64 for amd64, ssa/config.go:192). genssa: cci/ssagen/ssa.go (func genssa)
# emits obj.Progs numbered in order by objw.Progs.Prog (cci/objw/prog.go:171-172 p.Pc = pp.PC; pp.PC++; 1.22:
# :174-175) and prints "%.5d (line) instr" into ssa.html (ssagen/ssa.go:7474; 1.22: :7671); FUNCDATA/PCDATA: GC
# and argument metadata for the runtime (cmd/internal/obj/link.go, internal/abi/symtab.go). Go assembler syntax:
# the destination is the last operand (go.dev/doc/asm), so ADDQ BX, AX is AX += BX.
md("""
After `lower` come register allocation and the end of the pipeline. `regalloc` gives each value
that needs one a location, after the `:`: a register, or, for a value it has to spill, a stack
slot (a `StoreReg` value). Memory values (`<mem>`), flags and tuples get none (`: <>` is the empty
location of the `MakeResult` tuple). In `add` the two arguments arrive in registers (`ArgIntReg`:
`AX` and `BX`, Go's register-based calling convention, [[ABIInternal|abi]]) and the sum is left in
`AX`, where the caller expects the result. In `ArgIntReg <int> {a+0} [0] : AX`, `{a+0}` names the
parameter and its offset (`a`, from byte 0), and `[0]` is the register's index in the calling
convention's list of integer registers (0 is `AX`, 1 is `BX`).

Then `genssa`, which is no SSA pass, turns the function into `obj.Prog`s, the assembler's
instructions, which `cmd/internal/obj` encodes into machine code (the next stage of the pipeline,
lesson 04). Each line below is a Prog's *number* in genssa's list, not an address: the gaps are
the `FUNCDATA` and `PCDATA` lines, tables for the runtime (which stack slots hold pointers, where
the arguments are), left out here. Lesson 04 shows the encoded bytes and their addresses. The
instructions are in Go's assembler syntax, where the destination comes last: `ADDQ BX, AX` adds
`BX` into `AX`.
""")

code("""
print(fn.pass_("regalloc").text())
print(lesson.genssa_listing(fn))
""")

# Phi: cci/ssa/_gen/genericOps.go Phi ("select an argument based on which predecessor block we came from");
# ssagen/phi.go inserts them (the "before insert phis" snapshot is taken just before). likely/unlikely:
# block.Likely (block.go); back edges: a loop's latch to its header (likelyadjust.go loopnest).
md("""
## Control flow: the CFG of a loop

`sum` has a loop, so its function has several blocks; drawn with the jumps between them, they
are its **control-flow graph** (CFG). `.cfg(pass)` draws it: each box is a block with its values
(dead ones greyed), the italic line is how the block ends. A dashed edge is the **unlikely**
branch, and the blue edge going back up is the loop's **back edge**. Where two edges meet, a
[[phi]] value (`Phi`) picks the value that arrives along the edge taken: `i` is `0` on the way in
and `i+1` around the loop.
""")

code("""
loop = gokit.ssa(src, "sum")
lesson.diagram(loop.cfg("start"))
""")

# cci/ssa/prove.go removeBranch (1.27: :3052-3070) makes a BlockFirst; cci/ssa/rewrite.go:33-34, :96-102 (1.22:
# :30-31, :75-81): a rewrite pass run with removeDeadValues resets values with no uses ("Not quite a deadcode
# pass"): opt.go:9 opt (opt, middle opt, late opt), :13 divisible, :17 divmod (1.27 only), lower.go:10 lower;
# decompose.go:30 (1.22: :29) postExpandCallsDecompose runs its rules with leaveDeadValues. cci/ssa/deadcode.go
# (func deadcode) removes unreachable blocks. On 1.27 the check goes in divisible (#16), the block in generic
# deadcode (#28); on 1.22 (no divisible pass) it stays DEAD through expand calls and decompose builtin and goes in
# late opt (#21), the block in generic deadcode (#24): computed by lesson.ssa_fate in the check's evidence
# (tests/test_lesson_helpers.py checks both releases).
md("""
### Predict, then run: will the bounds check in `sum` survive `prove`?

`s += xs[i]` must panic if `i` is out of range, so the compiler first emits an `IsInBounds`
check before the load (the block above ends in an `If`, a two-way branch on it, with the call of `PanicBounds` in
its unlikely branch). The `prove` pass tries to show that such a branch always goes one way.
""")

code("""
prediction = ...   # your guess: True or False

after_prove = loop.pass_("prove")
prove_left_check = any(v.op == "IsInBounds" and not v.dead for v in after_prove.values)
fate = lesson.ssa_fate(loop, "IsInBounds", "PanicBounds", since="prove", go=tc.version)
lesson.exercise("03", "prove").check(prediction, prove_left_check, evidence=[
    fate, loop.diff(after_prove.index - 1, after_prove), lesson.diagram(loop.cfg(after_prove))])
""")

md("""
## The function shrinks as it goes

Values per state of `sum`, all and live, for the states that differ from the one before, in pass
order, top to bottom, labelled with the same numbers. Where a bar shortens, a pass removed work;
where it grows, a pass added values (`expand calls` spells out the arguments and results of the
function and its calls in registers):
""")

code("""
lesson.ssa_sizes(loop)
""")

md("""
What `prove` does when it can show a branch always goes one way: it turns the branch into a
`First` block (always take the first successor), so the value it tested has no user left and is
marked `DEAD`, and the other successor can no longer be reached. Later passes clean up. A
*rewrite* pass applies the compiler's rules; most (`opt`, `late opt`, `lower`, and on Go 1.27
`divisible`, `divmod` and `middle opt`) also delete values nobody uses on the way, while
`decompose builtin` leaves dead values alone. A *dead-code* pass removes blocks nothing reaches.
The evidence of the prediction above followed `sum`'s check this way, pass by pass, on your Go;
other passes remove work the same way: `generic cse` and `lowered cse` ([[CSE]]) point the uses
of a repeated computation at one copy and leave the other dead.
""")

md("""
## Explore

The explorer puts it together. Move the slider (or pick a pass: the same numbers) to see the CFG
and the listing of that pass; choose any other pass under *compare with* to see the two side by
side and the diff between them (by default: the pass before). Its diff lists values and blocks
that changed, so a pass that only moved statement marks or reordered values (`number lines`,
`schedule`) shows there as *no change*, though the chart above counts it among the passes that
changed the function; `lesson.ssa_changes(loop)` says what each one did. Pick a value to light up
its source line and to follow it through **every** pass, as the compiler's own `ssa.html` does
when you click a value.
""")

code("""
loop.explore()
""")

md("""
## Methods, closures and generic functions

Write names the way you would in Go. The compiler's own names differ a little: a method with a
pointer receiver is `(*Counter).Add`, a closure is named after its enclosing function
(`counter.func1`), and a generic function is compiled once per **[[shape|shape]]** of its type
arguments (`Max[go.shape.int]`), a body that takes a hidden dictionary argument for what differs
between the types. `Max[float64]` gives the body `float64`'s shape shares, and a bare `Max` the
first shape in the compiler's output, which is not the order of the calls in the source. A name
that is not there (`Add`) gets an answer, not a traceback:
""")

# gokit._ssa._resolve: a bare generic name -> the first go.shape instantiation in the -S listing (STEXT order);
# noder/reader.go:1434-1470 (1.22: :1276-1310): Max[float64] tail-calls Max[go.shape.float64] with its dictionary.
code("""
NAMES = ["add", "Counter.Add", "(*Counter).Add", "counter.func1", "Max", "Max[float64]", "Add"]
lesson.ssa_names(src, NAMES)
""")

# -m=2 inlining/escape notes; -d=ssa/check_bce/debug=1: cci/ssa/checkbce.go:13-37 (Found IsInBounds at v.Pos);
# the pass order: cci/ssa/compile.go:486 {name: "check bce"} before :494 {name: "lower"} (1.22: :482, :490).
md("""
## What the compiler decided: inlining, escapes, bounds checks

The same compile, with `-gcflags='-m=2 -d=ssa/check_bce/debug=1'`, explains decisions you can
not see in one function's SSA: which calls were **inlined** (and the cost that decided it), which
values **escape** to the heap, and which bounds checks are still there when the `check bce` pass
runs (it reports each at the column of its `[`). That pass sits in the middle of the pipeline;
with your Go:
""")

code("""
names = loop.pass_names
print(f"check bce is pass #{names.index('check bce')} of #{len(names) - 1}, "
      f"{names.index('lower') - names.index('check bce')} passes before lower")
""")

md("""
Two predictions first; the compiler's whole report comes after them.

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

# prove.go: a check 0 <= i < len is proved from facts on both bounds; `i < len(xs)` alone leaves i < 0 possible
# (checked live: bounds_checks keeps at's IsInBounds for `if i < len(xs)`, drops it for `if i >= 0 && i <
# len(xs)` and for `if uint(i) < uint(len(xs))`, on 1.27.3 and 1.22.10).
lesson.try_yourself("""
Make `at` safe and see whether `prove` agrees. In a new cell, check a copy of the program:
`gokit.bounds_checks(SOURCE.replace("return xs[i] }", "if i < len(xs) { return xs[i] }; return 0 }"))`.
Does the check in `at` go? Then try `i >= 0 && i < len(xs)`, and `uint(i) < uint(len(xs))`. What does
`prove` need to know about `i`?
""")

md("""
Now the whole report, next to the source: inlining in green, escape analysis in brown, bounds
checks in red.
""")

code("""
opt = gokit.optimizations(src)
opt
""")

# escape.go:322 "moved to heap: %v" only where a variable must live on the heap (1.22: :305); in main the inlined
# copy of counter's n is captured by reference but its closure "does not escape" main (both releases, -m=2 live).
code_hidden(lesson, """
in_main = esc[(esc.function == "main") & (esc.what.isin(["n", "func literal"]))]
main_moved = bool(((in_main.what == "n") & (in_main.verdict == "moved to heap")).any())
lit_stays = bool(((in_main.what == "func literal") & (in_main.verdict == "does not escape")).any())
at = f"line {in_main.line.iloc[0]}" if len(in_main) else ""
if len(in_main) and not main_moved and lit_stays:
    lesson.say(f"Look at {at}: main inlined counter, so it has its own copy of n. That copy "
               "is captured by reference too, but the closure does not escape main (no caller "
               "outlives it), so no 'moved to heap' is printed there: the inlined copy keeps n on "
               "main's stack.")
elif len(in_main):
    lesson.say(f"At {at}, main inlined counter and has its own copy of n; this compiler "
               + ("moved that copy to the heap too." if main_moved else "reported it as above."))
""")

# cci/inline/inl.go: "can inline %v with cost %d as: ...", "cannot inline %v: function too complex: cost %d exceeds
# budget %d" (-m=2); inlineMaxBudget 80 (inl.go, both releases). A call of an inlinable function costs its
# callee's cost (inl.go:641 v.budget -= callee.Inl.Cost; 1.22: :582), plus one per node of the call.
md("""
The inlining decisions as a table. `cost` is the compiler's estimate of a function's size; a
`budget` is printed only where it refused (the limit the cost exceeded), so the others show —;
the last column is what `-m=2` printed: the body it would copy, or why not. `Max[int]` and
`Max[float64]` are the wrappers of the generic function: their bodies call the shaped body with a
dictionary (`&.dict.Max[int]`), and their cost is the cost of the shaped body they call plus the
nodes of the call itself:
""")

code("""
lesson.inlining_table(src)
""")

# base/flag.go: -N "disable optimizations", -l "disable inlining"; compile.go:71 (both releases) skips a pass
# that is not `required` when !f.Config.optimize. Checked on Go 1.27.3: compile.go's `var passes` lists 59
# passes, 26 of them `required: true`; the passes ssa.html shows for `sum` with -N -l ("number lines" to
# "regalloc", 26) are exactly those 26 (checked by parsing the list in GOROOT/src against `noopt.pass_names`).
md("""
## Benchmark: `-N -l` versus the default

`-N` disables optimisations and `-l` disables inlining: what debuggers like. With `-N` the
compiler skips every SSA pass its list does not mark `required: true` (the list `passes` in
`cmd/compile/internal/ssa/compile.go`). First, what the flags do to the SSA of `sum`: how many
passes ran each way, and which ones `-N -l` skipped:
""")

code("""
noopt = gokit.ssa(src, "sum", gcflags="-N -l")
lesson.passes_compared(loop, noopt, labels=("default", "-N -l"))
""")

md("""
The benchmark compiles the package with each setting (the real compile command, timed as a
whole process), then runs `go test -bench` on `sum` over 1000 numbers, interleaved, several times
each:
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
load_before = lesson.load_check()
print(f"this machine: {load_before.cpus} CPUs, load average {load_before.load:.1f} (1 min)")
res = bench.gcflags(src, TEST, flags={"default": "", "-N -l": "-N -l"}, runs=bench.runs(10),
                    benchtime="10000x")
display(lesson.bench_table(res.run, label="sum over 1000 ints, compiled with"))
lesson.bench_table(res.compile, label="compiling the package with")
''')

code("""
res.plot()
""")

# bench.py median_interval: each median's interval holds it with the coverage shown (97.85% for 10 runs); the
# ratio's interval divides the two, so it holds the true ratio with at least the product (95.7%).
code_hidden(lesson, """
r, c = res.run.summary, res.compile.summary
load = lesson.load_check(load_before.load)
fig = lesson.figures
ratio, lo, hi = (r.loc["-N -l", k] for k in ("ratio", "ratio_low", "ratio_high"))
c_ratio, c_lo, c_hi = (c.loc["-N -l", k] for k in ("ratio", "ratio_low", "ratio_high"))
cover = bench.fmt_coverage(r.loc["-N -l", "ratio_coverage"])
each = bench.fmt_coverage(r.loc["default", "coverage"])
wide = hi / lo > 3
faster = c_hi < 1 and not load.busy
slower = c_lo > 1 and not load.busy
compile_said = ("skipping the optimisation passes made this compile faster" if faster else
                "here `-N -l` compiled slower" if slower else
                "no verdict on a busy machine" if load.busy else
                "for a package this small the difference in compile time is within the noise")
fast_ns, slow_ns = r.loc["default", "median"], r.loc["-N -l", "median"]
lines = [load.sentence] if load.busy else []
lines += [
    f"* Run time: `sum` over 1000 ints took a median **{fast_ns:,.0f} ns** optimised and "
    f"**{slow_ns:,.0f} ns** with `-N -l`: {fig(ratio)}× as long, with an interval of "
    f"{fig(lo)}–{fig(hi)}× (it holds the true ratio with at least {cover}: each median's "
    f"own interval holds it with {each})"
    + (", a wide interval: the ratio is known only roughly." if wide else "."),
    f"* Compile time of the package: {c.loc['default', 'median'] * 1e3:.1f} ms optimised vs "
    f"{c.loc['-N -l', 'median'] * 1e3:.1f} ms with `-N -l` ({fig(c_ratio)}×, interval "
    f"{fig(c_lo)}–{fig(c_hi)}×): {compile_said}."]
display(Markdown("\\n".join(lines)))
""")

md("""
## What you saw
""")

code_hidden(lesson, """
gone = fate.frame[fate.frame.IsInBounds == "gone"]
went = gone.iloc[0]["after pass"] if len(gone) else "no pass"
run_ratio = (f"{fig(ratio)}× as long (interval {fig(lo)}–{fig(hi)}×"
             + (", measured on a busy machine)" if load.busy else ")"))
display(Markdown("\\n".join([
    f"* go{tc.version} ran {len(fn.ran)} SSA passes on `add`, after "
    f"{len(fn.passes) - len(fn.ran)} snapshots ({sum(p.changed for p in fn.ran)} passes changed it, "
    f"`number lines` only in its statement marks), and {len(loop.ran)} on `sum`; `ssa.html` drew "
    f"{len(loop.columns)} columns for `sum`, gokit numbered its states back in the compiler's order; "
    "`Add64` "
    + ("became `ADDQ` in `lower`." if claim7 else "did not become `ADDQ` in `lower` here."),
    f"* `prove` left {'a live' if prove_left_check else 'no live'} bounds check in `sum`'s loop "
    f"(the dead check went in `{went}`), `at` kept "
    f"{'its' if at_keeps_check else 'no'} `IsInBounds`, and `n` of `counter` was "
    f"{'moved to the heap' if n_moved else 'kept on the stack'}.",
    f"* With `-N -l`, {len(noopt.ran)} passes ran on `sum` instead of {len(loop.ran)}; its loop ran "
    f"{run_ratio}, and compiling the package: {compile_said}.",
])))
""")

lesson.further_reading()

next_lesson(lesson, "04", "from SSA to machine code, objects and the linker")

too_wide = [ln for c in lesson.cells if c.cell_type == "code" for ln in c.source.splitlines() if len(ln) > CODE_WIDTH]
assert not too_wide, f"code lines wider than {CODE_WIDTH} characters (cut at 1280 px): {too_wide}"

lesson.write()
