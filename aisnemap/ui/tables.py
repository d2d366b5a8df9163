"""Download buttons for a table (CSV for French Excel and XLSX)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import export, texts


def table_downloads(table: pd.DataFrame, stem: str, key: str) -> None:
    """CSV (;, UTF-8 BOM, decimal comma) and XLSX buttons for a table."""
    safe = table.map(export.neutralise_formula)
    cols = st.columns(2)
    cols[0].download_button(
        texts.EXPORT_CSV,
        lambda: export.csv_excel_bytes(safe),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        width="stretch",
    )
    cols[1].download_button(
        texts.EXPORT_XLSX,
        lambda: export.xlsx_bytes(safe),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
        width="stretch",
    )
