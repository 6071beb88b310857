"""Progress for long work (tqdm.auto): a notebook bar that blanks itself when done, else a text bar."""
from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("gokit.progress")


class Progress:
    """A tqdm bar that leaves nothing behind: in Jupyter its output is blanked when it closes."""

    def __init__(self, total: int, initial: int = 0, *, desc: str = "gokit.bench", unit: str = "run") -> None:
        self._handle: Any = None
        kw = {"total": total, "initial": initial, "desc": desc, "unit": unit, "leave": False}
        try:
            from IPython import get_ipython

            ip = get_ipython()
            if ip is not None and "IPKernelApp" in ip.config:
                from IPython.display import display
                from tqdm.notebook import tqdm as notebook_tqdm  # type: ignore[import-untyped]

                self._bar = notebook_tqdm(display=False, **kw)
                self._handle = display(self._bar.container, display_id=True)
                return
        except Exception:  # no IPython, no ipywidgets: a text bar
            log.debug("no notebook progress bar", exc_info=True)
        from tqdm.auto import tqdm  # type: ignore[import-untyped]

        self._bar = tqdm(**kw)

    def update(self, n: int) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()
        if self._handle is not None:
            self._handle.update({"text/plain": ""}, raw=True)
