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
    monkeypatch.setenv("GOKIT_CACHE", str(tmp_path / "gokit-cache"))
    return tmp_path / "gokit-cache"


def _hammer(args: tuple[str, str, int]) -> int:
    root, k, n = args
    os.environ["GOKIT_CACHE"] = root
    from gokit import _cache as c

    bad = 0
    for i in range(n):
        c.put_json("hammer", k, {"writer": os.getpid(), "i": i, "pad": "x" * 50_000})
        got = c.get_json("hammer", k)
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
    cache.put_bytes("things", "ab" * 32, b"x" * 1000)
    info = cache.info()
    assert info["kinds"]["things"] == {"files": 1, "bytes": 1000}
    assert cache.clear(["things"]) == 1000 and cache.info()["kinds"] == {}


def test_damaged_cache_entry_is_a_miss(private_cache) -> None:
    k = cache.key("damaged")
    cache.put_bytes("j", k, b"{not json")
    assert cache.get_json("j", k) is None
    assert cache.memo_json("j", k, lambda: {"ok": 1}) == {"ok": 1} and cache.get_json("j", k) == {"ok": 1}
