"""gokit: watch your Go program become tokens, an AST, SSA, machine code and a running process."""
from __future__ import annotations

from typing import Any

from .errors import (GokitError, GoNotFoundError, GoTimeoutError, GoToolError, ParseError,
                     RenderError, UsageError)
from .source import Source
from .toolchain import Toolchain, toolchain, use_go

__version__ = "0.1.0"

# Heavier pieces are imported on first use so `import gokit` stays fast.
_LAZY = {
    "build": ("link", "build"), "run": ("link", "run"), "Build": ("link", "Build"), "Run": ("link", "Run"),
    "go_run_x": ("link", "go_run_x"),
    "bench": ("bench", None),
    "show": ("render", "show"), "to_svg": ("render", "to_svg"),
    "tokens": ("frontend", "tokens"), "parse": ("frontend", "parse"), "typecheck": ("frontend", "typecheck"),
    "ssa": ("ssa", "ssa"),
    "optimizations": ("ssa", "optimizations"), "inlining": ("ssa", "inlining"), "escapes": ("ssa", "escapes"),
    "bounds_checks": ("ssa", "bounds_checks"),
    "export_html": ("export", "export_html"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        mod_name, attr = _LAZY[name]
        mod = importlib.import_module(f".{mod_name}", __name__)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gokit' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext gokit` registers the `%%go` cell magic."""
    from .magic import load_ipython_extension as load

    load(ipython)


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))


__all__ = ["GokitError", "GoNotFoundError", "GoTimeoutError", "GoToolError", "ParseError", "RenderError",
           "UsageError", "Source", "Toolchain", "toolchain", "use_go", *_LAZY]
