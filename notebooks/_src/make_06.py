"""Generate notebooks/06-go-build.ipynb (outputs cleared). Run: python notebooks/_src/make_06.py

Evidence for each sentence about Go is the comment next to it: a Go source file:line (Go 1.27.3 first, Go 1.22.10
where it differs) or the cell that shows it.
"""
from __future__ import annotations

from _nb import NOTEBOOKS, Lesson

lesson = Lesson("06-go-build.ipynb", budget_seconds=120)
md, code = lesson.md, lesson.code


md("""
# 06 — `go build`: the cache, targets and linker flags

`go build` rarely compiles everything: it decides, package by package, what it can take from its [[build cache|gocache]].
In this lesson you watch it decide, on your machine:

* **the build cache**: which actions of a build ran and which `GOCACHE` served, what makes an entry useless
  (an edit, a flag, a directory, another GOARCH), and what an [[action ID|action-id]] is made of;
* **the build as a timeline**: which package compiled when, side by side on your CPUs, and which ones cost most;
* **what GOOS and GOARCH select**: files, picked by build constraints;
* **a cross-compilation matrix**: seven targets, their sizes and the file formats their first bytes name;
* **linker flags**: what `-s` and `-w` remove, and `-X` setting a string (or silently not);
* a benchmark: a cold build, a warm one and `go build -a`.

The article this kit answers, *Go不编译能运行吗?——从go run到go build的7步执行流拆解* ("Can Go run without
compiling? The 7-step flow from go run to go build"), explains Go's build cache with Gradle's task
fingerprints (**claim 11**), says GOOS/GOARCH inject constants into `runtime/internal/sys` (**claim 12**) and
that `-s -w` shrinks a binary from 11.2 MB to 6.8 MB (**claim 13**). This lesson checks all three live. The
article is quoted here, not endorsed.

Cold builds here never touch your own build cache: they use a private one, removed at the end.
""")

code("""
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson
from gokit.lesson import table

tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}, {os.cpu_count()} CPUs")
gocache_before = gokit.gocache_size()  # to report, at the end, what this lesson added to your build cache
scratch = gokit.scratch_gocache()      # a private, empty GOCACHE
work = Path(tempfile.mkdtemp(prefix="gokit-lesson06-"))


""")

md("""
## The program, in a directory of its own

Every build in this lesson happens in one directory, so that the only thing that changes between two builds
is the thing we change on purpose:
""")

code('''
SOURCE = """package main

import "fmt"

func main() {
	fmt.Println("hello, gopher")
}
"""
prog = work / "hello"


def build(source=SOURCE, where=prog, **kw):
    """go build now, in `where`, with the private cache: what ran and what the cache served."""
    return gokit.build_graph(source, workdir=where, gocache=scratch, **kw)
''')

md("""
## A cold build

The private cache is empty, so the first build has nothing to reuse. `gokit.build_graph` runs
`go build -x -debug-actiongraph -debug-trace` and reads what the go command wrote about each *action* (compile
a package, link the program):
""")

code("""
cold = build()
print(cold.summary())
""")

md("""
### Predict, then run

You run exactly the same `go build` again, in the same directory, with the same cache. How many packages does it
compile? Put a number in `prediction`.
""")

lesson.exercise(
    "rebuild",
    question="The same go build again, same directory, same cache: how many packages does it compile?",
    hint="Nothing that goes into any package's cache key changed since the last build.",
    solution="None. Every package's action ID is the same as in the first build, so go build finds each compiled "
             "package in GOCACHE; only the link runs again (go build does not cache the executable it writes).",
    reveals=[r"(?:second|again)[^.\n]{0,60}\b(?:compiles?|compiled) (?:nothing|no package|0 packages)",
             r"\bonly the link runs again\b",
             r"cache hits?[^.\n]{0,40}\bevery package\b"],
)

code("""
prediction = ...  # a number

again = build()
lesson.exercise("06", "rebuild").check(prediction, again.cache_misses)
""")

md("""
What each action did in the second build, for three of the packages and the link (all actions are folded
below):
""")

code("""
actions = again.frame
view = actions[actions["mode"].isin(["build", "link"])]
what = ["ran " + tools if ran else "from GOCACHE" for ran, tools in zip(view["ran"], view["tools"])]
view = view.assign(what=what)[["mode", "package", "what", "action_id"]]
few = view["package"].isin(["play", "fmt", "runtime"]) | (view["mode"] == "link")
display(table(view[few]))
display(lesson.fold(table(view), f"all {len(view)} actions"))
""")

