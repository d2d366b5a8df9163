"""Download buttons of a view; files are generated only when a button is clicked."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import replace

import geopandas as gpd
import streamlit as st
from pypdf import PdfReader

from aisnemap import config
from aisnemap.domain import schema
from aisnemap.domain.filters import Filters, territory_communes, territory_slug_words
from aisnemap.domain.places import place_names
from aisnemap.french import formatting, texts
from aisnemap.render import atlas, export, printing
from aisnemap.render.maps import bounds_of, build_map
from aisnemap.render.shared import SharedResults
from aisnemap.ui.media import keep_generated_downloads
from aisnemap.ui.memo import remembered
from aisnemap.ui.page import View

LOG = logging.getLogger("aisnemap.exports")
#: Drawn exports (PNG, PDF, fiche) of a view, shared by every session of this process.
SHARED = SharedResults(max_entries=32)

# The exports are deferred downloads: kept until fetched, whatever other sessions do.
keep_generated_downloads()


def _shared(kind: str, view: View, filters: Filters, make: Callable[[], bytes]):
    """``make`` made once per (kind, data version, filters and reading, day): the same view
    printed the same day is the same file for every official."""
    key = (kind, view.data.version, repr(filters), dt.date.today())
    return lambda: SHARED.get(key, make)


def _guarded(make: Callable[[], bytes], what: str) -> Callable[[], bytes]:
    """An export that fails gives a French message in the file and a log line, never an
    error page and never nothing."""

    def run() -> bytes:
        try:
            return make()
        except Exception:  # noqa: BLE001 - the boundary of one export
            LOG.exception("échec de l'export %s", what)
            return texts.EXPORT_FAILED.format(what=what).encode("utf-8")

    return run


def view_document(view: View, filters: Filters) -> printing.MapDocument:
    """What a print of the view with ``filters`` shows, titled with its département."""
    data = view.data
    return printing.map_document(
        data.territory,
        view.sites,
        filters,
        view.options,
        view.unplaced,
        context=data.context,
    )


def view_places(view: View, shown: gpd.GeoDataFrame):
    """The place names of a view (same rule as the printed map), once per file version,
    territory and communes with a site shown (aisnemap.ui.memo)."""
    communes = view.data.territory.communes

    def compute():
        selected = None
        if not view.filters.whole_department:
            selected = set(territory_communes(communes, view.filters)["code"])
        return place_names(communes, view.data.territory.points, shown, selected)

    with_sites = tuple(sorted(set(shown[schema.INSEE]))) if len(shown) else ()
    return remembered(communes, ("places", view.filters.territory_key(), with_sites), compute)


def show_exports(view: View, shown: gpd.GeoDataFrame, outline: str | None) -> None:
    """Export buttons for the current filtered view: PNG, PDF, fiche territoire, HTML, CSV,
    XLSX, GeoJSON. File names carry the reading, the territory and the date."""
    data, filters, options = view.data, view.filters, view.options
    territory = data.territory
    reading = f"postes au {filters.au.isoformat()}" if filters.au else None
    stem = export.export_basename(
        territory_slug_words(filters, territory.communes), reading, department=data.department.name
    )
    extent = territory_communes(territory.communes, filters)

    def document() -> printing.MapDocument:
        return view_document(view, filters)

    def html() -> bytes:
        doc = document()
        fmap = build_map(
            data.layers,
            shown,
            bounds_of(extent),
            [t for t in options.service_types if t in set(shown[schema.SERVICE_TYPE])],
            highlight=outline,
            department_bounds=data.department_bounds,
            places=view_places(view, shown),
        )
        return export.standalone_html(
            fmap,
            doc.title,
            doc.subtitle,
            sources=texts.sources_footer(data.context),
        )

    def sheet() -> bytes:
        return printing.territory_sheet(printing.sheet_document(document(), view.sites, filters))

    buttons = (
        (
            texts.EXPORT_PNG,
            _shared("png", view, filters, lambda: printing.map_png(document())),
            "png",
            "image/png",
        ),
        (
            texts.EXPORT_PDF,
            _shared("pdf", view, filters, lambda: printing.map_pdf(document())),
            "pdf",
            "application/pdf",
        ),
        (
            texts.EXPORT_SHEET,
            _shared("fiche", view, filters, sheet),
            "fiche.pdf",
            "application/pdf",
        ),
        (texts.EXPORT_HTML, html, "html", "text/html"),
        (
            texts.EXPORT_CSV,
            lambda: export.csv_excel_bytes(export.export_table(shown)),
            "csv",
            "text/csv",
        ),
        (
            texts.EXPORT_XLSX,
            lambda: export.xlsx_bytes(export.export_table(shown)),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            texts.EXPORT_GEOJSON,
            lambda: export.geojson_bytes(shown),
            "geojson",
            "application/geo+json",
        ),
    )
    # One menu with full names (seven buttons side by side were cut at 1024 px).
    with st.popover(texts.EXPORT_TITLE, help=texts.EXPORT_HELP):
        st.caption(texts.EXPORT_MENU_NOTE)
        for label, make, ext, mime in buttons:
            key = "export_" + ext.replace(".", "_")
            name = f"{stem}-fiche.pdf" if ext == "fiche.pdf" else f"{stem}.{ext}"
            st.download_button(
                label,
                _guarded(make, label),
                file_name=name,
                mime=mime,
                key=key,
                on_click="ignore",
                width="stretch",
            )
        mediation_download(view, shown, stem)


def mediation_download(view: View, shown: gpd.GeoDataFrame, stem: str) -> None:
    """The sites shown in the national "lieux de médiation numérique" standard (CSV), and
    which sites it leaves out for want of a required value."""
    context = view.data.context
    if view.national or context.structures is None:
        date_maj = view.filters.au or dt.date.today()
    else:
        date_maj = dt.date.fromtimestamp(context.structures.stat().st_mtime)
    table, skipped = export.mediation_table(
        shown.to_crs(config.CRS_DRAW),
        date_maj,
        context.id_prefix,
        texts.mediation_source(context, view.national),
    )
    st.download_button(
        texts.MEDIATION_EXPORT,
        _guarded(lambda: export.mediation_csv(table), texts.MEDIATION_EXPORT),
        file_name=f"{stem}-lieux-mediation-numerique.csv",
        mime="text/csv",
        key="export_mediation",
        on_click="ignore",
        width="stretch",
    )
    if skipped:
        st.caption(
            texts.literal(
                texts.MEDIATION_SKIPPED.format(n=len(skipped), details=" ; ".join(skipped))
            )
        )


def sheet_download(view: View, level: str, stats) -> None:
    """The fiche territoire of any row of the Territoires table (same filters)."""
    rows = stats.loc[stats["code"] != ""]
    names = dict(zip(rows["code"], rows["nom"], strict=True))
    left, right = st.columns([2, 1])
    code = left.selectbox(
        texts.SHEET_PICK, list(names), format_func=names.get, key=f"fiche_{level}"
    )
    chosen = replace(view.filters.without_territory(), **{level: code})
    data = view.data
    stem = export.export_basename(
        territory_slug_words(chosen, data.territory.communes),
        f"postes au {chosen.au.isoformat()}" if chosen.au else None,
        department=data.department.name,
    )

    def make() -> bytes:
        doc = printing.sheet_document(view_document(view, chosen), view.sites, chosen)
        return printing.territory_sheet(doc)

    right.download_button(
        texts.EXPORT_SHEET,
        _guarded(_shared("fiche", view, chosen, make), texts.EXPORT_SHEET),
        file_name=f"{stem}-fiche.pdf",
        mime="application/pdf",
        key=f"fiche_{level}_pdf",
        on_click="ignore",
        width="stretch",
    )


K_ATLAS = "atlas_pret"


def atlas_section(key: tuple, count: int, label: str, make, file_name: str) -> None:
    """A button (``label``) that prepares an atlas of ``count`` territories with a progress
    bar, then its download button.

    The atlas is kept in the session under ``key`` (what it was made from), so a rerun
    neither makes it again nor offers an atlas of other filters. ``make(progress)``
    returns the PDF (made in a child process, :func:`atlas.in_child_process`); its page
    count is read once, when it is made, not on every rerun."""
    if st.button(label, key=f"atlas_{key[0]}", help=texts.ATLAS_HELP):
        bar = st.progress(0.0, text=texts.ATLAS_PROGRESS.format(done=0, total=count, name="…"))

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(
                done / max(total, 1),
                text=texts.literal(texts.ATLAS_PROGRESS.format(done=done, total=total, name=name)),
            )

        try:
            pdf = make(progress)
        except Exception:  # noqa: BLE001 - the boundary of one export
            LOG.exception("échec de l'atlas %s", key[0])
            bar.empty()
            st.error(texts.ATLAS_FAILED)
            return
        bar.empty()
        st.session_state[K_ATLAS] = (key, pdf, len(PdfReader(io.BytesIO(pdf)).pages))
    ready = st.session_state.get(K_ATLAS)
    if ready is None or ready[0] != key:
        return
    _, pdf, pages = ready
    size = f"{formatting.fmt_decimal(len(pdf) / 1_000_000, 1)} Mo"
    st.caption(texts.ATLAS_READY.format(pages=pages, size=size))
    st.download_button(
        texts.ATLAS_DOWNLOAD,
        pdf,
        file_name=file_name,
        mime="application/pdf",
        key=f"atlas_{key[0]}_pdf",
        on_click="ignore",
    )


def department_atlas_download(view: View, level: str) -> None:
    """The atlas of the département: a fiche per EPCI or arrondissement (same criteria and
    reading as the view, its territory aside)."""
    data, filters = view.data, view.filters.without_territory()
    st.subheader(texts.ATLAS_SECTION, anchor=False)
    count = len(atlas.territories_of(data.territory.communes, level))
    words = texts.ATLAS_LEVELS[level]
    stem = export.export_basename(
        f"atlas {words[1]}",
        f"postes au {filters.au.isoformat()}" if filters.au else None,
        department=data.department.name,
    )

    def make(progress) -> bytes:
        return atlas.in_child_process(
            atlas.department_atlas,
            progress,
            territory=data.territory,
            sites=view.sites,
            filters=filters,
            options=view.options,
            level=level,
            context=data.context,
            unplaced=view.unplaced,
        )

    key = ("departement", data.version, level, repr(filters))
    label = texts.ATLAS_MAKE.format(per=words[1], n=count)
    atlas_section(key, count, label, make, f"{stem}.pdf")
