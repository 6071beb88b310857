"""gokit.stages.boot: the boot chain found in real binaries (goldens from Go 1.22 and 1.27, amd64 and arm64, and live),
GODEBUG=inittrace=1 parsed row for row, file formats from magic bytes."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import GOLDEN, expect, need_c_compiler

import gokit
from gokit.parsers.binary import file_format, pe_machine
from gokit.parsers.boot import BOOT_PATTERN, BootChain, find_boot_chain, init_order, parse_inittrace
from gokit.parsers.objdump import parse_objdump
from gokit.errors import BinaryFormatError, ParseError, UsageError

VERSIONS = ("1.22", "1.27")
ARCHES = ("amd64", "arm64")
#: What every boot chain passes through, in this order (claim 9: schedinit long before runtime.main).
CORE = ["runtime.rt0_go", "runtime.schedinit", "runtime.newproc", "runtime.mstart", "runtime.main", "main.main"]
HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, core") }\n'
HEAVY = """package main

import (
	"crypto/sha256"
	"fmt"
)

var digest [32]byte

func init() {
	buf := make([]byte, 1<<20)
	for i := 0; i < 20; i++ {
		digest = sha256.Sum256(append(buf, digest[:]...))
	}
}

func main() { fmt.Printf("%x\\n", digest[:4]) }
"""


class ReplayImage:
    """The ELF facts a capture recorded (tests/golden/capture_runtimebuild.py), answered without the binary."""

    def __init__(self, path: Path) -> None:
        d = json.loads(path.read_text())
        self.entry, self.goarch = d["entry"], d["goarch"]
        self._symbols = {k: tuple(v) for k, v in d["symbols"].items()}
        self._names = {int(k, 16): v for k, v in d["names"].items()}
        self._memory = {int(k, 16): bytes.fromhex(v) for k, v in d["memory"].items()}

    def address_of(self, name: str) -> int | None:
        return self._symbols[name][0] if name in self._symbols else None

    def size_of(self, name: str) -> int:
        return self._symbols[name][1] if name in self._symbols else 0

    def symbol_at(self, address: int) -> str | None:
        return self._names.get(address)

    def read(self, address: int, n: int) -> bytes:
        if address not in self._memory:
            raise BinaryFormatError(f"{address:#x} was not recorded")
        return self._memory[address][:n]


def golden_chain(version: str, arch: str) -> BootChain:
    d = GOLDEN / f"go{version}" / "runtimebuild"
    return find_boot_chain(parse_objdump((d / f"boot_{arch}_objdump.txt").read_text()),
                           ReplayImage(d / f"boot_{arch}_image.json"))


# ---------------------------------------------------------------- goldens (no Go needed)

@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("arch", ARCHES)
def test_golden_chain_from_entry_to_main_main(version: str, arch: str) -> None:
    chain = golden_chain(version, arch)
    names = [s.function for s in chain.steps_list]
    assert names[0] == f"_rt0_{arch}_linux"  # the ELF entry point
    assert [n for n in names if n in CORE] == CORE  # each once, in order
    assert names[-1] == "main.main" and "runtime.sysmon" in names
    by = {s.function: s for s in chain.steps_list}
    assert by["runtime.schedinit"].thread == "m0" and by["runtime.main"].thread == "main goroutine"
    assert by["runtime.sysmon"].thread == "new M" and chain.steps_list[by["runtime.sysmon"].caller].function == \
        "runtime.newm"
    assert "runtime.main" in by["runtime.newproc"].how and "runtime.mainPC" in by["runtime.newproc"].how
    assert by["runtime.schedinit"].file == "runtime/proc.go" and by["runtime.rt0_go"].file == f"runtime/asm_{arch}.s"
    assert by["main.main"].file == "main.go"
    for s in chain.steps_list:
        assert s.line > 0 and (s.called_at or s.how.startswith(("ELF entry", "JMP from runtime.gogo", "starts on")))


def test_go122_arm64_enters_through_a_function_named_main() -> None:
    """Go 1.22's _rt0_arm64_linux calls `main`, which calls rt0_go by address; 1.27 jumps via _rt0_arm64."""
    old = [s.function for s in golden_chain("1.22", "arm64").steps_list[:3]]
    new = [s.function for s in golden_chain("1.27", "arm64").steps_list[:3]]
    assert old == ["_rt0_arm64_linux", "main", "runtime.rt0_go"]
    assert new == ["_rt0_arm64_linux", "_rt0_arm64", "runtime.rt0_go"]
    assert golden_chain("1.22", "arm64").steps_list[2].how.startswith("indirect CALL from main")


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_inittrace_has_every_line_the_runtime_printed(version: str) -> None:
    text = (GOLDEN / f"go{version}" / "runtimebuild" / "inittrace.txt").read_text()
    rows = parse_inittrace(text)
    assert len(rows) == sum(1 for ln in text.splitlines() if ln.startswith("init "))
    assert rows[0].package == "internal/bytealg" and rows[-1].package == "main"
    main = rows[-1]
    assert main.bytes > 8000 and main.allocs > 0 and main.clock_ms > 0  # a map of 1000 entries filled in init
    assert all(a.start_ms <= b.start_ms for a, b in zip(rows, rows[1:]))
    # the same packages, in the same order, as the init tasks the linker listed in the binary (hello has no main init)
    assert [r.package for r in rows] == list(golden_chain(version, "amd64").inits) + ["main"]


