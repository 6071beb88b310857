"""The course around the lessons: the strip, times and prerequisites at the top of each lesson, glossary links that
resolve, claim numbers that agree everywhere, the closing page, and generated pages that are up to date."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from helpers import LESSONS, NOTEBOOKS

sys.path.insert(0, str(NOTEBOOKS / "_src"))
import _course  # noqa: E402
import make_course  # noqa: E402

GLOSSARY = (NOTEBOOKS / _course.GLOSSARY).read_text(encoding="utf-8")
ANCHORS = set(re.findall(r'<a id="([\w-]+)"></a>', GLOSSARY))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_a_lesson_opens_with_where_it_is_how_long_and_what_first(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    head = nb.cells[0]
    info = _course.LESSONS[path.name[:2]]
    assert head.cell_type == "markdown" and head.metadata.get("gokit", {}).get("frame") == "header"
    assert f"You are here: {info.number}" in head.source
    for stage in [s for s, _ in _course.STAGES] + [_course.FRAME[0]]:  # every stage and the go command's frame on
        assert (f"<b>▶ {stage}</b>" in head.source) == (stage in info.stages), stage  # the strip, its own marked
    assert re.search(r"\*\*Reading\*\* about \d+ min", head.source)
    assert re.search(r"\*\*runs in\*\* about \d+ s", head.source), "run time from docs/_src/lesson_times.json"
    for first in info.prerequisites:
        assert _course.LESSONS[first].file in head.source
    assert not re.search(r"font-size:\s*(?:[0-9]|10)px", head.source), "no text under 11 px"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_glossary_links_resolve_and_come_once_per_term(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "[[" not in text, "a [[term]] the generator did not resolve"
    links = re.findall(re.escape(_course.GLOSSARY) + r"#([\w-]+)\)", text)
    assert links, "a lesson links its terms to the glossary"
    assert set(links) <= ANCHORS, set(links) - ANCHORS
    assert len(links) == len(set(links)), "only the first use of a term is linked"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_claim_numbers_agree_with_the_course(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    number = path.name[:2]
    text = "\n".join(c.source for c in nb.cells)
    mentioned = {int(n) for n in re.findall(r"[Cc]laim \**(\d+)", text)}
    assert mentioned == set(_course.LESSONS[number].claims), "claims named in the lesson = the claims it checks"
    for n in mentioned:
        assert number in _course.CLAIMS[n].shown
    boxes = {int(n) for n in re.findall(r"Myth check, claim (\d+)", text)}
    assert boxes == mentioned, "one myth-check box per claim the lesson checks"
    assert _course.ARTICLE_URL in text, "the article is linked"


def test_the_strip_reads_in_the_course_order() -> None:
    numbers = [n for _, n in _course.STAGES]
    assert numbers == sorted(numbers), "a stage's lesson never comes before the stage to its left's"
    assert all(n in _course.LESSONS for n in _course.FRAME[1])
    known = {s for s, _ in _course.STAGES} | {_course.FRAME[0]}
    for info in _course.LESSONS.values():
        assert set(info.stages) <= known, (info.number, set(info.stages) - known)


def test_claims_are_numbered_in_the_order_the_course_meets_them() -> None:
    first_lesson = [min(c.shown) for c in sorted(_course.CLAIMS.values(), key=lambda c: c.number)]
    assert first_lesson == sorted(first_lesson)
    assert sorted(_course.CLAIMS) == list(range(1, 15))


def test_generated_pages_are_up_to_date() -> None:
    for name, text in (("README.md", make_course.readme()), (_course.GLOSSARY, make_course.glossary()),
                       (_course.CLOSING, make_course.closing())):
        on_disk = (NOTEBOOKS / name).read_text(encoding="utf-8")
        assert on_disk == text.rstrip() + "\n", f"notebooks/{name} is stale: python notebooks/_src/make_course.py"
    key = make_course.ANSWERS.read_text(encoding="utf-8")
    assert key == make_course.answers().rstrip() + "\n", "docs/answers.md is stale: python notebooks/_src/make_course.py"


def test_the_answer_key_holds_every_exercise() -> None:
    """docs/answers.md, the instructors' key, has each exercise's question and answer, and the course map links it."""
    import json

    key = make_course.answers()
    for path in sorted((NOTEBOOKS.parent / "gokit" / "_exercises").glob("[0-9][0-9].json")):
        for name, ex in json.loads(path.read_text(encoding="utf-8")).items():
            assert f"**`{name}`**: {ex['question']}" in key and ex["solution"] in key, (path.name, name)
    assert "../docs/answers.md" in make_course.readme() and "../docs/instructors.md" in make_course.readme()


def test_the_course_has_an_ending_and_a_map() -> None:
    last = nbformat.read(LESSONS[-1], as_version=4)
    assert _course.CLOSING in last.cells[-1].source, "the last lesson links to the closing page"
    readme = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
    assert _course.CLOSING in readme and _course.GLOSSARY in readme
    for info in _course.LESSONS.values():
        assert f"]({info.file})" in readme
    from gokit.faces.check import LESSON_GLOB

    assert not any(p.name in (_course.CLOSING, _course.GLOSSARY) for p in NOTEBOOKS.glob(LESSON_GLOB))


def test_glossary_terms_have_sources_that_exist_in_both_go_releases() -> None:
    for t in _course.GLOSSARY_TERMS:
        assert t.text and t.anchor in ANCHORS
        for _, url in t.sources:
            assert url.startswith(("https://", "../")), url


@pytest.mark.go
def test_glossary_source_paths_exist_in_go_1_27_and_1_22(tc122: object) -> None:
    import gokit

    roots = [gokit.toolchain().goroot, tc122.goroot]  # type: ignore[attr-defined]
    paths = {url[len(_course.GO_SRC):] for t in _course.GLOSSARY_TERMS for _, url in t.sources
             if url.startswith(_course.GO_SRC)}
    paths |= {url[len(_course.GO_SRC):] for _, url in _course.READING.values() if url.startswith(_course.GO_SRC)}
    missing = [f"{root}: {p}" for root in roots for p in sorted(paths) if not (root / "src" / p).exists()]
    assert not missing, missing
