"""Pixel tests: gokit widgets rendered by JupyterLab in headless Chromium, offline (see tests/browser.py)."""
from __future__ import annotations

import pytest

from browser import (changed_fraction, count_colour, crop, html_manager, image, is_blank, lab,  # noqa: F401
                     lab_session)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

HIGHLIGHT = "#ffd54f"   # the fill the demo widgets give the selected node

DIAGRAM_SETUP = f'''
import graphviz, ipywidgets as w
from gokit.views.render import Diagram

def steps_graph(selected, steps=("compile", "link", "run")):
    g = graphviz.Digraph(graph_attr={{"rankdir": "LR"}},
                         node_attr={{"shape": "box", "style": "filled", "fillcolor": "white"}})
    for s in steps:
        g.node(s, fillcolor="{HIGHLIGHT}" if s == selected else "white")
    for a, b in zip(steps, steps[1:]):
        g.edge(a, b)
    return g
'''


def node(name: str) -> str:
    """CSS selector of the graphviz node called `name` in an SVG made by dot."""
    return f"g.node:has(> title:text-is('{name}'))"


def test_dropdown_moves_the_highlight_between_diagram_nodes(lab) -> None:
    r = lab.render_cells([DIAGRAM_SETUP, '''
view = w.HTML(Diagram(steps_graph("compile")).svg)
pick = w.Dropdown(options=["compile", "link", "run"], value="compile", description="step")
pick.observe(lambda ch: setattr(view, "value", Diagram(steps_graph(ch.new)).svg), names="value")
w.VBox([pick, view])
'''], wait_for=".jupyter-widgets svg g.node")
    assert not lab.blocked, f"the page tried to reach the network: {lab.blocked}"
    assert "step" in r.text and "compile" in r.text
    img = image(r.png)
    assert not is_blank(img)
    compile_box, run_box = r.box(node("compile")), r.box(node("run"))
    lit = count_colour(img, HIGHLIGHT)
    in_compile = count_colour(crop(img, compile_box), HIGHLIGHT)
    assert in_compile > 0.5 * compile_box[2] * compile_box[3], "the selected node is not filled"
    assert in_compile == lit, "highlight colour outside the selected node"
    assert count_colour(crop(img, run_box), HIGHLIGHT) == 0

    r.output.locator("select").select_option("run")   # a real <select>; the kernel redraws the SVG
    # wait for the redrawn SVG itself (the run node filled), not any change: the old SVG has a run node too
    r2 = r.snapshot(changed=True, wait_for=f"{node('run')} polygon[fill='{HIGHLIGHT}' i]")
    img2 = image(r2.png)
    assert count_colour(crop(img2, compile_box), HIGHLIGHT) == 0, "old node still highlighted"
    assert count_colour(crop(img2, r2.box(node("run"))), HIGHLIGHT) > 0.5 * run_box[2] * run_box[3]
    assert 0 < changed_fraction(img, img2) < 0.5  # the highlight moved; the rest stayed


def test_slider_keyboard_changes_the_rendered_svg(lab) -> None:
    r = lab.render_cells([DIAGRAM_SETUP, '''
names = ["compile", "link", "run", "exit", "cleanup"]
view = w.HTML(Diagram(steps_graph(names[1], names[:2])).svg)
n = w.IntSlider(value=2, min=1, max=5, description="steps")
n.observe(lambda ch: setattr(view, "value", Diagram(steps_graph(names[ch.new - 1], names[:ch.new])).svg),
          names="value")
w.VBox([n, view])
'''], wait_for=".jupyter-widgets svg g.node")
    assert r.output.locator("svg g.node").count() == 2
    before = count_colour(image(r.png), "#000000", tol=60)  # ink of boxes, arrows and labels
    handle = r.output.locator(".noUi-handle")
    handle.focus()
    handle.press("ArrowRight")
    r2 = r.snapshot(changed=True, wait_for=node("run"))
    assert r2.output.locator("svg g.node").count() == 3
    img2 = image(r2.png)
    assert count_colour(img2, "#000000", tol=60) > before * 1.2, "a third node and edge should add ink"
    assert count_colour(crop(img2, r2.box(node("run"))), HIGHLIGHT) > 0
    assert "3" in r2.text  # the slider's readout


SUM_SRC = '''package main

func sum(xs []int) int {
	s := 0
	for i := 0; i < len(xs); i++ {
		s += xs[i]
	}
	return s
}

func main() { println(sum([]int{1, 2})) }
'''
CHANGED_ROW = "#fff3c4"   # the SSA explorer's changed rows of the diff (ssa.css .chg)
DEAD = "#8a8f96"          # and its dead values, greyed (ssa.css .dead)


def brown_ink(img) -> int:
    """Pixels of brown/orange text (values the pass changed are drawn #8a5a00): red well above blue."""
    rgb = img.astype(int)
    return int(((rgb[..., 0] - rgb[..., 2] > 70) & (rgb[..., 0] >= rgb[..., 1])).sum())


