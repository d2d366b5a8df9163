"""The folium map a function builds: layers, markers, local assets, escaping."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from aisnemap import config
from aisnemap.domain import schema as s
from aisnemap.domain.layers import LayerSet
from aisnemap.render import assets, maps, style
from tests.support.decoding import decode_polyline

XSS = '<img src=x onerror="window.__xss=1">`${alert(1)}`{{ 7*7 }}'


@pytest.fixture
def layers(tiny_communes) -> maps.MapLayers:
    return maps.prepare_layers(
        LayerSet(
            tiny_communes,
            tiny_communes.dissolve("epci_siren", as_index=False),
            tiny_communes.dissolve("arrondissement_code", as_index=False),
            tiny_communes.dissolve(),
        )
    )


def _sites(n: int = 2, name: str = "Site") -> gpd.GeoDataFrame:
    rows = []
    for i in range(n):
        rows.append(
            {
                s.ID: f"S{i}",
                s.SITE: f"{name} {i}",
                s.LAUREATE: "L",
                s.OPERATOR: "O",
                s.SERVICE_TYPE: "France Services" if i % 2 == 0 else "UTAS",
                s.ADVISORS: 1 + i if i % 2 == 0 else None,
                s.POOL: "" if i % 2 == 0 else "CD",
                s.POOL_ADVISORS: None if i % 2 == 0 else 16,
                s.WAVE: 1,
                s.ITINERANT: i == 0,
                s.INSEE: "02001",
                s.ADDRESS: "",
                s.SOURCE: "src",
                "commune": "Alpha",
                "epci_nom": "CC Un",
                "place_au_centre": False,
            }
        )
    return gpd.GeoDataFrame(
        rows, geometry=[Point(3.62 + 0.01 * i, 49.56) for i in range(n)], crs=config.CRS_DRAW
    )


def _render(fmap) -> str:
    return fmap.get_root().render()


def test_polyline_round_trip():
    coords = np.array([[3.61234, 49.56789], [3.62, 49.5], [3.6, 49.51234]])
    decoded = decode_polyline(maps.encode_polyline(coords, 5), 5)
    assert np.allclose(decoded, coords, atol=1e-5)
    coarse = decode_polyline(maps.encode_polyline(coords))  # display precision
    assert np.allclose(coarse, coords, atol=0.6 * 10**-maps.POLYLINE_PRECISION)


def test_map_has_every_layer_and_one_marker_per_site(layers):
    html = _render(maps.build_map(layers, _sites(3), (3.5, 49.5, 3.7, 49.6)))
    for name in (
        "Communes",
        "EPCI",
        "Arrondissements",
        "Département",
        "Sites des conseillers",
        "Sans fond de carte",
        "OpenStreetMap (en ligne)",
    ):
        assert json.dumps(name) in html
    assert html.count('"tooltip":') == 3
    assert '"id":"S0"' in html and '"id":"S2"' in html
    assert "L.control.scale" in html


def test_no_cdn_in_the_rendered_map(layers):
    html = _render(
        maps.build_map(layers, _sites(), (3.5, 49.5, 3.7, 49.6), static_url="/app/static")
    )
    urls = set(re.findall(r'(?:src|href)="([^"]+)"', html))
    assert {url.split("?v=")[0] for url in urls} == {
        f"/app/static/{name}" for name in (*assets.JS_FILES, *assets.CSS_FILES)
    }
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in urls)
    assert "cdn" not in html.lower() and "d3js" not in html


def test_text_from_data_is_never_markup(layers):
    html = _render(maps.build_map(layers, _sites(1, XSS), (3.5, 49.5, 3.7, 49.6)))
    assert "<img" not in html and "{{" not in html.split("<script>", 1)[1]
    assert (
        '\\u003cimg src=x onerror=\\"window.__xss=1\\"\\u003e\\u0060${alert(1)}\\u0060\\u007b{ 7*7 }}'
        in html
    )


# Where the browser would parse a string as HTML. Our layers must never use one: text from
# the data goes through aisneText (textContent) and Leaflet gets DOM elements, not strings.
_HTML_SINKS = re.compile(
    r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|"
    r"\.(?:bindTooltip|bindPopup|setContent)\(\s*(?!A\.text\(|A\.popupBox\(|box\b)|"
    r"setPrefix\([^)]*\+"
)
MAP_JS = config.STATIC_DIR / assets.MAP_JS


def _our_scripts(html: str) -> str:
    """The scripts the app wrote into the map (Leaflet's own files are loaded by URL)."""
    return "\n".join(re.findall(r"<script>(.*?)</script>", html, re.S))


def test_layer_scripts_use_no_html_sink(layers):
    html = _render(maps.build_map(layers, _sites(3, XSS), (3.5, 49.5, 3.7, 49.6)))
    scripts = _our_scripts(html)
    assert "aisne.sites(" in scripts and _HTML_SINKS.findall(scripts) == []
    # The layers' code itself (static/aisnemap/carte.js) builds text with textContent only.
    code = MAP_JS.read_text(encoding="utf-8")
    assert "A.text(" in code and "bindPopup(A.popupBox(" in code
    assert _HTML_SINKS.findall(code) == []
    choro = maps.build_choropleth(
        layers, layers.epci, "x", "y", [("a", "#ffffff")], (3.5, 49.5, 3.7, 49.6)
    )
    assert _HTML_SINKS.findall(_our_scripts(_render(choro))) == []


def test_aisne_text_sets_text_content_only():
    code = MAP_JS.read_text(encoding="utf-8")
    body = re.search(r"A\.text = function \(tag, text, cls\) \{(.*?)\n  \};", code, re.S)
    assert body, "A.text is gone"
    assert "el.textContent = " in body.group(1) and "HTML" not in body.group(1)


def test_pool_site_is_hollow_and_labelled(layers):
    records = maps.site_records(_sites(2), style.service_colours(["France Services", "UTAS"]))
    pool = records[1]
    assert pool["fill"] == "#ffffff"
    assert ["Postes", "groupe de 16 (répartition entre sites non publiée)"] in pool["popup"]
    assert records[0]["dash"] == "4 3" and pool["dash"] is None
    assert records[0]["r"] < style.site_style(_sites(3).iloc[2], {}).radius


def test_colours_are_stable_and_distinct_for_unknown_types():
    colours = style.service_colours(["France Services", "Nouveau type", "Autre type"])
    assert colours["France Services"] == style.SERVICE_COLOURS["France Services"]
    assert len(set(colours.values())) == 3


def test_sites_keep_their_place_and_have_an_accessible_name():
    """Co-located sites are grouped on screen by the map (markercluster), never moved in
    the data; each marker is named « site, commune » for screen readers."""
    frame = _sites(2)
    frame["geometry"] = [frame.geometry.iloc[0]] * 2
    records = maps.site_records(frame, style.service_colours(["France Services", "UTAS"]))
    assert {(r["lat"], r["lon"]) for r in records} == {(records[0]["lat"], records[0]["lon"])}
    assert records[0]["label"] == f"{frame.iloc[0]['site']}, {frame.iloc[0]['commune']}"


def test_empty_sites_still_draw_the_territory(layers):
    html = _render(maps.build_map(layers, _sites(1).iloc[0:0], (3.5, 49.5, 3.7, 49.6)))
    assert re.search(r"aisne\.sites\(\w+, \w+, \[\], \{\}\);", html)
    assert "aisne.polygons(" in html


def test_scale_bar_is_metric_only(layers):
    html = _render(maps.build_map(layers, _sites(1), (3.5, 49.5, 3.7, 49.6)))
    assert "L.control.scale({imperial: false, metric: true})" in html
    assert "L.control.scale()" not in html


def _component_arguments(monkeypatch, draw) -> dict:
    """The arguments a call hands to streamlit-folium's component (its front end)."""
    import streamlit_folium

    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: calls.append(kw))
    draw()
    (arguments,) = calls
    arguments.pop("on_change")
    return arguments


