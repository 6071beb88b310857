"""How a model shows itself without importing a view: the views floor registers one function per (model type,
view name) — `html`, `cfg`, `explore` ... — and a model's display methods find theirs here at call time.

A model calls `show(self, "html")`; the first call imports gokit.views, whose modules register their views
with `@renders(Model, "html")`. So models import no view, and a view imports only the models it draws.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, TypeVar

from .errors import GokitError

#: What every table shows for a value that was not measured (never a blank: a blank could also mean 0).
NOT_MEASURED = "—"
#: The package whose modules register the views (imported on the first display).
VIEWS_PACKAGE = "gokit.views"

F = TypeVar("F", bound=Callable[..., Any])

_views: dict[tuple[type, str], Callable[..., Any]] = {}


def renders(model: type, view: str = "html") -> Callable[[F], F]:
    """Register the decorated function as the `view` of `model` (and of its subclasses)."""
    def add(fn: F) -> F:
        _views[(model, view)] = fn
        return fn

    return add


def show(obj: Any, view: str = "html", *args: Any, **kwargs: Any) -> Any:
    """The `view` of `obj`: the registered function called with obj and the arguments."""
    fn = _find(type(obj), view)
    if fn is None:
        importlib.import_module(VIEWS_PACKAGE)
        fn = _find(type(obj), view)
    if fn is None:
        raise GokitError(f"gokit has no {view!r} view of a {type(obj).__name__}")
    return fn(obj, *args, **kwargs)


def _find(cls: type, view: str) -> Callable[..., Any] | None:
    for c in cls.__mro__:
        fn = _views.get((c, view))
        if fn is not None:
            return fn
    return None
