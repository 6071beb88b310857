"""Pixel test: the source ⇄ assembly explorer in JupyterLab, headless Chromium, offline (see tests/browser.py)."""
from __future__ import annotations

import pytest

from browser import count_colour, crop, image, is_blank, lab, lab_session  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.go, pytest.mark.timeout(240)]

SRC = '''package main

func add(a, b int) int { return a + b }

func main() {
	x := add(1, 2)
	println(x)
}
'''


def test_colour_bands_tie_source_lines_to_their_instructions(lab) -> None:
    import gokit
    from gokit.views.asm import line_colours

    fn = gokit.asm(SRC).function("main")
    lines = sorted({i.line for i in fn.machine_instructions if i.file == "main.go"})
    colours = line_colours(lines)
    r = lab.render_cells(["import gokit", f"gokit.asm({SRC!r}).explore('main')"], wait_for=".gokit-asm-code .row")
    assert not lab.blocked, f"the page tried to reach the network: {lab.blocked}"
    img = image(r.png)
    assert not is_blank(img)
    for line in (5, 7):   # `func main() {` and `println(x)`: each has its own band, in both panes
        colour = colours[line]
        src_box = r.box(f".gokit-asm-source .row[data-line='{line}']")
        asm_box = r.box(f".gokit-asm-code .row[data-line='{line}']")
        assert count_colour(crop(img, src_box), colour, tol=3) > 0.4 * src_box[2] * src_box[3], line
        assert count_colour(crop(img, asm_box), colour, tol=3) > 0.4 * asm_box[2] * asm_box[3], line
    other = crop(img, r.box(".gokit-asm-source .row[data-line='3']"))   # add is not part of main: no band
    assert all(count_colour(other, c, tol=3) == 0 for c in colours.values())
    # switch the architecture: the same bands, now over arm64 instructions
    r.output.locator("select").nth(1).select_option("arm64")
    r2 = r.snapshot(changed=True, wait_for=".gokit-asm-code h4:has-text('arm64')")
    img2 = image(r2.png)
    box = r2.box(".gokit-asm-code .row[data-line='7']")
    assert count_colour(crop(img2, box), colours[7], tol=3) > 0.4 * box[2] * box[3]
    assert "R_CALLARM64" in r2.text
