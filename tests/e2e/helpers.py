"""Steps a person takes in the dashboard, written once for the browser tests and benches."""

from __future__ import annotations

from aisnemap.french import texts

# The map's frame: streamlit-folium's title until the map's script names it in French.
MAP_IFRAME = f'iframe[title="{texts.MAP_FRAME_TITLE}"], iframe[title="streamlit_folium.st_folium"]'
#: One site marker drawn on its own (sites that touch on screen are drawn as a group).
SITE_MARKERS = ".aisne-site"
SITE_GROUPS = ".aisne-groupe"
COMMUNES = "path.aisne-commune"
EPCI = "path.aisne-epci"

#: How many sites the map's sites layer holds (grouped or not), -1 before it is drawn.
SITES_IN_WINDOW_JS = """(w) => {
  const g = w.aisne && w.aisne.groupeSites;
  return g && g._map ? g.getLayers().length : -1;
}"""

# The map iframe is same-origin: its document can be read from the page. During a rerun
# Streamlit may briefly show the old and the new map iframes; we wait for exactly one.
_MAP_READY_JS = (
    """
([iframeSelector, polygonSelector, expected]) => {
  const frames = [...document.querySelectorAll(iframeSelector)];
  if (frames.length !== 1) return false;
  const doc = frames[0].contentDocument;
  if (!doc || doc.querySelectorAll(polygonSelector).length === 0) return false;
  const count = ("""
    + SITES_IN_WINDOW_JS
    + """)(frames[0].contentWindow);
  return expected === null ? count > 0 : count === expected;
}
"""
)


def map_frame(page):
    """The map's iframe, as a frame locator."""
    return page.frame_locator(MAP_IFRAME)


# A page is whole once its sidebar's filters are there (the France page has none: its
# tab names it) and, on the map page (« Carte — … »), its table: a session's first run of
# the map page sends the title and the map alone (aisnemap.ui.page.start_map_first). And
# a run is over once no element is stale (the figures come after the map's layers). On a
# browser's first visit the widgets are drawn as skeletons until their scripts arrive,
# then take their own height and move the map: a page is settled once none is left.
_WHOLE_JS = f"""() => (
  document.title.startsWith({texts.FRANCE_TAB!r}) || (
    !!document.querySelector('[data-testid="stSidebar"] [data-testid="stTextInput"]') &&
    (!document.title.startsWith({texts.NAV_MAP + " — "!r}) ||
     !!document.getElementById({texts.TABLE_ANCHOR!r})))) &&
  !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')"""


def wait_for_map(page, sites: int | None = None, timeout_ms: int = 60_000) -> None:
    """Wait until one map is drawn with its communes and this many markers (polling),
    then until the run is over and, on the map page, the rest of the page came (what a
    person then reads)."""
    page.wait_for_function(
        _MAP_READY_JS,
        arg=[MAP_IFRAME, COMMUNES, sites],
        timeout=timeout_ms,
        polling=50,
    )
    page.wait_for_function(_WHOLE_JS, timeout=timeout_ms, polling=50)


def open_selectbox(page, label: str, option: str):
    """Open a sidebar select box by its label and type an option's visible text, as a
    person searching would; the option, to click (the choice itself)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(option)  # typing filters the list and opens it
    option_shown = page.get_by_role("option", name=option, exact=True)
    option_shown.wait_for()
    return option_shown


def choose_in_selectbox(page, label: str, option: str) -> None:
    """Open a sidebar select box by its label and pick an option by its visible text."""
    open_selectbox(page, label, option).click()


# The Leaflet map inside the iframe: its visible bounds and where each site marker is.
_MAP_VIEW_JS = """
() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const b = map.getBounds();
  const markers = window.aisne.groupeSites.getLayers().map((m) => {
    const p = m.getLatLng();
    return [p.lat, p.lng];
  });
  return {south: b.getSouth(), west: b.getWest(), north: b.getNorth(),
          east: b.getEast(), zoom: map.getZoom(), markers: markers};
}
"""


def map_view(page) -> dict:
    """Visible bounds, zoom and marker positions of the map, read in its frame."""
    frame = page.frame_locator(MAP_IFRAME).locator("body")
    return frame.evaluate(_MAP_VIEW_JS.replace("() =>", "(_) =>"))


# Zoom and spread as needed so that one site's own marker is on screen (markercluster).
_REVEAL_JS = """
(id) => new Promise((resolve) => {
  const marker = window.aisne.groupeSites.getLayers().find((m) => m.options.aisneId === id);
  window.aisne.groupeSites.zoomToShowLayer(marker, () => resolve(true));
})
"""


def reveal_site(page, site_id: str):
    """The marker of one site, brought out of its group; returns its locator."""
    frame = map_frame(page)
    frame.locator("body").evaluate(_REVEAL_JS.replace("(id) =>", "(_, id) =>"), site_id)
    marker = frame.locator(f"{SITE_MARKERS}.site-{site_id}")
    marker.wait_for()
    return marker
