"""gokit.export: executed notebooks as standalone HTML (diagram SVG, outputs, widget state, static fallbacks)."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from gokit.errors import GokitError, UsageError
from gokit.faces.export import WIDGET_STATE, WIDGET_VIEW, export_html, export_notebook

SVG_IMG_RE = re.compile(r'<img [^>]*src="data:image/svg\+xml;base64,(?P<b64>[A-Za-z0-9+/=]+)"')
STATE_RE = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">\s*(?P<json>.*?)\s*</script>',
                      re.DOTALL)

DIAGRAM_CELL = """import graphviz
from gokit.views.render import Diagram
g = graphviz.Digraph()
g.node("compile", style="filled", fillcolor="#ffd54f")
g.edge("compile", "link")
Diagram(g)"""


def new_notebook(cells: list, path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def demo_notebook(path: Path) -> Path:
    """A notebook without outputs: a title, a print, a diagram, a widget."""
    import nbformat.v4 as v4

    return new_notebook([
        v4.new_markdown_cell("# The `go` *pipeline*\n\nSome prose."),
        v4.new_code_cell("print('hello from the kernel', 6 * 7)"),
        v4.new_code_cell(DIAGRAM_CELL),
        v4.new_code_cell("import ipywidgets as w\nw.IntSlider(value=7, description='knob')"),
    ], path)


def svgs_in(page: str) -> list[str]:
    return [base64.b64decode(m["b64"]).decode() for m in SVG_IMG_RE.finditer(page)]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    d = tmp_path_factory.mktemp("export")
    nb = demo_notebook(d / "demo.ipynb")
    info = export_notebook(nb, d / "site" / "demo.html")
    assert info.executed, "a notebook without outputs must be executed first"
    assert info.path == d / "site" / "demo.html" and info.path.stat().st_size == info.bytes
    return info.path, info.path.read_text()


def test_export_executes_and_keeps_the_text_of_outputs(exported) -> None:
    path, page = exported
    assert "hello from the kernel 42" in page          # computed by the kernel, not in the source
    assert "<title>The go pipeline</title>" in page   # the first heading, without markdown marks


def test_export_embeds_the_diagram_svg(exported) -> None:
    _, page = exported
    svgs = svgs_in(page)
    assert len(svgs) == 1, "one SVG output, shown as an <img> that needs no JavaScript"
    svg = svgs[0]
    assert svg.lstrip().startswith("<svg") and "<title>compile</title>" in svg and "#ffd54f" in svg
    assert "compile&#45;&gt;link" in svg or "compile->link" in svg


def test_export_embeds_widget_state_for_the_html_manager(exported) -> None:
    _, page = exported
    state = json.loads(STATE_RE.search(page)["json"])
    sliders = [m["state"] for m in state["state"].values() if m["model_name"] == "IntSliderModel"]
    assert [s["value"] for s in sliders] == [7]
    assert "@jupyter-widgets/html-manager@^1.0/dist/embed-amd.js" in page
    views = re.findall(r'<script type="application/vnd\.jupyter\.widget-view\+json">\s*(\{.*?\})\s*</script>', page,
                       re.DOTALL)
    assert len(views) == 1 and json.loads(views[0])["model_id"] in state["state"]
    # without JavaScript the widget's text/plain still shows, hidden by CSS once the live widget renders
    assert "IntSlider(value=7, description=&#39;knob&#39;)" in page or "IntSlider(value=7, description='knob')" in page
    assert ".gokit-widget:has(.widget-subarea > *) > .gokit-static" in page


def test_saved_outputs_are_exported_without_running(tmp_path: Path) -> None:
    import nbformat
    import nbformat.v4 as v4

    cell = v4.new_code_cell("print('freshly-computed')", execution_count=1, outputs=[
        v4.new_output("stream", name="stdout", text="saved output\n"),
        v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/html": "<b class='snap'>static snapshot</b>", "text/plain": "<Explorer>"}),
    ])
    nb = new_notebook([cell], tmp_path / "saved.ipynb")
    info = export_notebook(nb, tmp_path / "saved.html", no_input=True)  # default: has outputs, so no run
    page = info.path.read_text()
    assert not info.executed
    assert "saved output" in page and "freshly-computed" not in page
    # no widget state saved: nbconvert shows the static snapshot as the output itself
    assert "static snapshot" in page and "widget-view+json\">" not in page and "gokit-static\"" not in page
    assert info.widget_outputs == 1 and info.widget_models == 0

    # with the model's state saved: the live widget for JavaScript readers, the snapshot as fallback
    book = nbformat.read(nb, as_version=4)
    book.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {"abc": {
        "model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
        "state": {"value": "live"}}}}}
    nbformat.write(book, nb)
    out = export_html(nb, tmp_path, execute=False)  # a directory as out_path
    assert out == tmp_path / "saved.html"
    page = out.read_text()
    static = page[page.index('<div class="gokit-static">'):]
    assert re.match(r'<div class="gokit-static"><b class=.snap.>static snapshot</b></div>', static), static[:200]
    assert page.index('widget-view+json">') < page.index('<div class="gokit-static">')


def test_a_cell_folded_in_jupyterlab_keeps_its_code_folded_on_the_page(tmp_path: Path) -> None:
    import nbformat.v4 as v4

    hidden = v4.new_code_cell("summary = compute_the_plumbing()", execution_count=1, outputs=[
        v4.new_output("stream", name="stdout", text="what you saw, computed\n")])
    hidden.metadata["jupyter"] = {"source_hidden": True}
    shown = v4.new_code_cell("visible_go_program = 1", execution_count=2)
    nb = new_notebook([hidden, shown], tmp_path / "fold.ipynb")
    page = export_notebook(nb, tmp_path / "fold.html", execute_cells=False).path.read_text()
    assert "what you saw, computed" in page, "the folded cell's output shows"
    fold = page.index('<details class="gokit-hidden-code"><summary>show code</summary>')
    assert fold < page.index("compute_the_plumbing") < page.index("</details>", fold), "its code behind the toggle"
    assert "visible_go_program" in page and page.count("gokit-hidden-code\"") == 1, "other cells as they are"


def test_markdown_images_next_to_the_notebook_are_embedded(tmp_path: Path) -> None:
    import nbformat.v4 as v4

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
                                                  '<rect width="4" height="4" fill="#123456"/></svg>')
    nb = new_notebook([v4.new_markdown_cell("# Pic\n\n![a dot](images/dot.svg)")], tmp_path / "pic.ipynb")
    page = export_html(nb, tmp_path / "out" / "pic.html", execute=False).read_text()
    assert "images/dot.svg" not in page        # a standalone page: the picture travels inside it
    assert any("#123456" in svg for svg in svgs_in(page))


def test_bad_arguments_are_usage_errors_before_running(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no notebook at"):
        export_html(tmp_path / "missing.ipynb", tmp_path / "x.html")
    nb = demo_notebook(tmp_path / "demo.ipynb")
    with pytest.raises(UsageError, match="the notebook itself"):
        export_html(nb, nb)
    with pytest.raises(UsageError, match="timeout"):
        export_html(nb, tmp_path / "x.html", timeout=0)
    (tmp_path / "junk.ipynb").write_text("{not json")
    with pytest.raises(UsageError, match="not a Jupyter notebook"):
        export_html(tmp_path / "junk.ipynb", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_a_failing_cell_stops_the_export_unless_allowed(tmp_path: Path) -> None:
    import nbformat.v4 as v4

    nb = new_notebook([v4.new_code_cell("1 / 0"), v4.new_code_cell("print('after')")], tmp_path / "bad.ipynb")
    with pytest.raises(GokitError, match="ZeroDivisionError") as e:
        export_html(nb, tmp_path / "bad.html")
    assert "--allow-errors" in str(e.value)
    assert not (tmp_path / "bad.html").exists()
    page = export_html(nb, tmp_path / "bad.html", allow_errors=True).read_text()
    assert "ZeroDivisionError" in page and "after" in page


def test_cli_export(tmp_path: Path, capsys) -> None:
    import nbformat.v4 as v4

    from gokit.cli import main

    cell = v4.new_code_cell("x", execution_count=1, outputs=[v4.new_output("stream", name="stdout", text="kept\n")])
    nb = new_notebook([cell], tmp_path / "n.ipynb")
    assert main(["export", str(nb), "-o", str(tmp_path / "out.html"), "--no-execute", "--no-prompt"]) == 0
    assert "out.html" in capsys.readouterr().out
    page = (tmp_path / "out.html").read_text()
    assert "kept" in page and "In\xa0[1]" not in page
    assert main(["export", str(nb), "-o", str(tmp_path / "with_prompts.html"), "--no-execute"]) == 0
    assert "In\xa0[1]" in (tmp_path / "with_prompts.html").read_text()
    assert main(["export", str(tmp_path / "nope.ipynb")]) == 1
    assert "no notebook at" in capsys.readouterr().err


@pytest.mark.go
def test_an_executed_explore_exports_as_its_kernel_free_explorer(tmp_path: Path) -> None:
    """`.explore()` run by the export: the page holds the explorer's data and module (it works with no kernel), and
    neither the widget manager nor the explorer's widget state (it needs neither)."""
    import nbformat.v4 as v4

    nb = new_notebook([v4.new_code_cell(
        "import gokit\ngokit.parse('package main\\n\\nfunc add(a, b int) int { return a + b }\\n').explore()")],
        tmp_path / "ast.ipynb")
    page = export_html(nb, tmp_path / "ast.html").read_text()
    # (nbconvert writes the tag's attributes back sorted)
    m = re.search(r'<script (?=[^>]*data-gokit-explorer="ast-1")[^>]*type="application/json"[^>]*>(.*?)</script>', page,
                  re.DOTALL)
    assert m, "the explorer's data is on the page"
    data = json.loads(m.group(1))["data"]
    assert data["files"][0]["lines"][2] == "func add(a, b int) int { return a + b }"
    assert page.count('data-gokit-module="ast-1-') == 1
    assert WIDGET_STATE not in page and "html-manager" not in page and "require.js" not in page


