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


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GOKIT_CACHE", str(tmp_path / "gokit-cache"))
    return tmp_path / "gokit-cache"


HELLO_BAD_INPUTS = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'


@pytest.mark.go
def test_source_dir_is_content_addressed(tc, private_cache) -> None:
    a, b = Source(HELLO).materialize(tc), Source(HELLO).materialize(tc)
    assert a == b and (a / "main.go").read_text() == HELLO
    assert (a / "go.mod").read_text() == f"module play\n\ngo {tc.minor[0]}.{tc.minor[1]}\n"
    assert Source(HELLO + "\n").materialize(tc) != a


def test_source_package_and_module_path() -> None:
    assert Source(HELLO).module_path == "play"
    lib = Source("// Package geometry draws.\n/* package nope */\npackage geometry\n\nfunc Area() int { return 1 }\n")
    assert lib.package == "geometry" and lib.module_path == "play/geometry"


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
