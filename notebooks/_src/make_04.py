"""Generate notebooks/04-codegen-and-linking.ipynb (outputs cleared). Run: python notebooks/_src/make_04.py

Evidence for each statement about Go sits in a comment next to it: a Go source file:line (Go 1.27.3's GOROOT/src
first, Go 1.22.10's where the line differs) or the cell that shows it live.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("04-codegen-and-linking.ipynb", budget_seconds=45)
lesson.myth_heading = True  # the myth-check boxes sit next to the cells that check them, not under a heading
md, code = lesson.md, lesson.code

lesson.exercise(
    "arm64",
    question="On amd64, add is two machine instructions (ADDQ, RET). How many machine instructions does add "
             "compile to on arm64? (a number)",
    hint="arm64 has a three-operand ADD (destination, two sources), and a function still has to return.",
    solution="Two: ADD R1, R0, R0 and RET. The register ABI passes a and b in R0 and R1 and returns the result in R0, "
             "so no stack traffic is needed on either machine. The bytes differ: every arm64 instruction is 4 bytes, "
             "amd64's ADDQ is 3 and RET 1.",
    reveals=[r"ADD\s+R1, R0, R0",
             r"\barm64\b[^.\n]{0,40}\b2 (?:machine )?instructions"],
)
lesson.exercise(
    "reloc",
    question="main calls fmt.Println. Which relocation type will the compiler leave on that call for the linker "
             "to fill? (a string such as \"R_...\")",
    hint="The object file cannot know where fmt's code will end up, so the CALL instruction holds a hole that "
         "the linker fills with a PC-relative distance. Go names its relocation types after what they relocate.",
    solution="R_CALL. Look at its symbol too: fmt.Println is small enough to be inlined, so the call the object "
             "really makes is to fmt.Fprintln (with os.Stdout as the writer). The CALL's 4-byte operand is zero in "
             "the object; the linker writes target address minus the address after the hole.",
    reveals=[r"\bR_CALL\b"],
)
lesson.exercise(
    "dead",
    question="The package object defines main.add. Will the linked binary still contain a symbol main.add? "
             "(True or False)",
    hint="Who calls add after inlining? The linker keeps only what is reachable from the program's entry.",
    solution="False. add was inlined into main, so no instruction calls main.add any more; the linker's "
             "dead-code pass (cmd/link/internal/ld/deadcode.go) keeps only symbols reachable from the entry "
             "point, and drops it.",
    reveals=[r"main\.add\b[^.\n]{0,60}\b(?:dropped|removed|not in the (?:linked )?binary|is gone)",
             r"dead[- ]code[^.\n]{0,80}main\.add",
             r"\bmain\.(?:add|init)\b[^.\n]{0,40}\b(?:are|is) not in the binary"],
)

md("""
# 04 — Code generation and linking: holes the linker fills

After the [[SSA]] passes of lesson 03, the compiler turns each function into machine instructions and writes them,
with the package's data, into an **object file** (an archive, `_pkg_.a`). The object is not a program yet: every
call into another package and every address of a global is a **hole** — a *[[relocation]]* — that only the
**linker** can fill, once it has decided where everything goes.

In this lesson you will see, live, on your Go:

* the compiler's assembly listing, tied line by line to your source, on amd64, arm64 and riscv64;
* the relocations the compiler leaves, and what the package object defines and leaves undefined;
* the compiler and the linker run **by hand**, as two commands;
* the linked binary: its symbols, the holes filled with real addresses, and which kinds of binary still carry
  relocations for the loader;
* a benchmark: link time and size of the same program written three ways.

Two claims of the article this course answers are checked on the way (claims 8 and 9, in boxes next to the cells
that check them).
""")

code("""
import os
import tempfile

import pandas as pd
from IPython.display import Markdown

import gokit
from gokit import bench, lesson
from gokit.lesson import say, table

tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}")
""")

md("""
## The program

A function `add`, a package variable, and a `main` that prints. Edit it and run the notebook again.
""")

code('''
SOURCE = """package main

import "fmt"

var greeting = "hello"

func add(a, b int) int { return a + b }

func main() {
	fmt.Println(greeting, add(1, 2))
}
"""
src = gokit.Source(SOURCE)
''')

# gokit's compile: gokit/_compile.py compile_argv; go build -x prints for main (1.27 and 1.22 alike):
#   compile -o $WORK/b001/_pkg_.a -trimpath "$WORK/b001=>" -p main -lang=go1.27 -complete -buildid X/X
#   -goversion go1.27.3 -c=2 -nolocalimports -importcfg $WORK/b001/importcfg -pack ./main.go
# flags: cmd/go/internal/work/gc.go:107 (-buildid), :133 (-c=N), :136 (-trimpath a.trimpath()); 1.22: :106, :130, :133
# a.trimpath() without go build -trimpath rewrites only the action's own objdir: gc.go:263-280 (1.22: :248-266)
# the compiler prints absolute file names in both (a go build -gcflags=-S listing shows /abs/dir/main.go:7);
# it writes $GOROOT for the Go installation itself: cmd/internal/objabi/line.go:29, :43-44
md("""
## The compiler's listing

