"""Pixel tests: gokit widgets rendered by JupyterLab in headless Chromium, offline (see tests/browser.py)."""
from __future__ import annotations

import pytest

from browser import changed_fraction, count_colour, crop, image, is_blank, lab, lab_session  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

HIGHLIGHT = "#ffd54f"   # the fill the demo widgets give the selected node

DIAGRAM_SETUP = f'''
import graphviz, ipywidgets as w
from gokit.render import Diagram

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
    r2 = r.snapshot(changed=True, wait_for=node("run"))
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
