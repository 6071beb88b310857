"""Generate notebooks/07-benchmarks-lab.ipynb (outputs cleared). Run: python notebooks/_src/make_07.py

Evidence for the sentences about Go (Go 1.27.3; Go 1.22.10 agrees unless said):
- MemProfileRate: GOROOT/src/runtime/mprof.go:856-870 ("one allocation per MemProfileRate bytes", default
  512 * 1024, "To include every allocated block in the profile, set MemProfileRate to 1"; 1.22: :816-830).
  There is no runtime.SetMemProfileRate: `grep -rn "func SetMemProfileRate" GOROOT/src/runtime` finds nothing
  (checked live in the lesson too).
- WriteHeapProfile = Lookup("heap").WriteTo(w, 0): runtime/pprof/pprof.go:605-607 (1.22: :558-560).
- "The heap profile reports statistics as of the most recently completed garbage collection ... If there has
  been no garbage collection at all, the heap profile reports all known allocations": pprof.go:125-130.
- Heap sample types alloc_space / inuse_space ...: runtime/pprof/protomem.go:21-23.
- The CPU profiler samples at 100 Hz: runtime/pprof/pprof.go:895 `const hz = 100` (1.22: :821), so a CPU profile
  counts CPU time in steps of 10 ms.
- The compiler's -cpuprofile: cmd/compile/internal/base/flag.go:94; the linker's: cmd/link/internal/ld/main.go:116.
- go build passes the compiler -c=N (functions compiled side by side) when N > 1: cmd/go/internal/work/gc.go:133
  (1.22: :130); N comes from compilerConcurrency (gc.go:184; in 1.22 gcBackendConcurrency, gc.go:183).
- runtime.asyncPreempt: "asyncPreempt saves all user registers and calls asyncPreempt2" (runtime/preempt.go:295;
  1.22: :292): the call the runtime injects with a signal to preempt a goroutine; a profile's stack through it
  continues into the interrupted function, so the phase table charges its samples to that function's phase.
- SSA passes: cmd/compile/internal/ssa/compile.go `var passes = [...]pass{` lists 59 in 1.27.3 (one more commented out), 53 in 1.22.10.
- go run starts the program as a child and waits: cmd/go/internal/run/run.go:204-214, base/base.go:222-238 (lesson 00).
- The package directory is part of a package's build cache key unless -trimpath: cmd/go/internal/work/exec.go:302
  `fmt.Fprintf(h, "dir %s\\n", p.Dir)` (1.22: :271); lesson 06 shows it with GODEBUG=gocachehash=1.
- Which packages a warm build recompiles after an edit: measured live with `go build -v` (the lesson counts the
  names -v prints; an unexported constant appended to a package recompiled it and its direct importers only:
  an import enters a key as the hash of the imported package's output, exec.go:434; lesson 06's chain).
- `go tool pprof -top -` answers `stat -: no such file or directory` (pprof reads files and URLs, not stdin);
  `go tool pprof` on `perf script` text: "parsing profile: unrecognized profile format"; on perf.data it needs
  perf_to_profile: all checked live in the lesson (perf 6.1 here).
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("07-benchmarks-lab.ipynb", budget_seconds=60)
md, code = lesson.md, lesson.code
lesson.myth_heading = True  # the myth-check boxes stand next to the cells that check their claims

lesson.exercise(
    "biggest-allocator",
    question="Which function of the program allocates the most bytes: words, count, concat or build?",
    hint="A Go string is immutable: what does `s += w` have to do each time round the loop?",
    solution="concat: `s += w` allocates a new string and copies everything so far into it, on every "
             "iteration, so the bytes allocated grow with the square of the result's length. strings.Builder "
             "(build) grows its buffer geometrically instead.",
    reveals=[r"\bconcat\b[^.\n]{0,60}\b(?:allocates? the most|most bytes|quadratic)",
             r"s \+= w[^.\n]{0,80}\b(?:copies|allocates)\b"],
)
lesson.exercise(
    "hottest-phase",
    question="Compiling net/http, which phase takes the largest share of the compiler's CPU time: "
             "'parsing', 'type checking', 'IR: inlining, escape analysis, walk', 'SSA' or 'code generation'?",
    hint="Each file is parsed and type-checked once; after that every function is rewritten by pass after pass "
         "of the optimiser.",
    solution="SSA: building SSA and running more than fifty passes over every function "
             "costs far more than reading and type-checking the source once. Parsing is a small share; "
             "the phase table after the check shows yours.",
    reveals=[r"\bSSA\b[^.\n]{0,40}\b\d+ ?%",
             r"\bSSA\b[^.\n]{0,40}\b(?:largest|dominates|most of)\b"],
)
lesson.exercise(
    "text-edit",
    question="In the warm checkout, a commit edits package `text` (it adds an unexported constant). How many of the "
             "module's five packages does `go build` compile?",
    hint="`text` is imported by `money` and `store`; `report` imports `store` and `money`, and `main` imports "
         "`report`. A package's action ID holds the content ID of each package it imports (lesson 06).",
    solution="3: `text` itself and its direct importers `money` and `store`, whose action IDs hold `text`'s content "
             "ID. Their own outputs come out the same, so `report` and `main` keep their action IDs and come from "
             "the cache.",
    reveals=[r"shop/text\b[^\n]{0,40}\b3\b",
             r"\btext\b[^.\n]{0,80}\bdirect importers\b",
             # a reader found this before the guess: the range of what an edit compiles (text is the top of it)
             r"\b(?:one|1) to (?:three|3)(?: packages)?\b[^.\n]{0,20}\bcompiled\b",
             r"\bcompiles? (?:one|1) to (?:three|3) packages\b"],
)

md("""
# 07 — The benchmarks lab: measuring start-up, heap and CPU profiles, a CI simulation

