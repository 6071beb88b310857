"""gokit.source.package: targets from `go tool dist list -json`, export data, and the learner's package as go build sees it."""
from __future__ import annotations

import pytest

import gokit
from gokit.source.package import package, target_env, targets
from gokit.errors import UsageError


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
    linux = package(src, tc, {}, 120)
    assert linux.files == ("main.go", "word_linux.go") and linux.imports == ("fmt",)
    darwin = package(src, tc, {"GOOS": "darwin", "GOARCH": "arm64"}, 120)
    assert darwin.files == ("main.go", "word_other.go") and darwin.imports == ("fmt", "os")
    assert linux.pkgpath == "main" and linux.lang == f"go{tc.minor[0]}.{tc.minor[1]}"


@pytest.mark.go
def test_source_facts_come_from_go_parser(tc) -> None:
    src = gokit.Source("// Package geom: not `package main` in a comment\n/* package fake */\npackage geom\n\n"
                       "type Stack[T any] struct{ xs []T }\n\nfunc (s *Stack[T]) Push(x T) {\n\ts.xs = append(s.xs, x)\n}\n\n"
                       "func (s Stack[T]) Len() int { return len(s.xs) }\n\nfunc Max[T int | float64](a, b T) T {\n"
                       "\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n")
    assert src.package == "geom" and src.module_path == "play/geom"
    (f,) = src.facts(tc)
    funcs = {d.func: d for d in f.decls if d.kind == "func"}
    assert {"(*Stack).Push", "Stack.Len", "Max"} <= set(funcs)
    assert funcs["Max"].generic and funcs["(*Stack).Push"].generic  # methods of a generic type are generic too
    assert not funcs["Stack.Len"].recv.startswith("*") and funcs["(*Stack).Push"].recv == "*Stack"
    assert (funcs["(*Stack).Push"].line, funcs["(*Stack).Push"].end) == (7, 9)
    assert f.func_at(8) == "(*Stack).Push" and f.func_at(4) == ""
