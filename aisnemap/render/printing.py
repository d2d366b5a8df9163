"""Print-grade documents: the map page (PNG, PDF with the list of sites and definitions) and
the one- or two-page "fiche territoire". Rendered with matplotlib on the server; no
Streamlit here.

Text from the data is always drawn literally (mathtext off), place names follow the same
rule as the interactive map (:mod:`aisnemap.places`), a label is dropped rather than drawn
over another one or outside the map, and the legend lists only what is drawn.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import geopandas as gpd
import matplotlib
import matplotlib.text
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from aisnemap import config
from aisnemap.domain import schema as s
from aisnemap.domain.characters import printable
from aisnemap.domain.coverage import compute_coverage
from aisnemap.domain.departements import Department, DepartmentContext
from aisnemap.domain.filters import (
    Figures,
    Filters,
    Options,
    apply_filters,
    criteria_mask,
    describe,
    key_figures,
    territory_communes,
    territory_title,
)
from aisnemap.domain.layers import LayerSet
from aisnemap.domain.places import RANK_LOCAL, RANK_SEAT, RANK_TOWN, place_names
from aisnemap.domain.territory import CommunePoints, Territory
from aisnemap.domain.views import figure_lines, print_table
from aisnemap.french import formatting, texts
from aisnemap.french.formatting import fmt_int, fmt_km, fmt_percent
from aisnemap.render.style import SITE_EDGE, TERRITORY_COLOUR, service_colours, site_style

A4_LANDSCAPE_IN = (11.69, 8.27)
PNG_DPI = 200  # 11.69 in x 200 dpi = 2338 px wide
A4_PORTRAIT_IN = (8.27, 11.69)
LABEL_SIZES = {RANK_SEAT: 10.5, RANK_TOWN: 8.0, RANK_LOCAL: 7.0}
_RC = {"text.parse_math": False, "pdf.fonttype": 42}
ROWS_PER_PAGE = 30


@dataclass(frozen=True)
class MapDocument:
    """Everything a printed map shows: the view, its figures and its words."""

    layers: LayerSet[gpd.GeoDataFrame]
    sites: gpd.GeoDataFrame
    extent: gpd.GeoDataFrame
    communes: gpd.GeoDataFrame
    title: str
    subtitle: Sequence[str]
    service_types: Sequence[str]
    figures: Figures
    territory_selected: bool = False
    export_date: dt.date = field(default_factory=dt.date.today)
    #: Extra blocks of the fiche territoire: (title, rows of (label, value)).
    tables: Sequence[tuple[str, Sequence[tuple[str, str]]]] = ()
    #: The département printed (its names, projection, announcement).
    context: DepartmentContext | None = None
    #: Each commune's representative point (place names, distances).
    points: CommunePoints | None = None

    @property
    def department(self) -> Department:
        return self.context.department

    @property
    def metric_crs(self) -> str:
        return self.context.metric_crs

    @property
    def sources(self) -> str:
        return texts.print_sources(self.context)


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
        fmt_km(length_km, 0),
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


#: Layers projected for print, per loaded layer set (the set itself is kept with its
#: projection, so its id cannot be reused while the entry lives): projecting the 800
#: communes and the limits took a third of a PNG's time on every export.
_PROJECTED: OrderedDict[tuple[int, str], tuple[LayerSet, tuple]] = OrderedDict()
_PROJECTED_LOCK = threading.Lock()
_PROJECTED_MAX = 8


def _projected(layers: LayerSet[gpd.GeoDataFrame], metric: str) -> tuple:
    """(communes, EPCI limits, arrondissement limits, department limit) in ``metric``."""
    key = (id(layers), metric)
    with _PROJECTED_LOCK:
        hit = _PROJECTED.get(key)
        if hit is not None and hit[0] is layers:
            _PROJECTED.move_to_end(key)
            return hit[1]
    projected = (
        layers.communes.to_crs(metric),
        layers.epci.to_crs(metric).boundary,
        layers.arrondissements.to_crs(metric).boundary,
        layers.department.to_crs(metric).boundary,
    )
    with _PROJECTED_LOCK:
        _PROJECTED[key] = (layers, projected)
        while len(_PROJECTED) > _PROJECTED_MAX:
            _PROJECTED.popitem(last=False)
    return projected


def _draw_territories(
    ax, layers: LayerSet[gpd.GeoDataFrame], extent_frame: gpd.GeoDataFrame, metric: str
) -> pd.Series | None:
    """Communes, EPCI, arrondissements and department; the selected territory stands out.

    Returns which communes are in the selected territory (None for the whole department).
    """
    communes, epci_limits, arrondissement_limits, department_limit = _projected(layers, metric)
    inside = communes["code"].isin(set(extent_frame["code"])) if "code" in extent_frame else None
    if inside is not None and inside.all():
        inside = None
    if inside is None:
        communes.plot(ax=ax, facecolor="#f3f1ea", edgecolor="#a0a0a0", linewidth=0.25)
    else:
        # The selected territory stands out; its neighbours stay as faded context.
        communes[~inside].plot(ax=ax, facecolor="#ffffff", edgecolor="#cfcfcf", linewidth=0.25)
        communes[inside].plot(ax=ax, facecolor="#f3f1ea", edgecolor="#a0a0a0", linewidth=0.25)
    epci_limits.plot(ax=ax, color="#5a5a5a", linewidth=0.9)
    arrondissement_limits.plot(
        # Solid: EPCI limits run along most arrondissement limits and would fill the gaps
        # of a dashed line, which then printed solid while the legend showed dashes.
        ax=ax,
        color="#222222",
        linewidth=1.7,
    )
    department_limit.plot(ax=ax, color="black", linewidth=2.6)
    if inside is not None:
        outline = communes[inside].union_all()
        gpd.GeoSeries([outline], crs=metric).boundary.plot(
            ax=ax, color=TERRITORY_COLOUR, linewidth=2.4, zorder=5
        )
    return inside


def _draw_sites(ax, sites: gpd.GeoDataFrame, colours: dict[str, str], metric: str) -> None:
    """One marker per site, in the style of the interactive map."""
    if sites.empty:
        return
    points = sites.to_crs(metric)
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


def _frame_axes(ax, extent_frame: gpd.GeoDataFrame, metric: str) -> None:
    """Fit the axes on the territory with a margin, then the scale bar and north arrow."""
    xmin, ymin, xmax, ymax = extent_frame.to_crs(metric).total_bounds
    pad = max(xmax - xmin, ymax - ymin) * 0.04
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_aspect("equal")
    # After "equal", matplotlib widens one axis: read the final extent for the scale bar.
    _draw_scale_bar(ax, (*ax.get_xlim()[:1], ax.get_ylim()[0], ax.get_xlim()[1], ax.get_ylim()[1]))
    _draw_north_arrow(ax)


def _draw_legend_and_footer(fig: Figure, export_date: dt.date, sources: str) -> None:
    fig.text(
        0.69,
        0.09,
        "Teinte claire : site placé au centre de sa commune\n(adresse non localisée).",
        fontsize=7.5,
        color="#333333",
        va="top",
    )
    fig.text(0.035, 0.035, sources, fontsize=8, color="#333333")
    fig.text(
        0.965,
        0.035,
        f"Export du {export_date.strftime('%d/%m/%Y')}",
        fontsize=8,
        color="#333333",
        ha="right",
    )


def draw_place_names(ax, doc: MapDocument) -> list:
    """Place names with a white halo, most important first; a name that would overlap one
    already drawn, or leave the map, is dropped. Returns the texts kept."""
    codes = set(doc.extent["code"]) if doc.territory_selected else None
    names = place_names(doc.communes, doc.points, doc.sites, codes)
    if not doc.territory_selected:
        names = names.loc[names["rang"] < RANK_LOCAL]
    points = gpd.GeoSeries(gpd.points_from_xy(names["lon"], names["lat"]), crs=config.CRS_DRAW)
    points = points.to_crs(doc.metric_crs)
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    kept, boxes = [], []
    for (_, place), point in zip(names.iterrows(), points, strict=True):
        style = {
            "xy": (point.x, point.y),
            "xytext": (0, 6),  # above the point, so the site's marker stays visible
            "textcoords": "offset points",
            "fontsize": LABEL_SIZES[place["rang"]],
            "fontweight": "bold" if place["rang"] == RANK_SEAT else "normal",
            "ha": "center",
            "va": "bottom",
            "clip_on": True,
        }
        text = ax.annotate(place["nom"], color="#1a1a1a", zorder=31, **style)
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        inside = (
            box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
        )
        if not inside or any(box.overlaps(other) for other in boxes):
            text.remove()
            continue
        # The halo is a copy drawn behind: a path effect on the name itself would turn it
        # into outlines in the PDF, where it must stay text (searchable, read aloud).
        halo = patheffects.Stroke(linewidth=2.8, foreground="white")
        ax.annotate(place["nom"], color="white", zorder=30, path_effects=[halo], **style)
        boxes.append(box)
        kept.append(text)
    return kept


def _legend_handles(doc: MapDocument, colours: dict[str, str]) -> list[Line2D]:
    """Only what is drawn, in the style it is drawn with."""
    sites = doc.sites
    shown = set(sites[s.SERVICE_TYPE]) if not sites.empty else set()
    handles = [_dot(t, 8, colours[t]) for t in doc.service_types if t in shown]
    if not sites.empty:
        own = sites.loc[sites[s.POOL] == "", s.ADVISORS].dropna()
        for n in sorted({int(v) for v in own} & {1, 2}):
            handles.append(
                _dot(formatting.plural_count(n, "conseiller"), 7 if n == 1 else 10, "#bbbbbb")
            )
        if (sites[s.POOL] != "").any():
            handles.append(
                _dot(
                    "Site d'un groupe\n(répartition non publiée)",
                    8,
                    "white",
                    colours.get("UTAS", SITE_EDGE),
                    2,
                )
            )
        if sites[s.ITINERANT].fillna(False).astype(bool).any():
            handles.append(_dot("Site itinérant (contour pointillé)", 8, "#bbbbbb", SITE_EDGE))
    if doc.territory_selected:
        handles.append(
            Line2D([], [], color=TERRITORY_COLOUR, linewidth=2.4, label="Territoire sélectionné")
        )
    handles += [
        Line2D([], [], color="black", linewidth=2.6, label="Département"),
        Line2D([], [], color="#222222", linewidth=1.7, label="Arrondissement"),
        Line2D([], [], color="#5a5a5a", linewidth=0.9, label="EPCI"),
    ]
    return handles


def _figures_box(fig: Figure, doc: MapDocument, x: float, y: float, width_chars: int) -> None:
    lines = []
    for line in figure_lines(doc.figures, doc.context.announcement):
        lines.extend(textwrap.wrap(line, width_chars) or [""])
    fig.text(
        x,
        y,
        "\n".join(lines),
        fontsize=8.5,
        va="top",
        linespacing=1.35,
        bbox={"facecolor": "#f5f5fe", "edgecolor": "#000091", "boxstyle": "round,pad=0.5"},
    )


def _draw_map(fig: Figure, rect: tuple[float, float, float, float], doc: MapDocument) -> dict:
    """The map of a document in ``rect``: territories, sites, frame, names; its colours."""
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    _draw_territories(ax, doc.layers, doc.extent, doc.metric_crs)
    colours = service_colours(doc.service_types)
    _draw_sites(ax, doc.sites, colours, doc.metric_crs)
    _frame_axes(ax, doc.extent, doc.metric_crs)
    draw_place_names(ax, doc)
    return colours


def render_map_page(doc: MapDocument) -> Figure:
    """A4 landscape: title, filters and reading, map with names, key figures, legend of what
    is drawn, scale bar, north arrow, sources, date."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=A4_LANDSCAPE_IN)
        FigureCanvasAgg(fig)  # a renderer, to measure the place names
        fig.patch.set_facecolor("white")
        fig.text(0.035, 0.955, doc.title, fontsize=17, fontweight="bold", va="top")
        subtitle = textwrap.fill(" · ".join(doc.subtitle), 150)
        fig.text(0.035, 0.905, subtitle, fontsize=9.5, va="top", color="#333333")
        colours = _draw_map(fig, (0.03, 0.08, 0.64, 0.78), doc)
        _figures_box(fig, doc, 0.69, 0.86, 52)
        legend_ax = fig.add_axes((0.69, 0.1, 0.29, 0.5))
        legend_ax.set_axis_off()
        legend_ax.legend(
            handles=_legend_handles(doc, colours),
            loc="upper left",
            title=texts.LEGEND_TITLE,
            fontsize=8,
            title_fontsize=9.5,
            frameon=False,
            alignment="left",
        )
        _draw_legend_and_footer(fig, doc.export_date, doc.sources)
    return fig


