"""Find what gives an exercise's answer away before its check: the answer-leak finder of tests/test_answer_leaks.py.

An executed lesson (from `gokit check --save DIR`, which records each exercise's live answer in its output's
metadata) is read top to bottom; for each exercise check, every markdown cell before it, every output before it
(the check cell's own outputs other than the verdict included: they show on the first run, before any guess), the
state of the widgets those outputs display, and the markdown right after the check up to the next code cell (it is
on the screen while the learner guesses) are searched for

* each of the exercise's `reveals` regexes (declared in its generator, case-insensitive), and
* the live answer itself when it is distinctive enough to search for (see `answer_patterns`).

Run it on one lesson while reordering cells:

    gokit check 03 --save /tmp/run && python tests/answer_leaks.py /tmp/run/03-ssa.ipynb
"""
from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

TAG_RE = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
#: Markdown emphasis and code marks, dropped before searching ("keeps one `DIVQ`" reads "keeps one DIVQ").
MARKS_RE = re.compile(r"`+|\*{1,3}")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MODEL_REF_RE = re.compile(r"IPY_MODEL_([0-9a-f]+)")


@dataclass(frozen=True)
class Leak:
    exercise: str   # "03/prove"
    cell: int       # index of the cell that gives it away
    what: str       # the regex that matched, or "the live answer"
    excerpt: str

    def __str__(self) -> str:
        return f"{self.exercise}: cell {self.cell} gives it away ({self.what}): …{self.excerpt}…"


def text_of_html(text: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities decoded (SVG <text> labels stay)."""
    return html.unescape(TAG_RE.sub(" ", text))


def _join(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def widget_text(nb: Any, model_id: str) -> str:
    """Every string in the saved state of a widget and the widgets it contains (labels, values, options, HTML)."""
    states = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    seen: set[str] = set()
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            for ref in MODEL_REF_RE.findall(value):
                visit(ref)
            if not value.startswith("IPY_MODEL_"):
                out.append(text_of_html(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                if not str(k).startswith("_"):  # _esm, _css, _model_name ...: code and plumbing, not on screen
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    def visit(mid: str) -> None:
        if mid in seen or mid not in states:
            return
        seen.add(mid)
        walk(states[mid].get("state", {}))

    visit(model_id)
    return "\n".join(out)


def output_texts(nb: Any, output: Any) -> Iterator[str]:
    """The text a reader sees of one output (stream, HTML, markdown, plain text, a widget's state)."""
    if output.get("output_type") == "stream":
        yield _join(output.get("text", ""))
        return
    if output.get("output_type") == "error":
        yield "\n".join(output.get("traceback", []))
        return
    data = output.get("data", {})
    if WIDGET_MIME in data:
        yield widget_text(nb, data[WIDGET_MIME].get("model_id", ""))
    for mime in ("text/html", "image/svg+xml", "text/markdown"):
        if mime in data:
            yield text_of_html(_join(data[mime]))
            return
    if "text/plain" in data:
        yield _join(data["text/plain"])


def check_cells(nb: Any) -> dict[str, tuple[int, int, Any]]:
    """exercise key -> (cell index, output index, recorded live answer) of each check in an executed lesson."""
    found: dict[str, tuple[int, int, Any]] = {}
    for i, cell in enumerate(nb.cells):
        for j, out in enumerate(cell.get("outputs", [])):
            meta = out.get("metadata", {}).get("gokit", {})
            if "exercise" in meta and meta["exercise"] not in found:
                found[meta["exercise"]] = (i, j, meta.get("answer", MISSING))
    return found


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def answer_patterns(answer: Any, question: str) -> list[str]:
    """Regexes for the live answer where it is distinctive enough to search for, else [].

    Text of at least 4 characters that is not all lower-case letters (`R_CALL`, `_rt0_amd64_linux`, `main.add`:
    a plain word like `runtime` or `lower` is everywhere) and does not appear in the question (then it is one of
    the offered choices); a number of at least 100 (with or without thousands separators); a list of at least 3
    items, in the order given. Never True/False or small numbers.
    """
    q = question.casefold()
    if isinstance(answer, bool) or answer is None or answer is MISSING:
        return []
    if isinstance(answer, (int, float)):
        if abs(answer) < 100:
            return []
        whole = f"{answer:.0f}" if float(answer).is_integer() else f"{answer:g}"
        digits = re.escape(whole)
        commas = re.escape(f"{int(answer):,}") if float(answer).is_integer() else digits
        return [rf"(?<![\d.,])(?:{digits}|{commas})(?![\d]|[.,]\d)"]
    if isinstance(answer, str):
        t = answer.strip()
        if len(t) < 4 or re.fullmatch(r"[a-z]+", t) or t.casefold() in q:
            return []
        return [rf"(?<![\w]){re.escape(t)}(?![\w])"]
    if isinstance(answer, list) and len(answer) >= 3 and all(isinstance(a, (int, str)) for a in answer):
        return [r"(?<![\w])" + r"\W{1,4}".join(re.escape(str(a)) for a in answer) + r"(?![\w])"]
    return []


def leaks(nb: Any, exercises: dict[str, dict[str, Any]], lesson: str) -> tuple[list[Leak], list[str]]:
    """(leaks, problems) of an executed lesson: what gives an exercise away before its check, and exercises whose
    check is missing from the notebook or has no recorded answer (the run was not a `gokit check`)."""
    checks = check_cells(nb)
    found: list[Leak] = []
    problems: list[str] = []
    for key, e in exercises.items():
        full = f"{lesson}/{key}"
        if full not in checks:
            problems.append(f"{full}: no checked exercise output in the executed notebook")
            continue
        cell_at, out_at, answer = checks[full]
        if answer is MISSING:
            problems.append(f"{full}: its output has no recorded answer (run the lesson with `gokit check`)")
        patterns = [(rx, rx) for rx in e.get("reveals", [])]
        if e.get("search_answer", True):
            patterns += [(rx, f"the live answer {answer!r}") for rx in answer_patterns(answer, e["question"])]
        after = cell_at + 1  # the markdown under the check, up to the next code cell, is on screen at the guess
        while after < len(nb.cells) and nb.cells[after].cell_type == "markdown":
            after += 1
        for i, cell in enumerate(nb.cells[:after]):
            if cell.cell_type == "markdown" and i != cell_at:
                texts = [" ".join(cell.source.split())]  # a paragraph is one line once rendered
            elif cell.cell_type == "code":
                outs = cell.get("outputs", [])
                outs = outs[:out_at] if i == cell_at else outs  # the verdict itself is not before the check
                texts = [t for o in outs for t in output_texts(nb, o)]
            else:
                continue
            for text in texts:
                text = MARKS_RE.sub("", text)
                for rx, what in patterns:
                    m = re.search(rx, text, re.IGNORECASE)
                    if m:
                        a, b = max(0, m.start() - 40), min(len(text), m.end() + 40)
                        found.append(Leak(full, i, what, " ".join(text[a:b].split())))
    return found, problems


def main() -> None:
    import nbformat

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from gokit._lesson import EXERCISES_DIR

    bad = 0
    for arg in sys.argv[1:]:
        path = Path(arg)
        lesson = path.name[:2]
        nb = nbformat.read(path, as_version=4)
        exercises = json.loads((EXERCISES_DIR / f"{lesson}.json").read_text())
        found, problems = leaks(nb, exercises, lesson)
        for line in [*problems, *map(str, found)]:
            print(line)
        bad += len(found) + len(problems)
        if not found and not problems:
            print(f"{path.name}: no exercise is given away before its check")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
