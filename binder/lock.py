"""Refresh binder/requirements.txt, the exact lock Binder (and a hub image) installs, from pyproject.toml.

    python binder/lock.py            # after any change to [project] dependencies in pyproject.toml

`uv pip compile` (uv is in the test extra) resolves pyproject.toml's dependencies from PyPI for the Python
release binder/runtime.txt names, from its first patch release on (3.11 means 3.11.0 and later: the lock must
install on a system's 3.11.2 as well as on Binder's newest 3.11), for Linux on x86-64, and pins every package,
direct or not, to one version. This script adds one header line, the sha256 of the dependency list it locked, so
a test can tell offline that pyproject.toml changed since (tests/test_binder.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "binder" / "requirements.txt"
COMMAND = "python binder/lock.py"
INPUT_LINE = "# pyproject.toml [project] dependencies sha256: "


def input_digest(pyproject_text: str) -> str:
    """sha256 of what the lock is made from: pyproject's dependency strings and requires-python."""
    import tomllib  # Python 3.11+, as the lock's own Python is

    project = tomllib.loads(pyproject_text)["project"]
    blob = json.dumps({"dependencies": project["dependencies"], "requires-python": project.get("requires-python")},
                      sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def main() -> int:
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    uv = shutil.which("uv", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if uv is None:
        sys.exit("uv is not installed: pip install uv (it is in the test extra: pip install -e '.[test]')")
    done = subprocess.run([uv, "pip", "compile", "--quiet", "--upgrade", "--python-version", runtime,
                           "--python-platform", "x86_64-unknown-linux-gnu", "--custom-compile-command", COMMAND,
                           "--index-url", "https://pypi.org/simple", "--output-file", str(LOCK), "pyproject.toml"],
                          cwd=ROOT, check=False)
    if done.returncode != 0:
        return done.returncode
    lines = LOCK.read_text().splitlines()
    first_blank = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines.insert(first_blank, INPUT_LINE + input_digest((ROOT / "pyproject.toml").read_text()))
    LOCK.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
