"""The back-end lessons' helpers (gokit/_lesson_back.py for 04 and 05, gokit/_lesson_line.py for 08): what each
table and sentence says follows from the rows it is given, and the start-up timer keeps the runtime's init lines of
the very runs it timed."""
from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from gokit import lesson


def test_pct_keeps_the_digits_a_share_has() -> None:
    assert [lesson.pct(x) for x in (0.876, 0.07, 0.0024, 0.0, float("nan"))] == ["88%", "7%", "0.24%", "0%", "—"]


def test_share_interval_is_wilsons_and_stays_inside_0_1() -> None:
    lo, hi = lesson.share_interval(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-3) and hi == pytest.approx(0.7634, abs=1e-3)
    lo, hi = lesson.share_interval(30, 30)
    assert hi == pytest.approx(1.0) and 0.85 < lo < 0.9
    assert all(math.isnan(v) for v in lesson.share_interval(0, 0))  # no samples, no interval


def test_same_letter_reads_a_multiple_choice_answer_as_a_learner_writes_it() -> None:
    for guess in ("c", "C", "(c)", "c)", "c.", "(c) assembly", " 'c' "):
        assert lesson.same_letter(guess, "c"), guess
    assert not lesson.same_letter("d", "c") and not lesson.same_letter(3, "c")


def test_calls_in_names_each_called_function_once_wrappers_as_what_they_wrap() -> None:
    code = pd.DataFrame({"op": ["CALL", "CALL", "JMP", "CALL", "MOVQ", "CALL"],
                         "target": ["runtime.newm", "runtime.schedinit.abi0", "runtime.gogo", "runtime.newm", "", ""]})
    chain = SimpleNamespace(disassembly=lambda name: code)
    assert lesson.calls_in(chain, "runtime.main") == ["runtime.newm", "runtime.schedinit"]


def test_first_use_prints_the_instruction_and_its_source_line() -> None:
    code = pd.DataFrame({"op": ["CALL", "MOVQ", "MOVQ"], "args": ["runtime.nanotime1(SB)", "AX, runtime.x(SB)",
                                                                  "BX, runtime.x(SB)"],
                         "target": ["runtime.nanotime1", "runtime.x", "runtime.x"], "line": [196, 197, 230]})
    chain = SimpleNamespace(disassembly=lambda name: code, step=lambda name: SimpleNamespace(file="runtime/proc.go"),
                            source=lambda where: f"{where}  x = nanotime()")
    assert lesson.first_use(chain, "runtime.main", "runtime.x") == ("MOVQ AX, runtime.x(SB)\n"
                                                                    "runtime/proc.go:197  x = nanotime()")
    assert lesson.first_use(chain, "runtime.main", "runtime.y").startswith("This binary names no runtime.y")


def test_inittrace_table_keeps_the_runtimes_own_text() -> None:
    err = ("init internal/bytealg @0.004 ms, 0 ms clock, 0 bytes, 0 allocs\n"
           "hello\n"
           "init main @12 ms, 11 ms clock, 1048576 bytes, 3 allocs\n")
    t = lesson.inittrace_table(err)
    assert list(t["package"]) == ["internal/bytealg", "main"]
    trace = pd.DataFrame()
    trace.attrs["stderr"] = err   # as gokit.inittrace returns it
    assert lesson.inittrace_table(trace).equals(t)
    first = "init internal/bytealg @0.004 ms, 0 ms clock, 0 bytes, 0 allocs"
    assert lesson.inittrace_text(trace, lines=2) == first + "\nhello"
    assert list(t["@ start (ms)"]) == ["0.004", "12"] and list(t["bytes"]) == ["0", "1,048,576"]


# digitSum's -S rows on Go 1.27.3 (the loop of lesson 08), as gokit.follow gives them
DIGITSUM = pd.DataFrame({
    "pc": [8, 11, 13, 16, 24, 31, 32, 35, 37, 44, 49],
    "op": ["MOVQ", "CQO", "IDIVQ", "ADDQ", "MOVQ", "NOP", "TESTQ", "JNE", "JMP", "CALL", "XCHGL"],
    "args": ["DX, BX", "", "BX", "DX, CX", "main.base(SB), DX", "", "DX, DX", "8", "44", "runtime.panicdivide(SB)",
             "AX, AX"],
})


