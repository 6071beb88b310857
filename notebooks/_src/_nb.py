"""Shared by the lesson generators: collect markdown/code cells, write the notebook with outputs cleared, and
frame it as part of the course (the "you are here" strip, times and prerequisites, glossary links, myth-check
boxes, further reading; the data is in _course.py).

Exercises are declared here with their solutions and what would give them away, and written to
gokit/_exercises/NN.json, never into a notebook cell: the lesson loads one with `lesson.exercise("NN", "key")`.

Markdown may link a term to the glossary with [[SSA]] or [[the SSA form|SSA]] (text|term): the first use in a
lesson becomes a link, later uses stay plain text.
"""
from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from _course import (ARTICLE_TITLE_EN, ARTICLE_TITLE_ZH, ARTICLE_URL, CLAIMS, CLOSING, FRAME, GLOSSARY, LESSONS,
                     READING, STAGES, run_seconds, term_index)
from gokit._lesson import EXERCISES_DIR  # where lesson.exercise() reads them

NOTEBOOKS = Path(__file__).resolve().parent.parent
#: [[term]] or [[text|term]] in a generator's markdown: a link to the glossary at the term's first use.
TERM_RE = re.compile(r"\[\[(?P<a>[^\[\]|]+)(?:\|(?P<b>[^\[\]|]+))?\]\]")
#: Reading speed for the reading-time estimate, words per minute (technical prose, read with the code).
WORDS_PER_MINUTE = 150
#: Minutes per code cell (read it, run it, look at its output) and per exercise (think, guess, read the answer).
MINUTES_PER_CELL, MINUTES_PER_EXERCISE = 0.75, 3


