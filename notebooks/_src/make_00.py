"""Generate notebooks/00-go-run-is-go-build.ipynb (outputs cleared). Run: python notebooks/_src/make_00.py"""
from __future__ import annotations

from _nb import Lesson

lesson = Lesson("00-go-run-is-go-build.ipynb", budget_seconds=60)
md, code = lesson.md, lesson.code


md("""
# 00 — `go run` *is* `go build`

Go has no interpreter in its toolchain: `go run main.go` compiles and links a real executable,
then starts it. In this lesson you watch that happen, step by step, on your own machine:

* the steps `go run -x -work` prints: compile, link, exec, and where the temporary binary lives;
* how modern Go (1.24+) **caches the executable** that `go run` builds, so a second run skips the linker;
* why `./main.go` does not run, what a `#!` line does to it, and the one first line that works;
* a benchmark: `go run` against `go build` and against starting the binary, warm and cold.

Why it matters: "interpreted or compiled?" decides what a start-up costs and what you can
cache. A popular article, *Can Go run without compiling?*, gets several of these facts
wrong. This lesson checks its claims **1** (`go run` recompiles everything each time and is as
slow as `go build`), **2** (`./main.go` gives permission denied / command not found),
**3** (`#!/usr/bin/env go run` cannot work) and **13** (start-up: `go run` 1.25 ms vs binary
0.43 ms) against what your toolchain really does.
""")

code("""
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench

pd.set_option("display.max_colwidth", 100)
tc = gokit.toolchain()
print(f"go{tc.version} ({tc.goos}/{tc.goarch}) at {tc.go}")
print(f"GOCACHE = {tc.gocache}")
""")

md("""
Two small helpers make the step tables readable: long paths are shortened to `$WORK` (go's
temporary directory), `$GOCACHE` (the build cache) and `$GOROOT`.
""")

code("""
def short(text, r=None):
    text = str(text).replace(str(tc.gocache), "$GOCACHE").replace(str(tc.goroot), "$GOROOT")
    if r is not None and r.workdir:
        text = text.replace(str(r.workdir), "$WORK")
    return text if len(text) <= 100 else text[:97] + "..."


def step_table(r):
    \"\"\"The steps of a `go run -x` as a table: what, for which package, done by which tool.\"\"\"
    t = r.steps[["action", "package", "tool", "internal"]].copy()
    t["target"] = [short(o or c, r) for o, c in zip(r.steps["output"], r.steps["command"])]
    return t
""")

md("""
## The program

This is the program the whole lesson builds and runs. Edit it if you like (keep `package main`
and `func main`), then run the notebook again from the top.
""")

code('''
SOURCE = """package main

import "fmt"

func main() {
	fmt.Println("hello, gopher")
}
"""
''')

md("""
Go caches everything it builds. So that you see a *first* run even when your cache already
knows this program, every run of this notebook gives it a new edition: one extra constant with
a fresh value. Changing a constant is a real edit, exactly like changing one string.
""")

code("""
RUN = uuid.uuid4().hex[:8]


def edition(source, n):
    \"\"\"The program with one more constant, unique to this notebook run and to n.\"\"\"
    return source + f'\\nconst edition = "{RUN}-{n}"\\n'


print(edition(SOURCE, 1))
""")

md("""
## `go run -x -work`: every step, printed

`-x` makes the go command print each step as a shell-like line before doing it; `-work` keeps
its temporary directory instead of deleting it. `gokit.go_run_x` runs the real
`go run -x -work .` and parses those lines into a table, one row per step.
""")

code("""
first = gokit.go_run_x(edition(SOURCE, 1))
print("the program printed:", first.stdout.strip())
step_table(first)
""")

md("""
Read the table from the top: `workdir` is the `WORK=` line (the temporary directory),
`compile` turns the package into `_pkg_.a`, `link` writes an executable under `$WORK/b001/exe/`,
and the last row executes it. Which packages were compiled, and which steps started a process?
""")

code("""
steps = first.steps
print("compiled packages:", steps.loc[steps.action == "compile", "package"].tolist())
print("linked:          ", steps.loc[steps.action == "link", "output"].map(lambda o: short(o, first)).tolist())
print("executed:        ", short(first.binary, first))
print()
print(f"{int(steps.internal.sum())} of {len(steps)} steps are marked '# internal':")
step_table(first)[steps.internal]
""")