The article lesson 00 introduced closes with a chapter of benchmarks: a start-up table, a heap-profile recipe, a
`perf` recipe for profiling the compiler, and CI statistics. Its start-up numbers are measured inside `main`
(after start-up is over), its CI numbers come from a Maven build of a Java project, and two of its recipes do
not work. This lab does the same experiments for real, on your machine, with statistics:

* **how start-up is measured** (claim **4**): [lesson 00](00-go-run-is-go-build.ipynb) timed `go run`, `go build`
  and the binary with gokit's timer; here an independent timer, hyperfine, times the same commands beside it;
* a **heap profile** written with `runtime/pprof` and read with `go tool pprof`: what allocates, and where;
* a **CPU profile of the compiler** compiling `net/http`, grouped by compiler phase, and of the linker;
* the article's profiling recipes, tried live (claim **14**);
* and, to close, a **CI simulation**: warm builds against builds in a new checkout directory, with the
  [[intervals|median-interval]] of their medians, a histogram and an [[ECDF|ecdf]].
""")

lesson.objectives(
    "check a timer against an independent one, and say what two overlapping intervals do and do not show;",
    "write a heap profile from a program and read which lines allocate (`go tool pprof -sample_index`);",
    "profile the compiler and the linker with their own `-cpuprofile` flag and group the samples by phase;",
    "set up a CI comparison with medians and intervals instead of means, and read a histogram and an ECDF.",
)

code_hidden(lesson, """
import os
import re
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson
from gokit.lesson import table

tc = gokit.toolchain()
cpus, load = os.cpu_count(), os.getloadavg()[0]
print(f"go{tc.version} on {tc.goos}/{tc.goarch}; {cpus} CPUs, load average {load:.2f}")
if bench.fast():
    print("GOKIT_FAST is set: every benchmark takes fewer runs (wider intervals)")
size, ms = bench.fmt_bytes, bench.fmt_seconds
work = lesson.scratch("lesson07")   # a folder of its own, removed when the kernel stops
""")

md("""
A load average near or above the number of CPUs means other programs compete with the benchmarks below:
expect wider intervals, and compare ratios rather than absolute times.

## 1. Measuring start-up (claim 4)

The article's start-up table says `go run main.go` takes 1,248,392 ns and `go build && exec`
427,156 ns. Its method: call `time.Now().UnixNano()` as the first line of `main` and print it. That
timestamp is taken *after* the process has started (and, for `go run`, after the go command has done its
work), so it cannot measure start-up at all. Start-up is measured from the outside, as a shell user waits for
a process: lesson 00 did that with gokit's timer (`posix_spawn`, then wait for the process), interleaving the
commands and reading the median of each with its interval.

Is gokit's timer right? [hyperfine](https://github.com/sharkdp/hyperfine) is an independent one; with `-N` it
starts commands without a shell, as gokit does. Each command here is timed by both, in short alternating blocks
(hyperfine, gokit, hyperfine, gokit, ...), so that whatever else the machine is doing hits both alike: the binary,
and a warm `go run .` of the same hello world.
""")

code('''
HELLO = """package main

import "fmt"

func main() {
	fmt.Println("hello, gopher")
}
"""
hello = work / "hello"
hello.mkdir()
(hello / "main.go").write_text(HELLO)
(hello / "go.mod").write_bytes(gokit.package(HELLO, toolchain=tc).gomod)
gokit.exec_file(str(tc.go), ["build", "-o", "hello", "."], cwd=hello, env=tc.env(), timeout=300)
commands = {
    "exec of the binary": bench.Cmd([str(hello / "hello")], env=tc.env(), cwd=hello),
    "go run . (warm)": bench.Cmd([str(tc.go), "run", "."], env=tc.env(), cwd=hello),
}
''')

code("""
if shutil.which("hyperfine"):
    # 2 blocks of 10 runs per timer and command: 20 runs each, enough for a 95% interval of the median
    timers = lesson.timer_check(commands, rounds=2, runs=bench.runs(10, fast_n=4))
    for label, result in timers.items():
        display(Markdown(f"**{label}**"), lesson.bench_table(result, label="timer", conclusion=False))
