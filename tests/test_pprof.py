"""gokit.stages.pprof: go tool pprof reports parsed (goldens from Go 1.22 and 1.27), compiler phases, live profiles."""
from __future__ import annotations

from pathlib import Path

import pytest

from gokit.parsers.names import package_of, short_function
from gokit.parsers.phases import NO_PHASE, phase_of, phases
from gokit.parsers.pprof import Frame, parse_top, parse_traces, parse_value
from gokit.stages.pprof import pprof, profile_compile, profile_link
from gokit.errors import ParseError, UsageError
from helpers import GOLDEN, expect

VERSIONS = ["1.22", "1.27"]
HEAP_SRC = GOLDEN / "pprof_src" / "heap.go"


def golden(version: str, name: str) -> str:
    return (GOLDEN / f"go{version}" / "pprof" / f"{name}.txt").read_text()


def test_values_in_base_units() -> None:
    assert parse_value("1.43s") == (1.43, "s")
    assert parse_value("350ms") == (pytest.approx(0.35), "s")
    assert parse_value("9.50kB") == (9.5 * 1024, "bytes")
    assert parse_value("13.80MB") == (pytest.approx(13.8 * 2**20), "bytes")
    assert parse_value("0") == (0.0, "")
    assert parse_value("1234") == (1234.0, "")
    with pytest.raises(ParseError, match="unknown pprof unit"):
        parse_value("3parsecs")
    with pytest.raises(ParseError, match="not a pprof value"):
        parse_value("ms")


@pytest.mark.parametrize("version", VERSIONS)
def test_heap_top_by_line_names_the_allocating_lines(version: str) -> None:
    top = parse_top(golden(version, "heap_top_lines"))
    assert top.info.type == "alloc_space" and top.unit == "bytes" and top.info.file == "play"
    df = top.frame()
    first = df.iloc[0]
    # concat's `s += w` copies the growing string: the program's biggest allocator (heap.go:31)
    assert (first.function, first.file, first.line, first.inline) == ("main.concat", "$MOD/main.go", 31, "inline")
    assert first.flat == first.cum and 80 < first.flat_pct < 90
    assert df.flat_pct.sum() == pytest.approx(100, abs=0.1) and df.sum_pct.is_monotonic_increasing
    assert set(df.loc[df.function == "main.main", "line"]) == {46, 47, 48, 49}  # the four calls in main
    goroot = df[df.file.str.startswith("$GOROOT/src/")]
    assert {"strings.(*Builder).WriteString", "fmt.Sprintf"} <= set(goroot.function)
    assert top.shown == pytest.approx(top.info.total, rel=0.01)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_top_report_parses(version: str) -> None:
    for name in ("heap_top", "heap_inuse_top", "compile_top", "compile_top_cum", "link_top"):
        top = parse_top(golden(version, name))
        assert top.rows and top.nodes >= len(top.rows), name
        assert all(r.line is None and r.file == "" for r in top.rows), name  # no -lines: functions only
    inuse = parse_top(golden(version, "heap_inuse_top"))
    assert inuse.info.type == "inuse_space" and inuse.info.total < 64 << 10  # after runtime.GC little is live
    cpu = parse_top(golden(version, "compile_top"))
    assert cpu.info.type == "cpu" and cpu.unit == "s" and cpu.info.file == "compile"
    assert cpu.info.duration and cpu.info.total and len(cpu.rows) == 30
    cum = parse_top(golden(version, "compile_top_cum")).frame()
    assert cum.cum.is_monotonic_decreasing
    assert any(f.startswith("cmd/compile/internal/") for f in cum.function)
    link = parse_top(golden(version, "link_top"))
    assert link.info.file == "link" and any(r.function.startswith("cmd/link/internal/") for r in link.rows)


@pytest.mark.parametrize("version", VERSIONS)
def test_traces_hold_every_sample_with_its_stack(version: str) -> None:
    t = parse_traces(golden(version, "compile_traces"))
    assert t.unit == "s" and t.total == pytest.approx(t.info.total)
    assert all(tr.frames and tr.value > 0 for tr in t.traces)
    roots = {tr.frames[-1].function for tr in t.traces}
    assert "runtime.main" in roots or "runtime.goexit" in roots or any("gcBgMarkWorker" in r for r in roots)
    assert any(f.inline for tr in t.traces for f in tr.frames)
    heap = parse_traces(golden(version, "heap_traces"))
    labelled = [tr for tr in heap.traces if dict(tr.labels).get("bytes")]  # `bytes: 9.50kB`: the allocation size
    assert heap.unit == "bytes" and len(labelled) > len(heap.traces) / 2
    top = parse_top(golden(version, "heap_top"))
    assert heap.total == pytest.approx(top.info.total, rel=0.01)
    df = heap.frame()
    assert list(df.columns) == ["value", "leaf", "depth", "stack"] and len(df) == len(heap.traces)


def test_traces_parse_labels_and_reject_garbage() -> None:
    text = ("File: x\nType: cpu\n-----------+-------------------------------------------------------\n"
            "      span:  ssa\n      10ms   main.f (inline)\n             main.main\n"
            "-----------+-------------------------------------------------------\n")
    t = parse_traces(text)
    assert t.traces[0].labels == (("span", "ssa"),) and t.traces[0].frames == (Frame("main.f", True), Frame("main.main"))
    with pytest.raises(ParseError, match="cannot read"):
        parse_traces(text.replace("             main.main", "main.main"))
    with pytest.raises(ParseError, match="no pprof -top table"):
        parse_top("File: x\nType: cpu\n")


