"""The %%go cell magic, through a real IPython shell."""
from __future__ import annotations

import pytest

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("from a cell") }\n'


@pytest.fixture(scope="module")
def ip():
    from IPython.testing.globalipapp import start_ipython

    shell = start_ipython()
    shell.run_line_magic("load_ext", "gokit")
    return shell


@pytest.mark.go
def test_go_run_cell(ip) -> None:
    r = ip.run_cell_magic("go", "run", HELLO)
    assert r.stdout == "from a cell\n" and r.exit_code == 0


@pytest.mark.go
def test_go_steps_cell(ip) -> None:
    steps = ip.run_cell_magic("go", "steps", HELLO)
    assert steps.iloc[-1]["action"] == "exec"


@pytest.mark.go
def test_errors_are_shown_as_advice(ip) -> None:
    out = ip.run_cell_magic("go", "run", "package main\n\nfunc main() { x }\n")
    assert "./main.go:3:15" in out.data and "Traceback" not in out.data
    assert "usage: %%go" in ip.run_cell_magic("go", "frobnicate", HELLO).data
