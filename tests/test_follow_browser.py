"""Pixel test: the journey explorer in JupyterLab, headless Chromium, offline (see tests/browser.py): a line picked
by clicking it in the source shows its stages as columns, and an SSA pass can be chosen."""
from __future__ import annotations

import pytest

from browser import count_colour, crop, image, is_blank, lab, lab_session  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.go, pytest.mark.timeout(300)]

SRC = '''package main

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


def test_journey_explorer_with_a_line_picked(lab) -> None:
    from gokit.views.asm import PICKED

    cells = ["import gokit", f"gokit.follow({SRC!r}, 6).explore()"]
    r = lab.render_cells(cells, wait_for=".gokit-journey .jcol h4")
    assert not lab.blocked, f"the page tried to reach the network: {lab.blocked}"
    assert not is_blank(image(r.png))
    assert "main.go:6" in r.text and "sum := 0" in r.text
    # click line 8 in the source: its journey replaces the columns
    r.output.locator("button.gokit-jline").nth(7).click()
    r2 = r.snapshot(changed=True, wait_for=".jhead:has-text('main.go:8')")
    img = image(r2.png)
    assert "IDIVQ" in r2.text and "DIVQ" in r2.text and "R_PCREL main.base" in r2.text
    picked = r2.box("button.gokit-jline.picked")
    other = r2.box("button.gokit-jline", nth=2)
    # the picked line is outlined in red, the others are not
    assert count_colour(crop(img, picked), PICKED, tol=40) > picked[2]          # at least one outline's length
    assert count_colour(crop(img, other), PICKED, tol=40) == 0
    # the seven stages are columns, left to right and then wrapping, in pipeline order
    heads = [r2.output.locator(".jcol h4").nth(i).inner_text() for i in range(7)]
    assert [h.split(" ", 1)[0] for h in heads] == ["1", "2", "3", "4", "5", "6", "7"]
    boxes = [r2.box(".jcol", nth=i) for i in range(7)]
    assert boxes[0][1] == boxes[1][1] and boxes[0][0] < boxes[1][0]          # tokens, then nodes to its right
    reading = sorted(range(7), key=lambda i: (round(boxes[i][1]), boxes[i][0]))
    assert reading == list(range(7))                                          # in reading order, row by row
    # hovering an instruction shows the SSA value it came from (its title)
    idiv = r2.output.locator(".jcol .jrow[title*='DIVQ']").first
    assert idiv.get_attribute("title").startswith("v")
    # choose the SSA pass `lower`: the SSA column shows the line's values after it, with badges
    passes = r2.output.locator("select").nth(1)
    labels = passes.evaluate("s => [...s.options].map(o => o.textContent)")
    labels = [t.replace("\xa0", " ") for t in labels]
    passes.select_option(index=next(k for k, t in enumerate(labels) if t.split(": ", 1)[-1].startswith("lower ")))
    r3 = r2.snapshot(changed=True, wait_for=".jcol h4:has-text('SSA after lower')")
    img3 = image(r3.png)
    box = r3.box(".jcol.wrap")
    assert count_colour(crop(img3, box), "#1f5fbf", tol=30) > 50               # "Div64 → Select0" badges
    assert "Mod64 → Select1" in r3.text
