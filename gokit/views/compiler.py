"""Views of the compiler's reports: the source with its inlining, escape and bounds-check notes, line by line."""
from __future__ import annotations

import html

from .._display import renders
from ..parsers.compiler import Optimizations


#: The report's colours (dark enough to read on JupyterLab's striped rows): inlining, escapes, bounds checks.
OPT_COLOURS = (("inlining", "#1d6b1d"), ("escapes", "#9a4700"), ("bounds_checks", "#a00"))


@renders(Optimizations)
def optimizations_html(self: Optimizations) -> str:
    """The source, line by line, with the compiler's notes about each line under it."""
    parts = []
    for fname, _ in self.source:
        df = self.by_line(fname)
        rows = []
        for line, r in df.iterrows():
            tags = []
            for col, color in OPT_COLOURS:
                if r[col]:
                    tags.append(f"<span style='color:{color}'>{html.escape(r[col])}</span>")
            # <code>, not <pre>: Lab draws every <pre> as a white inset box on its striped rows; the notes
            # go under their line, so a long line of code never pushes them out of sight
            notes = (f"<div style='font-size:13px;line-height:1.4;white-space:normal;padding-left:2em'>"
                     f"{' · '.join(tags)}</div>" if tags else "")
            rows.append(f"<tr><td style='color:#999;text-align:right;vertical-align:top'>{line}</td>"
                        f"<td style='text-align:left'><code style='white-space:pre;background:none;padding:0'>"
                        f"{html.escape(r['code'].expandtabs(4))}</code>{notes}</td></tr>")
        parts.append(f"<div><b>{html.escape(fname)}</b><table class='gokit-opt'>{''.join(rows)}</table></div>")
    legend = ("<div style='font-size:13px'><span style='color:#1d6b1d'>inlining</span> · "
              "<span style='color:#9a4700'>escape analysis</span> · <span style='color:#a00'>bounds checks "
              "still there when the check bce pass ran</span> (from -gcflags='-m=2 -d=ssa/check_bce/debug=1')</div>")
    return "".join(parts) + legend