md("""
Lines that end in `# internal` are done **by the go command itself** (writing an `importcfg`,
stamping a build ID, copying into the cache): `-x` prints them as shell commands so you could
replay them, but no `cat`, `cp` or `go tool buildid` process is started. The compiler, the
linker and your program are real processes.

The other packages (`fmt`, `runtime`, ...) were not compiled: the link step reads them from
`$GOCACHE`. Count the `packagefile` lines of the linker's import config:
""")

code("""
link_cfg = steps.loc[steps.output.str.endswith("importcfg.link"), "command"].iloc[0]
entries = dict(line.removeprefix("packagefile ").split("=", 1) for line in link_cfg.splitlines()
               if line.startswith("packagefile "))
from_cache = [pkg for pkg, path in entries.items() if path.startswith(str(tc.gocache))]
print(f"{len(entries)} packages linked, {len(from_cache)} of them read from $GOCACHE")
print("not from the cache:", {pkg: short(path, first) for pkg, path in entries.items() if pkg not in from_cache})
print("a few from the cache:", ", ".join(from_cache[:7]), "...")
""")

md("""
## Where the temporary binary lives

Because we passed `-work`, the temporary directory is still there. Here is everything in it:
""")

code("""
files = sorted(p for p in first.workdir.rglob("*") if p.is_file())
pd.DataFrame({"file": [short(p, first) for p in files], "bytes": [p.stat().st_size for p in files]})
""")

code("""
first.cleanup()  # we asked go to keep it, so we remove it ourselves
print(short(first.workdir), "exists:", first.workdir.exists())
""")

md("""
Without `-work`, go deletes that directory itself when the program has finished. Run a new
edition (so go has to link again) and look for its directory afterwards:
""")

code("""
plain = gokit.go_run_x(edition(SOURCE, 2), work=False)
print("executed:", short(plain.binary, plain))
print(f"after the run, {plain.workdir} exists: {plain.workdir.exists()}")
""")

md("""
## Modern `go run` caches the executable

So far this is the article's story: build into a temp dir, exec, delete. But look at the
`cache-copy` rows of the first run: after linking, go **copied the executable into
`$GOCACHE`**.
""")

code("""
copies = step_table(first)[first.steps.action == "cache-copy"]
copies
""")

md("""
Now run the *same* edition again. Predict how many rows the step table has this time, then look:
""")

code("""
second = gokit.go_run_x(edition(SOURCE, 1))
second.cleanup()
exe_copy = first.steps.loc[(first.steps.action == "cache-copy") & first.steps.command.str.contains("/exe/"),
                           "output"].iloc[0]
print("executed:", short(second.binary))
print("that is the file the first run copied into the cache:", second.binary == exe_copy)
print(f"go run took {first.wall * 1000:.0f} ms the first time, {second.wall * 1000:.0f} ms now")
step_table(second)
""")

md("""
The second `go run` compiled nothing and linked nothing: it found the executable in the cache
and started it. This is new in Go 1.24; `go run` in 1.22 relinks on every run (see the optional
comparison below). So the article's claim 1, "go run fully recompiles each time", is wrong for
today's Go.
""")

md("""
### Predict, then run

You change one string in the program and `go run` it again. How many packages will
`go run -x` compile? Put your guess in `prediction` (a number) and run the cell.
""")

lesson.exercise(
    "edit-compiles",
    question="You changed one string. How many packages does `go run -x` compile?",
    hint="Only a package whose source (or whose dependencies) changed must be compiled again; "
         "look at which package your edit touched.",
    solution="One: the main package. fmt, runtime and the others did not change, so their compiled form "
             "comes from GOCACHE; go run compiles main again and links.",
)

code("""
prediction = ...  # your guess: how many compile steps?

changed = SOURCE.replace("hello, gopher", f"hello again {RUN}")
if changed == SOURCE:  # you edited the greeting away: change the program another way
    changed = edition(SOURCE, 3)
after_edit = gokit.go_run_x(changed)
after_edit.cleanup()
compiled = after_edit.steps.loc[after_edit.steps.action == "compile", "package"].tolist()
gokit.exercise("00", "edit-compiles").check(prediction, len(compiled))
""")

