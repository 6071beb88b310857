"""docs/hub/: the classroom's JupyterHub config parses, and a real hub (JupyterHub from PyPI, configurable-http-proxy
from npm) started from it serves a learner whose server was started through the REST API, every request through
the hub's proxy, while nothing that learner runs can read or change another learner's files.

The live test needs root (learners are Unix users), useradd, configurable-http-proxy and a system Python every user
can run; it skips, saying which is missing, unless GOKIT_REQUIRE_HUB=1 (as .ci/run sets), when it fails instead.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "docs" / "hub"
SYSTEM_PYTHON = "/usr/bin/python3"


def _classroom():
    spec = importlib.util.spec_from_file_location("classroom", HUB / "classroom.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["classroom"] = mod  # dataclasses look their module up by name
    spec.loader.exec_module(mod)
    return mod


def _load_config(env: dict[str, str]):
    from traitlets.config.loader import PyFileConfigLoader

    old = dict(os.environ)
    os.environ.update(env)
    try:
        return PyFileConfigLoader("jupyterhub_config.py", path=str(HUB)).load_config()
    finally:
        os.environ.clear()
        os.environ.update(old)


def test_the_hub_config_parses_and_says_what_isolation_needs() -> None:
    pytest.importorskip("jupyterhub", reason="pip install jupyterhub (in the test extra)")
    c = _load_config({"GOKIT_HUB_ENV": "/srv/env", "GOKIT_HUB_SHARED": "/srv/gokit", "GOKIT_HUB_HOMES": "/home",
                      "GOKIT_HUB_PASSWORD": "a room password", "GOKIT_HUB_API_TOKEN": "t" * 64})
    auth = c.JupyterHub.authenticator_class
    from jupyterhub.auth import LocalAuthenticator

    assert issubclass(auth, LocalAuthenticator)  # a Unix user per learner
    assert c.JupyterHub.spawner_class == "localprocess"  # their server runs as that user
    assert c.LocalAuthenticator.create_system_users is True
    cmd = c.LocalAuthenticator.add_user_cmd
    assert cmd[0] == "useradd" and "HOME_MODE=0700" in cmd and "--create-home" in cmd  # homes nobody else reads
    assert c.Spawner.cmd == ["/srv/gokit/singleuser.sh"]
    env = c.Spawner.environment
    assert env["PATH"].startswith("/srv/env/bin:") and env["GOKIT_TOOLCHAINS"] == "/srv/gokit/toolchains"
    assert not {"GOCACHE", "GOKIT_CACHE", "XDG_CACHE_HOME"} & set(env)  # caches stay in each learner's home
    assert c.JupyterHub.services[0]["name"] == "classroom" and c.JupyterHub.load_roles[0]["name"] == "admin"
    assert "services" not in _load_config({"GOKIT_HUB_PASSWORD": "a room password"}).JupyterHub  # no token: no service
    done = subprocess.run(["sh", "-n", str(HUB / "singleuser.sh")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert os.access(HUB / "singleuser.sh", os.X_OK)


def test_the_littlest_jupyterhub_and_zero_to_jupyterhub_configs_parse() -> None:
    pytest.importorskip("jupyterhub", reason="pip install jupyterhub (in the test extra)")
    import yaml
    from traitlets.config.loader import PyFileConfigLoader

    tljh = PyFileConfigLoader("tljh_gokit.py", path=str(HUB)).load_config()
    assert tljh.Spawner.cmd == ["/srv/gokit/singleuser.sh"] and tljh.SystemdSpawner.isolate_tmp is True
    z2jh = yaml.safe_load((HUB / "z2jh-config.yaml").read_text())["singleuser"]
    shared = z2jh["extraEnv"]["GOKIT_HUB_SHARED"]
    assert z2jh["cmd"] == [f"{shared}/singleuser.sh"] and not shared.startswith("/home")  # outside the volume
    assert z2jh["extraEnv"]["GOKIT_TOOLCHAINS"] == f"{shared}/toolchains"
    for script in ("prepare-shared.sh", "singleuser.sh"):
        done = subprocess.run(["bash", "-n", str(HUB / script)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr


def test_prepare_shared_fills_the_folder_every_learner_reads(tmp_path: Path) -> None:
    env = {**os.environ, "GOKIT_NO_DOCTOR": "1"}
    done = subprocess.run(["bash", str(HUB / "prepare-shared.sh"), str(tmp_path / "shared")], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    shared = tmp_path / "shared"
    lessons = sorted(p.name for p in (shared / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert lessons == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert not (shared / "notebooks" / "_src").exists() and (shared / "toolchains").is_dir()
    assert os.access(shared / "singleuser.sh", os.X_OK) and (shared / "notebooks").stat().st_mode & 0o005 == 0o005


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "not root: the hub creates a Unix user per learner"
    for tool in ("useradd", "userdel", "configurable-http-proxy"):
        if shutil.which(tool, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin") is None:
            return f"{tool} is not installed (configurable-http-proxy: npm install -g configurable-http-proxy)"
    if importlib.util.find_spec("jupyterhub") is None:
        return "jupyterhub is not installed (pip install -e '.[test]')"
    if not Path(SYSTEM_PYTHON).exists():
        return f"no {SYSTEM_PYTHON}: learners need a Python every user can run"
    return None


@pytest.mark.go
@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_a_real_hub_serves_a_learner_through_its_proxy_and_keeps_learners_apart() -> None:
    import requests

    why = _missing()
    if why:
        if os.environ.get("GOKIT_REQUIRE_HUB") == "1":
            pytest.fail(f"GOKIT_REQUIRE_HUB=1 but {why}")
        pytest.skip(why)
    classroom = _classroom()
    base = Path(tempfile.mkdtemp(prefix="gokit-hub-test-"))  # under /tmp, opened to learners by setup
    try:
        room = classroom.setup(base, python=SYSTEM_PYTHON, doctor=False)  # no warm cache: the test stays short
        with classroom.Hub(room) as hub:
            alice, bob = hub.add_learner(1), hub.add_learner(2)
            for who in (alice, bob):
                assert who.home.parent == room.homes and (who.home.stat().st_mode & 0o777) == 0o700
                assert who.home.stat().st_uid == who.uid != 0
            alice.start_server()  # through the REST API
            seen = classroom.browser_login(hub, alice.name)  # the login form, cookies, the OAuth dance
            assert seen["landed"].startswith(f"/user/{alice.name}/lab") and "started" in seen["status"]
            kernel = alice.kernel("notebooks/00-go-run-is-go-build.ipynb")  # a session, as JupyterLab opens one
            try:
                where = kernel.execute("import os; print(os.getcwd())")
                assert not where.error and where.outputs == [f"{alice.home}/notebooks\n"]  # the lessons were copied
                mark = f"hello from {alice.name}"
                seen = classroom.probe(kernel, bob.home, mark)  # reads, writes, a program built with gokit
                assert classroom.isolation_problems(alice, seen, mark) == []
                assert seen["goroot"].startswith(str(room.env))  # one shared toolchain, read-only
            finally:
                kernel.close()
            # bob's own token opens bob's server only: alice's answers 403 (hub auth, through the proxy)
            r = requests.get(f"{hub.url}/user/{alice.name}/api/status",
                             headers={"Authorization": f"token {bob.token}"}, timeout=60, allow_redirects=False)
            assert r.status_code == 403, r.status_code
        names = {alice.name, bob.name}
        import pwd

        assert not names & {p.pw_name for p in pwd.getpwall()}  # the hub's users are gone with it
    finally:
        shutil.rmtree(base, ignore_errors=True)
