"""Lesson helpers behind gokit.lesson: predict-then-run exercises, tables, folds, benchmark tables."""
from __future__ import annotations

import html
import json
import math
import os
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable

from ._display import NOT_MEASURED  # what a table shows for a value that was not measured
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


#: What a learner may write to see the answer without guessing (compared lower-cased, spaces stripped).
GIVE_UP = frozenset({"?", "??", "show", "show me", "give up", "i give up", "skip", "pass", "idk", "i don't know",
                     "don't know", "dont know", "no idea", "answer", "solution"})
_YES = frozenset({"yes", "y", "true", "t", "1", "oui", "ja", "si", "sí"})
_NO = frozenset({"no", "n", "false", "f", "0", "non", "nein"})
#: Small counts written as words ("none" and "no" are 0: "no link step").
_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_WORDS.update({"none": 0, "no": 0, "nothing": 0})
#: A number written as text: " 42 ", "1,234", "1_234", "4.2e1", "-3", "0.0", "12%".
NUMBER_TEXT_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:[,_]\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?%?$|^[+-]?\.\d+$")
#: The quotes and backticks a learner may wrap an answer in: "`R_CALL`", "'fmt'".
QUOTES = "\"'`“”‘’"
#: Set (to anything but 0) by `gokit check` for the kernels it starts: each checked exercise then writes its live
#: answer into its output's metadata, for the answer-leak test (never shown; a learner's notebook never has it).
RECORD_ANSWERS_ENV = "GOKIT_RECORD_ANSWERS"


def _scalar(value: Any) -> Any:
    """numpy and pandas scalars as plain Python values."""
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (TypeError, ValueError):
            return value
    return value


def _text(value: str) -> str:
    """A learner's text answer without surrounding spaces and quotes ("`R_CALL` " -> "R_CALL")."""
    t = value.strip()
    while len(t) >= 2 and t[0] in QUOTES and t[-1] in QUOTES:
        t = t[1:-1].strip()
    return t


