"""Rewrite the lesson-time table of docs/instructors.md from `gokit check --json` output.

    gokit check --json > check.json && python docs/_src/lesson_times.py check.json

The table sits between the markers <!-- lesson-times --> and <!-- /lesson-times -->. The same seconds go to
docs/_src/lesson_times.json, which the lesson generators read for the run time at the top of each lesson
(regenerate the lessons afterwards: for f in notebooks/_src/make_*.py; do python $f; done).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "instructors.md"
TIMES = Path(__file__).resolve().parent / "lesson_times.json"
BLOCK_RE = re.compile(r"(<!-- lesson-times -->\n).*?(<!-- /lesson-times -->)", re.DOTALL)


def table(report: dict) -> str:
    m = report.get("machine", {})
    rows = ["| lesson | passed | seconds | longest cell | cells over 2 s | load | budget |",
            "|---|---|---:|---:|---|---:|---:|"]
    for e in report["lessons"]:
        budget = "" if e["budget_seconds"] is None else f"{e['budget_seconds']:.0f}"
        longest = "" if e.get("slowest_seconds") is None else f"{e['slowest_seconds']:.1f} s (#{e['slowest_cell']})"
        slow = ", ".join(f"#{n} {t:.1f} s" for n, t in e.get("slow_cells", []))
        load = "" if e.get("load") is None else f"{e['load']:.1f}"
        rows.append(f"| {Path(e['notebook']).stem} | {'yes' if e['passed'] else 'no'} | {e['seconds']:.0f} | "
                    f"{longest} | {slow} | {load} | {budget} |")
    total = sum(e["seconds"] for e in report["lessons"])
    rows.append(f"| **all** | | **{total:.0f}** | | | | |")
    loads = [e["load"] for e in report["lessons"] if e.get("load") is not None]
    where = (f"Measured {m.get('date', '')} with `gokit check` on {m.get('cpu', '?')} ({m.get('cpus', '?')} CPUs, "
             f"{m.get('system', '')}), Python {m.get('python', '?')}, Go {m.get('go', '?')}"
             + (", GOKIT_FAST=1" if m.get("fast") else "") + ", Go build cache warm (after `gokit doctor`)"
             + (f", 1-minute load average {min(loads):.1f}–{max(loads):.1f} while it ran (the load column: per "
                f"lesson; above the CPU count, other work shared the machine and the seconds are longer)"
                if loads else "") + ". Cells are numbered among the code cells (#1 is the first code cell).")
    return where + "\n\n" + "\n".join(rows) + "\n"


def main() -> None:
    report = json.loads(Path(sys.argv[1]).read_text())
    text = DOC.read_text()
    new, n = BLOCK_RE.subn(lambda mm: mm.group(1) + table(report) + mm.group(2), text)
    if n != 1:
        sys.exit(f"{DOC} has no <!-- lesson-times --> block")
    DOC.write_text(new)
    print(f"updated {DOC}")
    m = report.get("machine", {})
    passed = [e for e in report["lessons"] if e["passed"]]
    times = {"machine": {k: m.get(k) for k in ("cpu", "cpus", "go", "python", "date", "fast")},
             "seconds": {Path(e["notebook"]).name[:2]: round(e["seconds"]) for e in passed},
             "longest_cell": {Path(e["notebook"]).name[:2]: [e.get("slowest_cell"), round(e["slowest_seconds"], 1)]
                              for e in passed if e.get("slowest_seconds") is not None},
             "load": {Path(e["notebook"]).name[:2]: e.get("load") for e in passed}}
    TIMES.write_text(json.dumps(times, indent=1) + "\n")
    print(f"updated {TIMES}")


if __name__ == "__main__":
    main()
