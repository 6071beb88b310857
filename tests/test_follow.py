"""gokit.follow: one line through every stage, checked against the raw tools (the -S listing, GOSSAFUNC=f+ text,
go tool nm), on held-out programs; the pass-by-pass SSA rows on Go 1.22/1.27 goldens; the explorer's fields."""
from __future__ import annotations

import gzip
import re
import sys
import time
from pathlib import Path

import pytest
from helpers import GOLDEN, expect

from gokit.parsers.compiler import parse_compile_bench, ssa_pass_ns
from gokit.parsers.journey import Journey
from gokit.parsers.program import _ssa_rows
from gokit.stages.follow import follow
from gokit.views.journey import journey_json, journey_text
from gokit.parsers.ssa_html import parse_ssa_html
from gokit.errors import UsageError
from gokit.source.exports import importcfg
from gokit.source.package import resolve

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ssa_text import split_passes  # noqa: E402

VERSIONS = ["go1.22", "go1.27"]

# Held-out programs (not the lesson's): a method, a closure, a generic function, a bounds check, a global,
# code inlined from the standard library, and a function inlined into its caller.
HELD_OUT = {
    "shapes": '''package main

import (
	"fmt"
	"strings"
)

type Rect struct{ w, h int }

func (r *Rect) Area() int { return r.w * r.h }

var names = []string{"a", "bb", "ccc"}

func longest(xs []string) string {
	best := ""
	for _, x := range xs {
		if len(x) > len(best) {
			best = x
		}
	}
	return best
}

func Sum[T int | float64](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func main() {
	r := &Rect{len(names), 4}
	inc := func(n int) int { return n + len(names) }
	fmt.Println(r.Area(), strings.ToUpper(longest(names)), inc(2), Sum(1, 2, 3), names[1][0])
}
''',
    "table": '''package main

import "os"

var table = [8]uint8{3, 1, 4, 1, 5, 9, 2, 6}

func pick(i int) uint8 {
	return table[i&7] * 2
}

func main() {
	total := 0
	for i := 0; i < len(os.Args)*1000; i++ {
		total += int(pick(i))
	}
	if total == 42 {
		os.Exit(3)
	}
	println(total)
}
''',
}
#: (program, line) pairs followed in the live tests
LINES = [("shapes", 10), ("shapes", 17), ("shapes", 27), ("shapes", 35), ("table", 8), ("table", 14)]

INSTR_RE = re.compile(r"^\t0x(?P<pc>[0-9a-f]+) \d+ \((?P<file>[^)]*?):(?P<line>\d+)\)\t(?P<op>[^\t]+)")
REL_RE = re.compile(r"^\trel (?P<off>\d+)\+(?P<size>\d+) t=(?P<type>\S+) (?P<sym>.*)\+(?P<add>-?\d+)$")
VALUE_LINE_RE = re.compile(r"^\s+\((?P<mark>[+-]?)(?P<line>\d+|\?)\) v(?P<id>\d+) = (?P<op>\S+)")


Listing = dict[str, list[tuple[int, str, int, str]]]
Rels = dict[str, list[tuple[int, int, str, str]]]


def raw_listing(text: str) -> tuple[Listing, Rels]:
    """An independent reading of a raw -S listing: per function header, (pc, file, line, op) of each listing line,
    and (offset, size, type, symbol) of each `rel` line."""
    insts: Listing = {}
    rels: Rels = {}
    cur = ""
    for line in text.splitlines():
        if line and not line.startswith("\t"):
            cur = line.split(" ", 1)[0]
            insts[cur], rels[cur] = [], []
        elif m := INSTR_RE.match(line):
            insts[cur].append((int(m["pc"], 16), m["file"], int(m["line"]), m["op"]))
        elif m := REL_RE.match(line):
            rels[cur].append((int(m["off"]), int(m["size"]), m["type"], m["sym"]))
    return insts, rels


