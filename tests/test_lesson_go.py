"""gokit._lesson_go: the go command's lessons' helpers (step tables, short paths, what a command said, build
progress, builds side by side, cache-key inputs, how packages stand to runtime, two timers) and the CI simulation."""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import x_steps_golden

import gokit
from gokit import lesson
from gokit._lesson_go import build_progress
from gokit.errors import UsageError

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'


def fake_tc(tmp_path: Path) -> SimpleNamespace:
    return SimpleNamespace(gocache=tmp_path / "cache", goroot=tmp_path / "goroot")


def test_short_path_names_long_prefixes_and_cuts_keys(tmp_path: Path) -> None:
    t = fake_tc(tmp_path)
    key = "ab" * 32
    text = f"cp {tmp_path}/work/b001/exe/play {t.gocache}/ab/{key}-d/play && {t.goroot}/pkg/tool/compile"
    out = lesson.short_path(text, workdir=tmp_path / "work", toolchains=[t], width=None)
    assert out == f"cp $WORK/b001/exe/play $GOCACHE/ab/{key[:10]}…-d/play && $GOROOT/pkg/tool/compile"
    assert len(lesson.short_path(text, workdir=tmp_path / "work", toolchains=[t], width=20)) == 20


@pytest.mark.parametrize("version", ["1.27", "1.22"])
def test_run_steps_says_who_did_each_step(version: str) -> None:
    steps = x_steps_golden(version, "run_x_first")
    run = SimpleNamespace(steps=steps, workdir=None)
    t = lesson.run_steps(run, toolchains=[SimpleNamespace(gocache="/nowhere", goroot="/nowhere")])
    assert list(t.columns) == ["step", "file", "done by"]
    by_step = dict(zip(t["step"], t["done by"]))
    assert by_step["compile main"] == "new process: compile" and by_step["link"] == "new process: link"
    assert by_step["make $WORK"] == "go command", "the WORK= line is never marked # internal"
    assert by_step["buildid"] == "go command (-x: # internal)"
    assert t["step"].iloc[-1] == "run the program" and t["done by"].iloc[-1].startswith("new process")
    left = lesson.run_steps(run, leave_out=["cache-copy"],
                            toolchains=[SimpleNamespace(gocache="/nowhere", goroot="/nowhere")])
    assert "cache-copy" not in set(left["step"]) and len(left) == len(t) - (steps.action == "cache-copy").sum()


def test_said_is_one_line_with_paths_named(tmp_path: Path) -> None:
    attempt = SimpleNamespace(stderr=f"line one\n{tmp_path}/x: no such file\nlast line\n", stdout="", exit_code=2)
    out = lesson.said(attempt, replace={tmp_path: "$WORK"}, toolchains=[fake_tc(tmp_path)])
    assert out == "exit code 2: $WORK/x: no such file / last line"
    refused = SimpleNamespace(stderr="", stdout="", error="EACCES: Permission denied", exit_code=None)
    assert lesson.said(refused, toolchains=[fake_tc(tmp_path)]) == "not started: EACCES: Permission denied"


def test_hash_inputs_reads_modinfo_as_lines_and_names_each_input() -> None:
    inputs = ["go1.27.3\n", "compile\n", "dir /home/me/prog\n", "goos linux goarch amd64\n", 'import "play"\n',
              'modinfo "path\\tplay\\nmod\\tplay\\t(devel)\\t\\nbuild\\t-compiler=gc\\n"\n',
              "compile compile version go1.27.3 [] []\n", "file main.go WGsxmur5mpsOZ4F5Hb28\n",
              "import fmt tlINFtZ4xP8L8iEZbR7i\n"]
    t = lesson.hash_inputs(inputs, replace={"/home/me/prog": "(the directory)"})
    assert list(t.columns) == ["input, in the order hashed", "what it is"]
    text = dict(zip(t.iloc[:, 0], t.iloc[:, 1]))
    assert text["dir (the directory)"] == "the package's directory"
    modinfo = next(k for k in text if k.startswith("modinfo"))
    assert "\\t" not in modinfo and "\\n" not in modinfo and "\t" not in modinfo and "mod play (devel)" in modinfo
    assert text["import fmt tlINFtZ4xP8L8iEZbR7i"].startswith("an import") and text['import "play"'].endswith("path")
    assert text["go1.27.3"] == "the go command's version"