else:
    timers = {}
    lesson.say("hyperfine is not installed here (apt-get install hyperfine): there is no "
               "independent timer to check gokit's against on this machine.", width=90)
""")

code_hidden(lesson, """
if not timers:
    display(Markdown("No independent timer here: install hyperfine and run this section again."))
else:
    notes = []
    # On a machine busier than its CPUs the runs scatter so widely (a reader saw hyperfine's interval 1.28-9.19 ms)
    # that the check proves nothing either way: say so, instead of a ratio beside "cannot tell them apart".
    load, was_busy = max(r.load or 0 for r in timers.values()), lesson.busy(*timers.values())
    if was_busy:
        notes.append(f"* **No verdict on this run**: the machine was busier than its CPUs (load average {load:.1f} on "
                     f"{os.cpu_count()} CPUs), and other programs scattered both timers' runs too widely to check "
                     "one against the other. Run this cell again when the machine is quiet.")
    for label, result in timers.items():
        t = result.summary
        a, b = t.loc["gokit"], t.loc["hyperfine"]
        times = lesson.ratio(a["median"] / b["median"])
        verdict = ("not checked on this busy run" if was_busy
                   else lesson.noise_words(result, "gokit", "hyperfine"))
        notes.append(f"* `{label}`: gokit's median, {ms(a['median'])}, is {times} hyperfine's, "
                     f"{ms(b['median'])}; {verdict}.")
    if not was_busy and any(lesson.noise_words(r, "gokit", "hyperfine").startswith("the two medians") for r in timers.values()):
        notes.append("* That does not prove that the two timers agree: more runs would narrow the intervals, and a "
                     "small difference could then show.")
    run, exe = (timers[k].summary.loc["hyperfine", "median"] for k in ("go run . (warm)", "exec of the binary"))
    notes.append(f"* Measured by hyperfine, a warm `go run` took {lesson.ratio(run / exe)} as long as the binary, "
                 f"and {lesson.ratio(run / 1_248_392e-9)} the article's {ms(1_248_392e-9)}: a timestamp printed "
                 "inside `main` cannot see the time spent before `main`.")
    notes.append("* Lesson 00's figures for the same commands differ from these: there the go commands ran interleaved "
                 "with others that compile, link and write files, here the same command runs again and again. A "
                 "start-up time is only comparable with one measured the same way, in the same table.")
    display(Markdown("\\n".join(notes)))
""")

lesson.myth_check(4, adds="""an independent timer. hyperfine, started the same way (no shell), times the binary
and a warm `go run` beside gokit's timer: whatever small difference there is between the two timers, both put a
warm `go run` far above the article's 1.25 ms. The article's figures were taken inside `main`, after start-up was over.""")
md("""
## 2. A heap profile: what allocates, and where

`runtime/pprof` writes profiles a program takes of itself. For the heap:

* `runtime.MemProfileRate` decides how many allocations are recorded: by default about one per
  512 KiB allocated; set to 1, every allocation is recorded;
* `pprof.WriteHeapProfile(f)` writes the heap profile, which reports statistics **as of the most recently
  completed garbage collection** (more recent allocations are left out), so the program runs
  `runtime.GC()` first.

This program builds a list of words and then allocates in four different ways; it writes its profile
to the file named by its first argument. The program starts on the cell's first line, so the cell's line numbers
are the program's (in JupyterLab: View → Show Line Numbers); the profile below names lines by them.
""")

code('''
PROGRAM = """package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
)

func words(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("word%d", i%1000))
	}
	return out
}

func count(ws []string) map[string]int {
	m := map[string]int{}
	for _, w := range ws {
		m[w]++
	}
	return m
}

func concat(ws []string) string {
	s := ""
	for _, w := range ws {
		s += w
	}
	return s
}

func build(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w)
	}
	return b.String()
}

func main() {
	runtime.MemProfileRate = 1
	ws := words(20000)
	m := count(ws)
	s := concat(ws[:2000])
	t := build(ws)
	fmt.Println(len(m), len(s), len(t))
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		panic(err)
	}
	f.Close()
}
"""
''')

code("""
heap_file = work / "heap.pprof"
ran = gokit.run(PROGRAM, args=[str(heap_file)], timeout=60)
heap = gokit.pprof(heap_file, source=PROGRAM)
profile_size = size(heap_file.stat().st_size)
distinct, concatenated, built = ran.stdout.split()
print(f"the program printed: {int(distinct):,} distinct words, a concatenation of "
      f"{int(concatenated):,} bytes and a built string of {int(built):,} bytes; "
      f"it wrote a {profile_size} profile")
