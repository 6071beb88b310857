"""Refresh binder/requirements.txt, the exact lock Binder (and a hub image) installs, from pyproject.toml.

    python binder/lock.py            # after any change to [project] dependencies in pyproject.toml

pip-tools' `pip-compile` (in the test extra) resolves pyproject.toml's dependencies for the Python of this
interpreter (use the one runtime.txt names, 3.11) and pins every package, direct or not, to one version. This
script adds one header line, the sha256 of the dependency list it locked, so a test can tell offline that
pyproject.toml changed since (tests/test_binder.py).
"""
from __future__ import annotations

import hashlib
import json
import os
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
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if here != runtime:
        sys.exit(f"binder/runtime.txt asks for Python {runtime}; run this with that Python (this is {here}).")
    # a pip config may add local indexes or wheel folders: the lock names only what PyPI serves
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "CUSTOM_COMPILE_COMMAND": COMMAND}
    for k in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_INDEX_URL", "PIP_CONSTRAINT"):
        env.pop(k, None)
    done = subprocess.run([sys.executable, "-m", "piptools", "compile", "--quiet", "--upgrade", "--strip-extras",
                           "--no-emit-index-url", "--no-emit-find-links", "--newline", "lf",
                           "--output-file", str(LOCK), "pyproject.toml"], cwd=ROOT, env=env, check=False)
    if done.returncode != 0:
        return done.returncode
    lines = LOCK.read_text().splitlines()
    first_blank = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines.insert(first_blank, INPUT_LINE + input_digest((ROOT / "pyproject.toml").read_text()))
    LOCK.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
