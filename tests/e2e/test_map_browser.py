"""The dashboard in Debian's Chromium: the map draws offline, filters, escapes text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from aisnemap import config
from aisnemap.domain.territory import ARRONDISSEMENT
from aisnemap.french import texts
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import (
    COMMUNES,
    EPCI,
    MAP_IFRAME,
    SITES_IN_WINDOW_JS,
    choose_in_selectbox,
    map_frame,
    map_view,
    reveal_site,
    wait_for_map,
)
from tests.support.server import StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

XSS_NAME = '<img src=x onerror="window.__xss=1">'
XSS_OPERATOR = "<script>window.__xss=2</script>"


@pytest.fixture(scope="module")
def server(built_data_dir):
    with StreamlitServer() as srv:
        yield srv
    assert "Traceback" not in srv.log_text()


def test_map_draws_offline_and_filters(server, page_factory):
    page, recorder = page_factory()
    page.goto(server.url)
    wait_for_map(page, sites=25)
    frame = map_frame(page)
    assert frame.locator(COMMUNES).count() == 800
    assert frame.locator(EPCI).count() == 20
    page.get_by_text(texts.FIG_ADVISORS, exact=True).first.wait_for(timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "carte-departement.png"), full_page=True)

    choose_in_selectbox(page, texts.LABEL_ARRONDISSEMENT, "Saint-Quentin")
    wait_for_map(page, sites=7)
    assert "arrondissement=023" in page.url
    page.screenshot(path=str(ARTIFACTS / "carte-arrondissement-saint-quentin.png"), full_page=True)

    assert recorder.external() == []
    assert recorder.errors == []


def test_shared_link_reopens_the_same_view(server, page_factory):
    page, recorder = page_factory()
    page.goto(f"{server.url}/?service=UTAS&service=MDPH&arrondissement=022")
    wait_for_map(page, sites=3)
    assert recorder.external() == [] and recorder.errors == []


@pytest.fixture(scope="module")
def hostile_server(built_data_dir, tmp_path_factory):
    rows = list(csv.DictReader(io.StringIO(config.STRUCTURES_CSV.read_text(encoding="utf-8"))))
    for row in rows:
        if row["id"] == "L05":
            row["site"] = XSS_NAME
            row["operateur"] = XSS_OPERATOR
    path = tmp_path_factory.mktemp("hostile") / "structures.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with StreamlitServer(env={"AISNEMAP_STRUCTURES": str(path)}) as srv:
        yield srv


def test_html_in_a_site_name_is_shown_as_text(hostile_server, page_factory):
    page, recorder = page_factory(height=1300)
    page.goto(hostile_server.url)
    wait_for_map(page, sites=25)
    frame = map_frame(page)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    marker = reveal_site(page, "L05")
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == XSS_NAME
    marker.click()
    popup = frame.locator(".aisne-popup")
    popup.wait_for()
    assert XSS_NAME in popup.inner_text() and XSS_OPERATOR in popup.inner_text()
    assert frame.locator(".leaflet-popup img, .leaflet-tooltip img").count() == 0
    page.get_by_role("heading", name=texts.TABLE_TITLE).scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "xss-texte-litteral.png"), full_page=True)
    page.get_by_role("button", name=texts.EXPORT_TITLE).click()
    button = page.get_by_role("button", name=texts.EXPORT_CSV, exact=True)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    exported = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert XSS_NAME.replace('"', '""') in exported and XSS_OPERATOR in exported
    assert page.evaluate("typeof window.__xss") == "undefined"
    map_window = next(
        f for f in page.frames if f.url.startswith(f"{hostile_server.url}/component/")
    )
    assert map_window.evaluate("typeof window.__xss") == "undefined"
    assert recorder.errors == []


EXPORTS = (
    (texts.EXPORT_PNG, ".png", b"\x89PNG"),
    (texts.EXPORT_PDF, ".pdf", b"%PDF"),
    (texts.EXPORT_SHEET, "-fiche.pdf", b"%PDF"),
    (texts.EXPORT_HTML, ".html", b"<!DOCTYPE html>"),
    (texts.EXPORT_CSV, ".csv", "\ufeffId;".encode()),
    (texts.EXPORT_XLSX, ".xlsx", b"PK"),
    (texts.EXPORT_GEOJSON, ".geojson", b'{"type": "FeatureCollection"'),
)


def test_every_export_of_a_territory_downloads(server, page_factory):
    from PIL import Image
    from pypdf import PdfReader

    page, recorder = page_factory()
    page.goto(f"{server.url}/?arrondissement=025")
    wait_for_map(page, sites=5)
    ARTIFACTS.mkdir(exist_ok=True)
    today = dt.date.today().isoformat()
    for label, suffix, magic in EXPORTS:
        button = page.get_by_role("button", name=label, exact=True)
        if not button.is_visible():  # the exports are in one menu
            page.get_by_role("button", name=texts.EXPORT_TITLE).click()
            button.wait_for()
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        name = download.suggested_filename
        assert name == f"conseillers-numeriques-aisne-arrondissement-vervins-{today}{suffix}"
        target = ARTIFACTS / name
        download.save_as(target)
        assert target.read_bytes().startswith(magic), label
    image = Image.open(
        ARTIFACTS / f"conseillers-numeriques-aisne-arrondissement-vervins-{today}.png"
    )
    assert (image.width, image.height) == (2338, 1654)
    sheet = PdfReader(
        ARTIFACTS / f"conseillers-numeriques-aisne-arrondissement-vervins-{today}-fiche.pdf"
    )
    assert sheet.metadata.title == "Arrondissement de Vervins"
    assert recorder.external() == [] and recorder.errors == []


def test_standalone_html_export_opens_offline(page_factory, sites, territory, tmp_path):
    from aisnemap.domain import filters
    from aisnemap.render import export, maps

    d = territory.display
    layers = maps.prepare_layers(d)
    view = filters.Filters(arrondissement="023")
    fmap = maps.build_map(
        layers,
        filters.apply_filters(sites, view),
        maps.bounds_of(filters.territory_communes(territory.communes, view)),
        highlight=maps.territory_outline(d, (ARRONDISSEMENT, "023")),
        department_bounds=maps.bounds_of(territory.department),
    )
    path = tmp_path / "carte.html"
    path.write_bytes(export.standalone_html(fmap, sources="Sources : essai"))
    page, recorder = page_factory(1000, 700)
    page.goto(path.as_uri())
    page.wait_for_function("() => (" + SITES_IN_WINDOW_JS + ")(window) === 7")
    assert page.locator(COMMUNES).count() == 800
    assert [u for u in recorder.requests if not u.startswith(("file:", "data:"))] == []
    assert recorder.errors == []
    # The view fits the arrondissement (zoom 9 or more), not the whole department.
    assert (
        page.evaluate(
            "() => Object.values(window).find(v => v && v._leaflet_id && v.getZoom).getZoom()"
        )
        >= 9
    )


def test_served_under_a_path_prefix(page_factory, built_data_dir):
    """Behind an intranet reverse proxy (server.baseUrlPath), Leaflet still loads locally."""
    with StreamlitServer(base_url_path="cartes") as srv:
        page, recorder = page_factory()
        page.goto(srv.url + "/")
        wait_for_map(page, sites=25)
        assert any("/cartes/app/static/vendor/leaflet/leaflet.js" in u for u in recorder.requests)
        assert recorder.external() == [] and recorder.errors == []


def test_first_direct_visit_to_a_page_after_start(page_factory, built_data_dir):
    """A shared link to a page, opened on a freshly started server, gives that page with
    its filters: Streamlit routes that first request through its legacy pages/ mode."""
    with StreamlitServer() as srv:
        page, recorder = page_factory()
        failed: list[str] = []
        page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
        page.goto(f"{srv.url}/{texts.URL_COVERAGE}?arrondissement=021")
        page.get_by_role("heading", name=texts.COVERAGE_TITLE, level=1).wait_for()
        page.locator(MAP_IFRAME).wait_for()
        assert page.get_by_text("Page not found").count() == 0
        # The sidebar filters are there and the link's territory is applied.
        assert page.get_by_role("combobox", name=texts.LABEL_ARRONDISSEMENT).input_value() == (
            "Château-Thierry"
        )
        population = page.locator(
            '[data-testid="stMetric"]', has=page.get_by_text(texts.FIG_POPULATION, exact=True)
        )
        assert population.locator('[data-testid="stMetricValue"]').inner_text() == "70\u202f133"
        assert recorder.external() == []
        # On a deep link, Streamlit's front end first probes <page>/_stcore/health and
        # host-config to find its base path (404), then uses the root: nothing else fails.
        deep = f"{srv.url}/{texts.URL_COVERAGE}"
        probes = {f"{deep}/_stcore/health", f"{deep}/_stcore/host-config"}
        assert set(failed) <= probes
        assert len(recorder.errors) == len(failed)
        # The menu names the pages as the router does, not by their files ("dashboard").
        menu = page.get_by_test_id("stSidebarNav")
        for name in (texts.NAV_MAP, texts.TERRITORIES_TITLE, texts.FIND_NAV):
            assert menu.get_by_role("link", name=name, exact=True).count() == 1
        assert menu.get_by_text("dashboard").count() == 0
        # With no admin secret on this server, the import is not offered.
        assert menu.get_by_role("link", name=texts.IMPORT_TITLE, exact=True).count() == 0
        # Going on to the map keeps the territory (2 sites in the Château-Thierry area).
        menu.get_by_role("link", name=texts.NAV_MAP, exact=True).click()
        wait_for_map(page, sites=2)
        # A second visitor of the freshly started server gets the same menu.
        other, _ = page_factory()
        other.goto(f"{srv.url}/{texts.URL_TERRITORIES}")
        other.get_by_role("heading", name=texts.TERRITORIES_TITLE, level=1).wait_for()
        other_menu = other.get_by_test_id("stSidebarNav")
        assert other_menu.get_by_role("link", name=texts.NAV_MAP, exact=True).count() == 1


def test_markers_are_inside_the_visible_map_and_the_territory_is_framed(server, page_factory):
    """Paths existing is not enough: Leaflet keeps off-screen markers as "M0 0" paths."""
    page, recorder = page_factory()
    page.goto(f"{server.url}/?arrondissement=023")
    wait_for_map(page, sites=7)
    view = map_view(page)
    assert len(view["markers"]) == 7
    for lat, lon in view["markers"]:
        assert view["south"] <= lat <= view["north"] and view["west"] <= lon <= view["east"]
    # The Saint-Quentin arrondissement (about 49.6–50.05 N, 2.95–3.75 E) fills the view:
    # framed, not the whole department (48.8–50.1 N).
    assert 49.4 < view["south"] < 49.75 and 49.9 < view["north"] < 50.3
    assert 2.6 < view["west"] < 3.1 and 3.6 < view["east"] < 4.1
    assert recorder.errors == []


def test_changing_the_date_redraws_the_sites_without_remounting_the_map(server, page_factory):
    page, recorder = page_factory()
    page.goto(f"{server.url}/?au=2023-04-05")
    wait_for_map(page, sites=39)  # 30 structures placed, the Département's 10 sites
    # Tag the map's document: a remount would replace it and lose the tag.
    page.locator(MAP_IFRAME).evaluate("f => { f.contentWindow.__gardee = 1; }")
    slider = page.get_by_role("slider", name=texts.LABEL_AU)
    slider.focus()
    slider.press("Home")  # as a keyboard user: the first committee, 24/03/2021
    wait_for_map(page, sites=23)  # 13 structures + the Département's 10 sites
    assert "au=2021-03-24" in page.url
    assert page.locator(MAP_IFRAME).evaluate("f => f.contentWindow.__gardee") == 1
    figures = page.locator('[data-testid="stMetric"]', has=page.get_by_text(texts.FIG_POSTS))
    assert figures.locator('[data-testid="stMetricValue"]').inner_text().strip() == "30"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "carte-postes-valides-24-03-2021.png"), full_page=True)
    assert recorder.external() == [] and recorder.errors == []


# The order in which the page's parts first appear (a counter, not a clock).
_ORDER_JS = f"""
(() => {{
  if (window !== window.top) return;
  const seen = (window.__ordre = {{}});
  let n = 0;
  const parts = {{
    carte: {json.dumps(MAP_IFRAME)},
    filtres: '[data-testid="stSidebar"] [data-testid="stSelectbox"]',
    tableau: '#{texts.TABLE_ANCHOR}',
  }};
  new MutationObserver(() => {{
    for (const [name, selector] of Object.entries(parts)) {{
      if (!(name in seen) && document.querySelector(selector)) seen[name] = ++n;
    }}
  }}).observe(document, {{ childList: true, subtree: true }});
}})();
"""


def test_map_frame_comes_before_the_filters_and_the_table(server, page_factory):
    """A session's first run sends the title and the map alone; the map asks for the rest
    (the sidebar's filters, the figures, the table) once drawn
    (aisnemap.ui.page.start_map_first)."""
    page, recorder = page_factory()
    page.add_init_script(_ORDER_JS)
    page.goto(server.url)
    wait_for_map(page, sites=25)
    page.wait_for_function("() => Object.keys(window.__ordre).length === 3", timeout=60_000)
    order = page.evaluate("window.__ordre")
    assert order["carte"] < order["filtres"] and order["carte"] < order["tableau"], order
    # The whole page is there and works: a filter still redraws the map.
    choose_in_selectbox(page, texts.LABEL_ARRONDISSEMENT, "Saint-Quentin")
    wait_for_map(page, sites=7)
    assert recorder.errors == []


# What the page holds when the map's frame is inserted: its title, and any element drawn
# by Streamlit's Markdown renderer.
_AT_FRAME_JS = f"""
(() => {{
  if (window !== window.top) return;
  new MutationObserver((_, observer) => {{
    if (!document.querySelector({json.dumps(MAP_IFRAME)})) return;
    const main = document.querySelector('[data-testid="stMain"]');
    window.__au_cadre = {{
      markdown: main.querySelectorAll('[data-testid="stMarkdownContainer"]').length,
      titre: (main.querySelector("h1") || {{}}).textContent || null,
    }};
    observer.disconnect();
  }}).observe(document, {{ childList: true, subtree: true }});
}})();
"""


def test_the_map_comes_with_its_title_and_no_markdown_to_render(server, page_factory):
    """On a session's first run, what comes with the map is plain HTML (title, skip link):
    the browser inserts the map's frame without loading and running Streamlit's Markdown
    renderer first (aisnemap.ui.page.map_title)."""
    page, recorder = page_factory()
    page.add_init_script(_AT_FRAME_JS)
    page.goto(server.url + "/?arrondissement=022")
    wait_for_map(page)
    at_frame = page.evaluate("window.__au_cadre")
    assert at_frame == {
        "markdown": 0,
        "titre": "Conseillers numériques dans l'Aisne — arrondissement de Laon",
    }
    assert recorder.errors == []


# Where the drawn map's top is in the page, at every frame the browser paints: once its
# communes are drawn a reader may click on it, and it should not move under the click.
_MAP_TOPS_JS = f"""
(() => {{
  if (window !== window.top) return;
  const tops = (window.__hauts = []);
  (function look() {{
    const f = document.querySelector({json.dumps(MAP_IFRAME)});
    const main = document.querySelector('[data-testid="stMain"]');
    if (f && f.contentDocument && f.contentDocument.querySelector({json.dumps(COMMUNES)})) {{
      const y = Math.round(f.getBoundingClientRect().top + (main ? main.scrollTop : 0));
      if (tops[tops.length - 1] !== y) tops.push(y);
    }}
    requestAnimationFrame(look);
  }})();
}})();
"""


@pytest.mark.parametrize("size", [(1440, 900), (1024, 768)])
def test_the_drawn_map_does_not_move_when_the_rest_comes(server, page_factory, size):
    """The figures and layer choices above the map come after it (on a first run, with the
    next run, first as skeletons): the room they take is kept, the map stays put."""
    page, _ = page_factory(*size)
    page.add_init_script(_MAP_TOPS_JS)
    page.goto(server.url + "/?arrondissement=021")
    wait_for_map(page)
    page.wait_for_timeout(300)  # a few more painted frames after the run is over
    tops = page.evaluate("window.__hauts")
    assert tops and max(tops) - min(tops) <= 24, tops


# In the map's frame, how many times Leaflet drew the communes' paths: each projection to
# the screen's pixels, and each redraw after the view moved (clipped to the new view).
_COMMUNE_DRAWS_JS = """
(() => {
  if (window === window.top) return;
  window.__traces = 0;
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      const own = value && value.Polyline && value.Polyline.prototype._update;
      if (!own || own.__counted) return;
      value.Polyline.prototype._update = function (...args) {
        if (this.options.className === "aisne-commune") window.__traces += 1;
        return own.apply(this, args);
      };
      value.Polyline.prototype._update.__counted = true;
    },
  });
})();
"""


def test_the_communes_are_drawn_once_when_the_map_opens(server, page_factory):
    """The base map opens on the department before its polygons are added, and the sites
    layer's fit to that same view moves nothing: each of the 800 communes is drawn once,
    not again by a fit (aisnemap.render.maps.StartView, carte.js's fit)."""
    page, recorder = page_factory()
    page.add_init_script(_COMMUNE_DRAWS_JS)
    page.goto(server.url)
    wait_for_map(page, sites=25)
    page.wait_for_timeout(300)
    draws = map_frame(page).locator("body").evaluate("() => window.__traces")
    assert draws == 800, draws
    # A filter still fits the map to its territory.
    before = map_view(page)
    choose_in_selectbox(page, texts.LABEL_ARRONDISSEMENT, "Saint-Quentin")
    wait_for_map(page, sites=7)
    after = map_view(page)
    assert after["zoom"] > before["zoom"], (before["zoom"], after["zoom"])
    assert recorder.errors == []


def test_the_rest_of_the_page_comes_even_if_the_map_never_draws(server, page_factory):
    """The map's script blocked (its report never comes): the figures' notes, exports and
    table still come, by the first run's fallback timer."""
    page, _ = page_factory()
    page.route("**/aisnemap/carte.js*", lambda route: route.abort())
    page.goto(server.url)
    page.get_by_role("heading", name=texts.TABLE_TITLE).wait_for(timeout=60_000)
    page.get_by_role("combobox", name=texts.LABEL_ARRONDISSEMENT).wait_for(timeout=30_000)
