"""gokit's public surface: one table (gokit.PUBLIC), its typed imports and docs/api.md written from it and up to date,
every public name documented, gokit.bench and gokit.errors with their own __all__, the README pointing at the
reference."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import gokit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_src"))

import make_api  # noqa: E402


def test_the_typed_imports_are_the_table() -> None:
    assert make_api.init_text() == make_api.INIT.read_text(), "run: python docs/_src/make_api.py"


def test_the_api_reference_is_up_to_date_and_linked_from_the_readme() -> None:
    assert make_api.reference() == make_api.API.read_text(), "run: python docs/_src/make_api.py"
    assert "(docs/api.md)" in (ROOT / "README.md").read_text()


def test_every_public_name_is_in_the_table_once_and_documented() -> None:
    names = [n for section in gokit.PUBLIC.values() for n in section]
    assert len(names) == len(set(names)) and sorted(names) == sorted(gokit.__all__) == dir(gokit)
    undocumented = [n for n in names if not make_api.doc_of(n, getattr(gokit, n))]
    assert undocumented == []


def test_bench_and_errors_say_what_is_public() -> None:
    for name in ("gokit.bench", "gokit.errors"):
        mod = importlib.import_module(name)
        assert mod.__all__ and all(getattr(mod, n) is not None for n in mod.__all__), name
        assert not [n for n in mod.__all__ if n.startswith("_")], name
        undocumented = [n for n in mod.__all__ if not make_api.doc_of(n, getattr(mod, n))]
        assert undocumented == [], name
    assert dir(gokit.bench) == sorted(gokit.bench.__all__)
