"""No traceback for a guess Python cannot read: `prediction = maybe` gets one line of advice instead."""
from __future__ import annotations

import json
import re
from typing import Any

from ._lesson_answers import QUOTES

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
