"""Interactive explorers (ipywidgets), one per view; their data comes from plain functions elsewhere."""
from __future__ import annotations

from typing import Any


class Explorer:
    """What every gokit explorer shares: in Jupyter the live widget, in an exported page or plain Python a static
    HTML snapshot (`_repr_html_`), and a one-line text. Subclasses give `live()` (the ipywidgets root),
    `_repr_html_()` and `__repr__()`."""

    def live(self) -> Any:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {}
        try:
            wb = self.live()._repr_mimebundle_(include=include, exclude=exclude)
            if isinstance(wb, tuple):
                wb = wb[0]
            bundle.update(wb or {})
        except Exception:  # no ipywidgets, or no kernel comm (plain Python): the snapshot still renders
            pass
        bundle["text/html"] = self._repr_html_()
        bundle["text/plain"] = repr(self)
        return bundle
