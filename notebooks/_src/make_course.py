"""Generate the course's pages around the lessons: notebooks/README.md (the course map), notebooks/glossary.md and
notebooks/the-whole-pipeline.md (the closing page after 08). Run: python notebooks/_src/make_course.py

Everything comes from _course.py (lessons, stages, claims, glossary, reading), the same data the lesson
generators use, so numbers and names agree everywhere. Markdown pages, not notebooks: `gokit check` runs only
NN-*.ipynb, and these pages have no code to run.
"""
from __future__ import annotations

from _course import (ARTICLE_TITLE_EN, ARTICLE_TITLE_ZH, ARTICLE_URL, CLAIMS, CLOSING, FRAME, GLOSSARY,
                     GLOSSARY_TERMS, LESSONS, NOTEBOOKS, READING, STAGES, run_seconds)
from _nb import strip_html

ARTICLE = f"[{ARTICLE_TITLE_ZH}]({ARTICLE_URL}) (“{ARTICLE_TITLE_EN}”, unsigned, on datasea.cn)"


def reading_minutes(number: str) -> int:
    """The reading-time estimate the lesson's own header shows (regenerate the lesson to refresh it)."""
    import re

    import nbformat

    nb = nbformat.read(NOTEBOOKS / LESSONS[number].file, as_version=4)
    m = re.search(r"\*\*Reading\*\* about (\d+) min", nb.cells[0].source)
    return int(m.group(1)) if m else 0


def readme() -> str:
    rows = []
    for n, info in LESSONS.items():
        secs, _ = run_seconds(n)
        ran = f"{secs:.0f} s" if secs is not None else "—"
        first = ", ".join(info.prerequisites) or "—"
        claims = ", ".join(str(c) for c in info.claims) or "—"
        rows.append(f"| {n} | [{info.title}]({info.file}) | {info.question} | {', '.join(info.stages)} | "
                    f"{reading_minutes(n)} min | {ran} | {first} | {claims} |")
    _, where = run_seconds("00")
    claims = "\n".join(f"| {c.number} | {c.en} | {', '.join(c.shown)} |" for c in CLAIMS.values())
    return f"""# The course: from `go run` to a running process

{strip_html(None)}

Nine lessons follow one program from source to running process; each stage above links to the lesson that shows
it. Every table, diagram and number comes from a cell that runs your Go toolchain, so your figures will differ
from anyone else's, and that is the point. Read them in order (each links to the next); the last one links to
[the whole pipeline]({CLOSING}), the closing page. Words in the lessons link to the [glossary]({GLOSSARY}) at their
first use.

| # | lesson | the question it answers | stages | reading | run time | read first | claims |
|---|--------|-------------------------|--------|--------:|---------:|------------|--------|
{chr(10).join(rows)}

*Reading*: an estimate for a learner who reads the prose, runs each cell and tries the exercises (from the
lesson's words, cells and exercises). *Run time*: the whole lesson top to bottom with `gokit check` ({where}; a
first run takes longer: Go builds its tools and caches). *Read first*: the lessons it builds on; lesson 00 needs
only basic Go and a shell.

Lesson 06's cross-compilation matrix and cold builds use private build caches that it removes at the end (it
prints how much they held: over 100 MB on Go 1.27) and how much your own `GOCACHE` grew while it ran.

## How a lesson works

Each lesson opens with where it sits on the pipeline, how long it takes and what you need first. Its "predict,
then run" exercises ask before they show: write your guess in `prediction = ...` (a number, `True`/`False`,
`"yes"`/`"no"` or text in quotes) and run the cell. A wrong guess gets a hint and a second try; the evidence and
the folded solution appear when you are right, after a second wrong guess, or when you write
`prediction = "?"`. Each lesson ends with a live benchmark: medians with the interval of each median (its exact
coverage stated: 93.75% for min–max of 5 runs, at least 95% from 6 runs on) and a plot; a build that takes many
seconds is sometimes timed once, and its row says "one run" and is not compared. Then the article's claims it
checked, and further reading.

Teaching the course: [the instructors' guide](../docs/instructors.md) (preparing machines, timing a session) and
[the answer key](../docs/answers.md) (every exercise's question, hint and answer).

## The article these lessons answer

The lessons answer {ARTICLE}. Its outline is our outline; many of its details are wrong. Its claims are
numbered in the order the course meets them, the same numbers in every lesson and on the closing page:

| claim | the article says (our translation) | checked in |
|------:|------------------------------------|------------|
{claims}

## For authors

`images/` holds pictures for the repository README. `_src/` holds the scripts that generate the lesson
notebooks (`python notebooks/_src/make_00.py` rewrites `00-*.ipynb` with outputs cleared) and these pages
(`python notebooks/_src/make_course.py`, from `_src/_course.py`); edit those, not the generated files.
"""