def _entry(root: Path, name: str, archive: bool) -> None:
    out = ("f" if archive else "e") + name[1:]
    (root / name[:2]).mkdir(parents=True, exist_ok=True)
    (root / out[:2]).mkdir(parents=True, exist_ok=True)
    (root / out[:2] / f"{out}-d").write_bytes(b"!<arch>\n..." if archive else b"")
    (root / name[:2] / f"{name}-a").write_text(f"v1 {name} {out} 10 0\n")


def test_build_progress_counts_compiled_packages_only(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.mkdir()
    _entry(root, "a" * 64, True)  # written before the bar started: not counted
    time.sleep(0.01)
    with build_progress(root, 3, "test") as bar:
        time.sleep(0.01)
        _entry(root, "b" * 64, True)
        _entry(root, "c" * 64, False)  # a compile's empty stdout, not a package
        _entry(root, "d" * 64, True)
    assert bar.compiled == 2
    with pytest.raises(UsageError, match="total"):
        build_progress(root, 0, "nothing")


@pytest.mark.go
def test_build_progress_follows_a_real_cold_build(tc) -> None:
    src = 'package main\n\nfunc main() { println("hi") }\n'
    with gokit.scratch_gocache() as cache:
        n = lesson.deps_count(gokit.package(src, toolchain=tc).moddir)
        with build_progress(cache, n, "cold") as bar:
            g = gokit.build_graph(src, gocache=cache)
        assert bar.compiled == g.cache_misses == n


@pytest.mark.go
def test_how_the_packages_of_hello_stand_to_runtime(tc) -> None:
    d = gokit.package(HELLO, toolchain=tc).moddir
    rel = lesson.importers(d)
    assert rel["packages"] > rel["depend"] > rel["direct"] > 0 and rel["below"] > 5
    assert lesson.deps_count(d) == rel["packages"] - 1 == rel["compiled"]  # unsafe is never compiled
    assert rel["below_compiled"] == rel["below"] - 1, "runtime depends on unsafe, which is never compiled"
    with pytest.raises(UsageError):
        lesson.importers(d, "net/http")


@pytest.mark.go
def test_cache_entry_reads_an_action_and_its_output(tc) -> None:
    with gokit.scratch_gocache() as cache:
        g = gokit.build_graph(HELLO, gocache=cache, hashes=True)
        key = g.hash_of("build play").sum
        t = lesson.cache_entry(cache, key).set_index("what")
        assert t.loc["its 1st field", "value"] == "v1" and t.loc["its 2nd field", "value"] == key[:12] + "…"
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", t.loc["its 5th field", "meaning"]), "a date"
        assert t.loc["the output", "meaning"].endswith("starting with !<arch>")
        with pytest.raises(UsageError, match="64 hex digits"):
            lesson.cache_entry(cache, "nope")


@pytest.mark.go
def test_main_action_ids_change_with_the_directory_unless_trimpath(tc, tmp_path: Path) -> None:
    dirs = []
    for name in ("one", "two"):
        d = tmp_path / name
        d.mkdir()
        (d / "main.go").write_text(HELLO)
        (d / "go.mod").write_bytes(gokit.package(HELLO, toolchain=tc).gomod)
        dirs.append(d)
    t = lesson.main_action_ids(dirs, [(), ("-trimpath",)])
    plain, trimmed = t[t["flags"] == "(none)"], t[t["flags"] == "-trimpath"]
    assert list(plain["directory hashed"]) == ["yes", "yes"] and list(trimmed["directory hashed"]) == ["no", "no"]
    assert plain["main package's action ID"].nunique() == 2 and trimmed["main package's action ID"].nunique() == 1
    assert all(len(a) == 20 for a in t["main package's action ID"])


@pytest.mark.go
def test_package_dirs_finds_goos_in_internal_goos(tc) -> None:
    t = lesson.package_dirs(["internal/goos", "no/such/package"])
    here = f"in go{tc.version}"
    rows = t.set_index("package")
    assert rows.loc["internal/goos", here] == "yes" and rows.loc["internal/goos", "declares const GOOS"] != "no"
    assert rows.loc["no/such/package", here] == "no" and rows.loc["no/such/package", "declares const GOOS"] == "—"


@pytest.mark.go
def test_cross_builds_two_at_a_time(tc, tmp_path: Path) -> None:
    m = lesson.cross_builds(HELLO, [("linux", "amd64"), ("linux", "arm64")], gocache=tc.gocache,
                            workdir=tmp_path, progress=False)
    assert list(m["target"]) == ["linux/amd64", "linux/arm64"]
    assert all(m["format"].str.startswith("ELF")) and (m["compiled"] >= 1).all()
    assert list(m.columns) == ["target", "seconds", "compiled", "from the cache", "size", "magic", "format"]
    with pytest.raises(UsageError, match="jobs"):
        lesson.cross_builds(HELLO, [("linux", "amd64")], gocache=tc.gocache, workdir=tmp_path, jobs=0)


@pytest.mark.go
def test_timer_check_gives_both_timers(tc) -> None:
    if shutil.which("hyperfine") is None:
        pytest.skip("hyperfine is not installed")
    out = lesson.timer_check({"true": ["/bin/true"]}, rounds=2, runs=3, warmup=1, progress=False)
    r = out["true"]
    assert list(r.summary.index) == ["hyperfine", "gokit"] and list(r.summary["runs"]) == [6, 6]


SHOP = {"go.mod": "module example.com/shop\n\ngo 1.22\n",
        "leaf/leaf.go": "package leaf\n\nfunc F(x int) int { return x + 1 }\n",
        "mid/mid.go": 'package mid\n\nimport "example.com/shop/leaf"\n\nfunc G(x int) int { return leaf.F(x) * 2 }\n',
        "main.go": 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/shop/mid"\n)\n\n'
                   'func main() { fmt.Println(mid.G(1)) }\n'}


@pytest.mark.go
def test_ci_simulation_edits_every_package_and_builds_both_ways(tc) -> None:
    ci = gokit.ci_simulation(SHOP, edits_per_package=2, forced=2, seed=1, progress=False)
    assert len(ci.frame) == 3 * 2 + 2
    by_edit = ci.by_edit().set_index("edited")
    assert list(by_edit["builds"]) == [2, 2, 2]
    # an edit recompiles the package and its direct importers; a new directory recompiles all three
    assert by_edit.loc["example.com/shop/leaf", "packages compiled"] == "2"
    assert by_edit.loc["example.com/shop", "packages compiled"] == "1"
    assert set(ci.frame.loc[ci.frame.setup.str.startswith("forced"), "compiled"]) == {3}
    s = ci.result.summary
    assert list(s.index) == ["warm: same checkout", "forced: new checkout dir"] and ci.result.is_timing
    assert "every time" in ci.conclusion()
    with pytest.raises(UsageError):
        gokit.ci_simulation(SHOP, edits_per_package=0)


def test_legible_figures_fit_and_have_no_tiny_text() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 3))
    ax.text(0.5, 0.5, "tiny", fontsize=6)
    ax.set_title("title", fontsize=12)
    assert lesson.legible(fig) is fig
    assert tuple(fig.get_size_inches()) == (8.0, 3.0)
    sizes = {t.get_text(): t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()}
    assert sizes["tiny"] == 8.0 and sizes["title"] == 12
    plt.close(fig)


