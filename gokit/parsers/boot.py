"""Process start: the boot chain from the ELF entry point to main.main, found in a real binary, and GODEBUG=inittrace=1.

The chain is read from the binary itself: the entry address from the ELF header (pyelftools),
the calls and jumps between runtime functions from `go tool objdump` (gokit.parsers.objdump), and the
function values passed to `newproc`, `newm` and the indirect call of `main_main` by reading the
words they point at. Every step carries the file:line of GOROOT/src the binary was built from.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .. import _display
from ..errors import BinaryFormatError, ParseError, UsageError
from .binary import Image
from .objdump import frame, Function, Instruction

if TYPE_CHECKING:
    import graphviz
    import pandas as pd

    from ..source.toolchain import Toolchain

#: Every function the boot chain can pass through (one `go tool objdump -s` of them all).
BOOT_PATTERN = (r"^(_start|_rt0_\w+|runtime\.(rt0_go|args|osinit|schedinit|newproc|mstart|mstart0|mstart1|schedule|execute|"
                r"gogo|main|main\.func\d+|systemstack|newm|sysmon|doInit1|gcenable)(\.abi0)?|main\.main|main)$")
# amd64: LEAQ 0x12208e(IP), AX / MOVQ 0x121b82(IP), AX   (displacement relative to the next instruction)
IP_REL_RE = re.compile(r"^(?P<disp>-?0x[0-9a-f]+)\(IP\),")
# amd64, an absolute address as an immediate (the C runtime's _start in a non-PIE cgo binary): MOVQ $0x47e420, DI
IMM_ADDR_RE = re.compile(r"^\$(?P<addr>0x[0-9a-f]+), ")
#: The entry of a binary linked by the C toolchain (cgo, external linking): the C runtime's _start (crt1.o), which
#: hands the address of `main` to the C library's __libc_start_main; Go's runtime defines that `main`
#: (runtime/asm_amd64.s:20-24, "The C startup code will call the symbol "main""), which jumps to runtime.rt0_go.
C_ENTRY = "_start"
# arm64: ADRP 999424(PC), R0   then   ADD $704, R0, R0   or   MOVD 80(R27), R0
ADRP_RE = re.compile(r"^(?P<off>-?\d+)\(PC\), (?P<reg>R\d+)$")
ADD_IMM_RE = re.compile(r"^\$(?P<imm>\d+), (?P<reg>R\d+), R\d+$")
LOAD_OFF_RE = re.compile(r"^(?P<imm>\d+)\((?P<reg>R\d+)\), R\d+$")
# init internal/bytealg @0 ms, 0 ms clock, 0 bytes, 0 allocs      (runtime/proc.go doInit1)
INIT_LINE_RE = re.compile(r"^init (?P<package>\S+) @(?P<start>[\d.]+) ms, (?P<clock>[\d.]+) ms clock, "
                          r"(?P<bytes>\d+) bytes, (?P<allocs>\d+) allocs$")
INITTASK_SUFFIX = "..inittask"

STEP_COLUMNS = ["step", "function", "how", "file", "line", "called_at"]
INITTRACE_COLUMNS = ["package", "start_ms", "clock_ms", "bytes", "allocs", "run"]


# ---------------------------------------------------------------- the chain

@dataclass(frozen=True)
class BootStep:
    """One step from the entry point to main.main: the function, how it is reached, and where it is in GOROOT/src."""

    step: int
    function: str       # runtime.rt0_go (ABI wrappers' .abi0 dropped)
    how: str            # how the caller gets here
    file: str           # relative to GOROOT/src, e.g. runtime/asm_amd64.s
    line: int           # first line of the function's code
    called_at: str      # file:line of the call or jump in the caller ("" for the entry point and gogo's jump)
    thread: str         # who runs it: THREADS
    caller: int = -1    # the step it is reached from (-1: the entry point)


#: Who runs a step, and how the diagram titles that group.
THREADS = {"m0": "thread m0 on its system stack (g0): no goroutine exists yet",
           "main goroutine": "the main goroutine: made by newproc, started by the scheduler",
           "new M": "a new OS thread (M), without a P"}


@dataclass(frozen=True)
class BootChain:
    """The path from the ELF entry point to main.main in one binary."""

    binary: Path
    goarch: str
    entry: int
    steps_list: tuple[BootStep, ...]
    inits: tuple[str, ...]          # packages whose init tasks run, in the order the runtime runs them
    runtime_inits: int = 0          # how many of them are the runtime's own (run first)
    goroot: Path | None = None
    go: str = ""
    functions: tuple[Function, ...] = field(default=(), repr=False)  # the disassembled functions it was found in
    toolchain: "Toolchain | None" = field(default=None, repr=False)
    #: disassembles the functions of the binary a Go regexp matches (the stage that found the chain hands it over)
    objdump: "Callable[..., tuple[Function, ...]] | None" = field(default=None, repr=False, compare=False)

    def callers(self, function: str, *, pattern: str = r"^runtime\.") -> "pd.DataFrame":
        """Every call or jump to `function` (or its ABI wrapper) in the functions matching `pattern` (a Go regexp,
        default: the whole runtime; one `go tool objdump`, cached). Columns: caller, op, site (file:line), via
        (the ABI wrapper the call goes through, if any). A function's jumps to itself are left out."""
        import pandas as pd

        if self.objdump is None:
            raise UsageError("this boot chain came without go tool objdump to read the rest of its binary")
        funcs = self.objdump(pattern, progress=f"go tool objdump -s '{pattern}' (read once, then kept)")
        targets = {function: "", function + ".abi0": function + ".abi0"}
        rows = []
        # calls of the wrapper count as calls of the function: the wrapper only converts the calling convention
        for f in funcs:
            if _base(f.name) == function:
                continue
            for inst in f.instructions:
                if inst.op in ("CALL", "JMP") and inst.target in targets:
                    rows.append((_base(f.name), inst.op, _site(f, inst), targets[inst.target]))
        return pd.DataFrame(rows, columns=["caller", "op", "site", "via"]).drop_duplicates(ignore_index=True)

    def disassembly(self, function: str) -> "pd.DataFrame":
        """The instructions of one function the chain passes through (go tool objdump): pc, file, line, op, args,
        target (the symbol a CALL or JMP names)."""
        for f in self.functions:
            if f.name in (function, function + ".abi0"):
                return frame([f])[["pc", "file", "line", "op", "args", "target"]]
        raise UsageError(f"{function} is not among the functions the boot chain read; they are: "
                         f"{', '.join(sorted(f.name for f in self.functions))}")

    @property
    def steps(self) -> "pd.DataFrame":
        """One row per step: function, how it is reached, the file:line where it starts, where it is called."""
        import pandas as pd

        return pd.DataFrame([{k: getattr(s, k) for k in STEP_COLUMNS} for s in self.steps_list], columns=STEP_COLUMNS)

    def path(self, step: BootStep | str) -> Path:
        """The absolute GOROOT/src path of a step's file (a step, or a function name)."""
        s = step if isinstance(step, BootStep) else self.step(step)
        if self.goroot is None:
            raise UsageError("this boot chain was read without a GOROOT, so its files cannot be located")
        return self.goroot / "src" / s.file

    def source(self, where: str, *, before: int = 0, after: int = 0, through: str | None = None) -> str:
        """Numbered lines of the GOROOT/src this binary was built from, around `where`: "file:line" (relative to
        GOROOT/src, as the steps give them: "runtime/proc.go:177") or a step's function ("runtime.newm": the line
        its code starts at). `before`/`after`: how many lines around it; `through`: a later place in the same file,
        the last line to show. Ready to print."""
        if self.goroot is None:
            raise UsageError("this boot chain was read without a GOROOT, so its files cannot be located")
        file, line = self._place(where)
        if through is not None:
            end_file, end = self._place(through)
            if end_file != file or end < line:
                raise UsageError(f"through={through!r} is not a later line of {file} than {where!r}")
            after = end - line
        try:
            lines = (self.goroot / "src" / file).read_text().splitlines()
        except OSError:
            raise UsageError(f"{file} is not a file of GOROOT/src ({self.goroot})") from None
        first, last = max(1, line - before), min(len(lines), line + after)
        width = len(f"{file}:{last}")
        return "\n".join(f"{f'{file}:{n}':<{width}}  {lines[n - 1].expandtabs(4)}" for n in range(first, last + 1))

    def _place(self, where: str) -> tuple[str, int]:
        if ":" in where and where.rsplit(":", 1)[1].isdigit():
            return where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1])
        s = self.step(where)
        return s.file, s.line

    def step(self, function: str) -> BootStep:
        """The first step that runs `function`."""
        for s in self.steps_list:
            if s.function == function:
                return s
        raise UsageError(f"{function} is not a step of this boot chain; steps: "
                         f"{', '.join(s.function for s in self.steps_list)}")

    def to_graphviz(self) -> "graphviz.Digraph":
        """The chain as a diagram: the steps top to bottom in the order they run, each box with its file:line and
        how it is reached, grouped by the thread that runs them; sysmon beside, on its own thread. (The init
        tasks are counted, not named: `.inits` lists them.)"""
        return _display.show(self, "graphviz")

    def reached(self, s: BootStep) -> str:
        """How a step is reached, in a few words: 'CALL from runtime.rt0_go, asm_amd64.s:340'."""
        if s.caller < 0:
            return s.how.split(" (")[0]
        verb = s.how.split(":", 1)[0].split(" from ")[0]
        caller = self.steps_list[s.caller].function
        site = s.called_at.rsplit("/", 1)[-1]
        return f"{verb} from {caller}" + (f", {site}" if site else "")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return dict(_display.show(self, "mimebundle"))

    def __repr__(self) -> str:
        return (f"<BootChain {self.binary.name} ({self.goarch}): {len(self.steps_list)} steps from "
                f"{self.steps_list[0].function} to {self.steps_list[-1].function}, {len(self.inits)} init tasks>")


