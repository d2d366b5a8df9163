"""Download buttons for a table (CSV for French Excel and XLSX)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import export, texts


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
