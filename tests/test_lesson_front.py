"""gokit/_lesson_front.py, lessons 01-03's helpers: tokens, line ends, nodes, constants and errors as the lessons
show them, a size fit read against its own size groups, the machine's load, SSA states and passes, op changes,
names as the compiler builds them, the inlining table, parse against type-check time of the same packages."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gokit
from gokit import bench, lesson
from gokit._lesson_front import NEGLIGIBLE_PER_TENFOLD

X = np.geomspace(1, 1000, 80)
NOISE = np.exp(np.random.default_rng(3).normal(0, 0.05, len(X)))


def test_fit_conclusion_reads_the_exponent_and_checks_it_against_the_quarters() -> None:
    steep = lesson.fit_conclusion(bench.scaling(X, 0.02 * X ** 1.3 * NOISE), items="files", item="file")
    assert "the cost grows faster than size (a bigger file costs more per kB)" in steep
    assert "the same steady trend, group by group" in steep
    flat = lesson.fit_conclusion(bench.scaling(X, 0.02 * X * NOISE), items="files", item="file")
    assert "proportional to size within measurement (its interval includes 1)" in flat
    slow = lesson.fit_conclusion(bench.scaling(X, 0.02 * X ** 0.8 * NOISE))
    assert "more slowly than size" in slow and "an item ten times bigger" in slow
    # an exponent a little above 1 while the largest quarter costs less per kB than the smallest: said so
    y = 0.02 * X * NOISE
    y[:8] *= 0.5
    y[-25:] *= 0.9
    fit = bench.scaling(X, y)
    per = [float(v) for v in fit.by_size().iloc[:, -1]]
    assert fit.exponent_low > 1 and per[-1] < per[0]
    text = lesson.fit_conclusion(fit, items="files", item="file")
    assert "no trend the fit's way" in text
    for words in ("Fitted over 80 files", "bootstrap 95% interval", "The table's four size quarters cost"):
        assert words in text
    assert lesson.fit_summary(fit, items="files", item="file").startswith("a file ten times bigger takes")


def test_fit_conclusion_calls_a_tiny_departure_without_a_trend_proportional() -> None:
    """An exponent whose interval misses 1 by less than NEGLIGIBLE_PER_TENFOLD per tenfold size, with quarters
    that do not rise steadily, is proportional within measurement (reader 01-1)."""
    y = 0.02 * X ** 1.02 * NOISE
    y[20:40] *= 1.08   # the 2nd quarter dearer than the 3rd: no steady trend
    fit = bench.scaling(X, y)
    assert fit.exponent_low > 1 and 10 ** (fit.exponent_high - 1) <= NEGLIGIBLE_PER_TENFOLD
    text = lesson.fit_conclusion(fit, items="files", item="file")
    assert "is proportional to size within measurement (its interval misses 1 by less than 15%" in text


def test_by_size_writes_numbers_with_two_significant_digits_and_small_times_in_us() -> None:
    table = bench.scaling(X, 0.0001 * X).by_size()
    assert "median time (µs)" in table.columns and "median size (kB)" in table.columns
    assert all("e" not in str(v) for v in table.to_numpy().ravel())


def test_exact_value_writes_a_constant_as_go_holds_it() -> None:
    q = "1180591620717411303424/1000000000000000000000"
    assert lesson.exact_value(q, "untyped float") == "1.180591620717411303424"   # a finite decimal, exactly
    assert lesson.exact_value(q, "float64") == "1.1805916207174112"             # the nearest float64, as Go prints
    assert lesson.exact_value("1/3", "untyped float") == "1/3"
    assert lesson.exact_value("4", "int") == "4"
    assert lesson.exact_value("", "int") == "—"
    assert lesson.exact_value('"hi"', "untyped string") == '"hi"'


def test_top_counts_and_listing() -> None:
    html = lesson.top_counts(["IDENT", "IDENT", "INT"], "tokens")._repr_html_()
    assert html.index("IDENT") < html.index("INT") and ">2<" in html
    page = lesson.listing("package main\n\nfunc main() {\n\tprintln(1)\n}\n")._repr_html_()
    assert ">4</span>" in page and "    println(1)" in page


def test_load_check_speaks_only_when_the_machine_is_busier_than_its_cores() -> None:
    import os

    cpus = os.cpu_count() or 1
    busy = lesson.load_check(cpus + 5.0)
    assert busy.busy and "busier than its cores" in busy.sentence and "no verdict is drawn" in busy.sentence
    quiet = lesson.load_check()
    assert quiet.busy == (quiet.load > cpus) and (quiet.sentence == "") == (not quiet.busy)


def test_front_end_costs_compares_parse_and_check_of_the_same_packages(tmp_path) -> None:
    pkgs = [f"p{i}" for i in range(8)]
    checks = pd.DataFrame({"path": pkgs, "size": [1000 * (i + 1) for i in range(8)],
                           "median_s": [0.003 * (i + 1) for i in range(8)]})
    parses = pd.DataFrame({"path": [str(tmp_path / p / f) for p in pkgs for f in ("a.go", "b.go")],
                           "median_s": [0.0005 * (i // 2 + 1) for i in range(16)]})
    costs = lesson.front_end_costs(checks, parses, tmp_path)
    assert list(costs.packages["ratio"].round(6)) == [3.0] * 8   # 3 ms check against 2 × 0.5 ms parse
    assert costs.median_ratio == pytest.approx(3.0)
    assert "a median 3.0× as long" in costs.sentence and "stays about the same" in costs.sentence
    assert list(costs.frame.columns) == ["size", "packages", "median size (kB)", "parse (ms)", "type check (ms)",
                                         "check ÷ parse (median of the packages' ratios)"]


def _frame(table: object) -> pd.DataFrame:
    """A lesson table's HTML read back into a frame of strings (headers and cells as shown)."""
    import html
    import re

    page = table._repr_html_()  # type: ignore[attr-defined]
    heads = [html.unescape(h) for h in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", page, re.S)]
    rows = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S) if "<td" in r]
    return pd.DataFrame(rows, columns=heads[-len(rows[0]):] if rows else heads)


