"""Generate notebooks/04-codegen-and-linking.ipynb (outputs cleared). Run: python notebooks/_src/make_04.py

Evidence for each statement about Go sits in a comment next to it: a Go source file:line (Go 1.27.3's GOROOT/src
first, Go 1.22.10's where the line differs) or the cell that shows it live.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("04-codegen-and-linking.ipynb", budget_seconds=45)  # 26 s at load 7, 39 s on Go 1.22 at load 11 (2 CPUs)
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
    question="main calls fmt.Println, which the compiler inlines: what is left of it is a call of fmt.Fprintln. "
             "Which relocation type will the compiler leave on that call for the linker to fill? "
             "(a string such as \"R_...\")",
    hint="The object file cannot know where fmt's code will end up, so the CALL instruction holds a hole that "
         "the linker fills with a PC-relative distance. Go names its relocation types after what they relocate.",
    solution="R_CALL, on the symbol fmt.Fprintln: fmt.Println is small enough to be inlined, so the call the "
             "object really makes is to fmt.Fprintln (with os.Stdout as the writer). The CALL's 4-byte operand is zero in "
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
with the package's data, into an **[[object file|object-file]]** (an archive, `_pkg_.a`). The object is not a program
yet: every call into another package and every address of a global is a **hole** — a *[[relocation]]* — that only
the **linker** can fill, once it has decided where everything goes.
""")

lesson.objectives(
    "read the compiler's assembly listing of a function: its header, operand order, registers and pseudo-registers;",
    "find the relocations a function leaves and say what the linker writes into each hole;",
    "compile and link a program by hand with `go tool compile` and `go tool link`;",
    "tell which binaries still carry relocations for the loader (static, PIE, cgo) and where a binary's bytes go.",
)

md("""
Everything below runs live on your Go: the listing on amd64, arm64 and riscv64, the relocations and symbols of the
package object, the two tools run by hand, the linked binary and the kinds of binary that keep relocations, and a
closing benchmark (link time and size of one program written three ways). Two claims of the article this course
answers are checked on the way (claims 8 and 9, in boxes next to the cells that check them).
""")

code("""
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

# gokit's compile: gokit/layers/compile.py compile_argv; go build -x prints for main (1.27 and 1.22 alike):
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
already-compiled [[export data]], with `-S` added.

<details><summary>The flags of go build's command that gokit leaves out, and the file names</summary><p>
Three flags that change no instruction: <code>-trimpath "&#36;WORK/b001=&gt;"</code> (it rewrites file names under go build's
temporary directory only), <code>-buildid</code> (the build cache's stamp) and <code>-c=N</code> (how many functions compile in parallel).
The compiler writes every file name in full, with either command; gokit shortens your directory to nothing
(<code>main.go</code>) and the Go installation to <code>&#36;GOROOT</code>.
</p></details>
""")

code("""
a = gokit.asm(src)
say(f"The listing for {a.goarch}: {len(a.functions)} functions, "
    f"{len(a.symbols) - len(a.functions)} data symbols and {len(a.relocations)} relocations. "
    "Your package's functions:")
table(lesson.package_functions(a, "main"))
""")

