"""Reading linked binaries as files (pyelftools for ELF, magic bytes for the rest): header, symbols, segments,
sections, relocations left to apply, and what kind of executable a file is."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Protocol

from .._display import NOT_MEASURED
from ..errors import BinaryFormatError, UsageError

if TYPE_CHECKING:
    import pandas as pd

ELF_MAGIC = b"\x7fELF"
ARCHIVE_MAGIC = b"!<arch>\n"
SECTION_COLUMNS = ["section", "type", "address", "size", "in_file", "flags"]
#: ELF e_machine -> GOARCH, for the architectures whose address-forming instructions gokit decodes.
MACHINES = {"EM_X86_64": "amd64", "EM_AARCH64": "arm64"}


class Image(Protocol):
    """What the boot-chain finder needs from a binary: its entry, architecture, symbols and memory."""

    @property
    def entry(self) -> int: ...

    @property
    def goarch(self) -> str: ...

    def address_of(self, name: str) -> int | None: ...

    def size_of(self, name: str) -> int: ...

    def symbol_at(self, address: int) -> str | None: ...

    def read(self, address: int, n: int) -> bytes: ...


@dataclass(frozen=True)
class ElfImage:
    """A linked ELF binary as the loader sees it: entry point, symbol table and the bytes of each segment."""

    path: Path
    machine: str                  # e_machine, e.g. EM_X86_64
    entry: int
    symbols: Mapping[str, tuple[int, int]] = field(repr=False)   # name -> (address, size)
    segments: tuple[tuple[int, int, bytes], ...] = field(repr=False)  # (vaddr, memsz, file bytes)
    _by_address: Mapping[int, str] = field(repr=False, default_factory=dict)

    @property
    def goarch(self) -> str:
        return MACHINES.get(self.machine, self.machine)

    def address_of(self, name: str) -> int | None:
        hit = self.symbols.get(name)
        return hit[0] if hit else None

    def size_of(self, name: str) -> int:
        hit = self.symbols.get(name)
        return hit[1] if hit else 0

    def symbol_at(self, address: int) -> str | None:
        return self._by_address.get(address)

    def read(self, address: int, n: int) -> bytes:
        for vaddr, memsz, data in self.segments:
            if vaddr <= address and address + n <= vaddr + memsz:
                off = address - vaddr
                chunk = data[off:off + n]
                return chunk + b"\0" * (n - len(chunk))  # past the file bytes: zero-filled (.bss)
        raise BinaryFormatError(f"address {address:#x} is in no loaded segment of {self.path.name}")


def read_elf(path: str | os.PathLike[str]) -> ElfImage:
    """Read an ELF binary's header, symbol table and loadable segments (pyelftools)."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile

    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise UsageError(f"{p}: cannot read it ({e.strerror})") from None
    if raw[:4] != b"\x7fELF":
        kind = file_format(raw[:64])
        raise BinaryFormatError(f"{p.name} is not an ELF executable ({kind}): the boot chain is read from Linux (ELF) "
                                "binaries; build with goos='linux'.")
    import io

    try:
        elf = ELFFile(io.BytesIO(raw))
        symtab = elf.get_section_by_name(".symtab")
        symbols: dict[str, tuple[int, int]] = {}
        by_address: dict[int, str] = {}
        if symtab is not None:
            for s in symtab.iter_symbols():  # type: ignore[attr-defined]
                if s.name and s["st_value"]:
                    symbols.setdefault(s.name, (int(s["st_value"]), int(s["st_size"])))
                    by_address.setdefault(int(s["st_value"]), s.name)
        segments = tuple((int(seg["p_vaddr"]), int(seg["p_memsz"]), seg.data()) for seg in elf.iter_segments()
                         if seg["p_type"] == "PT_LOAD")
        return ElfImage(p, str(elf.header["e_machine"]), int(elf.header["e_entry"]), symbols, segments, by_address)
    except ELFError as e:
        raise BinaryFormatError(f"{p.name}: pyelftools cannot read it as ELF: {e}") from None


def string_variable(path: str | os.PathLike[str], name: str) -> str | None:
    """The initial value of a Go string variable in a linked ELF binary (None when the binary has no such symbol):
    its symbol holds a pointer and a length (little-endian, 64-bit), read through the loaded segments."""
    image = read_elf(path)
    addr = image.address_of(name)
    if addr is None:
        return None
    header = image.read(addr, 16)
    ptr, n = int.from_bytes(header[:8], "little"), int.from_bytes(header[8:], "little")
    return image.read(ptr, n).decode("utf-8", "replace") if n else ""


