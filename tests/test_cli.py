"""gokit.cli: the commands run as a learner runs them (separate processes), and gokit lab."""
from __future__ import annotations

import json
import os
import sys
import time

import pytest
from helpers import gokit_cli

HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, core") }\n'




@pytest.mark.go
def test_cli_run_and_build(tmp_path) -> None:
    f = tmp_path / "main.go"
    f.write_text(HELLO)
    p = gokit_cli("run", str(f))
    assert (p.returncode, p.stdout) == (0, "hello, core\n")
    p = gokit_cli("build", str(f), "--json")
    assert json.loads(p.stdout)["size"] > 1_000_000
    f.write_text("package main\n\nfunc main() { x }\n")
    p = gokit_cli("run", str(f))
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
        deadline = time.monotonic() + 180  # JupyterLab starts in seconds, in a minute on a busy machine
        while time.monotonic() < deadline:
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


# ---------------------------------------------------------------- progress: a bar on a terminal, one line in a pipe

def test_progress_in_a_pipe_is_one_final_line_without_redraws() -> None:
    """CI logs and `gokit ... 2> file` get no tqdm redraws, only what the job was and how it ended."""
    p = gokit_cli("bench", "--runs", "40", "--warmup", "0", "true")
    assert p.returncode == 0, p.stderr
    assert "\r" not in p.stderr and "\x1b[" not in p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("gokit.bench")]
    assert len(lines) == 1 and "40/40 runs" in lines[0] and lines[0].endswith(" s"), p.stderr


def test_progress_on_a_terminal_is_a_bar() -> None:
    """On a terminal (stderr a tty, not CI) the same command draws a bar that redraws in place."""
    import pty
    import subprocess

    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))   # a new pty is 0 columns wide
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["TERM"] = "xterm"
    try:
        proc = subprocess.Popen([sys.executable, "-m", "gokit.cli", "bench", "--runs", "40", "--warmup", "0", "true"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env=env)
        os.close(follower)
        follower = -1
        err = b""
        while True:       # read while it runs: a pty drops what is unread when its last writer closes
            try:
                chunk = os.read(leader, 65536)
            except OSError:   # EIO: the command closed the terminal
                break
            if not chunk:
                break
            err += chunk
        proc.wait(timeout=120)
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0
    assert b"\r" in err and b"gokit.bench" in err


def test_progress_closes_once_with_its_final_line(capsys) -> None:
    from gokit._progress import Progress, on_terminal

    assert not on_terminal()            # pytest captures stderr: not a terminal
    bar = Progress(3, desc="three steps", unit="step")
    bar.update(1)
    bar.update(2)
    bar.close()
    bar.close()
    err = capsys.readouterr().err
    assert err.count("three steps: 3/3 steps") == 1 and "\r" not in err