def _text_page(title: str, blocks: Sequence[str], doc: MapDocument, page: str) -> Figure:
    fig = Figure(figsize=A4_LANDSCAPE_IN)
    fig.text(0.05, 0.94, title, fontsize=14, fontweight="bold", va="top")
    fig.text(0.05, 0.88, "\n".join(blocks), fontsize=8.5, va="top", linespacing=1.45)
    fig.text(0.05, 0.035, doc.sources, fontsize=7.5, color="#333333")
    fig.text(0.95, 0.035, page, fontsize=7.5, color="#333333", ha="right")
    return fig


def _table_pages(doc: MapDocument) -> list[Figure]:
    table = print_table(doc.sites)
    if table.empty:
        return [_text_page(texts.PRINT_TABLE_TITLE, [texts.NO_SITE], doc, "")]
    widths = (44, 22, 32, 26, 14, 20)
    header = "  ".join(c[:w].ljust(w) for c, w in zip(table.columns, widths, strict=True))
    rows = []
    for _, row in table.iterrows():
        cells = [
            textwrap.shorten(str(v), w, placeholder="…").ljust(w)
            for v, w in zip(row, widths, strict=True)
        ]
        rows.append("  ".join(cells))
    pages = []
    for start in range(0, len(rows), ROWS_PER_PAGE):
        chunk = rows[start : start + ROWS_PER_PAGE]
        fig = Figure(figsize=A4_LANDSCAPE_IN)
        title = f"{texts.PRINT_TABLE_TITLE} ({len(rows)})"
        fig.text(0.04, 0.94, title, fontsize=14, fontweight="bold", va="top")
        fig.text(
            0.04, 0.89, header, fontsize=7.2, va="top", family="DejaVu Sans Mono", fontweight="bold"
        )
        fig.text(
            0.04,
            0.86,
            "\n".join(chunk),
            fontsize=7.2,
            va="top",
            family="DejaVu Sans Mono",
            linespacing=1.6,
        )
        fig.text(0.04, 0.035, " · ".join(doc.subtitle), fontsize=7.5, color="#333333")
        pages.append(fig)
    return pages


