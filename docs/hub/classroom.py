"""A gokit classroom on a real JupyterHub on this machine: set it up, start it, and drive learners through it as
their browsers would (every request through the hub's proxy; kernels over the proxied Jupyter websocket).

    sudo python docs/hub/classroom.py setup /srv/gokit-hub       # the shared environment, lessons, warm caches
    sudo python docs/hub/classroom.py start /srv/gokit-hub --password 'ROOM PASSWORD' [--port 8000]

`setup` builds, under DIR, what every learner shares read-only: `env/` (a venv of a Python every user can run,
with binder/requirements.txt, jupyterhub and gokit) and `shared/` (the lessons, singleuser.sh, the Go releases the
lessons compare against, and a Go build cache warmed by `gokit doctor`). `start` runs JupyterHub with
docs/hub/jupyterhub_config.py in the foreground. Needs root (learners are Unix users), `useradd`, and
`configurable-http-proxy` on PATH (npm install -g configurable-http-proxy).

The same module is the library tests/test_hub.py and docs/hub/first_morning.py use: `Hub` (a hub with a
`classroom` service token, learners created and removed with it), `Learner` (server started through the REST API,
a token of its own), `Kernel` (cells executed over the kernel websocket, outputs and timings collected).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIG = HERE / "jupyterhub_config.py"
LOCK = ROOT / "binder" / "requirements.txt"
#: Learners of a test or measurement are named PREFIX-lNN; PREFIX starts with this, so a crashed run's users are
#: recognisable (and removed by `sweep_stale_users`) without touching anybody else's.
TEST_PREFIX = "gkhub"
LEARNER_COMMENT = "gokit learner"


def log(msg: str) -> None:
    print(f"[classroom {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ setup: what every learner shares read-only

@dataclass(frozen=True)
class Room:
    """The folder `setup` fills: env/ (Python, gokit, Jupyter, Go), shared/ (lessons, caches), homes/, state/."""

    base: Path

    @property
    def env(self) -> Path:
        return self.base / "env"

    @property
    def shared(self) -> Path:
        return self.base / "shared"

    @property
    def homes(self) -> Path:
        return self.base / "homes"

    @property
    def state(self) -> Path:
        return self.base / "state"

    @property
    def python(self) -> Path:
        return self.env / "bin" / "python"


def _runnable_by_all(path: Path) -> bool:
    """Every folder on the way to `path` can be entered by others, and the file is executable by others."""
    real = path.resolve()
    return all(p.stat().st_mode & stat.S_IXOTH for p in [real, *real.parents])


def _open_to_all(top: Path) -> None:
    """chmod a+rX under `top` (folders enterable, files readable by learners; nothing made writable)."""
    for dirpath, dirnames, filenames in os.walk(top):
        for name in [*dirnames, *filenames]:
            p = Path(dirpath) / name
            if p.is_symlink():
                continue
            mode = p.stat().st_mode
            extra = stat.S_IROTH | stat.S_IRGRP
            if p.is_dir() or mode & stat.S_IXUSR:
                extra |= stat.S_IXOTH | stat.S_IXGRP
            if mode & extra != extra:
                p.chmod(mode | extra)
    top.chmod(top.stat().st_mode | 0o055)


def _run(argv: list[str], env: dict[str, str] | None = None, timeout: float = 3600) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def setup(base: Path, *, python: str = "/usr/bin/python3", doctor: bool = True) -> Room:
    """Build the shared environment and folder under `base` (reused when already built from the same lock)."""
    room = Room(base.resolve())
    room.base.mkdir(parents=True, exist_ok=True)
    room.base.chmod(0o755)
    if not _runnable_by_all(Path(python)):
        raise SystemExit(f"{python} cannot be run by other users (a folder on its way is private): learners could not "
                         "start it. Pass --python with a system-wide interpreter (e.g. /usr/bin/python3).")
    stamp = room.env / "gokit-lock.txt"
    try:
        import jupyterhub
        hub_pin = f"jupyterhub=={jupyterhub.__version__}"  # the hub and the learners' servers: one version
    except ImportError:
        hub_pin = "jupyterhub"
    import hashlib

    code = hashlib.sha256(b"".join(p.relative_to(ROOT).as_posix().encode() + p.read_bytes()
                                   for p in sorted((ROOT / "gokit").rglob("*"))
                                   if p.is_file() and "__pycache__" not in p.parts)).hexdigest()
    want = LOCK.read_text() + hub_pin + "\n" + python + "\n" + code + "\n"  # rebuilt when any of these changes
    if not (stamp.is_file() and stamp.read_text() == want):
        shutil.rmtree(room.env, ignore_errors=True)
        log(f"building {room.env} from {python} (binder/requirements.txt, {hub_pin}, gokit)")
        _run([python, "-m", "venv", str(room.env)])
        uv = shutil.which("uv", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        # uv installs the same lock in seconds from its cache (pip takes minutes on a small machine)
        pip = ([uv, "pip", "install", "--quiet", "--python", str(room.python)] if uv else
               [str(room.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
        _run([*pip, "-r", str(LOCK), hub_pin])
        _run([*pip, "--no-deps", str(ROOT)])  # a copy, not editable: learners need not read this checkout
        stamp.write_text(want)
    log("shared/: lessons, singleuser.sh" + (", gokit doctor (warm go-build, second Go)" if doctor else ""))
    admin = room.base / "admin"  # root's caches while preparing (gokit's helper), apart from root's own
    env = {**os.environ, "HOME": str(admin), "XDG_CACHE_HOME": str(admin / ".cache"),
           "PATH": f"{room.env / 'bin'}:{os.environ.get('PATH', os.defpath)}", "GOKIT_NO_DOCTOR": "0" if doctor else "1"}
    for k in ("GOKIT_CACHE", "GOCACHE", "GOKIT_TOOLCHAINS", "VIRTUAL_ENV"):
        env.pop(k, None)
    _run(["bash", str(HERE / "prepare-shared.sh"), str(room.shared)], env=env)
    _open_to_all(room.env)
    _open_to_all(room.shared)
    room.homes.mkdir(exist_ok=True)
    room.homes.chmod(0o755)
    room.state.mkdir(exist_ok=True)
    room.state.chmod(0o700)
    return room


# ------------------------------------------------------------------ the hub

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sweep_stale_users() -> list[str]:
    """Remove users a crashed test or measurement left behind (named gkhub*, home gone); their names."""
    gone = []
    for p in pwd.getpwall():
        if p.pw_name.startswith(TEST_PREFIX) and p.pw_gecos == LEARNER_COMMENT and not Path(p.pw_dir).exists():
            subprocess.run(["userdel", p.pw_name], capture_output=True, check=False)
            gone.append(p.pw_name)
    return gone


def uid_processes(uid: int) -> list[int]:
    pids = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if p.stat().st_uid == uid:
                    pids.append(int(p.name))
            except OSError:
                pass
    return pids


def _proc_stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(uid: int) -> float:
    """CPU time (user + sys) of a user's living processes, with everything they started and already reaped
    (a process's cutime/cstime): the whole cost of a learner while their server is still running."""
    total = 0
    for pid in uid_processes(uid):
        f = _proc_stat(pid)
        if f is not None:
            total += sum(int(x) for x in f[11:15])  # utime stime cutime cstime (fields 14-17)
    return total / TICKS


def rss_bytes(uid: int) -> int:
    total = 0
    for pid in uid_processes(uid):
        f = _proc_stat(pid)
        if f is not None:
            total += int(f[21]) * PAGE  # rss (field 24)
    return total


def disk_bytes(top: Path) -> int:
    """Bytes on disk (allocated blocks) under `top`, hard links counted once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for dirpath, dirnames, filenames in os.walk(top):
        for name in [*dirnames, *filenames]:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


class Hub:
    """JupyterHub with docs/hub/jupyterhub_config.py on free local ports; learners it created are removed on exit."""

    def __init__(self, room: Room, *, warm_gocache: bool = True, password: str | None = None,
                 port: int | None = None, prefix: str | None = None) -> None:
        self.room = room
        self.warm_gocache = warm_gocache
        self.password = password or secrets.token_urlsafe(12)
        self.token = secrets.token_hex(32)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = prefix or f"{TEST_PREFIX}{secrets.token_hex(2)}"
        self.users: list[str] = []
        self.proc: subprocess.Popen[bytes] | None = None
        self.logfile = room.state / f"jupyterhub-{self.port}.log"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TZ", "SSL_CERT_FILE")}
        return {**keep, "PATH": f"{self.room.env / 'bin'}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME": str(self.room.state), "GOKIT_HUB_ENV": str(self.room.env),
                "GOKIT_HUB_SHARED": str(self.room.shared), "GOKIT_HUB_HOMES": str(self.room.homes),
                "GOKIT_HUB_STATE": str(self.room.state), "GOKIT_HUB_PASSWORD": self.password,
                "GOKIT_HUB_URL": self.url, "GOKIT_HUB_API_TOKEN": self.token,
                "GOKIT_HUB_PORTS": f"{free_port()},{free_port()}",
                "GOKIT_HUB_WARM_GOCACHE": "1" if self.warm_gocache else "0"}

    def __enter__(self) -> Hub:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 120) -> None:
        import requests

        sweep_stale_users()
        for f in ("jupyterhub.sqlite", "jupyterhub_cookie_secret"):
            (self.room.state / f).unlink(missing_ok=True)
        out = self.logfile.open("wb")
        self.proc = subprocess.Popen([str(self.room.env / "bin" / "jupyterhub"), "-f", str(CONFIG)],
                                     cwd=self.room.state, env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:  # through the proxy
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"jupyterhub did not answer through its proxy within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops every server it spawned, then its proxy
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        for name in self.users:
            try:
                uid = pwd.getpwnam(name).pw_uid
            except KeyError:
                continue
            for pid in uid_processes(uid):  # anything a learner left running (only that user's processes)
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)
        self.users.clear()

    def api(self, method: str, path: str, *, ok: tuple[int, ...] = (200, 201, 202, 204), **kw: Any) -> Any:
        """A hub REST API call through the proxy, as the `classroom` service; the decoded JSON (or None)."""
        import requests

        r = requests.request(method, f"{self.url}/hub/api/{path}", timeout=kw.pop("timeout", 60),
                             headers={"Authorization": f"token {self.token}"}, **kw)
        if r.status_code not in ok:
            raise RuntimeError(f"{method} /hub/api/{path}: {r.status_code} {r.text[:500]}")
        return r.json() if r.content else None

    def add_learner(self, n: int) -> Learner:
        """Create learner n through the REST API (the hub creates the Unix user and the home) with a token."""
        name = f"{self.prefix}-l{n:02d}"
        self.users.append(name)
        self.api("POST", f"users/{name}")
        token = self.api("POST", f"users/{name}/tokens", json={"note": "classroom", "expires_in": 86400})["token"]
        return Learner(self, name, token)


# ------------------------------------------------------------------ learners and their kernels

@dataclass
class Learner:
    hub: Hub
    name: str
    token: str

    @property
    def uid(self) -> int:
        return pwd.getpwnam(self.name).pw_uid

    @property
    def home(self) -> Path:
        return Path(pwd.getpwnam(self.name).pw_dir)

    def start_server(self, timeout: float = 600) -> float:
        """POST /hub/api/users/NAME/server, then wait until the hub says it is ready; seconds it took."""
        t = time.monotonic()
        self.hub.api("POST", f"users/{self.name}/server", timeout=timeout)
        while time.monotonic() - t < timeout:
            model = self.hub.api("GET", f"users/{self.name}")
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - t
            time.sleep(0.5)
        raise RuntimeError(f"{self.name}'s server was not ready after {timeout:.0f} s")

    def api(self, method: str, path: str, **kw: Any) -> Any:
        """The learner's Jupyter server API through the hub's proxy, with the learner's own token."""
        import requests

        r = requests.request(method, f"{self.hub.url}/user/{self.name}/api/{path}", timeout=kw.pop("timeout", 120),
                             headers={"Authorization": f"token {self.token}"}, **kw)
        r.raise_for_status()
        return r.json() if r.content else None

    def notebook(self, path: str) -> dict[str, Any]:
        return self.api("GET", f"contents/{path}")["content"]

    def kernel(self, notebook_path: str) -> Kernel:
        """A session on the notebook (as JupyterLab opens one: the kernel starts in the notebook's folder)."""
        s = self.api("POST", "sessions", json={"path": notebook_path, "type": "notebook", "name": "",
                                               "kernel": {"name": "python3"}})
        return Kernel(self, s["id"], s["kernel"]["id"])


@dataclass
class Cell:
    """One executed cell: its outputs as text, the error if any, when its first output came, how long it took."""

    outputs: list[str] = field(default_factory=list)
    error: str = ""
    first_output: float | None = None  # time.monotonic()
    seconds: float = 0.0


def _decode(frame: str | bytes) -> dict[str, Any]:
    """A kernel message from the websocket: JSON text, or Jupyter's binary framing (messages with buffers)."""
    if isinstance(frame, str):
        return json.loads(frame)
    n = struct.unpack("!I", frame[:4])[0]
    offsets = list(struct.unpack(f"!{n}I", frame[4:4 + 4 * n]))
    return json.loads(frame[offsets[0]:offsets[1] if n > 1 else None].decode())


class Kernel:
    """A kernel driven over /user/NAME/api/kernels/ID/channels through the proxy (what JupyterLab does)."""

    def __init__(self, learner: Learner, session_id: str, kernel_id: str) -> None:
        import websocket

        self.learner, self.session_id, self.kernel_id = learner, session_id, kernel_id
        self.client_session = uuid.uuid4().hex
        url = learner.hub.url.replace("http://", "ws://")
        self.ws = websocket.create_connection(
            f"{url}/user/{learner.name}/api/kernels/{kernel_id}/channels?session_id={self.client_session}",
            header=[f"Authorization: token {learner.token}"], timeout=60)

    def execute(self, code: str, timeout: float = 1800) -> Cell:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.learner.name,
                       "session": self.client_session, "version": "5.3",
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        cell, t = Cell(), time.monotonic()
        idle = replied = False
        self.ws.settimeout(timeout)
        while not (idle and replied):
            if time.monotonic() - t > timeout:
                cell.error = f"no reply within {timeout:.0f} s"
                break
            msg = _decode(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if msg["channel"] == "shell" and kind == "execute_reply":
                replied = True
                if content.get("status") == "error" and not cell.error:
                    cell.error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind in ("stream", "display_data", "execute_result", "error"):
                if cell.first_output is None:
                    cell.first_output = time.monotonic()
                if kind == "stream":
                    cell.outputs.append(content.get("text", ""))
                elif kind == "error":
                    cell.error = f"{content.get('ename')}: {content.get('evalue')}"
                    cell.outputs.append(cell.error)
                else:
                    data = content.get("data", {})
                    cell.outputs.append(str(data.get("text/plain", "")) + str(data.get("text/html", ""))
                                        + str(data.get("text/markdown", "")))
        cell.seconds = time.monotonic() - t
        return cell

    def close(self) -> None:
        """Close the websocket and end the session (the kernel shuts down; its server reaps it)."""
        try:
            self.ws.close()
        finally:
            self.learner.api("DELETE", f"sessions/{self.session_id}")


def code_cells(nb: dict[str, Any]) -> Iterator[str]:
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            src = c["source"]
            yield "".join(src) if isinstance(src, list) else src


#: Run in a learner's kernel after the lesson: who am I, where are my caches, what can I reach of others'?
PROBE = r'''
import getpass, glob, json, os, re, subprocess, sys, sysconfig, tempfile
import gokit

def attempt(fn):
    try:
        fn()
        return "allowed"
    except PermissionError:
        return "denied"
    except OSError as e:
        return "error " + str(e.errno)

OTHER, MARK = {other!r}, {mark!r}
tc = gokit.toolchain()
# gokit's cache as gokit itself reports it; gokit-PID-RANDOM: the private temp dir of each process using gokit
gokit_cache = json.loads(subprocess.run([sys.executable, "-m", "gokit.cli", "cache", "info", "--json"],
                                        capture_output=True, text=True, check=True).stdout)["path"]
others_tmp = [p for p in glob.glob(os.path.join(tempfile.gettempdir(), "gokit-*"))
              if re.fullmatch(r"gokit-[0-9]+-[A-Za-z0-9_]+", os.path.basename(p)) and os.stat(p).st_uid != os.getuid()]
print(json.dumps({{
    "user": getpass.getuser(), "home": os.path.expanduser("~"), "gocache": str(tc.gocache),
    "gokit_cache": gokit_cache, "goroot": str(tc.goroot),
    "read other home": attempt(lambda: os.listdir(OTHER)),
    "write other home": attempt(lambda: open(os.path.join(OTHER, "from-" + getpass.getuser()), "w").close()),
    "read other go cache": attempt(lambda: os.listdir(os.path.join(OTHER, ".cache", "go-build"))),
    "read other gokit temp dirs": sorted({{attempt(lambda p=p: os.listdir(p)) for p in others_tmp}}) or ["none seen"],
    "write GOROOT": attempt(lambda: open(os.path.join(tc.goroot, "VERSION"), "a").close()),
    "write python env": attempt(lambda: tempfile.NamedTemporaryFile(dir=sysconfig.get_paths()["purelib"]).close()),
    "write shared toolchains": attempt(lambda: tempfile.NamedTemporaryFile(
        dir=os.environ.get("GOKIT_TOOLCHAINS", "/nonexistent")).close()),
    "program output": gokit.run(gokit.Source('package main\n\nimport "fmt"\n\nfunc main() {{ fmt.Println("' + MARK
                                              + '") }}\n'), timeout=600).stdout.strip(),
}}))
'''


def probe(kernel: Kernel, other_home: Path, mark: str) -> dict[str, Any]:
    cell = kernel.execute(PROBE.format(other=str(other_home), mark=mark), timeout=900)
    if cell.error:
        raise RuntimeError(f"the probe failed in {kernel.learner.name}'s kernel: {cell.error}\n{''.join(cell.outputs)}")
    # the probe prints one JSON line; other outputs (a progress bar's text while gokit builds its helper) may
    # come before it without a newline of their own
    lines = "\n".join(cell.outputs).splitlines()
    return json.loads(next(x for x in reversed(lines) if x.lstrip().startswith("{")).lstrip())


def isolation_problems(learner: Learner, seen: dict[str, Any], mark: str) -> list[str]:
    """What the probe found that breaks 'nothing one learner runs can read or change another's files'."""
    home = str(learner.home)
    problems = []
    if seen["user"] != learner.name or seen["home"] != home:
        problems.append(f"runs as {seen['user']} in {seen['home']}, not {learner.name} in {home}")
    for cache in ("gocache", "gokit_cache"):
        if not seen[cache].startswith(home + "/"):
            problems.append(f"{cache} {seen[cache]} is not in the learner's home")
    for k in ("read other home", "write other home", "read other go cache", "write GOROOT", "write python env",
              "write shared toolchains"):
        if seen[k] == "allowed":
            problems.append(f"{k}: allowed")
    if "allowed" in seen["read other gokit temp dirs"]:
        problems.append("read another learner's gokit temp dir: allowed")
    if seen["program output"] != mark:
        problems.append(f"their program printed {seen['program output']!r}, not their own {mark!r}")
    return problems


def browser_login(hub: Hub, name: str) -> dict[str, Any]:
    """Log in with the room's password through the login form and open the learner's server as a browser does
    (cookies, _xsrf, the OAuth redirects between hub and server); the server's /api/status seen that way."""
    import re

    import requests

    s = requests.Session()
    page = s.get(f"{hub.url}/hub/login", timeout=60)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
    form = {"username": name, "password": hub.password, **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    r = s.post(f"{hub.url}/hub/login?next=/hub/user/{name}/lab", data=form, timeout=120)
    r.raise_for_status()
    status = s.get(f"{hub.url}/user/{name}/api/status", timeout=60)
    status.raise_for_status()
    return {"landed": r.url.replace(hub.url, ""), "status": status.json()}


# ------------------------------------------------------------------ command line

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup", help="build the shared environment and folder")
    s.add_argument("dir", type=Path)
    s.add_argument("--python", default="/usr/bin/python3", help="an interpreter every user can run")
    s.add_argument("--no-doctor", action="store_true", help="skip gokit doctor (no warm cache, no second Go)")
    st = sub.add_parser("start", help="run the hub in the foreground (Ctrl-C stops it and every server)")
    st.add_argument("dir", type=Path)
    st.add_argument("--password", required=True, help="the room's password (8+ characters)")
    st.add_argument("--port", type=int, default=8000)
    st.add_argument("--ip", default="", help="address to listen on (default: all)")
    a = ap.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("run as root: learners are Unix users the hub creates (useradd)")
    if a.cmd == "setup":
        room = setup(a.dir, python=a.python, doctor=not a.no_doctor)
        log(f"ready: sudo python {Path(__file__).name} start {room.base} --password ...")
        return 0
    room = Room(a.dir.resolve())
    env = Hub(room, password=a.password, port=a.port).env()
    env.pop("GOKIT_HUB_API_TOKEN")
    env["GOKIT_HUB_URL"] = f"http://{a.ip}:{a.port}"
    env["GOKIT_HUB_PORTS"] = "8081,8001"
    os.chdir(room.state)
    os.execve(str(room.env / "bin" / "jupyterhub"), ["jupyterhub", "-f", str(CONFIG)], env)
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
