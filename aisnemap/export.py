"""Exports of the current view: print-ready PNG/PDF, standalone HTML, CSV, XLSX, GeoJSON.

Rendered server-side with matplotlib (no browser), so it works on any server. No Streamlit.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from . import assets, config, texts
from . import schema as s
from .style import SITE_EDGE, TERRITORY_COLOUR, service_colours, site_style
from .views import sites_table

A4_LANDSCAPE_IN = (11.69, 8.27)
PNG_DPI = 200  # 11.69 in x 200 dpi = 2338 px wide
SOURCES_LINE = (
    "Sources : IGN ADMIN EXPRESS, INSEE COG 2021, préfecture de l'Aisne (communiqué du 18/03/2021)"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class StaticLayers:
    """Polygons drawn in a static export (EPSG:4326 or any CRS; reprojected)."""

    communes: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    arrondissements: gpd.GeoDataFrame
    department: gpd.GeoDataFrame


def _nice_length_km(width_km: float) -> float:
    target = width_km / 5
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if step >= target:
            return float(step)
    return 100.0


def _draw_scale_bar(ax, extent: tuple[float, float, float, float]) -> None:
    xmin, ymin, xmax, ymax = extent
    length_km = _nice_length_km((xmax - xmin) / 1000)
    length = length_km * 1000
    x0 = xmin + (xmax - xmin) * 0.04
    y0 = ymin + (ymax - ymin) * 0.04
    height = (ymax - ymin) * 0.008
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (x0 + i * length / 2, y0),
                length / 2,
                height,
                facecolor="black" if i == 0 else "white",
                edgecolor="black",
                linewidth=0.8,
                zorder=20,
            )
        )
    ax.add_patch(
        Rectangle(
            (x0 - length * 0.08, y0 - height * 1.5),
            length * 1.22,
            height * 6.2,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=19,
        )
    )
    ax.text(x0, y0 + height * 2.2, "0", ha="center", va="bottom", fontsize=7, zorder=20)
    ax.text(
        x0 + length,
        y0 + height * 2.2,
        f"{length_km:g} km",
        ha="center",
        va="bottom",
        fontsize=7,
        zorder=20,
    )


def _draw_north_arrow(ax) -> None:
    ax.annotate(
        "N",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 9, "headlength": 9},
        zorder=20,
    )


def _dot(label: str, size: float, face: str, edge: str = "#222222", width: float = 1.0) -> Line2D:
    """A round legend symbol."""
    return Line2D(
        [],
        [],
        marker="o",
        linestyle="",
        markersize=size,
        markerfacecolor=face,
        markeredgecolor=edge,
        markeredgewidth=width,
        label=label,
    )


def _marker_size_pt2(radius_px: float) -> float:
    # Screen radius in px -> matplotlib marker area in points^2 (same proportions).
    radius_pt = radius_px * 0.75
    return math.pi * radius_pt**2 / 1.6


def _draw_territories(ax, layers: StaticLayers, extent_frame: gpd.GeoDataFrame) -> pd.Series | None:
    """Communes, EPCI, arrondissements and department; the selected territory stands out.

    Returns which communes are in the selected territory (None for the whole department).
    """
    metric = config.CRS_METRIC
    communes = layers.communes.to_crs(metric)
    inside = communes["code"].isin(set(extent_frame["code"])) if "code" in extent_frame else None
    if inside is not None and inside.all():
        inside = None
    if inside is None:
        communes.plot(ax=ax, facecolor="#f3f1ea", edgecolor="#a0a0a0", linewidth=0.25)
    else:
        # The selected territory stands out; its neighbours stay as faded context.
        communes[~inside].plot(ax=ax, facecolor="#ffffff", edgecolor="#cfcfcf", linewidth=0.25)
        communes[inside].plot(ax=ax, facecolor="#f3f1ea", edgecolor="#a0a0a0", linewidth=0.25)
    layers.epci.to_crs(metric).boundary.plot(ax=ax, color="#5a5a5a", linewidth=0.9)
    layers.arrondissements.to_crs(metric).boundary.plot(
        ax=ax, color="#222222", linewidth=1.2, linestyle=(0, (5, 3))
    )
    layers.department.to_crs(metric).boundary.plot(ax=ax, color="black", linewidth=1.8)
    if inside is not None:
        outline = communes[inside].union_all()
        gpd.GeoSeries([outline], crs=metric).boundary.plot(
            ax=ax, color=TERRITORY_COLOUR, linewidth=2.4, zorder=5
        )
    return inside


def _draw_sites(ax, sites: gpd.GeoDataFrame, colours: dict[str, str]) -> None:
    """One marker per site, in the style of the interactive map."""
    if sites.empty:
        return
    points = sites.to_crs(config.CRS_METRIC)
    for (_, row), geom in zip(points.iterrows(), points.geometry, strict=True):
        style = site_style(row, colours)
        ax.scatter(
            [geom.x],
            [geom.y],
            s=_marker_size_pt2(style.radius),
            facecolor=style.fill,
            edgecolor=style.stroke,
            linewidths=style.weight * 0.65,
            linestyle="--" if style.dashed else "-",
            alpha=min(1.0, style.fill_opacity + 0.1),
            zorder=10,
        )


def _frame_axes(ax, extent_frame: gpd.GeoDataFrame) -> None:
    """Fit the axes on the territory with a margin, then the scale bar and north arrow."""
    xmin, ymin, xmax, ymax = extent_frame.to_crs(config.CRS_METRIC).total_bounds
    pad = max(xmax - xmin, ymax - ymin) * 0.04
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_aspect("equal")
    # After "equal", matplotlib widens one axis: read the final extent for the scale bar.
    _draw_scale_bar(ax, (*ax.get_xlim()[:1], ax.get_ylim()[0], ax.get_xlim()[1], ax.get_ylim()[1]))
    _draw_north_arrow(ax)


def _legend_handles(
    sites: gpd.GeoDataFrame,
    service_types: Sequence[str],
    colours: dict[str, str],
    territory_selected: bool,
) -> list[Line2D]:
    """Legend entries: the service types drawn, sizes, pool sites, the outlines."""
    shown = set(sites[s.SERVICE_TYPE]) if not sites.empty else set()
    handles = [_dot(t, 8, colours[t]) for t in service_types if t in shown]
    handles += [
        _dot("1 conseiller", 7, "#bbbbbb"),
        _dot("2 conseillers", 10, "#bbbbbb"),
        _dot(
            "Site du groupe départemental\n(répartition non publiée)",
            8,
            "white",
            colours.get("UTAS", SITE_EDGE),
            2,
        ),
    ]
    if territory_selected:
        handles.append(
            Line2D([], [], color=TERRITORY_COLOUR, linewidth=2.4, label="Territoire sélectionné")
        )
    handles += [
        Line2D([], [], color="black", linewidth=1.8, label="Département"),
        Line2D(
            [], [], color="#222222", linewidth=1.2, linestyle=(0, (5, 3)), label="Arrondissement"
        ),
        Line2D([], [], color="#5a5a5a", linewidth=0.9, label="EPCI"),
    ]
    return handles


def _draw_legend_and_footer(fig: Figure, handles: list[Line2D], export_date: dt.date) -> None:
    legend_ax = fig.add_axes((0.69, 0.16, 0.29, 0.72))
    legend_ax.set_axis_off()
    legend_ax.legend(
        handles=handles,
        loc="upper left",
        title=texts.LEGEND_TITLE,
        fontsize=8.5,
        title_fontsize=10,
        frameon=False,
        alignment="left",
    )
    fig.text(
        0.69,
        0.135,
        "Pointillés : site itinérant. Teinte claire : placé au centre de la\ncommune "
        "(adresse non localisée).",
        fontsize=7.5,
        color="#333333",
        va="top",
    )
    fig.text(0.035, 0.035, SOURCES_LINE, fontsize=8, color="#333333")
    fig.text(
        0.965,
        0.035,
        f"Export du {export_date.strftime('%d/%m/%Y')}",
        fontsize=8,
        color="#333333",
        ha="right",
    )


def render_map_figure(
    layers: StaticLayers,
    sites: gpd.GeoDataFrame,
    extent_frame: gpd.GeoDataFrame,
    title: str,
    subtitle_lines: Sequence[str],
    service_types: Sequence[str],
    export_date: dt.date | None = None,
) -> Figure:
    """A4 landscape figure: title, filters, map, legend, scale bar, north arrow, sources.

    Text from the data is drawn literally: ``$`` never starts a formula (mathtext off).
    """
    with matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=A4_LANDSCAPE_IN)
        fig.patch.set_facecolor("white")
        fig.text(0.035, 0.955, title, fontsize=17, fontweight="bold", va="top")
        fig.text(
            0.035,
            0.905,
            " · ".join(subtitle_lines),
            fontsize=10,
            va="top",
            color="#333333",
            wrap=True,
        )
        ax = fig.add_axes((0.03, 0.08, 0.64, 0.8))
        ax.set_axis_off()
        inside = _draw_territories(ax, layers, extent_frame)
        colours = service_colours(service_types)
        _draw_sites(ax, sites, colours)
        _frame_axes(ax, extent_frame)
        handles = _legend_handles(sites, service_types, colours, inside is not None)
        _draw_legend_and_footer(fig, handles, export_date or dt.date.today())
    return fig


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """PNG (200 dpi, 2338 px wide) or PDF (one A4 landscape page) of a figure."""
    if fmt not in ("png", "pdf"):
        raise ValueError(f"unsupported format {fmt!r}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=PNG_DPI, facecolor="white")
    return buffer.getvalue()


def neutralise_formula(value):
    """Make a text cell inert in a spreadsheet (OWASP CSV injection): prefix with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The on-screen table plus coordinates, with spreadsheet formulas neutralised."""
    table = sites_table(sites)
    if not sites.empty:
        points = sites.to_crs(config.CRS_DRAW).set_index(s.ID).geometry
        table["Latitude"] = table["Id"].map(points.y).round(6)
        table["Longitude"] = table["Id"].map(points.x).round(6)
    else:
        table["Latitude"] = pd.Series(dtype=float)
        table["Longitude"] = pd.Series(dtype=float)
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(neutralise_formula)
    return table


def csv_excel_bytes(table: pd.DataFrame) -> bytes:
    """CSV for French Excel: ';' separator, UTF-8 with BOM, decimal comma."""
    text = table.to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, sheet: str = "Sites") -> bytes:
    """An XLSX workbook of a table (text stays text: INSEE codes keep their zero)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=sheet[:31], index=False)
        worksheet = writer.sheets[sheet[:31]]
        for cells in worksheet.columns:
            width = max(len(str(c.value or "")) for c in cells[:200])
            worksheet.column_dimensions[cells[0].column_letter].width = min(max(10, width + 2), 60)
    return buffer.getvalue()


