"""gokit.ssa: the ssa.html parser on Go 1.22/1.27 goldens, merged-column semantics vs GOSSAFUNC=f+, live runs."""
from __future__ import annotations

import gzip
import json
import re
import sys
import time
from pathlib import Path

import pytest

from gokit.stages.builds import dir_size
from gokit.parsers.ssa_html import parse_ssa_html
from gokit.errors import GoToolError, ParseError, UsageError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ssa_text import normalize, split_passes  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
VERSIONS = ["go1.22", "go1.27"]
SLUGS = ["add", "loop", "bce", "method", "closure", "generic"]
H2_RE = re.compile(r"<h2>(.*?)</h2>")
COL_RE = re.compile(r'<td id="([^"]*)-exp"[^>]*>(.*?)</td>\n', re.DOTALL)


def read(version: str, name: str) -> str:
    p = GOLDEN / version / "ssa" / name
    if p.exists():
        return p.read_text()
    return gzip.decompress(p.with_name(p.name + ".gz").read_bytes()).decode()


def html_titles(text: str) -> list[str]:
    """Pass titles straight from the <h2> headings (independent of the parser)."""
    out = []
    for cid, body in COL_RE.findall(text):
        if cid in ("sources", "AST", "genssa"):
            continue
        out += [re.sub(r"\s*<span.*", "", t) for t in H2_RE.findall(body)]
    return out


@pytest.fixture(scope="module")
def S():
    import gokit.parsers.compiler

    return gokit.parsers.compiler


# ---------------------------------------------------------------- goldens (no Go needed)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_pass_matches_the_compilers_own_per_pass_text(version: str, slug: str) -> None:
    """Merged columns split back into passes: each pass equals what GOSSAFUNC=f+ printed after it."""
    html = read(version, f"{slug}.html")
    fn = parse_ssa_html(html)
    assert fn.pass_names == html_titles(html)
    text = split_passes(read(version, f"{slug}.plus.txt"))
    ours = [p for p in fn.passes if p.name != "before insert phis"]
    assert [n for n, _ in text] == [p.name for p in ours]
    for (name, printed), p in zip(text, ours):
        assert normalize(p.text()) == normalize(printed), f"{version} {slug}: pass {name!r} differs"
        assert len(p.values) == sum(1 for ln in printed.splitlines() if re.match(r"^    \(", ln))
        assert len(p.blocks) == sum(1 for ln in printed.splitlines() if re.match(r"^  b\d+:", ln))
    merged = [c for c in fn.columns if len(c) > 1]
    assert merged, "some passes changed nothing, so some columns hold several passes"
    for p in fn.passes[1:]:
        if not p.changed:
            assert p.blocks == fn.passes[p.index - 1].blocks


@pytest.mark.parametrize("version", VERSIONS)
def test_pass_lists_differ_between_versions_as_documented(version: str) -> None:
    names = parse_ssa_html(read(version, "add.html")).pass_names
    assert names[:2] == ["before insert phis", "start"]
    assert names[-1] == "trim" and "lower" in names and "regalloc" in names
    if version == "go1.27":
        assert {"divmod", "known bits", "loop invariant", "early phielim and copyelim"} <= set(names)
    else:
        assert {"early phielim", "early copyelim"} <= set(names)
        assert "known bits" not in names
        assert names.index("check bce") < names.index("branchelim")


@pytest.mark.parametrize("version", VERSIONS)
def test_add64_becomes_addq_in_lower(version: str) -> None:
    fn = parse_ssa_html(read(version, "add.html"))
    before = fn.pass_(fn.pass_("lower").index - 1)
    d = fn.diff(before, "lower")
    ops = d.op_changes
    assert ((ops["op_before"] == "Add64") & (ops["op_after"] == "ADDQ")).any()
    assert any("ADDQ" in g.text for g in fn.genssa)
    assert fn.sources[0].file.endswith("main.go") and "func add" in fn.sources[0].text
    assert "RETURN" in fn.ast
    v = next(v for v in fn.pass_("regalloc").values if v.op == "ADDQ")
    assert v.reg == "AX" and v.line == 9 and v.stmt == "+"