`gokit.asm(src)` compiles your package once with `-S` and parses what the compiler prints: one block per
**symbol** — every function, and every piece of data such as the bytes of the string `"hello"` or the type
descriptors `fmt` needs. The compile is `go build`'s own command for your package, against the standard library's
already-compiled [[export data]], minus three flags that change no instruction: `-trimpath "$WORK/b001=>"` (it
rewrites file names under go build's temporary directory only), `-buildid` (the build cache's stamp) and `-c=N`
(how many functions compile in parallel). The compiler writes every file name in full, with either command; gokit
shortens your directory to nothing (`main.go`) and the Go installation to `$GOROOT`.
""")

code("""
a = gokit.asm(src)
say(f"The listing for {a.goarch}: {len(a.functions)} functions, "
    f"{len(a.symbols) - len(a.functions)} data symbols and {len(a.relocations)} relocations. "
    "Your package's functions:")
table(a.summary[a.summary.name.str.startswith("main.")][
    ["name", "kind", "size", "flags", "args", "locals", "instructions", "relocations"]])
""")

# header fields: cmd/internal/obj/objfile.go:873-911 (writeSymDebugNamed), Go 1.22: objfile.go:835-869
# nosplit: cmd/internal/obj/textflag.go:22 (NOSPLIT); size/args/locals: objfile.go:903-906
# main.init exists only for package-scope initialisation statements: cmd/compile/internal/noder/reader.go:3549-3553
#   (pkgInitOrder: `if len(initOrder) == 0 { return }`, else a synthetic func "init"); 1.22: reader.go:3233-3237
# static initialisation empties it: cmd/compile/internal/pkginit/init.go:88-107 (staticinit.Schedule); an empty
#   body is skipped, so it is not among the functions of main..inittask: init.go:111-116; the task itself
#   (state uint32, count of functions uint32, then the functions): init.go:124-133 (same lines in 1.22)
# shown live below (both releases): main.init STEXT size=1 (one RET); main..inittask 8 bytes, all zero; without
#   the initialiser there is no main.init
md("""
Each function's header line says what kind of symbol it is (`STEXT`: machine code), its flags (`nosplit`: the
function does not check for stack growth, because it needs so little), `size` in bytes, and the bytes of arguments
(`args`) and local variables (`locals`) of its stack frame. The order of these `key=value` fields changed between
Go 1.22 and 1.27, which is why gokit reads them by name.

And `main.init`? You wrote no `init` function. The compiler makes one only when package variables have
initialisers — here `var greeting = "hello"` — to hold the code that would set them at start-up. Then it finds
that `"hello"` can simply be laid out as data in the binary, empties the function (one byte: a `RET`), and leaves it
out of the package's [[init task]], the list of functions the runtime runs before `main`. Compare with the same
program without the initialiser:
""")

code_hidden(lesson, """
without = gokit.asm(SOURCE.replace('var greeting = "hello"', 'var greeting string'))
rows = []
for label, listing in (('var greeting = "hello"', a), ("var greeting string", without)):
    task = next(s for s in listing.symbols if s.name == "main..inittask")
    rows.append({"program has": label,
                 "functions": ", ".join(f"{s.name} ({s.size} B)" for s in listing.own_functions()),
                 "main.init": " ".join(i.op for i in listing.function("init").machine_instructions)
                              if any(s.name == "main.init" for s in listing.functions) else "none",
                 "main..inittask": f"{task.size} bytes, runs {int.from_bytes(task.data[4:8], 'little')} functions"})
table(pd.DataFrame(rows))
""")

md("""
A package with neither initialisers nor `init()` gets no `main.init` at all; an emptied one, like yours, is in the
object but nothing ever calls it.
""")

md("""
## Reading `add` on amd64

Each line is `pc (file:line) OP ARGS`. Go's assembler writes operands source first, destination last:
`ADDQ BX, AX` adds `BX` into `AX`. With Go's register [[ABI]] the arguments `a` and `b` arrive in `AX` and `BX`,
and the result leaves in `AX`. The compiler also emits `FUNCDATA` and `PCDATA` lines: tables for the garbage
collector and the stack unwinder (which stack slots hold pointers, at which pc), not instructions; gokit hides them
unless asked (`pseudo=True`).
""")
# ABI: GOROOT/src/cmd/compile/abi-internal.md (amd64 integer argument registers RAX, RBX, RCX, ...)
# FUNCDATA/PCDATA tables: internal/abi/symtab.go:108-121 (PCDATA_StackMapIndex, FUNCDATA_LocalsPointerMaps, ...)

code("""
add = a.function("add")
print(add.listing())
say(f"{len(add.machine_instructions)} machine instructions, {add.size} bytes; "
    f"{len(add.instructions) - len(add.machine_instructions)} FUNCDATA/PCDATA/TEXT lines hidden")
