"""What a view says it shows, the tables one can search, the Couverture of a territory and
« Trouver un lieu », through AppTest from the entry point."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from aisnemap.french import texts
from tests.support.apptest import page_title, plain, read_table
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")
COVERAGE = str(ROOT / "pages/2_Couverture.py")
FIND = str(ROOT / "pages/6_Trouver_un_lieu.py")


@pytest.fixture
def app(built_data_dir) -> AppTest:
    return AppTest.from_file(DASHBOARD, default_timeout=120).run()


def _vervins_france_services(built_data_dir) -> int:
    """France Services of the arrondissement of Vervins in the built files, counted here
    from the communes' arrondissement codes (not by the page's code)."""
    communes = gpd.read_file(built_data_dir / "communes_aisne.geojson")
    codes = set(communes.loc[communes["arrondissement_code"] == "025", "code"])
    services = pd.read_csv(built_data_dir / "france_services_aisne.csv", dtype=str)
    return int(services["code_insee"].isin(codes).sum())


def test_the_heading_and_the_figures_name_the_territory(app):
    app.selectbox("f_arrondissement").set_value("025").run()
    assert not app.exception
    assert "arrondissement de Vervins" in page_title(app)
    assert any(
        plain(m.value).startswith("**Arrondissement de Vervins (Aisne) : annonce")
        for m in app.markdown
    )


def test_the_sites_table_searches_sorts_and_keeps_its_main_columns(app):
    table = read_table(app, 0)
    assert list(table.columns) == texts.TABLE_MAIN_COLUMNS
    assert len(table) == 25
    # Accents and case ignored: « chateau » finds Château-Thierry.
    app.text_input("sites_recherche").input("chateau thierry").run()
    found = read_table(app, 0)
    assert 0 < len(found) < 25
    assert found["Commune"].str.contains("Château-Thierry").all()
    app.text_input("sites_recherche").input("").run()
    app.selectbox("sites_tri").set_value("Conseillers").run()
    app.radio("sites_ordre").set_value(texts.TABLE_ORDERS[1]).run()
    ordered = read_table(app, 0)
    counts = pd.to_numeric(ordered["Conseillers"].astype(str).str.extract(r"(\d+)")[0])
    assert counts.dropna().is_monotonic_decreasing
    app.toggle("sites_colonnes").set_value(True).run()
    assert {"Adresse", "Source"} <= set(read_table(app, 0).columns)


def test_couverture_counts_the_france_services_of_its_territory(app, built_data_dir):
    expected = _vervins_france_services(built_data_dir)
    app.selectbox("f_arrondissement").set_value("025").run()
    app.switch_page(COVERAGE).run()
    assert not app.exception
    [note] = [plain(c.value) for c in app.caption if "France Services sur" in plain(c.value)]
    assert note.startswith("Arrondissement de Vervins : ")
    assert f"France Services sur {expected} (liste ANCT" in note
    assert expected < 35  # the whole département has 35


def test_the_suggestions_take_the_chosen_candidates_into_account(app):
    app.switch_page(COVERAGE).run()
    first = read_table(app, -1)["Commune"].iloc[0]
    code = first.rsplit("(", 1)[1].rstrip(")")
    app.multiselect("couverture_candidats").set_value([code]).run()
    after = read_table(app, -1)["Commune"].tolist()
    assert first not in after


def test_find_a_place_from_a_typed_commune_and_its_link(app):
    app.switch_page(FIND).run()
    app.text_input("trouver_saisie").input("hirson").run()
    assert not app.exception
    assert app.selectbox("trouver_commune").value == "02381"
    assert app.query_params["lieu"] in ("02381", ["02381"])
    sites = read_table(app, 0)
    distances = sites[texts.FIND_SITE_COLUMNS["distance"]].tolist()
    assert distances[0] == "0,0\u00a0km"  # the UTAS of Thiérache has a site in Hirson
    km = [float(d.split("\u00a0")[0].replace(",", ".")) for d in distances]
    assert km == sorted(km) and len(km) == 5
    services = read_table(app, 1)
    assert {"Horaires", "Téléphone", "Courriel"} <= set(services.columns)
    # The link opens the same answer in a fresh session.
    fresh = AppTest.from_file(DASHBOARD, default_timeout=120)
    fresh.query_params["lieu"] = "02381"
    fresh.run()
    fresh.switch_page(FIND).run()
    assert read_table(fresh, 0).equals(sites)


def test_find_a_place_says_when_nothing_matches(app):
    app.switch_page(FIND).run()
    app.text_input("trouver_saisie").input("zzzz").run()
    assert not app.exception
    assert any("zzzz" in plain(i.value) for i in app.info)


def test_the_import_is_in_the_menu_only_with_a_secret(built_data_dir, monkeypatch):
    monkeypatch.setenv("AISNEMAP_ADMIN_SECRET", "un secret")
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    # Registered in the navigation only with the secret (switch_page raises otherwise).
    at.switch_page(str(ROOT / "pages/3_Import.py")).run()
    assert not at.exception
    assert any(e.value == texts.IMPORT_TITLE for e in at.title)
