"""Generate notebooks/08-one-line-every-stage.ipynb (outputs cleared). Run: python notebooks/_src/make_08.py

Evidence for each statement about Go sits in a comment next to it: a Go source file:line, Go 1.27.3's GOROOT/src
first and Go 1.22.10's after it ("1.22: ...") wherever the line differs, or the cell that shows it live. The lesson
itself computes every number it states.
"""
from __future__ import annotations

from _nb import Lesson, closing_link, code_hidden

lesson = Lesson("08-one-line-every-stage.ipynb", budget_seconds=40)
lesson.myth_heading = True  # the myth-check boxes sit next to the cells that check them
md, code = lesson.md, lesson.code

lesson.exercise(
    "busiest-pass",
    question="Once the SSA form is built, which compiler pass changes this line the most: creates the most new "
             "values for it or rewrites the most of its values into another operation? (a pass name, as the "
             "compiler spells it, e.g. 'opt')",
    hint="Most passes optimise machine-independent operations such as Div64 and Mod64. One pass replaces them "
         "with the operations of the machine you compile for.",
    solution="lower: it rewrites the machine-independent operations of the line (Load, Div64, Mod64, Add64) "
             "into amd64 ones (MOVQload, DIVQ with Select0/Select1, ADDQ) by the rules in "
             "cmd/compile/internal/ssa/_gen/AMD64.rules, and adds the TESTQ that checks the divisor. The "
             "passes before it mostly remove copies the SSA construction left.",
    reveals=[r"\blower\b[^.\n]{0,60}\b(?:rewrites|turns|changes)\b[^.\n]{0,60}\b(?:Div64|Mod64|Add64|this line)\b"],
)
lesson.exercise(
    "divides",
    question="The line computes both n%base and n/base. How many IDIVQ instructions does it become in "
             "digitSum? (a number)",
    hint="On amd64 one IDIVQ leaves the quotient in AX and the remainder in DX. Does the compiler notice that "
         "both operations divide the same numbers?",
    solution="One. lower turns Mod64 and Div64 into two identical DIVQ values (Select1 and Select0 of each), "
             "and lowered cse keeps one DIVQ for both; genssa emits it as CQO (sign-extend AX into DX) and "
             "IDIVQ, whose two results are the quotient and the remainder.",
    reveals=[r"\bkeeps? one I?DIVQ\b",
             r"\blowered cse\b[^.\n]{0,160}\bkeeps one\b",
             r"\btwo identical I?DIVQ\b",
             r"\bone I?DIVQ\b",
             r"\bCQO\b",
             r"\bIDIVQ (?:[A-D]X|[DS]I|R\d+)\b"],
)
lesson.exercise(
    "hot-instruction",
    question="Of the three instructions of the division in main's inlined copy of the line (CQO, IDIVQ, and the "
             "ADDQ right after them), which will collect the most samples? (its op, as the listing spells it)",
    hint="The profiling signal can stop the program only between two instructions, and the sample records the "
         "instruction that runs next. Which of the three is slow, and which one runs right after it?",
    solution="Usually the ADDQ right after the division (it is the answer on the AMD EPYC machine this course was "
             "written on, in every run). The slow instruction is the IDIVQ: a 64-bit signed division takes about "
             "10–20 cycles on recent x86 cores (Intel since Ice Lake, AMD since Zen 3) and up to about 90 on older "
             "Intel ones such as Skylake (Agner Fog's instruction tables, "
             "https://www.agner.org/optimize/instruction_tables.pdf, and https://uops.info); CQO and ADDQ take "
             "about one. But an x86 CPU takes an interrupt only on an instruction boundary (Intel SDM Vol. 3A, "
             "section 6.6), and the pc the signal handler records is that of the next instruction to run. A CPU "
             "that lets the division finish before it takes the timer's interrupt records the ADDQ, so the time "
             "the division costs is charged to the instruction after it ('skid'); a CPU that abandons the division "
             "and starts it again afterwards records the IDIVQ itself. The table under the check shows where the "
             "samples landed on yours.",
    reveals=[r"\b(?:IDIVQ|ADDQ)\b (?:collected|collects|gets|got|takes|took) (?:the )?most\b",
             r"\bsamples (?:pile up|land) on (?:the )?(?:IDIVQ|ADDQ)\b",
             r"\bhottest instruction is\b",
             r"\bskid\b",
             r"\bcharged to the (?:instruction|one) after\b",
             r"\bIDIVQ\b[^.\n]{0,60}\btakes?\b[^.\n]{0,30}\bcycles\b"],
    search_answer=False,
)
# IDIV r64 latency: Agner Fog, Instruction tables (Skylake: 42-95; Ice Lake/Tiger Lake and Zen 3/4: about 10-18);
# uops.info DIV_R64/IDIV_R64 (Alder Lake-P 14-18; Skylake tens of cycles). Both are measurements, per core.
# Where a sample lands: runtime/signal_unix.go sighandler -> sigprof(c.sigpc(), ...) records the interrupted pc
# (1.22 the same): the pc the kernel saved, the next instruction to run. Intel SDM Vol. 3A, 6.6 "Program or Task
# Restart": "All interrupts are guaranteed to be taken on an instruction boundary." Measured on this course's AMD
# EPYC machine (Go 1.27.3, gokit.profile 1 s, four runs): CQO/IDIVQ/ADDQ samples 1/1/8, 0/0/15, 0/1/13, 1/1/14;
# the lesson computes the answer live and says which one collected the most on the learner's machine.