@pytest.fixture(scope="module")
def journeys(tc):
    import gokit

    out = {}
    for prog, line in LINES:
        out[(prog, line)] = follow(gokit.Source(HELD_OUT[prog]), line)
    return out


@pytest.fixture(scope="module")
def raw_S(tc):
    """The raw `go tool compile -S` listing of each held-out program (the compile layer, not gokit.asm's parser)."""
    import gokit
    from gokit.layers.compile import compile_package

    out = {}
    for prog, text in HELD_OUT.items():
        pkg = resolve(gokit.Source(text), tc)
        c = compile_package(pkg, importcfg=importcfg(pkg, 120), flags=("-S",)).check()
        out[prog] = c.stdout.replace(str(c.package.moddir) + "/", "")
    return out


# ---------------------------------------------------------------- the raw tools agree


@pytest.mark.go
@pytest.mark.parametrize("prog,line", LINES)
def test_asm_is_exactly_what_the_raw_listing_puts_on_the_line(journeys, raw_S, prog, line) -> None:
    j = journeys[(prog, line)]
    raw, _ = raw_listing(raw_S[prog])
    want = {fn: [op for _, f, ln, op in insts if f == "main.go" and ln == line] for fn, insts in raw.items()}
    want = {fn: ops for fn, ops in want.items() if ops}
    own = j.own_asm
    got = {fn: list(own[own["function"] == fn]["op"]) for fn in dict.fromkeys(own["function"])}
    assert got == want and want, (got, want)
    # every other row is code inlined into the line (from another file or function), marked as such
    rest = j.asm.drop(own.index)
    assert (rest["inline"].str.startswith("from ")).all()


@pytest.mark.go
@pytest.mark.parametrize("prog,line", LINES)
def test_relocations_are_exactly_the_rel_lines_inside_the_lines_instructions(journeys, raw_S, prog, line) -> None:
    j = journeys[(prog, line)]
    raw, rels = raw_listing(raw_S[prog])
    want = set()
    for fn, insts in raw.items():
        pcs = sorted({pc for pc, *_ in insts})
        ends = {pc: (pcs[k + 1] if k + 1 < len(pcs) else 1 << 30) for k, pc in enumerate(pcs)}
        at = {pc: (f, ln) for pc, f, ln, _ in insts}     # the last listing line at a pc holds its bytes
        mine = [pc for pc, where in at.items() if where == ("main.go", line)]
        for off, size, typ, sym in rels.get(fn, []):
            if size and any(pc <= off < ends[pc] for pc in mine):
                want.add((fn, off, typ, sym))
    r = j.relocations[j.relocations["inline"].str.startswith("from ") == False]  # noqa: E712
    got = {(a, int(b), c, d) for a, b, c, d in zip(r["function"], r["offset"], r["type"], r["symbol"])}
    assert got == want


@pytest.mark.go
@pytest.mark.parametrize("prog,line", LINES)
def test_last_pass_values_are_the_compilers_own_dump(journeys, tc, prog, line) -> None:
    """GOSSAFUNC=f+ prints every pass as text: its last pass's value lines on this line are gokit's last pass."""
    import gokit
    from gokit.layers.compile import compile_package

    j = journeys[(prog, line)]
    assert j.passes
    for fn, names in j.passes.items():
        pkg = resolve(gokit.Source(HELD_OUT[prog]), tc)
        comp = compile_package(pkg, importcfg=importcfg(pkg, 120), gossafunc=f"{fn}+").check()
        passes = split_passes(comp.stdout)
        last_name, last_text = passes[-1]
        assert last_name == names[-1], (last_name, names[-1])
        want = []
        for ln in last_text.splitlines():
            m = VALUE_LINE_RE.match(ln)
            if m and m["line"] == str(line):
                want.append((int(m["id"]), m["op"]))
        last = j.ssa_at(-1, fn)
        got = list(zip(last["id"].astype(int), last["op"]))
        assert sorted(got) == sorted(want), (fn, got, want)


