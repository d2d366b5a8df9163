"""The France page's data: national files read once per version, outlines encoded once."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry import Point

from aisnemap.domain import france
from aisnemap.french import formatting, texts
from aisnemap.render.maps import encode_geometry, safe_json


def _version() -> float:
    try:
        return (france.france_dir() / france.OUTLINES_FILE).stat().st_mtime_ns
    except OSError:
        return -1


@dataclass(frozen=True)
class NationalData:
    """The national files, each département's outline as drawn and encoded."""

    files: france.National
    shapes: gpd.GeoDataFrame
    rings: dict[str, list]

    def code_at(self, lat: float, lon: float) -> str | None:
        """The département drawn at a point of the national map (insets included)."""
        hits = self.shapes.loc[self.shapes.geometry.intersects(Point(lon, lat)), "code"]
        return str(hits.iloc[0]) if len(hits) else None


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(_version: float) -> NationalData | None:
    national = france.load_table()
    if national is None:
        return None
    shapes = gpd.GeoDataFrame.from_features(json.loads(national.outlines)["features"])
    rings = {
        code: encode_geometry(geom)
        for code, geom in zip(shapes["code"], shapes.geometry, strict=True)
    }
    return NationalData(national, shapes[["code", "geometry"]], rings)


def national_data() -> NationalData | None:
    """The national data (None: not built)."""
    return _load(_version())


@st.cache_resource(show_spinner=False, max_entries=2)
def _activity(_version: float) -> pd.DataFrame | None:
    return france.load_activity()


def department_activity(code: str) -> tuple[pd.Series, pd.Series] | None:
    """A département's declared activity and its row of the national table (population,
    posts attributed), or None when the national files are not built."""
    loaded, activity = national_data(), _activity(_version())
    if loaded is None or activity is None or code not in activity.index:
        return None
    table = loaded.files.table.set_index("code")
    return (activity.loc[code], table.loc[code]) if code in table.index else None


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
    columns = [c for c in texts.FRANCE_COLUMNS if c in frame]
    shown = frame[columns].copy()
    for key, decimals in texts.FRANCE_DECIMALS.items():
        if key in shown:
            shown[key] = pd.to_numeric(shown[key], errors="coerce").round(decimals)
    return shown.rename(columns=texts.FRANCE_COLUMNS)


def displayed(table: pd.DataFrame) -> pd.DataFrame:
    """The table as shown: rates and IFN with two decimals, the French way."""
    shown = table.copy()
    for key, decimals in texts.FRANCE_DECIMALS.items():
        column = texts.FRANCE_COLUMNS[key]
        if column in shown:
            shown[column] = shown[column].map(
                lambda v, d=decimals: "—" if pd.isna(v) else formatting.fmt_decimal(v, d)
            )
    return shown


def default_date(dates: list[dt.date], asked: str | None) -> dt.date:
    """The date of a ``?au=`` link within the list's dates (the last one by default)."""
    try:
        day = dt.date.fromisoformat(asked or "")
    except ValueError:
        return dates[-1]
    return min(max(day, dates[0]), dates[-1])