""")

# SB: cmd/asm/internal/asm/parse.go:943-947 (case "SB": NAME_EXTERN), FP: :936-937 (NAME_PARAM); 1.22: :843-847, :836-837
# compiler listings print a stack slot as name+off(SP) after the frame is laid out, the offset from the hardware
#   SP: cmd/internal/obj/util.go:488-497 (NAME_AUTO printed as sym+off(SP); 1.22: :422-431), offsets adjusted to the
#   real SP in cmd/internal/obj/x86/obj6.go:742-760 (1.22: :847-865); shown live below: the LEAQ's last byte
#   (a disp8 in its ModRM/SIB encoding) equals the printed offset
# hand-written assembly's pseudo-SP: parse.go:948-949 (case "SP": NAME_AUTO, "The pseudo-stack"; 1.22: :848-849),
#   for every architecture (parse.go is the same parser for all); go.dev/doc/asm: "x-8(SP) and -8(SP) are different"
md("""
Two names in listings are not machine registers but **pseudo-registers** of Go's assembler: `SB`, the static base
(`fmt.Fprintln(SB)` is the address of the global symbol `fmt.Fprintln`), and `FP`, a virtual frame pointer for a
function's arguments. `SP` is different: in the compiler's listings, `name+off(SP)` — like
`main..autotmp_11+40(SP)` in `main` — is the **real stack-pointer register plus `off` bytes**, and the name only
says which local variable lives there. The machine code proves it:
""")

code_hidden(lesson, """
main_fn = a.function("main")
slot = next((i for i in main_fn.machine_instructions if "+" in i.args and "(SP)" in i.args), None)
if slot is None:
    say("main has no stack slot named in its listing; edit it back to see one.")
else:
    off = int(slot.args.split("+", 1)[1].split("(", 1)[0])
    disp = (off.to_bytes(1, "little") if off < 128 else off.to_bytes(4, "little")).hex()
    say(f"{slot.text} is encoded as {slot.bytes}: the bytes {disp} at the end of its address part are the "
        f"displacement {off}, added to the stack pointer register by the CPU; no name survives in the machine code.")
