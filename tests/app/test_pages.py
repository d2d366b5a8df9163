"""The Territoires and Couverture pages through AppTest, reached from the entry point."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from aisnemap import texts
from tests.support.apptest import map_args, plain, read_table
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")


@pytest.fixture
def app(built_data_dir) -> AppTest:
    return AppTest.from_file(DASHBOARD, default_timeout=120).run()


def test_territoires_page(app):
    app.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    assert not app.exception
    table = read_table(app, 0)
    assert len(table) == 6 and table["Population"].iloc[:5].sum() == 531_345
    assert table["Arrondissement"].iloc[-1].startswith("Groupe départemental")
    app.radio("territoires_niveau").set_value("epci").run()
    table = read_table(app, 0)
    assert len(table) == 21
    assert "aisne-classe" in map_args(app)["script"]
    labels = [b.label for b in app.get("download_button")]
    assert labels == [texts.EXPORT_CSV, texts.EXPORT_XLSX, texts.EXPORT_SHEET]
    # The fiche of any row: every EPCI of the table is offered.
    assert len(app.selectbox("fiche_epci").options) == 20


def test_territoires_follow_the_service_filter(app):
    app.multiselect("f_service").set_value(["UTAS"]).run()
    app.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    table = read_table(app, 0)
    assert table["Conseillers implantés"].iloc[:5].sum() == 0
    assert table["Sites"].iloc[:5].sum() == 7


def test_couverture_page_and_planner(app):
    app.switch_page(str(ROOT / "pages/2_Couverture.py")).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics[texts.FIG_WITHIN_10].startswith("406\u202f190")
    assert metrics[texts.FIG_FARTHEST] == "Coyolles"
    bands = read_table(app, 0)
    assert bands["Population"].sum() == 531_345
    assert any("pas un temps de trajet" in c.value for c in app.caption)

    app.multiselect("couverture_candidats").set_value(["02232"]).run()
    compare = read_table(app, 2)
    assert compare["Après"].sum() == 531_345
    assert compare.loc["> 20 km", "Écart"] < 0

    # The default N (3): the table and the map's numbered squares agree.
    assert list(read_table(app, -1)["Rang"]) == [1, 2, 3]
    assert map_args(app)["script"].count('"Suggestion ') == 3
    # Changing N refreshes both, with no other click.
    app.number_input("couverture_n").set_value(2).run()
    suggestions = read_table(app, -1)
    assert list(suggestions["Rang"]) == [1, 2]
    gains = suggestions["Habitants gagnés à moins de 10 km"].tolist()
    assert gains[0] >= gains[1] > 0
    script = map_args(app)["script"]
    assert script.count('"Suggestion ') == 2 and "aisne.suggestions(" in script
    first = suggestions["Commune"].iloc[0].rsplit(" (", 1)[0]
    assert f'"Suggestion 1 : {first} (+' in script


def test_couverture_on_a_territory(app):
    app.selectbox("f_arrondissement").set_value("021").run()
    app.switch_page(str(ROOT / "pages/2_Couverture.py")).run()
    bands = read_table(app, 0)
    assert bands["Population"].sum() == 70_133


def test_couverture_without_any_site_says_so(app):
    app.text_input("f_recherche").set_value("zzz introuvable").run()
    app.switch_page(str(ROOT / "pages/2_Couverture.py")).run()
    assert not app.exception
    assert any(texts.NO_SITE in i.value for i in app.info)
    assert not any("inf" in (m.proto.help or "") + m.value for m in app.metric)


def test_territoires_pool_note_follows_the_data(app, built_data_dir):
    note = texts.pool_note({"CD02": 16}, {"CD02": "Conseil départemental de l'Aisne"})
    app.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    assert app.title[0].value == texts.TERRITORIES_TITLE
    assert note in map_args(app)["script"]

    other = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    other.multiselect("f_service").set_value(["France Services"]).run()
    other.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    assert other.title[0].value == texts.TERRITORIES_TITLE
    assert note not in map_args(other)["script"]


def _national(at_date: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["au"] = at_date
    return at.run()


def test_territoires_and_couverture_work_in_the_national_reading_and_say_so(built_data_dir):
    at = _national("2022-11-30")
    at.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    assert not at.exception
    assert (
        plain(at.markdown[0].value) == "**Postes validés au 30/11/2022 (liste nationale COSELEC)**"
    )
    table = read_table(at, 0)
    # 49 posts = 30 of the other structures placed + the group of 16 + 3 without a place.
    assert table["Conseillers implantés"].iloc[:5].sum() == 49 - 16 - 3
    at.switch_page(str(ROOT / "pages/2_Couverture.py")).run()
    assert not at.exception
    assert plain(at.markdown[0].value).startswith("**Postes validés au 30/11/2022")
    assert len(at.metric) == 3


def test_rapprochement_page_lists_the_two_absent_structures(app):
    app.switch_page(str(ROOT / "pages/4_Rapprochement.py")).run()
    assert not app.exception
    assert [m.value for m in app.metric] == ["14", "2", "16", "1"]
    table = read_table(app, 0)
    absent = table.loc[table["Statut"] == "annoncée, absente de la liste", "Sites de l'annonce"]
    assert absent.tolist() == ["L02", "L08"]
    assert [b.label for b in app.get("download_button")] == [texts.EXPORT_CSV, texts.EXPORT_XLSX]
