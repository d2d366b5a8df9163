"""Download buttons of a view; files are generated only when a button is clicked."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from .. import export, texts
from ..filters import describe, territory_communes
from ..maps import bounds_of, build_map
from .page import View


def show_exports(view: View, shown: gpd.GeoDataFrame, outline: str | None) -> None:
    """Export buttons for the current filtered view (PNG, PDF, HTML, CSV, XLSX, GeoJSON)."""
    data, filters, options = view.data, view.filters, view.options
    territory = data.territory
    stem = export.export_basename()
    subtitle = describe(filters, options, territory.communes)
    layers = export.StaticLayers(
        territory.display["communes"],
        territory.display["epci"],
        territory.display["arrondissements"],
        territory.display["department"],
    )
    extent = territory_communes(territory.communes, filters)

    def html() -> bytes:
        fmap = build_map(
            data.layers,
            shown,
            bounds_of(extent),
            options.service_types,
            highlight=outline,
            department_bounds=data.department_bounds,
        )
        return export.standalone_html(fmap)

    def figure(fmt: str) -> bytes:
        fig = export.render_map_figure(
            layers, shown, extent, texts.APP_TITLE, subtitle, options.service_types
        )
        return export.figure_bytes(fig, fmt)

    st.markdown(f"**{texts.EXPORT_TITLE}**", help=texts.EXPORT_HELP)
    cols = st.columns(6)
    buttons = (
        (texts.EXPORT_PNG, lambda: figure("png"), "png", "image/png", "export_png"),
        (texts.EXPORT_PDF, lambda: figure("pdf"), "pdf", "application/pdf", "export_pdf"),
        (
            texts.EXPORT_HTML,
            html,
            "html",
            "text/html",
            "export_html",
        ),
        (
            texts.EXPORT_CSV,
            lambda: export.csv_excel_bytes(export.export_table(shown)),
            "csv",
            "text/csv",
            "export_csv",
        ),
        (
            texts.EXPORT_XLSX,
            lambda: export.xlsx_bytes(export.export_table(shown)),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "export_xlsx",
        ),
        (
            texts.EXPORT_GEOJSON,
            lambda: export.geojson_bytes(shown),
            "geojson",
            "application/geo+json",
            "export_geojson",
        ),
    )
    for col, (label, make, ext, mime, key) in zip(cols, buttons, strict=True):
        col.download_button(
            label,
            make,
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=key,
            on_click="ignore",
            width="stretch",
        )
