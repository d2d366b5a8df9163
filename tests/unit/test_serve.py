"""The warm start: the health check says ready only once the process is warm."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from aisnemap import config, serve
from tests.support.server import StreamlitServer


def test_not_ready_while_warming_then_streamlit_s_own_answer():
    assert serve.readiness((True, "ok"), warmed=False) == serve.WARMING
    assert serve.readiness((True, "ok"), warmed=True) == (True, "ok")
    # Streamlit not ready (stopping...): its own answer, warm or not.
    assert serve.readiness((False, "unavailable"), warmed=False) == (False, "unavailable")
    assert serve.readiness((False, "unavailable"), warmed=True) == (False, "unavailable")


def test_a_started_server_is_healthy_only_after_its_warm_start(built_data_dir):
    """`make run`'s entry point: when /_stcore/health first answers 200, the libraries
    and the data are loaded (the server said so on its log)."""
    with StreamlitServer(warm=True) as srv:
        with urllib.request.urlopen(f"{srv.url}/_stcore/health", timeout=5) as answer:
            assert answer.status == 200
        assert "Préchargement terminé" in srv.log_text()


def test_the_warm_start_has_the_map_s_front_end_served_before_any_page_ran(built_data_dir):
    """The warm start imports streamlit-folium outside a script run, where Streamlit does
    not register a component: it registers it, so the first visitor's map frame loads."""
    with StreamlitServer(warm=True) as srv:
        url = f"{srv.url}/component/streamlit_folium.st_folium/index.html"
        with urllib.request.urlopen(url, timeout=5) as answer:
            assert answer.status == 200
            assert b"<html" in answer.read().lower()


def test_the_warm_start_renders_the_base_map_the_map_page_draws(built_data_dir):
    """What the warm start renders is what the map page's first run looks for: the page
    renders no base map of its own after it."""
    from streamlit.testing.v1 import AppTest

    from aisnemap.ui import folium_map

    folium_map._BASES.clear()
    serve.warm()
    warmed = dict(folium_map._BASES)
    assert len(warmed) == 1
    at = AppTest.from_file(str(config.ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    assert dict(folium_map._BASES) == warmed


def test_the_map_s_bundle_is_kept_by_the_browser_its_page_is_asked_each_time(built_data_dir):
    """streamlit-folium's bundle is named by its content: sent as immutable, the browser
    does not fetch it again on every page; the frame's page itself is still asked."""
    import streamlit_folium

    folder = Path(streamlit_folium.__file__).parent / "frontend" / "build"
    (bundle,) = (folder / "static" / "js").glob("main.*.js")
    base = "/component/streamlit_folium.st_folium"
    with StreamlitServer(warm=True) as srv:
        with urllib.request.urlopen(f"{srv.url}{base}/static/js/{bundle.name}") as answer:
            assert answer.headers["Cache-Control"] == serve.IMMUTABLE.decode()
        with urllib.request.urlopen(f"{srv.url}{base}/index.html") as answer:
            assert answer.headers["Cache-Control"] == "no-cache"
