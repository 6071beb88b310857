"""Generate notebooks/04-codegen-and-linking.ipynb (outputs cleared). Run: python notebooks/_src/make_04.py

Evidence for each statement about Go sits in a comment next to it: a Go source file:line (Go 1.27.3's
GOROOT/src unless said otherwise) or the command that shows it.
"""
from __future__ import annotations

from _nb import Lesson, next_lesson

lesson = Lesson("04-codegen-and-linking.ipynb", budget_seconds=90)
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
             r"dead[- ]code[^.\n]{0,80}main\.add"],
)

md("""
# 04 — Code generation and linking: holes the linker fills

After the [[SSA|ssa]] passes of lesson 03, the compiler turns each function into machine instructions and
writes them, with the package's data, into an **object file** (an archive `_pkg_.a`). The object is
not a program yet: every call into another package and every address of a global is a **hole** —
a *[[relocation|relocation]]* — that only the **linker** can fill, once it has decided where everything goes.

In this lesson you will see, live, on your Go:

* the compiler's assembly listing (`go tool compile -S`), tied line by line to your source, on
  amd64, arm64 and riscv64;
* the relocations the compiler leaves, and what the package object defines and leaves undefined;
* the compiler and the linker run **by hand**, as two commands;
* the linked binary: its symbols, the holes filled with real addresses, where its bytes go, and
  proof that nothing is left to relocate;
* a benchmark: link time and size of the same program written three ways.

The article "Go不编译能运行吗?——从go run到go build的7步执行流拆解" ("Can Go run without compiling?")
makes two claims this lesson checks (quoted, not endorsed):

* **claim 9**: running `go tool compile` and `go tool link` by hand "needs exact symbol tables,
  easily fails";
* **claim 8**: the undefined symbols are shown with `nm -u main.o`, and the relocations are
  `R_X86_64_PC32` and `R_X86_64_GLOB_DAT`.
""")

code("""
import os
import tempfile

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson
from gokit.lesson import say, table

tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}")


""")

