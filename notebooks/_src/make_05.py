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
    question="Which function starts at the ELF entry point of a Go program for Linux?",
    hint="The first code must run before Go code can: no stack for goroutines, no scheduler yet. Its name starts "
         "with an underscore and names the architecture and the operating system.",
    solution="_rt0_amd64_linux on linux/amd64 (_rt0_arm64_linux on arm64): a few lines of assembly in "
             "runtime/rt0_linux_amd64.s that jump on towards runtime.rt0_go. main.main comes last.",
    reveals=[r"_rt0_(?:amd64|arm64)(?:_linux)?\b",
             r"\be_entry\b[^.\n]{0,80}\brt0"],
)
# Evidence: runtime/rt0_linux_amd64.s:7-8 `TEXT _rt0_amd64_linux(SB)... JMP _rt0_amd64(SB)` (same in 1.22).
lesson.exercise(
    "schedinit",
    question="Does runtime.main, in your binary, call runtime.schedinit?",
    hint="runtime.main runs as a goroutine, and goroutines need a scheduler that is already set up. Which code "
         "runs before any goroutine exists?",
    solution="No. runtime.rt0_go calls schedinit (through its ABI wrapper), on thread m0, before newproc has even "
             "created the goroutine that will run runtime.main.",
    reveals=[r"rt0_go\W+(?:→|->|calls?)\W+(?:runtime\.)?schedinit",
             r"schedinit[^.\n]{0,60}\bbefore\b[^.\n]{0,40}runtime\.main",
             r"CALL from runtime\.rt0_go, asm_\w+\.s:\d+"],
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

`go build` wrote an executable; now the kernel starts it. Your `main.main` is far from the first code that runs. In
this lesson you find, in your own binary:

* the **entry point**, the address the kernel starts at, read from the ELF header;
* the **boot chain** through the runtime's assembly and Go code to `runtime.main`, found in the machine code with
  `go tool objdump`, each step with the file and line of `GOROOT/src` you can open;
* **who runs what**: the first thread before any goroutine exists, the main goroutine, and `sysmon` on a thread of
  its own;
* every package's **init**, timed by the runtime itself (`GODEBUG=inittrace=1`);
* a benchmark: how long a start takes, and what a heavy `init` adds to it.

Three words of the runtime's scheduler come up all the time ([[P, M and G|pmg]]): a **G** is a goroutine, an **M**
an operating-system thread, a **P** the right to run Go code (there are `GOMAXPROCS` of them); an M runs Gs while
it holds a P. The thread the process starts on is **[[m0|m0-g0]]**, and every M has a **g0**, a goroutine whose stack
is the thread's own system stack, where the scheduler runs.

The article this course answers shows a `runtime.main` that calls `schedinit()` and `sysmon()` itself: its
**claim 10**, checked here against your binary.
""")
# P/M/G, m0, g0: runtime/HACKING.md "Scheduler structures"; runtime/runtime2.go (type g, m, p); runtime/proc.go m0, g0
# declarations (m0 m; g0 g in the var block): proc.go:120-121 (1.22: :116-117)

code("""
import os

import pandas as pd
from IPython.display import Markdown

import gokit
from gokit import bench, lesson
from gokit.lesson import say, table

tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}")
gocache_before = gokit.gocache_size()  # to tell, at the end, what this lesson added to your GOCACHE
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