# ---------------------------------------------------------------- fragments, embed, offline, quiet

def saved_notebook(path: Path) -> Path:
    """A notebook with saved outputs: a text cell, a DataFrame table (tagged 'table'), a widget with its state."""
    import nbformat
    import nbformat.v4 as v4

    table = ('<table border="1" class="dataframe"><thead><tr><th>phase</th><th>share</th></tr></thead>'
             "<tbody><tr><td>SSA</td><td>45%</td></tr></tbody></table>")
    cells = [v4.new_markdown_cell("# Saved"),
             v4.new_code_cell("print('hi')", execution_count=1,
                              outputs=[v4.new_output("stream", name="stdout", text="hi\n")]),
             v4.new_code_cell("df", execution_count=2, outputs=[v4.new_output(
                 "execute_result", data={"text/html": table, "text/plain": "phase share"}, execution_count=2)]),
             v4.new_code_cell("w", execution_count=3, outputs=[v4.new_output("display_data", data={
                 WIDGET_VIEW: {"model_id": "m1", "version_major": 2, "version_minor": 0},
                 "text/html": "<b class='snap'>static snapshot</b>", "text/plain": "<Explorer>"})])]
    cells[2].metadata["tags"] = ["table"]
    cells[2]["id"] = "07-046"
    nb = new_notebook(cells, path)
    book = nbformat.read(nb, as_version=4)
    book.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
        "m1": {"model_name": "HBoxModel", "model_module": "@jupyter-widgets/controls",
               "model_module_version": "2.0.0", "state": {"children": ["IPY_MODEL_m2"]}},
        "m2": {"model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
               "model_module_version": "2.0.0", "state": {"value": "live"}},
        "unused": {"model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
                   "model_module_version": "2.0.0", "state": {"value": "not referenced"}}}}}
    nbformat.write(book, nb)
    return nb


