"""The France page in Chromium (issue 13): 101 départements drawn and coloured, French
only, no serious accessibility violation, and a click on a département opens its map;
a département chosen by URL on the same server."""

from __future__ import annotations

import re

import pytest

from aisnemap.french import texts
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import MAP_IFRAME, map_frame, wait_for_map
from tests.support.server import StreamlitServer

DEPARTEMENTS = "path.aisne-departement-france"
#: The screen point of a place inside the map frame (Lille, well inside the Nord).
_POINT_JS = """(_, [lat, lon]) => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const p = map.latLngToContainerPoint([lat, lon]);
  return [p.x, p.y];
}"""
#: The fill colour of each département, by the code its tooltip names.
_FILLS_JS = """(_) => {
  const out = {};
  const map = Object.values(window).find((v) => v instanceof L.Map);
  map.eachLayer((layer) => {
    const tip = layer.getTooltip && layer.getTooltip();
    if (!tip || !layer.options.fillColor) return;
    const m = /\\(([0-9AB]{2,3})\\)/.exec(tip.getContent().textContent);
    if (m) out[m[1]] = layer.options.fillColor;
  });
  return out;
}"""


@pytest.fixture(scope="module")
def server(built_data_dir, built_departements):
    with StreamlitServer() as srv:
        yield srv
    assert "Traceback" not in srv.log_text()


def _open_france(page, url: str) -> None:
    page.goto(f"{url}/{texts.URL_FRANCE}")
    page.get_by_role("heading", name=texts.FRANCE_TITLE, level=1).wait_for()
    page.wait_for_function(
        "([sel, poly]) => { const f = document.querySelector(sel);"
        " return f && f.contentDocument &&"
        " f.contentDocument.querySelectorAll(poly).length > 0; }",
        arg=[MAP_IFRAME, DEPARTEMENTS],
        timeout=60_000,
    )


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768)])
def test_the_france_page_draws_every_departement(server, page_factory, width, height):
    from axe_playwright_python.sync_playwright import Axe

    page, recorder = page_factory(width, height)
    _open_france(page, server.url)
    frame = map_frame(page)
    assert frame.locator(DEPARTEMENTS).count() == 101
    fills = frame.locator("body").evaluate(_FILLS_JS)
    assert len(fills) == 101
    # Nord 0,46 post per 10 000 inhabitants, Aisne 0,92, Creuse 1,2 (classes of 0,25).
    assert (fills["59"], fills["02"], fills["23"]) == ("#bdd7e7", "#3182bd", "#08519c")
    legend = frame.locator(".leaflet-control").filter(has_text=texts.FRANCE_LEGEND_TITLE)
    assert legend.count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"france-{width}x{height}.png"))
    table = page.get_by_test_id("stTable")
    table.scroll_into_view_if_needed()
    assert table.locator("tr").count() == 102  # a header row and 101 départements
    if width == 1440:
        violations = [
            (v["id"], [n["target"] for n in v["nodes"][:3]])
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert violations == []
        seen = page.evaluate("document.body.innerText")
        assert not re.search(r"\b(Select|Choose|Download|Loading|Press|Search)\b", seen)
    assert recorder.external() == []
    # Streamlit probes /France/_stcore/… before it knows the page: those 404 only.
    assert [e for e in recorder.errors if "status of 404" not in e] == []


def test_clicking_a_departement_opens_its_map(server, page_factory):
    page, recorder = page_factory(1440, 900)
    _open_france(page, server.url)
    iframe = page.locator(MAP_IFRAME).bounding_box()
    x, y = map_frame(page).locator("body").evaluate(_POINT_JS, [50.63, 3.06])
    page.mouse.click(iframe["x"] + x, iframe["y"] + y)
    page.get_by_role("heading", name="Conseillers numériques dans le Nord", level=1).wait_for(
        timeout=60_000
    )
    wait_for_map(page)  # the map first, then the whole page (its figures)
    assert "dep=59" in page.url
    metric = page.get_by_test_id("stMetric").filter(has_text=texts.FIG_POSTS)
    assert metric.get_by_test_id("stMetricValue").inner_text() == "121"
    page.screenshot(path=str(ARTIFACTS / "france-ouvre-nord.png"))
    # The link of this view, opened in a fresh browser, shows the same département.
    fresh, _ = page_factory(1024, 768)
    fresh.goto(page.url)
    fresh.get_by_role("heading", name="Conseillers numériques dans le Nord", level=1).wait_for(
        timeout=60_000
    )
    assert recorder.external() == []
