"""The compiler's `-S` listing: every symbol of the package object with its machine code, data and relocations.

`go tool compile -S` prints, for each symbol the package defines (cmd/internal/obj/objfile.go,
writeSymDebugNamed):

    NAME KIND [static] [dupok] [cfunc] [nosplit] [topframe] [asm] size=N ...key=value... [leaf]
    \t0x0000 00000 (FILE:LINE)\tOP\tARGS          one line per instruction (text symbols only)
    \t0x0000 48 01 d8 c3   H...                  the symbol's bytes, 16 per line
    \trel 21+4 t=R_CALL runtime.panicBounds+0    one line per relocation: offset+size, type, symbol+addend

The key=value fields come in a different order in Go 1.22 (`size args locals funcid align`) and
1.27 (`size align args locals funcid`), so they are read by key. Symbol names contain spaces, braces
and `#` suffixes (`type:noalg.struct { F uintptr }`, `main.f.func1#RMgI/RZtu4k=#`). On 32-bit ARM and
PPC64 the addend is printed in hex, elsewhere in decimal.
"""
from __future__ import annotations

import bisect
import re
from typing import Sequence

from ..errors import ParseError
from .asm import Instruction, Relocation, Symbol

#: `\t0x0025 00037 (/abs/main.go:24)\tCALL\truntime.panicBounds(SB)` (the op stands alone when it has no args)
INSTRUCTION_RE = re.compile(r"^\t0x(?P<pc>[0-9a-f]+) (?P<pcdec>\d{5,}) \((?P<pos>.*)\)\t(?P<op>[^\t]+)(?:\t(?P<args>.*))?$")
#: `\t0x0010 04 f8 5d c3 e8 00 00 00 00 90      ..].......`
HEX_RE = re.compile(r"^\t0x(?P<off>[0-9a-f]+)(?P<hex>(?: [0-9a-f]{2}){1,16})(?: |$)")
#: `\trel 38+4 t=R_CALL runtime.panicBounds+0` (the symbol may be empty, hold spaces or `+`)
RELOC_RE = re.compile(r"^\trel (?P<off>-?\d+)\+(?P<size>\d+) t=(?P<type>\S+) (?P<sym>.*)\+(?P<add>-?[0-9a-f]+)$")
#: `RelocType(-32763)`: how the compiler prints a weak relocation (objabi's stringer knows no name for R_WEAK|t)
WEAK_RELOC_RE = re.compile(r"^RelocType\((?P<n>-\d+)\)$")
#: The weak relocation types objabi names (cmd/internal/objabi/reloctype.go: R_WEAK = -1 << 15, R_WEAKADDR =
#: R_WEAK | R_ADDR, R_WEAKADDROFF = R_WEAK | R_ADDROFF; R_ADDR = 1 and R_ADDROFF = 5 in Go 1.22 and 1.27 alike).
#: "A weak relocation does not make the symbol it refers to reachable" (the linker fills it only if something
#: else keeps the symbol).
WEAK_RELOC_NAMES = {-(1 << 15) | 1: "R_WEAKADDR", -(1 << 15) | 5: "R_WEAKADDROFF"}
#: `FILE:LINE`, or with a //line directive `FILE:LINE[ORIGFILE:ORIGLINE]`
POS_RE = re.compile(r"^(?P<file>.*):(?P<line>\d+)(?:\[(?P<orig>.*)\])?$")
#: A symbol kind: STEXT, SRODATA, SNOPTRDATA, SDWARFCUINFO, ...
KIND_RE = re.compile(r"^S[A-Z0-9_]+$")
#: `name<1>` (-S=2 prints the ABI after the name; -S=3 adds `<idx P S>`)
ABI_SUFFIX_RE = re.compile(r"<(?P<abi>\d+)>(?:<idx -?\d+ -?\d+>)?$")
#: Header words that are flags, in the order the compiler prints them (objfile.go)
HEADER_FLAGS = ("static", "dupok", "cfunc", "nosplit", "topframe", "asm", "leaf")
#: Architectures whose instructions are all 4 bytes (the assembler pads a function's end with zeros)
FIXED_WIDTH = frozenset({"arm64", "loong64", "mips", "mipsle", "mips64", "mips64le", "ppc64", "ppc64le"})
#: Architectures whose `rel` lines print the addend in hex (objfile.go: InFamily(sys.ARM, sys.PPC64))
HEX_ADDEND = frozenset({"arm", "ppc64", "ppc64le"})