def test_inittrace_parser_keeps_the_programs_own_stderr_out() -> None:
    text = ("init runtime @0.024 ms, 0.045 ms clock, 0 bytes, 0 allocs\nmy own log line\n"
            "init errors @12 ms, 10 ms clock, 16 bytes, 1 allocs\ninitialising: not a trace line\n")
    rows = parse_inittrace(text)
    assert [(r.package, r.start_ms, r.clock_ms, r.bytes, r.allocs) for r in rows] == [
        ("runtime", 0.024, 0.045, 0, 0), ("errors", 12.0, 10.0, 16, 1)]
    with pytest.raises(ParseError, match="inittrace line"):
        parse_inittrace("init runtime @x ms, 0.045 ms clock, 0 bytes, 0 allocs\n")


@pytest.mark.parametrize("head, kind", [
    (b"\x7fELF\x02\x01\x01" + bytes(11) + (0x3E).to_bytes(2, "little"), "ELF 64-bit x86-64"),
    (b"\x7fELF\x02\x01\x01" + bytes(11) + (0xB7).to_bytes(2, "little"), "ELF 64-bit AArch64"),
    (b"\x7fELF\x02\x01\x01" + bytes(11) + (0xF3).to_bytes(2, "little"), "ELF 64-bit RISC-V"),
    (b"\xcf\xfa\xed\xfe" + (0x0100000C).to_bytes(4, "little"), "Mach-O 64-bit arm64"),
    (b"\0asm\x01\0\0\0", "WebAssembly (version 1)"),
    (b"MZ\x90\0", "PE (Windows)"),
    (b"package main", "unknown"),
])
def test_file_format_from_magic_bytes(head: bytes, kind: str) -> None:
    assert file_format(head) == kind


def test_pe_machine_reads_the_coff_header() -> None:
    pe = bytearray(0x100)
    pe[:2] = b"MZ"
    pe[0x3C:0x40] = (0x80).to_bytes(4, "little")
    pe[0x80:0x86] = b"PE\0\0" + (0x8664).to_bytes(2, "little")
    assert pe_machine(bytes(pe)) == "x86-64" and pe_machine(b"MZ") == ""


def test_not_elf_is_advice(tmp_path: Path) -> None:
    f = tmp_path / "prog.wasm"
    f.write_bytes(b"\0asm\x01\0\0\0" + bytes(64))
    expect(BinaryFormatError, gokit.boot_chain, f, match="not an ELF executable .WebAssembly")


# ---------------------------------------------------------------- live

def _source_line(path: Path, line: int) -> str:
    return path.read_text().splitlines()[line - 1]


