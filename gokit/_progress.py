"""Progress for long work: a widget bar in Jupyter, a text bar on a terminal, one final line anywhere else."""
from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, TextIO

log = logging.getLogger("gokit.progress")


def on_terminal(stream: "TextIO | None" = None) -> bool:
    """Whether a redrawing text bar has someone to watch it: the stream (stderr) is a terminal, not in CI, and the
    terminal can move the cursor (TERM is not `dumb`)."""
    stream = stream if stream is not None else sys.stderr
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):   # closed or replaced by something without a file
        tty = False
    return tty and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython

        ip = get_ipython()
        return ip is not None and "IPKernelApp" in ip.config
    except Exception:  # noqa: BLE001 - no IPython: not a kernel
        return False


class Progress:
    """Progress of long work that leaves nothing behind where it redraws.

    In a Jupyter kernel: a widget bar whose output is blanked when it closes (a text bar if widgets are
    missing: the notebook redraws it in place). On a terminal (stderr is a tty, not CI): a tqdm text bar that
    clears itself. Anywhere else (a pipe, a log file, CI): no redraws at all, only one line when the work ends:
    what it was, how much of it was done and how long it took.
    """

    def __init__(self, total: int, initial: int = 0, *, desc: str = "gokit.bench", unit: str = "run") -> None:
        self._handle: Any = None
        self._bar: Any = None
        self._desc, self._unit, self._total, self._n = desc, unit, total, initial
        self._start = time.perf_counter()
        self._closed = False
        kw = {"total": total, "initial": initial, "desc": desc, "unit": unit, "leave": False}
        if _in_kernel():
            try:
                from IPython.display import display
                from tqdm.notebook import tqdm as notebook_tqdm  # type: ignore[import-untyped]

                self._bar = notebook_tqdm(display=False, **kw)
                self._handle = display(self._bar.container, display_id=True)
                return
            except Exception:  # noqa: BLE001 - no ipywidgets: a text bar the notebook redraws in place
                log.debug("no notebook progress bar", exc_info=True)
        elif not on_terminal():
            return                            # a pipe or CI: a final line only (close)
        from tqdm.auto import tqdm  # type: ignore[import-untyped]

        self._bar = tqdm(**kw)

    def update(self, n: int) -> None:
        self._n += n
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._bar is None:
            if self._total:
                seconds = time.perf_counter() - self._start
                sys.stderr.write(f"{self._desc}: {min(self._n, self._total)}/{self._total} {self._unit}s, "
                                 f"{seconds:.1f} s\n")
                sys.stderr.flush()
            return
        self._bar.close()
        if self._handle is not None:
            self._handle.update({"text/plain": ""}, raw=True)


# ---------------------------------------------------------------- packages Go compiles into its build cache


class CacheCount:
    """The packages compiled into a GOCACHE since this was made: cache entries `*-a` written since, whose output
    `*-d` is a package archive (`!<arch>`). Each poll lists the cache: for a watch of seconds, not a hot loop."""

    def __init__(self, gocache: "str | os.PathLike[str]") -> None:
        self.root = Path(os.fspath(gocache))
        self.since = time.time_ns() - 1_000_000  # mtimes are coarse on some file systems
        self._seen: set[tuple[str, int]] = set()  # (entry, mtime) looked at
        # A stored package is known by its entry's text, not its mtime: Go writes an entry, then sets its mtime
        # (cmd/go/internal/cache/cache.go, putIndexEntry: os.Chtimes after the write), so one write can show two
        # mtimes to a poll that falls between. The text holds the write's own time in ns ("v1 <action> <output>
        # <size> <time>"), so a package compiled again (-a) is a new text and counts again.
        self._packages: set[str] = set()
        self._lock = threading.Lock()  # a watch's thread polls while its owner may ask `compiled`

    def _entries(self) -> set[tuple[str, int]]:
        found: set[tuple[str, int]] = set()
        try:
            subdirs = list(os.scandir(self.root))
        except OSError:
            return found
        for d in subdirs:
            if len(d.name) != 2 or not d.is_dir():
                continue
            try:
                for f in os.scandir(d.path):
                    if f.name.endswith("-a"):
                        st = f.stat()
                        if st.st_mtime_ns >= self.since:
                            found.add((f.name, st.st_mtime_ns))
            except OSError:
                continue
        return found

    def _package_entry(self, name: str) -> str | None:
        """The entry's text when its output is a package archive, "" when it is another output; None when it
        cannot be read yet."""
        try:
            text = (self.root / name[:2] / name).read_text()
            fields = text.split()
            if len(fields) < 5 or not text.endswith("\n"):
                return None  # being written: Go writes "v1 <action> <output> <size> <time>\n" in one go, but a
                # read in the middle can see part of it (a cut time field would make it a second package)
            out = self.root / fields[2][:2] / f"{fields[2]}-d"
            with out.open("rb") as f:
                return text.strip() if f.read(8) == b"!<arch>\n" else ""
        except (OSError, IndexError):
            return None

    def poll(self) -> int:
        """How many packages were compiled and stored so far (a package compiled twice counts twice)."""
        with self._lock:
            for entry in self._entries() - self._seen:
                text = self._package_entry(entry[0])
                if text is None:
                    continue  # written a moment ago: look again next time
                self._seen.add(entry)
                if text:
                    self._packages.add(text)
            return len(self._packages)


class CompileWatch:
    """Progress for a go command that may compile packages into the build cache (the standard library's first
    compile on a new machine): nothing while it is quick; after `delay` seconds, a bar saying what Go is compiling
    and why, that moves with every package stored (out of `total()`, asked only then, when it can tell)."""

    POLL_SECONDS = 0.5

    def __init__(self, gocache: "str | os.PathLike[str]", desc: str, total: Callable[[], int], *,
                 delay: float = 1.0, unit: str = "package") -> None:
        self.desc, self.delay, self._total, self.unit = desc, delay, total, unit
        self._count = CacheCount(gocache)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.shown = False

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return                      # it was quick: nothing to show
        try:
            total = max(1, int(self._total()))
        except Exception:  # noqa: BLE001 - no total: the bar still says what is being compiled
            log.debug("no package count for %s", self.desc, exc_info=True)
            total = 1
        if self._stop.is_set():
            return
        bar = Progress(total, 0, desc=self.desc, unit=self.unit)
        self.shown = True
        shown = 0
        try:
            while True:
                stop = self._stop.wait(self.POLL_SECONDS)
                n = min(self._count.poll(), total)
                if n > shown:
                    bar.update(n - shown)
                    shown = n
                if stop:
                    break
        finally:
            bar.close()

    @property
    def compiled(self) -> int:
        """Packages compiled and stored since the watch was made (a package compiled twice counts twice)."""
        return self._count.poll()

    def __enter__(self) -> "CompileWatch":
        self._thread = threading.Thread(target=self._loop, daemon=True, name="gokit-compile-watch")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
