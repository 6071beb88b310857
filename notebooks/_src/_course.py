"""The course around the lessons, in one place: the pipeline, each lesson's stage and prerequisites, the article's
claims (numbered in the order the course meets them), the glossary, further reading.

Read by _nb.py (the strip at the top of each lesson, glossary links, myth-check boxes, further reading) and by
make_course.py (notebooks/README.md, notebooks/glossary.md, notebooks/the-whole-pipeline.md), so a number or a
name is written once. Every glossary entry was checked against Go 1.27.3 and Go 1.22.10 (GOROOT/src paths below
exist in both; line numbers are Go 1.27.3 unless marked).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent
ROOT = NOTEBOOKS.parent
#: Measured run times per lesson (`gokit check --json`, written by docs/_src/lesson_times.py).
TIMES = ROOT / "docs" / "_src" / "lesson_times.json"
GLOSSARY = "glossary.md"
CLOSING = "the-whole-pipeline.md"

GO_SRC = "https://github.com/golang/go/blob/master/src/"

# ---------------------------------------------------------------- the article

ARTICLE_TITLE_ZH = "Go不编译能运行吗?——从go run到go build的7步执行流拆解,附性能对比基准测试数据"
ARTICLE_TITLE_EN = ("Can Go run without compiling? The 7-step flow from go run to go build, taken apart, with "
                    "benchmark data")
# Found with its Chinese title; the page names no author (it ends on an unsigned one-line bio).
ARTICLE_URL = "https://datasea.cn/go0210475500.html"
ARTICLE_CITE = (f"“{ARTICLE_TITLE_ZH}” (“{ARTICLE_TITLE_EN}”), unsigned article on datasea.cn, "
                f"<{ARTICLE_URL}>")

# ---------------------------------------------------------------- the pipeline and the lessons

#: The stages of the "you are here" strip, in order, with the lesson that shows each best: the lessons' numbers
#: read left to right in the course's order.
STAGES: list[tuple[str, str]] = [
    ("source", "00"), ("tokens", "01"), ("AST", "01"), ("types", "02"), ("SSA", "03"), ("assembly", "04"),
    ("object/link", "04"), ("binary", "04"), ("process", "05"),
]
#: The go command is no stage: it runs every stage (go run in lesson 00, go build and its cache in 06), so the
#: strip draws it as a frame above them. A lesson whose `stages` name it has the frame highlighted.
FRAME: tuple[str, tuple[str, ...]] = ("the go command", ("00", "06"))


@dataclass(frozen=True)
class LessonInfo:
    number: str
    file: str
    title: str            # short, for maps and strips
    question: str         # the question it answers (README)
    stages: tuple[str, ...]   # highlighted on the strip
    prerequisites: tuple[str, ...]  # lessons to read first
    needs: str            # what a learner should know beforehand
    claims: tuple[int, ...] = ()
    reading: tuple[str, ...] = field(default_factory=tuple)  # keys of READING


LESSONS: dict[str, LessonInfo] = {i.number: i for i in [
    LessonInfo("00", "00-go-run-is-go-build.ipynb", "go run is go build",
               "Does `go run` interpret Go? What does it really do, and what does it cost?",
               ("the go command", "source", "process"), (), "basic Go (a `main` package, `go run`) and a shell",
               (1, 2, 3, 4), ("go-run", "go-build", "go-cache", "exec", "yaegi")),
    LessonInfo("01", "01-tokens-and-ast.ipynb", "tokens and the AST",
               "How does Go read source: tokens, inserted semicolons, the syntax tree?",
               ("tokens", "AST"), ("00",), "basic Go syntax", (5,),
               ("spec-tokens", "spec-semicolons", "go-ast", "compile-readme", "syntax-pkg")),
    LessonInfo("02", "02-types.ipynb", "types",
               "What does the type checker know about every expression?",
               ("types",), ("01",), "Go's types, constants and generics at the level of the Tour of Go", (6,),
               ("spec-constants", "gotypes-tutorial", "go-types", "compile-readme")),
    LessonInfo("03", "03-ssa.ipynb", "SSA",
               "What do the compiler's SSA passes (more than fifty) do to a function?",
               ("SSA",), ("02",), "loops, slices and pointers in Go", (7,),
               ("ssa-readme", "compile-readme", "gcflags-m", "ssa-html")),
    LessonInfo("04", "04-codegen-and-linking.ipynb", "code generation and linking",
               "What machine code and relocations does the compiler leave, and how does the linker fill them?",
               ("assembly", "object/link"), ("03",), "what a function call and a pointer are; no assembly needed",
               (8, 9), ("go-asm", "abi-internal", "link-doc", "objabi-reloc", "compile-readme")),
    LessonInfo("05", "05-process-start.ipynb", "process start",
               "What runs between the kernel's `execve` and `main.main`, and what does an `init` cost?",
               ("process",), ("04",), "goroutines; package `init` functions", (10,),
               ("runtime-hacking", "spec-init", "godebug", "runtime-pkg")),
    LessonInfo("06", "06-go-build.ipynb", "go build",
               "What does `go build` redo, and why; what do GOOS/GOARCH and `-ldflags` change?",
               ("the go command", "binary"), ("00",), "modules and packages; environment variables",
               (11, 12, 13),
               ("go-build", "go-cache", "go-buildconstraint", "link-doc", "buildid")),
    LessonInfo("07", "07-benchmarks-lab.ipynb", "benchmarks lab",
               "What do start-up, a heap profile, the compiler's CPU profile and CI builds really measure?",
               ("the go command", "process"), ("00", "06"), "medians and spread; lesson 00's start-up benchmark",
               (4, 14), ("diagnostics", "pprof", "testing-bench", "hyperfine")),
    LessonInfo("08", "08-one-line-every-stage.ipynb", "one line, every stage",
               "What does one source line become at every stage, and is it the line the CPU profile blames?",
               tuple(s for s, _ in STAGES[1:]), ("01", "02", "03", "04"), "lessons 01–04", (7, 8, 14),
               ("compile-readme", "ssa-readme", "go-asm", "pprof", "diagnostics")),
]}


def run_seconds(number: str) -> tuple[float | None, str]:
    """(seconds, where) a lesson took top to bottom in the last measured `gokit check`, and on what machine."""
    if not TIMES.is_file():
        return None, ""
    data = json.loads(TIMES.read_text())
    m = data.get("machine", {})
    where = f"{m.get('cpus', '?')} CPUs, Go {m.get('go', '?')}, warm caches, {m.get('date', '')}"
    return data.get("seconds", {}).get(number), where


# ---------------------------------------------------------------- the article's claims, in course order

@dataclass(frozen=True)
class Claim:
    number: int
    zh: str          # quoted whole, from the article
    en: str          # our translation
    verdict: str     # one short paragraph, true on Go 1.27 and 1.22
    shown: dict[str, str]  # lesson -> where in it a cell shows it
    where: str = ""  # where in the article


# Numbered in the order the course meets them (design.md §5 numbered them in the article's order: old numbers
# 1 2 3 13 5 6 7 8 4 9 10 11 12 14 are new 1 2 3 4 5 6 7 8 9 10 11 12 13 14).
CLAIMS: dict[int, Claim] = {c.number: c for c in [
    Claim(1, "该命令不生成用户可见的可执行文件,但每执行一次都完整触发编译流程,耗时与 go build 相当",
          "The command produces no executable the user can see, but every run triggers the complete compilation, "
          "taking as long as go build.",
          "Half right. `go run` does build into a temporary directory, start the program as a child and delete "
          "the directory. It does not recompile everything each time: packages come from the build cache, and "
          "since Go 1.24 `go run` caches the linked executable too, so an unchanged program is neither compiled "
          "nor linked again. How it compares with `go build` is measured, not assumed.",
          {"00": "*`go run -x -work`: every step, printed*, *`go run` builds differently from `go build`* and "
                 "*Does `go run` keep anything for next time?*"}, "chapter 1"),
    Claim(2, "./main.go 直接执行(无 shebang) ❌ 失败:permission denied、command not found — Linux 不识别 .go 为可执行格式",
          "Running ./main.go directly (no shebang) fails with permission denied or command not found: Linux does "
          "not recognise .go as an executable format.",
          "Right about the messages, incomplete about why. Without `+x` the kernel refuses with `EACCES` "
          "(permission denied); with `+x` it refuses with `ENOEXEC`, and then the *shell* runs the file as a "
          "shell script, which is where \"command not found\" comes from (which words a shell prints depends on "
          "the shell).",
          {"00": "*Why `./main.go` does not run*"}, "chapter 1, table"),
    # Claim 3: the kernel's ENOEXEC for a file without #! is what gokit.exec_file shows in lesson 00 (execve(2));
    # only a shell falls back to running it as a script (POSIX 2.9.1.1), so an execve without a shell fails.
    Claim(3, "添加 #!/usr/bin/env go run 并 chmod +x ❌ 无效:go run 不接受 shebang 传递的参数,且 env 查找失败",
          "Adding #!/usr/bin/env go run and chmod +x does not work: go run does not accept the argument the "
          "shebang passes, and env's lookup fails.",
          "Right about that line, wrong in general. Linux passes `go run` to `env` as one word, so `env` finds "
          "no such program; with `env -S` the go command starts but rejects the `#` while loading the package. "
          "A first line that is a comment to Go and a command to the shell, `//usr/bin/env go run \"$0\" \"$@\"; "
          "exit`, does work when a shell starts the file, with catches: a program that starts it without a shell "
          "(a systemd unit, Go's `os/exec`) still gets `ENOEXEC` from the kernel.",
          {"00": "*The `#!` line*"}, "chapter 1, table"),
    # Claim 4: the go command's work before the child starts: cmd/go/internal/run/run.go:204-214 (1.22: :201-212);
    # the article's method (time.Now().UnixNano() in main): article §4.1; both measured in lessons 00 and 07.
    Claim(4, "延迟对比(平均值,单位:ns)— go run main.go 1,248,392 ±86,201;go build && exec 427,156 ±12,843",
          "Latency (mean, ns): go run main.go 1,248,392 ± 86,201; go build && exec 427,156 ± 12,843.",
          "Numbers the go command cannot reach. Before a warm `go run` starts your program, the go command "
          "starts, loads the package and asks its build cache, which takes longer than 1.25 ms (lesson 00 times "
          "it on your machine); the article's timestamps are taken inside `main`, after the start is over. "
          "Measured from the outside, as whole processes, a warm `go run` takes many times as long as starting "
          "the binary (lesson 00 gives the ratio on your machine), and `go build && exec` is a build plus a "
          "start, not the binary alone.",
          {"00": "*Benchmark: what a start costs* and *The article's numbers against yours*",
           "07": "*1. Measuring start-up*"}, "§4.1"),
    Claim(5, "// 示例:Acorn 解析器调用 const ast = acorn.parse('let x = 1 + 2;', {ecmaVersion: 2022, sourceType: 'module'});",
          "Example: calling the Acorn parser (on JavaScript) to show tokens and the AST.",
          "Wrong language: Acorn parses JavaScript. Go's own `go/scanner` and `go/parser` turn Go source into "
          "tokens (with the semicolons the scanner inserts) and a syntax tree; the compiler has its own parser "
          "(`cmd/compile/internal/syntax`) that follows the same grammar.",
          {"01": "*Tokens*, *Semicolons nobody typed* and *The syntax tree*", "08": "*1. Tokens*"}, "§2.1"),
    Claim(6, "let count: number = \"hello\"; // ❌ 类型不匹配:string 无法赋值给 number",
          "let count: number = \"hello\"; — type mismatch: string cannot be assigned to number (TypeScript).",
          "Wrong language: that is TypeScript. Go's type checker says, for `var count int = \"hello\"`: "
          "`cannot use \"hello\" (untyped string constant) as int value in variable declaration`, and "
          "`go/types` and the compiler print the same message.",
          {"02": "*Real Go type errors*"}, "§2.2"),
    Claim(7, "// src/cmd/compile/internal/ssa/gen.go 片段(简化)… return s.newValue1(OpAdd64, types.Types[TINT64], x, y) "
             "// OpAdd64 是平台无关操作码",
          "A snippet said to come from src/cmd/compile/internal/ssa/gen.go builds OpAdd64, \"a "
          "platform-independent opcode\", later expanded per architecture by the lower pass.",
          "Right mechanism, wrong source. There is no `ssa/gen.go` (the rules live in `ssa/_gen/`); SSA is built "
          "in `cmd/compile/internal/ssagen`, and the generic `Add64` does become `ADDQ` on amd64 in the `lower` "
          "pass, as the article says.",
          {"03": "*`Add64` becomes `ADDQ` in `lower`*", "08": "*4. SSA, pass by pass*"}, "§2.3"),
    # builtins get no U row: cmd/internal/objfile/goobj.go:142-144 (PkgIdxBuiltin resolved inside relocations only),
    # U rows from NonPkgRef/RefName :209-219 (same in 1.22); lesson 04 shows it live
    Claim(8, "# 查看未解析符号 nm -u main.o … 典型重定位类型对比:R_X86_64_PC32 函数调用(相对跳转);"
             "R_X86_64_GLOB_DAT 全局变量地址引用,是(动态链接)",
          "List undefined symbols with nm -u main.o; typical relocations are R_X86_64_PC32 (calls) and "
          "R_X86_64_GLOB_DAT (addresses of globals).",
          "Wrong tools and wrong relocation types for a Go object. GNU `nm` cannot read Go's object files; "
          "`go tool nm` lists the symbols an object takes from other packages as `U` rows (the runtime builtins "
          "the compiler calls, such as `runtime.morestack_noctxt`, appear only in its relocations), and the "
          "compiler's relocations are Go's own "
          "(`R_CALL`, `R_PCREL`, `R_ADDROFF`, …), filled by Go's linker. A static, internally linked binary has "
          "no relocations left; ELF relocations such as `R_X86_64_RELATIVE` appear in a PIE build, and "
          "`GLOB_DAT`/`JUMP_SLOT` in a dynamically linked (cgo) one.",
          {"04": "*Relocations: the holes in the object*, *Claim 8: `nm -u main.o`* and *Claim 8: relocations left "
                 "in the binary*", "08": "*6. Relocations and symbols*"}, "§2.4"),
    Claim(9, "go tool compile main.go 后尝试 go tool link 手动链接 ⚠️ 可行但非标准:需精确指定符号表、导入路径、runtime 包,极易失败",
          "go tool compile main.go, then go tool link by hand: feasible but non-standard; needs the symbol "
          "table, import paths and the runtime package specified exactly, and fails very easily.",
          "Feasible, as the row begins, and not fragile: two commands with an import config written from "
          "`go list -export` build a working program, the same two tools `go build -x` shows. (With cgo a hand "
          "link would also need the cgo-generated files and a C toolchain.)",
          {"04": "*Claim 9: compile and link by hand*"}, "chapter 1, table"),
    # rt0_go calls schedinit: runtime/asm_amd64.s:340 (1.22: :349); runtime.main: newm(sysmon) proc.go:179 (1.22:
    # :172), inits :207/:269, fn := main_main; fn() :301-302, runExitHooks(0), exit(0) :341 (1.22: :253, :270-271,
    # :295); sysmon's `for {}` never returns: proc.go:6537 (1.22: :5946)
    Claim(10, "runtime.main 的核心职责:初始化调度器(schedinit);启动系统监控线程(sysmon);执行 main.init() [和] "
              "main.main();阻塞等待主 goroutine 退出",
          "runtime.main's core duties: initialise the scheduler (schedinit); start the system monitor thread "
          "(sysmon); run main.init() and main.main(); block until the main goroutine exits. ([和] = a joining "
          "word lost from our copy of the page.)",
          "Right order, wrong owner and mechanism. `schedinit`, `sysmon`, the package inits and `main.main` do come "
          "in that order, but `runtime.rt0_go` (assembly) calls `schedinit` before `runtime.main` exists; "
          "`runtime.main` starts `sysmon` on a new M with `newm` (calling that endless loop would never return), "
          "then runs the inits and `main.main`. And it does not wait for goroutines: `runtime.main` *is* the main "
          "goroutine, and when `main.main` returns it runs the exit hooks and exits the process, whatever other "
          "goroutines are doing.",
          {"05": "*Who sets up the scheduler?* and *The boot chain, found in your binary*"},
          "§2.5"),
    # Claim 11: cmd/go/internal/work/buildid.go:736-754 caches a.Mode == "build" outputs (c.Put), :756-773 a link
    # only with a.CacheExecutable, set by run.go:175, tool.go:384 (Go 1.24+; 1.22 buildid.go:693-712 caches
    # package builds only); :484-494 a go build link is skipped when the target's build ID matches (1.22 :451-461).
    Claim(11, "Gradle 的 build cache 通过唯一哈希键(task input fingerprint)将任务输出序列化并持久化至本地或远程存储",
          "Gradle's build cache stores task outputs under a unique hash key (the task input fingerprint), locally "
          "or remotely.",
          "Wrong tool: that is Gradle. The go command keys each compile and link by an action ID, a hash of "
          "every input (`GODEBUG=gocachehash=1` prints them). Its build cache (`GOCACHE`) stores compiled "
          "packages, and since Go 1.24 the executables `go run` and `go tool` link, under their output IDs; "
          "`go build` keeps no executable there: it compares the link's action ID with the build ID of the file "
          "it would write.",
          {"06": "*What an action ID is made of*"}, "§3.1"),
    # Claim 12: go1.17.13 src/runtime/internal/sys/arch.go uses GoosAix and GoarchArmbe unqualified (zgoos_*.go in
    # the package); Go 1.18 has src/internal/goos/zgoos_*.go; cmd/go/internal/work/gc.go:332 passes the assembler
    # "-D", "GOOS_"+goos, "-D", "GOARCH_"+goarch (1.22: :320); lesson 06 shows internal/runtime/sys (1.24+).
    Claim(12, "GOOS=linux GOARCH=arm64 go build → 触发 src/runtime/internal/sys 中对应 const 常量注入",
          "GOOS=linux GOARCH=arm64 go build triggers the injection of the matching constants into "
          "src/runtime/internal/sys.",
          "Out of date, and no constants are generated at build time. `zgoos_*` files under "
          "`runtime/internal/sys` did exist up to Go 1.17 (Go 1.18 moved them to `internal/goos` and "
          "`internal/goarch`; Go 1.24 renamed the package itself `internal/runtime/sys`). Today GOOS and GOARCH "
          "choose files by build constraints, and the constants sit in generated files of `internal/goos` and "
          "`internal/goarch`, written once with `go generate` and shipped with Go; during a build, only assembly "
          "files get the target, as `-D GOOS_linux -D GOARCH_arm64` macros.",
          {"06": "*What GOOS and GOARCH select*"}, "§3.2"),
    Claim(13, "-s 移除符号表…,-w 删除调试段…,二者叠加可减少 30%~60% 体积,但丧失 pprof 符号解析与 dlv 源码级调试能力。"
              "默认 11.2 MB;-s -w 6.8 MB",
          "-s removes the symbol table, -w the debug sections; together 30–60% smaller, but pprof loses its "
          "symbols and dlv its source-level debugging. Default 11.2 MB; -s -w 6.8 MB.",
          "Sizes and part of the effect are wrong. For a hello world `-s -w` takes about a third off (the lesson "
          "measures yours), `-s` alone already implies `-w`, and `.gopclntab` stays, so panics and pprof still "
          "name functions; what goes is the ELF symbol table and DWARF (so debuggers lose source-level detail).",
          {"06": "*Linker flags: `-s`, `-w` and `-X`*"}, "§3.3"),
    Claim(14, "为量化CI流水线资源瓶颈,我们设计轻量级压测脚本,执行100次mvn clean compile并采集系统级指标",
          "To quantify CI bottlenecks we ran mvn clean compile 100 times (plus heap-profile and perf recipes "
          "for Go).",
          "A Java build is no evidence about Go, and the recipes are untried. Lesson 07 runs a real heap "
          "profile, a real CPU profile of the compiler with Go's own profiler, the article's recipes as written, "
          "and a CI simulation of a Go module in which every build is real and timed; lesson 08 profiles your "
          "own program with Go's profiler, down to the instruction, with no `perf`.",
          {"07": "*2. A heap profile*, *3. A CPU profile of the compiler* and *4. The closing benchmark: a CI "
                 "simulation*",
           "08": "*The profile*"}, "chapter 4"),
]}

# ---------------------------------------------------------------- further reading

READING: dict[str, tuple[str, str]] = {
    "go-run": ("`go help run` — what `go run` builds and runs", "https://pkg.go.dev/cmd/go#hdr-Compile_and_run_Go_program"),
    "go-build": ("`go help build` — the build flags (`-x`, `-work`, `-a`, `-gcflags`, `-ldflags`, `-trimpath`)",
                 "https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies"),
    "go-cache": ("`go help cache` — the build and test cache, `GOCACHE`, `GODEBUG=gocachehash=1`",
                 "https://pkg.go.dev/cmd/go#hdr-Build_and_test_caching"),
    "exec": ("execve(2) — how Linux decides what it can execute", "https://man7.org/linux/man-pages/man2/execve.2.html"),
    "yaegi": ("yaegi — a Go interpreter, the one way to run Go source without compiling it",
              "https://github.com/traefik/yaegi"),
    "spec-tokens": ("The Go spec, *Lexical elements*", "https://go.dev/ref/spec#Lexical_elements"),
    "spec-semicolons": ("The Go spec, *Semicolons* (the rule the scanner applies)", "https://go.dev/ref/spec#Semicolons"),
    "go-ast": ("package go/ast — every node type of the syntax tree", "https://pkg.go.dev/go/ast"),
    "syntax-pkg": ("cmd/compile/internal/syntax — the compiler's own scanner and parser",
                   GO_SRC + "cmd/compile/internal/syntax"),
    "compile-readme": ("`cmd/compile/README.md` — the compiler's phases, from parsing to machine code",
                       GO_SRC + "cmd/compile/README.md"),
    "spec-constants": ("The Go spec, *Constants* (untyped constants and their default types)",
                       "https://go.dev/ref/spec#Constants"),
    "gotypes-tutorial": ("*go/types: The Go Type Checker* — Alan Donovan's tutorial",
                         "https://github.com/golang/example/tree/master/gotypes"),
    "go-types": ("package go/types", "https://pkg.go.dev/go/types"),
    "ssa-readme": ("`cmd/compile/internal/ssa/README.md` — the SSA backend: values, blocks, passes, rules",
                   GO_SRC + "cmd/compile/internal/ssa/README.md"),
    "gcflags-m": ("`go tool compile -help` — `-m` (inlining and escape decisions), `-d=ssa/check_bce`, `-S`",
                  "https://pkg.go.dev/cmd/compile"),
    "ssa-html": ("`GOSSAFUNC` and `ssa.html` — the SSA README's *Playing with SSA*",
                 GO_SRC + "cmd/compile/internal/ssa/README.md"),
    "go-asm": ("*A Quick Guide to Go's Assembler* (pseudo-registers SB, FP, SP; directives)", "https://go.dev/doc/asm"),
    "abi-internal": ("`cmd/compile/abi-internal.md` — the register-based calling convention (ABIInternal)",
                     GO_SRC + "cmd/compile/abi-internal.md"),
    "link-doc": ("`go tool link` — the linker's flags (`-s`, `-w`, `-X`, `-importcfg`)", "https://pkg.go.dev/cmd/link"),
    "objabi-reloc": ("`cmd/internal/objabi/reloctype.go` — every relocation type, commented",
                     GO_SRC + "cmd/internal/objabi/reloctype.go"),
    "runtime-hacking": ("`runtime/HACKING.md` — Gs, Ms and Ps, g0 and the system stack",
                        GO_SRC + "runtime/HACKING.md"),
    "spec-init": ("The Go spec, *Package initialization*", "https://go.dev/ref/spec#Package_initialization"),
    "godebug": ("*Go, Backwards Compatibility, and GODEBUG*", "https://go.dev/doc/godebug"),
    "runtime-pkg": ("package runtime — the environment variables (`GODEBUG=inittrace=1`, `GOMAXPROCS`)",
                    "https://pkg.go.dev/runtime#hdr-Environment_Variables"),
    "go-buildconstraint": ("`go help buildconstraint` — how GOOS and GOARCH choose files",
                           "https://pkg.go.dev/cmd/go#hdr-Build_constraints"),
    "buildid": ("`cmd/go/internal/work/buildid.go` — build IDs, action IDs and content IDs, explained at the top",
                GO_SRC + "cmd/go/internal/work/buildid.go"),
    "diagnostics": ("*Diagnostics* — profiling, tracing and debugging Go programs", "https://go.dev/doc/diagnostics"),
    "pprof": ("package runtime/pprof and `go tool pprof`", "https://pkg.go.dev/runtime/pprof"),
    "testing-bench": ("package testing, *Benchmarks*", "https://pkg.go.dev/testing#hdr-Benchmarks"),
    "hyperfine": ("hyperfine — the command-line benchmarking tool lesson 07 compares with",
                  "https://github.com/sharkdp/hyperfine"),
}

# ---------------------------------------------------------------- the glossary


@dataclass(frozen=True)
class Term:
    anchor: str
    name: str
    aliases: tuple[str, ...]   # what [[...]] in a generator may say (case-insensitive), besides name
    text: str                  # short and exact
    sources: tuple[tuple[str, str], ...]  # (label, url)


def _src(path: str) -> tuple[str, str]:
    return (f"`{path}`", GO_SRC + path)


GLOSSARY_TERMS: list[Term] = [
    Term("token", "token", ("tokens",),
         "The smallest unit of Go source: a keyword, an identifier, an operator or punctuation, or a literal. The "
         "scanner also inserts a semicolon token after a line's last token when it is an identifier, a literal, "
         "one of `break continue fallthrough return ++ -- ) ] }`.",
         (("Go spec, *Tokens* and *Semicolons*", "https://go.dev/ref/spec#Tokens"), _src("go/token/token.go"))),
    Term("ast", "AST (abstract syntax tree)", ("AST", "syntax tree"),
         "The tree of declarations, statements and expressions a parser builds from the tokens; punctuation that "
         "only separates (semicolons, most parentheses) leaves no node. `go/ast` is the standard library's; the "
         "compiler builds its own in `cmd/compile/internal/syntax`.",
         (_src("go/ast/ast.go"), _src("cmd/compile/internal/syntax/nodes.go"))),
    # go/types/operand.go:22-37 (1.22: :18-32) operandMode; api.go TypeAndValue's IsVoid/IsType/IsBuiltin/IsValue/
    # IsNil/Addressable/Assignable/HasOk read it. nil: go/types api.go:417 (1.22: :393) IsNil is mode == value with
    # type untyped nil; types2/api.go:409 (1.22: :405) IsNil is mode == nilvalue (types2/operand.go:29, 1.22: :30).
    Term("mode", "mode (of an operand)", ("mode", "modes", "operand mode"),
         "What go/types knows an expression to be, besides its type: a `constant` (value known while compiling), "
         "a `variable` (addressable storage), a `value` (computed at run time), a `type`, `novalue` (a call "
         "without results), a `builtin`, a `mapindex` (`m[k]`: assignable, not addressable) or a `commaok` "
         "(usable as `v, ok :=`). go/types does not export it: `TypeAndValue`'s methods (`IsType`, "
         "`Addressable`, `HasOk` …) read it. `nil` is a `value` of type `untyped nil` in go/types; the compiler's "
         "types2 gives it a mode of its own, `nilvalue`.",
         (_src("go/types/operand.go"), _src("go/types/api.go"))),
    # cmd/compile/internal/ssa/block.go:13 type Block (both releases): Kind, Succs, Preds, Controls, Likely. Block
    # kinds: ssa/_gen/genericOps.go:744-753 (1.22: :656-665): Plain, If, Defer, Ret, RetJmp, Exit, JumpTable, and the
    # transient First; after lower, If becomes a machine branch (AMD64Ops.go: EQ, NE, LT, ... ; both releases).
    Term("cfg", "CFG (control-flow graph)", ("CFG", "control-flow graph", "control flow graph", "basic block",
                                              "basic blocks"),
         "A function drawn as its basic blocks (straight-line runs of values, entered at the top and left at the "
         "bottom) joined by the jumps between them. In the compiler's SSA a block's *kind* says how it ends: "
         "`Plain` (one successor), `If` (a two-way branch with a likely side; after `lower` a machine branch such "
         "as `LT` or `NE` on amd64), `JumpTable` (a dense `switch`), `Ret` or `RetJmp` (a return, or a tail "
         "call), `Exit` (a call that panics and never returns), `Defer` (after the call that queues a deferred function, "
         "with a second edge for a recovery); `First` is a transient kind, a branch "
         "a pass has decided, that always takes its first successor. `b1`, `b2` … are the blocks; a loop shows "
         "as an edge back up to its header.",
         (_src("cmd/compile/internal/ssa/block.go"), _src("cmd/compile/internal/ssa/_gen/genericOps.go"))),
    Term("typed-ir", "typed IR", ("IR", "typed IR", "unified IR"),
         "The compiler's tree of typed nodes (`cmd/compile/internal/ir`) built after type checking by *noding* "
         "(Unified IR); inlining, escape analysis and *walk* work on it before it is turned into SSA.",
         (("`cmd/compile/README.md`, phases 3–5", GO_SRC + "cmd/compile/README.md"),
          _src("cmd/compile/internal/ir/node.go"))),
    # Passes: cmd/compile/internal/ssa/compile.go:457 `var passes` lists 59 in Go 1.27.3 (3 disabled by default:
    # insert resched checks, cpufeatures, rewrite tern), 53 in Go 1.22.10 (1 disabled); lesson 03 counts those that
    # ran (56 and 52 on amd64).
    Term("ssa", "SSA (static single assignment)", ("SSA", "static single assignment"),
         "The form the compiler's back end works in: every value (`v12 = Add64 <int> v10 v11`) is assigned "
         "exactly once, values live in basic blocks joined by control flow, and more than fifty passes rewrite "
         "the function (generic ops first, machine ops after `lower`).",
         (("`cmd/compile/internal/ssa/README.md`", GO_SRC + "cmd/compile/internal/ssa/README.md"),
          _src("cmd/compile/internal/ssa/value.go"))),
    Term("phi", "phi (φ)", ("phi", "Phi", "φ"),
         "An SSA value at the start of a block that takes one argument per incoming edge and is whichever "
         "value arrives along the edge that was taken: how SSA merges a variable assigned in two places (a loop "
         "counter, an `if`).",
         (_src("cmd/compile/internal/ssa/_gen/genericOps.go"),)),
    # cmd/compile/README.md "5. Walk" (both releases): order of evaluation, desugaring into runtime calls.
    Term("walk", "walk", ("walk", "walks", "order"),
         "The compiler's last phase on typed IR, before SSA (`cmd/compile/internal/walk`): it splits complex "
         "statements into simple ones with temporaries, in Go's order of evaluation, and rewrites high-level "
         "operations into simpler ones or runtime calls (a `switch` into a binary search or a jump table, map "
         "and channel operations into calls such as `runtime.mapaccess1`).",
         (("`cmd/compile/README.md`, *Walk*", GO_SRC + "cmd/compile/README.md"),
          _src("cmd/compile/internal/walk/walk.go"))),
    Term("inlining", "inlining", ("inlined", "inline", "inlines"),
         "Replacing a call by a copy of the called function's body, when the body is small enough (a cost "
         "budget); `-gcflags=-m` prints each decision (`can inline add`, `inlining call to fmt.Println`).",
         (_src("cmd/compile/internal/inline/inl.go"),)),
    Term("escape-analysis", "escape analysis", ("escape", "escapes", "escape analysis"),
         "The compiler's proof of which values may outlive their function or be too big for the stack: those "
         "*escape* and are allocated on the heap; the rest stay on the stack. `-gcflags=-m` prints each "
         "verdict, for example `&Point{...} escapes to heap` for a pointer a function returns, and "
         "`s does not escape` for a slice parameter the function only reads.",
         (_src("cmd/compile/internal/escape/escape.go"),)),
    Term("bounds-check", "bounds check", ("bounds checks", "bounds-check", "bounds check elimination", "BCE"),
         "The test, before `xs[i]`, that `0 <= i < len(xs)`, with a panic if not (`IsInBounds` in SSA). The "
         "`prove` pass removes the ones it can prove true; `-gcflags=-d=ssa/check_bce` reports those that stay.",
         (_src("cmd/compile/internal/ssa/prove.go"), _src("cmd/compile/internal/ssa/checkbce.go"))),
    # Spec "Constants" (untyped constants, default types bool, rune, int, float64, complex128, string; "Numeric
    # constants represent exact values of arbitrary precision and do not overflow"), "Constant expressions";
    # go/constant keeps them exact (big.Int, big.Rat); lesson 02 shows 1 << 70 and its overflow error live.
    Term("untyped-constant", "untyped constant", ("untyped constant", "untyped constants", "default type"),
         "A constant without a type yet: a literal such as `1`, `2.5` or `\"hi\"`, a constant expression made of "
         "such (`1 << 70`), or a `const` declared without a type. Its arithmetic is exact, however big the "
         "numbers; it takes a type where it meets one (assigned to an `int` variable, added to a `float64`), "
         "and where nothing asks for one, as in `x := 1`, its *default type*: `int`, `float64`, `rune`, "
         "`complex128`, `string` or `bool`. Only then must its value fit that type.",
         (("Go spec, *Constants*", "https://go.dev/ref/spec#Constants"), _src("go/constant/value.go"))),
    # cmd/compile/internal/devirtualize/devirtualize.go package comment (both releases): static and profile-guided.
    Term("devirtualization", "devirtualization", ("devirtualization", "devirtualizes", "devirtualize"),
         "Replacing an interface method call by a direct call of the concrete method, where the compiler can see "
         "the concrete type (static), or, with a profile (`-pgo`), adding a direct call to the hottest concrete "
         "callee in front of the indirect call. A direct call can then be inlined.",
         (_src("cmd/compile/internal/devirtualize/devirtualize.go"),)),
    # compile.go:457 `var passes` (1.27.3: 59 entries, 3 disabled by default; 1.22.10: 53, 1 disabled); compile.go:71
    # (both) skips a pass that is not `required` when optimisations are off (-N).
    Term("pass", "pass (of the SSA back end)", ("pass", "passes", "SSA pass", "SSA passes"),
         "One step of the compiler's SSA back end: a function that goes over a whole SSA function and rewrites "
         "it (`opt` applies rewrite rules, `deadcode` removes what nothing uses, `prove` removes checks it can "
         "prove, `regalloc` assigns registers). They run in a fixed order, listed in "
         "`cmd/compile/internal/ssa/compile.go` (59 entries on Go 1.27, 53 on Go 1.22, a few switched off by "
         "default); with `-N` only those marked *required* run. `GOSSAFUNC` shows the function after each.",
         (_src("cmd/compile/internal/ssa/compile.go"), ("`cmd/compile/internal/ssa/README.md`",
                                                        GO_SRC + "cmd/compile/internal/ssa/README.md"))),
    # lower.go:10 lower applies rewriteBlock/rewriteValue of the target (both releases); AMD64.rules:6
    # (Add(64|32|16|8) ...) => (ADD(Q|L|L|L) ...), ARM64.rules:5 (Add(Ptr|64|32|16|8) ...) => (ADD ...) (both).
    Term("lower", "lower (the pass)", ("lower", "lowering", "lowered"),
         "The SSA pass that replaces machine-independent ops (`Add64`, `Less64`, `Load`) by the target "
         "machine's own, by the rules in `cmd/compile/internal/ssa/_gen/<ARCH>.rules`: `(Add(64|32|16|8) ...) => "
         "(ADD(Q|L|L|L) ...)` makes `Add64` an `ADDQ` on amd64, an `ADD` on arm64. The passes after it work "
         "on machine ops.",
         (_src("cmd/compile/internal/ssa/lower.go"), _src("cmd/compile/internal/ssa/_gen/AMD64.rules"))),
    # cse.go:15-17 (1.22: :14-16) "Values are just relinked, nothing is deleted. A subsequent deadcode pass is
    # required"; equivalence: same op, type, aux, args (cse.go:19-26). Passes: generic cse, lowered cse (compile.go).
    Term("cse", "CSE (common-subexpression elimination)", ("CSE", "common-subexpression elimination",
                                                           "common subexpression elimination"),
         "A pass that finds values computing the same thing (same op, type, aux data and arguments) and points "
         "every use of one at the other; the copy is left unused, for a later dead-code pass to remove. The "
         "compiler runs `generic cse` before `lower` and `lowered cse` after it.",
         (_src("cmd/compile/internal/ssa/cse.go"),)),
    # noder/reader.go:963 Shapify (1.22: :868 shapify): the shape is the underlying type, or *uint8 for a pointer
    # argument of a basic-interface constraint; reader.go:1434-1470 (1.22: :1276-1310) syntheticBody/callShaped: a
    # non-shaped instantiation tail-calls its shaped variant with the dictionary.
    Term("shape", "generic shape", ("shape", "shapes", "generic shape", "go.shape"),
         "A generic function is compiled once per *shape* of its type arguments, not once per type: the shape "
         "is the type's underlying type (`go.shape.int` serves `int` and any `type Celsius int`), and pointer "
         "types share `go.shape.*uint8` where the constraint is a basic interface such as `any`. The shaped "
         "body (`Max[go.shape.int]`) takes a hidden *dictionary* argument with what differs between the types; "
         "`Max[int]` is a small wrapper that calls it with `int`'s dictionary.",
         (_src("cmd/compile/internal/noder/reader.go"),)),
    # gokit/measure/scaling.py (RESAMPLES = 2000 in gokit/measure/stats.py) pairs-bootstrap resamples, the 2.5% and 97.5% quantiles.
    Term("bootstrap", "bootstrap (interval)", ("bootstrap", "bootstrap 95% interval", "bootstrap band"),
         "An interval for a number computed from many items (a fitted exponent, a line): draw the items again "
         "at random, with replacement, refit, and repeat (gokit: 2000 times); the middle 95% of the refitted "
         "numbers is the interval. It needs no assumption about how the noise is distributed.",
         (("`gokit/measure/scaling.py` `scaling`", "../gokit/measure/scaling.py"),)),
    # wrappers: cmd/compile/internal/ssagen/abi.go:114-115 GenABIWrappers "generates ABI wrapper functions where
    # necessary" (1.22: :99-100); cmd/compile/abi-internal.md:16-18 "transparent *ABI wrappers*" (both releases)
    Term("abi", "ABI (ABIInternal, ABI0)", ("ABI", "ABIInternal", "ABI0"),
         "How functions pass arguments and results. `ABIInternal` is Go's register-based convention (on amd64 "
         "integer arguments in AX, BX, CX, DI, SI, R8…) and may change between releases; `ABI0` is the stable "
         "stack-based one that assembly functions use. The compiler generates wrappers between them (such as "
         "`runtime.schedinit.abi0`, which lesson 05 meets), so each can call the other.",
         (("`cmd/compile/abi-internal.md`", GO_SRC + "cmd/compile/abi-internal.md"),
          _src("cmd/internal/obj/link.go"))),
    # cmd/internal/objabi/reloctype.go (both releases: R_PCREL, R_ADDR, R_ADDROFF, R_METHODOFF, R_USEIFACE, ...);
    # filled by cmd/link/internal/ld/data.go relocsym; ELF types written for an external link: cmd/link/internal/amd64/
    # asm.go elfreloc1 (1.27 :447, 1.22 :413); left for the loader: R_X86_64_RELATIVE (PIE), GLOB_DAT/JUMP_SLOT
    # (dynamic): lesson 04 reads them live. The text does not say which type a call gets: lesson 04 asks that.
    Term("relocation", "relocation", ("relocation", "relocations", "R_CALL", "R_PCREL", "R_ADDR", "R_ADDROFF",
                                      "R_METHODOFF", "R_USEIFACE", "R_USEIFACEMETHOD", "R_X86_64_PC32",
                                      "R_X86_64_GLOB_DAT", "R_X86_64_RELATIVE"),
         "A note in an object file: *at offset O of this symbol, write (something computed from) the address of "
         "symbol X*, for the linker to fill once it has placed every symbol. Go's compiler writes Go's own types, "
         "each named after what it fills and listed in `cmd/internal/objabi/reloctype.go`: `R_PCREL` (an "
         "instruction's PC-relative reference to a global, as in `MOVQ os.Stdout(SB), BX`), `R_ADDR` (an absolute "
         "address in data), `R_ADDROFF` and "
         "`R_METHODOFF` (32-bit offsets in type data), 0-byte markers such as `R_USEIFACE` for the linker's "
         "dead-code pass, and more (lesson 04 lets you guess the one a call gets). ELF's own types "
         "(`R_X86_64_PC32`, `R_X86_64_64`, `R_X86_64_RELATIVE`, …) are what C objects carry, what Go's linker "
         "writes into the object it hands to a C linker (cgo's external link), and what a PIE or a dynamically "
         "linked binary keeps for the loader.",
         (_src("cmd/internal/objabi/reloctype.go"), _src("cmd/link/internal/ld/data.go"))),
    Term("elf-section-flags", "ELF section flags", ("section flags", "ELF section flags", "SHF_ALLOC"),
         "Bits in each ELF section header: `A` (`SHF_ALLOC`, loaded into memory when the program runs), `W` "
         "(`SHF_WRITE`, writable), `X` (`SHF_EXECINSTR`, machine code). `readelf -S` prints them; sections without "
         "`A` (symbol table, DWARF) are on disk only.",
         (_src("debug/elf/elf.go"),)),
    Term("dwarf", "DWARF", ("DWARF",),
         "The standard debugging format: `.debug_*` sections that map machine code back to source files, lines, "
         "variables and types, for debuggers. `go build -ldflags=-w` leaves it out.",
         (_src("cmd/internal/dwarf/dwarf.go"), ("`go tool link` flags", "https://pkg.go.dev/cmd/link"))),
    Term("pclntab", "pclntab (`.gopclntab`)", ("pclntab", ".gopclntab", "gopclntab"),
         "Go's own table from program counter to function name, file, line and stack layout. The runtime needs "
         "it (stack traces, panics, the garbage collector's stack scan, profiles), so `-s -w` keep it.",
         (_src("runtime/symtab.go"), _src("cmd/link/internal/ld/pcln.go"))),
    # build ID: cmd/go/internal/work/buildid.go:78 (the binary's four parts; 1.22: :75); the content ID is
    # buildid.FindAndHash's hash of the file with the ID zeroed: buildid.go:696-701 (1.22: :645-650); the output ID is
    # what cache.Put hashes, the stamped file: buildid.go:742 (1.22: :699); only package builds are Put (:736), and
    # executables of go run / go tool since Go 1.24 (:756-766; absent in 1.22)
    Term("build-id", "build ID", ("build ID", "build IDs", "buildid", "content ID", "content IDs"),
         "The string the go command stamps into every package archive and binary (`go tool buildid FILE` prints "
         "it). A package archive's is `actionID/contentID`: the hash of the step's inputs and a hash of its output "
         "taken with the build ID itself zeroed, both truncated. A binary's has four parts, "
         "`actionID(binary)/actionID(main.a)/contentID(main.a)/contentID(binary)`, so the go command can tell "
         "whether it is up to date without keeping `main.a`.",
         (_src("cmd/go/internal/work/buildid.go"), _src("cmd/internal/buildid/buildid.go"))),
    Term("action-id", "action ID", ("action ID", "action IDs"),
         "The hash of everything that goes into one build step (compile or link): the tool's version, flags, "
         "GOOS/GOARCH, each source file's hash, each dependency's content ID. The build cache looks a package's "
         "compile up by it (and, since Go 1.24, the link of a `go run` or `go tool` executable); for a `go build` "
         "link, the go command compares it with the build ID of the binary already on disk. "
         "`GODEBUG=gocachehash=1` prints what is hashed.",
         (_src("cmd/go/internal/work/exec.go"), _src("cmd/go/internal/cache/cache.go"))),
    Term("output-id", "output ID", ("output ID", "output IDs"),
         "The hash (SHA-256) of a step's output file as the build cache stores it (`…-d` files); the `…-a` "
         "entry of an action ID points at it. Not a build ID's *content ID*: that one hashes the output with its "
         "build ID zeroed, so that it can be written into the file.",
         (_src("cmd/go/internal/cache/cache.go"),)),
    Term("gocache", "GOCACHE", ("GOCACHE", "build cache", "$GOCACHE"),
         "The directory of the go command's build cache (`go env GOCACHE`): compiled packages, linked "
         "executables of `go run` (since Go 1.24) and test results, keyed by action ID. `go clean -cache` "
         "empties it.",
         (("`go help cache`", "https://pkg.go.dev/cmd/go#hdr-Build_and_test_caching"),
          _src("cmd/go/internal/cache/cache.go"))),
    Term("importcfg", "importcfg", ("importcfg", "import config"),
         "The file the go command writes for the compiler and the linker (`-importcfg`): one line per package, "
         "`packagefile fmt=/path/to/fmt.a`, saying which compiled file stands for each import.",
         (_src("cmd/compile/internal/base/flag.go"), ("`go tool link` flags", "https://pkg.go.dev/cmd/link"))),
    Term("export-data", "export data", ("export data",),
         "What the compiler writes about a package for the packages that import it: types of exported "
         "declarations, bodies it may inline, generic bodies. `go list -export` names the file.",
         (("`cmd/compile/README.md`, *Export* (Go 1.27)", GO_SRC + "cmd/compile/README.md"),
          _src("cmd/compile/internal/noder/unified.go"))),
    # PIE: ET_DYN; internal linking on linux/amd64: internal/platform/supported.go InternalLinkPIESupported (both
    # releases); R_X86_64_RELATIVE for absolute addresses: cmd/link/internal/amd64/asm.go adddynrel (R_ADDR in a
    # PIE); PT_INTERP: shown live in lesson 04 (readelf -l agrees).
    Term("pie", "PIE (position-independent executable)", ("PIE", "position-independent executable", "-buildmode=pie"),
         "An executable the loader may place at any address (ELF type `ET_DYN`), so the absolute addresses stored in "
         "it are fixed at start-up: the linker leaves relocations for them (`R_X86_64_RELATIVE` on amd64) and names "
         "the dynamic loader as the program's interpreter, which applies them before the program's first "
         "instruction runs. `go build -buildmode=pie`; on linux/amd64 Go's own linker makes it, no C compiler "
         "needed.",
         (_src("internal/platform/supported.go"), _src("cmd/go/internal/work/init.go"))),
    # cgo: cmd/cgo/doc.go; external linking when the program has C objects of its own: cmd/link/internal/ld/
    # config.go:208 (iscgo && externalobj; 1.22: :205); dynamic against libc: lesson 04 reads the binary (JUMP_SLOT).
    Term("cgo", "cgo", ("cgo", 'import "C"', "CGO_ENABLED"),
         "Go's way to call C: a file that imports the pseudo-package `\"C\"` is split by `go tool cgo` into Go and "
         "C, the C part compiled by a C compiler (`go env CC`); a program with C code of its own is then linked by "
         "the C toolchain (external linking), dynamically against the C library. Off when `CGO_ENABLED=0` "
         "(gokit's default).",
         (_src("cmd/cgo/doc.go"), _src("cmd/link/internal/ld/config.go"))),
    # cmd/compile/internal/pkginit/init.go:26 MakeTask; empty init functions skipped :111-116; no task when nothing
    # to initialise and no dependency has one, except main and runtime :120-122; layout :124-133; R_INITORDER per
    # dependency :138-142 (same lines in 1.22); cmd/link/internal/ld/inittask.go:40 inittasks, :162 "don't add s
    # if it has no functions to run" (both releases); runtime.main runs the lists: runtime/proc.go doInit.
    Term("inittask", "init task", ("init task", "init tasks", "inittask", "..inittask"),
         "A package's record of what must run before `main`: `pkg..inittask`, written by the compiler, holds the "
         "package's init functions (its `init()`s, and the code that sets package variables the compiler could not "
         "lay out as data) and names the tasks of the packages it imports that have one. A package with neither "
         "gets no task (`main` and `runtime` always do). The linker orders the tasks so that imports come first, "
         "leaves out those with no function to run, and `runtime.main` runs the list.",
         (_src("cmd/compile/internal/pkginit/init.go"), _src("cmd/link/internal/ld/inittask.go"))),
    # object file: go tool compile -pack writes an archive with __.PKGDEF (export data) and _go_.o (lesson 04's
    # `ar t`); the format: cmd/internal/goobj/objfile.go; nm letters: cmd/internal/objfile/goobj.go:165-181, U :212-219
    Term("object-file", "object file, symbol", ("object file", "object files", "symbol", "symbols",
                                                 "package object", "package archive"),
         "What the compiler writes for one package: an archive (`_pkg_.a`) holding its export data (`__.PKGDEF`) "
         "and its code and data in Go's own object format (`_go_.o`). The object is a list of **symbols** — each "
         "function, each package variable, each piece of read-only data (a string's bytes, a type descriptor) — "
         "with its name, kind, size and bytes, and the relocations that still need the linker. `go tool nm` lists "
         "them: `T` code, `R` read-only data, `D` data, `B` zeroed data, `U` used here but defined elsewhere.",
         (_src("cmd/internal/goobj/objfile.go"), ("`go tool nm`", "https://pkg.go.dev/cmd/nm"))),
    # go.dev/doc/asm, "Symbols": FP, PC, SB, SP; "x-8(SP) and -8(SP) are different memory locations"; compiler
    # listings print a stack slot as name+off(SP) from the hardware SP: cmd/internal/obj/util.go:488-497 (1.22:
    # :422-431), lesson 04 decodes one
    Term("pseudo-register", "pseudo-register", ("pseudo-register", "pseudo-registers", "SB", "FP"),
         "A name in Go assembly that is not a machine register: `SB` (static base: `fmt.Fprintln(SB)` is the "
         "address of the global symbol), `FP` (a frame pointer for a function's arguments: `a+0(FP)`), `PC` (the "
         "program counter), and in hand-written assembly a pseudo `SP` written with a name and a negative offset "
         "(`x-8(SP)`: the local frame). In the compiler's `-S` listings `name+off(SP)` is the hardware stack "
         "pointer plus `off`; the name only says which variable lives there.",
         (("*A Quick Guide to Go's Assembler*, Symbols", "https://go.dev/doc/asm#symbols"),)),
    # e_entry: debug/elf/file.go FileHeader.Entry; PT_INTERP: the dynamic loader runs first and jumps to the entry
    # (System V ABI; lesson 04 shows PIE and cgo binaries name /lib64/ld-linux-x86-64.so.2)
    Term("entry-point", "entry point", ("entry point", "entry points", "e_entry", "ELF entry point"),
         "The address of a program's first instruction: the `e_entry` field of its ELF header (`readelf -h` prints "
         "it as *Entry point address*). A static binary starts there; one that names a program interpreter (a "
         "PIE, a cgo program) starts in the dynamic loader, which loads the libraries, applies the relocations "
         "and then jumps to the entry point. Lesson 05 finds which code a Go binary has there.",
         (_src("debug/elf/file.go"),)),
    # runtime/proc.go sysmon :6534-6537 "Always runs without a P" (1.22: :5943-5946); started in runtime.main by
    # newm(sysmon, nil, -1) :177-181 when haveSysmon (= GOARCH != "wasm", :6532) (1.22: :170-174, `if GOARCH !=
    # "wasm"`); its loop: netpoll if not polled for 10 ms, retake (syscalls, preemption) (1.27 :6622, :6648; 1.22
    # :6030, :6071)
    Term("sysmon", "sysmon", ("sysmon", "runtime.sysmon", "system monitor"),
         "The runtime's system monitor: a loop (`runtime.sysmon`) on a thread of its own, which `runtime.main` "
         "starts with `newm` (on every platform but wasm) and which runs without a P. It takes Ps back from "
         "goroutines stuck in system calls, asks goroutines that ran too long to yield, and polls the network when "
         "nobody has for a while.",
         (_src("runtime/proc.go"),)),
    # cmd/link/internal/ld/deadcode.go: roots in (*deadcodePass).init (the entry symbol, runtime.unreachableMethod,
    # dynamic exports, go:main.inittasks) :38-134 (1.22: :37-120); flood follows relocations; R_USEIFACE :211, R_USEIFACEMETHOD
    # :232, R_USENAMEDMETHOD :248; markable methods kept when reflectSeen && exported, ifaceMethod or
    # genericIfaceMethod :462 (1.22: :197, :218, :234, :448)
    Term("deadcode", "linker dead-code elimination", ("dead-code pass", "dead code elimination", "dead-code elimination",
                                                      "linker dead-code elimination", "deadcode"),
         "The linker's pass (`cmd/link/internal/ld/deadcode.go`) that keeps only the symbols reachable from its "
         "roots — the entry point, the list of init tasks and a few runtime symbols — following relocations from "
         "symbol to symbol, and leaves every other symbol out of the binary. Methods reached only through a type "
         "descriptor are kept when they could be called: an interface method of the same name and signature is "
         "called somewhere reachable (or a method of that name through a generic interface or `MethodByName`), or "
         "reflection could reach them (then the exported ones). A method called directly is reached like any "
         "function.",
         (_src("cmd/link/internal/ld/deadcode.go"),)),
    Term("pmg", "P, M, G", ("P", "M", "G", "P/M/G", "Ps", "Ms", "Gs", "goroutine scheduler"),
         "The runtime scheduler's three kinds of object: a **G** is a goroutine (type `g`), an **M** an OS "
         "thread (type `m`), a **P** the right to run Go code with its local run queue and allocator cache "
         "(type `p`; there are `GOMAXPROCS` of them). An M runs Gs while it holds a P.",
         (("`runtime/HACKING.md`", GO_SRC + "runtime/HACKING.md"), _src("runtime/runtime2.go"))),
    # m0, g0: runtime/proc.go:120-121 (1.22: :116-117) globals; HACKING.md "Every M has a system stack ... (also known
    # as the M's "g0" stack because it's implemented as a stub G)"; m0's g0 stack is the OS-given stack:
    # runtime/asm_amd64.s:159 (1.22: :168) "create istack out of the given (operating system) stack"; systemstack
    # switches to it: runtime/stubs.go systemstack. Nothing about which start-up function runs on it (lesson 05 asks).
    Term("m0-g0", "m0, g0", ("m0", "g0", "m0/g0"),
         "`m0` is the runtime's M for the thread the process started on (a global variable in `runtime/proc.go`). "
         "Every M has a `g0`: not a goroutine your code starts, but a stub G whose stack is the thread's *system "
         "stack* (for m0, the stack the operating system gave the process). The scheduler and other runtime code "
         "that must not run on a growable goroutine stack run there; `systemstack(f)` switches to it.",
         (_src("runtime/proc.go"), ("`runtime/HACKING.md`", GO_SRC + "runtime/HACKING.md"))),
    # internal/runtime/gc/sizeclasses.go (Go 1.27; 1.22: runtime/sizeclasses.go): classes of 8, 16, 24, 32, 48 ...
    # bytes up to 32768 (_MaxSmallSize); larger objects get pages of their own.
    Term("size-class", "size class", ("size class", "size classes"),
         "One of the fixed sizes Go's memory allocator rounds a small allocation up to (8, 16, 24, 32, 48, 64 … "
         "bytes, up to 32 KiB); each class has its own spans of equal slots, so a 20-byte string takes 24 bytes. "
         "Larger objects get whole pages of their own.",
         (_src("runtime/malloc.go"),)),
    Term("mad", "MAD (median absolute deviation)", ("MAD", "median absolute deviation"),
         "The median of the distances of each run from the median: a spread that one slow outlier cannot "
         "inflate (gokit reports it unscaled).",
         ()),
    Term("ecdf", "ECDF (empirical CDF)", ("ECDF", "empirical CDF"),
         "For each value x, the share of runs that took at most x: a curve from 0 to 1 that shows the whole "
         "distribution, tails included, without choosing histogram bins.",
         ()),
    Term("median-interval", "median interval", ("interval", "median interval", "intervals"),
         "gokit's interval of a median: between two order statistics of the runs (the k-th smallest and the "
         "k-th largest; min–max up to 8 runs). If the runs are independent and identically distributed, it holds "
         "the true median with an exact probability, whatever their distribution (binomial, as in a sign test): "
         "93.75% for min–max of 5 runs, at least 95% from 6 runs on. Runs on a machine whose load changes while "
         "they run are not quite that, so there the coverage is approximate. The coverage is printed with every "
         "table of intervals.",
         (("`gokit/measure/stats.py` `median_ranks`", "../gokit/measure/stats.py"),)),
]


def term_index() -> dict[str, Term]:
    """Every name and alias (case-folded) -> its term, for the generators' [[...]] markup."""
    out: dict[str, Term] = {}
    for t in GLOSSARY_TERMS:
        for name in (t.name, t.anchor, *t.aliases):
            key = name.casefold()
            if key in out and out[key] is not t:
                raise ValueError(f"glossary alias {name!r} names two terms")
            out[key] = t
    return out