md("""
# 08 — One line, every stage: from source to silicon

Each lesson so far showed one stage of the pipeline. This one takes **one line** of a small program and
follows it through all of them, with the tools that do the work:

1. the **[[tokens|token]]** `go/scanner` reads, and the semicolon it inserts;
2. the **syntax nodes** `go/parser` builds from them;
3. the **types** `go/types` gives each expression;
4. the **[[SSA|ssa]] values** the compiler makes of the line, pass by pass, until they are amd64 operations;
5. the **instructions** of the `-S` listing, each with the SSA value it came from;
6. the **[[relocations|relocation]]** those instructions carry, and the **symbols** the linker resolved them to;
7. the **bytes** at their final addresses in the linked program.

Then the program runs under Go's own **CPU profiler**, and you will see which lines and instructions it blames.
The lesson ends with a benchmark: what each stage costs for this file, `go build` decomposed.

Three claims of the article this course answers come up again on the way (claims 7, 8 and 14, in boxes next to
the cells that check them).
""")

lesson.objectives(
    "follow one source line through every stage of the toolchain and say what each stage made of it;",
    "read the SSA passes that change a line, and tell a machine-independent operation from an amd64 one;",
    "match each instruction of a listing to the SSA value it came from, and each hole to the symbol it was filled "
    "with;",
    "read a CPU profile down to the instruction, and say what each stage of a build costs for a small file.",
)

code("""
import os

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson
from gokit.lesson import say, table

tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}; {os.cpu_count()} CPUs, load average "
      f"{os.getloadavg()[0]:.2f} over the last minute")
""")

md("""
## The program

`digitSum` adds up the decimal digits of a number, and `main` does it for every number up to a limit (the
first argument, a million by default). `base` is a package variable, not a constant: the compiler cannot
know its value when it compiles the loop. Edit the program and run the notebook again.
""")

code('''
SOURCE = """package main

import (
	"fmt"
	"os"
	"strconv"
)

// base is a variable: the compiler cannot know its value, so it must really divide.
var base = 10

// digitSum adds up the digits of n written in base.
func digitSum(n int) int {
	sum := 0
	for n > 0 {
		sum, n = sum+n%base, n/base
	}
	return sum
}

func main() {
	limit := 1_000_000
	if len(os.Args) > 1 {
		limit, _ = strconv.Atoi(os.Args[1])
	}
	total := 0
	for i := 1; i <= limit; i++ {
		total += digitSum(i)
	}
	fmt.Println(total)
}
"""
src = gokit.Source(SOURCE)
LINE, text = lesson.find_line(SOURCE, "sum, n =")   # its number and text
print(f"the line to follow, main.go:{LINE}:  {text}")
''')

md("""
`gokit.follow(src, LINE)` runs every tool once for the program (the front end, two compiles, a link by
hand, side by side), then the SSA dump of each function holding code from the line, and keeps only what
belongs to the line. Another line of the same program reuses all of it.
""")

code("""
j = gokit.follow(src, LINE)
say(f"main.go:{j.line} is in {j.function or 'no function'}; what each stage holds for it, per function "
    "where the line's code is in more than one:")
table(lesson.journey_counts(j))
""")

