"""gokit.lesson: what the lessons use on screen — exercises, tables, folds, diagrams, sentences, benchmark tables.

    from gokit import lesson
    lesson.exercise("03", "prove").check(prediction, actual, evidence=table)   # predict, then run
    lesson.table(df)                         # a DataFrame as lessons show it ("—" for not measured)
    lesson.fold(everything, "all 53 rows")   # the rest, one click away
    lesson.show(graph)                       # a graphviz diagram as SVG
    lesson.say("a sentence computed from the numbers")
    lesson.bench_table(result)               # median, interval, ratio, runs; the rest folded

The go command's lessons (00, 06, 07) also use: run_steps (a `go run -x` as a table), short_path, said (what a
command answered), build_progress (a bar for builds that take seconds), cross_builds (targets side by side),
hash_inputs (a cache key's inputs), package_dirs, importers and deps_count (what a program's packages are),
timer_check (gokit's timer beside hyperfine), legible (a figure with no text under 11 px).

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
           "NOT_MEASURED", "run_steps", "short_path", "said", "build_progress", "cross_builds", "hash_inputs",
           "package_dirs", "importers", "deps_count", "timer_check", "legible", "written_since", "timeline", "add_runs", "working"]

install_ipython_hooks()