@pytest.mark.parametrize("version", VERSIONS)
def test_bounds_check_survives_in_idx_but_prove_removes_it_in_the_loop(version: str) -> None:
    idx = parse_ssa_html(read(version, "bce.html"))
    assert any(v.op == "IsInBounds" and not v.dead for v in idx.pass_("check bce").values)
    assert any(v.op == "PanicBounds" for v in idx.pass_("check bce").values)
    loop = parse_ssa_html(read(version, "loop.html"))
    before = loop.pass_(loop.pass_("prove").index - 1)
    assert any(v.op == "IsInBounds" and not v.dead for v in before.values)
    assert not any(v.op == "IsInBounds" and not v.dead for v in loop.pass_("prove").values)


@pytest.mark.parametrize("version", VERSIONS)
def test_cfg_marks_likely_edges_and_the_loop_back_edge(version: str) -> None:
    from gokit.views.ssa import BACK_EDGE, back_edges

    fn = parse_ssa_html(read(version, "loop.html"))
    p = fn.pass_("lower")
    back = back_edges(p)
    assert len(back) == 1
    src = fn.cfg("lower").source
    u, v = next(iter(back))
    assert re.search(rf"b{u} -> b{v} \[[^\]]*color=\"{re.escape(BACK_EDGE)}\"", src)
    assert "likely" in src
    cond = next(b for b in p.blocks if len(b.succs) == 2)
    assert cond.likely in ("likely", "unlikely") and cond.controls
    assert cond.edge_hint(0) != cond.edge_hint(1)
    dead = fn.pass_("before insert phis")
    assert any(v.dead for v in dead.values)


@pytest.mark.parametrize("version", VERSIONS)
def test_methods_closures_generics_titles(version: str) -> None:
    assert parse_ssa_html(read(version, "method.html")).name == "(*T).M"
    assert parse_ssa_html(read(version, "closure.html")).name == "counter.func1"
    g = parse_ssa_html(read(version, "generic.html"))
    assert g.name == "Max[go.shape.int]" and g.abi == "1"
    assert any(v.op == "Arg" and "go.shape.int" in v.type or v.type == "go.shape.int" for v in g.passes[1].values)


def test_pass_lookup_and_values_frame() -> None:
    fn = parse_ssa_html(read("go1.27", "loop.html"))
    assert fn.pass_("late_lower") is fn.pass_("late-lower") is fn.pass_("Late Lower")
    with pytest.raises(UsageError, match="no pass 'nope'.*lower"):
        fn.pass_("nope")
    df = fn.values
    assert set(df["pass"]) == set(fn.pass_names)
    assert len(df) == sum(len(p.values) for p in fn.passes)
    assert fn.summary.loc[fn.pass_("lower").index, "values"] == len(fn.pass_("lower").values)
    assert "lower" in fn._repr_html_()


def test_parse_errors_quote_the_input() -> None:
    with pytest.raises(ParseError, match="not html"):
        parse_ssa_html("not html at all")
    with pytest.raises(UsageError):
        parse_ssa_html(b"<html>")  # type: ignore[arg-type]


@pytest.mark.parametrize("version", VERSIONS)
def test_m2_and_check_bce_reports_parse(version: str, S) -> None:
    out = read(version, "opt.txt")
    inl, esc = S.parse_m(out)
    assert {"function": "add", "decision": "can inline", "cost": 4}.items() <= next(
        r for r in inl if r["function"] == "add" and r["decision"] == "can inline").items()
    main = next(r for r in inl if r["function"] == "main" and r["decision"] == "cannot inline")
    assert main["budget"] == 80 and main["cost"] > 80
    assert any(r["decision"] == "inlined call" and r["function"] == "add" for r in inl)
    moved = [r for r in esc if r["verdict"] == "moved to heap"]
    assert [r["what"] for r in moved] == ["n"]
    assert any(r["what"] == "xs" and r["verdict"] == "does not escape" and r["line"] == 11 for r in esc)
    lit = next(r for r in esc if r["what"] == "func literal" and r["verdict"] == "escapes to heap")
    assert lit["function"] == ("counter" if version == "go1.27" else "")  # 1.22 says `escapes to heap:` only
    assert "flow:" in lit["detail"]
    assert S.parse_bce(out) == [{"file": "main.go", "line": 19, "col": 42, "check": "IsInBounds"}]


