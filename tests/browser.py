"""Pixel tests: render notebook cells in a real JupyterLab, in a real headless Chromium, offline.

How it works
------------
One JupyterLab server (127.0.0.1, a free port, a random token, a temp root dir, temp config/settings/
runtime dirs, no browser, read-only extension manager, no news or update checks) and one headless
Chromium (`/usr/bin/chromium` from Debian, or $GOKIT_CHROMIUM; never `playwright install`) are started
once per test session and shared by every pixel test.  Every request the page makes to anything but
that server is aborted and recorded (`Lab.blocked`): widgets must render with no CDN at all.

`lab.render_cells(cells)` writes a temp notebook, opens it in Lab, runs all cells on a fresh kernel,
waits for `wait_for` in the last cell's output area, and returns `Rendered`: the PNG screenshot of that
output area (prompts hidden), its HTML and text, plus the live playwright `Locator` to interact with.
Opening the next notebook shuts down the previous one's kernel, so at most one kernel runs.

Process rule: library code starts processes only through `gokit/_run.py`.  This is test
infrastructure, not library code: the long-running JupyterLab server is started here with
`subprocess.Popen` (in its own process group, terminated at session end), Chromium by playwright, and
`npm pack` (the `html_manager` fixture) with `subprocess.run`.

Why a live Lab rather than an exported page with the html-manager: it is what a learner sees (the
real @jupyter-widgets/jupyterlab-manager, a live kernel answering observers, Lab's CSS), it needs
nothing from the network, and it costs ~8 s per session.  Exported pages are tested too (open_static).

How to write a pixel test
-------------------------
    import pytest
    from browser import count_colour, crop, image, is_blank, lab, lab_session  # import BOTH fixtures

    pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]   # + pytest.mark.go if it runs Go

    def test_my_widget(lab):
        r = lab.render_cells(["import gokit", "gokit.parse('package p').explore()"],
                             wait_for=".jupyter-widgets mark.gokit-span")
        img = image(r.png)                       # (H, W, 3) uint8
        assert not is_blank(img)
        # find a region by CSS selector (box is relative to the screenshot), check a colour there
        box = r.box("mark.gokit-span")           # graphviz nodes: "g.node:has(> title:text-is('b2'))"
        assert count_colour(crop(img, box), "#ffe08a") > 0.4 * box[2] * box[3]
        # interact with the real widget, then take a new snapshot once the kernel answered
        r.output.locator("select").select_option(index=3)       # or .noUi-handle + press("Home")
        r2 = r.snapshot(changed=True)            # waits until the output DOM changed and settled
        assert count_colour(crop(image(r2.png), box), "#ffe08a") == 0

- `render_cells` raises AssertionError with the traceback if a cell raises, and with the output's
  text if `wait_for` never shows; it fails on "Error displaying widget".  `lab.blocked` lists any
  request that tried to leave 127.0.0.1 (assert it is empty).
- Assert colours that mean something: the highlight colour your widget sets, inside the box of the
  element that should be highlighted, and absent elsewhere / after the selection moved.  Never
  whole-image hashes (fonts and anti-aliasing differ between machines); text colours are
  anti-aliased, so prefer fills, or a hue test (see `brown_ink` in test_widgets_browser.py), or
  exact matches counted relative to a control.  `top_colours(img)` helps choose the colour.
- Static HTML (e.g. a `gokit export` page): `with lab.open_static(path) as p:` opens it offline
  (`p.page`, `p.blocked`, `p.screenshot(selector)`); add `serve=html_manager` (a fixture that
  `npm pack`s @jupyter-widgets/html-manager and require.js) to answer the CDN from local copies.
- Screenshots are saved as `<pytest basetemp>/screenshots0/<test name>-<n>.png` with a
  `timings.json` (server start, Chromium start, Lab load, each render); look at them when a test
  fails.  Typical cost: ~8 s once per session, then 2-4 s per render_cells.
- Without Chromium, playwright or jupyterlab the tests skip with the reason; set
  GOKIT_REQUIRE_BROWSER=1 (CI) to turn that skip into a failure.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

import pytest

if TYPE_CHECKING:
    import numpy as np
    from playwright.sync_api import Browser, Locator, Page, Playwright

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORT = {"width": 1280, "height": 2000}
HEX_RE = re.compile(r"^#?(?P<r>[0-9a-fA-F]{2})(?P<g>[0-9a-fA-F]{2})(?P<b>[0-9a-fA-F]{2})$")
WIDGET_ERROR_RE = re.compile(r"Error displaying widget|Error rendering output|Failed to load model class")

# Lab settings for quiet, deterministic pages: every cell in the DOM, no news / update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False,
                                                     "doNotDisturbMode": True},
}
HIDE_PROMPTS_CSS = ".jp-OutputPrompt, .jp-InputPrompt { visibility: hidden !important; }"

# JS run in the page.  `jupyterapp` is exposed with --LabApp.expose_app_in_browser.
JS_CURRENT_READY = """(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.content || !w.sessionContext) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.content.widgets.length > 0;
}"""
JS_ALL_EXECUTED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  for (const c of w.content.widgets) {
    if (c.model.type !== 'code') continue;
    for (let i = 0; i < c.model.outputs.length; i++) {
      if (c.model.outputs.get(i).type === 'error') return true;   // "Run All" stops at an error
    }
    if (!c.model.executionCount) return false;
  }
  return true;
}"""
JS_ERRORS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const out = [];
  for (const c of w.content.widgets) {
    if (c.model.type !== 'code') continue;
    for (let i = 0; i < c.model.outputs.length; i++) {
      const o = c.model.outputs.get(i).toJSON();
      if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue + '\\n' + (o.traceback || []).join('\\n'));
    }
  }
  return out;
}"""
JS_CLOSE_CURRENT = """async () => {
  const w = window.jupyterapp.shell.currentWidget;
  if (!w || !w.sessionContext) return;
  try { await w.sessionContext.shutdown(); } catch (e) {}
  w.context.model.dirty = false;
  w.dispose();
}"""
JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""
JS_RUN_ANOTHER = """async (code) => {
  const w = window.jupyterapp.shell.currentWidget;
  const nb = w.content;
  const n = nb.model.cells.length;
  nb.model.sharedModel.insertCell(n, {cell_type: 'code', source: code});
  nb.activeCellIndex = n;
  await window.jupyterapp.commands.execute('notebook:run-cell');
  return n;
}"""
JS_CELL_DONE = """(n) => {
  const w = window.jupyterapp.shell.currentWidget;
  const c = w.content.widgets[n];
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!c && !!c.model.executionCount && !!k && k.status === 'idle';
}"""
JS_CELL_TEXT = """(n) => {
  const c = window.jupyterapp.shell.currentWidget.content.widgets[n];
  const out = [];
  for (let i = 0; i < c.model.outputs.length; i++) {
    const o = c.model.outputs.get(i).toJSON();
    if (o.output_type === 'stream') out.push(Array.isArray(o.text) ? o.text.join('') : o.text);
    else if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue);
    else if (o.data && o.data['text/plain']) out.push([].concat(o.data['text/plain']).join(''));
  }
  return out.join('');
}"""
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


# --------------------------------------------------------------------------------------------- pixels

def _rgb(colour: str | Sequence[int]) -> tuple[int, int, int]:
    if isinstance(colour, str):
        m = HEX_RE.match(colour.strip())
        if not m:
            raise ValueError(f"colour {colour!r}: use '#rrggbb' or an (r, g, b) tuple")
        return int(m["r"], 16), int(m["g"], 16), int(m["b"], 16)
    r, g, b = colour[:3]
    return int(r), int(g), int(b)


def image(png: bytes) -> "np.ndarray":
    """Decode a PNG into an (H, W, 3) uint8 RGB array (Pillow comes with matplotlib)."""
    import io

    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGB"))


def colour_mask(img: "np.ndarray", colour: str | Sequence[int], tol: int = 10) -> "np.ndarray":
    """Boolean (H, W) mask of pixels within `tol` (per channel) of `colour`."""
    import numpy as np

    target = np.array(_rgb(colour), dtype=np.int16)
    return (np.abs(img[..., :3].astype(np.int16) - target) <= tol).all(axis=-1)


def count_colour(img: "np.ndarray", colour: str | Sequence[int], tol: int = 10) -> int:
    """How many pixels are (within `tol`) `colour`."""
    return int(colour_mask(img, colour, tol).sum())


def crop(img: "np.ndarray", box: tuple[float, float, float, float]) -> "np.ndarray":
    """The part of `img` inside box = (x, y, width, height), clipped to the image."""
    x, y, w, h = box
    x0, y0 = max(int(x), 0), max(int(y), 0)
    x1, y1 = min(int(round(x + w)), img.shape[1]), min(int(round(y + h)), img.shape[0])
    return img[y0:max(y0, y1), x0:max(x0, x1)]


def is_blank(img: "np.ndarray", min_ink: int = 50) -> bool:
    """True when the image is (nearly) one flat colour: fewer than `min_ink` pixels differ from the corner."""
    import numpy as np

    if img.size == 0:
        return True
    bg = img[0, 0].astype(np.int16)
    ink = (np.abs(img.astype(np.int16) - bg) > 24).any(axis=-1).sum()
    return int(ink) < min_ink


def changed_fraction(a: "np.ndarray", b: "np.ndarray") -> float:
    """Fraction of pixels that differ between two images (compared on their common top-left area)."""
    import numpy as np

    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    if h == 0 or w == 0:
        return 1.0
    diff = (np.abs(a[:h, :w].astype(np.int16) - b[:h, :w].astype(np.int16)) > 24).any(axis=-1)
    extra = a.shape[0] * a.shape[1] + b.shape[0] * b.shape[1] - 2 * h * w
    return float(diff.sum() + extra / 2) / float(max(a.shape[0] * a.shape[1], b.shape[0] * b.shape[1]))


def top_colours(img: "np.ndarray", n: int = 8) -> list[tuple[str, int]]:
    """The `n` most frequent colours as ('#rrggbb', pixel count): handy when writing a new assertion."""
    import numpy as np

    flat = img.reshape(-1, 3)
    cols, counts = np.unique(flat, axis=0, return_counts=True)
    order = np.argsort(-counts)[:n]
    return [("#%02x%02x%02x" % tuple(int(v) for v in cols[i]), int(counts[i])) for i in order]


# --------------------------------------------------------------------------------------------- rendering

@dataclass
class Rendered:
    """The last cell's output area after a run: screenshot, DOM, text, and the live locator."""

    png: bytes
    html: str
    text: str
    output: "Locator"            # the last cell's .jp-OutputArea, live: click / select / type in it
    page: "Page"
    path: Path                   # where the PNG was saved
    lab: "Lab" = field(repr=False)

    def box(self, selector: str, nth: int = 0) -> tuple[float, float, float, float]:
        """(x, y, width, height) of the nth element matching `selector`, relative to this screenshot."""
        outer = self.output.bounding_box()
        inner = self.output.locator(selector).nth(nth).bounding_box()
        if outer is None or inner is None:
            raise AssertionError(f"{selector!r} is not visible in the output area")
        return inner["x"] - outer["x"], inner["y"] - outer["y"], inner["width"], inner["height"]

    def snapshot(self, *, changed: bool = False, wait_for: str | None = None, timeout: float = 30) -> "Rendered":
        """A new Rendered of the same output, once the kernel is idle and the DOM stopped changing.

        changed=True first waits until the output's HTML differs from this snapshot's (use it after
        an interaction that the kernel answers, like a Dropdown whose observer redraws a diagram).
        """
        deadline = time.monotonic() + timeout
        if changed:
            while self.output.inner_html() == self.html:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the output did not change within {timeout} s")
                self.page.wait_for_timeout(50)
        return self.lab._capture(self.output, wait_for=wait_for, deadline=deadline)


