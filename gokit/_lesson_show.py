"""What a lesson shows on screen: tables, folds, sentences, and the HTML of the evidence an exercise reveals."""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ._display import NOT_MEASURED  # what a table shows for a value that was not measured
from .errors import UsageError


def _inline(text: str) -> str:
    """Escape text for HTML, showing `code spans` as <code>, as the lesson's markdown does."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)) if len(parts) % 2 else \
        html.escape(text)


def _evidence_html(obj: Any) -> str:
    """HTML of the evidence a verdict reveals: a DataFrame (no index), a diagram, anything with _repr_html_,
    a list of those, or text."""
    if isinstance(obj, (list, tuple)):
        return "".join(f"<div style='margin:.3em 0'>{_evidence_html(o)}</div>" for o in obj)
    svg = getattr(obj, "svg", None)
    if isinstance(svg, str):
        from .views.render import fit_width

        return fit_width(svg)
    to_html = getattr(obj, "to_html", None)
    if callable(to_html) and hasattr(obj, "columns"):
        return str(to_html(index=False, na_rep="—", border=0))
    rh = getattr(obj, "_repr_html_", None)
    if callable(rh):
        out = rh()
        if out:
            return str(out)
    return f"<pre>{html.escape(str(obj))}</pre>"


@dataclass(frozen=True)
class Fold:
    """A table (or anything with HTML) folded away under a one-line summary: a curated view shows the rows
    that teach, and `lesson.fold(everything, "all 53 rows")` keeps the rest one click away."""

    content: Any = field(repr=False)
    summary: str

    def _repr_html_(self) -> str:
        return (f"<details class='gokit-fold'><summary>{html.escape(self.summary)}</summary>"
                f"<div style='max-height:420px;overflow:auto'>{_evidence_html(self.content)}</div></details>")

    def __repr__(self) -> str:
        return f"(folded: {self.summary})"


def fold(content: Any, summary: str) -> Fold:
    """Show `content` (a DataFrame, a diagram, anything with HTML) folded under `summary`, open on a click."""
    if not isinstance(summary, str) or not summary.strip():
        raise UsageError("fold wants a one-line summary of what it hides, like fold(table, 'all 53 rows')")
    return Fold(content, summary.strip())


@dataclass(frozen=True)
class Table:
    """A table as the lessons show it (see `table`)."""

    html: str = field(repr=False)
    rows: int = 0

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"(a table of {self.rows} rows)"


def table(df: Any, *, index: bool = False, **formats: str) -> Table:
    """A DataFrame as the lessons show it: no index (unless asked), text and headers to the left, a missing value
    (NaN, None or an empty string) as "—" (never a blank, which could be read as 0 or as nothing), numbers as `%g` or as `formats` says per column (`table(df, seconds="{:.2f}", size="{:,}")`)."""
    fm = {col: f.format for col, f in formats.items()}
    from pandas.api.types import is_object_dtype, is_string_dtype

    text = [c for c in df.columns if is_object_dtype(df[c]) or is_string_dtype(df[c])]
    if text:  # an empty string is a missing value too: "—", never a blank
        df = df.copy()
        for c in text:
            df[c] = df[c].map(lambda v: NOT_MEASURED if isinstance(v, str) and not v.strip() else v)
    out = df.to_html(index=index, border=0, na_rep=NOT_MEASURED, float_format="{:g}".format, formatters=fm or None)
    out = out.replace("<td>", "<td style='text-align:left'>").replace("<th>", "<th style='text-align:left'>")
    return Table(out, len(df))


@dataclass(frozen=True)
class Said:
    """A sentence computed from the numbers (see `say`): prose in a notebook (HTML, `code` as code), wrapped text
    where there is no HTML."""

    text: str
    width: int = 100

    def plain(self) -> str:
        import textwrap

        return textwrap.fill(self.text, self.width, break_long_words=False, break_on_hyphens=False)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.plain(),
                "text/html": f"<p class='gokit-said' style='margin:.4em 0;max-width:56em'>{_inline(self.text)}</p>"}

    def __str__(self) -> str:
        return self.plain()


def _in_a_notebook() -> bool:
    """True inside a Jupyter kernel (where an output can be HTML); False in a terminal or a plain script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def say(text: str, width: int = 100) -> None:
    """Show a sentence computed from the numbers: in a notebook as prose, like the lesson's own text around it (its
    `code spans` as code), so a result reads as part of the lesson rather than as a log; elsewhere printed, wrapped
    at spaces (never inside a word)."""
    said = Said(str(text), width)
    if _in_a_notebook():
        from IPython.display import display

        display(said)
    else:
        print(said.plain())
