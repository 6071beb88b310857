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
- The CPU profiler samples at 100 Hz: runtime/pprof/pprof.go:895 `const hz = 100` (1.22: :821).
- The compiler's -cpuprofile: cmd/compile/internal/base/flag.go:94; the linker's: cmd/link/internal/ld/main.go:116.
- The package directory is part of a package's build cache key unless -trimpath: cmd/go/internal/work/exec.go:302
  `fmt.Fprintf(h, "dir %s\\n", p.Dir)` (and GODEBUG=gocachehash=1 go build prints `"dir /path/to/pkg\\n"`).
- Which packages a warm build recompiles after an edit: measured live with `go build -v` (the lesson counts the
  names -v prints; an unexported constant appended to a leaf package recompiled it and its direct importer only).
- `go tool pprof -top -` answers `stat -: no such file or directory` (pprof reads files and URLs, not stdin);
  `go tool pprof` on `perf script` text: "parsing profile: unrecognized profile format"; on perf.data it needs
  perf_to_profile: all checked live in the lesson (perf 6.1 here).
- Go 1.27 caches `go run` executables, 1.22 relinks: toolchain-facts.md and lesson 00, shown again by the
  benchmark (warm go run vs go build + exec).
"""
from __future__ import annotations

from _nb import Lesson, next_lesson

lesson = Lesson("07-benchmarks-lab.ipynb", budget_seconds=120)
md, code = lesson.md, lesson.code

lesson.exercise(
    "startup-ratio",
    question="How many times as long as starting the prebuilt binary does a warm `go run .` take? "
             "Answer one of: 'under 2', '2 to 10', '10 to 100', 'over 100'.",
    hint="`go run` starts the go command first: it loads the module, checks the build cache, and only then "
         "starts your program (lesson 00 showed the steps).",
    solution="Tens of times: the binary alone starts in about a millisecond, while `go run` first runs the go "
             "command, which reads the module and the build cache (tens of milliseconds) before it execs the "
             "cached executable (Go 1.24+) or links a new one (older Go).",
    reveals=[r"\btens of times\b",
             r"go run[^.\n]{0,60}\b\d{2}×",
             r"\b\d{2}× the binary\b"],
)
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
    hint="Lesson 03 showed how many passes each function goes through after it has been parsed and "
         "type-checked once.",
    solution="SSA: building SSA and running some sixty passes over every function costs far more than "
             "reading and type-checking the source once. Parsing is only a few percent.",
    reveals=[r"\bSSA\b[^.\n]{0,40}\b\d+ ?%",
             r"\bSSA\b[^.\n]{0,40}\b(?:largest|dominates|most of)\b"],
)

md("""
# 07 — The benchmarks lab: start-up, heap and CPU profiles, a CI simulation

