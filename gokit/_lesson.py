"""Predict-then-run exercises behind gokit.lesson: where the course keeps them, loading one, checking a guess."""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable

from ._lesson_answers import _guess_key, _plain, _scalar, gives_up, NO_GUESS, same
from ._lesson_hooks import install_ipython_hooks
from ._lesson_show import _evidence_html, _inline
from .errors import UsageError


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


#: Set (to anything but 0) by `gokit check` for the kernels it starts: each checked exercise then writes its live
#: answer into its output's metadata, for the answer-leak test (never shown; a learner's notebook never has it).
RECORD_ANSWERS_ENV = "GOKIT_RECORD_ANSWERS"

#: Where the lesson generators keep each lesson's exercises (question, hint, solution, what would reveal the
#: answer), out of the notebooks.
EXERCISES_DIR = Path(__file__).resolve().parent / "_exercises"

#: Per exercise key ("03/prove"), the distinct wrong guesses made in this kernel: the first gets the hint and a
#: second try, the second (or a give-up, or a right guess) reveals the evidence and the solution.
_WRONG: dict[str, list[str]] = {}
#: Exercises whose answer has been revealed in this kernel (running the cell again keeps it revealed).
_REVEALED: set[str] = set()


def forget(key: str | None = None) -> None:
    """Forget the guesses made so far (of one exercise, "03/prove", or of all): as after a kernel restart."""
    if key is None:
        _WRONG.clear()
        _REVEALED.clear()
    else:
        _WRONG.pop(key, None)
        _REVEALED.discard(key)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a prediction against what the toolchain really did.

    `state` is what the learner sees: "ask" (no guess yet: only the question), "retry" (a first wrong guess: the
    hint and a second try, nothing of the answer), "right", "wrong" (a second wrong guess) or "shown" (asked for
    the answer): those three reveal the evidence and the toolchain's answer, with the solution folded.
    """

    question: str
    prediction: Any
    actual: Any
    correct: bool | None  # None: no guess yet (or gave up)
    hint: str
    solution: str
    evidence: Any = field(default=None, repr=False)  # what the toolchain showed: revealed with the answer
    key: str = ""
    state: str = "ask"

    @property
    def revealed(self) -> bool:
        return self.state in ("right", "wrong", "shown")

    def _head(self) -> str:
        you = f"<code>{html.escape(_plain(self.prediction))}</code>"
        if self.state == "ask":
            return ("<b>✏️ Make your prediction first</b>: set <code>prediction = ...</code> in this cell to your "
                    "guess and run it again. The answer and the evidence appear once you have guessed.")
        if self.state == "retry":
            return (f"<b style='color:#b00'>✗ Not quite.</b> You predicted {you}. Hint: {_inline(self.hint)}<br>"
                    "Change your prediction and run the cell again (or set <code>prediction = \"?\"</code> to see "
                    "the answer).")
        if self.state == "right":
            return f"<b style='color:#080'>✓ Right.</b> You predicted {you} and the toolchain agrees."
        if self.state == "wrong":
            return (f"<b style='color:#b00'>✗ Not this time.</b> You predicted {you}; here is what the toolchain "
                    "did.")
        return "<b>Here is what the toolchain did.</b>"

    def _repr_html_(self) -> str:
        q = f"<div><i>{_inline(self.question)}</i></div>"
        head = f"<div>{self._head()}</div>"
        if not self.revealed:
            return f"<div class='gokit-exercise'>{q}{head}</div>"
        body = ""
        if self.evidence is not None:
            body = f"<div style='margin:.4em 0'>{_evidence_html(self.evidence)}</div>"
        body += (f"<div><b>The toolchain says:</b> <code>{html.escape(_plain(self.actual))}</code></div>"
                 f"<details><summary>Show the solution</summary><div style='padding:.4em 1em'>"
                 f"{_inline(self.solution)}</div></details>")
        return f"<div class='gokit-exercise'>{q}{head}{body}</div>"

    def _text(self) -> str:
        says = {"ask": "make your prediction first: set prediction = ... to your guess and run the cell again",
                "retry": f"not quite (you predicted {_plain(self.prediction)}). Hint: {self.hint} Change your "
                         "prediction and run the cell again, or set prediction = \"?\" to see the answer",
                "right": f"right: you predicted {_plain(self.prediction)} and the toolchain agrees",
                "wrong": f"not this time: you predicted {_plain(self.prediction)}; the toolchain says "
                         f"{_plain(self.actual)}",
                "shown": f"the toolchain says {_plain(self.actual)}"}[self.state]
        return f"Predict, then run: {self.question}\n{says[0].upper() + says[1:]}."

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, str], dict[str, Any]]:
        meta: dict[str, Any] = {"exercise": self.key, "state": self.state}
        if os.environ.get(RECORD_ANSWERS_ENV, "") not in ("", "0"):
            meta["answer"] = _jsonable(self.actual)
        return {"text/html": self._repr_html_(), "text/plain": self._text()}, {"gokit": meta}

    def __repr__(self) -> str:
        return f"<Verdict {self.state}: {self.question}>"


def _jsonable(value: Any) -> Any:
    """The live answer as JSON (for the answer-leak test): numbers, text, lists, else its text."""
    value = _scalar(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


@dataclass(frozen=True)
class Exercise:
    """A predict-then-run question: the answer is always computed live, never written down.

    Lessons load it by key (`lesson.exercise("03", "prove")`), so its solution is never in a notebook cell.
    `check` compares with `same` (natural spellings; `case`, `ordered` and `tolerance` come from the generator),
    gives the hint and a second try after a first wrong guess, and reveals the evidence and the (folded)
    solution once the guess is right, after a second wrong guess, or when the learner writes `prediction = "?"`.
    """

    question: str
    hint: str
    solution: str = field(repr=False)
    compare: Callable[[Any, Any], bool] | None = field(default=None, repr=False)
    key: str = ""
    case: bool = False
    ordered: bool = False
    tolerance: float = 1e-9

    def check(self, prediction: Any, actual: Any, compare: Callable[[Any, Any], bool] | None = None, *,
              evidence: Any = None) -> Verdict:
        """Compare a learner's prediction with the live answer (see the class docstring for what shows when).

        `evidence` (a table, a diagram, text: what the toolchain showed) is displayed only once the answer is
        revealed, so a cell can compute it without giving the answer away.
        """
        key = self.key or self.question
        v = partial(Verdict, self.question, prediction, actual, hint=self.hint, solution=self.solution,
                    evidence=evidence, key=self.key)
        if prediction is NO_GUESS:
            return v(None, state="ask")
        if gives_up(prediction):
            _REVEALED.add(key)
            return v(None, state="shown")
        fn = compare or self.compare
        try:
            correct = bool(fn(prediction, actual)) if fn else same(prediction, actual, case=self.case,
                                                                    ordered=self.ordered, tolerance=self.tolerance)
        except Exception:  # noqa: BLE001 - a comparison that cannot read the guess means: not this
            correct = False
        if correct:
            _REVEALED.add(key)
            return v(True, state="right")
        wrong = _WRONG.setdefault(key, [])
        guess = _guess_key(prediction, actual)
        if guess not in wrong:
            wrong.append(guess)
        if len(wrong) >= 2 or key in _REVEALED:
            _REVEALED.add(key)
            return v(False, state="wrong")
        return v(False, state="retry")

    def _repr_html_(self) -> str:
        return f"<div class='gokit-exercise'><b>Predict, then run.</b> {_inline(self.question)}</div>"

    def __repr__(self) -> str:
        return f"<Exercise {self.key}: {self.question}>" if self.key else f"<Exercise: {self.question}>"


def exercise(lesson: str, key: str) -> Exercise:
    """The exercise `key` of lesson `lesson` ("03", "prove"), from the exercises gokit keeps out of the notebooks."""
    install_ipython_hooks()
    path = EXERCISES_DIR / f"{lesson}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise UsageError(f"no exercises for lesson {lesson!r} (looked for {path.name})") from None
    if key not in data:
        raise UsageError(f"lesson {lesson} has no exercise {key!r}; it has: {', '.join(sorted(data))}")
    e = data[key]
    return Exercise(e["question"], e["hint"], e["solution"], key=f"{lesson}/{key}", case=bool(e.get("case", False)),
                    ordered=bool(e.get("ordered", False)), tolerance=float(e.get("tolerance", 1e-9)))