md("""
## 1. Tokens

`go/scanner` cuts the line into tokens. The last one was not typed: at a newline after an identifier, a basic
literal, one of the keywords `break`, `continue`, `fallthrough`, `return`, the operators `++` and `--`, or `)`,
`]`, `}`, the scanner **inserts a semicolon** (lesson 01).
""")
# go/scanner/scanner.go:822 Scan; insertSemi after identifiers and those keywords :849-853, numbers :857, strings and
# runes :875-883, ) ] } :904-914, ++ :917-920, -- :922-925 (1.22: :790, :814-818, :822, :840-848, :869-879,
# :882-889); the spec's list: go.dev/ref/spec#Semicolons

code_hidden(lesson, """
table(j.tokens[["col", "token", "text", "inserted"]].assign(
    text=j.tokens.text.replace({"\\n": "newline"}), inserted=j.tokens.inserted.map({True: "yes", False: "no"})))
""")

md("""
## 2. Syntax nodes

The parser makes one `AssignStmt` with two targets (its fields `Lhs[0]` and `Lhs[1]`) and two values (`Rhs[0]`,
`Rhs[1]`): a **tuple assignment**. Go evaluates both right-hand sides first, with the old `n`, and only then
assigns both variables, which is why this one line can update `sum` and `n` together.
""")
# The Go spec, "Assignment statements": "The assignment proceeds in two phases. First, the operands of index
# expressions and pointer indirections ... and the expressions on the right are all evaluated in the usual
# order. Second, the assignments are carried out in left-to-right order." (go.dev/ref/spec#Assignment_statements)
# Shown live below: the SSA values of n%base and n/base both use the same n value (same argument vN).

code("""
print("inside: " + " › ".join(j.enclosing))
for r in j.nodes.itertuples():   # each node under its parent's field that holds it (Lhs[0], X, ...)
    print(f"{'    ' * r.depth}{r.field}: {r.kind} {r.key}".rstrip())
""")

md("""
## 3. Types

`go/types` records the type and **mode** of each expression (lesson 02). `base` is a *variable*, not a
constant, so `n%base` and `n/base` are plain values computed at run time.
""")

code("""
table(j.types[["col", "expr", "type", "mode"]])   # none is a constant: no value column
""")

# pass count: len(j.passes["main.digitSum"]) is 58 entries on Go 1.27.3, 54 on 1.22.10, two of them snapshots
# (before insert phis, start): ssa/compile.go passes list
md("""
## 4. SSA, pass by pass

The compiler turns each function into SSA form and runs more than fifty passes over it (lesson 03). `j.ssa` has
one row per value of this line after every pass of every function holding its code: `digitSum`, and `main`,
into which `digitSum` was **[[inlined|inlining]]**. Before you look at what the passes did, two predictions.
""")

code("""
prediction = ...   # a pass name, e.g. 'opt'

act = j.pass_activity()
fn = "main.digitSum"
most = lesson.busiest_pass(act, fn)   # most values appeared or changed op, after #0 and #1 `start`
busiest = most.name
lesson.exercise("08", "busiest-pass").check(prediction, busiest, evidence=table(most.changes))
""")

md("""
Now the machine code.
""")

code("""
prediction = ...   # a number

div = lesson.divisions(j, fn)   # fn's instructions, how many are IDIVQ, and the IDIVQ and CQO rows
divides, own = div.count, div.instructions
division = table(div.table)
lesson.exercise("08", "divides").check(prediction, divides, evidence=division)
""")

md("""
Here are the passes that did something to the line in `digitSum` once its SSA form was built (so without the two
snapshots, #0 and #1 `start`, as in the exercise): values that **appeared**, had their **op changed**, **died**
(nothing uses them any more) or were **removed** by that pass. `#` is the pass's place in the compiler's order,
as in lesson 03.
""")

code_hidden(lesson, """
busy = act[(act.function == fn) & (act.events > 0) & (act.pass_index > 1)]
table(busy[["pass_index", "pass", "values", "appeared", "op_changed", "died", "removed"]].rename(
    columns={"pass_index": "#", "op_changed": "op changed"}))
""")

md("""
The line's values just before `lower` and just after it. Before, they are machine-independent: a `Load`
of `base`, `Mod64`, `Div64`, `Add64`, and the `Neq64` that checks the divisor is not zero — Go panics on a
division by zero, and the compiler writes that check itself. After, they are amd64 operations: each of
`Mod64` and `Div64` became a `DIVQ` and a selector of one of its two results (`Select1`: the remainder,
`Select0`: the quotient).
""")
# Neq64 + panicdivide: cmd/compile/internal/ssagen/ssa.go:5590-5601 (intDivide: s.check(cmp, ir.Syms.Panicdivide);
#   1.22: :5866-5877)
# lower's rules: cmd/compile/internal/ssa/_gen/AMD64.rules:24 (Div(64|32|16) [a] x y) => (Select0 (DIV(Q|L|W) [a] x y))
#   and :58 (Mod(64|32|16) [a] x y) => (Select1 (DIV(Q|L|W) [a] x y)); Go 1.22: :24 and :57