# header fields: cmd/internal/obj/objfile.go:873-911 (writeSymDebugNamed), Go 1.22: objfile.go:835-869; their order
#   changed between 1.22 and 1.27, so gokit's parser reads them by name
# args includes the spill space of register arguments: cmd/compile/abi-internal.md:129-131 "the caller also reserves
#   spill space on the stack for all register-based arguments (but does not populate this space)" and :310-317 (the
#   stack growth path spills into it); the same lines in 1.22
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
(`args`) and local variables (`locals`) of its stack frame. `add`'s `args` is 16 although `a` and `b` arrive in
registers: under Go's register [[ABI]] the caller still reserves a stack slot for each register argument (8 bytes
each here), where the callee may spill it, for example to grow its stack.

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
`ADDQ BX, AX` adds `BX` into `AX`. With Go's register ABI the arguments `a` and `b` arrive in `AX` and `BX`,
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
Two names in listings are not machine registers but **[[pseudo-registers|pseudo-register]]** of Go's assembler: `SB`,
the static base (`fmt.Fprintln(SB)` is the address of the global symbol `fmt.Fprintln`), and `FP`, a virtual frame
pointer for a function's arguments. `SP` is different: in the compiler's listings, `name+off(SP)` — like
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
    where = "its last" if slot.bytes.endswith(disp) else "the"
    which = f"{where} byte 0x{disp}" if len(disp) == 2 else f"{where} 4 bytes {disp} (little-endian)"
    say(f"{slot.text} is encoded as {slot.bytes}: {which} is the displacement {off}, which the CPU adds to the "
        "stack-pointer register; no name survives in the machine code.")
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
The table above puts the same function on three architectures side by side. The instruction count may match while
the bytes differ: amd64 instructions have variable length and arm64 instructions are all 4 bytes. riscv64's sizes
changed between Go releases (newer ones also use 2-byte compressed instructions): the table shows what your Go does.
""")
# arm64 fixed 4-byte encoding: cmd/internal/obj/arm64/asm7.go (span7)
# riscv64: tests/golden/go1.22/asm/riscv64.txt (ADD 4 bytes) vs tests/golden/go1.27/asm/riscv64.txt (ADD 2 bytes)

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
    f"{r.type} {r.symbol}+{r.addend}: offset {lesson.hx(r.offset)} of main, {r.size} bytes, "
    f"in the instruction at pc {lesson.hx(r.pc)}" for r in fmt_calls])
""")

code_hidden(lesson, """
holes = lesson.code_relocations(main_fn)
table(holes)
""")

md("""
The table above lists the relocations of `main` that patch instruction bytes, each beside the instruction that holds
it (the hole starts `offset` − `pc` bytes into the instruction). `R_CALL` fills the 4-byte operand of a `CALL`, and
`R_PCREL` the 4-byte displacement of a PC-relative memory operand: for both the linker writes *target address +
addend − address just after the hole*. The call of `fmt.Fprintln` passes `os.Stdout` as the writer, as
`fmt.Println`'s body does. The addend 8 on `main.greeting+8` reads the second word of the string
header: its length.
""")
# string header = pointer, length: internal/unsafeheader/unsafeheader.go:34-37 (String{Data; Len}; 1.22 the same)
# R_CALL/R_PCREL arithmetic: cmd/link/internal/ld/data.go:528 (case objabi.R_CALL, objabi.R_PCREL) and :584
#   o += r.Add() - (ldr.SymValue(s) + int64(off) + int64(siz)); 1.22: data.go:497, :553
# inlining of Println: `gokit.inlining(src)` shows "inlining call to fmt.Println" (lesson 03's view)

# R_USEIFACE: cmd/internal/objabi/reloctype.go:85-90 ("marks a type is converted to an interface ... a marker
#   relocation (0-sized), for the linker's reachabililty analysis"); R_USEIFACEMETHOD :91-96, R_USENAMEDMETHOD
#   :97-100 (same lines in 1.22)
# what keeps a method: cmd/link/internal/ld/deadcode.go:211 (R_USEIFACE sets UsedInIface), :232 (R_USEIFACEMETHOD ->
#   ifaceMethod), :248 (R_USENAMEDMETHOD -> genericIfaceMethod), :462 (markable methods kept when reflectSeen and
#   exported, or ifaceMethod, or genericIfaceMethod); a direct call reaches a method through its R_CALL like any
#   function; 1.22: deadcode.go:197, :218, :234, :448
# R_ADDROFF reloctype.go:50-52; R_METHODOFF :101-106; R_ADDR :37; what the R_ADDRs point at: the cell below counts
#   them by target (type descriptors, runtime.gcbits.* GC bitmaps, ·f function values such as runtime.memequal64·f)
# weak: reloctype.go:441-448 (R_WEAK = -1 << 15, R_WEAKADDR = R_WEAK | R_ADDR, R_WEAKADDROFF = R_WEAK | R_ADDROFF:
#   "does not make the symbol it refers to reachable"); 1.22: :386-393. The compiler prints them RelocType(-32767),
#   RelocType(-32763) (its stringer has no name for them); gokit names them (gokit/parsers/asm_listing.py WEAK_RELOC_NAMES)
md("""
Some relocations patch no bytes at all (size 0): they are notes for the [[linker's dead-code pass|deadcode]].
`R_USEIFACE`, for example, says that `main` converts a type (`string`, `int`, `*os.File`) to an interface. That alone
keeps no method of the type: the linker keeps such a method only if it could be called through an interface, or
reflection could reach it. A method called directly is kept like any function, through its `R_CALL`. The whole
object has many more relocations, most of them in data, counted below.

<details><summary>The other relocation types in the tables below</summary><p>
<code>R_USEIFACEMETHOD</code> marks a call of an interface method (a method of the same name and signature is then kept),
<code>R_USENAMEDMETHOD</code> a call through a generic interface, by name. Type descriptors point at their names and
methods (<code>R_ADDROFF</code>, <code>R_METHODOFF</code>), and the <code>R_ADDR</code> relocations hold absolute addresses — counted by what
they point at. The <i>weak</i> ones, <code>R_WEAKADDR</code> and <code>R_WEAKADDROFF</code> (the compiler's listing prints them as
<code>RelocType(-32767)</code> and <code>RelocType(-32763)</code>, numbers it has no name for), are filled only if something else keeps
their target: they never keep it alive themselves.
</p></details>
""")

