"""gokit.lesson: predict-then-run exercises whose solutions never sit in a notebook cell, a checker that accepts
natural spellings, a second try before the answer, no traceback for an unquoted guess, benchmark tables."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest

import gokit
from gokit import bench, lesson
from gokit._lesson import EXERCISES_DIR, RECORD_ANSWERS_ENV
from gokit._lesson_answers import NO_GUESS
from gokit._lesson_hooks import prediction_advice
from gokit.faces.check import LESSON_GLOB
from gokit.errors import UsageError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob(LESSON_GLOB))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_no_visible_cell_shows_a_solution(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    exercises = json.loads((EXERCISES_DIR / f"{path.name[:2]}.json").read_text())
    assert exercises, f"{path.name} has no predict-then-run exercise"
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "code":
            assert not re.search(r"\bsolution\s*=", text), f"{path.name}: a code cell writes a solution"
        for key, e in exercises.items():
            assert e["solution"] not in text and e["solution"][:60] not in text, f"{path.name}: {key}'s solution"
    loaded = {m.group(1) for c in nb.cells for m in re.finditer(r'lesson\.exercise\("\d\d", "([\w-]+)"\)', c.source)}
    assert loaded == set(exercises), "every recorded exercise is used by its lesson, and no other"


def test_before_a_guess_neither_answer_nor_solution_is_shown() -> None:
    lesson.forget()
    ex = lesson.exercise("03", "prove")
    assert "prove" in ex.question and "solution" not in repr(ex)
    v = ex.check(NO_GUESS, False, evidence="EVIDENCE")
    h = v._repr_html_()
    assert v.correct is None and v.state == "ask"
    assert ex.solution not in h and "toolchain says" not in h and "EVIDENCE" not in h
    right = ex.check(False, False, evidence="EVIDENCE")
    h = right._repr_html_()
    assert right.correct and "<details>" in h and "✓ Right" in h and "EVIDENCE" in h
    assert ex.check([9, 1], [1, 9], compare=lambda a, b: sorted(a) == sorted(b)).correct


def test_a_wrong_guess_gets_the_hint_and_a_second_try_before_any_evidence() -> None:
    lesson.forget()
    ex = lesson.exercise("03", "bce")
    first = ex.check("yes", False, evidence="EVIDENCE")
    h = first._repr_html_()
    assert first.state == "retry" and first.correct is False
    assert html.escape(ex.hint) in h and "EVIDENCE" not in h and ex.solution not in h and "toolchain says" not in h
    assert ex.check(True, False, evidence="EVIDENCE").state == "retry", "the same guess again is no second try"
    second = ex.check("maybe", False, evidence="EVIDENCE")
    assert second.state == "wrong" and "EVIDENCE" in second._repr_html_() and "<details>" in second._repr_html_()
    assert ex.check("yes", False).state == "wrong", "once revealed, it stays revealed"
    lesson.forget("03/bce")
    assert ex.check("yes", False).state == "retry"


@pytest.mark.parametrize("spelling", ["?", "show", "give up", " Show ", "I don't know"])
def test_giving_up_shows_the_answer(spelling: str) -> None:
    lesson.forget()
    v = lesson.exercise("03", "escape").check(spelling, 2, evidence="EVIDENCE")
    assert v.state == "shown" and v.correct is None and "EVIDENCE" in v._repr_html_()
    assert "toolchain says" in v._repr_html_()


@pytest.mark.parametrize("guess, actual", [
    ("no", False), ("No", False), (False, False), ("False", False), ("false", False), (" no ", False), ("0", False),
    ("yes", True), ("Yes.", True), (True, True), ("True", True), ("true", True), ("1", True),
    ("0", 0), (0, 0), (0.0, 0), (" 0 ", 0), ("none", 0), ("zero", 0), ("2", 2), (2.0, 2), ("1,234", 1234),
    ("1_234", 1234), ("4.2e1", 42), ("12%", 12), (1234, "1234"),
    ("r_call", "R_CALL"), ("`R_CALL`", "R_CALL"), (" 'fmt' ", "fmt"), ("Untyped Int", "untyped int"),
    ([9, 1, 4], [1, 4, 9]), ({1, 4, 9}, [1, 4, 9]), ("1, 4, 9", [1, 4, 9]), ("[1,4,9]", [1, 4, 9]),
    ((4, 1, 9), {1, 4, 9}), (["b", "A"], ["a", "b"]),
])
def test_the_checker_accepts_natural_spellings(guess: object, actual: object) -> None:
    assert lesson.same(guess, actual)


@pytest.mark.parametrize("guess, actual", [
    ("maybe", False), ("yes", False), (2, True), ("1", 0), ("one", 2), ([1, 4], [1, 4, 9]), ([1, 4, 4], [1, 4, 9]),
    ("R_PCREL", "R_CALL"), (None, 0), ("", 0), (["a"], "a"), (object(), "x"), (True, 1), (False, "False"),
])
def test_the_checker_still_says_no(guess: object, actual: object) -> None:
    assert not lesson.same(guess, actual)


def test_case_order_and_tolerance_when_they_matter() -> None:
    assert not lesson.same("Main.main", "main.main", case=True) and lesson.same("main.main", "main.main", case=True)
    assert not lesson.same([2, 1], [1, 2], ordered=True) and lesson.same("1 2", [1, 2], ordered=True)
    assert lesson.same(101, 100, tolerance=0.02) and not lesson.same(103, 100, tolerance=0.02)
    import numpy as np

    assert lesson.same("3", np.int64(3)) and lesson.same("no", np.bool_(False))


def test_the_live_answer_goes_into_output_metadata_only_when_recording(monkeypatch: pytest.MonkeyPatch) -> None:
    lesson.forget()
    v = lesson.exercise("03", "escape").check(NO_GUESS, 2)
    data, meta = v._repr_mimebundle_()
    assert meta == {"gokit": {"exercise": "03/escape", "state": "ask"}}
    assert "2" not in data["text/plain"].split("?")[-1] and "text/html" in data
    monkeypatch.setenv(RECORD_ANSWERS_ENV, "1")
    assert v._repr_mimebundle_()[1]["gokit"]["answer"] == 2


def test_advice_for_a_guess_python_cannot_read() -> None:
    advice = prediction_advice("prediction = maybe   # your guess", NameError("name 'maybe' is not defined",
                                                                              name="maybe"))
    assert advice and 'prediction = "maybe"' in advice and "\n" not in advice
    assert 'prediction = "runtime.main"' in prediction_advice("prediction = runtime.main", NameError("x", name="runtime"))
    syntax = prediction_advice("prediction = 3 link steps", SyntaxError("invalid syntax"))
    assert syntax and 'prediction = "3 link steps"' in syntax
    assert prediction_advice("x = maybe", NameError("x", name="maybe")) is None


def test_an_unquoted_guess_ends_in_one_line_of_advice_in_a_real_kernel(tmp_path: Path) -> None:
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[
        new_code_cell("from gokit import lesson"),
        new_code_cell("prediction = maybe   # your guess\nprint('not reached')"),
        new_code_cell("prediction = 3 link steps"),
        new_code_cell("undefined_name + 1"),
        new_code_cell("prediction = ...\nlesson.exercise('03', 'escape').check(prediction, 2)"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    def texts(cell: object) -> list[str]:
        return [o.get("text", "") or json.dumps(o.get("data", {})) + "".join(o.get("traceback", []))
                for o in cell.outputs]  # type: ignore[attr-defined]

    for cell in nb.cells[1:3]:
        out = texts(cell)
        assert len(out) == 1 and all(o.get("output_type") == "stream" for o in cell.outputs), out
        assert out[0].count("\n") == 1 and "prediction = \"" in out[0] and "Traceback" not in out[0]
        assert "not reached" not in out[0]
    plain = [o for o in nb.cells[3].outputs if o.get("output_type") == "error"]
    assert plain and plain[0]["ename"] == "NameError", "other NameErrors keep their usual traceback"
    assert nb.cells[4].outputs[0]["metadata"]["gokit"]["exercise"] == "03/escape"


def test_bench_table_shows_a_few_columns_with_units_and_folds_the_rest() -> None:
    r = bench.BenchResult.from_samples({
        "exec": [0.00040, 0.00045, 0.00041, 0.00050, 0.00043, 0.00042],
        "go run": [0.046, 0.050, 0.047, 0.049, 0.048, 0.051],
        "cold": [6.1, 6.3]}, load=0.0)
    t = lesson.bench_table(r)
    assert list(t.frame.columns) == ["what", "median (ms)", "interval (ms, 96.88%)", "ratio", "runs"]
    assert list(t.frame["median (ms)"]) == ["0.425", "48.5", "6,200"]
    assert list(t.frame["interval (ms, 96.88%)"]) == ["0.4–0.5", "46–51", "6,100–6,300 *"], "coverage said once"
    assert "* cold: min–max of 2 runs, which holds the median with probability 50% only" in t.note
    assert list(t.frame["ratio"]) == ["1×", "110×", "15,000×"] and list(t.frame["runs"]) == [6, 6, 2]
    assert "interleaved" not in t.note and "Median: of the times measured; each row timed in a series" in t.note
    assert "independent and identically distributed" in t.note and "in s" not in t.note
    h = t._repr_html_()
    assert "<details>" in h and "MAD (ms)" in h and "distribution-free interval of the median" in h
    assert "<td style='padding:2px 10px;text-align:left'>exec</td>" in h, "labels to the left, numbers to the right"
    every = t.everything.set_index("what")
    assert every.loc["go run", "ratio interval"] == "92–130×" and every.loc["go run", "its coverage "] == "≥ 93.75%"
    assert every.loc["exec", "ratio interval"] == "—"
    assert t.conclusion.startswith("Longer than exec, beyond the spread of these runs: go run (110×), cold (15,000× *)")
    same_n = lesson.bench_table(bench.BenchResult.from_samples({"a": [412.0, 415.5, 409.1, 420.3, 411.0],
                                                                "b": [2051.0, 2040.2, 2077.9, 2049.9, 2063.3]},
                                                               unit="ns/op"), columns=["median", "interval", "MAD"])
    assert list(same_n.frame.columns) == ["what", "median (ns/op)", "interval (ns/op)", "MAD (ns/op)"]
    assert list(same_n.frame["interval (ns/op)"]) == ["409–420 *", "2,040–2,080 *"]
    with pytest.raises(UsageError, match="no column 'p99'"):
        lesson.bench_table(r, columns=["p99"])
    sizes = lesson.bench_table(bench.BenchResult.from_samples({"fmt": [2_351_073], "println": [1_520_112]},
                                                              unit="bytes"))
    assert list(sizes.frame["median (MB)"]) == ["2.35", "1.52"] and list(sizes.frame["interval (MB)"]) == ["—", "—"]
    assert "one run has no interval" in sizes.note and sizes.conclusion.startswith("One run each, so no interval: the ratio shown for println is one")
    assert "[" not in sizes.conclusion, "a single run is never printed as an interval [x–x]"


def test_bench_table_says_how_the_runs_were_ordered_and_mixes_no_coverages() -> None:
    fast = [0.0010, 0.0011, 0.0012, 0.0010, 0.0011, 0.0013, 0.0012, 0.0010, 0.0011, 0.0012]
    slow = [0.0100 + i * 1e-4 for i in range(10)]
    inter = bench.BenchResult.from_samples({"a": fast, "b": slow}, order="interleaved", load=0.0)
    t = lesson.bench_table(inter)
    assert "runs interleaved" in t.note and not t.warning
    alone = bench.BenchResult.from_samples({"b2b": fast * 5}, order="back to back", load=0.0)
    merged = bench.merge(alone, bench.BenchResult.from_samples({"between": slow}, load=0.0))
    m = lesson.bench_table(merged)
    assert merged.order == "" and "interleaved" not in m.note and "each row timed in a series of its own" in m.note
    assert "interval (ms, ≥ 95%)" in m.frame.columns and "(exact: 97.85% for 10 runs, 96.72% for 50 runs)" in m.note
    assert not any("(" in v for v in m.frame["interval (ms, ≥ 95%)"]), "no coverage inside a cell"
    near = bench.BenchResult.from_samples({"a": fast, "b": [x * 1.05 for x in fast]}, load=0.0)
    assert "Within the noise of a (their intervals overlap, so these runs cannot tell them apart): b." in lesson.bench_table(near).conclusion


def test_bench_table_holds_back_small_differences_on_a_busy_machine() -> None:
    import os

    fast = [0.0010, 0.0011, 0.0012, 0.0010, 0.0011, 0.0013, 0.0012, 0.0010, 0.0011, 0.0012]
    busy = (os.cpu_count() or 1) + 2.0
    r = bench.BenchResult.from_samples({"a": fast, "b": [x * 1.5 for x in fast], "c": [x * 10 for x in fast]},
                                       load=busy)
    t = lesson.bench_table(r)
    assert t.warning.startswith("This machine was busier than its CPUs") and f"load average {busy:.1f}" in t.warning
    assert "Longer than a, beyond the spread of these runs: c (10×)." in t.conclusion
    assert "Not concluded on this busy machine, where only a difference of at least 2× counts" in t.conclusion
    assert "b (1.5× by the medians, " in t.conclusion, "the held row says its median ratio, not 'less than 2×'"
    assert lesson.versus(r, "b", "a") == ("1.5× as long as a by the medians, but on this busy machine a difference "
                                          "that may be under 2× is not concluded")
    assert "⚠" in t._repr_html_()
    quiet = lesson.bench_table(bench.BenchResult.from_samples({"a": fast, "b": [x * 1.5 for x in fast]}, load=0.0))
    assert not quiet.warning and "b (1.5×)" in quiet.conclusion


def test_versus_and_ratio_say_it_with_the_digits_the_data_has() -> None:
    assert [lesson.ratio(x) for x in (18.23, 0.758, 166.4, 1.0)] == ["18×", "0.76×", "170×", "1×"]
    fast = [0.0010, 0.0011, 0.0012, 0.0010, 0.0011, 0.0013, 0.0012, 0.0010, 0.0011, 0.0012]
    r = bench.BenchResult.from_samples({"a": fast, "b": [x * 20 for x in fast], "c": [x * 1.02 for x in fast],
                                        "d": [0.5]})
    assert lesson.versus(r, "b", "a") == "20× as long as a" and lesson.versus(r, "a", "b") == "20× faster than b"
    assert lesson.versus(r, "c", "a") == "within the noise of a (their intervals overlap: these runs cannot tell them apart)"
    assert lesson.versus(r, "d", "a").startswith("not compared")


def test_lesson_helpers_live_in_their_namespace() -> None:
    for name in ("exercise", "table", "say", "fold", "show", "bench_table"):
        assert callable(getattr(lesson, name))
        assert name not in gokit.__all__, f"gokit.{name} moved to gokit.lesson.{name}"


def test_unknown_lesson_or_key_is_advice() -> None:
    with pytest.raises(UsageError, match="has no exercise 'nope'; it has: bce, escape, prove"):
        lesson.exercise("03", "nope")
    with pytest.raises(UsageError, match="no exercises for lesson '99'"):
        lesson.exercise("99", "x")


def test_say_is_prose_in_a_notebook_and_wrapped_text_elsewhere(capsys: "pytest.CaptureFixture[str]") -> None:
    from gokit._lesson_show import Said

    long = "The check `b == 0` was removed by the " + "prove pass " * 12 + "in the end."
    lesson.say(long)  # not in a kernel: printed, wrapped at spaces
    out = capsys.readouterr().out
    assert all(len(line) <= 100 for line in out.splitlines()) and len(out.splitlines()) > 1
    bundle = Said(long)._repr_mimebundle_()
    assert "<code>b == 0</code>" in bundle["text/html"] and "`" not in bundle["text/html"]
    assert bundle["text/plain"] == out.rstrip("\n")
    assert "&lt;" in Said("a < b")._repr_mimebundle_()["text/html"]
