"""gokit.lesson: what the lessons use on screen — exercises, tables, folds, diagrams, sentences, benchmark tables.

    from gokit import lesson
    lesson.exercise("03", "prove").check(prediction, actual, evidence=table)   # predict, then run
    lesson.table(df)                         # a DataFrame as lessons show it ("—" for not measured)
    lesson.fold(everything, "all 53 rows")   # the rest, one click away
    lesson.show(graph)                       # a graphviz diagram as SVG
    lesson.say("a sentence computed from the numbers")
    lesson.bench_table(result)               # median, interval, ratio, runs; the rest folded
    lesson.versus(result, "a", "b")          # "18× as long as b" or "within the noise of b ..."

The go command's lessons (00, 06, 07) also use: run_steps (a `go run -x` as a table), short_path, said (what a
command answered), build_progress and working (bars for work that takes seconds), cross_builds (targets side by
side), hash_inputs (a cache key's inputs), cache_entry (a build-cache entry, field by field),
main_action_ids (the main package's action ID from several directories and flags), package_dirs, importers and
deps_count (what a program's packages are), timer_check (gokit's timer beside hyperfine), add_runs (runs timed elsewhere), legible and timeline
(figures with no text under 11 px), written_since (what a lesson wrote into a GOCACHE), scratch (a folder
removed when the kernel exits), work_files and step_counts (a `go run -x -work` run's files and what it compiled
and linked), first_bytes and binfmt_formats (what the kernel looks at before it starts a file), dist_targets
and build_setting (what `go tool dist list` and `go version -m` answer), hottest_phase and top_function (a
profile's answer), phase_table (its samples by phase), files_by_target, sections_present, find_line and declared_in (a line of Go
source, the files that declare a name), startup_ratio (a command's start against a binary's); lesson 08:
busiest_pass and divisions.
Lessons 01-02 also: std_deps (`go list -deps`) and typecheck_scaling (go/types timed and fitted over them); 04-05:
package_functions, undefined_code, package_symbols (one package's rows), holes_checked, init_of (a trace's line).

Importing it in a notebook also turns a guess Python cannot read (`prediction = maybe`) into one line of advice
instead of a traceback.
"""
from __future__ import annotations

from ._display import NOT_MEASURED
from ._lesson import Exercise, exercise, forget, Verdict
from ._lesson_answers import GIVE_UP, NO_GUESS, same
from ._lesson_bench import BENCH_COLUMNS, bench_table, BenchTable, DEFAULT_BENCH_COLUMNS, ratio, versus
from ._lesson_hooks import install_ipython_hooks
from ._lesson_show import Fold, fold, say, Table, table
from ._lesson_go import (
    binfmt_formats,
    build_progress,
    cache_entry,
    deps_count,
    first_bytes,
    hash_inputs,
    importers,
    legible,
    main_action_ids,
    package_dirs,
    run_steps,
    said,
    scratch,
    short_path,
    startup_ratio,
    StartupRatio,
    step_counts,
    timeline,
    work_files,
    working,
    written_since,
)
from ._lesson_runs import (add_runs, build_setting, cross_builds, declared_in, dist_targets, files_by_target,
                           find_line, hottest_phase, phase_table, sections_present, Targets, timer_check,
                           top_function)
from .views.ast import MONO as _MONO  # a monospaced font for Go source in a card or column
from .views.render import Diagram, show

__all__ = ["exercise", "Exercise", "Verdict", "same", "forget", "NO_GUESS", "GIVE_UP", "table", "Table", "fold",
           "Fold", "show", "Diagram", "say", "bench_table", "BenchTable", "BENCH_COLUMNS", "DEFAULT_BENCH_COLUMNS",
           "NOT_MEASURED", "ratio", "versus",
           # the go command's lessons (00, 06, 07): gokit/_lesson_go.py
           "run_steps", "short_path", "said", "build_progress", "working", "cross_builds", "hash_inputs",
           "package_dirs", "importers", "deps_count", "timer_check", "add_runs", "legible", "timeline",
           "written_since", "scratch", "cache_entry", "main_action_ids", "first_bytes", "binfmt_formats",
           "work_files", "step_counts", "dist_targets", "Targets", "build_setting", "hottest_phase",
           "find_line", "declared_in", "top_function", "files_by_target", "phase_table",
           "startup_ratio", "StartupRatio", "sections_present"]

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
    from . import _tmp
    from .source.toolchain import toolchain as default_toolchain

    tc = toolchain or default_toolchain()
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
                f"<pre style='font-family:{_MONO};font-size:12px;line-height:1.35;margin:0 0 4px 0;overflow-x:auto'>"
                f"{code}</pre>"
                f"<div style='font-size:12px;line-height:1.4'>{'<br>'.join(said)}</div></div>")
        return f"<div style='display:flex;flex-wrap:wrap;gap:8px'>{''.join(cards)}</div>"

    def __repr__(self) -> str:
        return f"(what go/parser made of {len(self.frame)} programs)"