code("""
names = j.passes[fn]
before = names[names.index("lower") - 1]
for p in (before, "lower", "lowered cse", "lowered deadcode"):
    print(f"after {p}:")
    for r in j.ssa_at(p, fn).itertuples():
        print("   ", r.text + ("      ← dead: nothing uses it" if r.dead else ""))
""")

md("""
`lower` left two identical `DIVQ` values, one for each operation; `lowered cse` (common subexpression
elimination on the lowered code) finds they compute the same thing and points both selectors at one of them. The
other is still listed after `lowered cse`, marked dead (nothing uses it); `lowered deadcode` removes it. The `[true]` on `DIVQ` records that the `prove` pass showed no fix-up is needed for the one division
x86 cannot do (the most negative integer divided by −1): here the dividend is positive, since the loop
runs only while `n > 0`.
""")
# lowered cse: cmd/compile/internal/ssa/compile.go:499 {name: "lowered cse", fn: cse} (1.22: :494); lowered deadcode
#   :502 (1.22: :497); cse rewrites uses and leaves the unused value to deadcode: ssa/cse.go (rewrite of v.Args to the
#   class representative); the dead marks are computed live (gokit: a value no live value or control uses)
# [true] = AuxInt 1: ssa/prove.go:2821-2829 ("v.AuxInt = 1 means we have proved that the divisor is not -1 or
#   that the dividend is not the most negative integer"; 1.22: prove.go:1588-1590); DivisionNeedsFixUp:
#   ssa/rewrite.go:654 (1.22: :602)

code("""
changes = j.ssa_changes()
display(lesson.fold(table(changes[["function", "pass", "text", "change", "fate"]]),
                   f"every change to the line's values ({len(changes)} rows, both functions)"))
""")

md("""
The article's SSA snippet (claim 7) builds a generic `OpAdd64` and says a later pass expands it for the machine.
That is what you just watched on this line, with `Add64`; only the file it quotes does not exist. Checked in your
GOROOT:
""")
# ssagen/ssa.go:3024 func (s *state) expr (1.22: ssagen/ssa.go:2755, same signature); there is no
# cmd/compile/internal/ssa/gen.go in either release (the rules and their generator live in ssa/_gen/)

code_hidden(lesson, """
compiler = tc.goroot / "src" / "cmd" / "compile" / "internal"
expr = [p.relative_to(compiler).as_posix() for p in (compiler / "ssagen").glob("*.go")
        if "func (s *state) expr(n ir.Node) *ssa.Value" in p.read_text()]
add = changes[(changes.function == fn) & changes.change.str.startswith("Add64 →")]
say(f"ssa/gen.go exists: {'yes' if (compiler / 'ssa' / 'gen.go').exists() else 'no'}; the function that builds "
    f"SSA values from expressions, (*state).expr, is in {', '.join(expr)}; on this line Add64 became "
    f"{add.op.iloc[0]} in the {add['pass'].iloc[0]} pass.")
""")

lesson.myth_check(7)

md("""
## 5. Instructions

`genssa` turns each SSA value into instructions and the assembler encodes them; `go tool compile -S`
prints the result with the source line of each instruction.
""")
# genssa: cmd/compile/internal/ssagen/ssa.go (genssa; progToValue records the value of each Prog, :7179;
#   1.22: :7406)

