"""gokit._dist: the distribution is gokit-lessons (PyPI's `gokit` is another project), messages say so, and an
environment where that other `gokit` shares our folder is refused at import with advice."""
from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from gokit._dist import DIST_NAME, INSTALL, foreign_gokit

ROOT = Path(__file__).resolve().parent.parent
#: `pip install gokit` not followed by `-lessons`: the command that installs the wrong project.
WRONG_INSTALL_RE = re.compile(r"pip install gokit(?![-\w])")


def test_the_distribution_name_is_the_free_one_and_installed_as_such() -> None:
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"] == DIST_NAME == "gokit-lessons"
    assert INSTALL == "pip install gokit-lessons"
    dist = importlib.metadata.distribution(DIST_NAME)
    assert dist.metadata["License-Expression"] == "MIT"
    assert {"LICENSE", "THIRD_PARTY_NOTICES.md"} <= set(dist.metadata.get_all("License-File") or [])


def test_no_message_or_page_tells_anyone_to_pip_install_the_other_gokit() -> None:
    files = [*ROOT.joinpath("gokit").rglob("*.py"), ROOT / "README.md", *ROOT.joinpath("docs").rglob("*.md"),
             ROOT / "binder" / "postBuild"]
    wrong = [f"{p.relative_to(ROOT)}: {para[:80]!r}" for p in files for para in re.split(r"\n\s*\n", p.read_text())
             if WRONG_INSTALL_RE.search(para) and "unrelated" not in para.lower()]  # only a warning may name it
    assert wrong == []


def test_a_folder_shared_with_pypis_gokit_is_refused_with_advice(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    (site / "gokit").mkdir(parents=True)
    (site / "gokit_lessons-0.1.0.dist-info").mkdir()
    assert foreign_gokit(str(site / "gokit")) is None  # ours alone
    (site / "gokit-0.1.7.dist-info").mkdir()
    advice = foreign_gokit(str(site / "gokit"))
    assert advice is not None and "0.1.7" in advice and "pip uninstall -y gokit gokit-lessons" in advice


def test_import_gokit_refuses_the_mixed_folder(tmp_path: Path) -> None:
    """Our package copied next to a `gokit-0.1.7.dist-info`, as pip leaves it after `pip install gokit`."""
    import shutil

    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "gokit", site / "gokit", ignore=shutil.ignore_patterns("__pycache__", "_go"))
    (site / "gokit-0.1.7.dist-info").mkdir()
    done = subprocess.run([sys.executable, "-c", "import gokit"], cwd=site, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "ImportError: This Python environment holds two different packages" in done.stderr
