"""gokit.stages.objfile: go tool nm (goldens from Go 1.22 and 1.27), the package object, link by hand, ELF facts, sizes."""
from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter

import pytest
from helpers import GOLDEN

import gokit
from gokit.parsers.names import package_of
from gokit.parsers.nm import parse_nm
from gokit.stages.objfile import binutils_nm
from gokit.errors import ParseError, UsageError

VERSIONS = ["1.22", "1.27"]
HELLO = ('package main\n\nimport "fmt"\n\nfunc add(a, b int) int { return a + b }\n\n'
         'func idx(xs []int, i int) int { return xs[i] }\n\n'
         'func main() { fmt.Println("hello", add(1, 2), idx([]int{4}, 0)) }\n')


def raw_rows(text: str) -> Counter:
    """An independent reading of `go tool nm -size` lines: (address or '', size, code, name), as a multiset."""
    rows: Counter = Counter()
    for line in text.splitlines():
        addr, rest = line[:8].strip(), line[8:]
        size, code, name = rest[1:11].strip(), rest[12], rest[14:]
        rows[(addr, int(size), code, name)] += 1
    return rows


def frame_rows(df) -> Counter:  # type: ignore[no-untyped-def]
    return Counter(("" if a is None or str(a) == "<NA>" else f"{int(a):x}", int(s), t, n)
                   for a, s, t, n in zip(df.address, df["size"], df.type, df.name))


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_nm_of_binary_and_archive(version) -> None:
    d = GOLDEN / f"go{version}" / "asm"
    binary = (d / "nm_binary.txt").read_text()
    df = parse_nm(binary)
    assert list(df.columns) == ["address", "size", "type", "name", "package"]
    assert frame_rows(df) == raw_rows(binary) and len(df) == len(binary.splitlines())
    main = df[df.package == "main"]
    assert "main.main" in set(main.name) and "main.add" not in set(main.name)   # inlined, then dropped
    assert (df.type == "T").sum() > 500 and df.address.dropna().is_monotonic_increasing
    archive = parse_nm((d / "nm_archive.txt").read_text())
    und = archive[archive.type == "U"]
    assert und.address.isna().all() and (und["size"] == 0).all() and "runtime.printint" not in set(und.name)
    assert any("struct { F uintptr; X0 int }" in n for n in archive.name)
    plain = parse_nm((d / "nm_archive_plain.txt").read_text())      # without -size: no size column values
    assert plain["size"].isna().all() and Counter(plain.name) == Counter(archive.name)


def test_parse_nm_formats() -> None:
    df = parse_nm("x.a(_go_.o):\t  4a3b20 T main.main\nx.a(go.o):\t         U fmt.Println\n")
    assert list(df.entry) == ["x.a(_go_.o)", "x.a(go.o)"] and df.address.isna().tolist() == [False, True]
    df = parse_nm("  401000       1234 T main.main\n                  0 U runtime.x\n         U y\n"
                  "  402000          5 R type:struct { F int }\n")
    assert df["size"].isna().tolist() == [False, False, True, False] and df["size"].iloc[0] == 1234 and df.name.tolist()[-1] == "type:struct { F int }"
    with pytest.raises(ParseError):
        parse_nm("nonsense\n")


def test_package_of_is_debug_gosym_rule() -> None:
    cases = {"main.main": "main", "runtime.gcbits.0100": "runtime", "type:int": "", "go:itab.*os.File,io.Writer": "",
             "internal/abi.Kind.String": "internal/abi", "sync/atomic.(*Pointer[os.dirInfo]).Load": "sync/atomic",
             "vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Start": "vendor/golang.org/x/net/dns/dnsmessage",
             "slices.Sort[go.shape.[]string,go.shape.string]": "slices", "_rt0_amd64_linux": ""}
    assert {k: package_of(k) for k in cases} == cases


def test_binutils_cannot_read_a_go_archive(tmp_path) -> None:
    f = tmp_path / "x.a"
    f.write_bytes(b"!<arch>\n__.PKGDEF       0           0     0     644     4         `\ngo o\n")
    got = binutils_nm(f)
    if shutil.which("nm") is None:
        assert not got.installed and "not installed" in str(got)
    else:
        assert got.installed and not got.understood and "x.a" in str(got) and str(tmp_path) not in str(got)


