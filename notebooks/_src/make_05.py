"""Generate notebooks/05-process-start.ipynb (outputs cleared). Run: python notebooks/_src/make_05.py

Evidence for each sentence about Go is the comment next to it: a Go source file:line (Go 1.27.3 first, Go 1.22.10
where it differs) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson

lesson = Lesson("05-process-start.ipynb", budget_seconds=90)
md, code = lesson.md, lesson.code


md("""
# 05 — Process start: from the ELF entry point to `main.main`

`go build` wrote an executable; now the kernel starts it. Your `main.main` is far from the first code
that runs. In this lesson you find, in your own binary:

* the **entry point**, the address the kernel starts at, read from the ELF header;
* the **boot chain** through the runtime's assembly and Go code to `runtime.main`, found in the machine code
  with `go tool objdump`, each step with the file and line of `GOROOT/src` you can open;
* **who runs what**: thread [[m0|m0-g0]] before any goroutine exists, the main goroutine, and `sysmon` on a thread of
  its own;
* every package's **init**, timed by the runtime itself (`GODEBUG=inittrace=1`);
* a benchmark: how long a start takes, and what a heavy `init` adds to it.

The article this kit answers, *Go不编译能运行吗?——从go run到go build的7步执行流拆解* ("Can Go run without
compiling? The 7-step flow from go run to go build"), shows a `runtime.main` that calls `schedinit()` and
`sysmon()` itself. This lesson checks that, its **claim 10**, against your binary. The article is quoted here,
not endorsed.
""")

code("""
import os

import pandas as pd
from IPython.display import HTML, Markdown, display

import gokit
from gokit import bench, lesson

tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}")
gocache_before = gokit.gocache_size()  # to report, at the end, what this lesson added to your build cache
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
print(f"the hello world binary: {hello.size:,} bytes")
''')

md("""
## Where the kernel starts

An ELF executable's header names one address, `e_entry`. When `execve` has mapped the file into a new process,
the kernel starts the program's first thread there. Read the header with
[pyelftools](https://github.com/eliben/pyelftools):
""")
# Evidence: the ELF header field e_entry (System V ABI); pyelftools ELFFile.header.

code("""
from elftools.elf.elffile import ELFFile

with open(hello.binary, "rb") as f:
    header = ELFFile(f).header
print(f"machine {header.e_machine}, entry point {header.e_entry:#x}")
""")

md("""
### Predict, then run

Which function's code starts at that address? `main.main`? `runtime.main`? Something else? Write its name as a
string, then run the cell: gokit looks the address up in the binary's symbol table.
""")

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
# Evidence: runtime/rt0_linux_amd64.s:7-8 `TEXT _rt0_amd64_linux(SB)... JMP _rt0_amd64(SB)`.

code("""
prediction = ...  # a function name, like "main.main"

chain = gokit.boot_chain(hello)
lesson.exercise("05", "entry").check(prediction, chain.steps_list[0].function)
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

In the `runtime.main` of your binary, is there a call to `runtime.schedinit`? Answer `True` or `False`; the
cell looks through every instruction of `runtime.main` as `go tool objdump` prints it.
""")

lesson.exercise(
    "schedinit",
    question="Does runtime.main, in your binary, call runtime.schedinit?",
    hint="runtime.main runs as a goroutine, and goroutines need a scheduler that is already set up. Which code "
         "runs before any goroutine exists?",
    solution="No. runtime.rt0_go calls schedinit (through its ABI wrapper), on thread m0, before newproc has even "
             "created the goroutine that will run runtime.main.",
    reveals=[r"rt0_go\W+(?:→|->|calls?)\W+(?:runtime\.)?schedinit",
             r"schedinit[^.\n]{0,60}\bbefore\b[^.\n]{0,40}runtime\.main"],
)

code("""
prediction = ...  # True or False

main_targets = set(chain.disassembly("runtime.main")["target"])
lesson.exercise("05", "schedinit").check(prediction, any(t.startswith("runtime.schedinit") for t in main_targets))
""")

md("""
## The boot chain, found in your binary

`gokit.boot_chain` starts at that symbol and follows the machine code, as `go tool objdump` prints it, from
call to call. Some calls pass a *function value* instead of naming a function (the goroutine `newproc` is
asked to create, the function a new thread starts with, the call of your `main.main`); for those gokit reads
the 8 bytes the value points at and names the function stored there. Read the diagram top to bottom: an arrow
leads to the step that runs next, the third line of each box says how that step is reached, and the dashed
boxes group the steps by who runs them:
""")

code("""
chain
""")

md("""
Each box names the function, the line of `GOROOT/src` where its code starts, and the instruction (`CALL` or
`JMP`) that reaches it, in which function, at which line. The same steps as a table:
""")

code("""
steps = chain.steps
table = steps.assign(starts_at=steps["file"] + ":" + steps["line"].astype(str))[
    ["function", "starts_at", "how", "called_at"]].to_html(index=False, border=0)
HTML(f"<details><summary>all {len(steps)} steps (click to open)</summary>{table}</details>")
""")

md("""
Every file name is relative to `GOROOT/src` of your Go, so you can open them. This helper prints a few
numbered lines of one:
""")

code("""
def show_source(site, before=0, after=0):
    \"\"\"Print lines of a GOROOT/src file around `file:line`.\"\"\"
    file, line = site.rsplit(":", 1)
    lines = (tc.goroot / "src" / file).read_text().splitlines()
    for n in range(int(line) - before, int(line) + after + 1):
        print(f"{file}:{n:<5} {lines[n - 1]}")
""")

md("""
`runtime.rt0_go` is assembly. Here are the lines of it that call `schedinit`, create the first goroutine and
start the scheduler, from the line the diagram names for `schedinit` to the one it names for `mstart`:
""")

code("""
first = chain.step("runtime.schedinit").called_at
last = chain.step("runtime.mstart").called_at
show_source(first, before=0, after=int(last.rsplit(":", 1)[1]) - int(first.rsplit(":", 1)[1]))
""")

md("""
Read it with the diagram: `schedinit` sets up the memory allocator, the command line and environment, the
GC's parameters and [[the Ps|pmg]] (one per `GOMAXPROCS`) while only the first thread, **m0**, exists, running on its system stack **g0**. `newproc` is
handed `runtime.mainPC`, a function value holding `runtime.main`: it creates the *main goroutine* but does not
run it. `mstart` never returns: it enters the scheduler (`schedule` → `execute` → `gogo`), which picks the only
runnable goroutine and jumps into it. Only then does `runtime.main` run.
""")
# Evidence: runtime/asm_amd64.s:340-351 (1.27; 349-360 in 1.22): CALL schedinit, "create a new goroutine to start
# program", MOVQ $runtime·mainPC, CALL newproc, "start this M", CALL mstart, "mstart should never return";
# runtime/proc.go:844 schedinit: mallocinit (:890), goargs/goenvs (:902-903), gcinit (:912), procresize (:949);
# proc.go:1955 mstart1 -> schedule;
# proc.go:3397 execute -> gogo(&gp.sched).

md("""
You have seen the answer in the diagram: `schedinit` is called from `rt0_go`. Is that the only caller? Search
every function of the runtime in your binary (one `go tool objdump` of them all; it
takes a few seconds the first time):
""")

code("""
chain.callers("runtime.schedinit").style.hide(axis="index")
""")

md("""
A single call site, in `rt0_go` (through `schedinit`'s [[ABI|abi]] wrapper, which only converts the calling
convention from assembly's to Go's). And `sysmon`? Nothing calls it at all:
""")
# Evidence: the callers table of the cell above and below (computed from the binary).

code("""
print(f"calls of runtime.sysmon in the runtime: {len(chain.callers('runtime.sysmon'))}")
show_source(chain.step("runtime.newm").called_at, before=2, after=2)
""")

md("""
`runtime.main` hands `sysmon` to `newm` as a function value, inside `systemstack` (which runs it on the
thread's own stack). `newm` creates an M: a new OS thread that starts by calling `sysmon`. The runtime's own
comments say what that thread is:
""")
# Evidence: runtime/proc.go:176-180 (1.27; 169-173 in 1.22 with `if GOARCH != "wasm"`): systemstack(func() {
# newm(sysmon, nil, -1) }); proc.go:2868 "Create a new m. It will start off with a call to fn, or else the
# scheduler."; proc.go:6534 "Always runs without a P".

code("""
for fn, n in (("runtime.newm", 7), ("runtime.sysmon", 3)):
    s = chain.step(fn)
    show_source(f"{s.file}:{s.line}", before=n, after=0)
    print()
""")

md("""
So `sysmon` runs on a thread of its own, with no P: it never runs goroutines, it watches them (it retakes Ps
stuck in system calls, preempts long-running goroutines, polls the network when no one else does). What the
article gets wrong is the order and the owner, and the cells above computed it from your binary:
""")
# Evidence: runtime/proc.go:6563 (sysmon: "retake P's from syscalls, preempt long running G's"), :6622 netpoll(0),
# :6646 retake(now); (was: sysmon body: retake(now) ("retake P's blocked in syscalls and preempt long running
# G's"), netpoll; proc.go:6534 "Always runs without a P".

code("""
rt0 = chain.disassembly("runtime.rt0_go").reset_index(drop=True)  # instructions in address order
at = {t.removesuffix(".abi0"): i for i, t in rt0["target"].items() if t}
lines = [
    f"* `runtime.main` calls `schedinit`: **{any(t.startswith('runtime.schedinit') for t in main_targets)}**. "
    f"`rt0_go` calls it at `{chain.step('runtime.schedinit').called_at}`"
    + (", before its call of `newproc` creates the goroutine that will run `runtime.main`."
       if at["runtime.schedinit"] < at["runtime.newproc"] else "."),
    f"* `runtime.main` does start `sysmon`, but not by calling it: `newm(sysmon, ...)` at "
    f"`{chain.step('runtime.newm').called_at}` gives it a new thread.",
]
display(Markdown("\\n".join(lines)))
""")

md("""
## Another architecture, another entry

The chain is found, not assumed, so it works for arm64 too. Build a small program for `linux/arm64`. A
different GOARCH means every package is compiled again (lesson 06 shows why), so this build uses a private,
throwaway [[build cache|gocache]] instead of yours; it takes a few seconds.
""")
# Evidence: lesson 06 (GOARCH is an input of every package's cache key: `goos linux goarch amd64` in
# GODEBUG=gocachehash=1 output).

code('''
import shutil
import tempfile
from pathlib import Path

