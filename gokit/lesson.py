"""gokit.lesson: what the lessons use on screen — exercises, tables, folds, diagrams, sentences, benchmark tables.

    from gokit import lesson
    lesson.exercise("03", "prove").check(prediction, actual, evidence=table)   # predict, then run
    lesson.table(df)                         # a DataFrame as lessons show it ("—" for not measured)
    lesson.fold(everything, "all 53 rows")   # the rest, one click away
    lesson.show(graph)                       # a graphviz diagram as SVG
    lesson.say("a sentence computed from the numbers")
    lesson.bench_table(result)               # median, interval, ratio, runs; the rest folded

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
from .views.render import Diagram, show

__all__ = ["exercise", "Exercise", "Verdict", "same", "forget", "NO_GUESS", "GIVE_UP", "table", "Table", "fold",
           "Fold", "show", "Diagram", "say", "bench_table", "BenchTable", "BENCH_COLUMNS", "DEFAULT_BENCH_COLUMNS",
           "NOT_MEASURED"]

install_ipython_hooks()
