"""Read a lesson as a learner would: execute it, export it, and screenshot it screen by screen.

    python tests/read_lesson.py notebooks/04-codegen-and-linking.ipynb OUTDIR [--width 1280 --height 900]

Executes the notebook top to bottom in a fresh kernel (gokit's exporter), writes OUTDIR/<lesson>.html, then
opens that page in headless Debian Chromium (playwright, no network) and saves OUTDIR/<lesson>-NN.png, one per
screen, plus OUTDIR/<lesson>-problems.txt listing what a learner should never see in an output (absolute
temp/cache paths, tracebacks, warnings, NaN/<NA>, Python reprs). Look at the PNGs before calling a lesson done.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import chromium_path  # noqa: E402

#: Output text a learner should never meet.
PROBLEMS = {
    "absolute path": re.compile(r"(?:/tmp/|/root/|/home/\w+/|\.cache/|site-packages)"),
    "traceback": re.compile(r"Traceback \(most recent call last\)|Error\b.*line \d+, in "),
    "warning": re.compile(r"\b\w*Warning\b"),
    "NaN": re.compile(r"(?<![\w-])(?:NaN|<NA>|nan)(?![\w-])"),
    "python repr": re.compile(r"<[\w.]+ object at 0x|\[\('|\(\w+,\)|\['[^'\n]*'(?:, '[^'\n]*')*\]"),
}


def outputs_text(nb: object) -> list[tuple[int, str]]:
    out = []
    for i, cell in enumerate(nb.cells):  # type: ignore[attr-defined]
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            text = o.get("text") or data.get("text/html") or data.get("text/plain") or ""
            out.append((i, "".join(text) if isinstance(text, list) else str(text)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("outdir")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    a = ap.parse_args()
    import nbformat
    from playwright.sync_api import sync_playwright

    from gokit.faces.export import title_of, to_html
    from gokit.faces.notebooks import execute

    nb_path = Path(a.notebook).resolve()
    out = Path(a.outdir)
    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(nb_path, as_version=4)
    execute(nb, nb_path.parent, timeout=600)
    stem = nb_path.stem[:2]
    nbformat.write(nb, out / f"{stem}.ipynb")
    page_html = out / f"{stem}.html"
    page_html.write_text(to_html(nb, title=title_of(nb, stem), path=nb_path.parent), encoding="utf-8")
    found = []
    for i, text in outputs_text(nb):
        for what, rx in PROBLEMS.items():
            for m in rx.finditer(text):
                found.append(f"cell {i}: {what}: ...{text[max(0, m.start() - 60):m.end() + 60]!r}...")
    (out / f"{stem}-problems.txt").write_text("\n".join(found) + "\n")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": a.width, "height": a.height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(page_html.as_uri())
        page.wait_for_timeout(1500)
        total = page.evaluate("document.documentElement.scrollHeight")
        n = 0
        for y in range(0, total, a.height - 80):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_timeout(150)
            page.screenshot(path=str(out / f"{stem}-{n:02d}.png"))
            n += 1
        browser.close()
    print(f"{n} screens in {out}; {len(found)} possible problems in {out / f'{stem}-problems.txt'}")


if __name__ == "__main__":
    main()
