"""Progress for long work: a widget bar in Jupyter, a text bar on a terminal, one final line anywhere else."""
from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any, TextIO

log = logging.getLogger("gokit.progress")


def on_terminal(stream: "TextIO | None" = None) -> bool:
    """Whether a redrawing text bar has someone to watch it: the stream (stderr) is a terminal, not in CI, and the
    terminal can move the cursor (TERM is not `dumb`)."""
    stream = stream if stream is not None else sys.stderr
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):   # closed or replaced by something without a file
        tty = False
    return tty and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython

        ip = get_ipython()
        return ip is not None and "IPKernelApp" in ip.config
    except Exception:  # noqa: BLE001 - no IPython: not a kernel
        return False


class Progress:
    """Progress of long work that leaves nothing behind where it redraws.

    In a Jupyter kernel: a widget bar whose output is blanked when it closes (a text bar if widgets are
    missing: the notebook redraws it in place). On a terminal (stderr is a tty, not CI): a tqdm text bar that
    clears itself. Anywhere else (a pipe, a log file, CI): no redraws at all, only one line when the work ends:
    what it was, how much of it was done and how long it took.
    """

    def __init__(self, total: int, initial: int = 0, *, desc: str = "gokit.bench", unit: str = "run") -> None:
        self._handle: Any = None
        self._bar: Any = None
        self._desc, self._unit, self._total, self._n = desc, unit, total, initial
        self._start = time.perf_counter()
        self._closed = False
        kw = {"total": total, "initial": initial, "desc": desc, "unit": unit, "leave": False}
        if _in_kernel():
            try:
                from IPython.display import display
                from tqdm.notebook import tqdm as notebook_tqdm  # type: ignore[import-untyped]

                self._bar = notebook_tqdm(display=False, **kw)
                self._handle = display(self._bar.container, display_id=True)
                return
            except Exception:  # noqa: BLE001 - no ipywidgets: a text bar the notebook redraws in place
                log.debug("no notebook progress bar", exc_info=True)
        elif not on_terminal():
            return                            # a pipe or CI: a final line only (close)
        from tqdm.auto import tqdm  # type: ignore[import-untyped]

        self._bar = tqdm(**kw)

    def update(self, n: int) -> None:
        self._n += n
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._bar is None:
            if self._total:
                seconds = time.perf_counter() - self._start
                sys.stderr.write(f"{self._desc}: {min(self._n, self._total)}/{self._total} {self._unit}s, "
                                 f"{seconds:.1f} s\n")
                sys.stderr.flush()
            return
        self._bar.close()
        if self._handle is not None:
            self._handle.update({"text/plain": ""}, raw=True)
