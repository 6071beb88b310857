"""gokit.stages.asm: the compiler's -S listing (goldens from Go 1.22 and 1.27 on amd64, arm64, riscv64; live std packages)."""
from __future__ import annotations

import re

import pytest
from helpers import GOLDEN, expect

import gokit
from gokit.parsers.asm import INSTRUCTION_COLUMNS, RELOCATION_COLUMNS
from gokit.parsers.asm_listing import _addend, parse_asm, reloc_type_name
from gokit.errors import FunctionNotFoundError, ParseError, UsageError

VERSIONS = ["1.22", "1.27"]
ARCHES = ["amd64", "arm64", "riscv64"]
SRC = (GOLDEN / "asm_src" / "main.go").read_text()


def golden(version: str, arch: str) -> str:
    return (GOLDEN / f"go{version}" / "asm" / f"{arch}.txt").read_text()


def raw_relocations(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """An independent reading of the listing: per symbol header, its `rel` lines as (type, 'symbol+addend')."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if line and not line.startswith("\t"):
            out.append((line, []))
        elif line.startswith("\trel "):
            _, _, rest = line.partition(" t=")
            typ, _, target = rest.partition(" ")
            out[-1][1].append((reloc_type_name(typ), target))
    return out


def check_against_raw(text: str, arch: str) -> int:
    """gokit's relocations equal the raw rel lines, symbol by symbol (count, type, target); returns the count."""
    syms = parse_asm(text, goarch=arch)
    raw = raw_relocations(text)
    assert len(syms) == len(raw)
    for s, (header, rels) in zip(syms, raw):
        assert header.startswith(s.name), (header, s.name)
        mine = [(r.type, f"{r.symbol}+{r.addend}") for r in s.relocations]
        assert mine == rels, (s.name, mine[:3], rels[:3])
    return sum(len(r) for _, r in raw)


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("version", VERSIONS)
def test_golden_relocations_equal_the_raw_rel_lines(version, arch) -> None:
    text = golden(version, arch)
    n = check_against_raw(text, arch)
    assert n == len(re.findall(r"^\trel ", text, re.MULTILINE)) and n > 50


def test_weak_relocations_get_objabi_names() -> None:
    """The compiler prints R_WEAKADDR / R_WEAKADDROFF as RelocType(-32767) / RelocType(-32763) (R_WEAK = -1<<15
    or'd with R_ADDR = 1, R_ADDROFF = 5: cmd/internal/objabi/reloctype.go, Go 1.22 and 1.27); gokit names them."""
    assert reloc_type_name("RelocType(-32767)") == "R_WEAKADDR"
    assert reloc_type_name("RelocType(-32763)") == "R_WEAKADDROFF"
    assert reloc_type_name("RelocType(-32700)") == "RelocType(-32700)" and reloc_type_name("R_CALL") == "R_CALL"
    for version in VERSIONS:
        text = golden(version, "amd64")
        assert "t=RelocType(-32763)" in text
        types = {r.type for s in parse_asm(text, goarch="amd64") for r in s.relocations}
        assert "R_WEAKADDROFF" in types and not any(t.startswith("RelocType(") for t in types)


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("version", VERSIONS)
def test_golden_functions_instructions_and_bytes(version, arch) -> None:
    syms = parse_asm(golden(version, arch), goarch=arch, moddir="$MOD", goroot="$GOROOT")
    by = {s.name: s for s in syms}
    add = by["main.add"]
    assert add.kind == "STEXT" and add.args == 16 and add.locals == 0 and add.abi == "ABIInternal"
    assert add.frame == "$0-16" and len(add.machine_instructions) == 2
    assert add.flags == (("nosplit",) if arch == "amd64" else ("leaf",))
    assert {i.file for i in add.instructions} == {"main.go"} and {i.line for i in add.instructions} == {8}
    for s in syms:
        if not s.is_function:
            continue
        assert len(s.data) == s.size, s.name                   # the hex dump is the whole symbol
        code = b"".join(bytes.fromhex(i.bytes) for i in s.instructions)
        assert code == s.data[:len(code)], s.name              # instructions tile the code from pc 0
        if arch == "arm64":   # 4-byte words; a MOVD of a symbol's address is two of them (ADRP, ADD)
            assert {i.size for i in s.machine_instructions} <= {4, 8}
        for r in s.relocations:                                # a patching relocation sits inside its instruction
            if r.pc is not None:
                inst = next(i for i in s.instructions if i.pc == r.pc and i.bytes)
                assert r.pc <= r.offset and r.offset + r.size <= r.pc + inst.size + 4, (s.name, r)
    main = by["main.main"]
    calls = [r for r in main.relocations if r.pc is not None and r.symbol == "runtime.printint"]
    assert calls and calls[0].type == {"amd64": "R_CALL", "arm64": "R_CALLARM64", "riscv64": "R_RISCV_JAL"}[arch]
    # names with spaces and braces; data symbols keep their bytes
    assert any(n.startswith("type:") and "struct { F uintptr; X0 int }" in n for n in by)
    assert by["main.table"].data == bytes([1, 2, 3, 4]) and not by["main.table"].is_function
    if version == "1.27":   # the header fields come in another order, and inlined closures get a # suffix
        assert list(dict(add.fields)) == ["size", "align", "args", "locals", "funcid"]
        assert any(re.search(r"^main\.mk\.func1#.+#$", n) for n in by)
    else:
        assert list(dict(add.fields)) == ["size", "args", "locals", "funcid", "align"]


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_frames_have_the_issue_columns(version) -> None:
    from gokit.parsers.asm import instructions_frame, relocations_frame

    syms = parse_asm(golden(version, "amd64"), goarch="amd64", moddir="$MOD", goroot="$GOROOT")
    ins, rel = instructions_frame(syms), relocations_frame(syms)
    assert list(ins.columns) == INSTRUCTION_COLUMNS and list(rel.columns) == RELOCATION_COLUMNS
    assert rel["symbol"].str.contains("table").any() and (rel[rel.symbol == "main.table"].addend == 1).any()
    assert not ins.file.str.contains("$MOD", regex=False).any()


def test_parser_details() -> None:
    assert _addend("-8", "amd64") == -8 and _addend("10", "arm") == 16
    assert _addend("fffffffffffffff8", "ppc64") == -8
    with pytest.raises(ParseError, match="before any symbol header"):
        parse_asm("\t0x0000 00000 (x.go:1)\tRET\n")
    with pytest.raises(ParseError, match="neither an instruction") as e:
        parse_asm("main.f STEXT size=1 args=0x0 locals=0x0\n\tgarbage here\n")
    assert "garbage here" in str(e.value)
    with pytest.raises(ParseError, match="skips"):
        parse_asm("main.f STEXT size=32 args=0x0 locals=0x0\n\t0x0010 c3  .\n")
    # -S=2 prints name<ABI>; an empty name is allowed (a DWARF variable)
    (s, d) = parse_asm("main.f<1> STEXT size=1 args=0x0 locals=0x0 funcid=0x0 align=0x0\n"
                       "\t0x0000 00000 (<unknown line number>)\tRET\n\t0x0000 c3  .\n SDWARFVAR size=2\n")
    assert s.name == "main.f" and s.abi_index == 1 and s.instructions[0].line is None and d.name == ""


@pytest.mark.go
def test_live_asm_cross_arch_cache_and_errors(tc, monkeypatch) -> None:
    a = gokit.asm(SRC, toolchain=tc)
    assert a.goarch == tc.goarch and a.function("add").name == "main.add"
    assert a.function("T.Inc").name == a.function("(*T).Inc").name == "main.(*T).Inc"
    assert a.archive is not None and a.archive.read_bytes().startswith(b"!<arch>\n")
    assert "main.go" in dict(a.sources) and "$GOROOT/src" not in a.listing_text.split("main.go")[0]
    for arch in ("arm64", "riscv64"):
        x = gokit.asm(SRC, goarch=arch, toolchain=tc)
        assert x.goarch == arch and len(x.function("add").machine_instructions) == 2
    # a repeat comes from gokit's cache: the compiler does not run again
    from gokit import _cache
    from gokit.stages import asm as _asm

    _cache.forget()
    monkeypatch.setattr(_asm, "compile_package", lambda *a, **k: pytest.fail("compiled again"))
    again = gokit.asm(SRC, toolchain=tc)
    assert [s.name for s in again.symbols] == [s.name for s in a.symbols]
    monkeypatch.undo()
    e = expect(FunctionNotFoundError, a.function, "ad")
    assert "Did you mean add?" in str(e)  # the same resolver, and the same advice, as gokit.ssa
    expect(UsageError, gokit.asm, SRC, goarch="vax", toolchain=tc)


STD = ["strconv", "sort"]


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_live_std_packages_relocations_equal_raw_rel_lines(tc, arch) -> None:
    """For real standard-library packages the parsed relocations equal the raw `rel` lines, per function."""
    total = 0
    for pkg in STD:
        done = tc.go_cmd("build", f"-gcflags={pkg}=-S", pkg, cwd=tc.goroot / "src",
                         env={"GOOS": "linux", "GOARCH": arch}, timeout=600)
        listing = "\n".join(ln for ln in done.err.splitlines() if not ln.startswith("# "))
        assert "STEXT" in listing, done.err[:500]
        total += check_against_raw(listing, arch)
    assert total > 500


@pytest.mark.go
@pytest.mark.go122
def test_live_go122(tc122) -> None:
    a = gokit.asm(SRC, toolchain=tc122)
    assert a.go.startswith("1.22") and list(dict(a.function("add").fields))[-1] == "align"