md("""
## The program

A function `add`, a global string, and a `main` that prints. Edit it and run the notebook again.
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

md("""
## The compiler's listing

`gokit.asm(src)` compiles your package once with `-S` (the same `go tool compile` command
`go build` runs, against the standard library's already-compiled [[export data|export-data]]) and parses what the
compiler prints: one block per **symbol** — every function, and every piece of data such as the
bytes of the string `"hello"` or the type descriptors `fmt` needs.
""")

code("""
a = gokit.asm(src)
print(a)
own = a.summary[a.summary.name.str.startswith("main.")]
table(own[["name", "kind", "size", "flags", "args", "locals", "instructions", "relocations"]])
""")

md("""
Each function's header line says what kind of symbol it is (`STEXT`: machine code), its flags
(`nosplit`: the function does not check for stack growth, because it needs so little), `size` in
bytes, and the bytes of arguments (`args`) and local variables (`locals`) of its stack frame. The
order of these `key=value` fields changed between Go 1.22 and 1.27, which is why gokit reads them
by name. `main.init` is the package's initialisation function, which the compiler always makes.
""")
# flags and fields: cmd/internal/obj/objfile.go:873-911 (writeSymDebugNamed), Go 1.22: objfile.go:835-869
# nosplit: cmd/internal/obj/textflag.go:22 (NOSPLIT); size/args/locals: objfile.go:903-906

md("""
## Reading `add` on amd64

Each line is `pc (file:line) OP ARGS`. Go's assembler writes operands source first, destination
last: `ADDQ BX, AX` adds `BX` into `AX`. With Go's register [[ABI|abi]] the arguments `a` and `b` arrive in
`AX` and `BX`, and the result leaves in `AX`.

Three names in listings are not machine registers but **pseudo-registers** of Go's assembler:
`SB` (static base: `fmt.Fprintln(SB)` is the address of a global symbol), `FP` (the frame of the
caller's arguments) and, on amd64, a symbolic form of `SP` (`x+8(SP)`: a local variable in the frame).
The compiler also emits `FUNCDATA` and `PCDATA` lines: tables for the garbage collector and the
stack unwinder (which stack slots hold pointers, at which pc), not instructions. gokit hides them
unless asked (`pseudo=True`).
""")
# ABI: GOROOT/src/cmd/compile/abi-internal.md (amd64 integer argument registers RAX, RBX, RCX, ...)
# pseudo-registers SB, FP: cmd/asm/internal/arch/arch.go:113-114 (register["SB"] = RSB, register["FP"] = RFP)
# FUNCDATA/PCDATA tables: internal/abi/symtab.go:108-121 (PCDATA_StackMapIndex, FUNCDATA_LocalsPointerMaps, ...)

code("""
add = a.function("add")
print(add.listing())
print(f"\\n{len(add.machine_instructions)} machine instructions, {add.size} bytes; "
      f"{len(add.instructions) - len(add.machine_instructions)} FUNCDATA/PCDATA/TEXT lines hidden")
""")

md("""
### Predict, then run: `add` on arm64

`gokit.asm(src, goarch="arm64")` compiles the same package for a 64-bit ARM machine, from this one
(the compiler is a cross-compiler: nothing else is needed).
""")

code("""
ex_arm = lesson.exercise("04", "arm64")
ex_arm
""")

code("""
prediction = ...   # a number

arm = gokit.asm(src, goarch="arm64")
actual = actual_arm = len(arm.function("add").machine_instructions)
ex_arm.check(prediction, actual)
""")

md("""
The same function on three architectures, side by side. The instruction count may match while
the bytes differ: amd64 instructions have variable length and arm64 instructions are all 4 bytes.
riscv64's instructions are 4 bytes in Go 1.22; Go 1.27 also uses 2-byte compressed ones. The table
shows what your Go does.
""")
# arm64 fixed 4-byte encoding, zero padding at function end: cmd/internal/obj/arm64/asm7.go (span7, funcAlign)
# riscv64: tests/golden/go1.22/asm/riscv64.txt (ADD 4 bytes) vs tests/golden/go1.27/asm/riscv64.txt (ADD 2 bytes)

code("""
rows = []
for arch in ["amd64", "arm64", "riscv64"]:
    m = gokit.asm(src, goarch=arch).function("add").machine_instructions
    rows.append({"GOARCH": arch, "instructions": len(m), "bytes of code": sum(i.size for i in m),
                 "listing": "; ".join(i.text for i in m),
                 "bytes per instruction": ", ".join(str(i.size) for i in m)})
table(pd.DataFrame(rows))
""")

md("""
## Source ⇄ assembly

The explorer ties every source line to its instructions with a colour band, as Compiler Explorer
does. Pick a function, a source line or another GOARCH. Grey rows were **[[inlined|inlining]]** from another
file: `fmt.Println`'s body, from the standard library's `fmt/print.go`. A red box marks a
**relocation** on the instruction that holds it. When another Go is at hand, its listing of the
same function stands next to yours.
""")

code("""
other = gokit.use_go("1.22.10") if tc.minor != (1, 22) else None
if other is None:
    print("You are on Go 1.22 already: the explorer shows one version.")
a.explore("main", compare=other)
""")

md("""
## Relocations: the holes in the object

The compiler cannot know where `fmt`'s code or the string `"hello"` will be in the final program:
the linker decides that later. So wherever an instruction needs such an address, the compiler
writes zeros and a **relocation** line: *at byte offset O of this symbol, S bytes must become
(something computed from) the address of symbol X*.
""")

code("""
ex_rel = lesson.exercise("04", "reloc")
ex_rel
""")

code("""
prediction = ...   # a string such as "R_..."

main_fn = a.function("main")
fmt_calls = [r for r in main_fn.relocations if r.pc is not None and r.symbol.startswith("fmt.")]
actual = fmt_calls[0].type if fmt_calls else "(no call into fmt)"
ex_rel.check(prediction, actual)
""")

md("""
Here are the relocations of `main` that patch instruction bytes. `R_CALL` fills the 4-byte operand
of a `CALL` and `R_PCREL` the 4-byte displacement of a PC-relative memory operand: for both the
linker writes *target address + addend − address just after the hole*. `fmt.Println` itself is not
there: it was inlined, and what is left of it is a call to `fmt.Fprintln` with `os.Stdout`.
The addend 8 on `main.greeting+8` reads the second word of the string header: its length.
""")
# string header = pointer, length: runtime/string.go (stringStruct{str unsafe.Pointer; len int})
# R_CALL/R_PCREL arithmetic: cmd/link/internal/ld/data.go:528 (case objabi.R_CALL, objabi.R_PCREL) and :584
#   o += r.Add() - (ldr.SymValue(s) + int64(off) + int64(siz))
# inlining of Println: `gokit.inlining(src)` shows "inlining call to fmt.Println" (lesson 03's view)

code("""
holes = [r for r in main_fn.relocations if r.pc is not None]
inst = {i.pc: i.text for i in main_fn.instructions if i.bytes}
table(pd.DataFrame([{"offset": r.offset, "bytes": r.size, "type": r.type, "symbol": r.symbol,
                     "addend": r.addend, "instruction": inst[r.pc]} for r in holes]))
""")

md("""
Some relocations patch no bytes at all (size 0). `R_USEIFACE`, for example, only tells the linker
that `main` converts a type to an interface, so the linker must keep that type's methods
reachable. The whole object has many more relocations, most of them in data: type descriptors
point at their names and methods (`R_ADDROFF`, `R_METHODOFF`), tables point at functions
(`R_ADDR`).
""")
# R_USEIFACE marker, 0-sized: cmd/internal/objabi/reloctype.go:84-90; R_ADDROFF: reloctype.go:50-52;
# R_METHODOFF: reloctype.go:100-106

code("""
counts = a.relocations.groupby("type").agg(relocations=("offset", "size"), patched_bytes=("size", "sum"))
display(table(counts.sort_values("relocations", ascending=False).reset_index().head(8)))
display(lesson.fold(table(a.relocations), f"all {len(a.relocations)} relocations of the object"))
""")

md("""
gokit reads these from the compiler's own text. A quick independent count of the raw `rel` lines
of the listing, symbol by symbol, agrees with what gokit parsed:
""")

code("""
raw_counts, current = {}, None
for line in a.listing_text.splitlines():
    if line and not line.startswith("\\t"):
        current = line
        raw_counts[current] = 0
    elif line.startswith("\\trel "):
        raw_counts[current] += 1
parsed = [len(s.relocations) for s in a.symbols]
same = "the same" if list(raw_counts.values()) == parsed else "NOT the same"
print(f"raw rel lines: {sum(raw_counts.values())}; parsed by gokit: {sum(parsed)}; {same} for every symbol")
""")

md("""
## The package object before linking

`go tool nm` lists the symbols of the archive the compiler wrote: what the package **defines**
(`T` text, `R` read-only data, `D` data, `B` zeroed data, lower case when not visible outside the
object, `?` for kinds without a letter, here debug information) and what it uses but leaves
**undefined** (`U`) for the linker to find in another package.
""")
# nm codes: cmd/internal/objfile/goobj.go:165-181 (T, R, D, B; lower case for static symbols), U at :212-219

code("""
obj = gokit.package_object(src)
defined = obj.defined
kinds = ", ".join(f"{n} {c}" for c, n in defined.type.value_counts().items())
print(f"defined: {len(defined)} symbols ({kinds})")
own_und = obj.undefined[~obj.undefined.name.str.startswith(("type:", "go:"))]
print(f"undefined: {len(obj.undefined)} named symbols; the functions and variables among them:")
table(own_und[["name", "package"]])
""")

md("""
That list does not name every function `main` calls. The runtime functions the compiler itself
inserts calls to (`runtime.newobject`, `runtime.convTstring`, `runtime.morestack_noctxt`, ...) are
**builtins**: the object refers to them by an index into a fixed list compiled into both the
compiler and the linker, so `go tool nm` prints no `U` row for them. The relocations still name
them:
""")
# builtin list: cmd/internal/goobj/builtinlist.go; nm resolves PkgIdxBuiltin only inside relocations:
# cmd/internal/objfile/goobj.go:142-144, while U rows come only from NonPkgRef and RefName (:209-219);
# the writer gives no RefName to builtins: cmd/internal/obj/objfile.go refNames (case goobj.PkgIdxBuiltin: return)

code("""
say("builtins the object calls or reads: " + ", ".join(obj.builtin_refs))
needs = obj.needs()
some = [n for n in needs if n.startswith(("fmt.", "os.", "runtime.new", "runtime.conv"))]
say(f"all the linker must find elsewhere: {len(needs)} symbols, among them " + ", ".join(some))
""")

md("""
### Claim 8: `nm -u main.o`

The article lists undefined symbols with GNU binutils' `nm -u`. A Go archive holds Go's own object
format (`__.PKGDEF` with export data, `_go_.o` with code), which binutils cannot read:
""")
# archive members: `ar t _pkg_.a` -> __.PKGDEF, _go_.o; Go object magic "\\x00go120ld": cmd/internal/goobj/objfile.go

code("""
attempt = obj.binutils_nm()
print(attempt)
if attempt.installed:
    say("GNU nm listed " + ("symbols." if attempt.understood else "no symbol at all: it does not know Go's "
                            "object format (its exit status does not say so)."))
""")

md("""
## Claim 9: compile and link by hand

`go build` is a driver: for your package it runs the compiler, then the linker (and `buildid`,
which stamps cache identifiers into their outputs). Here are the two that do the work, run by hand.
The compiler gets an [[`importcfg`|importcfg]] naming the export data of what your file imports; the linker an
`importcfg.link` naming the archive of every package the program needs, all found in Go's build
cache with `go list -export -deps`.
""")
# go build -x shows the same two tools (compile with -importcfg, link with -importcfg importcfg.link);
# lesson 00's step table; cmd/go/internal/work/gc.go (gc.go: BuildAction compile, link)

code("""
hand = gokit.link_by_hand(src)
for command in hand.commands().splitlines():
    say(command)
print(f"\\ncompile {hand.compile_seconds * 1e3:.0f} ms, link {hand.link_seconds * 1e3:.0f} ms; "
      f"the link read {hand.packages_linked()} package archives besides yours")
ran = hand.run()
print(f"\\n$ ./main\\n{ran.out}(exit status {ran.exit_code})")
""")

md("""
Both commands worked, and the program runs. Nothing here needs "exact symbol tables" from the
user: the importcfg files are plain lists of package archives.
""")

md("""
## The linked binary

The linker put every reachable symbol of every package at a final address. `gokit.symbols(hand)`
is `go tool nm -size -sort address` of the binary, one row per symbol.
""")

code("""
ex_dead = lesson.exercise("04", "dead")
ex_dead
""")

code("""
prediction = ...   # True or False

syms = gokit.symbols(hand)
actual = "main.add" in set(syms.name)
ex_dead.check(prediction, actual)
""")

code("""
mine = syms[syms.package == "main"].assign(address=lambda d: d.address.map("{:#x}".format))
print(f"{len(syms):,} symbols in the binary; these are package main's:")
table(mine[["address", "size", "type", "name"]])
""")

md("""
## The holes, filled

Put the object's relocations of `main` next to the same instructions in the binary
(`go tool objdump`): the zeros of each hole became 4 bytes that, read as a little-endian signed
number and added to the address after the hole, give exactly the address `go tool nm` lists for
the target.
""")

code("""
filled = gokit.resolved_relocations(hand, a, "main", types=["R_CALL"])
table(filled[["instruction", "symbol", "hole before", "hole after", "decoded address", "nm address"]])
""")

code("""
known = filled[filled["nm address"] != ""]
agree = int((known["decoded address"] == known["nm address"]).sum())
print(f"{len(filled)} calls; the decoded address equals nm's for {agree} of the {len(known)} targets nm lists")
""")

md("""
### Claim 8: no relocations left

The final program is a **static** executable: the linker applied every relocation itself, so the
file has no relocation sections, needs no dynamic loader and carries no dynamic section. gokit
reads the ELF headers with pyelftools (the same facts `readelf -r` and `readelf -l` print). The
article's `R_X86_64_PC32` and `R_X86_64_GLOB_DAT` are the types a C toolchain would use; Go's
own object format has its own (`R_CALL`, `R_PCREL`, ...), and this binary has none of either.
""")
# `readelf -r BINARY` prints "There are no relocations in this file."; `readelf -l` has no INTERP, no DYNAMIC
# ELF relocation types appear only with external linking (cgo): cmd/link/internal/amd64/asm.go elfreloc1

code("""
say(str(gokit.link_check(hand)))
secs = gokit.sections(hand)
secs["in the file"] = secs.in_file.map({True: "yes", False: "no: memory only"})
cols = ["section", "type", "size", "in the file", "flags"]
display(table(secs.sort_values("size", ascending=False).head(8)[cols]))
display(lesson.fold(table(secs[cols]), f"all {len(secs)} sections"))
""")

md("""
## Where the bytes go

Most of a Go binary is not your code. By package (symbol sizes from `go tool nm -size`):
""")

code("""
by_pkg = gokit.sizes_by_package(hand, top=8)
table(by_pkg)
""")

md("""
## Benchmark: one program, three ways to print

The same output written with `fmt.Println`, with `os.Stdout.Write`, and with the built-in
`println` (which writes to standard error, through the runtime alone). Each is compiled and linked
by hand; then the three links are timed, interleaved, several times each.
""")
# println writes to stderr: runtime/print.go (printlock, gwrite to fd 2 via writeErr)

code('''
VARIANTS = {
    "fmt.Println": SOURCE,
    "os.Stdout.Write": """package main

import "os"

func add(a, b int) int { return a + b }

func main() {
	os.Stdout.Write([]byte("hello 3\\\\n"))
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
builds = {label: gokit.link_by_hand(text) for label, text in VARIANTS.items()}
rows = []
for k, h in builds.items():
    r = h.run()
    rows.append({"program": k, "binary bytes": h.size, "packages linked": h.packages_linked(),
                 "prints": (r.out + r.err).strip()})
sizes = pd.DataFrame(rows)
table(sizes)
''')

code("""
say(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} "
    "(other work on the machine slows every timing)")
with tempfile.TemporaryDirectory() as out:
    order = ["println", "os.Stdout.Write", "fmt.Println"]   # ratios are against the first: println
    links = {k: builds[k].link_command(os.path.join(out, k.replace(".", "_"))) for k in order}
    res = bench.compare(links, runs=bench.runs(10, 5), warmup=1)
display(res.table())
res.plot(title="go tool link, same program three ways")
""")

code("""
gokit.plot_sizes({k: gokit.sizes_by_package(h) for k, h in builds.items()}, top=8,
                 title="binary size by package (symbols)")
""")

code("""
diff = gokit.size_diff(builds["println"], builds["fmt.Println"],
                       labels=("println", "fmt.Println"))
table(diff.head(8))
""")

code("""
s = res.summary
base = "println"
big = sizes.set_index("program")["binary bytes"]
lines = []
for k in ["fmt.Println", "os.Stdout.Write"]:
    r, lo, hi = s.loc[k, "ratio"], s.loc[k, "ratio_low"], s.loc[k, "ratio_high"]
    verdict = ("slower to link than" if lo > 1 else "faster to link than" if hi < 1 else
               "within the noise of")
    lines.append(f"* `{k}`: {big[k]:,} bytes ({big[k] / big[base]:.2f}× `println`'s {big[base]:,}); "
                 f"link {s.loc[k, 'median'] * 1e3:.0f} ms vs {s.loc[base, 'median'] * 1e3:.0f} ms, "
                 f"{r:.2f}× (interval {lo:.2f}–{hi:.2f}, coverage at least "
                 f"{bench.fmt_coverage(s.loc[k, 'ratio_coverage'])}): {verdict} `println`.")
top = diff.iloc[0]
lines.append(f"* The largest difference by package between `println` and `fmt.Println`: "
             f"`{top['package']}` ({top['change']:+,} bytes).")
display(Markdown("\\n".join(lines)))
""")

md("""
## What you saw
""")

code("""
call = f"{fmt_calls[0].type} {fmt_calls[0].symbol}" if fmt_calls else "no call into fmt"
gnu = ("could read it" if attempt.understood else "could not read it") if attempt.installed \\
    else "is not installed here"
left = gokit.link_check(hand).relocation_entries
add_kept = "is" if "main.add" in set(syms.name) else "is not"
display(Markdown(f\"\"\"
* The compiler's `-S` listing: `add` is {len(add.machine_instructions)} instructions on amd64 and
  {actual_arm} on arm64; each source line of `main` maps to its instructions, some inlined from `fmt`.
* `main` leaves {len(holes)} relocations that patch bytes; its call to `fmt.Println` became
  `{call}` after inlining.
* The package object defines {len(defined)} symbols and names {len(obj.undefined)} undefined ones;
  the {len(obj.builtin_refs)} runtime builtins it uses appear only in its relocations.
  GNU `nm` {gnu}.
* Claim 9: `go tool compile` + `go tool link` by hand built a program that printed
  `{ran.out.strip()}`.
* Claim 8: the linked binary has {left} relocations left and `main.add` {add_kept} in it;
  each `R_CALL` hole now holds the distance to its target.
\"\"\"))
""")

lesson.myth_check(8)
lesson.myth_check(9)
lesson.further_reading()

next_lesson(lesson, "05", "how the runtime starts this binary: from the ELF entry point to main.main")

lesson.write()