@pytest.mark.go
def test_ssa_pass_slider_redraws_the_cfg(lab) -> None:
    """The SSA explorer (`.explore()`) in Lab: its CFG at `lower` marks what lowering changed; the slider's Home key
    goes to the SSA as built, where nothing is marked changed and more values are dead."""
    r = lab.render_cells(["import gokit", f"x = gokit.ssa({SUM_SRC!r}, 'sum').explore()\nx"],
                         wait_for="svg.cfg g.blk")
    assert "after pass lower" in r.output.locator(".gx .title").inner_text()   # it opens on `lower`
    svg = r.output.locator("svg.cfg").first
    assert "ADDQ" in svg.inner_html() and "Add64" not in svg.inner_html()
    img = image(r.png)
    cfg = crop(img, r.box("svg.cfg"))
    assert brown_ink(cfg) > 50, "values changed by lowering are not marked in the CFG"
    assert count_colour(img, CHANGED_ROW, tol=3) > 1000, "the diff shows no changed rows"
    dead = svg.locator("text.vt.dead").count()

    slider = r.output.locator("input[type=range]")        # the pass slider
    slider.focus()
    slider.press("Home")                                   # first pass: the SSA as built, before any pass
    r.output.locator(".gx .title").filter(has_text="after pass before insert phis").wait_for()
    r2 = r.snapshot(wait_for="svg.cfg g.blk")
    svg2 = r2.output.locator("svg.cfg").first
    assert "Add64" in svg2.inner_html() and "ADDQ" not in svg2.inner_html()
    img2 = image(r2.png)
    cfg2 = crop(img2, r2.box("svg.cfg"))
    assert brown_ink(cfg2) == 0, "nothing came before the first pass, so nothing is marked changed"
    assert count_colour(img2, CHANGED_ROW, tol=3) == 0
    assert svg2.locator("text.vt.dead").count() > dead, "the unoptimised SSA has more dead values"
    assert count_colour(cfg2, DEAD, tol=2) > 100, "dead values are not drawn grey"
    assert changed_fraction(cfg, cfg2) > 0.05


# ------------------------------------------------------------------ gokit export: the page in a browser
PURPLE = "#7e57c2"   # a box drawn by an ipywidgets.HTML: only there when the widget itself rendered


@pytest.fixture(scope="module")
def exported_page(tmp_path_factory: pytest.TempPathFactory):
    import nbformat.v4 as v4

    from gokit.faces.export import export_html
    from test_export import new_notebook

    d = tmp_path_factory.mktemp("exported")
    nb = new_notebook([
        v4.new_markdown_cell("# Exported"),
        v4.new_code_cell("print('hello from the kernel', 6 * 7)"),
        v4.new_code_cell(DIAGRAM_SETUP + "\nDiagram(steps_graph('link'))"),
        v4.new_code_cell("w.VBox([w.IntSlider(value=7, description='knob'), "
                         f"w.HTML(\"<div style='width:120px;height:40px;background:{PURPLE}'></div>\")])"),
    ], d / "page.ipynb")
    return export_html(nb, d / "page.html")


def test_exported_page_shows_diagram_and_outputs_offline_without_widget_js(lab, exported_page) -> None:
    with lab.open_static(exported_page) as p:
        assert all(("cdn" in u or "cdnjs" in u or "unpkg" in u) for u in p.blocked), p.blocked  # CDN only
        p.page.get_by_text("hello from the kernel 42").wait_for()
        img = p.page.locator("img[src^='data:image/svg+xml']")
        assert img.count() == 1 and img.evaluate("i => i.complete && i.naturalWidth") > 50
        png, _ = p.screenshot("img[src^='data:image/svg+xml']")
        lit = count_colour(image(png), HIGHLIGHT)
        assert lit > 2000, "the diagram's highlighted node is not drawn"
        static = p.page.locator(".gokit-static")   # the widget's text fallback, since no JS could load
        assert static.is_visible() and "IntSlider(value=7" in static.inner_text()
        body, _ = p.screenshot("body")
        assert count_colour(image(body), PURPLE) == 0


def test_exported_widgets_render_from_embedded_state(lab, exported_page, html_manager) -> None:
    with lab.open_static(exported_page, serve=html_manager) as p:
        p.page.locator(".widget-subarea .widget-slider").first.wait_for(timeout=30_000)
        assert "7" in p.page.locator(".widget-readout").first.inner_text()
        assert p.page.locator(".gokit-static").is_hidden(), "the fallback should hide once the widget renders"
        body, _ = p.screenshot("body")
        img = image(body)
        assert count_colour(img, PURPLE) > 0.9 * 120 * 40, "the HTML widget's box is missing"
        assert count_colour(img, HIGHLIGHT) > 2000      # the static SVG output is still there
        assert not [u for u in p.blocked if "html-manager" in u or "require" in u], p.blocked


# ------------------------------------------------------------------ the harness reports failures readably
def test_harness_reports_a_failing_cell_and_a_widget_that_never_shows(lab) -> None:
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        lab.render_cells(["x = 1", "1 / 0", "print('never runs')"], timeout=20)
    with pytest.raises(AssertionError, match=r"never showed.*\n.*just text"):
        lab.render_cells(["print('just text')"], wait_for=".jupyter-widgets", timeout=5)