SMALL = """package main

func main() { println("hello from arm64") }
"""
arm_dir = Path(tempfile.mkdtemp(prefix="gokit-lesson05-"))
with gokit.scratch_gocache() as scratch:
    arm_build = gokit.build_graph(SMALL, goarch="arm64", gocache=scratch, output=arm_dir / "hello-arm64")
arm = gokit.boot_chain(arm_dir / "hello-arm64")
shutil.rmtree(arm_dir)
print(arm_build.summary())
''')

code("""
pd.DataFrame({
    f"{tc.goos}/{tc.goarch}": [s.function for s in chain.steps_list[:4]],
    "linux/arm64": [s.function for s in arm.steps_list[:4]],
}, index=["entry point", "then", "then", "then"])
""")

md("""
The entry symbol names the architecture and the operating system, and the way to `rt0_go` depends on both (and
on the Go version: in Go 1.22 the arm64 entry calls a function named plain `main`, which calls `rt0_go` by
address; gokit follows that too). From `rt0_go` on, the chain is the same Go code.
""")
# Evidence: go1.22.10 src/runtime/rt0_linux_arm64.s:8-11 (BL main(SB)) and :66-68 (TEXT main(SB); MOVD
# $runtime·rt0_go(SB), R2; BL (R2)); go1.27.3 rt0_linux_arm64.s:7-8 (JMP _rt0_arm64(SB)); tests/test_boot.py
# test_go122_arm64_enters_through_a_function_named_main (goldens of both); the rest of the chain: test_boot.py
# CORE order on both architectures.

md("""
## Package inits

Before it calls `main.main`, `runtime.main` runs every package's init tasks: first the runtime's own, then the
others in the order the linker wrote them into the binary, a list called `go:main.inittasks`. The linker
orders them so that a package's imports come first, and otherwise alphabetically. For your hello world:
""")
# Evidence: runtime/proc.go:207 doInit1(runtime_inittasks), :270-277 doInit(m.inittasks) per module;
# cmd/link/internal/ld/inittask.go:36-39 ("orders the inittasks in lexicographic order" respecting dependencies);
# gokit reads go:runtime.inittasks and go:main.inittasks (gokit/_boot.py init_order).

code("""
print(f"{len(chain.inits)} init tasks, {chain.runtime_inits} of them the runtime's own")
""")

md("""
### Predict, then run

Your program imports `fmt`, and `fmt` imports many of these. Is `fmt` itself in the list of packages whose
init runs? Answer `True` or `False`.
""")

lesson.exercise(
    "fmt-init",
    question="Your program imports fmt. Is fmt among the packages whose init task runs at start-up?",
    hint="A package is in the list only if it has init functions to run: an init() of its own, or package "
         "variables that need code to set them at start-up.",
    solution="No. fmt has nothing left to run at start-up: its package variables are laid out as data, so its "
             "init task has no functions, and the linker leaves such tasks out of the list.",
    reveals=[r"\bfmt\b[^.\n]{0,60}\bno init",
             r"\binit tasks?\b[^.\n]{0,60}\bno functions\b",
             r"\binit order\b"],
)
# Evidence: cmd/compile/internal/pkginit/init.go:20-26 (a task holds deps and fns), :120-121; cmd/link/internal/ld/
# inittask.go:161-162 "don't add s if it has no functions to run".

code("""
prediction = ...  # True or False

lesson.exercise("05", "fmt-init").check(prediction, "fmt" in chain.inits)
""")

md("""
The list, in the order the runtime runs it:
""")

code("""
print(", ".join(chain.inits))
""")

md("""
## `GODEBUG=inittrace=1`: the runtime times every init

With this setting the runtime prints one line per init task it runs: when it started, how long it took, and
what it allocated. `gokit.inittrace` runs the program that way and turns the lines into a table, one row per
line printed:
""")
# Evidence: runtime/proc.go:8157-8171 (doInit1 prints "init PKG @T ms, T ms clock, N bytes, N allocs").

code("""
trace = gokit.inittrace(hello)
trace.drop(columns="run").style.hide(axis="index").format({"start_ms": "{:g}", "clock_ms": "{:g}"})
""")

code("""
print("the same packages, in the same order, as the init tasks listed in the binary:",
      list(trace["package"]) == list(chain.inits))
""")

md("""
`start_ms` counts from `runtimeInitTime`, which `runtime.main` sets just before the first init task; the runtime
prints two significant digits. Find the instruction that sets it in `runtime.main`:
""")
# Evidence: runtime/proc.go:197 `runtimeInitTime = nanotime()` (190 in 1.22); runtime/mgc.go:2233 fmtNSAsMS
# ("two digits of precision").

code("""
main_code = chain.disassembly("runtime.main")
store = main_code[main_code["target"] == "runtime.runtimeInitTime"]
if store.empty:
    print("this binary names no runtime.runtimeInitTime in runtime.main's instructions")
else:
    first_store = store.iloc[0]
    print(f"{first_store['op']} {first_store['args']}")
    show_source(f"{chain.step('runtime.main').file}:{first_store['line']}")
""")

md("""
Everything the boot chain did before that, `schedinit` included, happened before `@0`.

## A heavy init

A package-level variable set by a function call is initialised at start-up, by the package's init task. This
program computes the primes below two million before `main` runs:
""")
# Evidence: cmd/compile/internal/pkginit/init.go:22-25 ("Initialize all the variables that have initializers").

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
heavy = gokit.build(HEAVY)
heavy_trace = gokit.inittrace(heavy)
gokit.plot_inittrace(heavy_trace)
''')

