"""The Territoires and Couverture pages through AppTest, reached from the entry point."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from aisnemap.domain import analysis
from aisnemap.french import texts
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
    assert labels == [texts.TABLE_CSV, texts.TABLE_XLSX, texts.EXPORT_SHEET]
    # The fiche of any row: every EPCI of the table is offered.
    assert len(app.selectbox("fiche_epci").options) == 20


def test_territoires_prepare_an_atlas_then_offer_it(app):
    """The atlas button makes the PDF (a fiche per arrondissement here) and offers it; a
    rerun keeps it; another level asks for its own."""
    app.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    [button] = [b for b in app.button if b.key == "atlas_departement"]
    assert button.label == texts.ATLAS_MAKE.format(per="par arrondissement", n=5)
    button.click().run()
    assert not app.exception and not app.error
    assert texts.ATLAS_DOWNLOAD in [b.label for b in app.get("download_button")]
    # A cover, a summary page and the five arrondissements' fiches (one page each or two).
    [ready] = [c.value for c in app.caption if c.value.startswith("Atlas prêt")]
    assert 7 <= int(ready.split(" : ")[1].split()[0]) <= 12
    app.run()
    assert texts.ATLAS_DOWNLOAD in [b.label for b in app.get("download_button")]
    app.radio("territoires_niveau").set_value("epci").run()
    assert texts.ATLAS_DOWNLOAD not in [b.label for b in app.get("download_button")]
    [button] = [b for b in app.button if b.key == "atlas_departement"]
    assert button.label == texts.ATLAS_MAKE.format(per="par EPCI", n=20)


def test_territoires_follow_the_service_filter(app):
    app.multiselect("f_service").set_value(["UTAS"]).run()
    app.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    table = read_table(app, 0)
    assert table[analysis.POSTS_COLUMN].iloc[:5].sum() == 0
    assert table["Sites"].iloc[:5].sum() == 7


def _table_with(app, column: str):
    """The page's table that has this column."""
    tables = [read_table(app, i) for i in range(len(app.table))]
    [found] = [t for t in tables if column in t.columns]
    return found


def test_couverture_page_and_planner(app):
    app.switch_page(str(ROOT / "pages/2_Couverture.py")).run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    # python -m aisnemap.domain.coverage (checked against GeoPandas distances in the data
    # tests); 404 393 since L09 sits at Craonne, the CC's seat, as its sources say.
    assert metrics[texts.FIG_WITHIN_10].startswith("404\u202f393")
    assert metrics[texts.FIG_FARTHEST] == "Coyolles"
    bands = read_table(app, 0)
    assert bands["Population"].sum() == 531_345
    assert any("pas un temps de trajet" in c.value for c in app.caption)

    app.multiselect("couverture_candidats").set_value(["02232"]).run()
    compare = _table_with(app, "Après")
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
    assert plain(at.markdown[0].value) == (
        "**Tout le département de l'Aisne : postes validés au 30/11/2022 (liste nationale "
        "COSELEC)**"
    )
    table = read_table(at, 0)
    # 49 posts = 30 of the other structures placed + the group of 16 + 3 without a place.
    assert table[analysis.POSTS_COLUMN].iloc[:5].sum() == 49 - 16 - 3
    at.switch_page(str(ROOT / "pages/2_Couverture.py")).run()
    assert not at.exception
    assert plain(at.markdown[0].value).startswith(
        "**Tout le département de l'Aisne : postes validés au 30/11/2022"
    )
    assert len(at.metric) == 3


def test_rapprochement_page_lists_the_two_absent_structures(app):
    app.switch_page(str(ROOT / "pages/4_Rapprochement.py")).run()
    assert not app.exception
    assert [m.value for m in app.metric] == ["14", "2", "16", "1"]
    table = read_table(app, 0)
    absent = table.loc[table["Statut"] == "annoncée, absente de la liste", "Sites de l'annonce"]
    assert absent.tolist() == ["L02", "L08"]
    assert [b.label for b in app.get("download_button")] == [texts.TABLE_CSV, texts.TABLE_XLSX]


