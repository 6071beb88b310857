"""gokit.layers.compile: one bare `go tool compile` of the learner's package, with its outputs kept when asked."""
from __future__ import annotations

import time

import pytest

import gokit
from gokit.layers.compile import ARCHIVE, compile_argv, compile_package, parse_gcflags
from gokit.source.exports import importcfg
from gokit.source.package import resolve
from gokit.errors import SourceDoesNotCompile, UsageError

PROG = ('package main\n\nimport "fmt"\n\nfunc add(a, b int) int { return a + b }\n\n'
        'func main() { fmt.Println(add(1, 2)) }\n')


def test_parse_gcflags() -> None:
    assert parse_gcflags("-N -l") == ("-N", "-l")
    assert parse_gcflags(["-m=2", "-d=ssa/check_bce/debug=1"]) == ("-m=2", "-d=ssa/check_bce/debug=1")
    assert parse_gcflags("all=-N -l") == ("-N", "-l")  # gokit compiles only the learner's package
    assert parse_gcflags(None) == ()
    for bad in ("-o /dev/null", "-importcfg x", "main.go", 7):
        with pytest.raises(UsageError):
            parse_gcflags(bad)  # type: ignore[arg-type]


@pytest.mark.go
def test_compile_argv_is_go_builds_compile(tc, tmp_path) -> None:
    """The argv gokit runs has the flags `go build -x` shows for the main package (same -p, -lang, -complete...)."""
    src = gokit.Source(PROG)
    pkg = resolve(src, tc)
    argv = compile_argv(pkg, tmp_path / ARCHIVE, ("-S",), importcfg=importcfg(pkg, 120))
    b = gokit.build(PROG + f"\n// {time.time_ns()}\n", fresh=True)  # new text: main is compiled
    go_builds = b.steps.loc[(b.steps.action == "compile") & (b.steps.package == "main"), "command"].iloc[0]
    for flag in ("-p main", f"-lang={pkg.lang}", "-complete", f"-goversion go{tc.version}", "-nolocalimports",
                 "-pack"):
        assert flag in " ".join(argv) and flag in go_builds, flag
    assert argv[-1] == "./main.go" and "-S" in argv


@pytest.mark.go
def test_outputs_kept_archive_listing_ssa_and_diagnostics(tc) -> None:
    pkg = resolve(PROG, tc)
    cfg = importcfg(pkg, 120)
    c = compile_package(pkg, importcfg=cfg, flags=("-S", "-m"), gossafunc="main.add", keep_archive=True).check()
    assert c.archive is not None and c.archive.read_bytes().startswith(b"!<arch>\n")
    assert c.archive.parent.parent.parent.name == "archives"  # in gokit's cache, not a temp dir
    assert "main.add STEXT" in c.stdout                         # the -S listing
    assert "main.go:5:6: can inline add" in c.output  # -m, with paths relative to the module
    assert str(c.package.moddir) not in c.output and str(c.package.moddir) in c.stdout
    assert set(c.ssa_html) == {"add"} and "<h1>add,1</h1>" in c.ssa_html["add"].replace("ABIInternal", "1")
    again = compile_package(resolve(PROG, tc), importcfg=cfg, flags=("-S", "-m"), keep_archive=True)
    assert again.archive == c.archive


@pytest.mark.go
def test_a_compile_error_is_returned_then_raised_by_check(tc) -> None:
    pkg = resolve("package main\n\nfunc main() { x }\n", tc)
    c = compile_package(pkg, importcfg=importcfg(pkg, 120))
    assert c.exit_code != 0 and c.archive is None
    with pytest.raises(SourceDoesNotCompile, match=r"main.go:3:15: undefined: x"):
        c.check("SSA")


@pytest.mark.go
def test_cross_compile_for_arm64_and_riscv64(tc) -> None:
    for arch, op in (("arm64", "ADD\t"), ("riscv64", "ADD\t")):
        pkg = resolve(PROG, tc, {"GOOS": "linux", "GOARCH": arch})
        c = compile_package(pkg, importcfg=importcfg(pkg, 120), flags=("-S",)).check()
        assert "main.add STEXT" in c.stdout and op in c.stdout, arch
