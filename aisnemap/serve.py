"""Start the dashboard with a warm process: ``python -m aisnemap.serve [streamlit options]``.

``streamlit run`` imports the heavy libraries (GeoPandas, folium, pandas, pyogrio) and
reads the layers only when the first visitor arrives, who then waits seconds more than
the next one. This entry point runs ``streamlit run dashboard.py`` with the options given
and, as soon as the server's runtime exists, imports those libraries and loads the data
into the shared cache (``st.cache_resource`` is process-wide) in a background thread.
Its health check (``/_stcore/health``) answers 503 until that warm start is over, so a
proxy or a browser arriving early waits for a warm process, and a component's files named
by their content are sent as immutable (:class:`CacheHashedComponentFiles`). Nothing else
changes: same server, same configuration (``.streamlit/config.toml``, read by Streamlit
before anything of ours is imported).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time

from aisnemap import config
from aisnemap.french.formatting import fmt_decimal

LOG = logging.getLogger("aisnemap.serve")


def warm() -> float:
    """Import what the pages use and load the data once; returns the seconds it took."""
    start = time.perf_counter()
    import folium  # noqa: F401
    import folium.plugins  # noqa: F401  (imported by streamlit-folium: 70 ms of templates)
    import geopandas  # noqa: F401

    from aisnemap.render import printing  # noqa: F401  (matplotlib, for the exports)

    # The map page's own modules too (exports, figures, tables...: 50 ms of imports).
    from aisnemap.ui import (  # noqa: F401
        data,
        exports,
        figures,
        folium_map,
        importing,
        layers,
        national,
        tables,
    )
    from aisnemap.ui.page import static_url

    # Imported here, outside a script run: registered by hand to be served.
    folium_map.register_component()
    try:
        loaded = data.load_app_data()
        if loaded.error:
            LOG.warning("données absentes au démarrage : %s", loaded.error)
        elif loaded.ok:
            # The map page's base map, rendered as its first run would (100 ms and more).
            default = loaded.readings.options(loaded.readings.default_au())
            folium_map.base_parts(
                *folium_map.home_base_map(loaded, default.service_types, static_url())
            )
            # The national files, read by the figures under the map (300 ms).
            national.department_activity(loaded.department.code)
    except Exception:  # noqa: BLE001 - warming is best effort: the page says what is wrong
        LOG.warning("préchargement des données impossible", exc_info=True)
    # The libraries imported above are frozen with the data by its loader
    # (aisnemap.ui.resident.settle, in aisnemap.ui.data).
    return time.perf_counter() - start


#: Set once the warm start is over (or gave up): the health check says ready from then on.
WARMED = threading.Event()

#: What the health check answers while the process warms (HTTP 503).
WARMING = (False, "préchargement en cours")


def readiness(runtime_ready: tuple[bool, str], warmed: bool) -> tuple[bool, str]:
    """The health check's answer: Streamlit's own, but not ready while the warm start
    runs (a proxy or the browser then waits, and the first visitor does not share the two
    cores with the libraries' imports and the data's loading)."""
    if runtime_ready[0] and not warmed:
        return WARMING
    return runtime_ready


def _gate_health_check() -> None:
    """``/_stcore/health`` answers 503 until :data:`WARMED` is set. Streamlit's front end
    asks it before opening its websocket and asks again until it is ready."""
    from streamlit.runtime.runtime import Runtime

    original = Runtime.is_ready_for_browser_connection

    async def ready(self) -> tuple[bool, str]:
        return readiness(await original.fget(self), WARMED.is_set())

    Runtime.is_ready_for_browser_connection = property(ready)


#: A component's front-end file named by its content (streamlit-folium's
#: ``static/js/main.521860b0.js``): its name changes whenever its content does.
_HASHED_COMPONENT_FILE = re.compile(r"/component/.+\.[0-9a-f]{8,}\.(?:js|css)$")
#: Kept by the browser as long as it likes, never asked again.
IMMUTABLE = b"public, max-age=31536000, immutable"


class CacheHashedComponentFiles:
    """ASGI middleware: a component's hashed file is sent as immutable. Streamlit sends a
    component's files as ``Cache-Control: public`` without a lifetime, so the browser
    fetched streamlit-folium's 225 KB bundle again on every page it opened (60 ms of the
    map's frame, bench/trace.py's warm navigation) and parsed it again."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not _HASHED_COMPONENT_FILE.search(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_immutable(message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"cache-control"
                ]
                message = {**message, "headers": [*headers, (b"cache-control", IMMUTABLE)]}
            await send(message)

        await self.app(scope, receive, send_immutable)


def _cache_component_files() -> None:
    """Add :class:`CacheHashedComponentFiles` to the server ``streamlit run`` builds
    (``st.App(middleware=...)`` is the public way for an app served by uvicorn)."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    streamlit_s_own = starlette_app.create_streamlit_middleware

    def with_cache() -> list:
        return [*streamlit_s_own(), Middleware(CacheHashedComponentFiles)]

    starlette_app.create_streamlit_middleware = with_cache


def _warm_when_running(timeout_s: float = 60.0) -> None:
    from streamlit import runtime

    try:
        deadline = time.monotonic() + timeout_s
        while not runtime.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        seconds = warm()
        print(f"Préchargement terminé en {fmt_decimal(seconds)} s", file=sys.stderr, flush=True)
    finally:
        WARMED.set()  # ready, warm or not: the pages say what is wrong with the data


def main(argv: list[str] | None = None) -> int:
    """Run Streamlit on the dashboard with ``argv`` options, warming it meanwhile (the
    health check says ready once the warm start is over)."""
    from streamlit.web import cli

    _gate_health_check()
    _cache_component_files()
    threading.Thread(target=_warm_when_running, name="prechargement", daemon=True).start()
    sys.argv = ["streamlit", "run", str(config.ROOT / "dashboard.py"), *(argv or [])]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
