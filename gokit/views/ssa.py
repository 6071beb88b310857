"""Views of an SSAFunction: CFG digraphs, pass diffs, static HTML and JSON (its explorer: gokit.views.explorers.ssa)."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from .._display import renders
from ..parsers.ssa import Diff, diff, SSAFunction
from .render import Diagram

if TYPE_CHECKING:
    import graphviz

    from ..parsers.ssa import Block, Pass, Value

#: Colours shared with the explorer.
BACK_EDGE = "#2893ff"
DEAD = "#9a9a9a"
CHANGED = "#fff3c4"
ADDED = "#dff5df"
HIGHLIGHT = "#ffd54f"
REMOVED = "#fbe0e0"
FONT = "Menlo,DejaVu Sans Mono,monospace"
MAX_VALUES_PER_BOX = 40


def back_edges(p: "Pass") -> set[tuple[int, int]]:
    """Edges u -> v where v is an ancestor of u in a depth-first walk from the entry block (loops)."""
    if not p.blocks:
        return set()
    succs = {b.id: b.succs for b in p.blocks}
    entry = p.blocks[0].id
    out: set[tuple[int, int]] = set()
    state: dict[int, int] = {}  # 1 on the stack, 2 done
    stack: list[tuple[int, int]] = [(entry, 0)]
    state[entry] = 1
    while stack:
        node, i = stack.pop()
        ss = succs.get(node, ())
        if i < len(ss):
            stack.append((node, i + 1))
            nxt = ss[i]
            st = state.get(nxt)
            if st == 1:
                out.add((node, nxt))
            elif st is None and nxt in succs:
                state[nxt] = 1
                stack.append((nxt, 0))
        else:
            state[node] = 2
    return out


def is_removed(b: "Block") -> bool:
    """A block a pass removed: dead, empty, of kind BlockInvalid (how ssa.html still lists it)."""
    return b.dead and not b.values and b.kind in ("BlockInvalid", "Invalid") and not b.succs


def _value_label(v: "Value", highlight: int | None, changed: set[int]) -> str:
    text = html.escape(v.long())
    if len(text) > 90:
        text = text[:88] + "…"
    if v.id == highlight:
        return f'<b><font color="#b35900">{text}</font></b><br align="left"/>'
    if v.dead:
        return f'<font color="{DEAD}">{text}</font><br align="left"/>'
    if v.id in changed:
        return f'<font color="#8a5a00">{text}</font><br align="left"/>'
    return f"{text}<br align=\"left\"/>"


@renders(SSAFunction, "cfg")
def cfg(fn: "SSAFunction", p: "Pass", *, values: bool = True, highlight: int | None = None,
        changed: set[int] | None = None) -> "graphviz.Digraph":
    """Blocks as boxes (with their values), edges marked likely/unlikely, back edges in blue."""
    import graphviz

    changed = changed or set()
    g = graphviz.Digraph(name=f"{fn.name} {p.name}".replace('"', "'"))
    removed = [b for b in p.blocks if is_removed(b)]
    title = f"{fn.name} after {p.name}"
    if removed:  # a block fuse emptied out stays in the list as BlockInvalid until it is compacted
        title += f"\n(not drawn: {', '.join(b.name for b in removed)}, removed, left as an empty BlockInvalid)"
    g.attr(rankdir="TB", margin="0", ranksep="0.25", nodesep="0.3", label=title,
           labelloc="t", fontname=FONT, fontsize="12", size="9.5,100")
    g.attr("node", shape="box", fontname=FONT, fontsize="10", style="filled", fillcolor="white")
    g.attr("edge", fontname=FONT, fontsize="9")
    hl_block = None
    for b in p.blocks:
        if highlight is not None and any(v.id == highlight for v in b.values):
            hl_block = b.id
    for b in p.blocks:
        if is_removed(b):
            continue
        head = f"<b>b{b.id}</b>&#160;{html.escape(b.kind)}" + (" (dead)" if b.dead else "")
        rows = [head + '<br align="left"/>']
        if values:
            shown = b.values[:MAX_VALUES_PER_BOX]
            rows += [_value_label(v, highlight, changed) for v in shown]
            if len(b.values) > len(shown):
                rows.append(f"… {len(b.values) - len(shown)} more values<br align=\"left\"/>")
        end = html.escape(b.end())
        rows.append(f'<i>{end}</i><br align="left"/>')
        label = "<" + "".join(rows) + ">"
        attrs = {"id": f"b{b.id}"}
        if b.dead:
            attrs.update(color=DEAD, fontcolor=DEAD, style="filled,dashed")
        if b.id == hl_block:
            attrs.update(fillcolor="#fff8e1", penwidth="2")
        g.node(f"b{b.id}", label=label, **attrs)
    back = back_edges(p)
    for b in p.blocks:
        if is_removed(b):
            continue
        for i, s in enumerate(b.succs):
            hint = b.edge_hint(i)
            attrs = {}
            if hint:
                attrs["label"] = f" {hint} "
            if hint == "unlikely":
                attrs["style"] = "dashed"
            if (b.id, s) in back:
                attrs["color"] = BACK_EDGE
                attrs["fontcolor"] = BACK_EDGE
                attrs["label"] = (attrs.get("label", "") + " back edge ").strip()
                attrs["penwidth"] = "1.6"
            g.edge(f"b{b.id}", f"b{s}", **attrs)
    return g


# ---------------------------------------------------------------- a diff


@renders(Diff)
def diff_html(d: Diff) -> str:
    """What one pass changed, as a table coloured by change."""
    head = (f"<div><b>{html.escape(d.before)} → {html.escape(d.after)}</b>: "
            f"{html.escape(d.summary())}</div>")
    if d.empty:
        return head
    colors = {"added": ADDED, "removed": REMOVED, "changed": CHANGED}
    rows = []
    for _, r in d.frame.iterrows():
        rows.append(f"<tr style='background:{colors[r['change']]}'><td>{html.escape(r['id'])}</td>"
                    f"<td>{r['change']}</td><td style='text-align:left'><code>{html.escape(r['before'])}</code></td>"
                    f"<td style='text-align:left'><code>{html.escape(r['after'])}</code></td>"
                    f"<td>{html.escape(r['fields'])}</td></tr>")
    return (head + "<table class='gokit-ssa-diff' style='font-size:11px;font-family:monospace;width:100%;line-height:1.2'>"
            "<tr><th>id</th><th>change</th><th>before</th><th>after</th><th>what changed</th></tr>"
            + "".join(rows) + "</table>")


# ---------------------------------------------------------------- static HTML


def pass_listing_html(p: "Pass", *, highlight: int | None = None, changed: set[int] | None = None,
                      removed: set[int] | None = None) -> str:
    """One pass as the compiler's listing: blocks, values (dead ones greyed), block ends.

    changed: values marked as changed (yellow); removed: values marked as gone in the pass compared
    with (red); highlight: the picked value (amber, bold), like ssa.html's click-to-highlight.
    """
    changed = changed or set()
    removed = removed or set()
    out = ["<div class='gokit-ssa-pass' style='font-family:monospace;font-size:12px;line-height:1.35'>"]
    for b in p.blocks:
        if is_removed(b):
            continue
        style = f"color:{DEAD}" if b.dead else ""
        preds = (" ← " + " ".join(f"b{x}" for x in b.preds)) if b.preds else ""
        out.append(f"<div style='{style}'><b>b{b.id}</b>:{preds}</div>")
        for v in b.values:
            st = ["padding-left:2em"]
            if v.dead:
                st.append(f"color:{DEAD}")
            if v.id in changed:
                st.append(f"background:{CHANGED}")
            if v.id in removed:
                st.append(f"background:{REMOVED}")
            cls = "gokit-v"
            if v.id == highlight:
                st.append(f"background:{HIGHLIGHT};font-weight:bold")
                cls += " gokit-picked"
            line = "(?)" if v.line is None else f"({v.stmt}{v.line})"
            out.append(f"<div class='{cls}' data-v='{v.id}' style='{';'.join(st)}'>{html.escape(v.name)} "
                       f"<span style='color:#888'>{line}</span> = {html.escape(v.long().split(' = ', 1)[1])}</div>")
        out.append(f"<div style='padding-left:1em;font-style:italic;{style}'>{html.escape(b.end())}</div>")
    out.append("</div>")
    return "".join(out)


def sources_html(fn: "SSAFunction", line: int | None = None) -> str:
    out = ["<div class='gokit-ssa-sources' style='font-family:monospace;font-size:12px;line-height:1.4'>"]
    file = None
    for s in fn.sources:
        if s.file != file:
            file = s.file
            out.append(f"<div><b>{html.escape(s.file)}</b></div>")
        st = f"background:{HIGHLIGHT}" if s.line == line else ""
        out.append(f"<div style='white-space:pre;margin:0;{st}'><span style='color:#999'>{s.line:>4}</span>  "
                   f"{html.escape(s.text.expandtabs(4))}</div>")
    out.append("</div>")
    return "".join(out)


@renders(SSAFunction)
def function_html(fn: "SSAFunction") -> str:
    """Static HTML: the passes that changed the function (what each did), the full pass table and every
    changed pass's listing folded."""
    rows, changed_rows, details = [], [], []
    prev = None
    for p in fn.passes:
        dd: "Diff | None" = diff(prev, p) if prev is not None and p.changed else None  # once per changed pass
        d = dd.summary() if dd is not None else ("" if prev is not None else "first")
        style = "" if p.changed else "color:#999"
        row = (f"<tr style='{style}'><td>{p.index}</td><td style='text-align:left'>{html.escape(p.name)}</td>"
               f"<td>{len(p.blocks)}</td><td>{len(p.values)}</td><td>{len(p.live_values)}</td>"
               f"<td style='text-align:left'>{html.escape(d) if p.changed else 'unchanged'}</td></tr>")
        rows.append(row)
        if p.changed:
            changed_rows.append(row)
            ch: set[int] = set() if dd is None else {int(i[1:]) for i in dd.changed_values + dd.added_values}
            details.append(f"<details><summary>{p.index}: {html.escape(p.name)} ({len(p.values)} values)</summary>"
                           f"{pass_listing_html(p, changed=ch)}</details>")
        prev = p
    head = ("<tr><th>#</th><th>pass</th><th>blocks</th><th>values</th><th>live</th><th>change</th></tr>")
    table = f"<table class='gokit-ssa'>{head}{''.join(changed_rows)}</table>"
    full = (f"<details><summary>all {len(fn.passes)} rows, unchanged passes too</summary>"
            f"<table class='gokit-ssa'>{head}{''.join(rows)}</table></details>")
    qual = fn.meta.get("qualified", fn.name)
    ran = fn.ran
    return (f"<div class='gokit-ssa-function'><h4 style='margin:.2em 0'>SSA of <code>{html.escape(qual)}</code>: "
            f"{len(ran)} passes ran, {sum(p.changed for p in ran)} changed the function</h4>"
            f"{sources_html(fn)}<div>The states that differ from the one before (the first two rows are "
            f"snapshots, not passes):</div>{table}{full}"
            f"<div>The listing after each of them:</div>{''.join(details)}</div>")


