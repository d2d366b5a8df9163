"""Results made once and shared: the same export of the same view, asked by many officials
at once, is drawn once (no Streamlit here).

A PNG of a view costs about 0.8 s of a core; fifty sessions asking for the six
arrondissements' PNGs on two cores queued for 20 s. Keyed on what the file is made from
(the data's version, the filters and reading, the day printed on it), an export is the same
bytes for everyone: the first request draws it, concurrent identical requests wait for that
drawing instead of starting their own, later ones get it at once. Bounded (least recently
used first out); a failure is not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class SharedResults:
    """A bounded, thread-safe store of results made at most once per key at a time."""

    def __init__(self, max_entries: int = 32) -> None:
        self.max_entries = max_entries
        self._done: OrderedDict[Hashable, bytes] = OrderedDict()
        self._making: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        #: How many results were made (not served from the store): for the tests and logs.
        self.made = 0

    def get(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """The result for ``key``, made by ``make`` unless it is stored or being made."""
        while True:
            with self._lock:
                if key in self._done:
                    self._done.move_to_end(key)
                    return self._done[key]
                lock = self._making.get(key)
                if lock is None:
                    lock = self._making[key] = threading.Lock()
                    lock.acquire()
                    break
            # Someone is making it: wait for them, then read the store (or make it if
            # their attempt failed).
            with lock:
                pass
        try:
            result = make()
        except BaseException:
            with self._lock:
                del self._making[key]
            lock.release()
            raise
        with self._lock:
            self.made += 1
            self._done[key] = result
            while len(self._done) > self.max_entries:
                self._done.popitem(last=False)
            del self._making[key]
        lock.release()
        return result