md("""
## `go build` compiles `main` again

`go run` and `go build` do not share the compiled `main` package. Build the very edition that
`go run` compiled above and compare the flags of the two compile and link steps:
""")

code("""
built = gokit.build(edition(SOURCE, 1))
print("packages go build compiled:", built.steps.loc[built.steps.action == "compile", "package"].tolist())


def command_of(frame, action):
    return frame.loc[frame.action == action, "command"].iloc[0]


pd.DataFrame({
    "go run": ["-dwarf=false" in command_of(first.steps, "compile"), " -s -w " in command_of(first.steps, "link")],
    "go build": ["-dwarf=false" in command_of(built.steps, "compile"), " -s -w " in command_of(built.steps, "link")],
}, index=["compile has -dwarf=false", "link has -s -w"])
""")

md("""
`go run` compiles without DWARF debug info and links with `-s -w` (no symbol table, no DWARF):
its executable is only for running once, not for debugging. Different flags mean different
cache keys, so `go build` compiles `main` itself.
""")

md("""
### Optional: Go 1.22 for comparison

Set `COMPARE_122 = True` to run the same two `go run`s with Go 1.22.10. gokit pip-installs it
into its own cache the first time (about 70 MB), so it is off by default.
""")

code("""
COMPARE_122 = False  # True: install Go 1.22.10 once and compare

if COMPARE_122:
    tc122 = gokit.use_go("1.22.10")
    old = [gokit.go_run_x(edition(SOURCE, 122), toolchain=tc122) for _ in range(2)]
    for r in old:
        r.cleanup()
    for name, runs in ((f"go{tc.version}", (first, second)), (f"go{tc122.version}", old)):
        for i, r in enumerate(runs, 1):
            counts = r.steps.action.value_counts()
            print(f"{name}, run {i}: {counts.get('compile', 0)} compile, {counts.get('link', 0)} link; "
                  f"executed {short(r.binary, r)}")
    display(step_table(old[1]))
else:
    print("Skipped. Set COMPARE_122 = True and run this cell to compare with go1.22.10.")
""")

md("""
## Why `./main.go` does not run

The article says `./main.go` fails with "permission denied" or "command not found". Both
happen, for different reasons. Put the program in a directory of its own as `main.go` and ask
the kernel to execute it, as `./main.go` in a shell would (`gokit.exec_file` calls
`execve` without a shell and reports what the kernel said):
""")

code("""
play = Path(tempfile.mkdtemp(prefix="gokit-lesson00-"))
main_go = play / "main.go"
main_go.write_text(SOURCE)
print("mode:", oct(main_go.stat().st_mode & 0o777))
gokit.exec_file("main.go", cwd=play)
""")

md("""
No execute permission: the kernel refuses with `EACCES`, "permission denied". Give it `+x`:
""")

code("""
main_go.chmod(0o755)
display(gokit.exec_file("main.go", cwd=play))
print("first bytes of main.go:        ", main_go.read_bytes()[:4])
print("first bytes of a Go executable:", gokit.build(SOURCE).binary.read_bytes()[:4])
""")

md("""
Now the kernel refuses differently: `ENOEXEC`, exec format error. An executable file must start
with a format the kernel knows (an ELF header, or `#!` naming an interpreter), and Go source is
neither (compare the first bytes above: an executable starts with `\\x7fELF`). When a **shell** gets `ENOEXEC`, POSIX tells it to run the file as a shell script
instead, which is what `sh ./main.go` does:
""")

code("""
shells = [sh for sh in ("/bin/sh", "/bin/bash") if Path(sh).exists()]
for sh in shells:
    display(gokit.exec_file(sh, ["./main.go"], cwd=play))
""")

md("""
So the "not found" is the shell trying to run the Go line `package main` as a command, then
`import`, then choking on `func main() {`. Claim 2 checks out, but the reason is the kernel's
format check, not a missing compiler.
""")

md("""
## The `#!` line

What if the file names its interpreter? The kernel splits a `#!` line into the interpreter and
**one** argument. We put the toolchain's `go` on `PATH` for these runs:
""")

code("""
go_env = tc.env({"PATH": f"{tc.go.parent}{os.pathsep}{os.environ.get('PATH', os.defpath)}"})
main_go.write_text("#!/usr/bin/env go run\\n" + SOURCE)
gokit.exec_file("main.go", cwd=play, env=go_env)
""")