SNIPPET = "package main\n\nfunc main() {\n\txs := []int{\n\t\t1,\n\t}\n\tprintln(xs[0]) // one\n}\n"


@pytest.mark.go
def test_token_table_and_line_ends_name_inserted_semicolons() -> None:
    toks = gokit.tokens(SNIPPET)
    page = lesson.token_table(toks, through_line=1)._repr_html_()
    assert "newline" in page and "yes" in page and "\\n" not in page
    # line 7 ends in a comment: the rule looks at the ) before it
    rows = _frame(lesson.line_ends(toks)).set_index("line")
    assert rows.loc["7", "as written"] == ")" and rows.loc["7", "semicolon inserted?"] == "yes"
    assert rows.loc["5", "semicolon inserted?"] == "no" and rows.loc["3", "semicolon inserted?"] == "no"


@pytest.mark.go
def test_node_table_shows_a_dash_where_a_node_has_no_key_or_field() -> None:
    frame = _frame(lesson.node_table(gokit.parse(SNIPPET), first=3))
    assert frame.loc[0, "kind"] == "File" and frame.loc[0, "field"] == "—"
    assert "role" not in frame.columns and len(frame) == 3


@pytest.mark.go
def test_compiler_errors_puts_go_build_next_to_go_types() -> None:
    bad = "package main\n\nfunc main() {\n\tvar n int = \"x\"\n\tprintln(n)\n}\n"
    both = lesson.compiler_errors(bad, gokit.typecheck(bad).errors)
    assert both.same_position and list(both.frame.columns) == ["go/types", "go build", "same line:col"]
    assert both.frame.iloc[0]["go build"].startswith("4:14: ")
    broken = "package main\n\nfunc main() {\n\treturn -\n}\n"
    first = lesson.compiler_errors(broken, gokit.parse(broken).errors, checker="go/parser", first=True)
    assert len(first.frame) == 1 and first.frame.iloc[0]["same line:col"] in ("yes", "no")
    fine = "package main\n\nfunc main() {}\n"
    none = lesson.compiler_errors(fine, [])
    assert none.frame.empty and not none.same_position


SOURCE = """package main

type Counter struct{ n int }

func (c *Counter) Add(k int) { c.n += k }

func add(a, b int) int { return a + b }

func Max[T int | float64](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func main() {
	c := &Counter{}
	c.Add(2)
	println(add(1, 2), Max(3, 4), Max(1.5, 0.5), c.n)
}
"""


@pytest.mark.go
@pytest.mark.parametrize("go", ["1.27", "1.22"])
def test_ssa_states_count_snapshots_passes_and_the_compilers_list(go: str, tc, tc122) -> None:
    t = tc if go == "1.27" else tc122
    listed = lesson.ssa_pass_list(t.goroot)
    names = [n for n, _ in listed]
    assert names[0] == "number lines" and "lower" in names and "regalloc" in names
    assert ("insert resched checks", True) in listed
    assert len(listed) == (59 if go == "1.27" else 53)
    fn = gokit.ssa(SOURCE, "add", goarch="amd64", toolchain=t)
    text = lesson.ssa_states(fn, t.goroot)
    assert f"{len(fn.passes)} states" in text and f"the {len(fn.ran)} passes that ran" in text
    assert f"the compiler's list has {len(listed)}" in text and f"drew {len(fn.columns)} columns" in text
    ops = lesson.op_changes(fn, "lower")
    assert ("Add64", "ADDQ") in ops.pairs and "#" in ops.caption
    listing = lesson.genssa_listing(fn)
    assert "ADDQ" in listing and "FUNCDATA" not in listing.split("\n(and")[0]


