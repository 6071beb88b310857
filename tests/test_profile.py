"""gokit.profile: a program's CPU samples per source line and per instruction (pprof -disasm goldens from Go 1.22
and 1.27; live: a hot loop gets most samples, instructions map onto the compiler's listing; explorers paint them)."""
from __future__ import annotations

import re

import pytest
from helpers import GOLDEN, expect

from gokit.parsers.pprof import parse_disasm, parse_top, parse_traces
from gokit.errors import GokitError, ParseError, UsageError

VERSIONS = ["1.22", "1.27"]
HOT = (GOLDEN / "pprof_src" / "hot.go").read_text()
#: the loop of steps(): `for n != 1 {` down to `count++`
LOOP = range(12, 19)


def golden(version: str, name: str) -> str:
    return (GOLDEN / f"go{version}" / "pprof" / f"{name}.txt").read_text()


@pytest.mark.parametrize("version", VERSIONS)
def test_disasm_routines_instructions_and_samples(version) -> None:
    text = golden(version, "cpu_disasm")
    d = parse_disasm(text)
    assert d.unit == "s" and d.total > 0
    names = [r.name for r in d.routines]
    assert names == [m for m in re.findall(r"^ROUTINE =+ (.+)$", text, re.MULTILINE)]
    main = next(r for r in d.routines if r.name == "play.main")
    # every instruction line of the listing became an instruction, in address order
    body = text.split("ROUTINE ======================== play.main", 1)[1].split("ROUTINE", 1)[0]
    assert len(main.instructions) == len(re.findall(r"^\s+\S+\s+\S+\s+[0-9a-f]+: ", body, re.MULTILINE))
    addrs = [i.address for i in main.instructions]
    assert addrs == sorted(addrs) and main.start == addrs[0]
    # the per-instruction samples add up to the routine's own totals
    assert sum(i.flat for i in main.instructions) == pytest.approx(main.flat, abs=1e-9)
    assert max(i.cum for i in main.instructions) <= main.cum + 1e-9
    # locations carry down: the hottest instructions are on the loop's lines of main.go
    hot = max(main.instructions, key=lambda i: i.flat)
    assert hot.file == "main.go" and hot.line in LOOP
    df = d.frame()
    assert set(df.columns) == {"function", "address", "offset", "op", "args", "flat", "cum", "file", "line"}
    assert (df[df.function == "play.main"].offset.iloc[0]) == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_cpu_lines_reports_parse(version) -> None:
    top = parse_top(golden(version, "cpu_top_lines"))
    assert top.info.type == "cpu" and top.unit == "s"
    steps = top.frame()
    loop = steps[(steps.file == "$MOD/main.go") & steps.line.isin(list(LOOP))]
    assert loop.flat.sum() > 0.5 * top.info.total
    traces = parse_traces(golden(version, "cpu_traces_lines"))
    assert traces.total == pytest.approx(top.info.total, rel=0.02)
    assert all("TestGokitProfile" in " ".join(f.function for f in t.frames) for t in traces.traces)


def test_disasm_errors() -> None:
    with pytest.raises(ParseError, match="Total"):
        parse_disasm("ROUTINE ======================== x\n")
    with pytest.raises(ParseError, match="before any ROUTINE"):
        parse_disasm("Total: 10ms\n      10ms       10ms     4000: RET\n")


# ---------------------------------------------------------------- live


@pytest.fixture(scope="module")
def prof(tc):
    import gokit

    return gokit.profile(HOT, ["300000"], seconds=1.0)


@pytest.mark.go
def test_a_hot_loop_gets_most_of_the_samples(prof) -> None:
    lines = prof.lines
    assert prof.runs >= 1 and prof.total > 0.05, prof
    on_loop = lines[lines.line.isin(list(LOOP)) & (lines.file == "main.go")].samples.sum()
    assert on_loop > 0.5 * prof.total, lines
    assert prof.hottest_line() in LOOP
    assert lines.share.sum() == pytest.approx(lines.samples.sum() / prof.total)
    assert prof.stdout.strip() == "230631 442"          # the first run's output, as the program prints it


@pytest.mark.go
def test_instruction_samples_land_on_the_compilers_instructions(prof) -> None:
    """The profiled test binary runs the same machine code as the listing: every sampled offset is an instruction
    of gokit.asm's main.main, on the same line."""
    import gokit

    a = gokit.asm(HOT)
    fn = a.function("main")
    by_pc = {i.pc: i for i in fn.machine_instructions}
    ins = prof.instructions
    main = ins[ins.function == "main.main"]
    # the same instruction boundaries, so the same code (pprof's disassembler cannot decode the jump back to the
    # start after the call to runtime.morestack: it prints `?` there)
    end = int(main[main.op == "?"].pc.min()) if (main.op == "?").any() else fn.size
    decoded = main[main.pc < end]
    assert set(decoded.pc) == {pc for pc in by_pc if pc < end} and len(decoded) > 20
    sampled = main[main.cum > 0]
    assert len(sampled)
    for r in sampled.itertuples(index=False):
        assert r.pc in by_pc, r
        assert by_pc[r.pc].line == r.line, r
    shares = prof.instruction_shares("main.main")
    assert max(shares, key=shares.get) in {i.pc for i in fn.machine_instructions if i.line in LOOP}


@pytest.mark.go
def test_explorers_paint_the_samples(prof) -> None:
    import gokit
    from gokit.views.asm import bands_html
    from gokit.views.journey import journey_html, profile_html

    a = gokit.asm(HOT)
    page = bands_html([a], "main.main", profile=prof)
    hot = prof.hottest_line()
    assert re.search(rf"data-line='{hot}'[^>]*><span class='pct' style='background:#", page)
    assert "share of CPU samples" in page
    j = gokit.follow(HOT, hot)
    page = journey_html(j, profile=prof)
    assert page.count("class='pct' style='background:") >= 2      # the line in the source, its instructions
    assert "class='pct' style='background:" in profile_html(prof)


@pytest.mark.go
def test_a_program_that_exits_early_has_no_profile(tc) -> None:
    import gokit

    src = 'package main\n\nimport "os"\n\nfunc main() { os.Exit(3) }\n'
    expect(GokitError, gokit.profile, src, match="os.Exit")


def test_profile_arguments() -> None:
    import gokit

    expect(UsageError, gokit.profile, HOT, "300", match="args is a list")
    expect(UsageError, gokit.profile, HOT, seconds=-1, match="seconds")
    expect(UsageError, gokit.profile, "package geometry\n\nfunc Area() int { return 1 }\n", match="package main")