def _base(name: str) -> str:
    """runtime.schedinit.abi0 -> runtime.schedinit (an ABI wrapper names the function it wraps)."""
    return name.removesuffix(".abi0")


def goroot_relative(path: str) -> str:
    """runtime/proc.go from /any/goroot/src/runtime/proc.go (the part after the last /src/)."""
    p = path.replace("\\", "/")
    return p.rpartition("/src/")[2] if "/src/" in p else p


def _site(fn: Function, inst: Instruction) -> str:
    """file:line of an instruction, the file relative to GOROOT/src (objdump names only its base name)."""
    d = goroot_relative(fn.file).rpartition("/")[0]
    return f"{d + '/' if d else ''}{inst.file}:{inst.line}"


def _signed32(v: int) -> int:
    return v - (1 << 32) if v >= 1 << 31 else v


def address_operands(fn: Function, index: int, image: Image, window: int = 10, same_line: bool = False) -> list[int]:
    """Addresses formed shortly before instruction `index` (nearest first): what a call's argument points at.

    amd64: `LEAQ sym(SB)`, `LEAQ/MOVQ disp(IP)` (relative to the next instruction); arm64: `ADRP off(PC), Rn`
    completed by `ADD $imm, Rn, ...` or `MOVD imm(Rn), ...` (ADRP's base is the 4 KiB page of its PC).
    """
    insts = fn.instructions
    found: list[int] = []
    for j in range(index - 1, max(-1, index - 1 - window), -1):
        inst = insts[j]
        if same_line and (inst.file, inst.line) != (insts[index].file, insts[index].line):
            break
        if image.goarch == "amd64":
            if inst.target and inst.op in ("LEAQ", "MOVQ"):
                addr = image.address_of(inst.target.lstrip("$"))  # Go 1.22's objdump: MOVQ $main(SB), DI
                if addr is not None:
                    found.append(addr)
                continue
            m = IP_REL_RE.match(inst.args)
            if m:
                found.append(inst.pc + inst.size + _signed32(int(m.group("disp"), 16)))
                continue
            m = IMM_ADDR_RE.match(inst.args)
            if m and inst.op == "MOVQ" and image.symbol_at(int(m.group("addr"), 16)):
                found.append(int(m.group("addr"), 16))
        elif image.goarch == "arm64" and inst.op == "ADRP":
            m = ADRP_RE.match(inst.args)
            if not m:
                continue
            base = (inst.pc & ~0xFFF) + int(m.group("off"))
            for k in range(j + 1, min(len(insts), j + 4)):
                a = ADD_IMM_RE.match(insts[k].args) if insts[k].op == "ADD" else None
                a = a or (LOAD_OFF_RE.match(insts[k].args) if insts[k].op == "MOVD" else None)
                if a and a.group("reg") == m.group("reg"):
                    found.append(base + int(a.group("imm")))
                    break
    return found


