"""The four explorers in a real headless Chromium (see tests/browser.py): exported to a page opened from disk with the
network cut off, every control driven and the view checked against the models; one explorer as a fragment in a foreign
page with its own CSS and at phone width; and the same explorers live in JupyterLab (clicks reach Python, Python's
changes reach the view, a choice that needs a new compile is compiled by the kernel)."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from browser import count_colour, crop, image, is_blank, lab, lab_session  # noqa: F401 - fixtures by name

pytestmark = [pytest.mark.browser, pytest.mark.go, pytest.mark.timeout(600)]

SSA_SRC = '''package main

func sum(xs []int) int {
	s := 0
	for i := 0; i < len(xs); i++ {
		s += xs[i]
	}
	return s
}

func main() { println(sum([]int{1, 2, 3})) }
'''
AST_SRC = '''package main

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func main() { println(abs(-3) + 1) }
'''
ASM_SRC = '''package main

import "fmt"

var greeting = "hello"

func add(a, b int) int { return a + b }

func main() {
	fmt.Println(greeting, add(1, 2))
}
'''
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
	total := 0
	for i := 1; i <= 200000; i++ {
		total += digitSum(i)
	}
	println(total)
}
'''
CELL_RE = re.compile(r"<tr><th[^>]*>(.*?)</th><td[^>]*><code>(.*?)</code></td></tr>", re.DOTALL)


@pytest.fixture(scope="module")
def made(tc, tc122, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The four explorers on small programs like the lessons', their models, and a lesson-like notebook of them with
    saved outputs (as JupyterLab saves them), exported with --offline."""
    import nbformat.v4 as v4

    import gokit
    from gokit.faces.export import export_notebook
    from gokit.views.explorers.journey import JourneyExplorer
    from test_export import new_notebook

    fn = gokit.ssa(SSA_SRC, "sum")
    tree, types = gokit.parse(AST_SRC), gokit.typecheck(AST_SRC)
    a = gokit.asm(ASM_SRC)
    journey = gokit.follow(JOURNEY_SRC, 8)
    prof = gokit.profile(JOURNEY_SRC, seconds=0.3)
    # what a lesson's `.explore()` makes (the journey: a few lines only, so that one is left to a running notebook)
    ex = {"ssa": fn.explore(), "ast": tree.explore(types), "asm": a.explore("main", compare=tc122),
          "journey": JourneyExplorer(journey, profile=prof, lines=[6, 8, 16, 17])}
    cells = [v4.new_markdown_cell("# Four explorers\n\nA page like an exported lesson.")]
    for k, x in ex.items():
        data, meta = x._repr_mimebundle_()
        cells.append(v4.new_code_cell(f"{k}.explore()", execution_count=len(cells),
                                      outputs=[v4.new_output("display_data", data=data, metadata=meta)]))
    d = tmp_path_factory.mktemp("explorers")
    nb = new_notebook(cells, d / "four.ipynb")
    info = export_notebook(nb, d / "four.html", execute_cells=False, offline=True)
    return {"ex": ex, "fn": fn, "tree": tree, "types": types, "asm": a, "tc122": tc122, "journey": journey,
            "profile": prof, "page": info.path, "dir": d}


# in an explorer's shadow root: what is cut off (text that does not fit and does not scroll, a pane that scrolls
# sideways — the CFG may: its text is never shrunk; so may a pane of Go source: its lines are never wrapped), and
# what text is under 11 px
SCROLLS_SIDEWAYS = ".tabpane[data-pane=CFG], .gokit-ssa-sources, .gokit-journey .src, .source, .gokit-asm-source"
JS_CLIPPED = """root => {
  const bad = [];
  for (const e of root.querySelectorAll('*')) {
    const s = getComputedStyle(e);
    if (e.tagName === 'STYLE' || s.display === 'none' || !e.getClientRects().length) continue;
    const scrolls = s.overflowX === 'auto' || s.overflowX === 'scroll';
    if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && !(e instanceof SVGElement)) {
      if (!scrolls && s.overflowX !== 'visible') bad.push('cut: ' + e.className);
      if (scrolls && !e.matches('SCROLLS_SIDEWAYS')) bad.push('scrolls sideways: ' + e.className);
    }
  }
  if (root.scrollWidth > root.clientWidth + 1) bad.push('the explorer is wider than its place');
  return bad;
}""".replace("SCROLLS_SIDEWAYS", SCROLLS_SIDEWAYS)
JS_SMALL = """root => {
  const out = new Set();
  for (const e of root.querySelectorAll('*')) {
    if (e.tagName === 'STYLE' || !e.getClientRects().length) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && parseFloat(getComputedStyle(e).fontSize) < 11) out.add(e.tagName + '.' + e.className.baseVal || e.className);
  }
  return [...out];
}"""