md("""
The main package is `play` here: gokit names the module of every program it builds `play`. The link ran
again: `go build` never takes the executable it writes from the cache.
""")
# Evidence: gokit/_source.py MAIN_MODULE = "play"; the link action's `ran` in the table above (and in
# tests/test_build.py test_build_graph_second_build_all_cached_edit_rebuilds_main); cmd/go/internal/work/
# buildid.go:539-542 ("we only cache executables produced for 'go run' (and soon, for 'go tool')") and :730-735.

md("""
## What an action ID is made of (claim 11)

The article explains the cache with Gradle: a build script that declares a task's inputs, and a task
fingerprint. Go has no build script. The go command itself hashes every input of an action with SHA-256, and
`GODEBUG=gocachehash=1` makes it print each input as it goes. The inputs of the main package's compile:
""")
# Evidence: cmd/go/internal/cache/hash.go:19 (debugHash set by GODEBUG=gocachehash=1); cmd/go/internal/work/
# exec.go:264 buildActionID (dir :302, goos/goarch :308, file :429, import :434); the table below.

code("""
hashed = build(hashes=True)
inputs = hashed.hash_of("build play")
shown = [i.replace(str(prog), "(the program's directory)").rstrip("\\n") for i in inputs.inputs]
display(table(pd.DataFrame({"input, in the order hashed": shown})))
print("SHA-256 of all of them:", inputs.sum)
""")

md("""
Among them: the Go version, the directory, the target (`goos`, `goarch`), the compiler's version and flags,
each source file by the hash of its bytes, and each import by *its* action's output. Check the file line
yourself: the go command names a file by the first 15 bytes of its SHA-256, in base64:
""")
# Evidence: the table above; cmd/go/internal/work/exec.go:429 `fmt.Fprintf(h, "file %s %s\\n", file,
# b.fileHash(...))`, :434 `"import %s %s\\n", p1.ImportPath, contentID(a1.buildID)`; cmd/internal/buildid/
# buildid.go:331 HashToString (5 chunks of 3 bytes, base64url); the next cell recomputes it.

code("""
import base64

main_go = (prog / "main.go").read_bytes()
ours = base64.urlsafe_b64encode(hashlib.sha256(main_go).digest()[:15]).decode()
print(f"file main.go {ours}")
print("the same as the go command's input:", f"file main.go {ours}\\n" in inputs.inputs)
""")

md("""
The action ID is the same kind of name for the sum of all inputs; the action graph of the very same build
reports it:
""")

code("""
print("gokit.action_id(sum):", gokit.action_id(inputs.sum))
print("the action graph says:", hashed.action("build", "play").action_id)
""")

md("""
The cache is a directory of files named by hashes. The entry for this action is `<sum>-a`; it names the output
(`<output id>-d`, here the compiled package):
""")
# Evidence: cmd/go/internal/cache/cache.go:139 ("action entry file is v1 <hex id> <hex out> <size> <unixnano>"),
# :483 the Sprintf that writes it, :454 the -a/-d names; shown by the cell below.

code("""
def short(h):
    return h[:12] + "…" if len(h) > 12 else h


entry = scratch.path / inputs.sum[:2] / f"{inputs.sum}-a"
fields = entry.read_text().split()
output = scratch.path / fields[2][:2] / f"{fields[2]}-d"
print(f"GOCACHE/{inputs.sum[:2]}/{short(inputs.sum)}-a holds: {' '.join(short(f) for f in fields)}")
print(f"GOCACHE/{fields[2][:2]}/{short(fields[2])}-d: {output.stat().st_size:,} bytes, "
      f"starting with {output.read_bytes()[:8]!r}")
""")

md("""
`v1`, the action's hash, the output's hash, its size and the time it was stored: no task, no fingerprint file,
no build script. The output starts with `!<arch>`: the package archive the compiler wrote.

## What makes `go build` compile again

Change one input at a time, in the same cache, and count what `go build` compiles:

* **an edit**: one string in `main.go`;
* **a flag**: `-gcflags=-N` (no optimisation);
* **a directory**: the same source, built from another directory;
* **another GOARCH**: the same source for `arm64`.
""")

