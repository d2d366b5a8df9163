"""Download buttons for a table (CSV for French Excel and XLSX)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from aisnemap.french import formatting, texts
from aisnemap.render import export


def table_downloads(table: pd.DataFrame, stem: str, key: str) -> None:
    """CSV (;, UTF-8 BOM, decimal comma) and XLSX buttons for a table."""
    safe = table.map(export.neutralise_formula)
    formats = (
        (texts.EXPORT_CSV, lambda: export.csv_excel_bytes(safe), "csv", "text/csv"),
        (
            texts.EXPORT_XLSX,
            lambda: export.xlsx_bytes(safe),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    )
    for col, (label, make, ext, mime) in zip(st.columns(len(formats)), formats, strict=True):
        col.download_button(
            label,
            make,
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=f"{key}_{ext}",
            on_click="ignore",
            width="stretch",
        )


def french_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Numbers written the French way for display (1 234 ; 12,5 ; « — » when missing).

    ``st.table`` renders its cells and headers as Markdown: every text goes through
    :func:`texts.literal`, so "> 20 km" stays text and a name never becomes a link.
    """
    shown = table.copy()
    shown.columns = [texts.literal(c) for c in shown.columns]
    if not isinstance(shown.index, pd.RangeIndex):
        shown.index = [texts.literal(i) for i in shown.index]
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            shown[column] = values.map(
                lambda v: "—" if v is None or v is pd.NA else texts.literal(v)
            )
            continue
        whole = values.dropna().eq(values.dropna().round()).all()
        shown[column] = values.map(
            lambda v, whole=whole: (
                "—"
                if pd.isna(v)
                else (formatting.fmt_int(v) if whole else formatting.fmt_decimal(v))
            )
        )
    return shown.astype(str) if len(shown) else shown


def show_table(table: pd.DataFrame, alt: str = "", hide_index: bool = True) -> None:
    """A static, accessible HTML table (no English toolbar, no cut column), numbers in
    French. The downloads give the same data for sorting and filtering in a spreadsheet."""
    st.table(french_cells(table), hide_index=hide_index, alt=alt or None)