@pytest.mark.go
def test_ssa_names_answers_every_name_and_inlining_table_sorts_by_line() -> None:
    frame = _frame(lesson.ssa_names(SOURCE, ["add", "Counter.Add", "Max", "Max[float64]", "Nope"])).set_index(
        "you wrote")
    assert frame.loc["Counter.Add", "the compiler's function"] == "main.(*Counter).Add"
    assert "go.shape" in frame.loc["Max", "the compiler's function"]
    assert "wrapper" in frame.loc["Max[float64]", "note"]
    assert frame.loc["Nope", "the compiler's function"] == "—" and frame.loc["Nope", "note"] != "—"
    inl = _frame(lesson.inlining_table(SOURCE))
    assert [int(v) for v in inl["line"]] == sorted(int(v) for v in inl["line"]) and "—" in set(inl["budget"])


def test_fit_conclusion_holds_its_verdict_back_on_a_busy_machine() -> None:
    import os

    busy = lesson.load_check((os.cpu_count() or 1) + 5.0)
    fit = bench.scaling(X, 0.02 * X ** 1.3 * NOISE)
    text = lesson.fit_conclusion(fit, items="files", item="file", load=busy)
    assert text.startswith("This machine was busier than its cores") and "faster than size" not in text
    assert "a file ten times bigger takes" in text
    assert lesson.fit_summary(fit, item="file", load=busy).endswith("(measured on a busy machine: no verdict)")


def test_figures_keeps_the_figures_a_ratio_has() -> None:
    assert [lesson.figures(v) for v in (1.0, 0.953, 3.98, 17.4, 2729.0)] == ["1.0", "0.95", "4.0", "17", "2,729"]
    assert lesson.figures(float("nan")) == "—" and lesson.figures(19.93, 3) == "19.9"


@pytest.mark.go
def test_placeholders_and_comment_groups() -> None:
    broken = gokit.parse("package main\n\nfunc f() int {\n\treturn -\n}\n")
    holes = _frame(lesson.placeholders(broken))
    assert list(holes.columns) == ["placeholder", "at", "source it covers"]
    assert len(holes) >= 1 and all(k.startswith("Bad") for k in holes["placeholder"])
    fine = _frame(lesson.placeholders(gokit.parse(SNIPPET)))
    assert fine.empty
    doc = "package main\n\n// T is a type.\ntype T int\n\nfunc main() {} // end\n"
    groups = _frame(lesson.comment_groups(gokit.parse(doc)))
    assert list(groups["comment"]) == ["// T is a type.", "// end"]
    assert list(groups["field"])[0] == "Doc" and groups["held by"][0].startswith("GenDecl")


ABS = "package main\n\nfunc abs(n int) int {\n\tif n < 0 {\n\t\treturn -n\n\t}\n\treturn n\n}\n\nfunc main() { println(abs(-2)) }\n"


@pytest.mark.go
def test_delimiters_kept_counts_tokens_against_nodes_and_finds_the_braces() -> None:
    toks, tree = gokit.tokens(ABS), gokit.parse(ABS)
    kept = lesson.delimiters_kept(toks, tree, "abs")
    delims = int(toks.token.isin(["LPAREN", "RPAREN", "LBRACE", "RBRACE", "SEMICOLON"]).sum())
    assert kept.sentence.startswith(f"{len(toks)} tokens, {delims} of them delimiters")
    assert f"{len(tree)} syntax-tree nodes, none of them with a field for a semicolon." in kept.sentence
    rows = kept.frame.set_index("field")
    assert rows.loc["Lbrace", "position"] == "3:21" and rows.loc["Lbrace", "the source there"] == "{"
    assert rows.loc["Rbrace", "position"] == "8:1" and rows.loc["Rbrace", "the source there"] == "}"
    assert "the body of abs" in kept._repr_html_() and repr(kept) == kept.sentence
    empty = "package main\n\nfunc main() {\n\t;\n}\n"   # an empty statement has a Semicolon field
    assert "1 of them with a field for a semicolon" in lesson.delimiters_kept(
        gokit.tokens(empty), gokit.parse(empty), "main").sentence