def funcval_target(fn: Function, index: int, image: Image, same_line: bool = False) -> tuple[str, str]:
    """(the func value's symbol or address, the function it holds) for the call at `index`: read from memory.

    same_line: only look at instructions of the call's own source line (an indirect call's closure).
    """
    for addr in address_operands(fn, index, image, same_line=same_line):
        try:
            word = int.from_bytes(image.read(addr, 8), "little")
        except BinaryFormatError:
            continue
        target = image.symbol_at(word)
        if target:
            return image.symbol_at(addr) or f"{addr:#x}", target
    raise ParseError(f"no function value found before the call at {fn.instructions[index].pc:#x} in {fn.name}")


def find_boot_chain(functions: Sequence[Function], image: Image, *, binary: Path | None = None,
                    goroot: Path | None = None, go: str = "") -> BootChain:
    """Follow the binary from its entry point to main.main (a pure function of objdump output and the image)."""
    by_name = {f.name: f for f in functions}
    steps: list[BootStep] = []

    def get(name: str) -> Function:
        for n in (name, name + ".abi0"):
            if n in by_name:
                return by_name[n]
        raise ParseError(f"{name} is not among the disassembled functions; the boot chain of this Go version "
                         "differs from what gokit knows")

    def add(name: str, how: str, called_at: str, thread: str, caller: int) -> int:
        f = get(name)
        first = (f.instructions[0].line or 0) if f.instructions else 0
        # runtime files relative to GOROOT/src; the learner's own main package by its file name
        file = os.path.basename(f.file) if f.name.startswith("main.") else goroot_relative(f.file)
        if not f.file:  # the C runtime's code: no Go line table, no file in GOROOT
            file, first = "", 0
        steps.append(BootStep(len(steps), _base(f.name), how, file, first, called_at, thread, caller))
        return len(steps) - 1

    def calls(caller: Function, callee: str, ops: tuple[str, ...] = ("CALL",)) -> list[tuple[int, Instruction]]:
        return [(i, inst) for i, inst in enumerate(caller.instructions)
                if inst.op in ops and _base(inst.target) == callee]

    def call_to(caller: Function, callee: str) -> tuple[int, Instruction]:
        found = calls(caller, callee)
        if not found:
            raise ParseError(f"{_base(caller.name)} does not call {callee} in this binary")
        return found[0]

    entry = image.symbol_at(image.entry)
    if entry is None:
        raise BinaryFormatError("no symbol at the ELF entry point: the binary was linked with -s (no symbol table)")
    here = add(entry, f"ELF entry point (e_entry = {image.entry:#x})", "", "m0", -1)
    cur = get(entry)
    seen = {cur.name}
    if entry == C_ENTRY:  # linked by the C toolchain: the C library calls the `main` whose address _start hands it
        k = next((k for k, i in enumerate(cur.instructions) if i.op == "CALL" and not i.target), None)
        named = [image.symbol_at(a) for a in address_operands(cur, k, image)] if k is not None else []
        if "main" not in named:
            raise ParseError("the C runtime's _start hands no address of main to the C library in this binary")
        here = add("main", "called by the C library: _start hands main's address to __libc_start_main, which "
                           "calls it", "", "m0", here)
        cur = get("main")
        seen.add(cur.name)
    while not _base(cur.name).startswith("runtime.rt0_go"):  # trampolines on to runtime.rt0_go
        nxt, how, detail, site = _onward(cur, image)
        if nxt is None or nxt in seen:
            raise ParseError(f"{cur.name} does not lead on to runtime.rt0_go")
        here = add(nxt, f"{how} from {_base(cur.name)}{detail}", site, "m0", here)
        cur = get(nxt)
        seen.add(cur.name)
    rt0, rt0_step = cur, here
    for callee in ("runtime.args", "runtime.osinit", "runtime.schedinit"):
        _, inst = call_to(rt0, callee)
        add(callee, f"CALL from {_base(rt0.name)}", _site(rt0, inst), "m0", rt0_step)
    i, inst = call_to(rt0, "runtime.newproc")
    pc_symbol, target = funcval_target(rt0, i, image)
    add("runtime.newproc", f"CALL from {_base(rt0.name)}: newproc({pc_symbol}), a func value holding {target}, "
                           f"makes the goroutine that will run it", _site(rt0, inst), "m0", rt0_step)
    _, inst = call_to(rt0, "runtime.mstart")
    here = add("runtime.mstart", f"CALL from {_base(rt0.name)}", _site(rt0, inst), "m0", rt0_step)
    cur = get("runtime.mstart")
    for callee in ("runtime.mstart0", "runtime.mstart1", "runtime.schedule", "runtime.execute", "runtime.gogo"):
        _, inst = call_to(cur, callee)
        here = add(callee, f"CALL from {_base(cur.name)}", _site(cur, inst), "m0", here)
        cur = get(callee)
    main_step = add(target, f"JMP from runtime.gogo: it jumps to the goroutine's PC, {target}", "", "main goroutine",
                    here)
    main = get("runtime.main")
    i, inst = call_to(main, "runtime.systemstack")
    _, func1 = funcval_target(main, i, image)
    here = add(func1, f"CALL from runtime.main: systemstack({func1}) runs it on the thread's system stack",
               _site(main, inst), "main goroutine", main_step)
    f1 = get(func1)
    j, inst = call_to(f1, "runtime.newm")
    _, started = funcval_target(f1, j, image)
    here = add("runtime.newm", f"CALL from {func1}: newm({started}, nil, -1) creates an M, a new OS thread",
               _site(f1, inst), "main goroutine", here)
    add(started, f"starts on the new M from runtime.newm: {started} loops there", "", "new M", here)
    runtime_tasks = init_tasks(image, "go:runtime.inittasks")
    inits = init_order(image, runtime_tasks)
    runtime_inits = len(runtime_tasks)
    _, gc_inst = call_to(main, "runtime.gcenable")
    doinits = calls(main, "runtime.doInit1")
    if not doinits:
        raise ParseError("runtime.main does not call runtime.doInit1 in this binary")
    before = [d for d in doinits if d[1].pc < gc_inst.pc] or doinits
    after = [d for d in doinits if d[1].pc > gc_inst.pc] or doinits
    add("runtime.doInit1", f"CALL from runtime.main: the runtime's own init tasks ({runtime_inits})",
        _site(main, before[0][1]), "main goroutine", main_step)
    add("runtime.gcenable", "CALL from runtime.main: starts the background sweeper and scavenger",
        _site(main, gc_inst), "main goroutine", main_step)
    add("runtime.doInit1", f"CALL from runtime.main: every other package's init tasks "
                           f"({len(inits) - runtime_inits}, in link order)", _site(main, after[0][1]),
        "main goroutine", main_step)
    for k, c in [(k, c) for k, c in enumerate(main.instructions) if c.op == "CALL" and not c.target]:
        try:  # indirect: CALL AX (amd64) / CALL (R0) (arm64), the closure loaded on the same line
            _, user_main = funcval_target(main, k, image, same_line=True)
        except ParseError:
            continue
        if user_main == "main.main":
            add("main.main", "indirect CALL from runtime.main: fn := main_main; fn()", _site(main, c),
                "main goroutine", main_step)
            break
    else:
        raise ParseError("runtime.main has no indirect call of main.main in this binary")
    return BootChain(binary or Path("?"), image.goarch, image.entry, tuple(steps), inits, runtime_inits, goroot, go,
                     tuple(functions))


