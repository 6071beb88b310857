"""Export an executed notebook to one standalone HTML page for a blog: widgets from a CDN, diagrams without JS."""
from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._run import check_timeout
from .errors import GokitError, UsageError

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
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block data_widget_view scoped %}
<div class="gokit-widget">
{{ super() }}
{%- set static = output.data | gokit_static %}
{%- if static %}
<div class="gokit-static">{{ static }}</div>
{%- endif %}
</div>
{%- endblock data_widget_view -%}
{%- block html_head_js %}
{{ super() }}
<style type="text/css">
.gokit-widget:has(.widget-subarea > *) > .gokit-static { display: none; }
</style>
{%- endblock html_head_js %}
"""


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


def kernel_config() -> Any:
    """nbclient config for a quiet, private kernel: IPC sockets in gokit's temp dir instead of TCP on localhost.

    Over TCP, ipykernel warns on stderr (which lands on the terminal of `gokit export` / `gokit check`) that
    "all communication ... is sent in plain text"; Unix sockets in a private directory have nothing to warn
    about. Their path prefix must be absolute: the kernel and the client run in different directories.
    """
    from traitlets.config import Config

    from . import _tmp

    cfg = Config()
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.ip = str(_tmp.mkdtemp("kernel-") / "k")
    return cfg


def run_cells(nb: "NotebookNode", cwd: Path, *, timeout: float = 600, allow_errors: bool = False,
              kernel_name: str | None = None, store_widget_state: bool = True) -> "NotebookNode":
    """Run every cell of `nb` in a fresh kernel (in `cwd`), raising nbclient's own exceptions; returns `nb`."""
    import shutil

    from nbclient import NotebookClient

    name = kernel_name or nb.metadata.get("kernelspec", {}).get("name") or "python3"
    cfg = kernel_config()
    # nbclient starts the kernel through jupyter_client (a library that owns the kernel's lifetime).
    client = NotebookClient(nb, timeout=int(timeout), kernel_name=name, allow_errors=allow_errors,
                            store_widget_state=store_widget_state, resources={"metadata": {"path": str(cwd)}},
                            config=cfg)
    try:
        client.execute()
    finally:
        shutil.rmtree(Path(cfg.KernelManager.ip).parent, ignore_errors=True)
    return nb


def execute(nb: "NotebookNode", cwd: Path, *, timeout: float = 600, allow_errors: bool = False,
            kernel_name: str | None = None) -> "NotebookNode":
    """Run every cell (top to bottom, like "Run All") in `cwd`, keeping the widget state; returns `nb`."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    name = kernel_name or nb.metadata.get("kernelspec", {}).get("name") or "python3"
    try:
        run_cells(nb, cwd, timeout=timeout, allow_errors=allow_errors, kernel_name=name)
    except CellTimeoutError as e:
        raise GokitError(f"a cell ran longer than {timeout:g} s; raise --timeout or fix the cell:\n{e}") from None
    except CellExecutionError as e:
        first = str(e).strip().splitlines()
        raise GokitError("a cell raised an error while executing the notebook (export it anyway with "
                         "--allow-errors):\n" + "\n".join(first[-12:])) from None
    except DeadKernelError as e:
        raise GokitError(f"the kernel died while executing the notebook: {e}") from None
    except Exception as e:
        if type(e).__name__ == "NoSuchKernel":
            raise GokitError(f"no Jupyter kernel named {name!r}: install ipykernel (pip install ipykernel) or "
                             f"pass kernel_name=") from None
        raise
    return nb


def to_html(nb: "NotebookNode", *, title: str, path: Path | None = None, no_prompt: bool = False,
            no_input: bool = False) -> str:
    """The HTML page of a notebook (as it is: no execution); markdown images are read relative to `path`."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", extra_loaders=[DictLoader({"gokit_export.html.j2": TEMPLATE})],
        template_file="gokit_export.html.j2", jupyter_widgets_base_url=WIDGETS_CDN,
        html_manager_semver_range=HTML_MANAGER_RANGE, embed_images=True,
        exclude_input_prompt=no_prompt, exclude_output_prompt=no_prompt, exclude_input=no_input)
    exporter.register_filter("gokit_static", _static_alternative)
    meta = {"name": title, "path": str(path) if path is not None else ""}
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": meta})
    return str(body)


def export_notebook(notebook_path: str | Path, out_path: str | Path | None = None, *,
                    execute_cells: bool | None = None, timeout: float = 600, allow_errors: bool = False,
                    no_prompt: bool = False, no_input: bool = False, kernel_name: str | None = None) -> ExportInfo:
    """`export_html` with its details: whether it executed, how many widgets were embedded, the size."""
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
    run = (not has_outputs(nb)) if execute_cells is None else bool(execute_cells)
    if run:
        log.debug("executing %s", nb_path)
        execute(nb, nb_path.resolve().parent, timeout=timeout, allow_errors=allow_errors, kernel_name=kernel_name)
    page = to_html(nb, title=title_of(nb, nb_path.stem), path=nb_path.resolve().parent, no_prompt=no_prompt,
                   no_input=no_input)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    views = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                if WIDGET_VIEW in o.get("data", {}))
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return ExportInfo(path=out, executed=run, code_cells=sum(c.cell_type == "code" for c in nb.cells),
                      widget_outputs=views, widget_models=len(state), bytes=len(page.encode()))


def export_html(notebook_path: str | Path, out_path: str | Path | None = None, *,
                execute: bool | None = None, timeout: float = 600, allow_errors: bool = False,
                no_prompt: bool = False, no_input: bool = False, kernel_name: str | None = None) -> Path:
    """Write an executed notebook as one standalone HTML page; returns its path.

    execute=None runs the notebook first only when no code cell has outputs (True: always, False:
    never). Widget state is embedded, so ipywidgets render with the html-manager from a CDN; SVG and
    `_repr_html_` outputs (and each gokit widget's static snapshot) show without JavaScript.
    """
    return export_notebook(notebook_path, out_path, execute_cells=execute, timeout=timeout,
                           allow_errors=allow_errors, no_prompt=no_prompt, no_input=no_input,
                           kernel_name=kernel_name).path
