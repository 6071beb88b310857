"""An exported lesson opened from disk in Chromium with the network cut off: SVGs, tables and the AST explorer (kernel
free: its data and module are in the page, no widget manager) all render and the explorer answers a click; and a
one-cell fragment pasted into a page."""
from __future__ import annotations

from pathlib import Path

import pytest

from browser import count_colour, image, is_blank, lab, lab_session  # noqa: F401 - fixtures by name

pytestmark = [pytest.mark.browser, pytest.mark.go, pytest.mark.slow, pytest.mark.timeout(400)]
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.fixture(scope="module")
def executed_lesson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lesson 01 (tokens, the AST diagram and the AST explorer widget), executed by `gokit check --save`."""
    from gokit.faces.check import check_lesson

    d = tmp_path_factory.mktemp("executed")
    r = check_lesson(NOTEBOOKS / "01-tokens-and-ast.ipynb", save=d)
    assert r.passed, r.error
    return d / r.notebook


def test_offline_export_of_a_lesson_renders_from_disk(lab, executed_lesson: Path, tmp_path: Path) -> None:
    from gokit.faces.export import export_notebook

    info = export_notebook(executed_lesson, tmp_path / "01.html", execute_cells=False, offline=True)
    assert info.widget_outputs >= 1
    assert info.bytes <= 5_000_000, f"an exported lesson page stays under 5 MB ({info.bytes:,} bytes)"
    with lab.open_static(info.path) as p:
        x = p.page.locator(".gokit-explorer[data-gokit-kind='ast']").first
        x.locator("mark.gokit-span").first.wait_for(timeout=60_000)
        assert p.blocked == [], f"an offline page asked the network for {p.blocked}"
        assert x.locator(".gokit-explorer-fallback").is_hidden(), "the explorer replaces its text fallback"
        # a node picked in the list lights its source span, with no kernel
        first = x.locator(".nodes .node").nth(1)
        first.click()
        assert x.locator(".nodes .node.on").get_attribute("data-node") == first.get_attribute("data-node")
        # diagrams: the lessons' legible drawings are inline SVG, a bare graphviz output an <img> of SVG
        svgs = p.page.locator(".gokit-drawing svg, img[src^='data:image/svg+xml']")
        assert svgs.count() >= 1 and svgs.first.evaluate("e => e.getBoundingClientRect().width") > 50
        # tables of data (two rows or more: the course's one-row "you are here" strip is not one)
        tables = p.page.locator(".jp-RenderedHTMLCommon table:has(tbody tr:nth-child(2))")
        assert tables.count() >= 2
        header_bg = tables.first.locator("tbody tr").nth(1).evaluate("r => getComputedStyle(r).backgroundColor")
        assert header_bg not in ("", "rgba(0, 0, 0, 0)") or tables.first.evaluate(
            "t => getComputedStyle(t).borderCollapse") == "collapse", "tables keep the lesson's style"
        png, _ = p.screenshot(".gokit-explorer[data-gokit-kind='ast']")
        img = image(png)
        assert not is_blank(img)
        assert count_colour(img, "#ffffff", tol=3) < img.shape[0] * img.shape[1], "the explorer drew something"


def test_one_cell_fragment_renders_inside_a_blog_page(lab, executed_lesson: Path, tmp_path: Path) -> None:
    import nbformat

    from gokit.faces.export import export_notebook

    nb = nbformat.read(executed_lesson, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    def draws(o: dict) -> bool:
        data = o.get("data", {})
        return "image/svg+xml" in data or "gokit-drawing" in "".join(data.get("text/html", ""))

    n = next(i for i, c in enumerate(code, 1) if any(draws(o) for o in c.outputs))
    info = export_notebook(executed_lesson, tmp_path / "frag.html", execute_cells=False, cell=n, binder="")
    blog = tmp_path / "blog.html"
    blog.write_text("<!doctype html><html><body style='font-family:serif'><h1>My post</h1>"
                    f"{info.path.read_text()}<p>The end.</p></body></html>")
    with lab.open_static(blog) as p:
        img = p.page.locator(".gokit-embed .gokit-drawing svg, .gokit-embed img[src^='data:image/svg+xml']")
        img.first.wait_for()
        assert img.first.evaluate("e => e.getBoundingClientRect().width") > 50
        assert p.page.locator("h1").evaluate("h => getComputedStyle(h).fontFamily") == "serif", \
            "the fragment's styles stay inside it"
        assert p.blocked == []
