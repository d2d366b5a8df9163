"""Twenty visitors ask at once for twenty départements not built: does the server hold?

One replica (builds on visit allowed, as ``make run``) over a copy of the data folder
without any other département built. Twenty protocol-level sessions
(:mod:`bench.load_protocol`) open ``?dep=CODE`` for twenty different codes at once while
the health check is asked every 0.2 s. Printed: the worst health-check time, the server's
resident memory (its process; the build runs in a child process, measured apart), what
the visitors were told, and the memory once they left.

``python -m bench.builds_on_visit`` (run by ``make bench``).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
import urllib.request
from pathlib import Path

from bench.load_protocol import ROOT, Session, rss_mb

CODES = [f"{n:02d}" for n in (*range(10, 20), *range(21, 31))]


def _children_rss(pid: int) -> float:
    """Resident memory of the process's descendants (the builds' child processes)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        kids = [child for child, ppid in parents.items() if ppid == parent]
        found += kids
        frontier += kids
    return rss_mb(found)


async def _health(url: str, stop: asyncio.Event, worst: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.to_thread(urllib.request.urlopen, f"{url}/_stcore/health", None, 30)
        worst[0] = max(worst[0], time.perf_counter() - started)
        await asyncio.sleep(0.2)


async def _memory(pid: int, stop: asyncio.Event, peaks: list[float]) -> None:
    while not stop.is_set():
        peaks[0] = max(peaks[0], rss_mb([pid]))
        peaks[1] = max(peaks[1], _children_rss(pid))
        await asyncio.sleep(0.2)


async def _visit(url: str, code: str, told: dict[str, int]) -> None:
    session = Session(url)
    try:
        await session.open()
        await session.rerun(query=f"dep={code}")
        key = "ouverte" if session.selectboxes else "message"
    except Exception as exc:  # noqa: BLE001 - counted, not raised
        key = f"erreur {type(exc).__name__}"
    finally:
        await session.close()
    told[key] = told.get(key, 0) + 1


async def _run(url: str, pid: int) -> None:
    stop = asyncio.Event()
    worst, peaks, told = [0.0], [rss_mb([pid]), 0.0], {}
    before = peaks[0]
    watchers = [
        asyncio.create_task(_health(url, stop, worst)),
        asyncio.create_task(_memory(pid, stop, peaks)),
    ]
    started = time.perf_counter()
    await asyncio.gather(*(_visit(url, code, told) for code in CODES))
    elapsed = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*watchers)
    await asyncio.sleep(5)
    print(
        f"20 ?dep= non construits à la fois : réponses en {elapsed:.1f} s ; bilan de santé "
        f"au pire {worst[0]:.2f} s ; mémoire du serveur {before:.0f} → {peaks[0]:.0f} Mo au plus, "
        f"{rss_mb([pid]):.0f} Mo après ; construction (processus fils) {peaks[1]:.0f} Mo au "
        f"plus ; visiteurs : {told}",
        flush=True,
    )


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from aisnemap import cluster, config

    folder = ROOT / "bench" / "results" / "construction-a-la-visite"
    shutil.rmtree(folder, ignore_errors=True)
    data = folder / "donnees"
    shutil.copytree(config.DATA_DIR, data, ignore=shutil.ignore_patterns("departements"))
    env = {
        "AISNEMAP_DATA_DIR": str(data),
        "AISNEMAP_STATE_DIR": str(folder),
        "AISNEMAP_BUILD_ON_VISIT": "1",
    }
    run = cluster.Cluster(1, cluster.free_port(), folder / "run", env)
    run.start_single()
    try:
        asyncio.run(_run(run.url, run.members[0].process.pid))
    finally:
        run.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