# ---------------------------------------------------------------- live: the real compiler

PROG = (GOLDEN / "ssa_src" / "main.go").read_text()


@pytest.mark.go
def test_names_as_learners_write_them(tc, S) -> None:
    import gokit

    src = gokit.Source(PROG)
    assert gokit.ssa(src, "add").meta["qualified"] == "main.add"
    assert gokit.ssa(src, "main.add").name == "add"
    assert gokit.ssa(src, "T.M").name == "(*T).M"
    assert gokit.ssa(src, "*T.M").name == "(*T).M"
    assert gokit.ssa(src, "counter.func1").name == "counter.func1"
    g = gokit.ssa(src, "Max")
    assert g.name == "Max[go.shape.int]" and g.meta["instantiations"] == ["Max[go.shape.int]"]
    assert gokit.ssa(src, "Max[int]").name == "Max[go.shape.int]"
    lib = gokit.Source("package geom\n\ntype P struct{ X, Y float64 }\n\nfunc (p P) Norm2() float64 "
                       "{ return p.X*p.X + p.Y*p.Y }\n", "geom.go")
    fn = gokit.ssa(lib, "P.Norm2")
    assert fn.meta["qualified"] == "play/geom.P.Norm2" and fn.sources[0].file == "geom.go"
    arm = gokit.ssa(lib, "geom.P.Norm2", goarch="arm64")
    assert any(v.op.startswith("FM") for v in arm.pass_("lower").values)  # arm64 ops, not amd64


@pytest.mark.go
def test_closures_and_std_generic_instantiations(tc) -> None:
    import gokit

    src = gokit.Source('package main\n\nimport (\n\t"fmt"\n\t"slices"\n\t"sort"\n)\n\nfunc main() {\n'
                       '\txs := []int{3, 1, 2}\n\tsort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })\n'
                       '\tfmt.Println(slices.Max(xs))\n}\n')
    c = gokit.ssa(src, "main.func1")
    assert c.name == "main.func1" and any(v.op == "IsInBounds" for v in c.pass_("opt").values)
    m = gokit.ssa(src, "slices.Max")
    assert m.meta["qualified"].startswith("slices.Max[go.shape.")
    assert len(m.passes) > 40


@pytest.mark.go
def test_clear_messages_for_missing_broken_and_inlined_away(tc, S) -> None:
    import gokit

    src = gokit.Source(PROG)
    with pytest.raises(gokit.FunctionNotFoundError) as e:
        gokit.ssa(src, "Add")
    msg = str(e.value)
    assert "no function 'Add'" in msg and "Did you mean add" in msg and "counter.func1" in msg
    assert "add" in e.value.available
    with pytest.raises(gokit.SourceDoesNotCompile) as e2:
        gokit.ssa("package main\n\nfunc main() {\n\tx := 1\n}\n", "main")
    assert str(e2.value).startswith("./main.go:4:2: declared and not used: x")
    assert isinstance(e2.value, GoToolError)
    assert e2.value._render_traceback_()[0].startswith("SourceDoesNotCompile: ./main.go:4:2")
    with pytest.raises(gokit.FunctionNotFoundError, match="fmt.Println was inlined away"):
        gokit.ssa(src, "fmt.Println")
    with pytest.raises(gokit.FunctionNotFoundError, match="generic but nothing calls it"):
        gokit.ssa("package main\n\nfunc Min[T int | float64](a, b T) T {\n\tif a < b {\n\t\treturn a\n\t}\n"
                  "\treturn b\n}\n\nfunc main() {}\n", "Min")
    with pytest.raises(UsageError, match="sets -o itself"):
        gokit.ssa(src, "add", gcflags="-o /dev/null")
    with pytest.raises(UsageError):
        gokit.ssa(src, "")


def _reference(S, tc, src, gossafunc: str) -> list[tuple[str, str]]:
    """The compiler's own per-pass text (GOSSAFUNC=f+) for the same compile gokit does."""
    from gokit.layers.compile import compile_package
    from gokit.source.exports import importcfg
    from gokit.source.package import resolve

    pkg = resolve(src, tc)
    comp = compile_package(pkg, importcfg=importcfg(pkg, 120), gossafunc=gossafunc + "+")
    return split_passes(comp.stdout)


