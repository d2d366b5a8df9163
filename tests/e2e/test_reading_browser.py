"""Reading, sharing and navigating the map as an official would (Debian Chromium).

Place names without tiles, sites never hidden under another, links that frame their
territory, the keyboard alone, French on every page and an axe-core scan.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from aisnemap.domain.filters import Filters, territory_communes
from aisnemap.french import texts
from aisnemap.render import maps
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import (
    MAP_IFRAME,
    SITE_GROUPS,
    choose_in_selectbox,
    map_frame,
    map_view,
    wait_for_map,
)
from tests.support.departements import AISNE
from tests.support.server import StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SECRET = "secret de démonstration"
PAGES = (
    ("", texts.app_title(AISNE)),
    (texts.URL_TERRITORIES, texts.TERRITORIES_TITLE),
    (texts.URL_COVERAGE, texts.COVERAGE_TITLE),
    (f"{texts.URL_FIND}?lieu=02381", texts.FIND_TITLE),
    (texts.URL_RECONCILE, texts.RECONCILE_TITLE),
    (texts.URL_IMPORT, texts.IMPORT_TITLE),
)
#: Words of Streamlit's and Leaflet's own interface that must never reach the screen.
ENGLISH = re.compile(
    r"\b(Choose|Clear all|Clear value|Press Enter|Drag and drop|Browse files|per file|"
    r"Upload|Search|Download|Running|Stop|Close|Zoom in|Zoom out|Layers|No results|"
    r"Skip to|Help for|Show|Hide|Fullscreen|dashboard|Deploy|Collapse|Expand|Select|"
    r"Remove|Link to|Main menu|View \d+ more|View less|Connection error|not responding|"
    r"Are you connected|Show data|Download as|Copy Vega|Copied|"
    # Icon names of Streamlit's icon font, when they leak into text or names.
    r"keyboard_arrow_\w+|expand_more|expand_less|check_circle|arrow_drop_down|check)\b"
)
#: Every text a person or a screen reader gets from a document: visible text, and the
#: aria-label, title and placeholder attributes.
_TEXTS_JS = """(_) => {
  // The text a person reads or hears: text nodes outside aria-hidden subtrees (Streamlit's
  // icon words are drawn as glyphs and hidden from screen readers).
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement && n.parentElement.closest('[aria-hidden="true"], script, style')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  let node;
  while ((node = walker.nextNode())) out.push(node.nodeValue);
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
    for (const a of ["aria-label", "title", "placeholder"]) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def server(built_data_dir):
    with StreamlitServer(env={"AISNEMAP_ADMIN_SECRET": SECRET}) as srv:
        yield srv
    assert "Traceback" not in srv.log_text()


def _visible_place_names(page) -> list[str]:
    return (
        map_frame(page)
        .locator("body")
        .evaluate(
            """(_) => [...document.querySelectorAll(".aisne-lieu")]
             .filter((e) => e.style.display !== "none" &&
                            e.firstElementChild.getBoundingClientRect().width > 0)
             .map((e) => e.textContent)"""
        )
    )


def test_place_names_are_drawn_without_tiles(server, page_factory):
    page, recorder = page_factory(1440, 900)
    page.goto(server.url)
    wait_for_map(page, sites=25)
    names = _visible_place_names(page)
    for name in ("Laon", "Saint-Quentin", "Soissons", "Château-Thierry", "Vervins"):
        assert name in names
    # Only the préfecture and sous-préfectures at the department's view: no pile of names.
    assert len(names) == 5
    # Place names sit above the sites (a group's disc never hides "Laon").
    laon = map_frame(page).locator(".aisne-lieu", has_text="Laon").first
    assert laon.evaluate("e => getComputedStyle(e.parentElement).zIndex") == "640"
    assert recorder.external() == [] and recorder.errors == []


def _arrondissement_bounds(territory, code: str):
    return maps.bounds_of(territory_communes(territory.communes, Filters(arrondissement=code)))


def _assert_frames(view: dict, bounds) -> None:
    west, south, east, north = bounds
    tolerance = 0.01
    assert view["south"] <= south + tolerance and view["north"] >= north - tolerance
    assert view["west"] <= west + tolerance and view["east"] >= east - tolerance
    # Framed on the arrondissement, not left on the whole department (49.0–50.1 N).
    assert view["north"] - view["south"] < 1.6 * (north - south)


def test_a_link_opens_framed_on_its_territory(server, page_factory, territory):
    """First load, reload, back from another page and a new browser all frame Vervins."""
    bounds = _arrondissement_bounds(territory, "025")
    link = f"{server.url}/?arrondissement=025"
    page, recorder = page_factory(1440, 900)
    page.goto(link)
    wait_for_map(page, sites=5)
    _assert_frames(map_view(page), bounds)
    page.reload()
    wait_for_map(page, sites=5)
    _assert_frames(map_view(page), bounds)
    page.get_by_role("link", name=texts.TERRITORIES_TITLE).click()
    page.get_by_role("heading", name=texts.TERRITORIES_TITLE, level=1).wait_for()
    page.get_by_role("link", name=texts.NAV_MAP).click()
    wait_for_map(page, sites=5)
    assert "arrondissement=025" in page.url
    _assert_frames(map_view(page), bounds)
    fresh, fresh_recorder = page_factory(1024, 768)
    fresh.goto(link)
    wait_for_map(fresh, sites=5)
    _assert_frames(map_view(fresh), bounds)
    assert recorder.errors == [] and fresh_recorder.errors == []


def _focus(page) -> dict:
    """Where the keyboard is: in the page, or in the map frame (and on what)."""
    return page.evaluate(
        """() => {
      const a = document.activeElement;
      const main = document.querySelector('[data-testid="stMain"]');
      if (a && a.tagName === "IFRAME") {
        const e = a.contentDocument.activeElement;
        return {map: true, main: true, label: e.getAttribute("aria-label") || "",
                cls: String(e.className.baseVal ?? e.className), tag: e.tagName};
      }
      return {map: false, main: !!(main && main.contains(a)), label: "",
              cls: "", tag: a ? a.tagName : ""};
    }"""
    )


def test_the_keyboard_crosses_the_map_and_opens_a_site(server, page_factory):
    page, recorder = page_factory(1440, 900)
    page.goto(server.url)
    wait_for_map(page, sites=25)
    steps = []
    for _ in range(90):
        page.keyboard.press("Tab")
        steps.append(_focus(page))
        if len(steps) > 2 and steps[-2]["map"] and not steps[-1]["map"]:
            break
    in_main = next(i for i, s in enumerate(steps) if s["main"])
    left_map = next(
        i for i, s in enumerate(steps) if i > 0 and steps[i - 1]["map"] and not s["map"]
    )
    entered = next(i for i, s in enumerate(steps) if s["map"])
    # From the top of the page's content, the map is crossed in at most 30 presses (no
    # commune polygon takes the focus); the sidebar's filters come before it.
    assert left_map - in_main <= 30, steps
    assert not any("aisne-commune" in s["cls"] for s in steps)
    print(f"Tab : contenu atteint en {in_main + 1}, carte quittée en {left_map + 1} pressions")
    # Every site or group met on the way has an accessible name « site, commune ».
    markers = [s for s in steps[entered:left_map] if "aisne-site" in s["cls"]]
    assert markers and all(", " in s["label"] for s in markers)

    # Back into the map: go to one site, Enter opens its sheet, Escape closes it and gives
    # the focus back to the site.
    page.keyboard.press("Shift+Tab")
    for _ in range(40):
        if _focus(page)["label"] == "UTAS de Soissons, Soissons":
            break
        page.keyboard.press("Shift+Tab")
    assert _focus(page)["label"] == "UTAS de Soissons, Soissons"
    page.keyboard.press("Enter")
    frame = map_frame(page)
    popup = frame.locator(".leaflet-popup")
    popup.wait_for()
    assert popup.locator("caption").inner_text() == "UTAS de Soissons"
    assert (
        frame.locator(".leaflet-popup-close-button").get_attribute("aria-label")
        == (texts.MAP_UI["fermer"])
    )
    page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    assert _focus(page)["label"] == "UTAS de Soissons, Soissons"

    # A group: Enter spreads it and puts the focus on its first site.
    for _ in range(40):
        page.keyboard.press("Tab")
        if _focus(page)["label"].startswith("4 sites"):
            break
    assert "aisne-groupe" in _focus(page)["cls"]
    page.keyboard.press("Enter")
    after = _focus(page)
    assert "aisne-site" in after["cls"] and after["label"].endswith(", Laon")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "clavier-groupe-ecarte.png"))
    assert recorder.errors == []