def test_add_runs_puts_runs_timed_elsewhere_into_a_result() -> None:
    from gokit import bench

    r = bench.BenchResult.from_samples({"warm": [0.1, 0.11, 0.12], "cold": [6.0]})
    more = lesson.add_runs(r, "cold", [6.4])
    assert list(more.summary.loc[:, "runs"]) == [3, 2] and more.summary.loc["cold", "median"] == 6.2
    assert list(r.summary["runs"]) == [3, 1]  # the original is unchanged
    with pytest.raises(UsageError):
        lesson.add_runs(r, "nope", [1.0])


def test_working_shows_a_bar_for_work_without_progress_of_its_own() -> None:
    """The bar moves while the work runs, and never fills before the work is done, however long it takes.
    (No timing is asserted: the thread may run late on a busy machine; the test waits for it.)"""
    with lesson.working("sleeping", 0.5) as w:
        deadline = time.monotonic() + 60
        while w._shown < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert w._shown == 4, "the bar never moved to one step short of full"
        time.sleep(0.3)  # past the expected 0.5 s: the bar waits one step short of full
        assert w._shown == 4
    assert w._shown == 4
    with pytest.raises(UsageError):
        lesson.working("nothing", 0)


def test_first_bytes_shows_hex_then_the_characters(tmp_path: Path) -> None:
    assert lesson.first_bytes(b"\x7fELF\x02\x01") == "7f 45 4c 46  (the bytes 0x7f E L F)"
    f = tmp_path / "main.go"
    f.write_text("package main\n")
    assert lesson.first_bytes(f) == "70 61 63 6b  (the bytes p a c k)"


