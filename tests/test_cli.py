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