def test_listing_notes_say_only_what_the_rows_show() -> None:
    notes = lesson.listing_notes(DIGITSUM)
    assert len(notes) == 3
    assert "The NOP at 0x001f is padding" in notes[0] and "TESTQ starts at 0x0020" in notes[0]
    assert "JNE at 0x0023 jumps back up to 0x0008" in notes[1] and "main.base(SB), DX at 0x0018" in notes[1]
    assert notes[2].startswith("MOVQ DX, BX at 0x0008 moves the divisor out of DX")
    # no padding, no backward jump, no CQO: nothing to say
    assert lesson.listing_notes(DIGITSUM[DIGITSUM.op.isin(["ADDQ", "CALL"])]) == []


def test_divisor_check_says_which_instruction_tests_what_and_where_each_case_goes() -> None:
    said = lesson.divisor_check(DIGITSUM, "base")
    assert said.startswith("The divisor check is TESTQ DX, DX at 0x0020 and JNE 8 at 0x0023.")
    assert "MOVQ main.base(SB), DX at 0x0018" in said and "zero flag is set exactly when base is 0" in said
    assert "JNE jumps if the zero flag is clear, that is when base is not 0, to pc 8, that is 0x0008" in said
    assert "the MOVQ DX, BX that begins the division" in said
    assert "Only when base is 0 does the CPU go on to JMP 44 at 0x0025, which jumps to 0x002c, the CALL " \
           "runtime.panicdivide(SB)" in said and "XCHGL AX, AX at 0x0031" in said
    # the other layout: JEQ straight to the panic call, the division next in memory
    jeq = pd.DataFrame({"pc": [0, 3, 5, 7, 10, 15], "op": ["TESTQ", "JEQ", "CQO", "IDIVQ", "RET", "CALL"],
                        "args": ["CX, CX", "15", "", "CX", "", "runtime.panicdivide(SB)"]})
    said = lesson.divisor_check(jeq)
    assert "JEQ jumps if the zero flag is set, that is when the divisor is 0, to pc 15" in said
    assert "0x000f (-S writes a jump's target in decimal): the CALL runtime.panicdivide(SB). Otherwise the CPU " \
           "goes straight on" in said
    # no panicdivide, no check
    assert lesson.divisor_check(DIGITSUM[DIGITSUM.op != "CALL"]) == ""


def test_noise_words_say_in_plain_words_whether_two_medians_differ_by_more_than_the_noise() -> None:
    import os

    from gokit import bench

    fast = [0.0010, 0.0011, 0.0012, 0.0010, 0.0011, 0.0013, 0.0012, 0.0010, 0.0011, 0.0012]
    r = bench.BenchResult.from_samples({"a": fast, "b": [x * 20 for x in fast], "c": [x * 1.02 for x in fast],
                                        "d": [0.5]}, load=0.0)
    assert lesson.noise_words(r, "c", "a") == ("the two medians differ by less than the noise (their intervals "
                                               "overlap), so these runs cannot tell them apart")
    assert lesson.noise_words(r, "b", "a") == "a difference beyond the noise (their intervals do not overlap)"
    assert lesson.noise_words(r, "d", "a").startswith("with one run there is no interval")
    busy = bench.BenchResult.from_samples({"a": fast, "b": [x * 1.5 for x in fast]}, load=(os.cpu_count() or 1) + 2.0)
    assert lesson.noise_words(busy, "b", "a").endswith("a difference under 2× is not concluded")
    assert not any("told apart" in lesson.noise_words(x, "b", "a") for x in (r, busy))


def test_packages_compiled_reads_a_ci_simulations_warm_builds_by_package() -> None:
    from gokit.errors import UsageError

    t = pd.DataFrame({"edited": ["example.com/shop", "example.com/shop/text", "example.com/shop/store"],
                      "builds": [2, 2, 2], "packages compiled": ["1", "3", "2–3"], "median seconds": [0.3, 0.5, 0.4]})
    ci = SimpleNamespace(by_edit=lambda: t)
    assert lesson.packages_compiled(ci, "text") == 3 and lesson.packages_compiled(ci, "example.com/shop/text") == 3
    assert lesson.packages_compiled(ci, "store") == 2 and lesson.packages_compiled(ci, "shop") == 1
    with pytest.raises(UsageError):
        lesson.packages_compiled(ci, "money")


