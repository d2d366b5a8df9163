"""The Leaflet map, built with folium (no Streamlit here).

Design choices:
- Leaflet is loaded from the app's own static files (no CDN): ``default_js`` and
  ``default_css`` of the map are replaced by local URLs.
- Polygons and sites are drawn by small custom layers whose data travel as JSON with
  polyline-encoded rings (much smaller than GeoJSON) and whose tooltips and popups are
  built with DOM ``textContent``: text from the data can never become HTML or script.
- No branca colormap (streamlit-folium would pull d3 from a CDN): the legend is a
  Leaflet control drawn by the app.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.map import Layer
from jinja2 import Template

from aisnemap import config
from aisnemap.domain import schema as s
from aisnemap.domain.layers import LayerSet
from aisnemap.domain.territory import Level
from aisnemap.french import texts
from aisnemap.render import assets
from aisnemap.render.style import TERRITORY_COLOUR, advisors_label, service_colours, site_style

POLYLINE_PRECISION = 4  # 1e-4 degree ≈ 11 m, far below the 200 m display tolerance
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
ZOOM_RANK_2 = 9.5
ZOOM_RANK_3 = 10.5


def encode_polyline(coords: np.ndarray, precision: int = POLYLINE_PRECISION) -> str:
    """Encode (lon, lat) pairs with Google's polyline algorithm (lat first, as Leaflet)."""
    factor = 10**precision
    values = np.round(np.asarray(coords)[:, [1, 0]] * factor).astype(np.int64)
    deltas = np.diff(values, axis=0, prepend=[[0, 0]]).ravel()
    out = []
    for value in deltas.tolist():
        value = ~(value << 1) if value < 0 else value << 1
        while value >= 0x20:
            out.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        out.append(chr(value + 63))
    return "".join(out)


def encode_geometry(geometry) -> list[list[str]]:
    """A (multi)polygon as a list of polygons, each a list of encoded rings."""
    polygons = []
    for part in getattr(geometry, "geoms", [geometry]):
        if part.is_empty or part.geom_type != "Polygon":
            continue
        rings = [part.exterior, *part.interiors]
        polygons.append([encode_polyline(np.asarray(r.coords)) for r in rings])
    return polygons


def safe_json(value) -> str:
    """JSON that is also safe inside an HTML ``<script>`` element and a JS template.

    Branca re-reads rendered scripts as Jinja templates, so ``{{``, ``{%`` and ``{#``
    (possible in encoded rings and in data) are escaped too; JSON structure never
    produces them, so only string contents change, and they decode to the same text.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _JINJA_OPEN.sub(r"\\u007b", text)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("`", "\\u0060")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# Start of every custom layer's script: a feature group filled by a function of carte.js.
_LAYER_PRELUDE = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup();
"""