md("""
The compiler records which SSA value each instruction came from (the last column). `CQO` sign-extends the
dividend from `AX` into `DX`, then one `IDIVQ` divides `DX:AX` by the register holding `base`, leaving the
quotient in `AX` and the remainder in `DX`: both `n/base` and `n%base` at once; `ADDQ` adds the remainder to
`sum`. The other instructions are the divisor check, the `Neq64` of section 4: under the table, what each does.
""")
# The divisor check: ssagen/ssa.go:5590-5601 intDivide builds `divisor != 0` and s.check(cmp, Panicdivide); check
#   (:5567-5588) makes an If block, Likely, whose Succs[0] is the division and Succs[1] the panic call (1.22: :5843,
#   :5866-5877). lower turns it into NE (TESTQ v v): the SSA column's `TESTQ <flags> v14 v14` and `NE v28 → b4 b7`.
#   amd64/ssa.go:2494-2507 ssaGenBlock (1.22: :1396-1409): when neither successor comes next in memory and the
#   branch is likely, it emits `JNE Succs[0]` then `JMP Succs[1]`: JNE to the division, JMP to the panic call.
#   TEST: "computes the bit-wise logical AND of first operand ... and the second operand ... sets the SF, ZF, and PF
#   status flags according to the result. The result is then discarded"; JNE: "Jump short if not equal (ZF=0)"
#   (Intel 64 and IA-32 SDM, Vol. 2B, TEST and Jcc). gokit.lesson.divisor_check words it from the rows.
# XCHGL AX, AX = 0x90 nop: cmd/compile/internal/amd64/ggen.go:28-35 (ginsnop; 1.22: :122-129); added after a call
#   that does not return: cmd/compile/internal/ssagen/ssa.go:7220-7225 ("We need the return address of a panic call
#   to still be inside the function in question"; 1.22: :7447-7452)
# -S prints a branch target as the target's pc in decimal: cmd/internal/obj/util.go:315-319 (1.22: :279-283)
# DIVQ: cmd/compile/internal/amd64/ssa.go:379-383 ("Arg[0] (the dividend) is in AX ... Result[0] (the
#   quotient) is in AX. Result[1] (the remainder) is in DX."), :389 (CQO for DIVQ); 1.22: :334-338, :344
# the notes under the table (gokit.lesson.listing_notes, computed from the rows): padding NOPs so that no jump,
#   alone or macro-fused, crosses or ends on a 32-byte boundary: cmd/internal/obj/x86/asm6.go:1855-1858 isJump
#   (same lines in 1.22), function alignment 32 bytes (1.22: asm6.go:2052); the rotated loop:
#   cmd/compile/internal/ssa/looprotate.go:11-28 (same in 1.22); the copy out of DX: CQO writes DX (amd64/ssa.go
#   above)

code("""
table(own[["pc", "op", "args", "ssa"]].assign(pc=own.pc.map("{:#06x}".format)))
""")

code_hidden(lesson, """
check = lesson.divisor_check(own, "base")   # what the divisor check's instructions do, from the rows
say(check or "This listing has no divisor check: the compiler knew the divisor.")
for note in lesson.listing_notes(own):
    say(note)
""")

md("""
`digitSum` is small, so `main` got an inlined copy: the same line's instructions appear again inside
`main`, marked with where they were inlined. Instructions inlined *into* a line (say the body of
`fmt.Println` on the last line of `main`) are marked the other way round, with the function they came from.
gokit tells these apart with a second listing, `-S=2`, which writes each instruction's outermost
position instead of the innermost one.
""")
# -S writes InnermostString, -S=2 p.String() whose Line() is OutermostPos: cmd/internal/obj/objfile.go:914-918,
#   cmd/internal/obj/util.go:23 and :127 (1.22: objfile.go:873-877, util.go:22 and :126)

code("""
inlined = j.asm[(j.asm.function == "main.main") & ~j.asm.pseudo]
table(inlined[["pc", "op", "args", "inline"]].assign(pc=inlined.pc.map("{:#06x}".format)))
""")

md("""
## 6. Relocations and symbols

Two instructions hold **holes** the linker fills (lesson 04): the load of `base`, whose address is not
known until link time, and the call of `runtime.panicdivide`. They are Go's own relocation types,
`R_PCREL` and `R_CALL`, not the article's `R_X86_64_PC32` and `R_X86_64_GLOB_DAT` (claim 8). Each target is a
symbol of the linked program:
""")
# R_CALL/R_PCREL fill: cmd/link/internal/ld/data.go:528, :584 (case objabi.R_CALL, objabi.R_PCREL:
#   o += r.Add() - (ldr.SymValue(s) + int64(off) + int64(siz))); 1.22: :497, :553; as in lesson 04

code_hidden(lesson, """
rel = j.relocations[j.relocations.function == fn]
display(table(rel[["pc", "offset", "size", "type", "symbol", "addend"]].assign(
    pc=rel.pc.map(lesson.hx), offset=rel.offset.map(lesson.hx))))
syms = j.symbols.assign(address=j.symbols.address.map(lambda a: f"{int(a):#x}"),
                        target=j.symbols.resolved.map(lambda a: f"{int(a):#x}"))
table(syms[["symbol", "type", "size", "address", "target"]])
""")

