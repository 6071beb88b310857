"""Export an executed notebook to one standalone HTML page for a blog: widgets from a CDN, diagrams without JS."""
from __future__ import annotations

import base64
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._run import NOTEBOOK_SECONDS, check_timeout
from ..errors import GokitError, UsageError
from .notebooks import execute

if TYPE_CHECKING:
    from nbformat import NotebookNode

log = logging.getLogger(__name__)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: The widget renderer for ipywidgets 8 state (version_major 2); require.js comes from nbconvert's default URL.
WIDGETS_CDN = "https://cdn.jsdelivr.net/npm/"
HTML_MANAGER_RANGE = "^1.0"
TITLE_RE = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)

# nbconvert's lab template shows a widget output only once the html-manager has rendered it from the
# embedded state (JavaScript + network).  We also keep the output's static alternative (gokit explorers put
# a `_repr_html_` snapshot next to the widget) and hide it with CSS once the live widget is on the page.
WIDGET_VIEW_BLOCK = r"""
{%- block data_widget_view scoped %}
<div class="gokit-widget">
{{ super() }}
{%- set static = output.data | gokit_static %}
{%- if static %}
<div class="gokit-static">{{ static }}</div>
{%- endif %}
</div>
{%- endblock data_widget_view -%}
"""
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
""" + WIDGET_VIEW_BLOCK + r"""{%- block html_head_js %}
{%- if resources.gokit_offline %}
{%- if "widgets" in nb.metadata %}
{{ resources.gokit_manager_tag }}
{%- endif %}
{%- else %}
{{ super() }}
{%- endif %}
<style type="text/css">
.gokit-widget:has(.widget-subarea > *) > .gokit-static { display: none; }
</style>
{%- endblock html_head_js %}
{% block jupyter_widgets %}
{%- if not resources.gokit_offline %}{{ super() }}{% endif -%}
{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}
{%- if not resources.gokit_offline %}{{ super() }}{% endif -%}
{%- endblock html_head_js_mathjax -%}
"""

# One cell's outputs (or several tagged cells') as an HTML fragment: no <html>, no page CSS, no prompts.
FRAGMENT_TEMPLATE = r"""
{%- extends 'base.html.j2' -%}
""" + WIDGET_VIEW_BLOCK


@dataclass(frozen=True)
class ExportInfo:
    """What `export_html` did (returned by `export_notebook`)."""

    path: Path
    executed: bool
    code_cells: int
    widget_outputs: int
    widget_models: int
    bytes: int


def _static_alternative(data: dict[str, Any]) -> str:
    """HTML for a widget output that also carries a static rendering (text/html, SVG, PNG, text)."""
    import html

    if "text/html" in data:
        return _joined(data["text/html"])
    if "image/svg+xml" in data:
        svg = _joined(data["image/svg+xml"]).encode()
        return f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}">'
    if "image/png" in data:
        return f'<img src="data:image/png;base64,{_joined(data["image/png"]).strip()}">'
    if "text/plain" in data:
        return f"<pre>{html.escape(_joined(data['text/plain']))}</pre>"
    return ""


def _joined(v: Any) -> str:
    return "".join(v) if isinstance(v, list) else str(v)


def has_outputs(nb: "NotebookNode") -> bool:
    """True when any code cell of the notebook has outputs (it was executed and saved)."""
    return any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def title_of(nb: "NotebookNode", fallback: str) -> str:
    """The first `# ` heading of a markdown cell, else `fallback`."""
    for c in nb.cells:
        if c.cell_type == "markdown":
            m = TITLE_RE.search(c.source)
            if m:
                return re.sub(r"[`*_]", "", m.group("title"))
    return fallback


def _read(notebook_path: Path) -> "NotebookNode":
    import nbformat

    if not notebook_path.is_file():
        raise UsageError(f"no notebook at {notebook_path}: give the path of an .ipynb file")
    try:
        return nbformat.read(notebook_path, as_version=4)
    except Exception as e:  # nbformat raises JSON, validation and encoding errors of several types
        raise UsageError(f"{notebook_path} is not a Jupyter notebook ({type(e).__name__}: {e})") from None


def to_html(nb: "NotebookNode", *, title: str, path: Path | None = None, no_prompt: bool = False,
            no_input: bool = False, offline: bool = False) -> str:
    """The HTML page of a notebook (as it is: no execution); markdown images are read relative to `path`.

    offline=True inlines the widget manager (no require.js, no MathJax, nothing from a CDN)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[DictLoader({"gokit_export.html.j2": TEMPLATE})],
        template_file="gokit_export.html.j2", jupyter_widgets_base_url=WIDGETS_CDN,
        html_manager_semver_range=HTML_MANAGER_RANGE, embed_images=True,
        exclude_input_prompt=no_prompt, exclude_output_prompt=no_prompt, exclude_input=no_input)
    exporter.register_filter("gokit_static", _static_alternative)
    meta = {"name": title, "path": str(path) if path is not None else ""}
    resources: dict[str, Any] = {"metadata": meta, "gokit_offline": offline}
    if offline and "widgets" in nb.metadata:
        resources["gokit_manager_tag"] = manager_script(offline=True)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return str(body)