def box(p, kind: str):
    """The explorer of this kind on the page (Playwright's CSS locators reach into its shadow root)."""
    return p.page.locator(f".gokit-explorer[data-gokit-kind='{kind}']")


def rows(table) -> list[tuple[str, str]]:
    return [(r.locator("th").inner_text(), r.locator("td").inner_text()) for r in table.locator("tr").all()]


def focus_shows(loc) -> bool:
    """The focused element draws a visible focus ring (its outline)."""
    return loc.evaluate("e => { const s = getComputedStyle(e); return s.outlineStyle !== 'none' && "
                        "parseFloat(s.outlineWidth) >= 2 }")


# ---------------------------------------------------------------- exported, opened from disk, offline


def test_the_exported_page_loads_nothing_and_holds_each_module_once(lab, made) -> None:
    page = made["page"].read_text()
    for kind in ("ssa", "ast", "asm", "journey"):
        assert len(re.findall(r'data-gokit-module="' + kind + r'-', page)) == 1
    assert not re.findall(r'<script[^>]+src="http', page) and "widget-state+json" not in page
    with lab.open_static(made["page"]) as p:
        for kind in ("ssa", "ast", "asm", "journey"):
            box(p, kind).locator(".gx").wait_for()
            assert box(p, kind).locator(".gokit-explorer-fallback").count() == 0
        assert p.blocked == [], f"an offline page asked the network for {p.blocked}"


@pytest.mark.parametrize("width", [880, 375])   # a JupyterLab output with the file browser open, a phone
def test_nothing_clipped_and_nothing_under_11px(lab, made, width: int) -> None:
    with lab.open_static(made["page"], viewport={"width": width, "height": 900}) as p:
        for kind in ("ssa", "ast", "asm", "journey"):
            root = box(p, kind).locator(".gx")
            root.wait_for()
            if kind == "ssa":      # every tab drawn once
                for tab in ("listing", "side by side", "every pass", "CFG"):
                    root.locator(f"button[data-tab='{tab}']").click()
            assert root.evaluate(JS_CLIPPED) == [], kind
            assert root.evaluate(JS_SMALL) == [], kind
        assert p.page.evaluate("() => document.documentElement.scrollWidth") <= width + 1


# the CFG and the Go source at a reader's width: a CFG no wider than the explorer is in sight whole (no box cut at its
# pane's edge), a wider one in a pane that scrolls to every box; each line of Go source on one line (a pane of source
# scrolls sideways rather than wrap its code)
JS_LAYOUT = """root => {
  const bad = [];
  const svg = root.querySelector('svg.cfg');
  if (svg && svg.getClientRects().length) {
    const pane = svg.closest('.tabpane'), ps = getComputedStyle(pane);
    const room = pane.clientWidth - parseFloat(ps.paddingLeft) - parseFloat(ps.paddingRight);
    const w = svg.getBoundingClientRect().width;
    if (w <= root.clientWidth - 12 && w > room + 1) bad.push(`the CFG (${w} px) is cut at its pane (${room} px)`);
    if (ps.overflowX !== 'auto' || pane.scrollWidth < w) bad.push('the CFG pane does not scroll to all of it');
    const left = pane.getBoundingClientRect().left - pane.scrollLeft;
    for (const r of svg.querySelectorAll('g.blk rect')) {
      if (r.getBoundingClientRect().right > left + pane.scrollWidth + 1) bad.push('a block out of reach');
    }
  }
  for (const e of root.querySelectorAll('.jline .code, .gokit-ssa-sources .sl, .source .sl, .gokit-asm-source .code')) {
    if (!e.textContent.trim() || !e.getClientRects().length) continue;
    const s = getComputedStyle(e), lh = parseFloat(s.lineHeight) || 1.2 * parseFloat(s.fontSize);
    if (e.getBoundingClientRect().height > 1.5 * lh) bad.push('wrapped: ' + e.textContent.trim().slice(0, 50));
  }
  return bad;
}"""

#: Go source with a line longer than a narrow column holds (lesson 08's program has such comments)
LONG_SRC = JOURNEY_SRC.replace("var base = 10", "// base is a variable: the compiler cannot know its value, so it must "
                               "really divide.\nvar base = 10")


def layout_bad(root) -> list[str]:
    return root.evaluate(JS_LAYOUT) + root.evaluate(JS_CLIPPED) + [f"under 11 px: {s}" for s in
                                                                   root.evaluate(JS_SMALL)]


