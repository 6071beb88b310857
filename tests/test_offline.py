"""A room prepared online teaches offline: the lessons that compare two Go releases (00 and 04) run to the end with
PyPI out of reach and an empty gokit cache, saying in one line that the comparison is skipped (issue 19, item 5).

The other half, that `gokit doctor` installs those releases while there is network, is test_doctor's; that a
release installed once serves learners with no network is test_toolchain's (the shared-folder test)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import offline_pip_env

ROOT = Path(__file__).resolve().parent.parent
#: The lessons whose cells call gokit.use_go, with the code cell (1-based) that does.
COMPARING = {"00": "gokit.use_go(", "04": "gokit.use_go("}


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_lessons_00_and_04_run_offline_and_say_so_in_one_line(tc, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = offline_pip_env(dict(os.environ))
    for k in ("GOKIT_CACHE", "GOKIT_TOOLCHAINS", "XDG_CACHE_HOME", "VIRTUAL_ENV"):
        env.pop(k, None)
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),  # a new learner: empty gokit cache
               GOCACHE=str(tc.gocache),  # Go's own build cache stays warm: it needs no network either way
               JUPYTER_DATA_DIR=str(home / "jupyter-data"), JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
               IPYTHONDIR=str(home / "ipython"), GOKIT_FAST="1")
    saved = tmp_path / "executed"
    done = subprocess.run([sys.executable, "-m", "gokit.cli", "check", *COMPARING, "--json", "--save", str(saved)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    report = json.loads(done.stdout)
    failed = [f"{e['notebook']}: cell {e['cell']}: {e['error']}" for e in report["lessons"] if not e["passed"]]
    assert not failed and done.returncode == 0, (failed, done.stderr[-2000:])
    assert not (home / ".cache" / "gokit" / "toolchains" / "go1.22.10" / "go").exists(), "PyPI was reachable"
    for lesson, needle in COMPARING.items():
        nb = nbformat.read(next(saved.glob(f"{lesson}-*.ipynb")), as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code" and needle in c.source]
        assert len(cells) == 1, f"lesson {lesson}: {len(cells)} cells call use_go"
        outputs = cells[0].outputs
        assert not [o for o in outputs if o.output_type == "error"]
        text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        said = [line for line in text.splitlines() if "not available" in line]
        assert len(said) == 1 and said[0].startswith("Go 1.22.10 is not available here"), text
        assert "gokit doctor" in said[0]
