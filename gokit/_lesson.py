"""Lesson helpers: predict-then-run exercises with checked answers, hints and hidden solutions."""
from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

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


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a prediction against what the toolchain really did."""

    question: str
    prediction: Any
    actual: Any
    correct: bool | None  # None: no guess yet
    hint: str
    solution: str

    def _repr_html_(self) -> str:
        q = html.escape(self.question)
        sol = (f"<details><summary>Show the solution</summary><div style='padding:.4em 1em'>"
               f"{html.escape(self.solution)}<br><b>The toolchain says:</b> "
               f"<code>{html.escape(repr(self.actual))}</code></div></details>")
        if self.correct is None:
            head = ("<b>✏️ Make your prediction first</b>: set <code>prediction = ...</code> in the cell above "
                    "to your guess and run it again.")
        elif self.correct:
            head = (f"<b style='color:#080'>✓ Right.</b> You predicted <code>{html.escape(repr(self.prediction))}"
                    f"</code> and the toolchain agrees.")
        else:
            head = (f"<b style='color:#b00'>✗ Not quite.</b> You predicted <code>"
                    f"{html.escape(repr(self.prediction))}</code>. Hint: {html.escape(self.hint)}")
        return f"<div class='gokit-exercise'><div><i>{q}</i></div><div>{head}</div>{sol}</div>"

    def __repr__(self) -> str:
        state = {None: "no prediction yet", True: "correct", False: "not quite"}[self.correct]
        return f"<Verdict {state}: {self.question}>"


@dataclass(frozen=True)
class Exercise:
    """A predict-then-run question: the answer is always computed live, never written down."""

    question: str
    hint: str
    solution: str
    compare: Callable[[Any, Any], bool] | None = None

    def check(self, prediction: Any, actual: Any) -> Verdict:
        """Compare a learner's prediction with the live answer; the solution stays folded."""
        if prediction is NO_GUESS:
            correct = None
        else:
            correct = bool((self.compare or _same)(prediction, actual))
        return Verdict(self.question, prediction, actual, correct, self.hint, self.solution)

    def _repr_html_(self) -> str:
        return f"<div class='gokit-exercise'><b>Predict, then run.</b> {html.escape(self.question)}</div>"
