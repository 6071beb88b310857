"""gokit.source.package: targets from `go tool dist list -json`, export data, and the learner's package as go build sees it."""
from __future__ import annotations

import pytest

import gokit
from gokit.errors import UsageError
from gokit.source.package import resolve, target_env, targets
from gokit.source.source import Source

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, core") }\n'


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GOKIT_CACHE", str(tmp_path / "gokit-cache"))
    return tmp_path / "gokit-cache"


@pytest.mark.go
def test_module_dir_is_content_addressed(tc, private_cache) -> None:
    a, b = resolve(Source(HELLO), tc).moddir, resolve(Source(HELLO), tc).moddir
    assert a == b and (a / "main.go").read_text() == HELLO
    assert (a / "go.mod").read_text() == f"module play\n\ngo {tc.minor[0]}.{tc.minor[1]}\n"
    assert resolve(Source(HELLO + "\n"), tc).moddir != a


@pytest.mark.go
def test_package_name_module_path_and_key(tc) -> None:
    p = gokit.package(HELLO, toolchain=tc)
    assert (p.name, p.module_path, p.pkgpath, p.files, p.imports) == ("main", "play", "main", ("main.go",), ("fmt",))
    lib = gokit.package("// Package geometry draws.\n/* package nope */\npackage geometry\n\nfunc Area() int { return 1 }\n",
                        toolchain=tc)
    assert (lib.name, lib.module_path, lib.pkgpath) == ("geometry", "play/geometry", "play/geometry")
    assert lib.gomod == f"module play/geometry\n\ngo {tc.minor[0]}.{tc.minor[1]}\n".encode()
    # one value per (source, toolchain, target): the same object, and every stage's keys start from .key
    assert gokit.package(HELLO, toolchain=tc) is p and p.key != lib.key
    arm = gokit.package(HELLO, goarch="arm64", toolchain=tc)
    assert (arm.goarch, arm.key != p.key) == ("arm64", True)
    own = gokit.package(Source._of([("main.go", HELLO.encode()), ("go.mod", b"module example.com/hi\n\ngo 1.21\n")],
                                   "<t>"), toolchain=tc)
    assert (own.module_path, own.lang, own.gomod) == ("example.com/hi", "go1.21", b"module example.com/hi\n\ngo 1.21\n")


@pytest.mark.go
def test_targets_are_the_toolchains_own_list(tc) -> None:
    listed = set(tc.go_cmd("tool", "dist", "list").out.split())
    assert {f"{o}/{a}" for o, a in targets(tc)} == listed
    assert ("linux", "riscv64") in targets(tc) and ("js", "wasm") in targets(tc)


@pytest.mark.go
def test_target_env_refuses_what_the_toolchain_cannot_build(tc) -> None:
    assert target_env(tc, None, None) == {}
    assert target_env(tc, None, "arm64") == {"GOOS": tc.goos, "GOARCH": "arm64"}
    assert target_env(tc, "wasip1", "wasm") == {"GOOS": "wasip1", "GOARCH": "wasm"}
    with pytest.raises(UsageError, match="does not know GOOS='plan10'"):
        target_env(tc, "plan10", "amd64")
    with pytest.raises(UsageError, match="cannot build for darwin/riscv64. GOARCH values for darwin: amd64, arm64"):
        target_env(tc, "darwin", "riscv64")
    with pytest.raises(UsageError, match="a word like"):
        target_env(tc, "linux; rm", None)


@pytest.mark.go
def test_package_files_follow_build_constraints_per_target(tc) -> None:
    src = gokit.Source._of([
        ("main.go", b'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(word) }\n'),
        ("word_linux.go", b'package main\n\nconst word = "linux"\n'),
        ("word_other.go", b'//go:build !linux\n\npackage main\n\nimport _ "os"\n\nconst word = "other"\n'),
        ("main_test.go", b'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n'),
    ], "<test>")
    linux = resolve(src, tc, {}, 120)
    assert linux.files == ("main.go", "word_linux.go") and linux.imports == ("fmt",)
    darwin = resolve(src, tc, {"GOOS": "darwin", "GOARCH": "arm64"}, 120)
    assert darwin.files == ("main.go", "word_other.go") and darwin.imports == ("fmt", "os")
    assert linux.pkgpath == "main" and linux.lang == f"go{tc.minor[0]}.{tc.minor[1]}"


@pytest.mark.go
def test_source_facts_come_from_go_parser(tc) -> None:
    src = gokit.Source("// Package geom: not `package main` in a comment\n/* package fake */\npackage geom\n\n"
                       "type Stack[T any] struct{ xs []T }\n\nfunc (s *Stack[T]) Push(x T) {\n\ts.xs = append(s.xs, x)\n}\n\n"
                       "func (s Stack[T]) Len() int { return len(s.xs) }\n\nfunc Max[T int | float64](a, b T) T {\n"
                       "\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n")
    pkg = resolve(src, tc)
    assert pkg.name == "geom" and pkg.module_path == "play/geom"
    (f,) = pkg.facts
    funcs = {d.func: d for d in f.decls if d.kind == "func"}
    assert {"(*Stack).Push", "Stack.Len", "Max"} <= set(funcs)
    assert funcs["Max"].generic and funcs["(*Stack).Push"].generic  # methods of a generic type are generic too
    assert not funcs["Stack.Len"].recv.startswith("*") and funcs["(*Stack).Push"].recv == "*Stack"
    assert (funcs["(*Stack).Push"].line, funcs["(*Stack).Push"].end) == (7, 9)
    assert f.func_at(8) == "(*Stack).Push" and f.func_at(4) == "" and pkg.func_at("main.go", 8) == "(*Stack).Push"
    assert pkg.generic_functions == {"(*Stack).Push", "Stack.Len", "Max"} - {"Stack.Len"} | (
        {"Stack.Len"} if funcs["Stack.Len"].generic else set())