def test_binfmt_formats_lists_formats_not_controls(tmp_path: Path) -> None:
    for name in ("register", "status", "qemu-arm", "python3.11"):
        (tmp_path / name).write_text("")
    assert lesson.binfmt_formats(tmp_path) == ["python3.11", "qemu-arm"]
    assert lesson.binfmt_formats(tmp_path / "absent") == []


def test_work_files_and_step_counts_read_a_go_run_x_run(tmp_path: Path) -> None:
    import pandas as pd

    (tmp_path / "b001" / "exe").mkdir(parents=True)
    (tmp_path / "b001" / "exe" / "play").write_bytes(b"\x7fELF" + bytes(12))
    (tmp_path / "b001" / "importcfg").write_text("packagefile fmt=x\n")
    steps = pd.DataFrame({"action": ["compile", "link", "exec"], "package": ["main", "", ""]})
    run = SimpleNamespace(workdir=tmp_path, steps=steps)
    frame = lesson.work_files(run)
    assert list(frame["file"]) == ["$WORK/b001/exe/play", "$WORK/b001/importcfg"]
    assert list(frame["size (bytes)"]) == [16, 18]
    assert lesson.step_counts(run) == "1 package compiled (main), 1 link"
    none = SimpleNamespace(steps=pd.DataFrame({"action": ["exec"], "package": [""]}))
    assert lesson.step_counts(none) == "0 packages compiled, 0 links"


@pytest.mark.go
def test_dist_targets_are_the_pairs_go_tool_dist_list_prints(tc) -> None:
    targets = lesson.dist_targets(toolchain=tc)
    assert "linux/amd64" in targets and "windows/amd64" in targets and "darwin/arm64" in targets
    assert all(t.count("/") == 1 for t in targets) and {"linux", "windows", "darwin"} <= set(targets.systems)
    assert targets.summary.startswith(f"{len(targets)} targets, {len(targets.systems)} operating systems;\nsome: ")


@pytest.mark.go
def test_build_setting_reads_the_flags_a_binary_records(tc, tmp_path: Path) -> None:
    src = 'package main\n\nvar version = "dev"\n\nfunc main() { println(version) }\n'
    out = tmp_path / "versioned"
    gokit.build_graph(src, ldflags="-X main.version=v1.2.3", output=out, toolchain=tc)
    assert lesson.build_setting(out, "-ldflags", toolchain=tc) == 'build -ldflags="-X main.version=v1.2.3"'
    assert lesson.build_setting(out, "-gcflags", toolchain=tc) == ""
    assert lesson.build_setting(out, "GOOS", toolchain=tc).startswith("build GOOS=")


def test_hottest_phase_is_the_listed_phase_with_the_most_samples() -> None:
    import pandas as pd

    by_phase = pd.DataFrame({"phase": ["parsing", "SSA", "code generation", "runtime: garbage collection"],
                             "value": [5.0, 40.0, 30.0, 90.0]})
    assert lesson.hottest_phase(by_phase, ["parsing", "SSA", "code generation"]) == "SSA"
    with pytest.raises(UsageError):
        lesson.hottest_phase(by_phase, ["type checking"])


@pytest.mark.go
def test_find_line_and_declared_in_read_the_go_installations_source(tc) -> None:
    link_main = tc.goroot / "src" / "cmd" / "link" / "internal" / "ld" / "main.go"
    n, line = lesson.find_line(link_main.read_text(), "*FlagW = *FlagS")
    assert n > 1 and line.startswith("*FlagW = *FlagS")
    assert link_main.read_text().splitlines()[n - 1].strip() == line
    with pytest.raises(UsageError):
        lesson.find_line("package main\n", "nowhere")
    runtime_dir = tc.goroot / "src" / "runtime"
    assert lesson.declared_in(runtime_dir, r"^func SetMemProfileRate\(") == []   # no such function
    assert lesson.declared_in(runtime_dir, r"^var MemProfileRate int") == ["mprof.go"]