md("""
In the first table, `pc` is the instruction that holds the hole and `offset` where the hole starts, both in bytes
from the function's start. In the second, `address` is where `go tool nm` puts the symbol in the binary, and
`target` the address the filled hole points to, decoded from the linked bytes.

One relocation in `main` looks off by one: the instruction names a symbol plus 8, its relocation the same symbol
plus 7. The CPU measures a PC-relative address from the end of the *instruction*, the linker from the end of the
*hole*; when bytes follow the hole (here an immediate operand), the compiler moves the addend by that many bytes so
the filled hole still points where the listing says:
""")
# x86 asm6.go:5397-5406 (1.22 :5439-5448): "PC-relative addressing is relative to the end of the instruction, but
# the relocations applied by the linker are relative to the end of the relocation ... adjust addend"

code_hidden(lesson, """
main_asm = gokit.asm(src)   # the package's listing, compiled once already by gokit.follow (cached)
for i in main_asm.function("main").machine_instructions:
    for r in i.relocations:
        after = i.pc + i.size - (r.offset + r.size)
        if r.type == "R_PCREL" and after:
            say(f"{i.text}: the hole is bytes {r.offset - i.pc}–{r.offset - i.pc + r.size - 1} of "
                f"{i.size}; {after} byte{'s' if after > 1 else ''} follow{'' if after > 1 else 's'} it, "
                f"so the addend is {r.addend + after} − {after} = {r.addend}.")
""")

md("""
Once linked, does the program still carry relocations of any kind? Lesson 04 showed that an ordinary `go build`
leaves none, and which builds do. For this program, built both ways (cached after the first time):
""")
# static exe vs PIE: lesson 04 (cmd/go/internal/work/init.go:278-289, 1.22: :248-259;
#   internal/platform/supported.go:217-222, 1.22: :222-227); the
# counts are read live with pyelftools (gokit.link_check)

code("""
exe = gokit.build(SOURCE, progress=True)                      # go build
pie = gokit.build(SOURCE, buildmode="pie", progress=True)     # go build -buildmode=pie
table(gokit.link_checks({"go build": exe, "go build -buildmode=pie": pie}))
""")

lesson.myth_check(8)

md("""
## 7. Machine code at its final address

`digitSum` itself is not in the linked binary: `main` holds its only use, inlined, so the linker's
dead-code pass dropped the function. The bytes that run are `main`'s copy, here at their final addresses
(`go tool objdump` of the binary).
""")
# linker dead code: cmd/link/internal/ld/deadcode.go:443 deadcode (keeps what is reachable from the entry; 1.22: :429)
# objdump names 0x90 NOPL and a multi-byte nop NOPL 0(AX)(AX*1): golang.org/x/arch x86asm's Go syntax, vendored in
#   cmd/vendor/golang.org/x/arch/x86/x86asm (shown live: the bytes column)

code("""
for note in j.notes:
    say(note)
m = j.machine
table(m[["address", "bytes", "op", "args"]].assign(address=m.address.map("{:#x}".format)))
""")

code_hidden(lesson, """
for note in lesson.machine_notes(m):
    say(note)
""")

md("""
## Every stage at once

The journey explorer puts the seven stages side by side. Click another line of the source (or choose it)
and follow it; choose an SSA pass to see the line's values then; point at or click an instruction to see the SSA
value it came from.
""")

code("""
j.explore(pass_="lower")
""")

md("""
## The profile

Now run the program under Go's own CPU profiler. `gokit.profile` adds a generated test that calls `main`
to a copy of the package, builds it with `go test -c`, and runs it with `-test.cpuprofile`: about 100 times a
second of CPU time, the runtime interrupts the program with a signal and records where it was; `go tool pprof`
then adds the samples up per source line and per instruction (`-traces -lines`, `-disasm`).

### Predict, then run

In `main`'s inlined copy of the line, the division is three instructions in a row: `CQO`, `IDIVQ` and the `ADDQ`
that adds the remainder to `sum`. The cell profiles the program and counts the samples of each.
""")
# runtime/pprof/pprof.go:895 const hz = 100 (1.22: :821); testing/testing.go:469 -test.cpuprofile (1.22: :432)
# the signal handler records the interrupted pc: runtime/signal_unix.go sighandler -> sigprof(c.sigpc(), ...)
#   (1.22 the same)

