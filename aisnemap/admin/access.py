"""Access to the import page: the configured secret and a server-wide failure counter.

The counter is kept in a small JSON file (``config.STATE_DIR``), so it holds across
sessions, reloads and server restarts. After a few consecutive failures each new try must
wait longer (2 s, 4 s, 8 s…), and after ``LOCKOUT_AFTER`` failures the page is locked for
``LOCKOUT_SECONDS``. Failures are logged without the secret or what was typed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hmac
import json
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aisnemap import config
from aisnemap.french import texts

LOG = logging.getLogger("aisnemap.admin")
FREE_TRIES = 3
MAX_DELAY_SECONDS = 300
LOCKOUT_AFTER = 10
LOCKOUT_SECONDS = 15 * 60


def admin_secret(secrets: dict | None = None) -> str | None:
    """The configured admin secret (Streamlit secrets, else environment), or None.

    An empty or blank value means "not configured".
    """
    for value in ((secrets or {}).get("admin_secret"), os.environ.get("AISNEMAP_ADMIN_SECRET")):
        if value is not None and str(value).strip():
            return str(value)
    return None


def check_secret(given: str, expected: str | None) -> bool:
    """Constant-time comparison; always False when no secret is configured."""
    if not expected or not expected.strip():
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class Gate:
    """Whether a try is allowed now and, if not, until when (French message)."""

    allowed: bool
    message: str = ""


def _state_file() -> Path:
    return config.STATE_DIR / ".acces_admin.json"


@contextlib.contextmanager
def _state() -> Iterator[dict]:
    path = _state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(state, dict):
                state = {}
        except (OSError, ValueError):
            state = {}
        before = dict(state)
        yield state
        if state != before:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(state), encoding="utf-8")
            os.replace(tmp, path)
        fcntl.flock(lock, fcntl.LOCK_UN)


def _wait_seconds(failures: int) -> int:
    if failures >= LOCKOUT_AFTER:
        return LOCKOUT_SECONDS
    if failures < FREE_TRIES:
        return 0
    return min(2 ** (failures - FREE_TRIES + 1), MAX_DELAY_SECONDS)


def gate(now: dt.datetime | None = None) -> Gate:
    """May somebody try the secret now?"""
    now = now or dt.datetime.now()
    with _state() as state:
        failures = int(state.get("echecs", 0))
        last = state.get("dernier")
    if not failures or not last:
        return Gate(True)
    until = dt.datetime.fromisoformat(last) + dt.timedelta(seconds=_wait_seconds(failures))
    if now >= until:
        return Gate(True)
    if failures >= LOCKOUT_AFTER:
        return Gate(False, texts.IMPORT_LOCKED.format(until=f"{until:%H:%M}"))
    seconds = max(1, math.ceil((until - now).total_seconds()))
    return Gate(False, texts.IMPORT_WAIT.format(seconds=seconds))


def record_failure(now: dt.datetime | None = None) -> int:
    """Count a failed try (server-wide) and log it; returns the consecutive failures."""
    now = now or dt.datetime.now()
    with _state() as state:
        failures = int(state.get("echecs", 0)) + 1
        state["echecs"] = failures
        state["dernier"] = now.isoformat()
    LOG.warning("import : échec d'authentification (%d échec(s) consécutif(s))", failures)
    return failures


def record_success() -> None:
    """A right secret resets the counter."""
    with _state() as state:
        state.clear()
    LOG.info("import : authentification réussie")


def try_secret(given: str, expected: str | None, now: dt.datetime | None = None) -> Gate:
    """Check a try against the gate and the secret, counting it; allowed means admitted."""
    current = gate(now)
    if not current.allowed:
        return current
    if check_secret(given, expected):
        record_success()
        return Gate(True)
    record_failure(now)
    wait = gate(now).message
    return Gate(False, texts.IMPORT_REFUSED + (f" {wait}" if wait else ""))
