"""docs/blog-example.html, the worked example of docs/blog.md: it is what docs/_src/make_blog_example.py makes today
(same snippet, same commands, the package's current front end and data format), and in Chromium, opened from disk with
the network cut off, its explorers answer clicks with what the models say."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from browser import lab, lab_session  # noqa: F401 - fixtures by name

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "blog-example.html"
MODULE_RE = re.compile(r'<script\b[^>]*\bdata-gokit-module="(?P<name>[^"]+)"[^>]*>(?P<code>.*?)</script>', re.DOTALL)
# (nbconvert writes a tag's attributes back sorted: any order)
DATA_RE = re.compile(r'<script\b(?=[^>]*\btype="application/json")[^>]*\bdata-gokit-explorer="(?P<tag>[^"]+)"[^>]*>'
                     r'(?P<json>.*?)</script>', re.DOTALL)


def script():
    spec = importlib.util.spec_from_file_location("make_blog_example", ROOT / "docs" / "_src" / "make_blog_example.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)   # type: ignore[union-attr]
    return mod


def timeless(data: dict) -> dict:
    """The explorer's data without what changes from one compile to the next: each SSA pass's time (time_ns)."""
    if isinstance(data.get("passes"), list):
        data = {**data, "passes": [[*p[:3], None, *p[4:]] for p in data["passes"]]}
    return data


def parts(page: str) -> tuple[dict[str, str], list[tuple[str, dict]]]:
    modules = {m["name"]: m["code"] for m in MODULE_RE.finditer(page)}
    data = [(m["tag"], json.loads(m["json"])) for m in DATA_RE.finditer(page)]
    return modules, data


@pytest.mark.go
@pytest.mark.slow
def test_the_committed_example_is_what_the_script_makes(tmp_path: Path) -> None:
    from gokit.views.explorers._base import module_script

    made = script().make()
    committed = PAGE.read_text(encoding="utf-8")
    new_modules, new_data = parts(made)
    old_modules, old_data = parts(committed)
    assert old_modules == new_modules, "the page carries an old front end: run python docs/_src/make_blog_example.py"
    assert sorted(new_modules) == sorted(re.search(r'data-gokit-module="([^"]+)"', module_script(k))[1]
                                         for k in ("ssa", "asm"))
    assert [t for t, _ in old_data] == [t for t, _ in new_data] == ["ssa-1", "asm-1"]
    for (_, old), (_, new) in zip(old_data, new_data):
        assert old["state"] == new["state"]
        same_go = old["data"].get("go", old["data"].get("gos")) == new["data"].get("go", new["data"].get("gos"))
        if same_go:   # another Go 1.27.x may compile the snippet a little differently: then only the shape is compared
            assert timeless(old["data"]) == timeless(new["data"]), "the explorers' data changed: regenerate the page"
        assert sorted(old["data"]) == sorted(new["data"])
    strip = lambda page: MODULE_RE.sub("", DATA_RE.sub("", page))  # noqa: E731
    assert strip(committed) == strip(made)
    assert len(committed.encode()) < 1_000_000


@pytest.mark.browser
def test_the_example_works_offline_in_a_browser(lab) -> None:
    _, data = parts(PAGE.read_text(encoding="utf-8"))
    ssa = data[0][1]["data"]
    with lab.open_static(PAGE, viewport={"width": 1280, "height": 900}) as p:
        x = p.page.locator(".gokit-explorer[data-gokit-kind='ssa']")
        title = x.locator(".title")
        title.wait_for()
        assert p.page.locator("h1").evaluate("h => getComputedStyle(h).fontFamily").startswith("Georgia")
        target = next(i for i, q in enumerate(ssa["passes"]) if q[0] == "opt")
        x.locator("select[aria-label='pass']").first.select_option(str(target))
        assert f"after pass opt (pass {target} of" in title.inner_text()
        values = {v for b in ssa["states"][ssa["passes"][target][4]]["b"] for r in b[9] for v in [ssa["values"][r][0]]}
        x.locator("button[data-tab='listing']").click()
        shown = x.locator(".tabpane[data-pane='listing'] .v").evaluate_all("es => es.map(e => Number(e.dataset.v))")
        assert set(shown) == values
        a = p.page.locator(".gokit-explorer[data-gokit-kind='asm']")
        a.locator("select[aria-label='GOARCH']").select_option("arm64")
        assert "linux/arm64" in a.locator(".gokit-asm-code h4").inner_text()
        line = a.locator(".gokit-asm-source .row.clickable").first
        n = line.get_attribute("data-line")
        line.click()
        assert a.locator(".status").inner_text().startswith(f"line {n} →")
        assert p.blocked == []
