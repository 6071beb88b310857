"""Measure the kernel-free explorers in Chromium: bytes of a one-explorer fragment, and the time one interaction
takes to update the view, for the lessons' programs and for the SSA of net/http's largest function; and the bytes
of each exported lesson that shows explorers (run top to bottom, then `gokit export --offline`).

    python docs/_src/measure_explorers.py [--runs N] [--json OUT.json] [--no-lessons]

Each explorer is embedded (`gokit.embed`) in a page opened from disk in headless Chromium (/usr/bin/chromium, or
$GOKIT_CHROMIUM) with every network request refused. One interaction is timed from the event (a choice in a
<select>, a click) to the first frame painted after it (an animation frame, then a task), inside the page; each is repeated
`--runs` times over different choices and reported as median and maximum, in milliseconds, next to a yardstick
measured the same way in the same page: a frame in which nothing happens. The table is written
into docs/explorers.md between <!-- explorer-times --> and <!-- /explorer-times -->. Every explorer is made the way
a lesson makes it, with the model's `.explore()`.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "explorers.md"
BLOCK_RE = re.compile(r"(<!-- explorer-times -->\n).*?(<!-- /explorer-times -->)", re.DOTALL)
sys.path.insert(0, str(ROOT / "notebooks" / "_src"))

# The time from an action to the next painted frame, measured inside the page.
TIMED = """async ([kind, js, arg]) => {
  const host = document.querySelector(`.gokit-explorer[data-gokit-kind="${kind}"] .gokit-explorer-host`);
  const root = host.shadowRoot.querySelector('.gx');
  const act = new Function('root', 'arg', js);
  const t0 = performance.now();
  act(root, arg);
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
}"""
SELECT = "const s = root.querySelector(arg[0]); s.value = String(arg[1]); s.dispatchEvent(new Event('change'));"
CLICK = "root.querySelector(arg).click();"
KEY = "root.querySelector(arg[0]).dispatchEvent(new KeyboardEvent('keydown', {key: arg[1], bubbles: true}));"


def lesson_source(n: str) -> str:
    """The Go program of a lesson, as its generator writes it (notebooks/_src/make_NN.py's SOURCE)."""
    text = (ROOT / "notebooks" / "_src" / f"make_{n}.py").read_text()
    m = re.search(r'^SOURCE = """(.*?)"""', text, re.DOTALL | re.MULTILINE)
    if not m:
        sys.exit(f"make_{n}.py has no SOURCE")
    return m.group(1)


def net_http_ssa() -> "object":
    """The SSA of net/http's largest function (by its code size in the package archive), from GOSSAFUNC."""
    import gokit
    from gokit.parsers.ssa_html import parse_ssa_html

    tc = gokit.toolchain()
    env = {**os.environ, "GOTOOLCHAIN": "local"}
    archive = subprocess.run([str(tc.go), "list", "-export", "-f", "{{.Export}}", "net/http"], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
    nm = subprocess.run([str(tc.go), "tool", "nm", "-size", "-sort", "size", archive], env=env, check=True,
                        capture_output=True, text=True).stdout
    name = next(line.split()[3] for line in nm.splitlines() if len(line.split()) >= 4 and line.split()[2] == "T")
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "go.mod").write_text("module nh\n\ngo 1.21\n")
        (Path(d) / "main.go").write_text('package main\n\nimport _ "net/http"\n\nfunc main() {}\n')
        subprocess.run([str(tc.go), "build", "-o", os.devnull, "."], cwd=d, check=True, capture_output=True,
                       env={**env, "GOSSAFUNC": name, "GOSSADIR": d})
        html = next(Path(d).rglob("*.html")).read_text()
    fn = parse_ssa_html(html)
    fn.meta["qualified"] = name
    return fn


def explorers() -> dict[str, object]:
    """The lessons' explorers, made as the lessons make them (the model's `.explore()`)."""
    import gokit
    from gokit.views.explorers.ssa import SSAExplorer

    s01, s03, s04, s08 = (gokit.Source(lesson_source(n)) for n in ("01", "03", "04", "08"))
    try:
        other = gokit.use_go("1.22.10")
    except Exception:  # noqa: BLE001 - measured without the second Go
        other = None
    line08 = next(n for n, t in enumerate(lesson_source("08").splitlines(), 1) if "sum, n =" in t)
    return {
        "AST (lesson 01)": gokit.parse(s01).explore(types=True),
        "SSA of sum (lesson 03)": gokit.ssa(s03, "sum").explore(),
        "assembly of main, two Go versions (lesson 04)": gokit.asm(s04).explore("main", compare=other),
        "journey of a line, with a profile (lesson 08)": gokit.follow(s08, line08).explore(
            profile=gokit.profile(s08, seconds=0.5), pass_="lower"),
        "SSA of net/http's largest function": SSAExplorer(net_http_ssa()),
    }


#: The lessons that show explorers (their generators call `.explore()`).
LESSONS = ("01-tokens-and-ast", "03-ssa", "04-codegen-and-linking", "08-one-line-every-stage")


def lesson_pages() -> dict[str, dict[str, int]]:
    """Each lesson that shows explorers, run top to bottom in a fresh kernel and exported with --offline: the page's
    bytes and how many explorers it holds."""
    from gokit.faces.check import check_lesson
    from gokit.faces.export import export_notebook

    out = {}
    with tempfile.TemporaryDirectory() as d:
        for name in LESSONS:
            r = check_lesson(ROOT / "notebooks" / f"{name}.ipynb", save=d)
            if not r.passed:
                sys.exit(f"{name} failed: {r.error}")
            info = export_notebook(Path(d) / r.notebook, Path(d) / f"{name}.html", execute_cells=False, offline=True)
            page = info.path.read_text()
            out[name] = {"bytes": info.bytes, "explorers": page.count('class="gokit-explorer"')}
    return out


def interactions(name: str, x: object) -> list[tuple[str, str, str, list[object]]]:
    """(what, kind, js, args) for the explorer: each arg is one repetition."""
    kind = x.kind  # type: ignore[attr-defined]
    data = x.data  # type: ignore[attr-defined]
    if kind == "ssa":
        n = len(data["passes"])
        passes = [round(i * (n - 1) / 9) for i in range(10)]
        values = [v[0] for v in data["values"][:: max(1, len(data["values"]) // 10)]][:10]
        out = []
        for tab in ("CFG", "listing", "side by side", "every pass"):
            out.append((f"pass picked, {tab} tab", kind, f"root.querySelector(\"button[data-tab='{tab}']\").click();"
                        + SELECT, [["select[aria-label='pass']", p] for p in passes]))
        out.append(("value picked (CFG tab)", kind, "root.querySelector(\"button[data-tab='CFG']\").click();" + SELECT,
                    [["select.values", v] for v in values]))
        out.append(("compare with another pass", kind, SELECT, [["select[aria-label='compare with']", p] for p in passes]))
        out.append(("arrow key: next pass", kind, KEY, [[".tabpane:not([hidden])", "ArrowRight"]] * 10))
        return out
    if kind == "ast":
        nodes = [nid for _, nid in data["outline"]][:: max(1, len(data["outline"]) // 10)][:10]
        lines = [i + 1 for i, s in enumerate(data["files"][0]["spans"]) if s][:: 2][:10]
        return [("node clicked", kind, CLICK, [f".node[data-node='{n}']" for n in nodes]),
                ("source line clicked", kind, CLICK, [f".sl[data-line='{n}']" for n in lines]),
                ("arrow key: next line", kind, KEY, [[".source", "ArrowDown"]] * 10),
                ("hide positions toggled", kind, "root.querySelectorAll('input[type=checkbox]')[1].click();", [0] * 10)]
    if kind == "asm":
        base = next(iter(data["builds"].values()))["functions"][x.function]  # type: ignore[attr-defined]
        own = data["files"].index(data["file"])
        lines = sorted({i[2] for i in base["insts"] if i[1] == own and i[2] is not None})
        return [("source line clicked", kind, CLICK, [f".gokit-asm-source .row[data-line='{n}']" for n in lines][:10]),
                ("GOARCH switched", kind, SELECT, [["select[aria-label='GOARCH']", a] for a in data["arches"]] * 3),
                ("function picked", kind, SELECT, [["select[aria-label='function']", f] for f in data["own"]] * 3),
                ("arrow key: next line", kind, KEY, [[".gokit-asm", "ArrowDown"]] * 10)]
    if kind == "journey":
        lines = [int(n) for n in data["journeys"]][:10]
        first = data["journeys"][str(x.line)]  # type: ignore[attr-defined]
        names = next(iter(first["passes"].values()), [])
        return [("line clicked", kind, CLICK, [f".jline[data-line='{n}']" for n in lines]),
                ("SSA pass picked", kind, SELECT, [["select[aria-label='SSA pass']", p] for p in names[:: 5]][:10]),
                ("instruction clicked", kind, "const rs = root.querySelectorAll('.jrow.ins'); rs[arg % rs.length].click();",
                 list(range(10))),
                ("arrow key: next line", kind, KEY, [[".src", "ArrowDown"]] * 10)]
    raise ValueError(kind)


def measure(runs: int, lessons: bool = True) -> dict[str, object]:
    import gokit
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()[0]
    made = explorers()
    out: dict[str, object] = {"explorers": {}}
    chromium = os.environ.get("GOKIT_CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as d, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for name, x in made.items():
            frag = gokit.embed(x)
            page_path = Path(d) / "page.html"
            page_path.write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{frag}</body></html>")
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            blocked: list[str] = []
            ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
                      else (blocked.append(r.request.url), r.abort()))
            page = ctx.new_page()
            page.goto(page_path.as_uri())
            page.locator(".gx").first.wait_for()
            page.wait_for_timeout(1500)     # the CFG drawings made ahead while idle
            rows = []
            yard = [("nothing (the yardstick: one frame, no work)", x.kind, "", [0] * 10)]  # type: ignore[attr-defined]
            for what, kind, js, args in yard + interactions(name, x):
                times = []
                for _ in range(runs):
                    for arg in args:
                        times.append(page.evaluate(TIMED, [kind, js, arg]))
                rows.append({"interaction": what, "n": len(times), "median_ms": round(statistics.median(times), 1),
                             "max_ms": round(max(times), 1)})
            ctx.close()
            out["explorers"][name] = {"fragment_bytes": len(frag.encode()), "interactions": rows, "blocked": blocked}
        browser.close()
    if lessons:
        out["lessons"] = lesson_pages()
    out["machine"] = {"date": datetime.date.today().isoformat(), "cpus": os.cpu_count(), "system": platform.platform(),
                      "python": platform.python_version(), "go": gokit.toolchain().version,
                      "load": load, "load_end": os.getloadavg()[0]}
    return out


def table(report: dict) -> str:
    m = report["machine"]
    lines = [f"Measured {m['date']} by `python docs/_src/measure_explorers.py` in headless Chromium on {m['cpus']} CPUs "
             f"({m['system']}), Go {m['go']}; load average {m['load']:.1f} when it started, {m['load_end']:.1f} when it ended. Times are from the event "
             "to the next painted frame.", "",
             "| explorer | fragment | interaction | median ms | max ms | runs |", "|---|---:|---|---:|---:|---:|"]
    for name, e in report["explorers"].items():
        first = True
        for r in e["interactions"]:
            size = f"{e['fragment_bytes'] / 1e3:,.0f} kB" if first else ""
            lines.append(f"| {name if first else ''} | {size} | {r['interaction']} | {r['median_ms']:.0f} | "
                         f"{r['max_ms']:.0f} | {r['n']} |")
            first = False
    if report.get("lessons"):
        lines += ["", "| exported lesson (`gokit export --offline`) | page | explorers on it |", "|---|---:|---:|"]
        lines += [f"| {name} | {e['bytes'] / 1e6:.2f} MB | {e['explorers']} |" for name, e in report["lessons"].items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    ap.add_argument("--no-lessons", action="store_true", help="skip running and exporting the lessons")
    args = ap.parse_args()
    report = measure(args.runs, lessons=not args.no_lessons)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    text = DOC.read_text()
    new, n = BLOCK_RE.subn(lambda mm: mm.group(1) + table(report) + mm.group(2), text)
    if n != 1:
        sys.exit(f"{DOC} has no <!-- explorer-times --> block")
    DOC.write_text(new)
    print(table(report))


if __name__ == "__main__":
    main()
