"""The map read at a glance, in Debian's Chromium: names that never collide, titles that
say what is shown, French charts and dialogs, readable export buttons, links that keep the
whole view, Back from the France page, and « Trouver un lieu »."""

from __future__ import annotations

import re

import pytest

from aisnemap.french import texts
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import MAP_IFRAME, choose_in_selectbox, map_frame, wait_for_map
from tests.e2e.test_reading_browser import _english_on
from tests.support.server import StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Boxes of the place names drawn and of every marker icon (sites, groups, France
#: Services), read in the map's frame; the pairs that intersect.
_COLLISIONS_JS = """() => {
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && getComputedStyle(e).visibility !== "hidden" ? r : null;
  };
  const names = [...document.querySelectorAll(".aisne-lieu")]
    .filter((e) => e.style.display !== "none")
    .map((e) => [e.textContent, box(e.firstElementChild)])
    .filter((x) => x[1]);
  const icons = [...document.querySelectorAll(".leaflet-marker-pane .leaflet-marker-icon")]
    .map(box).filter(Boolean);
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const bad = [];
  names.forEach(([n, r], i) => {
    names.forEach(([m, q], j) => { if (j > i && hit(r, q)) bad.push(n + " / " + m); });
    icons.forEach((q) => { if (hit(r, q)) bad.push(n + " / marqueur"); });
  });
  return {names: names.map((x) => x[0]), icons: icons.length, bad: bad};
}"""
_ZOOM_IN_JS = """() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  map.setZoom(map.getZoom() + 1, {animate: false});
}"""
_ZOOM_JS = "() => Object.values(window).find((v) => v instanceof L.Map).getZoom()"


@pytest.fixture(scope="module")
def server(built_data_dir):
    with StreamlitServer() as srv:
        yield srv
    assert "Traceback" not in srv.log_text()


def _settled_collisions(page) -> dict:
    """Collisions once the names were placed after the last move (polling, no sleep)."""
    frame = map_frame(page).locator("body")
    frame.evaluate("() => new Promise((done) => setTimeout(() => requestAnimationFrame(done), 50))")
    return frame.evaluate(_COLLISIONS_JS)


@pytest.mark.parametrize("query", ["", "?dep=60", "?dep=59"])
def test_place_names_never_overlap_nor_cover_a_marker(server, page_factory, query):
    for width, height in ((1024, 768), (1440, 900)):
        page, recorder = page_factory(width, height)
        page.goto(f"{server.url}/{query}")
        wait_for_map(page, timeout_ms=120_000)
        opening = _settled_collisions(page)
        map_frame(page).locator("body").evaluate(_ZOOM_IN_JS)
        closer = _settled_collisions(page)
        assert opening["bad"] == [] and closer["bad"] == [], (width, opening, closer)
        # The rule leaves names on the map at both levels (it does not just hide them all).
        assert opening["names"] and closer["names"], (width, opening, closer)
        assert opening["icons"] > 0
        assert recorder.errors == []


def test_titles_name_the_territory_and_the_page(server, page_factory):
    page, _ = page_factory(1440, 900)
    page.goto(f"{server.url}/?arrondissement=025")
    wait_for_map(page, sites=5)
    assert "Vervins" in page.title()
    assert "Vervins" in page.locator("h1").first.inner_text()
    page.goto(f"{server.url}/{texts.URL_FRANCE}")
    page.get_by_role("heading", name=texts.FRANCE_TITLE, level=1).wait_for()
    page.wait_for_function("() => document.title.includes('France')")


_MONTH = re.compile(
    r"^(janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}$"
)


def test_the_cumulative_chart_speaks_french_in_steps(server, page_factory):
    page, _ = page_factory(1440, 900)
    page.goto(f"{server.url}/?au=2023-04-05")
    wait_for_map(page)
    page.get_by_text(texts.CHART_TITLE, exact=True).click()
    chart = page.locator("svg.aisne-graphique")
    chart.wait_for()
    months = chart.locator("text.aisne-graphique-mois").all_text_contents()
    assert months and all(_MONTH.match(m) for m in months), months
    tips = chart.locator("circle title").all_text_contents()
    assert tips and all(re.search(r"\d{4} : \d", t) for t in tips), tips[:3]
    assert re.search(
        r"(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
        r"novembre|décembre) 20\d\d",
        " ".join(tips),
    )
    # Steps: the line only moves horizontally or vertically.
    path = chart.locator("path.aisne-graphique-marches").get_attribute("d")
    assert re.fullmatch(r"M[\d.,]+( [HV][\d.]+)+", path), path
    assert _english_on(page) == []


def test_the_disconnected_state_is_in_french(built_data_dir, page_factory):
    page, _ = page_factory(1440, 900)
    with StreamlitServer() as srv:
        page.goto(srv.url)
        wait_for_map(page)
    # The server is gone: Streamlit's own dialog appears, in French.
    page.get_by_text("Connexion perdue").first.wait_for(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "deconnecte.png"))
    assert _english_on(page) == []


