"""Pixel test: the SSA explorer rendered by JupyterLab in headless Chromium, offline (see tests/browser.py)."""
from __future__ import annotations

import pytest

from browser import count_colour, crop, image, is_blank, lab, lab_session  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.go, pytest.mark.timeout(240)]

HIGHLIGHT = "#ffd54f"   # gokit._ssa_views.HIGHLIGHT: the selected value's source line
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

    r.output.locator("select").nth(1).select_option(label=label)
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
