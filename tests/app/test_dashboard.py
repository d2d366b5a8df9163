"""The home page through Streamlit's AppTest: figures, table and markers move together."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from aisnemap.domain.departements import ANNOUNCEMENTS
from aisnemap.french import texts
from tests.support.apptest import captions, map_args, map_site_ids, metrics, plain, table_ids
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")

ALL_IDS = sorted(
    [f"L{i:02d}" for i in range(1, 17) if i != 10] + [f"D{i:02d}" for i in range(1, 11)]
)
NBSP = "\u202f"


@pytest.fixture
def app(built_data_dir) -> AppTest:
    return AppTest.from_file(DASHBOARD, default_timeout=120).run()


def test_default_view(app):
    assert not app.exception
    m = metrics(app)
    assert m[texts.FIG_ADVISORS] == "32"
    assert m[texts.FIG_SITES] == "25"
    assert m[texts.FIG_COMMUNES] == "18"
    assert m[texts.FIG_POPULATION] == f"531{NBSP}345"
    assert m[texts.FIG_PER_ADVISOR] == f"16{NBSP}605"
    assert m[texts.FIG_FUNDING] == f"1{NBSP}600{NBSP}000\u00a0€"
    assert table_ids(app) == map_site_ids(app) == ALL_IDS
    assert "groupe « Conseil départemental de l'Aisne » : 16 conseillers" in captions(app)
    assert "répartition entre sites n'est pas publiée" in captions(app)


def test_every_metric_has_its_definition(app):
    """Each figure's definition is written under the map (not six help stops before it)."""
    assert len(app.metric) == 6
    [section] = [e for e in app.expander if e.label == texts.DEFINITIONS_TITLE]
    written = " ".join(plain(m.value) for m in section.markdown)
    for metric in app.metric:
        assert f"**{metric.label}** :" in written
    # The release's terms, written by hand from ../shared/seed (not from the constants).
    assert "50\u202f000\u00a0€ par conseiller sur 2 ans, ou 70 % du salaire sur 3 ans" in written
    assert "communiqué du 18/03/2021" in written


def test_map_loads_leaflet_from_the_app_only(app):
    args = map_args(app)
    # Leaflet, Leaflet.markercluster and the map's own script, each with its version.
    assert [link.split("?v=")[0] for link in args["js_links"]] == [
        "/app/static/vendor/leaflet/leaflet.js",
        "/app/static/vendor/markercluster/leaflet.markercluster.js",
        "/app/static/aisnemap/carte.js",
    ]
    assert [link.split("?v=")[0] for link in args["css_links"]] == [
        "/app/static/vendor/leaflet/leaflet.css",
        "/app/static/vendor/markercluster/MarkerCluster.css",
        "/app/static/aisnemap/carte.css",
    ]
    assert args["returned_objects"] == []


@pytest.mark.parametrize(
    ("key", "value", "sites", "advisors"),
    [
        ("f_service", ["UTAS"], ["D04", "D05", "D06", "D07", "D08", "D09", "D10"], "16"),
        ("f_operateur", ["EPCI"], ["L01", "L02", "L04", "L05", "L09", "L15"], "7"),
        ("f_structure", ["Ville de Saint-Quentin"], ["L06"], "1"),
        ("f_recherche", "guise", ["D08", "L15"], "17"),
        ("f_recherche", "zzz introuvable", [], "0"),
        ("f_itinerant", texts.ITINERANT_YES, ["D03", "L04", "L06"], "18"),
        ("f_arrondissement", "023", ["D05", "L03", "L05", "L06", "L07", "L12", "L13"], "6"),
        ("f_epci", "200071892", ["D05", "L06", "L07", "L12"], "3"),
        ("f_commune", "02691", ["D05", "L06"], "1"),
    ],
)
def test_each_filter_moves_figures_table_and_markers(app, key, value, sites, advisors):
    widget = (
        app.radio(key)
        if key == "f_itinerant"
        else app.text_input(key)
        if key == "f_recherche"
        else (
            app.selectbox(key)
            if key in ("f_arrondissement", "f_epci", "f_commune")
            else app.multiselect(key)
        )
    )
    widget.set_value(value).run()
    assert not app.exception
    m = metrics(app)
    assert m[texts.FIG_SITES] == str(len(sites))
    assert m[texts.FIG_ADVISORS] == advisors
    assert map_site_ids(app) == sites
    if sites:
        assert table_ids(app) == sites
    else:
        assert any(texts.NO_SITE in i.value for i in app.info)