""")

md("""
### Predict, then run

`words`, `count`, `concat` and `build` each allocate. Which one allocates the most bytes in total?
""")

code("""
prediction = ...  # 'words', 'count', 'concat' or 'build'

by_function = heap.top(sample_index="alloc_space", cum=True).frame()
ours = ["main.words", "main.count", "main.concat", "main.build"]
biggest = lesson.top_function(by_function, ours)   # the first of ours in pprof's order, without "main."
lesson.exercise("07", "biggest-allocator").check(prediction, biggest)
""")

md("""
`go tool pprof -top -lines -sample_index=alloc_space` lists the source lines that allocated, with their
bytes (`flat`) and their share of everything the program allocated. gokit reads that report into a
DataFrame (`heap.top(sample_index="alloc_space", lines=True).frame()`, in the folded cell):
""")

code_hidden(lesson, """
lines = heap.top(sample_index="alloc_space", lines=True).frame()
where = lines[lines.flat > 0].assign(
    where=lambda d: d.function + "  " + d.file + ":" + d.line.astype(str),
    allocated=lambda d: d.flat.map(size),
    share=lambda d: d.flat_pct.map(lambda p: f"{p:.1f}%"))[["where", "allocated", "share"]]
display(table(where.head(6)))
if len(where) > 6:
    display(lesson.fold(table(where), f"all {len(where)} lines that allocated"))
""")

code_hidden(lesson, """
fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(where)))
ax.barh(where["where"][::-1], lines.loc[where.index, "flat"][::-1] / 1e6, color="#4a6fa5")
ax.set_xlabel("bytes allocated (MB), all through the run (alloc_space)")
ax.set_title("what allocates, and where (MemProfileRate = 1: every allocation)", fontsize=10)
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()
""")

md("""
The `concat` line `s += w` dominates. A Go string cannot change, so each `+=` allocates a new string and
copies everything so far: the bytes allocated grow with the square of the length. That can be checked
without the profiler, from the lengths of the words alone (the profile records a little more: the allocator rounds
each allocation up to a [[size class|size-class]]):
""")

code("""
lengths = [len(f"word{i % 1000}") for i in range(2000)]
copied = sum(sum(lengths[:i + 1]) for i in range(len(lengths)))
measured = lines.loc[lines.function == "main.concat", "flat"].sum()
lesson.say(f"s += w over 2000 words copies {size(copied)} in total; the profile recorded "
           f"{size(measured)} ({measured / copied:.2f}× that: Go rounds each allocation up "
           "to a size class)", width=90)
""")

md("""
Two views of one profile: `alloc_space` counts the bytes allocated (every allocation here, since `main` set
`MemProfileRate = 1` first) up to the last completed garbage collection; `inuse_space` only what was still live
at that collection. After `runtime.GC()` almost nothing is:
""")

code("""
totals = {index: heap.top(sample_index=index, nodecount=1).info.total
          for index in ("alloc_space", "inuse_space")}
print(f"allocated during the run (alloc_space): {size(totals['alloc_space'])}")
print(f"still live when the profile was written (inuse_space): {size(totals['inuse_space'])}")
""")

md("""
### Claim 14: the article's heap recipe

The article's recipe writes the heap profile in `init()` (quoted as printed, the file name aside):

```go
func init() {
    f, _ := os.Create("heap.prof")
    pprof.WriteHeapProfile(f) // 生成当前 inuse_space 快照 ("a snapshot of the current inuse_space")
    f.Close()
}
```

and tells you to call `runtime.SetMemProfileRate(1)` in `init()` for full precision. Both can be
checked. First, does the runtime have that function?
""")

code("""
runtime_dir = tc.goroot / "src" / "runtime"
declared = lesson.declared_in(runtime_dir, r"^func SetMemProfileRate\\(")   # files with a line like this
variable = lesson.declared_in(runtime_dir, r"^var MemProfileRate int")
print(f"func SetMemProfileRate in $GOROOT/src/runtime: {', '.join(declared) or 'nowhere'}")
print(f"var MemProfileRate int in $GOROOT/src/runtime: {', '.join(variable) or 'nowhere'}")
""")

md("""
There is no such function: the rate is the variable `runtime.MemProfileRate`. Now run the same program
with the profile written the article's way, in `init()`, which runs before `main`:
""")

code("""
RECIPE = PROGRAM.replace("func main() {", '''func init() {
	runtime.MemProfileRate = 1
	f, _ := os.Create(os.Args[1])
	pprof.WriteHeapProfile(f)
	f.Close()
}

func main() {''')
# main's own profile goes elsewhere, so that the file holds the profile written in init()
RECIPE = RECIPE.replace("\\tf, err := os.Create(os.Args[1])",
                        "\\tf, err := os.Create(os.Args[1] + \\".unused\\")")