def _onward(fn: Function, image: Image) -> tuple[str | None, str, str, str]:
    """Where an entry trampoline goes next: its last direct JMP, else its first direct CALL, else an indirect call
    of an address it forms (Go 1.22 arm64: `_rt0_arm64_linux` calls `main`, which calls runtime.rt0_go by address)."""
    jumps = [i for i in fn.instructions if i.op == "JMP" and i.target]
    if jumps:
        return jumps[-1].target, "JMP", "", _site(fn, jumps[-1])
    direct = [i for i in fn.instructions if i.op == "CALL" and i.target]
    if direct:
        return direct[0].target, "CALL", "", _site(fn, direct[0])
    for k, inst in enumerate(fn.instructions):
        if inst.op in ("CALL", "JMP") and not inst.target:
            for addr in address_operands(fn, k, image):
                name = image.symbol_at(addr)
                if name:
                    return name, f"indirect {inst.op}", f": {inst.op} {inst.args} to the address of {name}", \
                        _site(fn, inst)
    return None, "", "", ""


def init_tasks(image: Image, name: str) -> list[str]:
    """The packages of the init tasks a list symbol (go:main.inittasks, go:runtime.inittasks) points at, in order."""
    addr, size = image.address_of(name), image.size_of(name)
    if addr is None:
        return []
    out = []
    for off in range(0, size, 8):
        sym = image.symbol_at(int.from_bytes(image.read(addr + off, 8), "little")) or ""
        if sym.endswith(INITTASK_SUFFIX):
            out.append(sym[: -len(INITTASK_SUFFIX)])
    return out


