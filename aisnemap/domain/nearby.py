"""From a commune, the nearest places: advisor sites and France Services, with their
straight-line distance and the practical details their sources give.

Distances are measured from the commune's representative point (always inside it, the
point every other distance of the dashboard uses) in the département's metric projection.
They are « à vol d'oiseau », not a route length.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from aisnemap import config
from aisnemap.domain import schema as s
from aisnemap.domain.coverage import metric_xy
from aisnemap.domain.territory import CommunePoints
from aisnemap.french.formatting import folded

#: How many places of each kind are listed.
NEAREST = 5
#: Opening-hours columns of the France Services list, with their French day names.
DAYS = (
    ("h_lundi", "lundi"),
    ("h_mardi", "mardi"),
    ("h_mercredi", "mercredi"),
    ("h_jeudi", "jeudi"),
    ("h_vendredi", "vendredi"),
    ("h_samedi", "samedi"),
)


def match_communes(communes: pd.DataFrame, typed: str, limit: int = 20) -> list[str]:
    """Codes of the communes whose name or INSEE code matches what was typed: the exact
    name first, then names starting with it, then names containing it (accents, case and
    hyphens ignored); alphabetical within each group."""
    wanted = folded(typed)
    if not wanted:
        return []
    names = communes["nom"].map(folded)
    codes = communes["code"].astype(str)
    exact = names.eq(wanted) | codes.eq(wanted.upper())
    starts = names.str.startswith(wanted) & ~exact
    contains = names.str.contains(wanted, regex=False) & ~exact & ~starts
    out: list[str] = []
    for mask in (exact, starts, contains):
        chosen = communes.loc[mask].sort_values("nom", key=lambda c: c.map(folded))
        out += chosen["code"].astype(str).tolist()
    return out[:limit]


@dataclass(frozen=True)
class Nearby:
    """The nearest places of a commune (sorted by distance, ``distance_km`` straight line,
    ``lat``/``lon`` in EPSG:4326; the sites keep their geometry) and the commune's point."""

    code: str
    name: str
    lat: float
    lon: float
    sites: gpd.GeoDataFrame
    france_services: pd.DataFrame


def opening_hours(row: pd.Series) -> str:
    """« lundi 09:30 - 16:30 ; mardi … » from the list's day columns ('' when none)."""
    parts = []
    for column, day in DAYS:
        value = row.get(column)
        if value is not None and not pd.isna(value) and str(value).strip():
            parts.append(f"{day} {str(value).strip()}")
    return " ; ".join(parts)


def _distances(origin: np.ndarray, xy: np.ndarray) -> np.ndarray:
    if not len(xy):
        return np.zeros(0)
    return np.hypot(xy[:, 0] - origin[0], xy[:, 1] - origin[1]) / 1000.0


def nearest_places(
    code: str,
    communes: pd.DataFrame,
    points: CommunePoints,
    sites: gpd.GeoDataFrame,
    france_services: pd.DataFrame | None,
    n: int = NEAREST,
) -> Nearby:
    """The ``n`` nearest advisor sites and France Services of commune ``code``."""
    origin = points.xy_of([code])[0]
    drawn = points.drawn.loc[code]
    name = str(communes.loc[communes["code"] == code, "nom"].iloc[0])
    near_sites = sites.to_crs(config.CRS_DRAW).assign(
        distance_km=_distances(origin, metric_xy(sites, points.crs)) if len(sites) else []
    )
    near_sites = near_sites.sort_values(["distance_km", s.ID]).head(n)
    near_sites["lat"], near_sites["lon"] = near_sites.geometry.y, near_sites.geometry.x
    near_fs = pd.DataFrame()
    if france_services is not None:
        table = france_services.dropna(subset=["latitude", "longitude"]).copy()
        if len(table):
            xy = metric_xy(
                gpd.GeoSeries(
                    gpd.points_from_xy(table["longitude"], table["latitude"]), crs=config.CRS_DRAW
                ),
                points.crs,
            )
            table["distance_km"] = _distances(origin, xy)
            table["horaires"] = table.apply(opening_hours, axis=1)
            near_fs = table.sort_values(["distance_km", "nom"]).head(n)
    return Nearby(code, name, float(drawn.y), float(drawn.x), near_sites, near_fs)
