"""gokit.layers.exec: learner programs with limits, go run -x as it happens, and what the kernel says to ./main.go."""
from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from helpers import expect, x_steps_golden

import gokit
from gokit.layers import exec as link
from gokit.errors import (
    GoTimeoutError,
    UsageError,
)

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n'


LOOP = "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n"


HELLO_EXEC_FILE = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'


def write(tmp_path: Path, text: str, mode: int = 0o644) -> Path:
    p = tmp_path / "main.go"
    p.write_text(text)
    p.chmod(mode)
    return p


@pytest.mark.go
def test_run_reports_output_exit_code_and_time(no_leaks) -> None:
    src = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tfmt.Println(os.Args[1:])\n' \
          '\tfmt.Fprintln(os.Stderr, "to stderr")\n\tos.Exit(7)\n}\n'
    start = time.perf_counter()
    r = gokit.run(src, args=["a b", "c"])
    took = time.perf_counter() - start
    assert (r.stdout, r.stderr, r.exit_code) == ("[a b c]\n", "to stderr\n", 7)
    assert 0 < r.wall <= took  # the program's own time, within the call (no bound: a busy machine is slow)


@pytest.mark.go
def test_endless_program_is_killed_in_time(no_leaks) -> None:
    from gokit._run import PROGRAM_SECONDS

    gokit.build(LOOP, timeout=300)  # build outside the timed part
    start = time.perf_counter()
    e = expect(GoTimeoutError, gokit.run, LOOP, timeout=2)
    # killed by its own 2 s deadline, not by the default one (which would be 10 s): a margin for a busy machine
    assert time.perf_counter() - start < PROGRAM_SECONDS
    assert e.timeout == 2


@pytest.mark.go
def test_program_that_forks_and_loops_leaves_nothing(no_leaks) -> None:
    src = ('package main\n\nimport "os/exec"\n\nfunc main() {\n'
           '\texec.Command("sleep", "60").Start()\n\texec.Command("sleep", "60").Start()\n\tfor {}\n}\n')
    gokit.build(src, timeout=300)  # built first: the 1.5 s are the program's, not a cold build's (os/exec)
    expect(GoTimeoutError, gokit.run, src, timeout=1.5)


@pytest.mark.go
def test_exploding_output_is_cut_not_kept(no_leaks) -> None:
    src = ('package main\n\nimport (\n\t"bufio"\n\t"os"\n)\n\nfunc main() {\n\tw := bufio.NewWriter(os.Stdout)\n'
           '\tfor i := 0; i < 5_000_000; i++ {\n\t\tw.WriteString("all work and no play\\n")\n\t}\n\tw.Flush()\n}\n')
    r = gokit.run(src, timeout=30)
    assert r.exit_code == 0 and len(r.stdout) <= 1 << 20
    assert r.notes and "cut after" in r.notes[0]


@pytest.mark.go
def test_exploding_memory_is_stopped_with_a_note(no_leaks) -> None:
    src = ('package main\n\nfunc main() {\n\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 64<<20)\n'
           '\t\tfor j := range b {\n\t\t\tb[j] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n}\n')
    gokit.build(src, timeout=300)  # built first: the 30 s are the program's
    r = gokit.run(src, timeout=30, max_memory=512 << 20)  # a timeout would raise: it was stopped by its cap
    assert r.exit_code != 0
    assert any("0.5 GiB" in n for n in r.notes), (r.notes, r.stderr[:300])


@pytest.mark.go
def test_panicking_program_is_data(no_leaks) -> None:
    r = gokit.run('package main\n\nfunc main() {\n\tvar s []int\n\t_ = s[3]\n}\n', timeout=10)
    assert r.exit_code == 2 and "index out of range [3] with length 0" in r.stderr


@pytest.mark.go
@pytest.mark.parametrize("kw, match", [
    ({"timeout": 0}, "positive"),
    ({"timeout": "10"}, "number of seconds"),
    ({"args": "-v"}, "list of strings"),
    ({"args": [1, 2]}, "list of strings"),
    ({"max_output": -5}, "positive"),
    ({"max_memory": 0}, "positive"),
])
def test_run_bad_arguments(no_leaks, kw, match) -> None:
    expect(UsageError, gokit.run, HELLO, match=match, **kw)