The article this kit answers, *Go不编译能运行吗?——从go run到go build的7步执行流拆解* ("Can Go run without
compiling? The 7-step flow from go run to go build, with benchmark data"), closes with a chapter of
benchmarks: a start-up table, a heap-profile recipe, a `perf` recipe for profiling the compiler, and CI
statistics. We quote it, we do not endorse it: its start-up numbers are measured inside `main` (after
start-up is over), its CI numbers come from a Maven build of a Java project, and two of its recipes do not
work. This lab does the same experiments for real, on your machine, with statistics:

* **start-up latency** of `go run` vs `go build` + exec vs exec, with the [[intervals|median-interval]] of their medians (claim **4**);
* a **heap profile** written with `runtime/pprof` and read with `go tool pprof`: what allocates, and where;
* a **CPU profile of the compiler** compiling `net/http`, grouped by compiler phase, and of the linker;
* a **100-build CI simulation**: warm builds against forced rebuilds, as a histogram and an [[ECDF|ecdf]];
* the article's profiling recipes, tried live (claim **14**);
* and, to close, gokit's own timings **checked against hyperfine**, an independent timer.
""")

code("""
import os
import re
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

import gokit
from gokit import bench, lesson

pd.set_option("display.max_colwidth", 80)
tc = gokit.toolchain()
cpus, load = os.cpu_count(), os.getloadavg()[0]
print(f"go{tc.version} on {tc.goos}/{tc.goarch}; {cpus} CPUs, load average {load:.2f} over the last minute")
print("fewer samples (GOKIT_FAST is set)" if bench.fast() else "full sample counts")
""")

md("""
A load average near or above the number of CPUs means other programs compete with the benchmarks below:
expect wider intervals, and compare ratios rather than absolute times. Two helpers keep the tables short:
`short(df, n)` shows the first `n` rows and folds the rest, `size(b)` writes bytes the way people do.
""")

code("""
def short(df, n=10, what="rows"):
    \"\"\"The first n rows as a table, the rest folded away in a <details>.\"\"\"
    head = df.head(n).to_html(index=False, border=0) if n else ""
    if len(df) <= n:
        return HTML(head)
    rest = df.iloc[n:].to_html(index=False, border=0)
    more = f"{len(df) - n} more {what}" if n else what
    return HTML(f"{head}<details><summary>{more}</summary>{rest}</details>")


def said(attempt):
    \"\"\"What a command answered: its exit code and the last lines it printed (gokit's paths shortened).\"\"\"
    text = (attempt.stderr or attempt.stdout or attempt.error or "").strip()
    for path, name in ((str(tc.gocache), "$GOCACHE"), (str(work), "$WORK"), (str(tc.goroot), "$GOROOT")):
        text = text.replace(path, name)
    return f"exit code {attempt.exit_code}: " + " / ".join(text.splitlines()[-2:])


size, ms = bench.fmt_bytes, bench.fmt_seconds
work = Path(tempfile.mkdtemp(prefix="gokit-lesson07-"))
""")

md("""
## 1. Start-up latency (claim 4)

The article's start-up table says `go run main.go` takes 1,248,392 ns and `go build && exec`
427,156 ns. Its method: call `time.Now().UnixNano()` as the first line of `main` and print it. That
timestamp is taken *after* the process has started (and, for `go run`, after the build), so it cannot
measure start-up at all. Here we time whole processes from the outside, as a shell user waits for them:

* **exec**: start the prebuilt binary;
* **go build + exec**: `go build -o hello .` when nothing changed (go checks its cache and writes
  nothing), then exec: both times added up run by run;
* **go run . (warm)**: the [[build cache|gocache]] knows the program.
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


def go(*args):
    """`go ARGS` in the program's directory, with the toolchain's clean environment."""
    return bench.Cmd([str(tc.go), *args], env=tc.env(), cwd=hello)


gokit.exec_file(str(tc.go), ["build", "-o", "hello", "."], cwd=hello, env=tc.env(), timeout=300)
exe = bench.Cmd([str(hello / "hello")], env=tc.env(), cwd=hello)
runs = bench.runs(20)
timed = bench.compare({"exec": exe, "go build": go("build", "-o", "hello", "."), "go run . (warm)": go("run", ".")},
                      runs=runs, warmup=2)
samples = {label: timed.frame.loc[timed.frame.label == label, "value"].tolist() for label in timed.labels}
startup = bench.BenchResult.from_samples({
    "exec": samples["exec"],
    "go build + exec": [b + e for b, e in zip(samples["go build"], samples["exec"])],
    "go run . (warm)": samples["go run . (warm)"],
})
print(f"timed {runs} interleaved runs of each command (the numbers come after your prediction)")
''')

md("""
### Predict, then run

Before you look at the table: how many times as long as starting the binary does a warm `go run .`
take? Answer `'under 2'`, `'2 to 10'`, `'10 to 100'` or `'over 100'`.
""")

code("""
prediction = ...  # 'under 2', '2 to 10', '10 to 100' or 'over 100'

ratio = startup.summary.loc["go run . (warm)", "ratio"]
bucket = "under 2" if ratio < 2 else "2 to 10" if ratio < 10 else "10 to 100" if ratio < 100 else "over 100"
lesson.exercise("07", "startup-ratio").check(prediction, bucket)
""")

code("""
display(startup)
startup.plot()
""")

code("""
s = startup.summary
article = {"go run . (warm)": 1_248_392e-9, "go build + exec": 427_156e-9}
display(Markdown("\\n".join([
    f"* Starting the binary took **{ms(s.loc['exec', 'median'])}**; a warm `go run .` took "
    f"**{ms(s.loc['go run . (warm)', 'median'])}**, {s.loc['go run . (warm)', 'ratio']:.0f}× as long "
    f"(interval {s.loc['go run . (warm)', 'ratio_low']:.0f}–{s.loc['go run . (warm)', 'ratio_high']:.0f}×, coverage at least "
    f"{bench.fmt_coverage(s.loc['go run . (warm)', 'ratio_coverage'])}).",
    f"* `go build` + exec took **{ms(s.loc['go build + exec', 'median'])}** "
    f"[{ms(s.loc['go build + exec', 'ci_low'])}–{ms(s.loc['go build + exec', 'ci_high'])}]: "
    + ("indistinguishable from a warm `go run`, the intervals overlap"
       if s.loc['go build + exec', 'ci_low'] <= s.loc['go run . (warm)', 'ci_high']
       and s.loc['go run . (warm)', 'ci_low'] <= s.loc['go build + exec', 'ci_high'] else
       "less than a warm `go run`" if s.loc['go build + exec', 'median'] < s.loc['go run . (warm)', 'median'] else
       "more than a warm `go run`")
    + (f". go{tc.version}'s `go run` starts the executable it cached on its first run (Go 1.24+)."
       if tc.minor >= (1, 24) else f". go{tc.version}'s `go run` links a new executable every time; Go 1.24+ caches it."),
    f"* The article's figures are {ms(article['go run . (warm)'])} and {ms(article['go build + exec'])}: "
    f"its `go run` is {s.loc['go run . (warm)', 'median'] / article['go run . (warm)']:.0f}× below the one measured "
    "here: a timestamp printed inside `main` cannot see the time spent before `main` started.",
])))
""")

md("""
## 2. A heap profile: what allocates, and where

`runtime/pprof` writes profiles a program takes of itself. For the heap:

* `runtime.MemProfileRate` decides how many allocations are recorded: by default about one per
  512 KiB allocated; set to 1, every allocation is recorded;
* `pprof.WriteHeapProfile(f)` writes the heap profile, which reports statistics **as of the most recently
  completed garbage collection** (more recent allocations are left out), so the program runs
  `runtime.GC()` first.

This program builds a list of words and then allocates in four different ways; it writes its profile
to the file named by its first argument.
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
for n, line in enumerate(PROGRAM.splitlines(), 1):
    print(f"{n:3}  {line}")
''')

