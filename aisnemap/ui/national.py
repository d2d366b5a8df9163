"""The France page's data: national files read once per version, outlines encoded once."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry import Point

from aisnemap import config, integrity
from aisnemap.domain import france
from aisnemap.french import data_files, formatting, texts
from aisnemap.render.maps import encode_geometry, safe_json
from aisnemap.ui import resident

LOG = logging.getLogger("aisnemap.ui")


def _version() -> tuple[str, int]:
    """What the national caches are keyed on: the folder and its manifest's time (a build
    rewrites the manifest last)."""
    folder = france.france_dir()
    try:
        return str(folder), (folder / config.MANIFEST_FILE).stat().st_mtime_ns
    except OSError:
        return str(folder), -1


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
def _load(version: tuple[str, int]) -> NationalData | str | None:
    """The national data, None when not built, or the French message of a damaged file."""
    try:
        national = france.load_table()
    except integrity.DamagedFileError as exc:
        LOG.error("fichier national endommagé : %s", exc.detail)
        return data_files.damaged_file(exc.role)
    if national is None:
        return None
    shapes = gpd.GeoDataFrame.from_features(json.loads(national.outlines)["features"])
    rings = {
        code: encode_geometry(geom)
        for code, geom in zip(shapes["code"], shapes.geometry, strict=True)
    }
    loaded = NationalData(national, shapes[["code", "geometry"]], rings)
    resident.settle()  # out of the collector's way (aisnemap.ui.resident)
    return loaded


def national_data() -> NationalData | None:
    """The national data (None: not built or damaged, see :func:`national_problem`)."""
    loaded = _load(_version())
    return loaded if isinstance(loaded, NationalData) else None


def national_problem() -> str | None:
    """The French message of a damaged national file (None when the files are sound)."""
    loaded = _load(_version())
    return loaded if isinstance(loaded, str) else None


@st.cache_resource(show_spinner=False, max_entries=2)
def _activity(version: tuple[str, int]) -> pd.DataFrame | None:
    try:
        return france.load_activity()
    except integrity.DamagedFileError as exc:
        LOG.error("fichier national endommagé : %s", exc.detail)
        return None


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
