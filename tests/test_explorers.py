"""gokit.views.explorers without a browser: the data each explorer's front end draws (built from models, on Go
1.22/1.27 goldens where possible), the explorers' state fields, the kernel-free HTML and the recompute path."""
from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest

from gokit.parsers.asm import Assembly
from gokit.parsers.asm_listing import parse_asm
from gokit.parsers.frontend import types_from_json
from gokit.parsers.syntax import ast_from_json
from gokit.parsers.ssa_html import parse_ssa_html
from gokit.views.explorers import _base
from gokit.views.explorers.ast import ASTExplorer, ast_data
from gokit.views.explorers.asm import AsmExplorer, asm_data
from gokit.views.explorers.ssa import PREVIOUS, SSAExplorer, ssa_data

GOLDEN = Path(__file__).resolve().parent / "golden"
VERSIONS = ["go1.22", "go1.27"]
SLUGS = ["add", "loop", "bce", "method", "closure", "generic"]
PROGRAMS = GOLDEN / "frontend_src"


def ssa_golden(version: str, slug: str) -> str:
    p = GOLDEN / version / "ssa" / f"{slug}.html"
    return p.read_text() if p.exists() else gzip.decompress(p.with_name(p.name + ".gz").read_bytes()).decode()


def payload(page: str, kind: str) -> dict:
    """The JSON an explorer's kernel-free HTML carries (what its module reads in a static page)."""
    m = re.search(r'<script type="application/json" data-gokit-explorer="' + kind + r'-\d+">(.*?)</script>', page,
                  re.DOTALL)
    assert m, f"no {kind} explorer data in the page"
    return json.loads(m.group(1))


# ---------------------------------------------------------------- the front-end files and the mount


