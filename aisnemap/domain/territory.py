"""Joins: structures -> points -> communes (spatial join) -> EPCI and arrondissement."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from aisnemap import config, integrity
from aisnemap.domain import schema as s
from aisnemap.domain.departements import DepartmentContext
from aisnemap.domain.layers import LayerSet
from aisnemap.domain.schema import Problem
from aisnemap.french import data_files

LOG = logging.getLogger("aisnemap.data")

COMMUNE_ATTRS = (
    "nom",
    "population",
    "epci_siren",
    "epci_nom",
    "arrondissement_code",
    "arrondissement_nom",
)


@dataclass(frozen=True)
class Level:
    """A territory level: its filter key, columns on communes and sites, display layer."""

    key: str
    code_column: str
    name_column: str
    label: str
    layer: str
    #: Column of the level's own display layer holding its code.
    layer_code_column: str


ARRONDISSEMENT = Level(
    "arrondissement",
    "arrondissement_code",
    "arrondissement_nom",
    "Arrondissement",
    "arrondissements",
    "arrondissement_code",
)
EPCI = Level("epci", "epci_siren", "epci_nom", "EPCI", "epci", "epci_siren")
COMMUNE = Level("commune", "code", "nom", "Commune", "communes", "code")
#: From the widest to the most precise: the sidebar's cascade and the URL's order.
LEVELS = (ARRONDISSEMENT, EPCI, COMMUNE)
LEVEL_BY_KEY = {level.key: level for level in LEVELS}


class MissingDataError(RuntimeError):
    """A built data file is missing or unreadable (message in French)."""


@dataclass(frozen=True, eq=False)
class CommunePoints:
    """A representative point inside each commune, in the département's metric projection
    (computed once per data version; distances and site placement read it)."""

    crs: str
    codes: pd.Index
    #: (n, 2) metres, read-only.
    xy: np.ndarray

    @classmethod
    def of(cls, communes: gpd.GeoDataFrame, metric_crs: str) -> CommunePoints:
        """The points of ``communes`` (any CRS) in ``metric_crs``."""
        if communes.crs is None:
            raise ValueError("communes must have a CRS")
        points = communes.geometry.to_crs(metric_crs).representative_point()
        xy = (
            np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
            if len(points)
            else (np.empty((0, 2)))
        )
        xy.setflags(write=False)
        return cls(metric_crs, pd.Index(communes["code"].astype(str)), xy)

    @cached_property
    def _within(self) -> dict:
        return {}

    def within_km(self, from_codes, to_codes, radius_km: float) -> np.ndarray:
        """Boolean matrix: commune ``from_codes[i]`` lies less than ``radius_km`` from
        commune ``to_codes[j]`` (kept for the last few questions: the planner asks the same
        one on every rerun)."""
        key = (tuple(from_codes), tuple(to_codes), float(radius_km))
        cache = self._within
        if key not in cache:
            a, b = self.xy_of(key[0]), self.xy_of(key[1])
            matrix = ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2) < (radius_km * 1000) ** 2
            matrix.setflags(write=False)
            if len(cache) >= 4:
                cache.pop(next(iter(cache)))
            cache[key] = matrix
        return cache[key]

    def xy_of(self, codes) -> np.ndarray:
        """The points of the given commune codes, in that order."""
        return self.xy[self.codes.get_indexer(list(codes))]

    @cached_property
    def drawn(self) -> gpd.GeoSeries:
        """The points in EPSG:4326, indexed by commune code (computed once)."""
        series = gpd.GeoSeries(
            gpd.points_from_xy(self.xy[:, 0], self.xy[:, 1]), index=self.codes, crs=self.crs
        )
        return series.to_crs(config.CRS_DRAW)


@dataclass(frozen=True)
class Territory:
    """The département's layers, EPSG:4326, exact (for joins) and display versions, with
    the projection its distances are measured in."""

    communes: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    arrondissements: gpd.GeoDataFrame
    department: gpd.GeoDataFrame
    display: LayerSet[gpd.GeoDataFrame]
    metric_crs: str

    @property
    def insee_codes(self) -> set[str]:
        """Codes of the department's communes."""
        return set(self.communes["code"])

    @cached_property
    def points(self) -> CommunePoints:
        """Each commune's representative point (computed on first use, then kept)."""
        return CommunePoints.of(self.communes, self.metric_crs)


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    role = data_files.file_role(path.name)
    try:
        raw = integrity.read_built(path, role)
    except integrity.DamagedFileError as exc:
        # The visitor reads the file's role; the server's log keeps the file and the reason.
        LOG.error("fichier de données endommagé : %s", exc.detail)
        raise MissingDataError(data_files.damaged_file(role)) from exc
    if raw is None:
        raise MissingDataError(data_files.missing_file(role))
    try:
        frame = gpd.read_file(io.BytesIO(raw))
        integrity.rows_as_built(len(frame), path, role)
    except Exception as exc:  # pyogrio raises several types for a corrupt file
        LOG.error("fichier de données illisible : %s", path, exc_info=True)
        raise MissingDataError(data_files.damaged_file(role)) from exc
    for column in ("code", "epci_siren", "arrondissement_code"):
        if column in frame:
            frame[column] = frame[column].astype(str)
    if frame.crs is None:
        frame = frame.set_crs(config.CRS_DRAW)
    return frame.to_crs(config.CRS_DRAW)


