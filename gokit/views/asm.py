"""Views of an Assembly: source and assembly side by side in colour bands (as Compiler Explorer ties them), with
relocations on their instructions and CPU samples when a profile is given; its JSON; and its explorer."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Mapping, Protocol, Sequence

from .._display import renders
from ..parsers.asm import Assembly

if TYPE_CHECKING:
    from ..parsers.asm import Symbol


class Samples(Protocol):
    """What a view needs of a CPU profile (gokit.profile's CPUProfile): sample shares by line and by instruction."""

    def line_shares(self, file: str | None = None) -> dict[int, float]: ...

    def instruction_shares(self, function: str) -> dict[int, float]: ...

    def sampled(self, go: str | None, goarch: str | None) -> bool: ...


#: Light band colours, one per source line in order (cycled); pale enough for black text on top
PALETTE = ("#fde2b8", "#c9e7f8", "#d5f0c8", "#f6cde0", "#e3d7f7", "#fff3a8", "#c8efe9", "#f9d3c5",
           "#dce3f1", "#eaf2b5", "#f1d9f2", "#cfe0c3")
#: Instructions that come from another file (code inlined from the standard library)
INLINED = "#eeeeee"
#: The border that marks the source line picked in the explorer
PICKED = "#d62728"
ARCHES = ("amd64", "arm64", "riscv64")

_CSS = """
<style>
.gokit-asm {display:flex; gap:10px; align-items:flex-start; font-family:monospace; font-size:12px; width:100%;
  box-sizing:border-box}
.gokit-asm .pane {border:1px solid #ddd; overflow:auto; max-height:560px; flex:1 1 0; min-width:0; width:0}
.gokit-asm .pane.gokit-asm-source {flex:0 0 30%; width:30%}
.gokit-asm .pane h4 {margin:0; padding:3px 6px; background:#f4f4f4; font-family:sans-serif; font-size:12px;
  line-height:1.3em; font-weight:normal;
  position:sticky; top:0}
.gokit-asm .row {white-space:pre; padding:0 6px; line-height:1.45em; border-left:4px solid transparent}
.gokit-asm .row.picked {border-left-color:#d62728}
.gokit-asm .ln {color:#888; display:inline-block; width:3.2em; text-align:right; margin-right:.8em}
.gokit-asm .pc {color:#777; margin-right:.8em}
.gokit-asm .op {font-weight:bold}
.gokit-asm .pseudo {color:#999}
.gokit-asm .rel {display:inline-block; margin:1px 0 2px 5.5em; padding:0 4px; border-radius:3px; background:#fff;
  border:1px solid #b00; color:#b00; font-size:11px; line-height:1.3em}
.gokit-asm .from {color:#666; font-size:11px; margin-left:1em}
.gokit-asm .pct {display:inline-block; width:3.4em; text-align:right; margin-right:.6em; color:#333; font-size:11px}
</style>
"""


def heat(share: float, most: float = 1.0) -> str:
    """The colour of a profile sample share (0-1), scaled to the largest share shown: white to deep orange."""
    t = 0.0 if most <= 0 else max(0.0, min(1.0, share / most))
    return "#%02x%02x%02x" % (255, round(255 - 150 * t), round(255 - 215 * t))


def pct_html(share: float | None, most: float) -> str:
    """A sample share as a small heat-coloured cell (`41.2%`), blank when nothing was sampled there."""
    if not share:
        return "<span class='pct'></span>"
    label = f"{share:.0%}" if share >= 0.01 else "&lt;1%"
    return f"<span class='pct' style='background:{heat(share, most)}' title='{share:.1%} of the CPU samples'>{label}</span>"


def line_colours(lines: Sequence[int]) -> dict[int, str]:
    """A band colour per source line, in line order (the same line has the same colour in every pane)."""
    return {ln: PALETTE[k % len(PALETTE)] for k, ln in enumerate(sorted(set(lines)))}


def _own_lines(asms: Sequence["Assembly"], function: str) -> tuple[str, dict[int, str]]:
    file = asms[0].source_lines()[0]
    lines: list[int] = []
    for a in asms:
        try:
            fn = a.function(function)
        except Exception:  # noqa: BLE001 - a function another version did not build: no band from it
            continue
        lines.extend(ln for f, ln in fn.lines if f == file)
    return file, line_colours(lines)


def _source_pane(a: "Assembly", colours: dict[int, str], picked: int | None,
                 samples: Mapping[int, float] | None = None) -> str:
    file, lines = a.source_lines()
    rows = []
    most = max(samples.values(), default=0.0) if samples else 0.0
    for n, text in enumerate(lines, 1):
        bg = colours.get(n)
        style = f" style='background:{bg}'" if bg else ""
        cls = "row picked" if n == picked else "row"
        pct = pct_html(samples.get(n), most) if samples is not None else ""
        rows.append(f"<div class='{cls}' data-line='{n}'{style}>{pct}<span class='ln'>{n}</span>"
                    f"{html.escape(text.expandtabs(4))}</div>")
    return f"<div class='pane gokit-asm-source'><h4>{html.escape(file)}</h4>{''.join(rows)}</div>"


def _asm_pane(a: "Assembly", fn: "Symbol | None", function: str, colours: dict[int, str], file: str, *,
              pseudo: bool, picked: int | None, samples: Mapping[int, float] | None = None) -> str:
    title = f"go{a.go} {a.meta.get('goos', 'linux')}/{a.goarch}"
    if fn is None:
        return (f"<div class='pane gokit-asm-code'><h4>{html.escape(title)}</h4><div class='row'>"
                f"<i>{html.escape(function)} is not in this build</i></div></div>")
    head = (f"{title} — {html.escape(fn.name)}: {len(fn.machine_instructions)} instructions, {fn.size} bytes"
            + (f", frame {html.escape(fn.frame)}" if fn.frame else ""))
    rows = []
    most = max(samples.values(), default=0.0) if samples else 0.0
    for i in fn.instructions:
        if i.pseudo and not pseudo:
            continue
        pct = pct_html(samples.get(i.pc) if not i.pseudo else None, most) if samples is not None else ""
        own = i.file == file and i.line is not None
        bg = colours.get(i.line, "") if own and i.line is not None else (INLINED if i.line is not None else "")
        style = f" style='background:{bg}'" if bg else ""
        cls = "row picked" if own and i.line == picked else "row"
        op_cls = "op pseudo" if i.pseudo else "op"
        args = html.escape(i.args)
        where = "" if own else (f"<span class='from'>{html.escape(i.file)}:{i.line}</span>" if i.line is not None
                                else "<span class='from'>no line</span>")
        rels = "".join(f"<br><span class='rel' title='{r.size} bytes at offset {r.offset} of {html.escape(fn.name)}'>"
                       f"\u2190 {html.escape(r.type)} {html.escape(r.target)}</span>" for r in i.relocations)
        line_attr = f" data-line='{i.line}'" if own else ""
        rows.append(f"<div class='{cls}'{line_attr}{style}>{pct}<span class='pc'>{i.pc:#06x}</span>"
                    f"<span class='{op_cls}'>{html.escape(i.op)}</span> {args}{where}{rels}</div>")
    return f"<div class='pane gokit-asm-code'><h4>{head}</h4>{''.join(rows)}</div>"


def bands_html(asms: Sequence["Assembly"], function: str, *, pseudo: bool = False, picked: int | None = None,
               profile: "Samples | None" = None) -> str:
    """Source on the left, the function's assembly from each Assembly on the right, colour bands per line;
    with a CPU profile of the program, its samples per line and per instruction (for the listing of the
    toolchain and GOARCH that ran it)."""
    file, colours = _own_lines(asms, function)
    line_samples = profile.line_shares(file) if profile is not None else None
    panes = [_source_pane(asms[0], colours, picked, line_samples)]
    for a in asms:
        try:
            fn: "Symbol | None" = a.function(function)
        except Exception:  # noqa: BLE001
            fn = None
        pc_samples = None
        if profile is not None and fn is not None and profile.sampled(a.go, a.goarch):
            pc_samples = profile.instruction_shares(fn.name)
        panes.append(_asm_pane(a, fn, function, colours, file, pseudo=pseudo, picked=picked, samples=pc_samples))
    legend = ("<div style='font-family:sans-serif;font-size:11px;color:#555;margin-top:4px;white-space:normal'>Each colour ties a "
              "source line to the instructions compiled from it; grey rows were inlined from another file (named on "
              "the right); <span style='color:#b00'>red boxes</span> are relocations: holes the linker fills with "
              "the address of the symbol named." + ("" if pseudo else " FUNCDATA/PCDATA lines are hidden.")
              + (" Percentages are the share of CPU samples taken on that line or instruction (gokit.profile)."
                 if profile is not None else "") + "</div>")
    return _CSS + f"<div style='width:100%'><div class='gokit-asm'>{''.join(panes)}</div>{legend}</div>"


@renders(Assembly)
def assembly_html(a: Assembly) -> str:
    """The package's main function (or its first), source and assembly in colour bands."""
    fn = a.default_function()
    return bands_html([a], fn) if fn else "<i>no functions</i>"


@renders(Assembly, "show")
def show(a: Assembly, function: str, *, pseudo: bool = False) -> Any:
    """One function's bands, as displayable HTML."""
    from IPython.display import HTML

    return HTML(bands_html([a], function, pseudo=pseudo))


def asm_json(a: Assembly, *, function: str | None = None) -> dict[str, Any]:
    """What `gokit asm FILE --json` prints: the target, every symbol, its instructions and relocations."""
    syms = [a.function(function)] if function else list(a.symbols)
    return {
        "go": a.go, "goarch": a.goarch, "package": a.package,
        "symbols": [{
            "name": s.name, "kind": s.kind, "flags": list(s.flags), "size": s.size, "fields": dict(s.fields),
            "abi": s.abi, "frame": s.frame,
            "instructions": [{"pc": i.pc, "file": i.file, "line": i.line, "op": i.op, "args": i.args,
                              "bytes": i.bytes, "pseudo": i.pseudo} for i in s.instructions],
            "relocations": [{"offset": r.offset, "size": r.size, "type": r.type, "symbol": r.symbol,
                             "addend": r.addend, "pc": r.pc} for r in s.relocations],
            **({} if s.is_function else {"data": s.data.hex()}),
        } for s in syms],
    }