class PolygonLayer(Layer):
    """Polygons from encoded rings, with a plain-text tooltip; drawn as SVG paths."""

    _template = Template(
        _LAYER_PRELUDE
        + """
aisne.polygons({{ this.get_name() }}, {{ this.data_json }}, {{ this.style_json }},
  {{ this.precision }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        data_json: str,
        name: str,
        style: dict,
        show: bool = True,
        precision: int = POLYLINE_PRECISION,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PolygonLayer"
        self.data_json = data_json
        self.style_json = safe_json(style)
        self.precision = precision


def encode_layer(
    frame: gpd.GeoDataFrame, tooltip_column: str | None = None, colour_column: str | None = None
) -> str:
    """JSON of a polygon layer: [tooltip, [[encoded ring, ...], ...], colour?] per feature."""
    frame = frame.to_crs(config.CRS_DRAW)
    labels = frame[tooltip_column].astype(str).tolist() if tooltip_column else [""] * len(frame)
    data = [
        [label, encode_geometry(geom)] for label, geom in zip(labels, frame.geometry, strict=True)
    ]
    if colour_column:
        for item, colour in zip(data, frame[colour_column], strict=True):
            item.append(str(colour))
    return safe_json(data)


class SitesLayer(Layer):
    """One marker per site (size by advisors, colour by service type), grouped with a count
    when sites touch on screen (``aisne.sites``, Leaflet.markercluster)."""

    _template = Template(
        _LAYER_PRELUDE
        + """
aisne.sites({{ this.get_name() }}, {{ this._parent.get_name() }}, {{ this.data_json }}, {});
{% if this.legend_json %}
aisne.siteLegend({{ this._parent.get_name() }}, {{ this.legend_json }});
{% endif %}
{% if this.view %}
aisne.view({{ this._parent.get_name() }}, {{ this.view }});
{% elif this.fit %}
aisne.fit({{ this._parent.get_name() }}, {{ this.fit }});
{% endif %}
{% if this.report_drawn %}
aisne.reportDrawn();
{% endif %}
{% endmacro %}
"""
    )

    def __init__(
        self,
        records: list[dict],
        name: str = texts.LAYER_SITES,
        fit: Sequence[float] | None = None,
        legend: dict | None = None,
        view: tuple[float, float, float] | None = None,
        report_drawn: bool = False,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "SitesLayer"
        # The dashboard's first run draws the map alone; the map says when it is drawn.
        self.report_drawn = report_drawn
        # A view the reader chose (a shared link's ?vue=): kept instead of the fit.
        self.view = safe_json(list(view)) if view else None
        # The legend of what this layer draws (replaced with the layer on a filter change).
        self.legend_json = safe_json(legend) if legend else None
        # The view fits the territory when the sites are (re)drawn: in the dashboard they
        # are a dynamic layer, so this runs on every filter change without a remount.
        self.fit = _latlng_bounds(fit) if fit is not None else None
        self.data_json = safe_json(records)


class PlaceLabels(Layer):
    """Place names as text with a halo (no tiles needed), shown by rank as the zoom grows.

    Rank 1 (préfecture, sous-préfectures) always, rank 2 from ``ZOOM_RANK_2``, rank 3 from
    ``ZOOM_RANK_3`` (see :mod:`aisnemap.places`). Names go through ``A.text`` (carte.js).
    """

    _template = Template(
        _LAYER_PRELUDE
        + """
aisne.places({{ this.get_name() }}, {{ this._parent.get_name() }}, {{ this.data_json }},
  {{ this.zooms_json }});
{% endmacro %}
"""
    )

    def __init__(self, places: pd.DataFrame, name: str = texts.LAYER_PLACES) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PlaceLabels"
        self.data_json = safe_json(
            [
                [str(p.nom), round(float(p.lat), 5), round(float(p.lon), 5), int(p.rang)]
                for p in places.itertuples()
            ]
        )
        self.zooms_json = safe_json({"1": 0, "2": ZOOM_RANK_2, "3": ZOOM_RANK_3})


class FragilityLayer(Layer):
    """Communes coloured by an IFN score, with their own legend while the layer is shown."""

    _template = Template(
        _LAYER_PRELUDE
        + """aisne.polygons({{ this.get_name() }}, {{ this.data_json }}, {{ this.style_json }},
  {{ this.precision }});
aisne.layerLegend({{ this.get_name() }}, {{ this._parent.get_name() }}, {{ this.legend_json }});
{% endmacro %}
"""
    )

    def __init__(self, data_json: str, title: str, items: list, notes: list[str]) -> None:
        super().__init__(name=texts.LAYER_FRAGILITY, overlay=True, control=True, show=True)
        self._name = "FragilityLayer"
        self.data_json = data_json
        self.precision = POLYLINE_PRECISION
        self.style_json = safe_json(
            {"color": "#6b6b6b", "weight": 0.4, "fillOpacity": 0.78, "className": "aisne-ifn"}
        )
        self.legend_json = safe_json(
            {"title": title, "items": [list(i) for i in items], "notes": notes}
        )


def france_services_records(table: pd.DataFrame) -> list[dict]:
    """One marker per France Services with coordinates: name, label date, itinerancy."""
    records = []
    for row in table.itertuples():
        if pd.isna(row.latitude) or pd.isna(row.longitude):
            continue
        label = texts.fs_label(row.nom, row.labellisation, bool(row.itinerant))
        values = row._asdict()
        popup = [
            [title, str(values[key]).strip()]
            for key, title in texts.FS_POPUP_FIELDS
            if key in values and not pd.isna(values[key]) and str(values[key]).strip()
        ]
        records.append(
            {
                "lat": round(float(row.latitude), 5),
                "lon": round(float(row.longitude), 5),
                "label": label,
                "itinerant": bool(row.itinerant),
                "popup": popup,
            }
        )
    return records


class FranceServicesLayer(Layer):
    """The France Services of the ANCT list (``aisne.franceServices``)."""

    _template = Template(
        _LAYER_PRELUDE
        + """aisne.franceServices({{ this.get_name() }}, {{ this.data_json }});
{% endmacro %}
"""
    )

    def __init__(self, records: list[dict]) -> None:
        super().__init__(name=texts.LAYER_FRANCE_SERVICES, overlay=True, control=True, show=True)
        self._name = "FranceServicesLayer"
        self.data_json = safe_json(records)


class SuggestionsLayer(Layer):
    """The planner's suggested communes as numbered markers (``aisne.suggestions``)."""

    _template = Template(
        _LAYER_PRELUDE
        + """aisne.suggestions({{ this.get_name() }}, {{ this.data_json }});
{% endmacro %}
"""
    )

    def __init__(self, items: list[list], name: str = texts.LAYER_SUGGESTIONS) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "SuggestionsLayer"
        self.data_json = safe_json(items)


class Legend(folium.MacroElement):
    """A legend drawn by the app as a Leaflet control (text via textContent)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
aisne.legend({{ this._parent.get_name() }}, {{ this.spec_json }});
{% endmacro %}
"""
    )

    def __init__(
        self, items: list[tuple[str, str]], notes: list[str], title: str = texts.LEGEND_TITLE
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.spec_json = safe_json(
            {"title": title, "items": [list(i) for i in items], "notes": notes}
        )


#: Display polygons of the department, encoded once (see :func:`encode_layer`).
MapLayers = LayerSet[str]


def prepare_layers(display: LayerSet[gpd.GeoDataFrame]) -> MapLayers:
    """Encode the static polygon layers of the map (done once per data version)."""
    return LayerSet(
        communes=encode_layer(display.communes, "nom"),
        epci=encode_layer(display.epci),
        arrondissements=encode_layer(display.arrondissements),
        department=encode_layer(display.department),
    )


def site_records(sites: gpd.GeoDataFrame, colours: dict[str, str]) -> list[dict]:
    """The data of each marker (all strings are data, never markup)."""
    if sites.empty:
        return []
    frame = sites.to_crs(config.CRS_DRAW)
    lats, lons = frame.geometry.y.to_numpy(), frame.geometry.x.to_numpy()
    records = []
    for (_, row), lat, lon in zip(frame.iterrows(), lats, lons, strict=True):
        style = site_style(row, colours)
        values = {
            **{
                k: row.get(k, "")
                for k in ("laureat", "site", "operateur", "type_service", "adresse", "source")
            },
            "conseillers_affiche": advisors_label(row),
            "vague": str(row[s.WAVE]),
            "commune": f"{row.get('commune', '')} ({row[s.INSEE]})",
            "epci_nom": row.get("epci_nom", ""),
            "precision_affiche": texts.PRECISION_COMMUNE
            if row.get("place_au_centre", False)
            else texts.PRECISION_ADDRESS,
        }
        records.append(
            {
                "id": str(row[s.ID]),
                "lat": round(float(lat), 5),
                "lon": round(float(lon), 5),
                "r": style.radius,
                "stroke": style.stroke,
                "weight": style.weight,
                "fill": style.fill,
                "fillOpacity": style.fill_opacity,
                "dash": "4 3" if style.dashed else None,
                "tooltip": str(row[s.SITE]),
                "label": texts.site_accessible_name(row[s.SITE], row.get("commune", "")),
                "popup": [[label, str(values.get(key, ""))] for key, label in texts.POPUP_FIELDS],
            }
        )
    return records


def site_legend(sites: gpd.GeoDataFrame, colours: dict[str, str], records: list[dict]) -> dict:
    """The legend of the sites drawn: only their service types, and only the notes that
    say something about them (itinerant outline, pool ring, centred tint, groups)."""
    drawn = set(sites[s.SERVICE_TYPE]) if len(sites) else set()
    items = [[name, colour] for name, colour in colours.items() if name in drawn]
    notes = [texts.LEGEND_SIZE]
    if any(r["dash"] for r in records):
        notes.append(texts.LEGEND_ITINERANT)
    if len(sites) and sites[s.POOL].fillna(False).astype(bool).any():
        notes.append(texts.LEGEND_POOL)
    if len(sites) and sites.get("place_au_centre", pd.Series(dtype=bool)).fillna(False).any():
        notes.append(texts.LEGEND_CENTROID)
    if len(records) > 1:
        notes.append(texts.LEGEND_GROUP)
    return {"title": texts.LEGEND_TITLE, "items": items, "notes": notes}


def local_map(
    bounds: Sequence[float],
    zoom: int,
    static_url: str,
    fit_options: dict | None = None,
) -> folium.Map:
    """A folium map that loads Leaflet from the app's static files only, opened on
    ``bounds`` (west, south, east, north) before any layer joins it (:class:`StartView`;
    ``zoom``: the zoom it is created at; ``fit_options``: Leaflet's, e.g. a padding)."""
    west, south, east, north = bounds
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=zoom,
        tiles=None,
        control_scale=False,  # folium's scale shows miles too: ours is metric only
        zoom_control=False,  # Leaflet's says "Zoom in": MapSetup adds a French one
        zoom_snap=0.25,
    )
    # The site groups (markercluster) need a maximum zoom; folium gives it to tiles only.
    fmap.options.update(maxZoom=18, minZoom=5)
    fmap.default_js = [
        (f"aisne_js_{i}", f"{static_url}/{assets.versioned(name)}")
        for i, name in enumerate(assets.JS_FILES)
    ]
    fmap.default_css = [
        (f"aisne_css_{i}", f"{static_url}/{assets.versioned(name)}")
        for i, name in enumerate(assets.CSS_FILES)
    ]
    MapSetup().add_to(fmap)
    MetricScale().add_to(fmap)
    StartView(bounds, fit_options).add_to(fmap)
    return fmap