lesson.exercise(
    "goarch",
    question="After the first builds, you build the same program for GOARCH=arm64 in the same cache. "
             "How many packages does go build compile?",
    hint="Look at the inputs of an action ID above: which of them names the target?",
    solution="All of them (here, as many as the cold build compiled): `goos linux goarch amd64` is an input of every "
             "package's action ID, so none of the amd64 entries fits an arm64 build.",
    reveals=[r"GOARCH=arm64[^.\n]{0,80}\b(?:compiles?|recompiles?)\b[^.\n]{0,30}\b(?:all|every)\b",
             r"\bevery package\b[^.\n]{0,40}\b(?:again|recompiled)\b"],
)

md("""
### Predict, then run

How many packages will the `arm64` build compile? (The cold build's summary above says how many it compiled.)
""")

code("""
prediction = ...  # a number

changes = {
    "an edit": build(SOURCE.replace("hello, gopher", "hello, edited")),
    "-gcflags=-N": build(gcflags="-N"),
    "another directory": build(where=work / "elsewhere"),
    "GOARCH=arm64": build(goarch="arm64"),
}
lesson.exercise("06", "goarch").check(prediction, changes["GOARCH=arm64"].cache_misses)
""")

code("""
table(pd.DataFrame([
    {"change": name, "compiled": ", ".join(g.compiled) if g.cache_misses <= 3 else f"{g.cache_misses} packages",
     "from the cache": g.cache_hits, "seconds": g.wall} for name, g in changes.items()]), seconds="{:.2f}")
""")

md("""
An edit, a flag and a directory each changed one input of the main package's action ID, so only `play` compiled;
`-gcflags` applies to the packages named on the command line, here only the main one. GOARCH is an input of every
action, so the arm64 build compiled everything again. And a changed package changes the ID of every package that
imports it: its output is an input of theirs.
""")
# Evidence: the table above; `go help build` (cmd/go/alldocs.go:259-261: "Without a pattern, the argument list
# applies only to the packages named on the command line"); the hash inputs above ("goos ... goarch", "import").

md("""
## The build as a timeline

`-debug-trace` wrote when each action started and ended, and on which of the go command's workers. First, a
guess about the cold build above:

### Predict, then run

Which package took the longest to compile in the cold build? Write its import path as a string.
""")

lesson.exercise(
    "slowest",
    question="Which package took the longest to compile in the cold build of hello world?",
    hint="It is imported by every Go program, and it is big: the scheduler, the garbage collector and the memory "
         "allocator live in it.",
    solution="runtime: the biggest package a hello world needs; the table after the timeline shows its share of "
             "all the compile time.",
    reveals=[r"\bruntime\b[^.\n]{0,60}\b(?:slowest|longest|critical path)\b",
             r"(?:slowest|longest)[^.\n]{0,60}\bruntime\b"],
)

code("""
prediction = ...  # an import path, like "fmt"

times = cold.compile_times()
lesson.exercise("06", "slowest").check(prediction, times["package"].iloc[0])
""")

code("""
cold.timeline()
""")

code("""
display(table(times.head(8), seconds="{:.2f}", share="{:.0%}"))
display(lesson.fold(table(times, seconds="{:.3f}", share="{:.1%}"), f"all {len(times)} packages"))
""")

code("""
busy = cold.busy()
rt = busy[(busy["package"] == "runtime") & (busy["mode"] == "build")].iloc[0]
others = busy[busy["package"] != "runtime"]
overlap = (others["end_s"].clip(upper=rt.end_s) - others["start_s"].clip(lower=rt.start_s)).clip(lower=0)
other_workers = max(cold.workers - 1, 1)
display(Markdown(
    f"* {cold.workers} workers for {os.cpu_count()} CPUs; at most {cold.max_parallel()} actions ran at "
    f"the same moment. The actions took {busy['end_s'].max():.1f} s from first to last, and the compiles "
    f"{times['seconds'].sum():.1f} s added up.\\n"
    f"* While `runtime` compiled ({rt.end_s - rt.start_s:.1f} s), the other workers were busy "
    f"{overlap.sum() / (rt.end_s - rt.start_s) / other_workers:.0%} of the time."))
""")

md("""
A package compiles only after everything it imports: the packages that import `runtime`, which is nearly all
of them, wait for it.
""")
# Evidence: the timeline above; cmd/go/internal/work/exec.go:130 (a.pending = len(a.Deps)) and :206 (an action is
# ready when its last dependency is done).

md("""
## What GOOS and GOARCH select (claim 12)

The article says GOOS/GOARCH "inject constants" generated into `runtime/internal/sys`. Ask the go command which
files it compiles for a package, per target (`go list -f '{{.GoFiles}}'`, with GOOS and GOARCH set):
""")