def test_filter_change_keeps_the_map_mounted(app):
    """The base script (and so streamlit-folium's component key) does not change."""
    before = map_args(app)
    app.multiselect("f_service").set_value(["UTAS"]).run()
    app.selectbox("f_arrondissement").set_value("023").run()
    after = map_args(app)
    assert after["script"] == before["script"]
    assert after["key"] == before["key"]
    assert after["feature_group"] != before["feature_group"]
    assert "aisne.fit(" in after["feature_group"]


def test_territory_figures_say_the_pool_is_not_counted(app):
    app.selectbox("f_arrondissement").set_value("023").run()
    m = metrics(app)
    assert m[texts.FIG_POPULATION] != f"531{NBSP}345"
    assert "ne sont pas comptés ici ; 1 site de ces groupes s'y trouve." in captions(app)


def test_cascade_limits_epci_to_the_arrondissement(app):
    app.selectbox("f_arrondissement").set_value("021").run()
    options = app.selectbox("f_epci").options
    assert "CA du Saint-Quentinois" not in options
    assert "CA de la Région de Château-Thierry" in options


def test_filters_are_written_to_the_url_and_restored(app, built_data_dir):
    app.multiselect("f_service").set_value(["UTAS", "MDPH"]).run()
    app.selectbox("f_arrondissement").set_value("022").run()
    # AppTest gives a list for a repeated key, a string for a single one.
    assert app.query_params["service"] == ["UTAS", "MDPH"]  # in the order chosen
    assert app.query_params["arrondissement"] == "022"

    fresh = AppTest.from_file(DASHBOARD, default_timeout=120)
    fresh.query_params["service"] = ["UTAS", "MDPH"]
    fresh.query_params["arrondissement"] = "022"
    fresh.run()
    assert not fresh.exception
    assert map_site_ids(fresh) == ["D02", "D04", "D07"]
    assert fresh.selectbox("f_arrondissement").value == "022"
    assert sorted(fresh.multiselect("f_service").value) == ["MDPH", "UTAS"]


def test_reset_button_restores_the_default_view(app):
    app.multiselect("f_service").set_value(["UTAS"]).run()
    app.button("f_reset").click().run()
    assert metrics(app)[texts.FIG_SITES] == "25"
    assert dict(app.query_params) == {}


def test_the_view_fits_the_territory_in_latitude_longitude_order(app):
    """Leaflet wants [[south, west], [north, east]]: swapped, every marker is off screen."""
    app.selectbox("f_arrondissement").set_value("023").run()
    script = map_args(app)["feature_group"]
    [fit] = re.findall(r"aisne\.fit\(\w+, (\[\[.*?\]\])\);", script)
    (south, west), (north, east) = json.loads(fit)
    # Saint-Quentin arrondissement, by hand from the map: about 49.6–50.05 N, 2.95–3.75 E.
    assert 49.5 < south < 49.75 and 49.95 < north < 50.15
    assert 2.85 < west < 3.1 and 3.6 < east < 3.85


@pytest.mark.parametrize(
    ("au", "label", "value", "structures"),
    [
        (None, texts.FIG_ADVISORS, "32", None),
        ("2021-03-31", texts.FIG_POSTS, "30", "14"),
        ("2022-11-30", texts.FIG_POSTS, "49", "31"),
        ("2021-06-10", texts.FIG_POSTS, "35", "17"),
    ],
)
def test_the_reading_and_date_of_a_link(au, label, value, structures):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    if au:
        at.query_params["au"] = au
    at.run()
    assert not at.exception
    m = metrics(at)
    assert m[label] == value
    assert m.get(texts.FIG_STRUCTURES) == structures
    assert len(map_site_ids(at)) == len(table_ids(at))


def test_the_national_reading_counts_the_unplaced_structure_on_the_department_only():
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["au"] = "2023-04-05"
    at.run()
    assert "3 postes d'une structure nationale sans lieu publié" in captions(at)
    assert "N79227291600034" not in map_site_ids(at)
    at.selectbox("f_arrondissement").set_value("022").run()
    assert "structure nationale" not in captions(at)
    assert metrics(at)[texts.FIG_INVESTMENT].endswith("€")


