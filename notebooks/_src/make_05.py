"""Generate notebooks/05-process-start.ipynb (outputs cleared). Run: python notebooks/_src/make_05.py

Evidence for each sentence about Go is the comment next to it: a Go source file:line (Go 1.27.3 first, Go 1.22.10
where it differs) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("05-process-start.ipynb", budget_seconds=45)
lesson.myth_heading = True  # the myth-check box sits next to the cells that check the claim
md, code = lesson.md, lesson.code

lesson.exercise(
    "entry",
    question="What kind of code starts at the entry point of your hello world? Answer with a letter: (a) your "
             "main.main; (b) runtime.main, the Go function that runs the package inits and then main.main; (c) a "
             "function of the runtime written in assembly; (d) the C library's start-up code.",
    hint="Go code expects to run on a goroutine's stack, with a scheduler around it; the kernel gives a new process "
         "neither. And this program does not use C at all.",
    solution="(c): _rt0_amd64_linux (_rt0_arm64_linux on arm64), a few lines of assembly in runtime/"
             "rt0_linux_amd64.s that jump on to runtime.rt0_go, also assembly, which sets up the first thread and "
             "its g0 before any Go code runs. runtime.main runs much later, as the first goroutine, and main.main "
             "last. (d) is the answer for a program built with cgo: the section on cgo below shows it.",
    reveals=[r"\be_entry\b[^.\n]{0,80}\b_?rt0",
             r"_rt0_(?:amd64|arm64)(?:_linux)?\b[^.\n]{0,60}\bassembly",
             r"\bassembly\b[^.\n]{0,60}\bentry point",
             r"\bentry point\b[^.\n]{0,60}\bassembly",
             r"rt0_linux_(?:amd64|arm64)\.s"],
    search_answer=False,
)
# Evidence: runtime/rt0_linux_amd64.s:7-8 `TEXT _rt0_amd64_linux(SB),NOSPLIT,$-8 / JMP _rt0_amd64(SB)` (same in 1.22);
# the answer is computed from the binary: gokit.lesson.entry_kind (the file of the first step ends in .s).
lesson.exercise(
    "schedinit",
    question="Does runtime.main, in your binary, call runtime.schedinit?",
    hint="runtime.main runs as a goroutine, and goroutines need a scheduler that is already set up. Which code runs "
         "before any goroutine but the first thread's g0 exists?",
    solution="No. runtime.rt0_go calls schedinit (through its ABI wrapper), on thread m0 and its system stack g0, "
             "before newproc has even created the goroutine that will run runtime.main.",
    reveals=[r"rt0_go\W+(?:→|->|calls?)\W+(?:runtime\.)?schedinit",
             r"schedinit[^.\n]{0,60}\bbefore\b[^.\n]{0,40}runtime\.main",
             r"CALL from runtime\.rt0_go, asm_\w+\.s:\d+",
             r"\bschedinit\b[^.\n]{0,40}\bcalled from\b"],
)
lesson.exercise(
    "fmt-init",
    question="Your program imports fmt. Is fmt among the packages whose init task runs at start-up?",
    hint="A package is in the list only if it has init functions to run: an init() of its own, or package "
         "variables that need code to set them at start-up.",
    solution="No. fmt has nothing left to run at start-up: it has no init(), and its package variables are laid "
             "out as data — even `var errComplex = errors.New(...)`, because the compiler inlines errors.New and "
             "evaluates it while compiling. Its init task has no functions, and the linker leaves such tasks out "
             "of the list.",
    reveals=[r"\bfmt\b[^.\n]{0,60}\bno init",
             r"\binit tasks?\b[^.\n]{0,60}\bno functions\b",
             r"\binit order\b",
             r"\berrComplex\b",
             r"\bunicode, reflect\b|\bos, unicode\b"],
)
# Evidence: cmd/compile/internal/pkginit/init.go:20-26 (a task holds deps and fns), :111-116 (empty init skipped);
# cmd/link/internal/ld/inittask.go:162 "don't add s if it has no functions to run" (same lines in 1.22);
# fmt: no `func init` in GOROOT/src/fmt/*.go; fmt/scan.go:465 var errComplex = errors.New(...) (1.22 the same);
# staticinit of inlined calls: cmd/compile/internal/staticinit/sched.go:501 (case ir.OINLCALL), :585
# staticAssignInlinedCall (1.22: :454, :538).

md("""
# 05 — Process start: from the ELF entry point to `main.main`

