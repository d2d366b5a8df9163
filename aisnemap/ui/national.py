"""The France page's data: national files read once per version, outlines encoded once."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from .. import france, texts
from ..maps import encode_geometry, safe_json


def _version() -> float:
    try:
        return (france.france_dir() / france.OUTLINES_FILE).stat().st_mtime_ns
    except OSError:
        return -1


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(_version: float) -> tuple[france.National, dict[str, list]] | None:
    national = france.load_table()
    if national is None:
        return None
    import geopandas as gpd

    shapes = gpd.GeoDataFrame.from_features(json.loads(national.outlines)["features"])
    rings = {
        code: encode_geometry(geom)
        for code, geom in zip(shapes["code"], shapes.geometry, strict=True)
    }
    return national, rings


def national_data() -> tuple[france.National, dict[str, list]] | None:
    """The national files and each département's encoded outline (None: not built)."""
    return _load(_version())


def map_items(frame: pd.DataFrame, rings: dict[str, list]) -> str:
    """The national layer's JSON: tooltip, rings and colour of each département."""
    items = []
    for row in frame.itertuples():
        if row.code not in rings:
            continue
        _, colour = france.rate_class(row.pour_10000, row.postes)
        ifn = None if pd.isna(row.ifn_moyen) else float(row.ifn_moyen)
        tip = texts.france_tooltip(row.nom, row.code, int(row.postes), float(row.pour_10000), ifn)
        items.append([tip, rings[row.code], colour])
    return safe_json(items)


def legend() -> list[tuple[str, str]]:
    """The national map's legend, classes then "aucun poste"."""
    return [
        *zip(france.RATE_LABELS, france.RATE_COLOURS, strict=True),
        (france.NONE_LABEL, france.NONE_COLOUR),
    ]


def table_for(frame: pd.DataFrame) -> pd.DataFrame:
    """The table shown and exported (French headers, COG order)."""
    columns = list(texts.FRANCE_COLUMNS)
    shown = frame[columns].copy()
    shown["pour_10000"] = shown["pour_10000"].round(2)
    shown["ifn_moyen"] = shown["ifn_moyen"].round(2)
    return shown.rename(columns=texts.FRANCE_COLUMNS)


def displayed(table: pd.DataFrame) -> pd.DataFrame:
    """The table as shown: rates and IFN with two decimals, the French way."""
    shown = table.copy()
    for key in ("pour_10000", "ifn_moyen"):
        column = texts.FRANCE_COLUMNS[key]
        shown[column] = shown[column].map(lambda v: "—" if pd.isna(v) else texts.fmt_decimal(v, 2))
    return shown


def clicked_code(tooltip: object, known: set[str]) -> str | None:
    """The département code a clicked tooltip names (« Nord (59) : … »)."""
    import re

    match = re.match(r"[^()]*\(([0-9AB]{2,3})\)", str(tooltip or ""))
    return match.group(1) if match and match.group(1) in known else None


def default_date(dates: list[dt.date], asked: str | None) -> dt.date:
    """The date of a ``?au=`` link within the list's dates (the last one by default)."""
    try:
        day = dt.date.fromisoformat(asked or "")
    except ValueError:
        return dates[-1]
    return min(max(day, dates[0]), dates[-1])