code("""
heap_file = work / "heap.pprof"
ran = gokit.run(PROGRAM, args=[str(heap_file)], timeout=60)
heap = gokit.pprof(heap_file, source=PROGRAM)
print(f"the program printed {ran.stdout.strip()!r} and wrote a {size(heap_file.stat().st_size)} profile")
""")

md("""
### Predict, then run

`words`, `count`, `concat` and `build` each allocate. Which one allocates the most bytes in total?
""")

code("""
prediction = ...  # 'words', 'count', 'concat' or 'build'

by_function = heap.top(sample_index="alloc_space", cum=True).frame()
mine = by_function[by_function.function.isin(["main.words", "main.count", "main.concat", "main.build"])]
lesson.exercise("07", "biggest-allocator").check(prediction, mine.iloc[0].function.removeprefix("main."))
""")

md("""
`go tool pprof -top -lines -sample_index=alloc_space` lists the source lines that allocated, with their
bytes (`flat`) and their share of everything the program allocated. gokit reads that report into a
DataFrame:
""")

code("""
lines = heap.top(sample_index="alloc_space", lines=True).frame()
where = lines[lines.flat > 0].assign(
    where=lambda d: d.function + "  " + d.file + ":" + d.line.astype(str),
    allocated=lambda d: d.flat.map(size),
    share=lambda d: d.flat_pct.map(lambda p: f"{p:.1f}%"))[["where", "allocated", "share"]]
short(where, 6, "lines")
""")

