"""Steps a person takes in the dashboard, written once for the browser tests and benches."""

from __future__ import annotations

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SITE_MARKERS = "path.aisne-site"
COMMUNES = "path.aisne-commune"
EPCI = "path.aisne-epci"

# The map iframe is same-origin: its document can be read from the page. During a rerun
# Streamlit may briefly show the old and the new map iframes; we wait for exactly one.
_MAP_READY_JS = """
([iframeSelector, markerSelector, polygonSelector, expected]) => {
  const frames = [...document.querySelectorAll(iframeSelector)];
  if (frames.length !== 1) return false;
  const doc = frames[0].contentDocument;
  if (!doc || doc.querySelectorAll(polygonSelector).length === 0) return false;
  const markers = doc.querySelectorAll(markerSelector).length;
  return expected === null ? markers > 0 : markers === expected;
}
"""


def map_frame(page):
    """The map's iframe, as a frame locator."""
    return page.frame_locator(MAP_IFRAME)


def wait_for_map(page, sites: int | None = None, timeout_ms: int = 60_000) -> None:
    """Wait until one map is drawn with its communes and this many markers (polling)."""
    page.wait_for_function(
        _MAP_READY_JS,
        arg=[MAP_IFRAME, SITE_MARKERS, COMMUNES, sites],
        timeout=timeout_ms,
        polling=50,
    )


def choose_in_selectbox(page, label: str, option: str) -> None:
    """Open a sidebar select box by its label and pick an option by its visible text."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(option)  # typing filters the list and opens it, as a person searching would
    page.get_by_role("option", name=option, exact=True).click()


# The Leaflet map inside the iframe: its visible bounds and where each site marker is.
_MAP_VIEW_JS = """
() => {
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const b = map.getBounds();
  const markers = [];
  map.eachLayer((layer) => {
    if (layer instanceof L.CircleMarker) {
      const p = layer.getLatLng();
      markers.push([p.lat, p.lng]);
    }
  });
  return {south: b.getSouth(), west: b.getWest(), north: b.getNorth(),
          east: b.getEast(), zoom: map.getZoom(), markers: markers};
}
"""


def map_view(page) -> dict:
    """Visible bounds, zoom and marker positions of the map, read in its frame."""
    frame = page.frame_locator(MAP_IFRAME).locator("body")
    return frame.evaluate(_MAP_VIEW_JS.replace("() =>", "(_) =>"))