@pytest.mark.parametrize("width", [960, 1280])   # the explorer as wide as in JupyterLab at 1280x800 with the file
def test_the_cfg_in_sight_and_go_source_unwrapped(lab, made, width: int) -> None:   # browser open; without it
    """Readers at 1280x800 found lesson 03's CFG cut at its pane's edge and lesson 08's source wrapped into a narrow
    column: in an exported page, every explorer at these widths shows every CFG box and Go lines whole."""
    with lab.open_static(made["page"], viewport={"width": width, "height": 800}) as p:
        for kind in ("ssa", "journey", "ast", "asm"):
            root = box(p, kind).locator(".gx")
            root.wait_for()
            assert layout_bad(root) == [], kind
            p.screenshot(f".gokit-explorer[data-gokit-kind='{kind}']")
        x = box(p, "ssa")
        for i in range(int(x.locator("input[type=range]").get_attribute("max")) + 1):   # every pass's CFG
            x.locator("select[aria-label='pass']").first.select_option(str(i))
            assert x.locator(".gx").evaluate(JS_LAYOUT) == [], i


#: a function whose CFG is wider than a notebook (a switch of seven cases: its blocks side by side)
WIDE_SRC = """package main

func classify(n int) string {
	switch {
	case n < 0:
		return "negative"
	case n == 0:
		return "zero"
	case n < 10:
		return "small"
	case n < 100:
		return "medium"
	case n < 1000:
		return "large"
	case n%2 == 0:
		return "huge even"
	default:
		return "huge odd"
	}
}

func main() { println(classify(5)) }
"""


def test_the_cfg_and_go_source_in_a_blog_fragment(lab, made) -> None:
    """The SSA and journey explorers as `gokit.embed` fragments in a page column as wide as a notebook's; a CFG
    wider than the column scrolls in its pane, says so, and starts with its entry block in sight."""
    import gokit
    from gokit.views.explorers.journey import JourneyExplorer

    journey = JourneyExplorer(gokit.follow(LONG_SRC, 9), lines=[9])
    wide = gokit.ssa(WIDE_SRC, "classify").explore()
    blog = made["dir"] / "column.html"
    blog.write_text("<!doctype html><html><head><meta charset='utf-8'></head><body style='width: 830px'><h1>Post</h1>"
                    f"{gokit.embed(made['ex']['ssa'])}<p>Between.</p>{gokit.embed(journey)}<p>And.</p>"
                    f"{gokit.embed(wide)}</body></html>")
    with lab.open_static(blog, viewport={"width": 1280, "height": 800}) as p:
        for kind in ("ssa", "journey"):
            root = box(p, kind).first.locator(".gx")
            root.wait_for()
            assert layout_bad(root) == [], kind
        assert "really divide." in box(p, "journey").locator(".jline[data-line='3'] .code").inner_text()
        assert box(p, "ssa").first.locator(".cfgwide").is_hidden(), "no hint where the CFG fits"
        x = box(p, "ssa").nth(1)
        root = x.locator(".gx")
        assert layout_bad(root) == []
        assert x.locator(".cfgwide").is_visible() and "scroll sideways" in x.locator(".cfgwide").inner_text()
        pane = x.locator(".tabpane[data-pane=CFG]")
        assert pane.evaluate("e => e.scrollWidth > e.clientWidth + 100 && e.scrollLeft > 0")
        assert root.evaluate("""r => { const p = r.querySelector('.tabpane[data-pane=CFG]').getBoundingClientRect();
          const top = [...r.querySelectorAll(
          'g.blk rect')].sort((a, c) => a.getBoundingClientRect().top - c.getBoundingClientRect().top)[0]
          .getBoundingClientRect(); return top.left >= p.left && top.right <= p.right; }"""), "the entry block in sight"
        p.screenshot()


