"""Cached loading of the app's data: one entry per version of the files on disk."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import streamlit as st

from aisnemap import config, integrity
from aisnemap.domain import followup, programme, schema
from aisnemap.domain.departements import Department, DepartmentContext, context_of_code
from aisnemap.domain.filters import Options, Readings, options_from
from aisnemap.domain.programme import NationalReading
from aisnemap.domain.schema import Problem
from aisnemap.domain.territory import MissingDataError, Territory, load_territory, locate_sites
from aisnemap.french import data_files, texts
from aisnemap.render.maps import MapLayers, bounds_of, prepare_layers
from aisnemap.ui import resident
from aisnemap.ui.memo import remembered

LOG = logging.getLogger("aisnemap.ui")


@dataclass(frozen=True)
class AppData:
    """Everything the pages read for one version of a département's files: shared by every
    session (``st.cache_resource``), never mutated after loading."""

    context: DepartmentContext
    territory: Territory | None
    sites: gpd.GeoDataFrame | None
    problems: tuple[Problem, ...] = ()
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
    france_services_2022: pd.DataFrame | None = None
    #: The version of the files this was loaded from (what derived caches are keyed on).
    version: FilesVersion | None = None
    #: The follow-up's reading: posts attributed, advisors recruited (September 2023).
    recruitment: NationalReading | None = None
    recruitment_options: Options = field(default_factory=Options)
    #: The recruitment table per structure, and the list as published on 25 June 2021.
    recruitment_posts: pd.DataFrame | None = None
    june: pd.DataFrame | None = None

    @property
    def department(self) -> Department:
        return self.context.department

    @property
    def curated(self) -> bool:
        """True where a prefecture's announcement was curated (a structures file)."""
        return self.context.curated

    @property
    def department_bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the department, with a margin."""
        return remembered(self.territory, "bounds", lambda: bounds_of(self.territory.department))

    @property
    def readings(self) -> Readings:
        """The readings offered: the announcement, and the national list when built."""
        label = texts.reading_announcement(self.context.announcement) if self.curated else ""
        if self.national is None:
            return Readings(self.options, announcement_label=label)
        dates = (*sorted(self.national.waves), self.national.last_date)
        return Readings(
            self.options,
            self.national_options,
            dates,
            not self.curated,
            label,
            programme.FIRST_COMMITTEE,
            followup.RECRUITMENT_DATE if self.recruitment is not None else None,
            self.recruitment_options if self.recruitment is not None else None,
        )

    @property
    def empty(self) -> bool:
        """True for a département built but without any post in the national list."""
        return self.error is None and not self.curated and self.national is None

    @property
    def ok(self) -> bool:
        """True when the map can be drawn with its sites."""
        return self.error is None and self.sites is not None


def _mtime(path: Path | None) -> float:
    if path is None:
        return -1
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


class FilesVersion(NamedTuple):
    """What the cache is keyed on: the context (folder, structures file) and the
    modification times of the build's manifest and of the structures file."""

    context: DepartmentContext
    manifest_mtime: float
    structures_mtime: float