class Lesson:
    """One lesson notebook being generated: `md(...)`, `code(...)`, `exercise(...)`, then `write()`."""

    def __init__(self, filename: str, budget_seconds: int) -> None:
        self.out = NOTEBOOKS / filename
        self.budget_seconds = budget_seconds
        self.cells: list = []
        self.exercises: dict[str, dict[str, object]] = {}
        self.linked: set[str] = set()   # glossary anchors already linked in this lesson
        self.myth_heading = False       # the first myth-check box of a lesson opens a section
        self.info = LESSONS[self.number]
        assert self.info.file == filename, f"_course.LESSONS says {self.info.file}, not {filename}"

    @property
    def number(self) -> str:
        return self.out.name[:2]

    def exercise(self, key: str, *, question: str, hint: str, solution: str, reveals: list[str],
                 case: bool = False, ordered: bool = False, tolerance: float | None = None,
                 search_answer: bool = True) -> str:
        """Record an exercise (kept out of the notebook); returns the code that loads it in a cell.

        `reveals`: regular expressions (case-insensitive) for what would give the answer away if a learner saw it
        before the check: a phrase of the prose, a row of a table, a label of a diagram. The answer-leak test
        (tests/test_answer_leaks.py) fails when one matches a markdown cell or an output before the check; it
        also searches the live answer itself when it is distinctive (`search_answer=False` turns that off for an
        answer that is everywhere anyway, like "main.main"). `case`, `ordered`, `tolerance`: how the checker
        compares (see gokit.lesson.same).
        """
        assert key not in self.exercises, key
        assert reveals and all(isinstance(r, str) and r.strip() for r in reveals), \
            f"exercise {key}: say what would give its answer away (reveals=[regex, ...])"
        for r in reveals:
            assert not re.search(r, question, re.IGNORECASE), f"exercise {key}: {r!r} matches its own question"
        e: dict[str, object] = {"question": question.strip(), "hint": hint.strip(), "solution": solution.strip(),
                                "reveals": list(reveals)}
        if case:
            e["case"] = True
        if ordered:
            e["ordered"] = True
        if tolerance is not None:
            e["tolerance"] = tolerance
        if not search_answer:
            e["search_answer"] = False
        self.exercises[key] = e
        return f'lesson.exercise("{self.number}", "{key}")'

    def link_terms(self, text: str) -> str:
        """[[term]] -> a glossary link at the term's first use in this lesson, plain text after."""
        index = term_index()

        def one(m: re.Match[str]) -> str:
            shown, name = (m.group("a"), m.group("b") or m.group("a"))
            term = index.get(name.strip().strip("`").casefold())
            if term is None:
                raise ValueError(f"[[{name}]]: no such glossary term (see _course.GLOSSARY_TERMS)")
            if term.anchor in self.linked:
                return shown
            self.linked.add(term.anchor)
            return f"[{shown}]({GLOSSARY}#{term.anchor})"

        return TERM_RE.sub(one, text)

    def md(self, text: str) -> None:
        self.cells.append(new_markdown_cell(self.link_terms(text.strip("\n"))))

    def code(self, text: str) -> None:
        self.cells.append(new_code_cell(text.strip("\n")))

    def myth_check(self, number: int, *, adds: str = "") -> None:
        """A box for one of the article's claims: quoted whole, the verdict, and where this lesson shows it.

        `adds`: the claim's whole box stands in an earlier lesson; this one says only what this lesson adds."""
        c = CLAIMS[number]
        assert self.number in c.shown, f"claim {number} is not shown in lesson {self.number} (_course.CLAIMS)"
        elsewhere = [f"lesson {n}" for n in c.shown if n != self.number]
        also = f" (also {', '.join(elsewhere)})" if elsewhere else ""
        heading = "" if self.myth_heading else "## Myth check: the article's claims\n\n"
        self.myth_heading = True
        if adds:
            first = min(c.shown)
            assert first != self.number, f"claim {number}: its whole box belongs in lesson {first}, this one adds"
            self.md(f"""
{heading}> **🔎 Myth check, claim {number}** (quoted, with its verdict, in lesson {first}): *{c.en}*
>
> **This lesson adds:** {adds.strip()}
>
> **Shown by:** {c.shown[self.number]} above.
""")
            return
        # A verdict that names the lesson showing it reads "this lesson" there (the course page keeps the number).
        verdict = re.sub(rf"\b[Ll]esson {self.number}\b",
                         lambda m: ("T" if m.group(0)[0] == "L" else "t") + "his lesson", c.verdict)
        self.md(f"""
{heading}> **🔎 Myth check, claim {number}** — the article ({c.where}) says:
> “{c.zh}”
> *({c.en})*
>
> **Verdict:** {verdict}
>
> **Shown by:** {c.shown[self.number]} above{also}.
""")

    def objectives(self, *items: str) -> None:
        """What a learner can do after the lesson, as a short list (put it right after the lesson's title)."""
        assert 2 <= len(items) <= 5, "objectives: two to five things a learner can do afterwards"
        lines = "\n".join(f"* {item.strip()}" for item in items)
        self.md(f"**After this lesson you can:**\n\n{lines}")

    def try_yourself(self, task: str, *, title: str = "Try it yourself") -> None:
        """A do-it-yourself task: change the program (or a flag), run a cell again, and explain what changed.

        Give the cell to re-run and what to look for; no answer is given (it is the learner's own experiment)."""
        body = "\n".join(f"> {line}" if line else ">" for line in task.strip("\n").splitlines())
        self.md(f"> **🛠 {title}**\n>\n{body}")

    def further_reading(self) -> None:
        """The lesson's further reading (the spec, the compiler's and runtime's own docs), from _course.READING."""
        items = "\n".join(f"* [{READING[k][0]}]({READING[k][1]})" for k in self.info.reading)
        self.md(f"""
## Further reading

{items}
* The [glossary]({GLOSSARY}) of the course, and the article these lessons answer:
  [{ARTICLE_TITLE_ZH}]({ARTICLE_URL}) (“{ARTICLE_TITLE_EN}”).
""")

    def reading_minutes(self) -> int:
        """An estimate of the time a learner needs (prose, code cells, exercises), rounded up to 5 minutes."""
        words = sum(len(re.sub(r"<[^>]+>|\(http[^)]*\)", " ", c.source).split()) for c in self.cells
                    if c.cell_type == "markdown")
        minutes = (words / WORDS_PER_MINUTE + MINUTES_PER_CELL * sum(c.cell_type == "code" for c in self.cells)
                   + MINUTES_PER_EXERCISE * len(self.exercises))
        return int(5 * math.ceil(minutes / 5))

    def header(self) -> str:
        """The "you are here" strip, reading and run time, prerequisites (the lesson's first cell)."""
        seconds, where = run_seconds(self.number)
        ran = (f"**runs in** about {seconds:.0f} s ({where}; a first run takes longer)" if seconds is not None
               else "**run time** not measured yet (`gokit check`)")
        before = ", ".join(f"[{n} · {LESSONS[n].title}]({LESSONS[n].file})" for n in self.info.prerequisites)
        needs = f"**you need** {self.info.needs}" + (f"; read first: {before}" if before else "")
        return (strip_html(self.number) + "\n\n"
                + f"**Reading** about {self.reading_minutes()} min · {ran} · {needs} · "
                  f"[glossary]({GLOSSARY}) · [course map](README.md)")

    def write(self) -> Path:
        head = new_markdown_cell(self.header())
        head.metadata["gokit"] = {"frame": "header"}
        cells = [head, *self.cells]
        for i, cell in enumerate(cells):  # stable ids: regenerating a lesson gives a clean diff
            cell["id"] = f"{self.number}-{i:03d}"
        nb = new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        nb.metadata["gokit"] = {"budget_seconds": self.budget_seconds}
        nbformat.write(nb, self.out)
        print(f"wrote {self.out}")
        EXERCISES_DIR.mkdir(exist_ok=True)
        path = EXERCISES_DIR / f"{self.number}.json"
        path.write_text(json.dumps(self.exercises, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(self.exercises)} exercises)")
        return self.out