code("""
prediction = ...   # an op: "CQO", "IDIVQ" or "ADDQ"

prof = gokit.profile(src, seconds=0.5 if bench.fast() else 1.0)
three = lesson.division_samples(prof, LINE)
hot_op = lesson.most_samples(three)
lesson.exercise("08", "hot-instruction").check(prediction, hot_op, evidence=table(three))
""")

# share intervals: the Wilson score interval (gokit/_lesson_line.py share_interval), which treats the samples as
# independent draws: 10 ms apart in a loop whose iteration takes well under a microsecond, where a sample lands
# within an iteration is close to independent of the one before
code_hidden(lesson, """
n = round(prof.total * 100)
say(f"The profiler took {n} samples (10 ms of CPU time each) while main ran {prof.runs} times in "
    f"{prof.wall:.2f} s. Per line, each share with its 95% interval (from {n} samples):")
lines = prof.lines.assign(samples=(prof.lines.samples * 100).round().astype(int))
shares = [lesson.share_interval(int(k), n) for k in lines.samples]
lines = lines.assign(share=[f"{100 * k / n:.0f}%" if n else "—" for k in lines.samples],
                     interval=[f"{100 * lo:.0f}–{100 * hi:.0f}%" for lo, hi in shares])
display(table(lines[["line", "code", "samples", "share", "interval"]].head(6)))
load, cpus = lesson.machine_load()
cpu_share = prof.total / prof.wall if prof.wall else float("nan")
if cpu_share < 0.8:
    busy = (f"on a machine this busy (load average {load:.1f} on {cpus} CPUs) it waits for a CPU" if load > cpus
            else f"the load average is {load:.1f} on {cpus} CPUs")
    say(f"The loop runs on one goroutine, yet it got {prof.total:.2f} s of CPU in {prof.wall:.2f} s: the rest of "
        f"the time it was not running; {busy}.")
else:
    say(f"The loop runs on one goroutine and got {prof.total:.2f} s of CPU in {prof.wall:.2f} s: a CPU nearly all "
        "the time.")
""")

code_hidden(lesson, """
hot = prof.hottest_line()
lo, hi = lesson.share_interval(round(prof.line_shares()[hot] * n), n)
same = "the line you followed" if hot == LINE else f"not the line you followed (line {LINE})"
say(f"The profile blames main.go:{hot}, {same}: {100 * prof.line_shares()[hot]:.0f}% of the {n} samples "
    f"(95% interval {100 * lo:.0f}–{100 * hi:.0f}%).")
if len(three):
    counts = ", ".join(f"{op} {k}" for op, k in zip(three.op, three.samples))
    why = {"ADDQ": "the CPU let the slow IDIVQ finish before it took the timer's interrupt, so the division's "
                   "time was charged to the instruction after it ('skid')",
           "IDIVQ": "this CPU took the timer's interrupt before the slow IDIVQ finished, and started it again "
                    "afterwards, so the division's time was charged to the division itself"}
    say(f"Of the division's three instructions, {hot_op} collected the most samples ({counts}). The signal "
        "stops the program only between two instructions and records the one to run next: "
        + why.get(hot_op, "too few samples here to say more (run the cell again)") + ".")
""")

md("""
The journey explorer and the source ⇄ assembly explorer of lesson 04 both paint the samples: each line and
each instruction shows its share.
""")

code("""
j.explore(profile=prof)
""")

code("""
main_asm.explore("main", profile=prof)
""")

md("""
No `perf` was needed to find the hot instruction, as the article's recipes have it (claim 14): Go's own profiler
and `go tool pprof` named it.
""")

lesson.myth_check(14)

md("""
## Benchmark: what each stage costs, `go build` decomposed

`gokit.stage_costs` measures each stage for this file, several times: tokenising, parsing and
type-checking with the `go/*` packages (inside gokit's Go helper, no process start-up); the compiler's own
phases from real compiles (its `-bench` report, and `-d=ssa/all/time` for the SSA passes); the link and the
program's start (here with the argument `1`, so `main` does almost nothing) as whole processes.
""")
# compiler -bench: cmd/compile/internal/base/flag.go:91 (1.22: :89); phases fe:init ... be:dumpobj: gc/main.go:66-378
#   (1.22: :60-338, the same names); -d=ssa/all/time: ssa/compile.go:124 (f.LogStat("TIME(ns)", time); same line in 1.22)