code("""
TARGETS = [("linux", "amd64"), ("linux", "arm64"), ("darwin", "arm64"), ("windows", "amd64"),
           ("js", "wasm")]
goos_files = gokit.target_files("internal/goos", TARGETS)
table(goos_files.assign(go_files=goos_files["go_files"].map(", ".join))[["target", "go_files"]])
""")

md("""
A different file per GOOS. Its first lines say where it comes from and when it is compiled:
""")

code("""
zgoos = tc.goroot / "src" / "internal" / "goos" / f"zgoos_{tc.goos}.go"
print("\\n".join(zgoos.read_text().splitlines()[:8]))
""")

md("""
The `//go:build` line is a build constraint: the go command compiles the file only when it holds, for any
package, yours too. GOOS is a constant in the package `internal/goos` (GOARCH in `internal/goarch`), written by
`go generate` in Go's own repository and shipped in `GOROOT/src`, not generated during your build. And
`runtime/internal/sys`?
""")
# Evidence: the file's first line "Code generated by gengoos.go using 'go generate'. DO NOT EDIT." and its
# //go:build line (printed above); internal/goarch/zgoarch_amd64.go likewise (gengoarch.go).

code("""
try:
    sys_files = gokit.target_files("runtime/internal/sys", [(tc.goos, tc.goarch)])
    print(f"go{tc.version} has runtime/internal/sys:")
    print(", ".join(sys_files["go_files"].iloc[0]))
except gokit.UsageError as e:
    print(f"go{tc.version} has no package runtime/internal/sys; go list says:")
    print(str(e).split(": ", 1)[1])
""")

md("""
Since Go 1.23 that package is `internal/runtime/sys`; in Go 1.22 it still exists, but without the GOOS
constant. What a target changes in the runtime is which files it compiles:
""")
# Evidence: go1.22.10 src/runtime/internal/sys (consts.go, sys.go, zversion.go ...: no zgoos file); go1.27.3 has no
# src/runtime/internal and has src/internal/runtime/sys; the cell above prints what the learner's Go has.

code("""
runtime_files = gokit.target_files("runtime", TARGETS)


def first_few(names):
    return f"{len(names)}: " + ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")


table(pd.DataFrame({"target": runtime_files["target"], "runtime files": runtime_files["files"],
                    "compiled for no other target listed": runtime_files["only_here"].map(first_few)}))
""")

md("""
## A cross-compilation matrix

Cross-compiling is the same `go build` with GOOS and GOARCH set. Every target compiles its own standard
library, so to keep the wait short the matrix builds a smaller program, one that prints with the built-in
`println` and imports nothing, for seven targets, in the private cache (for linux/amd64 and linux/arm64 it
already holds every package this program needs but its own):
""")

code("""
MATRIX = [("linux", "amd64"), ("linux", "arm64"), ("darwin", "arm64"), ("windows", "amd64"), ("js", "wasm"),
          ("wasip1", "wasm"), ("linux", "riscv64")]
SMALL = 'package main\\n\\nfunc main() { println("hello, gopher") }\\n'
matrix = gokit.cross_matrix(SMALL, MATRIX, gocache=scratch, workdir=work / "small")
table(matrix, seconds="{:.2f}", size="{:,}")
""")

md("""
The `magic` column is the first four bytes of each output, and `format` what they say: `7f 45 4c 46` is
`\\x7fELF`, `cf fa ed fe` a 64-bit Mach-O (macOS), `4d 5a` is `MZ`, the start of a Windows PE file, and
`00 61 73 6d` is `\\0asm`, WebAssembly. The machine comes from a field of each format's header.
""")
# Evidence: gokit/_boot.py file_format (magic numbers; ELF e_machine at byte 18; Mach-O cputype at byte 4; PE
# machine in the COFF header via e_lfanew); tests/test_boot.py test_file_format_from_magic_bytes.

code("""
held = bench.fmt_bytes(scratch.size())
print(f"the private cache holds {held} now: what this lesson's builds so far would have added to yours")
""")

md("""
## Linker flags: `-s`, `-w` and `-X` (claim 13)

`-w` leaves out the [[DWARF|dwarf]] debug information, `-s` the symbol table. The article measured 11.2 MB → 6.8 MB with
`-s -w`. Before you build: how do `-s` and `-s -w` compare?

### Predict, then run

How many bytes bigger is the `-s` binary than the `-s -w` one? Put a number.
""")

