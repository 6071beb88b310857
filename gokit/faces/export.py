"""Export an executed notebook to one standalone HTML page (or one cell as a blog fragment): gokit explorers run from
the page itself with no kernel and no network, diagrams and tables need no JavaScript."""
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
# embedded state (JavaScript + network).  gokit explorers never need it: their output's text/html is the explorer
# itself, kernel-free (see gokit.views.explorers), and `prepare` drops their widget view.  For any other widget we
# also keep the output's static alternative and hide it with CSS once the live widget is on the page.
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
# A cell JupyterLab shows folded (metadata.jupyter.source_hidden: the lessons' "What you saw" generators, their
# plumbing) keeps its code folded on the page too, behind a "show code" toggle; its outputs show as usual.
HIDDEN_INPUT_BLOCK = r"""
{%- block input_group -%}
{%- if (cell.metadata.get('jupyter') or {}).get('source_hidden') -%}
<details class="gokit-hidden-code"><summary>show code</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{%- endblock input_group -%}
"""
# require.js and the widget manager only for widgets that still need them (never offline); offline, nothing else
# from a CDN either (MathJax, mermaid)
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
""" + WIDGET_VIEW_BLOCK + HIDDEN_INPUT_BLOCK + r"""{%- block html_head_js %}
{%- if resources.gokit_widgets %}{{ super() }}{% endif %}
<style type="text/css">
.gokit-widget:has(.widget-subarea > *) > .gokit-static { display: none; }
.gokit-hidden-code > summary { cursor: pointer; color: #666; font-size: 12px; margin: 2px 0 2px 6px; }
</style>
{%- endblock html_head_js %}
{% block jupyter_widgets %}
{%- if resources.gokit_widgets %}{{ super() }}{% endif -%}
{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}
{%- if not resources.gokit_offline %}{{ super() }}{% endif %}
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}
{%- if not resources.gokit_offline %}{{ super() }}{% endif %}
{%- endblock html_head_js_mermaidjs -%}
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


def _is_explorer(data: dict[str, Any]) -> bool:
    """An output whose text/html is a kernel-free gokit explorer (it needs no widget manager)."""
    from ..views.explorers._base import MOUNT_CLASS

    return f'class="{MOUNT_CLASS}"' in _joined(data.get("text/html", ""))


def prepare(nb: "NotebookNode", *, offline: bool) -> tuple["NotebookNode", int]:
    """A copy of `nb` ready to export: a gokit explorer's widget view dropped for its kernel-free HTML (and its
    model dropped from the saved widget state); offline, every other widget view dropped too (its saved
    text/HTML shows instead: no widget manager, nothing from the network). Returns the copy and how many widget
    views still need the manager."""
    import copy

    nb = copy.deepcopy(nb)
    remaining = 0
    for c in nb.cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else ():
            data = o.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            if _is_explorer(data) or offline:
                del data[WIDGET_VIEW]
                if not any(k for k in data if k != "text/plain") and not data.get("text/plain"):
                    data["text/plain"] = "(an interactive widget: run the notebook to see it)"
            else:
                remaining += 1
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    if widgets is not None:
        state = widgets.get("state", {})
        for mid in [m for m, v in state.items() if str(v.get("state", {}).get("_anywidget_id", "")).startswith(
                "gokit.views.explorers")]:
            del state[mid]
    if not remaining:
        nb.metadata.pop("widgets", None)
    return nb, remaining


def dedupe_modules(page: str) -> str:
    """Keep the first copy of each explorer module on a page (every explorer output carries its module, so that
    one output alone works; a page of several explorers of one kind needs it once)."""
    from ..views.explorers._base import MODULE_ATTR

    seen: set[str] = set()

    def keep_first(m: re.Match[str]) -> str:
        name = m.group("name")
        if name in seen:
            return ""
        seen.add(name)
        return m.group(0)

    # any attribute order: nbconvert may write the tag back with its attributes sorted
    return re.sub(r'<script\b[^>]*\b' + MODULE_ATTR + r'="(?P<name>[^"]+)"[^>]*>.*?</script>', keep_first, page,
                  flags=re.DOTALL)


def to_html(nb: "NotebookNode", *, title: str, path: Path | None = None, no_prompt: bool = False,
            no_input: bool = False, offline: bool = False) -> str:
    """The HTML page of a notebook (as it is: no execution); markdown images are read relative to `path`.

    gokit explorers run from the page itself. Other ipywidgets render from their saved state with the
    html-manager from a CDN; offline=True loads nothing at all (no CDN, no MathJax): they show their saved
    text/HTML instead."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb, widgets = prepare(nb, offline=offline)
    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[DictLoader({"gokit_export.html.j2": TEMPLATE})],
        template_file="gokit_export.html.j2", jupyter_widgets_base_url=WIDGETS_CDN,
        html_manager_semver_range=HTML_MANAGER_RANGE, embed_images=True,
        exclude_input_prompt=no_prompt, exclude_output_prompt=no_prompt, exclude_input=no_input)
    exporter.register_filter("gokit_static", _static_alternative)
    meta = {"name": title, "path": str(path) if path is not None else ""}
    resources: dict[str, Any] = {"metadata": meta, "gokit_offline": offline, "gokit_widgets": widgets > 0}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return dedupe_modules(str(body))


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
    never). gokit explorers stay clickable with no kernel and no network (their data and front end are in the
    page); other ipywidgets render from their saved state with the html-manager from a CDN; SVG and
    `_repr_html_` outputs show without JavaScript. offline=True loads nothing from the network: other widgets
    show their saved text/HTML. `cell`/`tag` write one cell's outputs as an HTML fragment instead (see
    export_notebook).
    """
    return export_notebook(notebook_path, out_path, execute_cells=execute, timeout=timeout,
                           allow_errors=allow_errors, no_prompt=no_prompt, no_input=no_input,
                           kernel_name=kernel_name, cell=cell, tag=tag, binder=binder, offline=offline).path