def test_couverture_crosses_distance_and_fragility(app):
    app.switch_page(str(ROOT / "pages/2_Couverture.py")).run()
    assert not app.exception
    crossed = _table_with(app, "IFN 6 à 8")
    assert crossed.to_numpy().sum() == 531_345
    assert list(crossed.index)[0] == "< 5 km"
    fragile = _table_with(app, texts.IFN_TOTAL_COLUMN)
    assert (fragile[texts.IFN_TOTAL_COLUMN] >= 6).all() and len(fragile) == 15
    distances = fragile["Distance (km)"].tolist()
    assert distances == sorted(distances, reverse=True)
    # The planner's objective: the fragile population can change the first pick, and each
    # suggestion gives its gain under both objectives.
    by_population = _table_with(app, "Rang")
    app.radio("couverture_objectif").set_value("fragile").run()
    by_fragility = _table_with(app, "Rang")
    column = "Population fragile gagnée (habitants pondérés par leur fragilité)"
    assert by_fragility[column].iloc[0] >= by_population[column].iloc[0]
    assert list(by_fragility.columns)[2:4] == ["Habitants gagnés à moins de 10 km", column]
    # France Services with no advisor within 10 km of the sites shown.
    services = _table_with(app, "France Services")
    assert (services["Distance au site le plus proche (km)"] >= 10).all()
    # The current list (01/08/2024: 35 rows for the Aisne in the file).
    assert any(
        "Tout le département de l'Aisne : " in plain(c.value)
        and "France Services sur 35 (liste ANCT du 01/08/2024)" in plain(c.value)
        for c in app.caption
    )


def test_territoires_give_fragility_per_territory(app):
    app.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    table = read_table(app, 0)
    mean = "Fragilité : IFN moyen pondéré par la population (0 à 10)"
    fragile = "Fragilité : population des communes d'IFN ≥ 6"
    assert mean in table.columns and fragile in table.columns
    places = table.loc[table["Code"] != ""]
    assert places[fragile].sum() == 280_579  # python -m aisnemap.domain.fragility
    assert places[mean].between(0, 10).all()
    app.select_slider("territoires_seuil").set_value(7.0).run()
    higher = read_table(app, 0)
    assert "Fragilité : population des communes d'IFN ≥ 7" in higher.columns
    assert (
        higher.loc[higher["Code"] != "", "Fragilité : population des communes d'IFN ≥ 7"].sum()
        < 280_579
    )
    app.radio("territoires_couleur").set_value("ifn_moyen").run()
    script = map_args(app)["script"]
    assert "IFN moyen pondéré" in script and "Scores de 0 à 10 (La Mednum, 2023)" in script


def test_the_epci_table_of_the_national_reading_adds_up_to_the_map(built_data_dir):
    """49 posts at 05/04/2023 (the list's own count for the Aisne): 30 placed in EPCI, the
    Département's group of 16 and Emmaüs Connect's 3 with no place, each on its row."""
    at = _national("2023-04-05")
    at.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    at.radio("territoires_niveau").set_value("epci").run()
    table = read_table(at, 0)
    assert int(table[analysis.POSTS_COLUMN].sum()) == 49
    last = table.iloc[-1]
    assert last["EPCI"].startswith("Sans lieu dans le département")
    assert "Emmaüs" in last["EPCI"] or "EMMAUS" in last["EPCI"].upper()
    assert last[analysis.POSTS_COLUMN] == 3


def test_the_september_2023_situation_on_the_map_in_territoires_and_in_print(built_data_dir):
    """The recruitment file's Aisne entries (README of ../shared/sources/programme): 29
    structures, 45 posts attributed, 37 advisors recruited; the Département 16 and 10."""
    import io

    from pypdf import PdfReader

    at = _national("2023-09-13")
    assert not at.exception
    m = {x.label: x.value for x in at.metric}
    assert (m[texts.FIG_ATTRIBUTED], m[texts.FIG_RECRUITED]) == ("45", "37")
    summary = next(plain(m.value) for m in at.markdown if "13/09/2023" in plain(m.value))
    assert summary.startswith(
        "**Tout le département de l'Aisne : postes attribués et conseillers recrutés au 13/09/2023"
    )
    assert "validés" not in summary
    at.switch_page(str(ROOT / "pages/1_Territoires.py")).run()
    at.radio("territoires_niveau").set_value("epci").run()
    table = read_table(at, 0)
    assert int(table[analysis.POSTS_COLUMN].sum()) == 45
    assert int(table[analysis.RECRUITED_LABEL].sum()) == 37
    pool = table.loc[table["EPCI"].str.startswith("Groupe départemental")].iloc[0]
    assert (pool[analysis.POSTS_COLUMN], pool[analysis.RECRUITED_LABEL]) == (16, 10)

    from aisnemap.domain.filters import Filters
    from aisnemap.render import printing
    from aisnemap.ui.data import load_app_data

    data = load_app_data()
    view = Filters(au=dt.date(2023, 9, 13))
    doc = printing.map_document(
        data.territory,
        data.recruitment.sites,
        view,
        data.readings.options(view.au),
        data.recruitment.unplaced,
        context=data.context,
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printing.map_pdf(doc))).pages)
    assert "Postes attribués : 45" in text and "Conseillers recrutés : 37" in text
