"""gokit._build: go build -x steps (goldens from Go 1.22 and 1.27, live), cached and fresh builds, cross builds."""
from __future__ import annotations

import time

import pytest
from helpers import expect, x_steps_golden

import gokit
from gokit._build import parse_x
from gokit.errors import (
    GoToolError,
    UsageError,
)

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, core") }\n'


HELLO_BAD_INPUTS = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'


# What toolchain-facts.md measured for a cold hello-world build (compile, asm, pack steps).
COLD = {"1.22": (45, 43, 12), "1.27": (59, 53, 15)}


@pytest.mark.go
def test_build_is_cached_and_fast_on_repeat(tc, no_leaks) -> None:
    src = HELLO.replace("core", f"core {time.time_ns()}")
    first = gokit.build(src)
    assert not first.cached and first.cache_misses == 1 and first.cache_hits > 10
    assert first.binary.read_bytes()[:4] == b"\x7fELF" and first.size == first.binary.stat().st_size
    t = time.perf_counter()
    again = gokit.build(src)
    assert time.perf_counter() - t < 0.05
    assert again.cached and again.binary == first.binary


@pytest.mark.go
def test_syntax_error_message_starts_with_position(no_leaks) -> None:
    with pytest.raises(GoToolError) as e:
        gokit.run("package main\n\nfunc main() {\n\tfmt.Println(\"x\"\n}\n")
    assert str(e.value).startswith("./main.go:4:17: syntax error")
    assert (e.value.line, e.value.col) == (4, 17)
    assert "WORK=" not in str(e.value)  # the -x trace is not advice


@pytest.mark.go
@pytest.mark.slow
def test_cross_compile_arm64_is_elf_for_aarch64(no_leaks) -> None:
    b = gokit.build(HELLO, goarch="arm64", timeout=600)
    head = b.binary.read_bytes()[:20]
    assert head[:4] == b"\x7fELF" and int.from_bytes(head[18:20], "little") == 183  # EM_AARCH64


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
    e = expect(GoToolError, gokit.build, text, match=where)
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
    expect(UsageError, gokit.build, HELLO_BAD_INPUTS, match=match, **kw)


@pytest.mark.parametrize("version", sorted(COLD))
def test_cold_build_counts_every_std_package(version: str) -> None:
    f = x_steps_golden(version, "build_x_cold")
    counts = f["action"].value_counts()
    assert (counts["compile"], counts["assemble"], counts["pack"]) == COLD[version]
    assert counts["link"] == 1
    # every compiled package is copied into GOCACHE once
    assert counts["cache-copy"] == counts["compile"]
    assert set(f.loc[f.action == "compile", "package"]) >= {"runtime", "fmt", "main", "internal/abi"}
    assert f.iloc[0]["action"] == "workdir" and f.iloc[-1]["action"] == "remove"


@pytest.mark.parametrize("version", sorted(COLD))
def test_warm_build_compiles_only_main(version: str) -> None:
    f = x_steps_golden(version, "build_x_warm")
    assert f.loc[f.action == "compile", "package"].tolist() == ["main"]
    link_cfg = f[(f.action == "write") & f.output.str.endswith("importcfg.link")]
    assert len(link_cfg) == 1 and "packagefile fmt=" in link_cfg.iloc[0]["command"]
    assert f[f.action == "buildid"]["internal"].all()  # the go command rewrites build IDs itself


def test_heredoc_is_one_step_and_internal_marks() -> None:
    text = ("WORK=/tmp/go-build1\nmkdir -p $WORK/b001/\ncat >/tmp/go-build1/b001/importcfg << 'EOF' # internal\n"
            "# import config\npackagefile fmt=/c/ab-d\nEOF\ncd /src\n"
            "/goroot/pkg/tool/linux_amd64/compile -o $WORK/b001/_pkg_.a -p main -complete ./main.go\n"
            "GOROOT='/goroot' /goroot/pkg/tool/linux_amd64/link -o $WORK/b001/exe/a.out x.a\n")
    steps = parse_x(text)
    assert [s.action for s in steps] == ["workdir", "mkdir", "write", "cd", "compile", "link"]
    assert steps[2].internal and "packagefile fmt" in steps[2].command
    assert steps[4].package == "main" and steps[4].output == "$WORK/b001/_pkg_.a"
    assert steps[5].tool == "link"


@pytest.mark.go
def test_fresh_builds_report_this_build_and_cached_ones_say_so(tc) -> None:
    """A build served from gokit's cache refuses to replay an old -x trace; fresh=True runs go build now."""
    import time

    from gokit.errors import StaleTraceError

    src = HELLO + f"\n// {time.time_ns()}\n"
    first = gokit.build(src)
    assert not first.cached and first.cache_misses == 1  # main was compiled, the rest came from GOCACHE
    again = gokit.build(src)
    assert again.cached and again.binary == first.binary and "from gokit's cache" in repr(again)
    with pytest.raises(StaleTraceError, match="fresh=True"):
        again.steps
    fresh = gokit.build(src, fresh=True)
    assert not fresh.cached and fresh.cache_misses == 0 and fresh.cache_hits > 10  # go's own cache: nothing compiled
    assert (fresh.steps.action == "link").sum() == 1  # go build never caches the executable: it links again
    assert fresh.binary.is_file() and fresh.size == first.size