def test_ssa_every_control_offline(lab, made) -> None:
    fn = made["fn"]
    with lab.open_static(made["page"]) as p:
        x = box(p, "ssa")
        title = x.locator(".title")
        assert "after pass lower" in title.inner_text()
        # the picker and the slider agree (the exported page left the view on `lower`)
        sc = fn.pass_("short circuit")
        x.locator("select[aria-label='pass']").first.select_option(str(sc.index))
        assert f"after pass short circuit (pass {sc.index} of" in title.inner_text()
        assert x.locator("input[type=range]").input_value() == str(sc.index)
        # the slider, with the keyboard
        slider = x.locator("input[type=range]")
        slider.focus()
        slider.press("ArrowLeft")
        assert x.locator("select[aria-label='pass']").first.input_value() == str(sc.index - 1)
        assert f"after pass {fn.passes[sc.index - 1].name} " in title.inner_text()
        slider.press("ArrowRight")
        # the listing of the pass: exactly its values
        x.locator("button[data-tab='listing']").click()
        listing = x.locator(".tabpane[data-pane='listing']")
        assert [int(v) for v in listing.locator(".v").evaluate_all("es => es.map(e => e.dataset.v)")] == \
            [v.id for v in sc.values]
        # arrow keys on a pane step passes; the focus ring shows
        listing.focus()
        listing.press("ArrowRight")
        assert f"after pass {fn.passes[sc.index + 1].name} " in title.inner_text()
        assert focus_shows(listing)
        listing.press("Home")
        assert f"after pass {fn.passes[0].name} " in title.inner_text()
        x.locator("select[aria-label='pass']").first.select_option(str(fn.pass_("lower").index))
        # compare with any other pass: the diff and both listings
        x.locator("select[aria-label='compare with']").select_option("1")
        want = fn.diff("start", "lower")
        assert "diff: start → lower" in x.locator(".difftitle").inner_text()
        assert want.summary() in x.locator(".diff").inner_text()
        x.locator("button[data-tab='side by side']").click()
        cmp = x.locator(".gokit-ssa-compare")
        assert cmp.locator(".cmphead").all_inner_texts()[0].startswith("1: start")
        assert cmp.locator(".cmpcol").nth(0).locator(".v.gone").count() == len(want.removed_values)
        assert cmp.locator(".cmpcol").nth(1).locator(".v.chg").count() == len(want.changed_values + want.added_values)
        # a value: its source line, its block in the CFG, every pass
        lower = fn.pass_("lower")
        phi = next(v for v in lower.values if v.op == "Phi" and "i[int]" in v.names)
        x.locator("select.values").select_option(str(phi.id))
        assert x.locator(".gokit-ssa-sources .sl.lit").get_attribute("data-line") == str(phi.line)
        assert f"v{phi.id} comes from line {phi.line}" in x.locator(".gokit-ssa-sources").inner_text()
        x.locator("button[data-tab='CFG']").click()
        cfg = x.locator("svg.cfg")
        from gokit.views.ssa import is_removed

        assert cfg.locator("g.blk").count() == len([b for b in lower.blocks if not is_removed(b)])
        assert cfg.locator("g.blk.lit title").text_content() == f"b{phi.block}"
        assert cfg.locator(f"text.gokit-picked[data-v='{phi.id}']").count() == 1
        x.locator("button[data-tab='every pass']").click()
        columns = {}
        for q in fn.passes:
            columns[q.column] = q
        holding = [c for c, q in columns.items() if any(v.id == phi.id for v in q.values)]
        assert x.locator(".gokit-ssa-every-table td.gokit-picked").count() == len(holding) > 10
        x.locator("details.allcols summary").click()
        x.locator(".gokit-ssa-every .gokit-picked").first.wait_for()
        # a click on a value in the CFG picks it, as in ssa.html
        x.locator("button[data-tab='CFG']").click()
        other = next(v for v in lower.values if v.op.startswith("ADDQ"))
        cfg.locator(f"text[data-v='{other.id}']").click()
        assert x.locator("select.values").input_value() == str(other.id)
        assert x.locator(".gokit-ssa-sources .sl.lit").get_attribute("data-line") == str(other.line)
        assert p.blocked == []


def test_ast_every_control_offline(lab, made) -> None:
    tree, types = made["tree"], made["types"]
    with lab.open_static(made["page"]) as p:
        x = box(p, "ast")
        cond = tree.find("BinaryExpr")[0]
        x.locator(f".nodes .node[data-node='{cond.id}']").click()
        assert "\n".join(x.locator("mark.gokit-span").all_inner_texts()) == tree.text(cond) == "n < 0"
        want = [(html.unescape(k), html.unescape(v)) for k, v in CELL_RE.findall(tree.fields_html(cond, types,
                                                                                                    hide_empty=True))]
        assert rows(x.locator("table.gokit-fields")) == want
        # a source line picks its innermost node
        lines = AST_SRC.split("\n")
        ret = next(i for i, t in enumerate(lines, 1) if t.strip() == "return -n")
        x.locator(f".source .sl[data-line='{ret}']").click()
        assert x.locator(".nodes .node.on").get_attribute("data-node") == str(tree.node_at(ret).id)
        assert "\n".join(x.locator("mark.gokit-span").all_inner_texts()) == "return -n"
        # arrow keys step lines in the source, and nodes in the list
        src = x.locator(".source")
        src.focus()
        src.press("ArrowDown")
        assert focus_shows(src)
        below = tree.node_at(ret + 1)
        assert x.locator(".nodes .node.on").get_attribute("data-node") == str(below.id)
        nodes = x.locator(".nodes")
        nodes.focus()
        nodes.press("ArrowDown")
        outline = [nid for _, nid in tree.outline()]
        assert x.locator(".nodes .node.on").get_attribute("data-node") == str(outline[outline.index(below.id) + 1])
        # the toggles
        x.locator(f".nodes .node[data-node='{cond.id}']").click()
        x.get_by_text("hide positions").click()
        assert "span" not in [k for k, _ in rows(x.locator("table.gokit-fields"))]
        x.get_by_text("hide empty fields").click()
        want = [(html.unescape(k), html.unescape(v)) for k, v in CELL_RE.findall(tree.fields_html(
            cond, types, hide_empty=False, hide_positions=True))]
        assert rows(x.locator("table.gokit-fields")) == want
        assert p.blocked == []


