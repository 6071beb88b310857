"""`%%go` cell magic: the cell body is Go source; the line says which view to show."""
from __future__ import annotations

import argparse
import shlex
from typing import Any, Callable

from .errors import GokitError, UsageError

USAGE = ("%%go run [ARGS...] | build [--ldflags F] [--gcflags F] [--goos OS] [--goarch ARCH] | steps | tokens | "
         "ast | types | ssa FUNC")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="%%go", add_help=False, exit_on_error=False)
    p.add_argument("view")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return p


def _run(src: Any, rest: list[str]) -> Any:
    from .link import run

    timeout = 10.0
    if rest[:1] == ["--timeout"] and len(rest) >= 2:
        timeout, rest = float(rest[1]), rest[2:]
    return run(src, args=rest, timeout=timeout)


def _build(src: Any, rest: list[str]) -> Any:
    from .link import build

    p = argparse.ArgumentParser(prog="%%go build", add_help=False, exit_on_error=False)
    for flag in ("ldflags", "gcflags", "goos", "goarch"):
        p.add_argument(f"--{flag}")
    a = p.parse_args(rest)
    b = build(src, ldflags=a.ldflags, gcflags=a.gcflags, goos=a.goos, goarch=a.goarch)
    return b.steps


def _steps(src: Any, rest: list[str]) -> Any:
    from .link import cleanup_work, go_run_x

    r = go_run_x(src, rest, work=False)
    cleanup_work(r)
    return r.steps


def _view(name: str) -> Callable[[Any, list[str]], Any]:
    def call(src: Any, rest: list[str]) -> Any:
        import importlib

        mod = importlib.import_module("gokit.frontend" if name != "ssa" else "gokit.ssa")
        fn = getattr(mod, name)
        if name == "ssa":
            if not rest:
                raise UsageError("%%go ssa needs a function name, e.g. %%go ssa add")
            return fn(src, rest[0])
        result = fn(src)
        return result.to_graphviz() if name == "parse" and hasattr(result, "to_graphviz") else result

    return call


VIEWS: dict[str, Callable[[Any, list[str]], Any]] = {
    "run": _run, "build": _build, "steps": _steps,
    "tokens": _view("tokens"), "ast": _view("parse"), "types": _view("typecheck"), "ssa": _view("ssa"),
}


def go_magic(line: str, cell: str) -> Any:
    """Run one view of the cell's Go source; errors are shown as advice, not tracebacks."""
    from .source import Source

    try:
        words = shlex.split(line)
        if not words or words[0] not in VIEWS:
            raise UsageError(f"usage: {USAGE}")
        result = VIEWS[words[0]](Source(cell), words[1:])
    except (GokitError, argparse.ArgumentError, ValueError) as e:
        from IPython.display import HTML

        import html

        return HTML(f"<pre style='color:#b00;white-space:pre-wrap'>{html.escape(str(e))}</pre>")
    if hasattr(result, "source") and hasattr(result, "edge"):  # a graphviz graph
        from .render import Diagram

        return Diagram(result)
    return result


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magic_function(go_magic, magic_kind="cell", magic_name="go")