def test_kept_base_map_hands_the_component_what_st_folium_would(layers, monkeypatch):
    """aisnemap.ui.folium_map renders the base map once and each run's layers alone: the
    component gets the same script, layers, control and links as from st_folium."""
    import folium
    from streamlit_folium import st_folium

    from aisnemap.ui.folium_map import folium_map

    types = ["France Services", "UTAS"]
    bounds = (3.5, 49.5, 3.8, 49.7)

    def base():
        return maps.base_map(layers, bounds, types)

    def dynamic(n: int):
        return maps.view_layers(_sites(n), types, fit=bounds, report_drawn=True)

    key = ("test", id(layers))
    for n in (2, 3, 1):  # the first run renders the base map, the next ones reuse it
        ours = _component_arguments(
            monkeypatch, lambda n=n: folium_map(key, base, dynamic(n), key="carte", height=600)
        )
        theirs = _component_arguments(
            monkeypatch,
            lambda n=n: st_folium(
                base(),
                key="carte",
                height=600,
                use_container_width=True,
                returned_objects=[],
                feature_group_to_add=dynamic(n),
                layer_control=folium.LayerControl(collapsed=True),
            ),
        )
        assert ours == theirs
        assert ours["feature_group"].count('"S0"') == 1  # this run's sites only
        assert ("S2" in ours["feature_group"]) == (n == 3)
    assert "aisne.reportDrawn();" in ours["feature_group"]


def _opening(fmap) -> tuple[str, int, str]:
    """The map's start view call, how far before its first polygon layer it comes, and
    the whole page."""
    html = fmap.get_root().render()
    start = html.index("aisne.startView(")
    added = [html.find(f"{name}.addTo(") for name in _polygon_groups(html)]
    ahead = min(at for at in added if at >= 0) - start
    return html[start : html.index(");", start)], ahead, html


def test_every_map_opens_on_its_bounds_before_its_polygons(layers):
    """The view is set before the first polygon layer joins the map (StartView, in the
    shared local_map), and no fit comes after: the polygons are projected once, at the
    view they are shown at. The France map keeps its legend's column free from the start."""
    call, ahead, html = _opening(maps.base_map(layers, (3.5, 49.5, 3.8, 49.7), ["UTAS"]))
    assert "[[49.5,3.5],[49.7,3.8]]" in call and ahead > 0
    assert ".fitBounds(" not in html
    square = gpd.GeoDataFrame({"nom": ["Aisne (02)"]}, geometry=[box(3, 49, 4, 50)], crs=4326)
    call, ahead, html = _opening(maps.france_map(maps.encode_layer(square, "nom"), []))
    assert f'"paddingBottomRight":[{maps.FRANCE_LEGEND_PX},0]' in call and ahead > 0
    assert ".fitBounds(" not in html


def _polygon_groups(html: str) -> list[str]:
    """Names of the polygon layers' groups (``aisne.polygons(group, ...)``)."""
    import re

    return re.findall(r"aisne\.polygons\((\w+),", html)