@pytest.mark.go
@pytest.mark.parametrize("prog,line", LINES)
def test_tokens_are_gokit_tokens_of_the_line(journeys, prog, line) -> None:
    import gokit

    t = gokit.tokens(gokit.Source(HELD_OUT[prog]))
    want = t[(t["file"] == "main.go") & (t["line"] == line)].reset_index(drop=True)
    got = journeys[(prog, line)].tokens
    assert got.equals(want)
    assert bool(got["inserted"].iloc[-1]) or got["token"].iloc[-1] in ("{", "LBRACE")


@pytest.mark.go
@pytest.mark.parametrize("prog,line", LINES)
def test_machine_code_sits_inside_the_functions_symbols(journeys, tc, prog, line) -> None:
    import gokit

    j = journeys[(prog, line)]
    nm = gokit.symbols(gokit.link_by_hand(gokit.Source(HELD_OUT[prog]), toolchain=tc))
    spans = {n: (int(a), int(a) + int(s)) for n, a, s in zip(nm["name"], nm["address"], nm["size"])
             if str(a) != "<NA>"}
    in_binary = set(j.machine["function"])
    for fn in set(j.asm["function"]) - in_binary:       # a function the linker dropped is named in the notes
        assert any(n.startswith(f"{fn} is not in the linked binary") for n in j.notes), (fn, j.notes)
        assert fn not in spans
    assert in_binary, j.notes
    for r in j.machine.itertuples(index=False):
        lo, hi = spans[r.function]
        assert lo <= r.address < hi, (r.function, hex(r.address))
    # the line's own instructions, at their final addresses: same count per function as the listing's
    own = j.own_asm[~j.own_asm["pseudo"]]
    for fn in dict.fromkeys(j.machine["function"]):
        assert (j.machine["function"] == fn).sum() == (j.asm[(j.asm["function"] == fn) & ~j.asm["pseudo"]]
                                                       .shape[0]), fn
    assert len(own) <= len(j.asm)
    # every relocation target the binary lists has nm's address, and the filled hole points there
    for r in j.symbols.itertuples(index=False):
        if r.in_binary and str(r.resolved) != "<NA>":
            assert int(r.resolved) == int(r.address), r.symbol


@pytest.mark.go
def test_inlining_is_marked_both_ways(journeys) -> None:
    # line 35 calls fmt.Println, strings.ToUpper, and inlined functions of the program: their code is on the line
    j = journeys[("shapes", 35)]
    from_ = j.asm[j.asm["inline"].str.startswith("from ")]
    assert from_["inline"].str.contains("fmt.Println").any()
    assert from_["inline"].str.contains(r"Area \(main.go:10\)").any()
    # line 10 (Area) is inlined into main: those instructions say so
    j10 = journeys[("shapes", 10)]
    into = j10.asm[j10.asm["inline"] != ""]
    assert set(into["function"]) == {"main.main"} and into["inline"].str.contains("inlined into main at line 35").all()
    assert set(j10.own_asm["function"]) >= {"main.(*Rect).Area", "main.main"}


@pytest.mark.go
def test_a_line_can_compile_to_nothing(tc) -> None:
    """`best = x` in longest: its only value is a Copy that the first deadcode pass removes (the variable lives
    in the same registers as x), so no instruction, relocation or byte of the binary comes from it."""
    import gokit

    j = follow(gokit.Source(HELD_OUT["shapes"]), 18)
    assert len(j.tokens) == 4 and j.nodes.iloc[0]["kind"] == "AssignStmt"
    assert j.asm.empty and j.machine.empty and j.relocations.empty
    assert j.ssa_at(-1).empty and not j.ssa.empty
    assert j.ssa_changes()["fate"].str.startswith("removed by").any()