lesson.exercise(
    "strip",
    question="How many bytes bigger is the hello world linked with -ldflags=-s than the one with -ldflags='-s -w'?",
    hint="Read the linker's flag handling: what does it do with -w when you did not set it?",
    solution="0: -s implies -w unless -w is set explicitly (cmd/link/internal/ld/main.go), so both binaries have "
             "neither a symbol table nor DWARF and are the same size.",
    reveals=[r"-s\b[^.\n]{0,30}\bimplies\b[^.\n]{0,10}-w\b",
             r"\bsame size\b"],
)

code("""
prediction = ...  # a number of bytes

sizes = gokit.ldflags_sizes(SOURCE)
by_flags = sizes.set_index("ldflags")["size"]
lesson.exercise("06", "strip").check(prediction, int(by_flags["-s"] - by_flags["-s -w"]))
""")

code("""
table(sizes, size="{:,}", saved="{:,}")
""")

code("""
link_main = tc.goroot / "src" / "cmd" / "link" / "internal" / "ld" / "main.go"
lines = link_main.read_text().splitlines()
n = next(i for i, line in enumerate(lines, 1) if "*FlagW = *FlagS" in line)
print(f"cmd/link/internal/ld/main.go:{n}  {lines[n - 1].strip()}")
""")

code("""
full, stripped, s_only = by_flags["(none)"], by_flags["-s -w"], by_flags["-s"]
same = "the same size" if s_only == stripped else bench.fmt_bytes(s_only)
display(Markdown(
    f"Claim 13: the article has 11.2 MB → 6.8 MB ({1 - 6.8 / 11.2:.0%} smaller). Your hello world: "
    f"**{bench.fmt_bytes(full)} → {bench.fmt_bytes(stripped)}**, {1 - stripped / full:.0%} smaller; `-s` "
    f"alone gives {same}. The two are not identical byte for byte: each binary records the flags it was "
    "linked with (`go version -m` shows them)."))
""")

md("""
`-X importpath.name=value` sets a string variable when linking. Here a program with a `version` variable, built
three ways: as it is, with `-X main.version=v1.2.3`, and with a `-X` naming a variable that does not exist. For
each: what the variable holds in the binary (read through its symbol), what the program prints, and what
`go build` said:
""")

code('''
VERSIONED = """package main

import "fmt"

var version = "dev"

func main() {
	fmt.Println("version", version)
}
"""
rows = []
for i, flags in enumerate((None, "-X main.version=v1.2.3", "-X main.nope=v9.9.9")):
    out = work / f"versioned-{i}"
    g = gokit.build_graph(VERSIONED, ldflags=flags, output=out)
    rows.append({"-ldflags": flags or "(none)",
                 "main.version holds": gokit.string_variable(out, "main.version"),
                 "main.nope": gokit.string_variable(out, "main.nope") or "no such symbol",
                 "the program prints": gokit.exec_file(out).stdout.strip(),
                 "go build printed": g.messages or "nothing"})
table(pd.DataFrame(rows))
''')

md("""
A `-X` whose variable does not exist is ignored without a word: a typo in a release script's `-X` ships `dev`.
The flags themselves are recorded in the binary:
""")
# Evidence: cmd/link/internal/ld/data.go:1255-1260 addstrdata: `s := l.Lookup(name, 0); if s == 0 { return }`; the
# table above (exit status 0, nothing printed, the program prints "dev").

code("""
info = tc.go_cmd("version", "-m", work / "versioned-2").out
print(next(line.strip() for line in info.splitlines() if "-ldflags" in line))
""")

md("""
## Benchmark: a cold build, a warm one, and `go build -a`

Three ways to run `go build -o hello .` on the same program, each a whole process:

* **warm**: with your `GOCACHE`, the output deleted before each run: nothing to compile, only the link;
* **`-a`**: `go build -a` forces every package to be rebuilt, here with the private cache (which already holds
  them all: they are compiled and stored again);
* **cold**: an empty private `GOCACHE` before each run: everything compiled from scratch.

The cold and `-a` builds take seconds each, so they get only two runs: the [[interval|median-interval]] of a median
of 2 runs is their min–max, and it holds the true median only half the time (the table says so). Your machine (a load average near or above the number of CPUs
makes every number slower and noisier):
""")

code("""
print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
WARM_RUNS = bench.runs(10)
SLOW_RUNS = bench.runs(2)  # cold and -a builds: seconds each
""")

