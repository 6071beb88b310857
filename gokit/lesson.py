"""gokit.lesson: what the lessons use on screen — exercises, tables, folds, diagrams, sentences, benchmark tables.

    from gokit import lesson
    lesson.exercise("03", "prove").check(prediction, actual, evidence=table)   # predict, then run
    lesson.table(df)                         # a DataFrame as lessons show it ("—" for not measured)
    lesson.fold(everything, "all 53 rows")   # the rest, one click away
    lesson.show(graph)                       # a graphviz diagram as SVG
    lesson.say("a sentence computed from the numbers")
    lesson.bench_table(result)               # median, interval, ratio, runs; the rest folded

The go command's lessons (00, 06, 07) also use: run_steps (a `go run -x` as a table), short_path, said (what a
command answered), build_progress and working (bars for work that takes seconds), cross_builds (targets side by
side), hash_inputs (a cache key's inputs), package_dirs, importers and deps_count (what a program's packages
are), timer_check (gokit's timer beside hyperfine), add_runs (runs timed elsewhere), legible and timeline
(figures with no text under 11 px), written_since (what a lesson wrote into a GOCACHE).

Importing it in a notebook also turns a guess Python cannot read (`prediction = maybe`) into one line of advice
instead of a traceback.
"""
from __future__ import annotations

from ._lesson import (
    BENCH_COLUMNS,
    DEFAULT_BENCH_COLUMNS,
    GIVE_UP,
    NO_GUESS,
    NOT_MEASURED,
    BenchTable,
    Exercise,
    Fold,
    Table,
    Verdict,
    bench_table,
    exercise,
    fold,
    forget,
    install_ipython_hooks,
    same,
    say,
    table,
)
from ._lesson_go import (
    add_runs,
    build_progress,
    cross_builds,
    deps_count,
    hash_inputs,
    importers,
    legible,
    package_dirs,
    run_steps,
    said,
    short_path,
    timeline,
    timer_check,
    working,
    written_since,
)
from ._render import Diagram, show

__all__ = ["exercise", "Exercise", "Verdict", "same", "forget", "NO_GUESS", "GIVE_UP", "table", "Table", "fold",
           "Fold", "show", "Diagram", "say", "bench_table", "BenchTable", "BENCH_COLUMNS", "DEFAULT_BENCH_COLUMNS",
           "NOT_MEASURED",
           # the go command's lessons (00, 06, 07): gokit/_lesson_go.py
           "run_steps", "short_path", "said", "build_progress", "working", "cross_builds", "hash_inputs",
           "package_dirs", "importers", "deps_count", "timer_check", "add_runs", "legible", "timeline",
           "written_since"]

install_ipython_hooks()


def _warm_plotting() -> bool:
    """In a Jupyter kernel, import matplotlib's pyplot on a background thread (about half a second of CPU) while
    the lesson's first cells wait for Go, so the first plot does not pay for it. Idempotent; False elsewhere."""
    import sys
    import threading

    if "matplotlib.pyplot" in sys.modules or getattr(_warm_plotting, "started", False):
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or "IPKernelApp" not in getattr(shell, "config", {}):
        return False

    def load() -> None:
        try:
            import matplotlib.pyplot  # noqa: F401
        except Exception:  # noqa: BLE001 - a plot cell imports it again and shows any real error there
            pass

    _warm_plotting.started = True  # type: ignore[attr-defined]
    threading.Thread(target=load, name="gokit-warm-matplotlib", daemon=True).start()
    return True


_warm_plotting()


# ---------------------------------------------------------------- helpers for one lesson each (01, 03)
# Small functions a lesson calls on screen instead of showing Python plumbing; each is tested in
# tests/test_lesson_helpers.py. They use gokit's public calls only.

import html as _html  # noqa: E402
import math as _math  # noqa: E402
import re as _re  # noqa: E402
from dataclasses import dataclass as _dataclass, field as _field  # noqa: E402
from typing import Any as _Any, Mapping as _Mapping  # noqa: E402

#: dot's `size="8,100"`: a box the drawing is shrunk into (its text with it); `diagram` drops it.
DOT_SIZE_RE = _re.compile(r'(?<![\w.-])size\s*=\s*(?:"[^"]*"|[\d.,]+)')
#: A font size in DOT source (`fontsize=8`, `fontsize="8"`, `point-size="8"` in an HTML-like label).
DOT_FONTSIZE_RE = _re.compile(r'(?P<key>\bfontsize|point-size)\s*=\s*(?P<q>"?)(?P<pt>\d+(?:\.\d+)?)(?P=q)')
#: The width dot gives an SVG drawing, in points.
SVG_WIDTH_RE = _re.compile(r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)pt"')