@pytest.mark.go
def test_instructions_know_their_ssa_value(journeys) -> None:
    j = journeys[("table", 8)]
    with_value = j.asm[j.asm["ssa_id"].notna()]
    assert len(with_value) >= 0.5 * (~j.asm["pseudo"]).sum()
    for r in with_value.itertuples(index=False):
        assert r.ssa.startswith(f"v{int(r.ssa_id)} = ")
    last = {int(i) for i in j.ssa_at(-1)["id"]}
    assert {int(i) for i in with_value["ssa_id"]} & last


@pytest.mark.go
def test_ssa_changes_show_values_appearing_changing_and_dying(journeys) -> None:
    j = journeys[("table", 8)]
    ch = j.ssa_changes()
    assert ch["change"].str.contains("→").any()          # lower turns generic ops into machine ops
    assert ch["fate"].str.startswith("removed by").any()
    act = j.pass_activity().set_index(["function", "pass"])
    assert act.loc[("main.pick", "lower"), "op_changed"] > 0
    removed = ch[ch["fate"].str.startswith("removed by")]
    assert act["removed"].sum() == len(removed)


@pytest.mark.go
def test_to_frame_has_a_row_per_stage_item(journeys) -> None:
    j = journeys[("shapes", 17)]
    f = j.to_frame()
    assert list(f.columns) == ["stage", "function", "where", "item", "detail"]
    counts = f["stage"].value_counts()
    assert counts["tokens"] == len(j.tokens) and counts["nodes"] == len(j.nodes)
    assert counts["asm"] == int((~j.asm["pseudo"]).sum()) and counts["machine"] == len(j.machine)
    assert list(dict.fromkeys(f["stage"])) == [s for s in ("tokens", "nodes", "types", "ssa", "asm", "relocations",
                                                           "symbols", "machine") if s in set(f["stage"])]
    data = journey_json(j)
    assert data["line"] == 17 and data["asm"] and data["tokens"]
    assert "tokens:" in journey_text(j) and "machine:" in journey_text(j)


@pytest.mark.go
def test_nodes_outermost_first_and_types_of_the_line(journeys) -> None:
    j = journeys[("table", 8)]
    assert j.nodes.iloc[0]["kind"] == "ReturnStmt" and j.nodes.iloc[0]["depth"] == 0
    assert list(j.nodes["depth"])[:2] == [0, 1]
    assert "FuncDecl pick" in j.enclosing
    t = dict(zip(j.types["expr"], j.types["type"]))
    assert t["table[i&7] * 2"] == "uint8" and t["7"] == "int"


@pytest.mark.go
def test_a_new_line_reuses_the_programs_compiles_and_a_repeat_is_cached(tc, monkeypatch) -> None:
    import gokit
    from gokit import _cache
    from gokit.layers import compile as _compile

    src = gokit.Source(HELD_OUT["table"] + f"\n// a program gokit has not seen: {time.time_ns()}\n")
    follow(src, 14)              # main's line: the compiles, the link, main's SSA
    calls = []
    real = _compile.compile_package

    def counting(*a, **kw):
        calls.append(kw.get("gossafunc"))
        return real(*a, **kw)

    monkeypatch.setattr(_compile, "compile_package", counting)
    import gokit.stages.ssa as ssa_mod

    monkeypatch.setattr(ssa_mod, "compile_package", counting)
    j = follow(src, 8)           # pick's line (inlined into main too): only pick's SSA is new
    assert calls == ["main.pick"], calls
    assert set(j.passes) == {"main.pick", "main.main"}
    assert follow(src, 8) is j   # the same object: this process remembers it
    _cache.forget()
    again = follow(src, 8)       # from gokit's disk cache: nothing is compiled again
    assert isinstance(again, Journey) and again is not j and again.asm.equals(j.asm) and again.ssa.equals(j.ssa)
    assert calls == ["main.pick"]