def test_asm_every_control_offline(lab, made) -> None:
    a, v122 = made["asm"], made["tc122"].version
    with lab.open_static(made["page"]) as p:
        x = box(p, "asm")
        heads = x.locator(".gokit-asm-code h4").all_inner_texts()
        assert heads[0].startswith(f"go{a.go} linux/amd64 — main.main") and heads[1].startswith(f"go{v122} linux/amd64")
        fn = a.function("main")
        rels = sum(len(i.relocations) for i in fn.machine_instructions)
        assert x.locator(".gokit-asm-code").nth(0).locator(".rel").count() == rels > 0
        # a source line: its band, its instructions counted for both Go versions
        line = next(i.line for i in fn.machine_instructions if i.file == "main.go" and i.relocations)
        x.locator(f".gokit-asm-source .row[data-line='{line}']").click()
        n27 = sum(1 for i in fn.machine_instructions if i.line == line and i.file == "main.go")
        import gokit

        a122 = gokit.asm(ASM_SRC, toolchain=made["tc122"])
        n22 = sum(1 for i in a122.function("main").machine_instructions if i.line == line and i.file == "main.go")
        assert x.locator(".status").inner_text() == (f"line {line} → go{a.go} amd64: {n27} instruction"
                                                     f"{'s' if n27 != 1 else ''}; go{v122} amd64: {n22} instruction"
                                                     f"{'s' if n22 != 1 else ''}")
        assert x.locator(".gokit-asm-code .row.picked").count() == n27 + n22
        # arrow keys step through the function's lines
        panes = x.locator(".gokit-asm")
        panes.focus()
        panes.press("ArrowDown")
        used = sorted({i.line for i in fn.machine_instructions if i.file == "main.go"})
        assert x.locator(".status").inner_text().startswith(f"line {used[used.index(line) + 1]} →")
        # GOARCH, computed when the explorer was made: arm64 for both Go versions
        x.locator("select[aria-label='GOARCH']").select_option("arm64")
        arm = gokit.asm(ASM_SRC, goarch="arm64").function("main")
        code = x.locator(".gokit-asm-code").nth(0)
        assert code.locator("h4").inner_text().startswith(f"go{a.go} linux/arm64")
        assert code.locator(".op").all_inner_texts() == [i.op for i in arm.machine_instructions]
        assert "R_CALLARM64" in code.inner_text()
        # one Go version alone; FUNCDATA/PCDATA rows
        x.locator("select[aria-label='Go version']").select_option(v122)
        assert x.locator(".gokit-asm-code").count() == 1 and v122 in x.locator(".gokit-asm-code h4").inner_text()
        assert x.locator(".op.pseudo").count() == 0
        x.get_by_text("FUNCDATA/PCDATA", exact=True).click()
        assert x.locator(".op.pseudo").count() > 0
        # another function
        x.locator("select[aria-label='function']").select_option("main.add")
        assert "main.add" in x.locator(".gokit-asm-code h4").inner_text()
        # a GOARCH nobody compiled: the page says what it would take
        x.locator("select[aria-label='GOARCH']").select_option("386")
        assert "needs a new compile" in x.locator(".status .note").inner_text()
        assert p.blocked == []