#: A symbol header of the listing: `main.add STEXT size=...` (the name may hold spaces)
STEXT_RE = re.compile(r"^(?P<name>\S.*?) STEXT\b", re.MULTILINE)


# ---------------------------------------------------------------- the parser


def _header(raw: str, lineno: int) -> tuple[str, int | None, str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """NAME [KIND] flags... size=N key=value... [leaf] -> (name, abi, kind, flags, fields); read from the right,
    because a name may hold spaces."""
    tokens = raw.rstrip().split(" ")
    fields: list[tuple[str, str]] = []
    flags: list[str] = []
    kind = ""
    while tokens:
        t = tokens[-1]
        k, eq, v = t.partition("=")
        if eq and k.isalpha() and k.islower() and v:
            fields.insert(0, (k, v))
        elif t in HEADER_FLAGS:
            flags.insert(0, t)
        elif KIND_RE.match(t) and len(tokens) > 1:
            kind = t
            tokens.pop()
            break
        else:
            break
        tokens.pop()
    name = " ".join(tokens)
    if not any(k == "size" for k, _ in fields):  # the name may be empty (` SDWARFVAR size=27 align=0x0`)
        raise ParseError("a -S symbol header has no size=", raw, lineno)
    abi = None
    m = ABI_SUFFIX_RE.search(name)
    if m:
        abi, name = int(m.group("abi")), name[:m.start()]
    return name, abi, kind, tuple(flags), tuple(fields)


def _position(pos: str) -> tuple[str, int | None]:
    if pos.startswith("<unknown"):
        return "", None
    m = POS_RE.match(pos)
    if m is None:
        return pos, None
    return m.group("file"), int(m.group("line"))


def _addend(text: str, goarch: str | None) -> int:
    if goarch in HEX_ADDEND or not re.fullmatch(r"-?\d+", text):
        v = int(text, 16)
        return v - (1 << 64) if v >= 1 << 63 else v
    return int(text)


class _Builder:
    """One symbol being read: its header, instruction lines, hex dump and rel lines."""

    def __init__(self, name: str, abi: int | None, kind: str, flags: tuple[str, ...],
                 fields: tuple[tuple[str, str], ...]) -> None:
        self.name, self.abi, self.kind, self.flags, self.fields = name, abi, kind, flags, fields
        self.size = int(dict(fields)["size"], 0)
        self.insts: list[tuple[int, str, int | None, str, str]] = []
        self.data = bytearray()
        self.relocs: list[tuple[int, int, str, str, int]] = []   # offset, size, type, symbol, addend

    def finish(self, goarch: str | None) -> Symbol:
        code = bytes(self.data)
        spans = _spans([pc for pc, *_ in self.insts], len(code) if code else self.size, goarch)
        by_pc: dict[int, list[Relocation]] = {}
        relocs = []
        starts = {pc: n for pc, n in spans if n}
        owners = sorted(starts)
        for off, size, typ, sym, add in self.relocs:
            pc = None
            if owners and size > 0:
                k = bisect.bisect_right(owners, off) - 1
                if k >= 0 and off < owners[k] + starts[owners[k]]:
                    pc = owners[k]
            r = Relocation(self.name, off, size, typ, sym, add, pc)
            relocs.append(r)
            if pc is not None:
                by_pc.setdefault(pc, []).append(r)
        insts = []
        for (pc, file, line, op, args), (_, n) in zip(self.insts, spans):
            owned = tuple(by_pc.pop(pc, ())) if n else ()
            insts.append(Instruction(self.name, pc, file, line, op, args, code[pc:pc + n].hex(), owned))
        return Symbol(self.name, self.kind, self.flags, self.size, self.fields, tuple(insts), tuple(relocs), code,
                      self.abi)


def _spans(pcs: Sequence[int], end: int, goarch: str | None) -> list[tuple[int, int]]:
    """(pc, bytes) per listing line: the last line at a pc owns the bytes up to the next pc; lines before it
    at the same pc (FUNCDATA, PCDATA, an empty NOP) own none. The last instruction ends at the symbol's end,
    or after 4 bytes on fixed-width architectures (arm64 pads a function's end with zeros)."""
    out = []
    for k, pc in enumerate(pcs):
        nxt = pcs[k + 1] if k + 1 < len(pcs) else None
        if nxt is not None:
            n = nxt - pc if nxt > pc else 0
        else:
            n = max(end - pc, 0)
            if goarch in FIXED_WIDTH:
                n = min(n, 4)
        out.append((pc, n))
    return out


def parse_asm(text: str, *, goarch: str | None = None, moddir: str | None = None,
              goroot: str | None = None) -> tuple[Symbol, ...]:
    """Parse a `go tool compile -S` listing into symbols (a pure function of text).

    `goarch` fixes how the last instruction's bytes and hex addends are read (see module doc);
    `moddir` and `goroot` turn absolute file names into `main.go` and `$GOROOT/src/fmt/print.go`.
    """
    def rename(file: str) -> str:
        if moddir and file.startswith(moddir.rstrip("/") + "/"):
            return file[len(moddir.rstrip("/")) + 1:]
        if goroot and file.startswith(goroot.rstrip("/") + "/"):
            return "$GOROOT/" + file[len(goroot.rstrip("/")) + 1:]
        return file

    symbols: list[Symbol] = []
    cur: _Builder | None = None
    positions: dict[str, tuple[str, int | None]] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        if not raw.startswith("\t"):
            if cur is not None:
                symbols.append(cur.finish(goarch))
            cur = _Builder(*_header(raw, lineno))
            continue
        if cur is None:
            raise ParseError("a -S listing line comes before any symbol header", raw, lineno)
        m = INSTRUCTION_RE.match(raw)
        if m:
            pos = m.group("pos")
            if pos not in positions:
                file, line = _position(pos)
                positions[pos] = (rename(file), line)
            file, line = positions[pos]
            cur.insts.append((int(m.group("pc"), 16), file, line, m.group("op"), (m.group("args") or "").strip()))
            continue
        m = HEX_RE.match(raw)
        if m:
            off = int(m.group("off"), 16)
            if off != len(cur.data):
                raise ParseError(f"the hex dump of {cur.name} skips from byte {len(cur.data)} to {off}", raw, lineno)
            cur.data.extend(bytes.fromhex(m.group("hex")))
            continue
        m = RELOC_RE.match(raw)
        if m:
            cur.relocs.append((int(m.group("off")), int(m.group("size")), reloc_type_name(m.group("type")),
                               m.group("sym"), _addend(m.group("add"), goarch)))
            continue
        raise ParseError("a -S listing line is neither an instruction, a hex dump nor a relocation", raw, lineno)
    if cur is not None:
        symbols.append(cur.finish(goarch))
    return tuple(symbols)


def reloc_type_name(printed: str) -> str:
    """A relocation type as objabi names it: the compiler prints R_WEAKADDR as `RelocType(-32767)` and
    R_WEAKADDROFF as `RelocType(-32763)`; other weak types keep the printed form."""
    m = WEAK_RELOC_RE.match(printed)
    return WEAK_RELOC_NAMES.get(int(m.group("n")), printed) if m else printed


def function_names(listing: str) -> list[str]:
    """The functions (text symbols) a `-S` listing defines, in order, qualified as the compiler names them
    (`main.add`, `main.(*T).Inc`, and other packages' generic functions instantiated here, `slices.Max[...]`)."""
    names: dict[str, None] = {}
    for m in STEXT_RE.finditer(listing):
        n = re.sub(r"#.*#$", "", m.group("name"))
        if not n.startswith(("type:", "go:")):
            names.setdefault(n, None)
    return list(names)