code_hidden(lesson, """
display(table(lesson.relocation_counts(a, top=8)))
display(table(lesson.address_targets(a)))
display(lesson.fold(table(a.relocations.assign(offset=a.relocations.offset.map(lesson.hx))),
                    f"all {len(a.relocations)} relocations of the object"))
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
counts = f"raw rel lines: {sum(raw_counts.values())}; parsed by gokit: {sum(parsed)}; {agrees} for every symbol"
lesson.fold(counts, "gokit's reading of the listing, checked: its raw rel lines counted again, one by one")
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

`go tool nm` lists the [[symbols|object-file]] of the archive the compiler wrote: what the package **defines** (`T` text, `R`
read-only data, `D` data, `B` zeroed data, lower case when not visible outside the object, `?` for kinds without a
letter, here debug information) and what it uses but leaves **undefined** (`U`) for the linker to find in another
package. `fmt..inittask` among them is fmt's init task: your package's own task names it, so that the linker
puts whatever `fmt` and its imports must run at start-up before `main`'s (lesson 05 shows that list).
""")
# nm codes: cmd/internal/objfile/goobj.go:165-181 (T, R, D, B; lower case for static symbols), U at :212-219
# main..inittask names the init tasks of its imports with R_INITORDER: cmd/compile/internal/pkginit/init.go:28-38,
#   :136-142 (1.22: :136-144, obj.Addrel then the fields); the linker orders by them: cmd/link/internal/ld/inittask.go:31-39

code("""
obj = gokit.package_object(src)
defined = obj.defined
kinds = ", ".join(f"{n} {c}" for c, n in defined.type.value_counts().items())
say(f"Defined: {len(defined)} symbols ({kinds}). Undefined: {len(obj.undefined)} named symbols; "
    "the functions and variables among them:")
table(lesson.undefined_code(obj))   # the U rows, without type descriptors (type:*) and linker symbols (go:*)
""")

code_hidden(lesson, """
note = lesson.generic_methods_note(a, list(obj.undefined.name))
if note:   # a side question: why methods of a generic type from another package are listed
    import textwrap
    display(lesson.fold(textwrap.fill(note, 100), "why methods of an instantiated generic type are in the list"))
""")
# generic instantiations: cmd/compile/internal/reflectdata/reflect.go:1362-1365 NeedEmit "Instantiated type; possibly
#   instantiated with unique type arguments. Need to emit to be safe", :935-944 DUPOK for instantiated types (1.22:
#   :1765, :1213); os's own object defines the methods and the descriptor (`go tool nm` of os.a: T
#   sync/atomic.(*Pointer[os.dirInfo]).Load, R type:*sync/atomic.Pointer[os.dirInfo]; os/file_unix.go: dirinfo
#   atomic.Pointer[dirInfo]); Go 1.22's os has no such field, and no such rows (computed: the note is then empty)

