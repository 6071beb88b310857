"""Write docs/api.md (one line per public name, from its docstring) and the typed imports of gokit/__init__.py,
both from the one public table, gokit.PUBLIC.

    python docs/_src/make_api.py

tests/test_public.py fails when either is out of date.
"""
from __future__ import annotations

import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "docs" / "api.md"
INIT = ROOT / "gokit" / "__init__.py"
#: The typed imports sit between these lines of gokit/__init__.py.
BLOCK_RE = re.compile(r"^if TYPE_CHECKING:.*?(?=\n\n\ndef )", re.DOTALL | re.MULTILINE)

sys.path.insert(0, str(ROOT))

import gokit  # noqa: E402


def first_line(obj: Any) -> str:
    """The first sentence-line of an object's own docstring ("" when it has none)."""
    doc = inspect.getdoc(obj) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ").strip()


def is_constant(obj: Any) -> bool:
    return not (inspect.ismodule(obj) or inspect.isclass(obj) or callable(obj))


def constant_doc(name: str) -> str:
    """A constant's `#:` comment, from the gokit module that defines it ("" when it has none)."""
    pattern = re.compile(rf"((?:^#:.*\n)+)^{re.escape(name)}\b[^=\n]*=", re.MULTILINE)
    for path in sorted((ROOT / "gokit").rglob("*.py")):
        m = pattern.search(path.read_text())
        if m:
            return " ".join(line[2:].strip() for line in m.group(1).splitlines())
    return ""


def doc_of(name: str, obj: Any) -> str:
    """A public name's one line: its docstring's first (a constant: its `#:` comment)."""
    return constant_doc(name) if is_constant(obj) else first_line(obj)


def describe(name: str, obj: Any) -> str:
    """What a public name is, and its one line."""
    return f"({'constant' if is_constant(obj) else _kind(obj)}): {doc_of(name, obj)}"


def _kind(obj: Any) -> str:
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    return "function"


def reference() -> str:
    """docs/api.md: every public name, section by section as the table orders them, one line each."""
    out = ["# gokit API reference", "",
           "Every public name of gokit, one line each, from its docstring (written by `docs/_src/make_api.py` from "
           "the public table in `gokit/__init__.py`; `help(gokit.NAME)` has the rest). Every function that runs Go "
           "takes `toolchain=` (default: `gokit.toolchain()`) and `timeout=`, a deadline in seconds for the whole "
           "call (see the README for each call's default and what it raises).", ""]
    for section, names in gokit.PUBLIC.items():
        out += [f"## {section}", ""]
        for name in names:
            obj = getattr(gokit, name)
            out.append(f"- `gokit.{name}` {describe(name, obj)}")
        out.append("")
    bench = importlib.import_module("gokit.bench")
    out += ["## gokit.bench", "", first_line(bench), ""]
    for name in bench.__all__:
        obj = getattr(bench, name)
        out.append(f"- `gokit.bench.{name}` {describe(name, obj)}")
    return "\n".join(out).rstrip() + "\n"


def typed_imports() -> str:
    """The `if TYPE_CHECKING:` block of gokit/__init__.py: the table as imports, for mypy and editors."""
    by_module: dict[str, list[str]] = {}
    modules: list[str] = []
    for names in gokit.PUBLIC.values():
        for name, (module, attr) in names.items():
            if attr is None:
                modules.append(name)
            else:
                by_module.setdefault(module, []).append(attr if attr == name else f"{attr} as {name}")
    lines = ["if TYPE_CHECKING:  # the table above as imports, for mypy and editors (written by docs/_src/make_api.py)",
             f"    from . import {', '.join(sorted(modules))}"]
    for module in sorted(by_module):
        items = sorted(set(by_module[module]), key=lambda x: (x.split(" as ")[0].lower(), x))
        line = f"    from .{module} import {', '.join(items)}"
        if len(line) > 120:
            line = f"    from .{module} import (\n" + "".join(f"        {i},\n" for i in items) + "    )"
        lines.append(line)
    return "\n".join(lines)


def init_text() -> str:
    """gokit/__init__.py with its typed imports written from the table."""
    text = INIT.read_text()
    if not BLOCK_RE.search(text):
        raise SystemExit("gokit/__init__.py has no `if TYPE_CHECKING:` block before its first function")
    return BLOCK_RE.sub(lambda m: typed_imports(), text, count=1)


def main() -> None:
    API.write_text(reference())
    INIT.write_text(init_text())
    print(f"wrote {API.relative_to(ROOT)} and the typed imports of {INIT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