@renders(SSAFunction, "diagram")
def diagram(fn: SSAFunction, p: "Pass") -> Any:
    """The CFG of a pass as a displayable diagram."""
    return Diagram(cfg(fn, p))


def function_json(fn: SSAFunction) -> dict[str, Any]:
    """Everything an SSAFunction holds, as JSON-able data (what `gokit ssa FILE FUNC --json` prints)."""
    return {
        "function": fn.name, "abi": fn.abi, "request": fn.meta.get("request"), "qualified": fn.meta.get("qualified"),
        "instantiations": fn.meta.get("instantiations", []), "go": fn.meta.get("go"),
        "sources": [{"file": s.file, "line": s.line, "text": s.text} for s in fn.sources],
        "passes": [{
            "name": p.name, "index": p.index, "column": p.column, "changed": p.changed, "time_ns": p.time_ns,
            "blocks": [{"id": b.id, "kind": b.kind, "succs": list(b.succs), "preds": list(b.preds),
                        "controls": list(b.controls), "likely": b.likely, "aux": b.aux, "line": b.line,
                        "dead": b.dead,
                        "values": [{"id": v.id, "op": v.op, "type": v.type, "aux": v.aux, "args": list(v.args),
                                    "line": v.line, "stmt": v.stmt, "dead": v.dead, "reg": v.reg,
                                    "names": list(v.names)} for v in b.values]} for b in p.blocks],
            "named": [{"slot": s, "values": list(vs)} for s, vs in p.named],
        } for p in fn.passes],
        "genssa": [{"pc": g.pc, "line": g.line, "text": g.text, "value": g.value, "block": g.block} for g in fn.genssa],
    }