def _latlng_bounds(bounds: Sequence[float]) -> str:
    """(west, south, east, north) as Leaflet's [[south, west], [north, east]], in JSON."""
    west, south, east, north = bounds
    return safe_json([[float(south), float(west)], [float(north), float(east)]])


class StartView(folium.MacroElement):
    """The map opens fitted to ``bounds`` before any layer is on it (``aisne.startView``):
    its polygons are projected once, at that view. Fitted after them (folium's
    ``fit_bounds``, the sites layer's fit), every polygon was projected again: 44 to 53 ms
    of the dashboard's frame script for the 800 communes (Chromium's profiler); the sites
    layer's fit to the same view now moves nothing (carte.js)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
aisne.startView({{ this._parent.get_name() }}, {{ this.bounds }}, {{ this.options }});
{% endmacro %}
"""
    )

    def __init__(self, bounds: Sequence[float], options: dict | None = None) -> None:
        super().__init__()
        self._name = "StartView"
        self.bounds = _latlng_bounds(bounds)
        self.options = safe_json(options or {})


class MapSetup(folium.MacroElement):
    """French controls, frame title and keyboard behaviour (``aisne.prepare``)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
aisne.prepare({{ this._parent.get_name() }}, {{ this.texts_json }});
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapSetup"
        self.texts_json = safe_json(texts.MAP_UI)


class MetricScale(folium.MacroElement):
    """Leaflet's scale bar in kilometres only."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.control.scale({imperial: false, metric: true}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )


EPCI_STYLE = {
    "color": "#5a5a5a",
    "weight": 1.6,
    "fill": False,
    "className": "aisne-epci",
    "interactive": False,
}
TERRITORY_STYLE = {
    "color": TERRITORY_COLOUR,
    "weight": 3.5,
    "fill": False,
    "className": "aisne-territoire",
    "interactive": False,
}
DEPARTMENT_STYLE = {
    "color": "#000000",
    "weight": 3,
    "fill": False,
    "className": "aisne-departement",
    "interactive": False,
}


def base_map(
    layers: MapLayers,
    bounds: Sequence[float],
    service_types: Sequence[str],
    show_communes: bool = True,
    static_url: str = config.STATIC_URL,
) -> folium.Map:
    """The part of the map that no filter changes: base layers, polygons, legend, scale;
    it opens on ``bounds`` (a sites layer fits its own territory after)."""
    fmap = local_map(bounds, 9, static_url)
    folium.FeatureGroup(name=texts.LAYER_NO_BASEMAP, overlay=False, control=True).add_to(fmap)
    folium.TileLayer(
        "OpenStreetMap", name=texts.LAYER_OSM, overlay=False, control=True, show=False
    ).add_to(fmap)
    folium.TileLayer(
        tiles=(
            "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png"
            "&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
        ),
        attr="IGN-F/Géoportail",
        name=texts.LAYER_IGN,
        overlay=False,
        control=True,
        show=False,
    ).add_to(fmap)
    PolygonLayer(
        layers.communes,
        texts.LAYER_COMMUNES,
        {
            "color": "#9a9a9a",
            "weight": 0.6,
            "fillColor": "#f3f1ea",
            "fillOpacity": 0.55,
            "className": "aisne-commune",
        },
        show=show_communes,
    ).add_to(fmap)
    PolygonLayer(layers.epci, texts.LAYER_EPCI, EPCI_STYLE).add_to(fmap)
    PolygonLayer(
        layers.arrondissements,
        texts.LAYER_ARRONDISSEMENTS,
        {
            "color": "#222222",
            "weight": 2.2,
            "dashArray": "8 5",
            "fill": False,
            "className": "aisne-arrondissement",
            "interactive": False,
        },
        show=False,
    ).add_to(fmap)
    PolygonLayer(layers.department, texts.LAYER_DEPARTMENT, DEPARTMENT_STYLE).add_to(fmap)
    return fmap


