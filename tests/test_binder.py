"""binder/ proven: repo2docker's own code turns it into a Dockerfile (no Docker engine needed), its requirements
cannot drift from pyproject.toml, and a venv built the way it says (requirements, then postBuild) runs every lesson."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def requirements(lines: list[str]) -> dict[str, str]:
    """{normalised name: specifier} of requirement lines (comments and blanks skipped)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            r = Requirement(line)
            out[canonicalize_name(r.name)] = str(r.specifier)
    return out


def drift(pyproject: str, binder_requirements: str) -> list[str]:
    """What differs between pyproject's [project] dependencies and binder/requirements.txt (empty: in step)."""
    import tomllib

    deps = requirements(tomllib.loads(pyproject)["project"]["dependencies"])
    pins = requirements(binder_requirements.splitlines())
    problems = [f"{n} is in pyproject.toml but not in binder/requirements.txt" for n in sorted(set(deps) - set(pins))]
    problems += [f"{n} is in binder/requirements.txt but not in pyproject.toml" for n in sorted(set(pins) - set(deps))]
    problems += [f"{n}: pyproject.toml says {deps[n]!r}, binder/requirements.txt {pins[n]!r}"
                 for n in sorted(set(deps) & set(pins)) if deps[n] != pins[n]]
    return problems


def test_binder_requirements_match_pyproject() -> None:
    assert drift((ROOT / "pyproject.toml").read_text(), (ROOT / "binder" / "requirements.txt").read_text()) == []


def test_the_drift_check_fails_when_either_file_gains_a_dependency() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    reqs = (ROOT / "binder" / "requirements.txt").read_text()
    added = pyproject.replace('dependencies = [\n', 'dependencies = [\n    "rich>=13",\n', 1)
    assert added != pyproject
    assert drift(added, reqs) == ["rich is in pyproject.toml but not in binder/requirements.txt"]
    assert drift(pyproject, reqs + "rich>=13\n") == ["rich is in binder/requirements.txt but not in pyproject.toml"]
    assert drift(pyproject, reqs.replace("pandas>=1.5", "pandas>=2")) == \
        ["pandas: pyproject.toml says '>=1.5', binder/requirements.txt '>=2'"]


def test_repo2docker_turns_binder_into_the_expected_dockerfile() -> None:
    """repo2docker --no-build --debug prints the Dockerfile it would build; no Docker engine is needed for that."""
    pytest.importorskip("repo2docker", reason="pip install jupyter-repo2docker (in the test extras)")
    done = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--user-id", "1000",
                           "--user-name", "jovyan", str(ROOT)], capture_output=True, text=True, timeout=300)
    text = done.stdout + done.stderr
    assert done.returncode == 0, text[-3000:]
    assert "python=3.11" in text, "runtime.txt's python-3.11 picks the interpreter"
    assert re.search(r"apt-get install --yes --no-install-recommends graphviz", text), "apt.txt: graphviz"
    pip = text.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    post = text.index("RUN ./binder/postBuild")
    assert pip < post, "requirements are installed before postBuild runs"


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_a_binder_built_venv_runs_every_lesson(binder_check) -> None:
    report = binder_check["report"]
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert [e["notebook"] for e in report["lessons"]] == lessons
    failed = [f"{e['notebook']}: cell {e['cell']}: {e['error']}" for e in report["lessons"] if not e["passed"]]
    assert not failed and binder_check["exit_code"] == 0, failed
    assert "WARNING" not in binder_check["stderr"], binder_check["stderr"][-2000:]