def test_journey_every_control_offline(lab, made) -> None:
    import gokit

    j, prof = made["journey"], made["profile"]
    with lab.open_static(made["page"]) as p:
        x = box(p, "journey")
        assert x.locator(".jhead").inner_text().startswith("main.go:8")
        # profile samples painted on the source
        hot = prof.hottest_line()
        assert x.locator(f".jline[data-line='{hot}'] .pct").inner_text().endswith("%")
        # any line: click it
        x.locator(".jline[data-line='6']").click()
        j6 = gokit.follow(JOURNEY_SRC, 6)
        assert x.locator(".jhead").inner_text().startswith("main.go:6")
        assert x.locator(".jcol").nth(0).locator(".tok").count() == len(j6.tokens)
        # arrow keys step to the next line with code
        src = x.locator(".src")
        src.focus()
        src.press("ArrowDown")
        assert focus_shows(src)
        assert x.locator(".jhead").inner_text().startswith("main.go:7")
        assert "needs a new compile" in x.locator(".status").inner_text()   # line 7 was not followed when made
        x.locator("select[aria-label='line']").select_option("8")
        # the SSA pass picker
        x.locator("select[aria-label='SSA pass']").select_option("lower")
        ssa = x.locator(".jcol.wrap")
        assert "SSA after lower" in ssa.locator("h4").inner_text()
        want = j.ssa_at("lower")
        got = [r.split("\n")[0] for r in ssa.locator(".jrow").all_inner_texts()]
        assert len(got) == len(want) and all(g.startswith(t) for g, t in zip(got, want["text"]))
        # an instruction: click it (no hover needed) for the SSA value it came from
        row = next(r for r in j.asm.itertuples() if not r.pseudo and r.ssa)
        ins = x.locator(f".jrow.ins[data-pc='{row.pc}'][data-fn='{row.function}']")
        ins.click()
        assert row.ssa in x.locator(".detail").inner_text()
        assert x.locator(f".jcol.wrap .jrow.linked[data-value='{int(row.ssa_id)}']").count() >= 0
        ins.press("ArrowDown")                       # the next instruction, with the keyboard
        assert x.locator(".detail").count() == 1 and x.locator(".jrow.ins.picked").get_attribute("data-pc") != str(row.pc)
        assert p.blocked == []


# ---------------------------------------------------------------- one explorer pasted into someone else's page

HOSTILE = """<style>
* { font-size: 30px !important; color: #c00 !important; box-sizing: content-box !important; }
div { padding: 9px; margin: 7px; border: 3px solid green; }
select, input { display: none; }
table td { background: black; }
h1 { font-family: serif; }
</style>"""


def test_a_fragment_in_a_foreign_page_and_at_phone_width(lab, made) -> None:
    import gokit

    frag = gokit.embed(made["ex"]["ssa"])
    assert len(frag.encode()) < 1_000_000, "a one-explorer fragment stays under 1 MB"
    blog = made["dir"] / "blog.html"
    blog.write_text(f"<!doctype html><html><head><meta charset='utf-8'>{HOSTILE}</head><body><h1>My post</h1>"
                    f"<p>Before.</p>{frag}<p>After.</p></body></html>")
    with lab.open_static(blog) as p:
        x = box(p, "ssa")
        title = x.locator(".title")
        title.wait_for()
        assert title.evaluate("e => getComputedStyle(e).fontSize") == "13px", "the page's CSS stays out"
        assert p.page.locator("h1").evaluate("h => getComputedStyle(h).fontFamily") == "serif", "ours stays in"
        assert p.page.locator("p").first.evaluate("e => getComputedStyle(e).color") == "rgb(204, 0, 0)"
        x.locator("select[aria-label='pass']").first.select_option("5")
        assert "(pass 5 of" in title.inner_text()
        assert p.blocked == []
    with lab.open_static(blog, viewport={"width": 375, "height": 800}) as p:
        box(p, "ssa").locator(".gx .title").wait_for()
        over = p.page.evaluate("() => document.documentElement.scrollWidth")
        assert over <= 375 + 1, f"the page scrolls sideways at phone width ({over} px)"
        main = box(p, "ssa").locator(".main")
        assert main.evaluate("e => getComputedStyle(e).flexDirection") == "column", "panes stack on a phone"


# ---------------------------------------------------------------- live in JupyterLab

LIVE_SETUP = f"""import gokit
from gokit.views.explorers.asm import AsmExplorer
from gokit.views.explorers.journey import JourneyExplorer
SSA_SRC, ASM_SRC, JOURNEY_SRC, AST_SRC = {SSA_SRC!r}, {ASM_SRC!r}, {JOURNEY_SRC!r}, {AST_SRC!r}
"""


def output_of(lab, n: int):
    """The output area of code cell n (0-based) of the notebook open now (stays put when cells are added)."""
    return lab.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(n).locator(
        ".jp-OutputArea")


def test_ssa_live_in_lab_talks_both_ways(lab) -> None:
    lab.render_cells([LIVE_SETUP, "x = gokit.ssa(SSA_SRC, 'sum').explore()\nx"], wait_for="svg.cfg g.blk")
    assert not lab.blocked, f"the page tried to reach the network: {lab.blocked}"
    out = output_of(lab, 1)
    assert "after pass lower" in out.locator(".gx .title").inner_text()
    out.locator("select[aria-label='pass']").first.select_option("5")
    assert lab.run_more("print(x.pass_index, x.current.name)").strip() == "5 short circuit"
    lab.run_more("x.select_pass('opt'); x.compare_with('start')")
    out.locator(".gx .title").filter(has_text="after pass opt").wait_for()
    assert "diff: start → opt" in out.locator(".difftitle").inner_text()