def test_switching_the_reading_keeps_the_url_in_step(app):
    app.radio("f_lecture").set_value(texts.READING_NATIONAL).run()
    assert app.query_params["au"] == "2023-04-05"
    assert metrics(app)[texts.FIG_POSTS] == "49"
    app.select_slider("f_au").set_value(dt.date(2021, 3, 24)).run()
    assert app.query_params["au"] == "2021-03-24"
    assert metrics(app)[texts.FIG_POSTS] == "30"
    app.radio("f_lecture").set_value(texts.reading_announcement(ANNOUNCEMENTS["02"])).run()
    assert "au" not in app.query_params and metrics(app)[texts.FIG_ADVISORS] == "32"


def test_fragility_and_france_services_layers(app):
    """Both optional layers are off by default, drawn on request, with their captions."""
    assert "aisne.layerLegend" not in (map_args(app).get("feature_group") or "")
    app.selectbox("c_ifn").set_value("poverty_rate").run()
    layers = map_args(app)["feature_group"]
    assert "aisne.polygons(" in layers and "aisne-ifn" in layers
    assert "IFN : pauvreté (score 0 à 10)" in layers
    # Every tooltip gives the six scores, written the French way.
    assert re.search(r"Laon — IFN, scores de 0 à 10 : indice total \d,\d ; ", layers)
    assert any(texts.IFN_CAPTION in plain(c.value) for c in app.caption)
    app.selectbox("c_fs").set_value("2022").run()
    layers = map_args(app)["feature_group"]
    assert layers.count('"label":"France Services : ') == 31
    assert any("31 lieux dans le département, dont 7 itinérants" in c.value for c in app.caption)
    app.selectbox("c_ifn").set_value("").run()
    assert "aisne-ifn" not in map_args(app)["feature_group"]


def test_mediation_export_says_which_sites_it_leaves_out(app):
    [button] = [b for b in app.get("download_button") if b.proto.label == texts.MEDIATION_EXPORT]
    assert button
    notes = " ".join(plain(c.value) for c in app.caption)
    assert "3 site(s) non exporté(s)" in notes
    assert "L03 « Bibliothèque municipale de Bohain-en-Vermandois" in notes


def _sent_in_order(app: AppTest, change, monkeypatch) -> list[str]:
    """What a run after ``change`` sends, in the order it is sent: "carte" for the map's
    element, "filtres" for an element of the sidebar (Streamlit's root block 1)."""
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    sent: list[str] = []
    enqueue = ForwardMsgQueue.enqueue

    def record(queue, msg):
        if msg.WhichOneof("type") == "delta":
            path = list(msg.metadata.delta_path)
            if msg.delta.new_element.WhichOneof("type") == "component_instance":
                sent.append("carte")
            elif path and path[0] == 1:
                sent.append("filtres")
        return enqueue(queue, msg)

    with monkeypatch.context() as patched:
        patched.setattr(ForwardMsgQueue, "enqueue", record)
        change(app).run()
    return sent


def test_after_a_filter_change_the_map_is_sent_before_the_filters(app, monkeypatch):
    """The browser renders the elements that come together in one go: the map's new
    layers are sent before the sidebar's widgets (read from the session first, drawn
    right after the map), so its frame gets them first."""
    sent = _sent_in_order(
        app, lambda a: a.selectbox("f_arrondissement").set_value("023"), monkeypatch
    )
    assert "carte" in sent and "filtres" in sent
    assert sent.index("carte") < sent.index("filtres")
    # Drawn after the map, the filters still hold the choice and narrow the cascade.
    assert app.selectbox("f_arrondissement").value == "023"
    assert "CA du Saint-Quentinois" in app.selectbox("f_epci").options
    assert "CA de la Région de Château-Thierry" not in app.selectbox("f_epci").options
    assert map_site_ids(app) == table_ids(app) and len(table_ids(app)) == 7


def test_a_page_error_before_the_map_keeps_the_filters(app, monkeypatch):
    """The filters are drawn after the map: when the page fails before it, the page's
    error boundary still draws them, with their values (a widget a run does not draw
    loses its value)."""
    app.selectbox("f_arrondissement").set_value("023").run()

    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr("aisnemap.render.maps.view_layers", broken)
    app.multiselect("f_service").set_value(["UTAS"]).run()
    assert texts.PAGE_ERROR in [e.value for e in app.error]
    assert app.selectbox("f_arrondissement").value == "023"
    assert app.multiselect("f_service").value == ["UTAS"]
    monkeypatch.undo()
    app.run()
    assert not app.error
    assert app.selectbox("f_arrondissement").value == "023"
    assert app.multiselect("f_service").value == ["UTAS"]