@_dataclass(frozen=True)
class Drawing:
    """A diagram shown at its natural size: no text smaller than `min_px`, a sideways scroll bar when it is wider
    than the page (never shrunk to fit, never cut)."""

    svg_text: str = _field(repr=False)
    width_px: float
    min_px: float

    def _repr_html_(self) -> str:
        svg = self.svg_text.replace("<svg ", '<svg style="max-width:none;height:auto" ', 1)
        return f"<div class='gokit-drawing' style='overflow-x:auto;max-width:100%'>{svg}</div>"

    def _repr_mimebundle_(self, include: _Any = None, exclude: _Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": f"(a diagram {self.width_px:.0f} px wide)"}

    def __repr__(self) -> str:
        return f"(a diagram {self.width_px:.0f} px wide)"


def diagram(graph: _Any, *, min_px: float = 11.0) -> Drawing:
    """A graphviz diagram at its natural size with every text at least `min_px` pixels high (1 pt = 4/3 px).

    Drops the `size` that makes dot shrink a wide drawing (and its text) to a fixed box, raises any smaller font
    size to the minimum, and shows the SVG in a box that scrolls sideways when the drawing is wider than the page.
    """
    from .errors import UsageError

    if not isinstance(min_px, (int, float)) or not 6 <= min_px <= 40:
        raise UsageError(f"min_px is a text height in pixels between 6 and 40; got {min_px!r}")
    source = graph if isinstance(graph, str) else getattr(graph, "source", None)
    if not isinstance(source, str):
        raise UsageError("diagram wants a graphviz graph (like tree.to_graphviz() or fn.cfg()) or DOT text")
    least = _math.ceil(min_px * 0.75 * 2) / 2  # points, rounded up to a half point: 11 px -> 8.5 pt

    def legible(m: "_re.Match[str]") -> str:
        pt = max(float(m.group("pt")), least)
        return f'{m.group("key")}={m.group("q")}{pt:g}{m.group("q")}'

    source = DOT_FONTSIZE_RE.sub(legible, DOT_SIZE_RE.sub("", source))
    svg = show(source).svg
    w = SVG_WIDTH_RE.search(svg)
    return Drawing(svg, float(w.group("w")) * 4 / 3 if w else 0.0, float(min_px))


def gofmt(source: str, *, toolchain: _Any = None) -> str:
    """What gofmt makes of one Go file (`go fmt` on a private copy): the formatted text, or gofmt's error."""
    import gokit

    from . import _tmp

    tc = toolchain or gokit.toolchain()
    work = _tmp.mkdtemp("gofmt-")
    try:
        (work / "main.go").write_text(source)
        done = tc.go_cmd("fmt", "main.go", cwd=work, check=False, timeout=60)
        if done.exit_code != 0:
            return "\n".join(ln for ln in done.err.splitlines() if not ln.startswith("exit status")).strip()
        return (work / "main.go").read_text()
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


#: The file every program of a `brace_table` becomes: its text after a package clause.
BRACE_PROLOGUE = "package main\n\n"


@_dataclass(frozen=True)
class BraceTable:
    """Small programs with a `{` at the start of a line, and what the scanner, go/parser and go/types made of each
    (see `brace_table`): `frame` has one row per program, `sources` the files as checked."""

    frame: _Any = _field(repr=False)
    sources: dict[str, str] = _field(repr=False)

    def _repr_html_(self) -> str:
        cards = []
        for r in self.frame.itertuples(index=False):
            lines = self.sources[r.program].rstrip("\n").split("\n")
            code = "\n".join(f"<span style='color:#999;user-select:none'>{i:>2}</span>  "
                             f"{_html.escape(t.expandtabs(4))}" for i, t in enumerate(lines, 1))
            mark = "#b00" if r.parser != "parses" else "#b06000" if r.types != "no errors" else "#080"
            said = [f"line {r.line} ends in <code>{_html.escape(r.ends_in)}</code> ({r.token}): "
                    + ("<b>a semicolon is inserted</b>" if r.inserted == "yes" else "no semicolon"),
                    f"go/parser: {_html.escape(r.parser)}"]
            if r.parser == "parses":
                said.append(f"go/types: {_html.escape(r.types)}")
            cards.append(
                f"<div style='flex:0 1 300px;border:1px solid #ccd;border-left:4px solid {mark};padding:6px 8px;"
                f"min-width:240px'><div style='font-weight:bold;margin-bottom:3px'>{_html.escape(r.program)}</div>"
                f"<pre style='font-size:12px;line-height:1.35;margin:0 0 4px 0;overflow-x:auto'>{code}</pre>"
                f"<div style='font-size:12px;line-height:1.4'>{'<br>'.join(said)}</div></div>")
        return f"<div style='display:flex;flex-wrap:wrap;gap:8px'>{''.join(cards)}</div>"

    def __repr__(self) -> str:
        return f"(what go/parser made of {len(self.frame)} programs)"


def brace_table(programs: _Mapping[str, str], *, toolchain: _Any = None) -> BraceTable:
    """For each program (a Go file's text after `package main`, with a `{` at the start of some line): the
    token that ends the line before that brace, whether go/scanner inserted a semicolon there, what go/parser
    says (gofmt reads files with go/parser) and, when it parses, what go/types says. One card per program."""
    import gokit
    import pandas as pd

    from .errors import UsageError

    if not isinstance(programs, _Mapping) or not programs:
        raise UsageError("brace_table wants a dict: a name for each program -> its Go text (after package main)")
    rows, sources = [], {}
    for name, body in programs.items():
        text = BRACE_PROLOGUE + body.strip("\n") + "\n"
        sources[name] = text
        toks = gokit.tokens(text, toolchain=toolchain)
        prev = None
        found = None
        for t in toks.itertuples(index=False):
            if t.token == "COMMENT" or (t.token == "SEMICOLON" and t.inserted):
                continue
            if t.token == "LBRACE" and prev is not None and t.line > prev.line:
                found = (prev, t)
                break
            prev = t
        if found is None:
            raise UsageError(f"program {name!r} has no {{ at the start of a line")
        before, brace = found
        inserted = bool(((toks.token == "SEMICOLON") & toks.inserted & (toks.line == before.line)).any())
        errors = gokit.parse(text, toolchain=toolchain).errors
        parser = f"{errors[0].line}:{errors[0].col}: {errors[0].message}" if errors else "parses"
        types = NOT_MEASURED
        if not errors:
            terrs = gokit.typecheck(text, toolchain=toolchain).errors
            types = "; ".join(f"{e.line}:{e.col}: {e.message}" for e in terrs) if terrs else "no errors"
        rows.append({"program": name, "line": int(before.line), "ends_in": before.text, "token": before.token,
                     "inserted": "yes" if inserted else "no", "brace_line": int(brace.line), "parser": parser,
                     "types": types})
    return BraceTable(pd.DataFrame(rows), sources)


def ssa_sizes(fn: _Any, *, title: str | None = None) -> _Any:
    """A bar chart of one SSA function: its values, all and live, after each state that differs from the one
    before, labelled with the pass's number (its place in the compiler's order, as `fn.summary` and the explorer
    number it) and name. Returns a matplotlib Figure."""
    import matplotlib.pyplot as plt
    import numpy as np

    s = fn.summary
    steps = s[s.changed]
    fig, ax = plt.subplots(figsize=(8, 0.26 * len(steps) + 1.1))
    plt.close(fig)
    y = np.arange(len(steps))[::-1]
    ax.barh(y + 0.2, steps["values"], height=0.4, color="#c6d4e8", label="all values")
    ax.barh(y - 0.2, steps["live_values"], height=0.4, color="#4a6fa5", label="live values")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{i} · {name}" for i, name in zip(steps.index, steps["pass"])], fontsize=9)
    ax.set_xlabel(f"values in {fn.name}")
    ax.set_title(title or f"{fn.name}: values as first built (#0) and after each pass that changed them",
                 fontsize=10)
    ax.legend(fontsize=9, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


#: A departure from proportional this small (a ten times bigger item at most this much dearer, or cheaper, per
#: unit of size, at either end of the exponent's interval) is "proportional within measurement".
NEGLIGIBLE_PER_TENFOLD = 1.15


def _ratio_text(r: float, digits: int = 2) -> str:
    """A ratio with two significant figures, as the course writes ratios from noisy medians: 9.7, 10, 17, 0.84."""
    from .bench import _number, _sig

    return _number(_sig(r, digits))


def _fit_reading(fit: _Any, items: str, item: str, x_unit: str, per_unit: tuple[str, float]) -> dict[str, str]:
    """The parts of a fit's conclusion (see fit_conclusion): the fitted numbers, the verdict, the quarters."""
    b, lo, hi = fit.exponent, fit.exponent_low, fit.exponent_high
    ten, ten_lo, ten_hi = 10 ** b, 10 ** lo, 10 ** hi
    table = fit.by_size(items=items, x_unit=x_unit, per_unit=per_unit)
    per = [float(str(v).replace(",", "")) for v in table.iloc[:, -1]]
    rising = all(b2 >= a2 for a2, b2 in zip(per, per[1:])) and per[-1] > per[0]
    falling = all(b2 <= a2 for a2, b2 in zip(per, per[1:])) and per[-1] < per[0]
    ratio = per[-1] / per[0]
    near = 0.8 <= ratio <= 1.25
    groups = "four size quarters" if len(per) == 4 else f"{len(per)} size groups"
    shown = ", ".join(f"{v:g}" for v in per[:-1]) + f" and {per[-1]:g}"
    quarters = (f"The table's {groups} cost {shown} {per_unit[0]} per {x_unit} (medians, smallest {items} first), "
                f"the largest {_ratio_text(ratio)}× the smallest")
    small = max(10 ** (hi - 1), 10 ** (1 - lo)) <= NEGLIGIBLE_PER_TENFOLD
    digits = 2 if _ratio_text(ten_lo) != _ratio_text(ten_hi) else 3
    t, t_lo, t_hi = (_ratio_text(v, digits) for v in (ten, ten_lo, ten_hi))
    article = "an" if item[:1] in "aeiou" else "a"
    out = {"fit": f"time ∝ size^{b:.2f} (bootstrap 95% interval {lo:.2f}–{hi:.2f})",
           "tenfold": f"{article} {item} ten times bigger takes {t}× as long ({t_lo}–{t_hi}×)",
           "quarters": quarters}
    if lo <= 1 <= hi or (small and not (rising if lo > 1 else falling)):
        out["verdict"] = "proportional to size within measurement"
        out["why"] = ("its interval includes 1" if lo <= 1 <= hi else
                      f"its interval misses 1 by less than {round((NEGLIGIBLE_PER_TENFOLD - 1) * 100)}% per "
                      "tenfold size")
        out["agree"] = ("a steady trend the fit does not confirm" if (rising or falling) and not near else
                        "close to each other" if near else "no steady trend")
        return out
    faster = lo > 1
    out["verdict"] = ("only slightly " if small else "") + ("faster than size" if faster else "more slowly than size")
    out["why"] = f"a bigger {item} costs {'more' if faster else 'less'} per {x_unit}"
    if rising if faster else falling:
        out["agree"] = "the same steady trend, group by group"
    elif (ratio > 1) == faster and not near:
        out["agree"] = "the same trend overall, though not at every step"
    else:
        out["agree"] = ("no trend the fit's way: read the exponent's departure from 1 with care, the groups' "
                        "medians are noisier than the fit over every point")
    return out


def fit_conclusion(fit: _Any, *, items: str = "items", item: str = "item", x_unit: str = "kB",
                   per_unit: tuple[str, float] = ("µs", 1000.0)) -> str:
    """What a `gokit.bench.scaling` fit says, with its exponent's interval, checked against the size quarters of its
    `by_size` table (the same items): one paragraph computed from the numbers, never a trend the table contradicts.

    The exponent's interval decides: it includes 1, or misses it by a departure no bigger than
    NEGLIGIBLE_PER_TENFOLD per tenfold size while the quarters show no steady trend that way: "proportional
    within measurement"; otherwise faster or slower than size, and the quarters are read against it."""
    r = _fit_reading(fit, items, item, x_unit, per_unit)
    verb = "is" if r["verdict"].startswith("proportional") else "grows"
    return (f"Fitted over {len(fit.x)} {items}: {r['fit']}, so {r['tenfold']}: the cost {verb} {r['verdict']} "
            f"({r['why']}). {r['quarters']}: {r['agree']}.")


def fit_summary(fit: _Any, *, items: str = "items", item: str = "item", x_unit: str = "kB",
                per_unit: tuple[str, float] = ("µs", 1000.0)) -> str:
    """The same verdict as `fit_conclusion`, in one clause for a summary: "a file ten times bigger takes 10× as
    long (9.7–11×): proportional to size within measurement"."""
    r = _fit_reading(fit, items, item, x_unit, per_unit)
    return f"{r['tenfold']}: {r['verdict']}"


def columns(texts: _Mapping[str, str], *, font_px: int = 12) -> _Any:
    """Texts side by side, each under its title in a monospaced column that scrolls sideways on its own when its
    lines are longer than its share of the page (never wrapped, never cut): for two listings of one thing."""
    from .errors import UsageError

    if not isinstance(texts, _Mapping) or not texts or not all(isinstance(t, str) for t in texts.values()):
        raise UsageError("columns wants a dict: a title for each column -> its text")
    cols = "".join(f"<div style='flex:1 1 auto;min-width:0'><b>{_html.escape(title)}</b><pre style='white-space:pre;"
                   f"overflow-x:auto;font-size:{int(font_px)}px;line-height:1.35;margin:.3em 0'>{_html.escape(t)}"
                   "</pre></div>" for title, t in texts.items())
    return Table(f"<div style='display:flex;gap:16px'>{cols}</div>", len(texts))



def ssa_changes(fn: _Any, *, every: bool = False) -> _Any:
    """One row per state of an SSA function that differs from the one before, and the two snapshots #0 and #1
    always (every row with `every=True`): the pass's number (its place in ssa.html and the explorer: #0 and #1 are snapshots, then the compiler's passes in
    order), name, blocks, values, live values, and what changed, in words. Besides what `fn.diff` lists (values
    and blocks added, removed or changed), says when a pass only moved statement marks (`(9)` to `(+9)`, as
    `number lines` does), reordered values inside blocks (`schedule`) or reordered the blocks (`layout`)."""
    import pandas as pd

    rows = []
    snapshots = len(fn.passes) - len(fn.ran)
    for p in fn.passes:
        if p.index >= snapshots and not (p.changed or every):
            continue
        if p.index == 0:
            what = "the function as first built"
        else:
            prev = fn.passes[p.index - 1]
            d = fn.diff(prev, p)
            parts = [] if d.empty else [d.summary()]
            before = {v.id: v for v in prev.values}
            marks = sum(1 for v in p.values if v.id in before and before[v.id].stmt != v.stmt)
            if marks:
                parts.append(f"{marks} statement mark{'s' if marks != 1 else ''} moved")
            kept_blocks = [b.id for b in p.blocks if any(b.id == o.id for o in prev.blocks)]
            if kept_blocks != [b.id for b in prev.blocks if b.id in kept_blocks]:
                parts.append("blocks reordered")
            old_order = {b.id: [v.id for v in b.values] for b in prev.blocks}
            for b in p.blocks:
                ids = [v.id for v in b.values if v.id in old_order.get(b.id, ())]
                if ids != [i for i in old_order.get(b.id, []) if i in ids]:
                    parts.append("values reordered")
                    break
            what = "; ".join(parts) if parts else "no change" if not p.changed else "a change the listing hides"
        rows.append({"#": p.index, "pass": p.name, "blocks": len(p.blocks), "values": len(p.values),
                     "live values": len(p.live_values), "what changed": what})
    return pd.DataFrame(rows)



@_dataclass(frozen=True)
class Load:
    """How busy the machine was around a benchmark (see `load_check`)."""

    load: float
    cpus: int
    busy: bool
    sentence: str


def load_check(*earlier: float) -> Load:
    """The 1-minute load average now (and the highest of `earlier` readings, taken before a benchmark) against the
    CPU count. Busier than its cores, a machine makes every run wait for a core now and then: the sentence then
    says so and that the verdicts are held back; on a quiet machine it is empty."""
    import os

    load = max([os.getloadavg()[0], *earlier])
    cpus = os.cpu_count() or 1
    busy = load > cpus
    sentence = (f"This machine was busier than its cores while it measured (load average {load:.1f} on {cpus} "
                "CPUs): runs waited for a core now and then, so the numbers below can be off by more than "
                "their intervals say, and verdicts are held back. Run the cell again when the machine is "
                "quiet." if busy else "")
    return Load(load, cpus, busy, sentence)


# ---------------------------------------------------------------- lesson 03: SSA, passes, the compiler's report

class Listing(str):
    """A Go source text shown with line numbers (see `listing`); it is still the text itself."""

    def _repr_html_(self) -> str:
        lines = str(self).rstrip("\n").split("\n")
        width = len(str(len(lines)))
        body = "\n".join(f"<span style='color:#999;user-select:none'>{i:>{width}}</span>  "
                         f"{_html.escape(t.expandtabs(4))}" for i, t in enumerate(lines, 1))
        return (f"<pre style='font-size:12.5px;line-height:1.35;overflow-x:auto;margin:.3em 0'>{body}</pre>")


def listing(source: str) -> Listing:
    """A Go file's text shown with its line numbers, the numbers the compiler's messages and SSA use."""
    return Listing(source)


#: One entry of cmd/compile/internal/ssa/compile.go's `var passes` list: {name: "...", ... } (not commented out).
PASS_ENTRY_RE = _re.compile(r'^\s*\{name:\s*"(?P<name>[^"]+)"(?P<rest>[^\n]*)', _re.MULTILINE)


def ssa_pass_list(goroot: _Any) -> list[tuple[str, bool]]:
    """The compiler's SSA passes as its source lists them (GOROOT/src/cmd/compile/internal/ssa/compile.go, `var
    passes`), in order: (name, switched off by default?) — off means a `disabled:` that is not a constant false,
    which on today's releases are the GOEXPERIMENT-gated ones (insert resched checks; on Go 1.27 also cpufeatures
    and rewrite tern); a pass can also be off on one architecture only."""
    from pathlib import Path

    text = (Path(goroot) / "src" / "cmd" / "compile" / "internal" / "ssa" / "compile.go").read_text()
    body = text.split("var passes = [...]pass{", 1)[1].split("\n}\n", 1)[0]
    out = []
    for line in body.splitlines():
        m = PASS_ENTRY_RE.match(line)
        if m is None:
            continue
        rest = m.group("rest")
        if "disabled:" not in rest:  # a disabled: on the next line belongs to this entry
            idx = body.splitlines().index(line)
            nxt = body.splitlines()[idx + 1] if idx + 1 < len(body.splitlines()) else ""
            rest += nxt if nxt.strip().startswith("disabled:") else ""
        out.append((m.group("name"), "disabled:" in rest))
    return out


def ssa_states(fn: _Any, goroot: _Any = None) -> str:
    """How the states of one SSA function add up, in one sentence: snapshots + passes that ran = the rows of
    `ssa_changes(fn, every=True)`; how many passes changed the function; how many columns ssa.html drew; and, with
    `goroot`, how many passes the compiler's list has and how many are off by default."""
    snaps = len(fn.passes) - len(fn.ran)
    changed = sum(p.changed for p in fn.ran)
    text = (f"{fn.meta.get('qualified', fn.name)}: {len(fn.passes)} states, #0 to #{len(fn.passes) - 1}: "
            f"{snaps} snapshots and the {len(fn.ran)} passes that ran")
    if goroot is not None:
        listed = ssa_pass_list(goroot)
        off = [n for n, d in listed if d]
        text += (f" (the compiler's list has {len(listed)}; {len(off)} of them off by default: "
                 f"{', '.join(off)})" if off else f" (the compiler's list has {len(listed)})")
    text += (f". {changed} passes changed the function; ssa.html drew {len(fn.columns)} columns, one per state "
             "that differs from the one before (the passes that changed nothing share the next one's column).")
    return text


def genssa_listing(fn: _Any) -> str:
    """What `genssa` made of a function, as the compiler's ssa.html shows it, without the FUNCDATA and PCDATA
    lines (tables for the runtime): each line is a Prog's number in genssa's list (not an address: the gaps are the
    lines left out), its source line, and the instruction in Go's assembler syntax."""
    meta = [g for g in fn.genssa if g.pc is not None and g.text.split()[0] in ("FUNCDATA", "PCDATA")]
    lines = [f"{g.pc:05d} ({'?' if g.line is None else g.line}) {g.text.expandtabs(8)}"
             for g in fn.genssa if g.pc is not None and g not in meta]
    return "\n".join(lines) + f"\n(and {len(meta)} FUNCDATA/PCDATA lines)"


def inlining_table(src: _Any, *, toolchain: _Any = None) -> Table:
    """The compiler's inlining decisions about each function (`-m=2`), in source order: its cost (the compiler's
    size estimate), the budget where it refused (— where it did not), and what -m=2 printed: the body it would
    copy, or why not. Calls that were inlined are left out (the report next to the source shows them)."""
    import gokit
    import pandas as pd

    inl = gokit.inlining(src, toolchain=toolchain)
    inl = inl[inl.decision != "inlined call"].drop_duplicates(["line", "function", "decision"])
    inl = inl.sort_values(["line", "function"], kind="stable")
    shown = pd.DataFrame({"line": inl.line, "function": inl.function, "decision": inl.decision,
                          "cost": [int(c) for c in inl.cost],
                          "budget": [NOT_MEASURED if pd.isna(b) else int(b) for b in inl.budget],
                          "what -m=2 says": inl.reason})
    return table(shown)


def ssa_names(src: _Any, names: _Any, *, toolchain: _Any = None) -> Table:
    """For each name as a learner writes it (`add`, `Counter.Add`, `counter.func1`, `Max`), the function the
    compiler built (`gokit.ssa`'s answer) with its blocks and values after the last pass; a name it did not build
    gets gokit's answer instead of a traceback, in the last column."""
    import gokit
    import pandas as pd

    from .errors import GokitError

    rows = []
    for name in names:
        try:
            f = gokit.ssa(src, name, toolchain=toolchain)
        except GokitError as e:
            rows.append({"you wrote": name, "the compiler's function": NOT_MEASURED, "blocks at the end": NOT_MEASURED,
                         "values at the end": NOT_MEASURED, "note": str(e).split("\n", 1)[0]})
            continue
        shapes = f.meta.get("instantiations") or []
        qualified = f.meta["qualified"]
        if len(shapes) > 1 and "[" not in name:
            note = f"the first of its {len(shapes)} shapes in the compiler's output: {', '.join(shapes)}"
        elif "[" in name and "go.shape." not in name and "go.shape." in qualified:
            note = f"the body its shape shares; the compiler's own {name} is a wrapper that calls it"
        else:
            note = NOT_MEASURED
        rows.append({"you wrote": name, "the compiler's function": f.meta["qualified"],
                     "blocks at the end": len(f.passes[-1].blocks), "values at the end": len(f.passes[-1].values),
                     "note": note})
    return table(pd.DataFrame(rows))


@_dataclass(frozen=True)
class OpChanges:
    """The values whose op one pass changed (see `op_changes`)."""

    frame: _Any = _field(repr=False)
    pairs: frozenset = frozenset()   # {(op before, op after), ...}
    caption: str = ""

    def _repr_html_(self) -> str:
        return f"<p>{_html.escape(self.caption)}</p>" + table(self.frame)._repr_html_()

    def __repr__(self) -> str:
        return self.caption


def op_changes(fn: _Any, pass_name: str) -> OpChanges:
    """The values whose op the pass `pass_name` changed in `fn`, compared with the state just before it: one row
    per value (`value`, `op before`, `op after`) under a line naming both states."""
    import pandas as pd

    after = fn.pass_(pass_name)
    before = fn.passes[after.index - 1]
    ops = fn.diff(before, after).op_changes
    frame = pd.DataFrame({"value": list(ops["id"]), "op before": list(ops["op_before"]),
                          "op after": list(ops["op_after"])})
    caption = (f"{len(frame)} value{'s' if len(frame) != 1 else ''} changed op from #{before.index} {before.name} "
               f"to #{after.index} {after.name}:")
    return OpChanges(frame, frozenset(zip(frame["op before"], frame["op after"])), caption)


@_dataclass(frozen=True)
class Fate:
    """Where a value of one op and the block that panics for it went, pass by pass (see `ssa_fate`)."""

    frame: _Any = _field(repr=False)
    sentence: str = ""

    def _repr_html_(self) -> str:
        return Table(self.frame.to_html(index=False, border=0), len(self.frame))._repr_html_() + \
            f"<p>{_html.escape(self.sentence)}</p>"

    def __repr__(self) -> str:
        return self.sentence


def ssa_fate(fn: _Any, op: str, block_op: str, *, since: str, go: str = "") -> Fate:
    """From the pass before `since` on, the states where a value of `op` (say `IsInBounds`) or a block holding a
    value of `block_op` (say `PanicBounds`) changed: live, dead (no use left) or gone, with the pass's number and
    name, until both are gone; and a sentence saying in which passes they went."""
    import pandas as pd

    from .errors import UsageError

    def state(p: _Any) -> tuple[str, str]:
        vals = [v for v in p.values if v.op == op]
        blocks = [b for b in p.blocks if any(v.op == block_op for v in b.values)]
        val = "live" if any(not v.dead for v in vals) else "dead" if vals else "gone"
        blk = ", ".join(f"b{b.id} ({'dead' if b.dead else 'live'})" for b in blocks) or "gone"
        return val, blk

    start = fn.pass_(since).index
    rows: list[dict[str, _Any]] = []
    last = None
    for p in fn.passes[max(0, start - 1):]:
        now = state(p)
        if now != last:
            rows.append({"#": p.index, "after pass": p.name, op: now[0], f"block calling {block_op}": now[1]})
            last = now
        if now == ("gone", "gone"):
            break
    if not rows:
        raise UsageError(f"{fn.name} has no pass {since!r}")
    frame = pd.DataFrame(rows)
    went = frame[frame[op] == "gone"]
    blk = frame[frame[f"block calling {block_op}"] == "gone"]
    on = f"On go{go}" if go else "Here"
    if went.empty:
        sentence = f"{on} the {op} value was still there after the last pass."
    else:
        sentence = f"{on} the {op} value went in #{went.iloc[0]['#']} {went.iloc[0]['after pass']}"
        sentence += (f", the block calling {block_op} in #{blk.iloc[0]['#']} {blk.iloc[0]['after pass']}."
                     if not blk.empty else f"; the block calling {block_op} stayed.")
    return Fate(frame, sentence)



# ---------------------------------------------------------------- lessons 01 and 02: tokens, nodes, errors

def token_table(toks: _Any, *, through_line: int | None = None) -> Table:
    """go/scanner's tokens (a `gokit.tokens` frame) as the lessons show them: `line`, `col`, `token` (go/token's
    name for the kind), `text` (the token as written; a semicolon the scanner inserted has no text in the source
    and shows as `newline`, the literal go/scanner gives it) and `inserted` (yes or no). `through_line` keeps the
    tokens of the first lines only."""
    import pandas as pd

    rows = toks if through_line is None else toks[toks.line <= through_line]
    shown = pd.DataFrame({"line": rows.line, "col": rows.col, "token": rows.token,
                          "text": [("newline" if ins else t) for t, ins in zip(rows.text, rows.inserted)],
                          "inserted": rows.inserted.map({True: "yes", False: "no"})})
    return table(shown)


def line_ends(toks: _Any) -> Table:
    """For every line with code: its last token as written, and whether go/scanner inserted a semicolon after
    it (comments do not count: a comment at the end of a line is not the token the rule looks at)."""
    import pandas as pd

    code = toks[toks.token != "COMMENT"]
    written = code[~code.inserted]
    last = written.groupby("line").tail(1)
    semis = set(toks[toks.inserted].line)
    return table(pd.DataFrame({"line": last.line, "last token": last.token, "as written": last.text,
                               "semicolon inserted?": ["yes" if ln in semis else "no" for ln in last.line]}))


def node_table(tree: _Any, *, first: int | None = None) -> Table:
    """A syntax tree's nodes, one row each in the order `ast.Inspect` visits them: `id`, `depth`, `kind` (the
    go/ast type), `key` (its name, operator or value), `field` (the parent's go/ast field that holds it) and its
    span. A node without a key or a parent field shows —. `first` keeps the first rows."""
    frame = tree.to_frame()
    if first is not None:
        frame = frame.head(first)
    shown = frame[["id", "depth", "kind", "key", "role", "line", "col", "end_line", "end_col"]].rename(
        columns={"role": "field", "end_line": "end line", "end_col": "end col"})
    shown = shown.astype({"key": object, "field": object})
    for col in ("key", "field"):
        shown.loc[shown[col] == "", col] = NOT_MEASURED
    return table(shown)


def top_counts(values: _Any, what: str, *, n: int = 10) -> Table:
    """The `n` most frequent values, most frequent first, as one row of counts headed by the values: `values` is
    a column of names (each occurrence once, like a tokens frame's `token`) or a mapping of name to count."""
    import pandas as pd

    counts = (pd.Series(dict(values)) if isinstance(values, _Mapping) else pd.Series(values).value_counts())
    counts = counts.sort_values(ascending=False, kind="stable").head(n)
    return table(counts.to_frame(what).T, index=True)


def exact_value(exact: str, typ: str) -> str:
    """A constant's value as go/constant holds it (its ExactString), written out: an integer in full, a fraction
    as its decimal expansion when that ends (up to 40 digits), a float64's (or float32's) value the way Go prints
    that float (`strconv.FormatFloat(f, 'g', -1, 64)`, the shortest that reads back the same), else the
    fraction itself."""
    from fractions import Fraction

    if not exact:
        return NOT_MEASURED
    try:
        q = Fraction(exact)
    except (ValueError, ZeroDivisionError):
        return exact   # strings, booleans, complex numbers: as go/constant wrote them
    if typ in ("float64", "float32"):
        import numpy as np

        text = repr(float(q)) if typ == "float64" else repr(float(np.float32(float(q))))
        return text[:-2] if text.endswith(".0") else text
    if q.denominator == 1:
        return str(q.numerator)
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d == 1:  # a finite decimal: print it exactly
        digits = 0
        while (q * 10 ** digits).denominator != 1:
            digits += 1
        if digits <= 40:
            whole = q * 10 ** digits
            sign = "-" if whole < 0 else ""
            n = str(abs(whole.numerator))
            n = n.rjust(digits + 1, "0")
            return f"{sign}{n[:-digits]}.{n[-digits:]}"
    return exact


def expr_table(exprs: _Any, columns: _Any = ("pos", "expr", "type", "value", "mode")) -> Table:
    """go/types' recorded expressions (a `gokit.typecheck(...).expressions` frame, or some of its rows) as the
    lessons show them: a constant's value written out exactly (see `exact_value`), — where an expression is not a
    constant."""
    shown = exprs.copy()
    if "value" in columns:
        shown["value"] = [exact_value(x, t) for x, t in zip(shown["exact"], shown["type"])]
    return table(shown[list(columns)])


@_dataclass(frozen=True)
class FrontEndCosts:
    """Parse time against type-check time of the same packages (see `front_end_costs`)."""

    frame: _Any = _field(repr=False)      # one row per size quarter
    packages: _Any = _field(repr=False)   # one row per package: path, size, parse_s, check_s, ratio
    median_ratio: float = 0.0
    sentence: str = ""                    # what the table says, computed from it

    def _repr_html_(self) -> str:
        return table(self.frame)._repr_html_()

    def __repr__(self) -> str:
        return f"(parse and type-check times of {len(self.packages)} packages)"


def front_end_costs(checks: _Any, parses: _Any, src_root: _Any) -> FrontEndCosts:
    """Per package, the time go/parser took for all its files (the sum of the files' medians from `bench.parse`)
    and the time go/types took to check it (its median from `bench.typecheck`), and their ratio: the two costs
    compared on the same code. `src_root` is GOROOT/src (a standard-library file's directory there is its
    package's path). The table groups the packages by size, as `Scaling.by_size` does."""
    import numpy as np
    import pandas as pd
    from pathlib import Path

    from .bench import _number, _sig

    root = Path(src_root)
    pkg = [Path(p).parent.relative_to(root).as_posix() for p in parses["path"]]
    parse_s = parses.assign(package=pkg).groupby("package")["median_s"].sum()
    both = pd.DataFrame({"path": checks["path"], "size": checks["size"], "check_s": checks["median_s"]})
    both["parse_s"] = both["path"].map(parse_s)
    both = both.dropna(subset=["parse_s"])
    both["ratio"] = both["check_s"] / both["parse_s"]
    names = ["smallest quarter", "2nd", "3rd", "largest quarter"]
    both["group"] = pd.qcut(both["size"].rank(method="first"), 4, labels=names)
    g = both.groupby("group", observed=True).agg(n=("path", "size"), size=("size", "median"),
                                                 parse=("parse_s", "median"), check=("check_s", "median"),
                                                 ratio=("ratio", "median"))
    frame = pd.DataFrame({"size": g.index.astype(str), "packages": g["n"].to_numpy(),
                          "median size (kB)": [_number(_sig(v / 1000, 2)) for v in g["size"]],
                          "parse (ms)": [_number(_sig(v * 1000, 2)) for v in g["parse"]],
                          "type check (ms)": [_number(_sig(v * 1000, 2)) for v in g["check"]],
                          "check ÷ parse": [f"{_number(_sig(v, 2))}×" for v in g["ratio"]]})
    med = float(np.median(both["ratio"]))
    first, last = float(g["ratio"].iloc[0]), float(g["ratio"].iloc[-1])
    trend = ("grows with size" if last > 1.25 * first else "shrinks with size" if last < 0.8 * first
             else "stays about the same from small to large")
    sentence = (f"On the same code, type checking a package took a median {_number(_sig(med, 2))}× as long as "
                f"parsing its files (over {len(both)} packages); the ratio {trend}: "
                f"{_number(_sig(first, 2))}× in the smallest quarter, {_number(_sig(last, 2))}× in the largest.")
    return FrontEndCosts(frame, both.drop(columns="group"), med, sentence)


@_dataclass(frozen=True)
class ErrorComparison:
    """A front end's errors next to the compiler's for the same file (see `compiler_errors`)."""

    frame: _Any = _field(repr=False)
    same_position: bool = False   # every compared error at the same line and column
    same_text: bool = False       # every compared message word for word

    def _repr_html_(self) -> str:
        return table(self.frame)._repr_html_()

    def __repr__(self) -> str:
        return f"(errors of {len(self.frame)} rows, side by side)"


def compiler_errors(source: str, errors: _Any, *, checker: str = "go/types", first: bool = False,
                    toolchain: _Any = None) -> ErrorComparison:
    """Build `source` with `go build` and put its errors next to `errors` (a go/parser or go/types result's
    `.errors`), row by row: each as `file:line:col: message`, and whether the two agree on the position. With
    `first=True` only the first error of each. A build that succeeds shows — for the compiler."""
    import gokit
    import pandas as pd

    from .errors import COMPILER_ERROR_RE, GoToolError

    try:
        gokit.build(source, toolchain=toolchain)
        found: list[tuple[int, int | None, str]] = []
    except GoToolError as e:
        found = [(int(m.group("line")), int(m.group("col")) if m.group("col") else None, m.group("msg"))
                 for m in COMPILER_ERROR_RE.finditer(e.stderr)]
    # the compiler prints its errors sorted by position; go/types reports them in the order it checks
    ours = sorted(errors, key=lambda e: (e.line, e.col))
    theirs = sorted(found, key=lambda f: (f[0], f[1] or 0))
    if first:
        ours, theirs = ours[:1], theirs[:1]
    rows = []
    for i in range(max(len(ours), len(theirs))):
        a = ours[i] if i < len(ours) else None
        b = theirs[i] if i < len(theirs) else None
        where_a = f"{a.line}:{a.col}" if a is not None else None
        where_b = (f"{b[0]}:{b[1]}" if b[1] is not None else f"{b[0]}") if b is not None else None
        rows.append({checker: f"{where_a}: {a.message}" if a is not None else NOT_MEASURED,
                     "go build": f"{where_b}: {b[2]}" if b is not None else NOT_MEASURED,
                     "same line:col": ("yes" if where_a == where_b else "no") if a and b else NOT_MEASURED})
    frame = pd.DataFrame(rows, columns=[checker, "go build", "same line:col"])
    compared = [r for r in rows if r["same line:col"] != NOT_MEASURED]
    same_pos = bool(rows) and len(compared) == len(rows) and all(r["same line:col"] == "yes" for r in compared)
    same_text = same_pos and all(r[checker] == r["go build"] for r in rows)
    return ErrorComparison(frame, same_pos, same_text)

__all__ += ["load_check", "Load", "op_changes", "OpChanges", "listing", "Listing", "ssa_pass_list", "ssa_states", "genssa_listing", "inlining_table", "ssa_names",
            "front_end_costs", "FrontEndCosts", "exact_value", "expr_table", "top_counts", "token_table", "line_ends", "node_table", "compiler_errors", "ErrorComparison", "ssa_fate", "Fate", "ssa_changes", "columns", "fit_conclusion", "fit_summary", "diagram", "Drawing", "gofmt", "brace_table", "BraceTable", "ssa_sizes"]
