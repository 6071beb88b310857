"""gokit.lesson's helpers for single lessons (the size fit's conclusion: tests/test_lesson_front.py):
diagrams at natural size with no text under 11 px (01, 03), gofmt and the brace table (01), the SSA size chart
(03)."""
from __future__ import annotations

import re

import numpy as np
import pytest

import gokit
from gokit import bench, lesson
from gokit.errors import UsageError


@pytest.mark.go
def test_diagram_keeps_natural_size_and_no_text_under_the_minimum() -> None:
    tree = gokit.parse("package main\n\nfunc abs(n int) int {\n\tif n < 0 {\n\t\treturn -n\n\t}\n\treturn n\n}\n")
    g = tree.to_graphviz(root="abs")
    assert 'size="' in g.source and "fontsize=8" in g.source   # what it fixes: a box to shrink into, 8 pt labels
    d = lesson.diagram(g)
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', d.svg_text)]
    assert sizes and min(sizes) * 4 / 3 >= 11
    assert "scale(1 1)" in d.svg_text or "scale(1.0 1.0)" in d.svg_text   # drawn at its natural size
    page = d._repr_html_()
    assert "overflow-x:auto" in page and "max-width:none" in page and d.width_px > 100
    assert lesson.diagram(g, min_px=16).svg_text.count('font-size="12.00"') > 0
    with pytest.raises(UsageError):
        lesson.diagram(42)
    with pytest.raises(UsageError):
        lesson.diagram(g, min_px=2)


@pytest.mark.go
def test_gofmt_shows_what_the_parser_read_or_its_error() -> None:
    assert "switch x; {" in lesson.gofmt("package main\n\nfunc main() {\n\tx := 1\n\tswitch x\n\t{\n\t}\n}\n")
    assert "\tfor {\n" in lesson.gofmt("package main\n\nfunc main() {\n\tfor\n\t{\n\t\tbreak\n\t}\n}\n")
    assert lesson.gofmt("package main\n\nfunc main()\n{\n}\n") == \
        "main.go:4:1: unexpected semicolon or newline before {"


@pytest.mark.go
@pytest.mark.parametrize("go", ["1.27", "1.22"])
def test_brace_table_says_where_a_semicolon_went_and_what_each_checker_said(go: str, tc, tc122) -> None:
    t = tc if go == "1.27" else tc122
    table = lesson.brace_table({
        "func header": "func main()\n{\n}\n",
        "bare for": "func main() {\n\tfor\n\t{\n\t\tbreak\n\t}\n}\n",
        "switch x": "func main() {\n\tx := 1\n\tswitch x\n\t{\n\tcase 1:\n\t}\n}\n",
    }, toolchain=t)
    f = table.frame.set_index("program")
    assert f.loc["func header", "ends_in"] == ")" and f.loc["func header", "inserted"] == "yes"
    assert f.loc["func header", "parser"] == "4:1: unexpected semicolon or newline before {"
    assert f.loc["func header", "types"] == lesson.NOT_MEASURED
    assert (f.loc["bare for", "token"], f.loc["bare for", "inserted"], f.loc["bare for", "parser"],
            f.loc["bare for", "types"]) == ("FOR", "no", "parses", "no errors")
    assert f.loc["switch x", "inserted"] == "yes" and f.loc["switch x", "parser"] == "parses"
    assert "x (variable of type int) is not used" in f.loc["switch x", "types"]
    page = table._repr_html_()
    assert "package main" in page and "a semicolon is inserted" in page and "\\n" not in page
    with pytest.raises(UsageError):
        lesson.brace_table({"no brace": "func main() {}\n"})


@pytest.mark.go
def test_ssa_sizes_labels_each_state_with_the_pass_number_the_explorer_uses() -> None:
    src = "package main\n\nfunc sum(xs []int) int {\n\ts := 0\n\tfor i := 0; i < len(xs); i++ {\n" \
          "\t\ts += xs[i]\n\t}\n\treturn s\n}\n\nfunc main() { println(sum(nil)) }\n"
    fn = gokit.ssa(src, "sum")
    fig = lesson.ssa_sizes(fn)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    changed = fn.summary[fn.summary.changed]
    assert labels == [f"{i} · {p}" for i, p in zip(changed.index, changed["pass"])]
    assert any(lab.endswith("· prove") for lab in labels)


def test_columns_puts_texts_side_by_side_unwrapped() -> None:
    page = lesson.columns({"go/ast": "File\n  Decls", "IR <walk>": ". IF"})._repr_html_()
    assert page.count("<pre") == 2 and "IR &lt;walk&gt;" in page and "white-space:pre" in page
    assert "flex-wrap:wrap" in page and "max-content" in page   # too narrow for both: the second goes under
    with pytest.raises(UsageError):
        lesson.columns({})


SUM = ("package main\n\nfunc sum(xs []int) int {\n\ts := 0\n\tfor i := 0; i < len(xs); i++ {\n"
       "\t\ts += xs[i]\n\t}\n\treturn s\n}\n\nfunc main() { println(sum(nil)) }\n")


@pytest.mark.go
@pytest.mark.parametrize("go", ["1.27", "1.22"])
def test_ssa_fate_follows_the_dead_bounds_check_to_the_pass_that_removes_it(go: str, tc, tc122) -> None:
    t = tc if go == "1.27" else tc122
    fn = gokit.ssa(SUM, "sum", toolchain=t)
    fate = lesson.ssa_fate(fn, "IsInBounds", "PanicBounds", since="prove", go=t.version)
    f = fate.frame
    assert list(f["after pass"][:2]) == [fn.passes[fn.pass_("prove").index - 1].name, "prove"]
    assert list(f["IsInBounds"][:2]) == ["live", "dead"]
    gone = f[f.IsInBounds == "gone"].iloc[0]["after pass"]
    # a rewrite pass that removes dead values: divisible on 1.27; on 1.22 decompose builtin keeps it, late opt not
    assert gone == ("divisible" if go == "1.27" else "late opt")
    assert f.iloc[-1]["block calling PanicBounds"] == "gone"
    assert fate.sentence.startswith(f"On go{t.version} the IsInBounds value went in #")
    assert f"{gone}, the block calling PanicBounds in #" in fate.sentence
    assert "<table" in fate._repr_html_()
    with pytest.raises(UsageError):
        lesson.ssa_fate(fn, "IsInBounds", "PanicBounds", since="no such pass")


@pytest.mark.go
def test_ssa_changes_names_what_a_pass_changed_even_when_the_diff_is_empty() -> None:
    fn = gokit.ssa(SUM, "sum")
    rows = lesson.ssa_changes(fn).set_index("pass")
    assert rows.loc["number lines", "what changed"].endswith("statement marks moved")
    assert rows.loc["schedule", "what changed"] == "values reordered"
    assert rows.loc["before insert phis", "what changed"] == "the function as first built"
    every = lesson.ssa_changes(fn, every=True)
    assert list(every["#"]) == list(range(len(fn.passes)))
    assert "no change" in set(every["what changed"])
