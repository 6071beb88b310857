"""gokit.views.render: SVG from dot, the graphviz-pure fallback, and advice when neither is there."""
from __future__ import annotations

import shutil

import pytest
from helpers import expect

from gokit.errors import (
    GokitError,
    RenderError,
)

GRAPH = 'digraph { rankdir=LR; "main.go" -> tokens -> AST -> SSA }'




@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_render_with_real_dot() -> None:
    from gokit.views.render import renderer, to_svg

    assert renderer().name == "dot"
    svg = to_svg(GRAPH)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and ">SSA</text>" in svg


def test_render_without_dot_falls_back_to_graphviz_pure(monkeypatch, tmp_path) -> None:
    from gokit.views.render import Diagram, renderer

    monkeypatch.setenv("PATH", str(tmp_path))  # no dot, no graphviz-pure on PATH: found next to python
    r = renderer()
    assert r.name == "graphviz-pure"
    d = Diagram(GRAPH)
    bundle = d._repr_mimebundle_()
    assert ">SSA</text>" in bundle["image/svg+xml"] and "text/plain" in bundle


def test_render_with_nothing_installed_advises(monkeypatch, tmp_path) -> None:
    from gokit.views import render

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(render, "_find_pure", lambda: None)
    with pytest.raises(RenderError, match="apt-get install graphviz.*pip install graphviz-pure"):
        render.to_svg(GRAPH)


def test_render_bad_graph_and_engine(no_leaks) -> None:
    from gokit.views.render import to_svg
    from gokit.errors import RenderError

    expect(RenderError, to_svg, "digraph { a -> ", match="could not draw")
    expect(GokitError, to_svg, "digraph { a }", engine="dot; rm", match="engine")
    expect(GokitError, to_svg, "digraph { a }", prefer="inkscape", match="renderer")
