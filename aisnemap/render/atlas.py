"""Atlases: one PDF with a cover, a summary table and a page per territory.

- A département's atlas: a fiche territoire (:func:`printing.sheet_figures`) per EPCI or
  per arrondissement, the same filters and reading as the view, so each page is the very
  fiche the Territoires page downloads for that territory (plus a page number).
- The France atlas: a page per département at a date of situation (its place in France,
  its posts validated by committee date up to that date, its figures).

Pages are drawn one after the other and reported to ``progress(done, total, name)`` so a
page can show a progress bar; nothing here knows Streamlit. No timing is promised here:
``bench/exports.py`` measures it.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import matplotlib
import matplotlib.dates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from aisnemap.domain.analysis import LEVELS
from aisnemap.domain.departements import DepartmentContext
from aisnemap.domain.filters import Filters, Options, describe
from aisnemap.domain.territory import Territory
from aisnemap.domain.views import figure_lines
from aisnemap.french import texts
from aisnemap.french.formatting import fmt_decimal, fmt_int
from aisnemap.render import printing

Progress = Callable[[int, int, str], None]
SUMMARY_ROWS_PER_PAGE = 34


@dataclass(frozen=True)
class Entry:
    """One territory of an atlas: its code, its name (its fiche's title) and its cells in
    the summary."""

    code: str
    name: str
    cells: tuple[str, ...]


def _no_progress(done: int, total: int, name: str) -> None:
    return None


def territories_of(communes: pd.DataFrame, level: str) -> list[tuple[str, str]]:
    """(code, name) of each territory of ``level`` in the département, sorted by name."""
    chosen = LEVELS[level]
    pairs = communes[[chosen.code_column, chosen.name_column]].drop_duplicates()
    pairs = pairs.loc[pairs[chosen.code_column].astype(str) != ""]
    ordered = sorted(
        zip(
            pairs[chosen.code_column].astype(str),
            pairs[chosen.name_column].astype(str),
            strict=True,
        ),
        key=lambda p: (p[1].casefold(), p[0]),
    )
    return ordered


def _split(line: str) -> tuple[str, str]:
    label, _, value = line.partition(" : ")
    return label, value


def _cover(title: str, lines: Sequence[str], sources: str, today: dt.date) -> Figure:
    fig = Figure(figsize=printing.A4_PORTRAIT_IN)
    fig.text(0.08, 0.80, textwrap.fill(title, 34), fontsize=22, fontweight="bold", va="top")
    body = "\n".join(textwrap.fill(line, 80) for line in lines)
    fig.text(0.08, 0.68, body, fontsize=11, va="top", linespacing=1.6)
    fig.text(0.08, 0.08, textwrap.fill(sources, 110), fontsize=7.5, color="#333333")
    fig.text(0.92, 0.05, f"Export du {today:%d/%m/%Y}", fontsize=7.5, ha="right")
    return fig


def _summary_pages(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    reading: str = "",
) -> list[Figure]:
    """The summary table, as many pages as it needs (monospaced columns)."""

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            cell = textwrap.shorten(str(cell), width, placeholder="…")
            out.append(cell.ljust(width) if i == 0 else cell.rjust(width))
        return "  ".join(out)

    pages = []
    for start in range(0, max(len(rows), 1), SUMMARY_ROWS_PER_PAGE):
        chunk = rows[start : start + SUMMARY_ROWS_PER_PAGE]
        fig = Figure(figsize=printing.A4_PORTRAIT_IN)
        suffix = "" if start == 0 else " (suite)"
        fig.text(0.06, 0.95, title + suffix, fontsize=14, fontweight="bold", va="top")
        fig.text(0.06, 0.925, textwrap.fill(reading, 110), fontsize=8, va="top", color="#333333")
        fig.text(
            0.06,
            0.89,
            line(header),
            fontsize=7.4,
            va="top",
            family="DejaVu Sans Mono",
            fontweight="bold",
        )
        fig.text(
            0.06,
            0.865,
            "\n".join(line(r) for r in chunk),
            fontsize=7.4,
            va="top",
            family="DejaVu Sans Mono",
            linespacing=1.75,
        )
        pages.append(fig)
    return pages


def _numbered(pages: list[Figure], first: int, total: int) -> None:
    for i, fig in enumerate(pages):
        fig.text(0.5, 0.012, f"Page {first + i} / {total}", fontsize=7, ha="center")


def _save(pdf: PdfPages, fig: Figure, dpi: float | None = None) -> None:
    pdf.savefig(printing._drawable(fig), facecolor="white", dpi=dpi)


# --- a département's atlas ---------------------------------------------------------------


def department_atlas(
    territory: Territory,
    sites: gpd.GeoDataFrame,
    filters: Filters,
    options: Options,
    level: str,
    *,
    context: DepartmentContext,
    unplaced: pd.DataFrame | None = None,
    today: dt.date | None = None,
    progress: Progress = _no_progress,
) -> bytes:
    """A fiche territoire per ``level`` ("epci" or "arrondissement") of the département,
    with ``filters``' criteria and reading (their territory is ignored), after a cover and
    a summary table of every territory's key figures."""
    today = today or dt.date.today()
    base = filters.without_territory()
    pairs = territories_of(territory.communes, level)
    total = len(pairs)
    entries: list[Entry] = []
    fiches: list[list[Figure]] = []
    header: tuple[str, ...] = ()
    for done, (code, _name) in enumerate(pairs):
        chosen = replace(base, **{level: code})
        doc = printing.map_document(
            territory, sites, chosen, options, unplaced, today=today, context=context
        )
        doc = printing.sheet_document(doc, sites, chosen)
        lines = figure_lines(doc.figures, context.announcement)
        cells = [_split(x) for x in lines if " : " in x]
        kept = [cells[0], cells[1], *(c for c in cells if c[0] == texts.FIG_POPULATION)][:3]
        header = header or tuple(texts.ATLAS_SHORT.get(label, label) for label, _ in kept)
        entries.append(Entry(code, doc.title, tuple(value for _, value in kept)))
        fiches.append(printing.sheet_figures(doc))
        progress(done + 1, total, doc.title)
    level_words = texts.ATLAS_LEVELS[level]
    department = context.department
    title = texts.atlas_title(department, level_words)
    reading = describe(base, options, territory.communes, context.announcement_date)
    cover = _cover(
        title,
        [*reading, texts.atlas_count(total, level_words)],
        texts.print_sources(context),
        today,
    )
    summary_header = (texts.ATLAS_TERRITORY, *header, texts.ATLAS_PAGE)
    widths = (40, *([18] * len(header)), 6)
    # Page numbers: the cover, the summary's pages, then each fiche's one or two pages.
    page = 2 + len(_summary_pages("", summary_header, [summary_header] * total, widths))
    rows, starts = [], []
    for entry, pages in zip(entries, fiches, strict=True):
        starts.append(page)
        rows.append((entry.name, *entry.cells, str(page)))
        page += len(pages)
    summary = _summary_pages(texts.ATLAS_SUMMARY, summary_header, rows, widths, " · ".join(reading))
    every = [cover, *summary, *(fig for pages in fiches for fig in pages)]
    _numbered(every, 1, len(every))
    buffer = io.BytesIO()
    with matplotlib.rc_context(printing._RC), PdfPages(buffer) as pdf:
        for fig in every:
            _save(pdf, fig)
    bookmarks = [(texts.ATLAS_SUMMARY, 1)] + [
        (entry.name, start - 1) for entry, start in zip(entries, starts, strict=True)
    ]
    return printing._with_metadata(
        buffer.getvalue(), title, " · ".join(reading), texts.print_creator(department), bookmarks
    )


# --- the France atlas --------------------------------------------------------------------


def _france_page(
    row: pd.Series,
    shapes: gpd.GeoDataFrame,
    background,
    steps: pd.DataFrame,
    au: dt.date,
    dates: tuple[dt.date, dt.date],
    today: dt.date,
    sources: str,
) -> Figure:
    """One département: where it is, its own outline, its posts by committee date, figures."""
    fig = Figure(figsize=printing.A4_PORTRAIT_IN)
    FigureCanvasAgg(fig)
    name = f"{row['nom']} ({row['code']})"
    fig.text(0.06, 0.965, name, fontsize=18, fontweight="bold", va="top")
    fig.text(0.06, 0.93, texts.atlas_france_subtitle(au), fontsize=9, va="top", color="#333333")
    own = shapes.loc[shapes["code"] == row["code"]]
    # Where it is: every département in grey, this one in blue (a raster, light to print).
    locator = fig.add_axes((0.05, 0.60, 0.40, 0.30))
    locator.set_axis_off()
    locator.add_collection(background)
    own.plot(ax=locator, facecolor="#000091", edgecolor="#000091", linewidth=0.6)
    locator.set_xlim(background.get_datalim(locator.transData).intervalx)
    locator.set_ylim(background.get_datalim(locator.transData).intervaly)
    locator.set_aspect(1 / np.cos(np.radians(46.5)))
    # Its outline, alone.
    alone = fig.add_axes((0.52, 0.60, 0.42, 0.30))
    alone.set_axis_off()
    own.plot(ax=alone, facecolor="#f3f1ea", edgecolor="black", linewidth=1.2)
    mid = own.geometry.iloc[0].centroid.y if len(own) else 46.5
    alone.set_aspect(1 / max(np.cos(np.radians(mid)), 0.2))
    # Posts validated by committee date, cumulated, in steps, up to the date of situation.
    chart = fig.add_axes((0.10, 0.33, 0.84, 0.22))
    if len(steps):
        x = [dates[0], *steps["date"], au]
        y = [0, *steps["postes"].cumsum(), int(steps["postes"].sum())]
        chart.step(x, y, where="post", color="#000091", linewidth=1.6)
    chart.set_xlim(dates[0], dates[1])
    chart.set_ylim(bottom=0)
    chart.set_title(texts.ATLAS_FRANCE_CHART, fontsize=9.5, loc="left")
    chart.tick_params(labelsize=7.5)
    chart.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%m/%Y"))
    chart.grid(axis="y", color="#dddddd", linewidth=0.6)
    lines = texts.atlas_france_lines(row)
    fig.text(
        0.06,
        0.27,
        "\n".join(lines),
        fontsize=9,
        va="top",
        linespacing=1.6,
        bbox={"facecolor": "#f5f5fe", "edgecolor": "#000091", "boxstyle": "round,pad=0.6"},
    )
    fig.text(0.06, 0.035, textwrap.fill(sources, 120), fontsize=6.5, color="#333333")
    fig.text(0.94, 0.02, f"Export du {today:%d/%m/%Y}", fontsize=6.5, ha="right")
    return fig


def france_rows(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The summary cells of each département (the France page's own figures)."""
    rows = []
    for _, row in frame.iterrows():
        rate = row["pour_10000"]
        rows.append(
            (
                f"{row['nom']} ({row['code']})",
                fmt_int(int(row["postes"])),
                "—" if pd.isna(rate) else fmt_decimal(float(rate), 2),
                fmt_int(int(row["population"])),
            )
        )
    return rows


def france_atlas(
    frame: pd.DataFrame,
    posts: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    au: dt.date,
    *,
    today: dt.date | None = None,
    progress: Progress = _no_progress,
) -> bytes:
    """A page per département at ``au`` (``frame``: :func:`france.situation` at ``au``;
    ``shapes``: the national outlines as drawn, insets included), after a cover and a
    summary table of every département's posts validated."""
    from matplotlib.collections import PolyCollection

    today = today or dt.date.today()
    frame = frame.sort_values("code").reset_index(drop=True)
    sources = texts.FRANCE_SOURCES
    # The background of every locator map, built once.
    polygons = []
    for geom in shapes.geometry:
        for part in getattr(geom, "geoms", [geom]):
            polygons.append(np.asarray(part.exterior.coords))
    upto = posts.loc[posts["date"] <= au]
    per_date = upto.groupby(["code", "date"], as_index=False)["postes"].sum()
    by_code = {code: group.sort_values("date") for code, group in per_date.groupby("code")}
    first = min(posts["date"]) if len(posts) else au
    span = (first - dt.timedelta(days=15), au + dt.timedelta(days=15))
    total = len(frame)
    rows = france_rows(frame)
    header = (
        texts.ATLAS_DEPARTMENT,
        texts.FRANCE_FIG_POSTS,
        texts.ATLAS_RATE,
        texts.ATLAS_POPULATION,
    )
    summary_header = (*header, texts.ATLAS_PAGE)
    widths = (40, 18, 18, 18, 6)
    first_page = 2 + len(_summary_pages("", summary_header, [summary_header] * total, widths))
    rows = [(*r, str(first_page + i)) for i, r in enumerate(rows)]
    summary = _summary_pages(
        texts.ATLAS_SUMMARY, summary_header, rows, widths, texts.atlas_france_subtitle(au)
    )
    title = texts.ATLAS_FRANCE_TITLE
    lines = [
        texts.atlas_france_subtitle(au),
        texts.atlas_count(total, texts.ATLAS_LEVELS["departement"]),
    ]
    front = [_cover(title, lines, sources, today), *summary]
    pages_total = len(front) + total
    _numbered(front, 1, pages_total)
    buffer = io.BytesIO()
    with matplotlib.rc_context(printing._RC), PdfPages(buffer) as pdf:
        for fig in front:
            _save(pdf, fig)
        for i, row in frame.iterrows():
            background = PolyCollection(
                polygons, facecolor="#dcdcdc", edgecolor="white", linewidth=0.2, rasterized=True
            )
            steps = by_code.get(row["code"], pd.DataFrame(columns=["date", "postes"]))
            fig = _france_page(row, shapes, background, steps, au, span, today, sources)
            _numbered([fig], len(front) + 1 + i, pages_total)
            _save(pdf, fig, dpi=110)
            progress(i + 1, total, str(row["nom"]))
    bookmarks = [(texts.ATLAS_SUMMARY, 1)] + [
        (f"{row['nom']} ({row['code']})", len(front) + i) for i, row in frame.iterrows()
    ]
    return printing._with_metadata(
        buffer.getvalue(), title, lines[0], texts.FRANCE_CREATOR, bookmarks
    )


# --- made in a child process ---------------------------------------------------------------


def _in_child(make: Callable[..., bytes], kwargs: dict, queue) -> bytes:
    return make(**kwargs, progress=lambda done, total, name: queue.put((done, total, name)))


def in_child_process(make: Callable[..., bytes], progress: Progress = _no_progress, **kwargs):
    """``make(**kwargs)`` (an atlas) in a child process, its progress relayed to
    ``progress`` here: the server's own process (its GIL) stays free for the other
    visitors while the pages are drawn. The arguments travel pickled."""
    import multiprocessing
    import queue as queues
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(1, mp_context=context) as pool:
        channel = manager.Queue()
        future = pool.submit(_in_child, make, kwargs, channel)
        while True:
            try:
                progress(*channel.get(timeout=0.2))
            except queues.Empty:
                if future.done():
                    break
        return future.result()