code("""
row = heavy_trace[heavy_trace["package"] == "main"].iloc[0]
print(f"init main: {row.clock_ms:g} ms, {row.bytes:,} bytes in {row.allocs} allocations")
""")

md("""
## Benchmark: what a start costs, and what the init adds

Start each binary many times, interleaved (`gokit.bench.compare` spawns the process and waits for it, like
`hyperfine -N`), and time the `main` init of the heavy one with `inittrace` over as many runs. Your machine
(a load average near or above the number of CPUs makes every number slower and noisier):
""")

code("""
print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
""")

code("""
starts = bench.compare({"hello": [str(hello.binary)], "heavy init": [str(heavy.binary)]},
                       runs=bench.runs(40), warmup=3)
starts
""")

code("""
starts.plot()
""")

code("""
init_runs = gokit.inittrace(heavy, runs=bench.runs(20))
init_ms = init_runs.loc[init_runs["package"] == "main", "clock_ms"].tolist()
init_cost = bench.BenchResult.from_samples({"init main (inittrace)": init_ms}, unit="ms")
init_cost
""")

code("""
s = starts.summary
extra = s.loc["heavy init", "median"] - s.loc["hello", "median"]
init_med, init_lo, init_hi, kind = bench.median_interval(init_ms)
fmt = bench.fmt_seconds


def ci(label):
    return f"{s.loc[label, 'interval']} {fmt(s.loc[label, 'ci_low'])}–{fmt(s.loc[label, 'ci_high'])}"


lines = [
    f"* A hello world starts and exits in **{fmt(s.loc['hello', 'median'])}** ({ci('hello')}), the heavy one "
    f"in **{fmt(s.loc['heavy init', 'median'])}** ({ci('heavy init')}): {fmt(extra)} more, the difference of "
    "the medians.",
    f"* The runtime timed `init main` at **{init_med:g} ms** ({kind} {init_lo:g}–{init_hi:g} ms, "
    f"{len(init_ms)} runs).",
]
share = init_med / 1000 / extra if extra > 0 else float("nan")
if 0 < share <= 1.2:
    lines.append(f"* The init's own time is {share:.0%} of the extra start-up time.")
    kernel = s.loc["heavy init", "sys_median"] - s.loc["hello", "sys_median"]
    if kernel > 0:
        lines.append(f"* The heavy process also spent {fmt(kernel)} more CPU time in the kernel (the `sys` "
                     f"column) than hello: its init allocated {row.bytes / 1e6:.1f} MB, fresh memory the "
                     "kernel had to map for it.")
else:
    lines.append("* The two were measured in separate runs and do not line up here: the machine was too busy "
                 "for a clean comparison. Run the two cells again when it is quieter.")
display(Markdown("\\n".join(lines)))
""")

