"""A département built for a visitor: one build at a time, in a child process.

``make data`` (or ``make data-all`` for every département, as a deployment does) builds
beforehand; a server may also build a missing département when a visitor first asks for
it, under three rules:

- **one build at a time** for the whole data folder, every replica included (an exclusive
  ``flock`` on ``.construction.lock`` in the state folder); a visitor asking for another
  département meanwhile is told to come back, nothing is queued behind it;
- a visitor asking for the département being built waits for that build (bounded);
- the build runs in a **child process** (``python -m aisnemap.build``): its memory goes back
  to the system when it ends and the server's interpreter keeps answering others.

No Streamlit here: the page shows the outcome.
"""

from __future__ import annotations

import enum
import fcntl
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aisnemap import config
from aisnemap.build import pipeline
from aisnemap.domain.departements import department_dir

LOG = logging.getLogger("aisnemap.build")

#: Longest a build may take before it is stopped, and a visitor waits for another's.
BUILD_TIMEOUT_S = 300
WAIT_POLL_S = 0.5
LOCK_NAME = ".construction.lock"


class Outcome(enum.Enum):
    BUILT = "built"
    #: Another département is being built: nothing started.
    BUSY = "busy"
    FAILED = "failed"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    seconds: float = 0.0
    #: What the build printed (server log only: it may hold paths).
    detail: str = ""


def lock_path() -> Path:
    return config.STATE_DIR / LOCK_NAME


def build_command(code: str, sources: str | None = None) -> list[str]:
    """The child's command line: the same build as ``make data`` would run."""
    return [
        sys.executable,
        "-m",
        "aisnemap.build",
        "--departement",
        code,
        "--sources",
        str(sources or config.SOURCES_DIR),
        "--out",
        str(department_dir(code)),
        "--if-missing",
    ]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["AISNEMAP_DATA_DIR"] = str(config.DATA_DIR)
    env["AISNEMAP_PROGRAMME"] = str(config.PROGRAMME_DIR)
    env["AISNEMAP_SOURCES"] = str(config.SOURCES_DIR)
    return env


def _run_child(code: str) -> Result:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            build_command(code),
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            env=_child_env(),
            cwd=config.ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Result(Outcome.FAILED, time.perf_counter() - started, "délai dépassé")
    seconds = time.perf_counter() - started
    detail = (done.stderr or done.stdout or "").strip()
    if done.returncode != 0 or not pipeline.is_built(department=code):
        return Result(Outcome.FAILED, seconds, detail or f"code de sortie {done.returncode}")
    return Result(Outcome.BUILT, seconds, detail)


def request_build(code: str, waiting: Callable[[], None] | None = None) -> Result:
    """Build ``code`` now if no other build runs (in a child process); wait for it when
    the same département is being built; BUSY when another one is. ``waiting`` is called
    once when this visitor waits for someone else's build of the same département."""
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            running = handle.read().strip()
            if running != code:
                return Result(Outcome.BUSY, detail=running)
            return _wait_for(code, handle, waiting)
        try:
            if pipeline.is_built(department=code):  # built while this visitor asked
                return Result(Outcome.BUILT)
            handle.seek(0)
            handle.truncate()
            handle.write(code)
            handle.flush()
            result = _run_child(code)
            if result.outcome is Outcome.FAILED:
                LOG.warning("construction du département %s impossible : %s", code, result.detail)
            return result
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_for(code: str, handle, waiting: Callable[[], None] | None) -> Result:
    """Wait until the build holding the lock ends; its outcome is what the folder holds."""
    if waiting is not None:
        waiting()
    started = time.perf_counter()
    while time.perf_counter() - started < BUILD_TIMEOUT_S:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            time.sleep(WAIT_POLL_S)
            continue
        fcntl.flock(handle, fcntl.LOCK_UN)
        break
    seconds = time.perf_counter() - started
    if pipeline.is_built(department=code):
        return Result(Outcome.BUILT, seconds)
    return Result(Outcome.FAILED, seconds, "la construction attendue n'a pas abouti")