md("""
`env` received `go run` as one word and looked for a program with a space in its name. GNU
`env -S` splits that word itself, so `go run ./main.go` really starts. Does Go accept the file?
""")

code("""
main_go.write_text("#!/usr/bin/env -S go run\\n" + SOURCE)
gokit.exec_file("main.go", cwd=play, env=go_env, timeout=120)
""")

md("""
The compiler rejects the first line: `#` is not a Go token. The trick that works needs a first
line that is a **comment to Go** and a **command to the shell**. `//usr/bin/env` is a Go line
comment, and for `sh` a path (`//usr` is `/usr`). After running `go run` on the file itself
(`"$0"`), `exit` stops the shell before it reads the Go code. A shell runs it after `ENOEXEC`
(typing `./main.go` in bash), or directly:
""")

code("""
main_go.write_text('//usr/bin/env go run "$0" "$@"; exit\\n' + SOURCE)
print(main_go.read_text().splitlines()[0])
gokit.exec_file("/bin/sh", ["./main.go"], cwd=play, env=go_env, timeout=120)
""")

code("""
shutil.rmtree(play)
""")

md("""
Even this works by compiling: the shell calls `go run`, which builds an executable as you saw
above. Claim 3 ("`#!/usr/bin/env go run` can't work") is right about that line, but a script-like
Go file is possible. The only way to run Go source without compiling it is a Go *interpreter*
such as [yaegi](https://github.com/traefik/yaegi), a separate project (not part of the Go
toolchain and not used by these lessons).
""")

md("""
## Benchmark: what a start costs

Now time it, with whole processes (`gokit.bench.compare` starts each command with
`posix_spawn` and waits for it, like `hyperfine -N`; the runs of all commands are interleaved
so that load on your machine hits all of them alike):

* **exec of the binary**: start a prebuilt executable (the reference: ratio 1);
* **go run . (warm)**: the cached executable from above;
* **go build -o hello . (relink)**: the output file is deleted before each run, so go must link again,
  as in a `go build && ./hello` workflow (add the exec time for the whole thing);
* **go run . (edited)** and **go build (edited)**: the source gets a new constant before each run,
  so `main` is compiled again and linked;
* **go build (cold cache)**: an empty `GOCACHE` before each run, so the whole standard library
  is compiled. It takes seconds per run: `COLD_RUNS` sets how many (0 skips it).
""")

code("""
WARM_RUNS = 10  # runs per warm command (more: tighter intervals, longer wait)
COLD_RUNS = 2   # truly cold builds, several seconds each; 0 skips them
""")

md("""
Each go command gets its own copy of the program in a scratch directory, the toolchain's clean
environment (`tc.env()`) and, where needed, a `prepare` step that gokit runs, untimed, before
each of its runs:
""")

code("""
work = Path(tempfile.mkdtemp(prefix="gokit-bench00-"))
gomod = gokit.Source(SOURCE).gomod(tc)
binary = gokit.build(SOURCE).binary
edits = iter(range(1_000_000))


def module(name):
    \"\"\"A directory holding the program as a module, for one benchmark command.\"\"\"
    d = work / name
    d.mkdir()
    (d / "main.go").write_text(SOURCE)
    (d / "go.mod").write_bytes(gomod)
    return d


def go(*args, cwd, gocache=None):
    \"\"\"`go ARGS` in cwd with the toolchain's environment (and maybe its own GOCACHE).\"\"\"
    env = tc.env({"GOCACHE": str(gocache)}) if gocache else tc.env()
    return bench.Cmd([str(tc.go), *args], env=env, cwd=cwd)


def edit(d):
    \"\"\"A prepare step: give the program in d a new constant, so main must be compiled again.\"\"\"
    return lambda: (d / "main.go").write_text(edition(SOURCE, f"bench-{next(edits)}"))


dirs = {name: module(name) for name in ("run", "build", "run-edited", "build-edited", "cold")}
""")