@dataclass
class StaticPage:
    """A local HTML page open in Chromium, offline (see `Lab.open_static`)."""

    page: "Page"
    blocked: list[str]
    lab: "Lab" = field(repr=False)

    def screenshot(self, selector: str = "body") -> tuple[bytes, Path]:
        """PNG of the element (saved next to the other screenshots of this test)."""
        png = self.page.locator(selector).first.screenshot(animations="disabled")
        self.lab._shot += 1
        path = self.lab.shots / f"{self.lab._test_name}-{self.lab._shot}.png"
        path.write_bytes(png)
        return png, path

    def close(self) -> None:
        self.page.context.close()

    def __enter__(self) -> "StaticPage":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Lab:
    """One JupyterLab server + one headless Chromium page, shared by all pixel tests of a session."""

    def __init__(self, workdir: Path, shots: Path, chromium: str) -> None:
        self.workdir = workdir
        self.shots = shots
        self.chromium = chromium
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.timings: dict[str, float] = {}     # server, chromium, lab_load (seconds)
        self.render_times: list[float] = []     # one per render_cells
        self._proc: subprocess.Popen[bytes] | None = None
        self._pw: "Playwright | None" = None
        self._browser: "Browser | None" = None
        self._page: "Page | None" = None
        self._count = 0
        self._shot = 0
        self._test_name = "render"
        self._log_file: Any = None

    # -- lifecycle
    def start(self, timeout: float = 60) -> "Lab":
        t0 = time.perf_counter()
        self._start_server(timeout)
        self.timings["server"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
        ctx = self._browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        ctx.route("**/*", self._route)
        self._page = ctx.new_page()
        self._page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.timings["chromium"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        self._page.goto(f"{self.url}/lab?token={self.token}&reset", timeout=timeout * 1000)
        self._page.wait_for_function("() => window.jupyterapp && window.jupyterapp.restored !== undefined "
                                     "&& document.querySelector('#jp-main-dock-panel')", timeout=timeout * 1000)
        self._page.evaluate("() => window.jupyterapp.restored")
        self._page.add_style_tag(content=HIDE_PROMPTS_CSS)
        self.timings["lab_load"] = time.perf_counter() - t2
        log.info("lab ready: %s", self.timings)
        return self

    def _start_server(self, timeout: float) -> None:
        for d in ("nb", "config", "data", "runtime", "workspaces"):
            (self.workdir / d).mkdir(parents=True, exist_ok=True)
        for name, values in LAB_SETTINGS.items():
            p = self.workdir / "settings" / f"{name}.jupyterlab-settings"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(values))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(self.workdir / "config"), JUPYTER_DATA_DIR=str(self.workdir / "data"),
                   JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(self.workdir / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.workdir / "workspaces"),
                   # the kernel imports the gokit of this checkout
                   PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
        argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.open_browser=False",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.workdir / 'nb'}",
                "--ServerApp.terminals_enabled=False", "--LabApp.expose_app_in_browser=True",
                "--LabApp.extension_manager=readonly", "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            argv.append("--allow-root")
        self._log_file = open(self.workdir / "server.log", "wb")
        # Test infrastructure may start a long-running server directly (see the module docstring).
        self._proc = subprocess.Popen(argv, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as r:
                    r.read()
                return
            except OSError:
                if self._proc.poll() is not None:
                    raise RuntimeError(f"jupyter lab exited with {self._proc.returncode}:\n{self.server_log()}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n{self.server_log()}")
                time.sleep(0.1)

    def server_log(self, tail: int = 4000) -> str:
        try:
            return (self.workdir / "server.log").read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.url + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self) -> None:
        """Close the browser and stop the server with its kernels (safe to call twice)."""
        page, browser, pw, proc = self._page, self._browser, self._pw, self._proc
        self._page = self._browser = self._pw = self._proc = None
        try:
            if page is not None:
                try:
                    page.evaluate(JS_CLOSE_CURRENT)
                except Exception:  # noqa: BLE001 - best effort, the server goes down next anyway
                    pass
            if browser is not None:
                browser.close()
            if pw is not None:
                pw.stop()
        finally:
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)  # the server and its kernels: our own process group
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(10)
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None

    # -- rendering
    @property
    def page(self) -> "Page":
        assert self._page is not None, "Lab.start() first"
        return self._page

    def render_cells(self, cells: Sequence[str], *, wait_for: str = ".jupyter-widgets",
                     timeout: float = 60) -> Rendered:
        """Run `cells` as a fresh notebook in Lab; screenshot the last cell's output once `wait_for` shows."""
        import nbformat

        t0 = time.perf_counter()
        deadline = time.monotonic() + timeout
        page = self.page
        page.evaluate(JS_CLOSE_CURRENT)  # one kernel at a time
        self._count += 1
        name = f"t{self._count:03d}.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, self.workdir / "nb" / name)
        self._run_all(name, deadline, polling=50)
        output = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").last.locator(
            ".jp-OutputArea")
        r = self._capture(output, wait_for=wait_for, deadline=deadline)
        self.render_times.append(time.perf_counter() - t0)
        return r

    def run_more(self, code: str, *, timeout: float = 60) -> str:
        """Run one more cell in the notebook open now (same kernel: it sees what the widgets changed); its text."""
        deadline = time.monotonic() + timeout
        n = self.page.evaluate(JS_RUN_ANOTHER, code)
        self.page.wait_for_function(JS_CELL_DONE, arg=n, timeout=_ms(deadline), polling=50)
        return str(self.page.evaluate(JS_CELL_TEXT, n))

    def _run_all(self, name: str, deadline: float, polling: int) -> None:
        """Open notebook `name` (in the server's root) in Lab, run all its cells, fail with the traceback of
        the first cell that raised."""
        page = self.page
        page.evaluate("async (path) => { await window.jupyterapp.commands.execute('docmanager:open', "
                      "{path, factory: 'Notebook'}); return true; }", name)
        page.wait_for_function(JS_CURRENT_READY, arg=name, timeout=_ms(deadline))
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(JS_ALL_EXECUTED, timeout=_ms(deadline), polling=polling)
        errors = page.evaluate(JS_ERRORS)
        if errors:
            raise AssertionError("a cell raised:\n" + ANSI_RE.sub("", "\n".join(errors)))

    def render_notebook(self, path: Path, *, timeout: float = 300, screen_height: int = 1100,
                        env_note: str = "") -> list[Path]:
        """Run a whole notebook (markdown included) in Lab as a learner would, then screenshot it screen by
        screen: returns PNG paths, each about `screen_height` pixels of the notebook, cells in order.

        For reading a lesson the way a learner does (`env_note` names the files, e.g. "go122").
        """
        import io
        import shutil as _shutil

        from PIL import Image

        deadline = time.monotonic() + timeout
        page = self.page
        page.evaluate(JS_CLOSE_CURRENT)
        self._count += 1
        name = f"n{self._count:03d}-{Path(path).name}"
        _shutil.copy(path, self.workdir / "nb" / name)
        self._run_all(name, deadline, polling=200)
        page.wait_for_timeout(1500)  # widgets and images settle
        cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
        shots: list[Any] = []
        for i in range(cells.count()):
            shots.append(Image.open(io.BytesIO(cells.nth(i).screenshot(animations="disabled"))).convert("RGB"))
        out: list[Path] = []
        stem = Path(path).stem + (f"-{env_note}" if env_note else "")
        group: list[Any] = []

        def flush() -> None:
            if not group:
                return
            w = max(im.width for im in group)
            sheet = Image.new("RGB", (w, sum(im.height for im in group)), "white")
            y = 0
            for im in group:
                sheet.paste(im, (0, y))
                y += im.height
            p = self.shots / f"{stem}-screen{len(out) + 1:02d}.png"
            sheet.save(p)
            out.append(p)
            group.clear()

        for im in shots:
            if group and sum(g.height for g in group) + im.height > screen_height:
                flush()
            group.append(im)
        flush()
        return out

    def _capture(self, output: "Locator", *, wait_for: str | None, deadline: float) -> Rendered:
        page = self.page
        if wait_for:
            try:
                output.locator(wait_for).first.wait_for(state="visible", timeout=_ms(deadline))
            except Exception as e:  # noqa: BLE001 - reword playwright's timeout with what we saw
                raise AssertionError(f"{wait_for!r} never showed in the last cell's output; it shows:\n"
                                     f"{output.inner_text()[:2000]}") from e
        page.wait_for_function(JS_KERNEL_IDLE, timeout=_ms(deadline), polling=50)
        html = output.inner_html()
        while True:  # settle: the DOM unchanged for 200 ms (widget views render asynchronously)
            page.wait_for_timeout(200)
            now = output.inner_html()
            if now == html or time.monotonic() > deadline:
                break
            html = now
        text = output.inner_text()
        if WIDGET_ERROR_RE.search(text):
            raise AssertionError(f"the widget failed to render in Lab:\n{text[:2000]}")
        png = output.screenshot(animations="disabled", timeout=_ms(deadline))
        self._shot += 1
        path = self.shots / f"{self._test_name}-{self._shot}.png"
        path.write_bytes(png)
        return Rendered(png=png, html=html, text=text, output=output, page=page, path=path, lab=self)

    def open_static(self, path: Path, *, serve: Mapping[str, Path] | None = None,
                    viewport: dict[str, int] | None = None) -> "StaticPage":
        """Open a local HTML file in a fresh browser context with the network cut off.

        `serve` maps URL regexes to local files (or to directories, when the regex has a `(?P<file>...)`
        group): e.g. a CDN script answered from an `npm pack` copy.  Every other non-file request is
        aborted and listed in `StaticPage.blocked`.
        """
        assert self._browser is not None, "Lab.start() first"
        ctx = self._browser.new_context(viewport=viewport or {"width": 1100, "height": 1400}, device_scale_factor=1)
        blocked: list[str] = []
        rules = [(re.compile(k), v) for k, v in (serve or {}).items()]

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("file:", "data:", "blob:")):
                r.continue_()
                return
            for rx, target in rules:
                m = rx.match(url)
                if m:
                    f = target / urllib.parse.unquote(m["file"]) if "file" in rx.groupindex else target
                    if f.is_file():
                        r.fulfill(path=str(f))
                        return
            blocked.append(url)
            r.abort()

        ctx.route("**/*", route)
        page = ctx.new_page()
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        return StaticPage(page=page, blocked=blocked, lab=self)

    def for_test(self, name: str) -> "Lab":
        self._test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80]
        self._shot = 0
        return self