def test_each_of_two_co_located_sites_opens_its_own_popup(server, page_factory, sites):
    """Laon: the Hôtel du Département and the UTAS are 2–7 px apart at the department's view."""
    names = dict(zip(sites["id"], sites["site"], strict=True))
    page, recorder = page_factory(1440, 900)
    page.goto(server.url)
    wait_for_map(page, sites=25)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    frame = map_frame(page)
    group = frame.locator(SITE_GROUPS, has_text="4")
    assert group.get_attribute("aria-label").startswith("4 sites")
    for site_id in ("D01", "D02"):
        if frame.locator(f".site-{site_id}").count() == 0:
            group.click()
        marker = frame.locator(f".site-{site_id}")
        marker.wait_for()
        caption = frame.locator(".leaflet-popup caption")
        for attempt in range(2):
            # A click during the group's spreading animation can land on the moving
            # marker's old place: the person clicks again, and so does the test.
            marker.click()
            try:
                caption.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt:
                    raise
        assert caption.inner_text() == names[site_id]
        frame.locator(".leaflet-popup-close-button").click()
        caption.wait_for(state="detached")
    assert recorder.errors == []


def _english_on(target) -> list[str]:
    """English interface words in a page or a frame."""
    texts_seen = target.evaluate(_TEXTS_JS)
    return sorted({m.group(0) for t in texts_seen for m in ENGLISH.finditer(t)})