@pytest.mark.go
def test_top_function_is_the_first_of_ours_in_a_real_heap_profile(tc, tmp_path: Path) -> None:
    src = ('package main\n\nimport (\n\t"os"\n\t"runtime"\n\t"runtime/pprof"\n)\n\nvar sink [][]byte\n\n'
           '//go:noinline\nfunc small() { sink = append(sink, make([]byte, 1<<20)) }\n\n'
           '//go:noinline\nfunc big() { sink = append(sink, make([]byte, 1<<24)) }\n\n'
           'func main() {\n\truntime.MemProfileRate = 1\n\tsmall()\n\tbig()\n'
           '\truntime.GC()\n\tf, _ := os.Create(os.Args[1])\n\tpprof.WriteHeapProfile(f)\n\tf.Close()\n}\n')
    out = tmp_path / "heap.pprof"
    gokit.run(src, args=[str(out)], toolchain=tc, timeout=60)
    frame = gokit.pprof(out, source=src).top(sample_index="alloc_space", cum=True).frame()
    assert lesson.top_function(frame, ["main.small", "main.big"]) == "big"
    assert lesson.top_function(frame, ["main.small"], strip="") == "main.small"
    with pytest.raises(UsageError):
        lesson.top_function(frame, ["main.nosuch"])


def test_phase_table_counts_samples_of_10_ms_and_names_small_shares() -> None:
    import pandas as pd

    by_phase = pd.DataFrame({"phase": ["parsing", "SSA"], "value": [0.005, 1.23], "share": [0.004, 0.996],
                             "top functions": ["syntax.(*scanner).next 0.4%", "ssa.Compile 50%"]})
    page = lesson.phase_table(by_phase)._repr_html_()
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)]
    rows = [r[:4] for r in rows if r]
    assert rows == [["parsing", "0", "0", "under 1%"], ["SSA", "123", "1230", "100%"]]


@pytest.mark.go
def test_files_by_target_shows_each_targets_zgoos_file(tc) -> None:
    files = gokit.target_files("internal/goos", [("linux", "amd64"), ("windows", "amd64")], toolchain=tc)
    html = lesson.files_by_target(files, "internal/goos")._repr_html_()
    assert "files of internal/goos it compiles" in html
    assert "zgoos_linux.go" in html and "zgoos_windows.go" in html


def test_startup_ratio_puts_a_commands_median_against_the_binarys() -> None:
    from gokit import bench

    timed = bench.BenchResult.from_samples({"exec of the binary": [0.001] * 5, "go run . (warm)": [0.09] * 5})
    alone = bench.BenchResult.from_samples({"exec of the binary, back to back": [0.002] * 5})
    r = lesson.startup_ratio(timed, "go run . (warm)", alone)
    assert (r.command_s, r.exe_s) == (0.09, 0.002) and r.ratio == pytest.approx(45) and r.bucket == "10 to 100"
    page = r.table._repr_html_()
    assert "exec of the binary, back to back" in page and "ratio of the two" in page
    fast = bench.BenchResult.from_samples({"go run . (warm)": [0.003] * 5})
    assert lesson.startup_ratio(fast, "go run . (warm)", alone).bucket == "under 2"
    with pytest.raises(UsageError, match="no 'go run' in this result"):
        lesson.startup_ratio(timed, "go run", alone)


@pytest.mark.go
def test_sections_present_says_what_s_and_w_leave_out(tc) -> None:
    src = 'package main\n\nfunc main() { println("hi") }\n'
    names = [".symtab", ".debug_info", ".gopclntab"]
    assert lesson.sections_present(gokit.build(src, toolchain=tc), names) == \
        ".symtab yes, .debug_info yes, .gopclntab yes"
    assert lesson.sections_present(gokit.build(src, ldflags="-s -w", toolchain=tc), names) == \
        ".symtab no, .debug_info no, .gopclntab yes"