def geojson_bytes(sites: gpd.GeoDataFrame) -> bytes:
    """The filtered sites as GeoJSON (EPSG:4326), raw field values."""
    keep = [
        c
        for c in (
            *s.COLUMNS,
            "commune",
            "epci_siren",
            "epci_nom",
            "arrondissement_code",
            "arrondissement_nom",
            "place_au_centre",
        )
        if c in sites.columns
    ]
    frame = sites[[*keep, "geometry"]].to_crs(config.CRS_DRAW)
    return frame.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def standalone_html(fmap) -> bytes:
    """The interactive map as one HTML file that opens offline (Leaflet inlined)."""
    js, css = assets.inline_assets()
    images = assets.asset_path("vendor/leaflet/images")

    def data_uri(match: re.Match) -> str:
        path = images / match.group(1)
        if not path.is_file():
            return match.group(0)
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)
    html = fmap.get_root().render()
    html = re.sub(
        r'<script src="[^"]*leaflet\.js"></script>', lambda _: f"<script>{js}</script>", html
    )
    html = re.sub(
        r'<link rel="stylesheet" href="[^"]*leaflet\.css"\s*/?>',
        lambda _: f"<style>{css}</style>",
        html,
    )
    return html.encode("utf-8")


def export_basename(now: dt.datetime | None = None) -> str:
    """File name stem of an export: conseillers-numeriques-aisne-YYYYMMDD-HHMM."""
    now = now or dt.datetime.now()
    return f"conseillers-numeriques-aisne-{now.strftime('%Y%m%d-%H%M')}"
