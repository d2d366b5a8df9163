"""Load at the protocol level: N Streamlit sessions without browsers, one or two replicas.

A browser-driven load test mostly measures the browsers (they shared the server's two
cores). Here each session is what Streamlit's front end is on the wire, and nothing else:
a websocket to ``/_stcore/stream`` speaking Streamlit's own protobuf messages (``BackMsg``
out, ``ForwardMsg`` in), then the media file fetched over HTTP with the session's cookies.
Each session:

1. opens the map (``rerun_script``), timed until ``script_finished``; the first run sends
   the title and the map alone, so the session then reports the map drawn, as the
   browser's map does, and the opening is timed until that second run finishes;
2. waits a reader's pause, then chooses an arrondissement (the selectbox's widget state),
   timed until the rerun finishes (markers, figures and map sent);
3. waits again, then asks for the view's PNG (the deferred download's backend operation)
   and fetches it, timed until the last byte.

Sessions arrive spread over ``--montee`` seconds. Printed per configuration: p50/p95/max of
each step, errors, and the servers' resident memory before, at the peak and after the
sessions closed. Only 127.0.0.1, at most 100 sessions: a bounded load on this machine.

``python -m bench.load_protocol`` (run by ``make bench``) measures N = 10, 50, 100 on one
replica (``aisnemap.serve``) and on two behind nginx (``aisnemap.cluster``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
MAX_SESSIONS = 100
LABEL_ARRONDISSEMENT = "Arrondissement"
PNG_KEY = "export_png"
CHOICES = ("Vervins", "Saint-Quentin", "Laon", "Soissons", "Château-Thierry")


@dataclass
class Timings:
    opened: list[float] = field(default_factory=list)
    filtered: list[float] = field(default_factory=list)
    png: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Session:
    """One Streamlit session on the wire."""

    def __init__(self, base: str) -> None:
        assert base.startswith("http://127.0.0.1:"), "charge limitée à 127.0.0.1"
        self.base = base
        self.cookies: dict[str, str] = {}
        self.page_hash = ""
        self.session_id = ""
        self.selectboxes: dict[str, tuple[str, list[str]]] = {}
        self.downloads: dict[str, str] = {}
        self.map_id = ""
        self.ws = None

    async def open(self) -> None:
        # As a browser: the page first (its cookies: nginx's affinity), then the websocket.
        await asyncio.to_thread(self._get, "/")
        uri = self.base.replace("http://", "ws://") + "/_stcore/stream"
        headers = {"Cookie": self._cookie_header()} if self.cookies else None
        self.ws = await connect(
            uri,
            subprotocols=["streamlit"],
            origin=self.base,
            additional_headers=headers,
            max_size=None,
            open_timeout=60,
        )

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def _send(self, message: BackMsg) -> None:
        await self.ws.send(message.SerializeToString())

    async def rerun(self, query: str = "", widgets: list[WidgetState] = ()) -> float:
        started = time.perf_counter()
        state = ClientState(query_string=query, page_script_hash=self.page_hash)
        state.widget_states.widgets.extend(widgets)
        await self._send(BackMsg(rerun_script=state))
        while True:
            message = ForwardMsg.FromString(await self.ws.recv())
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = message.new_session.page_script_hash
                self.session_id = message.new_session.initialize.session_id
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._keep(message.delta.new_element)
            elif kind == "script_finished":
                status = message.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("erreur de script")
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return time.perf_counter() - started

    def _keep(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "component_instance" and element.component_instance.component_name.endswith(
            "st_folium"
        ):
            self.map_id = element.component_instance.id
        elif kind == "selectbox":
            box = element.selectbox
            self.selectboxes[box.label] = (box.id, list(box.options))
        elif kind == "download_button":
            button = element.download_button
            if button.HasField("deferred_file_id") and button.id.endswith(PNG_KEY):
                self.downloads[PNG_KEY] = button.deferred_file_id

    async def report_drawn(self) -> float:
        """What the browser's map does once drawn on a session's first run (the page sent
        its title and map alone): its component value, which brings the rest."""
        value = f'{{"dessinee": {int(time.time() * 1000)}}}'
        return await self.rerun(widgets=[WidgetState(id=self.map_id, json_value=value)])

    async def choose(self, label: str, option: str) -> float:
        widget_id, options = self.selectboxes[label]
        if option not in options:
            raise RuntimeError(f"option absente : {option}")
        return await self.rerun(widgets=[WidgetState(id=widget_id, string_value=option)])

    async def png(self) -> float:
        started = time.perf_counter()
        request_id = uuid.uuid4().hex
        message = BackMsg()
        message.backend_operation_request.request_id = request_id
        message.backend_operation_request.session_id = self.session_id
        message.backend_operation_request.deferred_file.file_id = self.downloads[PNG_KEY]
        await self._send(message)
        while True:
            answer = ForwardMsg.FromString(await self.ws.recv())
            if answer.WhichOneof("type") != "backend_operation_response":
                continue
            response = answer.backend_operation_response
            if response.request_id != request_id:
                continue
            if response.error_msg:
                raise RuntimeError(response.error_msg)
            url = response.deferred_file.url
            break
        body = await asyncio.to_thread(self._get, url)
        if not body.startswith(b"\x89PNG"):
            raise RuntimeError("le fichier reçu n'est pas un PNG")
        return time.perf_counter() - started

    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.base + path)
        if self.cookies:
            request.add_header("Cookie", self._cookie_header())
        with urllib.request.urlopen(request, timeout=120) as answer:
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
            return answer.read()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def one_visit(base: str, delay: float, pause: float, chance: random.Random, out: Timings):
    await asyncio.sleep(delay)
    session = Session(base)
    try:
        await session.open()
        opened = await session.rerun()
        if LABEL_ARRONDISSEMENT not in session.selectboxes and session.map_id:
            opened += await session.report_drawn()  # the map alone came first
        out.opened.append(opened)
        await asyncio.sleep(chance.uniform(0.5, 1.5) * pause)
        out.filtered.append(await session.choose(LABEL_ARRONDISSEMENT, chance.choice(CHOICES)))
        await asyncio.sleep(chance.uniform(0.5, 1.5) * pause)
        out.png.append(await session.png())
    except Exception as exc:  # noqa: BLE001 - a load test counts failures, it does not stop
        out.errors.append(f"{type(exc).__name__}: {exc}"[:160])
    finally:
        await session.close()


async def run_load(base: str, sessions: int, ramp_s: float, pause_s: float) -> Timings:
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"entre 1 et {MAX_SESSIONS} sessions")
    chance = random.Random(sessions)
    out = Timings()
    delays = sorted(chance.uniform(0, ramp_s) for _ in range(sessions))
    await asyncio.gather(*(one_visit(base, d, pause_s, chance, out) for d in delays))
    return out


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _quantiles(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {statistics.median(ordered):.2f} s · p95 {p95:.2f} s · max {ordered[-1]:.2f} s"


async def _sample_memory(pids: list[int], stop: asyncio.Event, peak: list[float]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb(pids))
        await asyncio.sleep(0.5)


async def measure(base: str, pids: list[int], sessions: int, ramp: float, pause: float) -> dict:
    before = rss_mb(pids)
    peak, stop = [before], asyncio.Event()
    sampler = asyncio.create_task(_sample_memory(pids, stop, peak))
    started = time.perf_counter()
    timings = await run_load(base, sessions, ramp, pause)
    elapsed = time.perf_counter() - started
    stop.set()
    await sampler
    await asyncio.sleep(5)  # sessions closed: what the servers keep
    return {
        "sessions": sessions,
        "timings": timings,
        "seconds": elapsed,
        "memory": (before, peak[0], rss_mb(pids)),
    }


def report(label: str, result: dict) -> None:
    t: Timings = result["timings"]
    before, peak, after = result["memory"]
    print(
        f"{label} · {result['sessions']} sessions en {result['seconds']:.0f} s — "
        f"ouverture {_quantiles(t.opened)} ; filtre {_quantiles(t.filtered)} ; "
        f"PNG {_quantiles(t.png)} ; erreurs {len(t.errors)} ; mémoire {before:.0f} → "
        f"{peak:.0f} Mo au plus, {after:.0f} Mo après",
        flush=True,
    )
    for error in sorted(set(t.errors))[:5]:
        print(f"    erreur : {error}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--repliques", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--montee", type=float, default=20.0, help="arrivées étalées sur (s)")
    parser.add_argument("--pause", type=float, default=2.0, help="pause de lecture (s)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from aisnemap import cluster

    print(
        f"Charge protocolaire — {time.strftime('%d/%m/%Y %H:%M')}, {os.cpu_count()} cœurs ; "
        f"arrivées sur {args.montee:.0f} s, pauses de {args.pause:.0f} s en moyenne",
        flush=True,
    )
    for replicas in args.repliques:
        run = cluster.Cluster(replicas, cluster.free_port(), ROOT / "bench" / "results" / "grappe")
        if replicas == 1:
            run.start_single()
        else:
            run.start()
        try:
            pids = [r.process.pid for r in run.members]
            for sessions in args.sessions:
                result = asyncio.run(measure(run.url, pids, sessions, args.montee, args.pause))
                label = "1 réplique" if replicas == 1 else f"{replicas} répliques + nginx"
                report(label, result)
        finally:
            run.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