An ELF executable's header names one address, `e_entry`. When `execve` has mapped the file into a new process, the
kernel starts the program's first thread there. Read the header with
[pyelftools](https://github.com/eliben/pyelftools):
""")
# Evidence: the ELF header field e_entry (System V ABI); pyelftools ELFFile.header.

code("""
from elftools.elf.elffile import ELFFile

with open(hello.binary, "rb") as f:
    header = ELFFile(f).header
say(f"machine {header.e_machine}, entry point {header.e_entry:#x}")
""")

md("""
### Predict, then run

Which function's code starts at that address? `main.main`? `runtime.main`? Something else? Write its name as a
string, then run the cell: gokit looks the address up in the binary's symbol table.
""")

code("""
prediction = ...  # a function name, like "main.main"

chain = gokit.boot_chain(hello)
first_steps = table(chain.steps.head(3)[["function", "file", "line", "how"]])
lesson.exercise("05", "entry").check(prediction, chain.steps_list[0].function, evidence=first_steps)
""")

md("""
## Claim 10: does `runtime.main` call `schedinit`?

The article shows this as `runtime.main` (quoted as printed there):

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

main_code = chain.disassembly("runtime.main")
main_targets = set(main_code["target"])
calls_schedinit = any(t.startswith("runtime.schedinit") for t in main_targets)
called = sorted(set(main_code.loc[main_code.op == "CALL", "target"]) - {""})
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
lesson.fold(table(steps[["function", "starts_at", "how", "called_at"]]), f"all {len(steps)} steps")
""")

md("""
Every file name is relative to `GOROOT/src` of your Go, so you can open them; `chain.source(...)` prints numbered
lines of one. `runtime.rt0_go` is assembly. Here are the lines of it that call `schedinit`, create the first goroutine
and start the scheduler, from the line the diagram names for `schedinit` to the one it names for `mstart`:
""")

code("""
first, last = chain.step("runtime.schedinit").called_at, chain.step("runtime.mstart").called_at
print(chain.source(first, after=int(last.rsplit(":", 1)[1]) - int(first.rsplit(":", 1)[1])))
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
# Evidence: runtime/proc.go:177-181 (1.22: 170-174): if haveSysmon { systemstack(func() { newm(sysmon, nil, -1) }) };
# haveSysmon = GOARCH != "wasm" (proc.go:6532); proc.go:2868 "Create a new m. It will start off with a call to fn, or
# else the scheduler." (1.22: :2624); proc.go:6534 "Always runs without a P" (1.22: :5943).

code("""
print(chain.source("runtime.newm", before=7))
print()
print(chain.source("runtime.sysmon", before=3))
""")

md("""
So `sysmon` runs on a thread of its own, with no P: it never runs goroutines, it watches them (it retakes Ps stuck
in system calls, preempts long-running goroutines, polls the network when no one else does). What the article gets
wrong is the order and the owner; the cell below computes it from your binary:
""")
# Evidence: runtime/proc.go sysmon body: netpoll(0) :6622, retake(now) :6648 (1.22: :6030, :6071); "Always runs
# without a P" :6534.

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

The chain is found, not assumed, so it works for arm64 too. Build a small program for `linux/arm64`. A different
GOARCH means every package is compiled again (lesson 06 shows why), so this build uses a private, throwaway
[[build cache|gocache]] instead of yours; it takes a few seconds the first time, and gokit keeps the binary for later
runs.
""")
# Evidence: lesson 06 (GOARCH is an input of every package's cache key: `goarch amd64` in GODEBUG=gocachehash=1
# output); gokit.build(gocache=...) builds in the given cache and keeps the binary in gokit's (gokit/_build.py).

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
the Go version: in Go 1.22 the arm64 entry calls a function named plain `main`, which calls `rt0_go` by address;
gokit follows that too). From `rt0_go` on, the chain is the same Go code.
""")
# Evidence: go1.22.10 src/runtime/rt0_linux_arm64.s:8-11 (BL main(SB)) and :66-68 (TEXT main(SB); MOVD
# $runtime·rt0_go(SB), R2; BL (R2)); go1.27.3 rt0_linux_arm64.s:7-8 (JMP _rt0_arm64(SB)); tests/test_boot.py
# test_go122_arm64_enters_through_a_function_named_main (goldens of both); the rest of the chain: test_boot.py
# CORE order on both architectures.

md("""
## Another linker, another entry: cgo

A program that uses [[cgo]] (`import "C"`) is linked by the C toolchain, and then the C library's start-up code
runs first: the entry point is the C runtime's `_start`. Here is lesson 04's program with `add` written in C:
""")
# Evidence: cmd/link/internal/ld/config.go:208 (iscgo && externalobj -> external linking; 1.22: :205); the entry
# _start and its hand-over to __libc_start_main: shown live (gokit.boot_chain of the cgo binary; lesson 04 lists the
# binary's relocations naming __libc_start_main); Go's `main` for the C startup code: runtime/asm_amd64.s:20-24
# ("The C startup code will call the symbol "main" passing argc and argv in the usual C ABI registers DI and SI."),
# same lines in 1.22.

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
with_c = (gokit.build(CGO_SOURCE, cgo=True, progress=True)    # CGO_ENABLED=1 go build
          if gokit.c_compiler() else None)                    # None: no C compiler here
