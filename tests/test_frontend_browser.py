"""Pixel test: the AST explorer in a real JupyterLab + headless Chromium (see tests/browser.py)."""
from __future__ import annotations

import pytest

from browser import count_colour, crop, image, is_blank, lab, lab_session  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.go, pytest.mark.timeout(180)]

MARK = "#ffe08a"  # the background AST.highlight_html gives the selected node's span

SETUP = '''
import gokit
tree = gokit.parse("""package main

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func main() { println(abs(-3) + 1) }
""")
cond = tree.find("BinaryExpr")[0]          # n < 0
final = tree.find("BinaryExpr")[1]         # abs(-3) + 1
x = tree.explore()
x.select(cond)
x
'''


def grow(box: tuple[float, float, float, float], px: float = 2) -> tuple[float, float, float, float]:
    """The box with a margin: a mark's anti-aliased edge and fractional position spill a pixel or two."""
    x, y, w, h = box
    return x - px, y - px, w + 2 * px, h + 2 * px


def test_choosing_a_node_moves_the_highlight_to_its_source_span(lab) -> None:
    r = lab.render_cells([SETUP], wait_for="mark.gokit-span")
    assert not lab.blocked, f"the page tried to reach the network: {lab.blocked}"
    img = image(r.png)
    assert not is_blank(img)
    assert r.output.locator("mark.gokit-span").inner_text() == "n < 0"
    box = r.box("mark.gokit-span")
    lit = count_colour(img, MARK)
    inside = count_colour(crop(img, grow(box)), MARK)
    assert inside > 0.4 * box[2] * box[3], "the span of `n < 0` is not highlighted"
    assert inside >= 0.95 * lit, "highlight colour outside the selected span"
    assert "BinaryExpr" in r.text and "'<'" in r.text  # the fields table: kind and Op

    # choose `abs(-3) + 1` in the real <select>: options are the nodes in preorder, so index = node id
    options = r.output.locator("select").first.locator("option")
    labels = [options.nth(i).inner_text().replace("\xa0", " ") for i in range(options.count())]
    idx = next((i for i, t in enumerate(labels) if "BinaryExpr +" in t), None)
    assert idx is not None, labels
    r.output.locator("select").first.select_option(index=idx)
    r2 = r.snapshot(changed=True, wait_for="mark.gokit-span")
    assert r2.output.locator("mark.gokit-span").inner_text() == "abs(-3) + 1"
    img2 = image(r2.png)
    assert count_colour(crop(img2, box), MARK) < 0.1 * inside, "old span still highlighted"
    box2 = r2.box("mark.gokit-span")
    assert count_colour(crop(img2, box2), MARK) > 0.4 * box2[2] * box2[3]
    assert "'+'" in r2.text


def test_choosing_a_source_line_selects_the_innermost_node_there(lab) -> None:
    """As in astexplorer: pick a line of the source (the list on the right), the innermost node there is selected."""
    r = lab.render_cells([SETUP], wait_for="mark.gokit-span")
    lines = r.output.locator(".gokit-ast-lines select")
    labels = [t.replace("\xa0", " ") for t in lines.locator("option").all_inner_texts()]
    ret = next(i for i, t in enumerate(labels) if t.split("│", 1)[1].strip() == "return -n")
    lines.select_option(index=ret)                      # what a click on that line does
    r2 = r.snapshot(changed=True, wait_for="mark.gokit-span")
    assert r2.output.locator("mark.gokit-span").inner_text() == "return -n"
    assert "ReturnStmt" in r2.text
    img = image(r2.png)
    box = r2.box("mark.gokit-span")
    inside = count_colour(crop(img, grow(box)), MARK)
    assert inside > 0.4 * box[2] * box[3], "the innermost node of the chosen line is not highlighted"
    assert inside >= 0.95 * count_colour(img, MARK), "highlight colour outside that node's span"
    # the node list followed: its selected option is the ReturnStmt
    chosen = r2.output.locator("select").first.evaluate("s => s.options[s.selectedIndex].text")
    assert "ReturnStmt" in chosen

    # the checkboxes hide position fields (span, Return) and empty ones
    fields = r2.output.locator("table.gokit-fields")
    assert {"span", "Return"} <= set(fields.locator("th").all_inner_texts())   # Return: go/ast's token.Pos
    tall = fields.bounding_box()["height"]
    r2.output.get_by_text("hide positions").click()
    r3 = r2.snapshot(changed=True)
    fields = r3.output.locator("table.gokit-fields")
    assert not {"span", "Return"} & set(fields.locator("th").all_inner_texts())
    assert fields.bounding_box()["height"] < tall, "hiding the positions should shorten the fields table"
