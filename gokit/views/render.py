"""Turn a graphviz.Digraph into SVG: the real `dot` when installed, else graphviz-pure, else RenderError."""
from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _run
from ..errors import GokitError, RenderError

if TYPE_CHECKING:
    import graphviz

VERSION_RE = re.compile(r"version\s+(?P<v>\d+(?:\.\d+)*)")
INSTALL_ADVICE = (
    "gokit draws diagrams with Graphviz. Install the real one (apt-get install graphviz, "
    "brew install graphviz, conda install graphviz) or the pip fallback: pip install graphviz-pure"
)


@dataclass(frozen=True)
class Renderer:
    """The program that lays out graphs: `dot` (Graphviz) or `graphviz-pure`."""

    name: str   # "dot" or "graphviz-pure"
    path: Path

    @property
    def version(self) -> str:
        done = _run.run([str(self.path), "-V"], env=dict(os.environ), timeout=_run.DRAW_SECONDS)
        m = VERSION_RE.search(done.err + done.out)
        return m.group("v") if m else "unknown"


def _find_pure() -> Path | None:
    found = shutil.which("graphviz-pure")
    if found:
        return Path(found)
    # a Jupyter kernel may run the venv's python without the venv's bin/ on PATH
    cand = Path(sys.executable).parent / "graphviz-pure"
    return cand if cand.is_file() else None


def renderer(prefer: str | None = None) -> Renderer:
    """Which renderer gokit uses: `prefer` or $GOKIT_RENDERER ("dot"/"graphviz-pure"), else dot, else pure."""
    choice = prefer or os.environ.get("GOKIT_RENDERER") or None
    if choice not in (None, "dot", "graphviz-pure"):
        raise GokitError(f"unknown renderer {choice!r}: use 'dot' or 'graphviz-pure'")
    if choice in (None, "dot"):
        dot = shutil.which("dot")
        if dot:
            return Renderer("dot", Path(dot))
        if choice == "dot":
            raise RenderError(f"`dot` is not on PATH. {INSTALL_ADVICE}")
    pure = _find_pure()
    if pure:
        return Renderer("graphviz-pure", pure)
    raise RenderError(f"Neither `dot` nor `graphviz-pure` was found. {INSTALL_ADVICE}")


def to_svg(graph: "graphviz.Graph | graphviz.Digraph | str", *, prefer: str | None = None,
           engine: str = "dot", timeout: float = _run.DRAW_SECONDS) -> str:
    """SVG text of a graph (a graphviz object or DOT source)."""
    source = graph if isinstance(graph, str) else graph.source
    r = renderer(prefer)
    if not re.fullmatch(r"[a-z]+", engine):
        raise GokitError(f"unknown layout engine {engine!r}")
    done = _run.run([str(r.path), f"-K{engine}", "-Tsvg"], env=dict(os.environ), timeout=timeout,
                    input=source.encode())
    if done.exit_code != 0 or "<svg" not in done.out:
        raise RenderError(f"{r.name} could not draw this graph (exit {done.exit_code}):\n{done.err.strip()[:2000]}")
    svg = done.out
    return svg[svg.index("<svg"):]  # drop the XML prologue so it embeds in HTML


class Diagram:
    """A graph that displays as SVG in Jupyter and in exported HTML, whichever renderer is present."""

    def __init__(self, graph: "graphviz.Graph | graphviz.Digraph | str", prefer: str | None = None) -> None:
        self.graph = graph
        self.prefer = prefer
        self._svg: str | None = None

    @property
    def svg(self) -> str:
        if self._svg is None:
            self._svg = to_svg(self.graph, prefer=self.prefer)
        return self._svg

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        src = self.graph if isinstance(self.graph, str) else self.graph.source
        return {"image/svg+xml": self.svg, "text/plain": f"<Diagram: {src.count('->')} edges>"}

    def save(self, path: str | os.PathLike[str]) -> Path:
        p = Path(path)
        p.write_text(self.svg)
        return p


def fit_width(svg: str) -> str:
    """An SVG that shrinks to its container's width (dot sizes it in points; its viewBox keeps it scalable)."""
    return svg.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)


def show(graph: "graphviz.Graph | graphviz.Digraph | str") -> Diagram:
    """Wrap a graph for display (use as the last expression of a cell)."""
    return Diagram(graph)