recipe_file = work / "init.pprof"
gokit.run(RECIPE, args=[str(recipe_file)], timeout=60)
recipe = gokit.pprof(recipe_file, source=RECIPE).top(sample_index="alloc_space", cum=True)
from_main = recipe.frame().loc[lambda d: d.function == "main.main", "cum"].sum()
print(f"profile written in init(): {size(recipe.info.total)} allocated in all,",
      f"{size(from_main)} of it by main")
print(f"profile written at the end of main: {size(totals['alloc_space'])}")
""")

md("""
Written in `init()`, the profile is taken before `main` has allocated anything, so it cannot show what the
program allocates. A heap profile belongs where the allocations you care about have happened (and a
garbage collection has completed), not at start-up.

For one function rather than a whole program, Go's own harness is the tool: a `func BenchmarkX(b *testing.B)` in a
`_test.go` file, run with `go test -bench . -benchmem` (time and allocations per operation), `-memprofile` and
`-cpuprofile` to write the same profiles as above, and `benchstat` (golang.org/x/perf) to compare two sets of runs
with medians and intervals, as this lab does for whole processes. See *Further reading*.

## 3. A CPU profile of the compiler

The compiler has a `-cpuprofile` flag, and `go build` passes compiler flags per package:
`-gcflags=net/http=-cpuprofile=FILE` profiles the compile of `net/http` only. Compiler flags are part
of a package's [[action ID|action-id]], so a new `FILE` each time makes go really compile the package again
(its dependencies still come from the cache). `gokit.profile_compile` does exactly that. The runtime's
profiler takes 100 samples a second of CPU time, so every number below counts CPU time in steps of 10 ms.
""")

code("""
with lesson.working("compiling net/http with the compiler's profiler on", 3):
    compile_prof = gokit.profile_compile("net/http")
compile_top = compile_prof.top(nodecount=12)
wall, cpu = compile_top.info.duration, compile_top.info.total
lesson.say(f"{compile_prof.what}: {wall:.2f} s from the profile's start to its end, "
           f"{cpu:.2f} s of CPU in {cpu / 0.01:.0f} samples", width=90)
""")

code_hidden(lesson, """
if cpu > wall * 1.05:
    said = (f"More CPU time than wall time ({cpu / wall:.1f}×): the compiler ran on more than one thread at once. "
            "`go build` passes it `-c=N`, and it compiles that many functions side by side (the garbage collector "
            "runs beside them too).")
else:
    said = ("No more CPU time than wall time: on this run the compiler did not keep more than one CPU busy on "
            "average (on a machine busier than its CPUs, its threads wait for one).")
Markdown(said)
""")

md("""
### Predict, then run

Which phase takes the largest share of the compiler's CPU time for `net/http`: `'parsing'`,
`'type checking'`, `'IR: inlining, escape analysis, walk'`, `'SSA'` or `'code generation'`?
""")

code("""
prediction = ...  # one of the phase names above

by_phase = compile_prof.phases(top=2)
PHASES = ["parsing", "type checking", "IR: inlining, escape analysis, walk", "SSA",
          "code generation"]
hottest = lesson.hottest_phase(by_phase, PHASES)   # the one with the most samples
lesson.exercise("07", "hottest-phase").check(prediction, hottest)
""")

md("""
Now the profile itself. `go tool pprof -top` lists the functions with the most samples of their own (`flat`)
and with their callees (`cum`). The compile ran every phase, [[inlining]], [[escape analysis|escape-analysis]]
and reading the [[export data|export-data]] of its imports among them, but one function rarely holds a phase:
""")

code_hidden(lesson, """
top_frame = compile_top.frame()
hot = pd.DataFrame({"function": top_frame.function,
                    "flat": top_frame.flat_pct.map(lambda p: f"{p:.0f}%"),
                    "cum": top_frame.cum_pct.map(lambda p: f"{p:.0f}%")})
display(table(hot.head(8)))
display(lesson.fold(table(hot), f"all {len(hot)} functions pprof listed"))
in_runtime = hot.function.str.match(r"(runtime|internal/runtime)[./]").sum()
print(f"{in_runtime} of these {len(hot)} functions belong to the Go runtime")
""")

code_hidden(lesson, """
if (hot.function == "runtime.asyncPreempt").any():
    share = hot.loc[hot.function == "runtime.asyncPreempt", "flat"].iloc[0]
    lesson.say(f"runtime.asyncPreempt ({share} of the samples here) is the call the runtime injects with a signal "
               "when it interrupts a running goroutine, for the garbage collector or the scheduler; it saves every "
               "register first. Its samples' stacks go on into the interrupted compiler function, so the phase "
               "table below counts them for that function's phase.", width=90)