def brace_table(programs: _Mapping[str, str], *, toolchain: _Any = None) -> BraceTable:
    """For each program (a Go file's text after `package main`, with a `{` at the start of some line): the
    token that ends the line before that brace, whether go/scanner inserted a semicolon there, what go/parser
    says (gofmt reads files with go/parser) and, when it parses, what go/types says. One card per program."""
    import pandas as pd

    from .errors import UsageError
    from .stages.frontend import parse, tokens, typecheck

    if not isinstance(programs, _Mapping) or not programs:
        raise UsageError("brace_table wants a dict: a name for each program -> its Go text (after package main)")
    rows, sources = [], {}
    for name, body in programs.items():
        text = BRACE_PROLOGUE + body.strip("\n") + "\n"
        sources[name] = text
        toks = tokens(text, toolchain=toolchain)
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
        errors = parse(text, toolchain=toolchain).errors
        parser = f"{errors[0].line}:{errors[0].col}: {errors[0].message}" if errors else "parses"
        types = NOT_MEASURED
        if not errors:
            terrs = typecheck(text, toolchain=toolchain).errors
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



def ssa_changes(fn: _Any, *, every: bool = False) -> _Any:
    """One row per state of an SSA function that differs from the one before, and the two snapshots #0 and #1
    always (every row with `every=True`): the pass's number (its place in ssa.html and the explorer: #0 and #1
    are snapshots, then the compiler's passes in order), name, blocks, values, live values, and what changed, in words. Besides what `fn.diff` lists (values
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




# gokit/_lesson_front.py: lessons 01-03's tables of tokens, nodes, constants and errors, the scaling fit's reading,
# the load beside a benchmark (tests/test_lesson_front.py); gokit/_lesson_ssa.py: lesson 03's SSA states and passes,
# inlining decisions.
from ._lesson_front import (  # noqa: E402
    captures,
    columns,
    comment_groups,
    delimiters_kept,
    Kept,
    compiler_errors,
    ErrorComparison,
    exact_value,
    expr_table,
    files_marked,
    fit_conclusion,
    figures,
    fit_summary,
    front_end_costs,
    FrontEndCosts,
    instances,
    ir_beside_ast,
    line_ends,
    Load,
    load_check,
    node_table,
    passes_compared,
    placeholders,
    token_table,
    top_counts,
)
from ._lesson_ssa import (  # noqa: E402  (lesson 03)
    genssa_listing,
    inlining_table,
    Listing,
    listing,
    op_changes,
    OpChanges,
    ssa_names,
    ssa_pass_list,
    ssa_states,
)

__all__ += ["ssa_fate", "Fate", "ssa_changes", "columns", "diagram", "Drawing", "gofmt", "brace_table", "BraceTable",
            "ssa_sizes"]
# lessons 01-03 (gokit/_lesson_front.py, gokit/_lesson_ssa.py)
__all__ += ["figures", "load_check", "Load", "op_changes", "OpChanges", "listing", "Listing", "ssa_pass_list",
            "ssa_states", "genssa_listing", "inlining_table", "ssa_names", "front_end_costs", "FrontEndCosts",
            "exact_value", "expr_table", "top_counts", "token_table", "line_ends", "node_table", "compiler_errors",
            "ErrorComparison", "fit_conclusion", "fit_summary", "placeholders", "comment_groups", "delimiters_kept",
            "passes_compared", "Kept", "ir_beside_ast", "instances", "captures", "files_marked"]



# ---------------------------------------------------------------- the back end, linker and runtime lessons (04, 05, 08)
# gokit/_lesson_back.py: relocation and section tables, the cgo build that keeps its go.o, start-ups timed in the same
# runs as the runtime's init trace (tests/test_lesson_back.py); gokit/_lesson_line.py: lesson 08's journey counts,
# listing notes, profile shares with intervals, stage costs by unit; and lesson 07's noise_words (two medians
# compared in plain words) and packages_compiled (what a CI edit compiled).

from ._lesson_back import (  # noqa: E402
    CgoBuild,
    SizeGap,
    StartTimes,
    address_targets,
    busy,
    busy_note,
    calls_in,
    cgo_build,
    code_relocations,
    entry_kind,
    filled_holes,
    generic_methods_note,
    hx,
    first_use,
    inittrace_table,
    inittrace_text,
    machine_load,
    object_relocation_summary,
    object_relocations,
    package_label,
    package_size_diff,
    package_sizes,
    relocation_counts,
    same_letter,
    section_table,
    size_gap,
    timed_starts,
)
from ._lesson_line import (  # noqa: E402
    division_samples, divisor_check, journey_counts, listing_notes, machine_notes, most_samples, noise_words,
    packages_compiled, pct, share_interval, stage_tables, package_functions, undefined_code, package_symbols,
    HoleCheck, holes_checked, init_of, BusiestPass, busiest_pass, Divisions, divisions,
)
from ._lesson_std import std_deps, typecheck_scaling, TypecheckScaling  # noqa: E402  (lessons 01, 02)

__all__ += ["CgoBuild", "SizeGap", "StartTimes", "address_targets", "busy", "busy_note", "calls_in", "cgo_build",
            "code_relocations", "division_samples", "divisor_check", "entry_kind", "filled_holes", "generic_methods_note", "hx", "first_use", "inittrace_table", "inittrace_text", "journey_counts", "listing_notes", "machine_load", "machine_notes", "most_samples", "noise_words", "packages_compiled",
            "object_relocation_summary", "object_relocations", "package_label", "package_size_diff", "package_sizes", "pct", "relocation_counts", "same_letter", "section_table", "share_interval",
            "size_gap", "stage_tables", "timed_starts", "package_functions", "undefined_code", "package_symbols",
            "HoleCheck", "holes_checked", "init_of", "BusiestPass", "busiest_pass", "Divisions", "divisions",
            "std_deps", "typecheck_scaling", "TypecheckScaling"]
