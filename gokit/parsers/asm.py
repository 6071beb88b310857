"""The compiler's `-S` listing as data: every symbol of the package object (Symbol) with its machine code
(Instruction), data and relocations (Relocation), and the whole listing of a package (Assembly). Pure data;
gokit.parsers.asm_listing reads the listing text into it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .. import _display
from ..errors import FunctionNotFoundError, UsageError
from . import instruction
from .names import check_name, resolve_name

if TYPE_CHECKING:
    import pandas as pd

    from ..source.source import Source
    from ..source.toolchain import Toolchain

#: The `$frame-args` operand of a TEXT pseudo-instruction (`$160-0`, `$0-16`)
FRAME_RE = re.compile(r"^\$-?\d+(?:-\d+)?$")
#: Header words that are flags, in the order the compiler prints them (objfile.go)
HEADER_FLAGS = ("static", "dupok", "cfunc", "nosplit", "topframe", "asm", "leaf")
#: Pseudo-instructions: bookkeeping for the assembler, linker and runtime, no machine code of their own
PSEUDO_OPS = frozenset({"TEXT", "FUNCDATA", "PCDATA", "PCALIGN", "GLOBL", "DATA"})

INSTRUCTION_COLUMNS = ["function", "pc", "file", "line", "op", "args", "bytes"]
RELOCATION_COLUMNS = ["function", "offset", "size", "type", "symbol", "addend"]
SYMBOL_COLUMNS = ["name", "kind", "size", "flags", "args", "locals", "abi", "instructions", "relocations"]


@dataclass(frozen=True)
class Relocation:
    """A hole in a symbol's bytes that the linker fills: `size` bytes at `offset` get (an address derived from)
    `symbol` + `addend`, computed as `type` says. `pc` is the instruction holding it (None in data, or for a
    marker relocation of size 0, which patches nothing and only tells the linker something)."""

    function: str
    offset: int
    size: int
    type: str
    symbol: str
    addend: int
    pc: int | None = None

    @property
    def target(self) -> str:
        """`symbol+addend` as the listing writes it (`main.table+1`), or just the symbol when the addend is 0."""
        return self.symbol + (f"{self.addend:+d}" if self.addend else "")


@dataclass(frozen=True)
class Instruction(instruction.Instruction):
    """One line of a function's listing: where it is (pc), where it came from (file:line), what it is, its bytes
    and the relocations in them. `file` is relative to the module for your files, $GOROOT/src/... for inlined
    standard-library code."""

    relocations: tuple[Relocation, ...] = ()

    @property
    def pseudo(self) -> bool:
        """True for assembler bookkeeping that emits no bytes (TEXT, FUNCDATA, PCDATA) and for empty NOPs."""
        return self.op in PSEUDO_OPS or not self.bytes


@dataclass(frozen=True)
class Symbol:
    """One symbol of the package object: a function (kind STEXT) with its instructions, or data with its bytes."""

    name: str
    kind: str                     # STEXT, SRODATA, SNOPTRDATA, SDWARFCUINFO, ... ("" when the compiler printed none)
    flags: tuple[str, ...]        # dupok, nosplit, leaf, ... from the header line
    size: int
    fields: tuple[tuple[str, str], ...]   # every key=value of the header, as printed
    instructions: tuple[Instruction, ...] = ()
    relocations: tuple[Relocation, ...] = ()
    data: bytes = b""             # the symbol's bytes: machine code for a function (relocation holes are zero)
    abi_index: int | None = None  # -S=2 prints name<ABI>

    def _field(self, key: str) -> int | None:
        for k, v in self.fields:
            if k == key:
                return int(v, 0)
        return None

    @property
    def is_function(self) -> bool:
        return self.kind.startswith("STEXT")

    @property
    def args(self) -> int | None:
        """Bytes of arguments and results on the stack frame (ABI0 layout)."""
        return self._field("args")

    @property
    def locals(self) -> int | None:
        """Bytes of the function's stack frame for its locals and spills."""
        return self._field("locals")

    @property
    def align(self) -> int | None:
        return self._field("align")

    @property
    def funcid(self) -> int | None:
        return self._field("funcid")

    @property
    def attributes(self) -> tuple[str, ...]:
        """The TEXT attributes: NOSPLIT, NOFRAME, NEEDCTXT, WRAPPER, ..., ABIInternal / ABI0."""
        text = next((i for i in self.instructions if i.op == "TEXT"), None)
        if text is None:
            return ()
        parts = [p.strip() for p in text.args.split(", ")]
        attrs = [p for p in parts[1:] if p and not FRAME_RE.match(p)]
        return tuple(a for group in attrs for a in group.split("|"))

    @property
    def abi(self) -> str:
        """ABIInternal (Go's register ABI) or ABI0 (the stack ABI of assembly functions); "" for data."""
        return next((a for a in self.attributes if a.startswith("ABI")), "")

    @property
    def frame(self) -> str:
        """`$frame-args` of the TEXT line, e.g. `$160-0`."""
        text = next((i for i in self.instructions if i.op == "TEXT"), None)
        if text is None:
            return ""
        return next((p.strip() for p in text.args.split(", ") if FRAME_RE.match(p.strip())), "")

    @property
    def machine_instructions(self) -> tuple[Instruction, ...]:
        """The listing's instructions that emit machine code (no TEXT/FUNCDATA/PCDATA, no zero-size NOP). One
        assembler instruction may encode as more than one machine word: on arm64 `MOVD $sym(SB), R0` is 8 bytes
        (ADRP + ADD)."""
        return tuple(i for i in self.instructions if not i.pseudo)

    @property
    def lines(self) -> tuple[tuple[str, int], ...]:
        """The (file, line) pairs this function's machine code comes from, in order of first appearance."""
        seen: dict[tuple[str, int], None] = {}
        for i in self.machine_instructions:
            if i.line is not None:
                seen.setdefault((i.file, i.line), None)
        return tuple(seen)

    def listing(self, *, pseudo: bool = False) -> str:
        """The function as `pc (file:line) OP ARGS` lines, relocations under the instruction holding them."""
        out = []
        for i in self.instructions:
            if i.pseudo and not pseudo:
                continue
            pos = "?" if i.line is None else f"{i.file}:{i.line}"
            out.append(f"{i.pc:#06x} ({pos})\t{i.text}")
            out.extend(f"\t\t\u2190 {r.type} {r.target}" for r in i.relocations)
        return "\n".join(out)

    def __repr__(self) -> str:
        what = f"{len(self.machine_instructions)} instructions" if self.is_function else f"{len(self.data)} bytes"
        flags = f" {' '.join(self.flags)}" if self.flags else ""
        return f"<Symbol {self.name} {self.kind}{flags} size={self.size}: {what}, {len(self.relocations)} relocations>"