def test_export_buttons_are_readable_at_1024(server, page_factory):
    page, _ = page_factory(1024, 768)
    page.goto(f"{server.url}/?arrondissement=025")
    wait_for_map(page, sites=5)
    page.get_by_role("button", name=texts.EXPORT_TITLE).click()
    labels = (
        texts.EXPORT_PNG,
        texts.EXPORT_PDF,
        texts.EXPORT_SHEET,
        texts.EXPORT_HTML,
        texts.EXPORT_CSV,
        texts.EXPORT_XLSX,
        texts.EXPORT_GEOJSON,
        texts.MEDIATION_EXPORT,
    )
    for label in labels:
        button = page.get_by_role("button", name=label, exact=True)
        button.wait_for()
        cut = button.evaluate(
            "(b) => [...b.querySelectorAll('*')].concat([b])"
            ".some((e) => e.scrollWidth > e.clientWidth + 1)"
        )
        assert not cut, label


def test_a_link_keeps_the_layer_and_zoom_and_back_returns_to_france(server, page_factory, browser):
    page, _ = page_factory(1440, 900)
    page.goto(server.url)
    wait_for_map(page)
    choose_in_selectbox(page, texts.LABEL_FRAGILITY, "Indice total")
    page.wait_for_function("() => location.search.includes('ifn=total')")
    frame = map_frame(page).locator("body")
    frame.locator(".aisne-legend summary", has_text="IFN").wait_for()
    frame.evaluate(_ZOOM_IN_JS)
    page.wait_for_function("() => location.search.includes('vue=')")
    zoom = frame.evaluate(_ZOOM_JS)
    link = page.url
    fresh, _ = page_factory(1440, 900)  # a new browser context: nothing shared
    fresh.goto(link)
    wait_for_map(fresh)
    other = map_frame(fresh).locator("body")
    other.locator(".aisne-legend summary", has_text="IFN").wait_for()
    assert other.evaluate(_ZOOM_JS) == zoom
    assert (
        fresh.get_by_role("combobox", name=texts.LABEL_FRAGILITY).input_value() == ("Indice total")
        or "Indice total" in fresh.locator('[data-testid="stSelectbox"]').first.inner_text()
    )

    # Back from a département opened on the France page returns to the France page.
    fresh.goto(f"{server.url}/{texts.URL_FRANCE}")
    fresh.get_by_role("heading", name=texts.FRANCE_TITLE, level=1).wait_for()
    choose_in_selectbox(fresh, texts.FRANCE_OPEN_LABEL, "Oise (60)")
    fresh.get_by_role("button", name=texts.FRANCE_OPEN).click()
    wait_for_map(fresh, timeout_ms=120_000)
    assert "dep=60" in fresh.url
    fresh.go_back()
    fresh.get_by_role("heading", name=texts.FRANCE_TITLE, level=1).wait_for()
    assert f"/{texts.URL_FRANCE}" in fresh.url


def test_find_a_place_from_hirson_and_its_link(server, page_factory):
    page, recorder = page_factory(1440, 900)
    page.goto(f"{server.url}/{texts.URL_FIND}")
    page.get_by_role("heading", name=texts.FIND_TITLE, level=1).wait_for()
    field = page.get_by_label(texts.FIND_TYPED)
    field.fill("hirson")
    field.press("Enter")
    page.wait_for_function("() => location.search.includes('lieu=02381')")
    first = page.get_by_test_id("stTable").first
    first.get_by_text("0,0\u00a0km").wait_for()
    distances = first.locator("tbody tr td:first-child").all_inner_texts()
    assert len(distances) == 5
    # The map draws the commune, its nearest places and the lines measured.
    page.locator(MAP_IFRAME).wait_for()
    map_frame(page).locator('path[stroke-dasharray="6 4"]').last.wait_for()
    link = page.url
    fresh, _ = page_factory(1024, 768)
    fresh.goto(link)
    table = fresh.get_by_test_id("stTable").first
    table.get_by_text("0,0\u00a0km").wait_for(timeout=60_000)
    assert table.locator("tbody tr td:first-child").all_inner_texts() == distances
    # (A deep link to a page makes Streamlit probe <page>/_stcore/health first: two 404s
    # in the console that are its own, so only requests leaving the machine are checked.)
    assert recorder.external() == []