`go build` wrote an executable; now the kernel starts it. Your `main.main` is far from the first code that runs.
""")

lesson.objectives(
    "find a binary's entry point and the code that runs there, in its ELF header and symbol table;",
    "follow the boot chain from that code to `main.main` through the runtime's source, and say which thread and "
    "which goroutine run each step;",
    "tell where the scheduler is set up and how `sysmon` gets a thread of its own;",
    "time every package's init with `GODEBUG=inittrace=1` and measure what a heavy `init` adds to a start.",
)

md("""
Three words of the runtime's scheduler come up all the time ([[P, M and G|pmg]]): a **G** is a goroutine, an **M**
an operating-system thread, a **P** the right to run Go code (there are `GOMAXPROCS` of them); an M runs Gs while
it holds a P. The thread the process starts on is **[[m0|m0-g0]]**, and every M has a **g0**, a stub goroutine whose
stack is the thread's own system stack, where the scheduler runs.

On the way you will meet the runtime's *system monitor*, [[sysmon]], and check one claim of the article this course
answers (claim 10, in a box next to the cells that check it).
""")
# P/M/G, m0, g0: runtime/HACKING.md "Scheduler structures" and "Stacks" ("Every M has a system stack ... (also known
# as the M's "g0" stack because it's implemented as a stub G)"); runtime/runtime2.go (type g, m, p); runtime/proc.go
# m0, g0 declarations (m0 m; g0 g in the var block): proc.go:120-121 (1.22: :116-117)

code("""
import os

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

A hello world, built once (gokit keeps the binary in its own cache, so later cells reuse it):
""")

code('''
SOURCE = """package main

import "fmt"

func main() {
	fmt.Println("hello, gopher")
}
"""
hello = gokit.build(SOURCE)
say(f"The hello world binary: {hello.size:,} bytes.")
''')

md("""
## Where the kernel starts

