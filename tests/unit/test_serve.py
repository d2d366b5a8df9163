"""The warm start: the health check says ready only once the process is warm."""

from __future__ import annotations

import urllib.request

from aisnemap import serve
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