def _assert_counts_equal(fn, printed) -> None:
    assert fn.pass_names == html_titles(fn.meta["html"])
    ours = [p for p in fn.passes if p.name != "before insert phis"]
    assert [n for n, _ in printed] == [p.name for p in ours]
    for (name, text), p in zip(printed, ours):
        assert len(p.values) == sum(1 for ln in text.splitlines() if re.match(r"^    \(", ln)), name
        assert len(p.blocks) == sum(1 for ln in text.splitlines() if re.match(r"^  b\d+:", ln)), name


STD_USER = ('package main\n\nimport (\n\t"fmt"\n\t"slices"\n\t"sort"\n\t"strings"\n)\n\nfunc main() {\n'
            '\tws := strings.Fields("b c a")\n\tsort.Slice(ws, func(i, j int) bool { return ws[i] < ws[j] })\n'
            '\tfmt.Println(slices.Index(ws, "c"), slices.Max([]int{3, 1, 2}))\n}\n')


@pytest.mark.go
@pytest.mark.parametrize("func,gossafunc", [
    ("slices.Index", "Index[go.shape.[]string,go.shape.string]"),   # generic std code, instantiated here
    ("slices.Max", "Max[go.shape.[]int,go.shape.int]"),
    ("main.func1", "main.main.func1"),                               # the closure handed to sort.Slice
])
def test_std_generics_and_closures_equal_the_compilers_own_counts(tc, S, func: str, gossafunc: str) -> None:
    import gokit

    fn = gokit.ssa(STD_USER, func)
    _assert_counts_equal(fn, _reference(S, tc, gokit.Source(STD_USER), gossafunc))


@pytest.mark.go
@pytest.mark.parametrize("pkgdir,func", [
    ("container/list", "(*List).PushBack"),       # a method
    ("container/list", "(*List).move"),           # an unexported method
    ("container/ring", "(*Ring).Move"),           # a loop
    ("bufio", "(*Reader).ReadRune"),              # bounds checks, branches
    ("text/tabwriter", "(*Writer).Write"),        # a big method with loops and calls
])
def test_std_functions_equal_the_compilers_own_counts(tc, S, pkgdir: str, func: str) -> None:
    """gokit's pass names and per-pass value/block counts equal the compiler's own (ssa.html + f+ text)."""
    import gokit

    src = gokit.Source.from_dir(tc.goroot / "src" / pkgdir)
    fn = gokit.ssa(src, func)
    _assert_counts_equal(fn, _reference(S, tc, src, f"{fn.meta['package']}.{func}"))


@pytest.mark.go
def test_a_new_function_costs_one_compile_and_a_repeat_none(tc, no_leaks, monkeypatch) -> None:
    """A never-asked function costs one run of the compiler (no `go build`, which recompiles every package for a new
    GOSSAFUNC); a repeat starts no process; GOCACHE grows < 2 MB per new function. How fast (a new function <=
    max(1.5x, +60 ms) of a bare GOSSAFUNC compile, a repeat <= 30 ms) is measured by
    tests/golden/measure_ssa_speed.py, not asserted here: a timing assert fails on a busy machine for nothing."""
    import gokit
    from gokit import _cache as cache
    from gokit import _run
    from helpers import starts_no_process

    n = 6
    body = "\n".join(f"func f{i}(xs []int) int {{\n\ts := {i}\n\tfor _, x := range xs {{\n\t\ts += x\n\t}}\n"
                     f"\treturn s + xs[0]\n}}\n" for i in range(n))
    src = gokit.Source(f"package main\n\nimport \"fmt\"\n\n// {time.time_ns()}\n{body}\nfunc main() {{\n"
                       f"\tfmt.Println({' + '.join(f'f{i}(nil)' for i in range(n))})\n}}\n")
    gokit.ssa(gokit.Source("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println() }\n"), "main")
    from gokit.source.exports import importcfg
    from gokit.source.package import resolve

    importcfg(resolve(src, tc), 120)  # the package's importcfg exists: what is left per function is its compile
    started: list[list[str]] = []
    run = _run.run

    def recording_run(argv, **kw):  # type: ignore[no-untyped-def]
        started.append([str(a) for a in argv])
        return run(argv, **kw)

    before = dir_size(tc.gocache)
    with monkeypatch.context() as mp:
        mp.setattr(_run, "run", recording_run)
        for i in range(n):
            started.clear()
            assert gokit.ssa(src, f"f{i}").name == f"f{i}"
            assert [a[0] for a in started] == [str(tc.tooldir / "compile")], started
    grown = dir_size(tc.gocache) - before
    for i in range(n):
        cache.forget()
        with starts_no_process(f"a repeat of gokit.ssa(src, 'f{i}')"):
            assert gokit.ssa(src, f"f{i}").name == f"f{i}"
    assert grown / n < 2e6, f"GOCACHE grew {grown / n / 1e6:.1f} MB per new function"