def view_layers(
    sites: gpd.GeoDataFrame,
    service_types: Sequence[str],
    fit: Sequence[float] | None = None,
    highlight: str | None = None,
    places: pd.DataFrame | None = None,
    extra: Sequence[Layer] = (),
    view: tuple[float, float, float] | None = None,
    report_drawn: bool = False,
) -> list[Layer]:
    """The layers a filter changes: the sites (which also fit the view, or keep ``view``,
    (lat, lon, zoom), the reader's own), the outline, the place names of the view and
    ``extra`` optional layers (fragility, France Services), drawn under the sites."""
    layers: list[Layer] = list(extra)
    if places is not None and len(places):
        layers.append(PlaceLabels(places))
    if highlight:
        layers.append(PolygonLayer(highlight, texts.LAYER_TERRITORY, TERRITORY_STYLE))
    colours = service_colours(service_types)
    records = site_records(sites, colours)
    layers.append(
        SitesLayer(
            records,
            fit=fit,
            legend=site_legend(sites, colours, records),
            view=view,
            report_drawn=report_drawn,
        )
    )
    for layer in layers:
        # streamlit-folium names a dynamic layer's variable as it names a FeatureGroup's
        # ("feature_group_<id>") when it adds and later removes it; match that naming.
        layer._name = "FeatureGroup"
    return layers


def build_map(
    layers: MapLayers,
    sites: gpd.GeoDataFrame,
    bounds: Sequence[float],
    service_types: Sequence[str] = (),
    show_communes: bool = True,
    static_url: str = config.STATIC_URL,
    highlight: str | None = None,
    department_bounds: Sequence[float] | None = None,
    places: pd.DataFrame | None = None,
) -> folium.Map:
    """The whole map in one document (exports, tests): base map + view layers + control."""
    types = list(service_types) or sorted(sites[s.SERVICE_TYPE].unique())
    # Opened on the department, fitted to the territory by the sites layer: both fits
    # are synchronous, not animated (two competing fits had left the standalone export
    # on the department instead of the selected territory).
    fmap = base_map(layers, department_bounds or bounds, types, show_communes, static_url)
    for layer in view_layers(sites, types, fit=bounds, highlight=highlight, places=places):
        layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def build_choropleth(
    layers: MapLayers,
    areas_json: str,
    layer_name: str,
    legend_title: str,
    legend_items: list[tuple[str, str]],
    bounds: Sequence[float],
    sites: gpd.GeoDataFrame | None = None,
    service_types: Sequence[str] = (),
    notes: Sequence[str] = (),
    static_url: str = config.STATIC_URL,
    highlight: str | None = None,
    suggestions: list[list] | None = None,
) -> folium.Map:
    """A thematic map: coloured areas (with tooltips), outlines, the selected territory
    (``highlight``, encoded) outlined, optionally the sites and numbered suggestions
    ([rank, label, lat, lon], see :func:`aisnemap.coverage.suggestion_points`)."""
    fmap = local_map(bounds, 9, static_url)
    folium.FeatureGroup(name=texts.LAYER_NO_BASEMAP, overlay=False, control=True).add_to(fmap)
    PolygonLayer(
        areas_json,
        layer_name,
        {"color": "#555555", "weight": 0.7, "fillOpacity": 0.85, "className": "aisne-classe"},
    ).add_to(fmap)
    PolygonLayer(layers.epci, texts.LAYER_EPCI, EPCI_STYLE).add_to(fmap)
    PolygonLayer(layers.department, texts.LAYER_DEPARTMENT, DEPARTMENT_STYLE).add_to(fmap)
    if highlight:
        PolygonLayer(highlight, texts.LAYER_TERRITORY, TERRITORY_STYLE).add_to(fmap)
    if sites is not None:
        colours = service_colours(list(service_types) or sorted(sites[s.SERVICE_TYPE].unique()))
        SitesLayer(site_records(sites, colours)).add_to(fmap)
    if suggestions:
        SuggestionsLayer(suggestions).add_to(fmap)
    Legend(legend_items, list(notes), title=legend_title).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def territory_outline(
    display: dict[str, gpd.GeoDataFrame], selected: tuple[Level, str] | None
) -> str | None:
    """Encoded outline of the selected territory (``Filters.most_precise()``), or None."""
    if selected is None:
        return None
    level, code = selected
    layer = display[level.layer]
    frame = layer.loc[layer[level.layer_code_column] == code]
    return encode_layer(frame) if not frame.empty else None