c_chain = gokit.boot_chain(with_c) if with_c is not None and tc.goarch == "amd64" else None
""")

code_hidden(lesson, """
if c_chain is None:
    say("No cgo chain here: " + ("no C compiler (go env CC names none on your PATH)." if with_c is None else
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
itself imports* that have init work. Then it starts the garbage collector's background workers (`gcenable`). Then
the list for everything else, `go:main.inittasks`, in which the linker puts a package's imports first and otherwise
goes alphabetically. In `runtime.main`:
""")
# Evidence: runtime/proc.go:207 `doInit(runtime_inittasks)`, :217 `gcenable()`, :269 `doInit(m.inittasks)` per
# module (1.22: :200, :210, :253). doInit (proc.go:8119-8123; 1.22: :7141-7145) loops over the tasks calling doInit1
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
print("\\n".join(trace.attrs["stderr"].splitlines()[:4]))
""")

md("""
`@` is when the task started, counted from `runtimeInitTime`, which `runtime.main` sets just before the first init
task; `clock` is how long its functions ran. `gokit.inittrace` turns the lines into a table, one row per line:
""")

code("""
table(trace.drop(columns="run"))
""")

code("""
same_order = list(trace["package"]) == list(chain.inits)
say("The same packages, in the same order, as the init tasks listed in the binary: "
    + ("yes." if same_order else "no (see the two lists above)."))
""")

md("""
The runtime truncates these times: below 10 ms to two significant digits (at most three decimals, so 0.066 or 1.9;
under a microsecond it prints 0), from 10 ms up to whole milliseconds. Find the instruction that sets
`runtimeInitTime` in `runtime.main`:
""")
# Evidence: runtime/proc.go:197 `runtimeInitTime = nanotime()` (1.22: :190); runtime/mgc.go:2233-2250 fmtNSAsMS
# (whole ms from 10e6 ns; two digits, at most three decimals, below; "0" below 1 µs); 1.22: mgc.go:1727-1744.

code("""
main_code = chain.disassembly("runtime.main")
store = main_code[main_code["target"] == "runtime.runtimeInitTime"]
if store.empty:
    say("This binary names no runtime.runtimeInitTime in runtime.main's instructions.")
else:
    first_store = store.iloc[0]
    print(f"{first_store['op']} {first_store['args']}")
    print(chain.source(f"{chain.step('runtime.main').file}:{first_store['line']}"))
""")

md("""
Everything the boot chain did before that instruction, `schedinit` included, happened before `@0`.

## A heavy init

A package variable whose value needs code to compute is set at start-up, by the package's init task. Not every
function call needs code at start-up: a small call the compiler can inline and evaluate while compiling becomes
plain data — that is how `fmt`'s `var errComplex = errors.New("...")` costs nothing at start-up. A loop it cannot
run ahead of time does need code. This program computes the primes below two million before `main` runs:
""")
# Evidence: cmd/compile/internal/pkginit/init.go:22-25 ("Initialize all the variables that have initializers") and
# :88-107 (staticinit); staticinit/sched.go:501 case ir.OINLCALL -> staticAssignInlinedCall :585 (1.22: :454, :538);
# fmt/scan.go:465 (errComplex); the fmt exercise above shows fmt has no init task to run.

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
row = heavy_trace[heavy_trace["package"] == "main"].iloc[0]
say(f"init main: {row.clock_ms:g} ms, {row.bytes:,} bytes in {row.allocs} allocations.")
""")

md("""
## Benchmark: what a start costs, and what the init adds

Start each binary many times, interleaved (`gokit.bench.compare` spawns the process and waits for it, like
`hyperfine -N`), and time the `main` init of the heavy one with `inittrace` over as many runs. Your machine (a load
average near or above the number of CPUs makes every number slower and noisier):
""")

code("""
say(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
starts = bench.compare({"hello": [str(hello.binary)], "heavy init": [str(heavy.binary)]},
                       runs=bench.runs(30), warmup=3)
lesson.bench_table(starts, columns=("median", "interval", "ratio", "runs", "system CPU"),
                   label="binary started")
""")

code("""
starts.plot()
""")

md("""
The runtime's own timing of `init main`, run by run. From 10 ms up the runtime prints whole milliseconds, so those
values come in steps of 1 ms: the interval below cannot be finer than that.
""")

code("""
init_runs = gokit.inittrace(heavy, runs=bench.runs(20))
init_ms = init_runs.loc[init_runs["package"] == "main", "clock_ms"].tolist()
init_cost = bench.BenchResult.from_samples({"init main (GODEBUG=inittrace=1)": init_ms}, unit="ms")
lesson.bench_table(init_cost, columns=("median", "interval", "runs"),
                   label="what the runtime timed", conclusion=False)
""")

code_hidden(lesson, """
s = starts.summary
fmt = bench.fmt_seconds
extra = s.loc["heavy init", "median"] - s.loc["hello", "median"]
init_med, init_lo, init_hi, kind = bench.median_interval(init_ms)
whole = sum(v >= 10 for v in init_ms)
lines = [
    f"A hello world starts and exits in **{fmt(s.loc['hello', 'median'])}**, the heavy one in "
    f"**{fmt(s.loc['heavy init', 'median'])}**: {fmt(extra)} more (the difference of the medians).",
    f"The runtime timed `init main` at **{init_med:g} ms** (interval {init_lo:g}–{init_hi:g} ms, {len(init_ms)} runs; "
    f"{whole} of them at 10 ms or more, printed in whole milliseconds).",
]
share = init_med / 1000 / extra if extra > 0 else float("nan")
if 0 < share <= 1.2:
    lines.append(f"The init's own time is {share:.0%} of the extra start-up time; the rest is the process itself "
                 "(memory to map and give back, the exit)." if share < 0.95 else
                 f"The init's own time is about all of the extra start-up time ({share:.0%}: the two figures come "
                 "from different runs, so they need not add up exactly).")
    sys_hello, sys_heavy = s.loc["hello", "sys_median"], s.loc["heavy init", "sys_median"]
    if sys_heavy > sys_hello:
        lines.append(f"The heavy process also spent {fmt(sys_heavy)} of CPU time in the kernel (the system CPU "
                     f"column) against {fmt(sys_hello) if sys_hello else 'none measured'} for hello: its init allocated {row.bytes / 1e6:.1f} MB, fresh "
                     "memory the kernel had to map for it.")
else:
    lines.append("The two were measured in separate runs and do not line up here: the machine was too busy for a "
                 "clean comparison. Run the two cells again when it is quieter.")
display(Markdown("\\n".join("* " + line for line in lines)))
""")

code("""
grown = gokit.gocache_size() - gocache_before
say(f"Your GOCACHE grew by {bench.fmt_bytes(max(grown, 0))} while this lesson ran (the arm64 "
    "build used a private cache that is gone; Go commands run meanwhile count too).")
""")

md("""
## What you saw
""")

code_hidden(lesson, """
callers = chain.callers("runtime.schedinit")
lines = [
    f"The kernel started this program at `{chain.steps_list[0].function}`, the symbol at the ELF entry point "
    f"({chain.entry:#x}), not at `main.main`; `main.main` was step {len(chain.steps_list) - 1} of the chain.",
    f"`schedinit` was called from `{', '.join(callers['caller'])}` only, on thread m0, before `newproc` created the "
    "goroutine that runs `runtime.main`.",
    f"`runtime.main` gave `sysmon` a new thread with `newm` (`{chain.step('runtime.newm').called_at}`); nothing "
    "calls `sysmon` directly.",
    f"`GODEBUG=inittrace=1` printed {len(trace)} lines for hello world, the init tasks the binary lists, in their "
    f"order, the runtime's own ({chain.runtime_inits}) first; the heavy program's `init main` took {init_med:g} ms "
    f"(median of {len(init_ms)} runs) and its start {bench.fmt_seconds(extra)} more than hello's.",
]
if with_c is not None:
    lines.insert(1, f"The cgo build started at `{gokit.link_check(with_c).entry_symbol}`, the C runtime's entry, and "
                    "reached `runtime.rt0_go` through Go's `main`.")
display(Markdown("\\n".join("* " + line for line in lines)))
""")

lesson.further_reading()

next_lesson(lesson, "06", "what decides how much `go build` has to redo")

lesson.write()
