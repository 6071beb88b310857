"""Lesson helpers: predict-then-run exercises with checked answers, hints and hidden solutions."""
from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import UsageError

#: What a learner leaves in `prediction = ...` until they make a guess.
NO_GUESS = Ellipsis


def notebooks_dir() -> Path:
    """The lessons folder: $GOKIT_NOTEBOOKS, else notebooks/ next to the gokit package (a checkout)."""
    if os.environ.get("GOKIT_NOTEBOOKS"):
        return Path(os.environ["GOKIT_NOTEBOOKS"])
    here = Path(__file__).resolve().parent.parent / "notebooks"
    if here.is_dir():
        return here
    from .errors import GokitError

    raise GokitError("The lessons live in the notebooks/ folder of the gokit repository; clone it and run "
                     "`gokit lab` there, or set GOKIT_NOTEBOOKS to that folder.")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-9)
        except (TypeError, ValueError):
            return False
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, (set, frozenset)) or isinstance(b, (set, frozenset)):
        try:
            return set(a) == set(b)
        except TypeError:
            return False
    return bool(a == b)


#: Where the lesson generators keep each lesson's exercises (question, hint, solution), out of the notebooks.
EXERCISES_DIR = Path(__file__).resolve().parent / "_exercises"


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a prediction against what the toolchain really did.

    Until a prediction is made, it shows neither the solution nor the toolchain's answer; after,
    the solution stays folded (a <details>) until the learner opens it.
    """

    question: str
    prediction: Any
    actual: Any
    correct: bool | None  # None: no guess yet
    hint: str
    solution: str
    evidence: Any = field(default=None, repr=False)  # what the toolchain showed: revealed with the answer

    def _repr_html_(self) -> str:
        q = _inline(self.question)
        if self.correct is None:
            head = ("<b>✏️ Make your prediction first</b>: set <code>prediction = ...</code> in this cell "
                    "to your guess and run it again. The answer, the evidence and the solution appear once "
                    "you have guessed.")
            return f"<div class='gokit-exercise'><div><i>{q}</i></div><div>{head}</div></div>"
        sol = (f"<details><summary>Show the solution</summary><div style='padding:.4em 1em'>"
               f"{_inline(self.solution)}<br><b>The toolchain says:</b> "
               f"<code>{html.escape(_plain(self.actual))}</code></div></details>")
        if self.evidence is not None:
            sol = f"<div style='margin:.4em 0'>{_evidence_html(self.evidence)}</div>" + sol
        if self.correct:
            head = (f"<b style='color:#080'>✓ Right.</b> You predicted <code>{html.escape(_plain(self.prediction))}"
                    f"</code> and the toolchain agrees.")
        else:
            head = (f"<b style='color:#b00'>✗ Not quite.</b> You predicted <code>"
                    f"{html.escape(_plain(self.prediction))}</code>. Hint: {_inline(self.hint)}")
        return f"<div class='gokit-exercise'><div><i>{q}</i></div><div>{head}</div>{sol}</div>"

    def __repr__(self) -> str:
        state = {None: "no prediction yet", True: "correct", False: "not quite"}[self.correct]
        return f"<Verdict {state}: {self.question}>"


def _inline(text: str) -> str:
    """Escape text for HTML, showing `code spans` as <code>, as the lesson's markdown does."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)) if len(parts) % 2 else \
        html.escape(text)


def _evidence_html(obj: Any) -> str:
    """HTML of the evidence a verdict reveals: a DataFrame (no index), a diagram, anything with _repr_html_,
    a list of those, or text."""
    if isinstance(obj, (list, tuple)):
        return "".join(f"<div style='margin:.3em 0'>{_evidence_html(o)}</div>" for o in obj)
    svg = getattr(obj, "svg", None)
    if isinstance(svg, str):
        from .views.render import fit_width

        return fit_width(svg)
    to_html = getattr(obj, "to_html", None)
    if callable(to_html) and hasattr(obj, "columns"):
        return str(to_html(index=False, na_rep="", border=0))
    rh = getattr(obj, "_repr_html_", None)
    if callable(rh):
        out = rh()
        if out:
            return str(out)
    return f"<pre>{html.escape(str(obj))}</pre>"