def test_one_cell_fragment_by_number_id_or_tag(tmp_path: Path) -> None:
    nb = saved_notebook(tmp_path / "lesson.ipynb")
    by_number = export_html(nb, tmp_path / "two.html", cell=2, execute=False).read_text()
    assert by_number.startswith('<div class="gokit-embed') and "<html" not in by_number and "<body" not in by_number
    assert "<td>SSA</td>" in by_number and "hi\n" not in by_number and "print(" not in by_number
    assert ".gokit-embed .jp-RenderedHTMLCommon table" in by_number   # the lab's table style, scoped
    assert "--jp-layout-color0" in by_number                           # and its theme variables
    assert export_html(nb, tmp_path / "id.html", cell="07-046", execute=False).read_text() == by_number
    assert export_html(nb, tmp_path / "tag.html", tag="table", execute=False).read_text() == by_number
    with pytest.raises(UsageError, match="4 code cells|has 3 code cells"):
        export_html(nb, tmp_path / "x.html", cell=9, execute=False)
    with pytest.raises(UsageError, match="no cell is tagged"):
        export_html(nb, tmp_path / "x.html", tag="nope", execute=False)


def test_fragment_with_a_widget_keeps_only_its_models_and_a_binder_link(tmp_path: Path) -> None:
    from gokit.faces.export import BINDER_BASE, HTML_MANAGER_CDN

    nb = saved_notebook(tmp_path / "lesson.ipynb")
    page = export_html(nb, tmp_path / "w.html", cell=3, execute=False, binder=BINDER_BASE).read_text()
    state = json.loads(STATE_RE.search(page)["json"])["state"]
    assert set(state) == {"m1", "m2"}, "the view's model and the one it references, nothing else"
    assert f'src="{HTML_MANAGER_CDN}"' in page and "gokit-static" in page
    link = re.search(r'<a href="([^"]+)"[^>]*>▶ Run it live on Binder', page)
    assert link and link[1] == f"{BINDER_BASE}?urlpath=lab/tree/notebooks/lesson.ipynb"