def bounds_of(frame: gpd.GeoDataFrame, margin: float = 0.02) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a layer in WGS84, with a small margin."""
    west, south, east, north = frame.to_crs(config.CRS_DRAW).total_bounds
    dx, dy = (east - west) * margin, (north - south) * margin
    return (west - dx, south - dy, east + dx, north + dy)


#: The national map's extent: mainland France, Corsica and the overseas insets.
FRANCE_BOUNDS = (-9.9, 41.2, 9.8, 51.2)
FRANCE_STYLE = {
    "color": "#4d4d4d",
    "weight": 0.7,
    "fillOpacity": 0.92,
    "className": "aisne-departement-france",
}


#: Width kept free for the national legend beside France (px).
FRANCE_LEGEND_PX = 265


def france_map(
    items_json: str,
    legend: list[tuple[str, str]],
    static_url: str = config.STATIC_URL,
) -> folium.Map:
    """The national map: départements coloured by posts per 10 000 inhabitants, no tiles
    (``items_json``: :func:`encode_layer`'s format, tooltip naming the code)."""
    # The legend's column (bottom right) is kept free: Provence, Corsica and every
    # département stay clickable beside it.
    fmap = local_map(
        FRANCE_BOUNDS, 5, static_url, fit_options={"paddingBottomRight": [FRANCE_LEGEND_PX, 0]}
    )
    fmap.options.update(minZoom=4)
    PolygonLayer(items_json, texts.LAYER_FRANCE, FRANCE_STYLE).add_to(fmap)
    Legend(legend, [texts.FRANCE_INSETS_NOTE], title=texts.FRANCE_LEGEND_TITLE).add_to(fmap)
    return fmap


ROUTE_STYLE = {"color": "#000091", "weight": 2.5, "dashArray": "6 4", "opacity": 0.9}


def nearby_map(
    layers: MapLayers,
    nearby,
    france_services: pd.DataFrame | None,
    service_types: Sequence[str],
    static_url: str = config.STATIC_URL,
) -> folium.Map:
    """A commune and its nearest places (``nearby``: domain.nearby.Nearby), each joined
    to the commune by the straight line its distance measures; framed on them all."""
    points = [(nearby.lat, nearby.lon), *zip(nearby.sites["lat"], nearby.sites["lon"], strict=True)]
    if france_services is not None and len(france_services):
        points += zip(france_services["latitude"], france_services["longitude"], strict=True)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    fmap = local_map(
        (min(lons), min(lats), max(lons), max(lats)), 10, static_url, {"padding": [30, 30]}
    )
    PolygonLayer(
        layers.communes,
        texts.LAYER_COMMUNES,
        {
            "color": "#b0b0b0",
            "weight": 0.5,
            "fillColor": "#f3f1ea",
            "fillOpacity": 0.5,
            "className": "aisne-commune",
        },
    ).add_to(fmap)
    PolygonLayer(layers.department, texts.LAYER_DEPARTMENT, DEPARTMENT_STYLE).add_to(fmap)
    routes = folium.FeatureGroup(name=texts.LAYER_ROUTES)
    for lat, lon in points[1:]:
        folium.PolyLine([(nearby.lat, nearby.lon), (lat, lon)], **ROUTE_STYLE).add_to(routes)
    routes.add_to(fmap)
    folium.CircleMarker(
        (nearby.lat, nearby.lon),
        radius=7,
        color="#000000",
        weight=3,
        fill=True,
        fill_color="#ffffff",
        fill_opacity=1,
        tooltip=texts.literal(nearby.name),
    ).add_to(fmap)
    if france_services is not None and len(france_services):
        FranceServicesLayer(france_services_records(france_services)).add_to(fmap)
    colours = service_colours(service_types)
    records = site_records(nearby.sites, colours)
    SitesLayer(records, legend=site_legend(nearby.sites, colours, records)).add_to(fmap)
    return fmap
