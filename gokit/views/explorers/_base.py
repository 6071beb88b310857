"""What the four explorers share: their ES module from package data, the widget class, the kernel-free mount."""
from __future__ import annotations

import hashlib
import html
import json
import threading
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, ClassVar, Mapping

import anywidget
import traitlets

#: The layout of the data an explorer's module reads; a module mounts only data of its own format.
FORMAT = 1
#: The marker of a kernel-free explorer in HTML (export finds them by it, and dedupes their modules).
MOUNT_CLASS = "gokit-explorer"
MODULE_ATTR = "data-gokit-module"
KINDS = ("ssa", "ast", "asm", "journey")


def asset(name: str) -> str:
    """A front-end file shipped in the package (gokit/views/explorers/NAME)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def esm(kind: str) -> str:
    """The explorer's whole ES module: its CSS as a string, the shared core, its own code (`export default`)."""
    if kind not in KINDS:
        raise ValueError(f"no explorer {kind!r}; there are {', '.join(KINDS)}")
    css = asset("_core.css") + "\n" + asset(f"{kind}.css")
    return f"const CSS = {json.dumps(css)};\n{asset('_core.js')}\n{asset(f'{kind}.js')}"


def tag(kind: str) -> str:
    """The name an explorer's data and module carry in a page: kind and format (`ssa-1`)."""
    return f"{kind}-{FORMAT}"


@lru_cache(maxsize=None)
def module_script(kind: str) -> str:
    """The inline <script type="module"> that mounts every explorer of this kind on a page, with no kernel."""
    code = esm(kind) + f'\ngxMountAll("{tag(kind)}", render);\n'
    if "</script" in code.lower() or "<!--" in code or "<script" in code.lower():
        raise AssertionError(f"the {kind} explorer's module holds a sequence that would end its <script>")
    digest = hashlib.sha256(code.encode()).hexdigest()[:12]
    return f'<script type="module" {MODULE_ATTR}="{tag(kind)}-{digest}">\n{code}</script>'


def json_script(payload: Any) -> str:
    """JSON that is safe inside <script>: every `<` written as \\u003c (only strings hold one)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False).replace("<", "\\u003c")


def mount_html(kind: str, data: Mapping[str, Any], state: Mapping[str, Any], *, summary: str = "",
               module: bool = True) -> str:
    """The explorer as HTML that runs with no kernel: its data once, its state, and (module=True) the module
    that draws it. Without JavaScript the `summary` shows instead."""
    payload = json_script({"data": data, "state": state})
    fallback = (f"<div class='gokit-explorer-fallback' style='font:13px sans-serif;color:#555;padding:4px;"
                f"border:1px dashed #bbb'>{html.escape(summary)} (an interactive explorer: it needs JavaScript)"
                "</div>")
    return (f'<div class="{MOUNT_CLASS}" data-gokit-kind="{kind}">{fallback}'
            f'<script type="application/json" data-gokit-explorer="{tag(kind)}">{payload}</script></div>'
            + (module_script(kind) if module else ""))


class Explorer(anywidget.AnyWidget):  # type: ignore[misc]
    """A gokit explorer: an anywidget whose ES module draws `data` (built once, in Python, from a model) and
    reacts in the browser; `state` holds the current choices (synced both ways, so Python sees a click and
    a method call redraws the view). `_repr_mimebundle_` adds the same explorer as kernel-free HTML, which an
    exported page or a blog fragment shows.

    A choice whose answer is not in `data` (another GOARCH, another line) is asked of the kernel with a
    custom message; `_compute` (given by the subclass) answers it with new data. In a static page the
    module says that it needs a running notebook instead."""

    kind: ClassVar[str] = ""
    data = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)

    def __init_subclass__(cls, **kw: Any) -> None:
        if "kind" in cls.__dict__:   # the explorer's own class (not the ones traitlets derives from it)
            cls._esm = esm(cls.kind)
        super().__init_subclass__(**kw)

    def __init__(self, data: Mapping[str, Any], state: Mapping[str, Any]) -> None:
        super().__init__(data=dict(data), state=dict(state))
        self._lock = threading.Lock()
        self.on_msg(self._on_msg)

    # ---- the kernel side of "needs a new compile"
    def _compute(self, request: Mapping[str, Any]) -> Mapping[str, Any]:
        """New data for a request the front end sent (what it lacked). Subclasses that can recompute override."""
        raise NotImplementedError

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or content.get("gokit") != "compute":
            return
        try:
            with self._lock:
                self.data = dict(self._compute(content))
        except Exception as e:  # noqa: BLE001 - the advice goes to the view; the widget stays alive
            self.send({"gokit": "error", "request": content, "message": str(e)})

    def _set(self, **changes: Any) -> None:
        self.state = {**self.state, **changes}

    # ---- display
    def summary(self) -> str:
        return repr(self)

    def html(self, *, module: bool = True) -> str:
        """The explorer as it is now, as kernel-free HTML (what an exported page or `gokit.embed` holds)."""
        return mount_html(self.kind, self.data, self.state, summary=self.summary(), module=module)

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        out = super()._repr_mimebundle_(**kwargs)
        data, meta = out if isinstance(out, tuple) else (out or {}, {})
        data = dict(data)
        data["text/html"] = self.html()
        data["text/plain"] = repr(self)
        return data, meta


def precompute(keys: list[Any], fn: Callable[[Any], Any], workers: int = 3, *, desc: str = "gokit explorer",
               unit: str = "item") -> dict[Any, Any]:
    """fn(key) for every key, a few at a time (each may run the toolchain), with a progress bar when there are
    several; exceptions are returned, not raised."""
    from concurrent.futures import ThreadPoolExecutor

    from ..._progress import Progress

    def one(k: Any) -> Any:
        try:
            return fn(k)
        except Exception as e:  # noqa: BLE001 - the explorer shows what went wrong for that choice
            return e

    if len(keys) <= 1:
        return {k: one(k) for k in keys}
    bar = Progress(len(keys), desc=desc, unit=unit)
    out: dict[Any, Any] = {}
    try:
        with ThreadPoolExecutor(max_workers=min(workers, len(keys))) as pool:
            for k, v in zip(keys, pool.map(one, keys)):
                out[k] = v
                bar.update(1)
    finally:
        bar.close()
    return out