def _sign_in(page) -> None:
    page.get_by_label(texts.IMPORT_SECRET).fill(SECRET)
    page.get_by_role("button", name=texts.IMPORT_LOGIN).click()
    page.get_by_text(texts.IMPORT_FILE).first.wait_for()


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_every_page_is_in_french_and_passes_axe(server, page_factory, path, title):
    from axe_playwright_python.sync_playwright import Axe

    page, recorder = page_factory(1440, 900)
    page.goto(f"{server.url}/{path}")
    page.get_by_role("heading", name=title, level=1).wait_for()
    if path == texts.URL_IMPORT:
        _sign_in(page)
    if path in ("", texts.URL_TERRITORIES, texts.URL_COVERAGE):
        page.locator(MAP_IFRAME).wait_for()
        map_frame(page).locator(".leaflet-control-zoom-in").wait_for()
    page.wait_for_timeout(1500)  # the last rerun's widgets settle
    # A multi-select opened and searched for nothing: its list speaks French too.
    box = page.get_by_role("combobox", name=texts.LABEL_SERVICE_TYPE)
    box.click()
    box.fill("zzz")
    page.get_by_text("Aucun résultat").wait_for()
    assert _english_on(page) == []
    page.keyboard.press("Escape")
    assert page.evaluate("document.documentElement.lang") == "fr"
    # A settled page: during a rerun Streamlit fades the elements it is about to replace.
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
    axe = Axe()
    violations = [
        v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")
    ]
    for frame in page.frames:
        if frame is page.main_frame or "/component/" not in frame.url:
            continue
        assert frame.evaluate("document.documentElement.lang") == "fr"
        assert _english_on(frame) == []
        found = [
            v
            for v in axe.run(frame).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        violations += found
    summary = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
    assert summary == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    assert recorder.external() == []


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768)])
def test_layout_puts_the_map_high_and_wide(server, page_factory, width, height):
    page, recorder = page_factory(width, height)
    page.goto(server.url)
    wait_for_map(page, sites=25)
    box = page.locator(MAP_IFRAME).bounding_box()
    content = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"carte-{width}x{height}.png"))
    page.screenshot(path=str(ARTIFACTS / f"carte-{width}x{height}-page.png"), full_page=True)
    if width == 1440:
        assert box["y"] <= 450, box
        assert box["width"] >= 0.6 * content["width"]
    # The key figures stand on one row.
    tops = {
        round(b["y"]) for b in (m.bounding_box() for m in page.get_by_test_id("stMetric").all())
    }
    assert len(tops) == 1 or width < 1100
    assert recorder.errors == []


def test_the_fragility_layer_switches_on_and_off(server, page_factory):
    page, recorder = page_factory(1440, 900)
    page.goto(server.url)
    wait_for_map(page, sites=25)
    frame = map_frame(page)
    assert frame.locator("path.aisne-ifn").count() == 0
    choose_in_selectbox(page, texts.LABEL_FRAGILITY, "Indice total")
    frame.locator("path.aisne-ifn").first.wait_for()
    assert frame.locator("path.aisne-ifn").count() == 800
    legend = frame.locator(".aisne-legend", has_text="IFN : indice total")
    assert legend.is_visible() and "8 à 10" in legend.inner_text()
    assert page.get_by_text("pas des taux").first.is_visible()
    # The sites stay above the colours, and were not redrawn from scratch.
    wait_for_map(page, sites=25)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(MAP_IFRAME).screenshot(path=str(ARTIFACTS / "carte-fragilite-ifn.png"))
    choose_in_selectbox(page, texts.LABEL_FRAGILITY, texts.FRAGILITY_NONE)
    frame.locator("path.aisne-ifn").first.wait_for(state="detached")
    assert frame.locator(".aisne-legend", has_text="IFN").count() == 0
    wait_for_map(page, sites=25)
    assert recorder.external() == [] and recorder.errors == []