def _with_metadata(
    raw: bytes,
    title: str,
    subject: str,
    creator: str,
    bookmarks: Sequence[tuple[str, int]] = (),
) -> bytes:
    """Title, Subject, Creator, the document language (fr) and ``bookmarks`` (name,
    0-based page) of a PDF."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.add_metadata(
        {
            "/Title": printable(title),
            "/Subject": printable(subject),
            "/Creator": creator,
            "/Author": "",
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject("fr-FR")
    for name, index in bookmarks:
        writer.add_outline_item(printable(name), index)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drawable(fig: Figure) -> Figure:
    """Every text of a figure without invisible or control characters (a U+FEFF or a
    direction override in a name from any source must not break or garble a print)."""
    for text in fig.findobj(matplotlib.text.Text):
        shown = text.get_text()
        clean = printable(shown, keep_lines=True)
        if clean != shown:
            text.set_text(clean)
    return fig


def _pdf(figures: Sequence[Figure], doc: MapDocument) -> bytes:
    title, subject = printable(doc.title), printable(" · ".join(doc.subtitle))
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC), PdfPages(buffer) as pdf:
        for fig in figures:
            pdf.savefig(_drawable(fig), facecolor="white")
    return _with_metadata(buffer.getvalue(), title, subject, texts.print_creator(doc.department))


def map_png(doc: MapDocument) -> bytes:
    """The map page as PNG, 2338 × 1654 px."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        # zlib level 1: a third of the encoding time of the default, a slightly larger file.
        _drawable(render_map_page(doc)).savefig(
            buffer,
            format="png",
            dpi=PNG_DPI,
            facecolor="white",
            pil_kwargs={"compress_level": 1},
        )
    return buffer.getvalue()


