"""`go tool objdump`: machine code of a linked binary or a package archive, parsed into instructions.

The listing is one `TEXT <symbol>(SB) <file>` header per function, then one line per instruction:
`  FILE:LINE <tab> PC <tab> HEX BYTES <tab> ASM [<tab> relocations]`, fields separated by runs of
tabs. On an object file (an archive such as `_pkg_.a`) relocations follow the instruction as
`[start:end]TYPE:SYMBOL` (bytes start..end of the instruction are the hole the linker fills); in a
linked binary there are none and call targets are resolved: `CALL fmt.Fprintln(SB)`.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..errors import ParseError
from . import instruction

if TYPE_CHECKING:
    import pandas as pd

TEXT_RE = re.compile(r"^TEXT (?P<name>.+)\(SB\)(?: (?P<file>.*))?$")
FIELDS_RE = re.compile(r"\t+")
#: FILE:LINE; FILE is empty (":0") for code without Go line tables, like the C runtime's _start in a cgo binary
POS_RE = re.compile(r"^(?P<file>.*):(?P<line>\d+)$")
# [1:5]R_CALL:fmt.Fprintln  (several per instruction, space-separated; symbols may hold spaces)
RELOC_RE = re.compile(r"\[(?P<start>\d+):(?P<end>\d+)\](?P<type>R_\w+|RelocType\(-?\d+\)):")
# CALL fmt.Fprintln(SB) / JMP runtime.morestack_noctxt.abi0(SB): the symbol a linked branch names
TARGET_RE = re.compile(r"(?P<sym>[^\s,(]+(?:\([^)]*\))?[^\s,(]*)\(SB\)")
#: Go regexp metacharacters (RE2 rejects escapes of other characters, unlike Python's re.escape).
_RE2_META = set("\\.+*?()|[]{}^$")

INSTRUCTION_COLUMNS = ["function", "pc", "file", "line", "bytes", "op", "args", "target", "relocations"]


@dataclass(frozen=True)
class ObjReloc:
    """A relocation on an instruction of an object file: bytes start..end of it, its type and target symbol."""

    start: int
    end: int
    type: str
    symbol: str


@dataclass(frozen=True)
class Instruction(instruction.Instruction):
    """One instruction objdump printed: `file` is the base name objdump prints (the full path is in the
    function's header); `target` the symbol a CALL/JMP/LEAQ ...(SB) names in a linked binary, else "";
    `relocations` the holes an object file's instruction leaves for the linker."""

    target: str = ""
    relocations: tuple[ObjReloc, ...] = ()


@dataclass(frozen=True)
class Function:
    name: str
    file: str            # the source file objdump names in the TEXT header ("" for assembly without one)
    instructions: tuple[Instruction, ...]

    @property
    def start(self) -> int:
        return self.instructions[0].pc if self.instructions else 0

    @property
    def size(self) -> int:
        last = self.instructions[-1] if self.instructions else None
        return 0 if last is None else last.pc + last.size - self.start


def pc_relative_target(start: int, offset: int, size: int, hole: str, addend: int) -> int | None:
    """The address a filled 4-byte PC-relative hole (R_CALL, R_PCREL on amd64) points to: the linker wrote
    target + addend - (address just after the hole) there (cmd/link/internal/ld/data.go, R_CALL/R_PCREL).
    `start` is the function's address, `offset` the hole's within it, `hole` its bytes in hex."""
    if size != 4 or len(hole) != 8:
        return None
    value = struct.unpack("<i", bytes.fromhex(hole))[0]
    return start + offset + size + value - addend


def parse_objdump(text: str) -> tuple[Function, ...]:
    """Parse `go tool objdump` output (a pure function of text)."""
    functions: list[Function] = []
    name, file, insts = "", "", []  # type: tuple[str, str, list[Instruction]]

    def flush() -> None:
        if name:
            functions.append(Function(name, file, tuple(insts)))

    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        m = TEXT_RE.match(raw)
        if m:
            flush()
            name, file, insts = m.group("name"), m.group("file") or "", []
            continue
        if not name:
            raise ParseError("go tool objdump printed an instruction before any TEXT header", raw, lineno)
        fields = [f for f in FIELDS_RE.split(raw.strip())]
        if len(fields) < 4:
            raise ParseError("an objdump instruction line has fewer than 4 tab-separated fields", raw, lineno)
        pos, pc, hexbytes, asm = fields[:4]
        rest = " ".join(fields[4:]).strip()
        pm = POS_RE.match(pos)
        if pm is None:
            raise ParseError("an objdump instruction does not start with FILE:LINE", raw, lineno)
        try:
            pc_value = int(pc, 16)
        except ValueError:
            raise ParseError("an objdump instruction has no hexadecimal PC", raw, lineno) from None
        op, _, args = asm.partition(" ")
        tm = TARGET_RE.search(args)
        insts.append(Instruction(name, pc_value, pm.group("file"), int(pm.group("line")), op, args.strip(), hexbytes,
                                 tm.group("sym") if tm else "", _relocs(rest, raw, lineno)))
    flush()
    return tuple(functions)


def _relocs(text: str, raw: str, lineno: int) -> tuple[ObjReloc, ...]:
    if not text:
        return ()
    marks = list(RELOC_RE.finditer(text))
    if not marks or marks[0].start() != 0:
        raise ParseError("text after an objdump instruction is not a relocation list", raw, lineno)
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append(ObjReloc(int(m.group("start")), int(m.group("end")), m.group("type"), text[m.end():end].strip()))
    return tuple(out)


def go_regexp_quote(s: str) -> str:
    """`s` as a literal in a Go regexp (RE2), as regexp.QuoteMeta does."""
    return "".join("\\" + c if c in _RE2_META else c for c in s)


def frame(functions: Sequence[Function]) -> "pd.DataFrame":
    """One row per instruction: function, pc, file, line, bytes, op, args, target, relocations (text)."""
    import pandas as pd

    rows = [(i.function, i.pc, i.file, i.line, i.bytes, i.op, i.args, i.target,
             "; ".join(f"{r.type} {r.symbol} @{r.start}:{r.end}" for r in i.relocations))
            for f in functions for i in f.instructions]
    return pd.DataFrame(rows, columns=INSTRUCTION_COLUMNS)