def test_bad_lines_and_files_are_usage_errors() -> None:
    import gokit

    src = gokit.Source(HELD_OUT["table"])
    expect(UsageError, follow, src, 0, match="from 1 to")
    expect(UsageError, follow, src, 999, match="from 1 to")
    expect(UsageError, follow, src, "8", match="line is a line number")
    expect(UsageError, follow, src, 8, file="other.go", match="no file 'other.go'")


# ---------------------------------------------------------------- pure: SSA rows pass by pass, on goldens


def _golden(version: str, name: str) -> str:
    p = GOLDEN / version / "ssa" / name
    return p.read_text() if p.exists() else gzip.decompress(p.with_name(p.name + ".gz").read_bytes()).decode()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("line", [13, 14])
def test_ssa_rows_match_the_per_pass_text_dump(version, line) -> None:
    """For `sum` (a loop), the values on a line after every pass are those GOSSAFUNC=f+ prints for that pass."""
    fn = parse_ssa_html(_golden(version, "loop.html"))
    rows = _ssa_rows("main.sum", fn, line)
    text = dict(split_passes(_golden(version, "loop.plus.txt")))
    checked = 0
    for p in fn.passes:
        if p.name not in text or p.name == "start":
            continue
        want = sorted((int(m["id"]), m["op"]) for m in map(VALUE_LINE_RE.match, text[p.name].splitlines())
                      if m and m["line"] == str(line))
        got = sorted((r["id"], r["op"]) for r in rows if r["pass"] == p.name)
        assert got == want, (p.name, got, want)
        checked += 1
    assert checked > 20
    changes = [r for r in rows if r["change"] or r["fate"]]
    assert any("→" in r["change"] for r in changes)                      # lower rewrote an op on the line
    assert any(r["fate"].startswith("removed by") for r in changes)
    # a value's fate names the next pass, where it is gone
    names = [p.name for p in fn.passes]
    for r in rows:
        if r["fate"]:
            nxt = names[names.index(r["pass"]) + 1]
            assert r["fate"].endswith(nxt)


@pytest.mark.parametrize("version", VERSIONS)
def test_compile_bench_and_ssa_pass_times_parse(version) -> None:
    text = (GOLDEN / version / "follow" / "compile_bench.txt").read_text()
    reports = parse_compile_bench(text)
    assert len(reports) == 2
    for r in reports:
        assert {"fe:parse", "be:compilefuncs", "be:dumpobj", "total"} <= set(r)
        assert r["total"] >= r["fe:parse"] + r["be:compilefuncs"]
    ssa = (GOLDEN / version / "follow" / "ssa_time.txt").read_text()
    n = ssa_pass_ns(ssa)
    assert n > 0 and n == sum(int(x) for x in re.findall(r"TIME\(ns\)\t(\d+)", ssa))
    assert n < reports[0]["be:compilefuncs"] * 3


@pytest.mark.go
@pytest.mark.go122
@pytest.mark.slow
def test_follow_on_go_122_agrees_with_its_raw_tools(tc122) -> None:
    import gokit
    from gokit.layers.compile import compile_package

    src = gokit.Source(HELD_OUT["table"])
    j = follow(src, 8, toolchain=tc122)
    pkg = resolve(src, tc122)
    cfg = importcfg(pkg, 120)
    c = compile_package(pkg, importcfg=cfg, flags=("-S",)).check()
    raw, _ = raw_listing(c.stdout.replace(str(c.package.moddir) + "/", ""))
    want = {fn: [op for _, f, ln, op in insts if f == "main.go" and ln == 8] for fn, insts in raw.items()}
    own = j.own_asm
    assert {fn: list(own[own["function"] == fn]["op"]) for fn in dict.fromkeys(own["function"])} == \
        {fn: ops for fn, ops in want.items() if ops}
    for fn, names in j.passes.items():
        text = compile_package(pkg, importcfg=cfg, gossafunc=f"{fn}+").check().stdout
        last_name, last_text = split_passes(text)[-1]
        want_v = sorted((int(m["id"]), m["op"]) for m in map(VALUE_LINE_RE.match, last_text.splitlines())
                        if m and m["line"] == "8")
        assert last_name == names[-1] and sorted(zip(j.ssa_at(-1, fn)["id"], j.ssa_at(-1, fn)["op"])) == want_v
    assert j.meta["go"] == "1.22.10" and len(j.machine)


