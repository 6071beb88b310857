"""gokit._cache: keys, atomic writes two processes at once, damaged entries, install races."""
from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from gokit import _cache as cache


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """An empty gokit cache of this test's own; no value from the memory of an earlier test, and this test's values
    written (behind) before the fixture puts $GOKIT_CACHE back."""
    cache.forget()
    monkeypatch.setenv("GOKIT_CACHE", str(tmp_path / "gokit-cache"))
    yield tmp_path / "gokit-cache"
    cache.forget()


def _hammer(args: tuple[str, str, int]) -> int:
    root, k, n = args
    os.environ["GOKIT_CACHE"] = root
    from gokit import _cache as c

    bad = 0
    for i in range(n):
        c._put_pickle("hammer", k, {"writer": os.getpid(), "i": i, "pad": "x" * 50_000})
        got = c._get_pickle("hammer", k, dict)
        if got is None or len(got["pad"]) != 50_000:
            bad += 1
    return bad


def _fill_dir(args: tuple[str, str]) -> str:
    root, k = args
    os.environ["GOKIT_CACHE"] = root
    from gokit import _cache as c

    def fill(tmp: Path) -> None:
        time.sleep(0.2)  # both processes are inside fill at once
        (tmp / "who").write_text(str(os.getpid()))

    return str(c.install_dir("dirs", k, fill))


def test_cache_two_processes_never_see_a_torn_write(private_cache) -> None:
    k = cache.key("same", "key")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        bad = pool.map(_hammer, [(str(private_cache), k, 200)] * 2)
    assert bad == [0, 0]
    assert not list((private_cache / "hammer").rglob(".tmp-*")), "temp files left behind"


def test_install_dir_race_has_one_winner(private_cache) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        paths = pool.map(_fill_dir, [(str(private_cache), "k" * 64)] * 2)
    assert paths[0] == paths[1] and (Path(paths[0]) / "who").is_file()
    assert len(list((private_cache / "dirs").rglob("who"))) == 1


def test_cache_key_order_independent_and_info_clear(private_cache) -> None:
    assert cache.key({"a": 1, "b": 2}) == cache.key({"b": 2, "a": 1}) != cache.key({"a": 2, "b": 1})
    cache.file("things", "ab" * 32, b"x" * 1000)
    info = cache.info()
    assert info["kinds"]["things"] == {"files": 1, "bytes": 1000}
    assert cache.clear(["things"]) == 1000 and cache.info()["kinds"] == {}


def test_damaged_cache_entry_is_a_miss(private_cache) -> None:
    k = cache.key("damaged")
    cache.file("j", k, b"{not a pickle")
    assert cache.memo("j", k, lambda: {"ok": 1}, dict) == {"ok": 1}
    cache.forget()
    assert cache.memo("j", k, lambda: {"ok": 2}, dict) == {"ok": 1}   # stored: from the disk now


def test_memo_keeps_what_is_valid_and_of_its_type(private_cache) -> None:
    calls = []

    def compute() -> tuple[str, ...]:
        calls.append(1)
        return ("a", "b")

    k = cache.key("memo")
    assert cache.memo("m", k, compute, tuple) == ("a", "b") and cache.memo("m", k, compute, tuple) == ("a", "b")
    assert len(calls) == 1                              # the second came from memory
    cache.forget()
    assert cache.memo("m", k, compute, tuple, valid=lambda v: False) == ("a", "b") and len(calls) == 2
    assert cache.memo("n", k, lambda: b"raw", bytes) == b"raw" and (cache.path("n", k)).read_bytes() == b"raw"
    assert cache.memo("o", k, lambda: [1], list, keep=lambda v: False) == [1] and not cache.path("o", k).exists()


def _writes_wait_for_release(monkeypatch) -> "threading.Event":
    """Make the cache's writes behind wait until the returned event is set."""
    import threading

    release = threading.Event()
    write = cache._put_pickle

    def slow(kind: str, k: str, value: object, where: Path | None = None) -> None:
        release.wait(60)
        write(kind, k, value, where)

    monkeypatch.setattr(cache, "_put_pickle", slow)
    return release


def test_values_are_written_behind_and_found_while_pending(private_cache, monkeypatch) -> None:
    """put returns before the disk write; a get in the meantime finds the pending value; flush waits for it."""
    release = _writes_wait_for_release(monkeypatch)
    k = cache.key("behind", 1)
    cache.put("behind", k, {"v": 1}, memory=False)
    # put returned while the write still waits for `release` (a put that wrote itself would have waited): no timing
    assert not release.is_set() and not cache.path("behind", k).exists()
    assert cache.get("behind", k, dict, memory=False) == {"v": 1}
    release.set()
    cache.flush()
    assert cache.path("behind", k).exists()
    assert cache._get_pickle("behind", k, dict) == {"v": 1}


def test_a_value_is_written_to_the_cache_it_was_put_in(tmp_path, monkeypatch) -> None:
    """$GOKIT_CACHE changed between a put and its write behind (a test's private cache, set then put back): the value
    lands in the cache it was put in, not in the other one (a test that checks its cache stays empty saw it)."""
    cache.flush()
    release = _writes_wait_for_release(monkeypatch)
    monkeypatch.setenv("GOKIT_CACHE", str(tmp_path / "a"))
    k = cache.key("moved", 1)
    cache.put("moved", k, {"v": 1}, memory=False)
    monkeypatch.setenv("GOKIT_CACHE", str(tmp_path / "b"))
    release.set()
    cache.flush()
    assert (tmp_path / "a" / "moved" / k[:2] / k).is_file() and not (tmp_path / "b").exists()


def test_replace_dir_two_at_once_both_succeed(private_cache) -> None:
    """Two fresh fills of one entry at once (two kernels, or two threads, asking for fresh=True builds): neither fails,
    the entry is one of the two complete directories, and nothing is left beside it."""
    import threading

    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def one(n: int) -> None:
        def fill(tmp: Path) -> None:
            (tmp / "a").write_text(str(n))
            start.wait(30)  # both fills done, both renames racing
            (tmp / "b").write_text(str(n))

        try:
            for _ in range(20):
                cache.replace_dir("fresh", "f" * 64, fill)
        except BaseException as e:  # noqa: BLE001 - asserted on the main thread
            errors.append(e)
            start.abort()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    left = sorted(p.name for p in (private_cache / "fresh" / "ff").iterdir())
    assert left == ["f" * 64], left
    d = private_cache / "fresh" / "ff" / ("f" * 64)
    assert (d / "a").read_text() == (d / "b").read_text(), "one fill's directory, whole"