def instructions_frame(symbols: Iterable[Symbol], *, pseudo: bool = True) -> "pd.DataFrame":
    """One row per listing line of every function: function, pc, file, line, op, args, bytes."""
    import pandas as pd

    rows = [(i.function, i.pc, i.file, i.line, i.op, i.args, i.bytes) for s in symbols for i in s.instructions
            if pseudo or not i.pseudo]
    return pd.DataFrame(rows, columns=INSTRUCTION_COLUMNS).astype({"line": "Int64"})


def relocations_frame(symbols: Iterable[Symbol]) -> "pd.DataFrame":
    """One row per `rel` line: function (the symbol holding it), offset, size, type, symbol, addend."""
    import pandas as pd

    rows = [(r.function, r.offset, r.size, r.type, r.symbol, r.addend) for s in symbols for r in s.relocations]
    return pd.DataFrame(rows, columns=RELOCATION_COLUMNS)


# ---------------------------------------------------------------- Assembly


@dataclass(frozen=True)
class Assembly:
    """The compiler's assembly listing of your package: functions, their instructions and relocations, data.

    `.functions` lists the text symbols (each a Symbol with .name, .kind, .flags, .size, .args, .locals,
    .abi, .instructions, .relocations); `.data` the other symbols with their bytes; `.instructions` and
    `.relocations` are DataFrames over all of them. `.function("add")` finds one by the name you wrote.
    """

    symbols: tuple[Symbol, ...] = field(repr=False)
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)
    sources: tuple[tuple[str, str], ...] = field(default=(), repr=False)   # (file, text) of your package
    listing_text: str = field(default="", repr=False)                      # the raw -S listing (paths cut)
    source: "Source | None" = field(default=None, repr=False)             # what was compiled
    toolchain: "Toolchain | None" = field(default=None, repr=False)       # the Go that compiled it
    #: the same compile for another target or Go: again(goarch=..., toolchain=...) (what the explorer's GOARCH
    #: switch and its side-by-side Go versions call; the stage that made the listing hands it over)
    again: "Callable[..., Assembly] | None" = field(default=None, repr=False, compare=False)

    @property
    def package(self) -> str:
        return str(self.meta.get("package", "main"))

    @property
    def goarch(self) -> str:
        return str(self.meta.get("goarch", ""))

    @property
    def go(self) -> str:
        return str(self.meta.get("go", ""))

    @property
    def archive(self) -> Path | None:
        """The package archive (`_pkg_.a`) this listing was compiled into, kept in gokit's cache."""
        a = self.meta.get("archive")
        return Path(a) if a else None

    @property
    def functions(self) -> list[Symbol]:
        return [s for s in self.symbols if s.is_function]

    @property
    def data(self) -> list[Symbol]:
        return [s for s in self.symbols if not s.is_function]

    @cached_property
    def instructions(self) -> "pd.DataFrame":
        return instructions_frame(self.functions)

    @cached_property
    def relocations(self) -> "pd.DataFrame":
        return relocations_frame(self.symbols)

    @cached_property
    def summary(self) -> "pd.DataFrame":
        """One row per function of your package: name, kind, size, flags, args, locals, ABI, counts."""
        import pandas as pd

        rows = [(s.name, s.kind, s.size, " ".join(s.flags), s.args, s.locals, s.abi, len(s.machine_instructions),
                 len(s.relocations)) for s in self.functions]
        return pd.DataFrame(rows, columns=SYMBOL_COLUMNS)

    def own_functions(self) -> list[Symbol]:
        """The functions of your package (not other packages' generic instantiations, not type: helpers)."""
        prefix = self.package + "."
        return [s for s in self.functions if s.name.startswith(prefix)]

    def function(self, name: str) -> Symbol:
        """A function by the name you would write: add, main.add, T.M, (*T).M, mk.func1, Max (a generic function:
        its first shape instantiation) — the same resolver gokit.ssa uses."""
        found = resolve_name(check_name(name), [s.name for s in self.functions], pkgpath=self.package,
                        clause=str(self.meta.get("clause", "main")))
        return self.symbol(found.name)

    def symbol(self, name: str) -> Symbol:
        """Any symbol (function or data) by its exact name."""
        for s in self.symbols:
            if s.name == name:
                return s
        raise FunctionNotFoundError(f"no symbol {name!r} in this listing", [s.name for s in self.symbols])

    def source_lines(self, file: str | None = None) -> tuple[str, list[str]]:
        """(file, its lines) of your package (the first file by default)."""
        if not self.sources:
            return "", []
        for f, text in self.sources:
            if file is None or f == file:
                return f, text.splitlines()
        raise UsageError(f"no file {file!r}; files: {', '.join(f for f, _ in self.sources)}")

    def explore(self, function: str | None = None, *, compare: "Toolchain | None" = None,
                profile: Any = None) -> Any:
        """Source ⇄ assembly explorer: colour bands per source line, a function picker, relocations on their
        instructions, a GOARCH switch, and (compare=gokit.use_go("1.22.10")) another Go version side by side;
        with profile=gokit.profile(src), CPU samples on lines and instructions."""
        return _display.show(self, "explore", function, compare=compare, profile=profile)

    def show(self, function: str | None = None, *, pseudo: bool = False) -> Any:
        """The static source ⇄ assembly view of one function (what the explorer shows, as HTML)."""
        return _display.show(self, "show", function or self.default_function(), pseudo=pseudo)

    def default_function(self) -> str:
        own = self.own_functions()
        main = f"{self.package}.main"
        if any(s.name == main for s in own):
            return main
        return own[0].name if own else (self.functions[0].name if self.functions else "")

    def _repr_html_(self) -> str:
        return str(_display.show(self, "html"))

    def __repr__(self) -> str:
        return (f"<Assembly {self.package} go{self.go} {self.goarch}: {len(self.functions)} functions, "
                f"{len(self.data)} data symbols, {sum(len(s.relocations) for s in self.symbols)} relocations>")