def export_notebook(notebook_path: str | Path, out_path: str | Path | None = None, *,
                    execute_cells: bool | None = None, timeout: float = NOTEBOOK_SECONDS, allow_errors: bool = False,
                    no_prompt: bool = False, no_input: bool = False, kernel_name: str | None = None,
                    cell: int | str | None = None, tag: str | None = None, binder: str | None = None,
                    offline: bool = False) -> ExportInfo:
    """`export_html` with its details: whether it executed, how many widgets were embedded, the size.

    With `cell` (the Nth code cell, or a cell id) or `tag`, writes only that cell's outputs as an HTML
    fragment for a blog post (`binder`: a Binder URL for a "run it live" link)."""
    nb_path = Path(notebook_path)
    if nb_path.suffix != ".ipynb":
        raise UsageError(f"{nb_path} is not an .ipynb notebook")
    out = Path(out_path) if out_path is not None else nb_path.with_suffix(".html")
    if out.resolve() == nb_path.resolve():
        raise UsageError("the output path is the notebook itself: choose another file, like -o page.html")
    if out.is_dir():
        out = out / nb_path.with_suffix(".html").name
    timeout = check_timeout(timeout)
    nb = _read(nb_path)
    chosen = select_cells(nb, cell, tag) if (cell is not None or tag is not None) else None
    run = (not has_outputs(nb)) if execute_cells is None else bool(execute_cells)
    if run:
        log.debug("executing %s", nb_path)
        execute(nb, nb_path.resolve().parent, timeout=timeout, allow_errors=allow_errors, kernel_name=kernel_name)
    if chosen is not None:
        page = fragment(nb, chosen, binder=binder, notebook_name=nb_path.name, offline=offline)
    else:
        page = to_html(nb, title=title_of(nb, nb_path.stem), path=nb_path.resolve().parent, no_prompt=no_prompt,
                       no_input=no_input, offline=offline)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    views = sum(1 for i, c in enumerate(nb.cells) if c.cell_type == "code" and (chosen is None or i in chosen)
                for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {}))
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return ExportInfo(path=out, executed=run, code_cells=sum(c.cell_type == "code" for c in nb.cells),
                      widget_outputs=views, widget_models=len(state), bytes=len(page.encode()))


def export_html(notebook_path: str | Path, out_path: str | Path | None = None, *,
                execute: bool | None = None, timeout: float = NOTEBOOK_SECONDS, allow_errors: bool = False,
                no_prompt: bool = False, no_input: bool = False, kernel_name: str | None = None,
                cell: int | str | None = None, tag: str | None = None, binder: str | None = None,
                offline: bool = False) -> Path:
    """Write an executed notebook as one standalone HTML page; returns its path.

    execute=None runs the notebook first only when no code cell has outputs (True: always, False:
    never). Widget state is embedded, so ipywidgets render with the html-manager from a CDN; SVG and
    `_repr_html_` outputs (and each gokit widget's static snapshot) show without JavaScript. offline=True
    inlines the widget manager, so the page renders its widgets from disk with no network. `cell`/`tag`
    write one cell's outputs as an HTML fragment instead (see export_notebook).
    """
    return export_notebook(notebook_path, out_path, execute_cells=execute, timeout=timeout,
                           allow_errors=allow_errors, no_prompt=no_prompt, no_input=no_input,
                           kernel_name=kernel_name, cell=cell, tag=tag, binder=binder, offline=offline).path


# ---------------------------------------------------------------- offline pages: the widget manager, inlined