code("""
fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(where)))
ax.barh(where["where"][::-1], lines.loc[where.index, "flat"][::-1] / 1e6, color="#4a6fa5")
ax.set_xlabel("bytes allocated (MB), all through the run (alloc_space)")
ax.set_title("what allocates, and where: every allocation recorded (MemProfileRate = 1)", fontsize=10)
ax.grid(axis="x", alpha=0.3)
fig.tight_layout()
""")

md("""
The `concat` line `s += w` dominates. A Go string cannot change, so each `+=` allocates a new string and
copies everything so far: the bytes allocated grow with the square of the length. That can be checked
without the profiler, from the lengths of the words alone:
""")

code("""
lengths = [len(f"word{i % 1000}") for i in range(2000)]
copied = sum(sum(lengths[:i + 1]) for i in range(len(lengths)))
measured = lines.loc[lines.function == "main.concat", "flat"].sum()
print(f"s += w over 2000 words copies {size(copied)} in total; the profile recorded {size(measured)} "
      f"({measured / copied:.2f}× that: Go rounds each allocation up to a size class)")
""")

md("""
Two views of one profile: `alloc_space` counts every byte ever allocated; `inuse_space` only what was still
live at the last garbage collection. After `runtime.GC()` almost nothing is:
""")

code("""
totals = {index: heap.top(sample_index=index, nodecount=1).info.total for index in ("alloc_space", "inuse_space")}
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
runtime_src = sorted((tc.goroot / "src" / "runtime").glob("*.go"))
declared = [p.name for p in runtime_src if re.search(r"^func SetMemProfileRate\\(", p.read_text(), re.M)]
variable = [p.name for p in runtime_src if re.search(r"^var MemProfileRate int", p.read_text(), re.M)]
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

func main() {''').replace("\\tf, err := os.Create(os.Args[1])", "\\tf, err := os.Create(os.Args[1] + \\".unused\\")")
recipe_file = work / "init.pprof"
gokit.run(RECIPE, args=[str(recipe_file)], timeout=60)
recipe = gokit.pprof(recipe_file, source=RECIPE).top(sample_index="alloc_space", cum=True)
from_main = recipe.frame().loc[lambda d: d.function == "main.main", "cum"].sum()
print(f"profile written in init(): {size(recipe.info.total)} allocated in all, {size(from_main)} of it by main")
print(f"profile written at the end of main: {size(totals['alloc_space'])}")
""")

md("""
Written in `init()`, the profile is taken before `main` has allocated anything, so it cannot show what the
program allocates. A heap profile belongs where the allocations you care about have happened (and a
garbage collection has completed), not at start-up.

## 3. A CPU profile of the compiler

The compiler has a `-cpuprofile` flag, and `go build` passes compiler flags per package:
`-gcflags=net/http=-cpuprofile=FILE` profiles the compile of `net/http` only. Compiler flags are part
of a package's build cache key, so a new `FILE` each time makes go really compile the package again
(its dependencies still come from the cache). `gokit.profile_compile` does exactly that; the runtime's
profiler takes 100 samples a second of CPU time.
""")

code("""
compile_prof = gokit.profile_compile("net/http")
compile_top = compile_prof.top(nodecount=12)
print(f"{compile_prof.what}: {compile_top.info.duration:.2f} s of wall time, "
      f"{compile_top.info.total:.2f} s of CPU samples (the compiler works on several goroutines)")
""")

md("""
`go tool pprof -top` lists the functions with the most samples of their own (`flat`) and with their
callees (`cum`):
""")