""")

md("""
Functions of the Go **runtime** (allocation, garbage collection, the scheduler) count here as well: the
compiler is a Go program too. To see the compiler's phases, gokit groups every sample by its call stack: the
outermost compiler function on the stack says which phase the sample belongs to (`syntax` parsing,
`types2` type checking, the [[IR|typed-ir]] passes up to [[walk]], [[SSA|ssa]], code generation), and time spent in the runtime counts for the
phase that called it. Samples with no compiler function on their stack (the garbage collector's own
goroutines) stay apart. The rules, folded:
""")

code("""
rules = gokit.phase_rules()
rules["phase"] = rules["phase"].replace("", "(none: it dispatches to SSA and code generation)")
lesson.fold(table(rules), "the rules that give a stack its phase")
""")


md("""
Each phase's samples, the CPU time they stand for (10 ms each) and their share of all samples:
""")

code("""
lesson.phase_table(by_phase)   # one sample every 10 ms of CPU
""")

code_hidden(lesson, """
listed = tc.go_cmd("list", "-f", "{{join .GoFiles \\" \\"}}", "net/http", cwd=tc.goroot / "src")
files = listed.out.split()
texts = [(tc.goroot / "src" / "net" / "http" / f).read_text() for f in files]
nlines = sum(len(t.splitlines()) for t in texts)
nfuncs = sum(len(re.findall(r"^func ", t, re.M)) for t in texts)
ssa_share = by_phase.set_index("phase").loc["SSA", "share"] if "SSA" in set(by_phase.phase) else 0.0
Markdown(f"SSA took {ssa_share:.0%} of the samples here: `net/http` is {len(files)} files, {nlines:,} lines "
         f"and {nfuncs:,} function declarations (more functions once closures and wrappers are counted), each built "
         "into SSA and run through more than fifty passes. Lesson 08 decomposes the "
         "compile of a one-file program, where the SSA passes are a sliver: there the compiler's fixed costs "
         "(starting, reading the export data of the imports, writing the object file) dominate. A phase's share "
         "depends on how much code there is to optimise.")
""")

md("""
Linking is not part of the compiler: `go build` runs the linker as a separate program, which has its
own `-cpuprofile` flag. `gokit.profile_link` profiles the link of a small web server (it imports `net/http`,
so there is plenty to link):
""")

code('''
WEB = """package main

import (
	"fmt"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	fmt.Println(http.ListenAndServe("127.0.0.1:0", nil))
}
"""
link_prof = gokit.profile_link(WEB)
link_top = link_prof.top(nodecount=5)
info = link_top.info
lesson.say(f"{link_prof.what}: {info.duration:.2f} s from the profile's start to its end, "
           f"{info.total:.2f} s of CPU in {info.total / 0.01:.0f} samples", width=90)
link_frame = link_top.frame().rename(columns={"flat_pct": "flat %", "cum_pct": "cum %"})
table(link_frame[["function", "flat %", "cum %"]], **{"flat %": "{:.0f}", "cum %": "{:.0f}"})
''')

code_hidden(lesson, """
both = pd.concat([by_phase.assign(tool="compile net/http"),
                  link_prof.phases().assign(tool="link the web server")])
fig, ax = plt.subplots(figsize=(8, 3.6))
labels = [f"{p} ({t.split()[0]})" for p, t in zip(both.phase, both.tool)]
ax.barh(labels[::-1], both.value[::-1] * 1000,
        color=["#c0392b" if t.startswith("link") else "#4a6fa5" for t in both.tool[::-1]])
ax.set_xlabel("CPU time (ms) of profile samples, 10 ms each")
ax.set_title("CPU time by phase: compiling net/http (blue), linking a small web server (red)", fontsize=10)
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()
""")

md("""
### Claim 14: the article's `perf` recipe

The article profiles the build with Linux `perf` and pipes the result into pprof:

```
perf record -e cycles:u -F 99 -g --no-buffer -- go build -o app ./main.go
perf script | go tool pprof -http=":8080" -
```

`go tool pprof` reads profile files and URLs; what does it make of `-`, and of `perf`'s output? The cell
tries it with your `perf` if there is one (it may need `kernel.perf_event_paranoid` ≤ 2); its code, folded, runs
`go tool pprof -top -`, then `perf record` of a `go build`, `perf script`, and pprof on both files.
""")

code_hidden(lesson, """
pprof_tool = str(tc.tool("pprof"))
here = {work: "$WORK"}


