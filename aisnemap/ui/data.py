"""Cached loading of the app's data: one entry per version of the files on disk."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import streamlit as st

from aisnemap import config
from aisnemap.domain import programme, schema
from aisnemap.domain.departements import AISNE, Department
from aisnemap.domain.filters import Options, Readings, options_from
from aisnemap.domain.programme import NationalReading
from aisnemap.domain.schema import Problem
from aisnemap.domain.territory import MissingDataError, Territory, load_territory, locate_sites
from aisnemap.render.maps import MapLayers, bounds_of, prepare_layers

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
    #: The département shown, and whether it has a curated announcement (the Aisne).
    department: Department = AISNE
    curated: bool = True

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
        return Readings(self.options, self.national_options, dates, not self.curated)

    @property
    def empty(self) -> bool:
        """True for a département built but without any post in the national list."""
        return self.error is None and not self.curated and self.national is None

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
    department: str = config.DEPARTMENT


def _version(data_dir: Path, structures: Path | None, department: str) -> FilesVersion:
    return FilesVersion(
        str(data_dir),
        _mtime(data_dir / config.MANIFEST_FILE),
        str(structures or ""),
        _mtime(structures) if structures else -1,
        department,
    )


def department_named(code: str, data_dir: Path) -> Department:
    """The département's name and article, as its build recorded them."""
    if code == AISNE.code:
        return AISNE
    try:
        built = json.loads((data_dir / config.MANIFEST_FILE).read_text(encoding="utf-8"))
        return Department(code, str(built["nom"]), int(built.get("liaison") or 0))
    except (OSError, ValueError, KeyError, TypeError):
        return Department(code, code)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(version: FilesVersion) -> AppData:
    # Shared across sessions and treated as read-only: the map layers are large and
    # every session reads the same file version (a new version gives a new entry).
    data_dir, code = Path(version.data_dir), version.department
    files = config.files_for(code)
    named = department_named(code, data_dir)
    try:
        territory = load_territory(data_dir, files)
    except MissingDataError as exc:
        return AppData(None, None, error=str(exc), department=named)
    layers = prepare_layers(
        territory.display["communes"],
        territory.display["epci"],
        territory.display["arrondissements"],
        territory.display["department"],
    )
    optional = {
        "ifn": _read_optional_csv(data_dir / files.ifn, {"code": str}),
        "france_services": _read_optional_csv(
            data_dir / files.france_services, {"code_insee": str, "id": str}
        ),
        "department": named,
    }
    if not version.structures:
        return _national_only(territory, layers, data_dir / files.posts, optional)
    structures = Path(version.structures)
    validation = schema.read_structures(structures, territory.insee_codes)
    if not validation.ok:
        return AppData(territory, None, validation.problems, layers=layers)
    sites, problems = locate_sites(validation.frame, territory.communes)
    problems = validation.problems + problems
    if any(p.severity == schema.ERROR for p in problems):
        return AppData(territory, None, problems, layers=layers)
    posts = programme.load_posts(data_dir / files.posts)
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
        **optional,
    )


def _national_only(
    territory: Territory, layers: MapLayers, posts_path: Path, optional: dict
) -> AppData:
    """A département without curated structures: the national list is its only reading
    (no post at all: an empty state, not an error)."""
    posts = programme.load_posts(posts_path)
    if posts is None or posts.empty:
        return AppData(territory, None, layers=layers, posts=posts, curated=False, **optional)
    national = programme.national_reading(posts, schema.empty_frame(), territory.communes)
    options = options_from(national.sites, national.labels)
    return AppData(
        territory,
        national.sites,
        [],
        options,
        layers,
        posts=posts,
        national=national,
        national_options=options,
        curated=False,
        **optional,
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


def load_app_data(
    data_dir: Path | None = None, structures: Path | None = None, department: str | None = None
) -> AppData:
    """The app data of a département (the server's by default) for the current files
    (reloaded when a file changes)."""
    code = department or config.served_department()
    folder = config.department_dir(code, data_dir)
    # Only the Aisne has a curated structures file (the announcement).
    curated = (structures or config.STRUCTURES_CSV) if code == config.DEPARTMENT else None
    return _load(_version(folder, curated, code))
