"""Start the dashboard with a warm process: ``python -m aisnemap.serve [streamlit options]``.

``streamlit run`` imports the heavy libraries (GeoPandas, folium, pandas, pyogrio) and
reads the layers only when the first visitor arrives, who then waits seconds more than
the next one. This entry point runs ``streamlit run dashboard.py`` with the options given
and, as soon as the server's runtime exists, imports those libraries and loads the data
into the shared cache (``st.cache_resource`` is process-wide) in a background thread.
Nothing else changes: same server, same configuration (``.streamlit/config.toml``, read
by Streamlit before anything of ours is imported).
"""

from __future__ import annotations

import logging
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
    import geopandas  # noqa: F401

    # Not streamlit_folium: a component declared outside a script run is not served.
    from aisnemap.render import printing  # noqa: F401  (matplotlib, for the exports)
    from aisnemap.ui import data

    try:
        loaded = data.load_app_data()
    except Exception:  # noqa: BLE001 - warming is best effort: the page says what is wrong
        LOG.warning("préchargement des données impossible", exc_info=True)
    else:
        if loaded.error:
            LOG.warning("données absentes au démarrage : %s", loaded.error)
    from aisnemap.ui import resident

    resident.settle()  # the libraries too, out of the collector's way
    return time.perf_counter() - start


def _warm_when_running(timeout_s: float = 60.0) -> None:
    from streamlit import runtime

    deadline = time.monotonic() + timeout_s
    while not runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    seconds = warm()
    print(f"Préchargement terminé en {fmt_decimal(seconds)} s", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run Streamlit on the dashboard with ``argv`` options, warming it meanwhile."""
    from streamlit.web import cli

    threading.Thread(target=_warm_when_running, name="prechargement", daemon=True).start()
    sys.argv = ["streamlit", "run", str(config.ROOT / "dashboard.py"), *(argv or [])]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
