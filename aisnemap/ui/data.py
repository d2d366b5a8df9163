"""Cached loading of the app's data: one entry per version of the files on disk."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import streamlit as st

from .. import config, programme, schema
from ..filters import Options, Readings, options_from
from ..maps import MapLayers, bounds_of, prepare_layers
from ..programme import NationalReading
from ..schema import Problem
from ..territory import MissingDataError, Territory, load_territory, locate_sites

LOG = logging.getLogger("aisnemap.ui")


@dataclass
class AppData:
    """Everything the pages read; never mutated after loading."""

    territory: Territory | None
    sites: gpd.GeoDataFrame | None
    problems: list[Problem] = field(default_factory=list)
    options: Options = field(default_factory=Options)
    layers: MapLayers | None = None
    error: str | None = None
    #: The national list's posts of the département (None when not built).
    posts: pd.DataFrame | None = None
    #: The "postes validés" reading (None when the list or the sites are unavailable).
    national: NationalReading | None = None
    national_options: Options = field(default_factory=Options)
    #: IFN scores by commune code (None when not built) and the France Services.
    ifn: pd.DataFrame | None = None
    france_services: pd.DataFrame | None = None

    @property
    def department_bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the department, with a margin."""
        return bounds_of(self.territory.department)

    @property
    def readings(self) -> Readings:
        """The readings offered: the announcement, and the national list when built."""
        if self.national is None:
            return Readings(self.options)
        dates = (*sorted(self.national.waves), self.national.last_date)
        return Readings(self.options, self.national_options, dates)

    @property
    def ok(self) -> bool:
        """True when the map can be drawn with its sites."""
        return self.error is None and self.sites is not None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


class FilesVersion(NamedTuple):
    """What the cache is keyed on: the files' paths and modification times."""

    data_dir: str
    manifest_mtime: float
    structures: str
    structures_mtime: float


def _version(data_dir: Path, structures: Path) -> FilesVersion:
    return FilesVersion(
        str(data_dir),
        _mtime(data_dir / config.MANIFEST_FILE),
        str(structures),
        _mtime(structures),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(version: FilesVersion) -> AppData:
    # Shared across sessions and treated as read-only: the map layers are large and
    # every session reads the same file version (a new version gives a new entry).
    data_dir, structures = Path(version.data_dir), Path(version.structures)
    try:
        territory = load_territory(data_dir)
    except MissingDataError as exc:
        return AppData(None, None, error=str(exc))
    validation = schema.read_structures(structures, territory.insee_codes)
    layers = prepare_layers(
        territory.display["communes"],
        territory.display["epci"],
        territory.display["arrondissements"],
        territory.display["department"],
    )
    if not validation.ok:
        return AppData(territory, None, validation.problems, layers=layers)
    sites, problems = locate_sites(validation.frame, territory.communes)
    problems = validation.problems + problems
    if any(p.severity == schema.ERROR for p in problems):
        return AppData(territory, None, problems, layers=layers)
    posts = programme.load_posts(data_dir / config.POSTS_FILE)
    national = None
    national_options = Options()
    if posts is not None and len(posts):
        national = programme.national_reading(posts, validation.frame, territory.communes)
        national_options = options_from(national.sites, national.labels)
    return AppData(
        territory,
        sites,
        problems,
        options_from(sites),
        layers,
        posts=posts,
        national=national,
        national_options=national_options,
        ifn=_read_optional_csv(data_dir / config.IFN_FILE, {"code": str}),
        france_services=_read_optional_csv(
            data_dir / config.FRANCE_SERVICES_FILE, {"code_insee": str, "id": str}
        ),
    )


def _read_optional_csv(path: Path, dtypes: dict) -> pd.DataFrame | None:
    """A built CSV the app can do without (None, logged, when absent or unreadable)."""
    if not path.is_file():
        return None
    try:
        return pd.read_csv(path, dtype=dtypes)
    except (OSError, ValueError, pd.errors.ParserError):
        LOG.warning("fichier illisible : %s", path, exc_info=True)
        return None


def load_app_data(data_dir: Path | None = None, structures: Path | None = None) -> AppData:
    """The app data for the current files (reloaded when a file changes)."""
    return _load(_version(data_dir or config.DATA_DIR, structures or config.STRUCTURES_CSV))