""")

md("""
(Hand-written Go assembly also has a *pseudo*-register `SP` for the local frame, written with a name and a negative
offset, `x-8(SP)`, on every architecture; [Go's assembler guide](https://go.dev/doc/asm) explains both. The
compiler's listings never use it.)

### Predict, then run: `add` on arm64

`gokit.asm(src, goarch="arm64")` compiles the same package for a 64-bit ARM machine, from this one (the compiler
is a cross-compiler: nothing else is needed).
""")

code("""
prediction = ...   # a number

arm = gokit.asm(src, goarch="arm64")
actual_arm = len(arm.function("add").machine_instructions)
lesson.exercise("04", "arm64").check(prediction, actual_arm, evidence=arm.function("add").listing())
""")

md("""
The same function on three architectures, side by side. The instruction count may match while the bytes differ:
amd64 instructions have variable length and arm64 instructions are all 4 bytes. riscv64's instructions are 4 bytes
in Go 1.22; Go 1.27 also uses 2-byte compressed ones. The table shows what your Go does.
""")
# arm64 fixed 4-byte encoding: cmd/internal/obj/arm64/asm7.go (span7)
# riscv64: tests/golden/go1.22/asm/riscv64.txt (ADD 4 bytes) vs tests/golden/go1.27/asm/riscv64.txt (ADD 2 bytes)

code_hidden(lesson, """
rows = []
for arch in ["amd64", "arm64", "riscv64"]:
    m = gokit.asm(src, goarch=arch).function("add").machine_instructions
    rows.append({"GOARCH": arch, "instructions": len(m), "bytes of code": sum(i.size for i in m),
                 "listing": "; ".join(i.text for i in m),
                 "bytes per instruction": ", ".join(str(i.size) for i in m)})
table(pd.DataFrame(rows))
""")

md("""
## Relocations: the holes in the object

The compiler cannot know where `fmt`'s code or the string `"hello"` will be in the final program: the linker
decides that later. So wherever an instruction needs such an address, the compiler writes zeros and a
**relocation** line: *at byte offset O of this symbol, S bytes must become (something computed from) the address
of symbol X*.
""")

code("""
prediction = ...   # a string such as "R_..."

main_fn = a.function("main")
fmt_calls = [r for r in main_fn.relocations if r.pc is not None and r.symbol.startswith("fmt.")]
actual = fmt_calls[0].type if fmt_calls else "(no call into fmt)"
lesson.exercise("04", "reloc").check(prediction, actual, evidence=[
    f"{r.type} {r.symbol}+{r.addend}, byte {r.offset} of main ({r.size} bytes)" for r in fmt_calls])
""")

md("""
Here are the relocations of `main` that patch instruction bytes. `R_CALL` fills the 4-byte operand of a `CALL` and
`R_PCREL` the 4-byte displacement of a PC-relative memory operand: for both the linker writes *target address +
addend − address just after the hole*. `fmt.Println` itself is not there: it was inlined, and what is left of it is
a call to `fmt.Fprintln` with `os.Stdout`. The addend 8 on `main.greeting+8` reads the second word of the string
header: its length.
""")
# string header = pointer, length: internal/unsafeheader/unsafeheader.go:34-37 (String{Data; Len}; 1.22 the same)
# R_CALL/R_PCREL arithmetic: cmd/link/internal/ld/data.go:528 (case objabi.R_CALL, objabi.R_PCREL) and :584
#   o += r.Add() - (ldr.SymValue(s) + int64(off) + int64(siz)); 1.22: data.go:497, :553
# inlining of Println: `gokit.inlining(src)` shows "inlining call to fmt.Println" (lesson 03's view)

code_hidden(lesson, """
holes = [r for r in main_fn.relocations if r.pc is not None]
inst = {i.pc: i.text for i in main_fn.instructions if i.bytes}
table(pd.DataFrame([{"offset": r.offset, "bytes": r.size, "type": r.type, "symbol": r.symbol,
                     "addend": r.addend, "instruction": inst[r.pc]} for r in holes]))
""")

# R_USEIFACE: cmd/internal/objabi/reloctype.go:85-90 ("marks a type is converted to an interface ... a marker
#   relocation (0-sized), for the linker's reachabililty analysis"); R_USEIFACEMETHOD :91-96 (same lines in 1.22)
# the linker keeps a method of such a type only if an interface method of that name and signature is called (or
#   reflection may call it): cmd/link/internal/ld/deadcode.go:211-229 (R_USEIFACE sets UsedInIface), :231-246
#   (R_USEIFACEMETHOD -> ifaceMethod), :462 (markableMethods kept when d.ifaceMethod[m.m] or reflectSeen);
#   1.22: deadcode.go:197-215, :217-232, :448
# R_ADDROFF reloctype.go:50-52; R_METHODOFF :101-106; R_ADDR :37
# weak: reloctype.go:441-448 (R_WEAK = -1 << 15, R_WEAKADDR = R_WEAK | R_ADDR, R_WEAKADDROFF = R_WEAK | R_ADDROFF:
#   "does not make the symbol it refers to reachable"); 1.22: :386-393. The compiler prints them RelocType(-32767),
#   RelocType(-32763) (its stringer has no name for them); gokit names them (gokit/_asm.py WEAK_RELOC_NAMES)
md("""
Some relocations patch no bytes at all (size 0): they are notes for the linker. `R_USEIFACE`, for example, says
that `main` converts a type (`string`, `int`, `*os.File`) to an interface. That alone keeps no method of the type:
the linker's dead-code pass keeps a method of such a type only if some reachable code calls an interface method
with the same name and signature (`R_USEIFACEMETHOD` marks those calls), or if reflection could call it. The whole
object has many more relocations, most of them in data: type descriptors point at their names and methods
(`R_ADDROFF`, `R_METHODOFF`), tables point at functions (`R_ADDR`). The *weak* ones, `R_WEAKADDR` and
`R_WEAKADDROFF` (the compiler's listing prints them as `RelocType(-32767)` and `RelocType(-32763)`, numbers it has
no name for), are filled only if something else keeps their target: they never keep it alive themselves.
""")

code_hidden(lesson, """
counts = a.relocations.groupby("type").agg(relocations=("offset", "size"), patched_bytes=("size", "sum"))
display(table(counts.sort_values("relocations", ascending=False).reset_index().head(8)))
display(lesson.fold(table(a.relocations), f"all {len(a.relocations)} relocations of the object"))
""")

md("""
gokit reads these from the compiler's own text; a folded cell counts the raw `rel` lines of the listing again,
symbol by symbol, without gokit's parser:
""")

code_hidden(lesson, """
raw_counts, current = {}, None
for line in a.listing_text.splitlines():
    if line and not line.startswith("\\t"):
        current = line
        raw_counts[current] = 0
    elif line.startswith("\\trel "):
        raw_counts[current] += 1
parsed = [len(s.relocations) for s in a.symbols]
agrees = "the same" if list(raw_counts.values()) == parsed else "NOT the same"
say(f"raw rel lines: {sum(raw_counts.values())}; parsed by gokit: {sum(parsed)}; {agrees} for every symbol")
""")

# -S prints a branch target as the target's pc in decimal: cmd/internal/obj/util.go:319 (TYPE_BRANCH:
#   fmt.Fprint(w, a.Target().Pc); 1.22: :283); the JLS at the top of main goes to the CALL runtime.morestack_noctxt near its end (shown live)
md("""
## Source ⇄ assembly

The explorer ties every source line to its instructions with a colour band, as Compiler Explorer does. Pick a
function, a source line or another GOARCH. Grey rows were **[[inlined|inlining]]** from another file:
`fmt.Println`'s body, from the standard library's `fmt/print.go`. A red box marks a **relocation** on the instruction
that holds it. When another Go is at hand, its listing of the same function stands next to yours. One more reading
note: the listing writes a jump's target as a pc in **decimal**, while the pc column is hexadecimal.
""")

code_hidden(lesson, """
jump = next((i for i in main_fn.machine_instructions if i.op.startswith("J") and i.args.isdigit()), None)
if jump is not None:
    to = next(i for i in main_fn.machine_instructions if i.pc == int(jump.args))
    say(f"For example {jump.text} at pc {jump.pc:#06x} jumps to pc {int(jump.args)} = {int(jump.args):#06x}: "
        f"{to.text}.")
""")

code("""
other = gokit.use_go("1.22.10", required=False) if tc.minor != (1, 22) else None  # None: on 1.22
if other is not None and not other:   # not installed and no network: one line, your Go alone
    print(other)
a.explore("main", compare=other or None)
""")

md("""
## The package object before linking

`go tool nm` lists the symbols of the archive the compiler wrote: what the package **defines** (`T` text, `R`
read-only data, `D` data, `B` zeroed data, lower case when not visible outside the object, `?` for kinds without a
letter, here debug information) and what it uses but leaves **undefined** (`U`) for the linker to find in another
package. `fmt..inittask` among them is fmt's init task: your package's own task names it, so that the linker
puts whatever `fmt` and its imports must run at start-up before `main`'s (lesson 05 shows that list).
""")
# nm codes: cmd/internal/objfile/goobj.go:165-181 (T, R, D, B; lower case for static symbols), U at :212-219
# main..inittask names the init tasks of its imports with R_INITORDER: cmd/compile/internal/pkginit/init.go:28-38,
#   :136-141 (same lines in 1.22); the linker orders by them: cmd/link/internal/ld/inittask.go:31-39

code("""
obj = gokit.package_object(src)
defined = obj.defined
kinds = ", ".join(f"{n} {c}" for c, n in defined.type.value_counts().items())
say(f"Defined: {len(defined)} symbols ({kinds}). Undefined: {len(obj.undefined)} named symbols; "
    "the functions and variables among them:")
own_und = obj.undefined[~obj.undefined.name.str.startswith(("type:", "go:"))]
table(own_und[["name", "package"]])
""")

md("""
That list does not name every function `main` calls. The runtime functions the compiler itself inserts calls to
(`runtime.newobject`, `runtime.convTstring`, `runtime.morestack_noctxt`, ...) are **builtins**: the object refers
to them by an index into a fixed list compiled into both the compiler and the linker, so `go tool nm` prints no
`U` row for them. The relocations still name them:
""")
# builtin list: cmd/internal/goobj/builtinlist.go; nm resolves PkgIdxBuiltin only inside relocations:
# cmd/internal/objfile/goobj.go:142-144, while U rows come only from NonPkgRef and RefName (:209-219);
# the writer gives no RefName to builtins: cmd/internal/obj/objfile.go refNames (case goobj.PkgIdxBuiltin: return)

code("""
say("Builtins the object calls or reads: " + ", ".join(obj.builtin_refs))
needs = obj.needs()
some = [n for n in needs if n.startswith(("fmt.", "os.", "runtime.new", "runtime.conv"))]
say(f"All the linker must find elsewhere: {len(needs)} symbols, among them " + ", ".join(some))
""")

md("""
### Claim 8: `nm -u main.o`

The article lists undefined symbols with GNU binutils' `nm -u`. A Go archive holds Go's own object format
(`__.PKGDEF` with export data, `_go_.o` with code), which binutils cannot read:
""")
# archive members: `ar t _pkg_.a` -> __.PKGDEF, _go_.o; Go object magic "\\x00go120ld": cmd/internal/goobj/objfile.go

code("""
attempt = obj.binutils_nm()
print(attempt)
if attempt.installed:
    say("GNU nm listed " + ("symbols." if attempt.understood else
                            "no symbol at all: it does not know Go's object format "
                            "(its exit status does not say so)."))
""")

# go build -x shows the same two tools: compile with -importcfg, link with -importcfg importcfg.link (lesson 00's
#   step table); cmd/go/internal/work/gc.go (BuildAction compile), :605-693 (ld)
# `go tool buildid -w FILE # internal` in -x output: the go command rewrites the build ID itself, no process:
#   cmd/go/internal/work/buildid.go:665 (1.27, "go tool buildid -w"), :613 (1.22, the buildid tool's path); lesson 00
# cgo: the go command runs `go tool cgo` and the C compiler (cmd/go/internal/work/exec.go cgo()), and with C code in
#   the package links externally: cmd/link/internal/ld/config.go:208 (iscgo && externalobj; 1.22: :205)
md("""
## Claim 9: compile and link by hand

`go build` is a driver: for your package it runs the compiler, then the linker; it stamps [[build IDs|build ID]] into
their outputs itself (the `buildid -w` lines of `go build -x` end in `# internal`: no process runs, as lesson 00
showed). Here are the two tools that do the work, run by hand. The compiler gets an [[`importcfg`|importcfg]] naming
the export data of what your file imports; the linker an `importcfg.link` naming the archive of every package the
program needs, all found in Go's build cache with `go list -export -deps`.
""")

code("""
hand = gokit.link_by_hand(src)
print(hand.commands())
ran = hand.run()
say(f"compile {hand.compile_seconds * 1e3:.0f} ms, link {hand.link_seconds * 1e3:.0f} ms (one run "
    f"each); the link read {hand.packages_linked()} package archives besides yours. Running it:")
print(f"$ ./main\\n{ran.out}(exit status {ran.exit_code})")
""")

md("""
Both commands worked, and the program runs. Nothing here needs "exact symbol tables" from the user: the importcfg
files are plain lists of package archives. That holds for pure Go. A program that uses [[cgo]] (`import "C"`)
would also need what `go build` does around the two tools: `go tool cgo` to split its files into Go and C, a C
compiler for the C part, and a C linker for the final link.
""")

lesson.myth_check(9)

md("""
## The linked binary

The linker put every reachable symbol of every package at a final address. `gokit.symbols(hand)` is
`go tool nm -size -sort address` of the binary, one row per symbol.
""")

code("""
prediction = ...   # True or False

syms = gokit.symbols(hand)
main_syms = table(syms[syms.package == "main"][["size", "type", "name"]])
lesson.exercise("04", "dead").check(prediction, "main.add" in set(syms.name), evidence=main_syms)
""")

# deadcode: cmd/link/internal/ld/deadcode.go (reachability from the entry point and the init tasks); an emptied
# main.init is named by no inittask (pkginit/init.go:111-116) and called by nothing: not reachable
code_hidden(lesson, """
mine = syms[syms.package == "main"].assign(address=lambda d: d.address.map("{:#x}".format))
gone = [n for n in ("main.add", "main.init") if n not in set(syms.name)]
say(f"{len(syms):,} symbols in the binary; these are package main's" +
    (f" ({' and '.join(gone)}: not in the binary, nothing reachable calls {'them' if len(gone) > 1 else 'it'}):"
     if gone else ":"))
table(mine[["address", "size", "type", "name"]])
""")

md("""
## The holes, filled

Put the object's relocations of `main` next to the same instructions in the binary (`go tool objdump`): the zeros
of each hole became 4 bytes that, read as a little-endian signed number and added to the address after the hole,
give exactly the address `go tool nm` lists for the target.
""")

code("""
filled = gokit.resolved_relocations(hand, a, "main", types=["R_CALL"])
display(table(filled[["instruction", "symbol", "hole before", "hole after", "decoded address",
                      "nm address"]]))
known = filled[filled["nm address"] != ""]
agree = int((known["decoded address"] == known["nm address"]).sum())
say(f"{len(filled)} calls; the decoded address equals nm's for {agree} of the {len(known)} "
    "targets nm lists.")
""")

# static: `readelf -r` prints "There are no relocations in this file."; `readelf -l`: no INTERP, no DYNAMIC
# PIE: cmd/go/internal/work/init.go:278-289 (-buildmode=pie compiles with -shared); internal linking of PIE on
#   linux/amd64: internal/platform/supported.go:217-222 (1.22: :222-227), so CGO_ENABLED=0 (gokit's) builds it;
#   R_X86_64_RELATIVE for every absolute address: cmd/link/internal/ld/data.go (relocs for PIE: Adddynrel /
#   elf R_X86_64_RELATIVE in cmd/link/internal/amd64/asm.go); the interpreter: shown live (readelf -l agrees)
# PIE's first build: 59 packages recompiled with -shared, 33 MB in a scratch GOCACHE (measured 2026-12-06, Go 1.27.3)
# cgo: external linking (config.go:208), the C runtime's _start as entry (crt1.o), GLOB_DAT/JUMP_SLOT for libc's
#   symbols: shown live; with external linking the Go linker fills a same-section R_CALL/R_PCREL itself and
#   passes on those to an external symbol (SUNDEFEXT) or another section: cmd/link/internal/ld/data.go:528-576
#   (1.22: :497-545); it writes them into go.o as R_X86_64_PC32, or PLT32 for a shared library's function:
#   cmd/link/internal/amd64/asm.go:474-493 (1.22: :440-459)
md("""
## Claim 8: relocations left in the binary

Everything so far was Go's own relocation types, in Go's own object format, filled by Go's linker. What does the
finished program still carry? gokit reads its ELF headers with [pyelftools](https://github.com/eliben/pyelftools)
(the same facts `readelf -r` and `readelf -l` print). The same program is built three ways: the hand link above
(an ordinary `go build` links the same way), `go build -buildmode=pie` (a [[PIE]]: an executable the loader may put
at any address; the first time, go compiles the standard library again for it, about 30 MB in your build cache),
and a cgo version of it, with `add` written in C:
""")

code('''
CGO_SOURCE = """package main

// int add(int a, int b) { return a + b; }
import "C"

import "fmt"

var greeting = "hello"

func main() {
	fmt.Println(greeting, C.add(1, 2))
}
"""
''')

code("""
pie = gokit.build(SOURCE, buildmode="pie", progress=True)     # go build -buildmode=pie
with_c = (gokit.build(CGO_SOURCE, cgo=True, progress=True)    # CGO_ENABLED=1 go build
          if gokit.c_compiler() else None)                    # None: no C compiler here
kinds = gokit.link_checks({"go build (the hand link)": hand, "go build -buildmode=pie": pie,
                           "cgo: CGO_ENABLED=1 go build": with_c})
table(kinds)
""")

code_hidden(lesson, """
if not pie.cached:
    say(f"This time go compiled {pie.cache_misses} packages again as position-independent code (-shared) into "
        "your build cache, once: later runs find them there, and gokit keeps the binary.")
if with_c is None:
    say("No C compiler here (go env CC names none on your PATH), so the cgo build is not in the table; "
        "with one, its row shows the relocations described below.")
""")

md("""
* The ordinary binary is **static**: the linker applied every relocation itself, so the file has no relocation
  entries left, asks for no dynamic loader and has no dynamic section. Nothing is filled in when it runs.
* The **PIE** is loaded at an address chosen when it starts, so every absolute address stored in its data (type
  descriptors, function tables, the pointers the `R_ADDR` relocations above wrote) must be moved by that amount:
  the linker leaves one `R_X86_64_RELATIVE` entry per address and names the dynamic loader as the program's
  interpreter, to apply them before `_rt0_amd64_linux` runs. Go's own linker did this, no C compiler needed.
* The **cgo** binary is linked by the C toolchain, dynamically against the C library: its calls into libc go
  through `R_X86_64_JUMP_SLOT` entries, and `R_X86_64_GLOB_DAT` entries hold addresses of libc's symbols. Its
  entry point is the C runtime's `_start`, not Go's (lesson 05 follows it). Before that final link, Go's linker
  hands its code to the C linker as one ELF object, and writes the holes it leaves to the C linker — calls
  into C, and PC-relative references from code to data in another section — as `R_X86_64_PC32`
  (`R_X86_64_PLT32` for a function of a shared library): the article's type, in a file nobody sees unless
  they ask to keep it (`-ldflags=-tmpdir=DIR`).
""")

code_hidden(lesson, """
if with_c is not None:
    libc = gokit.link_check(with_c).relocation_symbols
    say(f"The symbols the cgo binary's relocations name ({len(libc)}): " + ", ".join(libc[:12])
        + (", ..." if len(libc) > 12 else ""))
""")

lesson.myth_check(8)

# section flags: debug/elf/elf.go SHF_ALLOC/SHF_WRITE/SHF_EXECINSTR; .gopclntab: cmd/link/internal/ld/pcln.go;
# .debug_*: DWARF, left out by -w (cmd/link/internal/ld/dwarf.go); .bss NOBITS: memory only
md("""
The static binary's sections, largest first. The [[ELF section flags]] say what is loaded into memory (`A`),
writable (`W`) or machine code (`X`); `.gopclntab` is Go's [[pclntab]] (function names and line tables, which
panics and profiles need), the `.debug_*` sections are [[DWARF]] for debuggers, and `.bss` takes memory but no bytes
in the file:
""")

code("""
secs = gokit.sections(hand)
secs["in the file"] = secs.in_file.map({True: "yes", False: "no: memory only"})
secs["flags"] = secs["flags"].replace("", "none")
cols = ["section", "type", "size", "in the file", "flags"]
display(table(secs.sort_values("size", ascending=False).head(8)[cols]))
display(lesson.fold(table(secs[cols]), f"all {len(secs)} sections"))
""")

md("""
## Where the bytes go

Most of a Go binary is not your code. By package (symbol sizes from `go tool nm -size`):
""")

code("""
table(gokit.sizes_by_package(hand, top=8))
""")

md("""
## Benchmark: one program, three ways to print

The same output written with `fmt.Println`, with `os.Stdout.Write`, and with the built-in `println` (which writes
to standard error, through the runtime alone). Each is compiled and linked by hand (the `fmt.Println` one is the
hand link above); then the three links are timed, interleaved, several times each.
""")
# println writes to stderr: runtime/print.go (printlock, gwrite -> writeErr to fd 2)

code('''
VARIANTS = {
    "fmt.Println": SOURCE,
    "os.Stdout.Write": r"""package main

import "os"

func add(a, b int) int { return a + b }

func main() {
	os.Stdout.Write([]byte("hello 3\\n"))
	_ = add(1, 2)
}
""",
    "println": """package main

func add(a, b int) int { return a + b }

func main() {
	println("hello", add(1, 2))
}
""",
}
hands = {label: hand if text == SOURCE else gokit.link_by_hand(text)   # compile and link by hand
         for label, text in VARIANTS.items()}
''')

code_hidden(lesson, """
rows = []
for k, h in hands.items():
    r = h.run()
    rows.append({"program": k, "binary": bench.fmt_bytes(h.size), "packages linked": h.packages_linked(),
                 "prints": (r.out + r.err).strip()})
table(pd.DataFrame(rows))
""")

code("""
say(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work slows every timing)")
order = ["println", "os.Stdout.Write", "fmt.Println"]   # ratios are against the first: println
with tempfile.TemporaryDirectory() as out:
    links = {f"go tool link ({k})": hands[k].link_command(os.path.join(out, k.replace(".", "_")))
             for k in order}
    res = bench.compare(links, runs=bench.runs(10, 6), warmup=1)
lesson.bench_table(res, label="what was timed")
""")

code("""
res.plot(title="go tool link, same program three ways")
""")

code("""
gokit.plot_sizes({k: gokit.sizes_by_package(h) for k, h in hands.items()}, top=8,
                 title="binary size by package (symbols)")
""")

code("""
diff = gokit.size_diff(hands["println"], hands["fmt.Println"], labels=("println", "fmt.Println"))
table(diff.head(8))
""")

code_hidden(lesson, """
s = res.summary
base = "go tool link (println)"
lines = []
for k in ["fmt.Println", "os.Stdout.Write"]:
    label = f"go tool link ({k})"
    r, lo, hi = s.loc[label, "ratio"], s.loc[label, "ratio_low"], s.loc[label, "ratio_high"]
    verdict = ("slower to link than" if lo > 1 else "faster to link than" if hi < 1 else "within the noise of")
    lines.append(f"`{k}`: {bench.fmt_bytes(hands[k].size)} ({hands[k].size / hands['println'].size:.2f}× `println`'s "
                 f"{bench.fmt_bytes(hands['println'].size)}); its link took {bench.fmt_seconds(s.loc[label, 'median'])} "
                 f"against {bench.fmt_seconds(s.loc[base, 'median'])}, {r:.2f}× (ratio interval {lo:.2f}–{hi:.2f}, "
                 f"{bench.fmt_coverage(s.loc[label, 'ratio_coverage'])}): {verdict} `println`.")
top = diff.iloc[0]
lines.append(f"The largest difference by package between `println` and `fmt.Println`: `{top['package']}` "
             f"({top['change']:+,} bytes).")
one = hand.link_seconds
fl = "go tool link (fmt.Println)"
inside = s.loc[fl, "min"] <= one <= s.loc[fl, "max"]
lines.append(f"The hand link of `fmt.Println` took {bench.fmt_seconds(one)} in its one run further up; timed "
             f"{int(s.loc[fl, 'runs'])} times here it took {bench.fmt_seconds(s.loc[fl, 'median'])} (median), from "
             f"{bench.fmt_seconds(s.loc[fl, 'min'])} to {bench.fmt_seconds(s.loc[fl, 'max'])}: "
             + ("the single run is one of those values, not a different figure." if inside else
                "the single run lies outside this range. One timing is one draw, moved by whatever the machine did at "
                "that moment (other work, caches, the CPU's clock); the median of many interleaved runs is the figure "
                "to quote."))
display(Markdown("\\n".join("* " + line for line in lines)))
""")

md("""
## What you saw
""")

code_hidden(lesson, """
call = f"{fmt_calls[0].type} {fmt_calls[0].symbol}" if fmt_calls else "no call into fmt"
gnu = ("could read it" if attempt.understood else "could not read it") if attempt.installed else "is not installed here"
lines = [
    f"The compiler's listing: `add` is {len(add.machine_instructions)} instructions on amd64 and {actual_arm} on "
    "arm64; `main.init` exists only because a package variable has an initialiser, and it is empty.",
    f"`main` leaves {len(holes)} relocations that patch bytes; its call to `fmt.Println` became `{call}` after "
    "inlining.",
    f"The package object defines {len(defined)} symbols and names {len(obj.undefined)} undefined ones; the "
    f"{len(obj.builtin_refs)} runtime builtins it uses appear only in its relocations. GNU nm {gnu}.",
    f"By hand, `go tool compile` + `go tool link` built a program that printed `{ran.out.strip()}`.",
    f"The linked binary: {len(syms):,} symbols, every R_CALL hole filled with the distance to its target; "
    + "; ".join(f"{r['binary']}: {r['relocations left']} relocations left" for r in kinds.to_dict("records")
                if r["relocations left"] != "—")
    + ".",
]
display(Markdown("\\n".join("* " + line for line in lines)))
""")

lesson.further_reading()

next_lesson(lesson, "05", "how the runtime starts this binary: from the ELF entry point to main.main")

lesson.write()
