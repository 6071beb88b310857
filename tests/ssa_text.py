"""Split the per-pass text that GOSSAFUNC=f+ prints into {pass name: function text} (test helper)."""
from __future__ import annotations

import re

PASS_END_RE = re.compile(r"^  pass (?P<name>.+) end \[(?P<stats>[^\]]*)\]$")
COMPILING_RE = re.compile(r"^compiling (?P<name>.+)$")
NAMES_RE = re.compile(r" \((?P<names>[^()]*(?:\([^()]*\)[^()]*)*)\)( DEAD)?$")


def split_passes(text: str) -> list[tuple[str, str]]:
    """[(pass name, the function as printed after it)], starting with ('start', ...)."""
    out: list[tuple[str, list[str]]] = []
    cur: list[str] | None = None
    state = "before"
    for line in text.splitlines():
        if state == "before":
            if COMPILING_RE.match(line):
                state = "header"
                cur = []
                out.append(("start", cur))
            continue
        m = PASS_END_RE.match(line)
        if m:
            cur = []
            out.append((m.group("name"), cur))
            state = "header"
            continue
        if line.startswith("  pass ") and line.endswith(" begin"):
            continue
        if state == "header":  # the `name func(...)` line printFunc starts with
            state = "body"
            continue
        if line.startswith("genssa ") or line.startswith("dumped SSA"):
            state = "done"
            cur = None
            continue
        if cur is not None and state == "body" and (line.startswith("  ") or line.startswith("name ")):
            cur.append(line)
    return [(n, "\n".join(lines)) for n, lines in out]


def normalize(text: str) -> str:
    """Sort the `(a, b)` variable-name list of each value line (the HTML writer does not sort it)."""
    out = []
    for line in text.splitlines():
        if line.startswith("dependency cycle"):
            continue
        if line.startswith("    ("):
            m = NAMES_RE.search(line)
            if m:
                names = ", ".join(sorted(n.strip() for n in m.group("names").split(", ")))
                line = line[: m.start()] + f" ({names})" + (m.group(2) or "")
        out.append(line.rstrip())
    return "\n".join(out)