def test_embed_returns_the_fragment_of_a_cell_showing_the_same_view(tmp_path: Path) -> None:
    import nbformat.v4 as v4
    import pandas as pd

    import gokit

    df = pd.DataFrame({"phase": ["SSA", "parsing"], "share": ["45%", "2%"]})
    fragment = gokit.embed(df)
    from IPython.core.formatters import DisplayFormatter

    data, meta = DisplayFormatter().format(df)
    nb = new_notebook([v4.new_code_cell("df", outputs=[v4.new_output("display_data", data=data, metadata=meta)])],
                      tmp_path / "df.ipynb")
    assert export_html(nb, tmp_path / "df.html", cell=1, execute=False).read_text() == fragment
    assert "<td>SSA</td>" in fragment and fragment.count("<table") == 1
    fig = __import__("matplotlib.figure", fromlist=["Figure"]).Figure()
    fig.add_subplot().plot([1, 2, 3])
    assert "data:image/svg+xml;base64," in gokit.embed(fig) or "<svg" in gokit.embed(fig)


def test_export_prints_no_kernel_warnings(tmp_path: Path) -> None:
    from helpers import gokit_cli

    nb = demo_notebook(tmp_path / "demo.ipynb")
    done = gokit_cli("export", str(nb), "-o", str(tmp_path / "demo.html"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr          # no "[IPKernelApp] WARNING | Kernel is running over TCP ..."
    assert "demo.html" in done.stdout


def test_offline_page_loads_nothing_and_downloads_nothing(tmp_path: Path, monkeypatch) -> None:
    """--offline on a machine with no network and nothing downloaded before: no socket is opened while exporting,
    and the page refers to no URL (other widgets show their saved text/HTML: no widget manager, no CDN)."""
    import socket

    def no_network(*a, **k):
        raise AssertionError(f"the export tried to reach the network: {a}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    nb = saved_notebook(tmp_path / "lesson.ipynb")
    page = export_html(nb, tmp_path / "off.html", execute=False, offline=True).read_text()
    assert not re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="https?:', page)
    assert "require.js" not in page and "mathjax" not in page.lower() and "mermaid" not in page.lower()
    assert WIDGET_STATE not in page and "static snapshot" in page, "the widget's saved HTML instead"
    frag = export_html(nb, tmp_path / "off-frag.html", cell=3, execute=False, offline=True).read_text()
    assert "https://" not in frag and WIDGET_STATE not in frag and "static snapshot" in frag


def test_an_explorer_exports_as_itself_with_its_module_once(tmp_path: Path) -> None:
    """A gokit explorer's output is its own kernel-free HTML: the widget view and its saved model are dropped, the
    module that draws it is on the page once however many explorers of its kind there are."""
    import nbformat
    import nbformat.v4 as v4

    from gokit.views.explorers._base import mount_html

    def explorer(n: int) -> dict:
        return {WIDGET_VIEW: {"model_id": f"x{n}", "version_major": 2, "version_minor": 1},
                "text/html": mount_html("ssa", {"format": 1, "n": n}, {"pass": n}, summary=f"explorer {n}"),
                "text/plain": f"<SSA explorer {n}>"}

    cells = [v4.new_code_cell(f"x{n}", execution_count=n, outputs=[v4.new_output("display_data", data=explorer(n))])
             for n in (1, 2)]
    nb = new_notebook(cells, tmp_path / "two.ipynb")
    book = nbformat.read(nb, as_version=4)
    book.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
        f"x{n}": {"model_name": "AnyModel", "model_module": "anywidget", "model_module_version": "~0.11.*",
                  "state": {"_anywidget_id": "gokit.views.explorers.ssa.SSAExplorer", "_esm": "...", "data": {}}}
        for n in (1, 2)}}}
    nbformat.write(book, nb)
    for offline in (False, True):
        page = export_html(nb, tmp_path / f"two-{offline}.html", execute=False, offline=offline).read_text()
        assert page.count('data-gokit-explorer="ssa-1"') == 2 and page.count("data-gokit-module=") == 1
        assert WIDGET_STATE not in page and "require.js" not in page and "html-manager" not in page
        assert '"n":1' in page and '"n":2' in page
    frag = export_html(nb, tmp_path / "one.html", cell=2, execute=False).read_text()
    assert frag.count('data-gokit-explorer="ssa-1"') == 1 and '"n":2' in frag and "data-gokit-module=" in frag
    assert "--jp-layout-color0" not in frag, "a fragment of explorers only needs no lab stylesheet"