@pytest.mark.parametrize("kind", _base.KINDS)
def test_each_module_is_one_self_contained_es_module(kind: str) -> None:
    code = _base.esm(kind)
    assert code.startswith("const CSS = ") and code.rstrip().endswith("export default { render };")
    assert code.count("export default") == 1 and "import " not in code.split("\n", 1)[1].split("const ")[0]
    assert "function gxMountAll" in code and "function render(" in code
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\(|https?://)", code.replace("http://www.w3.org/2000/svg", "")), \
        "a front end that loads nothing: no network, no dynamic import"
    script = _base.module_script(kind)
    assert script.count("</script>") == 1 and f'gxMountAll("{kind}-{_base.FORMAT}", render)' in script
    css = json.loads(code.split("\n", 1)[0][len("const CSS = "):-1])
    sizes = [float(x) for x in re.findall(r"font(?:-size)?:\s*(?:\d+\s+)?(\d+(?:\.\d+)?)px", css)]
    assert sizes and min(sizes) >= 11, "nothing under 11 px"
    assert not re.search(r"(^|[},])\s*(body|html|:root|\*)\s*[{,]", css), "no rule that could reach the host page"


def test_json_in_a_script_cannot_end_it() -> None:
    text = _base.json_script({"a": "</script><!-- x"})
    assert "</" not in text and "<!--" not in text and json.loads(text) == {"a": "</script><!-- x"}
    page = _base.mount_html("ssa", {"format": 1}, {"pass": 0}, summary="SSA of f")
    assert page.count('<script type="application/json"') == 1 and "SSA of f" in page
    assert _base.mount_html("ssa", {}, {}, module=False).count("<script") == 1


# ---------------------------------------------------------------- SSA


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("slug", SLUGS)
def test_ssa_data_holds_every_pass_exactly(version: str, slug: str) -> None:
    """Each pass rebuilt from the data (its state's blocks, values by reference) is the pass itself."""
    fn = parse_ssa_html(ssa_golden(version, slug))
    d = json.loads(json.dumps(ssa_data(fn)))   # what the browser receives
    assert len(d["passes"]) == len(fn.passes)
    for p, (name, column, changed, _ns, s) in zip(fn.passes, d["passes"]):
        assert (name, column, changed) == (p.name, p.column, p.changed)
        blocks = d["states"][s]["b"]
        assert [b[0] for b in blocks] == [b.id for b in p.blocks]
        for b, raw in zip(p.blocks, blocks):
            assert (raw[1], raw[2], raw[3], raw[4], raw[5], raw[7]) == (b.kind, list(b.succs), list(b.preds),
                                                                          list(b.controls), b.likely, b.dead)
            got = [d["values"][r] for r in raw[9]]
            assert [(v[0], v[1], v[2], v[3], v[4], v[5], v[7], v[9]) for v in got] == [
                (v.id, v.op, v.type, v.aux, list(v.args), v.line, v.dead, v.reg) for v in b.values]
    # a pass that changed nothing shares the state before it; a value no pass touched is stored once
    assert len(d["states"]) == len({id(p.blocks) for p in fn.passes}) < len(fn.passes)
    assert len(d["values"]) < sum(len(p.values) for p in fn.passes)
    assert d["sources"] and d["sources"][0][:2] == [fn.sources[0].file, fn.sources[0].line]


def test_ssa_explorer_fields_follow_its_state() -> None:
    fn = parse_ssa_html(ssa_golden("go1.27", "loop"))
    ex = SSAExplorer(fn)
    assert ex.current.name == "lower" and ex.state["base"] == PREVIOUS and ex.base_index == ex.pass_index - 1
    ex.select_pass("prove")
    assert ex.state["pass"] == fn.pass_("prove").index and ex.current.name == "prove"
    ex.compare_with("start")
    assert ex.base_pass.name == "start"
    bounds = next(v for v in fn.pass_("prove").values if v.op == "IsInBounds")
    ex.select_value(f"v{bounds.id}")
    assert ex.value_id == bounds.id and ex.source_line() == bounds.line
    with pytest.raises(Exception, match="no value v99999"):
        ex.select_value(99999)
    ex.state = {**ex.state, "pass": 0, "value": None}     # what a click in the browser sends back
    assert ex.current.name == fn.passes[0].name and ex.base_pass.name == "start" and ex.value_id is None
    ex.compare_with(None)
    assert ex.base_index is None                          # the first pass: nothing before it
    ex.show_tab("every pass")
    assert ex.tab == "every pass"
    with pytest.raises(ValueError, match="no tab"):
        ex.show_tab("nope")


def test_an_explorer_shows_as_a_live_widget_and_as_kernel_free_html() -> None:
    fn = parse_ssa_html(ssa_golden("go1.27", "loop"))
    ex = SSAExplorer(fn, "opt")
    data, meta = ex._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.model_id
    assert data["text/plain"] == repr(ex) and "pass" in data["text/plain"]
    page = data["text/html"]
    assert page == ex._repr_html_() and page.count('data-gokit-module="ssa-') == 1
    p = payload(page, "ssa")
    assert p["data"] == json.loads(json.dumps(ex.data)) and p["state"]["pass"] == fn.pass_("opt").index
    assert ex._esm == _base.esm("ssa") and not ex._repr_html_() is None


# ---------------------------------------------------------------- AST


def ast_golden(name: str):
    data = json.loads((GOLDEN / "go1.27" / f"frontend_{name}_ast.json").read_text())
    src = (PROGRAMS / f"{name}.go").read_bytes()
    types = json.loads((GOLDEN / "go1.27" / f"frontend_{name}_types.json").read_text())
    return ast_from_json(data, {f"{name}.go": src}), types_from_json(types, {f"{name}.go": src})


def node_at_like_the_browser(d: dict, file: int, line: int) -> int | None:
    """ast.js pickLine, in Python: the innermost non-comment node spanning the line's code."""
    span = d["files"][file]["spans"][line - 1]
    if span is None:
        return None
    a, b = span
    best, size = None, float("inf")
    for i, n in enumerate(d["nodes"]):
        if n[0] != file or n[4] is None or n[5] is None or n[9]:
            continue
        if n[4][2] <= a and b < n[5][2] and n[5][2] - n[4][2] <= size:
            best, size = i, n[5][2] - n[4][2]
    return best


def fields_like_the_browser(d: dict, kids: dict[int, list[int]], i: int, hide_empty: bool, hide_pos: bool) -> list:
    """ast.js fieldsHtml's rows, in Python."""
    n = d["nodes"][i]
    pos = lambda p: "None" if p is None else f"{p[0]}:{p[1]}"  # noqa: E731
    rows = [("kind", n[1])]
    if not hide_pos:
        rows.append(("span", f"{d['files'][n[0]]['name']}:{pos(n[4])} – {pos(n[5])}"))
    rows.append(("field", n[2] or "—"))
    rows += [(k, v) for k, v, empty in n[6] if not (hide_empty and empty)]
    if not hide_pos:
        rows += [(k, "—" if v is None else v) for k, v in n[7] if not (v is None and hide_empty)]
    rows += [tuple(r) for r in n[8] or []]
    rows.append(("children", ", ".join(d["nodes"][c][2] for c in kids.get(i, [])) or "—"))
    return rows


@pytest.mark.parametrize("name", ["generics", "hello"])
def test_ast_data_gives_the_browser_what_the_models_functions_give(name: str) -> None:
    tree, types = ast_golden(name)
    d = json.loads(json.dumps(ast_data(tree, types)))
    assert len(d["nodes"]) == len(tree.all_nodes) == d["total"]
    for line in range(1, len(d["files"][0]["lines"]) + 1):          # a click on a line
        want = tree.node_at(line)
        assert node_at_like_the_browser(d, 0, line) == (None if want is None else want.id), line
    kids: dict[int, list[int]] = {}
    for i, n in enumerate(d["nodes"]):
        if n[3] is not None:
            kids.setdefault(n[3], []).append(i)
    cell = re.compile(r"<tr><th[^>]*>(.*?)</th><td[^>]*><code>(.*?)</code></td></tr>", re.DOTALL)
    for node in list(tree.nodes())[::7]:                               # the fields table, every toggle
        for hide_empty in (False, True):
            for hide_pos in (False, True):
                want = [(html.unescape(k), html.unescape(v)) for k, v in cell.findall(
                    tree.fields_html(node, types, hide_empty=hide_empty, hide_positions=hide_pos))]
                assert fields_like_the_browser(d, kids, node.id, hide_empty, hide_pos) == want
    assert [lbl for lbl, _ in d["outline"]] == [lbl for lbl, _ in tree.outline()]


def test_ast_explorer_fields_follow_its_state() -> None:
    tree, types = ast_golden("generics")
    x = ASTExplorer(tree, types)
    assert x.selected.kind in ("FuncDecl", "GenDecl") and x.hide_empty and not x.hide_positions
    call = tree.find("CallExpr")[0]
    x.select(call)
    assert x.state["node"] == call.id and x.line == call.pos.line
    lines = tree.files[0].data.decode().split("\n")
    ret = next(i for i, t in enumerate(lines, 1) if t.strip() == "return s")
    assert x.select_line(ret).kind == "ReturnStmt" and x.state == {**x.state, "line": ret, "node": x.selected.id}
    blank = lines.index("") + 1
    assert x.select_line(blank) is None and x.selected.kind == "ReturnStmt" and x.line == blank
    x.set_hidden(positions=True)
    assert x.hide_positions and "span" not in x.fields_html()
    assert "AST explorer of generics.go" in repr(x)


# ---------------------------------------------------------------- assembly


def golden_assembly(arch: str, version: str = "go1.27") -> Assembly:
    text = (GOLDEN / version / "asm" / f"{arch}.txt").read_text()
    syms = parse_asm(text, goarch=arch, moddir="$MOD", goroot="$GOROOT")
    lines = max((i.line or 0) for s in syms for i in s.instructions if i.file == "main.go")
    source = "\n".join(f"// line {n}" for n in range(1, lines + 1))
    return Assembly(syms, {"package": "main", "goarch": arch, "go": version[2:] + ".0", "goos": "linux"},
                    (("main.go", source),))


def test_asm_data_holds_every_instruction_and_relocation() -> None:
    a = golden_assembly("amd64")
    d = json.loads(json.dumps(asm_data([a])))
    b = d["builds"][f"{a.go}/amd64"]
    assert set(b["functions"]) == {s.name for s in a.functions}
    for s in a.functions:
        rows = b["functions"][s.name]["insts"]
        assert [(r[0], d["files"][r[1]], r[2], r[3], r[4], r[5]) for r in rows] == [
            (i.pc, i.file, i.line, i.op, i.args, i.pseudo) for i in s.instructions]
        assert [x for r in rows for x in r[6]] == [[rr.type, rr.target, rr.size, rr.offset]
                                                   for i in s.instructions for rr in i.relocations]
        assert b["functions"][s.name]["n"] == len(s.machine_instructions)
    assert d["own"] == [s.name for s in a.own_functions()] and d["file"] == "main.go"
    assert d["arches"][:1] == ["amd64"] and "arm64" in d["arches"] and "386" in d["more"]


def test_asm_explorer_compiles_the_listings_it_offers_with_the_callable_it_is_given() -> None:
    base = golden_assembly("amd64")
    asked: list[tuple[object, str]] = []

    def compile_(tc: object, arch: str) -> Assembly:
        asked.append((tc, arch))
        if arch == "s390x":
            raise RuntimeError("no s390x here")
        return golden_assembly(arch) if arch in ("arm64", "riscv64") else golden_assembly("amd64")

    ex = AsmExplorer(base, "add", compile=compile_)
    assert sorted(a for _, a in asked) == ["arm64", "riscv64"], "the default GOARCHes, made when it is made"
    assert set(ex.data["builds"]) == {f"{base.go}/{x}" for x in ("amd64", "arm64", "riscv64")}
    assert ex.function == "main.add" and ex.goarch == "amd64" and ex.go == base.go
    ex.select(goarch="arm64", line=8)
    assert [a.goarch for a in ex.assemblies()] == ["arm64"] and ex.instructions_of(8) == {f"{base.go}/arm64": 2}
    assert len(asked) == 2, "an arch made already is not compiled again"
    ex._on_msg(ex, {"gokit": "compute", "goarch": "s390x"}, [])       # what the browser asks, live
    assert asked[-1][1] == "s390x" and "s390x" in ex.data["errors"][f"{base.go}/s390x"]
    without = AsmExplorer(base, "add")                                  # no compiler: only its own listing
    assert list(without.data["builds"]) == [f"{base.go}/amd64"] and without.data["arches"] == ["amd64"]
    assert "<AsmExplorer main.add amd64" in repr(without)


# ---------------------------------------------------------------- journey (needs the toolchain)

JOURNEY_SRC = '''package main

var base = 10

func digitSum(n int) int {
	sum := 0
	for n > 0 {
		sum, n = sum+n%base, n/base
	}
	return sum
}

func main() {
	println(digitSum(12345))
}
'''


@pytest.fixture(scope="module")
def journey(tc):
    import gokit

    return gokit.follow(JOURNEY_SRC, 8)


@pytest.mark.go
def test_journey_record_compresses_the_ssa_rows_without_losing_one(journey) -> None:
    from gokit.views.explorers.journey import journey_record, pass_events

    rec = json.loads(json.dumps(journey_record(journey)))
    for fn, names in journey.passes.items():
        got = []
        for vid, runs in rec["ssa"][fn]:
            for first, last, text, dead, change, fate in runs:
                for p in range(first, last + 1):
                    got.append((p, vid, text, dead, change if p == first else "", fate if p == last else ""))
        want = [(int(r.pass_index), int(r.id), r.text, bool(r.dead), r.change, r.fate)
                for r in journey.ssa[journey.ssa["function"] == fn].itertuples()]
        assert sorted(got) == sorted(want)
        assert sum(len(runs) for _, runs in rec["ssa"][fn]) < len(want) / 3
        for p in range(len(names)):                       # each pass lists the line's values in its own order
            ids = next(ids for first, ids in reversed(rec["order"][fn]) if first <= p)
            assert ids == [int(r.id) for r in journey.ssa.itertuples() if r.function == fn and r.pass_index == p]
        act = journey.pass_activity()
        assert pass_events(journey, fn) == [int(x) for x in act[act["function"] == fn]["events"]]
    assert [(a[0], a[1], a[2]) for a in rec["asm"]] == [
        (r.function, r.pc, r.op) for r in journey.asm.itertuples() if not r.pseudo]
    assert any(a[5] is not None and a[6].startswith(f"v{a[5]} ") for a in rec["asm"])
    assert [s[0] for s in rec["symbols"]] == list(journey.symbols["symbol"])


@pytest.mark.go
def test_journey_explorer_follows_every_line_when_made_and_others_on_demand(journey) -> None:
    import gokit
    from gokit.views.explorers.journey import JourneyExplorer

    followed: list[int] = []

    def follow(n: int):
        followed.append(n)
        return gokit.follow(JOURNEY_SRC, n)

    x = JourneyExplorer(journey, pass_="lower", follow=follow)
    code = [n for n, t in enumerate(JOURNEY_SRC.splitlines(), 1) if t.strip()]
    assert sorted(followed + [8]) == code and set(x.data["journeys"]) == {str(n) for n in code}
    assert x.state == {"line": 8, "pass": "lower", "pc": None} and x.journey is journey
    assert x.pick(14).line == 14 and x.line == 14 and len(followed) == len(code) - 1
    x.choose_pass("nope")
    assert x.pass_name == x.journey.passes[next(iter(x.journey.passes))][-1]
    few = JourneyExplorer(journey, follow=follow, lines=[6])
    assert set(few.data["journeys"]) == {"6", "8"}
    few._on_msg(few, {"gokit": "compute", "line": 10}, [])          # a line picked in the browser, live
    assert "10" in few.data["journeys"] and followed[-1] == 10
    import dataclasses

    alone = JourneyExplorer(dataclasses.replace(journey, again=None))   # nothing to follow another line with
    assert set(alone.data["journeys"]) == {"8"}
    with pytest.raises(ValueError, match="no journey"):
        alone.state = {**alone.state, "line": 3}
        alone.journey


# ---------------------------------------------------------------- .explore() on every model opens these explorers

@pytest.mark.go
def test_each_models_explore_opens_its_kernel_free_explorer(journey) -> None:
    """The public `.explore()` of the four models gives the explorers above (nothing else draws them): the SSA one
    on the pass asked for, the AST one type-checked on request, the assembly one with the other GOARCHes compiled
    by the listing's own `again`, the journey one with every line of the program followed by the journey's."""
    import gokit
    from gokit.views.explorers.journey import JourneyExplorer

    fn = gokit.ssa(JOURNEY_SRC, "digitSum")
    ex = fn.explore()
    assert isinstance(ex, SSAExplorer) and ex.current.name == "lower"
    assert [p[0] for p in ex.data["passes"]] == [p.name for p in fn.passes]
    assert fn.explore("opt").current.name == "opt"
    data, _ = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data and payload(data["text/html"], "ssa")["data"]["name"]

    tree = gokit.parse(JOURNEY_SRC)
    typed = tree.explore(types=True)
    assert isinstance(typed, ASTExplorer) and typed.types is not None and typed.data["types"]
    assert tree.explore().types is None and not tree.explore().data["types"]

    a = gokit.asm(JOURNEY_SRC)
    x = a.explore("digitSum")
    assert isinstance(x, AsmExplorer) and x.function == "main.digitSum"
    assert set(x.data["builds"]) == {f"{a.go}/{arch}" for arch in ("amd64", "arm64", "riscv64")}
    x.select(goarch="arm64")
    assert [b.goarch for b in x.assemblies()] == ["arm64"] and "MOVD" in {i.op for i in x.assemblies()[0]
                                                                         .function("digitSum").machine_instructions}

    j = journey.explore(pass_="lower")
    code = [n for n, t in enumerate(JOURNEY_SRC.splitlines(), 1) if t.strip()]
    assert isinstance(j, JourneyExplorer) and j.pass_name == "lower"
    assert sorted(int(n) for n in j.data["journeys"]) == code and j.pick(14).line == 14
