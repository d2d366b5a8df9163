"""The same export asked by many at once is made once (aisnemap.render.shared)."""

from __future__ import annotations

import threading
import time

import pytest

from aisnemap.render.shared import SharedResults


def test_concurrent_identical_requests_make_the_result_once():
    store = SharedResults()
    calls = []
    start = threading.Barrier(8)

    def make():
        calls.append(1)
        time.sleep(0.2)  # long enough for the other seven to arrive while it is made
        return b"png"

    results = []

    def ask():
        start.wait()
        results.append(store.get(("png", "025"), make))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [b"png"] * 8
    assert len(calls) == 1 and store.made == 1


def test_other_keys_are_made_and_the_oldest_leaves_first():
    store = SharedResults(max_entries=2)
    for key in ("a", "b", "c"):
        store.get(key, lambda key=key: key.encode())
    assert store.made == 3
    store.get("c", lambda: b"again")  # stored: not made again
    assert store.made == 3
    assert store.get("a", lambda: b"a2") == b"a2"  # "a" was evicted
    assert store.made == 4


def test_a_failure_is_not_kept_and_the_next_request_makes_it():
    store = SharedResults()

    def fail():
        raise RuntimeError("dessin impossible")

    with pytest.raises(RuntimeError):
        store.get("k", fail)
    assert store.get("k", lambda: b"ok") == b"ok"
