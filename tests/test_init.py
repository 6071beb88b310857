"""gokit/__init__: the one public surface; every module a plain module; importing gokit stays cheap."""
from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import gokit


def test_every_public_name_resolves_and_dir_lists_them() -> None:
    for name in gokit.__all__:
        assert getattr(gokit, name) is not None, name
    assert sorted(dir(gokit)) == sorted(gokit.__all__)
    assert isinstance(gokit.bench, types.ModuleType) and gokit.bench.__name__ == "gokit.bench"
    assert isinstance(gokit.lesson, types.ModuleType) and gokit.lesson.__name__ == "gokit.lesson"


def test_every_module_is_a_plain_module_and_private_unless_public() -> None:
    public = {"gokit.bench", "gokit.errors", "gokit.cli", "gokit.lesson"}
    floors = ("gokit.views",)  # folders of the house's floors: private namespaces, documented as such
    for info in pkgutil.walk_packages(gokit.__path__, "gokit."):
        mod = importlib.import_module(info.name)
        assert type(mod) is types.ModuleType, f"{info.name} is a {type(mod).__name__}, not a plain module"
        last = info.name.rsplit(".", 1)[-1]
        assert (info.name in public or last.startswith("_") or info.name.startswith("gokit._")
                or info.name.startswith(floors)), info.name


def test_import_gokit_loads_no_heavy_library() -> None:
    code = "import sys, gokit; print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.strip()
    assert out == "[]"