def test_machine_notes_tell_the_two_nopls_apart() -> None:
    m = pd.DataFrame({"address": [0x49a93b, 0x49a990], "bytes": ["0f1f440000", "90"], "op": ["NOPL", "NOPL"],
                      "args": ["0(AX)(AX*1)", ""]})
    notes = lesson.machine_notes(m)
    assert "0x49a93b (5 bytes) is the padding NOP" in notes[0] and "XCHGL AX, AX" in notes[1]
    assert lesson.machine_notes(m.iloc[:0]) == []


def test_division_samples_takes_the_three_instructions_around_the_idivq() -> None:
    ins = pd.DataFrame({"function": ["main.main"] * 5 + ["main.other"],
                        "pc": [88, 94, 96, 99, 102, 96], "op": ["MOVQ", "CQO", "IDIVQ", "ADDQ", "MOVQ", "IDIVQ"],
                        "args": ["CX, AX", "", "DI", "DX, BX", "CX, DX", "DI"],
                        "flat": [0.03, 0.05, 0.29, 0.0, 0.06, 0.5], "line": [16, 16, 16, 16, 28, 16]})
    prof = SimpleNamespace(instructions=ins, total=0.5)
    t = lesson.division_samples(prof, 16)
    assert list(t["op"]) == ["CQO", "IDIVQ", "ADDQ"] and list(t["samples"]) == [5, 29, 0]
    assert list(t["pc"]) == ["0x005e", "0x0060", "0x0063"] and list(t["share"]) == ["10%", "58%", "0%"]
    assert lesson.most_samples(t) == "IDIVQ" and lesson.most_samples(lesson.division_samples(prof, 28)) == "—"


@pytest.mark.go
def test_timed_starts_keep_the_init_lines_of_the_runs_they_timed(tc) -> None:
    import gokit

    b = gokit.build("package main\n\nvar x = len(make([]int, 1000))\n\nfunc main() { println(x) }\n", toolchain=tc)
    st = lesson.timed_starts({"hello": b}, runs=3, warmup=1)
    assert len(st.result.frame) == 3 and set(st.result.frame["label"]) == {"hello"}
    runtime = st.init_ms("hello", "runtime")
    assert len(runtime) == 3 and all(v >= 0 for v in runtime)
    walls = st.result.frame.sort_values("run")["wall"].tolist()
    assert st.without_init("hello", "runtime") == pytest.approx([w - r / 1000 for w, r in zip(walls, runtime)])


@pytest.mark.go
def test_one_packages_rows_of_a_listing_an_object_and_a_binary(tc) -> None:
    import gokit

    src = ('package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc add(a, b int) int { return a + b }\n\n'
           'func main() {\n\tfmt.Println(add(1, 2), os.Args[0])\n}\n')
    a = gokit.asm(src, toolchain=tc)
    funcs = lesson.package_functions(a, "main")
    assert set(funcs["name"]) >= {"main.main"} and funcs["name"].str.startswith("main.").all()
    assert list(funcs.columns) == ["name", "kind", "size", "flags", "args", "locals", "instructions",
                                   "relocations"]
    und = lesson.undefined_code(gokit.package_object(src, toolchain=tc))
    names = set(und["name"])   # a variable, and fmt's functions (Println is inlined into a call of Fprintln)
    assert "os.Args" in names and any(n.startswith("fmt.") and not n.endswith("inittask") for n in names)
    assert not und["name"].str.startswith(("type:", "go:")).any() and list(und.columns) == ["name", "package"]
    b = gokit.build(src, toolchain=tc)
    mine = lesson.package_symbols(gokit.symbols(b), "main")
    assert "main.main" in set(mine["name"]) and list(mine.columns) == ["size", "type", "name"]
    assert "fmt.Println" not in set(mine["name"])