def load_territory(context: DepartmentContext) -> Territory:
    """Read a département's built layers; raises MissingDataError in French."""
    folder, files = context.folder, context.files
    exact = files.exact.map(lambda name: _read_layer(folder / name))
    return Territory(
        communes=exact.communes,
        epci=exact.epci,
        arrondissements=exact.arrondissements,
        department=exact.department,
        display=files.display.map(lambda name: _read_layer(folder / name)),
        metric_crs=context.metric_crs,
    )


def commune_points(communes: gpd.GeoDataFrame, metric_crs: str) -> gpd.GeoDataFrame:
    """A representative point inside each commune (computed in ``metric_crs``), in the
    communes' CRS."""
    drawn = CommunePoints.of(communes, metric_crs).drawn.to_crs(communes.crs)
    return gpd.GeoDataFrame({"code": drawn.index}, geometry=drawn.to_numpy(), crs=communes.crs)


def locate_sites(
    structures: pd.DataFrame, communes: gpd.GeoDataFrame, metric_crs: str
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Place each site and attach its commune's attributes, checking the declared code.

    A site without coordinates goes to its commune's representative point
    (``precision`` = commune). A point that falls in another commune than its declared
    INSEE code, or in none, is reported as an error: it is never silently moved.
    """
    if communes.crs is None:
        raise ValueError("communes must have a CRS")
    frame = structures.copy()
    problems: list[Problem] = []
    points = CommunePoints.of(communes, metric_crs).drawn
    has_xy = frame[s.LAT].notna() & frame[s.LON].notna()
    geometry = gpd.points_from_xy(frame[s.LON], frame[s.LAT], crs=config.CRS_DRAW)
    sites = gpd.GeoDataFrame(frame, geometry=geometry, crs=config.CRS_DRAW)
    known = frame[s.INSEE].isin(points.index)
    fallback = ~has_xy & known
    sites.loc[fallback, "geometry"] = points.loc[frame.loc[fallback, s.INSEE]].to_numpy()
    sites["place_au_centre"] = ~has_xy

    line_of = frame["_ligne"] if "_ligne" in frame else pd.Series(frame.index + 2, frame.index)
    for i in frame.index[~known]:
        problems.append(
            Problem(int(line_of[i]), s.INSEE, f"code INSEE « {frame.at[i, s.INSEE]} » inconnu")
        )
    # Spatial join in the département's metric projection with an explicit predicate.
    metric_sites = sites.loc[has_xy, ["geometry"]].to_crs(metric_crs)
    metric_communes = communes[["code", "geometry"]].to_crs(metric_crs)
    joined = gpd.sjoin(metric_sites, metric_communes, how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    for i, found in joined["code"].items():
        declared = frame.at[i, s.INSEE]
        if pd.isna(found):
            problems.append(
                Problem(int(line_of[i]), s.LAT, "coordonnées hors de toute commune du département")
            )
        elif found != declared:
            problems.append(
                Problem(
                    int(line_of[i]),
                    s.LAT,
                    f"coordonnées situées dans la commune {found}, pas dans la commune "
                    f"déclarée {declared}",
                )
            )
    attrs = pd.DataFrame(communes.drop(columns="geometry")).set_index("code")
    attrs = attrs[list(COMMUNE_ATTRS)].rename(
        columns={"nom": "commune", "population": "pop_commune"}
    )
    sites = sites.join(attrs, on=s.INSEE)
    return sites, problems