@pytest.mark.go
def test_stage_costs_decompose_the_build(tc) -> None:
    import gokit
    from gokit.experiments.stage_costs import STAGE_HOW

    c = gokit.stage_costs(HELD_OUT["table"], runs=2)
    assert c.stages == list(STAGE_HOW)
    s = c.result.summary
    assert (s["median"] > 0).all() and (s["runs"] == 2).all()
    t = c.table()
    assert list(t["measured by"]) == list(STAGE_HOW.values())
    shares = [float(x.rstrip("%")) for x in t["share of compile + link"] if x]
    assert 95 <= sum(shares) <= 105                       # the compile's parts and the link add up to the whole
    # the compiler's own phases, measured inside it, add up to its whole-process time
    whole = c.compile_process.summary["median"].iloc[0]
    parts = s.loc[["compiler front end", "inlining, escape analysis", "SSA passes", "code generation, assembly",
                   "write the object", "compiler start-up, exit"], "median"].sum()
    assert parts == pytest.approx(whole, rel=0.35)
    assert c.plot() is not None
    # what a lesson shows: median, interval, share ("—" outside compile + link, never a blank), runs
    bt = c.bench_table()
    cols = list(bt.frame.columns)
    assert cols[0] == "stage" and cols[1].startswith("median (") and cols[3] == "share of compile + link"
    assert cols[-1] == "runs" and "" not in set(bt.frame[cols[3]])
    share = dict(zip(bt.frame["stage"], bt.frame[cols[3]]))
    assert share["tokenise"] == share["start"] == "—" and share["link"].endswith("%")
    assert list(bt.everything["measured by"]) == list(STAGE_HOW.values())
    assert "not part of the compile" in bt.note and "Ratio" not in bt.note and "—" in bt._repr_html_()


@pytest.mark.go
def test_a_line_of_another_file_of_the_package(tmp_path) -> None:
    import gokit

    (tmp_path / "main.go").write_text('package main\n\nfunc main() {\n\tprintln(twice(21))\n}\n')
    (tmp_path / "util.go").write_text('package main\n\n//go:noinline\nfunc twice(x int) int {\n\treturn x * 2\n}\n')
    src = gokit.Source.from_dir(tmp_path)
    j = follow(src, 5, file="util.go")
    assert j.file == "util.go" and j.function == "twice" and j.code.strip() == "return x * 2"
    assert set(j.own_asm["function"]) == {"main.twice"} and (j.own_asm["file"] == "util.go").all()
    assert any("line numbers without file names" in n for n in j.notes)
    assert set(j.machine["function"]) == {"main.twice"}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", ["add.html", "bce.html", "closure.html", "generic.html", "loop.html", "method.html"])
def test_ssa_rows_of_one_line_parse_only_that_line_and_agree_with_a_full_parse(version, name) -> None:
    """The journey reads each pass's values on the line and the line of every value without parsing the rest
    (Pass.values_on, Pass.value_lines); the rows are exactly those a full parse of every pass gives."""
    light, full = parse_ssa_html(_golden(version, name)), parse_ssa_html(_golden(version, name))
    for p in full.passes:
        p.blocks                                        # parse every pass: the full path
    lines = sorted({v.line for p in full.passes for v in p.values if v.line is not None})
    assert lines
    for line in lines:
        assert _ssa_rows("f", light, line) == _ssa_rows("f", full, line), line
    p = light.passes[-1]
    assert p.value_lines() == {v.id: v.line for v in full.passes[-1].values}
    assert p.values_on(lines[0]) == tuple(v for v in full.passes[-1].values if v.line == lines[0])