def test_holes_checked_counts_only_the_symbols_nm_lists() -> None:
    filled = pd.DataFrame({"symbol": ["fmt.Println", "runtime.morestack_noctxt", "x"],
                           "target": ["0x4a0", "0x460", "0x500"], "address": ["0x4a0", "0x460", "—"]})
    h = lesson.holes_checked(filled)
    assert (h.calls, h.checked, h.agree) == (3, 2, 2)
    assert h.sentence == "3 calls; the target read from the filled hole equals nm's address for 2 of the 2 symbols nm lists."


@pytest.mark.go
def test_filled_holes_of_a_real_link_agree_with_nm(tc) -> None:
    import gokit

    src = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n'
    a = gokit.asm(src, toolchain=tc)
    h = lesson.holes_checked(lesson.filled_holes(gokit.link_by_hand(src, toolchain=tc), a, "main"))
    assert h.calls >= 1 and h.checked >= 1 and h.agree == h.checked


@pytest.mark.go
def test_init_of_picks_one_packages_line_of_a_real_init_trace(tc) -> None:
    import gokit

    b = gokit.build("package main\n\nvar xs = make([]int, 1<<16)\n\nfunc main() { println(len(xs)) }\n",
                    toolchain=tc)
    row = lesson.init_of(gokit.inittrace(b, toolchain=tc), "main")
    assert row["package"] == "main" and row["bytes"] >= 8 * (1 << 16) and row["allocs"] >= 1
    with pytest.raises(gokit.errors.UsageError, match="no line for package 'nosuch'"):
        lesson.init_of(gokit.inittrace(b, toolchain=tc), "nosuch")


@pytest.mark.go
def test_busiest_pass_of_a_followed_line(tc) -> None:
    import gokit

    src = ("package main\n\nvar base = 10\n\nfunc digitSum(n int) int {\n\tsum := 0\n\tfor n > 0 {\n"
           "\t\tsum, n = sum+n%base, n/base\n\t}\n\treturn sum\n}\n\nfunc main() { println(digitSum(12345)) }\n")
    line, _ = lesson.find_line(src, "sum, n =")
    act = gokit.follow(gokit.Source(src), line, toolchain=tc).pass_activity()
    most = lesson.busiest_pass(act, "main.digitSum")
    assert most.name in set(most.changes["pass"]) and list(most.changes.columns) == ["pass", "appeared",
                                                                                    "op changed"]
    score = most.changes["appeared"] + most.changes["op changed"]
    assert score.max() == score[most.changes["pass"] == most.name].iloc[0]
    assert not {"start", "before insert phis"} & set(most.changes["pass"])


@pytest.mark.go
def test_divisions_count_the_idivq_of_a_followed_function(tc) -> None:
    import gokit

    src = ("package main\n\nvar base = 10\n\nfunc digitSum(n int) int {\n\tsum := 0\n\tfor n > 0 {\n"
           "\t\tsum, n = sum+n%base, n/base\n\t}\n\treturn sum\n}\n\nfunc main() { println(digitSum(12345)) }\n")
    if tc.goarch != "amd64":
        pytest.skip("IDIVQ is amd64's divide")
    j = gokit.follow(gokit.Source(src), lesson.find_line(src, "sum, n =")[0], toolchain=tc)
    div = lesson.divisions(j, "main.digitSum")
    assert div.count >= 1 and list(div.table.columns) == ["pc", "op", "args"]
    assert set(div.table["op"]) <= {"CQO", "IDIVQ"} and (div.table["op"] == "IDIVQ").sum() == div.count
    assert len(div.instructions) > div.count and not div.instructions["pseudo"].any()


def test_busy_reads_the_load_the_results_recorded() -> None:
    import os

    from gokit import bench

    cpus = os.cpu_count() or 1
    quiet = bench.BenchResult.from_samples({"a": [0.001, 0.002]}, load=0.0)
    loud = bench.BenchResult.from_samples({"a": [0.001, 0.002]}, load=cpus + 3.0)
    assert lesson.busy(quiet, loud) and not lesson.busy(quiet)
    assert lesson.busy() == (os.getloadavg()[0] > cpus)