#: The widget manager for ipywidgets 8 state that a page loads from the CDN for widgets other than gokit's own
#: explorers (which need none); never on an offline page.
HTML_MANAGER = "@jupyter-widgets/html-manager"
HTML_MANAGER_VERSION = "1.0.15"
HTML_MANAGER_CDN = f"{WIDGETS_CDN}{HTML_MANAGER}@{HTML_MANAGER_VERSION}/dist/embed.js"
BINDER_BASE = "https://mybinder.org/v2/gh/gokit/gokit/HEAD"


def manager_script() -> str:
    """The <script> that renders saved ipywidgets state in a fragment: the html-manager's embed.js from the CDN."""
    return f'<script src="{HTML_MANAGER_CDN}" crossorigin="anonymous"></script>'


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
    """The outputs of nb.cells[indices] as one self-contained HTML fragment: scoped styles; a gokit explorer with
    its data and module (no kernel, no network); other widgets' state and the CDN's manager (offline: their
    saved text/HTML)."""
    import html as html_mod

    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_notebook

    cells = [nb.cells[i] for i in indices]
    if not any(c.get("outputs") for c in cells):
        raise UsageError("the chosen cell has no outputs to export: run the notebook first (or drop --no-execute)")
    saved = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    sub, _ = prepare(new_notebook(cells=cells, metadata=dict(nb.metadata)), offline=offline)
    sub.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"gokit_fragment.html.j2":
                                                                             FRAGMENT_TEMPLATE})],
                            template_file="gokit_fragment.html.j2", embed_images=True, exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_filter("gokit_static", _static_alternative)
    body, _ = exporter.from_notebook_node(sub, resources={"metadata": {"name": notebook_name, "path": ""}})
    body = CELL_ANCHOR_RE.sub("", body)  # a pasted fragment needs no (random) cell-id anchors
    views = [o["data"][WIDGET_VIEW]["model_id"] for c in sub.cells for o in c.get("outputs", [])
             if WIDGET_VIEW in o.get("data", {})]
    widgets = ""
    state = _referenced_state(saved.get("state", {}), views)
    if state:   # widgets other than gokit's explorers (never offline: `prepare` dropped their views)
        blob = json.dumps({"version_major": saved.get("version_major", 2),
                           "version_minor": saved.get("version_minor", 0), "state": state})
        blob = blob.replace("</", "<\\/")  # JSON allows \/: a "</script" inside must not end the element
        widgets = f'<script type="{WIDGET_STATE}">{blob}</script>\n{manager_script()}'
    link = ""
    if binder:
        url = binder if "urlpath=" in binder else (
            f"{binder.rstrip('/')}?urlpath=" + html_mod.escape(f"lab/tree/notebooks/{notebook_name}"))
        link = (f'<p class="gokit-binder"><a href="{url}" target="_blank" rel="noopener">▶ Run it live on Binder'
                "</a></p>")
    outputs = [o for c in cells for o in c.get("outputs", [])]
    only_explorers = all(_is_explorer(o.get("data", {})) for o in outputs)   # they bring their own styles
    css = (".gokit-embed .gokit-binder { font-size: smaller; margin: .3em 0; }" if only_explorers
           else fragment_css())
    return dedupe_modules(f'<div class="gokit-embed jp-Notebook">\n<style>\n{css}\n</style>\n'
                          f"{body.strip()}\n{widgets}\n{link}\n</div>\n")


def embed(view: Any, *, binder: str | None = None, offline: bool = False) -> str:
    """`view` (a gokit view, a DataFrame, a Diagram, a widget, a figure ...) as the HTML fragment
    `gokit export NOTEBOOK --cell N` writes for a cell that shows it: paste it into a blog post.

    A gokit explorer stays clickable with no kernel and no network (its data and module travel in the fragment).
    `binder`: a Binder URL (or `gokit.faces.export.BINDER_BASE`) for a "run it live" link; `offline`: another ipywidget
    shows its saved text/HTML instead of loading the widget manager from a CDN.
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
    from ..views.explorers._base import Explorer

    if isinstance(view, Explorer) or not isinstance(view, Widget):
        return None   # a gokit explorer's text/html is the whole explorer
    return {"version_major": 2, "version_minor": 0, "state": dependency_state([view], drop_defaults=True)}