@pytest.mark.go
def test_live_chain_steps_open_in_goroot(tc) -> None:
    """Every step's file:line exists in GOROOT/src, and each CALL site's source line names the function called."""
    b = gokit.build(HELLO, toolchain=tc)
    chain = gokit.boot_chain(b)
    names = [s.function for s in chain.steps_list]
    assert [n for n in names if n in CORE] == CORE
    for s in chain.steps_list:
        if s.function == "main.main":
            continue
        path = chain.path(s)
        assert path.is_file(), s
        assert 0 < s.line <= len(path.read_text().splitlines()), s
    for fn in ("runtime.schedinit", "runtime.newproc", "runtime.mstart", "runtime.schedule", "runtime.execute",
               "runtime.newm", "runtime.gcenable"):
        s = chain.step(fn)
        file, line = s.called_at.rsplit(":", 1)
        src = _source_line(tc.goroot / "src" / file, int(line))
        assert fn.rsplit(".", 1)[1] in src, (s, src)  # e.g. `CALL runtime·schedinit(SB)` / `schedule()`
    newm_site = chain.step("runtime.newm").called_at
    assert "sysmon" in _source_line(tc.goroot / "src" / newm_site.rsplit(":", 1)[0], int(newm_site.rsplit(":", 1)[1]))
    # .source prints numbered GOROOT lines around a site or a step's first line
    shown = chain.source(newm_site, before=2, after=2).splitlines()
    assert len(shown) == 5 and shown[2].startswith(newm_site + " ") and "newm(sysmon" in shown[2]
    assert "\t" not in "".join(shown)
    head = chain.source("runtime.sysmon", before=3).splitlines()
    assert len(head) == 4 and "func sysmon()" in head[-1]
    with pytest.raises(UsageError):
        chain.source("runtime/no_such_file.go:3")
    # through: from one place to a later one of the same file, both lines shown
    first, last = chain.step("runtime.schedinit").called_at, chain.step("runtime.mstart").called_at
    span = chain.source(first, through=last).splitlines()
    assert span[0].startswith(first + " ") and span[-1].startswith(last + " ") and "newproc" in "\n".join(span)
    with pytest.raises(UsageError):
        chain.source(last, through=first)


@pytest.mark.go
def test_live_entry_point_is_the_symbol_go_tool_nm_names(tc) -> None:
    b = gokit.build(HELLO, toolchain=tc)
    chain = gokit.boot_chain(b)
    nm = subprocess.run([str(tc.tool("nm")), str(b.binary)], capture_output=True, text=True, env=tc.env(),
                        check=True).stdout
    addr = {p[2]: int(p[0], 16) for p in (ln.split() for ln in nm.splitlines()) if len(p) == 3}
    assert addr[chain.steps_list[0].function] == chain.entry


@pytest.mark.go
def test_live_inittrace_rows_are_what_the_runtime_prints(tc) -> None:
    """The frame has exactly the rows GODEBUG=inittrace=1 prints when the binary runs on its own (no gokit), in
    the order of the init tasks the binary lists."""
    b = gokit.build(HEAVY, toolchain=tc)
    df = gokit.inittrace(b)
    raw = subprocess.run([str(b.binary)], capture_output=True, text=True, timeout=60,
                         env={"GODEBUG": "inittrace=1", "PATH": os.defpath}).stderr
    printed = [ln.split()[1] for ln in raw.splitlines() if ln.startswith("init ")]
    assert list(df["package"]) == printed
    assert list(df["package"]) == list(gokit.boot_chain(b).inits)
    assert list(df.columns) == ["package", "start_ms", "clock_ms", "bytes", "allocs", "run"]
    main = df[df["package"] == "main"].iloc[0]
    assert main["clock_ms"] > 1 and main["bytes"] > 1 << 20  # 20 SHA-256 passes over a fresh 1 MiB buffer
    three = gokit.inittrace(b, runs=3)
    assert sorted(set(three["run"])) == [0, 1, 2] and len(three) == 3 * len(df)
    fig = gokit.plot_inittrace(df)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(df["package"])  # first at the top


@pytest.mark.go
def test_a_stripped_binary_is_refused_with_advice(tc) -> None:
    b = gokit.build(HELLO, ldflags="-s", toolchain=tc)
    expect(BinaryFormatError, gokit.boot_chain, b, match="without -ldflags=-s")


@pytest.mark.go
@pytest.mark.slow
def test_live_arm64_chain(tc) -> None:
    b = gokit.build(HELLO, goarch="arm64", toolchain=tc, timeout=900)
    chain = gokit.boot_chain(b)
    assert chain.goarch == "arm64" and chain.steps_list[0].function == "_rt0_arm64_linux"
    assert [s.function for s in chain.steps_list if s.function in CORE] == CORE
    assert all(chain.path(s).is_file() for s in chain.steps_list if s.function != "main.main")


@pytest.mark.go
@pytest.mark.go122
def test_live_chain_and_inittrace_on_go122(tc122) -> None:
    b = gokit.build(HEAVY, toolchain=tc122)
    chain = gokit.boot_chain(b)
    assert chain.go == tc122.version and all(chain.path(s).is_file() for s in chain.steps_list
                                             if s.function != "main.main")
    assert list(gokit.inittrace(b)["package"]) == list(chain.inits)