#: The standalone widget manager for ipywidgets 8 state, from the npm registry (the package's own dist/embed.js:
#: it renders every widget-view script from the page's widget-state script on window load, without require.js).
HTML_MANAGER = "@jupyter-widgets/html-manager"
HTML_MANAGER_VERSION = "1.0.15"
HTML_MANAGER_TARBALL = "https://registry.npmjs.org/@jupyter-widgets/html-manager/-/html-manager-1.0.15.tgz"
#: The registry's `dist.integrity` of that tarball (npm view @jupyter-widgets/html-manager@1.0.15 dist.integrity).
HTML_MANAGER_INTEGRITY = ("sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==")
HTML_MANAGER_CDN = f"{WIDGETS_CDN}{HTML_MANAGER}@{HTML_MANAGER_VERSION}/dist/embed.js"
FONT_REF_RE = re.compile(r'[A-Za-z_$][\w$]*\.p\+"(?P<file>[0-9a-f]{20}\.woff2)"')
BINDER_BASE = "https://mybinder.org/v2/gh/gokit/gokit/HEAD"


def _verified_tarball(data: bytes) -> bytes:
    import hashlib

    algo, _, want = HTML_MANAGER_INTEGRITY.partition("-")
    got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if got != want:
        raise GokitError(f"the {HTML_MANAGER} {HTML_MANAGER_VERSION} tarball does not match the npm registry's "
                         f"integrity hash ({algo}): refusing to inline it")
    return data


def _manager_tarball() -> bytes:
    """The npm tarball: $GOKIT_HTML_MANAGER (a .tgz you downloaded), else from the npm registry, verified."""
    import os
    import urllib.request

    local = os.environ.get("GOKIT_HTML_MANAGER")
    if local:
        return _verified_tarball(Path(local).read_bytes())
    try:
        with urllib.request.urlopen(HTML_MANAGER_TARBALL, timeout=60) as r:  # noqa: S310 - a fixed https URL
            return _verified_tarball(r.read())
    except OSError as e:
        raise GokitError(f"--offline inlines the widget manager {HTML_MANAGER} {HTML_MANAGER_VERSION}, and it is "
                         f"not in gokit's cache yet; downloading it from the npm registry failed ({e}). Run the "
                         "export once with network access (it is cached afterwards), or download "
                         f"{HTML_MANAGER_TARBALL} and set GOKIT_HTML_MANAGER to that file.") from None


def widget_manager_js() -> str:
    """dist/embed.js of the html-manager package, its Font Awesome woff2 fonts inlined as data: URLs (cached)."""
    from .. import _cache as cache

    k = cache.key("html-manager", HTML_MANAGER_VERSION, HTML_MANAGER_INTEGRITY, "embed.js+woff2")
    return cache.memo("widgets", k, _embed_js, bytes, memory=False).decode("utf-8")


def _embed_js() -> bytes:
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(_manager_tarball()), mode="r:gz") as t:
        def member(name: str) -> bytes:
            f = t.extractfile(f"package/dist/{name}")
            if f is None:
                raise GokitError(f"{HTML_MANAGER} {HTML_MANAGER_VERSION} has no dist/{name}")
            return f.read()

        js = member("embed.js").decode("utf-8")
        fonts = {m["file"]: member(m["file"]) for m in FONT_REF_RE.finditer(js)}
    for name, data in fonts.items():  # `n.p+"hash.woff2"` (publicPath + file) -> the font itself
        js = re.sub(r'[A-Za-z_$][\w$]*\.p\+"' + re.escape(name) + '"',
                    f'"data:font/woff2;base64,{base64.b64encode(data).decode()}"', js)
    # inline in a <script>: "</script" or "<!--" inside the code would end or confuse the element
    js = js.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    return js.encode("utf-8")


def manager_script(*, offline: bool) -> str:
    """The <script> that renders widgets: the CDN's embed.js, or (offline) the same file inside a data: URL.

    Not an inline <script>: webpack's runtime derives its public path from the script's own src and
    throws ("Automatic publicPath is not supported") when there is none.
    """
    if not offline:
        return f'<script src="{HTML_MANAGER_CDN}" crossorigin="anonymous"></script>'
    b64 = base64.b64encode(widget_manager_js().encode("utf-8")).decode()
    return f'<script src="data:text/javascript;base64,{b64}"></script>'


# ---------------------------------------------------------------- fragments: one cell for a blog post

