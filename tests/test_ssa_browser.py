"""Pixel test: the SSA explorer rendered by JupyterLab in headless Chromium, offline (see tests/browser.py)."""
from __future__ import annotations

import pytest

from browser import count_colour, crop, image, is_blank, lab, lab_session  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.go, pytest.mark.timeout(240)]

HIGHLIGHT = "#ffd54f"   # gokit.views.ssa.HIGHLIGHT: the selected value's source line
BLOCK_FILL = "#fff8e1"  # the CFG box holding the selected value
SRC = '''package main

func sum(xs []int) int {
	s := 0
	for i := 0; i < len(xs); i++ {
		s += xs[i]
	}
	return s
}

func main() { println(sum([]int{1, 2})) }
'''


def test_picking_a_value_highlights_its_source_line_and_block(lab) -> None:
    import gokit

    fn = gokit.ssa(SRC, "sum")
    lower = fn.pass_("lower")
    value = next(v for v in lower.values if v.line == 6 and not v.dead)   # a value of `s += xs[i]`
    block = next(b for b in lower.blocks if value in b.values)
    label = f"{value.long()}   [line {value.line}]"
    r = lab.render_cells(["import gokit", f"gokit.ssa({SRC!r}, 'sum').explore()"],
                         wait_for=".jupyter-widgets svg g.node")
    assert not lab.blocked, f"the page tried to reach the network: {lab.blocked}"
    assert "after pass lower" in r.text
    img = image(r.png)
    assert not is_blank(img)
    assert count_colour(img, HIGHLIGHT) == 0, "nothing is selected yet"

    r.output.locator("select").nth(2).select_option(label=label)   # pass, compare with, value
    r2 = r.snapshot(changed=True, wait_for=".gokit-ssa-sources div[style*='background']")
    img2 = image(r2.png)
    line_box = r2.box(".gokit-ssa-sources div[style*='background']")
    lit = count_colour(img2, HIGHLIGHT)
    in_line = count_colour(crop(img2, line_box), HIGHLIGHT)
    assert in_line > 0.3 * line_box[2] * line_box[3], "the source line of the value is not highlighted"
    assert in_line == lit, "highlight colour outside the selected source line"
    assert "s += xs[i]" in r2.output.locator(".gokit-ssa-sources div[style*='background']").inner_text()
    bbox = r2.box(f"g.node:has(> title:text-is('b{block.id}'))")
    assert count_colour(crop(img2, bbox), BLOCK_FILL) > 0.3 * bbox[2] * bbox[3], "its block is not filled"


def _tab(r, title: str) -> None:
    r.output.locator(".lm-TabBar-tab", has_text=title).first.click()


def test_a_picked_value_is_highlighted_in_every_pass(lab) -> None:
    """As in the compiler's ssa.html: click a value, it lights up in every column that has it."""
    import gokit

    fn = gokit.ssa(SRC, "sum")
    phi = next(v for v in fn.pass_("lower").values if v.op == "Phi" and "i[int]" in v.names)
    label = f"{phi.long()}   [line {phi.line}]"
    columns_with_it = sorted({p.column for p in fn.passes if any(v.id == phi.id for v in p.values)})
    r = lab.render_cells(["import gokit", f"gokit.ssa({SRC!r}, 'sum').explore()"],
                         wait_for=".jupyter-widgets svg g.node")
    r.output.locator("select").nth(2).select_option(label=label)          # the value dropdown
    r = r.snapshot(changed=True, wait_for=".gokit-ssa-sources div[style*='background']")
    _tab(r, "every pass")
    r2 = r.snapshot(wait_for=".gokit-ssa-every-table .gokit-picked")
    picked = r2.output.locator(".gokit-ssa-every-table .gokit-picked")
    assert picked.count() == len(columns_with_it) > 10, "one highlighted row per ssa.html column holding the value"
    img = image(r2.png)
    pane = r2.box(".widget-html:has(.gokit-ssa-every-table)")   # the tab's pane: it scrolls
    seen = 0
    for i in range(picked.count()):             # the rows in view (the pane scrolls)
        x, y, w, h = r2.box(".gokit-ssa-every-table .gokit-picked", nth=i)
        if y < pane[1] or y + h > min(pane[1] + pane[3], img.shape[0]):
            continue
        assert count_colour(crop(img, (x, y, w, h)), HIGHLIGHT) > 0.5 * w * h, f"row {i} is not lit"
        seen += 1
    assert seen >= 8, "the value should be lit in many passes at once"
    ops = [picked.nth(i).inner_text().split(" = ")[1].split()[0] for i in range(picked.count())]
    assert ops[0] == "FwdRef" and "Phi" in ops   # the value as each pass has it: a placeholder, then a Phi
    r2.output.get_by_text("every column's whole listing").click()               # ssa.html's own layout, folded
    r3 = r2.snapshot(changed=True, wait_for=".gokit-ssa-every .gokit-picked")
    assert r3.output.locator(".gokit-ssa-every .gokit-picked").count() == len(columns_with_it)


def test_any_two_passes_side_by_side(lab) -> None:
    """Compare the shown pass with any other pass, not only the one before: two listings and their diff."""
    r = lab.render_cells(["import gokit", f"gokit.ssa({SRC!r}, 'sum').explore()"],
                         wait_for=".jupyter-widgets svg g.node")
    assert "writebarrier → lower" in r.text or "→ lower" in r.text     # by default: the pass before
    r.output.locator("select").nth(1).select_option(label="1: start")   # "compare with"
    r2 = r.snapshot(changed=True)
    assert "diff: start → lower" in r2.text
    _tab(r2, "side by side")
    r3 = r2.snapshot(wait_for=".gokit-ssa-compare")
    cmp_text = r3.output.locator(".gokit-ssa-compare").inner_text()
    assert "1: start" in cmp_text and "lower" in cmp_text and "Add64" in cmp_text and "ADDQ" in cmp_text
    img = image(r3.png)
    left = r3.box(".gokit-ssa-compare > div", nth=0)
    right = r3.box(".gokit-ssa-compare > div", nth=1)
    assert left[0] + left[2] <= right[0] + 1, "the two passes should stand side by side"
    assert count_colour(crop(img, left), "#fbe0e0") > 500, "values gone by lower are marked red on the left"
    assert count_colour(crop(img, right), "#fff3c4") > 500, "values new or changed in lower are marked on the right"
