"""binder/ proven: repo2docker's own code turns it into a Dockerfile (no Docker engine needed), its requirements
are an exact lock of pyproject.toml (checked offline), and a venv built the way it says (the lock, then postBuild)
holds exactly the locked packages and runs every lesson."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _lock_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("binder_lock", ROOT / "binder" / "lock.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


lock = _lock_module()


def pins(lock_text: str) -> dict[str, str]:
    """{normalised name: version} of a lock's `name==version` lines; anything else that is not a comment fails."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    out = {}
    for line in lock_text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        r = Requirement(line)
        spec = list(r.specifier)
        assert len(spec) == 1 and spec[0].operator == "==" and not r.url, f"not an exact pin: {line!r}"
        out[canonicalize_name(r.name)] = spec[0].version
    return out


def drift(pyproject: str, lock_text: str, python: str = "3.11") -> list[str]:
    """Why binder/requirements.txt is not a lock of this pyproject.toml (empty: it is). Offline: the lock's header
    records the digest of the dependencies it was made from, and every dependency must be pinned inside its range."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    problems = []
    recorded = [line.removeprefix(lock.INPUT_LINE) for line in lock_text.splitlines()
                if line.startswith(lock.INPUT_LINE)]
    if recorded != [lock.input_digest(pyproject)]:
        problems.append("pyproject.toml's dependencies changed since the lock was made: run `python binder/lock.py`")
    pinned = pins(lock_text)
    for dep in tomllib.loads(pyproject)["project"]["dependencies"]:
        r = Requirement(dep)
        if r.marker is not None and not r.marker.evaluate({"python_version": python}):
            continue
        name = canonicalize_name(r.name)
        if name not in pinned:
            problems.append(f"{name} is in pyproject.toml but not pinned in binder/requirements.txt")
        elif not r.specifier.contains(pinned[name], prereleases=True):
            problems.append(f"{name}=={pinned[name]} is outside pyproject.toml's {str(r.specifier)!r}")
    return problems


def test_binder_requirements_are_an_exact_lock_of_pyproject() -> None:
    text = (ROOT / "binder" / "requirements.txt").read_text()
    assert drift((ROOT / "pyproject.toml").read_text(), text) == []
    assert "python binder/lock.py" in text  # the header says how to refresh it
    python = (ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    assert f"pip-compile with Python {python}" in text  # resolved for the Python Binder runs


def test_the_drift_check_fails_when_pyproject_or_the_lock_changes() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    text = (ROOT / "binder" / "requirements.txt").read_text()
    added = pyproject.replace('dependencies = [\n', 'dependencies = [\n    "rich>=13",\n', 1)
    assert added != pyproject
    problems = drift(added, text)
    assert problems[0].startswith("pyproject.toml's dependencies changed") and \
        problems[1:] == ["rich is in pyproject.toml but not pinned in binder/requirements.txt"]
    version = pins(text)["pandas"]
    assert drift(pyproject, text.replace(f"pandas=={version}", "pandas==1.0.0")) == \
        ["pandas==1.0.0 is outside pyproject.toml's '>=1.5'"]
    with pytest.raises(AssertionError, match="not an exact pin"):
        drift(pyproject, text.replace(f"pandas=={version}", "pandas>=1.5"))


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
    if binder_check["installed"] is not None:  # a venv built from binder/: exactly the lock, nothing more or less
        locked = pins((ROOT / "binder" / "requirements.txt").read_text())
        assert binder_check["installed"] == locked