code("""
costs = gokit.stage_costs(src, args=["1"], runs=bench.runs(10))
libraries, stages = lesson.stage_tables(costs)
display(libraries)
stages
""")

code("""
costs.plot(title="what each stage costs (white: the go/* libraries in gokit's helper, "
                 "not part of go build)")
""")

code_hidden(lesson, """
s = costs.result.summary
med = s["median"]
build = [x for x in med.index if x not in ("tokenise", "parse", "type-check", "start")]
total = med[build].sum()
compiler = med[[x for x in build if x != "link"]].sum()
largest = med[build].drop("link").idxmax()
held = lesson.busy()
lines = [lesson.busy_note()] if held else []
lines += [
    f"The compile and the link of this file, the work `go build` hands to the tools: "
    f"**{bench.fmt_seconds(total)}** (medians added up), of which the link is **{lesson.pct(med['link'] / total)}** "
    f"({bench.fmt_seconds(med['link'])}) and the whole compile {bench.fmt_seconds(compiler)}. The go command's "
    "own planning and cache checks come on top (lesson 00).",
    f"Inside the compile, the largest part is **{largest}** ({bench.fmt_seconds(med[largest])}); the SSA passes "
    f"took {bench.fmt_seconds(med['SSA passes'])}, {lesson.pct(med['SSA passes'] / total)} of compile + link, for "
    "a file this small (lesson 07 profiles the compiler on net/http, thousands of lines, where the SSA back end "
    "is a much larger share).",
    "The `go/*` libraries' times (first table) are not a part of this sum: they run inside gokit's helper with "
    "the imports already loaded, the way gopls or a linter uses them, while the compiler's front end also reads "
    "the export data of every import.",
]
if not held:
    lo, hi = s.loc["start", "ci_low"], s.loc["start", "ci_high"]
    link_lo, link_hi = s.loc["link", "ci_low"], s.loc["link", "ci_high"]
    cmp = ("less than" if hi < link_lo else "more than" if lo > link_hi else "within the noise of")
    lines.append(f"Starting the program took {bench.fmt_seconds(med['start'])}: {cmp} the link (their intervals "
                 f"{bench.fmt_seconds(lo)}–{bench.fmt_seconds(hi)} and {bench.fmt_seconds(link_lo)}–"
                 f"{bench.fmt_seconds(link_hi)}).")
display(Markdown("\\n".join("* " + line for line in lines)))
""")

md("""
## What you saw
""")

code_hidden(lesson, """
last = j.ssa_at(-1, fn)
display(Markdown(f\"\"\"
* Line {LINE} is {len(j.tokens)} tokens ({int(j.tokens.inserted.sum())} of them inserted by the scanner),
  {len(j.nodes)} syntax nodes and {len(j.types)} typed expressions.
* In SSA, the pass that changed it most was **{busiest}**; after the last pass, {len(last)} of its values
  are left in `digitSum`.
* It became {len(own)} instructions in `digitSum` with {divides} `IDIVQ`{' for both `%` and `/`' if divides == 1 else ''},
  {len(rel)} relocations ({', '.join(sorted(set(rel.type)))}), and {len(j.machine)} instructions in the
  binary, in {', '.join(f'`{f}`' for f in sorted(set(j.machine.function)))}.
* The CPU profile put {100 * prof.line_shares()[hot]:.0f}% of its {n} samples on line {hot} (95% interval
  {100 * lo:.0f}–{100 * hi:.0f}%){' — the line you followed' if hot == LINE else ''}; of the division's
  instructions, `{hot_op}` collected the most.
* Compiling and linking the file took {bench.fmt_seconds(total)} here (medians added up), {lesson.pct(med['link'] / total)}
  of it linking.
\"\"\"))
""")

lesson.try_yourself("""
In the program cell, change `var base = 10` to `const base = 10` and run the notebook again (*Run → Run All
Cells*). Before you look: will the line still need an `IDIVQ`? Then read section 4's values after `lower`, the
listing in section 5 and the profile's hottest instructions: what does the compiler do with a division by a number
it knows, and where do the samples land now?
""")
# division by a constant becomes a multiply by a "magic" reciprocal (Hmul64) and shifts, before lower on both
#   releases: 1.27 cmd/compile/internal/ssa/_gen/divmod.rules:116-130 (its own pass after prove); 1.22
#   ssa/_gen/generic.rules:1256-1266 (in opt); ssa/magic.go describes the algorithm

lesson.further_reading()
closing_link(lesson)

lesson.write()