def test_packages_and_short_names() -> None:
    assert package_of("cmd/compile/internal/ssa.(*Func).Fatalf") == "cmd/compile/internal/ssa"
    assert package_of("runtime.mallocgc") == "runtime"
    assert package_of("internal/runtime/maps.(*Map).getWithKey") == "internal/runtime/maps"
    assert package_of("vendor/golang.org/x/net/http2/hpack.(*Decoder).Write") == \
        "vendor/golang.org/x/net/http2/hpack"
    assert package_of("slices.SortFunc[go.shape.[]string,go.shape.string]") == "slices"
    assert short_function("cmd/compile/internal/ssa.(*Func).Fatalf") == "ssa.(*Func).Fatalf"
    assert short_function("main.main") == "main.main"


def stack(*names: str) -> list[Frame]:
    return [Frame(n) for n in names]


C = "cmd/compile/internal/"


def test_phase_rules_outermost_phase_innermost_function() -> None:
    # types2 records types through syntax helpers: type checking, though a syntax frame is innermost
    assert phase_of(stack("runtime.mallocgc", C + "syntax.(*typeAndValue).SetTypeInfo",
                          C + "types2.(*Checker).record", C + "noder.checkFiles", C + "gc.Main")) == \
        ("type checking", C + "types2.(*Checker).record")
    # Go 1.22 reads export data for types2 in noder: still type checking
    assert phase_of(stack(C + "noder.readPackage", C + "noder.readImportFile",
                          C + "types2.(*Checker).importPackage"))[0] == "type checking"
    # ssagen.Compile dispatches: buildssa is SSA, genssa is code generation, IR helpers count for the caller
    assert phase_of(stack(C + "ir.(*Name).Pos", C + "ssagen.(*state).stmt", C + "ssagen.buildssa",
                          C + "ssagen.Compile"))[0] == "SSA"
    assert phase_of(stack("cmd/internal/obj/x86.span6", "cmd/internal/obj.Flushplist", C + "objw.(*Progs).Flush",
                          C + "ssagen.genssa", C + "ssagen.Compile")) == ("code generation", "cmd/internal/obj/x86.span6")
    assert phase_of(stack(C + "escape.(*batch).walkAll", C + "escape.Funcs", C + "gc.Main"))[0].startswith("IR")
    assert phase_of(stack("runtime.scanobject", "runtime.gcDrain", "runtime.gcBgMarkWorker")) == \
        (NO_PHASE, "runtime.scanobject")
    assert phase_of(stack("cmd/internal/goobj.(*Reader).Sym", "cmd/link/internal/loader.(*Loader).Preload"))[0] == \
        "linking"


@pytest.mark.parametrize("version", VERSIONS)
def test_compiler_time_by_phase(version: str) -> None:
    df = phases(parse_traces(golden(version, "compile_traces")))
    assert df.share.sum() == pytest.approx(1.0)
    order = list(df.phase)
    for a, b in (("parsing", "type checking"), ("type checking", "SSA"), ("SSA", "code generation")):
        assert order.index(a) < order.index(b)
    ssa = df.set_index("phase").loc["SSA"]
    assert ssa.share > 0.2, "compiling go/types spends a large share of its time building and optimising SSA"
    assert all(f.split(" ")[0].startswith(("ssa.", "ssagen.")) for f in ssa["top functions"].split(", "))


# ---------------------------------------------------------------- live

@pytest.mark.go
def test_live_heap_profile_agrees_with_the_program(tc, tmp_path: Path, no_leaks) -> None:
    import gokit

    src = gokit.Source(HEAP_SRC.read_text())
    out = tmp_path / "heap.pprof"
    r = gokit.run(src, args=[str(out)], timeout=60)
    assert r.exit_code == 0
    prof = pprof(out, source=src)
    top = prof.top(sample_index="alloc_space", lines=True).frame()
    concat = top[top.function == "main.concat"].iloc[0]
    assert concat.file == "main.go" and concat.line == 31  # module dir cut from the path
    # independent truth: s += w over 2000 words of 5-8 bytes copies the whole prefix every time
    lengths = [len(f"word{i % 1000}") for i in range(2000)]
    copied = sum(sum(lengths[:i + 1]) for i in range(len(lengths)))
    assert copied * 0.8 < concat.flat < copied * 1.6
    assert "$GOROOT/src/" in " ".join(top.file)
    expect(UsageError, pprof, tmp_path / "missing.pprof", match="no such profile")
    expect(UsageError, prof.top, sample_index="bad index", match="sample_index")


@pytest.mark.go
@pytest.mark.slow
def test_live_compiler_and_linker_profiles(tc, no_leaks) -> None:
    prof = profile_compile("go/scanner")
    top = prof.top(nodecount=15)
    assert top.info.file == "compile" and top.info.type == "cpu"
    names = " ".join(prof.top(cum=True, nodecount=40).frame().function)
    assert "cmd/compile/internal/gc.Main" in names
    assert prof.phases().share.sum() == pytest.approx(1.0)
    again = profile_compile("go/scanner")
    assert again.digest != prof.digest, "a new profile each time: the compiler really ran again"
    link = profile_link('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n')
    assert link.top().info.file == "link"
    expect(UsageError, profile_compile, "../etc", match="standard-library import path")
