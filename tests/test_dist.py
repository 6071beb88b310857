"""gokit._dist: the distribution is gokit-lessons (PyPI's `gokit` is another project), messages say so, and an
environment where that other `gokit` shares our folder is refused at import with advice."""
from __future__ import annotations

import importlib.metadata
import re
import shutil
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


def _tracked(root: Path) -> list[str]:
    """The files of the checkout (git's list when it is a git checkout, as on CI; else every file but caches)."""
    done = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, timeout=60)
    if done.returncode == 0 and done.stdout:
        return [f for f in done.stdout.decode().split("\0") if f and (root / f).is_file()]
    return [p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and ".git" not in p.parts and p.suffix != ".pyc"]


def test_the_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    """A wheel built from this checkout (`pip wheel`, as PyPI's would be) holds every file under gokit/: the
    explorers' ES modules and CSS (views/explorers/*.js, *.css: read at run time, never imported), the Go helper's
    sources (_go/), the exercises (_exercises/*.json) and every module. Built from a copy, so the checkout gets no
    build/ or *.egg-info (and two runs at once do not share them). ~10 s: pip fetches setuptools for the build."""
    import zipfile

    files = _tracked(ROOT)
    src = tmp_path / "src"
    for f in files:
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, src / f)
    out = tmp_path / "wheel"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
                           "-w", str(out), str(src)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"pip wheel failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    (wheel,) = out.glob("gokit_lessons-*.whl")
    with zipfile.ZipFile(wheel) as z:
        shipped = {n for n in z.namelist() if n.startswith("gokit/")}
    package = {f for f in files if f.startswith("gokit/")}
    assets = {f for f in package if f.startswith("gokit/views/explorers/") and f.endswith((".js", ".css"))}
    assert {"gokit/views/explorers/_core.js", "gokit/views/explorers/_core.css"} <= assets and len(assets) >= 10
    assert not assets - shipped, f"explorer assets missing from the wheel (pyproject.toml package-data): " \
                                 f"{sorted(assets - shipped)}"
    assert not package - shipped, f"files of gokit/ missing from the wheel: {sorted(package - shipped)}"
    assert not shipped - package, f"the wheel holds files the checkout has not: {sorted(shipped - package)}"