#: Classes of the lab stylesheet that outputs use: the fragment keeps only their rules, scoped to .gokit-embed.
FRAGMENT_CLASSES = ("jp-RenderedHTMLCommon", "jp-RenderedHTML", "jp-RenderedText", "jp-RenderedImage",
                    "jp-RenderedSVG", "jp-OutputArea", "jp-RenderedMarkdown")
CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
CELL_ANCHOR_RE = re.compile(r' id="cell-id=[^"]*"')


def _css_rules(css: str) -> list[tuple[str, str]]:
    """Top-level (selector, body) pairs of a stylesheet; at-rule blocks (@media, @font-face ...) are skipped."""
    css = CSS_COMMENT_RE.sub("", css)
    out: list[tuple[str, str]] = []
    i = 0
    while True:
        j = css.find("{", i)
        if j < 0:
            return out
        selector = css[i:j].strip()
        depth, k = 1, j + 1
        while depth and k < len(css):
            depth += {"{": 1, "}": -1}.get(css[k], 0)
            k += 1
        if not selector.startswith("@"):
            out.append((selector, css[j + 1:k - 1].strip()))
        i = k


def _lab_css(name: str) -> str:
    from jupyter_core.paths import jupyter_path

    for d in jupyter_path("nbconvert", "templates", "lab", "static"):
        p = Path(d) / name
        if p.is_file():
            return p.read_text(encoding="utf-8")
    raise GokitError(f"nbconvert's lab template has no static/{name}: reinstall nbconvert")


def fragment_css(scope: str = ".gokit-embed") -> str:
    """The JupyterLab rules for outputs (tables, text, images) and the light theme's variables, all under `scope`,
    from nbconvert's own lab stylesheet, so a fragment looks like the lesson without touching the blog's page."""
    rules = []
    for selector, body in _css_rules(_lab_css("theme-light.css")):
        if selector == ":root":
            rules.append(f"{scope} {{{body}}}")
    for selector, body in _css_rules(_lab_css("index.css")):
        if any(c in selector for c in FRAGMENT_CLASSES):
            scoped = ", ".join(f"{scope} {part.strip()}" for part in selector.split(","))
            rules.append(f"{scoped} {{{body}}}")
    rules.append(f"{scope} .gokit-widget:has(.widget-subarea > *) > .gokit-static {{ display: none; }}")
    rules.append(f"{scope} {{ font-family: var(--jp-content-font-family); color: var(--jp-content-font-color1); }}")
    rules.append(f"{scope} .gokit-binder {{ font-size: smaller; margin: .3em 0; }}")
    return "\n".join(rules)


def select_cells(nb: "NotebookNode", cell: int | str | None = None, tag: str | None = None) -> list[int]:
    """Indices (into nb.cells) chosen by `cell` (the Nth code cell, 1-based, as `gokit check` counts; or a cell
    id like "07-046") or by `tag` (every cell whose metadata tags include it)."""
    if (cell is None) == (tag is None):
        raise UsageError("choose the cell to export with exactly one of --cell N (or a cell id) and --tag TAG")
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    if tag is not None:
        found = [i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]
        if not found:
            raise UsageError(f"no cell is tagged {tag!r} (add the tag in JupyterLab's property inspector)")
        return found
    if isinstance(cell, int) or (isinstance(cell, str) and cell.isdigit()):
        n = int(cell)
        if not 1 <= n <= len(code):
            raise UsageError(f"--cell {n}: the notebook has {len(code)} code cells (counted from 1)")
        return [code[n - 1]]
    found = [i for i, c in enumerate(nb.cells) if c.get("id") == cell]
    if not found:
        raise UsageError(f"no cell with id {cell!r}: give a code-cell number (1 is the first code cell) or a cell id")
    return found


def _referenced_state(state: dict[str, Any], roots: list[str]) -> dict[str, Any]:
    """The widget models `roots` need, with every model they reference (IPY_MODEL_<id>) in turn."""
    out: dict[str, Any] = {}
    todo = list(roots)
    while todo:
        mid = todo.pop()
        if mid in out or mid not in state:
            continue
        out[mid] = state[mid]
        todo.extend(re.findall(r"IPY_MODEL_(\w+)", json.dumps(state[mid])))
    return out