def _plain(value: Any) -> str:
    """A value as a learner writes it: [1, 7, 9] and 'int' rather than numpy or pandas reprs."""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(_plain(v) for v in items) + "]"
    if hasattr(value, "item") and callable(value.item):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    return repr(value) if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Exercise:
    """A predict-then-run question: the answer is always computed live, never written down.

    Lessons load it by key (`gokit.exercise("03", "prove")`), so its solution is never in a
    notebook cell; it shows only in the Verdict of a checked prediction, folded.
    """

    question: str
    hint: str
    solution: str = field(repr=False)
    compare: Callable[[Any, Any], bool] | None = field(default=None, repr=False)
    key: str = ""

    def check(self, prediction: Any, actual: Any, compare: Callable[[Any, Any], bool] | None = None, *,
              evidence: Any = None) -> Verdict:
        """Compare a learner's prediction with the live answer; the solution stays folded.

        `evidence` (a table, a diagram, text: what the toolchain showed) is displayed only once the
        learner has guessed, so a cell can compute it without giving the answer away.
        """
        if prediction is NO_GUESS:
            correct = None
        else:
            correct = bool((compare or self.compare or _same)(prediction, actual))
        return Verdict(self.question, prediction, actual, correct, self.hint, self.solution, evidence)

    def _repr_html_(self) -> str:
        return f"<div class='gokit-exercise'><b>Predict, then run.</b> {_inline(self.question)}</div>"

    def __repr__(self) -> str:
        return f"<Exercise {self.key}: {self.question}>" if self.key else f"<Exercise: {self.question}>"


def exercise(lesson: str, key: str) -> Exercise:
    """The exercise `key` of lesson `lesson` ("03", "prove"), from the exercises gokit keeps out of the notebooks."""
    path = EXERCISES_DIR / f"{lesson}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise UsageError(f"no exercises for lesson {lesson!r} (looked for {path.name})") from None
    if key not in data:
        raise UsageError(f"lesson {lesson} has no exercise {key!r}; it has: {', '.join(sorted(data))}")
    e = data[key]
    return Exercise(e["question"], e["hint"], e["solution"], key=f"{lesson}/{key}")


@dataclass(frozen=True)
class Fold:
    """A table (or anything with HTML) folded away under a one-line summary: a curated view shows the rows
    that teach, and `gokit.fold(everything, "all 53 rows")` keeps the rest one click away."""

    content: Any = field(repr=False)
    summary: str

    def _repr_html_(self) -> str:
        return (f"<details class='gokit-fold'><summary>{html.escape(self.summary)}</summary>"
                f"<div style='max-height:420px;overflow:auto'>{_evidence_html(self.content)}</div></details>")

    def __repr__(self) -> str:
        return f"(folded: {self.summary})"


def fold(content: Any, summary: str) -> Fold:
    """Show `content` (a DataFrame, a diagram, anything with HTML) folded under `summary`, open on a click."""
    if not isinstance(summary, str) or not summary.strip():
        raise UsageError("fold wants a one-line summary of what it hides, like fold(table, 'all 53 rows')")
    return Fold(content, summary.strip())


@dataclass(frozen=True)
class Table:
    """A table as the lessons show it (see `table`)."""

    html: str = field(repr=False)
    rows: int = 0

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"(a table of {self.rows} rows)"


def table(df: Any, *, index: bool = False, **formats: str) -> Table:
    """A DataFrame as the lessons show it: no index (unless asked), text and headers to the left, missing values
    blank, numbers as `%g` or as `formats` says per column (`table(df, seconds="{:.2f}", size="{:,}")`)."""
    fm = {col: f.format for col, f in formats.items()}
    out = df.to_html(index=index, border=0, na_rep="", float_format="{:g}".format, formatters=fm or None)
    out = out.replace("<td>", "<td style='text-align:left'>").replace("<th>", "<th style='text-align:left'>")
    return Table(out, len(df))


def say(text: str, width: int = 100) -> None:
    """Print a sentence computed from the numbers, wrapped at spaces (never inside a word)."""
    import textwrap

    print(textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False))