An ELF executable's header names one address, `e_entry`: its [[entry point]]. When `execve` has mapped a static
binary like this one into a new process, the kernel starts the program's first thread there. (A binary that names a
program interpreter — a PIE, a cgo program — starts in the dynamic loader instead, which jumps to `e_entry` once it
has loaded and relocated the program.) gokit reads the header for you (with
[pyelftools](https://github.com/eliben/pyelftools)):
""")
# Evidence: the ELF header field e_entry (System V ABI; debug/elf FileHeader.Entry); this binary has no PT_INTERP
# (lesson 04's link check of a go build: interpreter "none"); a PT_INTERP binary: the kernel maps and starts the
# interpreter (Linux fs/binfmt_elf.c load_elf_binary: elf_entry = interpreter's entry when there is one), which
# jumps to AT_ENTRY = e_entry when it is done

code("""
elf = gokit.link_check(hello)   # its ELF header and program headers
say(f"{elf.elf_type}, entry point {elf.entry:#x}")
""")

md("""
### Predict, then run

What kind of code sits at that address? Think about what the kernel gives a new process (a stack, the arguments, the
environment) and what Go code needs to run. Answer with a letter, then run the cell: gokit looks the address up in
the binary's symbol table and follows the code from there.
""")

code("""
prediction = ...  # a letter: "a", "b", "c" or "d"

chain = gokit.boot_chain(hello)
first_steps = table(chain.steps.head(3)[["function", "file", "line", "how"]])
lesson.exercise("05", "entry").check(prediction, lesson.entry_kind(chain), compare=lesson.same_letter,
                                     evidence=first_steps)
""")

md("""
## Who sets up the scheduler?

The article this course answers shows this as `runtime.main` (quoted as printed there):

```go
// src/runtime/proc.go
func main() {
    g := getg() // 获取当前 goroutine(即 main goroutine)
    schedinit() // 初始化调度器、P、M、G 队列等
    sysmon()    // 启动后台监控协程(GC、抢占、netpoll 等)
    main_init() // 执行所有包的 init 函数(按依赖顺序)
    main_main() // 调用用户 main.main()
}
```

### Predict, then run

In the `runtime.main` of your binary, is there a call to `runtime.schedinit`? Answer `True` or `False`; the cell
looks through every instruction of `runtime.main` as `go tool objdump` prints it.
""")

code("""
prediction = ...  # True or False

called = lesson.calls_in(chain, "runtime.main")   # every function runtime.main CALLs (go tool objdump)
calls_schedinit = "runtime.schedinit" in called
lesson.exercise("05", "schedinit").check(prediction, calls_schedinit,
                                         evidence="runtime.main calls: " + ", ".join(called))
""")

md("""
## The boot chain, found in your binary

`gokit.boot_chain` starts at the entry symbol and follows the machine code, as `go tool objdump` prints it, from call
to call. Some calls pass a *function value* instead of naming a function (the goroutine `newproc` is asked to create,
the function a new thread starts with, the call of your `main.main`); for those gokit reads the 8 bytes the value
points at and names the function stored there. Read the diagram top to bottom: an arrow leads to the step that runs
next, the third line of each box says how that step is reached, and the dashed boxes group the steps by who runs
them:
""")

code("""
lesson.show(chain.to_graphviz())
""")

md("""
Each box names the function, the line of `GOROOT/src` where its code starts, and the instruction (`CALL` or `JMP`)
that reaches it, in which function, at which line. The same steps as a table, folded:
""")

code_hidden(lesson, """
steps = chain.steps.assign(starts_at=lambda d: d["file"] + ":" + d["line"].astype(str))
lesson.fold(table(steps[["function", "starts_at", "how", "called_at"]].rename(columns={"starts_at": "starts at", "called_at": "called at"})), f"all {len(steps)} steps")
""")

md("""
Every file name is relative to `GOROOT/src` of your Go, so you can open them; `chain.source(...)` prints numbered
lines of one. `runtime.rt0_go` is assembly. Here are the lines of it that call `schedinit`, create the first goroutine
and start the scheduler, from the line the diagram names for `schedinit` to the one it names for `mstart`:
""")

code("""
first, last = chain.step("runtime.schedinit").called_at, chain.step("runtime.mstart").called_at
print(chain.source(first, through=last))
""")

md("""
Read it with the diagram: `schedinit` sets up the memory allocator, the command line and environment, the GC's
parameters and the Ps (one per `GOMAXPROCS`) while only the first thread, m0, exists, running on its system stack
g0. `newproc` is handed `runtime.mainPC`, a function value holding `runtime.main`: it creates the *main goroutine*
but does not run it. `mstart` never returns: it enters the scheduler (`schedule` → `execute` → `gogo`), which picks
the only runnable goroutine and jumps into it. Only then does `runtime.main` run.
""")
# Evidence: runtime/asm_amd64.s:340-349 (1.22: 349-358): CALL schedinit, "create a new goroutine to start program",
# MOVQ $runtime·mainPC, CALL newproc, "start this M", CALL mstart, "mstart should never return";
# runtime/proc.go:844 schedinit: mallocinit (:890), goargs (:902), gcinit (:912), procresize (:949)
# (1.22: :750, :785, :800, :805, :827); proc.go:1917 mstart1 -> schedule (:1955); execute -> gogo(&gp.sched) :3397
# (1.22: :1702, :1736, :3132).

md("""
The diagram shows `schedinit` reached from `rt0_go`. Is that its only caller? Search every function of the runtime
in your binary (one `go tool objdump` of them all; it takes a few seconds the first time):
""")

code("""
table(chain.callers("runtime.schedinit"))
""")

md("""
A single call site, in `rt0_go` (through `schedinit`'s [[ABI]] wrapper, which only converts the calling convention
from assembly's to Go's). And `sysmon`? Nothing calls it at all:
""")
# Evidence: the callers table of the cell above and below (computed from the binary).

code("""
say(f"Calls of runtime.sysmon in the runtime: {len(chain.callers('runtime.sysmon'))}. "
    "Where runtime.main starts it:")
print(chain.source(chain.step("runtime.newm").called_at, before=2, after=2))
""")

md("""
`runtime.main` hands `sysmon` to `newm` as a function value, inside `systemstack` (which runs it on the thread's own
stack). `newm` creates an M: a new OS thread that starts by calling `sysmon`. The runtime's own comments say what
that thread is:
""")
# Evidence: runtime/proc.go:177-181: if haveSysmon { systemstack(func() { newm(sysmon, nil, -1) }) }, with haveSysmon =
# GOARCH != "wasm" (proc.go:6532); Go 1.22 writes the condition out: proc.go:169-174 `if GOARCH != "wasm" { // no
# threads on wasm yet, so no sysmon ... newm(sysmon, nil, -1)`; proc.go:2868 "Create a new m. It will start off with
# a call to fn, or else the scheduler." (1.22: :2624); proc.go:6534 "Always runs without a P" (1.22: :5943).

code("""
print(chain.source("runtime.newm", before=7))
print()
print(chain.source("runtime.sysmon", before=3))
""")

md("""
So `sysmon` runs on a thread of its own, with no P: it never runs goroutines, it watches them (it takes Ps back from
goroutines stuck in system calls, asks goroutines that ran too long to yield, polls the network when no one else has
for a while). The article's order is right — `schedinit`, then `sysmon`, then the inits, then `main.main` — but not
who does it or how: `schedinit` runs in `rt0_go` before `runtime.main` exists, and `runtime.main` does not call
`sysmon()` (a call of that endless loop would never return) but gives it a thread with `newm`. The cell below
computes both from your binary:
""")
# Evidence: runtime/proc.go sysmon body: `for { ... }` never returns; netpoll(0) :6622, retake(now) :6648 (1.22:
# :6030, :6071); "Always runs without a P" :6534 (1.22: :5943). Order: schedinit (asm_amd64.s:340; 1.22: :349), then
# in runtime.main newm(sysmon) proc.go:179 (1.22: :172), doInit(runtime_inittasks) :207, main inits :269, fn := main_main
# :301 (1.22: :200, :253, :270)

code_hidden(lesson, """
rt0 = chain.disassembly("runtime.rt0_go").reset_index(drop=True)  # instructions in address order
at = {t.removesuffix(".abi0"): i for i, t in rt0["target"].items() if t}
display(Markdown("\\n".join([
    f"* `runtime.main` calls `schedinit`: **{'yes' if calls_schedinit else 'no'}**. `rt0_go` calls it at "
    f"`{chain.step('runtime.schedinit').called_at}`"
    + (", before its call of `newproc` creates the goroutine that will run `runtime.main`."
       if at["runtime.schedinit"] < at["runtime.newproc"] else "."),
    f"* `runtime.main` does start `sysmon`, but not by calling it: `newm(sysmon, ...)` at "
    f"`{chain.step('runtime.newm').called_at}` gives it a new thread.",
])))
""")

lesson.myth_check(10)

md("""
## Another architecture, another entry

The chain is found, not assumed, so it works for arm64 too. Build a small program for `linux/arm64`, in a private,
throwaway [[build cache|gocache]] so that nothing of this build lands in yours (lesson 06 looks at what a build
for another target can take from a cache); it takes a few seconds the first time, and gokit keeps the binary for
later runs.
""")
# Evidence: gokit.build(gocache=...) builds in the given cache and keeps the binary in gokit's (gokit/stages/builds.py).
# Not said here, because lesson 06 asks it as a prediction (06/goarch): how many packages an arm64 build takes from
# a cache that holds them for amd64.

code('''
SMALL = """package main

func main() { println("hello from arm64") }
"""
with gokit.scratch_gocache() as scratch:   # a private GOCACHE, removed at the end of the block
    arm_build = gokit.build(SMALL, goarch="arm64", gocache=scratch, progress=True)
arm = gokit.boot_chain(arm_build)
''')

code_hidden(lesson, """
table(pd.DataFrame({"step": ["entry point", "then", "then", "then"],
                    f"{tc.goos}/{tc.goarch}": [s.function for s in chain.steps_list[:4]],
                    "linux/arm64": [s.function for s in arm.steps_list[:4]]}))
""")

md("""
The entry symbol names the architecture and the operating system, and the way to `rt0_go` depends on both (and on
the Go release; the table shows your Go's). From `rt0_go` on, the chain is the same Go code.
""")
# Go 1.22's arm64 entry calls a function named plain `main`, which calls rt0_go by address; gokit follows it too.
# Evidence: go1.22.10 src/runtime/rt0_linux_arm64.s:8-11 (BL main(SB)) and :66-68 (TEXT main(SB); MOVD
# $runtime·rt0_go(SB), R2; BL (R2)); go1.27.3 rt0_linux_arm64.s:7-8 (JMP _rt0_arm64(SB)); tests/test_boot.py
# test_go122_arm64_enters_through_a_function_named_main (goldens of both); the rest of the chain: test_boot.py
# CORE order on both architectures.

md("""
## Another linker, another entry: cgo

A program that uses [[cgo]] (`import "C"`) and has C code of its own is linked by the C toolchain, dynamically
against the C library: the kernel starts the dynamic loader its header names, which loads the C library and then
jumps to the entry point, and that is the C runtime's `_start`. The program is lesson 04's with `add` written in C
(the cell is folded: unfold it to read the source; gokit reuses lesson 04's build):
""")
# Evidence: cmd/link/internal/ld/config.go:208 (iscgo && externalobj -> external linking; 1.22: :205); the entry
# _start and its hand-over to __libc_start_main: shown live (gokit.boot_chain of the cgo binary; lesson 04 lists the
# binary's relocations naming __libc_start_main); Go's `main` for the C startup code: runtime/asm_amd64.s:20-24
# ("The C startup code will call the symbol "main" passing argc and argv in the usual C ABI registers DI and SI."),
# same lines in 1.22.

code_hidden(lesson, '''
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
cgo = lesson.cgo_build(CGO_SOURCE)   # CGO_ENABLED=1 go build, as in lesson 04; None: no C compiler here
c_chain = gokit.boot_chain(cgo.build) if cgo is not None and tc.goarch == "amd64" else None
""")

code_hidden(lesson, """
if c_chain is None:
    say("No cgo chain here: " + ("no C compiler (go env CC names none on your PATH)." if cgo is None else
        f"gokit reads the C runtime's _start on amd64 only; this is {tc.goarch}.")
        + " With one, the entry point of a cgo program is the C runtime's _start.")
else:
    display(table(pd.DataFrame([{"step": s.function,
                                 "where": f"{s.file}:{s.line}" if s.file else "the C runtime",
                                 "how it is reached": s.how} for s in c_chain.steps_list[:4]])))
    go_main = c_chain.step("main")
    print(c_chain.source(f"{go_main.file}:{go_main.line}", before=4))
""")

md("""
`_start` comes from the C library's start-up object; it hands the address of a function named `main` to the C
library's `__libc_start_main`, which initialises the C library and calls it. Go's runtime provides that `main`:
one instruction of assembly, a jump to `runtime.rt0_go`. From there on the chain is the one above.
""")

md("""
## Package inits

Before it calls `main.main`, `runtime.main` runs every package's [[init tasks|init task]], in two lists the linker
wrote into the binary. First `runtime_inittasks`: the runtime's own task *and those of the packages the runtime
itself imports* that have init work. Then `gcenable` starts two goroutines of the garbage collector, the background
sweeper and the scavenger (which returns unused memory to the operating system), and waits until each has started
and signalled back on a channel; then it turns the garbage collector on.
Then the list for everything else, `go:main.inittasks`, in which the linker puts a package's imports first and
otherwise goes alphabetically. In `runtime.main`:
""")
# Evidence: runtime/proc.go:207 `doInit(runtime_inittasks)`, :217 `gcenable()`, :269 `doInit(m.inittasks)` per
# module (1.22: :200, :210, :253); runtime/mgc.go:211-219 gcenable: `go bgsweep(c); go bgscavenge(c); <-c; <-c`
# (1.22: :200-208), each goroutine sends on c once started: mgcsweep.go:278, mgcscavenge.go:652 (`c <- 1`; 1.22: :277, :652), then
# memstats.enablegc = true; the GC's mark workers start per cycle, not here (mgc.go gcBgMarkStartWorkers);
# runtime/mgcscavenge.go: the scavenger returns memory to the OS. doInit (proc.go:8119-8123; 1.22: :7141-7145) loops over the tasks calling doInit1
# (:8125; 1.22: :7147), which runs and times each task; the compiler inlines doInit into runtime.main, so the binary's
# runtime.main calls runtime.doInit1 (the diagram's two doInit1 boxes, sited at the inlined call, proc.go:8121).
# runtime_inittasks = the runtime's task and its dependencies': cmd/link/internal/ld/inittask.go:64-76
# (inittaskSym([]string{"runtime..inittask"}, "go:runtime.inittasks")) and :79-... (a root and everything it
# depends on); go:main.inittasks: inittask.go:41-45; order: :31-39 ("respects all the dependencies ... lexicographic")

code("""
print(chain.source(chain.step("runtime.gcenable").called_at, before=10))
say(f"The runtime's own list in this binary ({chain.runtime_inits} tasks): "
    + ", ".join(chain.inits[:chain.runtime_inits])
    + f". The other list has {len(chain.inits) - chain.runtime_inits} tasks.")
""")

md("""
(The diagram's two `runtime.doInit1` boxes point at a line inside `doInit`: the compiler inlined that small loop
into `runtime.main`, so the calls to `doInit1` are the ones the binary really makes.)

### Predict, then run

Your program imports `fmt`, and `fmt` imports many packages. Is `fmt` itself in the second list, among the packages
whose init task runs? Answer `True` or `False`.
""")

code("""
prediction = ...  # True or False

in_order = "the init tasks, in order: " + ", ".join(chain.inits)
lesson.exercise("05", "fmt-init").check(prediction, "fmt" in chain.inits, evidence=in_order)
""")

md("""
The whole list, in the order the runtime runs it:
""")

code("""
say(", ".join(chain.inits))
""")

md("""
## `GODEBUG=inittrace=1`: the runtime times every init

With this setting the runtime prints one line to standard error per init task it runs: when it started, how long it
took, and what it allocated. Here are the first lines, as the runtime printed them for your hello world:
""")
# Evidence: runtime/proc.go:8166-8171 (doInit1 prints "init PKG @T ms, T ms clock, N bytes, N allocs";
# 1.22: :7188-7193).

code("""
trace = gokit.inittrace(hello)
print(lesson.inittrace_text(trace, lines=4))   # what the runtime printed to standard error
""")

md("""
`@` is when the task started, counted from `runtimeInitTime`, which `runtime.main` sets just before the first init
task; `clock` is how long its functions ran. The same lines as a table, one row per line, each number as the runtime
printed it:
""")

code("""
table(lesson.inittrace_table(trace))
""")

code_hidden(lesson, """
same_order = list(trace["package"]) == list(chain.inits)
say("The same packages, in the same order, as the init tasks listed in the binary: "
    + ("yes." if same_order else "no (see the two lists above)."))
last_rt = trace.iloc[chain.runtime_inits - 1] if 0 < chain.runtime_inits < len(trace) else None
nxt = trace.iloc[chain.runtime_inits] if last_rt is not None else None
end = last_rt["start_ms"] + last_rt["clock_ms"] if last_rt is not None else 0.0
if nxt is not None and nxt["start_ms"] > end:
    say(f"Between the end of the runtime's own list ({last_rt['package']} ended near @{end:.3g} ms) and the first "
        f"task of the other list ({nxt['package']} @{nxt['start_ms']:g} ms) lie about {nxt['start_ms'] - end:.2g} ms: "
        "runtime.main's lines between the two lists ran there, gcenable among them, which waits until the "
        "scheduler has started its two new goroutines (on a busy machine that wait can grow).")
""")

md("""
The runtime truncates these times: below 10 ms to two significant digits (at most three decimals, so 0.066 or 1.9;
under a microsecond it prints 0), from 10 ms up to whole milliseconds. Find the instruction that sets
`runtimeInitTime` in `runtime.main`:
""")
# Evidence: runtime/proc.go:197 `runtimeInitTime = nanotime()` (1.22: :190); runtime/mgc.go:2233-2250 fmtNSAsMS
# (whole ms from 10e6 ns; two digits, at most three decimals, below; "0" below 1 µs); 1.22: mgc.go:1727-1744.

code("""
# the first instruction of runtime.main that names runtimeInitTime, and its line of GOROOT/src
print(lesson.first_use(chain, "runtime.main", "runtime.runtimeInitTime"))
""")

md("""
Everything the boot chain did before that instruction, `schedinit` included, happened before `@0`.

## A heavy init

A package variable whose value needs code to compute is set at start-up, by the package's init task. Not every
function call needs code at start-up: a small call the compiler can inline and evaluate while compiling becomes
plain data. `fmt` has such a variable, set by a call, and yet the runtime printed no line for `fmt` when it
started your hello world:
""")
# Evidence: cmd/compile/internal/pkginit/init.go:22-25 ("Initialize all the variables that have initializers") and
# :88-107 (staticinit); staticinit/sched.go:501 case ir.OINLCALL -> staticAssignInlinedCall :585 (1.22: :454, :538);
# fmt/scan.go:465 (errComplex); the fmt exercise above shows fmt has no init task to run.

code("""
line, text = lesson.find_line((tc.goroot / "src" / "fmt" / "scan.go").read_text(), "var errComplex")
print(f"fmt/scan.go:{line}: {text}")
print("lines for fmt in hello's init trace:", int((trace["package"] == "fmt").sum()))
""")

md("""
The compiler inlined `errors.New` and wrote the resulting error value into the binary as data: nothing is left to
run. A loop it cannot run ahead of time does need code. This program computes the primes below two million before
`main` runs:
""")

code('''
HEAVY = """package main

import "fmt"

// primes below 2,000,000, computed while the program starts
var primes = sieve(2_000_000)

func sieve(n int) []int {
	composite := make([]bool, n)
	var found []int
	for i := 2; i < n; i++ {
		if !composite[i] {
			found = append(found, i)
			for j := i * i; j < n; j += i {
				composite[j] = true
			}
		}
	}
	return found
}

func main() {
	fmt.Println(len(primes), "primes")
}
"""
heavy = gokit.build(HEAVY, progress=True)
heavy_trace = gokit.inittrace(heavy)
gokit.plot_inittrace(heavy_trace)
''')

code("""
row = lesson.init_of(heavy_trace, "main")   # the trace's line `init main @… ms, … ms clock, … bytes, … allocs`
say(f"init main, one run: {row.clock_ms:g} ms, {row.bytes:,} bytes in {row.allocs} allocations.")
""")

md("""
## Benchmark: what a start costs, and what the init adds

Start each binary many times, interleaved (spawn the process and wait for it, like `hyperfine -N`), with
`GODEBUG=inittrace=1` set for both, so that every run of the heavy program also reports its own `init main`: the
start-up times and the runtime's timing of the init come from the same runs. From 10 ms up the runtime prints whole
milliseconds, so the init's times come in steps of 1 ms. Your machine (a load average near or above the number of
CPUs makes every number slower and noisier):
""")
# one line to stderr per init task is all inittrace adds: runtime/proc.go:8161-8174 (1.22: :7183-7196); whole ms
# from 10 ms up: mgc.go:2233-2237 fmtNSAsMS (1.22: :1727-1731)

code("""
load, cpus = lesson.machine_load()
say(f"{cpus} CPUs, load average {load:.2f}. " + (lesson.busy_note() or ""))
starts = lesson.timed_starts({"hello": hello, "heavy init": heavy}, runs=bench.runs(30), warmup=3)
lesson.bench_table(starts.result, label="binary started")
""")

code("""
starts.result.plot()
""")

code_hidden(lesson, """
s = starts.result.summary
fmt = bench.fmt_seconds
extra = s.loc["heavy init", "median"] - s.loc["hello", "median"]
init_ms = starts.init_ms("heavy init")
init_med, init_lo, init_hi, kind = bench.median_interval(init_ms)
rest = bench.BenchResult.from_samples({"heavy init, minus its init main": starts.without_init("heavy init")})
r_med, r_lo, r_hi = (rest.summary.iloc[0][c] for c in ("median", "ci_low", "ci_high"))
h_lo, h_hi = s.loc["hello", "ci_low"], s.loc["hello", "ci_high"]
whole = sum(v >= 10 for v in init_ms)
lines = [
    f"A hello world starts and exits in **{fmt(s.loc['hello', 'median'])}**, the heavy one in "
    f"**{fmt(s.loc['heavy init', 'median'])}**: {fmt(extra)} more (the difference of the medians).",
    f"In the same runs the runtime timed `init main` at **{init_med:g} ms** (interval {init_lo:g}–{init_hi:g} ms, "
    f"{len(init_ms)} runs" + (f", {whole} of them printed in whole milliseconds" if whole else "") + ").",
    f"The single traced run above gave {row.clock_ms:g} ms: one sample of the same init, run at another moment; "
    f"{sum(v <= row.clock_ms for v in init_ms)} of these {len(init_ms)} runs took at most that long "
    f"(they range over {min(init_ms):g}–{max(init_ms):g} ms). "
    + ("The two figures differ as much as runs of the same init differ from one another."
       if min(init_ms) <= row.clock_ms <= max(init_ms) else
       "It lies outside that range: the machine was busier, or quieter, at one of the two moments "
       f"(load average now {load:.2f})."),
]
if lesson.busy():
    lines.append(lesson.busy_note())
elif r_lo > h_hi:
    lines.append(f"Each run's time minus that run's own `init main` leaves {fmt(r_med)} (interval {fmt(r_lo)}–"
                 f"{fmt(r_hi)}), still more than hello's {fmt(s.loc['hello', 'median'])}: the heavy process costs "
                 f"more than its init alone — among other things, the {row.bytes / 1e6:.1f} MB its init allocated "
                 "must be mapped and zeroed by the kernel, and given back at exit.")
elif r_hi < h_lo:
    lines.append(f"Each run's time minus that run's own `init main` leaves {fmt(r_med)}, less than hello's: the "
                 "two figures are not additive here; run the benchmark again.")
else:
    lines.append(f"Each run's time minus that run's own `init main` leaves {fmt(r_med)} (interval {fmt(r_lo)}–"
                 f"{fmt(r_hi)}), which hello's interval ({fmt(h_lo)}–{fmt(h_hi)}) overlaps: the init accounts for "
                 "the whole difference, within what these runs can tell.")
display(Markdown("\\n".join("* " + line for line in lines)))
""")
# mapping fresh memory: the heavy init allocates row.bytes (8.6 MB: the []bool of 2e6 and the []int of primes),
# runtime/malloc.go -> mheap.grow -> sysMap/sysUsed (mmap), zero pages from the kernel on first touch

md("""
## What you saw
""")

code_hidden(lesson, """
callers = chain.callers("runtime.schedinit")
before_newproc = at.get("runtime.schedinit", 1) < at.get("runtime.newproc", 0)
lines = [
    f"The kernel started this program at `{chain.steps_list[0].function}`, the symbol at the ELF entry point "
    f"({chain.entry:#x}), not at `main.main`; `main.main` was step {len(chain.steps_list) - 1} of the chain.",
    f"`schedinit` was called from `{', '.join(callers['caller'])}` only"
    + (", before `newproc` created the goroutine that runs `runtime.main`." if before_newproc else "."),
    f"`runtime.main` gave `sysmon` a new thread with `newm` (`{chain.step('runtime.newm').called_at}`); "
    + ("nothing calls `sysmon` directly." if not len(chain.callers("runtime.sysmon")) else
       "something also calls `sysmon` directly."),
    f"`GODEBUG=inittrace=1` printed {len(trace)} lines for hello world"
    + (", the init tasks the binary lists, in their order, the runtime's own "
       f"({chain.runtime_inits}) first." if same_order else " (not the same list as the binary's init tasks)."),
    f"The heavy program's `init main` took {init_med:g} ms (median of {len(init_ms)} runs), in the same runs as its "
    f"start, which took {bench.fmt_seconds(extra)} more than hello's"
    + (" (on a busy machine)." if lesson.busy() else "."),
]
if cgo is not None:
    lines.insert(1, f"The cgo build started at `{gokit.link_check(cgo.build).entry_symbol}`, the C runtime's entry"
                    + (", and reached `runtime.rt0_go` through Go's `main`." if c_chain is not None else "."))
display(Markdown("\\n".join("* " + line for line in lines)))
""")

lesson.try_yourself("""
Change `HEAVY`'s `sieve(2_000_000)` to `sieve(200_000)` and run the cells from *A heavy init* on again. Before you
look: by how much should `init main` shrink (the sieve's work grows a little faster than its size), and how much of
the gap to hello's start should go with it? Then compare with what the benchmark measured.
""")

lesson.further_reading()

next_lesson(lesson, "06", "what decides how much `go build` has to redo")

lesson.write()