def init_order(image: Image, runtime_tasks: list[str] | None = None) -> tuple[str, ...]:
    """Packages whose init tasks run, in order: go:runtime.inittasks first, then go:main.inittasks (the linker's
    order) without those already done — what runtime.main's two doInit calls do."""
    first = runtime_tasks if runtime_tasks is not None else init_tasks(image, "go:runtime.inittasks")
    return tuple(first + [p for p in init_tasks(image, "go:main.inittasks") if p not in first])


# ---------------------------------------------------------------- GODEBUG=inittrace=1

@dataclass(frozen=True)
class InitRecord:
    """One line the runtime printed for one package's init task (runtime/proc.go doInit1)."""

    package: str
    start_ms: float     # since runtime.main set runtimeInitTime
    clock_ms: float     # wall time of the package's init functions
    bytes: int          # heap bytes they allocated
    allocs: int         # heap allocations they made


def parse_inittrace(text: str) -> tuple[InitRecord, ...]:
    """The `init ...` lines of a program's stderr under GODEBUG=inittrace=1 (other lines are the program's own)."""
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("init "):
            continue
        m = INIT_LINE_RE.match(line.rstrip())
        if m is None:
            if " @" in line and " ms clock, " in line:
                raise ParseError("an inittrace line does not have the form 'init PKG @T ms, T ms clock, N bytes, "
                                 "N allocs'", line, lineno)
            continue
        out.append(InitRecord(m.group("package"), float(m.group("start")), float(m.group("clock")),
                              int(m.group("bytes")), int(m.group("allocs"))))
    return tuple(out)


def inittrace_frame(records: Sequence[InitRecord], run: int = 0) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame([(r.package, r.start_ms, r.clock_ms, r.bytes, r.allocs, run) for r in records],
                        columns=INITTRACE_COLUMNS)