md("""
That list does not name every function `main` calls. The runtime functions the compiler itself inserts calls to
(here `runtime.convTstring`, `runtime.convT64` and `runtime.morestack_noctxt`; `runtime.newobject` in a program that
allocates on the heap) are **builtins** (the object file's word, not lesson 02's `builtin` mode of `len` and its
kin): the object refers to them by an index into a fixed list compiled into both the compiler and the linker, so
`go tool nm` prints no `U` row for them. The relocations still name them:
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
# build IDs: the go command passes the compiler -buildid ID (cmd/go/internal/work/gc.go:107; 1.22: :106) and the
#   linker -buildid=ID (gc.go:644; 1.22: :640), and each writes it into its output; then the go command itself
#   rewrites the content-ID half (buildid.FindAndHash, buildid.Rewrite in updateBuildID: buildid.go:661; 1.22:
#   :608) and -x prints that step as `go tool buildid -w FILE # internal` (buildid.go:665; 1.22: :613, with the
#   buildid tool's path): no process runs (lesson 00)
# cgo: the go command runs `go tool cgo` and the C compiler (cmd/go/internal/work/exec.go cgo()), and with C code in
#   the package links externally: cmd/link/internal/ld/config.go:208 (iscgo && externalobj; 1.22: :205)
md("""
## Claim 9: compile and link by hand

`go build` is a driver: for your package it runs the compiler, then the linker, and hands each a
[[build ID]] (`-buildid`) to write into its output; afterwards it rewrites the second half of that ID, a hash of the
output, itself (the `go tool buildid -w` lines of `go build -x` end in `# internal`: no process runs, as lesson 00
showed). Here are the two tools that do the work, run by hand. The compiler gets an [[`importcfg`|importcfg]] naming
the export data of what your file imports; the linker an `importcfg.link` naming the archive of every package the
program needs, all found in Go's build cache with `go list -export -deps`.
""")

code("""
hand = gokit.link_by_hand(src)
print(hand.commands())
ran = hand.run()
say(f"The link read {hand.packages_linked()} package archives besides yours. Running what it wrote:")
print(f"$ ./main\\n{ran.out}(exit status {ran.exit_code})")
""")

md("""
Both commands worked, and the program runs (the closing benchmark times the link). Nothing here needs "exact symbol tables" from the user: the importcfg
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
main_syms = table(lesson.package_symbols(syms, "main"))
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

Put the object's `R_CALL` relocations of `main` next to the same instructions in the binary (`go tool objdump`):
the zeros of each hole became 4 bytes. Read as a little-endian signed number and added to the address just after
the hole, they give the `target` of the call; `address` is where `go tool nm` puts the called symbol.
""")

code("""
filled = lesson.filled_holes(hand, a, "main")
display(table(filled))
against_nm = lesson.holes_checked(filled)   # each hole's target beside nm's address for its symbol
say(against_nm.sentence)
""")

# static: `readelf -r` prints "There are no relocations in this file."; `readelf -l`: no INTERP, no DYNAMIC
# PIE: cmd/go/internal/work/init.go:278-289 (-buildmode=pie compiles with -shared); internal linking of PIE on
#   linux/amd64: internal/platform/supported.go:217-222 (1.22: :222-227), so CGO_ENABLED=0 (gokit's) builds it;
#   R_X86_64_RELATIVE for every absolute address: cmd/link/internal/ld/data.go (relocs for PIE: Adddynrel /
#   elf R_X86_64_RELATIVE in cmd/link/internal/amd64/asm.go); the interpreter: shown live (readelf -l agrees)
# PIE's first build recompiles with -shared only the packages the program needs: 59 packages, +31 MB of GOCACHE on
#   Go 1.27.3; 45 packages, +27 MB on Go 1.22.10 (measured in scratch caches; the audit's figures agree)
# Not shown here: the entry-point symbol of each binary (link_checks' "entry point" column), which answers lesson 05's
#   `entry` exercise (what kind of code starts at the entry point); lesson 05 shows it after the guess.
# cgo: external linking (config.go:208; 1.22: :205), the C runtime's _start as entry (crt1.o), GLOB_DAT/JUMP_SLOT for
#   libc's symbols: shown live; with external linking the Go linker fills a same-section R_CALL/R_PCREL itself and
#   passes on those to an external symbol (SUNDEFEXT) or another section: cmd/link/internal/ld/data.go:528-576
#   (1.22: :497-545), and every R_ADDR too (data.go:353-359): cmd/link/internal/amd64/asm.go elfreloc1 writes R_ADDR
#   as R_X86_64_64 (or _32), R_CALL/R_PCREL as R_X86_64_PC32 (PLT32 for a dynamic import), R_TLS_LE as TPOFF32
#   (1.27: :447, :455-459, :463-465, :475-490; 1.22: :413, :421-425, :429-431, :440-456)
# -tmpdir keeps go.o: cmd/link/internal/ld/lib.go:1266-1276 (a temporary dir is made and removed only when -tmpdir
#   is empty; 1.22: :1251-1261), go.o written there :1284
# cgo calls C through function pointers in data: cmd/cgo/out.go:634-636 `var _cgo_..._Cfunc_add =
#   unsafe.Pointer(&__cgofn_...)` (1.22: :590-592); hence the R_X86_64_64 entries in .data naming _cgo_…_Cfunc_add
#   and the runtime's x_cgo_* hooks (shown live)
md("""
## Claim 8: relocations left in the binary

Everything so far was Go's own relocation types, in Go's own object format, filled by Go's linker. What does the
finished program still carry? gokit reads its ELF headers with [pyelftools](https://github.com/eliben/pyelftools)
(the same facts `readelf -r` and `readelf -l` print). The same program is built three ways: the hand link above
(an ordinary `go build` links the same way), `go build -buildmode=pie` (a [[PIE]]: an executable the loader may put
at any address; the first time, go compiles every package the program needs again, as position-independent code,
and the cell says how many), and a cgo version of it, with `add` written in C:
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
pie = gokit.build(SOURCE, buildmode="pie", progress=True)   # go build -buildmode=pie
cgo = lesson.cgo_build(CGO_SOURCE)   # CGO_ENABLED=1 go build -ldflags=-tmpdir=DIR; None: no C compiler
with_c = cgo.build if cgo else None
left = gokit.link_checks({"go build (the hand link)": hand, "go build -buildmode=pie": pie,
                          "cgo: CGO_ENABLED=1 go build": with_c})
table(left.drop(columns="entry point"))   # where each starts: lesson 05's question
""")

code_hidden(lesson, """
if not pie.cached and pie.cache_misses:
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
  interpreter, which applies them before the program's own [[entry point]] runs. Go's own linker did this, no C
  compiler needed.
* The **cgo** binary is linked by the C toolchain, dynamically against the C library: its calls into libc go
  through `R_X86_64_JUMP_SLOT` entries, and `R_X86_64_GLOB_DAT` entries hold addresses of libc's symbols. Which
  code each of the three runs first is lesson 05's question.
""")

code_hidden(lesson, """
if with_c is not None:
    libc = gokit.link_check(with_c).relocation_symbols
    say(f"The symbols the cgo binary's relocations name ({len(libc)}): " + ", ".join(libc[:12])
        + (", ..." if len(libc) > 12 else ""))
""")

md("""
### The article's `R_X86_64_PC32`, in the object handed to the C linker

Before the cgo program's final link, Go's linker wrote all the Go code and data as **one ELF object**, `go.o`, and
left in it, as ELF relocations, every hole the C linker must fill: the addresses into sections the C linker will
place, and the symbols of the C objects. That file is normally deleted; `-ldflags=-tmpdir=DIR` keeps it, and gokit
built the cgo program that way. Its relocations, by the section they patch:
""")

code_hidden(lesson, """
if cgo is None or cgo.object_file is None:
    say("No C compiler here, so there is no external link and no go.o to read.")
else:
    detail = lesson.object_relocations(cgo.object_file)
    display(table(lesson.object_relocation_summary(detail)))
    shown = detail.drop(columns="to other objects").assign(entries=detail.entries.map("{:,}".format))
    display(lesson.fold(table(shown), "each type by the section it patches, and where its targets are"))
    in_text = detail[(detail["type"] == "R_X86_64_PC32") & (detail["in"] == ".text")]
    undef = detail[detail["to other objects"] > 0]
    if len(in_text):
        say(f"The {int(in_text.entries.sum()):,} R_X86_64_PC32 entries sit in the code and point into "
            + ", ".join(in_text["targets in"]) + ": data in other sections, whose distance from the code only the "
            "final link knows (a call from Go code to Go code in the same section Go's linker filled itself).")
    if len(undef):
        kinds = sorted(set(undef["type"]))
        say(f"Only {int(detail['to other objects'].sum())} entries name a symbol of the C objects ("
            + ", ".join(kinds) + " in " + ", ".join(sorted(set(undef["in"]))) + "): Go code calls C through function "
            "pointers that cgo writes as variables (_cgo_…_Cfunc_add, the runtime's x_cgo_… hooks).")
""")

md("""
So the article's `R_X86_64_PC32` does exist in a Go build — in the object Go's linker hands to a C linker, for an
external link — along with `R_X86_64_64` for every absolute address (the `R_ADDR` holes of Go's objects), and
`GLOB_DAT`/`JUMP_SLOT`/`RELATIVE` stay in the finished binary only for a dynamic or position-independent one.
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
secs = lesson.section_table(hand)
display(table(secs.head(8), size="{:,}"))
display(lesson.fold(table(secs, size="{:,}"), f"all {len(secs)} sections (sizes in bytes)"))
""")

md("""
## Where the bytes go

Most of a Go binary is not your code. The bytes of its symbols by package (`go tool nm -size`; the type descriptors
and other data the linker generates have no package), your `main` included:
""")

code("""
table(lesson.package_sizes(hand, top=8), bytes="{:,}", symbols="{:,}")
""")

md("""
Those symbols do not add up to the file. The rest holds no symbol at all: the tables above, pclntab and DWARF among
them. Computed from the two tables:
""")
# nm -size counts .bss/.noptrbss symbols (B/b), which take no file bytes (SHT_NOBITS); .gopclntab, .debug_*, .symtab and
# .strtab hold no Go symbol of their own sized by nm (runtime.pclntab/.epclntab are 0-size markers) — computed live

code_hidden(lesson, """
say(lesson.size_gap(hand).sentence())
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
    rows.append({"program": k, "binary (bytes)": f"{h.size:,}", "packages linked": h.packages_linked(),
                 "prints": (r.out + r.err).strip()})
table(pd.DataFrame(rows))
""")

md("""
The three link commands, each writing into a folder of its own (the cell that makes them is folded), and the
machine's load:
""")

code_hidden(lesson, """
load, cpus = lesson.machine_load()
say(f"{cpus} CPUs, load average {load:.2f}. "
    + (lesson.busy_note() or "Other work slows every timing."))
out = lesson.scratch("lesson04-links")   # removed when the kernel stops
order = ["println", "os.Stdout.Write", "fmt.Println"]   # ratios are against the first: println
links = {f"go tool link ({k})": hands[k].link_command(out / k.replace(".", "_")) for k in order}
""")

code("""
res = bench.compare(links, runs=bench.runs(6), warmup=1, desc="timing the three links, interleaved")
lesson.bench_table(res, label="what was timed")
""")
# runs: 6 each is the fewest whose min–max interval of the median covers at least 95% (96.9%: gokit/bench.py
#   median_ranks); 3 × (6 + 1) links of 0.1-0.3 s each keep the cell under 10 s on a busy 2-CPU machine

code("""
res.plot(title="go tool link, same program three ways")
""")

code("""
gokit.plot_sizes({k: gokit.sizes_by_package(h) for k, h in hands.items()}, top=8,
                 title="binary size by package (symbols)")
""")

code("""
diff = lesson.package_size_diff(hands["println"], hands["fmt.Println"],
                                labels=("println", "fmt.Println"))
table(diff.head(8), println="{:,}", **{"fmt.Println": "{:,}", "change": "{:+,}"})
""")

code_hidden(lesson, """
s = res.summary
base = "go tool link (println)"
held = lesson.busy()
lines = [lesson.busy_note()] if held else []
for k in ["fmt.Println", "os.Stdout.Write"]:
    label = f"go tool link ({k})"
    r, lo, hi = s.loc[label, "ratio"], s.loc[label, "ratio_low"], s.loc[label, "ratio_high"]
    verdict = ("slower to link than" if lo > 1 else "faster to link than" if hi < 1 else "within the noise of")
    size = (f"`{k}`: {hands[k].size:,} bytes, {hands[k].size / hands['println'].size:.2f}× `println`'s "
            f"{hands['println'].size:,}")
    timing = (f"its link took {bench.fmt_seconds(s.loc[label, 'median'])} against "
              f"{bench.fmt_seconds(s.loc[base, 'median'])}, {r:.2g}× "
              f"(ratio interval {lo:.2g}–{hi:.2g}, {bench.fmt_coverage(s.loc[label, 'ratio_coverage'])})")
    lines.append(f"{size}; {timing}" + ("." if held else f": {verdict} `println`."))
top = diff.iloc[0]
lines.append(f"The largest difference by package between `println` and `fmt.Println`: `{top['package']}` "
             f"({top['change']:+,} bytes).")
display(Markdown("\\n".join("* " + line for line in lines)))
""")
# ratio digits: 2 significant figures from medians of 6 noisy runs (the cross-lesson convention)

# go build relinks a missing output: it never caches the executable it writes (gokit/parsers/buildx.py linked;
#   shown live: build_graph's -x has a link step and no compile). Its link gets -buildid (cmd/go/internal/work/
#   gc.go:644; 1.22: :640) and -extld (setextld, gc.go:542-553; 1.22: :541), compared live with the hand link's argv;
#   importcfg.link ends with `modinfo "..."` (exec.go:1687; 1.22: :1505), the build information `go version -m`
#   prints; then the go command rewrites the build ID itself, hashing the whole file (buildid.go:661 updateBuildID,
#   :696 buildid.FindAndHash; 1.22: :608, :645), and moves the file into place. Timings: -debug-trace spans.
md("""
### The linker alone, and a whole `go build`

Those were the linker alone. `go build` of the same `fmt.Println` program links it again whenever its output is
missing, though every package is in the [[build cache|GOCACHE]]. What it does then, from `go build -x` (with
`-debug-trace` for the times), building into a new directory:
""")

code("""
relink = gokit.build_graph(SOURCE)   # go build -x -debug-trace into a new directory: it links again
if relink.compiled:                  # main was not in the build cache yet: again, only the link left
    relink = gokit.build_graph(SOURCE)
table(lesson.run_steps(relink)[["step", "done by"]])
""")

md("""
One process, the linker; the rest the go command does itself. Timed as whole processes, interleaved: that `go
build` (its output removed before each run, untimed) against the linker alone on the same archives (the cell that
sets up the two commands is folded):
""")

code_hidden(lesson, """
own = lesson.scratch("lesson04-build")   # the fmt.Println program as a module of its own
(own / "main.go").write_text(SOURCE)
(own / "go.mod").write_bytes(gokit.package(SOURCE, toolchain=tc).gomod)
GO_BUILD, HAND_LINK = "go build -o main . (main removed)", "go tool link (fmt.Println)"
commands = {HAND_LINK: hand.link_command(own / "hand-main"),
            GO_BUILD: bench.Cmd([str(tc.go), "build", "-o", "main", "."], env=tc.env(), cwd=own)}
remove_main = {GO_BUILD: lambda: (own / "main").unlink(missing_ok=True)}
""")

code("""
build_vs_link = bench.compare(commands, runs=bench.runs(6), warmup=1, prepare=remove_main,
                              desc="timing go build against the linker alone")
lesson.bench_table(build_vs_link, label="what was timed")
""")

code_hidden(lesson, """
fr = relink.frame
link_row = fr[fr["mode"] == "link"].iloc[0]
after = fr.end_s.max() - (link_row.start_s + link_row.cmd_s)   # from the linker's exit to the end
go_link = relink.steps[relink.steps.action == "link"].command.iloc[0].split()
hand_flags = {a.split("=")[0] for a in hand.link_argv if a.startswith("-")}
extra = sorted({a.split("=")[0] for a in go_link if a.startswith("-")} - hand_flags)
fmt_s = bench.fmt_seconds
medians = build_vs_link.summary["median"]
rest = relink.wall - fr.end_s.max()   # outside the trace: the go command's start and exit
outside = link_row.start_s + after + max(rest, 0)   # the traced run's time around the link
b_med, l_med = medians[GO_BUILD], medians[HAND_LINK]
display(Markdown(
    f"Medians: `go build` {fmt_s(b_med)}, the linker alone {fmt_s(l_med)}, a difference of "
    f"{fmt_s(b_med - l_med)}. Where a `go build` spends the time around its link, from the one "
    f"traced run above ({fmt_s(relink.wall)} in all, its link {fmt_s(link_row.cmd_s)}):\\n\\n"
    f"* {fmt_s(link_row.start_s)} before the link: the go command loaded the program's "
    f"{relink.cache_hits} packages and found each one's compiled archive in the build cache "
    "(nothing compiled);\\n"
    f"* {fmt_s(after)} after the linker exited: it rewrote the build ID inside the linked file itself "
    "(reading the whole file to hash it) and moved the file into place;\\n"
    f"* {fmt_s(max(rest, 0))} outside its trace: the go command's own start and exit.\\n\\n"
    f"Together {fmt_s(outside)}, against the {fmt_s(b_med - l_med)} between the medians"
    + (" (a busy machine: these figures move from run to run)" if lesson.busy() else "")
    + ". Its link is also not quite the hand link: "
    + (f"it passed {' and '.join(f'`{f}`' for f in extra)}" if extra else "the same flags")
    + (", and its `importcfg.link` carried the module's build information (`modinfo`, what "
       "`go version -m` prints) for the linker to write into the binary."
       if "modinfo" in relink.x_trace else ".")))
""")

md("""
## What you saw
""")

code_hidden(lesson, """
call = f"{fmt_calls[0].type} {fmt_calls[0].symbol}" if fmt_calls else "no call into fmt"
gnu = ("could read it" if attempt.understood else "could not read it") if attempt.installed else "is not installed here"
has_init = any(f.name == "main.init" for f in a.functions)
init_ops = [i.op for i in a.function("init").machine_instructions] if has_init else []
init_gone = not any(f.name == "main.init" for f in without.functions)
if has_init and init_ops == ["RET"] and init_gone:
    init_line = ("`main.init` exists only because a package variable has an initialiser (without it there is "
                 "none), and static initialisation left it empty: a lone `RET`.")
elif has_init:
    init_line = (f"`main.init` is {len(init_ops)} instructions: your program has initialisation code the compiler "
                 "could not lay out as data.")
else:
    init_line = "your package has no `main.init`: nothing to initialise."
agree, known = against_nm.agree, against_nm.checked
filled_line = (f"every `R_CALL` hole of `main` held the distance to its target ({agree} of {known} checked "
               "against nm)" if known and agree == known else
               f"{agree} of {known} `R_CALL` holes of `main` pointed at the address nm lists")
lines = [
    f"The compiler's listing: `add` is {len(add.machine_instructions)} instructions on amd64 and {actual_arm} on "
    f"arm64; {init_line}",
    f"`main` leaves {len(holes)} relocations that patch bytes; its call to `fmt.Println` became `{call}` after "
    "inlining.",
    f"The package object defines {len(defined)} symbols and names {len(obj.undefined)} undefined ones; the "
    f"{len(obj.builtin_refs)} runtime builtins it uses appear only in its relocations. GNU nm {gnu}.",
    f"By hand, `go tool compile` + `go tool link` built a program that printed `{ran.out.strip()}`.",
    f"The linked binary: {len(syms):,} symbols; {filled_line}. Relocations left for the loader: "
    + "; ".join(f"{r['binary']}: {r['relocations left']}" for r in left.to_dict("records")
                if r["relocations left"] != "—") + ".",
]
if cgo is not None and cgo.object_file is not None:
    pc32 = int(detail.loc[detail["type"] == "R_X86_64_PC32", "entries"].sum())
    lines.append(f"The cgo build's go.o, the object Go's linker handed to the C linker, held {pc32:,} "
                 "`R_X86_64_PC32` entries: the article's relocation type, in a Go build that links externally.")
display(Markdown("\\n".join("* " + line for line in lines)))
""")

lesson.try_yourself("""
Put `//go:noinline` on the line above `func add` and run the notebook again (*Run → Run All Cells*). Before you
look: will `main` now hold a new `R_CALL`, and to what? Will the linked binary keep `main.add`? Check the relocation
table under the `reloc` exercise, the symbols under the `dead` exercise, and the *What you saw* list.
""")

lesson.further_reading()

next_lesson(lesson, "05", "how the runtime starts this binary: from the ELF entry point to main.main")

lesson.write()
