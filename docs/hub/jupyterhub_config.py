"""JupyterHub for a gokit class on one machine: every learner a Unix user with a private home, one shared Python
environment and Go toolchain, their own caches. Read by `jupyterhub -f docs/hub/jupyterhub_config.py`.

What it needs on the machine (`python docs/hub/classroom.py setup` prepares the first three):
  GOKIT_HUB_ENV     the Python environment learners run (binder/requirements.txt, gokit, jupyterhub), readable by
                    all; default: the one this hub runs from
  GOKIT_HUB_SHARED  a folder readable by all: notebooks/ (the lessons), singleuser.sh, toolchains/ (Go releases the
                    lessons compare against) and go-build/ (a Go build cache warmed by `gokit doctor`); /srv/gokit
  GOKIT_HUB_HOMES   where learners' homes are made (useradd --base-dir); default /home
  GOKIT_HUB_PASSWORD  the room's password (8+ characters), handed out on the day
  GOKIT_HUB_URL     where browsers reach the hub (the proxy's public address); default http://:8000
Optional: GOKIT_HUB_API_TOKEN registers a `classroom` service with that token and the admin role (the script that
starts learners' servers through the REST API uses it); GOKIT_HUB_WARM_GOCACHE=0 starts learners with an empty Go
build cache (to measure what the warm one saves); GOKIT_HUB_PORTS="HUB,PROXY_API" moves the hub's internal ports
(default 8081,8001); GOKIT_HUB_STATE is where the database and cookie secret live (default: current directory).

For The Littlest JupyterHub and Zero to JupyterHub, see docs/instructors.md: the spawner and authenticator are
theirs; the environment, the shared folder and the warm-cache copy are what carry over.
"""
import os
import sys
from pathlib import Path

from jupyterhub.auth import LocalAuthenticator
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

c = get_config()  # noqa: F821 - defined by JupyterHub when it reads this file

ENV = Path(os.environ.get("GOKIT_HUB_ENV", sys.prefix))
SHARED = Path(os.environ.get("GOKIT_HUB_SHARED", "/srv/gokit"))
HOMES = os.environ.get("GOKIT_HUB_HOMES", "/home")
STATE = Path(os.environ.get("GOKIT_HUB_STATE", "."))
HUB_PORT, PROXY_API_PORT = (int(p) for p in os.environ.get("GOKIT_HUB_PORTS", "8081,8001").split(","))


class ClassroomAuthenticator(LocalAuthenticator, SharedPasswordAuthenticator):
    """Everyone logs in with the room's password under a name of their choosing; the first login with a name
    creates a Unix user of that name with a private home (LocalAuthenticator.create_system_users). Fit for a
    one-day workshop on a machine that holds nothing else; for longer courses use an OAuthenticator or
    NativeAuthenticator (each learner their own password) with the same spawner."""


# --- who: a Unix user per learner, home readable by nobody else (what keeps learners out of each other's files)
c.JupyterHub.authenticator_class = ClassroomAuthenticator
c.ClassroomAuthenticator.user_password = os.environ.get("GOKIT_HUB_PASSWORD")
c.Authenticator.allow_all = True
c.Authenticator.username_pattern = r"^[a-z][a-z0-9-]{0,30}$"  # valid Unix user names, nothing else
c.LocalAuthenticator.create_system_users = True
c.LocalAuthenticator.add_user_cmd = ["useradd", "--create-home", "--base-dir", HOMES, "--key", "HOME_MODE=0700",
                                     "--comment", "gokit learner", "--shell", "/bin/bash"]

# --- where: each learner's server is a process of that user (LocalProcessSpawner), started in their home
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(SHARED / "singleuser.sh")]
c.Spawner.default_url = "/lab/tree/notebooks/00-go-run-is-go-build.ipynb"
c.Spawner.environment = {
    "PATH": f"{ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "GOKIT_HUB_SHARED": str(SHARED),
    # the Go releases lessons 00 and 04 compare against, installed once for everyone (read-only to learners)
    "GOKIT_TOOLCHAINS": str(SHARED / "toolchains"),
    "GOKIT_HUB_WARM_GOCACHE": os.environ.get("GOKIT_HUB_WARM_GOCACHE", "1"),
}
# (GOCACHE, XDG_CACHE_HOME and GOKIT_CACHE are left unset on purpose: each learner's caches live in their home)
c.Spawner.start_timeout = 300  # thirty servers starting at once on a small machine
c.Spawner.http_timeout = 300

# --- the proxy every browser request goes through, and the hub behind it
c.JupyterHub.bind_url = os.environ.get("GOKIT_HUB_URL", "http://:8000")
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_PORT}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = ["configurable-http-proxy"]  # npm install -g configurable-http-proxy
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- the classroom script: create learners and start their servers through the REST API
if os.environ.get("GOKIT_HUB_API_TOKEN"):
    c.JupyterHub.services = [{"name": "classroom", "api_token": os.environ["GOKIT_HUB_API_TOKEN"]}]
    c.JupyterHub.load_roles = [{"name": "admin", "services": ["classroom"]}]
