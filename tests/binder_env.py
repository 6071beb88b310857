"""A fresh venv built the way binder/ builds the image (requirements.txt, then postBuild), and one
`gokit check --json --save DIR` of every lesson in it, shared by test_binder.py and test_notebooks.py
(and the venv's package list, which test_binder compares with the lock)
(a plugin of conftest.py, so pytest defines the session fixture once).

Why one run serves both: the lessons take up to two minutes each, and CI's budget is well under 20
minutes; executing every lesson once in the Binder venv proves that binder/ is enough to run them AND
gives test_notebooks its per-lesson results (passed, seconds, budget). Set GOKIT_BINDER_VENV=0 to run
`gokit check` with this interpreter instead (no new venv: quicker on a laptop, less faithful).

Test infrastructure (not library code) starts processes here with subprocess: a venv, pip, bash postBuild.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(argv: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def build_binder_venv(where: Path) -> tuple[Path, dict[str, str], dict[str, float]]:
    """python -m venv, pip install -r binder/requirements.txt (the exact lock), bash binder/postBuild, as repo2docker
    does; (python, env, seconds)."""
    import time

    times: dict[str, float] = {}
    venv = where / "venv"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', os.defpath)}"
    env["JUPYTER_DATA_DIR"] = str(where / "jupyter-data")   # no kernel spec of the user's leaks in
    env["JUPYTER_CONFIG_DIR"] = str(where / "jupyter-config")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    done = _run([str(py), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], env, 1800)
    assert done.returncode == 0, f"pip install -r binder/requirements.txt failed:\n{done.stderr[-3000:]}"
    times["requirements"] = time.perf_counter() - t
    t = time.perf_counter()
    done = _run(["bash", "binder/postBuild"], env, 1800)
    assert done.returncode == 0, f"binder/postBuild failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    times["postBuild"] = time.perf_counter() - t
    return py, env, times


#: What a venv holds besides the lock: the installer itself and gokit (postBuild installs it with --no-deps).
NOT_LOCKED = {"pip", "setuptools", "wheel", "gokit-lessons"}


def installed(py: Path, env: dict[str, str]) -> dict[str, str]:
    """{normalised name: version} of every distribution in the venv of `py`, but pip and gokit itself."""
    from packaging.utils import canonicalize_name

    done = _run([str(py), "-m", "pip", "list", "--format", "json"], env, 120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = {canonicalize_name(d["name"]): d["version"] for d in json.loads(done.stdout)}
    return {n: v for n, v in found.items() if n not in NOT_LOCKED}


@pytest.fixture(scope="session")
def binder_check(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """{"report": gokit check --json of every lesson, "saved": executed notebooks, "python": the venv's, "times"}."""
    where = tmp_path_factory.mktemp("binder")
    if os.environ.get("GOKIT_BINDER_VENV", "1") == "0":
        py, env, times = Path(sys.executable), dict(os.environ), {}
        held = None
    else:
        py, env, times = build_binder_venv(where)
        held = installed(py, env)
    saved = where / "executed"
    done = _run([str(py), "-m", "gokit.cli", "check", "--json", "--save", str(saved)], env, 3600)
    assert done.stdout.strip(), f"gokit check printed nothing:\n{done.stderr[-3000:]}"
    report = json.loads(done.stdout)
    return {"report": report, "saved": saved, "python": py, "times": times, "exit_code": done.returncode,
            "stderr": done.stderr, "installed": held}