def file_format(head: bytes) -> str:
    """What kind of executable a file is, from its first bytes (magic numbers and the machine field; for a
    Windows PE file the machine is further in, so pass the whole file to get it)."""
    if head[:4] == b"\x7fELF" and len(head) >= 20:
        bits = {1: "32-bit", 2: "64-bit"}.get(head[4], "?-bit")
        machine = int.from_bytes(head[18:20], "little" if head[5] == 1 else "big")
        arch = {0x3E: "x86-64", 0xB7: "AArch64", 0xF3: "RISC-V", 0x03: "x86", 0x28: "ARM", 0x08: "MIPS",
                0x15: "PowerPC64", 0x16: "s390x", 0x102: "LoongArch"}.get(machine, f"machine {machine:#x}")
        return f"ELF {bits} {arch}"
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe") and len(head) >= 8:
        cpu = int.from_bytes(head[4:8], "little")
        arch = {0x01000007: "x86-64", 0x0100000C: "arm64"}.get(cpu, f"cpu {cpu:#x}")
        return f"Mach-O {'64' if head[0] == 0xCF else '32'}-bit {arch}"
    if head[:2] == b"MZ":
        cpu_name = pe_machine(head)  # in the PE header at e_lfanew, past the first bytes
        return f"PE {cpu_name}" if cpu_name else "PE (Windows)"
    if head[:4] == b"\0asm":
        return f"WebAssembly (version {int.from_bytes(head[4:8], 'little')})" if len(head) >= 8 else "WebAssembly"
    if head[:2] == b"#!":
        return "script (#!)"
    return "unknown"


def pe_machine(data: bytes) -> str:
    """The CPU a Windows PE file is for, from its COFF header (found through e_lfanew at offset 0x3c)."""
    if data[:2] != b"MZ" or len(data) < 0x40:
        return ""
    at = int.from_bytes(data[0x3C:0x40], "little")
    if data[at:at + 4] != b"PE\0\0":
        return ""
    machine = int.from_bytes(data[at + 4:at + 6], "little")
    return {0x8664: "x86-64", 0xAA64: "arm64", 0x14C: "x86"}.get(machine, f"machine {machine:#x}")



def _path_of(path_or_build: Any) -> Path:
    """A binary's path: a path, or anything with one (a gokit.build result, a hand link)."""
    p = getattr(path_or_build, "binary", path_or_build)
    if not isinstance(p, (str, os.PathLike)):
        raise UsageError(f"give a gokit.build(...) result or the path of a Go binary; got {type(path_or_build).__name__}")
    return Path(p)


def sections(path_or_build: Any) -> "pd.DataFrame":
    """The ELF sections of a binary, read with pyelftools: section, type, address, size, in_file (False for
    .bss-like sections that take memory but no file bytes), flags (A alloc, W write, X exec)."""
    import pandas as pd
    from elftools.elf.constants import SH_FLAGS
    from elftools.elf.elffile import ELFFile

    path = _path_of(path_or_build)
    rows = []
    with open(path, "rb") as f:
        _check_elf(f, path)
        elf = ELFFile(f)
        for s in elf.iter_sections():
            if not s.name:
                continue
            fl = s["sh_flags"]
            flags = "".join(c for c, bit in (("A", SH_FLAGS.SHF_ALLOC), ("W", SH_FLAGS.SHF_WRITE),
                                             ("X", SH_FLAGS.SHF_EXECINSTR)) if fl & bit)
            rows.append((s.name, s["sh_type"].removeprefix("SHT_"), s["sh_addr"], s["sh_size"],
                         s["sh_type"] != "SHT_NOBITS", flags))
    return pd.DataFrame(rows, columns=SECTION_COLUMNS)


def _check_elf(f: Any, path: Path) -> None:
    head = f.read(4)
    f.seek(0)
    if head != ELF_MAGIC:
        what = "a Go package archive" if head == ARCHIVE_MAGIC[:4] else "not an ELF file"
        raise UsageError(f"{path.name} is {what}; sections and relocations are read from a linked Linux binary")


