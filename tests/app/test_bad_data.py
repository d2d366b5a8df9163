"""The app with missing or broken data: a French message, never a crash."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from aisnemap import config
from aisnemap.admin import importer
from aisnemap.domain import schema
from aisnemap.domain import schema as s
from aisnemap.french import data_files, texts
from tests.conftest import FIXTURES
from tests.support.apptest import plain
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")
PAGES = ("pages/1_Territoires.py", "pages/2_Couverture.py", "pages/3_Import.py")


def _all_pages_run(at: AppTest) -> None:
    assert not at.exception
    for page in PAGES:
        at.switch_page(str(ROOT / page)).run()
        assert not at.exception, page


def test_missing_built_data(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    errors = " ".join(plain(e.value) for e in at.error)
    assert data_files.missing_file("les contours des communes") in errors
    assert "make data" in errors and str(tmp_path) not in errors
    _all_pages_run(at)


def test_broken_structures_file(tmp_path, monkeypatch, built_data_dir):
    broken = tmp_path / "structures.csv"
    broken.write_bytes((FIXTURES / "corpus" / "conseillers_texte.csv").read_bytes())
    monkeypatch.setattr(config, "STRUCTURES_CSV", broken)
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    errors = " ".join(plain(e.value) for e in at.error)
    assert texts.STRUCTURES_INVALID in errors
    assert "nombre de conseillers invalide" in errors
    _all_pages_run(at)


def test_open_session_follows_a_new_wave(tmp_path, monkeypatch, built_data_dir, sites):
    served = tmp_path / "structures.csv"
    shutil.copy(config.STRUCTURES_CSV, served)
    monkeypatch.setattr(config, "STRUCTURES_CSV", served)
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert {m.label: m.value for m in at.metric}[texts.FIG_SITES] == "25"
    extra = schema.read_structures((FIXTURES / "corpus" / "utf8_bom.csv").read_bytes()).frame
    table = pd.concat([pd.DataFrame(sites[list(s.COLUMNS)]), extra.drop(columns="_ligne")])
    importer.save_structures(table, served, tmp_path / "b")
    at.run()
    assert {m.label: m.value for m in at.metric}[texts.FIG_SITES] == "26"
    # The wave filter stays empty, which means "all": the new wave is offered and shown.
    assert at.multiselect("f_vague").value == []
    assert at.multiselect("f_vague").options == ["Vague 1", "Vague 2"]


@pytest.mark.parametrize("query", [{"commune": "99999"}, {"vague": "x"}, {"service": "<script>"}])
def test_nonsense_in_the_url_falls_back_to_the_default_view(query, built_data_dir):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}[texts.FIG_SITES] == "25"


def test_an_unexpected_error_shows_a_french_message_never_a_traceback(
    built_data_dir, monkeypatch, caplog
):
    from aisnemap.domain import analysis

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(analysis, "territory_stats", broken)
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    with caplog.at_level("ERROR", logger="aisnemap.ui"):
        at.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    assert not at.exception  # nothing reaches Streamlit's own error display
    assert [e.value for e in at.error] == [texts.PAGE_ERROR]
    assert "ZeroDivisionError" in caplog.text  # the traceback is in the server log
    assert all("division" not in m.value for m in at.markdown)