code("""
warm = bench.compare({
    "exec of the binary": [str(binary)],
    "go run . (warm)": go("run", ".", cwd=dirs["run"]),
    "go build (relink)": go("build", "-o", "hello", ".", cwd=dirs["build"]),
    "go run . (edited)": go("run", ".", cwd=dirs["run-edited"]),
    "go build (edited)": go("build", "-o", "hello", ".", cwd=dirs["build-edited"]),
}, runs=WARM_RUNS, warmup=2, prepare={
    "go build (relink)": lambda: (dirs["build"] / "hello").unlink(missing_ok=True),
    "go run . (edited)": edit(dirs["run-edited"]),
    "go build (edited)": edit(dirs["build-edited"]),
})
warm
""")

md("""
The cold builds get an empty `GOCACHE` of their own before every run (your real cache is not
touched), then both sets of runs are put into one result:
""")

code("""
cold_cache = work / "gocache"


def empty_cache():
    shutil.rmtree(cold_cache, ignore_errors=True)
    cold_cache.mkdir()


if COLD_RUNS:
    cold = bench.compare({
        "go build (cold cache)": go("build", "-o", "hello", ".", cwd=dirs["cold"], gocache=cold_cache),
    }, runs=COLD_RUNS, warmup=0, timeout=300, prepare={"go build (cold cache)": empty_cache})
    result = bench.merge(warm, cold)
else:
    result = warm
shutil.rmtree(work)
result
""")

code("""
result.plot()
""")

code("""
print(result.conclusion())
""")

md("""
### The article's numbers against yours

The article's start-up table (claim 13) says `go run` takes 1.25 ms and the binary 0.43 ms.
The sentences below are computed from your measurements:
""")

code("""
s = result.summary
exe = s.loc["exec of the binary", "median"]
run = s.loc["go run . (warm)", "median"]
relink = s.loc["go build (relink)", "median"]
edited = s.loc["go run . (edited)", "median"]
fmt = bench.fmt_seconds
lines = [
    f"* Claim 13: the article has `go run` 1.25 ms vs binary 0.43 ms ({1.25 / 0.43:.1f}×). Here a warm "
    f"`go run` took **{fmt(run)}** and the binary **{fmt(exe)}**: {run / exe:.0f}× the binary, and "
    f"{run / 1.25e-3:.0f}× the article's `go run` figure. Even with the executable cached, `go run` puts a "
    "process in front of yours: the go command starts, loads the package, finds the executable in the cache "
    "(the two-row step table above) and only then execs it.",
    f"* Claim 1: a warm `go run` ({fmt(run)}) is "
    + (f"{relink / run:.1f}× faster than" if run < relink else f"{run / relink:.1f}× slower than")
    + f" `go build` that must relink ({fmt(relink)}), and `go build` + exec costs about {fmt(relink + exe)}. "
    f"After an edit, `go run` takes {fmt(edited)}: compile `main` + link, not the whole standard library.",
]
hot = bench.compare({"exec, back to back": [str(binary)]}, runs=50, warmup=5, progress=False).summary.iloc[0]
same = hot["ci_low"] <= s.loc["exec of the binary", "ci_high"] and s.loc["exec of the binary", "ci_low"] <= hot["ci_high"]
lines.append(
    f"* Started 50 times back to back (as `hyperfine` does), the binary took **{fmt(hot['median'])}**; "
    f"between the go commands above it took {fmt(exe)}"
    + (", the same within the intervals." if same else
       f": {exe / hot['median']:.1f}× as long. A start right after a build is slower than one in a tight "
       "loop, so say how a start-up time was measured when you quote it.")
)
if "go build (cold cache)" in s.index:
    cold_median = s.loc["go build (cold cache)", "median"]
    lines.append(f"* Only an empty cache compiles everything: {fmt(cold_median)} "
                 f"({cold_median / edited:.0f}× an edited `go run`).")
display(Markdown("\\n".join(lines)))
""")

md("""
## What you saw

* `go run` is `go build` into a temporary directory followed by an exec; `-x` shows every step
  and `# internal` marks the ones the go command does without starting a process.
* Modern `go run` copies the executable it linked into `GOCACHE` and runs it from there next
  time: a warm `go run` compiles and links nothing. It still pays for starting the go command,
  which the benchmark measured.
* `./main.go` fails because the kernel only executes ELF files and `#!` scripts; a shell then
  runs Go source as a shell script. `//usr/bin/env go run "$0" "$@"; exit` turns that into a
  working trick, still by compiling.

Next: what the compiler does with your source first, in
[01 — tokens and the AST](01-tokens-and-ast.ipynb).
""")

lesson.write()
