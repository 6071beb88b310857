"""link.exec_file: what the kernel says when asked to execute a Go source file (lesson 00's myths)."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from gokit import _exec as link
from gokit.errors import UsageError

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello")\n}\n'


def write(tmp_path: Path, text: str, mode: int = 0o644) -> Path:
    p = tmp_path / "main.go"
    p.write_text(text)
    p.chmod(mode)
    return p


def test_without_x_the_kernel_says_permission_denied(tmp_path) -> None:
    write(tmp_path, HELLO)
    r = link.exec_file("main.go", cwd=tmp_path)
    assert not r.started and r.errno == errno.EACCES and r.error.startswith("EACCES")
    assert "refused" in r._repr_html_()


def test_with_x_and_no_shebang_exec_format_error_then_a_shell_runs_it_as_a_script(tmp_path) -> None:
    write(tmp_path, HELLO, 0o755)
    r = link.exec_file("main.go", cwd=tmp_path)
    assert not r.started and r.errno == errno.ENOEXEC
    sh = link.exec_file("/bin/sh", ["./main.go"], cwd=tmp_path)
    assert sh.started and sh.exit_code != 0
    assert "package: not found" in sh.stderr or "package: command not found" in sh.stderr


def test_shebang_env_go_run_is_one_word(tc, tmp_path) -> None:
    write(tmp_path, "#!/usr/bin/env go run\n" + HELLO, 0o755)
    env = tc.env({"PATH": f"{tc.go.parent}{os.pathsep}{os.environ.get('PATH', os.defpath)}"})
    r = link.exec_file("main.go", cwd=tmp_path, env=env)
    assert r.started and r.exit_code == 127 and "go run" in r.stderr


@pytest.mark.go
def test_env_S_lets_go_see_the_hash_line_and_the_slash_slash_trick_works(tc, tmp_path) -> None:
    env = tc.env({"PATH": f"{tc.go.parent}{os.pathsep}{os.environ.get('PATH', os.defpath)}"})
    write(tmp_path, "#!/usr/bin/env -S go run\n" + HELLO, 0o755)
    r = link.exec_file("main.go", cwd=tmp_path, env=env, timeout=120)
    assert r.exit_code == 1 and "U+0023 '#'" in r.stderr
    write(tmp_path, '//usr/bin/env go run "$0" "$@"; exit\n' + HELLO, 0o755)
    r = link.exec_file("/bin/sh", ["./main.go"], cwd=tmp_path, env=env, timeout=120)
    assert r.exit_code == 0 and r.stdout == "hello\n"


def test_bad_arguments(tmp_path) -> None:
    with pytest.raises(UsageError):
        link.exec_file("nope.go", cwd=tmp_path)
    with pytest.raises(UsageError):
        link.exec_file("/bin/sh", "-c true")  # type: ignore[arg-type]