code("""
cold_cache = gokit.scratch_gocache()


def go_build(*flags, gocache=None):
    env = tc.env({"GOCACHE": os.fspath(gocache)}) if gocache is not None else tc.env()
    return bench.Cmd([str(tc.go), "build", *flags, "-o", "hello", "."], env=env, cwd=prog)


warm = bench.compare({"warm": go_build()}, runs=WARM_RUNS, warmup=1,
                     prepare={"warm": lambda: (prog / "hello").unlink(missing_ok=True)})
slow = bench.compare({"-a": go_build("-a", gocache=scratch), "cold": go_build(gocache=cold_cache)},
                     runs=SLOW_RUNS, warmup=0, run_timeout=900, prepare={"cold": cold_cache.empty})
result = bench.merge(warm, slow)
result
""")

code("""
result.plot()
""")

code("""
s = result.summary
fmt = bench.fmt_seconds
a, c = s.loc["-a"], s.loc["cold"]
apart = a["ci_high"] < c["ci_low"] or c["ci_high"] < a["ci_low"]
lines = [f"* {result.conclusion()}",
         "* The warm build compiled nothing and only linked; the cold one compiled "
         f"{cold.cache_misses} packages first: that is the difference.",
         "* `-a` and cold both compile every package; `-a` kept its cache, cold started from an empty one: "
         + (f"{fmt(a['median'])} against {fmt(c['median'])}, and the ranges do not overlap: "
            f"{'`-a`' if a['median'] < c['median'] else 'cold'} was faster here." if apart else
            "their ranges overlap, so with this few runs the two cannot be told apart.")]
display(Markdown("\\n".join(lines)))
""")

code("""
grown = gokit.gocache_size() - gocache_before
private = scratch.size() + cold_cache.size()
print(f"Your GOCACHE grew by {bench.fmt_bytes(max(grown, 0))} while this lesson ran (other Go commands running")
print(f"at the same time count too). The private caches held {bench.fmt_bytes(private)}; they are removed now.")
for d in (scratch, cold_cache):
    d.remove()
shutil.rmtree(work, ignore_errors=True)
""")

md("""
## What you saw
""")

code("""
edit, flag, moved, arm = (changes[k] for k in ("an edit", "-gcflags=-N", "another directory", "GOARCH=arm64"))
zgoos = {t: [f for f in files if f.startswith("zgoos_")] for t, files in zip(goos_files["target"],
                                                                          goos_files["go_files"])}
missing_ignored = rows[2]["main.nope"] == "no such symbol" and rows[2]["go build printed"] == "nothing"
display(Markdown(f\"\"\"
* The second identical build compiled {again.cache_misses} packages, took {again.cache_hits} from `GOCACHE`,
  and linked again.
* An action ID is a SHA-256 of inputs the go command lists itself (`GODEBUG=gocachehash=1`: Go version,
  directory, GOOS/GOARCH, flags, file hashes, imports' outputs), not a task fingerprint from a build script
  (claim 11). An edit, `-gcflags=-N` and another directory compiled {edit.cache_misses},
  {flag.cache_misses} and {moved.cache_misses} package(s); GOARCH=arm64 compiled {arm.cache_misses}.
* The cold build's slowest compile was `{times["package"].iloc[0]}`, {times["share"].iloc[0]:.0%} of all the
  compile time, with at most {cold.max_parallel()} compiles at once.
* Build constraints picked one `zgoos_*.go` of `internal/goos` per target ({"; ".join(f"{t}: {', '.join(f)}"
  for t, f in zgoos.items())}), where the GOOS constant lives (claim 12).
* {len(matrix)} targets built on one machine, {matrix["format"].nunique()} different formats and machines
  read from their first bytes; `-s` gave {same} as `-s -w` ({bench.fmt_bytes(full)} → {bench.fmt_bytes(stripped)}, claim 13);
  a `-X` for a missing variable was {"ignored without a word" if missing_ignored else "reported"}.
* {result.conclusion()}
\"\"\"))
""")
lesson.cells[-1].metadata["jupyter"] = {"source_hidden": True}  # prose computed from this run's measurements

lesson.myth_check(11)
lesson.myth_check(12)
lesson.myth_check(13)
lesson.further_reading()

# Link to lesson 07 once it exists in this repository (regenerate this lesson after it is written).
found = sorted(NOTEBOOKS.glob("07-*.ipynb"))
if found:
    md(f"Next: the benchmarks lab, in [{found[0].stem}]({found[0].name}).")

lesson.write()