@dataclass(frozen=True)
class LinkCheck:
    """What is left for anyone to fix up in a binary before its first instruction runs: relocation sections and
    entries (counted by ELF type), the dynamic loader it asks for (PT_INTERP) and its dynamic section
    (PT_DYNAMIC); and where it starts (e_entry, with the symbol there). A static Go binary has none of the first
    three and starts at _rt0_<arch>_<os>."""

    elf_type: str
    relocation_sections: tuple[str, ...]
    relocation_entries: int
    interpreter: str | None
    dynamic: bool
    relocation_types: tuple[tuple[str, int], ...] = ()   # (R_X86_64_RELATIVE, 6501), ... most first
    entry: int = 0
    entry_symbol: str | None = None                     # the symbol at e_entry (None: no symbol table)
    relocation_symbols: tuple[str, ...] = ()            # the symbols those entries name (libc's, for cgo), sorted

    @property
    def static(self) -> bool:
        return not self.relocation_entries and self.interpreter is None and not self.dynamic

    def __str__(self) -> str:
        if self.static:
            return (f"{self.elf_type}: no relocation sections, no relocation entries, no program interpreter, "
                    "no dynamic section: nothing is left to fill in when it runs.")
        kinds = ", ".join(f"{n:,} {t}" for t, n in self.relocation_types) or "none"
        return (f"{self.elf_type}: {self.relocation_entries:,} relocation entries left in "
                f"{', '.join(self.relocation_sections) or 'no section'} ({kinds}); program interpreter "
                f"{self.interpreter or 'none'}; {'a' if self.dynamic else 'no'} dynamic section.")


def link_check(path_or_build: Any) -> LinkCheck:
    """Read a binary's ELF headers (pyelftools) for relocations left to apply, dynamic-loading needs and its
    entry point."""
    from collections import Counter

    from elftools.elf.descriptions import describe_reloc_type
    from elftools.elf.elffile import ELFFile
    from elftools.elf.relocation import RelocationSection
    from elftools.elf.segments import InterpSegment

    path = _path_of(path_or_build)
    with open(path, "rb") as f:
        _check_elf(f, path)
        elf = ELFFile(f)
        rel = [s for s in elf.iter_sections() if isinstance(s, RelocationSection)
               or s["sh_type"] in ("SHT_REL", "SHT_RELA", "SHT_RELR")]
        entries = sum(s.num_relocations() if isinstance(s, RelocationSection) else 1 for s in rel)
        types: Counter[str] = Counter()
        names: set[str] = set()
        for s in rel:
            if isinstance(s, RelocationSection):
                symtab_of = elf.get_section(s["sh_link"]) if s["sh_link"] else None
                for r in s.iter_relocations():
                    types[describe_reloc_type(r["r_info_type"], elf)] += 1
                    if r["r_info_sym"] and symtab_of is not None and hasattr(symtab_of, "get_symbol"):
                        name = symtab_of.get_symbol(r["r_info_sym"]).name
                        if name:
                            names.add(name)
        interp = None
        dynamic = False
        for seg in elf.iter_segments():
            if isinstance(seg, InterpSegment):
                interp = seg.get_interp_name()
            elif seg["p_type"] == "PT_DYNAMIC":
                dynamic = True
        entry = int(elf.header["e_entry"])
        at = None
        symtab = elf.get_section_by_name(".symtab")
        if symtab is not None:
            at = next((sym.name for sym in symtab.iter_symbols()  # type: ignore[attr-defined]
                       if sym.name and int(sym["st_value"]) == entry and sym["st_info"]["type"] == "STT_FUNC"),
                      None)
        return LinkCheck(elf["e_type"], tuple(s.name for s in rel), entries, interp, dynamic,
                         tuple(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))), entry, at, tuple(sorted(names)))


#: Columns of link_checks: one row per binary.
LINK_CHECK_COLUMNS = ["binary", "ELF type", "entry point", "program interpreter", "relocations left", "of which"]


def link_checks(binaries: Mapping[str, Any]) -> "pd.DataFrame":
    """link_check of several binaries side by side (label -> a build, a hand link or a path), one row each:
    ELF type, entry point (the symbol there), program interpreter, relocations left and their ELF types. A label
    mapped to None (a build that could not be made here) gets a row of "—" (not measured)."""
    import pandas as pd

    if not isinstance(binaries, Mapping) or not binaries:
        raise UsageError("link_checks wants a mapping of label -> binary, like {'go build': gokit.build(src)}")
    rows = []
    for label, b in binaries.items():
        if b is None:
            rows.append([label, *([NOT_MEASURED] * (len(LINK_CHECK_COLUMNS) - 1))])
            continue
        c = link_check(b)
        rows.append([label, c.elf_type, c.entry_symbol or f"{c.entry:#x}", c.interpreter or "none",
                     f"{c.relocation_entries:,}", ", ".join(f"{n:,} {t}" for t, n in c.relocation_types) or "none"])
    return pd.DataFrame(rows, columns=LINK_CHECK_COLUMNS)
