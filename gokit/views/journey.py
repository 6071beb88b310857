"""Views of a Journey: every stage of one line as a column (tokens, nodes, types, SSA values at a chosen pass,
instructions with the SSA value each came from, relocations and their symbols, machine code at its final
address), CPU samples painted on lines and instructions; its JSON and text; and its explorer."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Sequence

from .._display import renders
from ..parsers.journey import Journey
from ..parsers.profile import CPUProfile
from .asm import INLINED, PICKED, Samples, pct_html

if TYPE_CHECKING:
    import pandas as pd

#: The most source lines shown as clickable rows (a longer file is picked from the dropdown only)
MAX_CLICKABLE_LINES = 300
#: Badge colours for what a pass did to a value
BADGES = {"new": "#2c7a2c", "moved": "#2c7a2c", "op": "#1f5fbf", "dead": "#888888", "removed": "#b00000"}

JOURNEY_CSS = """
<style>
.gokit-journey {font-family:sans-serif; font-size:12px; width:100%; box-sizing:border-box}
.gokit-journey .jhead {margin:2px 0 6px 0}
.gokit-journey .jhead code {font-size:13px; background:#fff3c4; padding:1px 4px}
.gokit-journey .jcols {display:flex; flex-wrap:wrap; gap:8px; align-items:flex-start}
.gokit-journey .jcol {border:1px solid #ddd; min-width:170px; max-width:440px; flex:1 1 200px; max-height:420px;
  overflow:auto; box-sizing:border-box}
.gokit-journey .jcol.wide {flex:2 1 360px; max-width:none}
.gokit-journey .jcol.wrap .jrow {white-space:pre-wrap; overflow-wrap:anywhere}
.gokit-journey .jcol h4 {margin:0; padding:3px 6px; background:#f4f4f4; font-size:12px; font-weight:normal;
  position:sticky; top:0; z-index:1}
.gokit-journey .jcol h4 b {font-weight:bold}
.gokit-journey .jrow {font-family:monospace; white-space:pre; padding:1px 6px; line-height:1.55em}
.gokit-journey .jrow.dead {color:#999; text-decoration:line-through}
.gokit-journey .jrow.inl {background:INLINED}
.gokit-journey .jrow:hover {outline:1px solid #888}
.gokit-journey .sub {color:#666; font-family:sans-serif; font-size:11px; padding:2px 6px}
.gokit-journey .tok {display:inline-block; font-family:monospace; border:1px solid #bbb; border-radius:3px;
  padding:0 4px; margin:3px 2px; background:#fafafa}
.gokit-journey .tok.ins {border-style:dashed; color:#b35900}
.gokit-journey .tok i {color:#888; font-size:10px; font-style:normal; margin-left:3px}
.gokit-journey .badge {display:inline-block; font-family:sans-serif; font-size:10px; color:#fff; border-radius:3px;
  padding:0 3px; margin-left:4px}
.gokit-journey .vid {display:inline-block; font-size:10px; color:#1f5fbf; margin-left:6px}
.gokit-journey .rel {color:#b00; font-size:11px; padding-left:2.5em}
.gokit-journey .pc {color:#777; margin-right:.6em}
.gokit-journey .op {font-weight:bold}
.gokit-journey .bytes {color:#555; margin-right:.6em}
.gokit-journey .pct {display:inline-block; width:3.2em; text-align:right; margin-right:.5em; font-size:11px}
.gokit-journey .src {max-height:420px; overflow:auto; border:1px solid #ddd}
.gokit-journey .src .jrow.picked {border-left:4px solid PICKED; background:#fff3c4}
.gokit-journey .ln {color:#888; display:inline-block; width:2.6em; text-align:right; margin-right:.6em}
.gokit-journey .notes {color:#555; font-size:11px; margin-top:4px}
.gokit-jline {font-family:monospace !important; font-size:12px !important; white-space:pre !important;
  text-align:left !important; justify-content:flex-start !important; height:19px !important;
  line-height:19px !important;
  padding:0 4px !important; margin:0 !important; width:100% !important; border-radius:0 !important;
  box-shadow:none !important; outline:none !important; overflow:hidden; flex:0 0 auto !important}
.gokit-jline.picked {box-shadow:inset 0 0 0 2px PICKED !important}
</style>
""".replace("INLINED", INLINED).replace("PICKED", PICKED)


def _e(x: Any) -> str:
    return html.escape(str(x))


def _badge(kind: str, text: str) -> str:
    return f"<span class='badge' style='background:{BADGES[kind]}'>{_e(text)}</span>"


def _change_badges(change: str, fate: str) -> str:
    out = []
    for part in [p.strip() for p in change.split(";") if p.strip()]:
        if part == "new":
            out.append(_badge("new", "new"))
        elif part.startswith("moved here"):
            out.append(_badge("moved", part))
        elif part == "dead":
            out.append(_badge("dead", "dead"))
        elif "→" in part:
            out.append(_badge("op", part))
    if fate:
        out.append(_badge("removed", fate.replace("removed by ", "next: removed by ")))
    return "".join(out)


# ---------------------------------------------------------------- the columns


def tokens_html(j: "Journey") -> str:
    chips = []
    for r in j.tokens.itertuples(index=False):
        if r.inserted:
            chips.append("<span class='tok ins' title='inserted by the scanner at the end of the line'>;"
                         "<i>auto</i></span>")
        else:
            chips.append(f"<span class='tok' title='{_e(r.token)} at {r.line}:{r.col}'>{_e(r.text)}"
                         f"<i>{_e(r.token)}</i></span>")
    body = "".join(chips) or "<div class='sub'>no tokens: the line is empty</div>"
    return _col("1 tokens", f"{len(j.tokens)}", f"<div style='padding:2px 4px'>{body}</div>", "go/scanner")


def nodes_html(j: "Journey") -> str:
    rows = [f"<div class='jrow' title='{_e(r.field)} {r.pos}–{r.end}'>{'  ' * int(r.depth)}<b>{_e(r.kind)}</b> "
            f"{_e(r.key)}</div>" for r in j.nodes.itertuples(index=False)]
    around = " › ".join(j.enclosing[-3:])
    sub = f"<div class='sub'>inside {_e(around)}</div>" if around else ""
    body = sub + ("".join(rows) or "<div class='sub'>no node starts on this line</div>")
    return _col("2 syntax nodes", f"{len(j.nodes)}", body, "go/parser")


def types_html(j: "Journey") -> str:
    rows = []
    for r in j.types.itertuples(index=False):
        val = f" = {r.value}" if r.value else ""
        rows.append(f"<div class='jrow' title='{_e(r.kind)} at {r.pos}'>{_e(r.expr)}: <b>{_e(r.type)}</b> "
                    f"<span style='color:#777'>{_e(r.mode)}{_e(val)}</span></div>")
    return _col("3 types", f"{len(j.types)}", "".join(rows) or "<div class='sub'>no typed expression</div>",
                "go/types")


def pass_for(passes: "Sequence[str]", pass_: str | int | None) -> str:
    """The pass shown for a function with these passes: the one named, else (or for None) the last."""
    if not passes:
        return ""
    if pass_ is None:
        return passes[-1]
    if isinstance(pass_, int):
        return passes[max(-len(passes), min(pass_, len(passes) - 1))]
    return pass_ if pass_ in passes else passes[-1]


def ssa_html(j: "Journey", pass_: str | int | None = None) -> str:
    parts = []
    shown = 0
    title_pass = ""
    for fn in j.passes:
        name = pass_for(j.passes.get(fn, ()), pass_)
        title_pass = title_pass or name
        d = j.ssa[(j.ssa["function"] == fn) & (j.ssa["pass"] == name)]
        parts.append(f"<div class='sub'>{_e(fn)}</div>")
        if d.empty:
            parts.append("<div class='sub' style='padding-left:1em'>no value of this line after this pass</div>")
        for r in d.to_dict("records"):
            cls = "jrow dead" if r["dead"] else "jrow"
            parts.append(f"<div class='{cls}' data-value='{r['id']}'>{_e(r['text'])}"
                         f"{_change_badges(r['change'], r['fate'])}</div>")
            shown += 1
    if not j.passes:
        parts.append("<div class='sub'>no SSA: no function holds code of this line</div>")
    return _col(f"4 SSA after <b>{_e(title_pass)}</b>" if title_pass else "4 SSA", f"{shown}", "".join(parts),
                "GOSSAFUNC", wide=True, wrap=True)


def asm_html(j: "Journey", profile: "Samples | None" = None) -> str:
    parts = []
    n = 0
    for fn in j.functions:
        d = j.asm[(j.asm["function"] == fn) & (~j.asm["pseudo"])]
        if d.empty:
            continue
        samples = profile.instruction_shares(fn) if profile is not None and profile.sampled(j.meta.get("go"), j.meta.get("goarch")) else None
        most = max(samples.values(), default=0.0) if samples else 0.0
        parts.append(f"<div class='sub'>{_e(fn)}</div>")
        rels = j.relocations[j.relocations["function"] == fn]
        for r in d.to_dict("records"):
            n += 1
            cls = "jrow inl" if r["inline"] else "jrow"
            tip = r["ssa"] or "the compiler records no SSA value for this instruction"
            if r["inline"]:
                tip += f"\n{r['inline']}"
            vid = f"<span class='vid'>v{int(r['ssa_id'])}</span>" if str(r["ssa_id"]) not in ("<NA>", "None", "nan") \
                else ""
            pct = pct_html(samples.get(int(r["pc"])), most) if samples is not None else ""
            parts.append(f"<div class='{cls}' data-pc='{r['pc']}' title='{_e(tip)}'>{pct}<span class='pc'>"
                         f"{int(r['pc']):#06x}</span><span class='op'>{_e(r['op'])}</span> {_e(r['args'])}{vid}</div>")
            for rr in rels[rels["pc"] == r["pc"]].to_dict("records"):
                parts.append(f"<div class='jrow rel'>← {_e(rr['type'])} {_e(rr['symbol'])}</div>")
    body = "".join(parts) or "<div class='sub'>no instruction: the compiler generated no code for this line</div>"
    return _col("5 instructions", f"{n}", body, "go tool compile -S; hover one for its SSA value", wide=True)


def symbols_html(j: "Journey") -> str:
    rows = []
    for r in j.symbols.to_dict("records"):
        if r["in_binary"]:
            where = f"{int(r['address']):#x}, {int(r['size'])} bytes ({_e(r['type'])})"
        elif str(r["resolved"]) not in ("<NA>", "None", "nan"):
            where = f"{int(r['resolved']):#x} (= {_e(r['nearest'])}: nm lists no symbol of its own)"
        else:
            where = "not in the binary"
        rows.append(f"<div class='jrow' title='{_e(r['relocations'])}'><b>{_e(r['symbol'])}</b></div>"
                    f"<div class='jrow' style='padding-left:2em;color:#555'>→ {where}</div>")
    body = "".join(rows) or "<div class='sub'>no relocation: every operand of these instructions is known to the " \
                            "compiler</div>"
    return _col("6 relocations → symbols", f"{len(j.symbols)}", body, "go tool nm")


def machine_html(j: "Journey") -> str:
    rows = []
    for r in j.machine.to_dict("records"):
        cls = "jrow inl" if r["inline"] else "jrow"
        rows.append(f"<div class='{cls}'><span class='pc'>{int(r['address']):#x}</span><span class='bytes'>"
                    f"{_e(r['bytes'])}</span><span class='op'>{_e(r['op'])}</span> {_e(r['args'])}</div>")
    body = "".join(rows) or "<div class='sub'>none of this line's code is in the linked binary</div>"
    return _col("7 machine code", f"{len(j.machine)}", body, "go tool objdump of the linked binary", wide=True)


def _col(title: str, count: str, body: str, origin: str, *, wide: bool = False, wrap: bool = False) -> str:
    classes = "jcol" + (" wide" if wide else "") + (" wrap" if wrap else "")
    return (f"<div class='{classes}'><h4>{title} <span style='color:#777'>({_e(count)}) · "
            f"{_e(origin)}</span></h4>{body}</div>")


def columns_html(j: "Journey", pass_: str | int | None = None, profile: "Samples | None" = None) -> str:
    """The seven stage columns of one line, left to right."""
    head = (f"<div class='jhead'><b>{_e(j.file)}:{j.line}</b> <code>{_e(j.code.strip())}</code>"
            + (f" — in <b>{_e(j.function)}</b>" if j.function else "") + "</div>")
    cols = "".join([tokens_html(j), nodes_html(j), types_html(j), ssa_html(j, pass_), asm_html(j, profile),
                    symbols_html(j), machine_html(j)])
    notes = "".join(f"<div>{_e(n)}</div>" for n in j.notes)
    legend = ("<div class='notes'>Grey rows: code inlined into this line from another function, or this line's "
              "code inlined into another function. Hover an instruction for the SSA value the compiler made it "
              "from (v-numbers link the two columns)." + (" Percentages: share of the CPU samples."
                                                         if profile is not None else "") + "</div>")
    return f"{head}<div class='jcols'>{cols}</div>{legend}<div class='notes'>{notes}</div>"


def source_html(j: "Journey", profile: "Samples | None" = None, *, context: int | None = None) -> str:
    """The file with the picked line marked and (with a profile) each line's share of the samples."""
    shares = profile.line_shares(j.file) if profile is not None else {}
    most = max(shares.values(), default=0.0)
    first, last = 1, len(j.lines)
    if context is not None:
        first, last = max(1, j.line - context), min(len(j.lines), j.line + context)
    rows = []
    for n in range(first, last + 1):
        text = j.lines[n - 1]
        cls = "jrow picked" if n == j.line else "jrow"
        pct = pct_html(shares.get(n), most) if profile is not None else ""
        rows.append(f"<div class='{cls}' data-line='{n}'>{pct}<span class='ln'>{n}</span>"
                    f"{_e(text.expandtabs(4))}</div>")
    return f"<div class='src'>{''.join(rows)}</div>"


@renders(Journey)
def journey_html(j: "Journey", pass_: str | int | None = None, profile: "Samples | None" = None) -> str:
    """The whole explorer as static HTML: the source, then the stage columns of the picked line."""
    context = None if len(j.lines) <= 60 else 12
    return (JOURNEY_CSS + "<div class='gokit-journey'><div style='display:flex;gap:8px;align-items:flex-start'>"
            f"<div style='flex:0 0 28%;min-width:0'>{source_html(j, profile, context=context)}</div>"
            f"<div style='flex:1 1 0;min-width:0'>{columns_html(j, pass_, profile)}</div></div></div>")


@renders(CPUProfile)
def profile_html(p: CPUProfile) -> str:
    """A CPU profile as the program's source with each line's share of the samples (the hot lines)."""
    parts = [JOURNEY_CSS, "<div class='gokit-journey'>"]
    for name, lines in p.files:
        shares = p.line_shares(name)
        most = max(shares.values(), default=0.0)
        rows = [f"<div class='jrow'>{pct_html(shares.get(n), most)}<span class='ln'>{n}</span>"
                f"{_e(t.expandtabs(4))}</div>" for n, t in enumerate(lines, 1)]
        parts.append(f"<div class='sub'><b>{_e(name)}</b>: {p.total:.2f} s of CPU samples over {p.runs} run(s)</div>"
                     f"<div class='src'>{''.join(rows)}</div>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- the widget


# ---------------------------------------------------------------- JSON and text


def journey_json(j: Journey) -> dict[str, Any]:
    """What `gokit follow FILE LINE --json` prints: every stage as records."""
    import json

    def records(df: "pd.DataFrame") -> list[dict[str, Any]]:
        return json.loads(df.to_json(orient="records", default_handler=str))

    return {"file": j.file, "line": j.line, "code": j.code, "function": j.function, "go": j.meta.get("go"),
            "goarch": j.meta.get("goarch"), "enclosing": list(j.enclosing), "notes": list(j.notes),
            "tokens": records(j.tokens), "nodes": records(j.nodes), "types": records(j.types),
            "ssa": records(j.ssa), "passes": {k: list(v) for k, v in j.passes.items()},
            "asm": records(j.asm), "relocations": records(j.relocations), "symbols": records(j.symbols),
            "machine": records(j.machine)}


def journey_text(j: Journey) -> str:
    """A plain-text journey: each stage in turn (what `gokit follow FILE LINE` prints)."""
    out = [f"{j.file}:{j.line}  {j.code.strip()}", f"  in: {' > '.join(j.enclosing) or '(top level)'}", ""]
    out.append("tokens:  " + "  ".join(("; (inserted)" if r.inserted else str(r.text)) for r in j.tokens.itertuples()))
    out.append("nodes:")
    out += [f"  {'  ' * int(r.depth)}{r.kind} {r.key}".rstrip() for r in j.nodes.itertuples()]
    out.append("types:")
    out += [f"  {r.expr}: {r.type} ({r.mode})" + (f" = {r.value}" if r.value else "") for r in j.types.itertuples()]
    changes = j.ssa_changes().to_dict("records")
    for fn in j.passes:
        out.append(f"ssa ({fn}):")
        for d in changes:
            if d["function"] == fn:
                what = "; ".join(x for x in (d["change"], d["fate"]) if x)
                out.append(f"  {d['pass']:<28} {d['text']}   [{what}]")
    out.append("asm:")
    for r in j.asm.itertuples():
        if not r.pseudo:
            inline = f"   [{r.inline}]" if r.inline else ""
            out.append(f"  {r.function} {r.pc:#06x}  {r.op} {r.args}".rstrip() + inline)
    out.append("relocations:")
    out += [f"  {r.function} +{r.offset}  {r.type} {r.symbol}" for r in j.relocations.itertuples()]
    out.append("symbols:")
    out += [f"  {r.symbol}  " + (f"{int(r.address):#x} {int(r.size)} bytes {r.type}" if r.in_binary
                                 else "not in the binary") for r in j.symbols.itertuples()]
    out.append("machine:")
    out += [f"  {int(r.address):#x}  {r.bytes:<20} {r.op} {r.args}".rstrip() for r in j.machine.itertuples()]
    out += [f"note: {n}" for n in j.notes]
    return "\n".join(out) + "\n"
