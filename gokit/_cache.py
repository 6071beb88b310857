"""gokit's one cache: results keyed from the resolved package (Go, source, go.mod, target) and the stage's own
inputs, kept in memory for this process and written atomically under the user cache dir.

`get(kind, key, type)` then `put(kind, key, value)` (or `memo(kind, key, compute, type)`, both at once) is what
every stage calls: memory, then disk (a pickled frozen dataclass, or raw bytes). A pickled value is written
behind, by one thread, so the call that computed it returns without waiting for the disk; `flush()` waits
for those writes (at exit, and before `forget`, `info` and `clear`). `file` keeps one file a tool
reads by its path (an importcfg); `install_dir` and `replace_dir` keep directories of files (a binary, an
archive, a module dir) under the same layout."""
from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

CACHE_VERSION = "3"
#: Entries kept in memory per kind (what a repeat in the same kernel returns without reading the disk).
MEMORY_ENTRIES = 64

T = TypeVar("T")

log = logging.getLogger("gokit.cache")


def cache_dir() -> Path:
    """$GOKIT_CACHE, else $XDG_CACHE_HOME/gokit, else ~/.cache/gokit."""
    if os.environ.get("GOKIT_CACHE"):
        return Path(os.environ["GOKIT_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gokit"


def key(*parts: Any) -> str:
    """A stable hex key of JSON-able parts (dict order does not matter)."""
    blob = json.dumps([CACHE_VERSION, *parts], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def path(kind: str, k: str) -> Path:
    """Where the entry `k` of `kind` lives (a file, or a directory for install_dir/replace_dir)."""
    return _path(kind, k)


def _path(kind: str, k: str) -> Path:
    return cache_dir() / kind / k[:2] / k


def file_digest(path: str | os.PathLike[str]) -> str:
    """sha256 of a file's content, read in 1 MiB chunks (a binary's key in the result cache)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _get_bytes(kind: str, k: str) -> bytes | None:
    try:
        return _path(kind, k).read_bytes()
    except OSError:
        return None


def file(kind: str, k: str, data: bytes) -> Path:
    """A cached file with these bytes (for a tool that reads a path, like an importcfg): written once, atomically."""
    p = _path(kind, k)
    return p if p.is_file() else _put_bytes(kind, k, data)


def _put_bytes(kind: str, k: str, data: bytes, where: Path | None = None) -> Path:
    """Write atomically: a temp file in the same dir, then os.replace (safe for two kernels). `where`: the entry's
    path when it was put (the cache dir may have moved since: $GOKIT_CACHE changed), else where it is now."""
    p = where if where is not None else _path(kind, k)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def install_dir(kind: str, k: str, fill: Callable[[Path], None]) -> Path:
    """A cached directory: built by fill(tmpdir) then renamed into place atomically."""
    final = _path(kind, k)
    if final.is_dir():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=".tmp-"))
    try:
        fill(tmp)
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.is_dir():  # somebody else won the race: theirs is as good as ours
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def replace_dir(kind: str, k: str, fill: Callable[[Path], None]) -> Path:
    """Like install_dir, but always fills a new directory and swaps it in place of any old one. Two fills of one
    entry at once (two kernels, two threads) both succeed: the entry is one of the two new directories."""
    final = _path(kind, k)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=".tmp-"))
    old = Path(tempfile.mkdtemp(dir=final.parent, prefix=".old-"))  # this call's own: renaming onto it replaces it
    try:
        fill(tmp)
        try:
            os.rename(final, old)  # the previous directory out of the way
        except FileNotFoundError:
            pass  # there was none, or another fill moved it first
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.is_dir():
                raise
            # another fill put its new directory in place between our two renames: as fresh as ours
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return final


def _walk(root: Path) -> Iterable[Path]:
    for dirpath, _, files in os.walk(root):
        for f in files:
            yield Path(dirpath) / f


def _size(f: Path) -> int:
    """A file's size, 0 when it is gone (another kernel's install or replace removed its scratch copy meanwhile)."""
    try:
        return f.stat().st_size
    except OSError:
        return 0


def info() -> dict[str, Any]:
    """Where the cache is, and entries and bytes per kind."""
    flush()
    root = cache_dir()
    kinds: dict[str, dict[str, int]] = {}
    if root.is_dir():
        for sub in sorted(p for p in root.iterdir() if p.is_dir()):
            files = list(_walk(sub))
            kinds[sub.name] = {"files": len(files), "bytes": sum(_size(f) for f in files)}
    return {"path": str(root), "kinds": kinds,
            "bytes": sum(k["bytes"] for k in kinds.values())}


#: Kinds `clear()` keeps unless they are named: Go toolchains installed by use_go() (~250 MB each to fetch again).
KEEP_ON_CLEAR = ("toolchains",)


def clear(kinds: Iterable[str] | None = None) -> int:
    """Remove cached results (all kinds but toolchains, or the named ones); returns bytes freed."""
    flush()
    root = cache_dir()
    freed = 0
    if not root.is_dir():
        return 0
    wanted = set(kinds) if kinds else None
    for sub in root.iterdir():
        if sub.is_dir() and (sub.name in wanted if wanted is not None else sub.name not in KEEP_ON_CLEAR):
            freed += sum(_size(f) for f in _walk(sub))
            shutil.rmtree(sub, ignore_errors=True)
    return freed


def get(kind: str, k: str, type: type[T], *, valid: Callable[[T], bool] | None = None, disk: bool = True,
        memory: bool = True) -> T | None:
    """The value of `kind` stored under key `k` (in this process's memory, else on disk), or None: a stored value
    that is not a `type`, or that `valid(value)` refuses (a file it names is gone), is a miss."""
    mem = _memory(kind) if memory else None
    hit = mem.get(k) if mem is not None else None
    if hit is not None and isinstance(hit, type) and (valid is None or valid(hit)):
        return hit
    if disk:
        with _lock:
            stored: Any = _pending.get((kind, k))
        if stored is None or not isinstance(stored, type):
            stored = _get_bytes(kind, k) if type is bytes else _get_pickle(kind, k, type)
        if stored is not None and (valid is None or valid(stored)):
            if mem is not None:
                mem.put(k, stored)
            return stored  # type: ignore[no-any-return]
    return None


def put(kind: str, k: str, value: T, *, disk: bool = True, memory: bool = True) -> T:
    """Store `value` under key `k`: in this process's memory, and on disk (bytes as they are, now; anything else
    pickled, written behind). Returns it."""
    if disk:
        if isinstance(value, bytes):
            _put_bytes(kind, k, value)
        else:
            _write_behind(kind, k, value)
    if memory:
        _memory(kind).put(k, value)
    return value


def memo(kind: str, k: str, compute: Callable[[], T], type: type[T], *, valid: Callable[[T], bool] | None = None,
         keep: Callable[[T], bool] | None = None, disk: bool = True, memory: bool = True) -> T:
    """`get`, else `compute()` and `put` (unless `keep(value)` is False)."""
    hit = get(kind, k, type, valid=valid, disk=disk, memory=memory)
    if hit is not None:
        return hit
    value = compute()
    return put(kind, k, value, disk=disk, memory=memory) if keep is None or keep(value) else value


_memories: dict[str, "_Memo"] = {}


def _memory(kind: str) -> "_Memo":
    m = _memories.get(kind)
    if m is None:
        m = _memories.setdefault(kind, _Memo(MEMORY_ENTRIES))
    return m


def forget() -> None:
    """Empty the in-memory part of the cache (the disk keeps its entries, pending writes done first)."""
    flush()
    for m in _memories.values():
        m.clear()


def _get_pickle(kind: str, k: str, cls: type) -> Any | None:
    """A result stored with put_pickle, if it is there and still an instance of `cls`; a damaged or outdated
    entry is a miss. (gokit's own pickles of frozen dataclasses: ~1 ms to load, against re-running a tool.)"""
    import gzip
    import pickle

    raw = _get_bytes(kind, k)
    if raw is None:
        return None
    try:
        value = pickle.loads(gzip.decompress(raw))
    except Exception:  # damaged, or written by another gokit: recompute
        return None
    return value if isinstance(value, cls) else None


def _put_pickle(kind: str, k: str, value: Any, where: Path | None = None) -> None:
    import gzip
    import pickle

    _put_bytes(kind, k, gzip.compress(pickle.dumps(value, protocol=4), 1), where)


# ---------------------------------------------------------------- writing behind

_lock = threading.Lock()
#: Values put but not yet on disk, by (kind, key): a get in the meantime finds them here.
_pending: dict[tuple[str, str], Any] = {}
_queue: "queue.Queue[tuple[str, str, Any, Path]] | None" = None
#: The writer pickles only once no value was put for this long: the call that put them (a burst of results, like
#: a journey's stages) finishes first instead of sharing the interpreter with the pickling.
QUIET_SECONDS = 0.05
_last_put = 0.0


def _write_behind(kind: str, k: str, value: Any) -> None:
    global _queue, _last_put
    with _lock:
        _last_put = time.monotonic()
        _pending[(kind, k)] = value
        if _queue is None:
            _queue = queue.Queue()
            threading.Thread(target=_writer, args=(_queue,), name="gokit-cache-writer", daemon=True).start()
        # the path now: a value is written to the cache it was put in, even if $GOKIT_CACHE changes before the
        # writer gets to it (a test's private cache, set and unset around it)
        _queue.put((kind, k, value, _path(kind, k)))


def _writer(q: "queue.Queue[tuple[str, str, Any, Path]]") -> None:
    while True:
        kind, k, value, where = q.get()
        while (quiet := time.monotonic() - _last_put) < QUIET_SECONDS:
            time.sleep(QUIET_SECONDS - quiet)
        try:
            _put_pickle(kind, k, value, where)
        except Exception as e:  # a full or read-only disk: the entry is a miss next time, nothing worse
            log.warning("gokit could not write a %s cache entry: %s", kind, e)
        finally:
            with _lock:
                if _pending.get((kind, k)) is value:
                    del _pending[(kind, k)]
            q.task_done()


def flush() -> None:
    """Wait until every value put so far is on disk."""
    q = _queue
    if q is not None:
        q.join()


def _after_fork() -> None:  # the writer thread does not survive a fork: the child starts its own
    global _queue, _lock
    _queue, _lock = None, threading.Lock()
    _pending.clear()


atexit.register(flush)
os.register_at_fork(after_in_child=_after_fork)


class _Memo:
    """A small in-process LRU of results by key (thread-safe): what a view returns on a repeat in this kernel."""

    def __init__(self, size: int = 32) -> None:
        import threading
        from collections import OrderedDict

        self.size = size
        self._items: "OrderedDict[str, Any]" = OrderedDict()
        self._lock = threading.Lock()

    def get(self, k: str) -> Any | None:
        with self._lock:
            v = self._items.get(k)
            if v is not None:
                self._items.move_to_end(k)
            return v

    def put(self, k: str, v: Any) -> None:
        with self._lock:
            self._items[k] = v
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