def glossary() -> str:
    entries = []
    for t in sorted(GLOSSARY_TERMS, key=lambda t: t.name.casefold()):
        src = "; ".join(f"[{label}]({url})" for label, url in t.sources)
        used = [n for n in LESSONS if t.anchor in _linked(n)]
        where = f" First used in lesson{'s' if len(used) > 1 else ''} {', '.join(used)}." if used else ""
        entries.append(f'<a id="{t.anchor}"></a>\n### {t.name}\n\n{t.text}{where}' + (f"\n\nSource: {src}" if src
                                                                                    else ""))
    index = " · ".join(f"[{t.name.split(' (')[0]}](#{t.anchor})" for t in sorted(GLOSSARY_TERMS,
                                                                                   key=lambda t: t.name.casefold()))
    return f"""# Glossary

The words the lessons use, each short and exact, with the Go source or document it comes from (checked against
Go 1.27.3 and Go 1.22.10; source links point at the Go repository's current tree). A lesson links a term here at
its first use. Back to the [course map](README.md).

{index}

{chr(10).join(chr(10) + e + chr(10) for e in entries)}"""


_LINKED: dict[str, set[str]] = {}


def _linked(number: str) -> set[str]:
    """The glossary anchors lesson `number` links to (read from the generated notebook)."""
    import re

    import nbformat

    if number not in _LINKED:
        nb = nbformat.read(NOTEBOOKS / LESSONS[number].file, as_version=4)
        _LINKED[number] = {m.group(1) for c in nb.cells if c.cell_type == "markdown"
                           for m in re.finditer(re.escape(GLOSSARY) + r"#([\w-]+)\)", c.source)}
    return _LINKED[number]


