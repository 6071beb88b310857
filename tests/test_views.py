"""gokit.faces.commands: one registry read by the CLI and %%go; every view answers --json; a broken view says why."""
from __future__ import annotations

import json
import re
import sys

import pytest

from gokit.faces import commands as _views
from gokit.cli import build_parser, main

HELLO = 'package main\n\nimport "fmt"\n\nfunc add(a, b int) int { return a + b }\n\nfunc main() { fmt.Println(add(1, 2)) }\n'
#: Extra arguments a view needs besides FILE (its positional options).
NEEDS = {"ssa": ["add"], "follow": ["7"]}


def _cli_commands() -> set[str]:
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices)


def test_cli_and_magic_list_the_same_views() -> None:
    from gokit.faces.magic import usage

    names = {v.name for v in _views.VIEWS}
    assert names <= _cli_commands()
    listed = set(re.findall(r"^  %%go (\w+)", usage(), re.MULTILINE))
    assert listed == names
    assert len(_views.BY_NAME) == len(_views.VIEWS)  # no two views share a name


@pytest.mark.go
@pytest.mark.parametrize("view", [v.name for v in _views.VIEWS])
def test_every_view_answers_json(view, tmp_path, capsys) -> None:
    f = tmp_path / "main.go"
    f.write_text(HELLO)
    code = main([view, str(f), *NEEDS.get(view, []), "--json"])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert code == 0 and isinstance(data, dict) and data


@pytest.mark.go
@pytest.mark.parametrize("view", [v.name for v in _views.VIEWS])
def test_every_view_shows_in_a_cell(view) -> None:
    from gokit.faces.magic import go_magic

    shown = go_magic(" ".join([view, *NEEDS.get(view, [])]), HELLO)
    assert shown is not None
    assert "Error" not in type(shown).__name__ and "color:#b00" not in str(getattr(shown, "data", ""))


def test_a_view_whose_module_fails_to_import_says_why(monkeypatch, tmp_path, capsys) -> None:
    import builtins

    real_import = builtins.__import__

    def broken(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.endswith("_frontend") or name == "gokit.stages.frontend":
            raise ImportError("simulated: a dependency is missing")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "gokit.stages.frontend", raising=False)
    monkeypatch.setattr(builtins, "__import__", broken)
    monkeypatch.setattr("importlib.import_module", lambda name, package=None: broken(name))
    assert "tokens" in _cli_commands()  # still listed: never a silently missing sub-command
    f = tmp_path / "main.go"
    f.write_text(HELLO)
    assert main(["tokens", str(f)]) == 1
    err = capsys.readouterr().err
    assert "`tokens` view could not be loaded" in err and "simulated: a dependency is missing" in err


def test_magic_usage_for_an_unknown_view() -> None:
    from gokit.faces.magic import go_magic

    shown = go_magic("frobnicate", HELLO)
    assert "usage: %%go VIEW" in shown.data and "ssa" in shown.data