def _number(value: Any) -> float | None:
    """A number, or a number written as text ("0", " 1,234 ", "4.2e1"); None for anything else (bools too)."""
    value = _scalar(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        t = _text(value)
        if NUMBER_TEXT_RE.match(t):
            return float(t.replace(",", "").replace("_", "").rstrip("%"))
        if t.lower() in _WORDS:
            return float(_WORDS[t.lower()])
    return None


def _truth(value: Any) -> bool | None:
    """A yes/no answer: True/False, "yes"/"No"/"false"/"0"/"1" ...; None when it is none of those."""
    value = _scalar(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        t = _text(value).lower().rstrip(".!")
        if t in _YES:
            return True
        if t in _NO:
            return False
    return None


def _items(value: Any) -> list[Any] | None:
    """A collection answer as a list: a list, tuple or set, or text like "1, 4, 9" / "[1, 4, 9]"; else None."""
    value = _scalar(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return list(value.tolist())
    if isinstance(value, str):
        t = _text(value).strip("[](){}")
        parts = [p for p in re.split(r"[,;\s]+", t) if p]
        return parts
    return None


def same(prediction: Any, actual: Any, *, case: bool = False, ordered: bool = False,
         tolerance: float = 1e-9) -> bool:
    """Whether a learner's prediction says what the toolchain's answer says, however naturally it is written.

    The kind of the live answer decides: a yes/no answer accepts True, "yes", "No", "false", "0", "1" ...; a number
    accepts 0, 0.0, "0", " 1,234 ", equal within `tolerance` (relative); a collection accepts a list, a set or
    text like "1, 4, 9", in any order unless `ordered`; text ignores surrounding spaces and quotes, and letter case
    unless `case`. A prediction of another kind is simply not equal (never an error).
    """
    actual = _scalar(actual)
    prediction = _scalar(prediction)
    if isinstance(actual, bool):
        return _truth(prediction) is actual
    if isinstance(actual, (int, float)):
        num = _number(prediction)
        return num is not None and math.isclose(num, float(actual), rel_tol=tolerance, abs_tol=tolerance * 1e-3)
    if isinstance(actual, (list, tuple, set, frozenset)) or (hasattr(actual, "tolist") and
                                                              not isinstance(actual, (str, bytes))):
        want, got = _items(actual), _items(prediction)
        if want is None or got is None or len(want) != len(got):
            return False
        if ordered:
            return all(same(g, w, case=case, tolerance=tolerance) for g, w in zip(got, want))
        left = list(want)
        for g in got:  # a multiset match, element by element with the same rules
            hit = next((i for i, w in enumerate(left) if same(g, w, case=case, tolerance=tolerance)), None)
            if hit is None:
                return False
            left.pop(hit)
        return True
    if isinstance(actual, str):
        if not isinstance(prediction, (str, int, float)) or isinstance(prediction, bool):
            return False
        a_text, p_text = _text(actual), _text(str(prediction))
        return a_text == p_text if case else a_text.casefold() == p_text.casefold()
    try:
        return bool(prediction == actual)
    except Exception:  # noqa: BLE001 - an odd comparison is simply not a match
        return False


def _guess_key(prediction: Any, actual: Any) -> str:
    """A guess as the answer's kind reads it ("yes" and True are one guess for a yes/no question)."""
    actual = _scalar(actual)
    if isinstance(actual, bool) and _truth(prediction) is not None:
        return str(_truth(prediction))
    if isinstance(actual, (int, float)) and not isinstance(actual, bool) and _number(prediction) is not None:
        return repr(_number(prediction))
    return _text(_plain(prediction)).casefold()


def gives_up(prediction: Any) -> bool:
    """True when the prediction asks for the answer instead of guessing (prediction = "?", "show", "give up")."""
    return isinstance(prediction, str) and _text(prediction).lower() in GIVE_UP


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
        return str(to_html(index=False, na_rep="—", border=0))
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
    value = _scalar(value)
    return repr(value) if isinstance(value, str) else str(value)


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


# ---------------------------------------------------------------- no traceback for a guess Python cannot read

#: The line of a cell that makes the guess: `prediction = ...`.
PREDICTION_LINE_RE = re.compile(r"^\s*prediction\s*=\s*(?P<guess>.*?)\s*(?:#.*)?$")


def prediction_advice(line: str, error: BaseException) -> str | None:
    """One line of advice when `line` is a `prediction = ...` that raised `error` (NameError, SyntaxError);
    None when the error has nothing to do with a prediction."""
    m = PREDICTION_LINE_RE.match(line or "")
    if m is None:
        return None
    guess = m.group("guess")
    if isinstance(error, NameError):
        word = getattr(error, "name", None) or guess
        quoted = json.dumps(guess if re.fullmatch(r"[\w.]+", guess) else str(word), ensure_ascii=False)
        return (f"Python read {word} as the name of a variable, and there is none: write your guess in quotes, "
                f"prediction = {quoted}, and run the cell again.")
    if isinstance(error, SyntaxError):
        return (f"Python cannot read `prediction = {guess}`: write a number (prediction = 3), True or False, or text "
                f"in quotes (prediction = \"{guess.strip(QUOTES)}\"), and run the cell again.")
    return None


def _cell_line(tb: Any) -> str:
    """The source line of the innermost frame of a traceback (the cell's own line for `prediction = maybe`)."""
    import linecache

    last = tb
    while last is not None and last.tb_next is not None:
        last = last.tb_next
    if last is None:
        return ""
    code = last.tb_frame.f_code
    return linecache.getline(code.co_filename, last.tb_lineno)


def _on_guess_error(shell: Any, etype: type[BaseException], value: BaseException, tb: Any,
                    tb_offset: int | None = None) -> None:
    """IPython custom exception handler: advice for a guess Python cannot read, the usual traceback otherwise."""
    line = (value.text or "") if isinstance(value, SyntaxError) else _cell_line(tb)
    advice = prediction_advice(line, value)
    if advice is not None:
        import sys

        sys.stdout.write(advice + "\n")
        return None
    if isinstance(value, SyntaxError):
        shell.showsyntaxerror()
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    return None


def install_ipython_hooks() -> bool:
    """In IPython (JupyterLab, nbclient), turn a `prediction = maybe` NameError (or a guess Python cannot parse)
    into one line of advice instead of a traceback. Idempotent; False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if getattr(shell, "_gokit_guess_hook", False):
        return True
    if getattr(shell, "custom_exceptions", ()):  # someone else's handler: leave it alone
        return False
    shell.set_custom_exc((NameError, SyntaxError), _on_guess_error)
    shell._gokit_guess_hook = True
    return True


@dataclass(frozen=True)
class Fold:
    """A table (or anything with HTML) folded away under a one-line summary: a curated view shows the rows
    that teach, and `lesson.fold(everything, "all 53 rows")` keeps the rest one click away."""

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
    """A DataFrame as the lessons show it: no index (unless asked), text and headers to the left, a missing value
    (NaN, None or an empty string) as "—" (never a blank, which could be read as 0 or as nothing), numbers as `%g` or as `formats` says per column (`table(df, seconds="{:.2f}", size="{:,}")`)."""
    fm = {col: f.format for col, f in formats.items()}
    from pandas.api.types import is_object_dtype, is_string_dtype

    text = [c for c in df.columns if is_object_dtype(df[c]) or is_string_dtype(df[c])]
    if text:  # an empty string is a missing value too: "—", never a blank
        df = df.copy()
        for c in text:
            df[c] = df[c].map(lambda v: NOT_MEASURED if isinstance(v, str) and not v.strip() else v)
    out = df.to_html(index=index, border=0, na_rep=NOT_MEASURED, float_format="{:g}".format, formatters=fm or None)
    out = out.replace("<td>", "<td style='text-align:left'>").replace("<th>", "<th style='text-align:left'>")
    return Table(out, len(df))


def say(text: str, width: int = 100) -> None:
    """Print a sentence computed from the numbers, wrapped at spaces (never inside a word)."""
    import textwrap

    print(textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False))


# ---------------------------------------------------------------- benchmark tables readable at a glance

#: The columns `bench_table` can show, in this order; the first four (with the label) are shown by default.
BENCH_COLUMNS = ("median", "interval", "ratio", "runs", "ratio interval", "MAD", "min", "max", "user CPU",
                 "system CPU", "max RSS")
DEFAULT_BENCH_COLUMNS = ("median", "interval", "ratio", "runs")
#: Time units a column may be shown in: (name, seconds per unit), smallest first.
TIME_UNITS = (("µs", 1e-6), ("ms", 1e-3), ("s", 1.0))
#: Size units a column may be shown in (decimal, as ls -h --si and gokit.bench.fmt_bytes).
SIZE_UNITS = (("B", 1.0), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9))


def _column_unit(values: Any, unit: str) -> tuple[str, float]:
    """(unit name, scale) for a column of values in `unit`: the largest unit in which its smallest non-zero value
    is still at least 1 (412 ns, 46 ms), one step up if the largest would then need 6 digits (0.43 ms and 6.1 s
    in one column read as 0.425 and 6,100 ms)."""
    import numpy as np

    finite = [abs(float(v)) for v in values if v is not None and np.isfinite(float(v)) and float(v) != 0]
    if unit in ("s", "ms", "ns/op"):
        seconds = {"s": 1.0, "ms": 1e-3, "ns/op": 1e-9}[unit]
        units: tuple[tuple[str, float], ...] = ((("ns", 1e-9),) + TIME_UNITS) if unit == "ns/op" else TIME_UNITS
        suffix = "/op" if unit == "ns/op" else ""
    elif unit == "bytes":
        seconds, units, suffix = 1.0, SIZE_UNITS, ""
    else:
        return unit, 1.0
    if not finite:
        name, per = units[0] if unit != "s" else units[1]
        return name + suffix, per / seconds
    low, top = min(finite) * seconds, max(finite) * seconds
    i = 0
    for j, (_, p) in enumerate(units):
        if low >= p:
            i = j
    if top / units[i][1] >= 1e5 and i + 1 < len(units):
        i += 1
    name, per = units[i]
    return name + suffix, per / seconds


def _num(x: float, digits: int = 3) -> str:
    """A number with `digits` significant digits, without exponent or trailing zeros: 0.431, 46.1, 1,520, 32,500."""
    if x is None or not math.isfinite(x):
        return NOT_MEASURED
    v = float(f"{float(x):.{digits}g}")
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(v))))
    return f"{v:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{v:.0f}"


def ratio(r: float) -> str:
    """A ratio of two medians with the digits noisy medians have (2 significant figures): "18×", "0.76×", "170×"."""
    if r is None or not math.isfinite(r):
        return NOT_MEASURED
    return _two(r) + "×"


def _two(x: float) -> str:
    """A number to 2 significant figures, written out: 0.76, 18, 170, 15,000."""
    return _num(float(f"{x:.2g}"), 3)


def versus(result: Any, a: str, b: str) -> str:
    """How row `a` of a gokit.bench result compares with row `b`, in words a conclusion can use: "18× as long as
    b", "2.5× faster than b", or "not told apart from b by these runs (their intervals overlap)" when the intervals
    of the two medians overlap (or either row has one run, so no interval). On a machine busier than its CPUs during
    the runs (as `bench_table` judges it), a difference under BUSY_MARGIN is held back, as the table holds it back."""
    s = result.summary
    for label in (a, b):
        if label not in s.index:
            raise UsageError(f"the result has no row {label!r}; it has: {', '.join(s.index)}")
    x, y = s.loc[a], s.loc[b]
    if x["runs"] < 2 or y["runs"] < 2:
        return f"not compared with {b}: one run has no interval"
    if x["ci_low"] <= y["ci_high"] and y["ci_low"] <= x["ci_high"]:
        return f"not told apart from {b} by these runs (their intervals overlap)"
    r = x["median"] / y["median"]
    clear = x["ci_low"] >= y["ci_high"] * BUSY_MARGIN or y["ci_low"] >= x["ci_high"] * BUSY_MARGIN
    if not clear and _busy(getattr(result, "load", None))[0]:
        return f"apart from {b} by less than {BUSY_MARGIN:g}× on this busy machine, not concluded"
    return f"{ratio(r)} as long as {b}" if r > 1 else f"{ratio(1 / r)} faster than {b}"


@dataclass(frozen=True)
class BenchTable:
    """A benchmark result shown at a glance (see `bench_table`): `frame` holds exactly the cells shown."""

    frame: Any = field(repr=False)       # DataFrame: the shown columns, as text
    everything: Any = field(repr=False)  # DataFrame: every column of the result, as text (folded)
    note: str = ""
    conclusion: str = ""
    warning: str = ""                    # the machine was busier than its CPUs: said above the conclusion

    def _repr_html_(self) -> str:
        def grid(frame: Any) -> str:
            cols = list(frame.columns)
            cell = "padding:2px 10px;text-align:{}"
            head = "".join(f"<th style='{cell.format('left' if i == 0 else 'right')}'>{html.escape(str(c))}</th>"
                           for i, c in enumerate(cols))
            body = "".join("<tr>" + "".join(f"<td style='{cell.format('left' if i == 0 else 'right')}'>"
                                            f"{html.escape(str(v))}</td>" for i, v in enumerate(row)) + "</tr>"
                           for row in frame.itertuples(index=False))
            return f"<table class='gokit-bench' style='border-collapse:collapse'><tr>{head}</tr>{body}</table>"

        warn = (f"<p style='margin:.3em 0;padding:.2em .5em;background:#fff4d6;border-left:3px solid #b8860b'>"
                f"⚠ {html.escape(self.warning)}</p>" if self.warning else "")
        concl = f"<p><b>{html.escape(self.conclusion)}</b></p>" if self.conclusion else ""
        return (f"<div class='gokit-bench'>{grid(self.frame)}{warn}{concl}<p style='color:#555;font-size:12px;"
                f"margin:.3em 0'>{self.note}</p><details><summary>every column (interval coverage, ratio interval, "
                f"MAD, min, max, CPU times, memory)</summary><div style='overflow:auto'>{grid(self.everything)}"
                "</div></details></div>")

    def __repr__(self) -> str:
        return f"(a benchmark table of {len(self.frame)} rows)"


#: Under this many times apart, a benchmark on a machine busier than its CPUs draws no conclusion: other programs'
#: load can shift one series against another by that much even when the runs are interleaved.
BUSY_MARGIN = 2.0


def _busy(load: float | None) -> tuple[bool, str]:
    """(busier than its CPUs, "load average 3.6 on 2 CPUs") for a result's recorded load (else the load now)."""
    if load is None:
        load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    return load > cpus, f"load average {load:.1f} on {cpus} CPU{'s' if cpus != 1 else ''}"


def bench_table(result: Any, *, columns: Any = DEFAULT_BENCH_COLUMNS, label: str = "", conclusion: bool = True,
                measured: str = "", unit: str | None = None) -> BenchTable:
    """A gokit.bench result as a lesson shows it: a few columns, the rest folded, one name per quantity.

    The vocabulary, the same in every lesson:

    * **median**: the middle value of the runs (half took less, half more); its unit (µs, ms, s; B, kB, MB) is
      chosen per column from its values and shown in the header;
    * **interval**: the distribution-free interval of the median, low–high in the median's unit: if the runs are
      independent and identically distributed, it holds the true median with the probability the header gives
      (exact: at least 95% from 6 runs on; the note gives each exact value); a row of 2–5 runs (min–max, under
      95%) is marked * and the note says its probability; a row of one run has none ("—");
    * **ratio**: median / the first row's median (the reference, shown as 1×), 2 significant figures;
    * **runs**: the timed runs (warm-ups not counted);
    * folded or on request (`columns=`): **ratio interval** (the two intervals divided: it holds the ratio of the
      true medians with at least the probability given, coverage + the reference's coverage − 1), **MAD** (median
      absolute deviation), **min**, **max**, **user CPU** and **system CPU** (medians), **max RSS** (median peak
      memory).

    The note says what the median is of (`measured` overrides it), how the runs were ordered (interleaved only
    when they were: `result.order`), and what each interval covers, once. The conclusion (`conclusion=False`
    leaves it out) says which rows these runs tell apart from the first and which not, computed from the
    intervals; when the machine was busier than its CPUs during the runs (`result.load`, else the load average
    now, above the CPU count) the table says so, and differences under 2× are held back. A value that was not
    measured is "—", never a blank; 0 is 0. `label` names the first column (default "command" for process
    timings, else "what"). `unit` ("µs", "ms" or "s" for times) fixes the unit of the time columns instead.
    """
    import pandas as pd

    from .measure.fmt import fmt_coverage
    from .measure.result import BenchResult
    from .measure.stats import CONFIDENCE

    if not isinstance(result, BenchResult):
        raise UsageError("bench_table wants a gokit.bench result (from bench.compare, bench.merge or "
                         f"BenchResult.from_samples); got {type(result).__name__}")
    cols = [columns] if isinstance(columns, str) else list(columns)
    unknown = [c for c in cols if c not in BENCH_COLUMNS]
    if unknown:
        raise UsageError(f"bench_table has no column {unknown[0]!r}; it has: {', '.join(BENCH_COLUMNS)}")
    s = result.summary
    labels = list(s.index)
    unit_name, per = _column_unit(s["median"], result.unit)
    if unit is not None:
        seconds = {"s": 1.0, "ms": 1e-3}.get(result.unit)
        scale = dict(TIME_UNITS).get(unit)
        if seconds is None or scale is None:
            raise UsageError(f"unit= is one of {', '.join(u for u, _ in TIME_UNITS)}, for a result of times in s or "
                             f"ms; got {unit!r} for a result in {result.unit}")
        unit_name, per = unit, scale / seconds
    runs = [int(n) for n in s["runs"]]
    covers = [float(c) for c in s["coverage"]]
    good = sorted({c for c, n in zip(covers, runs) if n > 1 and c >= CONFIDENCE})
    low = [i for i, (c, n) in enumerate(zip(covers, runs)) if n > 1 and c < CONFIDENCE]
    head_cov = (fmt_coverage(good[0]) if len(good) == 1 else f"≥ {fmt_coverage(CONFIDENCE)}" if good else "")

    def interval(i: int) -> str:
        if runs[i] < 2:
            return NOT_MEASURED
        text = f"{_num(s['ci_low'].iloc[i] / per)}–{_num(s['ci_high'].iloc[i] / per)}"
        return text + " *" if i in low else text

    def ratio_interval(i: int) -> str:
        if i == 0 or runs[i] < 2 or runs[0] < 2:
            return NOT_MEASURED
        return f"{_two(s['ratio_low'].iloc[i])}–{_two(s['ratio_high'].iloc[i])}×"

    def ratio_coverage(i: int) -> str:
        if i == 0 or runs[i] < 2 or runs[0] < 2:
            return NOT_MEASURED
        return f"≥ {fmt_coverage(max(0.0, covers[i] + covers[0] - 1))}"

    def cpu(col: str) -> list[str]:
        return [_num(v * 1000) if result.is_timing else NOT_MEASURED for v in s[col]]

    first = label or ("command" if result.is_timing else "what")
    out = pd.DataFrame({first: labels})
    for c in cols:
        if c == "median":
            out[f"median ({unit_name})"] = [_num(v / per) for v in s["median"]]
        elif c == "interval":
            out[f"interval ({unit_name}, {head_cov})" if head_cov else f"interval ({unit_name})"] = \
                [interval(i) for i in range(len(labels))]
        elif c == "ratio":
            out["ratio"] = [ratio(r) for r in s["ratio"]]
        elif c == "runs":
            out["runs"] = runs
        elif c == "ratio interval":
            out["ratio interval"] = [ratio_interval(i) + ("" if i == 0 or runs[i] < 2 or runs[0] < 2 else
                                                          f" ({ratio_coverage(i)})") for i in range(len(labels))]
        elif c in ("MAD", "min", "max"):
            src = {"MAD": "mad", "min": "min", "max": "max"}[c]
            out[f"{c} ({unit_name})"] = [_num(v / per) for v in s[src]]
        elif c in ("user CPU", "system CPU"):
            out[f"{c} (ms)"] = cpu("user_median" if c == "user CPU" else "sys_median")
        elif c == "max RSS":
            out["max RSS (MB)"] = [_num(v / 1e6) if result.is_timing else NOT_MEASURED for v in s["maxrss_median"]]
    everything = pd.DataFrame({
        first: labels,
        f"median ({unit_name})": [_num(v / per) for v in s["median"]],
        f"interval ({unit_name})": [interval(i).removesuffix(" *") for i in range(len(labels))],
        "its coverage": [fmt_coverage(c) if n > 1 else NOT_MEASURED for c, n in zip(covers, runs)],
        "ratio": [ratio(r) for r in s["ratio"]],
        "ratio interval": [ratio_interval(i) for i in range(len(labels))],
        "its coverage ": [ratio_coverage(i) for i in range(len(labels))],
        f"MAD ({unit_name})": [_num(v / per) for v in s["mad"]],
        f"min ({unit_name})": [_num(v / per) for v in s["min"]],
        f"max ({unit_name})": [_num(v / per) for v in s["max"]],
        "runs": runs,
        "user CPU (ms)": cpu("user_median"),
        "system CPU (ms)": cpu("sys_median"),
        "max RSS (MB)": [_num(v / 1e6) if result.is_timing else NOT_MEASURED for v in s["maxrss_median"]],
    })

    # the note: what the median is of, how the runs were ordered, what the intervals cover, the ratio, "—"
    what = measured or ("whole-process wall time" if result.is_timing else
                        "the sizes measured" if result.unit == "bytes" else
                        "the times measured" if result.unit in ("s", "ms", "ns/op") else "the values measured")
    order = result.order
    how = (", runs interleaved (one run of each row in turn)" if order == "interleaved" else
           f", runs {order}" if order else "; each row timed in a series of its own" if len(labels) > 1 else "")
    parts = [f"Median: of {what}{how}."]
    if "interval" in cols:
        exact = sorted({(n, c) for n, c in zip(runs, covers) if n > 1 and c >= CONFIDENCE})
        exact_text = ", ".join(f"{fmt_coverage(c)} for {n} runs" for n, c in exact)
        parts.append("Interval: a distribution-free interval of the median, between two order statistics of the "
                     "runs (min–max up to 8 runs); if the runs are independent and identically distributed it holds "
                     "the true median with the probability in the header"
                     + (f" (exact: {exact_text})" if exact and (len(exact) > 1 or len(good) > 1) else "") + ".")
        for i in low:
            parts.append(f"* {html.escape(labels[i])}: min–max of {runs[i]} runs, which holds the median with "
                         f"probability {fmt_coverage(covers[i])} only.")
    if "ratio" in cols:
        parts.append(f"Ratio: median / median of <i>{html.escape(labels[0])}</i>.")
    shown_text = " ".join(" ".join(map(str, row)) for row in out.itertuples(index=False))
    if NOT_MEASURED in shown_text:
        parts.append(f"{NOT_MEASURED} = not measured"
                     + (" (one run has no interval)" if any(n < 2 for n in runs) and "interval" in cols else "")
                     + ".")
    busy, load_text = _busy(result.load)
    warning = (f"This machine was busier than its CPUs while these runs were taken ({load_text}): the times are "
               f"inflated and noisier, and differences under {BUSY_MARGIN:g}× are not concluded. Run the cell "
               "again on a quieter machine to tell them apart." if busy else "")
    return BenchTable(out, everything, " ".join(parts), _conclusion(result, busy) if conclusion else "",
                      warning)


def _conclusion(result: Any, busy: bool) -> str:
    """Which rows these runs tell apart from the first one (their intervals do not overlap), computed; on a busy
    machine, differences under BUSY_MARGIN are held back."""
    from .measure.stats import CONFIDENCE

    s = result.summary
    labels = list(s.index)
    if len(labels) < 2:
        return ""
    base = labels[0]
    timed = result.unit in ("s", "ms", "ns/op")
    more, less = ("longer than", "shorter than") if timed else ("larger than", "smaller than")
    above: list[str] = []
    below: list[str] = []
    together: list[str] = []
    held: list[str] = []
    single: list[str] = []
    for label in labels[1:]:
        row = s.loc[label]
        if row["runs"] < 2 or s.loc[base, "runs"] < 2:
            single.append(label)
        elif row["ratio_low"] > 1 or row["ratio_high"] < 1:
            clear = row["ratio_low"] >= BUSY_MARGIN or row["ratio_high"] <= 1 / BUSY_MARGIN
            if busy and not clear:
                held.append(label)
            else:
                few = " *" if row["coverage"] < CONFIDENCE else ""  # min–max of 2-5 runs: the note says so
                (above if row["ratio"] > 1 else below).append(f"{label} ({ratio(row['ratio'])}{few})")
        else:
            together.append(label)
    out = []
    if above:
        out.append(f"{more[0].upper() + more[1:]} {base}, beyond the spread of these runs: {', '.join(above)}.")
    if below:
        out.append(f"{less[0].upper() + less[1:]} {base}, beyond the spread of these runs: {', '.join(below)}.")
    if together:
        out.append(f"Not told apart from {base} by these runs (their intervals overlap): {', '.join(together)}.")
    if held:
        out.append(f"Apart from {base} by less than {BUSY_MARGIN:g}× on this busy machine, not concluded: "
                   f"{', '.join(held)}.")
    if single:
        out.append(f"One run, no interval, not compared: {', '.join(single)}.")
    return " ".join(out)
