"""The process's long-lived objects out of the garbage collector's way.

Streamlit collects every generation after each script run (``runner.postScriptGC``, on
by default, to keep memory down). With the libraries and a département's data loaded the
collector tracks about 190 000 objects: each collection took 90–100 ms of every run on
this machine (py-spy, ``gc.collect(2)`` timed alone), holding the interpreter lock, so the
map's delta waited to be sent and other sessions' runs waited too. After something big
and long-lived is loaded (a data version, with the libraries imported by then; the
national files), we collect what is garbage and move every object alive to the permanent
generation (``gc.freeze``): Streamlit's collection then scans only what runs create
(well under a millisecond measured). Frozen objects are still freed when nothing refers
to them; the next settle unfreezes and collects them all first, so a cycle left by an
old version is collected then.
"""

from __future__ import annotations

import gc
import threading

_LOCK = threading.Lock()


def settle() -> None:
    """Collect the garbage, then freeze what is alive (about 100 ms: after loads only)."""
    with _LOCK:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