def fragment(nb: "NotebookNode", indices: list[int], *, binder: str | None = None, notebook_name: str = "",
             offline: bool = False) -> str:
    """The outputs of nb.cells[indices] as one self-contained HTML fragment (scoped styles, widget state, manager)."""
    import html as html_mod

    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_notebook

    cells = [nb.cells[i] for i in indices]
    if not any(c.get("outputs") for c in cells):
        raise UsageError("the chosen cell has no outputs to export: run the notebook first (or drop --no-execute)")
    sub = new_notebook(cells=cells, metadata=dict(nb.metadata))
    sub.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"gokit_fragment.html.j2":
                                                                             FRAGMENT_TEMPLATE})],
                            template_file="gokit_fragment.html.j2", embed_images=True, exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_filter("gokit_static", _static_alternative)
    body, _ = exporter.from_notebook_node(sub, resources={"metadata": {"name": notebook_name, "path": ""}})
    body = CELL_ANCHOR_RE.sub("", body)  # a pasted fragment needs no (random) cell-id anchors
    views = [o["data"][WIDGET_VIEW]["model_id"] for c in cells for o in c.get("outputs", [])
             if WIDGET_VIEW in o.get("data", {})]
    widgets = ""
    saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    state = _referenced_state(saved.get("state", {}), views)
    if state:
        blob = json.dumps({"version_major": saved.get("version_major", 2),
                           "version_minor": saved.get("version_minor", 0), "state": state})
        script = manager_script(offline=offline)
        blob = blob.replace("</", "<\\/")  # JSON allows \/: a "</script" inside must not end the element
        widgets = f'<script type="{WIDGET_STATE}">{blob}</script>\n{script}'
    link = ""
    if binder:
        url = binder if "urlpath=" in binder else (
            f"{binder.rstrip('/')}?urlpath=" + html_mod.escape(f"lab/tree/notebooks/{notebook_name}"))
        link = (f'<p class="gokit-binder"><a href="{url}" target="_blank" rel="noopener">▶ Run it live on Binder'
                "</a></p>")
    return (f'<div class="gokit-embed jp-Notebook">\n<style>\n{fragment_css()}\n</style>\n{body.strip()}\n'
            f"{widgets}\n{link}\n</div>\n")


def embed(view: Any, *, binder: str | None = None, offline: bool = False) -> str:
    """`view` (a gokit view, a DataFrame, a Diagram, a widget, a figure ...) as the HTML fragment
    `gokit export NOTEBOOK --cell N` writes for a cell that shows it: paste it into a blog post.

    `binder`: a Binder URL (or `gokit.faces.export.BINDER_BASE`) for a "run it live" link; `offline`: inline the
    widget manager instead of loading it from a CDN.
    """
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    data, metadata = _mimebundle(view)
    nb = new_notebook(cells=[new_code_cell("", outputs=[new_output("display_data", data=data, metadata=metadata)])])
    state = _widget_state(view)
    if state:
        nb.metadata["widgets"] = {WIDGET_STATE: state}
    return fragment(nb, [0], binder=binder, offline=offline)


def _mimebundle(view: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """What Jupyter would display for `view` (IPython's own formatters; a matplotlib figure as SVG)."""
    import io

    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        Figure = ()  # type: ignore[assignment,misc]
    if isinstance(view, Figure):
        buf = io.StringIO()
        view.savefig(buf, format="svg", bbox_inches="tight")
        return {"image/svg+xml": buf.getvalue(), "text/plain": repr(view)}, {}
    from IPython import get_ipython
    from IPython.core.formatters import DisplayFormatter

    ip = get_ipython()
    formatter = ip.display_formatter if ip is not None else DisplayFormatter()
    data, metadata = formatter.format(view)
    if not data:
        raise UsageError(f"{type(view).__name__} has no display form to embed")
    return dict(data), dict(metadata)


def _widget_state(view: Any) -> dict[str, Any] | None:
    """The embeddable state of an ipywidgets widget (and every model it depends on), if `view` is or holds one."""
    try:
        from ipywidgets import Widget
        from ipywidgets.embed import dependency_state
    except ImportError:  # pragma: no cover
        return None
    from ..views.widgets import Explorer

    widget = view if isinstance(view, Widget) else view.live() if isinstance(view, Explorer) else None
    if not isinstance(widget, Widget):
        return None
    return {"version_major": 2, "version_minor": 0, "state": dependency_state([widget], drop_defaults=True)}