def pprof_says(*args):
    answer = gokit.exec_file(pprof_tool, list(args), cwd=work, env=tc.env())
    said = lesson.said(answer, replace=here)
    lesson.say(f"go tool pprof {' '.join(args)} -> {said}", width=90)


pprof_says("-top", "-")
perf = shutil.which("perf")
if perf is None:
    print("perf is not installed here, so only the pipe was tried:")
    print("pprof never reads its standard input.")
else:
    record = gokit.exec_file(perf, ["record", "-e", "cycles:u", "-F", "99", "-g",
                                    "-o", str(work / "perf.data"), "--", str(tc.go), "build",
                                    "-o", str(work / "app"), "."],
                             cwd=hello, env=tc.env(), timeout=300)
    if record.exit_code != 0:
        lesson.say("perf record could not run here -> " + lesson.said(record, replace=here),
                   width=90)
    else:
        script = gokit.exec_file(perf, ["script", "-i", str(work / "perf.data")], cwd=work,
                                 env=tc.env(), timeout=120)
        (work / "perf.txt").write_text(script.stdout)
        print(f"perf script printed {len(script.stdout.splitlines())} lines of text")
        pprof_says("-top", "perf.txt")
        pprof_says("-top", "perf.data")
""")

md("""
pprof does not read standard input (`-` is taken as a file name), does not understand `perf script`'s text,
and reads `perf.data` only through an extra converter, `perf_to_profile`. The Go way needs none of it:
the compiler and the linker profile themselves, as above.

## 4. The closing benchmark: a CI simulation

The article "simulates CI" with 100 runs of `mvn clean compile`, a Java build, and reports its means.
Here is a Go version. A small module (`shop`: five packages importing each other) receives commits; each
commit edits one package, and CI builds it in one of two ways:

* **warm**: the runner keeps its checkout and Go's [[build cache|gocache]] from one commit to the next;
* **forced**: the runner restores the build cache but checks out into a **new directory** every time. A
  package's directory is part of its action ID (unless `-trimpath`, lesson 06), so every package of the module
  is compiled again, like `mvn clean compile`; the standard library still comes from the cache.

