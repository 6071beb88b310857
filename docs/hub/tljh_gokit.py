"""gokit on The Littlest JupyterHub: copy to /opt/tljh/config/jupyterhub_config.d/gokit.py, then
`sudo tljh-config reload hub`. Before that, once, as root on the server (docs/instructors.md):

    sudo -E /opt/tljh/user/bin/pip install -r binder/requirements.txt
    sudo -E /opt/tljh/user/bin/pip install --no-deps .              # or: gokit-lessons==VERSION from PyPI
    sudo env PATH=/opt/tljh/user/bin:$PATH bash docs/hub/prepare-shared.sh /srv/gokit

TLJH already gives what docs/hub/jupyterhub_config.py sets up by hand: a Unix user per learner (jupyter-NAME, a
home of their own), SystemdSpawner (a private /tmp, memory and CPU limits from `tljh-config set limits.memory`),
its own authenticator and proxy. What carries over is the start script, the shared folder and the environment.
"""
SHARED = "/srv/gokit"

c = get_config()  # noqa: F821 - defined by JupyterHub when it reads this file

c.Spawner.cmd = [f"{SHARED}/singleuser.sh"]  # copies the lessons and the warm Go build cache into a new home
c.Spawner.default_url = "/lab/tree/notebooks/00-go-run-is-go-build.ipynb"
c.Spawner.environment.update({
    "GOKIT_HUB_SHARED": SHARED,
    "GOKIT_TOOLCHAINS": f"{SHARED}/toolchains",  # the second Go, installed once for everyone
})
c.SystemdSpawner.isolate_tmp = True  # TLJH's default, kept: learners never see each other's /tmp
