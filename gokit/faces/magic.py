"""`%%go VIEW [options]` cell magic: the cell body is Go source; the views are the CLI's (gokit.faces.commands)."""
from __future__ import annotations

import argparse
import html
import shlex
from typing import Any

from ..errors import GokitError, UsageError


def usage() -> str:
    """One line per view: what `%%go` accepts."""
    from .commands import VIEWS

    return "usage: %%go VIEW [options], the cell holding Go source; the views:\n" + \
        "\n".join(f"  %%go {v.usage()}\n      {v.help}" for v in VIEWS)


def go_magic(line: str, cell: str) -> Any:
    """Run one view of the cell's Go source; errors are shown as advice, not tracebacks."""
    from ..source.source import Source
    from .commands import BY_NAME

    try:
        words = shlex.split(line)
        if not words or words[0] not in BY_NAME:
            raise UsageError(usage())
        view = BY_NAME[words[0]]
        ns = view.magic_parser().parse_args(words[1:])
        return view.display(view.run(Source(cell), ns), ns)
    except (GokitError, argparse.ArgumentError, ValueError) as e:
        from IPython.display import HTML

        return HTML(f"<pre style='color:#b00;white-space:pre-wrap'>{html.escape(str(e))}</pre>")


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magic_function(go_magic, magic_kind="cell", magic_name="go")
