"""gokit's Go helper (gokit/_go): its own go vet and go test, run with gokit's toolchains, and the
facts mode and -lang flag end to end on the helper binary gokit builds (Go 1.27 and Go 1.22)."""
from __future__ import annotations

import json

import pytest

from gokit.source import helper as helper_mod
from gokit import _run

HELPER = helper_mod.HELPER_DIR

TOOLCHAINS = ["tc", pytest.param("tc122", marks=pytest.mark.go122)]

METHODS = b"""package main

import (
\t"fmt"
\t"os"
)

type Counter struct{ n int }

func (c *Counter) Inc() {
\tc.n++
}

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }

func main() {
\tfmt.Println(os.Args)
}
"""

RANGE_INT = b"package main\n\nfunc main() {\n\tfor i := range 10 {\n\t\t_ = i\n\t}\n}\n"


def _helper(tc, mode: str, *args: str, stdin: bytes) -> dict:
    done = _run.run([str(helper_mod.helper(tc)), mode, *args], env=tc.env(), timeout=120, input=stdin).check()
    data = json.loads(done.stdout)
    assert data["schema"] == helper_mod.SCHEMA and data["mode"] == mode and data["go"] == f"go{tc.version}"
    return data


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.parametrize("which", TOOLCHAINS)
def test_helper_go_vet_and_go_test(which: str, request: pytest.FixtureRequest) -> None:
    """go vet ./... and go test ./... in gokit/_go pass (GoToolError, with the output, if not)."""
    tc = request.getfixturevalue(which)
    tc.go_cmd("vet", "./...", cwd=HELPER, timeout=300)
    done = tc.go_cmd("test", "-count=1", "./...", cwd=HELPER, timeout=300)
    assert done.out.startswith("ok"), done.out


@pytest.mark.go
@pytest.mark.parametrize("which", TOOLCHAINS)
def test_helper_facts(which: str, request: pytest.FixtureRequest) -> None:
    """The helper gokit builds (with Go 1.27, and with Go 1.22) answers facts."""
    tc = request.getfixturevalue(which)
    data = _helper(tc, "facts", "-goos", "linux", "-goarch", "amd64", "-stdin", "main.go", stdin=METHODS)
    assert list(data) == ["schema", "go", "mode", "goos", "goarch", "files"]
    assert (data["goos"], data["goarch"]) == ("linux", "amd64")
    (f,) = data["files"]
    assert list(f) == ["name", "package", "imports", "constraint", "match", "decls", "errors"]
    assert list(f["decls"][0]) == ["kind", "name", "recv", "func", "generic", "line", "end"]
    assert (f["name"], f["package"], f["imports"], f["constraint"], f["match"], f["errors"]) == \
        ("main.go", "main", ["fmt", "os"], "", True, [])
    funcs = {d["func"]: (d["recv"], d["line"], d["end"]) for d in f["decls"] if d["kind"] == "func"}
    assert funcs == {"(*Counter).Inc": ("*Counter", 10, 12), "(*Stack).Push": ("*Stack", 16, 16),
                     "main": ("", 18, 20)}
    assert [(d["kind"], d["name"]) for d in f["decls"] if d["kind"] != "func"] == [("type", "Counter"),
                                                                                      ("type", "Stack")]
    # file-name suffixes and //go:build lines, as go build reads them
    for name, src, args, match in [
        ("x_arm64.go", b"package main\n", ["-goarch", "amd64"], False),
        ("x_arm64.go", b"package main\n", ["-goarch", "arm64"], True),
        ("w.go", b"//go:build windows\n\npackage main\n", ["-goos", "linux"], False),
        ("main_test.go", b"package main\n", [], False),
    ]:
        (f,) = _helper(tc, "facts", *args, "-stdin", name, stdin=src)["files"]
        assert f["match"] is match, (name, args)


@pytest.mark.go
@pytest.mark.parametrize("which", TOOLCHAINS)
def test_helper_types_lang(which: str, request: pytest.FixtureRequest) -> None:
    """-lang go1.21 makes go/types check as a go.mod saying `go 1.21` would."""
    tc = request.getfixturevalue(which)
    assert _helper(tc, "types", "-stdin", "main.go", stdin=RANGE_INT)["errors"] == []
    errs = _helper(tc, "types", "-lang", "go1.21", "-stdin", "main.go", stdin=RANGE_INT)["errors"]
    assert len(errs) == 1 and "requires go1.22 or later" in errs[0]["msg"] and errs[0]["pos"][1] == 4


@pytest.mark.go
def test_the_small_helper_answers_without_go_types(tc) -> None:
    """The helper gokit builds first on a new machine (-tags gokit_lite) compiles no go/types: it answers the
    front end's and go/build's questions the same as the full one, and says it has no type checker."""
    lite, full = helper_mod.helper(tc, lite=True), helper_mod.helper(tc)
    assert lite != full and lite.name == "gokitfrontend-lite"
    deps = tc.go_cmd("list", "-deps", "-tags", "gokit_lite", ".", cwd=HELPER).out.split()
    assert "go/types" not in deps and "go/parser" in deps and "go/build" in deps
    for mode in ("facts", "tokens", "ast"):
        a, b = (_run.run([str(exe), mode, "-stdin", "main.go"], env=tc.env(), timeout=120, input=METHODS).check()
                for exe in (lite, full))
        assert a.stdout == b.stdout, mode
    done = _run.run([str(lite), "types", "-stdin", "main.go"], env=tc.env(), timeout=120, input=METHODS)
    assert done.exit_code == 2 and "not in the small helper" in done.err
    assert helper_mod.LITE_MODES >= {"facts", "tokens", "ast"} and "types" not in helper_mod.LITE_MODES
