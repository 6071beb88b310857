"""gokit's private temporary directory: every temp dir gokit makes, and Go's GOTMPDIR, live under one root per process."""
from __future__ import annotations

import atexit
import os
import queue
import re
import shutil
import tempfile
import threading
from pathlib import Path

#: The per-process root is named gokit-<pid>-<random> in the system temp dir.
ROOT_PREFIX = "gokit-"
ROOT_RE = re.compile(r"^gokit-(?P<pid>\d+)-\w+$")

_lock = threading.Lock()
_root: tuple[int, Path] | None = None


def root() -> Path:
    """This process's private temp root (made on first use, removed at exit; a forked child gets its own)."""
    global _root
    with _lock:
        pid = os.getpid()
        if _root is not None and _root[0] == pid and _root[1].is_dir():
            return _root[1]
        _sweep()
        path = Path(tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{pid}-"))
        _root = (pid, path)
        atexit.register(shutil.rmtree, path, True)
        return path


def gotmpdir() -> Path:
    """Where Go puts its work dirs (GOTMPDIR) for the go commands this process runs."""
    d = root() / "go"
    d.mkdir(exist_ok=True)
    return d


def mkdtemp(prefix: str) -> Path:
    """A new private temp dir (the caller removes it)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root()))


_doomed: "queue.Queue[Path] | None" = None


def remove_later(path: Path) -> None:
    """Remove a private temp dir behind the caller (a thread deletes it; the root goes at exit anyway): a result
    need not wait for the file system to forget its scratch files. `removed()` waits for them."""
    global _doomed
    with _lock:
        if _doomed is None:
            _doomed = queue.Queue()
            threading.Thread(target=_remover, args=(_doomed,), name="gokit-tmp-remover", daemon=True).start()
        _doomed.put(path)


def removed() -> None:
    """Wait until every dir given to remove_later so far is gone (a check that nothing was left behind)."""
    q = _doomed
    if q is not None:
        q.join()


def _remover(q: "queue.Queue[Path]") -> None:
    while True:
        path = q.get()
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            q.task_done()


def _after_fork() -> None:  # the remover thread does not survive a fork: the child starts its own
    global _doomed
    _doomed = None


os.register_at_fork(after_in_child=_after_fork)


def _sweep() -> None:
    """Remove the roots of gokit processes that are gone (a killed kernel cannot clean up after itself)."""
    base = Path(tempfile.gettempdir())
    try:
        entries = list(base.iterdir())
    except OSError:
        return
    for p in entries:
        m = ROOT_RE.match(p.name)
        if not m or not p.is_dir():
            continue
        pid = int(m.group("pid"))
        if pid == os.getpid() or _alive(pid):
            continue
        shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