@pytest.mark.go
def test_args_never_reach_a_shell(no_leaks, tmp_path: Path) -> None:
    canary = tmp_path / "pwned"
    src = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() { fmt.Println(os.Args[1:]) }\n'
    r = gokit.run(src, args=[f"; touch {canary}", f"$(touch {canary})", "`id`"], timeout=10)
    assert not canary.exists()
    assert f"$(touch {canary})" in r.stdout


def test_go127_run_caches_the_executable() -> None:
    first, again = x_steps_golden("1.27", "run_x_first"), x_steps_golden("1.27", "run_x_again")
    assert "link" in set(first.action)
    copies = first[(first.action == "cache-copy") & first.output.str.endswith("/play")]
    assert len(copies) == 1, "go run 1.27 copies the linked program into GOCACHE"
    assert again.action.tolist() == ["workdir", "exec"]
    assert again.iloc[-1]["command"] == copies.iloc[0]["output"]


def test_go122_run_relinks_every_time() -> None:
    again = x_steps_golden("1.22", "run_x_again")
    assert "link" in set(again.action)
    assert again.iloc[-1]["action"] == "exec" and again.iloc[-1]["command"] == "$WORK/b001/exe/play"


@pytest.mark.go
def test_live_go_run_x_steps(tc) -> None:
    import gokit
    from gokit.layers.exec import cleanup_work

    r = gokit.go_run_x('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("steps") }\n')
    try:
        assert r.stdout == "steps\n"
        assert r.steps.iloc[0]["action"] == "workdir" and r.workdir is not None
        assert r.steps.iloc[-1]["action"] == "exec"
    finally:
        cleanup_work(r)
    assert not r.workdir.exists()


def test_without_x_the_kernel_says_permission_denied(tmp_path) -> None:
    write(tmp_path, HELLO_EXEC_FILE)
    r = link.exec_file("main.go", cwd=tmp_path)
    assert not r.started and r.errno == errno.EACCES and r.error.startswith("EACCES")
    assert "refused" in r._repr_html_()


def test_with_x_and_no_shebang_exec_format_error_then_a_shell_runs_it_as_a_script(tmp_path) -> None:
    write(tmp_path, HELLO_EXEC_FILE, 0o755)
    r = link.exec_file("main.go", cwd=tmp_path)
    assert not r.started and r.errno == errno.ENOEXEC
    sh = link.exec_file("/bin/sh", ["./main.go"], cwd=tmp_path)
    assert sh.started and sh.exit_code != 0
    assert "package: not found" in sh.stderr or "package: command not found" in sh.stderr


def test_shebang_env_go_run_is_one_word(tc, tmp_path) -> None:
    write(tmp_path, "#!/usr/bin/env go run\n" + HELLO_EXEC_FILE, 0o755)
    env = tc.env({"PATH": f"{tc.go.parent}{os.pathsep}{os.environ.get('PATH', os.defpath)}"})
    r = link.exec_file("main.go", cwd=tmp_path, env=env)
    assert r.started and r.exit_code == 127 and "go run" in r.stderr


@pytest.mark.go
def test_env_S_lets_go_see_the_hash_line_and_the_slash_slash_trick_works(tc, tmp_path) -> None:
    env = tc.env({"PATH": f"{tc.go.parent}{os.pathsep}{os.environ.get('PATH', os.defpath)}"})
    write(tmp_path, "#!/usr/bin/env -S go run\n" + HELLO_EXEC_FILE, 0o755)
    r = link.exec_file("main.go", cwd=tmp_path, env=env, timeout=120)
    assert r.exit_code == 1 and "U+0023 '#'" in r.stderr
    write(tmp_path, '//usr/bin/env go run "$0" "$@"; exit\n' + HELLO_EXEC_FILE, 0o755)
    r = link.exec_file("/bin/sh", ["./main.go"], cwd=tmp_path, env=env, timeout=120)
    assert r.exit_code == 0 and r.stdout == "hello\n"


def test_bad_arguments(tmp_path) -> None:
    with pytest.raises(UsageError):
        link.exec_file("nope.go", cwd=tmp_path)
    with pytest.raises(UsageError):
        link.exec_file("/bin/sh", "-c true")  # type: ignore[arg-type]
