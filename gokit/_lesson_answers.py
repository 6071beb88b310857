"""Reading a learner's prediction however it is written: yes/no, numbers, collections, text, a give-up."""
from __future__ import annotations

import math
import re
from typing import Any

#: What a learner leaves in `prediction = ...` until they make a guess.
NO_GUESS = Ellipsis

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


def _plain(value: Any) -> str:
    """A value as a learner writes it: [1, 7, 9] and 'int' rather than numpy or pandas reprs."""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(_plain(v) for v in items) + "]"
    value = _scalar(value)
    return repr(value) if isinstance(value, str) else str(value)
