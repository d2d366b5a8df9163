"""Joins: structures -> points -> communes (spatial join) -> EPCI and arrondissement."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from aisnemap import config
from aisnemap.domain import schema as s
from aisnemap.domain.schema import Problem

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


@dataclass
class Territory:
    """The department's layers, EPSG:4326, exact (for joins) and display versions."""

    communes: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    arrondissements: gpd.GeoDataFrame
    department: gpd.GeoDataFrame
    display: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)

    @property
    def insee_codes(self) -> set[str]:
        """Codes of the department's communes."""
        return set(self.communes["code"])


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise MissingDataError(
            f"Fichier de données manquant : {path.name}. Lancez la construction des données "
            "(« make data » ou « python -m aisnemap.build »)."
        )
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for a corrupt file
        raise MissingDataError(f"Fichier de données illisible : {path.name} ({exc})") from exc
    for column in ("code", "epci_siren", "arrondissement_code"):
        if column in frame:
            frame[column] = frame[column].astype(str)
    if frame.crs is None:
        frame = frame.set_crs(config.CRS_DRAW)
    return frame.to_crs(config.CRS_DRAW)


def load_territory(
    data_dir: Path | None = None, files: config.BuiltFiles | None = None
) -> Territory:
    """Read the built layers (the Aisne's by default); raises MissingDataError in French."""
    data_dir = data_dir or config.DATA_DIR
    files = files or config.AISNE_FILES
    territory = Territory(
        communes=_read_layer(data_dir / files.communes),
        epci=_read_layer(data_dir / files.epci),
        arrondissements=_read_layer(data_dir / files.arrondissements),
        department=_read_layer(data_dir / files.department),
    )
    territory.display = {
        "communes": _read_layer(data_dir / files.communes_display),
        "epci": _read_layer(data_dir / files.epci_display),
        "arrondissements": _read_layer(data_dir / files.arrondissements_display),
        "department": _read_layer(data_dir / files.department_display),
    }
    return territory


def commune_points(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A representative point inside each commune (computed in Lambert-93)."""
    metric = communes[["code", "geometry"]].to_crs(config.metric_crs_for(communes))
    metric["geometry"] = metric.geometry.representative_point()
    return metric.to_crs(communes.crs)


def locate_sites(
    structures: pd.DataFrame, communes: gpd.GeoDataFrame
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
    points = commune_points(communes).set_index("code").geometry
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
    # Spatial join in Lambert-93 with an explicit predicate.
    crs = config.metric_crs_for(communes)
    metric_sites = sites.loc[has_xy, ["geometry"]].to_crs(crs)
    metric_communes = communes[["code", "geometry"]].to_crs(crs)
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
