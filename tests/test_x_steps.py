"""`go build -x` / `go run -x` parsing, on golden output from Go 1.22 and 1.27 and live."""
from __future__ import annotations

from pathlib import Path

import pytest

from gokit._build import parse_x, steps_frame

GOLDEN = Path(__file__).resolve().parent / "golden"
# What toolchain-facts.md measured for a cold hello-world build (compile, asm, pack steps).
COLD = {"1.22": (45, 43, 12), "1.27": (59, 53, 15)}


def _load(version: str, name: str):
    d = GOLDEN / f"go{version}"
    return steps_frame(parse_x((d / f"{name}.txt").read_text(), (d / "gocache.txt").read_text().strip()))


@pytest.mark.parametrize("version", sorted(COLD))
def test_cold_build_counts_every_std_package(version: str) -> None:
    f = _load(version, "build_x_cold")
    counts = f["action"].value_counts()
    assert (counts["compile"], counts["assemble"], counts["pack"]) == COLD[version]
    assert counts["link"] == 1
    # every compiled package is copied into GOCACHE once
    assert counts["cache-copy"] == counts["compile"]
    assert set(f.loc[f.action == "compile", "package"]) >= {"runtime", "fmt", "main", "internal/abi"}
    assert f.iloc[0]["action"] == "workdir" and f.iloc[-1]["action"] == "remove"


@pytest.mark.parametrize("version", sorted(COLD))
def test_warm_build_compiles_only_main(version: str) -> None:
    f = _load(version, "build_x_warm")
    assert f.loc[f.action == "compile", "package"].tolist() == ["main"]
    link_cfg = f[(f.action == "write") & f.output.str.endswith("importcfg.link")]
    assert len(link_cfg) == 1 and "packagefile fmt=" in link_cfg.iloc[0]["command"]
    assert f[f.action == "buildid"]["internal"].all()  # the go command rewrites build IDs itself


def test_go127_run_caches_the_executable() -> None:
    first, again = _load("1.27", "run_x_first"), _load("1.27", "run_x_again")
    assert "link" in set(first.action)
    copies = first[(first.action == "cache-copy") & first.output.str.endswith("/play")]
    assert len(copies) == 1, "go run 1.27 copies the linked program into GOCACHE"
    assert again.action.tolist() == ["workdir", "exec"]
    assert again.iloc[-1]["command"] == copies.iloc[0]["output"]


def test_go122_run_relinks_every_time() -> None:
    again = _load("1.22", "run_x_again")
    assert "link" in set(again.action)
    assert again.iloc[-1]["action"] == "exec" and again.iloc[-1]["command"] == "$WORK/b001/exe/play"


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
def test_live_go_run_x_steps(tc) -> None:
    import gokit
    from gokit._exec import cleanup_work

    r = gokit.go_run_x('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("steps") }\n')
    try:
        assert r.stdout == "steps\n"
        assert r.steps.iloc[0]["action"] == "workdir" and r.workdir is not None
        assert r.steps.iloc[-1]["action"] == "exec"
    finally:
        cleanup_work(r)
    assert not r.workdir.exists()
