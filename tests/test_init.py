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


#: The floors of the house (design.md, Architecture): one folder each, their modules private to gokit.
FLOORS = ("source", "layers", "parsers", "stages", "views", "faces", "measure", "experiments")


def test_every_module_is_a_plain_module_and_private_unless_public() -> None:
    public = {"gokit.bench", "gokit.errors", "gokit.cli", "gokit.lesson"}
    for info in pkgutil.walk_packages(gokit.__path__, "gokit."):
        mod = importlib.import_module(info.name)
        assert type(mod) is types.ModuleType, f"{info.name} is a {type(mod).__name__}, not a plain module"
        parts = info.name.split(".")[1:]
        if len(parts) == 1:  # gokit/x.py or a floor folder: public, a floor, or private by its leading _
            assert info.name in public or parts[0] in FLOORS or parts[0].startswith("_"), info.name
        else:  # inside a floor (or a private package): not reachable as a gokit.NAME
            assert parts[0] in FLOORS or parts[0].startswith("_") or info.name.startswith(
                tuple(f"{p}." for p in public)), info.name


def test_import_gokit_loads_no_heavy_library() -> None:
    code = "import sys, gokit; print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.strip()
    assert out == "[]"
