"""gokit.source.source: Go programs as text, files and dirs; content-addressed module dirs; names and sizes refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import expect

import gokit
from gokit.source.source import Source
from gokit.errors import (
    GokitError,
    UsageError,
)

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, core") }\n'


HELLO_BAD_INPUTS = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'


def test_source_is_plain_data(monkeypatch) -> None:
    """A Source is its files, their digest and its own go.mod: reading any of it starts no process and needs no Go."""
    from gokit import _run

    def no(*a, **k):
        raise AssertionError("a Source started a process")

    monkeypatch.setattr(_run, "run", no)
    monkeypatch.setattr(_run, "time_process", no)
    s = Source._of([("main.go", HELLO.encode()), ("go.mod", b"module example.com/hi\n\ngo 1.21\n")], "<test>")
    assert (s.text, s.filename, [n for n, _ in s.go_files]) == (HELLO, "main.go", ["main.go"])
    assert s.go_mod == "module example.com/hi\n\ngo 1.21\n" and Source(HELLO).go_mod is None
    assert len(s.digest) == 64 and s.digest != Source(HELLO).digest and "main.go" in repr(s)
    s.check_buildable()
    public = {n for n in dir(s) if not n.startswith("_")}
    assert public == {"files", "origin", "from_file", "from_dir", "text", "go_files", "filename", "go_mod", "digest",
                      "check_buildable"}, public


def test_from_dir_keeps_its_files(tmp_path: Path) -> None:
    (tmp_path / "main.go").write_text(HELLO)
    (tmp_path / "util.go").write_text("package main\n\nfunc twice(x int) int { return 2 * x }\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.go").write_text("junk")
    s = Source.from_dir(tmp_path)
    assert [n for n, _ in s.files] == ["main.go", "util.go"]


@pytest.mark.parametrize("text, match", [
    (42, "Go source text"),
    (None, "Go source text"),
    ("x" * (17 << 20), "up to"),
])
def test_source_rejects(no_leaks, text, match) -> None:
    expect(UsageError, gokit.Source, text, match=match)


@pytest.mark.parametrize("name", ["", "main.py", "../main.go", "a/b.go", "nul\x00.go", ".", 7])
def test_source_bad_file_names(no_leaks, name) -> None:
    expect(UsageError, gokit.Source, HELLO_BAD_INPUTS, name)


@pytest.mark.parametrize("name", ["_x.go", ".x.go", "x_test.go"])
def test_files_go_build_ignores_can_be_read_but_not_built(no_leaks, name) -> None:
    src = gokit.Source(HELLO_BAD_INPUTS, name)  # parsing a test file is fine ...
    expect(UsageError, gokit.build, src, match="nothing to build")  # ... building it is not


def test_from_file_odd_paths(no_leaks, tmp_path: Path) -> None:
    expect(UsageError, gokit.Source.from_file, tmp_path / "missing.go", match="no such file")
    expect(UsageError, gokit.Source.from_file, tmp_path, match="directory")
    expect(UsageError, gokit.Source.from_dir, tmp_path / "nope", match="no such directory")
    expect(UsageError, gokit.Source.from_dir, tmp_path, match="no .go files")
    odd = tmp_path / "dir with spaces and ünïcode"
    odd.mkdir()
    (odd / "main.go").write_text(HELLO_BAD_INPUTS)
    assert gokit.Source.from_file(odd / "main.go").text == HELLO_BAD_INPUTS  # odd but valid: accepted


@pytest.mark.go
def test_gomod_asking_for_newer_go(no_leaks, tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/future\n\ngo 1.99\n")
    (tmp_path / "main.go").write_text(HELLO_BAD_INPUTS)
    expect(GokitError, gokit.build, gokit.Source.from_dir(tmp_path), match=r"go 1\.99.*GOTOOLCHAIN=local")