def _version(context: DepartmentContext) -> FilesVersion:
    return FilesVersion(
        context, _mtime(context.folder / config.MANIFEST_FILE), _mtime(context.structures)
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(key: str, _files: FilesVersion) -> AppData:
    # Shared across sessions and treated as read-only: the map layers are large and
    # every session reads the same file version (a new version gives a new entry).
    # Keyed on the version's text: Streamlit hashing the dataclass itself took about
    # 7 ms of every run (py-spy).
    loaded = _load_or_say_why(_files)
    resident.settle()  # what was loaded, out of the collector's way (aisnemap.ui.resident)
    return loaded


def _load_or_say_why(version: FilesVersion) -> AppData:
    """The data of a version, or an AppData carrying the French message of what failed."""
    context = version.context
    try:
        return _load_checked(context, version)
    except MissingDataError as exc:
        return AppData(context, None, None, error=str(exc), version=version)
    except integrity.DamagedFileError as exc:
        # Never a wrong figure: the visitor reads which file, the log says how it differs.
        LOG.error("fichier de données endommagé : %s", exc.detail)
        error = data_files.damaged_file(exc.role)
        return AppData(context, None, None, error=error, version=version)
    except Exception:  # noqa: BLE001 - the loader's boundary: the page says it in French
        LOG.exception("données du département %s illisibles", context.code)
        return AppData(context, None, None, error=texts.DATA_UNREADABLE, version=version)


def _load_checked(context: DepartmentContext, version: FilesVersion) -> AppData:
    territory = load_territory(context)
    layers = prepare_layers(territory.display)
    # Per-version work done once, not on every rerun: the communes' representative points.
    territory.points.drawn  # noqa: B018 - computed and kept by the frozen Territory
    files = context.files
    optional = {
        "ifn": _read_optional_csv(context.folder / files.ifn, {"code": str}),
        "france_services": _read_optional_csv(context.folder / files.france_services, _FS_TYPES),
        "france_services_2022": _read_optional_csv(
            context.folder / files.france_services_2022, _FS_TYPES
        ),
        "version": version,
    }
    posts = programme.load_posts(context.folder / files.posts)
    optional["recruitment_posts"] = followup.load_recruitment(context.folder / files.recruitment)
    optional["june"] = _read_optional_csv(context.folder / files.june, {"siret": str})
    if context.structures is None:
        return _national_only(context, territory, layers, posts, optional)
    validation = schema.read_structures(context.structures, territory.insee_codes)
    if not validation.ok:
        return AppData(context, territory, None, tuple(validation.problems), layers=layers)
    sites, problems = locate_sites(validation.frame, territory.communes, territory.metric_crs)
    problems = validation.problems + problems
    if any(p.severity == schema.ERROR for p in problems):
        return AppData(context, territory, None, tuple(problems), layers=layers)
    national = None
    national_options = Options()
    if posts is not None and len(posts):
        national = programme.national_reading(
            posts, validation.frame, territory.communes, territory.metric_crs
        )
        national_options = options_from(national.sites, national.labels)
    optional.update(_recruitment(optional["recruitment_posts"], validation.frame, territory))
    return AppData(
        context,
        territory,
        sites,
        tuple(problems),
        options_from(sites),
        layers,
        posts=posts,
        national=national,
        national_options=national_options,
        **optional,
    )


def _national_only(
    context: DepartmentContext,
    territory: Territory,
    layers: MapLayers,
    posts: pd.DataFrame | None,
    optional: dict,
) -> AppData:
    """A département without curated structures: the national list is its only reading
    (no post at all: an empty state, not an error)."""
    recruitment = optional["recruitment_posts"]
    if posts is None or posts.empty:
        return AppData(context, territory, None, layers=layers, posts=posts, **optional)
    national = programme.national_reading(
        posts, schema.empty_frame(), territory.communes, territory.metric_crs
    )
    options = options_from(national.sites, national.labels)
    optional.update(_recruitment(recruitment, schema.empty_frame(), territory))
    return AppData(
        context,
        territory,
        national.sites,
        (),
        options,
        layers,
        posts=posts,
        national=national,
        national_options=options,
        **optional,
    )


def _recruitment(posts: pd.DataFrame | None, structures: pd.DataFrame, territory) -> dict:
    """The follow-up's reading and its options (nothing when not built or empty)."""
    if posts is None or posts.empty:
        return {}
    reading = programme.national_reading(
        posts, structures, territory.communes, territory.metric_crs
    )
    return {
        "recruitment": reading,
        "recruitment_options": options_from(reading.sites, reading.labels),
    }


#: France Services columns read as text (codes, phone numbers, postcodes).
_FS_TYPES = {"code_insee": str, "id": str, "code_postal": str, "telephone": str}


def _read_optional_csv(path: Path, dtypes: dict) -> pd.DataFrame | None:
    """A built CSV checked against its build (None when the build did not write it)."""
    return integrity.read_built_csv(path, data_files.file_role(path.name), dtypes)


def load_app_data(
    data_dir: Path | None = None, structures: Path | None = None, department: str | None = None
) -> AppData:
    """The app data of a département (the server's by default) for the current files
    (reloaded when a file changes)."""
    code = department or config.served_department()
    return load_context_data(context_of_code(code, data_dir, structures))


def load_context_data(context: DepartmentContext) -> AppData:
    """The app data of a département's context for the current files."""
    version = _version(context)
    return _load(repr(version), version)