def map_pdf(doc: MapDocument) -> bytes:
    """A4 landscape PDF: the map page, the table of the sites shown, definitions and sources."""
    with matplotlib.rc_context(_RC):
        pages = [render_map_page(doc), *_table_pages(doc)]
        pages.append(
            _text_page(texts.PRINT_DEFINITIONS_TITLE, texts.print_definitions(doc.context), doc, "")
        )
    return _pdf(pages, doc)


def territory_sheet(doc: MapDocument) -> bytes:
    """The "fiche territoire": A4 portrait, map with names, key figures, population by
    distance band and the territory's sites (a second page when they do not fit)."""
    return _pdf(sheet_figures(doc), doc)


def sheet_figures(doc: MapDocument) -> list[Figure]:
    """The pages of a fiche territoire (an atlas puts them between its own pages)."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=A4_PORTRAIT_IN)
        FigureCanvasAgg(fig)  # a renderer, to measure the place names
        fig.text(0.06, 0.965, doc.title, fontsize=16, fontweight="bold", va="top")
        fig.text(
            0.06,
            0.935,
            textwrap.fill(" · ".join(doc.subtitle), 100),
            fontsize=8.5,
            va="top",
            color="#333333",
        )
        _draw_map(fig, (0.05, 0.47, 0.58, 0.43), doc)
        _figures_box(fig, doc, 0.66, 0.9, 34)
        y = 0.44
        for title, rows in doc.tables:
            fig.text(0.06, y, title, fontsize=10, fontweight="bold", va="top")
            body = "\n".join(f"{label:<22} {value:>12}" for label, value in rows)
            fig.text(
                0.06,
                y - 0.022,
                body,
                fontsize=8,
                va="top",
                family="DejaVu Sans Mono",
                linespacing=1.5,
            )
            y -= 0.03 + 0.0165 * len(rows)
        table = print_table(doc.sites)
        lines = [
            textwrap.shorten(
                f"• {r.iloc[0]} — {r.iloc[1]} — conseillers : {r.iloc[4]}", 110, placeholder="…"
            )
            for _, r in table.iterrows()
        ]
        room = max(0, int((y - 0.08) / 0.016) - 1)
        fig.text(
            0.06,
            y - 0.01,
            f"{texts.PRINT_TABLE_TITLE} ({len(lines)})",
            fontsize=10,
            fontweight="bold",
            va="top",
        )
        fig.text(
            0.06,
            y - 0.032,
            "\n".join(lines[:room]) or texts.NO_SITE,
            fontsize=7.5,
            va="top",
            linespacing=1.5,
        )
        fig.text(0.06, 0.03, doc.sources, fontsize=6.5, color="#333333")
        fig.text(0.94, 0.03, f"Export du {doc.export_date:%d/%m/%Y}", fontsize=6.5, ha="right")
        pages = [fig]
        if len(lines) > room:
            rest = Figure(figsize=A4_PORTRAIT_IN)
            rest.text(
                0.06,
                0.95,
                f"{texts.PRINT_TABLE_TITLE} (suite)",
                fontsize=11,
                fontweight="bold",
                va="top",
            )
            rest.text(0.06, 0.92, "\n".join(lines[room:]), fontsize=7.5, va="top", linespacing=1.5)
            pages.append(rest)
    return pages


def map_document(
    territory: Territory,
    sites: gpd.GeoDataFrame,
    filters: Filters,
    options: Options,
    unplaced: pd.DataFrame | None = None,
    today: dt.date | None = None,
    title: str | None = None,
    *,
    context: DepartmentContext,
) -> MapDocument:
    """What a printed map of this view shows (``sites`` is the reading's full table)."""
    shown = apply_filters(sites, filters)
    return MapDocument(
        layers=territory.display,
        sites=shown,
        extent=territory_communes(territory.communes, filters),
        communes=territory.communes,
        title=title or texts.app_title(context.department),
        subtitle=describe(filters, options, territory.communes, context.announcement_date),
        service_types=options.service_types,
        figures=key_figures(sites, territory.communes, filters, shown, unplaced),
        territory_selected=not filters.whole_department,
        export_date=today or dt.date.today(),
        context=context,
        points=territory.points,
    )


def sheet_document(doc: MapDocument, sites: gpd.GeoDataFrame, filters: Filters) -> MapDocument:
    """The fiche territoire's content: a view's document (:func:`map_document`) titled with
    the territory's name, plus the population of the territory by straight-line distance to
    the nearest site (``sites``: the reading's full table, whole department, as on the
    Couverture page)."""
    name = territory_title(filters, doc.communes) or f"Département {doc.department.of_name}"
    candidates = sites.loc[criteria_mask(sites, filters)]
    result = compute_coverage(doc.extent, candidates, doc.points, candidates[s.SITE])
    population = int(doc.extent["population"].sum())
    rows = [
        (band, f"{fmt_int(value)} ({fmt_percent(value / max(population, 1))})")
        for band, value in result.bands.items()
    ]
    title = f"{texts.BANDS_TITLE} (à vol d'oiseau)"
    return replace(doc, title=name, tables=[(title, rows)])