def test_asm_live_in_lab_compiles_a_goarch_it_lacks(lab) -> None:
    lab.render_cells([LIVE_SETUP, "a = gokit.asm(ASM_SRC)\n"
                      "x = AsmExplorer(a, 'main', arches=())\nx"], wait_for=".gokit-asm-code .row")
    out = output_of(lab, 1)
    assert out.locator("select[aria-label='GOARCH'] option").all_inner_texts()[:1] == ["amd64"]
    out.locator("select[aria-label='GOARCH']").select_option("riscv64")
    out.locator(".gokit-asm-code h4").filter(has_text="linux/riscv64").wait_for(timeout=120_000)
    assert "R_RISCV_" in out.locator(".gokit-asm-code").inner_text()
    assert lab.run_more("print(sorted(x.data['builds']))").strip().endswith("/riscv64']")


def test_ast_and_journey_live_in_lab(lab) -> None:
    lab.render_cells([LIVE_SETUP, "t = gokit.parse(AST_SRC)\nx = t.explore()\nx"], wait_for="mark.gokit-span")
    output_of(lab, 1).locator(".source .sl[data-line='5']").click()
    assert lab.run_more("print(x.selected.kind, x.line)").strip() == "ReturnStmt 5"
    lab.render_cells([LIVE_SETUP, "j = gokit.follow(JOURNEY_SRC, 8)\n"
                      "x = JourneyExplorer(j, lines=[8])\nx"],
                     wait_for=".jcol h4")
    out = output_of(lab, 1)
    out.locator(".jline[data-line='9']").click()              # not followed when made: the kernel follows it
    out.locator(".jhead").filter(has_text="main.go:9").wait_for(timeout=120_000)
    assert lab.run_more("print(x.line, sorted(x.data['journeys']))").strip() == "9 ['8', '9']"


#: What the SSA explorer paints: a picked value's source line, and the fill of the block that holds it.
LIT_LINE, LIT_BLOCK = "#ffd54f", "#fff8e1"


def test_ssa_pixels_a_picked_value_lights_its_line_and_its_block(lab) -> None:
    """Pixels, live in Lab through `.explore()`: nothing lit at first; a value picked lights its source line (and
    nothing else in that colour) and fills its block in the CFG."""
    import gokit

    lower = gokit.ssa(SSA_SRC, "sum").pass_("lower")
    value = next(v for v in lower.values if v.line == 6 and not v.dead)   # a value of `s += xs[i]`
    r = lab.render_cells([LIVE_SETUP, "gokit.ssa(SSA_SRC, 'sum').explore()"], wait_for="svg.cfg g.blk")
    assert not lab.blocked, f"the page tried to reach the network: {lab.blocked}"
    img = image(r.png)
    assert not is_blank(img) and count_colour(img, LIT_LINE) == 0, "nothing is picked yet"
    r.output.locator("select.values").select_option(str(value.id))
    r2 = r.snapshot(wait_for=".gokit-ssa-sources .sl.lit")
    img2 = image(r2.png)
    x, y, w, h = r2.box(".gokit-ssa-sources .sl.lit")
    line_box = (x - 1, y - 1, w + 2, h + 2)                  # a pixel more on each side: boxes are fractional
    in_line = count_colour(crop(img2, line_box), LIT_LINE)
    assert in_line > 0.3 * w * h, "the value's source line is not lit"
    assert in_line == count_colour(img2, LIT_LINE), "the line's colour shows elsewhere too"
    assert "s += xs[i]" in r2.output.locator(".gokit-ssa-sources .sl.lit").inner_text()
    bbox = r2.box(f"svg.cfg g.blk.lit:has(> title:text-is('b{value.block}'))")
    assert count_colour(crop(img2, bbox), LIT_BLOCK, tol=3) > 0.3 * bbox[2] * bbox[3], "its block is not filled"