code("""
hot = compile_top.frame().assign(flat=lambda d: d.flat_pct.map(lambda p: f"{p:.1f}%"),
                                  cum=lambda d: d.cum_pct.map(lambda p: f"{p:.1f}%"))
short(hot[["function", "package", "flat", "cum"]], 10, "functions")
""")

md("""
Many of the hottest functions belong to the Go **runtime** (allocation, garbage collection): the compiler is
a Go program too. To see the compiler's phases, gokit groups every sample by its call stack: the
outermost compiler function on the stack says which phase the sample belongs to (`syntax` parsing,
`types2` type checking, the [[IR|typed-ir]] passes, [[SSA|ssa]], code generation), and time spent in the runtime counts for the
phase that called it. Samples with no compiler function on their stack (the garbage collector's own
goroutines) stay apart.
""")

code("""
rules = gokit.phase_rules()
rules["phase"] = rules["phase"].replace("", "(none: it dispatches to SSA and code generation)")
short(rules, 0, "The rules that give a stack its phase")
""")

md("""
### Predict, then run

Which phase takes the largest share of the compiler's CPU time for `net/http`: `'parsing'`,
`'type checking'`, `'IR: inlining, escape analysis, walk'`, `'SSA'` or `'code generation'`?
""")

code("""
prediction = ...  # one of the phase names above

by_phase = compile_prof.phases(top=2)
compiler_phases = by_phase[by_phase.phase.isin(["parsing", "type checking", "IR: inlining, escape analysis, walk",
                                                 "SSA", "code generation"])]
lesson.exercise("07", "hottest-phase").check(prediction, compiler_phases.sort_values("value").iloc[-1].phase)
""")

