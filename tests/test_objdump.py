"""gokit.parsers.objdump: `go tool objdump` of binaries and package archives (goldens from Go 1.22 and 1.27, live)."""
from __future__ import annotations

import re

import pytest
from helpers import GOLDEN

import gokit
from gokit.parsers.objdump import frame, go_regexp_quote, parse_objdump
from gokit.stages.objfile import objdump
from gokit.errors import ParseError, UsageError

VERSIONS = ["1.22", "1.27"]


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_binary_resolves_calls_and_has_no_relocations(version) -> None:
    text = (GOLDEN / f"go{version}" / "objdump" / "binary.txt").read_text()
    funcs = {f.name: f for f in parse_objdump(text)}
    main = funcs["main.main"]
    assert main.file == "$MOD/main.go"
    # every instruction line of the listing became one Instruction
    assert sum(len(f.instructions) for f in funcs.values()) == sum(
        1 for ln in text.splitlines() if ln.startswith("  ") and ln.strip())
    calls = [i for i in main.instructions if i.op == "CALL"]
    assert "runtime.morestack_noctxt.abi0" in {i.target for i in calls}
    assert all(not i.relocations for f in funcs.values() for i in f.instructions)  # a linked binary: none left
    assert "main.idx" in funcs and "main.(*T).Inc" not in funcs  # inlined functions do not exist in a binary
    pcs = [i.pc for i in main.instructions]
    assert pcs == sorted(pcs) and all(b - a == i.size for a, b, i in zip(pcs, pcs[1:], main.instructions))


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_archive_has_the_relocations_the_linker_fills(version) -> None:
    text = (GOLDEN / f"go{version}" / "objdump" / "archive.txt").read_text()
    funcs = {f.name: f for f in parse_objdump(text)}
    relocs = [r for i in funcs["main.main"].instructions for r in i.relocations]
    assert {"R_CALL", "R_PCREL"} <= {r.type for r in relocs}
    assert any(r.type == "R_CALL" and r.symbol == "fmt.Fprintln" for r in relocs)
    assert any(r.type == "R_CALL" and r.symbol == "runtime.morestack_noctxt" for r in relocs)
    # each relocation lies inside its instruction (CALL rel32: bytes 1..5 of a 5-byte instruction)
    for i in funcs["main.main"].instructions:
        for r in i.relocations:
            assert 0 <= r.start <= r.end <= i.size, (i, r)
    raw_count = sum(len(re.findall(r"\[\d+:\d+\]R_", ln)) for ln in text.splitlines())
    assert raw_count == sum(len(i.relocations) for f in funcs.values() for i in f.instructions)


def test_parse_errors_quote_the_line() -> None:
    with pytest.raises(ParseError, match="before any TEXT header"):
        parse_objdump("  main.go:5\t0x10\t90\tNOPL\n")
    with pytest.raises(ParseError, match="FILE:LINE") as e:
        parse_objdump("TEXT main.f(SB) x.go\n  nowhere\t0x10\t90\tNOPL\n")
    assert "nowhere" in str(e.value)


def test_go_regexp_quote_is_regexp_quotemeta() -> None:
    assert go_regexp_quote("main.(*T).Inc") == r"main\.\(\*T\)\.Inc"
    assert go_regexp_quote("type:noalg.struct { F uintptr }") == r"type:noalg\.struct \{ F uintptr \}"


@pytest.mark.go
def test_live_binary_and_archive(tc) -> None:
    from gokit.layers.compile import compile_package
    from gokit.source.exports import importcfg
    from gokit.source.package import resolve

    src = (GOLDEN / "objdump_src" / "main.go").read_text()
    b = gokit.build(src, toolchain=tc)
    (main,) = objdump(b.binary, ["main.main"], toolchain=tc)
    assert main.name == "main.main" and main.instructions[0].file == "main.go"
    assert {"fmt.Fprintln", "runtime.morestack_noctxt.abi0"} <= {i.target for i in main.instructions}
    pkg = resolve(src, tc)
    archive = compile_package(pkg, importcfg=importcfg(pkg, 120), keep_archive=True).check().archive
    df = frame(objdump(archive, pattern=r"^main\.main$", toolchain=tc))
    assert (df.function == "main.main").all() and df.relocations.str.contains("R_CALL fmt.Fprintln").any()
    with pytest.raises(UsageError):
        objdump(b.binary, "main.main", toolchain=tc)  # type: ignore[arg-type]