code("""
grown = gokit.gocache_size() - gocache_before
print(f"Your GOCACHE grew by {bench.fmt_bytes(max(grown, 0))} while this lesson ran (the arm64 build used a private "
      "cache that is gone; other Go commands running at the same time count too).")
""")

md("""
## What you saw
""")

code("""
callers = chain.callers("runtime.schedinit")
display(Markdown(f\"\"\"
* The kernel started this program at `{chain.steps_list[0].function}`, the symbol at the ELF entry point
  ({chain.entry:#x}), not at `main.main`; `main.main` was step {len(chain.steps_list) - 1} of the chain.
* `schedinit` was called from `{", ".join(callers["caller"])}` only, on thread m0, before `newproc` created
  the goroutine that runs `runtime.main`; `runtime.main` calls it: **{any(t.startswith("runtime.schedinit")
  for t in main_targets)}** (claim 10).
* `runtime.main` gave `sysmon` a new thread with `newm` (`{chain.step("runtime.newm").called_at}`); nothing
  calls `sysmon` directly.
* `GODEBUG=inittrace=1` printed {len(trace)} rows for hello world, the init tasks the binary lists, in their
  order; the heavy program's `init main` took {init_med:g} ms (median of {len(init_ms)} runs) and its start
  {fmt(extra)} more than hello's.
\"\"\"))
""")
lesson.cells[-1].metadata["jupyter"] = {"source_hidden": True}  # prose computed from this run's measurements

lesson.myth_check(10)
lesson.further_reading()

md("""
Next: what decides how much `go build` has to redo, in
[06 — go build: the cache, targets and linker flags](06-go-build.ipynb).
""")

lesson.write()