@pytest.mark.go
def test_ir_beside_ast_puts_the_compilers_ir_of_one_function_next_to_go_ast() -> None:
    tree = gokit.parse(ABS)
    page = lesson.ir_beside_ast(gokit.build(ABS, gcflags="-W"), tree, "abs")._repr_html_()
    assert "go/ast (go/parser)" in page and "before walk" in page
    assert "FuncDecl abs" in page and "IfStmt" in page and "main" not in page.split("FuncDecl abs")[0]
    assert "PPARAM" in page and "println" not in page   # abs's IR only, not main's
    with pytest.raises(gokit.errors.UsageError, match="gcflags"):
        lesson.ir_beside_ast(gokit.build(ABS), tree, "abs")


@pytest.mark.go
def test_passes_compared_counts_passes_and_names_the_skipped(tc) -> None:
    src = "package main\n\nfunc sum(xs []int) (s int) {\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn\n}\n\n" \
          "func main() { println(sum([]int{1, 2})) }\n"
    fn, noopt = gokit.ssa(src, "sum"), gokit.ssa(src, "sum", gcflags="-N -l")
    told = lesson.passes_compared(fn, noopt)
    rows = told.frame.set_index("compiled with")
    assert rows.loc["default", "passes ran"] == len(fn.ran) > rows.loc["-N -l", "passes ran"] == len(noopt.ran)
    skipped = [n for n in fn.pass_names if n not in noopt.pass_names]
    assert told.sentence.startswith(f"{len(skipped)} passes of sum did not run with `-N -l`: ")
    assert "`prove`" in told.sentence and "<code>prove</code>" in told._repr_html_()


GENERIC = """package main

type Number interface{ ~int | ~float64 }

func Sum[T Number](xs ...T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total
}

type Counter struct{ n int }

func (c *Counter) Inc() { c.n++ }

func main() {
	c := &Counter{}
	k := 2
	next := func() int { c.Inc(); return c.n + k }
	println(Sum(1, 2), Sum(1.5), next())
}
"""


@pytest.mark.go
def test_instances_and_captures_read_a_typecheck() -> None:
    t = gokit.typecheck(GENERIC)
    page = lesson.instances(t)._repr_html_()
    assert "type arguments" in page and "float64" in page and "int" in page
    closure = lesson.captures(t, outer="main")
    assert closure.sentence == "func() int { c.Inc(); return c.n + k } has type func() int; it captures: c, k"
    assert list(closure.frame.columns) == ["pos", "name", "kind", "type", "scope", "decl"]
    assert set(closure.frame["name"]) == {"c", "k"} and len(closure.frame) == 3   # c used twice
    with pytest.raises(gokit.errors.UsageError, match="function literal"):
        lesson.captures(t, nth=1)


def test_files_marked_reads_only_the_head_of_non_test_files(tmp_path) -> None:
    (tmp_path / "a.go").write_text("// Code generated by x; DO NOT EDIT.\npackage p\n")
    (tmp_path / "b.go").write_text("package p\n" + "\n" * 400 + "// Code generated by x\n")
    (tmp_path / "c_test.go").write_text("// Code generated by x\npackage p\n")
    marked, files = lesson.files_marked(tmp_path, "Code generated by")
    assert [p.name for p in marked] == ["a.go"] and [p.name for p in files] == ["a.go", "b.go"]


@pytest.mark.go
def test_std_deps_lists_a_package_after_what_it_imports(tc) -> None:
    deps = lesson.std_deps("errors", toolchain=tc)
    assert deps[-1] == "errors" and "internal/reflectlite" in deps
    assert deps.index("internal/reflectlite") < deps.index("errors")
    compiler = lesson.std_deps("cmd/compile", toolchain=tc)
    assert "cmd/compile/internal/types2" in compiler and "go/types" not in compiler


@pytest.mark.go
def test_typecheck_scaling_checks_a_package_and_its_deps_and_fits_them(tc) -> None:
    s = lesson.typecheck_scaling("errors", runs=1, leave_out=["runtime"], toolchain=tc)
    checked = set(s.checks["path"])
    assert "errors" in checked and "runtime" not in checked and "unsafe" not in checked
    assert checked <= set(lesson.std_deps("errors", toolchain=tc)) and (s.checks["errors"] == 0).all()
    assert len(s.fit.x) == len(s.checks) >= 3 and list(s.fit.labels) == list(s.checks["path"])
    assert s.left_out["runtime"] > 1_000_000                      # the runtime is megabytes of Go
    assert s.summary.startswith(f"{len(s.checks)} packages, ") and "left out: runtime (" in s.summary
    assert "fitted over" in lesson.fit_conclusion(s.fit, items="packages", item="package", load=s.load).lower()