def _ms(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.1) * 1000


# --------------------------------------------------------------------------------------------- fixtures

def chromium_path() -> str | None:
    """The Chromium to drive: $GOKIT_CHROMIUM, /usr/bin/chromium, or chromium on PATH."""
    for cand in (os.environ.get("GOKIT_CHROMIUM"), CHROMIUM_DEFAULT, shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def missing() -> str | None:
    """Why pixel tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright; no browser download needed)"
    try:
        import jupyterlab  # noqa: F401
        import PIL  # noqa: F401
    except ImportError as e:
        return f"{e.name} is not installed"
    if chromium_path() is None:
        return "no Chromium: apt-get install -y chromium (or set GOKIT_CHROMIUM)"
    return None


def skip_or_fail(reason: str) -> None:
    if os.environ.get("GOKIT_REQUIRE_BROWSER"):
        pytest.fail(f"GOKIT_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


_SHARED: dict[str, Any] = {"lab": None, "users": 0, "workdir": None}


@pytest.fixture(scope="session")
def lab_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The shared JupyterLab server + Chromium (session-scoped; use the `lab` fixture in tests).

    Test modules import this fixture by name, which gives each module its own fixture definition;
    they all share one Lab (reference-counted here), closed when the last of them is torn down.
    """
    reason = missing()
    if reason:
        skip_or_fail(reason)
    if _SHARED["lab"] is None:
        workdir = Path(tempfile.mkdtemp(prefix="gokit-lab-"))
        shots = tmp_path_factory.mktemp("screenshots")
        lab = Lab(workdir, shots, chromium_path() or CHROMIUM_DEFAULT)
        try:
            lab.start()
        except BaseException:
            lab.close()
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        _SHARED.update(lab=lab, workdir=workdir)
    _SHARED["users"] += 1
    try:
        yield _SHARED["lab"]
    finally:
        _SHARED["users"] -= 1
        if _SHARED["users"] == 0:
            lab = _SHARED["lab"]
            _SHARED["lab"] = None
            lab.close()
            (lab.shots / "timings.json").write_text(json.dumps({**lab.timings, "renders": lab.render_times,
                                                                 "blocked": lab.blocked}, indent=1))
            shutil.rmtree(_SHARED["workdir"], ignore_errors=True)


def npm_pack(spec: str, dest: Path, timeout: float = 120) -> Path:
    """Download one npm package (`npm pack`, the registry's ordinary client) and unpack it; its directory."""
    import tarfile

    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed")
    dest.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", str(dest)], capture_output=True,
                          text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"npm pack {spec} failed ({done.returncode}): {done.stderr.strip()[:500]}")
    tgz = dest / done.stdout.strip().splitlines()[-1]
    out = dest / tgz.name.removesuffix(".tgz")
    with tarfile.open(tgz) as t:
        t.extractall(out, filter="data")
    return out / "package"


@pytest.fixture(scope="session")
def html_manager(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`serve` rules answering the CDN URLs of an nbconvert page from local npm copies of
    @jupyter-widgets/html-manager 1.x (ipywidgets 8) and require.js; skips when npm can't fetch them."""
    d = tmp_path_factory.mktemp("npm")
    try:
        manager = npm_pack("@jupyter-widgets/html-manager@^1.0", d)
        requirejs = npm_pack("requirejs@2", d)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"no local html-manager: {e}")
    return {r"https://[^/]+/(npm/)?@jupyter-widgets/html-manager@[^/]*/dist/(?P<file>[^?#]+)": manager / "dist",
            r"https://[^?#]*/require(\.min)?\.js([?#].*)?$": requirejs / "require.js"}


@pytest.fixture
def lab(lab_session: Lab, request: pytest.FixtureRequest) -> Lab:
    """The shared Lab, naming this test's screenshots after the test."""
    return lab_session.for_test(request.node.name)