The article ran 100 builds of one kind. Here every package is edited twice (10 warm builds, in a shuffled order)
and 5 forced builds are spread among them: 15 real builds, each one timed. The warm builds mix five kinds of edit,
one per package, so the interval of their median describes that mix only roughly: the runs are not identically
distributed. A random stream of commits would only weight the packages unevenly. Each build is `go build -v`,
which names the packages it compiled. The packages are generated, with enough code that compiling them takes
measurable time:
""")

code_hidden(lesson, '''
def package(name, imports, functions=60):
    """Go source for package `name`: `functions` small functions, each calling an import."""
    paths = [f'\\t"example.com/shop/{i}"' for i in imports]
    body = [f"package {name}", "", "import (", '\\t"fmt"', *paths, ")", ""]
    for n in range(functions):
        call = f"{imports[n % len(imports)]}.F{n}(x + {n})" if imports else f"x * {n + 1}"
        body += [f"func F{n}(x int) int {{", "\\tswitch {",
                 f"\\tcase x%3 == 0:\\n\\t\\treturn {call}",
                 f'\\tcase x%5 == 0:\\n\\t\\treturn len(fmt.Sprint("{name}", x))',
                 "\\tdefault:\\n\\t\\treturn x ^ " + str(n), "\\t}", "}", ""]
    return "\\n".join(body)


SHOP = {"go.mod": "module example.com/shop\\n\\ngo 1.22\\n",
        "text/text.go": package("text", []),
        "money/money.go": package("money", ["text"]),
        "store/store.go": package("store", ["text", "money"]),
        "report/report.go": package("report", ["store", "money"]),
        "main.go": 'package main\\n\\nimport (\\n\\t"fmt"\\n\\n\\t"example.com/shop/report"\\n)\\n\\n'
                   'func main() { fmt.Println(report.F1(7)) }\\n'}
print("\\n".join(SHOP["money/money.go"].splitlines()[:18]), "\\n...")
''')

md("""
(The generator's Python is folded; above, the start of one generated package.) Who imports whom: `text` is
imported by `money` and `store`; `report` imports `store` and `money`; `main` imports
`report`.

### Predict, then run
""")

code("""
prediction = ...  # a number of packages

ci = gokit.ci_simulation(SHOP, edits_per_package=2, forced=5, seed=7)
compiled = lesson.packages_compiled(ci, "text")   # what a warm build compiled after an edit of text
lesson.exercise("07", "text-edit").check(prediction, compiled)
""")

md("""
What each edit made the warm checkout compile (`go build -v` names them), and how long those builds took:
""")

code_hidden(lesson, """
by_edit = ci.by_edit()
edited = by_edit.edited.str.removeprefix("example.com/").replace({"shop": "shop (main)"})
table(pd.DataFrame({"edited": edited, "builds": by_edit.builds,
                    "packages compiled": by_edit["packages compiled"],
                    "median (ms)": (by_edit["median seconds"] * 1000).round().astype(int)}))
""")

md("""
The two kinds of CI job, every build of each:
""")

code("""
lesson.bench_table(ci.result, label="CI job", conclusion=False)
""")

code("""
lesson.legible(ci.plot())
""")
# The article's section 4.4 (CI simulation): a loop of 100 `mvn -q clean compile` under /usr/bin/time, then a
# summary table: CPU total time (s) mean 8.42, standard deviation 1.21, 95th percentile 10.33 (I/O wait 182.3 ms
# mean); no run's numbers are shown. Design claim 14 calls them invented CI numbers from a Maven build.

code_hidden(lesson, """
s = ci.result.summary
w, f = s.iloc[0], s.iloc[1]
cpu_ci = ci.frame.assign(cpu=ci.frame.user + ci.frame.sys).groupby("setup")["cpu"].median()
display(Markdown("\\n".join([
    f"* A build in a new directory took {lesson.ratio(f['median'] / w['median'])} the warm median "
    f"({ms(f['median'])} against {ms(w['median'])}): {lesson.noise_words(ci.result, s.index[1], s.index[0])}.",
    f"* CPU time (user + system, medians): warm {ms(cpu_ci[cpu_ci.index.str.startswith('warm')].iloc[0])}, "
    f"new directory {ms(cpu_ci[cpu_ci.index.str.startswith('forced')].iloc[0])}: CPU time is less disturbed by "
    "other programs than wall time.",
    "* The edited package and its direct importers compiled; packages further up came from the cache, because what "
    "they import came out the same. An edit to an exported function or type can reach further.",
    "* The histogram shows how often each build time occurred; the ECDF reads as \\"this share of builds finished "
    "within this time\\", so a curve further left is faster. The article's CI table (100 runs of `mvn -q clean "
    "compile`: a mean of 8.42 s of CPU time, standard deviation 1.21 s, 95th percentile 10.33 s, given "
    "without the measurements behind it) is about a Java build with Maven, so it says nothing about Go.",
])))
""")

lesson.myth_check(14)

md("""
## What you saw

The sentences below are computed from this run's numbers.
""")

code_hidden(lesson, """
ph = by_phase.set_index("phase")
cs = ci.result.summary
lines = []
if timers and lesson.busy(*timers.values()):
    lines.append("* Timers: not checked on this run, the machine was busier than its CPUs.")
elif timers:
    lines.append("* Timers: gokit's median over hyperfine's " + " and ".join(
        f"{lesson.ratio(r.summary.loc['gokit', 'median'] / r.summary.loc['hyperfine', 'median'])} for {label}"
        for label, r in timers.items()) + ".")
ci_words = lesson.noise_words(ci.result, cs.index[1], cs.index[0])
ci_same = ci_words.startswith("the two medians differ by less")  # no ratio beside "cannot tell them apart"
lines += [
    f"* Heap profile: `concat`'s `s += w` allocated {size(measured)} of the {size(totals['alloc_space'])} the "
    f"program allocated; {size(totals['inuse_space'])} was live at the end. The article's `init()` recipe "
    f"recorded {size(from_main)} from `main`.",
    f"* Compiling net/http: {lesson.pct(ph.loc['SSA', 'share'])} of the compiler's CPU samples were SSA, "
    f"{lesson.pct(ph.loc['code generation', 'share'])} code generation, "
    + (f"{lesson.pct(ph.loc['parsing', 'share'])} parsing" if 'parsing' in ph.index else "no sample in parsing")
    + f", of {cpu / 0.01:.0f} samples.",
    f"* CI: {len(ci.frame)} real builds; warm median {ms(cs.iloc[0]['median'])}, in a new directory "
    f"{ms(cs.iloc[1]['median'])}"
    + ("" if ci_same else f" ({lesson.ratio(cs.iloc[1]['median'] / cs.iloc[0]['median'])} the warm one)")
    + f": {ci_words}. An edit of `text` compiled "
    f"{compiled} packages.",
]
display(Markdown("\\n".join(lines)))
""")

lesson.try_yourself("""
In the heap program, change `concat(ws[:2000])` to `concat(ws[:4000])` and run the cells from *A heap profile*
down to the check `s += w over ... copies`. By how much did `concat`'s bytes grow when its input doubled, and
why about four times? Then replace the loop in `concat` with `strings.Join(ws, "")` and look at the table again.
""")

lesson.further_reading()

next_lesson(lesson, "08", "one line of a program followed through every stage, from source to silicon")

lesson.write()