code("""
def phase_table(df):
    return df.assign(**{"CPU time": df.value.map(ms), "share": df.share.map(lambda x: f"{x:.0%}")})[
        ["phase", "CPU time", "share", "top functions"]].set_index("phase")


phase_table(by_phase)
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
print(f"{link_prof.what}: {link_top.info.duration:.2f} s of wall time, {link_top.info.total:.2f} s of CPU samples")
link_top.frame()[["function", "flat_pct", "cum_pct"]].rename(columns={"flat_pct": "flat %", "cum_pct": "cum %"})
''')

code("""
both = pd.concat([by_phase.assign(tool="compile net/http"), link_prof.phases().assign(tool="link the web server")])
fig, ax = plt.subplots(figsize=(8, 3.6))
labels = [f"{p} ({t.split()[0]})" for p, t in zip(both.phase, both.tool)]
ax.barh(labels[::-1], both.value[::-1], color=["#c0392b" if t.startswith("link") else "#4a6fa5" for t in both.tool[::-1]])
ax.set_xlabel("CPU seconds of profile samples")
ax.set_title("where go build's CPU time goes: compiling net/http (blue) and linking a program (red)", fontsize=10)
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
tries it with your `perf` if there is one (it may need `kernel.perf_event_paranoid` ≤ 2).
""")

code("""
pprof_tool = str(tc.tool("pprof"))
print("go tool pprof -top -          ->", said(gokit.exec_file(pprof_tool, ["-top", "-"], cwd=work, env=tc.env())))
perf = shutil.which("perf")
if perf is None:
    print("perf is not installed here, so only the pipe was tried: pprof never reads its standard input.")
else:
    record = gokit.exec_file(perf, ["record", "-e", "cycles:u", "-F", "99", "-g", "-o", str(work / "perf.data"), "--",
                                    str(tc.go), "build", "-o", str(work / "app"), "."], cwd=hello, env=tc.env(),
                             timeout=300)
    if record.exit_code != 0:
        print("perf record could not run here ->", said(record))
    else:
        script = gokit.exec_file(perf, ["script", "-i", str(work / "perf.data")], cwd=work, env=tc.env(), timeout=120)
        (work / "perf.txt").write_text(script.stdout)
        print(f"perf script printed {len(script.stdout.splitlines())} lines of text")
        print("go tool pprof -top perf.txt   ->", said(gokit.exec_file(pprof_tool, ["-top", "perf.txt"], cwd=work,
                                                                       env=tc.env())))
        print("go tool pprof -top perf.data  ->", said(gokit.exec_file(pprof_tool, ["-top", "perf.data"], cwd=work,
                                                                       env=tc.env())))
""")

md("""
pprof does not read standard input (`-` is taken as a file name), does not understand `perf script`'s text,
and reads `perf.data` only through an extra converter, `perf_to_profile`. The Go way needs none of it:
the compiler and the linker profile themselves, as above.

## 4. A CI simulation: 100 builds

The article "simulates CI" with 100 runs of `mvn clean compile`, a Java build, and reports its means.
Here is a Go version. A small module (`shop`: five packages importing each other) receives a stream
of commits; each commit edits one package chosen at random, and each commit is built by two kinds of CI
job:

* **warm**: the runner keeps its checkout and Go's build cache, so go compiles what the commit changed;
* **forced**: the runner restores the build cache but checks out into a **new directory** every time. A
  package's directory is part of its cache key (unless `-trimpath`), so every package of the module is
  compiled again, like `mvn clean compile`; the standard library still comes from the cache.

Each build is `go build -v`, which names the packages it compiled. The packages are generated, with enough
code that compiling them takes real time:
""")

code('''
def package(name, imports, functions=40):
    """Go source for package `name`: `functions` small functions, each calling into an import."""
    body = [f"package {name}", "", "import (", '\\t"fmt"', *[f'\\t"example.com/shop/{i}"' for i in imports], ")", ""]
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

code("""
commits = bench.runs(50, fast_n=12)
ci = gokit.ci_simulation(SHOP, commits=commits, seed=7)
print(f"{len(ci.frame)} builds: {commits} commits, each built warm and forced")
ci.table()
""")

code("""
ci.plot()
""")

code("""
edits = ci.frame[ci.frame.setup == "warm: same checkout"].groupby("edited")["compiled"].agg(["count", "median"])
edits = edits.rename(columns={"count": "commits", "median": "packages compiled (median)"}).reset_index()
edits["edited"] = edits["edited"].str.removeprefix("example.com/")
edits["packages compiled (median)"] = edits["packages compiled (median)"].round().astype(int)
display(edits.set_index("edited"))
print(ci.conclusion())
""")

md("""
Each simulated commit appends an unexported constant to one file. The table shows what `go build -v`
compiled for it in the warm checkout: the edited package and the packages that import it directly; their
importers in turn came from the cache, because what they import from those packages did not change. An
edit to an exported function or type can reach further up.

The histogram shows how often each build time occurred; the ECDF (empirical cumulative distribution) reads
as "this share of builds finished within this time", so a curve further left is faster, and the
distance between curves at any height is what a CI user waits extra at that percentile. Warm builds spread
out because commits differ: an edit to `text` makes go compile more than an edit to `main`. The
article's Maven numbers (a mean of 8.42 s of CPU per `mvn clean compile`) belong to another language and
another build tool, so they say nothing about Go; the medians and CPU times in the table above are this
module's, on this machine.

## 5. The closing benchmark: gokit's timer against hyperfine

Every benchmark in these lessons times processes with `gokit.bench`: spawn, wait, read the clock. Is that
timer right? [hyperfine](https://github.com/sharkdp/hyperfine) is an independent one; with `-N` it starts
commands without a shell, as gokit does. To compare the timers and nothing else, each command is timed by
both in short alternating blocks (hyperfine, gokit, hyperfine, gokit, ...): whatever else the machine is
doing then hits both alike.
""")

code("""
print(f"{cpus} CPUs, load average {os.getloadavg()[0]:.2f} now")
rounds, k = 3, bench.runs(20, fast_n=5)   # per block; rounds * k runs per timer and command
commands = {"exec": exe, "go run . (warm)": go("run", ".")}
timers = None
if shutil.which("hyperfine"):
    samples = {}
    for label, cmd in commands.items():
        ours_s, theirs_s = [], []
        for _ in range(rounds):
            theirs_s += gokit.hyperfine({label: cmd}, runs=k, warmup=2).frame["value"].tolist()
            ours_s += bench.compare({label: cmd}, runs=k, warmup=2, progress=False).frame["value"].tolist()
        samples[f"{label}, gokit"], samples[f"{label}, hyperfine"] = ours_s, theirs_s
    timers = bench.BenchResult.from_samples(samples)
    display(timers)
    timers.plot()
else:
    print("hyperfine is not installed here (apt-get install hyperfine): there is no independent timer to check "
          "gokit's against on this machine.")
""")

code("""
if timers is None:
    display(Markdown("No independent timer here: install hyperfine and run this section again to check gokit's numbers."))
else:
    t = timers.summary
    notes = []
    for label in commands:
        a, b = t.loc[f"{label}, gokit"], t.loc[f"{label}, hyperfine"]
        r = a["median"] / b["median"]
        overlap = a["ci_low"] <= b["ci_high"] and b["ci_low"] <= a["ci_high"]
        notes.append(f"* `{label}`: gokit {ms(a['median'])} [{ms(a['ci_low'])}–{ms(a['ci_high'])}], hyperfine "
                     f"{ms(b['median'])} [{ms(b['ci_low'])}–{ms(b['ci_high'])}]: gokit/hyperfine = {r:.2f}; "
                     + ("the intervals of the two medians overlap: the two timers agree here." if overlap else
                        "the intervals do not overlap: " + ("gokit measured longer" if r > 1 else "gokit measured shorter")
                        + f" by {abs(r - 1):.0%} on this run."))
    display(Markdown("\\n".join(notes)))
""")

code("""
shutil.rmtree(work)
""")

md("""
## What you saw

The sentences below are computed from this run's numbers.
""")

code("""
s, ph = startup.summary, by_phase.set_index("phase")
cs = ci.result.summary
display(Markdown("\\n".join([
    f"* Start-up (claim 4): exec {ms(s.loc['exec', 'median'])}, `go build` + exec "
    f"{ms(s.loc['go build + exec', 'median'])}, warm `go run` {ms(s.loc['go run . (warm)', 'median'])} "
    f"({s.loc['go run . (warm)', 'ratio']:.0f}× exec), medians of {int(s.loc['exec', 'runs'])} runs with the intervals of their medians.",
    f"* Heap profile: `concat`'s `s += w` allocated {size(measured)} of the {size(totals['alloc_space'])} the "
    f"program allocated; {size(totals['inuse_space'])} was live at the end. The article's `init()` recipe "
    f"recorded {size(from_main)} from `main`.",
    f"* Compiling net/http: {ph.loc['SSA', 'share']:.0%} of the compiler's CPU samples were SSA, "
    f"{ph.loc['code generation', 'share']:.0%} code generation, "
    f"{ph.loc['parsing', 'share'] if 'parsing' in ph.index else 0:.0%} parsing.",
    f"* CI: {len(ci.frame)} builds; warm median {ms(cs.iloc[0]['median'])}, forced median {ms(cs.iloc[1]['median'])} "
    f"({cs.iloc[1]['ratio']:.2f}×, interval {cs.iloc[1]['ratio_low']:.2f}–{cs.iloc[1]['ratio_high']:.2f}, coverage at "
    f"least {bench.fmt_coverage(cs.iloc[1]['ratio_coverage'])}).",
    "* Timers: " + ("hyperfine was not available to check gokit's." if timers is None else
                    "gokit/hyperfine medians " + " and ".join(
                        f"{timers.summary.loc[f'{label}, gokit', 'median'] / timers.summary.loc[f'{label}, hyperfine', 'median']:.2f}"
                        f" for {label}" for label in commands) + "."),
])))
""")

lesson.myth_check(4)
lesson.myth_check(14)
lesson.further_reading()

next_lesson(lesson, "08", "one line of a program followed through every stage, from source to silicon")

lesson.write()