def closing() -> str:
    stages = {
        "source": ("00", "your program: `go run main.go` hands it to the go command, which runs every stage below."),
        "tokens": ("01", "`go/scanner` cuts the bytes into tokens and inserts the semicolons nobody typed."),
        "AST": ("01", "`go/parser` builds the syntax tree; the compiler has its own parser for the same grammar."),
        "types": ("02", "the type checker gives every expression a type, a mode and, for constants, an exact value."),
        "SSA": ("03", "the compiler rewrites each function through more than fifty SSA passes (59 listed in Go "
                      "1.27's `ssa/compile.go`, 53 in Go 1.22's): `prove` removes bounds checks, `lower` picks "
                      "machine operations, `regalloc` assigns registers."),
        "assembly": ("04", "each function becomes machine instructions with holes (relocations) for addresses only "
                           "the linker knows."),
        "object/link": ("04", "the linker reads the package objects through an import config, keeps what is "
                              "reachable from the entry point and fills every hole."),
        "binary": ("04", "one executable file: code, data, symbols, DWARF and `.gopclntab`; `-s -w` drop the "
                         "symbol table and DWARF but keep `.gopclntab` (06); GOOS and GOARCH make it ELF, Mach-O, PE "
                         "or wasm (06)."),
        "process": ("05", "the kernel jumps to `_rt0_<arch>_<os>`; `rt0_go` runs `schedinit` on m0, starts the "
                          "main goroutine, and `runtime.main` runs the inits, then `main.main`."),
    }
    frame, frame_lessons = FRAME
    go_command = ("`go run` is `go build` plus a child process: compile, link into a temporary directory (or, since "
                  "Go 1.24, the build cache), start, wait; `go build` decides from action IDs what it can take from "
                  "the build cache, and GOOS and GOARCH choose the files it compiles.")
    rows = "\n".join([f"| {frame} | " + ", ".join(f"[{n} · {LESSONS[n].title}]({LESSONS[n].file})"
                                                 for n in frame_lessons) + f" | {go_command} |"]
                     + [f"| {s} | [{n} · {LESSONS[n].title}]({LESSONS[n].file}) | {stages[s][1]} |"
                        for s, n in STAGES])
    can = """* read `go run -x -work` and `go build -x` output line by line, and tell which steps start a process;
* predict where the scanner inserts a semicolon, and read a `go/ast` tree and a `go/types` record;
* follow one function through its SSA passes (`GOSSAFUNC`), and read `-gcflags=-m` (inlining, escapes) and
  `-d=ssa/check_bce` reports;
* read an assembly listing (`-gcflags=-S`) with its relocations, the symbols of an object (`go tool nm`) and of a
  binary, and link a program by hand with `go tool compile` and `go tool link`;
* find a binary's entry point and boot chain (`go tool objdump`), and time every package init
  (`GODEBUG=inittrace=1`);
* explain why `go build` compiles a package again, or not (`GODEBUG=gocachehash=1`), and what `-ldflags` change;
* measure a start-up or a build honestly: interleaved runs, medians with the interval of the median, ratios, an
  independent timer, and a CPU or heap profile with `go tool pprof`."""
    reading = "\n".join(f"* [{READING[k][0]}]({READING[k][1]})" for k in
                        ("compile-readme", "ssa-readme", "abi-internal", "runtime-hacking", "go-build", "go-cache",
                         "link-doc", "go-asm", "diagnostics"))
    verdicts = "\n".join(f"{c.number}. **{c.en}** {c.verdict} ({', '.join('lesson ' + n for n in c.shown)})"
                         for c in CLAIMS.values())
    return f"""# The whole pipeline

{strip_html(None)}

You followed one program from `go run main.go` to a running process. Each stage, where you saw it, and what
happens there:

| stage | lesson | what happens |
|-------|--------|--------------|
{rows}

Lesson [07 · benchmarks lab]({LESSONS["07"].file}) measured the whole path (start-up, a heap profile, a CPU
profile of the compiler, a simulation of CI builds), and [08 · one line, every stage]({LESSONS["08"].file}) followed one
source line through every row of this table.

## What you can do now

{can}

## The article's claims, all fourteen

The lessons answered {ARTICLE}, claim by claim:

{verdicts}

## Where to go next

{reading}
* The [glossary]({GLOSSARY}) and the [course map](README.md); rerun any lesson on another Go release (set
  `GOKIT_GO` to its `go` binary or its GOROOT before starting Jupyter) and compare.
"""


#: The answer key, for instructors: docs/answers.md beside the instructors' guide.
ANSWERS = NOTEBOOKS.parent / "docs" / "answers.md"


def answers() -> str:
    """Every exercise of every lesson, in course order: its question, its hint and its answer (from the exercise
    files the lesson generators write, gokit/_exercises/NN.json)."""
    import json

    parts = []
    for n, info in LESSONS.items():
        path = NOTEBOOKS.parent / "gokit" / "_exercises" / f"{n}.json"
        exercises = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not exercises:
            continue
        parts.append(f"## {n} · [{info.title}](../notebooks/{info.file})\n")
        for key, ex in exercises.items():
            parts.append(f"**`{key}`**: {ex['question']}\n\n* *Hint* (after a first wrong guess): {ex['hint']}\n"
                         f"* *Answer*: {ex['solution']}\n")
    return ("""# Answer key

For instructors: every "predict, then run" exercise of the course, with the hint a learner gets after a first
wrong guess and the answer the lesson shows after the check. Where the answer is a measurement (a ratio, a
share), the lesson computes it on the learner's machine and the answer here says what to expect and why. Generated
from the lessons' exercise files by `python notebooks/_src/make_course.py`; do not edit by hand.

""" + "\n".join(parts))


def main() -> None:
    for path, text in ((NOTEBOOKS / "README.md", readme()), (NOTEBOOKS / GLOSSARY, glossary()),
                       (NOTEBOOKS / CLOSING, closing()), (ANSWERS, answers())):
        path.write_text(text.rstrip() + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