@pytest.mark.go
def test_live_symbols_are_exactly_go_tool_nm(tc) -> None:
    b = gokit.build(HELLO, toolchain=tc)
    df = gokit.symbols(b)
    raw = subprocess.run([str(tc.tool("nm")), "-size", "-sort", "address", str(b.binary)], capture_output=True,
                         text=True, env=tc.env(), check=True).stdout
    assert frame_rows(df) == raw_rows(raw)
    assert df.attrs["go"] == tc.version
    with pytest.raises(UsageError):
        gokit.symbols(42)


@pytest.mark.go
def test_live_package_object_defined_undefined_and_builtins(tc) -> None:
    obj = gokit.package_object(HELLO, toolchain=tc)
    assert {"main.main", "main.add", "main.idx"} <= set(obj.defined.name)
    assert "fmt.Fprintln" in set(obj.undefined.name)              # Println was inlined into main
    assert not obj.undefined.name.str.endswith(".go").any()
    needs = obj.needs()
    assert "fmt.Fprintln" in needs and any(n.startswith("runtime.conv") for n in needs)
    # builtins: named by relocations, never by nm's U rows
    assert obj.builtin_refs and not set(obj.builtin_refs) & set(obj.undefined.name)
    assert set(obj.builtin_refs) <= set(obj.asm.relocations.symbol)
    assert "PackageObject main" in repr(obj)


@pytest.mark.go
def test_live_link_by_hand_static_binary_and_holes(tc) -> None:
    hand = gokit.link_by_hand(HELLO, toolchain=tc)
    ran = hand.run()
    assert ran.exit_code == 0 and ran.out == "hello 3 4\n"
    cmds = hand.commands()
    assert cmds.startswith("go tool compile ") and "\ngo tool link " in cmds and "/root" not in cmds
    assert hand.packages_linked() > 10
    check = gokit.link_check(hand)
    assert check.static and check.elf_type == "ET_EXEC" and "nothing is left" in str(check)
    assert check.relocation_types == () and check.entry_symbol == f"_rt0_{tc.goarch}_{tc.goos}"
    readelf = shutil.which("readelf")
    if readelf:   # an independent tool agrees
        out = subprocess.run([readelf, "-r", str(hand.binary)], capture_output=True, text=True).stdout
        assert "no relocations" in out
    secs = gokit.sections(hand)
    assert {".text", ".gopclntab", ".rodata"} <= set(secs.section)
    assert not secs[secs.section == ".bss"].in_file.any()
    a = gokit.asm(HELLO, toolchain=tc)
    filled = gokit.resolved_relocations(hand, a, "main", types=["R_CALL"])
    known = filled[filled["nm address"] != ""]
    assert len(known) >= 2 and (known["decoded address"] == known["nm address"]).all()
    assert (filled["hole before"] == "00000000").all() and (filled["hole after"] != "00000000").all()
    with pytest.raises(UsageError, match="archive"):
        gokit.sections(a.archive)


@pytest.mark.go
def test_live_sizes_and_diff(tc) -> None:
    fat = gokit.link_by_hand(HELLO, toolchain=tc)
    thin = gokit.link_by_hand("package main\n\nfunc main() { println(1) }\n", toolchain=tc)
    by = gokit.sizes_by_package(fat)
    s = gokit.symbols(fat)
    assert by["bytes"].sum() == s[s.type != "U"]["size"].sum() and by.iloc[0]["package"] == "runtime"
    assert len(gokit.sizes_by_package(fat, top=5)) == 6
    d = gokit.size_diff(thin, fat, labels=("println", "fmt"))
    row = d[d.package == "fmt"].iloc[0]
    assert row["println"] == 0 and row["fmt"] > 10000 and row["change"] == row["fmt"]
    fig = gokit.plot_sizes({"fmt": by, "println": gokit.sizes_by_package(thin)})
    assert fig.axes


@pytest.mark.go
def test_nm_view_reads_a_binary_directly(tc, capsys) -> None:
    from gokit.cli import main

    b = gokit.build(HELLO, toolchain=tc)
    assert main(["nm", str(b.binary), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["symbols"]) == len(gokit.symbols(b)) and data["file"] == b.binary.name


@pytest.mark.go
@pytest.mark.go122
def test_live_go122_uses_its_own_tools(tc122) -> None:
    hand = gokit.link_by_hand(HELLO, toolchain=tc122)
    assert hand.run().out == "hello 3 4\n"
    df = gokit.symbols(hand)
    assert df.attrs["go"].startswith("1.22") and "main.main" in set(df.name)
    assert "fmt.Fprintln" in gokit.package_object(HELLO, toolchain=tc122).needs()