def strip_html(number: str | None) -> str:
    """The pipeline as HTML (renders in JupyterLab, on GitHub and in exported pages; on GitHub without colours, so
    the current stage is also bold and marked ▶): one row of stages, each linking to the lesson that shows it, in
    the course's order, under a frame for the go command, which runs them all (lessons 00 and 06)."""
    here = set(LESSONS[number].stages) if number else set()

    def style(on: bool) -> str:
        return ("background:#ffe08a;border:2px solid #b8860b;font-weight:bold" if on else
                "background:#f4f6fa;border:1px solid #c5cbd6")

    def link(n: str) -> str:
        return f'<a href="{LESSONS[n].file}" style="font-size:12px">{n}</a>'

    cells = []
    for i, (stage, n) in enumerate(STAGES):
        on = stage in here
        name = f"<b>▶ {html.escape(stage)}</b>" if on else html.escape(stage)
        cells.append(f'<td style="{style(on)};padding:3px 7px;text-align:center;white-space:nowrap">{name}<br>'
                     f'{link(n)}</td>')
        if i + 1 < len(STAGES):
            cells.append('<td style="border:none;padding:0 2px;color:#666">→</td>')
    frame, frame_lessons = FRAME
    on = frame in here
    name = f"<b>▶ {html.escape(frame)}</b>" if on else html.escape(frame)
    top = (f'<tr><td colspan="{len(cells)}" style="{style(on)};padding:2px 7px;text-align:center">{name}: '
           + " · ".join(f"{'<code>go run</code>' if n == '00' else '<code>go build</code>'} {link(n)}"
                        for n in frame_lessons)
           + " — runs every stage below and caches what it builds</td></tr>")
    label = (f"<b>You are here: {number} · {html.escape(LESSONS[number].title)}</b>" if number else
             "<b>The pipeline</b>")
    return (f'<table style="border-collapse:separate;border-spacing:0 3px;font-size:13px;margin:0 0 4px 0">'
            f'{top}<tr>{"".join(cells)}</tr></table>{label}')


def next_lesson(lesson: Lesson, number: str, what: str) -> None:
    """End a lesson with a link to lesson `number`, only if its notebook exists (no link to a lesson to come).

    Regenerate the lesson once the next one is written to get the link.
    """
    found = sorted(NOTEBOOKS.glob(f"{number}-*.ipynb"))
    if not found:
        return
    nb = nbformat.read(found[0], as_version=4)
    title = next((c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
                  if c.cell_type == "markdown" and c.source.startswith("# ")), found[0].stem)
    lesson.md(f"Next: {what}, in [{title}]({found[0].name}).")


def closing_link(lesson: Lesson) -> None:
    """End the last lesson with a link to the course's closing page."""
    lesson.md(f"Next: the whole pipeline at once, what you can do now and where to go from here, in "
              f"[The whole pipeline]({CLOSING}).")


def code_hidden(lesson: Lesson, text: str) -> None:
    """A code cell whose source starts folded in JupyterLab (the learner sees its output, and can unfold
    the code): for cells that only compute prose from the measurements, like "What you saw"."""
    lesson.code(text)
    lesson.cells[-1].metadata["jupyter"] = {"source_hidden": True}