@pytest.mark.go
def test_optimizations_report_live(tc) -> None:
    import gokit

    o = gokit.optimizations(PROG)
    assert list(o.bounds_checks["line"]) == [19]
    assert o.bounds_checks.iloc[0]["function"] == "idx"
    assert "moved to heap" in set(o.escapes["verdict"])
    assert (gokit.inlining(PROG)["decision"] == "cannot inline").any()
    by = o.by_line()
    assert "IsInBounds" in by.loc[19, "bounds_checks"] and "return xs[i]" in by.loc[19, "code"]
    assert "moved to heap" in o._repr_html_()
    assert gokit.bounds_checks(PROG).equals(o.bounds_checks)


@pytest.mark.go
def test_cli_json_and_svg(tc, tmp_path, capsys) -> None:
    from gokit.cli import main

    f = tmp_path / "main.go"
    f.write_text(PROG)
    assert main(["ssa", str(f), "add", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    lower = next(p for p in data["passes"] if p["name"] == "lower")
    assert any(v["op"] == "ADDQ" for b in lower["blocks"] for v in b["values"])
    assert main(["ssa", str(f), "sum", "--pass", "lower", "--svg"]) == 0
    assert capsys.readouterr().out.startswith("<svg")
    assert main(["ssa", str(f), "nope"]) == 1
    assert "no function 'nope'" in capsys.readouterr().err


@pytest.mark.go
@pytest.mark.go122
def test_runner_works_with_go122(tc122, S) -> None:
    import gokit

    fn = gokit.ssa(PROG, "sum", toolchain=tc122)
    assert fn.meta["go"].startswith("1.22")
    assert {"early phielim", "early copyelim"} <= set(fn.pass_names)
    assert gokit.ssa(PROG, "Max", toolchain=tc122).name == "Max[go.shape.int]"
    with pytest.raises(gokit.FunctionNotFoundError, match="Did you mean add"):
        gokit.ssa(PROG, "Add", toolchain=tc122)
    o = gokit.optimizations(PROG, toolchain=tc122)
    assert list(o.bounds_checks["line"]) == [19]


def test_gokit_ssa_is_one_function_and_no_module() -> None:
    """`gokit.ssa` is the function only: no callable-module trick, no `gokit.ssa` submodule to shadow it."""
    import importlib
    import types

    import gokit

    assert isinstance(gokit.ssa, types.FunctionType) and gokit.ssa.__module__ == "gokit.stages.ssa"
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("gokit.ssa")
    assert gokit.ssa is gokit.ssa  # still the function after the failed import
    for name in ("inlining", "escapes", "bounds_checks", "optimizations", "SSAFunction"):
        assert getattr(gokit, name) is getattr(importlib.import_module("gokit.stages.optimizations" if name != "SSAFunction"
                                                                       else "gokit.parsers.ssa"), name)


def test_optimizations_by_line_says_each_note_once() -> None:
    """The compiler prints `can inline counter.func1` twice for a closure of an inlined function (seen in lesson 03
    on 1.27.3 and 1.22.10); the frame keeps both lines, the view by line says the note once."""
    from gokit.parsers.compiler import read_optimizations

    src = "package main\n\nfunc counter() func() int {\n\tn := 0\n\treturn func() int { n++; return n }\n}\n"
    line = "main.go:5:9: can inline counter.func1 with cost 5 as: func() int { n++; return n }\n"
    o = read_optimizations(line * 2, {"main.go": src}, lambda f, n: "counter")
    assert len(o.inlining) == 2
    assert o.by_line().loc[5, "inlining"] == "counter.func1 can be inlined (cost 5)"
