"""Download buttons for a table (CSV for French Excel and XLSX)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from aisnemap.french import formatting, texts
from aisnemap.french.formatting import folded
from aisnemap.render import export


def table_downloads(table: pd.DataFrame, stem: str, key: str) -> None:
    """CSV (;, UTF-8 BOM, decimal comma) and XLSX buttons for a table."""
    safe = table.map(export.neutralise_formula)
    formats = (
        (texts.TABLE_CSV, lambda: export.csv_excel_bytes(safe), "csv", "text/csv"),
        (
            texts.TABLE_XLSX,
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


def search_rows(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows where any cell contains every word of ``query`` (case and accents
    ignored)."""
    words = folded(query).split()
    if not words or table.empty:
        return table
    cells = table.astype(str).map(folded).agg(" ".join, axis=1)
    mask = pd.Series(True, index=table.index)
    for word in words:
        mask &= cells.str.contains(word, regex=False)
    return table.loc[mask]


def sort_rows(table: pd.DataFrame, column: str | None, descending: bool) -> pd.DataFrame:
    """Rows ordered by one column: numbers as numbers, texts without case or accents,
    missing values last."""
    if not column or column not in table.columns:
        return table
    values = table[column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return table.sort_values(column, ascending=not descending, na_position="last")
    return table.sort_values(
        column, ascending=not descending, key=lambda c: c.map(folded), na_position="last"
    )


def explore_table(
    table: pd.DataFrame,
    key: str,
    alt: str,
    stem: str,
    main: list[str] | None = None,
    details: str | None = None,
    hide_index: bool = True,
    shown_as: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> None:
    """A table a person can use: search (case and accents ignored), sort by any column,
    a fixed height with its header kept, the main columns only at first (``main``; all on
    request), the whole row of one line on demand (``details``: the column naming rows),
    and its CSV and XLSX with every column of the rows found. ``shown_as`` writes the
    rows for display after they are sorted (numbers sort as numbers)."""
    if not hide_index:
        table = table.reset_index()
    top = st.columns([3, 2, 2], vertical_alignment="bottom")
    query = top[0].text_input(
        texts.TABLE_SEARCH, key=f"{key}_recherche", placeholder=texts.TABLE_SEARCH_HINT
    )
    column = top[1].selectbox(
        texts.TABLE_SORT,
        ["", *table.columns],
        format_func=lambda c: c or texts.TABLE_SORT_NONE,
        key=f"{key}_tri",
    )
    order = top[2].radio(texts.TABLE_ORDER, texts.TABLE_ORDERS, horizontal=True, key=f"{key}_ordre")
    found = sort_rows(search_rows(table, query or ""), column, order == texts.TABLE_ORDERS[1])
    everything = True
    if main:
        everything = st.toggle(texts.TABLE_ALL_COLUMNS, key=f"{key}_colonnes", value=False)
    shown = found if everything or not main else found[[c for c in main if c in found]]
    st.caption(texts.table_count(len(found), len(table)))
    with st.container(key=f"tableau_{key}"):
        show_table(shown_as(shown) if shown_as else shown, alt=alt)
    if details and len(found) and details in found.columns:
        names = found[details].astype(str).tolist()
        chosen = st.selectbox(
            texts.TABLE_DETAILS,
            ["", *names],
            key=f"{key}_fiche",
            format_func=lambda n: n or texts.TABLE_DETAILS_NONE,
        )
        if chosen:
            row = found.loc[found[details].astype(str) == chosen].iloc[0]
            sheet = pd.DataFrame(
                {texts.TABLE_FIELD: list(row.index), texts.TABLE_VALUE: list(row.array)}
            )
            show_table(sheet.astype(str), alt=chosen)
    table_downloads(found, stem, key)
