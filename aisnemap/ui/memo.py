"""What a run derives from the shared data, kept as long as that data lives.

The data of a file version is loaded once and shared by every session
(:mod:`aisnemap.ui.data`); a run then derives from it things that depend only on it and on
a few filter values: the territory's bounds, the place names, the sidebar's lists. A
filter change went through them again (about 60 ms of each rerun before the map was
sent, measured with py-spy). Here each result is kept beside the object it was derived
from (``owner``: the communes table of a version, say) and forgotten when that object is
collected, so a new file version never reads an old result. Values are shared between
sessions: callers must not change them (tuples, dicts and frames they only read).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

#: Results kept at most (for every owner together); the oldest used goes first.
KEPT = 512

_MEMO: OrderedDict[tuple[int, Hashable], object] = OrderedDict()
_WATCHED: set[int] = set()
_LOCK = threading.Lock()


def _forget(owner_id: int) -> None:
    with _LOCK:
        _WATCHED.discard(owner_id)
        for key in [k for k in _MEMO if k[0] == owner_id]:
            del _MEMO[key]


def remembered(owner: object, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``owner`` and ``key`` while ``owner`` lives (two sessions
    asking at once may both compute it: the result is the same)."""
    entry = (id(owner), key)
    with _LOCK:
        if entry in _MEMO:
            _MEMO.move_to_end(entry)
            return _MEMO[entry]  # type: ignore[return-value]
    value = compute()
    with _LOCK:
        if id(owner) not in _WATCHED:
            _WATCHED.add(id(owner))
            weakref.finalize(owner, _forget, id(owner))
        _MEMO[entry] = value
        while len(_MEMO) > KEPT:
            _MEMO.popitem(last=False)
    return value