def test_boot_pattern_is_one_objdump_regexp() -> None:
    import re

    pat = re.compile(BOOT_PATTERN)
    for name in ("_rt0_amd64_linux", "runtime.rt0_go.abi0", "runtime.main", "runtime.main.func1", "main.main", "main",
                 "runtime.mstart.abi0", "runtime.gogo.abi0"):
        assert pat.match(name), name
    assert not pat.match("runtime.mainPC") and not pat.match("main.helper")


def test_init_order_skips_the_runtimes_tasks_the_second_time() -> None:
    class Img:
        entry, goarch = 0, "amd64"
        syms = {"go:runtime.inittasks": (0x100, 16), "go:main.inittasks": (0x200, 24)}
        mem = {0x100: 0x10, 0x108: 0x20, 0x200: 0x10, 0x208: 0x20, 0x210: 0x30}
        names = {0x10: "internal/bytealg..inittask", 0x20: "runtime..inittask", 0x30: "os..inittask"}

        def address_of(self, n: str) -> int | None:
            return self.syms[n][0] if n in self.syms else None

        def size_of(self, n: str) -> int:
            return self.syms[n][1] if n in self.syms else 0

        def symbol_at(self, a: int) -> str | None:
            return self.names.get(a)

        def read(self, a: int, n: int) -> bytes:
            return self.mem[a].to_bytes(8, "little")

    assert init_order(Img()) == ("internal/bytealg", "runtime", "os")


@pytest.mark.go
def test_cli_boot_and_inittrace_take_a_binary(tc) -> None:
    """`gokit boot BINARY --json` and `gokit inittrace BINARY --json` read a built binary as well as a FILE."""
    from helpers import gokit_cli

    b = gokit.build(HELLO, toolchain=tc)
    boot = gokit_cli("boot", str(b.binary), "--json")
    assert boot.returncode == 0, boot.stderr
    data = json.loads(boot.stdout)
    assert [s["function"] for s in data["steps"] if s["function"] in CORE] == CORE
    assert data["entry"] == f"{gokit.boot_chain(b).entry:#x}"
    trace = gokit_cli("inittrace", str(b.binary), "--json")
    assert trace.returncode == 0, trace.stderr
    assert [r["package"] for r in json.loads(trace.stdout)["inits"]] == data["inits"]
    bad = gokit_cli("boot", str(b.binary) + ".nope")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


CGO_HELLO = """package main

// int add(int a, int b) { return a + b; }
import "C"

import "fmt"

func main() { fmt.Println("hello", C.add(1, 2)) }
"""


@pytest.mark.go
def test_live_cgo_chain_starts_in_the_c_runtime(tc) -> None:
    """Linked by the C toolchain, the binary starts at the C runtime's _start, which hands Go's `main`
    (runtime/asm_<arch>.s) to __libc_start_main; from runtime.rt0_go on, the chain is the usual one."""
    need_c_compiler()
    if tc.goarch != "amd64":
        pytest.skip("gokit decodes the C runtime's _start on amd64")
    chain = gokit.boot_chain(gokit.build(CGO_HELLO, cgo=True, toolchain=tc, timeout=600))
    names = [s.function for s in chain.steps_list]
    assert names[:3] == ["_start", "main", "runtime.rt0_go"]
    assert [n for n in names if n in CORE] == CORE and names[-1] == "main.main"
    first, go_main = chain.steps_list[0], chain.steps_list[1]
    assert first.file == "" and first.line == 0 and "__libc_start_main" in go_main.how
    assert go_main.file == "runtime/asm_amd64.s" and "TEXT main(SB)" in chain.source(f"{go_main.file}:{go_main.line}",
                                                                                    before=1)
    assert "C runtime: no Go source" in chain.to_graphviz().source


@pytest.mark.go
@pytest.mark.go122
def test_live_cgo_chain_on_go122(tc122) -> None:
    """Go 1.22's objdump prints _start's `MOVQ $main(SB), DI` with the symbol (1.27 prints the address)."""
    need_c_compiler()
    if tc122.goarch != "amd64":
        pytest.skip("gokit decodes the C runtime's _start on amd64")
    chain = gokit.boot_chain(gokit.build(CGO_HELLO, cgo=True, toolchain=tc122, timeout=900))
    assert [s.function for s in chain.steps_list[:3]] == ["_start", "main", "runtime.rt0_go"]