def test_asm_pixels_colour_bands_tie_lines_to_instructions(lab) -> None:
    """Pixels, live in Lab through `.explore()`: each source line of the function and its instructions share a
    band colour (the same one Python's static view gives it); a line of another function has none; the bands
    follow a GOARCH switch (arm64, computed when the explorer was made)."""
    import gokit
    from gokit.views.asm import line_colours

    fn = gokit.asm(ASM_SRC).function("main")
    colours = line_colours([i.line for i in fn.machine_instructions if i.file == "main.go"])
    r = lab.render_cells([LIVE_SETUP, "gokit.asm(ASM_SRC).explore('main')"], wait_for=".gokit-asm-code .row")
    img = image(r.png)
    for line in (9, 10):   # `func main() {` and the Println: each its band, in both panes
        src_box, asm_box = r.box(f".gokit-asm-source .row[data-line='{line}']"), \
            r.box(f".gokit-asm-code .row[data-line='{line}']")
        assert count_colour(crop(img, src_box), colours[line], tol=3) > 0.4 * src_box[2] * src_box[3], line
        assert count_colour(crop(img, asm_box), colours[line], tol=3) > 0.4 * asm_box[2] * asm_box[3], line
    other = crop(img, r.box(".gokit-asm-source .row[data-line='7']"))    # add: not main's code, no band
    assert all(count_colour(other, c, tol=3) == 0 for c in colours.values())
    r.output.locator("select[aria-label='GOARCH']").select_option("arm64")
    r2 = r.snapshot(wait_for=".gokit-asm-code h4:has-text('arm64')")
    arm = gokit.asm(ASM_SRC, goarch="arm64").function("main")
    colours = line_colours([i.line for i in arm.machine_instructions if i.file == "main.go"])
    b = r2.box(".gokit-asm-code .row[data-line='10']")
    assert count_colour(crop(image(r2.png), b), colours[10], tol=3) > 0.4 * b[2] * b[3]
    assert "R_CALLARM64" in r2.output.locator(".gokit-asm-code").inner_text()


def test_layout_at_1280x800_with_the_file_browser_open(lab, tc122) -> None:
    """Issue 15's reading: nothing clipped and nothing under 11 px in JupyterLab at 1280×800 with the file browser
    open (Binder's default), the assembly of two Go versions side by side."""
    page = lab.page
    page.set_viewport_size({"width": 1280, "height": 800})
    try:
        page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
        r = lab.render_cells([LIVE_SETUP, "other = gokit.use_go('1.22.10')\n"
                              "x = AsmExplorer(gokit.asm(ASM_SRC), 'main', compare=other, arches=())\nx"],
                             wait_for=".gokit-asm-code .row")
        assert page.locator(".jp-FileBrowser").first.is_visible(), "the file browser is open"
        out = r.output
        clipped = out.locator(".gx").evaluate("""root => {
          const bad = [];
          for (const e of root.querySelectorAll('.args, .code, .pane, h4, .rel, .from, .bar, .status')) {
            if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto') bad.push(e.className + ': ' + e.textContent.slice(0, 40));
          }
          for (const p of root.querySelectorAll('.pane')) if (p.scrollWidth > p.clientWidth + 1) bad.push('pane scrolls sideways');
          if (root.scrollWidth > root.clientWidth + 1) bad.push('explorer wider than the output');
          return bad;
        }""")
        assert clipped == [], clipped
        small = out.locator(".gx").evaluate("""root => {
          const out = new Set();
          const walk = (e) => { for (const c of e.children) { if (c.tagName !== 'STYLE' && c.textContent.trim() &&
            parseFloat(getComputedStyle(c).fontSize) < 11) out.add(c.tagName + '.' + c.className); walk(c); } };
          walk(root); return [...out];
        }""")
        assert small == [], f"text under 11 px: {small}"
        ops = out.locator(".gokit-asm-code").nth(1).locator(".args").all_inner_texts()
        assert any("main.greeting" in o for o in ops), "the Go 1.22 column shows its operands"
    finally:
        page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
        page.set_viewport_size({"width": 1280, "height": 2000})


def test_cfg_and_journey_at_1280x800_with_the_file_browser_open(lab) -> None:
    """Lesson 03's and 08's readings, live: at 1280×800 with the file browser open, every box of the CFG is in
    sight or a scroll away (never cut at the pane's edge) and no line of Go source wraps."""
    page = lab.page
    page.set_viewport_size({"width": 1280, "height": 800})
    try:
        page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
        lab.render_cells([LIVE_SETUP + f"LONG_SRC = {LONG_SRC!r}", "gokit.ssa(SSA_SRC, 'sum').explore()",
                          "JourneyExplorer(gokit.follow(LONG_SRC, 9), lines=[9])"], wait_for=".jcol h4")
        assert page.locator(".jp-FileBrowser").first.is_visible(), "the file browser is open"
        for n in (1, 2):
            root = output_of(lab, n).locator(".gx")
            assert root.evaluate("r => r.clientWidth") < 900, "as narrow as a reader's"
            assert layout_bad(root) == [], n
        ssa = output_of(lab, 1)
        assert ssa.locator(".main").evaluate("e => getComputedStyle(e).flexDirection") == "column", \
            "the CFG takes the whole width, the source under it"
    finally:
        page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
        page.set_viewport_size({"width": 1280, "height": 2000})
